"""Which use case a registry command reaches (the commands that are not admin ones and take no clip):
the one table from a command's action to the core's use-case modules.

Routing only: every rule lives in the use-case modules; no platform, no text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.commands import Command
from bot.errors import UnknownCommand
from bot.generation import request_from_options
from bot.replies import Context, Reply
from bot.request import Request

if TYPE_CHECKING:
    from bot.core import Core


async def route_command(core: Core, ctx: Context, cmd: Command, args: dict[str, Any]) -> Reply:
    """Carry out `cmd` (its options `args` already validated against the registry) for `ctx.user`.
    Raises the use cases' domain errors (the core turns them into the member's error Reply)."""
    if cmd.action == "link":
        return await core.wallet.link(ctx, str(args.get("code") or "").strip() or None)
    if cmd.action == "autoapprove":
        return await core.wallet.set_auto_approve(ctx, args.get("credits"))
    if cmd.action == "cancel":
        return await core.clips.cancel(ctx, str(args.get("job") or "").strip() or None)
    if cmd.action == "queue":
        return await core.clips.queue_info(ctx)
    if cmd.action == "share":
        return await core.clips.share(ctx, str(args.get("job") or "").strip() or None)
    if cmd.action == "buy":
        return core.wallet.buy_offer(ctx)
    if cmd.generative:
        return await core.handle(ctx, request_from_options(ctx, cmd.action, args))
    return await core.handle(ctx, Request(action=cmd.action))


async def route_request(core: Core, ctx: Context, req: Request, *, confirmed: bool = False) -> Reply:
    """Carry out a parsed Request: a clip through the generation use case (`confirmed`: the member
    already tapped yes), anything else through its use case. Raises the use cases' domain errors."""
    if req.is_generative:
        return await core.generation.request(ctx, req, confirmed=confirmed)
    if req.action == "balance":
        return await core.wallet.balance(ctx)
    if req.action == "plans":
        return core.wallet.plans_info(ctx)
    if req.action == "help":
        return Reply("help")
    if req.action == "feed":
        return await core.clips.feed(ctx)
    if req.action == "cancel":
        return await core.clips.cancel(ctx)
    if req.action == "queue":
        return await core.clips.queue_info(ctx)
    raise UnknownCommand()
