"""Getting job results to the channels: job events -> Notices for the channel the job came from, held
back until the job's status post is recorded (the delivery barrier), where each job was posted, and
posting again the clips whose first post failed.

Knows channels only by platform name; answers with Reply data (bot/messages.py renders it).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from billing.errors import BillingError
from bot.errors import error_key
from bot.generation import summary_of
from bot.replies import (
    CANCELLED,
    DONE,
    FAILED,
    PROGRESS,
    STARTED,
    Button,
    ClipOut,
    Notice,
    PostRef,
    Reply,
    nested,
)
from bot.request import Request
from bot.services import Services
from engine.jobs import DONE as JOB_DONE
from engine.jobs import Job
from engine.queue import JobEvent
from reel.contract import FPS

log = logging.getLogger(__name__)
NoticeFn = Callable[[Notice], Awaitable[None]]
#: how long a job's notices wait for its status post before going out without one
STATUS_WAIT_S = 10.0
FINAL = frozenset({"done", "failed", "cancelled"})
_UNKNOWN = object()


@dataclass
class _Subscriber:
    fn: NoticeFn
    wait_for_status: bool


def clip_buttons(job_id: str, *, tip_credits: int = 0) -> list[list[Button]]:
    """The buttons under a finished clip (a Tip button when tips are on: `tip_credits` > 0)."""
    second = [Button("variation", job_id), Button("delete", job_id)]
    if tip_credits > 0:
        second.insert(1, Button("tip", job_id, tip_credits))
    return [[Button("remix", job_id), Button("loop", job_id), Button("extend", job_id)], second]


def clip_reply(job: Job, *, tip_credits: int = 0) -> Reply:
    """The message that carries a finished clip: prompt, author, price, summary, lineage, buttons."""
    req = Request.from_dict(job.request)
    result = job.result or {}
    paths = [Path(p) for p in result.get("paths") or [result.get("path")] if p]
    posters = [Path(p) for p in result.get("posters") or []]
    clip = ClipOut(
        job_id=job.id, path=paths[0], poster=posters[0] if posters else None,
        width=int(result.get("width", 0)), height=int(result.get("height", 0)),
        seconds=float(result.get("seconds", 0)), fps=int(result.get("fps", FPS)), extra_paths=paths[1:],
    )
    return Reply("done", {"prompt": req.prompt, "author": job.origin.get("author", job.owner),
                          "summary": summary_of(req), "action": job.action},
                 kind=DONE, clip=clip, job_id=job.id, parent_job=job.parent, price=job.price, progress=1.0,
                 buttons=clip_buttons(job.id, tip_credits=tip_credits))


class Delivery:
    """Notices, the delivery barrier and the post index (see the module docstring)."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self._subscribers: dict[str, _Subscriber] = {}
        self._barriers: dict[str, asyncio.Event] = {}  # job id -> set once its status post is known
        self._status: dict[str, PostRef | None] = {}  # job id -> its status post (None: it has none)
        self._delivering: set[str] = set()  # clips being posted right now
        self._held: dict[str, asyncio.Task[None]] = {}  # job id -> its last notice waiting for the barrier

    def subscribe(self, platform: str, fn: NoticeFn, *, wait_for_status: bool = False) -> None:
        """Route notices of jobs from `platform` to `fn`. With `wait_for_status`, a job asked for from
        there has its notices held until the channel calls `status_posted` (or STATUS_WAIT_S passed)."""
        self._subscribers[platform] = _Subscriber(fn, wait_for_status)

    def unsubscribe(self, platform: str) -> None:
        self._subscribers.pop(platform, None)

    # -- the barrier ---------------------------------------------------------------------------

    def expect(self, job: Job) -> None:
        """A job is about to be queued from a request whose answer its channel is about to post."""
        sub = self._subscribers.get(str(job.origin.get("platform", "")))
        if sub is not None and sub.wait_for_status:
            self._barriers[job.id] = asyncio.Event()

    def forget(self, job_id: str) -> None:
        self._barriers.pop(job_id, None)
        self._status.pop(job_id, None)

    async def status_posted(self, job_id: str, post: PostRef | None) -> None:
        """The job's status post is out (`post`), or its answer went elsewhere (None): its notices go."""
        if post is not None:
            await self.svc.state.record_post(post.platform, post.chat, post.message, job_id, "status")
        self._status[job_id] = post
        barrier = self._barriers.get(job_id)
        if barrier is not None:
            barrier.set()

    async def clip_posted(self, job_id: str, post: PostRef) -> None:
        """A clip of `job_id` was posted at `post`: replies and reactions there find the clip."""
        await self.svc.state.record_post(post.platform, post.chat, post.message, job_id, "clip")

    async def posts_of(self, job_id: str, kind: str | None = None) -> list[PostRef]:
        """Every post of `job_id` (kind `clip` or `status`; None: both), on every platform."""
        return [PostRef(*row) for row in await self.svc.state.posts_of(job_id, kind)]

    async def job_for_post(self, post: PostRef) -> str | None:
        return await self.svc.state.job_for_post(post.platform, post.chat, post.message)

    async def _status_post(self, job_id: str, platform: str) -> PostRef | None:
        known = self._status.get(job_id, _UNKNOWN)
        if known is _UNKNOWN:  # a job of an earlier run: its status post is in the index
            found = [p for p in await self.posts_of(job_id, "status") if p.platform == platform]
            known = self._status[job_id] = found[0] if found else None
        return known  # type: ignore[return-value]

    # -- job events ----------------------------------------------------------------------------

    async def on_job_event(self, ev: JobEvent) -> None:
        """A job moved: settle its credits when it ended, and tell its channel."""
        job = ev.job
        req = Request.from_dict(job.request)
        cancel = [[Button("cancel", job.id)]]
        if ev.kind == "done":
            try:
                await self.svc.ledger.capture(job.id)
            except BillingError:  # settled already (an admin refund): the member still gets the clip
                log.exception("capture of job %s failed", job.id)
            reply = clip_reply(job, tip_credits=self.svc.settings.tip_credits)
        elif ev.kind in ("failed", "cancelled"):
            try:
                refunded = await self.svc.ledger.refund(job.id, job.error or ev.kind)
            except BillingError:
                log.exception("refund of job %s failed", job.id)
                refunded = 0
            if ev.kind == "cancelled":
                reply = Reply("cancelled", {"refunded": refunded}, kind=CANCELLED, job_id=job.id, price=job.price)
            else:
                reason = nested(error_key(job.error or "engine_error"), refunded=refunded)
                reply = Reply("failed", {"reason": reason, "refunded": refunded}, kind=FAILED, job_id=job.id,
                              price=job.price)
        elif ev.kind == "started":
            reply = Reply("started", {"summary": summary_of(req)}, kind=STARTED, job_id=job.id, progress=0.0,
                          eta_s=ev.eta_s, buttons=cancel)
        elif ev.kind == "progress":
            reply = Reply("progress", {"summary": summary_of(req)}, kind=PROGRESS, job_id=job.id,
                          progress=ev.fraction, eta_s=ev.eta_s, buttons=cancel)
        else:
            return
        await self.notify(ev.kind, job, reply)

    async def notify(self, kind: str, job: Job, reply: Reply) -> None:
        """Hand one notice to the channel of the job's origin. While the job's barrier is up its notices
        queue up in order behind it (the worker goes on rendering); otherwise they go out at once."""
        sub = self._subscribers.get(str(job.origin.get("platform", "")))
        if sub is None:
            if kind in FINAL:
                self.forget(job.id)
            return
        barrier = self._barriers.get(job.id)
        behind = self._held.get(job.id)
        if behind is None and (barrier is None or barrier.is_set()):
            await self._deliver(sub, kind, job, reply)
            return
        task = asyncio.create_task(self._deliver_after(behind, barrier, sub, kind, job, reply))
        self._held[job.id] = task
        task.add_done_callback(self._release_held(job.id))

    def _release_held(self, job_id: str) -> Callable[[asyncio.Task[None]], None]:
        def release(task: asyncio.Task[None]) -> None:
            if self._held.get(job_id) is task:  # the last held notice of the job is out
                del self._held[job_id]

        return release

    async def _deliver_after(self, behind: asyncio.Task[None] | None, barrier: asyncio.Event | None,
                             sub: _Subscriber, kind: str, job: Job, reply: Reply) -> None:
        if behind is not None:
            await asyncio.wait([behind])  # the notice before this one first (its errors are its own)
        if barrier is not None and not barrier.is_set():
            try:
                async with asyncio.timeout(STATUS_WAIT_S):
                    await barrier.wait()
            except TimeoutError:
                log.info("job %s: no status post after %.0f s; its notices go without", job.id, STATUS_WAIT_S)
                barrier.set()
        await self._deliver(sub, kind, job, reply)

    async def _deliver(self, sub: _Subscriber, kind: str, job: Job, reply: Reply) -> None:
        platform = str(job.origin.get("platform", ""))
        try:
            status = await self._status_post(job.id, platform)
            if kind == "done":
                self._delivering.add(job.id)
            await sub.fn(Notice(kind, reply, job.id, job.origin, status))
        except Exception:
            log.exception("notice for job %s failed on %s", job.id, platform)
        finally:
            self._delivering.discard(job.id)
            if kind in FINAL:
                self.forget(job.id)

    async def close(self, timeout_s: float = 5.0) -> None:
        """Let held notices go (their barriers released), for at most `timeout_s`; then drop the rest."""
        for barrier in self._barriers.values():
            barrier.set()
        held = list(self._held.values())
        if held:
            _, late = await asyncio.wait(held, timeout=timeout_s)
            for task in late:
                task.cancel()

    # -- redelivery ----------------------------------------------------------------------------

    async def redeliver(self, max_age_s: float = 24 * 3600, min_age_s: float = 0.0) -> int:
        """Post again every clip finished in the last `max_age_s` (and at least `min_age_s` ago) whose
        channel never got it (the bot stopped, or the platform was down, between the render and the post).
        Returns how many."""
        count = 0
        now = time.time()
        # only the window: this runs every few minutes, and the job table keeps every clip ever made
        for job in await self.svc.jobs.in_states(JOB_DONE, finished_after=now - max_age_s):
            platform = str(job.origin.get("platform", ""))
            finished = job.finished_at or 0
            if not (now - max_age_s <= finished <= now - min_age_s) or job.deleted:
                continue
            if platform not in self._subscribers or job.id in self._delivering:
                continue
            if await self.svc.state.delivered(job.id, platform):
                continue
            reply = clip_reply(job, tip_credits=self.svc.settings.tip_credits)
            if reply.clip is None or not reply.clip.path.exists():
                continue
            await self.notify("done", job, reply)
            count += 1
        return count

    async def keep_delivering(self, every_s: float = 300.0) -> None:
        """Run until cancelled: every `every_s`, post clips whose first post failed (a platform outage)."""
        while True:
            await asyncio.sleep(every_s)
            try:
                count = await self.redeliver(min_age_s=every_s)
                if count:
                    log.info("posted %d clip(s) whose first post had failed", count)
            except Exception:
                log.exception("redelivery failed")
