"""Making clips: a Request and its inputs -> moderation, the plan and the price, an offer or a confirm when
it does not fit or costs more than the member lets start unasked, then the hold and the queued job.

Decisions that need no I/O live in bot/offers.py; this module loads, decides and writes, and answers with
Reply data. The hold and the enqueue are one step (`hold_and_enqueue`).
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import sqlite3
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import replace
from pathlib import Path
from typing import Any

from billing.errors import BillingError, InsufficientCredits, PlanLimit
from billing.plans import Plan, check
from bot.errors import BotError, ClipGone, MissingInput, RateLimited, TooManyQueued, error_reply
from bot.limits import MovingWindow, whole_seconds
from bot.moderation.actions import screen_request
from bot.offers import closest_fit, shape_edit
from bot.outbox import RequestTaken, tx_take_request
from bot.replies import CONFIRM, ERROR, INFO, OFFER, QUEUED, Button, Context, Reply, nested
from bot.request import Request
from bot.services import Services
from engine.jobs import DONE, Job, new_job_id
from engine.spec import EngineJob
from reel.contract import EDIT_ACTIONS, FPS, MAX_SECONDS, VARIATIONS

log = logging.getLogger(__name__)

#: a member may send this many generation requests per window before being asked to wait
REQUESTS_PER_MINUTE = 12
RATE_WINDOW_S = 60.0
#: jobs one account may have waiting at once
MAX_QUEUED_PER_ACCOUNT = 10
#: generation requests one chat (all its members) may send per window
CHAT_REQUESTS_PER_MINUTE = 30
#: jobs one chat may have waiting at once (a busy group cannot take the whole queue)
MAX_QUEUED_PER_CHAT = 30


def summary_of(req: Request) -> dict[str, Any]:
    """The nested message that sums a request up ('5 s · 480p · 16:9')."""
    return nested(
        "summary",
        seconds=req.seconds,
        resolution=req.resolution,
        aspect=req.aspect,
        variations=req.variations,
        mode=req.mode,
    )


def tx_hold_and_add(conn: sqlite3.Connection, svc: Services, user: str, job: Job) -> None:
    """The unit of work of a submit (a transaction body): the credit hold and the job row commit together
    or not at all, so no hold can exist without its job; with them, the member's message is marked taken
    (a platform that delivers it again gets RequestTaken, and nothing is held twice)."""
    request = job.origin.get("request")
    if request:
        tx_take_request(conn, str(request), job.id)
    svc.ledger.tx_hold(conn, user, job.id, job.price)
    svc.jobs.tx_add(conn, job)


async def hold_and_enqueue(svc: Services, user: str, job: Job) -> None:
    """Hold the job's price on `user`'s wallet and write the job row in ONE transaction, then admit the
    job to the queue. QueueFull is raised before anything is written, so there is nothing to refund; a
    crash inside the transaction leaves neither the hold nor the job."""
    await svc.queue.enqueue_with(job, lambda: svc.db.transaction(tx_hold_and_add, svc, user, job))


class Generation:
    """The generation use cases (see the module docstring). `before_submit(job)` runs before the job can
    emit anything (the delivery barrier, the owed answer); `after_failed_submit(job_id)` undoes it."""

    def __init__(
        self,
        svc: Services,
        before_submit: Callable[[Job], Awaitable[None]],
        after_failed_submit: Callable[[str], Awaitable[None]],
    ) -> None:
        self.svc = svc
        self.limiter = MovingWindow(REQUESTS_PER_MINUTE, RATE_WINDOW_S)
        self.chat_limiter = MovingWindow(CHAT_REQUESTS_PER_MINUTE, RATE_WINDOW_S)
        self._by_key: dict[tuple[str, Hashable], set[str]] | None = None  # live job ids per account / chat
        self._before_submit = before_submit
        self._after_failed_submit = after_failed_submit

    async def request(self, ctx: Context, req: Request, *, confirmed: bool = False) -> Reply:
        """Carry out a generative `req` for `ctx.user`. A confirmed request (a tap on our own confirm or
        offer) was counted by the rate limit when it was asked. Raises the bot's and billing's errors."""
        if not confirmed:
            chat = _chat_of(ctx) if _chat_of(ctx)[1] else None  # a tool or the CLI asks from no chat
            # the chat's wait first (nothing counted), so a refused request costs the member nothing
            wait = (self.chat_limiter.wait_s(chat) if chat else 0.0) or self.limiter.hit(ctx.user)
            if wait:
                raise RateLimited(whole_seconds(wait))
            if chat:
                self.chat_limiter.hit(chat)
        images, videos, parent = await self.inputs(ctx, req)
        await screen_request(self.svc, ctx, req, images, videos, parent=parent)  # Banned, Moderated
        req = shape_edit(req, Request.from_dict(parent.request) if parent else None)
        bal = await self.svc.ledger.balance(ctx.user)
        plan = self.svc.plans.get(bal.plan)
        self._check_queue_caps(ctx, str(bal.account))
        try:
            check(
                plan, resolution=req.resolution, seconds=req.seconds, variations=req.variations, mode=req.mode
            )
            price = self.svc.price(req, plan)
            if price > bal.available:
                raise InsufficientCredits(price, bal.available)
        except (PlanLimit, InsufficientCredits) as exc:
            return await self.offer(ctx, req, plan, bal.available, exc)
        # the member's own limit came with the balance read above; None means the operator's default
        limit = self.svc.settings.auto_approve_credits if bal.auto_approve is None else bal.auto_approve
        # text mostly about the bot itself (the parser says so) never starts a job without a tap
        about_bot = bool(getattr(req, "about_bot", False))
        if not confirmed and (price > limit or about_bot):
            token = await self.svc.state.add_pending(ctx.user, req.to_storage(), ctx.to_dict(), price)
            return Reply(
                "confirm_about_bot" if about_bot else "confirm_spend",
                {"available": bal.available, "prompt": req.prompt, "summary": summary_of(req)},
                kind=CONFIRM,
                price=price,
                balance_after=bal.available - price,
                buttons=[[Button("confirm", token, price), Button("dismiss", token)]],
            )
        return await self.submit(
            ctx, req, plan, price, str(bal.account), bal.available, images, videos, parent
        )

    def _check_queue_caps(self, ctx: Context, account: str) -> None:
        """Raise TooManyQueued (with the real wait until one of those jobs is done) when the account, or
        the chat it asks in, has its most jobs waiting."""
        mine = self._live("account", account)
        if len(mine) >= MAX_QUEUED_PER_ACCOUNT:
            raise TooManyQueued(limit=MAX_QUEUED_PER_ACCOUNT, wait=_soonest(self.svc, mine))
        chat = _chat_of(ctx)
        here = self._live("chat", chat) if chat[1] else []
        if len(here) >= MAX_QUEUED_PER_CHAT:
            raise TooManyQueued("queue_chat_full", limit=MAX_QUEUED_PER_CHAT, wait=_soonest(self.svc, here))

    def _live(self, kind: str, key: Hashable) -> list[Job]:
        """The live jobs of an account or a chat. Kept per key (what this process queued, plus what it
        found queued at start), pruned as jobs end, so a check costs the key's own jobs, not the queue's."""
        if self._by_key is None:
            self._by_key = {}
            for job in self.svc.queue.live():
                self._remember(job)
        ids = self._by_key.get((kind, key), set())
        live = [j for j in (self.svc.queue.get(i) for i in list(ids)) if j is not None]
        if len(live) != len(ids):
            self._by_key[(kind, key)] = {j.id for j in live}
        return live

    def _remember(self, job: Job) -> None:
        if self._by_key is None:
            return
        self._by_key.setdefault(("account", job.account), set()).add(job.id)
        chat = _chat_of_origin(job.origin)
        if chat[1]:
            self._by_key.setdefault(("chat", chat), set()).add(job.id)

    async def submit(
        self,
        ctx: Context,
        req: Request,
        plan: Plan,
        price: int,
        account: str,
        available: int,
        images: list[Path],
        videos: list[Path],
        parent: Job | None,
    ) -> Reply:
        """Hold `price` and queue the job; answers `queued` with its place and expected wait."""
        if req.seed is None:
            req = replace(req, seed=random.randrange(2**31))
        job = self._job(ctx, req, plan, price, account, images, videos, parent)
        await self._before_submit(job)
        try:
            await hold_and_enqueue(self.svc, ctx.user, job)
        except RequestTaken as taken:  # the same message again: its first job is the answer
            await asyncio.shield(self._after_failed_submit(job.id))
            log.info(
                "message %s of %s came again; it is job %s", job.origin.get("request"), ctx.user, taken.job_id
            )
            return Reply("already_taken", kind=INFO, job_id=taken.job_id, ephemeral=True)
        except BaseException:
            await asyncio.shield(self._after_failed_submit(job.id))
            raise
        self._remember(job)
        position = (self.svc.queue.position(job.id) or 0) + 1
        return Reply(
            "queued_free" if price == 0 else "queued",
            {"summary": summary_of(req), "action": req.action},
            kind=QUEUED,
            job_id=job.id,
            parent_job=job.parent,
            price=price,
            balance_after=available - price,
            position=position,
            eta_s=self.svc.queue.eta(job.id),
            buttons=[[Button("cancel", job.id)]],
        )

    def _job(
        self,
        ctx: Context,
        req: Request,
        plan: Plan,
        price: int,
        account: str,
        images: list[Path],
        videos: list[Path],
        parent: Job | None,
    ) -> Job:
        job_id = new_job_id()
        width, height = req.size
        spec = EngineJob(
            job_id=job_id,
            action=req.action,
            prompt=req.prompt,
            width=width,
            height=height,
            seconds=req.seconds,
            fps=FPS,
            seed=req.seed,
            variations=req.variations,
            negative=req.negative,
            watermark=plan.watermark,
            loop=req.loop or req.action == "loop",
            cards=[c.to_dict() for c in req.cards],
            images=list(images),
            videos=list(videos),
            trim_start=req.trim_start,
            trim_end=req.trim_end,
            extend=req.extend,
            strength=req.strength,
            out_dir=self.svc.settings.clips_dir,
            metadata={"generator": "Reelbot", "job_id": job_id},
            max_bytes=ctx.max_upload_bytes,
            audio=req.audio,
        ).to_dict()
        origin = dict(ctx.origin)
        origin.update(lang=ctx.lang, author=ctx.display_name or ctx.user)
        return Job(
            id=job_id,
            owner=ctx.user,
            account=account,
            action=req.action,
            request=req.to_storage(),
            spec=spec,
            price=price,
            lane="relaxed" if req.mode == "relaxed" else "fast",
            max_running=plan.max_concurrent,
            origin=origin,
            parent=parent.id if parent else None,
            # a clip made in a private chat (a DM, an ephemeral reply) stays out of the feed until shared
            public=not origin.get("private"),
        )

    async def inputs(self, ctx: Context, req: Request) -> tuple[list[Path], list[Path], Job | None]:
        """The files an action works on: attachments, or the clip replied to. Raises ClipGone or
        MissingInput."""
        parent: Job | None = None
        if ctx.reply_to_job:
            parent = await self.svc.jobs.get(ctx.reply_to_job)
            if parent is None or parent.state != DONE or not parent.result:
                raise ClipGone()
            if not Path(parent.result["path"]).exists():
                raise ClipGone()
        parent_video = [Path(parent.result["path"])] if parent and parent.result else []
        if req.action == "animate":
            if not ctx.images:
                raise MissingInput("needs_image")
            return ctx.images[:1], [], None
        if req.action in EDIT_ACTIONS:
            videos = parent_video or ctx.videos[:1]
            if not videos:
                raise MissingInput("needs_clip")
            return [], videos, parent
        if req.action == "blend":
            videos = (parent_video + ctx.videos)[:2]
            if len(videos) < 2:
                raise MissingInput("needs_two_videos")
            return [], videos, parent
        return ctx.images[:1], [], None

    async def offer(self, ctx: Context, req: Request, plan: Plan, available: int, exc: BillingError) -> Reply:
        """The request does not fit: say why and offer the closest one that does, as one tap."""
        why = error_reply(exc)
        reason = nested(why.key, **why.params)
        alt = closest_fit(req, plan, available, lambda r: self.svc.price(r, plan))
        if alt is None:
            return Reply("no_alternative", {"reason": reason}, kind=ERROR)
        alt_req, alt_price = alt
        token = await self.svc.state.add_pending(ctx.user, alt_req.to_storage(), ctx.to_dict(), alt_price)
        return Reply(
            "offer_alternative",
            {"reason": reason, "summary": summary_of(alt_req)},
            kind=OFFER,
            price=alt_price,
            balance_after=available - alt_price,
            buttons=[[Button("accept", token, alt_price), Button("dismiss", token)]],
            payload={"request": alt_req.to_dict()},
        )


def _chat_of_origin(origin: dict[str, Any]) -> tuple[str, str]:
    return str(origin.get("platform", "")), str(origin.get("chat_id", origin.get("chat", "")))


def _chat_of(ctx: Context) -> tuple[str, str]:
    return _chat_of_origin(ctx.origin)


def _soonest(svc: Services, jobs: list[Job]) -> dict[str, Any]:
    """The wait until the first of `jobs` is likely done, as the nested words of the message table."""
    etas = [e for e in (svc.queue.eta(j.id) for j in jobs) if e is not None]
    seconds = max(1, math.ceil(min(etas))) if etas else 60
    if seconds < 90:
        return nested("eta_seconds", n=seconds)
    return nested("eta_minutes", n=math.ceil(seconds / 60))


def request_from_options(ctx: Context, action: str, args: dict[str, Any]) -> Request:
    """Typed slash-command options -> Request. The prompt text is parsed too, so words like `10s` inside
    it still count; explicit options win over words. Raises ParseError or BotError (bad values)."""
    from bot.parse import parse

    prompt = str(args.get("prompt") or args.get("cards") or args.get("range") or "").strip()
    head = {"storyboard": "storyboard: ", "recut": "recut "}.get(action, "")
    req = (
        parse(
            head + prompt, images=len(ctx.images), videos=len(ctx.videos), reply=ctx.reply_to_job is not None
        )
        if prompt
        else Request()
    )
    req = replace(req, action=action)
    for key in ("seconds", "seed"):
        if args.get(key) is not None:
            setattr(req, key, int(args[key]))
    for key in ("resolution", "aspect", "mode"):
        if args.get(key):
            setattr(req, key, str(args[key]))
    if args.get("variations"):
        req.variations = int(args["variations"])
    if args.get("negative"):
        req.negative = str(args["negative"])
    if not (1 <= req.seconds <= MAX_SECONDS):
        raise BotError("parse_bad_seconds")
    if req.variations not in VARIATIONS:
        raise BotError("parse_bad_variations")
    if action == "loop":
        req.loop = True
    if action == "create" and not req.prompt:
        raise BotError("parse_empty")
    return req
