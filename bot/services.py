"""What every use case works with: settings, the ledger, the job and state stores, the price and plan
tables, the queue, the moderator. Built once by Core.open and handed to each use-case module.

Holds references only; no rule lives here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from billing.prices import quote

if TYPE_CHECKING:
    from billing.ledger import Ledger
    from billing.plans import Plan, PlanBook
    from billing.prices import PriceTable
    from bot.moderation import Moderator
    from bot.moderation.records import ModerationRecords
    from bot.request import Request
    from bot.settings import Settings
    from bot.state import CoreState
    from engine.jobs import JobStore
    from engine.queue import JobQueue
    from reel.db import Database


@dataclass
class Services:
    """The shared parts of the core (see the module docstring)."""

    settings: Settings
    db: Database  # the one writer of the database: ledger, jobs and state share it
    ledger: Ledger
    jobs: JobStore
    state: CoreState
    prices: PriceTable
    plans: PlanBook
    queue: JobQueue
    moderator: Moderator
    moderation: ModerationRecords  # blocks, bans, report reviews

    def is_admin(self, user: str) -> bool:
        """Is `user` (platform-qualified) one of the operator's admins?"""
        return user in self.settings.admins

    def price(self, req: Request, plan: Plan | None) -> int:
        """Credits `req` costs on `plan` (relaxed is free where the plan allows it)."""
        return quote(
            self.prices,
            resolution=req.resolution,
            aspect=req.aspect,
            seconds=req.seconds,
            variations=req.variations,
            mode=req.mode,
            plan=plan,
        )
