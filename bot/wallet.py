"""The member's money: balance, plans and prices, linked wallets, the auto-approve limit, buying credit
packs and taking back refunded payments. Payments go through a port each paying channel implements.

Answers with Reply data; never names a currency or a platform (the port does).
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from billing.errors import NotFound
from billing.plans import RESOLUTION_ORDER
from bot.errors import BadAmount, BadPack, PaymentsOff, RefundUnsupported, error_reply
from bot.replies import INVOICE, Context, Reply
from bot.services import Services

log = logging.getLogger(__name__)
#: the largest auto-approve limit a member may set
MAX_AUTO_APPROVE = 1_000_000
#: a link code stays valid this long (the ledger's own default)
LINK_CODE_MINUTES = 10


class Payments(Protocol):
    """A channel that sells credit packs (Telegram Stars today). Prices are in the platform's own unit;
    the core only compares them with what the port says is on offer."""

    def packs(self) -> dict[int, int]:
        """credits -> price of each pack on sale (empty: nothing on sale)."""
        ...

    async def refund(self, user: str, charge_id: str) -> None:
        """Give the payment `charge_id` of `user` back on the platform. Raises bot.errors.PaymentRefused
        (the platform said no) or ValueError (`user` is not one of this platform's payers)."""
        ...


class Wallet:
    """Use cases about credits (see the module docstring)."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.payments: dict[str, Payments] = {}

    async def balance(self, ctx: Context) -> Reply:
        b = await self.svc.ledger.balance(ctx.user)
        return Reply(
            "balance",
            {
                "available": b.available,
                "allowance": b.allowance,
                "topup": b.topup,
                "plan": b.plan,
                "held": b.held,
                "reset": b.next_reset.strftime("%Y-%m-%d"),
            },
            ephemeral=True,
            balance_after=b.available,
        )

    def plans_info(self, ctx: Context) -> Reply:
        """Every plan (with the roles that give it in the asker's channel) and the 5-second widescreen
        prices."""
        plans = []
        role_plans = self.svc.settings.role_plans(ctx.platform)
        for name in self.svc.plans.names():
            p = self.svc.plans.get(name)
            plans.append(
                {
                    "name": p.name,
                    "credits": p.credits_per_month,
                    "max_resolution": p.max_resolution,
                    "max_seconds": p.max_seconds,
                    "max_concurrent": p.max_concurrent,
                    "relaxed": p.relaxed,
                    "watermark": p.watermark,
                    # the roles that give this plan here (bot/role_plans.py), as the platform's ids
                    "roles": sorted(role for role, plan in role_plans.items() if plan == p.name),
                }
            )
        prices = {r: self.svc.price(_five_seconds(r), None) for r in RESOLUTION_ORDER}
        return Reply("plans", {"plans": plans, "prices_5s": prices})

    async def link(self, ctx: Context, code: str | None) -> Reply:
        """No code: hand out a one-time code. With a code: join the code owner's wallet."""
        if not code:
            new = await self.svc.ledger.create_link_code(ctx.user)
            return Reply("link_code", {"code": new, "minutes": LINK_CODE_MINUTES}, ephemeral=True)
        from billing.errors import LinkError

        try:
            await self.svc.ledger.redeem_link_code(ctx.user, code.strip())
        except LinkError as exc:
            refused = error_reply(exc)
            refused.ephemeral = True  # about the asker's own code: nobody else needs to see it
            return refused
        ids = await self.svc.ledger.linked_ids(ctx.user)
        return Reply("linked", {"ids": ", ".join(ids)}, ephemeral=True, payload={"ids": ids})

    async def set_auto_approve(self, ctx: Context, credits: Any) -> Reply:
        """Spends up to `credits` start without a confirm. Raises BadAmount."""
        try:
            value = int(credits)
        except (TypeError, ValueError):
            raise BadAmount() from None
        if value < 0 or value > MAX_AUTO_APPROVE:
            raise BadAmount()
        await self.svc.ledger.set_auto_approve(ctx.user, value)
        return Reply("auto_approve_set", {"credits": value}, ephemeral=True)

    def packs(self, platform: str) -> dict[int, int]:
        port = self.payments.get(platform)
        return port.packs() if port is not None else {}

    def buy_offer(self, ctx: Context) -> Reply:
        """The credit packs on sale in the asker's channel; the channel turns each into an invoice."""
        packs = self.packs(ctx.platform)
        if not packs:
            raise PaymentsOff()
        return Reply(
            "buy_header",
            {},
            kind=INVOICE,
            payload={"packs": [{"credits": c, "price": p} for c, p in sorted(packs.items())]},
        )

    def check_pack(self, platform: str, credits: int, price: int) -> bool:
        """Is a pack of `credits` on offer in `platform` at `price`?"""
        return self.packs(platform).get(credits) == price

    async def paid(self, ctx: Context, credits: int, price: int, charge_id: str) -> Reply:
        """A payment went through: grant the pack once (the charge id is the idempotency key)."""
        if not self.check_pack(ctx.platform, credits, price):
            log.error(
                "payment %s for an unknown pack (%s credits at %s) by %s", charge_id, credits, price, ctx.user
            )
            raise BadPack()
        await self.svc.ledger.grant(ctx.user, credits, f"payment:{charge_id}")
        b = await self.svc.ledger.balance(ctx.user)
        return Reply("paid", {"credits": credits}, balance_after=b.available)

    async def payment_refunded(self, ctx: Context, charge_id: str) -> Reply:
        """The platform gave a payment back: take back what it bought (what is left of it), once."""
        try:
            taken = await self.svc.ledger.revoke(f"payment:{charge_id}", f"payment refunded by {ctx.user}")
        except NotFound:
            taken = 0  # the payment was never credited (a pack no longer on offer): nothing to take back
        return Reply("star_refunded", {"charge": charge_id, "credits": taken})

    async def refund_payment(self, ctx: Context, user: str, charge_id: str) -> Reply:
        """An admin gives `user` their payment back: the platform first, then the credits it bought.
        Raises RefundUnsupported (no payments there) or PaymentRefused (the platform said no)."""
        port = self.payments.get(user.partition(":")[0]) if ":" in user else None
        if port is None or not charge_id:
            raise RefundUnsupported()
        try:
            await port.refund(user, charge_id)
        except ValueError:
            raise RefundUnsupported() from None
        return await self.payment_refunded(ctx, charge_id)


def _five_seconds(resolution: str) -> Any:
    from bot.request import Request

    return Request(resolution=resolution, aspect="16:9", seconds=5)
