"""Fake engines for queue and core tests: they honour the ClipEngine contract (progress per step, cancel
within a step, a real playable MP4 out) without a model."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

from engine.spec import CancelledFn, Clip, EngineCancelled, EngineInputError, EngineJob, ProgressFn
from tests.fakes.media import write_clip


def write_mp4(path: Path, width: int, height: int, frames: int, fps: int = 24, shade: int = 80) -> None:
    """A small real H.264 MP4 of flat frames, so adapters upload something playable."""
    import numpy as np

    w, h = width - width % 2, height - height % 2
    pixels = np.stack([np.full((h, w, 3), (shade + i * 3) % 255, dtype=np.uint8) for i in range(frames)])
    write_clip(path, pixels, fps)


class FakeEngine:
    """Renders a small solid-colour clip in `steps` steps of `step_s` seconds each.

    Records every job it ran (`ran`), can be told to fail (`fail_codes`: job prompt -> EngineInputError code,
    or "crash" for a generic exception) and to block until released (`gate`).
    """

    name = "fake"

    def __init__(self, steps: int = 4, step_s: float = 0.01, scale: int = 8, real_video: bool = True) -> None:
        self.steps = steps
        self.step_s = step_s
        self.scale = scale  # render size divisor, to keep files tiny
        self.real_video = real_video
        self.ran: list[EngineJob] = []
        self.started = threading.Event()
        self.gate: threading.Event | None = None
        self.fail_codes: dict[str, str] = {}
        self._lock = threading.Lock()

    def run(self, job: EngineJob, on_progress: ProgressFn, cancelled: CancelledFn) -> Clip:
        with self._lock:
            self.ran.append(job)
        self.started.set()
        t0 = time.monotonic()
        for step in range(self.steps):
            if self.gate is not None:
                while not self.gate.wait(0.01):
                    if cancelled():
                        raise EngineCancelled()
            if cancelled():
                raise EngineCancelled()
            time.sleep(self.step_s)
            on_progress((step + 1) / self.steps, self.step_s * (self.steps - step - 1))
        code = self.fail_codes.get(job.prompt)
        if code == "crash":
            raise RuntimeError("engine exploded")
        if code:
            raise EngineInputError(code)
        job.out_dir.mkdir(parents=True, exist_ok=True)
        paths, posters = [], []
        frames = job.seconds * job.fps
        for v in range(job.variations):
            path = job.out_dir / f"{job.job_id}-{v}.mp4"
            if self.real_video:
                write_mp4(
                    path,
                    max(16, job.width // self.scale),
                    max(16, job.height // self.scale),
                    frames=min(frames, 24),
                    fps=job.fps,
                )
            else:
                path.write_bytes(b"fake mp4 " + job.job_id.encode())
            poster = job.out_dir / f"{job.job_id}-{v}.jpg"
            if self.real_video:
                from PIL import Image

                Image.new("RGB", (job.width, job.height), (80, 80, 80)).save(poster, "JPEG")
            else:
                poster.write_bytes(b"\xff\xd8\xff\xe0fake jpeg")
            paths.append(path)
            posters.append(poster)
        return Clip(
            paths=paths,
            posters=posters,
            frames=frames,
            fps=job.fps,
            width=job.width,
            height=job.height,
            seconds=float(job.seconds),
            wall_s=time.monotonic() - t0,
            model=self.name,
        )


async def wait_idle(core: Any, timeout: float = 60.0) -> None:
    """Wait until the core's queue has nothing queued or running. Raises TimeoutError."""
    deadline = time.monotonic() + timeout
    while core.queue.queued_count() or core.queue.running_count():
        if time.monotonic() > deadline:
            raise TimeoutError("queue still busy")
        await asyncio.sleep(0.02)
