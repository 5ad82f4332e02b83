"""Billing's domain errors. Each carries a stable `code` and the numbers a message needs.

The bot's one message table (bot/messages.py) turns these into user text; nothing here is user-facing.
"""

from __future__ import annotations

from typing import Any


class BillingError(Exception):
    """Base of every billing error. `code` is a stable key; `params` fill the user message."""

    code: str = "billing_error"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        self.code = code or type(self).code
        self.params: dict[str, Any] = params
        super().__init__(f"{self.code} {params}" if params else self.code)


class InsufficientCredits(BillingError):
    """A hold needs more credits than the account has. params: needed, available."""

    code = "insufficient_credits"

    def __init__(self, needed: int, available: int) -> None:
        super().__init__(needed=needed, available=available)
        self.needed = needed
        self.available = available


class PlanLimit(BillingError):
    """The request exceeds the plan. code is one of: plan_resolution, plan_seconds, plan_variations,
    plan_concurrency, plan_relaxed. params: plan, limit, asked."""

    code = "plan_limit"


class UnknownPlan(BillingError):
    """No plan with that name. params: plan, known."""

    code = "unknown_plan"


class BadAmount(BillingError):
    """A credit amount that is not a positive integer within bounds. params: amount."""

    code = "bad_amount"


class LinkError(BillingError):
    """Account linking failed. code: link_code_invalid, link_code_expired, link_self, link_already."""

    code = "link_error"


class NotFound(BillingError):
    """No such hold / job / account entry. params: what, key."""

    code = "not_found"


class BadQuote(BillingError):
    """A price or plan check was asked for something that does not exist (unknown resolution, aspect,
    mode, variations, or seconds outside 1..20). params: field, value, allowed."""

    code = "bad_quote"


class BillingFileError(BillingError):
    """An operator's prices/plans file is missing or invalid. params: path, problem.

    Raised at start-up, never at a user; `str()` names the file and the problem."""

    code = "billing_file"

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(path=str(path), problem=problem)
        self.path = str(path)
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


class HoldClosed(NotFound):
    """The job's hold is no longer open for this operation (e.g. refund of a captured hold, capture of a
    refunded one, admin refund of a job that was never captured). params: job_id, state."""

    code = "hold_closed"


class BadKey(BillingError):
    """An idempotency key that is empty or uses a prefix the ledger reserves. params: key."""

    code = "bad_key"


class TransferSelf(BillingError):
    """A transfer between two ids of one account (the same member, or linked wallets). params: payer, payee."""

    code = "transfer_self"
