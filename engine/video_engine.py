"""The diffusers engine: one loaded pipeline per worker, turning an EngineJob into encoded clips.

`DiffusersEngine.load(...)` loads (or, for `tiny`, builds once) the model and keeps it warm; `run` checks
the job, hands it to its action's planner (engine/planners.py, through the `PLANNERS` table), then encodes
exactly the asked length and size. It does not queue, bill or talk to chat platforms.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from engine.checks import MAX_VARIATIONS, check_job
from engine.encoder import encode_video, provenance, write_poster
from engine.loader import (
    check_compatible,
    check_options,
    load_pipeline,
    load_upsampler,
    optimise,
    quiet_library_output,
    resolve_model,
)
from engine.memory import denormals_flushed, release_memory, tune_allocator
from engine.passes import Passes, Work
from engine.planners import PLANNERS
from engine.presets import Preset
from engine.progress import Progress
from engine.renderers import Renderer, renderer_for
from engine.spec import CancelledFn, Clip, EngineCancelled, EngineJob, ProgressFn
from engine.timeline import Timeline
from reel.contract import SEED_MAX

log = logging.getLogger(__name__)


class DiffusersEngine:
    """A ClipEngine over a diffusers video pipeline. Create once per worker; `run` is thread-safe (one job at
    a time: a lock serialises callers)."""

    def __init__(
        self,
        pipe: Any,
        preset: Preset,
        *,
        name: str | None = None,
        device: str = "cpu",
        steps: int | None = None,
        max_batch: int | None = None,
        encoder_preset: str | None = None,
        upsampler: Any = None,
    ) -> None:
        if upsampler is None and preset.two_stage_from is not None:
            preset = replace(preset, two_stage_from=None)  # no upsampler: large sizes render in one stage
        self.pipe = pipe
        self.upsampler = upsampler
        self.preset = preset
        self.name = name or preset.name
        self.device = device
        self.steps = steps or preset.steps
        self.max_batch = max(1, max_batch or preset.max_batch)
        self.encoder_preset = encoder_preset or preset.encoder_preset
        self.renderer: Renderer = renderer_for(pipe, preset, upsampler)
        #: seconds spent rendering (model) and writing (encode, poster) in the last finished job
        self.last_timings: dict[str, float] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(
        cls,
        preset_name_or_path: str = "auto",
        data_dir: str | Path = "data",
        device: str | None = None,
        **options: Any,
    ) -> DiffusersEngine:
        """Load a preset by name (`auto`, `tiny`, `ltx-2.5-distilled`, ...) or a local diffusers folder.

        `auto` picks the best preset for the CUDA GPU's memory, `tiny` without CUDA. The tiny models are
        built into `<data_dir>/models/<name>` on first use. Options (engine/options.py): offload
        ("none"|"model"|"sequential"|"group"), fp8, compile, first_block_cache (True or a threshold),
        vae_tiling, dtype, max_batch, steps, encoder_preset, tune_allocator. Real presets download their
        weights through the Hugging Face cache (retried on connection errors). Returns the loaded engine.
        Raises KeyError for an unknown preset, TypeError for an unknown option, ValueError for options
        that cannot work together (before anything is loaded).
        """
        check_options(options)
        check_compatible(options)
        import torch

        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        preset, source = resolve_model(preset_name_or_path or "auto", data_dir, device, options)
        if device == "cpu" and options.get("tune_allocator", True):
            tune_allocator()
        quiet_library_output()
        dtype = getattr(torch, options.get("dtype") or (preset.dtype if device != "cpu" else "float32"))
        t0 = time.monotonic()
        with denormals_flushed(device == "cpu"):
            pipe = load_pipeline(preset, source, dtype)
            upsampler = load_upsampler(preset, source, dtype)
            optimise(pipe, preset, device, dtype, options)
            if upsampler is not None:
                upsampler.to(device)
        log.info("loaded %s from %s on %s in %.1f s", preset.name, source, device, time.monotonic() - t0)
        return cls(
            pipe,
            preset,
            name=preset.name,
            device=device,
            steps=options.get("steps"),
            max_batch=options.get("max_batch"),
            encoder_preset=options.get("encoder_preset"),
            upsampler=upsampler,
        )

    def run(self, job: EngineJob, on_progress: ProgressFn, cancelled: CancelledFn) -> Clip:
        """Render `job`. Returns the Clip (one MP4 + poster per variation, exactly job.seconds long at
        job.fps and job.width x job.height; a trim is exactly its range).

        Raises EngineInputError for unusable input, EngineCancelled once `cancelled()` turns true (checked
        after every denoising step). Memory is released after every job, failed or not.
        """
        t0 = time.monotonic()
        check_job(job, self.preset)
        with self._lock, denormals_flushed(self.device == "cpu"):
            failed = True
            try:
                clip = self._run(job, on_progress, cancelled, t0)
                failed = False
                return clip
            except BaseException:
                self._reset_pipeline()
                raise
            finally:
                release_memory(self.device, collect=failed)

    def _run(self, job: EngineJob, on_progress: ProgressFn, cancelled: CancelledFn, t0: float) -> Clip:
        if cancelled():
            raise EngineCancelled()
        seed = job.seed if job.seed is not None else secrets.randbelow(SEED_MAX + 1 - MAX_VARIATIONS)
        rw, rh = self.preset.render_size(job.width, job.height)
        two_stage = self.preset.two_stage(job.width, job.height) and self.renderer.two_stage
        work = Work(
            job=job,
            seeds=[seed + i for i in range(job.variations)],
            width=rw,
            height=rh,
            steps=job.steps or self.steps,
            progress=Progress(on_progress, cancelled),
            two_stage=two_stage,
        )
        # read at run time: tests (and a future preset switch) may replace self.preset between jobs
        passes = Passes(self.renderer, self.preset, self.max_batch)
        timelines = PLANNERS[job.action](passes, work)
        t1 = time.monotonic()
        clip = self._write(work, timelines, t0, seed)
        self.last_timings = {"render_s": t1 - t0, "write_s": time.monotonic() - t1}
        log.info(
            "job %s: %s rendered in %.1f s, written in %.1f s",
            job.job_id,
            job.action,
            t1 - t0,
            self.last_timings["write_s"],
        )
        return clip

    def _write(self, w: Work, timelines: list[Timeline], t0: float, seed: int) -> Clip:
        """Encode each variation's timeline to `<out_dir>/<stem>[-i].mp4` with its poster JPEG."""
        job = w.job
        count = w.output_frames or job.seconds * job.fps
        stem = job.out_name or job.job_id
        meta = provenance(
            self.name,
            job.job_id,
            job.prompt,
            {**job.metadata, "reelbot_action": job.action, "reelbot_seed": seed},
        )
        paths, posters = [], []
        sounding = False
        for i, timeline in enumerate(timelines):
            w.progress.check()
            path = Path(job.out_dir) / (f"{stem}.mp4" if i == 0 else f"{stem}-{i + 1}.mp4")
            sound = timeline.sound(job.fps, count) if job.audio else None
            sounding = sounding or sound is not None
            encoded = encode_video(
                timeline.source(job.fps),
                path,
                width=job.width,
                height=job.height,
                fps=job.fps,
                frame_count=count,
                metadata=meta,
                watermark=job.watermark,
                max_bytes=job.max_bytes,
                preset=self.encoder_preset,
                audio=sound,
            )
            assert encoded.poster_frame is not None
            posters.append(write_poster(encoded.poster_frame, path.with_suffix(".jpg"), meta))
            paths.append(path)
            w.progress.encoded(i + 1, len(timelines))
        return Clip(
            paths=paths,
            posters=posters,
            frames=count,
            fps=job.fps,
            width=job.width,
            height=job.height,
            seconds=count / job.fps,
            wall_s=time.monotonic() - t0,
            model=self.name,
            seed=seed,
            audio=sounding,
        )

    def _reset_pipeline(self) -> None:
        """After a cancel or error: clear the interrupt flag and stateful hooks (caches, offload)."""
        try:
            self.pipe._interrupt = False
            self.pipe.maybe_free_model_hooks()
        except Exception:  # never mask the original error
            log.exception("could not reset the pipeline")
