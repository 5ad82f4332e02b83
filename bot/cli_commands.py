"""What each `reelbot` subcommand does (run, worker, parse, quote, plans, presets, generate, moderate,
admin): each `cmd_*` takes the parsed arguments, prints JSON on stdout and returns the exit code; `fail`
prints the error line and exits. The command line's shape (arguments, help) is bot/cli.py.

Heavy imports (torch, chat libraries, pydantic) live inside the commands that need them, so the light ones
(parse, quote, plans, admin) start fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, NoReturn


def fail(message: str, code: int = 1, **extra: Any) -> NoReturn:
    """Print `{"error": message, **extra}` on stdout and exit with `code`."""
    print(json.dumps({"error": message, **extra}, ensure_ascii=False))
    sys.exit(code)


def _out(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False))


def _error_text(exc: BaseException) -> str:
    """A domain error in the operator's words (the member message table, in English)."""
    from bot.errors import error_reply
    from bot.messages import render

    return render(error_reply(exc), "en")


def _settings() -> Any:
    """The full Settings (run, worker, generate)."""
    from bot.settings import Settings

    try:
        return Settings()
    except Exception as exc:  # pydantic's ValidationError: say which setting is wrong
        fail(f"invalid settings: {exc}")


def _light_settings() -> Any:
    """The few settings the light commands read (folders and tables), without pydantic."""
    from bot.light_settings import load_light_settings

    return load_light_settings()


# -- parse / quote / plans ----------------------------------------------------------------------


def cmd_parse(ns: argparse.Namespace) -> int:
    from bot.parse import ParseError, parse

    text = " ".join(ns.text)
    try:
        req = parse(text, images=ns.images, videos=ns.videos, reply=ns.reply)
    except ParseError as exc:
        fail(str(exc), code=1, code_name=exc.code)
    _out(req.to_dict())
    return 0


def cmd_quote(ns: argparse.Namespace) -> int:
    from billing.errors import BillingError
    from billing.plans import PlanBook, check
    from billing.prices import PriceTable, quote

    settings = _light_settings()
    try:
        prices = PriceTable.load(settings.prices_file)
        plan = None
        if ns.plan:
            plan = PlanBook.load(settings.plans_file).get(ns.plan)
            check(plan, resolution=ns.resolution, seconds=ns.seconds, variations=ns.variations, mode=ns.mode)
        credits = quote(
            prices,
            resolution=ns.resolution,
            aspect=ns.aspect,
            seconds=ns.seconds,
            variations=ns.variations,
            mode=ns.mode,
            plan=plan,
        )
    except BillingError as exc:
        fail(_error_text(exc), code=1, code_name=exc.code)
    _out({"credits": credits})
    return 0


def cmd_plans(ns: argparse.Namespace) -> int:
    from dataclasses import asdict

    from billing.plans import PlanBook

    settings = _light_settings()
    book = PlanBook.load(settings.plans_file)
    _out({"plans": [asdict(book.get(n)) for n in book.names()]})
    return 0


def cmd_presets(ns: argparse.Namespace) -> int:
    """`reelbot presets`: the engine's presets as a JSON list (name, model id, audio, max resolution, min GPU
    memory, licence)."""
    from engine.presets import presets_json

    _out(presets_json())
    return 0


# -- admin ----------------------------------------------------------------------------------------


def cmd_admin(ns: argparse.Namespace) -> int:
    import asyncio

    return asyncio.run(_admin(ns))


async def _admin(ns: argparse.Namespace) -> int:
    from dataclasses import asdict

    from billing.errors import BillingError
    from billing.ledger import Ledger
    from billing.plans import PlanBook

    settings = _light_settings()
    if ":" not in ns.user:
        fail("USER must be platform-qualified, e.g. telegram:12345, discord:678, web:ann", code=2)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        plans = PlanBook.load(settings.plans_file).with_default(settings.default_plan)
    except BillingError as exc:
        fail(_error_text(exc) if exc.code == "unknown_plan" else str(exc), code=2)
    ledger = await Ledger.open(settings.db_path, plans)
    try:
        if ns.admin_cmd == "grant":
            import secrets

            key = ns.key or f"grant:cli:{secrets.token_hex(8)}"
            granted = await ledger.grant(ns.user, ns.amount, key)
            bal = await ledger.balance(ns.user)
            _out(
                {
                    "user": ns.user,
                    "granted": ns.amount if granted else 0,
                    "key": key,
                    "available": bal.available,
                }
            )
        elif ns.admin_cmd == "plan":
            plans.get(ns.plan)
            await ledger.set_plan(ns.user, ns.plan)
            bal = await ledger.balance(ns.user)
            _out({"user": ns.user, "plan": bal.plan, "available": bal.available})
        elif ns.admin_cmd == "balance":
            bal = await ledger.balance(ns.user)
            data = asdict(bal)
            _out(
                {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
                | {"user": ns.user}
            )
        elif ns.admin_cmd == "refund":
            amount = await ledger.admin_refund(ns.job, by="cli")
            bal = await ledger.balance(ns.user)
            _out({"user": ns.user, "job": ns.job, "refunded": amount, "available": bal.available})
    except BillingError as exc:
        fail(_error_text(exc), code=1, code_name=exc.code)
    finally:
        await ledger.close()
    return 0


def cmd_audit(ns: argparse.Namespace) -> int:
    """`admin audit`: print the books check as JSON; exit 1 on any mismatch (bot/audit.py)."""
    import asyncio

    from bot.audit import audit_file

    report = asyncio.run(audit_file(_settings().db_path))
    _out(report)
    return 1 if report["mismatches"] else 0


# -- generate / run / worker ------------------------------------------------------------------------


def cmd_moderate(ns: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.moderation import Moderator

    images = [Path(p) for p in ns.image]
    missing = [str(p) for p in images if not p.is_file()]
    if missing:
        fail(f"no such image: {', '.join(missing)}", code=2)
    moderator = Moderator.from_settings(_settings())
    _out(moderator.judge(" ".join(ns.text), images, adult=ns.adult_channel).to_json())
    return 0


def cmd_generate(ns: argparse.Namespace) -> int:
    from billing.errors import BillingError
    from billing.plans import PlanBook
    from engine import generate

    settings = _settings()
    try:  # the watermark follows the operator's plan table, not the engine's built-in fallback
        ns.watermark = PlanBook.load(settings.plans_file).get(ns.plan).watermark
    except BillingError as exc:
        fail(str(exc), code=2)
    if getattr(ns, "data_dir", None) is None:
        ns.data_dir = settings.data_dir
    if getattr(ns, "model", None) is None:
        ns.model = settings.model
    return int(generate.main(ns))


def cmd_run(ns: argparse.Namespace) -> int:
    import asyncio

    from bot.app import run

    settings = _settings()
    return asyncio.run(run(settings))


def cmd_worker(ns: argparse.Namespace) -> int:
    import os

    settings = _settings()
    if not settings.queue_url:
        fail(
            "reelbot worker serves a distributed queue: set REELBOT_QUEUE_URL (a Redis URL). "
            "Without it, `reelbot run` runs the engine workers in-process.",
            code=2,
        )
    from bot.app import setup_logging
    from engine.pool import max_pixels_of
    from engine.remote_worker import load_and_serve

    setup_logging(settings.log_level)
    if ns.gpu is not None:  # before torch loads: the worker then sees that one GPU as cuda:0
        os.environ["CUDA_VISIBLE_DEVICES"] = str(ns.gpu)
    try:
        load_and_serve(
            settings.queue_url,
            model=ns.model or settings.model,
            data_dir=settings.data_dir,
            queue=settings.queue_name,
            gpu=ns.gpu,
            max_pixels=max_pixels_of(ns.max_resolution),
            prefetch=settings.worker_prefetch if ns.prefetch is None else ns.prefetch,
            beat_s=settings.worker_heartbeat_s,
            options=settings.engine_load_options(),
        )
    except ValueError as exc:  # REELBOT_ENGINE_* values that cannot work together
        fail(str(exc), code=2)
    except KeyError as exc:
        fail(str(exc).strip("'\""), code=2)
    return 0
