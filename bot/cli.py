"""The `reelbot` command: run, worker, parse, quote, plans, generate, moderate, admin.

Every command prints JSON on stdout (run and worker print logs on stderr). Commands that need no engine
import no torch, diffusers or chat library, and the light ones (parse, quote, plans, admin) not even
pydantic: heavy imports live inside the functions that need them. Choices and help come from the
command registry.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from bot import commands


class _Parser(argparse.ArgumentParser):
    """argparse that fails with one JSON line on stderr-free stdout and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        _fail(f"{self.prog}: {message}", code=2)


def _fail(message: str, code: int = 1, **extra: Any) -> NoReturn:
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
        _fail(f"invalid settings: {exc}")


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
        _fail(str(exc), code=1, code_name=exc.code)
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
        _fail(_error_text(exc), code=1, code_name=exc.code)
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
        _fail("USER must be platform-qualified, e.g. telegram:12345, discord:678, web:ann", code=2)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        plans = PlanBook.load(settings.plans_file).with_default(settings.default_plan)
    except BillingError as exc:
        _fail(_error_text(exc) if exc.code == "unknown_plan" else str(exc), code=2)
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
        _fail(_error_text(exc), code=1, code_name=exc.code)
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
        _fail(f"no such image: {', '.join(missing)}", code=2)
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
        _fail(str(exc), code=2)
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
        _fail(
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
        _fail(str(exc), code=2)
    except KeyError as exc:
        _fail(str(exc).strip("'\""), code=2)
    return 0


# -- the parser -------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="reelbot",
        description="Reelbot: a self-hostable video generation bot for chat communities.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Chat commands:\n" + "\n".join(commands.help_lines("en")),
    )
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser)

    r = sub.add_parser(
        "run",
        help="start every configured channel plus in-process engine workers",
        description="Start the bot: the Telegram channel (REELBOT_TELEGRAM_TOKEN), the Discord "
        "channel (REELBOT_DISCORD_TOKEN), the local web channel (REELBOT_WEB_HOST/PORT) and "
        "in-process engine workers. Settings come from the environment or .env.",
    )
    r.set_defaults(func=cmd_run)
    w = sub.add_parser(
        "worker",
        help="engine worker for a distributed queue (REELBOT_QUEUE_URL)",
        description="Load the model once and render the jobs the bot sends through the Redis "
        "queue at REELBOT_QUEUE_URL, until SIGINT/SIGTERM. Logs on stderr.",
    )
    w.add_argument(
        "--gpu",
        type=int,
        default=None,
        help="CUDA device index this worker uses (sets CUDA_VISIBLE_DEVICES); default: what the process sees",
    )
    w.add_argument(
        "--model", default=None, help="preset name, auto, or a local diffusers folder (default REELBOT_MODEL)"
    )
    w.add_argument(
        "--max-resolution",
        default="1080p",
        choices=("480p", "720p", "1080p"),
        help="largest output this worker takes (bigger jobs go to other workers)",
    )
    w.add_argument(
        "--prefetch",
        type=int,
        default=None,
        choices=range(0, 5),
        metavar="N",
        help="jobs held beyond the one rendering (default REELBOT_WORKER_PREFETCH, 1)",
    )
    w.set_defaults(func=cmd_worker)

    pa = sub.add_parser("parse", help="print the Request JSON for a message")
    pa.add_argument("text", nargs="+", help="the message text")
    pa.add_argument("--images", type=_count, default=0, help="number of attached images")
    pa.add_argument("--videos", type=_count, default=0, help="number of attached videos")
    pa.add_argument("--reply", action="store_true", help="the message replies to a clip")
    pa.set_defaults(func=cmd_parse)

    q = sub.add_parser("quote", help="price a job in credits")
    low, high = commands.bounds("seconds")
    q.add_argument("--action", default="create", choices=commands.generative_actions())
    q.add_argument("--resolution", default="480p", choices=commands.choices("resolution"))
    q.add_argument("--aspect", default="16:9", choices=commands.choices("aspect"))
    q.add_argument("--seconds", type=int, default=5, help=f"{low}..{high}")
    q.add_argument(
        "--variations", type=int, default=1, choices=tuple(int(v) for v in commands.choices("variations"))
    )
    q.add_argument("--mode", default="fast", choices=commands.choices("mode"))
    q.add_argument("--plan", default=None, help="check the request against this plan (free, plus, pro)")
    q.set_defaults(func=cmd_quote)

    pl = sub.add_parser("plans", help="print the plans")
    pl.set_defaults(func=cmd_plans)
    pr = sub.add_parser("presets", help="print the engine's model presets (sound, licence, memory) as JSON")
    pr.set_defaults(func=cmd_presets)

    g = sub.add_parser("generate", help="render one clip with the engine only (no bot)")
    _add_generate_arguments(g)
    g.set_defaults(func=cmd_generate)

    m = sub.add_parser(
        "moderate",
        help="the moderation verdict on a prompt (and images) as JSON",
        description='Print {"blocked", "reason", "categories"} for TEXT on the operator\'s '
        "configured policy (REELBOT_BLOCKED_TERMS_FILE, REELBOT_MODERATION_*).",
    )
    m.add_argument("text", nargs="+", help="the prompt")
    m.add_argument("--image", action="append", default=[], help="an input image to check too (repeatable)")
    m.add_argument("--adult-channel", action="store_true", help="judge it as in an adult channel")
    m.set_defaults(func=cmd_moderate)

    a = sub.add_parser("admin", help="grant credits, set plans, read balances, refund jobs")
    asub = a.add_subparsers(dest="admin_cmd", required=True, parser_class=_Parser)
    ag = asub.add_parser("grant", help="add top-up credits: admin grant USER AMOUNT")
    ag.add_argument("user")
    ag.add_argument("amount", type=_positive)
    ag.add_argument("--key", default=None, help="idempotency key (a replay grants nothing)")
    ap = asub.add_parser("plan", help="set a plan: admin plan USER PLAN")
    ap.add_argument("user")
    ap.add_argument("plan")
    ab = asub.add_parser("balance", help="show a balance: admin balance USER")
    ab.add_argument("user")
    ar = asub.add_parser("refund", help="refund a finished job: admin refund USER JOB_ID")
    ar.add_argument("user")
    ar.add_argument("job")
    a.set_defaults(func=cmd_admin)
    aa = asub.add_parser("audit", help="recompute every balance from the ledger; exit 1 on a mismatch")
    aa.set_defaults(func=cmd_audit)
    return p


def _add_generate_arguments(g: argparse.ArgumentParser) -> None:
    try:
        from engine import generate
    except ImportError:
        return
    generate.add_arguments(g)


def _count(v: str) -> int:
    n = int(v)
    if n < 0 or n > 10:
        raise argparse.ArgumentTypeError("must be 0..10")
    return n


def _positive(v: str) -> int:
    try:
        n = int(v)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {v!r}") from exc
    if n <= 0 or n > 100_000_000:
        raise argparse.ArgumentTypeError("must be a positive whole number (at most 100,000,000)")
    return n


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    ns = parser.parse_args(argv)
    return int(ns.func(ns) or 0)


if __name__ == "__main__":
    sys.exit(main())
