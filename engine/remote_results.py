"""What comes back for one remote dispatch: the Flight the bot waits on, a worker's raw result landed in
its future (parsed off the event loop when it carries a clip's bytes), and that result read into a Clip or
the exception that says how the run ended otherwise.

It reads no Redis and chooses no worker (engine/remote_dispatch.py does); it writes no job row.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.backends import JobLost, RunHooks, Seat
from engine.jobs import Job
from engine.remote_wire import RemoteError, decode_clip, loads
from engine.spec import Clip, EngineCancelled, EngineInputError

log = logging.getLogger(__name__)

#: results bigger than this are parsed off the event loop (they carry the clip's bytes)
BIG_RESULT = 64 * 1024


@dataclass
class Flight:
    """One dispatch the bot waits on: its job, its seat, and the future its outcome lands in."""

    job: Job
    seat: Seat
    future: asyncio.Future[Any]
    hooks: RunHooks | None = None
    published: bool = False
    started: asyncio.Task[None] | None = None
    refused: bool = False

    @property
    def worker(self) -> str:
        return self.seat.key


def land(flight: Flight, raw: Any) -> None:
    """Parse a small raw result into `flight`'s future; an unreadable one is logged and dropped (the
    dispatch is then lost by the watch, not failed here)."""
    try:
        data = loads(raw)
    except ValueError:
        log.exception("unreadable result for %s", flight.seat.dispatch)
        return
    flight.future.set_result(data)


async def land_off_loop(flight: Flight, raw: Any) -> None:
    """`land` for a big raw result, parsed in a thread; it lands only if nothing else ended the flight
    meanwhile (a lapsed cancel, a lost worker)."""
    try:
        data = await asyncio.to_thread(loads, raw)
    except ValueError:
        log.exception("unreadable result for %s", flight.seat.dispatch)
        return
    if not flight.future.done():
        flight.future.set_result(data)


async def read_outcome(flight: Flight, data: Any) -> Clip:
    """The Clip of a worker's result, its file written under the job's out_dir. Raises EngineCancelled
    (the worker confirmed the abort), EngineInputError (the job was bad), JobLost (streaQ refused it
    before it ran, or the worker cannot run it: then `flight.refused` is set), RuntimeError (the run
    failed)."""
    value = data.get("r") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not data.get("s"):
        if isinstance(value, RemoteError) and value.kind == "StreaqCancelled":
            raise EngineCancelled()
        if isinstance(value, RemoteError) and value.kind == "StreaqError":
            # streaQ's own refusal before our task ran (its data gone with a Redis restart: "Task
            # expired!"): nothing was rendered
            raise JobLost(f"{flight.worker}: {value.message}", counted=False)
        raise RuntimeError(f"worker {flight.worker} failed the run: {value}")
    if not isinstance(value, dict):
        raise RuntimeError(f"worker {flight.worker} returned no result object")
    outcome = value.get("outcome")
    if outcome == "done":
        return await asyncio.to_thread(decode_clip, value, Path(flight.job.spec["out_dir"]))
    if outcome == "input_error":
        raise EngineInputError(str(value.get("code") or "bad_job"), str(value.get("detail") or ""))
    if outcome == "refused":
        flight.refused = True
        raise JobLost(f"{flight.worker} cannot run it ({value.get('code')})", counted=False)
    raise RuntimeError(f"worker {flight.worker}: {value.get('detail') or 'engine error'}")
