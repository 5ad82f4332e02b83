"""Accuracy of `bot.parse.parse` on the hand-written corpus (tests/data/parse_corpus.jsonl).

Prints the share of cases whose expected keys all match, overall and per category, then every failure.
Usage: python scripts/parse_accuracy.py [--corpus FILE] [--min 0.95]   (exit 1 below --min)

Corpus lines: {"text", "images", "videos", "reply", "category", "expect"} plus optional "bot_names";
"expect" holds the keys that must match: contract keys (always "action"), for edits the stored details
trim_start / trim_end / extend / strength, and `about_bot` (the flag the core confirms before charging).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "parse_corpus.jsonl"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.parse import ParseError, parse  # noqa: E402


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    """The corpus rows, in file order (blank lines skipped)."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def observed(row: dict[str, Any]) -> dict[str, Any]:
    """What the parser makes of one row: the stored form (contract keys plus edit details)."""
    try:
        req = parse(
            row["text"],
            images=row.get("images", 0),
            videos=row.get("videos", 0),
            reply=row.get("reply", False),
            bot_names=row.get("bot_names", ()),
        )
    except ParseError as exc:
        return {"error": exc.code}
    return {**req.to_storage(), "about_bot": req.about_bot}


def mismatches(row: dict[str, Any], got: dict[str, Any] | None = None) -> dict[str, tuple[Any, Any]]:
    """Expected keys that differ: {key: (expected, got)}; empty when the row passes."""
    got = observed(row) if got is None else got
    out: dict[str, tuple[Any, Any]] = {}
    for key, want in row["expect"].items():
        have = got.get(key, f"<ParseError {got['error']}>" if "error" in got else "<missing>")
        if have != want:
            out[key] = (want, have)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--min", type=float, default=0.0, help="exit 1 when overall accuracy is below this")
    ns = ap.parse_args(argv)
    rows = load_corpus(ns.corpus)
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures: list[tuple[dict[str, Any], dict[str, tuple[Any, Any]]]] = []
    for row in rows:
        bad = mismatches(row)
        cat = row.get("category") or row["expect"]["action"]
        per[cat][1] += 1
        if bad:
            failures.append((row, bad))
        else:
            per[cat][0] += 1
    ok = len(rows) - len(failures)
    accuracy = ok / len(rows) if rows else 0.0
    width = max([14, *(len(cat) for cat in per)])
    print(f"{'category':<{width}} {'ok':>4} / {'n':<4} accuracy")
    for cat in sorted(per):
        good, n = per[cat]
        print(f"{cat:<{width}} {good:>4} / {n:<4} {good / n:6.1%}")
    print(f"{'overall':<{width}} {ok:>4} / {len(rows):<4} {accuracy:6.1%}")
    if failures:
        print(f"\n{len(failures)} failure(s):")
        for row, bad in failures:
            ctx = {k: row[k] for k in ("images", "videos", "reply") if row.get(k)}
            print(f"- {row['text']!r} {ctx or ''}")
            for key, (want, have) in bad.items():
                print(f"    {key}: expected {want!r}, got {have!r}")
    return 0 if accuracy >= ns.min else 1


if __name__ == "__main__":
    sys.exit(main())
