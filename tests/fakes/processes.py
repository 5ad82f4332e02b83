"""Ending a `reelbot run` subprocess a test started: SIGTERM (a clean shutdown, as an operator's Ctrl+C),
then SIGKILL if it has not stopped within the timeout."""

from __future__ import annotations

import asyncio
import signal


async def stop(proc: asyncio.subprocess.Process, timeout: float = 60) -> None:
    """Stop `proc` if it still runs; returns once it has exited."""
    if proc.returncode is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(proc.wait(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
