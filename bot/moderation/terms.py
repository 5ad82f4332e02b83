"""The term lists and their matcher: which words block a prompt, by category, in English and Chinese.

Lists are plain text the operator can edit: `[category]` headers, one term per line, `#` comments. The
seeds (bot/moderation/terms/en.txt, zh.txt) are curated from glin-profanity's MIT dictionaries plus our own
minors and hate lists; an operator folder replaces them, an operator file adds terms (category `custom`),
and an allow file lists phrases that never block (e.g. a place name). Latin-script terms match whole words
(so `Scunthorpe` and `cocktail` pass) with repeated letters (`fuuuck`), `*` for a letter inside a word
(`f**k`) and a few endings (`-s`, `-ing`, ...); Chinese terms match anywhere. Matching runs on every view of
bot/moderation/normalize.py. No I/O beyond reading the lists; never logs a prompt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.moderation.normalize import fold, has_cjk, views

SEED_DIR = Path(__file__).with_name("terms")
#: what each category is, in the order a verdict names them (the first is the reason given)
CATEGORIES = ("minors", "hate", "sexual", "profanity", "custom")
#: categories an adult channel allows; the rest are refused everywhere
ADULT_ALLOWED = frozenset({"sexual", "profanity"})
_LONG_ENDINGS = "(?:s|es|ed|er|ers|ing|in|y)?"


def parse_lists(text: str, default: str = "custom") -> dict[str, list[str]]:
    """`[category]` sections of terms (one per line, `#` comments) -> category -> folded terms."""
    out: dict[str, list[str]] = {}
    category = default
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        header = re.fullmatch(r"\[([a-z_]+)\]", line)
        if header:
            category = header[1]
            continue
        out.setdefault(category, []).append(fold(line))
    return out


def _term_pattern(term: str) -> str:
    words = [w for w in re.split(r"\s+", term) if w]
    parts = []
    for wi, word in enumerate(words):
        chars = []
        for i, c in enumerate(word):
            if c.isalpha():
                inner = 0 < i < len(word) - 1
                chars.append(f"(?:{re.escape(c)}+|\\*+)" if inner else f"{re.escape(c)}+")
            else:
                chars.append(re.escape(c))
        piece = "".join(chars)
        if wi == len(words) - 1:
            piece += _LONG_ENDINGS if len(word) >= 4 else "s?"
        parts.append(piece)
    return r"[\s._\-]*".join(parts)  # "child porn", "child-porn", "childporn"


@dataclass
class TermLists:
    """Compiled lists: per category a whole-word regex (Latin) and substrings (Chinese, symbols)."""

    latin: dict[str, re.Pattern[str]] = field(default_factory=dict)
    anywhere: dict[str, re.Pattern[str]] = field(default_factory=dict)
    allowed: tuple[str, ...] = ()
    size: int = 0

    @classmethod
    def build(cls, lists: dict[str, list[str]], allowed: Iterable[str] = ()) -> TermLists:
        compiled = cls(
            allowed=tuple(sorted({fold(a).strip() for a in allowed} - {""}, key=len, reverse=True))
        )
        for category, terms in lists.items():
            latin: list[str] = []
            anywhere: list[str] = []
            for term in sorted({fold(t).strip() for t in terms}, key=len, reverse=True):
                if not term:
                    continue
                (anywhere if has_cjk(term) or not any(c.isalnum() for c in term) else latin).append(term)
            if latin:
                body = "|".join(_term_pattern(t) for t in latin)
                compiled.latin[category] = re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")
            if anywhere:
                compiled.anywhere[category] = re.compile("|".join(re.escape(t) for t in anywhere))
            compiled.size += len(latin) + len(anywhere)
        return compiled

    def categories_in(self, text: str) -> list[str]:
        """The categories whose terms occur in `text` (any view), in CATEGORIES order then the rest."""
        found: set[str] = set()
        for view in views(text):
            for phrase in self.allowed:
                view = view.replace(phrase, " ")
            for category, pattern in self.latin.items():
                if category not in found and pattern.search(view):
                    found.add(category)
            for category, pattern in self.anywhere.items():
                if category not in found and pattern.search(view):
                    found.add(category)
        order = {c: i for i, c in enumerate(CATEGORIES)}
        return sorted(found, key=lambda c: (order.get(c, len(order)), c))


def read_lists(paths: Sequence[Path]) -> dict[str, list[str]]:
    """The terms of every file in `paths`, merged by category."""
    merged: dict[str, list[str]] = {}
    for path in paths:
        for category, terms in parse_lists(path.read_text(encoding="utf-8")).items():
            merged.setdefault(category, []).extend(terms)
    return merged


@lru_cache(maxsize=4)
def seed_lists(folder: Path = SEED_DIR) -> dict[str, list[str]]:
    """The lists in `folder` (*.txt), by category: the built-in seeds unless the operator has their own."""
    return read_lists(sorted(folder.glob("*.txt")))
