"""A remote worker process with a fake engine (sleeps per step, honours cancel per step, writes a tiny
file), for the scale tests: the real RemoteWorker and streaQ, only the model is fake. Every render is
recorded as a JSON line (task, job, start, end, outcome) in --record, so tests can count runs.

Usage: python -m tests.fakes.pool_worker --url URL --queue Q --id ID --record FILE [--steps N]
[--step-s S] [--operations create,animate] [--max-pixels P] [--beat S] [--prefetch N] [--idle-timeout S]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import threading
import time
from pathlib import Path

from engine.presets import ALL_OPERATIONS
from engine.remote_worker import RemoteWorker, WorkerSetup
from engine.spec import CancelledFn, Clip, EngineJob, ProgressFn
from tests.fakes.engines import FakeEngine


class RecordingEngine(FakeEngine):
    """FakeEngine that appends one JSON line per run to `record` (flushed at once: the process may be
    SIGKILLed mid-run, which leaves a `start` line without its `end`)."""

    def __init__(self, record: Path, worker: str, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.record = record
        self.worker = worker
        self._write = threading.Lock()

    def _log(self, **entry: object) -> None:
        with self._write, self.record.open("a") as f:
            f.write(json.dumps({"worker": self.worker, **entry}) + "\n")

    def run(self, job: EngineJob, on_progress: ProgressFn, cancelled: CancelledFn) -> Clip:
        t0 = time.time()
        self._log(job=job.job_id, event="start", at=t0)
        try:
            clip = super().run(job, on_progress, cancelled)
        except BaseException as exc:
            self._log(job=job.job_id, event="end", at=time.time(), outcome=type(exc).__name__, start=t0)
            raise
        self._log(job=job.job_id, event="end", at=time.time(), outcome="done", start=t0)
        return clip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--queue", required=True)
    p.add_argument("--id", required=True)
    p.add_argument("--record", type=Path, required=True)
    p.add_argument("--steps", type=int, default=4)
    p.add_argument("--step-s", type=float, default=0.1)
    p.add_argument("--operations", default=",".join(sorted(ALL_OPERATIONS)))
    p.add_argument("--max-pixels", type=int, default=1920 * 1080)
    p.add_argument("--beat", type=float, default=0.5)
    p.add_argument("--prefetch", type=int, default=1)
    p.add_argument("--idle-timeout", type=float, default=60.0)
    p.add_argument("--work-dir", type=Path, default=None)
    ns = p.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format=f"%(asctime)s {ns.id} %(levelname)s %(name)s: %(message)s",
    )
    engine = RecordingEngine(ns.record, ns.id, steps=ns.steps, step_s=ns.step_s, real_video=False)
    setup = WorkerSetup(
        url=ns.url,
        queue=ns.queue,
        worker_id=ns.id,
        preset="fake",
        operations=frozenset(o for o in ns.operations.split(",") if o),
        max_pixels=ns.max_pixels,
        prefetch=ns.prefetch,
        beat_s=ns.beat,
        idle_timeout_s=ns.idle_timeout,
        work_dir=ns.work_dir or ns.record.parent / f"work-{ns.id}",
    )
    asyncio.run(RemoteWorker(engine, setup).serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
