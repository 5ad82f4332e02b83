"""Credit packs sold for Telegram Stars: the invoices, the pre-checkout answer, successful payments and
refunds. Implements the core's payments port (bot/wallet.py `Payments`): the core decides what a pack is
and grants it; only this module knows the currency (XTR) and what a Telegram payer id looks like.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from telegram import LabeledPrice, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.core import detect_lang
from bot.errors import PaymentRefused
from bot.messages import text
from bot.replies import ERROR, PostRef, Reply

if TYPE_CHECKING:
    from bot.adapters.base import Outgoing, Place
    from bot.adapters.telegram_adapter import TelegramAdapter

log = logging.getLogger(__name__)

#: Telegram Stars: digital goods are paid in XTR, with no payment provider
CURRENCY = "XTR"
TITLE_LIMIT = 32
DESCRIPTION_LIMIT = 255
_PAYLOAD = re.compile(r"pack:(\d{1,9}):(\d{1,9})")


def invoice_payload(credits: int, stars: int) -> str:
    """What an invoice carries back in its pre-checkout query and payment (invoices already sent use it)."""
    return f"pack:{credits}:{stars}"


def parse_payload(payload: str) -> tuple[int, int] | None:
    """`pack:<credits>:<stars>` -> (credits, stars); None for anything else."""
    m = _PAYLOAD.fullmatch(payload or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


class StarsPayments:
    """The payments port for Telegram (packs on sale, refunds) and the handlers of the payment flow."""

    def __init__(self, channel: TelegramAdapter, packs: dict[int, int]) -> None:
        self.channel = channel
        self._packs = dict(packs)

    def packs(self) -> dict[int, int]:
        """credits -> Stars of each pack on sale."""
        return dict(self._packs)

    async def refund(self, user: str, charge_id: str) -> None:
        """Give the Stars of payment `charge_id` back to `user` ("telegram:<id>"). Raises ValueError for a
        user who is not a Telegram member, PaymentRefused when Telegram says no."""
        platform, _, ident = user.partition(":")
        if platform != self.channel.platform or not ident.isdigit():
            raise ValueError(f"not a Telegram payer: {user!r}")
        try:
            await self.channel.app.bot.refund_star_payment(
                user_id=int(ident), telegram_payment_charge_id=charge_id
            )
        except TelegramError as exc:
            raise PaymentRefused(str(exc.message)) from exc

    async def send_invoices(self, place: Place, out: Outgoing) -> PostRef | None:
        """One Stars invoice per pack of an invoice reply; the last invoice's post."""
        post = None
        for pack in out.reply.payload.get("packs", []):
            credits, stars = int(pack["credits"]), int(pack["price"])
            title = text("buy_title", out.lang, credits=credits)[:TITLE_LIMIT]
            sent = await self.channel.app.bot.send_invoice(
                chat_id=int(place.chat),
                title=title,
                description=text("buy_description", out.lang, credits=credits)[:DESCRIPTION_LIMIT],
                payload=invoice_payload(credits, stars),
                currency=CURRENCY,
                prices=[LabeledPrice(title, stars)],
                message_thread_id=int(place.thread) if place.thread else None,
            )
            post = PostRef(self.channel.platform, str(sent.chat.id), str(sent.message_id))
        return post

    def _on_offer(self, payload: str, amount: int, currency: str) -> tuple[int, int] | None:
        pack = parse_payload(payload)
        if pack is None or currency != CURRENCY:
            return None
        return pack if self.channel.core.check_pack(self.channel.platform, pack[0], amount) else None

    async def on_pre_checkout(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Telegram asks, within 10 s, whether the pack about to be paid for is still on offer at that price."""
        q = update.pre_checkout_query
        if q is None:
            return
        if self._on_offer(q.invoice_payload, q.total_amount, q.currency) is not None:
            await q.answer(ok=True)
        else:
            lang = detect_lang(None, q.from_user.language_code)
            await q.answer(ok=False, error_message=text("bad_pack", lang))

    async def on_payment(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A payment went through: the core grants the pack once per charge (Telegram may deliver twice)."""
        msg = update.effective_message
        if msg is None or msg.successful_payment is None:
            return
        pay = msg.successful_payment
        ctx, where = self.channel.incoming(update, msg)
        pack = self._on_offer(pay.invoice_payload, pay.total_amount, pay.currency)
        if pack is None:
            log.error(
                "telegram: payment %s for a pack not on offer (%s, %s %s)",
                pay.telegram_payment_charge_id,
                pay.invoice_payload,
                pay.total_amount,
                pay.currency,
            )
            await self.channel.answer(ctx, where, Reply("bad_pack", kind=ERROR))
            return
        reply = await self.channel.core.paid(ctx, pack[0], pay.total_amount, pay.telegram_payment_charge_id)
        await self.channel.answer(ctx, where, reply)
