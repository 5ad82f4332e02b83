"""Write bot/parse/intent_model.json, the weights of the learned intent model (bot/parse/intent_model.py),
from the tuned request corpora in tests/data: multinomial logistic regression by plain SGD (a fixed
shuffle seed and a decaying step), a few seconds on one core. Deterministic: the same corpora give the same
weights, and tests/unit/test_parse_intent_model.py checks the committed file is current.

Usage: python scripts/train_intent.py [--check]   (--check: exit 1 when the file is out of date)
Held-out sets (HELD_OUT) are never read: they stay honest measures of phrasings nobody tuned on.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.parse.intent import QUESTION_ACTIONS  # noqa: E402
from bot.parse.intent_model import MIN_FEATURE_COUNT, MODEL_PATH, SCENE, features  # noqa: E402
from bot.parse.scan import Scan, clean_controls  # noqa: E402

DATA = ROOT / "tests" / "data"
#: blind sets kept out of training: measured as written, never tuned on
HELD_OUT = frozenset({f"parse_corpus_blind_{x}.jsonl" for x in "ksvwx"})
LABELS = [SCENE, *sorted(QUESTION_ACTIONS)]


def corpus_files() -> list[Path]:
    """The tuned corpora, in name order."""
    return [p for p in sorted(DATA.glob("parse_corpus*.jsonl")) if p.name not in HELD_OUT]


def label(row: dict[str, Any]) -> str | None:
    """A plain text row's label: its about-the-bot action, or SCENE for a clip to make; None for rows with
    attachments or replies (the context decides those)."""
    if row.get("images") or row.get("videos") or row.get("reply"):
        return None
    action = row["expect"]["action"]
    if action in QUESTION_ACTIONS:
        return str(action)
    return SCENE if action in ("create", "storyboard") else None


def view(text: str) -> str:
    """The matching view the parser builds for a message."""
    return Scan(" ".join(clean_controls(text).split())).norm


#: passes over the rows, first step size, L2 penalty per step
EPOCHS = 30
STEP = 0.5
L2 = 1e-4
#: weights are written with this many decimals; a feature whose weights all round to 0 is left out
DECIMALS = 3


def examples(rows: Iterable[dict[str, Any]]) -> list[tuple[list[str], int]]:
    """(sorted features, label index) of every labelled row, features seen in too few rows dropped."""
    labelled = [(features(view(row["text"])), y) for row in rows if (y := label(row)) is not None]
    seen = Counter(f for feats, _ in labelled for f in feats)
    keep = {f for f, n in seen.items() if n >= MIN_FEATURE_COUNT}
    return [(sorted(feats & keep), LABELS.index(y)) for feats, y in labelled]


def train(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The weights file's content for these corpus rows."""
    data = examples(rows)
    n = len(LABELS)
    weights: dict[str, list[float]] = {}
    bias = [0.0] * n
    shuffle = random.Random(7)
    for epoch in range(EPOCHS):
        shuffle.shuffle(data)
        step = STEP / (1 + 0.2 * epoch)
        for feats, y in data:
            rows_w = [weights.setdefault(f, [0.0] * n) for f in feats]
            scores = list(bias)
            for w in rows_w:
                for i in range(n):
                    scores[i] += w[i]
            top = max(scores)
            exp = [math.exp(s - top) for s in scores]
            z = sum(exp)
            for i in range(n):
                grad = exp[i] / z - (1.0 if i == y else 0.0)
                bias[i] -= step * grad
                for w in rows_w:
                    w[i] -= step * (grad + L2 * w[i])
    kept = {
        f: [round(x, DECIMALS) for x in w]
        for f, w in sorted(weights.items())
        if any(round(x, DECIMALS) for x in w)
    }
    return {"labels": LABELS, "bias": [round(b, DECIMALS) for b in bias], "weights": kept}


def load_rows(paths: Iterable[Path]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in paths:
        with path.open(encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    return rows


def render(model: dict[str, Any]) -> str:
    """The file text: one feature per line, so a retrain's diff is readable."""
    lines = [f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}" for k, v in model["weights"].items()]
    head = f'{{"labels": {json.dumps(model["labels"])}, "bias": {json.dumps(model["bias"])},\n'
    return head + '"weights": {\n' + ",\n".join(lines) + "\n}}\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when the committed file is out of date")
    ns = ap.parse_args(argv)
    text = render(train(load_rows(corpus_files())))
    if ns.check:
        current = MODEL_PATH.read_text(encoding="utf-8") if MODEL_PATH.exists() else ""
        if current != text:
            print(f"{MODEL_PATH.relative_to(ROOT)} is out of date: run python scripts/train_intent.py")
            return 1
        return 0
    MODEL_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(ROOT)}: {len(text.splitlines()) - 3} features")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
