"""What members do with jobs and finished clips: cancel a job, tap a clip's buttons or react to it (loop,
extend, variation, remix, delete, report, tip its author), and look at the feed and their queue.

Edits made from a tap go through bot/generation.py like any request. Answers with Reply data.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from billing.errors import TransferSelf
from bot.errors import ButtonInvalid, ClipGone, NothingToCancel, NotOwner, TipRefused
from bot.generation import Generation, summary_of
from bot.limits import RepeatGuard
from bot.moderation.actions import report
from bot.replies import ASK_PROMPT, CANCELLED, DELETED, Context, Reply
from bot.request import Request
from bot.services import Services
from engine.jobs import DONE, QUEUED, RUNNING, Job
from reel.contract import EDIT_ACTIONS

log = logging.getLogger(__name__)
#: clip actions a repeated tap must not run twice
_ONCE = frozenset({"loop", "extend", "variation"})
#: the short verbs old buttons carry, and the long ones
_VERB_ALIASES = {"var": "variation", "del": "delete"}


class Clips:
    """Job and clip use cases (see the module docstring)."""

    def __init__(self, svc: Services, generation: Generation) -> None:
        self.svc = svc
        self.generation = generation
        self._taps = RepeatGuard(window_s=5.0)

    async def action(self, ctx: Context, verb: str, job_id: str) -> Reply:
        """remix | loop | extend | variation | delete | report | tip | cancel on job `job_id`, by `ctx.user`
        (who pays for what it makes). Raises ButtonInvalid, ClipGone, NotOwner, TipRefused and
        generation's and the ledger's errors."""
        verb = _VERB_ALIASES.get(verb, verb)
        job = await self.svc.jobs.get(job_id)
        if job is None:
            raise ButtonInvalid()
        if verb == "cancel":
            return await self.cancel(ctx, job_id)
        if verb == "share":
            return await self.share(ctx, job_id)
        if job.state != DONE or not job.result:
            raise ClipGone(ephemeral=True)
        if verb in _ONCE and self._taps.repeated((ctx.user, verb, job_id)):
            return Reply("already_on_it", ephemeral=True)
        parent = Request.from_dict(job.request)
        ctx = replace(ctx, reply_to_job=job_id, images=[], videos=[])
        if verb == "delete":
            return await self._delete(ctx, job)
        if verb == "report":
            return await report(self.svc, ctx, job)
        if verb == "tip":
            return await self._tip(ctx, job)
        if verb == "remix":
            return Reply("ask_remix_prompt", kind=ASK_PROMPT, job_id=job_id)
        if verb == "loop":
            return await self.generation.request(
                ctx, replace(parent, action="loop", loop=True, seed=None, variations=1)
            )
        if verb == "extend":
            return await self.generation.request(
                ctx,
                replace(
                    parent,
                    action="recut",
                    extend=True,
                    seconds=5,
                    variations=1,
                    trim_start=None,
                    trim_end=None,
                    seed=None,
                ),
            )
        if verb == "variation":
            ctx = replace(ctx, reply_to_job=job.parent if parent.action in EDIT_ACTIONS else None)
            return await self.generation.request(ctx, replace(parent, seed=None, variations=1))
        raise ButtonInvalid()

    async def cancel(self, ctx: Context, job_id: str | None = None) -> Reply:
        """Cancel the member's job `job_id`, or their newest active one."""
        if job_id is None:
            active = await self.svc.jobs.of_owner(ctx.user, QUEUED, RUNNING)
            if not active:
                return Reply("nothing_to_cancel", ephemeral=True)
            job_id = active[0].id
        job = await self.svc.jobs.get(job_id)
        if job is None or (job.owner != ctx.user and not self.svc.is_admin(ctx.user)):
            raise NothingToCancel()
        outcome = await self.svc.queue.cancel(job_id)
        if outcome == "cancelled":
            return Reply("cancelled", {"refunded": job.price}, kind=CANCELLED, job_id=job_id, price=job.price)
        if outcome == "cancelling":
            return Reply("cancelling", job_id=job_id)
        return Reply("nothing_to_cancel", ephemeral=True)

    async def share(self, ctx: Context, job_id: str | None = None) -> Reply:
        """Put the member's clip `job_id` (or their newest private one) in the community feed. Raises
        NotOwner (someone else's clip) and ClipGone (not finished, or deleted)."""
        if job_id is None:
            done = await self.svc.jobs.of_owner(ctx.user, DONE)
            private = [j for j in done if not j.public and not j.deleted]
            if not private:
                return Reply("share_nothing", ephemeral=True)
            job_id = private[0].id
        job = await self.svc.jobs.get(job_id)
        if job is None or job.state != DONE or job.deleted:
            raise ClipGone(ephemeral=True)
        if job.owner != ctx.user and not self.svc.is_admin(ctx.user):
            raise NotOwner()
        await self.svc.jobs.set_public(job.id, True)
        log.info("clip %s shared to the feed by %s", job.id, ctx.user)
        return Reply("shared", ephemeral=True, job_id=job.id)

    async def _delete(self, ctx: Context, job: Job) -> Reply:
        if job.owner != ctx.user and not self.svc.is_admin(ctx.user):
            raise NotOwner()
        await self.svc.jobs.set_public(job.id, False)
        result = job.result or {}
        for p in list(result.get("paths") or []) + list(result.get("posters") or []):
            Path(p).unlink(missing_ok=True)
        await self.svc.jobs.mark_deleted(job.id)
        return Reply("deleted", kind=DELETED, job_id=job.id)

    async def _tip(self, ctx: Context, job: Job) -> Reply:
        """Move the operator's tip from the tipper to the clip's author, once per tipper per clip (the
        idempotency key says so; a second tap or reaction moves nothing)."""
        credits = self.svc.settings.tip_credits
        if credits <= 0:
            raise TipRefused("tips_off")
        if job.owner == ctx.user:
            raise TipRefused("tip_self")
        author = str(job.origin.get("author") or job.owner)
        try:
            moved = await self.svc.ledger.transfer(ctx.user, job.owner, credits, f"tip:{job.id}:{ctx.user}")
        except TransferSelf:  # linked wallets: the credits would go nowhere
            raise TipRefused("tip_self") from None
        if not moved:
            return Reply("tip_already", {"author": author}, ephemeral=True, job_id=job.id)
        log.info("clip %s: %s tipped %s %d credits", job.id, ctx.user, job.owner, credits)
        bal = await self.svc.ledger.balance(ctx.user)
        return Reply(
            "tipped",
            {"author": author, "credits": credits},
            job_id=job.id,
            price=credits,
            balance_after=bal.available,
        )

    async def feed(self, ctx: Context, limit: int = 10) -> Reply:
        """The community's latest public clips."""
        jobs = await self.svc.jobs.recent_public(limit)
        if not jobs:
            return Reply("feed_empty")
        items = [
            {
                "job": j.id,
                "prompt": Request.from_dict(j.request).prompt,
                "author": j.origin.get("author", j.owner),
                "summary": summary_of(Request.from_dict(j.request)),
            }
            for j in jobs
        ]
        return Reply("feed", {"items": items}, payload={"jobs": [j.id for j in jobs]})

    async def queue_info(self, ctx: Context) -> Reply:
        """The member's jobs waiting or rendering, oldest first."""
        jobs = await self.svc.jobs.of_owner(ctx.user, QUEUED, RUNNING)
        if not jobs:
            return Reply("queue_empty", ephemeral=True)
        items = []
        for j in reversed(jobs):
            live = self.svc.queue.get(j.id) or j
            pos = self.svc.queue.position(j.id)
            items.append(
                {
                    "job": j.id,
                    "state": live.state,
                    "position": pos + 1 if pos is not None else None,
                    "progress": live.progress,
                    "summary": summary_of(Request.from_dict(j.request)),
                }
            )
        return Reply("queue", {"items": items}, ephemeral=True)
