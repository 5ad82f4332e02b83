"""Prompt moderation: a list of blocked terms that the operator controls (REELBOT_BLOCKED_TERMS_FILE, one
term per line, `#` comments), on top of a small built-in list no community wants rendered.

Matching is on NFKC-normalised, case-folded text: whole words for Latin-script terms, substrings for
Chinese. It never logs the prompt it blocks.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

#: sexual content involving minors: refused everywhere, whatever the operator's list says
BUILT_IN_TERMS: tuple[str, ...] = (
    "csam", "child porn", "child pornography", "underage sex", "underage nude", "minor nude",
    "loli hentai", "shota hentai", "儿童色情", "兒童色情", "幼女色情", "未成年色情",
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class Moderator:
    """Decides whether a prompt may be rendered."""

    def __init__(self, terms: list[str] | tuple[str, ...] = ()) -> None:
        latin: list[str] = []
        self._cjk: list[str] = []
        for term in {_fold(t).strip() for t in (*BUILT_IN_TERMS, *terms)} - {""}:
            if re.search(r"[\u3400-\u9fff]", term):
                self._cjk.append(term)
            else:
                latin.append(r"\s+".join(re.escape(w) for w in term.split()))
        self._latin = re.compile(r"(?<!\w)(?:" + "|".join(latin) + r")(?!\w)") if latin else None

    @classmethod
    def load(cls, path: Path | None) -> Moderator:
        """The built-in list plus the terms in the operator's file (if any)."""
        if path is None:
            return cls()
        lines = path.read_text(encoding="utf-8").splitlines()
        return cls([ln.split("#", 1)[0].strip() for ln in lines if ln.split("#", 1)[0].strip()])

    def blocks(self, *texts: str | None) -> bool:
        """True when any of `texts` (prompt, negative prompt, storyboard cards) holds a blocked term."""
        for raw in texts:
            if not raw:
                continue
            folded = _fold(raw)
            if self._latin is not None and self._latin.search(folded):
                return True
            if any(term in folded for term in self._cjk):
                return True
        return False
