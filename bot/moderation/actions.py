"""Moderation's use cases, called by the core's: screening a request (its words, then its input images and
clips) before anything is held, screening a finished clip before it is posted, 🚩 reports that hide a clip
until an admin decides, and the admins' ban, unban and review.

Every block is recorded for the admins (who, where, stage, categories) and logged without the prompt.
Answers with Reply data or raises the bot's errors; the image checks run off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from bot.errors import Banned, ClipGone, Moderated
from bot.moderation.moderator import PASS, Verdict, adult_channel
from bot.replies import Context, Reply
from bot.request import Request
from bot.services import Services
from engine.jobs import Job

log = logging.getLogger(__name__)


async def screen_request(
    svc: Services,
    ctx: Context,
    req: Request,
    images: list[Path],
    videos: list[Path],
    *,
    parent: Job | None = None,
) -> None:
    """Raise Banned for a banned member, Moderated (nothing held yet) when the request's words, its input
    images or its attached clips are refused in this chat. A clip the bot made itself (`parent`) was
    screened when it was posted and is not looked at again."""
    if svc.moderation.banned(ctx.user):
        raise Banned()
    adult = adult_channel(svc.settings, ctx.origin)
    verdict = svc.moderator.check_text(req.prompt, req.negative, *(c.prompt for c in req.cards), adult=adult)
    if not verdict.blocked and images:
        verdict = await asyncio.to_thread(svc.moderator.check_images, images, adult=adult)
    own = {Path(p) for p in ((parent.result or {}).get("paths") or [])} if parent else set()
    theirs = [v for v in videos if v not in own]
    if not verdict.blocked and theirs:
        verdict = await asyncio.to_thread(svc.moderator.check_clips, theirs, adult=adult)
        verdict = Verdict(verdict.blocked, verdict.reason, verdict.categories, "image")
    if verdict.blocked:
        await record(svc, ctx.user, ctx.origin, verdict)
        raise Moderated(verdict.reason or "custom")


async def screen_clip(svc: Services, job: Job) -> Verdict:
    """The verdict on a finished clip's sampled frames, in the chat it goes to (PASS without an image
    classifier). A block is recorded here; the caller refunds and tells the member."""
    if svc.moderator.image_classifier is None or not job.result:
        return PASS
    paths = [Path(p) for p in job.result.get("paths") or [job.result.get("path")] if p]
    verdict = await asyncio.to_thread(
        svc.moderator.check_clips, paths, adult=adult_channel(svc.settings, job.origin)
    )
    if verdict.blocked:
        await record(svc, job.owner, job.origin, verdict, job.id)
    return verdict


async def record(
    svc: Services, user: str, origin: dict[str, object], verdict: Verdict, job_id: str | None = None
) -> None:
    """A block, for the admins and the log: never the prompt."""
    log.warning(
        "moderation blocked %s's %s in %s:%s (%s)",
        user,
        verdict.stage,
        origin.get("platform"),
        origin.get("chat_id", origin.get("chat")),
        ",".join(verdict.categories),
    )
    await svc.moderation.log_block(user, dict(origin), verdict.stage, verdict.categories, job_id)


async def report(svc: Services, ctx: Context, job: Job) -> Reply:
    """A member's 🚩 on a clip (once per member); at the operator's threshold the clip leaves the feed
    until an admin decides (/review)."""
    if await svc.state.report(job.id, ctx.user):
        log.warning("clip %s reported by %s", job.id, ctx.user)
        count = await svc.moderation.reports_of(job.id)
        if count >= svc.settings.report_threshold and await svc.moderation.review(job.id) is None:
            await svc.moderation.hold_for_review(job.id, count)
            await svc.jobs.set_public(job.id, False)
            log.warning("clip %s hidden from the feed after %d reports; waiting for an admin", job.id, count)
    return Reply("reported", ephemeral=True, job_id=job.id)


async def ban(svc: Services, admin: str, user: str) -> Reply:
    await svc.moderation.ban(user, admin)
    log.warning("%s banned %s", admin, user)
    return Reply("banned_user", {"user": user})


async def unban(svc: Services, admin: str, user: str) -> Reply:
    await svc.moderation.unban(user)
    log.warning("%s unbanned %s", admin, user)
    return Reply("unbanned", {"user": user})


async def review(svc: Services, admin: str, job_id: str, decision: str) -> Reply:
    """An admin's decision on a reported clip: `keep` shows it again (reports no longer hide it),
    `remove` takes it out of the feed for good and deletes its files. Raises ClipGone."""
    job = await svc.jobs.get(job_id)
    if job is None or not job.result:
        raise ClipGone()
    if decision == "keep":
        await svc.moderation.decide(job_id, "kept", admin)
        if not job.deleted:
            await svc.jobs.set_public(job_id, True)
        return Reply("review_kept", {"job": job_id})
    await svc.moderation.decide(job_id, "removed", admin)
    await svc.jobs.set_public(job_id, False)
    for p in list(job.result.get("paths") or []) + list(job.result.get("posters") or []):
        Path(p).unlink(missing_ok=True)
    await svc.jobs.mark_deleted(job_id)
    return Reply("review_removed", {"job": job_id})
