"""Progress and cancel for one engine job: denoising steps and written files become on_progress(fraction,
eta) calls, and the cancel flag is checked at each of them.

Knows nothing about pipelines or files; the passes call `step`, the writer calls `encoded`.
"""

from __future__ import annotations

import time
from typing import Final

from engine.spec import CancelledFn, EngineCancelled, ProgressFn

#: share of the progress bar given to denoising; decoding and encoding fill the rest
DENOISE_SHARE: Final = 0.9


class Progress:
    """One job's progress: `plan` the steps to come, then `step` after each; `check` raises EngineCancelled
    once `cancelled()` turns true. Reported fractions only ever increase."""

    def __init__(self, on_progress: ProgressFn, cancelled: CancelledFn) -> None:
        self.on_progress = on_progress
        self.cancelled = cancelled
        self.total = 0
        self.done = 0
        self.started = time.monotonic()
        self.fraction = 0.0

    def plan(self, steps: int) -> None:
        """Add `steps` denoising steps to the job's total."""
        self.total += steps

    def check(self) -> None:
        """Raise EngineCancelled if the job should stop."""
        if self.cancelled():
            raise EngineCancelled()

    def step(self) -> None:
        """One denoising step finished (raises EngineCancelled first if the job should stop)."""
        self.check()
        self.done += 1
        self._report(DENOISE_SHARE * min(1.0, self.done / max(1, self.total)))

    def encoded(self, index: int, files: int) -> None:
        """File `index` of `files` is written (a job with no denoising spends the whole bar here)."""
        share = DENOISE_SHARE if self.total else 0.0
        self._report(share + (1.0 - share) * index / files)

    def _report(self, fraction: float) -> None:
        if fraction <= self.fraction:
            return
        self.fraction = fraction
        elapsed = time.monotonic() - self.started
        eta = elapsed * (1.0 - fraction) / fraction if fraction < 1.0 else 0.0
        self.on_progress(fraction, eta)
