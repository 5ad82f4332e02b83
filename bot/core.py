"""The conversation core: every use case a member can reach, once, platform-neutral.

Takes parsed Requests (or raw text) with a Context, decides prices, plans, holds and jobs, and returns
plain Reply data that adapters render. Job progress and results are pushed to adapters as Notices.
No platform library is imported here, and no adapter holds any of these rules.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import re
import sqlite3
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from billing.errors import BillingError, InsufficientCredits, LinkError, NotFound, PlanLimit
from billing.ledger import Ledger
from billing.plans import RESOLUTION_ORDER, Plan, PlanBook, check
from billing.prices import PriceTable, quote
from bot.messages import error_text, text
from bot.moderation import Moderator
from bot.parse import MAX_PROMPT_CHARS, ParseError, parse
from bot.request import FPS, GENERATIVE_ACTIONS, MAX_SECONDS, Request
from bot.settings import Settings
from bot.state import CoreState
from engine.jobs import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Job, JobStore, new_job_id
from engine.queue import JobEvent, JobQueue, QueueFull
from engine.spec import ClipEngine
from reel.db import Database

log = logging.getLogger(__name__)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
#: a member may send this many requests per minute before being asked to slow down
REQUESTS_PER_MINUTE = 12
#: jobs one account may have waiting at once
MAX_QUEUED_PER_ACCOUNT = 10
EDIT_ACTIONS = frozenset({"remix", "loop", "recut"})
#: the largest attachment worth downloading, per kind (the engine re-checks pixels and duration)
MAX_ATTACHMENT_BYTES = {"image": 10 * 2**20, "video": 100 * 2**20}


def detect_lang(sample: str | None, language_code: str | None = None) -> str:
    """'zh' when the text has Chinese characters or the platform says the member uses Chinese."""
    if sample and _CJK.search(sample) and not _KANA.search(sample):  # kana: Japanese, not Chinese
        return "zh"
    if language_code and language_code.lower().startswith("zh"):
        return "zh"
    return "en"


@dataclass
class Button:
    """A tap target. `data` is short (Telegram allows 64 bytes) and carries no trust: the core
    re-checks everything when it comes back."""

    label: str
    data: str


@dataclass
class ClipOut:
    """A finished clip for an adapter to upload."""

    job_id: str
    path: Path
    poster: Path | None
    width: int
    height: int
    seconds: float
    fps: int
    extra_paths: list[Path] = field(default_factory=list)


@dataclass
class Reply:
    """What the core answers. kind: info | error | confirm | offer | queued | started | progress | done |
    failed | cancelled | invoice. Adapters render `text`, `buttons` (rows), and `clip` if present."""

    text: str
    kind: str = "info"
    buttons: list[list[Button]] = field(default_factory=list)
    clip: ClipOut | None = None
    job_id: str | None = None
    ephemeral: bool = False
    charged: int = 0
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """Who asks, from where, with what attached. `origin` is adapter data (chat id, message ids...)
    stored with the job so results find their way back, also after a restart."""

    user: str
    lang: str = "en"
    display_name: str = ""
    origin: dict[str, Any] = field(default_factory=dict)
    images: list[Path] = field(default_factory=list)
    videos: list[Path] = field(default_factory=list)
    reply_to_job: str | None = None
    max_upload_bytes: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "user": self.user, "lang": self.lang, "display_name": self.display_name, "origin": self.origin,
            "images": [str(p) for p in self.images], "videos": [str(p) for p in self.videos],
            "reply_to_job": self.reply_to_job, "max_upload_bytes": self.max_upload_bytes,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Context:
        return cls(
            user=d["user"], lang=d.get("lang", "en"), display_name=d.get("display_name", ""),
            origin=d.get("origin") or {}, images=[Path(p) for p in d.get("images") or []],
            videos=[Path(p) for p in d.get("videos") or []], reply_to_job=d.get("reply_to_job"),
            max_upload_bytes=d.get("max_upload_bytes"),
        )


@dataclass
class Notice:
    """A job update pushed to the adapter of `origin['platform']`."""

    kind: str  # started | progress | done | failed | cancelled
    job: Job
    reply: Reply
    origin: dict[str, Any]
    fraction: float = 0.0


NoticeFn = Callable[[Notice], Awaitable[None]]


def summary(req: Request, lang: str) -> str:
    """'5 s · 480p · 16:9' plus variations and relaxed, for messages."""
    parts = [text("eta_seconds", lang, n=req.seconds), req.resolution, req.aspect]
    if req.variations > 1:
        parts.append(text("variations_word", lang, n=req.variations))
    if req.mode == "relaxed":
        parts.append(text("relaxed_word", lang))
    return " · ".join(parts)


def parse_error_reply(exc: ParseError, lang: str, raw: str) -> Reply:
    """The member-facing answer to text the parser refused."""
    params = dict(exc.params)
    params.setdefault("detail", str(exc))
    params.setdefault("length", len(raw))
    params.setdefault("limit", MAX_PROMPT_CHARS)
    return Reply(error_text(f"parse_{exc.code}", lang, **params), kind="error")


def eta_words(seconds: float | None, lang: str) -> str:
    s = max(1, int(math.ceil(seconds or 0)))
    if s < 90:
        return text("eta_seconds", lang, n=s)
    return text("eta_minutes", lang, n=int(math.ceil(s / 60)))


def progress_bar(fraction: float, width: int = 10) -> str:
    filled = max(0, min(width, int(round(fraction * width))))
    return "▰" * filled + "▱" * (width - filled)


class Core:
    """The service layer. Build with `Core.open(settings, engine)`, then `start()`."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        ledger: Ledger,
        jobs: JobStore,
        state: CoreState,
        prices: PriceTable,
        plans: PlanBook,
        engine: ClipEngine | Callable[[], ClipEngine] | None,
    ) -> None:
        self.settings = settings
        self.db = db  # the one writer of the database: ledger, jobs and state share it
        self.ledger = ledger
        self.jobs = jobs
        self.state = state
        self.prices = prices
        self.plans = plans
        self.queue = JobQueue(
            jobs, engine if engine is not None else _no_engine, on_event=self._on_job_event,
            workers=settings.workers, max_queued=settings.max_queue,
        )
        self._subscribers: dict[str, NoticeFn] = {}
        self.moderator = Moderator.load(settings.blocked_terms_file)
        self._delivering: set[str] = set()  # clips being posted right now
        self._taps: dict[tuple[str, str, str], float] = {}  # (user, verb, job) -> when, to drop double taps
        self._recent: dict[str, deque[float]] = {}

    @classmethod
    async def open(cls, settings: Settings, engine: ClipEngine | Callable[[], ClipEngine] | None) -> Core:
        """Open the database, price and plan tables, and build the queue (not started yet)."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        settings.clips_dir.mkdir(parents=True, exist_ok=True)
        plans = PlanBook.load(settings.plans_file).with_default(settings.default_plan)
        prices = PriceTable.load(settings.prices_file)
        db = await Database.open(settings.db_path)
        try:
            ledger = await Ledger.open(db, plans)
            jobs = await JobStore.open(db)
            state = await CoreState.open(db)
        except BaseException:
            await db.close()
            raise
        return cls(settings, db, ledger, jobs, state, prices, plans, engine)

    async def start(self) -> None:
        """Recover the queue (re-queue / retry / give up), settle every hold left by a crash, start workers."""
        await self.queue.start()
        await self.settle_holds()

    async def close(self) -> None:
        await self.queue.stop()
        await self.db.close()

    def subscribe(self, platform: str, fn: NoticeFn) -> None:
        """Route job notices whose origin platform is `platform` to `fn`."""
        self._subscribers[platform] = fn

    # -- entry points ---------------------------------------------------------------------------

    async def handle_text(self, ctx: Context, raw: str, *, bot_names: tuple[str, ...] = ()) -> Reply:
        """Parse free text (with the context's attachments) and handle it."""
        try:
            req = parse(raw, images=len(ctx.images), videos=len(ctx.videos),
                        reply=ctx.reply_to_job is not None, bot_names=bot_names)
        except ParseError as exc:
            return parse_error_reply(exc, ctx.lang, raw)
        reply = await self.handle(ctx, req)
        if req.ignored and reply.kind in ("queued", "confirm", "offer"):
            reply.text += "\n" + text("ignored_flags", ctx.lang, flags=", ".join(req.ignored[:5]))
        return reply

    async def handle(self, ctx: Context, req: Request, *, confirmed: bool = False) -> Reply:
        """Carry out one Request for `ctx.user` and say what happened."""
        try:
            if req.is_generative:
                if not confirmed and self._too_fast(ctx.user):
                    return Reply(text("rate_limited", ctx.lang, seconds=10), kind="error")
                return await self._generate(ctx, req, confirmed=confirmed)
            handler = {
                "balance": self.balance, "plans": self.plans_info, "help": self.help,
                "feed": self.feed, "cancel": self.cancel, "queue": self.queue_info,
            }.get(req.action)
            if handler is None:
                return Reply(text("unknown_command", ctx.lang), kind="error")
            return await handler(ctx)
        except BillingError as exc:
            return Reply(error_text(exc.code, ctx.lang, **exc.params), kind="error")
        except Exception:
            log.exception("request failed for %s (%s)", ctx.user, req.action)
            return Reply(text("internal", ctx.lang), kind="error")

    async def command(self, ctx: Context, name: str, args: dict[str, Any]) -> Reply:
        """A command with typed options (slash commands, web form). Generative ones become a Request."""
        from bot.commands import find

        cmd = find(name)
        if cmd is None:
            return Reply(text("unknown_command", ctx.lang), kind="error")
        try:
            if cmd.admin:
                return await self._admin(ctx, cmd.action, args)
            if cmd.action == "link":
                return await self.link(ctx, str(args.get("code") or "").strip() or None)
            if cmd.action == "autoapprove":
                return await self.set_auto_approve(ctx, args.get("credits"))
            if cmd.action == "cancel":
                return await self.cancel(ctx, str(args.get("job") or "").strip() or None)
            if cmd.action == "queue":
                return await self.queue_info(ctx)
            if cmd.action == "buy":
                return self.buy_offer(ctx)
            if cmd.action in GENERATIVE_ACTIONS:
                req = self._request_from_options(ctx, cmd.action, args)
                if isinstance(req, Reply):
                    return req
                return await self.handle(ctx, req)
            return await self.handle(ctx, Request(action=cmd.action))
        except BillingError as exc:
            return Reply(error_text(exc.code, ctx.lang, **exc.params), kind="error")

    async def press(self, ctx: Context, data: str) -> Reply:
        """A button came back. Nothing in `data` is trusted: tokens are checked against their owner."""
        parts = data.split(":")
        try:
            if len(parts) == 2 and parts[0] in ("p", "x") and re.fullmatch(r"[0-9a-f]{16}", parts[1]):
                pending = await self.state.take_pending(parts[1], ctx.user)
                if pending is None:
                    return Reply(text("button_invalid", ctx.lang), kind="error", ephemeral=True)
                if parts[0] == "x":
                    return Reply(text("dismissed", ctx.lang), kind="info", ephemeral=True)
                saved = Context.from_dict(pending.context)
                saved.origin = ctx.origin or saved.origin
                return await self.handle(saved, Request.from_dict(pending.request), confirmed=True)
            if len(parts) == 3 and parts[0] == "j" and re.fullmatch(r"[0-9a-f]{12}", parts[2]):
                return await self.clip_action(ctx, parts[1], parts[2])
        except BillingError as exc:
            return Reply(error_text(exc.code, ctx.lang, **exc.params), kind="error")
        return Reply(text("button_invalid", ctx.lang), kind="error", ephemeral=True)

    async def react(self, ctx: Context, emoji: str, job_id: str) -> Reply | None:
        """A member reacted to a clip. The mapped action is charged to the member who reacted; spends
        over their auto-approve limit come back as a confirm. None: the emoji means nothing here."""
        action = self.settings.reaction_actions.get(emoji)
        if action is None:
            return None
        return await self.clip_action(ctx, action, job_id)

    async def clip_action(self, ctx: Context, verb: str, job_id: str) -> Reply:
        """remix | loop | extend | var(iation) | del(ete) | report | cancel on clip `job_id`."""
        job = await self.jobs.get(job_id)
        if job is None:
            return Reply(text("button_invalid", ctx.lang), kind="error", ephemeral=True)
        if verb == "cancel":
            return await self.cancel(ctx, job_id)
        if job.state != DONE or not job.result:
            return Reply(text("clip_gone", ctx.lang), kind="error", ephemeral=True)
        if verb in ("loop", "extend", "var", "variation") and self._double_tap(ctx.user, verb, job_id):
            return Reply(text("already_on_it", ctx.lang), kind="info", ephemeral=True)
        parent = Request.from_dict(job.request)
        ctx = replace(ctx, reply_to_job=job_id, images=[], videos=[])
        if verb in ("del", "delete"):
            return await self._delete(ctx, job)
        if verb == "report":
            await self.state.report(job_id, ctx.user)
            log.warning("clip %s reported by %s", job_id, ctx.user)
            return Reply(text("reported", ctx.lang), kind="info", ephemeral=True)
        if verb == "remix":
            return Reply(text("ask_remix_prompt", ctx.lang), kind="info")
        if verb == "loop":
            return await self.handle(ctx, replace(parent, action="loop", loop=True, seed=None, variations=1))
        if verb == "extend":
            return await self.handle(ctx, replace(parent, action="recut", extend=True, seconds=5, variations=1,
                                                  trim_start=None, trim_end=None, seed=None))
        if verb in ("var", "variation"):
            base = replace(parent, seed=None, variations=1)
            ctx = replace(ctx, reply_to_job=job.parent if parent.action in EDIT_ACTIONS else None)
            return await self.handle(ctx, base)
        return Reply(text("button_invalid", ctx.lang), kind="error", ephemeral=True)

    # -- generation -----------------------------------------------------------------------------

    async def _generate(self, ctx: Context, req: Request, *, confirmed: bool) -> Reply:
        lang = ctx.lang
        inputs = await self._inputs(ctx, req)
        if isinstance(inputs, Reply):
            return inputs
        images, videos, parent_job = inputs
        if self.moderator.blocks(req.prompt, *(c.prompt for c in req.cards)):
            log.warning("request by %s blocked by moderation (%s)", ctx.user, req.action)  # never the prompt
            return Reply(text("moderated", lang), kind="error")
        req = self._shape_edit(req, parent_job)
        bal = await self.ledger.balance(ctx.user)
        plan = self.plans.get(bal.plan)
        active = self.queue.active_of(str(bal.account))
        if active >= MAX_QUEUED_PER_ACCOUNT:
            return Reply(text("queue_user_full", lang, limit=MAX_QUEUED_PER_ACCOUNT), kind="error")
        try:
            check(plan, resolution=req.resolution, seconds=req.seconds, variations=req.variations, mode=req.mode)
            price = self._price(req, plan)
            if price > bal.available:
                raise InsufficientCredits(price, bal.available)
        except (PlanLimit, InsufficientCredits) as exc:
            return await self._offer(ctx, req, plan, bal.available, exc)
        # the member's own limit came with the balance read above; None means the operator's default
        limit = self.settings.auto_approve_credits if bal.auto_approve is None else bal.auto_approve
        if not confirmed and price > limit:
            token = await self.state.add_pending(ctx.user, req.to_storage(), ctx.to_dict(), price)
            return Reply(
                text("confirm_spend", lang, price=price, available=bal.available), kind="confirm",
                buttons=[[Button(text("btn_confirm", lang, price=price), f"p:{token}"),
                          Button(text("btn_dismiss", lang), f"x:{token}")]],
            )
        return await self._submit(ctx, req, plan, price, str(bal.account), images, videos, parent_job)

    async def _submit(
        self, ctx: Context, req: Request, plan: Plan, price: int, account: str,
        images: list[Path], videos: list[Path], parent_job: Job | None,
    ) -> Reply:
        lang = ctx.lang
        if req.seed is None:
            req = replace(req, seed=random.randrange(2**31))
        job_id = new_job_id()
        width, height = req.size
        spec: dict[str, Any] = {
            "job_id": job_id, "action": req.action, "prompt": req.prompt, "width": width, "height": height,
            "seconds": req.seconds, "fps": FPS, "seed": req.seed, "variations": req.variations,
            "negative": req.negative, "watermark": plan.watermark, "loop": req.loop or req.action == "loop",
            "cards": [c.to_dict() for c in req.cards], "images": [str(p) for p in images],
            "videos": [str(p) for p in videos], "trim_start": req.trim_start, "trim_end": req.trim_end,
            "extend": req.extend, "strength": req.strength, "out_dir": str(self.settings.clips_dir),
            "metadata": {"generator": "Reelbot", "job_id": job_id},
            "max_bytes": ctx.max_upload_bytes,
        }
        origin = dict(ctx.origin)
        origin.update(lang=lang, author=ctx.display_name or ctx.user)
        job = Job(
            id=job_id, owner=ctx.user, account=account, action=req.action, request=req.to_storage(),
            spec=spec, price=price, lane="relaxed" if req.mode == "relaxed" else "fast",
            max_running=plan.max_concurrent, origin=origin,
            parent=parent_job.id if parent_job else None,
        )
        try:  # QueueFull comes before anything is written: there is nothing to refund
            await self.queue.enqueue_with(job, lambda: self.db.transaction(self._hold_and_add, ctx.user, job))
        except QueueFull as exc:
            return Reply(text("queue_full", lang, limit=exc.limit), kind="error")
        position = (self.queue.position(job_id) or 0) + 1
        key = "queued_free" if price == 0 else "queued"
        return Reply(
            text(key, lang, summary=summary(req, lang), price=price, position=position,
                 eta=eta_words(self.queue.eta(job_id), lang)),
            kind="queued", job_id=job_id, charged=price,
            buttons=[[Button(text("btn_cancel_job", lang), f"j:cancel:{job_id}")]],
        )

    def _hold_and_add(self, conn: sqlite3.Connection, user: str, job: Job) -> None:
        """The unit of work of a submit: the credit hold and the job row commit together or not at all,
        so no hold can exist without its job (a crash between them leaves neither)."""
        self.ledger.tx_hold(conn, user, job.id, job.price)
        self.jobs.tx_add(conn, job)

    def _price(self, req: Request, plan: Plan | None) -> int:
        return quote(self.prices, resolution=req.resolution, aspect=req.aspect, seconds=req.seconds,
                     variations=req.variations, mode=req.mode, plan=plan)

    async def _inputs(self, ctx: Context, req: Request) -> tuple[list[Path], list[Path], Job | None] | Reply:
        """The files an action works on: attachments, or the clip replied to."""
        lang = ctx.lang
        parent: Job | None = None
        if ctx.reply_to_job:
            parent = await self.jobs.get(ctx.reply_to_job)
            if parent is None or parent.state != DONE or not parent.result:
                return Reply(text("clip_gone", lang), kind="error")
            if not Path(parent.result["path"]).exists():
                return Reply(text("clip_gone", lang), kind="error")
        parent_video = [Path(parent.result["path"])] if parent and parent.result else []
        if req.action == "animate":
            if not ctx.images:
                return Reply(text("needs_image", lang), kind="error")
            return ctx.images[:1], [], None
        if req.action in EDIT_ACTIONS:
            videos = parent_video or ctx.videos[:1]
            if not videos:
                return Reply(text("needs_clip", lang), kind="error")
            return [], videos, parent
        if req.action == "blend":
            videos = (parent_video + ctx.videos)[:2]
            if len(videos) < 2:
                return Reply(text("needs_two_videos", lang), kind="error")
            return [], videos, parent
        return ctx.images[:1], [], None

    def _shape_edit(self, req: Request, parent: Job | None) -> Request:
        """Edits keep the source clip's frame: same resolution and aspect; loop and remix keep its length,
        a trim's length is its range, an extension adds its seconds."""
        if parent is None or req.action not in EDIT_ACTIONS:
            return req
        src = Request.from_dict(parent.request)
        out = replace(req, resolution=src.resolution, aspect=src.aspect)
        if req.action in ("loop", "remix"):
            out = replace(out, seconds=src.seconds)
        if req.action == "recut":
            length = float(src.seconds)
            if req.extend:
                # "extend to 10s" carries the target length in trim_end; "extend (by) 3s" the added seconds
                target = req.trim_end if req.trim_end and req.trim_end > length else length + max(1, req.seconds)
                out = replace(out, seconds=min(MAX_SECONDS, int(round(target))), trim_start=None, trim_end=None)
            elif req.trim_start is not None or req.trim_end is not None:
                # negative values count from the clip's end ("cut the last 3 seconds": trim_end = -3)
                start = req.trim_start or 0.0
                end = req.trim_end if req.trim_end is not None else length
                start = length + start if start < 0 else start
                end = length + end if end < 0 else end
                start, end = max(0.0, min(start, length)), max(0.0, min(end, length))
                if end - start < 1.0:
                    start, end = 0.0, length
                out = replace(out, seconds=max(1, int(round(end - start))), trim_start=start, trim_end=end)
        if not out.prompt:
            out = replace(out, prompt=src.prompt)
        return out

    async def _offer(self, ctx: Context, req: Request, plan: Plan, available: int, exc: BillingError) -> Reply:
        """The request does not fit: say why and offer the closest one that does, as one tap."""
        lang = ctx.lang
        reason = error_text(exc.code, lang, **exc.params)
        alt = self._closest_fit(req, plan, available)
        if alt is None:
            return Reply(text("no_alternative", lang, reason=reason), kind="error")
        alt_req, alt_price = alt
        token = await self.state.add_pending(ctx.user, alt_req.to_storage(), ctx.to_dict(), alt_price)
        return Reply(
            text("offer_alternative", lang, reason=reason, summary=summary(alt_req, lang), price=alt_price),
            kind="offer",
            buttons=[[Button(text("btn_accept_alt", lang, price=alt_price), f"p:{token}"),
                      Button(text("btn_dismiss", lang), f"x:{token}")]],
        )

    def _closest_fit(self, req: Request, plan: Plan, available: int) -> tuple[Request, int] | None:
        """Search shorter / lower-resolution / fewer-variation / relaxed versions, closest first."""
        if req.action == "recut" and req.extend:
            return None  # a shorter extension is no extension: say why and let the member choose
        res_index = RESOLUTION_ORDER.index(req.resolution)
        seconds_options = sorted({req.seconds, min(req.seconds, plan.max_seconds), 20, 15, 10, 5, 3, 1}, reverse=True)
        best: tuple[float, Request, int] | None = None
        for ri in range(res_index, -1, -1):
            for secs in seconds_options:
                if secs > req.seconds:
                    continue
                for var in (4, 2, 1):
                    if var > req.variations:
                        continue
                    for mode in ("fast", "relaxed"):
                        if mode == "relaxed" and not plan.relaxed:
                            continue
                        cand = replace(req, resolution=RESOLUTION_ORDER[ri], seconds=secs, variations=var, mode=mode)
                        if cand == req:
                            continue
                        try:
                            check(plan, resolution=cand.resolution, seconds=cand.seconds,
                                  variations=cand.variations, mode=cand.mode)
                        except PlanLimit:
                            continue
                        price = self._price(cand, plan)
                        if price > available:
                            continue
                        distance = ((res_index - ri) * 2 + (req.seconds - secs) / 5
                                    + math.log2(req.variations / var) + (0.5 if mode != req.mode else 0))
                        if best is None or distance < best[0]:
                            best = (distance, cand, price)
        return (best[1], best[2]) if best else None

    def _double_tap(self, user: str, verb: str, job_id: str, window_s: float = 5.0) -> bool:
        """True when this member asked for the same thing on the same clip a moment ago."""
        now = time.monotonic()
        if len(self._taps) > 10_000:
            self._taps = {k: t for k, t in self._taps.items() if now - t < window_s}
        key = (user, verb, job_id)
        last = self._taps.get(key)
        self._taps[key] = now
        return last is not None and now - last < window_s

    def _too_fast(self, user: str) -> bool:
        now = time.monotonic()
        q = self._recent.setdefault(user, deque())
        while q and now - q[0] > 60:
            q.popleft()
        if len(q) >= REQUESTS_PER_MINUTE:
            return True
        q.append(now)
        return False

    def _request_from_options(self, ctx: Context, action: str, args: dict[str, Any]) -> Request | Reply:
        """Typed slash-command options -> Request. The prompt text is parsed too, so words like `10s`
        inside it still count; explicit options win over words."""
        prompt = str(args.get("prompt") or args.get("cards") or args.get("range") or "").strip()
        head = {"storyboard": "storyboard: ", "recut": "recut "}.get(action, "")
        req: Request
        if prompt:
            try:
                req = parse(head + prompt, images=len(ctx.images), videos=len(ctx.videos),
                            reply=ctx.reply_to_job is not None)
            except ParseError as exc:
                return parse_error_reply(exc, ctx.lang, prompt)
        else:
            req = Request()
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
            return Reply(error_text("parse_bad_seconds", ctx.lang), kind="error")
        if req.variations not in (1, 2, 4):
            return Reply(error_text("parse_bad_variations", ctx.lang), kind="error")
        if action == "loop":
            req.loop = True
        if action == "create" and not req.prompt:
            return Reply(error_text("parse_empty", ctx.lang), kind="error")
        return req

    # -- job events ---------------------------------------------------------------------------

    async def _on_job_event(self, ev: JobEvent) -> None:
        job = ev.job
        lang = str(job.origin.get("lang", "en"))
        req = Request.from_dict(job.request)
        reply: Reply
        if ev.kind == "done":
            try:
                await self.ledger.capture(job.id)
            except BillingError:  # settled already (an admin refund): the member still gets the clip
                log.exception("capture of job %s failed", job.id)
            reply = await self.clip_reply(job, lang)
        elif ev.kind in ("failed", "cancelled"):
            try:
                refunded = await self.ledger.refund(job.id, job.error or ev.kind)
            except BillingError:
                log.exception("refund of job %s failed", job.id)
                refunded = 0
            if ev.kind == "cancelled":
                reply = Reply(text("cancelled", lang, price=refunded), kind="cancelled", job_id=job.id)
            else:
                code = job.error or "engine_error"
                reason = error_text(code, lang, price=refunded)
                reply = Reply(text("failed", lang, reason=reason), kind="failed", job_id=job.id)
        elif ev.kind == "started":
            reply = Reply(text("started", lang, summary=summary(req, lang)), kind="started", job_id=job.id,
                          buttons=[[Button(text("btn_cancel_job", lang), f"j:cancel:{job.id}")]])
        elif ev.kind == "progress":
            reply = Reply(
                text("progress", lang, summary=summary(req, lang), bar=progress_bar(ev.fraction),
                     percent=int(ev.fraction * 100), eta=eta_words(ev.eta_s, lang)),
                kind="progress", job_id=job.id,
                buttons=[[Button(text("btn_cancel_job", lang), f"j:cancel:{job.id}")]])
        else:
            return
        await self._notify(Notice(ev.kind, job, reply, job.origin, ev.fraction))

    async def _notify(self, notice: Notice) -> None:
        platform = str(notice.origin.get("platform", ""))
        fn = self._subscribers.get(platform)
        if fn is None:
            return
        final = notice.kind == "done"
        if final:
            self._delivering.add(notice.job.id)
        try:
            await fn(notice)
        except Exception:
            log.exception("notice for job %s failed on %s", notice.job.id, platform)
        finally:
            if final:
                self._delivering.discard(notice.job.id)

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

    async def clip_reply(self, job: Job, lang: str) -> Reply:
        """The message that carries a finished clip: caption (prompt, author, credits, lineage) + buttons."""
        req = Request.from_dict(job.request)
        result = job.result or {}
        lineage = ""
        if job.parent:
            lineage = text("lineage", lang, action=text(f"action_{job.action}", lang), parent=job.parent)
        prompt = req.prompt if len(req.prompt) <= 600 else req.prompt[:600] + "…"
        caption = text("done", lang, prompt=prompt or "—", author=job.origin.get("author", job.owner),
                       price=job.price, summary=summary(req, lang), lineage=lineage)
        paths = [Path(p) for p in result.get("paths") or [result.get("path")] if p]
        posters = [Path(p) for p in result.get("posters") or []]
        clip = ClipOut(
            job_id=job.id, path=paths[0], poster=posters[0] if posters else None,
            width=int(result.get("width", 0)), height=int(result.get("height", 0)),
            seconds=float(result.get("seconds", 0)), fps=int(result.get("fps", FPS)), extra_paths=paths[1:],
        )
        return Reply(caption, kind="done", clip=clip, job_id=job.id, buttons=self.clip_buttons(job.id, lang))

    def clip_buttons(self, job_id: str, lang: str) -> list[list[Button]]:
        return [
            [Button(text("btn_remix", lang), f"j:remix:{job_id}"), Button(text("btn_loop", lang), f"j:loop:{job_id}"),
             Button(text("btn_extend", lang), f"j:extend:{job_id}")],
            [Button(text("btn_variation", lang), f"j:var:{job_id}"), Button(text("btn_delete", lang), f"j:del:{job_id}")],
        ]

    async def settle_holds(self) -> int:
        """Capture or refund every hold whose job is final (its event was lost in a crash), and refund a
        hold with no job row (only a database from before holds and jobs shared a transaction has one).
        Holds of queued and running jobs are left to their jobs. Returns how many were settled."""
        settled = 0
        for hold in await self.ledger.open_holds():
            job = await self.jobs.get(hold.job_id)
            if job is None:
                await self.ledger.refund(hold.job_id, "no_job")
            elif job.state == DONE:
                await self.ledger.capture(hold.job_id)
            elif job.state in (FAILED, CANCELLED):
                await self.ledger.refund(hold.job_id, job.error or job.state)
            else:
                continue
            settled += 1
        return settled

    # -- the other use cases --------------------------------------------------------------------

    async def balance(self, ctx: Context) -> Reply:
        b = await self.ledger.balance(ctx.user)
        return Reply(text("balance", ctx.lang, available=b.available, allowance=b.allowance, topup=b.topup,
                          plan=b.plan, held=b.held, reset=b.next_reset.strftime("%Y-%m-%d")), ephemeral=True)

    async def plans_info(self, ctx: Context) -> Reply:
        lang = ctx.lang
        lines = [text("plans_header", lang)]
        for name in self.plans.names():
            p = self.plans.get(name)
            lines.append(text(
                "plan_line", lang, name=p.name, credits=p.credits_per_month, res=p.max_resolution,
                seconds=p.max_seconds, jobs=p.max_concurrent,
                relaxed=text("plan_relaxed_yes", lang) if p.relaxed else "",
                wm=text("plan_watermark", lang) if p.watermark else ""))
        p5 = {r: quote(self.prices, resolution=r, aspect="16:9", seconds=5) for r in RESOLUTION_ORDER}
        lines.append(text("prices_line", lang, p480=p5["480p"], p720=p5["720p"], p1080=p5["1080p"]))
        return Reply("\n".join(lines))

    async def help(self, ctx: Context) -> Reply:
        return Reply(text("help", ctx.lang))

    async def feed(self, ctx: Context, limit: int = 10) -> Reply:
        jobs = await self.jobs.recent_public(limit)
        if not jobs:
            return Reply(text("feed_empty", ctx.lang))
        lines = []
        for j in jobs:
            req = Request.from_dict(j.request)
            prompt = req.prompt if len(req.prompt) <= 80 else req.prompt[:80] + "…"
            lines.append(text("feed_line", ctx.lang, prompt=prompt, author=j.origin.get("author", j.owner),
                              summary=summary(req, ctx.lang)))
        return Reply("\n".join(lines), payload={"jobs": [j.id for j in jobs]})

    async def queue_info(self, ctx: Context) -> Reply:
        jobs = await self.jobs.of_owner(ctx.user, QUEUED, RUNNING)
        if not jobs:
            return Reply(text("queue_empty", ctx.lang), ephemeral=True)
        lines = []
        for j in reversed(jobs):
            live = self.queue.get(j.id) or j
            pos = self.queue.position(j.id)
            where = (text("where_position", ctx.lang, position=pos + 1) if pos is not None
                     else text("where_progress", ctx.lang, percent=int(live.progress * 100)))
            lines.append(text("queue_line", ctx.lang, id=j.id, state=text(f"state_{live.state}", ctx.lang),
                              summary=summary(Request.from_dict(j.request), ctx.lang), where=where))
        return Reply("\n".join(lines), ephemeral=True)

    async def cancel(self, ctx: Context, job_id: str | None = None) -> Reply:
        """Cancel the member's job `job_id`, or their newest active one."""
        lang = ctx.lang
        if job_id is None:
            active = await self.jobs.of_owner(ctx.user, QUEUED, RUNNING)
            if not active:
                return Reply(text("nothing_to_cancel", lang), ephemeral=True)
            job_id = active[0].id
        job = await self.jobs.get(job_id)
        if job is None or (job.owner != ctx.user and not self.is_admin(ctx.user)):
            return Reply(text("nothing_to_cancel", lang), kind="error", ephemeral=True)
        outcome = await self.queue.cancel(job_id)
        if outcome == "cancelled":
            return Reply(text("cancelled", lang, price=job.price), kind="cancelled", job_id=job_id)
        if outcome == "cancelling":
            return Reply(text("cancelling", lang), kind="info", job_id=job_id)
        return Reply(text("nothing_to_cancel", lang), ephemeral=True)

    async def _delete(self, ctx: Context, job: Job) -> Reply:
        if job.owner != ctx.user and not self.is_admin(ctx.user):
            return Reply(text("not_owner", ctx.lang), kind="error", ephemeral=True)
        await self.jobs.set_public(job.id, False)
        for p in list((job.result or {}).get("paths") or []) + list((job.result or {}).get("posters") or []):
            Path(p).unlink(missing_ok=True)
        await self.jobs.mark_deleted(job.id)
        return Reply(text("deleted", ctx.lang), kind="deleted", job_id=job.id,
                     payload={"posts": await self.state.posts_of(job.id)})

    async def link(self, ctx: Context, code: str | None) -> Reply:
        """No code: hand out a one-time code. With a code: join the code owner's wallet."""
        lang = ctx.lang
        if not code:
            new = await self.ledger.create_link_code(ctx.user)
            return Reply(text("link_code", lang, code=new, minutes=10), ephemeral=True)
        try:
            await self.ledger.redeem_link_code(ctx.user, code.strip())
        except LinkError as exc:
            return Reply(error_text(exc.code, lang), kind="error", ephemeral=True)
        ids = await self.ledger.linked_ids(ctx.user)
        return Reply(text("linked", lang, ids=", ".join(ids)), ephemeral=True)

    async def set_auto_approve(self, ctx: Context, credits: Any) -> Reply:
        try:
            value = int(credits)
        except (TypeError, ValueError):
            return Reply(text("bad_amount", ctx.lang), kind="error")
        if value < 0 or value > 1_000_000:
            return Reply(text("bad_amount", ctx.lang), kind="error")
        await self.ledger.set_auto_approve(ctx.user, value)
        return Reply(text("auto_approve_set", ctx.lang, credits=value), ephemeral=True)

    def buy_offer(self, ctx: Context) -> Reply:
        """The credit packs on sale (Telegram Stars); the adapter turns each into an invoice button."""
        packs = self.settings.star_packs()
        if not packs:
            return Reply(text("payments_off", ctx.lang), kind="error")
        return Reply(text("buy_header", ctx.lang), kind="invoice",
                     payload={"packs": [{"credits": c, "stars": s,
                                         "title": text("buy_title", ctx.lang, credits=c),
                                         "description": text("buy_description", ctx.lang, credits=c)}
                                        for c, s in sorted(packs.items())]})

    def check_pack(self, credits: int, stars: int, currency: str) -> bool:
        """Is this (credits, stars) pack on offer, priced in Telegram Stars?"""
        return currency == "XTR" and self.settings.star_packs().get(credits) == stars

    async def paid(self, ctx: Context, credits: int, stars: int, currency: str, charge_id: str) -> Reply:
        """A payment went through: grant the pack once (the charge id is the idempotency key)."""
        if not self.check_pack(credits, stars, currency):
            log.error("payment %s for an unknown pack (%s credits, %s %s) by %s", charge_id, credits, stars,
                      currency, ctx.user)
            return Reply(text("bad_pack", ctx.lang), kind="error")
        await self.ledger.grant(ctx.user, credits, f"payment:{charge_id}")
        b = await self.ledger.balance(ctx.user)
        return Reply(text("paid", ctx.lang, credits=credits, available=b.available))

    def attachment_limit(self, kind: str) -> int:
        """Bytes an attachment of `kind` (image | video) may have; adapters refuse larger ones unread."""
        return MAX_ATTACHMENT_BYTES.get(kind, MAX_ATTACHMENT_BYTES["image"])

    async def payment_refunded(self, ctx: Context, charge_id: str) -> Reply:
        """The platform gave a payment back: take back what it bought (what is left of it), once."""
        try:
            taken = await self.ledger.revoke(f"payment:{charge_id}", f"payment refunded by {ctx.user}")
        except NotFound:
            taken = 0  # the payment was never credited (a pack no longer on offer): nothing to take back
        except BillingError as exc:
            return Reply(error_text(exc.code, ctx.lang, **exc.params), kind="error")
        return Reply(text("star_refunded", ctx.lang, charge=charge_id, credits=taken))

    def is_admin(self, user: str) -> bool:
        return user in self.settings.admins

    async def _admin(self, ctx: Context, action: str, args: dict[str, Any]) -> Reply:
        lang = ctx.lang
        if not self.is_admin(ctx.user):
            return Reply(text("not_admin", lang), kind="error", ephemeral=True)
        user = str(args.get("user") or "").strip()
        if action == "admin_grant":
            try:
                amount = int(args.get("credits"))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return Reply(text("bad_amount", lang), kind="error")
            await self.ledger.grant(user, amount, f"grant:{ctx.user}:{time.time_ns()}")
            return Reply(text("granted", lang, amount=amount, user=user))
        if action == "admin_plan":
            plan = str(args.get("plan") or "")
            self.plans.get(plan)
            await self.ledger.set_plan(user, plan)
            return Reply(text("plan_set", lang, user=user, plan=plan))
        if action == "admin_refund":
            job_id = str(args.get("job") or "")
            amount = await self.ledger.admin_refund(job_id, ctx.user)
            return Reply(text("refunded", lang, amount=amount, job=job_id))
        if action == "admin_star_refund":
            charge = str(args.get("charge") or "").strip()
            if not user.startswith("telegram:") or not user[9:].isdigit() or not charge:
                return Reply(text("star_refund_needs_telegram", lang), kind="error")
            # the channel refunds the Stars first, then calls `payment_refunded` to take the credits back
            return Reply("", kind="star_refund", payload={"user_id": int(user[9:]), "charge_id": charge})
        if action == "admin_unlink":
            await self.ledger.unlink(user)
            return Reply(text("unlinked", lang, user=user))
        if action == "admin_balance":
            b = await self.ledger.balance(user)
            return Reply(text("admin_balance", lang, user=user, available=b.available, allowance=b.allowance,
                              topup=b.topup, plan=b.plan, held=b.held))
        return Reply(text("unknown_command", lang), kind="error")

    async def record_post(self, platform: str, chat: str, message: str, job_id: str, kind: str = "clip") -> None:
        """Remember where a clip (kind `clip`) or its status message (kind `status`) was posted, so replies
        and reactions to that message find the clip, and an undelivered clip is posted after a restart."""
        await self.state.record_post(platform, chat, message, job_id, kind)

    async def redeliver(self, max_age_s: float = 24 * 3600, min_age_s: float = 0.0) -> int:
        """Post again every clip finished in the last `max_age_s` (and at least `min_age_s` ago) whose
        channel never got it (the bot stopped, or the platform was down, between the render and the post).
        Returns how many."""
        count = 0
        now = time.time()
        # only the window: this runs every few minutes, and the job table keeps every clip ever made
        for job in await self.jobs.in_states(DONE, finished_after=now - max_age_s):
            platform = str(job.origin.get("platform", ""))
            finished = job.finished_at or 0
            if not (now - max_age_s <= finished <= now - min_age_s) or job.deleted:
                continue
            if platform not in self._subscribers or job.id in self._delivering:
                continue
            if await self.state.delivered(job.id, platform):
                continue
            lang = str(job.origin.get("lang", "en"))
            reply = await self.clip_reply(job, lang)
            if reply.clip is None or not reply.clip.path.exists():
                continue
            await self._notify(Notice("done", job, reply, job.origin, 1.0))
            count += 1
        return count

    async def job_for_post(self, platform: str, chat: str, message: str) -> str | None:
        return await self.state.job_for_post(platform, chat, message)

    async def wait_idle(self, timeout: float = 60.0) -> None:
        """Wait until nothing is queued or running (tests, graceful shutdown)."""
        deadline = time.monotonic() + timeout
        while self.queue.queued_count() or self.queue.running_count():
            if time.monotonic() > deadline:
                raise TimeoutError("queue still busy")
            await asyncio.sleep(0.02)


def _no_engine() -> ClipEngine:
    raise RuntimeError("no engine configured")
