"""Normalising a message: control characters out, misspelt parameter words read as meant, and `Scan`, the
matching view (NFKC, lower case, simplified Chinese) that maps back to the user's own characters.

Must not decide what any word means; opencc loads lazily, only for text with CJK characters in it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from bot.parse.words import CANTONESE, CHAT_SHORTHAND, TYPO_DOMAIN_WORDS, TYPO_KNOWN, TYPO_REAL, TYPO_WORDS

CJK_CLASS = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"


@functools.cache
def cjk() -> re.Pattern[str]:
    """One CJK ideograph (compiled on first use: big Unicode classes cost milliseconds)."""
    return re.compile(CJK_CLASS)


@functools.cache
def _opencc() -> Any:
    import opencc  # lazy: only text with CJK characters needs it

    return opencc.OpenCC("t2s")


def to_simplified(s: str) -> str:
    """Traditional -> simplified, same length (the position map depends on it)."""
    conv = _opencc()
    out = str(conv.convert(s))
    if len(out) == len(s):
        return out
    chars = []
    for ch in s:
        c = str(conv.convert(ch)) if cjk().match(ch) else ch
        chars.append(c if len(c) == 1 else ch)
    return "".join(chars)


# -- control characters -------------------------------------------------------------------------------

_DROP_CHARS = (
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]"
)
_SPACE_CHARS = "[\t\x0b\x0c\x1c-\x1f\x85]"


@functools.cache
def _control_rx() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(_DROP_CHARS), re.compile(_SPACE_CHARS)


def clean_controls(text: str) -> str:
    """`text` without control and invisible formatting characters; newlines, emoji (and their joiners)
    stay."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    drop, space = _control_rx()
    return drop.sub("", space.sub(" ", text))


# -- mood at the end -----------------------------------------------------------------------------------

_EMOTICON = re.compile(r"(?:[:;=][-'’]?[)(DPpO3]|<3+|\^[_-]?\^|[xX]D)$")
#: emoji that say how the member feels (faces, hearts, hands, 💯) or echo a setting (speakers), as code point
#: ranges; things of a scene ("🌊🐱", "🎩✨", "🔥") are not among them
_MOOD = (
    (0x1F600, 0x1F64F),
    (0x1F910, 0x1F92F),
    (0x1F970, 0x1F97F),
    (0x1F9D0, 0x1F9D0),
    (0x1FAE0, 0x1FAF8),
    (0x1F493, 0x1F49F),
    (0x1F5A4, 0x1F5A4),
    (0x1F90D, 0x1F90F),
    (0x1F9E1, 0x1F9E1),
    (0x2763, 0x2764),
    (0x1F44A, 0x1F450),
    (0x1F918, 0x1F91F),
    (0x1F4AA, 0x1F4AA),
    (0x1F4AF, 0x1F4AF),
    (0x270A, 0x270C),
    (0x1F507, 0x1F50A),
    (0x1F480, 0x1F480),  # 💀: "I'm dead" laughing
    (0x1F440, 0x1F440),  # 👀
    (0x1FAE1, 0x1FAE1),  # 🫡
)
_JOINERS = "\u200d\ufe0f\ufe0e"


def _is_mood(ch: str) -> bool:
    o = ord(ch)
    return any(a <= o <= b for a, b in _MOOD)


def drop_trailing_mood(text: str) -> str:
    """`text` without the mood emoji and emoticons that close it after its words ("make it snowy 😍", "sound on
    🔊", "a fox :)"): they say how the member feels, not what to make. Emoji of things ("a cat 🐈") and a
    message of emoji alone stay."""
    out = text.rstrip()
    while out:
        m = _EMOTICON.search(out)
        if m and (m.start() == 0 or out[m.start() - 1].isspace()):
            cut = m.start()
        else:
            cut = len(out)
            while cut > 0 and (out[cut - 1] in _JOINERS or "\U0001f3fb" <= out[cut - 1] <= "\U0001f3ff"):
                cut -= 1
            if cut == 0 or not _is_mood(out[cut - 1]):
                break
            cut -= 1
        head = out[:cut].rstrip()
        if not re.search(r"[^\W_]", head):
            break
        out = head
    return out


# -- misspellings ---------------------------------------------------------------------------------------

# Misspelt parameter words ("verticle", "potrait", "10 secons") and chat shorthand ("chk my creds", "4 vars")
# are read as the word they stand for, in the matching view only: the context rules still decide whether the
# word is a parameter. Shorthand is a whole word: "u-turn", "don't" and "4u" keep their letters.
_TYPO_TOKEN = re.compile(r"(?<![a-z0-9'’-])[a-z]{1,14}(?![a-z0-9'’-])|(?<![a-z])[a-z]{4,14}(?![a-z])")


def one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by one insertion, deletion, substitution or swap of neighbours."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) <= 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


@functools.lru_cache(maxsize=4096)  # bounded: tokens come from users
def typo(token: str) -> str | None:
    """The parameter word (6 letters or more) or word of the bot's own ("balnce", 5 or more) that `token`
    misspells, or None. A real word one edit away (TYPO_REAL) is never corrected."""
    if token in TYPO_KNOWN:
        return TYPO_KNOWN[token]
    if len(token) < 5 or token in TYPO_REAL or token in _DOMAIN:
        return None
    for word in TYPO_WORDS if len(token) >= 6 else ():
        if token == word or token[0] != word[0] or token.startswith(word):
            continue  # the word itself, or the word with an ending ("portraits", "landscaped")
        if one_edit(token, word):
            return word
    for word in TYPO_DOMAIN_WORDS:
        if token[0] == word[0] and not token.startswith(word) and one_edit(token, word):
            return word
    return None


_DOMAIN = frozenset(TYPO_DOMAIN_WORDS)


def _fix_typos(norm: str, idx: list[int]) -> tuple[str, list[int]]:
    """`norm` with misspelt parameter words replaced, and its position map to the user's text."""
    if not _TYPO_TOKEN.search(norm):
        return norm, idx
    out: list[str] = []
    out_idx: list[int] = []
    pos = 0
    for m in _TYPO_TOKEN.finditer(norm):
        word = CHAT_SHORTHAND.get(m.group()) or (typo(m.group()) if len(m.group()) >= 4 else None)
        if word is None:
            continue
        out.append(norm[pos : m.start()])
        out_idx.extend(idx[pos : m.start()])
        span = idx[m.start() : m.end()]
        last = max(1, len(word) - 1)
        out.append(word)
        out_idx.extend(span[(k * (len(span) - 1)) // last] for k in range(len(word)))
        pos = m.end()
    if pos == 0:
        return norm, idx
    out.append(norm[pos:])
    out_idx.extend(idx[pos:])
    return "".join(out), out_idx


@functools.cache
def _cantonese() -> tuple[re.Pattern[str], dict[str, str]]:
    """(a pattern of every Cantonese word, word -> its Mandarin twin), with the simplified forms too: the view
    is simplified before this runs."""
    table: dict[str, str] = {}
    for word, twin in CANTONESE.items():
        table[word] = twin
        table.setdefault(to_simplified(word), twin)
    return re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True)))), table


def _from_cantonese(norm: str) -> str:
    """Cantonese words of `norm` as their Mandarin twins, of the same length (CANTONESE)."""
    rx, table = _cantonese()
    return rx.sub(lambda m: table[m.group()], norm)


# -- the matching view ----------------------------------------------------------------------------------


#: the characters of an ASCII word (Chinese joins again around a cut, see prompt.tidy: it never stands alone)
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")

#: separators the prompt loses: at its edges, and those after a first one (prompt.tidy)
_DANGLING_EDGE = re.compile(r"^[\s,、;:|/&+\-–—.。·•]+|[\s,、;:|/&+\-–—·•]+$")
_SEPARATOR_RUN = re.compile(r"(?<=[,、;])(?:\s*[,、;:])+")
_CLAUSE_MARKS = ",、;|:"
_TIDY_DROPS = frozenset(",，、;；:：|/&+-–—.。·•")

_SLASHED_PARAM = re.compile(
    r"(?<=\S )/(?= ?(?:[0-9]{3,4}p|[0-9]{1,2}\s?(?:s|secs?|seconds?)|[0-9]{1,2}:[0-9]{1,2}|vertical|portrait|landscape|"
    r"horizontal|square|widescreen|seamless|loop|looping|hd|full\s+hd|relaxed|relax|mute|muted|silent|no\s+sound)(?![a-z0-9]))"
)


class Scan:
    """A piece of user text and its matching view (NFKC, lower case, simplified Chinese).

    `norm[j]` comes from `text[idx[j]]`. Cutting a span blanks it in `norm` (same length, so positions
    stay valid) and marks the original characters as removed.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        parts: list[str] = []
        idx: list[int] = []
        for i, ch in enumerate(text):
            n = ch.lower() if ch.isascii() else unicodedata.normalize("NFKC", ch).lower()
            parts.append(n)
            idx.extend([i] * len(n))
        norm, idx = _fix_typos("".join(parts), idx)
        norm = _SLASHED_PARAM.sub(
            "|", norm
        )  # "candles /720p /vertical": a slash before a parameter separates
        self.cjk = bool(cjk().search(norm))
        if self.cjk:
            norm = _from_cantonese(to_simplified(norm))
        self.norm = norm
        self.idx = idx
        self.removed = bytearray(len(text))
        self.cutn = bytearray(len(norm))  # which positions of `norm` were cut
        self.hidden: dict[int, str] = {}  # what `hide` blanked: position -> character

    def cut(self, start: int, end: int) -> None:
        """Blank norm[start:end] and mark the user's characters behind it as removed."""
        if end <= start:
            return
        self.norm = self.norm[:start] + " " * (end - start) + self.norm[end:]
        for j in range(start, end):
            self.cutn[j] = 1
        # the whole original range: a typo fix can make the view shorter than the user's word
        for i in range(self.idx[start], self.idx[end - 1] + 1):
            self.removed[i] = 1

    def glued_cut(self) -> bool:
        """Whether a cut touched a letter or digit of a word that stays ("no<9:16>hd"): that word stands alone
        once the cut is blank, so the rules that ran before the cut may read it now."""
        cutn, norm = self.cutn, self.norm
        for j in range(len(norm)):
            if cutn[j]:
                continue
            if norm[j] in _WORD_CHARS and ((j > 0 and cutn[j - 1]) or (j + 1 < len(norm) and cutn[j + 1])):
                return True
        return False

    def hide_dangling(self) -> bool:
        """Blank, in the view only, the separators that the prompt drops anyway (prompt.tidy): those at the
        edges of what is left ("keep sound-", "<10s> -") and the second of two in a row ("a fox;:no
        pressure"), so the rules read the words next to them as the final prompt shows them. The user's
        text keeps them (tidy decides what a cut leaves). Returns whether it blanked any."""
        hide: list[int] = []
        for m in _DANGLING_EDGE.finditer(self.norm):
            # next to a cut, a comma still ends the clause it closes ("..., no, <2 versions>": residue.py)
            keep = _CLAUSE_MARKS if any(self.cutn[m.start() : m.end()]) else ""
            hide += (j for j in range(*m.span()) if self.norm[j] not in keep)
        for m in _SEPARATOR_RUN.finditer(self.norm):
            if not any(self.cutn[m.start() : m.end()]):
                hide += range(*m.span())
        # only what tidy drops: the user's own character ("……" reads as dots here, and stays)
        hide = [j for j in hide if not self.norm[j].isspace() and self.text[self.idx[j]] in _TIDY_DROPS]
        if hide:
            chars = list(self.norm)
            for j in hide:
                chars[j] = " "
            self.norm = "".join(chars)
        return bool(hide)

    def blank(self, start: int, end: int) -> None:
        """Blank norm[start:end] without cutting it: the user's text keeps it, the rules no longer read it."""
        self.norm = self.norm[:start] + " " * (end - start) + self.norm[end:]

    def hide(self, start: int, end: int) -> None:
        """Blank norm[start:end] for a while without cutting it (`unhide` shows it again)."""
        self.hidden.update((j, self.norm[j]) for j in range(start, end))
        self.blank(start, end)

    def unhide(self) -> None:
        """Show again what `hide` blanked, where nothing cut it since."""
        chars = list(self.norm)
        for j, ch in self.hidden.items():
            if not self.cutn[j]:
                chars[j] = ch
        self.norm = "".join(chars)
        self.hidden.clear()

    def original(self, start: int, end: int) -> str:
        """The user's characters behind norm[start:end]."""
        if end <= start:
            return ""
        return self.text[self.idx[start] : self.idx[end - 1] + 1]

    def take(
        self, pattern: re.Pattern[str], accept: Callable[[re.Match[str]], bool] | None = None
    ) -> list[re.Match[str]]:
        """Cut every (accepted) match of `pattern`; return them in order."""
        taken = []
        for m in list(pattern.finditer(self.norm)):
            if m.end() > m.start() and (accept is None or accept(m)):
                self.cut(m.start(), m.end())
                taken.append(m)
        return taken

    def rest(self, marker: str = " ") -> str:
        """The original text with the cut characters replaced by `marker`."""
        return "".join(marker if r else ch for ch, r in zip(self.text, self.removed, strict=True))
