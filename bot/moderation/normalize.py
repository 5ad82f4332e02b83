"""Text as the term lists see it: the views of a prompt that undo the usual ways of hiding a word.

Every view is NFKC-folded (full-width letters become ASCII), case-folded, stripped of accents and invisible
characters, and Chinese is converted from traditional to simplified (OpenCC) so one list covers both.
On top of that: leetspeak read back as letters (`sh1t`, `a$$`, `p0rn`), separators inside a word removed
(`f.u.c.k`, `f-u-c-k`), single letters spaced apart joined (`f u c k`), and spaces between Chinese
characters dropped (`操 你 妈`). Repeated letters (`fuuuck`) are the matcher's business (bot/moderation/terms.py).
Pure functions: no I/O, no knowledge of which words are bad.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: leetspeak digits and symbols -> the letter they stand for (inside a word only)
LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "9": "g",
        "$": "s",
        "@": "a",
        "!": "i",
        "|": "l",
        "+": "t",
        "€": "e",
        "£": "l",
    }
)
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_LETTER = re.compile(r"[a-z]")
#: a word possibly written with leet symbols or separators: letters, digits, and $@!|+€£*._- inside it
_WORD = re.compile(r"[a-z0-9$@!|+€£*](?:[a-z0-9$@!|+€£*]|[._\-'](?=[a-z0-9$@!|+€£*]))*")
#: three or more single characters with separators between them: "f u c k", "f. u. c. k"
_SPACED = re.compile(r"(?<![a-z0-9])(?:[a-z0-9$@!*][\s._\-]{1,3}){2,}[a-z0-9$@!*](?![a-z0-9])")
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[\s\W_]+(?=[{_CJK}])")


@lru_cache(maxsize=1)
def _t2s() -> object | None:
    try:
        import opencc
    except ImportError:  # without OpenCC, traditional characters are matched as written
        return None
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """NFKC, case-folded, accents and invisible characters (zero-width spaces, joiners) removed,
    traditional Chinese as simplified."""
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")
    text = unicodedata.normalize("NFC", text)
    converter = _t2s()
    if converter is not None and re.search(f"[{_CJK}]", text):
        text = converter.convert(text)  # type: ignore[attr-defined]
    return text


def _unleet(word: str) -> str:
    """A word with letters in it, its digits and symbols read as letters ('5s' stays: no letter case)."""
    if not _HAS_LETTER.search(word) or word.isalnum() and not any(c.isdigit() for c in word):
        return word
    return word.translate(LEET)


def _strip_separators(word: str) -> str:
    return re.sub(r"[._\-']", "", word)


def views(text: str) -> list[str]:
    """The distinct views of `text` a term is looked for in (the folded text first)."""
    base = fold(text)
    out = [base, _SPACED.sub(lambda m: re.sub(r"[\s._\-]", "", m.group(0)), base)]
    for run in _SPACED.finditer(base):
        # "a p o r n": the run may start or end with a real one-letter word; try it without them too
        letters = re.sub(r"[\s._\-]", "", run.group(0))
        for i in range(min(3, len(letters))):
            for j in range(len(letters), max(i + 2, len(letters) - 3), -1):
                out.append(letters[i:j])
    out = list(dict.fromkeys(out))
    for source in list(out):
        words = _WORD.sub(lambda m: _strip_separators(m.group(0)), source)
        leet = _WORD.sub(lambda m: _unleet(m.group(0)), words)
        leet_l = _WORD.sub(lambda m: _unleet(m.group(0).replace("1", "l")), words)
        for candidate in (words, leet, leet_l):
            if candidate not in out:
                out.append(candidate)
    cjk = [_CJK_GAP.sub("", v) for v in out]
    out.extend(v for v in cjk if v not in out)
    return out


def has_cjk(term: str) -> bool:
    return re.search(f"[{_CJK}]", term) is not None
