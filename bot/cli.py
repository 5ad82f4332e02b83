"""The `reelbot` command: run, worker, parse, quote, plans, generate, moderate, admin.

Every command prints JSON on stdout (run and worker print logs on stderr). Commands that need no engine
import no torch, diffusers or chat library, and the light ones (parse, quote, plans, admin) not even
pydantic: heavy imports live inside the commands that need them (bot/cli_commands.py, what each does).
This module is the command line's shape: its arguments, choices and help, from the command registry.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from bot import commands
from bot.cli_commands import (
    cmd_admin,
    cmd_audit,
    cmd_generate,
    cmd_moderate,
    cmd_parse,
    cmd_plans,
    cmd_presets,
    cmd_quote,
    cmd_run,
    cmd_worker,
    fail,
)


class _Parser(argparse.ArgumentParser):
    """argparse that fails with one JSON line on stderr-free stdout and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        fail(f"{self.prog}: {message}", code=2)


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
