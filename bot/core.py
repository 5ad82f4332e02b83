"""The conversation core: the one door every channel goes through to every use case.

A thin facade: it routes messages (read on their way in by bot/inbox.py), commands, button presses and
reactions to the use-case modules (generation, clips, wallet, admin, delivery), turns any domain error into
an error Reply at that one point (bot/errors.failure_reply), and owns start-up and shutdown.
Platform-neutral: no platform library, no display text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from billing.ledger import Ledger
from billing.plans import PlanBook
from billing.prices import PriceTable
from bot.admin import Admin
from bot.buttons import decode
from bot.clips import Clips
from bot.commands import find, validate
from bot.delivery import Delivery, NoticeFn
from bot.errors import ButtonInvalid, NotAClip, UnknownCommand, failure_reply
from bot.feed import Feed
from bot.generation import Generation
from bot.inbox import Inbox
from bot.intake import take_attachments
from bot.language import detect_lang
from bot.moderation import Moderator
from bot.moderation.records import ModerationRecords
from bot.outbox import Outbox
from bot.posting import PostChecker
from bot.recovery import settle_holds
from bot.replies import Attachment, Context, Notice, PostRef, Reply
from bot.request import Request
from bot.role_plans import follow_roles
from bot.routing import route_command, route_request
from bot.services import Services
from bot.settings import Settings
from bot.state import CoreState
from bot.wallet import Payments, Wallet
from engine.jobs import JobStore
from engine.queue import JobEvent, JobQueue
from engine.spec import ClipEngine
from reel.db import Database


class Core:
    """The service layer. Build with `Core.open(settings, engine)`, then `start()`."""

    def __init__(
        self,
        settings: Settings,
        ledger: Ledger,
        jobs: JobStore,
        state: CoreState,
        prices: PriceTable,
        plans: PlanBook,
        engine: ClipEngine | Callable[[], ClipEngine] | None,
        db: Database,
        outbox: Outbox | None = None,
        moderation: ModerationRecords | None = None,
    ) -> None:
        queue = JobQueue(
            jobs,
            engine if engine is not None else _no_engine,
            on_event=self._on_job_event,
            workers=settings.workers,
            max_queued=settings.max_queue,
        )
        self.svc = Services(
            settings,
            db,
            ledger,
            jobs,
            state,
            prices,
            plans,
            queue,
            Moderator.from_settings(settings),
            moderation if moderation is not None else ModerationRecords(db),
        )
        self.delivery = Delivery(self.svc, outbox if outbox is not None else Outbox(db))
        self.generation = Generation(self.svc, self.delivery.expect, self.delivery.abandon)
        self.clips = Clips(self.svc, self.generation)
        self.wallet = Wallet(self.svc)
        self.admin = Admin(self.svc, self.wallet)
        self.explore = Feed(db, settings.feed_hidden_channels)  # the Explore feed (bot/feed.py)
        self.inbox = Inbox(self)  # messages on their way in: rate gate, floods, text to command or parse

    # the parts, for the CLI, tools and tests
    settings = property(lambda self: self.svc.settings)
    db = property(lambda self: self.svc.db)
    ledger = property(lambda self: self.svc.ledger)
    jobs = property(lambda self: self.svc.jobs)
    state = property(lambda self: self.svc.state)
    prices = property(lambda self: self.svc.prices)
    plans = property(lambda self: self.svc.plans)
    queue = property(lambda self: self.svc.queue)
    moderator = property(lambda self: self.svc.moderator)

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
            outbox = await Outbox.open(db)
            moderation = await ModerationRecords.open(db)
            core = cls(settings, ledger, jobs, state, prices, plans, engine, db, outbox, moderation)
            await core.explore.open()
        except BaseException:
            await db.close()
            raise
        return core

    async def start(self) -> None:
        """Recover the queue (re-queue / retry / give up), settle every hold left by a crash, start workers,
        and tell the members whose answer a crash cut off. Start the channels first: what recovery says
        goes to them (`redeliver` then carries on with clips not delivered yet)."""
        await self.queue.start()
        await self.settle_holds()
        await self.delivery.resume_answers()
        await self.delivery.outbox.forget_requests()

    async def close(self) -> None:
        await self.queue.stop()
        await self.delivery.close()
        await self.db.close()

    async def settle_holds(self) -> int:
        """Settle every hold a crash left behind (bot/recovery.py). Returns how many were settled."""
        return await settle_holds(self.svc, self.delivery)

    # -- what channels call ------------------------------------------------------------------

    def subscribe(
        self,
        platform: str,
        fn: NoticeFn,
        *,
        wait_for_status: bool = False,
        checker: PostChecker | None = None,
    ) -> None:
        """Route notices of jobs asked for on `platform` to `fn`. With `wait_for_status`, the notices of a
        job asked for there wait until the channel calls `status_posted` (at most a few seconds). `checker`
        tells the posting rule what the platform holds (bot/posting.py); None: it cannot tell."""
        self.delivery.subscribe(platform, fn, wait_for_status=wait_for_status, checker=checker)

    def unsubscribe(self, platform: str) -> None:
        self.delivery.unsubscribe(platform)

    def register_payments(self, platform: str, payments: Payments) -> None:
        """`platform` sells credit packs through `payments`."""
        self.wallet.payments[platform] = payments

    async def handle_message(
        self,
        ctx: Context,
        body: str,
        attachments: Sequence[Attachment] = (),
        reply_to: PostRef | None = None,
        *,
        bot_names: tuple[str, ...] = (),
    ) -> Reply | None:
        """A member's message: attachments checked and fetched, the clip it replies to found, then the
        text handled as a command or a request (`handle_text`). None: nothing to answer (also a refusal
        the chat has heard already). See bot/inbox.py."""
        return await self.inbox.message(ctx, body, attachments, reply_to, bot_names=bot_names)

    async def handle_text(self, ctx: Context, raw: str, *, bot_names: tuple[str, ...] = ()) -> Reply:
        """Text (with the context's attachments): a slash command through the registry (admin ones too),
        anything else through the parser (bot/inbox.py)."""
        return await self.inbox.text(ctx, raw, bot_names=bot_names)

    async def handle(self, ctx: Context, req: Request, *, confirmed: bool = False) -> Reply:
        """Carry out one Request for `ctx.user` and say what happened."""
        try:
            return await route_request(self, ctx, req, confirmed=confirmed)
        except Exception as exc:
            return self._failed(ctx, exc)

    async def command(
        self,
        ctx: Context,
        name: str,
        args: dict[str, Any],
        *,
        attachments: Sequence[Attachment] = (),
        reply_to: PostRef | None = None,
    ) -> Reply:
        """A command with typed options (slash commands, the web form), checked against the registry.
        `attachments`: files given as options (checked and fetched as a message's are); `reply_to`: the
        clip post an edit works on (a message link, a context menu), which must be one of the bot's clips."""
        cmd = find(name)
        await follow_roles(self.svc, ctx)
        try:
            if cmd is None:
                raise UnknownCommand()
            await take_attachments(
                ctx, attachments, self.settings.data_dir / "uploads" / (ctx.platform or "any")
            )
            if reply_to is not None:
                job_id = await self.delivery.job_for_post(reply_to)
                if job_id is None:
                    raise NotAClip()
                ctx.reply_to_job = job_id
            if cmd.admin:
                if not self.svc.is_admin(ctx.user):
                    from bot.errors import NotAdmin

                    raise NotAdmin()
                return await self.admin.run(ctx, cmd.action, validate(cmd, args))
            return await route_command(self, ctx, cmd, validate(cmd, args))
        except Exception as exc:
            return self._failed(ctx, exc)

    async def press(self, ctx: Context, data: str) -> Reply:
        """A button came back. Nothing in `data` is trusted: tokens are checked against their owner."""
        await follow_roles(self.svc, ctx)
        try:
            button = decode(data)
            if button is None:
                raise ButtonInvalid()
            if button.action in ("confirm", "dismiss"):
                pending = await self.state.take_pending(button.target, ctx.user)
                if pending is None:
                    raise ButtonInvalid()
                if button.action == "dismiss":
                    return Reply("dismissed", ephemeral=True)
                saved = Context.from_dict(pending.context)
                saved.origin = ctx.origin or saved.origin
                return await self.handle(saved, Request.from_dict(pending.request), confirmed=True)
            return await self.clips.action(ctx, button.action, button.target)
        except Exception as exc:
            return self._failed(ctx, exc)

    async def react(self, ctx: Context, emoji: str, post: PostRef) -> Reply | None:
        """A member reacted to a post. On a clip, the reaction is counted (the feed shows the counts) and
        the mapped action is charged to the member who reacted (spends over their auto-approve limit come
        back as a confirm). None: not a clip, or the emoji means nothing here."""
        job_id = await self.delivery.job_for_post(post)
        if job_id is None:
            return None
        await self.explore.record_reaction(job_id, ctx.user, emoji)
        action = self.settings.reaction_actions.get(emoji)
        if action is None or (action == "tip" and self.settings.tip_credits <= 0):
            return None  # a ❤️ is only a heart while tips are off
        await follow_roles(self.svc, ctx)
        try:
            reply = await self.clips.action(ctx, action, job_id)
        except Exception as exc:
            reply = self._failed(ctx, exc)
        return self.inbox.gated(ctx, ("react", emoji, post), reply)

    async def act_on_post(self, ctx: Context, action: str, post: PostRef) -> Reply:
        """A clip action (remix, loop, extend, variation, tip, ...) named on a post rather than tapped under
        it (a message context menu): like the clip's own button, or a clear refusal when the post is not
        one of the bot's clips."""
        await follow_roles(self.svc, ctx)
        try:
            job_id = await self.delivery.job_for_post(post)
            if job_id is None:
                raise NotAClip()
            return await self.clips.action(ctx, action, job_id)
        except Exception as exc:
            return self._failed(ctx, exc)

    async def status_posted(self, job_id: str, post: PostRef | None) -> None:
        """The answer that queued `job_id` was posted at `post` (its status post, edited as the job moves),
        or not as a status post at all (None). Releases the job's notices."""
        await self.delivery.status_posted(job_id, post)

    async def clip_posted(self, job_id: str, post: PostRef) -> None:
        """A clip of `job_id` was posted at `post`: replies and reactions to it find the clip, and the
        clip is not posted again after a restart."""
        await self.delivery.clip_posted(job_id, post)

    async def posts_of(self, job_id: str, kind: str | None = None) -> list[PostRef]:
        """Where `job_id` was posted (kind `clip` / `status`; None: both), e.g. to take a deleted clip down."""
        return await self.delivery.posts_of(job_id, kind)

    async def job_for_post(self, post: PostRef) -> str | None:
        """The job whose clip or status is the post `post`, if any."""
        return await self.delivery.job_for_post(post)

    # -- money, through the payment port ------------------------------------------------------

    def check_pack(self, platform: str, credits: int, price: int) -> bool:
        """Is a pack of `credits` on offer on `platform` at `price` (in the platform's unit)?"""
        return self.wallet.check_pack(platform, credits, price)

    async def paid(self, ctx: Context, credits: int, price: int, charge_id: str) -> Reply:
        """A payment went through on `ctx`'s platform: grant the pack once (the charge id is the key)."""
        try:
            return await self.wallet.paid(ctx, credits, price, charge_id)
        except Exception as exc:
            return self._failed(ctx, exc)

    async def payment_refunded(self, ctx: Context, charge_id: str) -> Reply:
        """The platform gave a payment back: take back what it bought (what is left of it), once."""
        try:
            return await self.wallet.payment_refunded(ctx, charge_id)
        except Exception as exc:
            return self._failed(ctx, exc)

    # -- the use cases by name (tools and tests) -----------------------------------------------

    async def balance(self, ctx: Context) -> Reply:
        await follow_roles(self.svc, ctx)
        return await self.wallet.balance(ctx)

    async def link(self, ctx: Context, code: str | None) -> Reply:
        return await self.wallet.link(ctx, code)

    async def set_auto_approve(self, ctx: Context, credits: Any) -> Reply:
        try:
            return await self.wallet.set_auto_approve(ctx, credits)
        except Exception as exc:
            return self._failed(ctx, exc)

    async def cancel(self, ctx: Context, job_id: str | None = None) -> Reply:
        try:
            return await self.clips.cancel(ctx, job_id)
        except Exception as exc:
            return self._failed(ctx, exc)

    async def feed(self, ctx: Context, limit: int = 10) -> Reply:
        return await self.clips.feed(ctx, limit)

    # -- delivery ------------------------------------------------------------------------------

    async def redeliver(self, max_age_s: float = 24 * 3600, min_age_s: float = 0.0) -> int:
        """Carry on with the clips finished in the window that their channel does not have yet (an upload
        a crash cut off is reconciled first, never posted twice). Returns how many this call posted."""
        return await self.delivery.redeliver(max_age_s, min_age_s)

    async def keep_delivering(self, every_s: float = 10.0) -> None:
        """Run until cancelled: every `every_s`, carry on with deliveries that are due."""
        await self.delivery.keep_delivering(every_s)

    async def _on_job_event(self, ev: JobEvent) -> None:
        await self.delivery.on_job_event(ev)

    def _failed(self, ctx: Context, exc: BaseException) -> Reply:
        """The one translation point: any error of a use case -> the member's error Reply."""
        return failure_reply(ctx.user, exc)


__all__ = ["Attachment", "Context", "Core", "Notice", "PostRef", "Reply", "detect_lang"]


def _no_engine() -> ClipEngine:
    raise RuntimeError("no engine configured")
