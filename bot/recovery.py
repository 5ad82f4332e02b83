"""What a restart settles: the credit holds a crash left behind, under the delivery rule.

Reads the ledger and the job table; moves credits only through the ledger. No platform, no text.
"""

from __future__ import annotations

from bot.delivery import Delivery
from bot.services import Services
from engine.jobs import CANCELLED, DONE, FAILED


async def settle_holds(svc: Services, delivery: Delivery) -> int:
    """Settle every hold whose job is final (its event was lost in a crash): a finished job's under the
    delivery rule (captured when its clip is out, refunded when its delivery was given up; left open
    while it may still be delivered: bot/posting.py), a failed or cancelled one's refunded; and refund
    a hold with no job row (only a database from before holds and jobs shared a transaction has one).
    Holds of queued and running jobs are left to their jobs. Returns how many were settled."""
    settled = 0
    for hold in await svc.ledger.open_holds():
        job = await svc.jobs.get(hold.job_id)
        if job is None:
            await svc.ledger.refund(hold.job_id, "no_job")
        elif job.state == DONE:
            if not await delivery.posting.settle_done(job):
                continue
        elif job.state in (FAILED, CANCELLED):
            await svc.ledger.refund(hold.job_id, job.error or job.state)
        else:
            continue
        settled += 1
    return settled
