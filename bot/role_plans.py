"""Plans that follow a member's roles. The operator maps a platform's role ids to plans (Discord: a booster
or patron role to `plus`); at each request the best plan the member's roles give becomes the account's
plan, and when the roles stop giving it the plan the account had before comes back.

The roles arrive as opaque ids in Context.roles; the mapping is the operator's (Settings.role_plans). A plan
an admin set is never lowered by roles, and an admin's change after the roles took over wins. Plan changes
go through the ledger (`set_plan` keeps what was spent this cycle, so switching roles mints nothing).
"""

from __future__ import annotations

import logging

from billing.plans import PlanBook
from bot.replies import Context
from bot.services import Services

log = logging.getLogger(__name__)


def rank(plans: PlanBook, name: str) -> tuple[int, int]:
    """How good plan `name` is: its monthly credits, then its place in the plan table (later: better)."""
    names = list(plans.names())
    plan = plans.plans.get(name)
    return (plan.credits_per_month if plan else -1, names.index(name) if name in names else -1)


def granted_plan(svc: Services, ctx: Context) -> str | None:
    """The best plan `ctx`'s roles map to on its platform, or None (no roles there, or none mapped)."""
    mapping = svc.settings.role_plans(ctx.platform)
    if not mapping or not ctx.roles:
        return None
    found = []
    for role in ctx.roles:
        plan = mapping.get(role)
        if plan is None:
            continue
        if plan not in svc.plans.plans:
            log.warning("role %s maps to unknown plan %r; ignored", role, plan)
            continue
        found.append(plan)
    return max(found, key=lambda p: rank(svc.plans, p)) if found else None


async def follow_roles(svc: Services, ctx: Context) -> None:
    """Put `ctx.user`'s account on the plan its roles give (or back on its own plan when they give none).
    Does nothing where the channel reports no roles (ctx.roles is None) or no role is mapped. Never
    raises: a plan that cannot follow the roles right now must not stop the request (it is logged)."""
    try:
        await _follow_roles(svc, ctx)
    except Exception:
        log.exception("plan of %s could not follow their roles", ctx.user)


async def _follow_roles(svc: Services, ctx: Context) -> None:
    if ctx.roles is None or not svc.settings.role_plans(ctx.platform):
        return
    granted = granted_plan(svc, ctx)
    bal = await svc.ledger.balance(ctx.user)
    account = str(bal.account)
    record = await svc.state.role_plan(account)
    if record is not None and record[0] != bal.plan:  # an admin changed the plan since the roles set it
        await svc.state.forget_role_plan(account)
        record = None
    base = record[1] if record is not None else bal.plan
    if granted is not None and rank(svc.plans, granted) > rank(svc.plans, base):
        if bal.plan != granted:
            await svc.ledger.set_plan(ctx.user, granted)
            log.info("%s: plan %s from their roles (was %s)", ctx.user, granted, bal.plan)
        if record != (granted, base):
            await svc.state.set_role_plan(account, granted, base)
    elif record is not None:
        await svc.ledger.set_plan(ctx.user, base)
        await svc.state.forget_role_plan(account)
        log.info("%s: back on plan %s (their roles no longer give %s)", ctx.user, base, record[0])
