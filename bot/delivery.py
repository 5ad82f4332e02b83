"""Getting job results to the channels: job events -> Notices for the channel the job came from, held
back until the job's status post is recorded (the delivery barrier), where each job was posted, and the
answers owed to members across a restart. Finished clips go through the fair rule (bot/posting.py).

Knows channels only by platform name; answers with Reply data (bot/messages.py renders it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from billing.errors import BillingError
from bot.errors import error_key
from bot.generation import summary_of
from bot.moderation.actions import screen_clip
from bot.outbox import GIVEN_UP, Outbox
from bot.posting import PostChecker, Posting
from bot.replies import (
    CANCELLED,
    DONE,
    ERROR,
    FAILED,
    PROGRESS,
    QUEUED,
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
from engine.jobs import FINAL_STATES, Job
from engine.queue import JobEvent
from reel.contract import FPS

log = logging.getLogger(__name__)
NoticeFn = Callable[[Notice], Awaitable[None]]
#: how long a job's notices wait for its status post before going out without one
STATUS_WAIT_S = 10.0
FINAL = frozenset({"done", "failed", "cancelled"})
_UNKNOWN = object()


@dataclass
class Subscriber:
    """A channel's way in: its notice handler, whether its notices wait for the status post, and what it
    can tell about its platform's posts (None: nothing)."""

    fn: NoticeFn
    wait_for_status: bool
    checker: PostChecker | None = None


def clip_buttons(job_id: str, *, shareable: bool = False, tip_credits: int = 0) -> list[list[Button]]:
    """The buttons under a finished clip; `shareable`: a private clip, which its author may share; a Tip
    button when tips are on (`tip_credits` > 0)."""
    second = [Button("variation", job_id), Button("delete", job_id)]
    if tip_credits > 0:
        second.insert(1, Button("tip", job_id, tip_credits))
    if shareable:
        second.append(Button("share", job_id))
    return [[Button("remix", job_id), Button("loop", job_id), Button("extend", job_id)], second]


def clip_reply(job: Job, *, tip_credits: int = 0) -> Reply:
    """The message that carries a finished clip: prompt, author, price, summary, lineage, buttons."""
    req = Request.from_dict(job.request)
    result = job.result or {}
    paths = [Path(p) for p in result.get("paths") or [result.get("path")] if p]
    posters = [Path(p) for p in result.get("posters") or []]
    clip = ClipOut(
        job_id=job.id,
        path=paths[0],
        poster=posters[0] if posters else None,
        width=int(result.get("width", 0)),
        height=int(result.get("height", 0)),
        seconds=float(result.get("seconds", 0)),
        fps=int(result.get("fps", FPS)),
        extra_paths=paths[1:],
    )
    return Reply(
        "done",
        {
            "prompt": req.prompt,
            "author": job.origin.get("author", job.owner),
            "summary": summary_of(req),
            "action": job.action,
        },
        kind=DONE,
        clip=clip,
        job_id=job.id,
        parent_job=job.parent,
        price=job.price,
        progress=1.0,
        buttons=clip_buttons(job.id, shareable=not job.public, tip_credits=tip_credits),
    )


class Delivery:
    """Notices, the delivery barrier, the post index and owed answers (see the module docstring)."""

    def __init__(self, svc: Services, outbox: Outbox) -> None:
        self.svc = svc
        self.outbox = outbox
        self.posting = Posting(svc, outbox, self)
        self._subscribers: dict[str, Subscriber] = {}
        self._barriers: dict[str, asyncio.Event] = {}  # job id -> set once its status post is known
        self._status: dict[str, PostRef | None] = {}  # job id -> its status post (None: it has none)
        self._held: dict[str, asyncio.Task[None]] = {}  # job id -> its last notice waiting for the barrier
        self._owed: set[str] = set()  # jobs whose answer is owed (a row in the outbox)

    def subscribe(
        self,
        platform: str,
        fn: NoticeFn,
        *,
        wait_for_status: bool = False,
        checker: PostChecker | None = None,
    ) -> None:
        """Route notices of jobs from `platform` to `fn`. With `wait_for_status`, a job asked for from
        there has its notices held until the channel calls `status_posted` (or STATUS_WAIT_S passed), and
        its answer is owed (told after a restart) until then. `checker` answers the posting rule's
        questions about the platform (bot/posting.py)."""
        self._subscribers[platform] = Subscriber(fn, wait_for_status, checker)

    def unsubscribe(self, platform: str) -> None:
        self._subscribers.pop(platform, None)

    def subscriber(self, platform: str) -> Subscriber | None:
        return self._subscribers.get(platform)

    # -- the barrier and owed answers ------------------------------------------------------------

    async def expect(self, job: Job) -> None:
        """A job is about to be written from a request whose answer its channel is about to post: hold
        its notices until then, and owe the answer durably (a crash before it is out is told on restart)."""
        sub = self._subscribers.get(str(job.origin.get("platform", "")))
        if sub is not None and sub.wait_for_status:
            self._barriers[job.id] = asyncio.Event()
            self._owed.add(job.id)
            await self.outbox.owe_answer(job.id, job.origin)

    def forget(self, job_id: str) -> None:
        self._barriers.pop(job_id, None)
        self._status.pop(job_id, None)

    async def abandon(self, job_id: str) -> None:
        """The submit of `job_id` failed (nothing written): its answer is the error the member gets."""
        self.forget(job_id)
        await self.owed_settled(job_id)

    async def owed_settled(self, job_id: str) -> None:
        """The member has their answer for `job_id` (a status post, the clip, a final word)."""
        if job_id in self._owed:
            self._owed.discard(job_id)
            await self.outbox.answered(job_id)

    async def resume_answers(self) -> int:
        """At start-up: tell the members whose answer a crash cut off. A job that exists and waits gets a
        fresh status post ("queued again"); a request whose job was never written (the process died
        inside its unit of work: nothing was charged) is said to be lost. Returns how many were told."""
        told = 0
        for owed in await self.outbox.owed_answers():
            sub = self._subscribers.get(str(owed.origin.get("platform", "")))
            if sub is None or owed.job_id in self._owed:  # owed by this process: its answer is on its way
                continue
            job = await self.svc.jobs.get(owed.job_id)
            if job is not None and job.state in FINAL_STATES:
                await self.outbox.answered(owed.job_id)  # its final notice is its answer
                continue
            if job is None:
                notice = Notice("failed", Reply("request_lost", kind=ERROR), owed.job_id, owed.origin)
            else:
                req = Request.from_dict(job.request)
                reply = Reply(
                    "resumed",
                    {"summary": summary_of(req)},
                    kind=QUEUED,
                    job_id=job.id,
                    price=job.price,
                    position=(self.svc.queue.position(job.id) or 0) + 1,
                    eta_s=self.svc.queue.eta(job.id),
                    buttons=[[Button("cancel", job.id)]],
                )
                notice = Notice(QUEUED, reply, job.id, job.origin)  # the channel posts it as a new status
                self._owed.add(job.id)
            try:
                await sub.fn(notice)
            except Exception as exc:
                log.warning("could not tell the member of job %s after the restart: %s", owed.job_id, exc)
                continue
            told += 1
            if job is None:
                await self.outbox.answered(owed.job_id)
        return told

    async def status_posted(self, job_id: str, post: PostRef | None) -> None:
        """The job's status post is out (`post`), or its answer went elsewhere (None): its notices go."""
        if post is not None:
            await self.svc.state.record_post(post.platform, post.chat, post.message, job_id, "status")
        self._status[job_id] = post
        barrier = self._barriers.get(job_id)
        if barrier is not None:
            barrier.set()
        await self.owed_settled(job_id)

    async def clip_posted(self, job_id: str, post: PostRef) -> None:
        """A clip of `job_id` was posted at `post`: replies and reactions there find the clip, it is not
        posted again, and the member pays for it (the first post captures the hold)."""
        await self.posting.clip_posted(job_id, post)

    async def posts_on(self, job_id: str, platform: str, kind: str = "clip") -> list[PostRef]:
        """The posts of `job_id` of `kind` on `platform`."""
        return [p for p in await self.posts_of(job_id, kind) if p.platform == platform]

    async def posts_of(self, job_id: str, kind: str | None = None) -> list[PostRef]:
        """Every post of `job_id` (kind `clip` or `status`; None: both), on every platform."""
        return [PostRef(*row) for row in await self.svc.state.posts_of(job_id, kind)]

    async def job_for_post(self, post: PostRef) -> str | None:
        return await self.svc.state.job_for_post(post.platform, post.chat, post.message)

    async def status_post(self, job_id: str, platform: str) -> PostRef | None:
        """The job's status post on `platform` (None: it has none)."""
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
            platform = str(job.origin.get("platform", ""))
            verdict = await screen_clip(self.svc, job)
            if verdict.blocked:  # never posted: refunded, out of the feed, the member told why
                await self.svc.jobs.set_public(job.id, False)
                await self.outbox.settle(job.id, platform, GIVEN_UP, "moderated")
                refunded = await self._refund(job, "moderated")
                why = nested(f"moderation_{verdict.reason}")
                await self.notify(
                    "failed",
                    job,
                    Reply(
                        "moderated_output",
                        {"why": why, "refunded": refunded},
                        kind=FAILED,
                        job_id=job.id,
                        price=job.price,
                    ),
                )
                return
            sub = self._subscribers.get(platform)
            if sub is None:  # nowhere to post it: done is delivered (bot/posting.py)
                await self.posting.capture(job.id)
                return
            if sub.wait_for_status:  # its post may wait for the barrier: redelivery leaves it alone meanwhile
                await self.outbox.expect(job.id, platform)
            reply = clip_reply(job, tip_credits=self.svc.settings.tip_credits)
        elif ev.kind in ("failed", "cancelled"):
            refunded = await self._refund(job, job.error or ev.kind)
            if ev.kind == "cancelled":
                reply = Reply(
                    "cancelled", {"refunded": refunded}, kind=CANCELLED, job_id=job.id, price=job.price
                )
            else:
                reason = nested(error_key(job.error or "engine_error"), refunded=refunded)
                reply = Reply(
                    "failed",
                    {"reason": reason, "refunded": refunded},
                    kind=FAILED,
                    job_id=job.id,
                    price=job.price,
                )
        elif ev.kind == "started":
            reply = Reply(
                "started",
                {"summary": summary_of(req)},
                kind=STARTED,
                job_id=job.id,
                progress=0.0,
                eta_s=ev.eta_s,
                buttons=cancel,
            )
        elif ev.kind == "progress":
            reply = Reply(
                "progress",
                {"summary": summary_of(req)},
                kind=PROGRESS,
                job_id=job.id,
                progress=ev.fraction,
                eta_s=ev.eta_s,
                buttons=cancel,
            )
        else:
            return
        await self.notify(ev.kind, job, reply)

    async def _refund(self, job: Job, reason: str) -> int:
        try:
            return await self.svc.ledger.refund(job.id, reason)
        except BillingError:
            log.exception("refund of job %s failed", job.id)
            return 0

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

    async def _deliver_after(
        self,
        behind: asyncio.Task[None] | None,
        barrier: asyncio.Event | None,
        sub: Subscriber,
        kind: str,
        job: Job,
        reply: Reply,
    ) -> None:
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

    async def _deliver(self, sub: Subscriber, kind: str, job: Job, reply: Reply) -> None:
        platform = str(job.origin.get("platform", ""))
        try:
            if kind == "done":
                await self.posting.post(sub, job, reply)
                return
            status = await self.status_post(job.id, platform)
            await sub.fn(Notice(kind, reply, job.id, job.origin, status))
            if kind in FINAL:
                await self.owed_settled(job.id)
        except Exception:
            log.exception("notice for job %s failed on %s", job.id, platform)
        finally:
            if kind in FINAL:
                self.forget(job.id)

    async def close(self, timeout_s: float = 5.0) -> None:
        """Let held notices go (their barriers released), for at most `timeout_s`; then drop the rest.
        Scheduled retries stop (the outbox has them for the next start)."""
        await self.posting.close()
        for barrier in self._barriers.values():
            barrier.set()
        held = list(self._held.values())
        if held:
            _, late = await asyncio.wait(held, timeout=timeout_s)
            for task in late:
                task.cancel()

    # -- redelivery ----------------------------------------------------------------------------

    async def redeliver(self, max_age_s: float = 24 * 3600, min_age_s: float = 0.0) -> int:
        """Carry on with every clip finished in the window that its channel does not have (bot/posting.py).
        Returns how many this call posted."""
        return await self.posting.redeliver(max_age_s, min_age_s)

    async def keep_delivering(self, every_s: float = 10.0) -> None:
        """Run until cancelled: every `every_s`, carry on with deliveries that are due."""
        await self.posting.keep_delivering(every_s)
