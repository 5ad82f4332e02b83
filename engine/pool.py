"""The remote worker pool as the bot sees it: each worker's announcement (preset, actions, largest output,
GPU memory, seats, the runs it holds), whether a worker can run a job, which seat takes the next job, and
which dispatches have lost their worker or never reached it.

Pure bookkeeping over heartbeats: no Redis, no clock of its own (callers pass `now`, in monotonic seconds).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from reel.contract import OUTPUT_SIZES, RESOLUTIONS

#: a busy worker is handed its next job (its one prefetch seat) once its current run is this far along,
#: so the next job waits on the worker's own machine for seconds, not for a whole run
PREFETCH_AT = 0.75
#: a dispatch the worker does not list as held in a beat that arrived this long after it was published
#: never reached the worker (lost with a Redis restart): it goes back in line
TRANSIT_S = 2.0


def max_pixels_of(resolution: str) -> int:
    """Output pixels of the widest size of `resolution` (e.g. 720p: 1280 x 720)."""
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {', '.join(RESOLUTIONS)}")
    width, height = OUTPUT_SIZES[(resolution, "16:9")]
    return width * height


@dataclass(frozen=True)
class WorkerInfo:
    """What a worker announces in each heartbeat."""

    id: str
    preset: str
    operations: frozenset[str]
    max_pixels: int  # the largest output (width x height) it renders
    seats: int  # runs it holds at once: the one rendering, plus its prefetch
    beat: int  # heartbeat counter (a new value = a new beat)
    ttl_s: float  # silent this long = gone
    holds: tuple[str, ...] = ()  # dispatch ids it has taken (rendering, or waiting their turn)
    finished: tuple[str, ...] = ()  # dispatch ids it finished in the last few seconds
    running: str | None = None
    leaving: bool = False
    gpu: str = ""
    gpu_memory_gb: float = 0.0
    host: str = ""
    pid: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["operations"] = sorted(self.operations)
        data["holds"] = list(self.holds)
        data["finished"] = list(self.finished)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WorkerInfo:
        """The announcement `data` holds; ValueError (KeyError, TypeError) for one that is malformed."""
        return cls(
            id=str(data["id"]),
            preset=str(data["preset"]),
            operations=frozenset(str(o) for o in data["operations"]),
            max_pixels=int(data["max_pixels"]),
            seats=max(1, int(data["seats"])),
            beat=int(data["beat"]),
            ttl_s=float(data["ttl_s"]),
            holds=tuple(str(t) for t in data.get("holds") or ()),
            finished=tuple(str(t) for t in data.get("finished") or ()),
            running=data.get("running"),
            leaving=bool(data.get("leaving", False)),
            gpu=str(data.get("gpu", "")),
            gpu_memory_gb=float(data.get("gpu_memory_gb", 0.0)),
            host=str(data.get("host", "")),
            pid=int(data.get("pid", 0)),
        )


def refusal(info: WorkerInfo, spec: Mapping[str, Any]) -> str | None:
    """Why the worker `info` describes cannot run the job `spec` (EngineJob JSON): `unsupported_action`
    (its model cannot do that action), `too_large` (bigger output than it renders); None when it can."""
    action = spec.get("action")
    operation = "extend" if action == "recut" and spec.get("extend") else action
    if operation not in info.operations:
        return "unsupported_action"
    try:
        pixels = int(spec.get("width", 0)) * int(spec.get("height", 0))
    except (TypeError, ValueError):
        return None  # not ours to judge: the engine's strict checks fail it as bad_job
    if pixels > info.max_pixels:
        return "too_large"
    return None


@dataclass
class Dispatched:
    """A dispatch the bot gave a worker and has not settled."""

    task_id: str
    job_id: str
    published_at: float


@dataclass
class Member:
    """A live worker: its latest announcement, when that arrived, and what the bot gave it."""

    info: WorkerInfo
    seen_at: float
    idle_since: float
    tasks: dict[str, Dispatched] = field(default_factory=dict)
    progress: float = 0.0  # of the run it renders now, from its progress messages

    def load(self) -> int:
        """Runs it holds or is about to: the bot's dispatches and what it announces (a cancelled run
        may still be stopping there)."""
        return len(set(self.tasks) | set(self.info.holds))


class Pool:
    """Live workers by id, the dispatches each holds, and the jobs each has refused."""

    def __init__(self, prefetch_at: float = PREFETCH_AT) -> None:
        self.prefetch_at = prefetch_at
        self.members: dict[str, Member] = {}
        self._refused: dict[str, set[str]] = {}  # job id -> workers whose model refused it

    def beat(self, info: WorkerInfo, now: float) -> bool:
        """Take a heartbeat in; True when the worker is new to the pool."""
        member = self.members.get(info.id)
        if member is None:
            self.members[info.id] = Member(info, now, now)
            return True
        if info.beat != member.info.beat:
            member.seen_at = now
        member.info = info
        return False

    def expire(self, now: float) -> list[Member]:
        """Take out and return the workers silent for longer than their ttl."""
        gone = [m for m in self.members.values() if now - m.seen_at > m.info.ttl_s]
        for m in gone:
            del self.members[m.info.id]
        return gone

    def unheld(self, now: float, since: float) -> list[Dispatched]:
        """Dispatches a live worker should list by now and does not: its latest beat arrived more than
        TRANSIT_S after their publication (and after `since`, when Redis became reachable)."""
        lost = []
        for m in self.members.values():
            if m.seen_at < since:
                continue
            seen = set(m.info.holds) | set(m.info.finished)
            for d in m.tasks.values():
                if d.task_id not in seen and m.seen_at - d.published_at > TRANSIT_S:
                    lost.append(d)
        return lost

    def seats(self) -> Iterator[tuple[Member, bool]]:
        """(worker, prefetch) for each place a job could go now: idle workers first (the longest idle
        first), then prefetch seats of busy workers nearly done with their run."""
        live = [m for m in self.members.values() if not m.info.leaving]
        for m in sorted((m for m in live if m.load() == 0), key=lambda m: m.idle_since):
            yield m, False
        for m in live:
            if 0 < m.load() < m.info.seats and m.progress >= self.prefetch_at:
                yield m, True

    def accepts(
        self, member: Member, spec: Mapping[str, Any], job_id: str, lane: str, prefetch: bool
    ) -> bool:
        """May `member` take this job now? Its model must run it, it must not have refused it, a prefetch
        seat takes fast-lane jobs only, and a relaxed job waits while a fast one waits its turn in some
        worker's prefetch seat (so no relaxed job starts before a fast job dispatched ahead of it)."""
        if lane != "fast" and (prefetch or any(len(m.tasks) > 1 for m in self.members.values())):
            return False
        if member.info.id in self._refused.get(job_id, ()):
            return False
        return refusal(member.info, spec) is None

    def placeable(self, spec: Mapping[str, Any], job_id: str) -> bool | None:
        """Can some live worker run this job? None when the pool is empty (nobody to ask yet)."""
        live = [m for m in self.members.values() if not m.info.leaving]
        if not live:
            return None
        refused = self._refused.get(job_id, set())
        return any(m.info.id not in refused and refusal(m.info, spec) is None for m in live)

    def was_refused(self, job_id: str) -> bool:
        """Has a worker tried this job and found its model cannot run it?"""
        return bool(self._refused.get(job_id))

    def refused(self, job_id: str, worker_id: str) -> None:
        """`worker_id` refused the job (its model cannot run it): never offer it there again."""
        self._refused.setdefault(job_id, set()).add(worker_id)

    def forget(self, job_ids: Iterable[str]) -> None:
        """The jobs left the line for good: drop what the pool remembers of them."""
        for job_id in job_ids:
            self._refused.pop(job_id, None)

    def assign(self, worker_id: str, dispatched: Dispatched) -> None:
        member = self.members.get(worker_id)
        if member is not None:
            member.tasks[dispatched.task_id] = dispatched
            member.progress = 0.0 if len(member.tasks) == 1 else member.progress

    def settle(self, task_id: str, now: float) -> None:
        """The dispatch is over (result taken, or lost): its worker's seat is free, and the run it holds
        next (if any) starts from 0."""
        for m in self.members.values():
            if m.tasks.pop(task_id, None) is not None:
                m.progress = 0.0
                if not m.tasks:
                    m.idle_since = now

    def started(self, worker_id: str, task_id: str) -> None:
        """The worker began rendering `task_id`: its progress restarts from 0."""
        member = self.members.get(worker_id)
        if member is not None:
            member.progress = 0.0

    def view(self) -> list[dict[str, Any]]:
        """One object per worker: who it is, what it runs and holds (for the admin view and the logs)."""
        return [
            {
                "worker": m.info.id,
                "preset": m.info.preset,
                "host": m.info.host,
                "pid": m.info.pid,
                "gpu": m.info.gpu,
                "gpu_memory_gb": m.info.gpu_memory_gb,
                "seats": m.info.seats,
                "running": m.info.running,
                "holds": sorted(set(m.tasks) | set(m.info.holds)),
                "progress": round(m.progress, 3),
                "leaving": m.info.leaving,
            }
            for m in sorted(self.members.values(), key=lambda m: m.info.id)
        ]
