"""The admins' chat commands: grant credits, set a plan, refund a job or a payment, undo a link, read a
member's balance. Every one checks that the asker is an admin first.

Answers with Reply data; the command's options arrive validated against the registry.
"""

from __future__ import annotations

import time
from typing import Any

from billing.records import check_user
from bot.errors import BadAmount, NotAdmin, UnknownCommand
from bot.moderation import actions as moderation
from bot.replies import Context, Reply
from bot.services import Services
from bot.wallet import Wallet


class Admin:
    """Admin use cases (see the module docstring)."""

    def __init__(self, svc: Services, wallet: Wallet) -> None:
        self.svc = svc
        self.wallet = wallet

    async def run(self, ctx: Context, action: str, args: dict[str, Any]) -> Reply:
        """Carry out admin command `action` (a registry action) with `args`. Raises NotAdmin for anyone
        else, BadAmount, UnknownCommand, or billing's errors."""
        if not self.svc.is_admin(ctx.user):
            raise NotAdmin()
        user = str(args.get("user") or "").strip()
        ledger = self.svc.ledger
        if action == "admin_grant":
            try:
                amount = int(args.get("credits"))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise BadAmount() from None
            await ledger.grant(user, amount, f"grant:{ctx.user}:{time.time_ns()}")
            return Reply("granted", {"amount": amount, "user": user})
        if action == "admin_plan":
            plan = str(args.get("plan") or "")
            self.svc.plans.get(plan)
            await ledger.set_plan(user, plan)
            return Reply("plan_set", {"user": user, "plan": plan})
        if action == "admin_refund":
            job_id = str(args.get("job") or "")
            amount = await ledger.admin_refund(job_id, ctx.user)
            return Reply("refunded", {"amount": amount, "job": job_id})
        if action == "admin_star_refund":
            return await self.wallet.refund_payment(ctx, user, str(args.get("charge") or "").strip())
        if action == "admin_unlink":
            await ledger.unlink(user)
            return Reply("unlinked", {"user": user})
        if action == "admin_ban":
            return await moderation.ban(self.svc, ctx.user, _user(user))
        if action == "admin_unban":
            return await moderation.unban(self.svc, ctx.user, _user(user))
        if action == "admin_review":
            job_id = str(args.get("job") or "").strip()
            decision = str(args.get("decision") or "").strip()
            if not decision:
                pending = await self.svc.moderation.pending_reviews()
                return Reply("reviews_pending", {"items": ", ".join(f"{j} ({n})" for j, n in pending) or "-"})
            return await moderation.review(self.svc, ctx.user, job_id, decision)
        if action == "admin_pool":
            return pool_reply(self.svc.queue.pool())
        if action == "admin_balance":
            b = await ledger.balance(user)
            return Reply(
                "admin_balance",
                {
                    "user": user,
                    "available": b.available,
                    "allowance": b.allowance,
                    "topup": b.topup,
                    "plan": b.plan,
                    "held": b.held,
                },
            )
        raise UnknownCommand()


def pool_reply(workers: list[dict[str, Any]]) -> Reply:
    """The admin view of the engine pool: one line per engine thread or `reelbot worker` (its preset, GPU,
    the job it runs and its progress); the objects themselves travel in the payload (web API, tools)."""
    lines = []
    for w in workers:
        where = " · ".join(str(w[k]) for k in ("preset", "gpu") if w.get(k) not in (None, ""))
        running = w.get("running") or "-"
        progress = f" {round(100 * float(w['progress']))}%" if w.get("running") and w.get("progress") else ""
        lines.append(f"{w['worker']}{' (' + where + ')' if where else ''}: {running}{progress}")
    return Reply(
        "pool",
        {"count": len(workers), "lines": "\n".join(lines) or "-"},
        payload={"workers": workers},
        ephemeral=True,
    )


def _user(user: str) -> str:
    """A platform-qualified member id. Raises billing's BadUser otherwise."""
    check_user(user)
    return user
