"""The learned second opinion on intent: a small logistic regression over words and Chinese characters that
tells a question or instruction about the bot (balance, plans, help, feed, cancel) from a scene to make.

The rules of `intent` decide first. Where they still read a plain text message as a new clip, this model,
trained on every tuned request corpus (scripts/train_intent.py writes `intent_model.json`), may call it a
question instead: only when it is sure and the message is addressed to someone (a question mark, a
pronoun, a polite word, an asking word) or the safety net already flagged it; and where the rules read one
question, it may read another only when all but certain. A scene that merely holds
bot words ("a salesman explaining subscription prices") says nothing to anyone and stays a scene. The
model generalises the vocabulary the word lists keep missing ("lost track of my credits", "let me browse").

Pure: the weights load lazily from package data on first use; no third-party library.
"""

from __future__ import annotations

import functools
import json
import math
import re
from pathlib import Path
from typing import Any

#: The weights next to this module (package data), written by scripts/train_intent.py.
MODEL_PATH = Path(__file__).with_name("intent_model.json")
#: The label of every message that is a clip to make (create or storyboard).
SCENE = "scene"
#: How sure the model must be that a message the rules read as a scene is no scene at all (the sum of the
#: question labels): when the safety net already found it asks the bot something, and when it is only
#: addressed to someone. Measured leaving each corpus out of training in turn: on sets the rules were not
#: tuned on these gain the most rows for the fewest scenes lost. The question is then the likeliest one.
MIN_FLAGGED = 0.9
MIN_ADDRESSED = 0.98
#: how sure it must be to change which question the rules read ("what did other members make lately"
#: is the feed, not plans, although it names members)
MIN_OTHER_QUESTION = 0.99
#: A feature seen in fewer messages than this is left out of the model.
MIN_FEATURE_COUNT = 2

_WORD = re.compile(r"[a-z0-9']+")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
#: someone is being spoken to: a pronoun, a polite word, an asking word, a verb that bids the bot (a stop
#: verb only where it bids: "kids stop playing when the bell rings" speaks to nobody)
_ADDRESSED_EN = re.compile(
    r"(?<![a-z])(?:i|i'm|im|i've|me|my|mine|we|our|us|you|your|u|ur|pls|plz|please|thanks|thx|ty|can|could"
    r"|would|how|what|wat|where|when|which|why|who|any|is|are|do|does|did|show|list|check|tell|let)(?![a-z'])"
)
_ADDRESSED_ZH = re.compile(
    r"[我你您咱俺]|请|麻烦|谢谢|唔该|吗|呢|吧|啊|呀|哈|嘛|咩|冇|没有|怎么|点样|哪|几|多少|什么|啥|咋|一下|查询|求"
)
#: a stop verb bidding someone: before what it stops ("stop the rendering") or closing a clause ("取消 取消")
_BIDDING_STOP = re.compile(
    r"(?<![a-z])(?:cancel|stop|abort|kill|halt)\s+(?:the|my|it|this|that|everything|all)(?![a-z])"
    r"|(?<![a-z])(?:cancel|stop|abort)(?=\s*(?:[,.!?;]|$))"
    r"|(?:取消|停止|停掉|中止|撤销)(?=\s|[,，。!！?？;；]|$|[我这那掉吧啦])"
)


def features(norm: str) -> set[str]:
    """The features of a matching view (lower case, simplified Chinese): English words and word pairs,
    Chinese characters and character pairs, and whether a question mark is there."""
    out: set[str] = set()
    words = _WORD.findall(norm)
    out.update(f"w:{w}" for w in words)
    out.update(f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    for run in _CJK_RUN.findall(norm):
        out.update(f"c:{ch}" for ch in run)
        out.update(f"d:{a}{b}" for a, b in zip(run, run[1:], strict=False))
    if "?" in norm or "？" in norm:
        out.add("q:?")
    return out


class IntentModel:
    """Multinomial logistic regression over binary features: a bias and a weight per label and feature."""

    def __init__(self, labels: list[str], bias: list[float], weights: dict[str, list[float]]) -> None:
        self.labels = labels
        self.bias = bias
        self.weights = weights

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IntentModel:
        return cls(list(data["labels"]), list(data["bias"]), dict(data["weights"]))

    def probabilities(self, norm: str) -> dict[str, float]:
        """Each label's probability for a matching view (features the corpora never had weigh nothing)."""
        return softmax(self.labels, self.scores(features(norm)))

    def scores(self, feats: set[str]) -> list[float]:
        out = list(self.bias)
        for feat in feats:
            row = self.weights.get(feat)
            if row is not None:
                for i, w in enumerate(row):
                    out[i] += w
        return out


def softmax(labels: list[str], scores: list[float]) -> dict[str, float]:
    top = max(scores)
    exp = [math.exp(s - top) for s in scores]
    z = sum(exp)
    return {label: e / z for label, e in zip(labels, exp, strict=True)}


@functools.cache
def _model() -> IntentModel | None:
    try:
        data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # no weights file (a trimmed install): the rules alone decide
    return IntentModel.from_json(data)


def addressed(norm: str) -> bool:
    """Whether a matching view speaks to someone: a question mark, a pronoun, a polite or asking word."""
    return (
        "?" in norm
        or "？" in norm
        or _ADDRESSED_EN.search(norm) is not None
        or _ADDRESSED_ZH.search(norm) is not None
        or _BIDDING_STOP.search(norm) is not None
    )


def question_guess(norm: str, *, flagged: bool) -> str | None:
    """The non-generative action a plain text message the rules read as a scene is most likely asking for,
    or None to keep it a scene. `flagged`: the safety net already found it asks the bot something."""
    model = _model()
    if model is None or not (flagged or addressed(norm)):
        return None
    probs = model.probabilities(norm)
    if 1.0 - probs[SCENE] < (MIN_FLAGGED if flagged else MIN_ADDRESSED):
        return None
    return max((k for k in probs if k != SCENE), key=lambda k: probs[k])


def other_question(norm: str, ruled: str) -> str:
    """The question a plain text message asks, given the one the rules read (`ruled`): the model's other
    question only when it is all but sure of it."""
    model = _model()
    if model is None:
        return ruled
    probs = model.probabilities(norm)
    label = max(probs, key=lambda k: probs[k])
    if label in (SCENE, ruled) or probs[label] < MIN_OTHER_QUESTION:
        return ruled
    return label
