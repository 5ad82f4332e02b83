"""The dispatch order of queued jobs, in memory: two lanes (every fast job before any relaxed one),
round-robin between accounts within a lane (each account's own jobs in the order it sent them), and the
per-plan cap on jobs an account runs at once. Pure bookkeeping: no I/O, no clock, no engine.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping

from engine.jobs import LANES, Job


class Lineup:
    """Queued jobs in the order workers take them."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}  # queued jobs by id
        self._queues: dict[str, dict[str, deque[str]]] = {lane: {} for lane in LANES}
        self._rotation: dict[str, list[str]] = {lane: [] for lane in LANES}  # accounts, next turn first

    def __len__(self) -> int:
        return len(self._jobs)

    def __contains__(self, job_id: object) -> bool:
        return job_id in self._jobs

    def push(self, job: Job, *, front: bool = False) -> None:
        """Put `job` at the back of its account's line in its lane (an unknown lane counts as fast); with
        `front`, at the head of it (a job put back after its run was lost keeps its turn)."""
        lane = job.lane if job.lane in LANES else "fast"
        job.lane = lane
        self._jobs[job.id] = job
        line = self._queues[lane].setdefault(job.account, deque())
        if front:
            line.appendleft(job.id)
        else:
            line.append(job.id)
        if job.account not in self._rotation[lane]:
            self._rotation[lane].append(job.account)

    def remove(self, job: Job) -> bool:
        """Take `job` out of line; True when it was in it."""
        q = self._queues[job.lane].get(job.account)
        if not q or job.id not in q:
            return False
        q.remove(job.id)
        if not q:
            del self._queues[job.lane][job.account]
            self._rotation[job.lane].remove(job.account)
        del self._jobs[job.id]
        return True

    def pick(self, running: Mapping[str, int], accept: Callable[[Job], bool] | None = None) -> Job | None:
        """The next job that may run, taken out of line, given how many jobs each account runs now;
        None when every queued job waits for its account's cap. With `accept` (a seat that runs only some
        jobs, e.g. a remote worker whose model cannot do every action), an account whose next job the
        seat refuses is passed over for this pick and keeps its turn."""
        for lane in LANES:
            rotation = self._rotation[lane]
            for acct in list(rotation):
                q = self._queues[lane][acct]
                head = self._jobs[q[0]]
                if running.get(acct, 0) >= max(1, head.max_running):
                    continue
                if accept is not None and not accept(head):
                    continue
                q.popleft()
                rotation.remove(acct)
                if q:
                    rotation.append(acct)  # back of the line for its next job
                else:
                    del self._queues[lane][acct]
                del self._jobs[head.id]
                return head
        return None

    def jobs(self) -> list[Job]:
        """Every queued job (no particular order)."""
        return list(self._jobs.values())

    def position(self, job_id: str) -> int | None:
        """How many queued jobs dispatch before this one (0 = next); None when it is not in line."""
        job = self._jobs.get(job_id)
        if job is None:
            return None
        ahead = 0
        if job.lane == "relaxed":
            ahead += sum(len(q) for q in self._queues["fast"].values())
        lane_q = self._queues[job.lane]
        rotation = self._rotation[job.lane]
        k = lane_q[job.account].index(job_id)
        me = rotation.index(job.account)
        for i, acct in enumerate(rotation):
            if acct == job.account:
                continue
            # round-robin: accounts ahead of me in the rotation get k+1 turns before my k-th job
            ahead += min(len(lane_q[acct]), k + (1 if i < me else 0))
        return ahead + k
