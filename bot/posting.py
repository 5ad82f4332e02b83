"""Posting finished clips, and the fair rule: a member pays for a clip once it is delivered.

- The hold stays open while the clip renders and while it is being posted. The first clip post the
  channel records captures it (a channel that posts nothing, e.g. a test or the CLI, delivers when its
  notice returns). A job whose platform has no channel in this process is captured when it is done:
  there is nothing to post, and the clip stays in its job row.
- A post that fails is tried again promptly: after RETRY_DELAYS_S (seconds, growing), or after the
  platform's retry_after when that is longer and at most MAX_RETRY_AFTER_S. A platform that will never
  take it (the bot was removed), a retry_after above the cap, or the last retry failing gives the
  delivery up: the hold is refunded and the member is told (in the chat, else privately).
- Before each upload the intent is written (`posting`). An attempt whose outcome is unknown (the process
  died during it, or it timed out) is reconciled before anything is posted again: the channel is asked
  whether the platform took it (`PostChecker.find_posted`), so a clip the platform accepted is never
  posted twice. A channel that cannot tell gives the delivery up (refund, and the member is told to look
  above) rather than risk a second copy.

Never touches a platform itself: channels post (bot/adapters/base.py); rows are bot/outbox.py's.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from billing.errors import BillingError, HoldClosed, NotFound
from bot.errors import DeliveryFailed
from bot.outbox import GIVEN_UP, POSTED, POSTING, SETTLED, DeliveryRow, Outbox
from bot.replies import FAILED, Notice, PostRef, Reply
from bot.services import Services
from engine.jobs import DONE, Job

if TYPE_CHECKING:
    from bot.delivery import Delivery, Subscriber

log = logging.getLogger(__name__)

#: seconds before each retry of a failed post: prompt, then backing off (about two minutes in all)
RETRY_DELAYS_S: tuple[float, ...] = (2.0, 5.0, 15.0, 30.0, 60.0)
#: a platform asking us to wait longer than this (a 429's retry_after) gives the delivery up
MAX_RETRY_AFTER_S = 60.0
#: a finished clip not delivered within this long is given up (refunded) at the next start
DELIVERY_WINDOW_S = 24 * 3600.0
#: how often the outbox is looked at for retries that are due (a safety net under the per-job timers)
DUE_EVERY_S = 10.0

#: what `post` / `resume` came to
BUSY, RETRYING, FOUND = "busy", "retrying", "found"


class PostChecker(Protocol):
    """What a channel tells the rule about its platform (bot/adapters/base.py implements it)."""

    def anchor(self, origin: dict[str, Any]) -> str | None:
        """The newest message id the channel knows in the chat of `origin` (before an upload), or None."""

    async def find_posted(self, notice: Notice, anchor: str | None) -> list[PostRef] | None:
        """The posts of `notice`'s clip the platform holds after `anchor` ([]: none), or None when the
        platform cannot tell. Raises the channel's delivery errors when it cannot be asked now."""

    async def clear_status(self, status: PostRef) -> None:
        """Take a job's status post down once its clip is known to be out."""


def gives_up_at_once(failure: DeliveryFailed) -> bool:
    """Is `failure` one the rule does not retry (the platform will never take it, or asks for a wait above
    the cap)?"""
    return failure.permanent or (failure.retry_after or 0.0) > MAX_RETRY_AFTER_S


def remaining(reply: Reply, posted: int) -> Reply | None:
    """`reply` with its first `posted` clip files left out (they are on the platform already); None when
    every file is out."""
    clip = reply.clip
    if clip is None:
        return None
    files = [clip.path, *clip.extra_paths]
    if posted >= len(files):
        return None
    if posted == 0:
        return reply
    rest = replace(clip, path=files[posted], extra_paths=files[posted + 1 :])
    return replace(reply, clip=rest)


class Posting:
    """The fair rule over the outbox (see the module docstring). Built by Delivery."""

    def __init__(self, svc: Services, outbox: Outbox, delivery: Delivery) -> None:
        self.svc = svc
        self.outbox = outbox
        self.delivery = delivery
        self.retry_delays_s = RETRY_DELAYS_S
        self.max_retry_after_s = MAX_RETRY_AFTER_S
        self._busy: set[str] = set()  # jobs being posted right now
        self._timers: dict[str, asyncio.Task[None]] = {}  # job id -> its scheduled retry

    # -- what channels report ------------------------------------------------------------------

    async def clip_posted(self, job_id: str, post: PostRef) -> None:
        """A clip post is out: recorded (replies and reactions find it; it is never posted again), and
        the first one captures the hold (the member has the clip)."""
        await self.svc.state.record_post(post.platform, post.chat, post.message, job_id, "clip")
        await self.capture(job_id)

    # -- posting ---------------------------------------------------------------------------------

    async def post(self, sub: Subscriber, job: Job, reply: Reply | None = None) -> str:
        """Post `job`'s clip (the files not out yet) through `sub`, under the rule. Returns posted,
        retrying, given_up or busy (another post of it is under way). Never raises."""
        from bot.delivery import clip_reply

        platform = _platform(job)
        if job.id in self._busy:
            return BUSY
        self._busy.add(job.id)
        try:
            row = await self.outbox.get(job.id, platform)
            if row is not None and row.state in SETTLED:
                return row.state
            out = remaining(
                reply or clip_reply(job, tip_credits=self.svc.settings.tip_credits),
                len(await self.delivery.posts_on(job.id, platform)),
            )
            if out is None:  # every file is out already (recorded before a crash)
                await self.delivered(job, platform)
                return POSTED
            if out.clip is None or not out.clip.path.exists():
                return await self.give_up(sub, job, "clip_missing")
            status = await self.delivery.status_post(job.id, platform)
            anchor = sub.checker.anchor(job.origin) if sub.checker is not None else None
            await self.outbox.posting(job.id, platform, anchor)
            try:
                await sub.fn(Notice("done", out, job.id, job.origin, status))
            except DeliveryFailed as exc:
                return await self._failed(sub, job, exc)
            except Exception:
                log.exception("posting the clip of job %s failed on %s", job.id, platform)
                return await self._failed(sub, job, DeliveryFailed("error"))
            await self.delivered(job, platform)
            return POSTED
        finally:
            self._busy.discard(job.id)

    async def resume(self, sub: Subscriber, job: Job, row: DeliveryRow | None) -> str:
        """Carry on with a delivery: an attempt whose outcome is unknown is reconciled first (found,
        given up when the platform cannot tell, retrying when it cannot be asked now), then whatever is
        not on the platform is posted. Returns what `post` returns, or found."""
        if row is not None and row.state in SETTLED:
            return row.state
        if row is not None and row.state == POSTING:
            outcome = await self._reconcile(sub, job, row)
            if outcome is not None:
                return outcome
        return await self.post(sub, job)

    async def _reconcile(self, sub: Subscriber, job: Job, row: DeliveryRow) -> str | None:
        """None: nothing of the interrupted attempt is on the platform (or only part of it): post."""
        from bot.delivery import clip_reply

        platform = _platform(job)
        status = await self.delivery.status_post(job.id, platform)
        out = remaining(
            clip_reply(job, tip_credits=self.svc.settings.tip_credits),
            len(await self.delivery.posts_on(job.id, platform)),
        )
        if out is None:  # recorded before the crash: nothing to ask
            if status is not None and sub.checker is not None:
                await _quietly(sub.checker.clear_status(status))
            await self.delivered(job, platform)
            return FOUND
        if sub.checker is None:
            return await self.give_up(sub, job, "outcome_unknown", key="clip_maybe_posted")
        try:
            found = await sub.checker.find_posted(Notice("done", out, job.id, job.origin, status), row.anchor)
        except Exception as exc:
            return await self._failed(
                sub, job, DeliveryFailed(f"reconcile:{type(exc).__name__}", uncertain=True)
            )
        if found is None:
            return await self.give_up(sub, job, "outcome_unknown", key="clip_maybe_posted")
        for post in found:
            await self.clip_posted(job.id, post)
        if not found:
            return None
        log.info(
            "job %s: the platform had taken %d post(s) of the interrupted upload; not posted again",
            job.id,
            len(found),
        )
        if remaining(out, len(found)) is not None:
            return None  # part of it is out: post the rest
        if status is not None:
            await _quietly(sub.checker.clear_status(status))
        await self.delivered(job, platform)
        return FOUND

    async def _failed(self, sub: Subscriber, job: Job, exc: DeliveryFailed) -> str:
        platform = _platform(job)
        row = await self.outbox.get(job.id, platform)
        attempts = row.attempts if row is not None else 1
        too_long = (exc.retry_after or 0.0) > self.max_retry_after_s
        if exc.permanent or too_long or attempts > len(self.retry_delays_s):
            why = "retry_after_too_long" if too_long else exc.reason
            log.warning(
                "job %s: giving up posting on %s after %d attempt(s) (%s)", job.id, platform, attempts, why
            )
            return await self.give_up(sub, job, why)
        delay = max(self.retry_delays_s[attempts - 1], exc.retry_after or 0.0)
        await self.outbox.retry_at(job.id, platform, time.time() + delay, exc.reason, uncertain=exc.uncertain)
        log.info(
            "job %s: post on %s failed (%s); attempt %d in %.0f s",
            job.id,
            platform,
            exc.reason,
            attempts + 1,
            delay,
        )
        self._later(job.id, delay)
        return RETRYING

    async def give_up(
        self, sub: Subscriber | None, job: Job, reason: str, *, key: str = "clip_undeliverable"
    ) -> str:
        """Stop trying: refund what is still held and tell the member (best effort)."""
        platform = _platform(job)
        await self.outbox.settle(job.id, platform, GIVEN_UP, reason)
        refunded = 0
        try:
            refunded = await self.svc.ledger.refund(job.id, "undelivered")
        except HoldClosed:  # captured: part of it reached the chat
            key = "clip_partly_posted"
        except NotFound:
            pass
        await self.delivery.owed_settled(job.id)
        if sub is None:
            return GIVEN_UP
        reply = Reply(key, {"refunded": refunded}, kind=FAILED, job_id=job.id, price=job.price)
        status = await self.delivery.status_post(job.id, platform)
        try:
            await sub.fn(Notice("failed", reply, job.id, job.origin, status))
        except Exception as exc:
            log.warning("job %s: could not tell its member that delivery was given up: %s", job.id, exc)
        return GIVEN_UP

    async def delivered(self, job: Job, platform: str) -> None:
        await self.outbox.settle(job.id, platform, POSTED)
        await self.capture(job.id)
        await self.delivery.owed_settled(job.id)

    async def capture(self, job_id: str) -> None:
        try:
            await self.svc.ledger.capture(job_id)
        except NotFound:  # a job queued without a hold (tools, tests)
            pass
        except BillingError:  # settled already (an admin refund, or given up): the member keeps the clip
            log.info("job %s: its hold was settled already; not captured", job_id)

    # -- retries ---------------------------------------------------------------------------------

    def _later(self, job_id: str, delay: float) -> None:
        old = self._timers.pop(job_id, None)
        if old is not None:
            old.cancel()
        task = asyncio.create_task(self._retry(job_id, delay), name=f"reelbot-repost-{job_id}")
        self._timers[job_id] = task

    async def _retry(self, job_id: str, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
        finally:
            if self._timers.get(job_id) is asyncio.current_task():
                del self._timers[job_id]
        try:
            await self._resume_id(job_id)
        except Exception:
            log.exception("retrying the post of job %s failed", job_id)

    async def _resume_id(self, job_id: str) -> str | None:
        job = await self.svc.jobs.get(job_id)
        if job is None or job.state != DONE or job.deleted:
            return None
        sub = self.delivery.subscriber(_platform(job))
        if sub is None:
            return None
        return await self.resume(sub, job, await self.outbox.get(job.id, _platform(job)))

    async def redeliver(self, max_age_s: float = DELIVERY_WINDOW_S, min_age_s: float = 0.0) -> int:
        """Carry on with every clip finished in the last `max_age_s` (and at least `min_age_s` ago) whose
        channel does not have it yet: those of a process that stopped, those whose retry is due. Returns
        how many this call posted (clips found on the platform and deliveries given up are logged apart)."""
        now = time.time()
        outcomes: dict[str, int] = {}
        for job in await self.svc.jobs.in_states(DONE, finished_after=now - max_age_s):
            finished = job.finished_at or 0
            if finished > now - min_age_s or job.deleted or job.id in self._busy or job.id in self._timers:
                continue
            platform = _platform(job)
            sub = self.delivery.subscriber(platform)
            if sub is None:
                continue
            row = await self.outbox.get(job.id, platform)
            if row is not None and (row.state in SETTLED or row.next_at > now):
                continue
            if row is None and await self.svc.state.delivered(job.id, platform):
                continue  # posted by a version that kept no delivery rows
            outcome = await self.resume(sub, job, row)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcomes.get(FOUND) or outcomes.get(GIVEN_UP) or outcomes.get(RETRYING):
            log.info("redelivery: %s", ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items())))
        return outcomes.get(POSTED, 0)

    async def keep_delivering(self, every_s: float = DUE_EVERY_S) -> None:
        """Run until cancelled: every `every_s`, carry on with deliveries that are due (a retry whose
        timer was lost, a clip whose first post never started)."""
        while True:
            await asyncio.sleep(every_s)
            try:
                count = await self.redeliver(min_age_s=every_s)
                if count:
                    log.info("posted %d clip(s) whose earlier post had failed", count)
            except Exception:
                log.exception("redelivery failed")

    async def settle_done(self, job: Job) -> bool:
        """At start-up, the hold of a finished job: captured when its clip is out (or it has nowhere to
        go), refunded when its delivery was given up or is older than the window. False: left open for
        its delivery."""
        platform = _platform(job)
        row = await self.outbox.get(job.id, platform)
        if (row is not None and row.state == POSTED) or await self.svc.state.delivered(job.id, platform):
            await self.capture(job.id)
            return True
        if row is not None and row.state == GIVEN_UP:
            await self.svc.ledger.refund(job.id, "undelivered")
            return True
        if self.delivery.subscriber(platform) is None:
            await self.capture(job.id)
            return True
        if (job.finished_at or 0) < time.time() - DELIVERY_WINDOW_S:
            await self.give_up(None, job, "window_passed")
            return True
        return False

    async def close(self) -> None:
        for task in list(self._timers.values()):
            task.cancel()
        self._timers.clear()


def _platform(job: Job) -> str:
    return str(job.origin.get("platform", ""))


async def _quietly(call: Any) -> None:
    try:
        await call
    except Exception as exc:
        log.info("tidying a status post failed: %s", exc)
