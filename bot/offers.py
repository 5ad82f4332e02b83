"""The pure decisions of generation: the closest request that fits a plan and a balance (the one-tap
offer), and how an edit takes its frame and length from the clip it edits.

Functions of their arguments only: no I/O, no ledger, no messages.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from billing.errors import PlanLimit
from billing.plans import RESOLUTION_ORDER, Plan, check
from bot.request import Request
from reel.contract import EDIT_ACTIONS, MAX_SECONDS

#: lengths an offer may shorten to (besides the plan's own maximum)
OFFER_SECONDS = (20, 15, 10, 5, 3, 1)


def fits(req: Request, plan: Plan) -> bool:
    """Does the plan allow `req` (resolution, length, variations, mode)?"""
    try:
        check(plan, resolution=req.resolution, seconds=req.seconds, variations=req.variations, mode=req.mode)
    except PlanLimit:
        return False
    return True


def distance(req: Request, cand: Request) -> float:
    """How far `cand` is from what was asked: a resolution step weighs 2, five seconds 1, halving the
    variations 1, another mode 0.5."""
    steps = RESOLUTION_ORDER.index(req.resolution) - RESOLUTION_ORDER.index(cand.resolution)
    return (
        steps * 2
        + (req.seconds - cand.seconds) / 5
        + math.log2(req.variations / cand.variations)
        + (0.5 if cand.mode != req.mode else 0)
    )


def closest_fit(
    req: Request, plan: Plan, available: int, price: Callable[[Request], int]
) -> tuple[Request, int] | None:
    """The nearest version of `req` (no higher resolution, no longer, no more variations; relaxed where the
    plan has it) that the plan allows and `available` credits pay for, with its price; None if none does.
    An extension is never shortened: a shorter extension is not what was asked."""
    if req.action == "recut" and req.extend:
        return None
    res_index = RESOLUTION_ORDER.index(req.resolution)
    seconds_options = sorted({req.seconds, min(req.seconds, plan.max_seconds), *OFFER_SECONDS}, reverse=True)
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
                    cand = replace(
                        req, resolution=RESOLUTION_ORDER[ri], seconds=secs, variations=var, mode=mode
                    )
                    if cand == req or not fits(cand, plan):
                        continue
                    cost = price(cand)
                    if cost > available:
                        continue
                    d = distance(req, cand)
                    if best is None or d < best[0]:
                        best = (d, cand, cost)
    return (best[1], best[2]) if best else None


def shape_edit(req: Request, source: Request | None) -> Request:
    """An edit of the clip made from `source`: same resolution and aspect; loop and remix keep its length,
    a trim's length is its range (negative ends count from the clip's end; a range under a second keeps
    the whole clip), an extension adds its seconds or reaches its target; no prompt keeps the source's."""
    if source is None or req.action not in EDIT_ACTIONS:
        return req
    out = replace(req, resolution=source.resolution, aspect=source.aspect)
    if req.action in ("loop", "remix"):
        out = replace(out, seconds=source.seconds)
    if req.action == "recut":
        length = float(source.seconds)
        if req.extend and req.trim_end is not None and 0 < req.trim_end <= length:
            # "make it 3 seconds long" of a 5 s clip: a target length shorter than the clip is a trim
            req = replace(req, extend=False, trim_start=0.0)
            out = replace(out, extend=False)
        if not req.extend and req.trim_start is None and req.trim_end is None and req.seconds > length:
            # "make it 15 seconds" of a 5 s clip: keeping the first 15 s of it is the whole clip; the length
            # asked is a target, so the clip is extended to it (and priced as the extension it is)
            req = replace(req, extend=True, trim_end=float(req.seconds))
            out = replace(out, extend=True)
        if req.extend:
            # "extend to 10s" carries the target length in trim_end; "extend (by) 3s" the added seconds
            target = req.trim_end if req.trim_end and req.trim_end > length else length + max(1, req.seconds)
            out = replace(out, seconds=min(MAX_SECONDS, int(round(target))), trim_start=None, trim_end=None)
        elif req.trim_start is not None or req.trim_end is not None:
            start = req.trim_start or 0.0
            end = req.trim_end if req.trim_end is not None else length
            start = length + start if start < 0 else start
            end = length + end if end < 0 else end
            start, end = max(0.0, min(start, length)), max(0.0, min(end, length))
            if end - start < 1.0:
                start, end = 0.0, length
            out = replace(out, seconds=max(1, int(round(end - start))), trim_start=start, trim_end=end)
    if not out.prompt:
        out = replace(out, prompt=source.prompt)
    elif req.action == "remix" and source.prompt and source.prompt.casefold() not in out.prompt.casefold():
        # the parser keeps only the change ("make it dusk" -> "dusk"); the model re-renders the whole scene,
        # so it is told the scene and the change
        out = replace(out, prompt=f"{source.prompt}, {out.prompt}")
    return out
