"""The web API's feed side: the Explore feed and a clip's page, reactions, the clip files themselves
(served with range requests, so the video is seekable), and the member's own jobs with cancel.

What may be seen is the feed read model's decision (bot/feed.py), asked before anything is served; a
clip that is not visible to the asker is answered exactly like one that does not exist.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from bot.adapters.web_adapter import media_urls
from bot.adapters.web_api import ApiError, lang_of, member_of, ok, validated
from bot.adapters.web_models import (
    JOB_ID,
    CancelResult,
    ClipMedia,
    ClipRefOut,
    FeedItemOut,
    FeedPageOut,
    FeedParams,
    JobList,
    JobOut,
    ReactionIn,
    ReactionsOut,
    ReplyOut,
)
from bot.feed import BadCursor, ClipRef, FeedItem, FeedQuery
from bot.messages import render
from bot.replies import CANCELLED
from bot.request import Request
from engine.jobs import QUEUED, RUNNING

if TYPE_CHECKING:
    from bot.adapters.web_adapter import WebAdapter

_JOB = re.compile(JOB_ID)
_MEDIA_NAME = re.compile(r"(?P<index>\d{1,2})\.(?P<ext>mp4|jpg)")
STATIC = Path(__file__).with_name("static")


class FeedApi:
    """Handlers of the feed-side operations (named by their op_id in web_operations.OPERATIONS), the clip
    files and the page."""

    def __init__(self, adapter: WebAdapter) -> None:
        self.adapter = adapter
        self.core = adapter.core

    # -- the feed ------------------------------------------------------------------------------

    def _ref(self, ref: ClipRef | None) -> ClipRefOut | None:
        if ref is None:
            return None
        return ClipRefOut(
            job_id=ref.job_id,
            action=ref.action,
            author=ref.author,
            platform=ref.platform,
            prompt=ref.prompt,
            visible=ref.visible,
            page=f"/clip/{ref.job_id}" if ref.visible else None,
        )

    def item(self, item: FeedItem) -> FeedItemOut:
        media = media_urls(item.job_id, item.files, item.posters > 0, item.width, item.height, item.seconds)
        return FeedItemOut(
            job_id=item.job_id,
            author=item.author,
            author_id=item.author_id,
            platform=item.platform,
            action=item.action,
            prompt=item.prompt,
            settings=item.settings,
            credits=item.credits,
            created_at=item.created_at,
            finished_at=item.finished_at,
            public=item.public,
            mine=item.mine,
            media=ClipMedia.model_validate(media),
            parent=self._ref(item.parent),
            remixes=[r for r in map(self._ref, item.remixes) if r],
            remix_count=item.remix_count,
            reactions=item.reactions,
        )

    async def feed(self, request: web.Request) -> web.Response:
        params: FeedParams = validated(FeedParams, dict(request.query))
        viewer = await self.adapter.viewer(member_of(request))
        try:
            page = await self.core.explore.page(
                FeedQuery(
                    filter=params.filter,
                    viewer=viewer,
                    author=params.author,
                    platform=params.platform,
                    cursor=params.cursor,
                    limit=params.limit,
                )
            )
        except BadCursor:
            raise ApiError("web_bad_request", 400, detail="cursor: not one this feed handed out") from None
        return ok(FeedPageOut(items=[self.item(i) for i in page.items], next_cursor=page.next_cursor))

    async def _visible(self, request: web.Request) -> tuple[str, FeedItem]:
        job_id = request.match_info["job_id"]
        viewer = await self.adapter.viewer(member_of(request))
        item = await self.core.explore.get(job_id, viewer) if _JOB.fullmatch(job_id) else None
        if item is None:
            raise ApiError("clip_gone", 404)
        return job_id, item

    async def clip(self, request: web.Request) -> web.Response:
        _, item = await self._visible(request)
        return ok(self.item(item))

    async def react(self, request: web.Request) -> web.Response:
        job_id, _ = await self._visible(request)
        try:
            raw = await request.json()
        except ValueError:
            raise ApiError("web_bad_request", 400, detail="the body is not JSON") from None
        body: ReactionIn = validated(ReactionIn, raw)
        await self.core.explore.record_reaction(job_id, member_of(request).user, body.emoji)
        item = await self.core.explore.get(job_id, await self.adapter.viewer(member_of(request)))
        return ok(ReactionsOut(job_id=job_id, reactions=item.reactions if item else {}))

    # -- files and the page ----------------------------------------------------------------------

    async def media(self, request: web.Request) -> web.StreamResponse:
        """A clip's video (index.mp4) or poster (index.jpg), when the asker may see the clip."""
        job_id, name = request.match_info["job_id"], request.match_info["name"]
        m = _MEDIA_NAME.fullmatch(name)
        if not _JOB.fullmatch(job_id) or m is None:
            raise ApiError("clip_gone", 404)
        result = await self.core.explore.result(job_id, await self.adapter.viewer(member_of(request)))
        files = (result or {}).get("paths" if m["ext"] == "mp4" else "posters") or []
        index = int(m["index"])
        if index >= len(files) or not Path(files[index]).is_file():
            raise ApiError("clip_gone", 404)
        return web.FileResponse(Path(files[index]), headers={"Cache-Control": "private, max-age=3600"})

    async def page(self, request: web.Request) -> web.StreamResponse:
        """The page (the chat, the feed, a clip's page at /clip/<id>: one document, the script shows which)."""
        return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    # -- the member's jobs -----------------------------------------------------------------------

    async def jobs(self, request: web.Request) -> web.Response:
        member = member_of(request)
        out = []
        for job in await self.core.jobs.of_owner(member.user, limit=50):
            live = self.core.queue.get(job.id) or job
            media = (
                self.adapter.media(job.id, job.result) if job.state == "done" and not job.deleted else None
            )
            position = self.core.queue.position(job.id) if job.state == QUEUED else None
            out.append(
                JobOut(
                    job_id=job.id,
                    action=job.action,
                    prompt=Request.from_dict(job.request).prompt,
                    state=live.state,
                    progress=1.0 if job.state == "done" else float(live.progress or 0),
                    price=job.price,
                    position=position + 1 if position is not None else None,
                    created_at=job.created_at,
                    finished_at=job.finished_at,
                    error=job.error,
                    parent=job.parent,
                    public=job.public,
                    media=ClipMedia.model_validate(media) if media else None,
                )
            )
        return ok(JobList(jobs=out))

    async def cancel(self, request: web.Request) -> web.Response:
        """Cancel one of the member's queued or running jobs. Someone else's job is 404 (as if unknown)."""
        member = member_of(request)
        job_id = request.match_info["job_id"]
        job = await self.core.jobs.get(job_id) if _JOB.fullmatch(job_id) else None
        if job is None or (job.owner != member.user and not self.core.svc.is_admin(member.user)):
            raise ApiError("not_found", 404)
        if job.state not in (QUEUED, RUNNING):
            raise ApiError("nothing_to_cancel", 409)
        ctx, _ = self.adapter.context(member, lang=lang_of(request))
        reply = await self.core.cancel(ctx, job_id)
        if reply.kind != CANCELLED and reply.key != "cancelling":
            raise ApiError(reply.key, 409, **reply.params)
        return ok(
            CancelResult(
                text=render(reply, ctx.lang),
                reply=ReplyOut.model_validate(self.adapter.reply_json(reply, ctx.lang)),
            )
        )
