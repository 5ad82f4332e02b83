"""Process memory around engine jobs: glibc allocator tuning for large CPU tensors at load, and handing
freed memory back (CUDA cache, malloc_trim) after every job.

Touches no pipeline and no job; the engine decides when to call these.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


class _Allocator:
    """Whether `tune_allocator` changed glibc's thresholds in this process (then `release_memory` trims)."""

    tuned = False


def tune_allocator() -> None:
    """On glibc, keep large freed blocks in the heap instead of returning them to the OS at once: the VAE
    allocates and frees tensors of hundreds of MB per frame block, and re-faulting those pages costs as
    much as the convolutions on a small CPU. Memory is handed back after each job (`release_memory`).
    Idempotent; a no-op where libc has no mallopt."""
    if _Allocator.tuned:
        return
    _Allocator.tuned = True
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        libc.mallopt(m_mmap_threshold, 1 << 30)
        libc.mallopt(m_trim_threshold, 1 << 30)
    except (OSError, AttributeError):
        pass


@contextmanager
def denormals_flushed(on: bool = True) -> Iterator[None]:
    """Treat denormal floats as zero on the CPU while the block runs, then turn it off again. Random-weight
    models (the tiny ones) fill their activations with values that small, and x86 arithmetic on them is
    ~100x slower (a 5 s clip went from seconds to minutes); trained weights lose nothing by it. The flag is
    the CPU's per-thread floating-point state: left on, it would change the arithmetic of everything else that
    thread runs afterwards (the bot's own code, other libraries), so the engine scopes it to its work."""
    if not on:
        yield
        return
    import torch

    torch.set_flush_denormal(True)
    try:
        yield
    finally:
        torch.set_flush_denormal(False)


def release_memory(device: str, collect: bool) -> None:
    """Hand freed memory back: after a failure also collect the cycles a traceback holds (the frames of the
    pipeline call and their tensors); a full collection costs ~0.3 s, so successful jobs skip it."""
    if collect:
        gc.collect()
    if device.startswith("cuda"):
        import torch

        torch.cuda.empty_cache()
    elif _Allocator.tuned:
        try:
            import ctypes

            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):
            pass
