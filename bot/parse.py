"""Chat text -> Request: the English/Chinese phrasing rules, slash commands and `--flags`.

Owns how a message (plus what is attached to it) becomes a `bot.request.Request`. Pure and quick to
import: no I/O, no chat libraries, no torch; opencc and cn2an load lazily, only for text with CJK in it.

How it works: the text is cleaned (control characters, bot mentions, the slash command), then matched
through a *normalised view* (NFKC, lower case, traditional -> simplified Chinese) that keeps a map back to
the user's characters. Every recognised parameter is cut out of the original text, so the prompt keeps
the user's own spelling, case, emoji and traditional characters.

Decisions worth knowing (the tests pin each one):

* Errors (`ParseError.code`) only for: nothing to do (`empty`), too much text (`too_long`), and explicit
  values out of range (`bad_seconds`, `bad_resolution`, `bad_aspect`, `bad_variations`, `bad_seed`,
  `bad_mode`, `bad_storyboard`, `bad_flag_value`). Anything else that cannot be placed is prompt text.
* Unknown `--flags` (often pasted Midjourney options like `--v 6 --style raw`) are cut from the prompt,
  with the one value that follows them when it looks like a value, and listed in `Request.ignored`.
* Negative prompts come only from explicit forms: `--no a, b`, `--negative x`, `negative: x` (also
  `avoid:`, `without:`, `no:` with the colon), `负面提示词：x`. Free-text negation ("no text", "不要文字") stays in the prompt: it is ambiguous
  ("a sign that says no parking", "一个女孩说不要") and the text encoder reads it anyway.
* Ambiguous words only count with context: "portrait" (a portrait of a woman), "square" (town square),
  "relaxed" (a relaxed cat), "loop" (a roller coaster loop), "80s"/"1980s"/"in her 20s" (decades and
  ages), "shorts" (clothes), 方形 (a square box), 慢速镜头 (slow motion), 血液循环. The context is a
  clause of its own (between commas, sentence stops, hashtags, markdown marks: "a cat. Square.",
  "#vertical") or a run of other parameters ("a fox in snow 10s portrait", but "Times Square 10s").
* Misspelt parameter words ("verticle", "potrait", "10 secons") read as the word they miss: one edit
  away from a long parameter word (same first letter, not a real word) or a listed misspelling.
* Storyboard cards may be timed ("0s", "0:05", "0-5秒") or ordered ("1) ... 2) ...", "scene 2:"); a
  list numbered 1, 2, 3... is scene order, not seconds.
* Compact decades win over seconds: `30s`..`90s` with no unit word ("80s synthwave") stay in the prompt;
  spelled-out durations ("30 seconds") are still errors.
* Edits (a reply to a clip, or one attached video): trim/extend words -> `recut`, loop words -> `loop`,
  anything else -> `remix`. A reply plus one attached video, or two videos, -> `blend`.
  Recut details: `trim_start`/`trim_end` in seconds of the source clip; a negative value counts from
  the clip's end ("cut the last 2 seconds" -> trim_end = -2; "keep the last 3 s" -> trim_start = -3).
  `extend=True` with `seconds` = how many seconds to add (default 5, "extend by 3s" -> 3); "extend to 10s"
  is a target total length, given as `trim_end = 10` (the core knows the source length).
* Repeated parameters: a `--flag` beats words; among equals the last one wins.
* `--seed -1` means "random" (seed None), as in most diffusion UIs. Seeds are 0..2**31-1.
* `/loop` with no clip to loop (no reply, no video) makes a new looping clip: a `create` with loop on.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.request import (
    ASPECTS,
    MAX_SECONDS,
    MIN_SECONDS,
    RESOLUTIONS,
    VARIATIONS,
    Card,
    Request,
)

MAX_PROMPT_CHARS = 2000
#: Messages longer than this (after cleaning) are refused before any matching, which bounds the work.
MAX_INPUT_CHARS = 2 * MAX_PROMPT_CHARS
MAX_SEED = 2**31 - 1
MAX_CARDS = 20

PARSE_ERROR_CODES: tuple[str, ...] = (
    "empty",
    "too_long",
    "bad_seconds",
    "bad_resolution",
    "bad_aspect",
    "bad_variations",
    "bad_seed",
    "bad_mode",
    "bad_storyboard",
    "bad_flag_value",
)

QUESTION_ACTIONS: frozenset[str] = frozenset({"balance", "plans", "help", "cancel", "feed"})


class ParseError(ValueError):
    """A message that cannot become a Request. `code` is one of PARSE_ERROR_CODES (stable, for the
    message table); `detail` is the offending text; `params` feeds the message template."""

    def __init__(self, code: str, detail: str = "", **params: Any) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.params: dict[str, Any] = {"detail": detail or code, **params}


# -- lazy CJK helpers -------------------------------------------------------------------------------

_CJK_CLASS = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"


@functools.cache
def _cjk() -> re.Pattern[str]:
    return re.compile(_CJK_CLASS)  # compiled on first use: big Unicode classes cost milliseconds


@functools.cache
def _opencc() -> Any:
    import opencc  # lazy: only text with CJK characters needs it

    return opencc.OpenCC("t2s")


def _to_simplified(s: str) -> str:
    """Traditional -> simplified, same length (the position map depends on it)."""
    conv = _opencc()
    out = str(conv.convert(s))
    if len(out) == len(s):
        return out
    chars = []
    for ch in s:
        c = str(conv.convert(ch)) if _cjk().match(ch) else ch
        chars.append(c if len(c) == 1 else ch)
    return "".join(chars)


@functools.cache
def _cn2an() -> Callable[[str, str], Any]:
    import cn2an  # lazy: 100+ ms to import, only Chinese numerals need it

    fn: Callable[[str, str], Any] = cn2an.cn2an
    return fn


# -- numbers ----------------------------------------------------------------------------------------

_EN_NUMBERS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_EN_NUM = "(?:" + "|".join(sorted(_EN_NUMBERS, key=len, reverse=True)) + ")"
# Bounded repeats keep every pattern linear on a 4,000-character run of digits or numerals.
_CN_NUM = "[零〇一二两三四五六七八九十百千]{1,8}"
_DEC = r"[0-9]{1,30}(?:\.[0-9]{1,9})?"
_CLOCK = r"[0-9]{1,2}:[0-9]{2}(?:\.[0-9]+)?"
_HUGE = 1e12


def _number(s: str) -> float | None:
    """Digits, English number words, mm:ss, or Chinese numerals -> a number; None if it is not one."""
    s = s.strip()
    if not s:
        return None
    neg = s.startswith("-")
    s = s.lstrip("-").strip()
    value: float | None = None
    if re.fullmatch(_CLOCK, s):
        mm, ss = s.split(":", 1)
        value = int(mm) * 60 + float(ss)
    elif re.fullmatch(_DEC, s):
        value = _HUGE if len(s.split(".")[0]) > 9 else float(s)
    elif s in _EN_NUMBERS:
        value = float(_EN_NUMBERS[s])
    elif re.fullmatch(_CN_NUM, s):
        try:
            value = float(_cn2an()(s, "smart"))
        except Exception:  # cn2an raises several types on malformed numerals; they are just not numbers
            return None
    if value is None:
        return None
    return -value if neg else value


def _whole(x: float) -> int:
    """Round half up (5.5 s -> 6 s)."""
    return int(math.floor(x + 0.5)) if x < _HUGE else int(_HUGE)


# -- the normalised view ----------------------------------------------------------------------------

_DROP_CHARS = (
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]"
)
_SPACE_CHARS = "[\t\x0b\x0c\x1c-\x1f\x85]"


@functools.cache
def _control_rx() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(_DROP_CHARS), re.compile(_SPACE_CHARS)


def _clean_controls(text: str) -> str:
    """Remove control and invisible formatting characters; keep newlines, emoji (and their joiners)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    drop, space = _control_rx()
    return drop.sub("", space.sub(" ", text))


# Misspelt parameter words ("verticle", "potrait", "10 secons") are read as the word they miss, in the
# matching view only: the context rules below still decide whether the word is a parameter.
_TYPO_WORDS: tuple[str, ...] = (
    "vertical",
    "portrait",
    "landscape",
    "horizontal",
    "widescreen",
    "seconds",
    "variations",
    "versions",
    "relaxed",
    "seamless",
    "storyboard",
)
# Misspellings more than one edit away, and short words where one edit is too loose ("squire").
_TYPO_KNOWN: dict[str, str] = {
    "verticle": "vertical",
    "verticel": "vertical",
    "virticle": "vertical",
    "virtical": "vertical",
    "potriat": "portrait",
    "sqaure": "square",
    "squre": "square",
    "sqare": "square",
    "suqare": "square",
}
# Real words one edit away from a parameter word.
_TYPO_REAL = frozenset(
    {"second", "version", "variation", "relaxes", "relayed", "relaxer", "related", "vortical", "seamlessly"}
)
_TYPO_TOKEN = re.compile(r"(?<![a-z])[a-z]{5,14}(?![a-z])")


def _one_edit(a: str, b: str) -> bool:
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
def _typo(token: str) -> str | None:
    """The parameter word `token` misspells, or None."""
    if token in _TYPO_KNOWN:
        return _TYPO_KNOWN[token]
    if len(token) < 6 or token in _TYPO_REAL:
        return None
    for word in _TYPO_WORDS:
        if token == word or token[0] != word[0] or token.startswith(word):
            continue  # the word itself, or the word with an ending ("portraits", "landscaped")
        if _one_edit(token, word):
            return word
    return None


def _fix_typos(norm: str, idx: list[int]) -> tuple[str, list[int]]:
    """`norm` with misspelt parameter words replaced, and its position map to the user's text."""
    if not _TYPO_TOKEN.search(norm):
        return norm, idx
    out: list[str] = []
    out_idx: list[int] = []
    pos = 0
    for m in _TYPO_TOKEN.finditer(norm):
        word = _typo(m.group())
        if word is None:
            continue
        out.append(norm[pos : m.start()])
        out_idx.extend(idx[pos : m.start()])
        span = idx[m.start() : m.end()]
        last = len(word) - 1
        out.append(word)
        out_idx.extend(span[(k * (len(span) - 1)) // last] for k in range(len(word)))
        pos = m.end()
    if pos == 0:
        return norm, idx
    out.append(norm[pos:])
    out_idx.extend(idx[pos:])
    return "".join(out), out_idx


class _Scan:
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
        self.cjk = bool(_cjk().search(norm))
        if self.cjk:
            norm = _to_simplified(norm)
        self.norm = norm
        self.idx = idx
        self.removed = bytearray(len(text))
        self.cutn = bytearray(len(norm))  # which positions of `norm` were cut

    def cut(self, start: int, end: int) -> None:
        if end <= start:
            return
        self.norm = self.norm[:start] + " " * (end - start) + self.norm[end:]
        for j in range(start, end):
            self.cutn[j] = 1
        # the whole original range: a typo fix can make the view shorter than the user's word
        for i in range(self.idx[start], self.idx[end - 1] + 1):
            self.removed[i] = 1

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


# -- what the scan finds --------------------------------------------------------------------------

_FLAG_PRIORITY = 2
_WORD_PRIORITY = 1


@dataclass
class _Found:
    """Parameters found so far, with where they came from (a --flag beats words)."""

    values: dict[str, Any] = field(default_factory=dict)
    priority: dict[str, int] = field(default_factory=dict)
    negatives: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    edit: str | None = None  # "recut" when trim/extend words were found

    def set(self, key: str, value: Any, priority: int = _WORD_PRIORITY) -> None:
        if priority >= self.priority.get(key, 0):
            self.values[key] = value
            self.priority[key] = priority

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def _check_seconds(x: float | None, detail: str) -> int:
    if x is None or x != x:
        raise ParseError("bad_seconds", detail)
    n = _whole(x) if x >= 0 else -1
    if not MIN_SECONDS <= n <= MAX_SECONDS:
        raise ParseError("bad_seconds", detail)
    return n


def _check_variations(x: float | None, detail: str) -> int:
    if x is None or not float(x).is_integer() or int(x) not in VARIATIONS:
        raise ParseError("bad_variations", detail)
    return int(x)


def _check_seed(s: str, detail: str) -> int | None:
    s = s.strip()
    if not re.fullmatch(r"-?[0-9]{1,12}", s):
        raise ParseError("bad_seed", detail)
    n = int(s)
    if n == -1:
        return None
    if not 0 <= n <= MAX_SEED:
        raise ParseError("bad_seed", detail)
    return n


# -- regex building blocks (compiled once, on first use) -------------------------------------------

_L = r"(?<![a-z0-9_])"  # ASCII word boundaries: CJK next to "10s" must not block a match
_R = r"(?![a-z0-9_])"
_SEP = r"[,;|\n、()\[\]]"
# a sentence stop ends a clause too ("A dragon. Vertical. 10 seconds."), when a space or the end follows it
# "#vertical #10s" and "**vertical**": hashtags and markdown marks bound a clause as well
_SEG_START = rf"(?:^|(?<={_SEP})|(?<=^[:：])|(?<=[.!?] )|(?<=。)|(?<=[#*_~]))"
_SEG_END = rf"(?=[*_~]*\s*(?:$|{_SEP}|[.!?。]+(?:\s|$)|#))"
_UNIT = r"(?:seconds?|secs?|secnds?|seonds?|s)"


_FILLER_NOUN = (
    r"(?:(?:a|an|one|some|the)\s+)?(?:(?:short|quick|little|small|cool|nice|new|cinematic)\s+)*"
    r"(?:video|vid|vdeo|viedo|vidoe|clip|animation|gif|movie)s?"
)
_FILLER_LINK = r"of|showing|where|with|about|featuring|in\s+which|that\s+shows|:"


_LOOP_HOW = r"(?:\s+(?:seamlessly|smoothly|perfectly|forever|endlessly|infinitely)(?![a-z0-9_]))?"
_STORYBOARD = r"(?:storyboard|story\s*board|故事板|分镜(?:头|脚本)?)"


def _seg(words: str) -> str:
    """`words` standing alone between separators (", vertical," or the whole text)."""
    return rf"{_SEG_START}\s*(?:{words})(?:\s+(?:pls|please|plz|thx|thanks|ty))?\s*{_SEG_END}"


def _zseg(words: str) -> str:
    """Chinese `words` standing alone: Chinese has no spaces inside a phrase, so a space separates too."""
    return rf"(?:^|(?<=[\s,;|、()\[\]#]))(?:{words})(?=\s*(?:$|[\s,;|、()\[\]#]))"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@functools.cache
def _rx() -> dict[str, re.Pattern[str]]:
    """All patterns, compiled on first parse (keeps `import bot.parse` cheap)."""
    seg = _seg
    relaxed_seg = seg(r"relax(?:ed)?|no\s+rush|no\s+hurry|not\s+urgent|whenever|cheap\s+mode")
    loop_seg = seg(r"loop(?:ing|ed)?|loop\s+it|seamless|seamless\s+loop|looping\s+please")
    return {
        # flags: --name, —name (iOS turns -- into an em dash), optional =value
        "flag": _c(r"(?<!\S)(?P<dash>--|[—–])(?P<name>[a-z][a-z0-9_-]*)(?:=(?P<eq>\S*))?"),
        # prompt: a cat  /  提示词：一只猫
        "prompt_key": _c(r"^\s*(?:prompt|提示词|描述|内容)\s*[:=]\s*"),
        # -- negative (explicit key forms only) --
        "negative_kv": _c(
            rf"{_L}(?:negative(?:\s*prompt)?|neg|avoid|exclude|without|no)\s*[:=]\s*(?P<v>[^;\n]+?)\s*(?=$|;|\n)"
            r"|(?:负面|反向|负向)(?:提示词?|提示语|词)?\s*[:=]\s*(?P<v2>[^;\n]+?)\s*(?=$|;|\n)"
        ),
        # -- seed --
        "seed": _c(
            rf"{_L}(?:(?:with|using|use)\s+)?(?:the\s+|a\s+)?seed\s*(?:[:=#]|is|of|number)?\s*"
            rf"(?P<n>-?[0-9]{{1,30}}){_R}"
            r"|(?:随机)?种子\s*(?:[:=#]|为|是|号)?\s*(?P<n2>-?[0-9]{1,30})"
        ),
        # -- variations --
        "variations": _c(
            rf"{_L}(?:(?:make|give\s+me|generate|in|with|do)\s+)?(?P<n>[0-9]{{1,30}}|{_EN_NUM})\s*"
            rf"(?:(?:different|more|new|other|alternative)\s+)?(?:variations?|versions?|variants?|takes|options|alternatives){_R}"
            rf"(?:\s+of{_R})?"
            rf"|{_L}(?:variations?|versions?|count)\s*[:=]\s*(?P<n3>[0-9]{{1,30}}){_R}"
            rf"|(?:生成|出|来|做|要)?(?P<n2>[0-9]{{1,30}}|{_CN_NUM})\s*(?:个|种|款|组|套)?\s*(?:不同的?)?\s*"
            r"(?:版本|变体|变化版)"
        ),
        "variations_seg": _c(
            seg(rf"(?P<n>[0-9]{{1,30}}|{_EN_NUM})\s*(?:vids?|videos?|clips?|outputs?|results?)")
        ),
        # "一只龙，来四个": a count standing alone as a clause is how many clips
        "variations_zh_seg": _c(
            _zseg(
                rf"(?:生成|出|来|做|要|给我)?(?P<n>[0-9]{{1,2}}|{_CN_NUM})\s*(?:个|条|段|支)(?:视频|影片|短片)?"
            )
        ),
        "variations_x": _c(rf"(?<![^\s,;]){_L}[x×](?P<n>[124]){_R}(?=\s*(?:$|[,;]|--))"),
        # -- seconds --
        "seconds_kv": _c(
            rf"(?:{_L}(?:duration|length)\s*(?:[:=]|of|is)?|{_L}(?:len|seconds|secs|sec|time)\s*[:=])"
            rf"\s*(?P<n>-?{_DEC})(?:\s*{_UNIT})?{_R}"
        ),
        "seconds_en": _c(
            rf"(?:{_L}(?:for|lasting|about|around|approx(?:imately)?|roughly|exactly|just"
            rf"|(?:make|keep)\s+(?:it|the\s+(?:video|clip))|(?:it\s+)?should\s+be)\s+)?"
            rf"(?:{_L}(?P<lo>{_DEC})\s*(?:-|–|~|to)\s*)?"
            rf"(?:(?<![0-9a-z_.,])(?P<sign>-))?{_L}(?P<n>{_DEC}|{_EN_NUM})"
            rf"(?P<unit>\s*-?\s*{_UNIT}){_R}"
            rf"(?P<tail>\s+(?:long|in\s+length|duration){_R})?"
            rf"(?P<of>\s+of{_R})?"
            rf"(?:\s+(?:video|clip|vid|animation|gif)s?(?=\s*(?:$|[,;.!])))?"
        ),
        "seconds_zh": _c(
            rf"(?:(?:视频)?(?:时长|长度|时间)\s*(?:为|是|:)?\s*)?(?:大约|大概|约)?"
            rf"(?<![第每])(?P<n>(?<![0-9.]){_DEC}|{_CN_NUM})\s*(?:个)?\s*秒(?:钟)?(?![杀懂变速表针])(?!钟?(?:之?后|以后|之?前|以前))"
            r"(?:左右)?(?:的)?"
        ),
        # -- resolution --
        "res_p": _c(
            rf"(?:{_L}(?:in|at)\s+)?(?:(?:{_L}(?:resolution|res|quality)|分辨率|清晰度|画质)\s*(?:[:=]|为|是)?\s*)?"
            rf"{_L}(?P<n>[0-9]{{3,4}})\s*p{_R}(?:\s+(?:resolution|quality){_R})?"
        ),
        "res_fhd": _c(
            rf"(?:{_L}(?:in|at)\s+)?{_L}(?:full[\s-]?hd|fhd){_R}(?:\s+(?:resolution|quality){_R})?"
        ),
        "res_hd": _c(rf"(?:{_L}(?:in|at)\s+)?{_L}hd{_R}(?:\s+(?:resolution|quality){_R})?"),
        "res_zh": _c(
            r"(?:(?:分辨率|清晰度|画质)\s*(?::|为|是)?\s*)?"
            r"(?:(?P<fhd>全高清|超高清|超清|蓝光)|(?P<hd>高清|高画质)|(?P<sd>标清|普清))"
            r"(?:画质|分辨率)?(?:的)?"
        ),
        # -- aspect --
        "ratio": _c(
            rf"(?:{_L}(?:in|at)\s+)?(?:(?:{_L}(?:aspect\s*ratio|aspect|ratio|ar)|比例|画幅|画面比例|宽高比)"
            rf"\s*(?P<key>[:=]|为|是)?\s*)?"
            rf"(?<![0-9.])(?<![0-9]:)(?P<a>[0-9]{{1,2}})\s*(?P<sep>:|比|x|×|by(?=\s))\s*(?P<b>[0-9]{{1,2}})(?![0-9:])"
            rf"(?:\s*(?:aspect(?:\s*ratio)?|ratio|format){_R}|\s*(?:比例|画幅))?"
        ),
        "aspect_noun": _c(
            rf"(?:{_L}(?:in|as)\s+)?{_L}(?P<w>vertical|portrait|landscape|horizontal|wide[\s-]?screen|square)"
            rf"(?:\s+|-)(?:mode|orientation|format|aspect(?:\s*ratio)?|ratio|crop|layout|frame){_R}"
        ),
        "aspect_before_video": _c(
            rf"{_L}(?P<w>vertical|portrait|landscape|horizontal|wide[\s-]?screen|square){_R}"
            rf"(?=[\s-]+(?:video|clip|gif|animation|shot|reel|vid|movie|short){_R})"
        ),
        "aspect_in": _c(
            rf"{_L}(?:in|as)\s+(?P<w>vertical|portrait|landscape|horizontal|wide[\s-]?screen){_R}"
            rf"(?!\s+of{_R})"
        ),
        # "vertical video, a dragon": the noun goes with the word when the clause holds nothing else
        "aspect_seg_noun": _c(
            seg(
                r"(?:(?:in|as|an?)\s+)?(?P<w>vertical|portrait|landscape|horizontal|wide[\s-]?screen|square)[\s-]+"
                r"(?:video|clip|vid|gif|animation|movie|short|reel|format|mode|orientation|aspect|ratio)s?"
            )
        ),
        "aspect_seg": _c(seg(r"(?P<w>vertical|portrait|landscape|horizontal|wide[\s-]?screen|square|wide)")),
        "aspect_end": _c(
            r"(?<=\s)(?P<w>vertical|wide[\s-]?screen)(?=\s*(?:(?:pls|please|plz|thx|thanks)\W*)?$)"
        ),
        "aspect_wide": _c(rf"{_L}(?P<w>wide[\s-]?screen){_R}"),
        "aspect_platform": _c(
            rf"(?:{_L}(?:for|on)\s+)?{_L}(?:(?:youtube|yt)\s+shorts|(?:instagram|ig|insta)\s+(?:reels?|stories|story)"
            rf"|(?:tiktok|douyin)(?:\s+(?:format|size|ratio|style\s+format)){_R})"
            rf"|{_L}(?:for|on)\s+(?:(?:my|a|the|our|an)\s+)?(?:(?:youtube|yt)\s+shorts?|(?:instagram|ig|insta)\s+"
            rf"(?:reels?|stories|story)|tiktok|reels?|shorts|douyin|stories|story){_R}"
            rf"|{_L}(?:youtube|yt)\s+short{_R}"
            rf"|{_L}(?:tiktok|douyin){_R}(?=[\s-]+(?:video|clip){_R})"
            rf"|{seg('tiktok|reels|shorts|douyin')}"
        ),
        "aspect_zh": _c(
            r"(?:做成|改成|用|以|要)?(?:(?P<v>竖屏|竖版|竖幅|直式|直版|纵向画面|竖向画面|手机竖屏)"
            r"|(?P<h>横屏|横版|横式|宽屏|宽银幕|横向画面)"
            r"|(?P<s>(?:正方形|方形)(?=(?:的)?(?:画面|画幅|比例|视频|格式|尺寸|构图))|方屏))"
            r"(?:的)?(?:模式|格式|比例|画面|画幅)?(?:的)?"
        ),
        "aspect_zh_seg": _c(_zseg(r"(?P<s>正方形|方形)")),
        # -- mode --
        "mode_relaxed": _c(
            rf"{_L}(?:(?:in|use|using)\s+)?(?:relax(?:ed)?|slow)\s+(?:mode|queue|lane){_R}"
            rf"|{relaxed_seg}"
            r"|(?:用|走)?慢速(?:模式|队列|生成|排队)|(?:用|走)?放松模式"
            r"|" + _zseg(r"慢速|不急|不着急|慢慢来|慢慢生成|不赶时间")
        ),
        "mode_fast": _c(
            rf"{_L}(?:(?:in|use|using)\s+)?(?:fast|turbo|quick)\s+(?:mode|queue|lane){_R}"
            rf"|{seg('fast|asap|urgent')}|快速(?:模式|队列|生成)|" + _zseg("快速|加急|急")
        ),
        # -- loop --
        "loop_phrase": _c(
            rf"{_L}(?:make|turn)\s+(?:it|this|that)\s+(?:into\s+)?(?:a\s+)?(?:seamless\s+|perfect\s+)?"
            rf"loop(?:ing|able|ed)?(?:\s+(?:video|clip|gif))?{_R}{_LOOP_HOW}"
            rf"|{_L}loop\s+(?:it|this|that|the\s+(?:clip|video)){_R}{_LOOP_HOW}"
            rf"|{_L}(?:as|in|on)\s+an?\s+(?:seamless\s+|perfect\s+|endless\s+|infinite\s+)?loop{_R}"
            rf"|{_L}(?:seamless(?:ly)?|perfect(?:ly)?|endless|infinite|smooth)(?:\s+|-)loop(?:ing|ed|able|s)?{_R}"
            rf"(?:\s+(?:video|clip|gif|animation|vid){_R}(?=\s*(?:$|[,;.!])))?"
            rf"|{_L}loopable{_R}"
            rf"|{_L}(?:looping|looped|loopable)(?=\s+(?:video|clip|gif|animation|vid|background|bg){_R})"
            rf"|{loop_seg}"
            rf"|(?<=\s)looping\s*$"
        ),
        "loop_zh": _c(
            r"(?<!血液)(?<!水)(?<!恶性)(?<!良性)(?:做成|变成|弄成|改成|做个|来个|要|可以)?"
            r"(?:无缝|完美|无限)?(?:循环|回圈)(?:播放|视频|动画|的)?"
        ),
        # -- storyboard --
        "storyboard_kw": _c(
            rf"^\s*(?:(?:make|create)\s+(?:a\s+)?)?{_STORYBOARD}(?=\s*\S)(?=\s|[:\-,]|[^\sa-z])\s*"
        ),
        # "720p, vertical, storyboard: 0s ...": options may come before the keyword when a colon follows it
        "storyboard_kw_later": _c(rf"(?<![a-z0-9_]){_STORYBOARD}\s*(?=:)"),
        "card_time": _c(
            rf"^\s*(?:at\s+|第|from\s+)?(?:(?P<clock>{_CLOCK})"
            # "0-5秒 ...", "5s-10s ...": a card starts where its range starts
            rf"|(?P<rn>{_DEC}|{_CN_NUM})\s*(?:(?:{_UNIT}{_R}|秒钟?)\s*)?(?:-|–|—|~|to|到|至)\s*"
            rf"(?:{_DEC}|{_CN_NUM})\s*(?P<ru>{_UNIT}{_R}|秒钟?)"
            rf"|(?P<n>{_DEC}|{_CN_NUM})\s*(?P<u>{_UNIT}{_R}|秒钟?)"
            # "scene 2: ...", "镜头2：", "第二幕": the order of the card, not its time
            rf"|(?P<scene>(?:scene|shot)\s*[0-9]{{1,2}}{_R}|(?:镜头|场景)\s*(?:[0-9]{{1,2}}|{_CN_NUM})"
            rf"|(?:[0-9]{{1,2}}|{_CN_NUM})个?(?:镜头|场景|幕))"
            rf"|(?P<bare>[0-9]{{1,2}})(?=\s*[:\-–—)]|\.\s))\s*(?:[:\-–—).]\s*)?"
        ),
        # -- request filler (cut from the edges of a create prompt) --
        "filler_head": _c(
            r"^\s*(?:(?:hey|hi|hello|yo|ok|okay|pls|plz|please|kindly|bot|reelbot)\b[\s,!]*)*"
            r"(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+)?|help\s+me\s+(?:to\s+)?"
            r"|i\s+want\s+you\s+to\s+)?"
            r"(?:(?:(?:make|mak|create|craete|creat|generate|generte|genrate|genarate|gen|render|produce|animate|give|show)"
            r"(?:\s*[:,]\s*|\s+)(?:(?:me|us)\s+)?"
            r"|i\s+(?:want|need|would\s+like|'d\s+like)(?:\s+to\s+(?:see|make|create|have))?\s+"
            r"|(?:can|could|may)\s+(?:i|we)\s+(?:please\s+|pls\s+)?(?:get|have|see)\s+(?:(?:me|us)\s+)?)[:,]?\s*"
            rf"(?:{_FILLER_NOUN}\s*(?:{_FILLER_LINK})?\s*[:,-]?\s*)?"
            rf"|(?:{_FILLER_NOUN}\s*(?:{_FILLER_LINK})\s*[:,-]?\s*))"
        ),
        "filler_head_zh": _c(
            r"^\s*(?:请|麻烦你?|帮我|帮忙|给我|能不能|可以|能否|你能|能|我想要?|想要|我要)*\s*"
            r"(?:(?:生成|制作|创作)\s*(?:一段|一条|一部)?|(?:做|拍|弄|来|画)(?=一|个|段|条|部|张)(?:个|段|条|部)?)?\s*"
            r"(?:(?:一个|一段|一条|一部|个|段|条|部)?\s*(?:视频|影片|短片|动画|短视频)"
            r"\s*(?:吗|呢|好吗)?\s*\??\s*(?:[,:]|内容是|内容为|关于|画面是)*)?\s*(?:内容是|内容为|画面是|关于)?\s*[,:]?\s*"
        ),
        "filler_polite": _c(
            r"^\s*(?:(?:hey|hi|ok|okay|pls|plz|please|now)\b[\s,!]*)*(?:(?:can|could|would|will)\s+(?:you|u)"
            r"(?:\s+(?:please|pls|plz))?\s+|(?:please|pls|plz)\s+)"
        ),
        "filler_tail": _c(
            r"(?:[\s,]*(?:(?<![a-z])(?:please|pls|plz|thanks|thank\s+you|thx|ty)(?![a-z])|谢谢|谢啦|感谢|拜托了?)"
            r"[\s!.。！]*)+$"
        ),
        "filler_tail_zh": _c(r"(?:的)?(?:视频|影片|短片|短视频)\s*$"),
        "filler_edit": _c(
            r"^\s*(?:(?:pls|plz|please)\s+)?(?:remix|redo|reimagine|animate|blend|mix|merge|combine|fuse|join)(?:\s*[:,]\s*|\s+)"
            r"(?:(?:it|this|that|these(?:\s+two)?|them|the\s+(?:two|clips?|videos?|image|photo|picture|pic)|both)\s*)?"
            r"(?:together\s*)?(?:(?:as|into|to|in|with|so\s+that)\s+)?"
            r"|^\s*(?:animate|remix|blend|merge|combine)\s*$"
            r"|^\s*(?:把|让)?(?:这个|它|这张图|这张图片|图片|照片|这张|这两个视频|两个视频)?"
            r"(?:重新生成|重绘|动起来|混合|融合)(?:起来|成|为|一下)?[,:]?"
            r"|^\s*(?:合并|混合|融合|拼接|合成)(?:一下)?(?:这两个视频|这两段视频|两个视频|这两段|这两个|它们)?"
            r"(?:起来|在一起|成一个)?[,:]?"
        ),
    }


# "cut it down to the first 4s": a cut verb that keeps (not removes) the part named after it
_CUT_TO = (
    r"(?:trim|cut|shorten|clip|crop|recut)\s+(?:it\s+|this\s+|that\s+)?(?:down\s+)?to\s+(?:only\s+|just\s+)?"
)


@functools.cache
def _edit_rx() -> dict[str, re.Pattern[str]]:
    """Recut words, only looked for when the message edits a clip."""
    t = rf"(?:{_CLOCK}|{_DEC}|{_EN_NUM})"
    u = rf"(?:\s*{_UNIT}{_R})"
    zn = rf"(?:{_DEC}|{_CN_NUM})"
    return {
        "range": _c(
            rf"{_L}(?:(?P<verb>trim|cut|clip|crop|keep|recut|shorten|use|take)\s+(?:it\s+|this\s+|that\s+)?"
            rf"(?:down\s+)?(?:to\s+)?(?:only\s+)?(?:the\s+)?(?:part\s+|section\s+|bit\s+)?)?"
            rf"(?:from\s+|between\s+)?(?:{_L}(?P<a>{t})(?P<ua>{u})?)\s*(?:-|–|—|~|to|and|until|till|through)\s*"
            rf"(?P<b>{t})(?P<ub>{u})?(?:\s+only)?"
        ),
        "first_cut": _c(
            rf"{_L}(?:cut|trim|remove|drop|skip|delete|chop|lose)\s+(?:off\s+|out\s+)?(?:the\s+)?"
            rf"(?:first|opening|starting)\s+(?:(?P<n>{t})\s*)?(?:seconds?|secs?|s){_R}"
        ),
        "last_cut": _c(
            rf"{_L}(?:cut|trim|remove|drop|skip|delete|chop|lose)\s+(?:off\s+|out\s+)?(?:the\s+)?"
            rf"(?:last|final|ending|closing)\s+(?:(?P<n>{t})\s*)?(?:seconds?|secs?|s){_R}"
            rf"|{_L}(?:make\s+(?:it|this|that)\s+)?(?P<n2>{t}){u}\s+shorter{_R}"
            rf"|{_L}(?:make\s+(?:it|this|that)\s+)?shorter\s+by\s+(?P<n3>{t}){u}"
        ),
        "first_keep": _c(
            rf"{_L}(?:(?:only\s+|just\s+)?(?:keep|use|take)\s+(?:only\s+|just\s+)?|{_CUT_TO}|only\s+|just\s+)(?:the\s+)?first\s+(?:(?P<n>{t})\s*)?"
            rf"(?:seconds?|secs?|s){_R}(?:\s+only)?"
        ),
        "last_keep": _c(
            rf"{_L}(?:(?:only\s+|just\s+)?(?:keep|use|take)\s+(?:only\s+|just\s+)?|{_CUT_TO}|only\s+|just\s+)(?:the\s+)?(?:last|final)\s+"
            rf"(?:(?P<n>{t})\s*)?(?:seconds?|secs?|s){_R}(?:\s+only)?"
        ),
        "to_length": _c(
            rf"{_L}(?:trim|cut|shorten|clip|recut|crop)\s+(?:it\s+|this\s+|that\s+)?(?:down\s+)?to\s+"
            rf"(?P<n>{t}){u}(?:\s+long)?"
        ),
        "extend": _c(
            rf"{_L}(?:extend|lengthen|prolong|continue)(?:\s+(?:it|this|that|the\s+(?:clip|video)))?"
            rf"(?:\s+(?:by|for|with)\s+(?:another\s+)?(?P<by>{t}){u}(?:\s+more)?|\s+to\s+(?P<to>{t}){u}"
            rf"|\s+(?P<by2>{t}){u}(?:\s+more)?)?{_R}"
            rf"|{_L}(?:make\s+(?:it|this|that)\s+)?(?:a\s+(?:bit|little|lot)\s+|much\s+)?longer"
            rf"(?:\s+by\s+(?P<by3>{t}){u})?{_R}"
            rf"|{_L}add\s+(?:another\s+)?(?P<by4>{t}){u}(?:\s+more)?(?:\s+(?:to\s+(?:it|the\s+end)|at\s+the\s+end))?"
            rf"|{_L}keep\s+(?:it\s+)?going{_R}"
            rf"|{_L}(?:make\s+(?:it|this|that)\s+)?(?P<by5>{t}){u}\s+longer{_R}"
        ),
        "shorten": _c(
            rf"{_L}(?:(?:make\s+(?:it|this|that)\s+)?(?:a\s+(?:bit|little|lot)\s+|much\s+)?shorter"
            rf"|shorten(?:\s+(?:it|this|that))?|trim(?:\s+(?:it|this|that))?|recut(?:\s+(?:it|this|that))?"
            rf"|cut\s+(?:it|this|that)\s+down|tighten\s+(?:it|this)(?:\s+up)?){_R}"
        ),
        # Chinese
        "range_zh": _c(
            rf"(?:剪|截|截取|保留|只要|裁剪|裁|剪辑|只留)?(?:到|成|出)?(?:从)?(?:第)?(?P<a>{zn})\s*秒?\s*"
            rf"(?:到|至|-|~|—)\s*(?:第)?(?P<b>{zn})\s*秒(?:钟)?(?:之间|的部分|部分|的片段|这段)?"
        ),
        "first_cut_zh": _c(
            rf"(?:剪掉|去掉|删掉|删除|去除|剪去|切掉|不要)(?:开头|片头|最前面|前面)?的?前?(?P<n>{zn})\s*秒钟?"
        ),
        "last_cut_zh": _c(
            rf"(?:剪掉|去掉|删掉|删除|去除|剪去|切掉|不要)(?:最后|最后面|结尾|末尾|后面|片尾)的?(?:最?后)?"
            rf"(?P<n>{zn})\s*秒钟?|(?:剪掉|去掉|删掉|删除|去除|剪去|切掉|不要)后(?P<n2>{zn})\s*秒钟?"
        ),
        "first_keep_zh": _c(rf"(?:只要|保留|只保留|留下|截取|只留)(?:开头的?)?前(?P<n>{zn})\s*秒钟?"),
        "last_keep_zh": _c(rf"(?:只要|保留|只保留|留下|截取|只留)(?:最)?后(?P<n>{zn})\s*秒钟?"),
        "to_length_zh": _c(rf"(?:剪|剪辑|裁剪|缩短|截|截短|压缩|剪短)(?:到|成|为)(?P<n>{zn})\s*秒钟?"),
        "extend_zh": _c(
            rf"(?:再)?(?:延长|加长|拉长|延伸|续写|续)(?:到|至)(?P<to>{zn})\s*秒钟?"
            rf"|(?:再)?(?:延长|加长|拉长|延伸|多加|加)(?P<by>{zn})\s*秒钟?"
            r"|(?:再)?(?:延长|加长|拉长|延伸|变长|续写|接着拍|继续)(?:一点|一些|一下)?"
            r"|(?:再)?长一(?:点|些)"
        ),
        "shorten_zh": _c(r"剪辑|剪一下|剪短|裁剪|缩短|短一点|短一些|剪(?![刀纸影头发彩贴])"),
    }


# -- questions ----------------------------------------------------------------------------------------


@functools.cache
def _question_rx() -> tuple[re.Pattern[str], re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    head = _c(
        r"^(?:(?:hey|hi|hello|yo|ok|okay|um+|so|pls|please|plz|bot|reelbot|excuse me|sorry)\b[\s,!]*)+"
        r"|^(?:(?:can|could|may)\s+i\s+(?:see|check|view|get|have)\s+(?:a\s+look\s+at\s+)?)"
        r"|^(?:请问|请|麻烦|帮我|我想|我要|想|你好|您好|嗨|这个|这|那个|那)+"
    )
    tail = _c(
        r"(?:[\s,]*\b(?:pls|please|plz|thanks|thx|bot|now|again|real quick)\b)+$"
        r"|(?:吗|呢|啊|呀|吧|哦|呗|一下|谢谢|了)+$"
    )
    credits = r"(?:credits?|points?|tokens?|coins?)"
    my_job = (
        r"(?:my\s+|the\s+|this\s+|that\s+|current\s+)?(?:job|video|request|generation|clip|render|task)s?"
    )
    table = (
        (
            "balance",
            _c(
                rf"(?:check\s+|show\s+|see\s+|view\s+|get\s+|display\s+)?(?:me\s+)?(?:my\s+)?(?:current\s+)?"
                rf"(?:balance|{credits}|credit\s+balance|wallet|account)(?:\s+(?:left|remaining|balance))?"
                rf"|(?:what(?:'s|s|\s+is)|whats)\s+(?:my\s+)?(?:current\s+)?(?:balance|credit\s+balance|{credits}(?:\s+balance)?)"
                rf"|how\s+(?:many|much)\s+{credits}(?:\s+(?:do\s+|have\s+)?i\s+(?:have|got|get))?(?:\s+left)?"
                rf"|how\s+(?:many|much)\s+{credits}\s+(?:are\s+|do\s+i\s+have\s+)?(?:left|remaining)|bal"
                rf"|how\s+much\s+(?:credit|balance)\s+(?:do\s+)?i\s+(?:have|got)(?:\s+left)?"
                rf"|do\s+i\s+(?:still\s+)?have\s+(?:any\s+)?{credits}(?:\s+left)?|{credits}\s*\?*"
                r"|(?:what(?:'s|s|\s+is)\s+|check\s+|show\s+(?:me\s+)?)?my\s+(?:current\s+)?(?:plan|subscription)"
                r"|我的?(?:当前)?(?:套餐|会员)"
                r"|(?:查|查询|查看|看看?|显示)?(?:一下)?(?:我的?)?(?:账户|帐户|账号)?的?"
                r"(?:余额|积分|点数|额度|信用点|钱包)(?:还有多少|还剩多少|剩多少|有多少|多少|是多少)?"
                r"|我?(?:还)?(?:有|剩)(?:多少|几个?)(?:积分|点数|额度|余额|点)?"
            ),
        ),
        (
            "plans",
            _c(
                r"(?:show\s+|see\s+|list\s+|view\s+)?(?:me\s+)?(?:the\s+|your\s+)?"
                r"(?:plans?|pricing|prices?|price\s+list|subscriptions?|tiers|membership|costs?|rates)"
                r"|how\s+much\s+(?:does\s+(?:it|this|a\s+video|a\s+clip|pro|plus)\s+cost|is\s+(?:it|pro|plus|a\s+video)"
                r"|are\s+(?:the\s+)?plans|do\s+(?:you|the\s+plans)\s+cost|for\s+pro|for\s+plus)"
                r"|how\s+much|what(?:'s|s|\s+is|\s+are)?\s+(?:the\s+|your\s+)?(?:plans?|prices?|pricing|costs?)"
                r"(?:\s+are\s+there)?"
                r"|what\s+(?:plans|prices|tiers|options|subscriptions)\s+(?:do\s+you\s+(?:have|offer)|are\s+(?:there|available))"
                r"|what\s+(?:does|do)\s+(?:it|pro|plus|the\s+plans?|plans|a\s+video|a\s+clip)\s+cost"
                r"|(?:how\s+(?:do|can)\s+i\s+)?upgrade(?:\s+(?:to\s+)?(?:pro|plus))?"
                r"|what(?:'s|s|\s+is|\s+are)\s+(?:the\s+)?(?:price|cost)s?\s+(?:of|for)\s+(?:the\s+)?(?:pro|plus|free|plans?"
                r"|a\s+(?:video|clip|generation))(?:\s+plan)?"
                r"|(?:is\s+there|do\s+you\s+have|are\s+there)\s+(?:a\s+|any\s+)?(?:free|pro|plus|paid|cheaper|monthly)\s+"
                r"(?:plans?|tiers?|versions?|options?|subscriptions?)"
                r"|how\s+much\s+(?:is|does|would|will|for)\s+(?:it\s+(?:cost\s+)?(?:to\s+make\s+)?|one\s+)?(?:an?\s+|one\s+)?"
                r"(?:(?:[0-9]{1,2}[\s-]*(?:s|secs?|seconds?)|hd|720p|1080p|480p|vertical|square|long|short)[\s,]+)*"
                r"(?:video|clip|generation|render)s?(?:\s+cost)?"
                r"|(?:查看?|看看?|显示)?(?:套餐|价格|价钱|方案|价目表|收费标准|会员|订阅|资费)(?:表|列表|有哪些|是多少|怎么样|介绍)?"
                r"|(?:套餐|方案|会员|订阅)(?:的)?(?:价格|价钱|费用|收费)(?:表|是多少)?"
                r"|(?:怎么|如何)(?:收费|付费|充值|升级|购买)|收费"
                r"|(?:(?:pro|plus|free|专业|高级|基础|免费|会员)(?:版|套餐|会员|计划)?)?(?:要|是|需要|一个月|每月)?多少钱"
            ),
        ),
        (
            "help",
            _c(
                r"help(?:\s+me)?|\?+|h|commands?|usage|instructions|guide|manual|info|start|menu"
                r"|(?:can|could)\s+(?:you|u)\s+help(?:\s+me)?|i\s+need\s+(?:some\s+)?help"
                r"|how\s+(?:do|can|should)\s+(?:i|we)\s+use\s+(?:(?:this|it|you|reelbot)|(?:this|the)\s+(?:bot|thing|app|tool))"
                r"|how\s+(?:does|do)\s+(?:this|it|you|(?:this|the)\s+(?:bot|thing|app|tool))\s+work"
                r"|how\s+to\s+use(?:\s+(?:this|it|you|(?:this|the)\s+(?:bot|thing|app|tool)))?"
                r"|what\s+can\s+(?:you|this\s+bot|this|i)\s+do|what\s+(?:is|are)\s+(?:this|you)|who\s+are\s+you"
                r"|what\s+(?:are\s+)?(?:the\s+)?commands(?:\s+are\s+there)?|how\s+does\s+this\s+bot\s+work"
                r"|帮助|帮忙|(?:使用|新手)?(?:说明|方法|教程|指南|教学)|指令|命令|你能做什么|你会什么|你是谁"
                r"|(?:机器人|bot|reelbot|你|它)?(?:要|该|应该)?(?:怎么用|如何使用|怎么使用|怎么玩|怎么操作|如何操作)"
            ),
        ),
        (
            "cancel",
            _c(
                rf"(?:(?:nvm|never\s*mind|oops|actually|wait|no+|ugh|oh)[\s,!.]+)*"
                rf"(?:(?:cancel|stop)(?:[\s,!.]+(?:cancel|stop))+"
                rf"|cancel(?:\s+(?:it|that|this|{my_job}|everything|all|the\s+last\s+one|my\s+last\s+one))?"
                rf"|stop(?:\s+(?:it|that|this|{my_job}|generating|rendering|everything))?"
                rf"|forget\s+(?:it|that|about\s+it)"
                rf"|abort(?:\s+{my_job})?|never\s*mind|nvm|kill\s+(?:it|{my_job})|don'?t\s+(?:make|generate)\s+it)"
                r"|取消(?:生成|任务|吧|掉|它|这个|视频)?|停止(?:生成|任务)?|停下|停|别(?:再)?(?:生成|做|画|弄)了?|不要了?|算了"
            ),
        ),
        (
            "feed",
            _c(
                r"(?:(?:show\s+(?:me\s+)?|see\s+|view\s+|browse\s+|open\s+|check\s+(?:out\s+)?|go\s+to\s+)(?:the\s+)?)?"
                r"(?:community\s+)?(?:feed|explore|gallery|showcase|recent|latest|trending|discover|community)"
                r"|(?:show\s+(?:me\s+)?|see\s+|view\s+|browse\s+)(?:the\s+)?(?:recent|latest|new|newest|trending|top|popular"
                r"|other\s+people'?s|others'?|community|everyone'?s)\s+(?:clips|videos|creations|stuff|posts|generations)"
                r"|what(?:'s|\s+is|\s+are)\s+(?:others|people|everyone|other\s+people)\s+(?:making|creating|doing|generating)"
                r"|(?:show\s+(?:me\s+)?|see\s+)?what\s+(?:others|people|everyone|other\s+people)\s+(?:have\s+)?"
                r"(?:made|created|generated|posted)"
                r"|what(?:'s|s|\s+is)\s+(?:new|trending|hot|popular)(?:\s+(?:here|today|now))?"
                r"|(?:community|the)\s+feed|(?:recent|latest)\s+(?:clips|videos|creations)"
                r"|动态|最新(?:视频|影片|作品|短片)?|看看?(?:大家|别人|其他人)(?:的)?(?:视频|作品)|广场|发现|作品集|热门(?:视频)?"
                r"|(?:社区|大家|别人|其他人)的?(?:作品|视频)"
                r"|(?:最近)?(?:大家|别人|其他人)(?:最近)?都?在?(?:做|生成|画|发)了?(?:什么|啥)"
            ),
        ),
    )
    return head, tail, table


def _question(norm: str) -> str | None:
    """The question action when the text is essentially just that question (short and nothing else)."""
    s = re.sub(r"\s+", " ", norm).strip()
    if not s or len(s) > 80:
        return None
    head, tail, table = _question_rx()
    for _ in range(3):
        before = s
        s = re.sub(r"^[\s,.!:;~…]+|[\s,.!?。？！~…:;]+$", "", s)
        s = head.sub("", s).strip()
        s = tail.sub("", s).strip()
        if s == before:
            break
    s = s.rstrip("?？")
    if not s:
        return "help" if "?" in norm or "？" in norm else None
    for action, pattern in table:
        if pattern.fullmatch(s):
            return action
    return None


# -- slash commands and mentions -----------------------------------------------------------------

_COMMANDS: dict[str, str] = {
    "video": "create",
    "videos": "create",
    "vid": "create",
    "clip": "create",
    "reel": "create",
    "movie": "create",
    "t2v": "create",
    "txt2vid": "create",
    "imagine": "create",
    "create": "create",
    "gen": "create",
    "generate": "create",
    "make": "create",
    "v": "create",
    "animate": "animate",
    "i2v": "animate",
    "img2vid": "animate",
    "remix": "remix",
    "edit": "remix",
    "loop": "loop",
    "recut": "recut",
    "trim": "recut",
    "cut": "recut",
    "extend": "recut",
    "blend": "blend",
    "merge": "blend",
    "mix": "blend",
    "storyboard": "storyboard",
    "balance": "balance",
    "credits": "balance",
    "bal": "balance",
    "wallet": "balance",
    "plans": "plans",
    "plan": "plans",
    "upgrade": "plans",
    "subscribe": "plans",
    "pricing": "plans",
    "price": "plans",
    "prices": "plans",
    "help": "help",
    "start": "help",
    "commands": "help",
    "menu": "help",
    "cancel": "cancel",
    "stop": "cancel",
    "feed": "feed",
    "explore": "feed",
    "gallery": "feed",
    "latest": "feed",
    "trending": "feed",
}
_COMMAND = re.compile(r"^\s*[/!／、](?P<cmd>[A-Za-z]+)(?:@[A-Za-z0-9_]+)?(?=$|\s|[,:;，：])[,:;，：]?")
_DISCORD_MENTION = re.compile(r"<@[!&]?[0-9]+>")
_LEADING_AT = re.compile(r"^\s*@(?P<name>[A-Za-z0-9_]{2,64})\b[,:，：]?")
_BARE_RECUT = re.compile(r"^\s*recut\b", re.IGNORECASE)


def _strip_mentions(text: str, bot_names: Sequence[str]) -> str:
    names = {n.lstrip("@").lower() for n in bot_names if n.strip("@ ")}
    text = _DISCORD_MENTION.sub(" ", text)
    for name in names:
        text = re.sub(
            rf"(?<![A-Za-z0-9_])@{re.escape(name)}(?![A-Za-z0-9_])[,:，：]?", " ", text, flags=re.IGNORECASE
        )
    while m := _LEADING_AT.match(text):
        name = m.group("name").lower()
        if name in names or name.endswith("bot"):  # Telegram bot usernames must end in "bot"
            text = text[m.end() :]
        else:
            break
    return text


# -- extraction ------------------------------------------------------------------------------------

_VALUE_FLAGS: dict[str, str] = {
    **dict.fromkeys(
        ("seconds", "second", "secs", "sec", "duration", "dur", "len", "length", "time", "t"), "seconds"
    ),
    **dict.fromkeys(("res", "resolution", "quality-preset", "size"), "resolution"),
    **dict.fromkeys(("ar", "aspect", "aspect-ratio", "aspect_ratio", "ratio"), "aspect"),
    **dict.fromkeys(("variations", "variation", "n", "num", "count", "versions", "batch"), "variations"),
    "seed": "seed",
    "mode": "mode",
    **dict.fromkeys(("strength", "denoise", "remix-strength"), "strength"),
}
_TEXT_FLAGS = frozenset({"no", "negative", "neg", "negative-prompt", "negative_prompt", "np", "avoid"})
_SWITCH_FLAGS: dict[str, tuple[str, Any]] = {
    "relax": ("mode", "relaxed"),
    "relaxed": ("mode", "relaxed"),
    "slow": ("mode", "relaxed"),
    "fast": ("mode", "fast"),
    "turbo": ("mode", "fast"),
    "loop": ("loop", True),
    "seamless": ("loop", True),
    "looping": ("loop", True),
    "hd": ("resolution", "720p"),
    "fhd": ("resolution", "1080p"),
    "fullhd": ("resolution", "1080p"),
    "sd": ("resolution", "480p"),
    "vertical": ("aspect", "9:16"),
    "portrait": ("aspect", "9:16"),
    "tall": ("aspect", "9:16"),
    "landscape": ("aspect", "16:9"),
    "horizontal": ("aspect", "16:9"),
    "wide": ("aspect", "16:9"),
    "widescreen": ("aspect", "16:9"),
    "square": ("aspect", "1:1"),
    "480p": ("resolution", "480p"),
    "720p": ("resolution", "720p"),
    "1080p": ("resolution", "1080p"),
    "extend": ("extend", True),
}
_ASPECT_WORDS: dict[str, str] = {
    "vertical": "9:16",
    "portrait": "9:16",
    "tall": "9:16",
    "landscape": "16:9",
    "horizontal": "16:9",
    "widescreen": "16:9",
    "wide": "16:9",
    "square": "1:1",
}
_RES_WORDS: dict[str, str] = {
    "480p": "480p",
    "480": "480p",
    "sd": "480p",
    "720p": "720p",
    "720": "720p",
    "hd": "720p",
    "1080p": "1080p",
    "1080": "1080p",
    "fhd": "1080p",
    "fullhd": "1080p",
    "full-hd": "1080p",
    "full_hd": "1080p",
}
_MODE_WORDS: dict[str, str] = {
    "fast": "fast",
    "turbo": "fast",
    "relaxed": "relaxed",
    "relax": "relaxed",
    "slow": "relaxed",
}
_SIZE_UNIT = re.compile(
    r"[\s-]*(?:feet|foot|ft|inch(?:es)?|in|m|meters?|metres?|cm|mm|km|miles?|yards?|grid|squares?|tiles?|pixels?|px)"
    r"(?![a-z])"
)
_BAD_RES = frozenset({"144", "240", "360", "540", "1440", "2160", "4320"})
_LOOKS_LIKE_VALUE = re.compile(r"[-+]?[0-9][\w.:/×x-]*|https?://\S+|<\S+>|[a-z]{1,12}")


def _aspect_value(a: str, b: str, detail: str, strict: bool) -> str | None:
    value = f"{int(a)}:{int(b)}"
    if value in ASPECTS:
        return value
    if strict:
        raise ParseError("bad_aspect", detail)
    return None


_FLAG_VALUE = re.compile(r"[ =:]*(?!--|[—–][a-z])(\S+)")
_FLAG_ASPECT_VALUE = re.compile(r"[ =:]*(?!--|[—–][a-z])([0-9]+\s*[:x×/]\s*[0-9]+|\S+)")
_FLAG_TEXT_END = re.compile(r"(?<!\S)(?:--|[—–])[a-z]|\n|$")
_TRUE = frozenset({"true", "yes", "on", "1", "y"})
_FALSE = frozenset({"false", "no", "off", "0", "n"})


def _take_flags(scan: _Scan, found: _Found) -> None:
    """`--name value` options, anywhere in the text. Known ones set parameters; unknown ones are cut and
    listed in `found.ignored`."""
    rx = _rx()["flag"]
    pos = 0
    while m := rx.search(scan.norm, pos):
        name = m.group("name").strip("-_")
        eq = m.group("eq")
        kind = _VALUE_FLAGS.get(name)
        known = kind is not None or name in _TEXT_FLAGS or name in _SWITCH_FLAGS
        if m.group("dash") != "--" and not known:  # an em dash is punctuation unless it spells a flag
            pos = m.end()
            continue
        start, end = m.start(), m.end()
        if name in _TEXT_FLAGS:
            vstart = m.start("eq") if eq is not None else end
            stop = _FLAG_TEXT_END.search(scan.norm, vstart)
            vend = stop.start() if stop else len(scan.norm)
            text = _tidy(scan.original(vstart, vend).strip().lstrip("=:"))
            if not text:
                raise ParseError("bad_flag_value", scan.original(start, vend).strip())
            found.negatives.append(text)
        elif name in _SWITCH_FLAGS and kind is None:
            key, v = _SWITCH_FLAGS[name]
            vend = end
            if eq is not None:
                if eq in _FALSE and key == "loop":
                    v = False
                elif eq not in _TRUE:
                    raise ParseError("bad_flag_value", scan.original(start, end).strip())
            found.set(key, v, _FLAG_PRIORITY)
        else:
            value: str | None = eq
            vend = end
            if eq is None:
                vm = (_FLAG_ASPECT_VALUE if kind == "aspect" else _FLAG_VALUE).match(scan.norm, end)
                if vm and (kind is not None or _unknown_value_ok(scan.norm, vm)):
                    value, vend = vm.group(1), vm.end()
            whole = scan.original(start, vend).strip()
            if kind is None:
                found.ignored.append(whole)
            else:
                _set_flag(kind, (value or "").strip().rstrip(",;。，；"), whole, found)
        scan.cut(start, vend)
        pos = vend


def _unknown_value_ok(norm: str, vm: re.Match[str]) -> bool:
    """Whether the token after an unknown flag is that flag's value (not the start of more prompt)."""
    token = vm.group(1)
    if not _LOOKS_LIKE_VALUE.fullmatch(token):
        return False
    if token[0].isdigit() or token[0] in "+-<" or token.startswith("http"):
        return True
    after = norm[vm.end() :]
    return bool(re.match(r"\s*(?:$|--|[—–][a-z]|[,;\n])", after))


def _set_flag(kind: str, value: str, whole: str, found: _Found) -> None:
    if kind == "seconds":
        vm = re.fullmatch(rf"(-?{_DEC})\s*(?:{_UNIT})?", value)
        found.set("seconds", _check_seconds(_number(vm.group(1)) if vm else None, whole), _FLAG_PRIORITY)
    elif kind == "resolution":
        res = _RES_WORDS.get(value.replace(" ", ""))
        if res is None:
            raise ParseError("bad_resolution", whole)
        found.set("resolution", res, _FLAG_PRIORITY)
    elif kind == "aspect":
        am = re.fullmatch(r"([0-9]{1,3})\s*[:x×/]\s*([0-9]{1,3})", value)
        if am:
            found.set("aspect", _aspect_value(am.group(1), am.group(2), whole, strict=True), _FLAG_PRIORITY)
        elif value in _ASPECT_WORDS:
            found.set("aspect", _ASPECT_WORDS[value], _FLAG_PRIORITY)
        else:
            raise ParseError("bad_aspect", whole)
    elif kind == "variations":
        found.set(
            "variations",
            _check_variations(_number(value) if re.fullmatch("[0-9]+", value) else None, whole),
            _FLAG_PRIORITY,
        )
    elif kind == "seed":
        found.set("seed", _check_seed(value, whole), _FLAG_PRIORITY)
    elif kind == "mode":
        if value not in _MODE_WORDS:
            raise ParseError("bad_mode", whole)
        found.set("mode", _MODE_WORDS[value], _FLAG_PRIORITY)
    elif kind == "strength":
        vm = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(%?)", value)
        x = float(vm.group(1)) / (100 if vm.group(2) else 1) if vm else -1.0
        if not 0.0 <= x <= 1.0:
            raise ParseError("bad_flag_value", whole)
        found.set("strength", x, _FLAG_PRIORITY)


def _is_seconds(scan: _Scan, m: re.Match[str]) -> bool:
    """Whether an `N s` match is a duration (not a decade, an age, an iPhone or "10s of thousands")."""
    n = m.group("n")
    unit = m.group("unit")
    compact = unit == "s" or unit == "-s"
    if n in _EN_NUMBERS and compact:
        return False  # "tens", "fives"
    if m.group("of") and re.search(
        r"(?:first|last|final|opening|closing)\s+$", scan.norm[max(0, m.start() - 24) : m.start()]
    ):
        return False  # "the last 5 seconds of a countdown": a moment in the scene
    if not compact:
        return True
    if m.group("of"):
        return False
    before = scan.norm[max(0, m.start("n") - 12) : m.start("n")]
    after = scan.norm[m.end("unit") : m.end("unit") + 24]
    if re.search(r"['’‘`]$", before) or re.search(r"(?:iphone|galaxy|model|series|gen|mark|mk)\s*$", before):
        return False
    if "." in n or not n.isdigit():
        return True
    value = int(n)
    if len(n) == 4:
        return False  # 1980s
    if value % 10 == 0 and value >= 10:
        if re.search(
            r"(?:the|her|his|their|my|your|our|its|early|late|mid|mid-|roaring|swinging)\s*-?$", before
        ):
            return False
        if re.match(
            r"[\s-]*(?:style|jazz|fashion|aesthetic|vibes?|music|era|look|retro|vintage|party|decor"
            r"|film|anime|cartoon|sitcom|tv|kid|rock|disco|pop|hip|punk|grunge|synth|vhs|neon"
            r"|arcade|movie|commercial|advert|ad|photo|hair|makeup|nostalgia)",
            after,
        ):
            return False
        if value >= 30 and not (m.group("tail") or re.search(r"(?:for|lasting|duration|length)\s+$", before)):
            return False  # "80s", "a 90s video": decades; "30 seconds" is still read as a duration
    return True


def _take_params(scan: _Scan, found: _Found, *, seconds: bool = True) -> None:
    """Natural-language parameters (English and Chinese), cut from the text. `seconds=False` leaves
    durations alone (inside a storyboard card, "runs for 3 seconds" is the scene)."""
    rx = _rx()
    for m in scan.take(rx["negative_kv"]):
        v = m.group("v") if m.group("v") is not None else m.group("v2")
        start = m.start("v") if m.group("v") is not None else m.start("v2")
        text = _tidy(scan.original(start, start + len(v)))
        if text:
            found.negatives.append(text)

    for m in scan.take(rx["seed"]):
        n = m.group("n") if m.group("n") is not None else m.group("n2")
        found.set("seed", _check_seed(n, m.group(0).strip()))

    def variations(m: re.Match[str]) -> bool:
        n = m.group("n") or m.group("n2") or m.group("n3")
        found.set("variations", _check_variations(_number(n), m.group(0).strip()))
        return True

    scan.take(rx["variations"], variations)
    scan.take(rx["variations_x"], variations)
    scan.take(rx["variations_seg"], variations)
    if scan.cjk:
        scan.take(rx["variations_zh_seg"], variations)

    if seconds:
        _take_seconds(scan, found)

    def res_p(m: re.Match[str]) -> bool:
        n = m.group("n")
        if n in _BAD_RES:
            raise ParseError("bad_resolution", m.group(0).strip())
        if n + "p" not in RESOLUTIONS:
            return False
        found.set("resolution", n + "p")
        return True

    scan.take(rx["res_p"], res_p)
    for _m in scan.take(rx["res_fhd"]):
        found.set("resolution", "1080p")

    def hd(m: re.Match[str]) -> bool:
        if re.search(r"(?:ultra|uhd|4k|8k)[\s-]*$", scan.norm[max(0, m.start() - 8) : m.start()]):
            return False
        found.set("resolution", "720p")
        return True

    scan.take(rx["res_hd"], hd)
    if scan.cjk:
        for m in scan.take(rx["res_zh"]):
            found.set("resolution", "1080p" if m.group("fhd") else "720p" if m.group("hd") else "480p")

    def ratio(m: re.Match[str]) -> bool:
        if m.group("sep") in ("x", "×", "by") and f"{int(m.group('a'))}:{int(m.group('b'))}" not in ASPECTS:
            return False
        if m.group("sep") == "by" and _SIZE_UNIT.match(scan.norm, m.end()):
            return False  # "a 16 by 9 foot rug": a size in the scene
        keyed = bool(re.search(r"aspect|ratio|ar|比例|画幅|宽高比", m.group(0)[: m.start("a") - m.start()]))
        value = _aspect_value(m.group("a"), m.group("b"), m.group(0).strip(), strict=keyed)
        if value is None:
            return False
        found.set("aspect", value)
        return True

    scan.take(rx["ratio"], ratio)
    for key in (
        "aspect_seg_noun",
        "aspect_noun",
        "aspect_before_video",
        "aspect_in",
        "aspect_seg",
        "aspect_end",
        "aspect_wide",
    ):
        for m in scan.take(rx[key]):
            found.set("aspect", _ASPECT_WORDS[re.sub(r"[\s-]", "", m.group("w"))])
    for _m in scan.take(rx["aspect_platform"]):
        found.set("aspect", "9:16")
    if scan.cjk:
        for m in scan.take(rx["aspect_zh"]):
            found.set("aspect", "9:16" if m.group("v") else "16:9" if m.group("h") else "1:1")
        for _m in scan.take(rx["aspect_zh_seg"]):
            found.set("aspect", "1:1")

    for _m in scan.take(rx["mode_relaxed"]):
        found.set("mode", "relaxed")
    for _m in scan.take(rx["mode_fast"]):
        found.set("mode", "fast")

    if scan.take(rx["loop_phrase"]):
        found.set("loop", True)
    if scan.cjk and scan.take(rx["loop_zh"]):
        found.set("loop", True)
    _take_beside_params(scan, found)


_BESIDE_WORDS: dict[str, tuple[str, Any]] = {
    **{w: ("aspect", a) for w, a in _ASPECT_WORDS.items() if w not in ("tall", "wide")},
    **dict.fromkeys(("loop", "looping", "looped", "seamless"), ("loop", True)),
    **dict.fromkeys(("relax", "relaxed"), ("mode", "relaxed")),
}
_BESIDE_WORD = r"(?<![a-z0-9_-])(?:" + "|".join(_BESIDE_WORDS) + r")(?![a-z0-9_-])"
_BESIDE = re.compile(rf"{_BESIDE_WORD}(?:[^\S\n]+{_BESIDE_WORD})*")
_EDGE_CHARS = frozenset(",;|\n、()[]")


def _beside_cut(scan: _Scan, start: int, end: int) -> bool:
    """Whether norm[start:end] sits in a run of parameters: a cut on one side (across spaces) and a cut
    or the edge of the text or clause on the other ("a fox 10s portrait", "portrait 10s: a fox")."""
    norm, cutn = scan.norm, scan.cutn

    def side(i: int, step: int) -> tuple[bool, bool]:
        was_cut = False
        while 0 <= i < len(norm) and norm[i].isspace():
            was_cut = was_cut or bool(cutn[i])
            i += step
        edge = not 0 <= i < len(norm) or norm[i] in _EDGE_CHARS or (step < 0 and norm[i] == ":")
        return was_cut, edge

    left_cut, left_edge = side(start - 1, -1)
    right_cut, right_edge = side(end, 1)
    return (left_cut and (right_cut or right_edge)) or (right_cut and left_edge)


def _take_beside_params(scan: _Scan, found: _Found) -> None:
    """Ambiguous parameter words ("portrait", "square", "loop", "relaxed") that need context elsewhere
    also count inside a run of other parameters: "a fox in snow 10s portrait" (but "Times Square 10s")."""
    for run in scan.take(_BESIDE, lambda m: _beside_cut(scan, m.start(), m.end())):
        for word in run.group().split():
            key, value = _BESIDE_WORDS[word]
            found.set(key, value)


def _take_seconds(scan: _Scan, found: _Found) -> None:
    rx = _rx()
    for m in scan.take(rx["seconds_kv"]):
        found.set("seconds", _check_seconds(_number(m.group("n")), m.group(0).strip()))
    for m in scan.take(rx["seconds_en"], lambda m: _is_seconds(scan, m)):
        x = _number(m.group("n"))
        if m.group("sign") and x is not None:
            x = -x
        found.set("seconds", _check_seconds(x, scan.original(*m.span()).strip()))
    if scan.cjk:
        for m in scan.take(rx["seconds_zh"]):
            found.set("seconds", _check_seconds(_number(m.group("n")), scan.original(*m.span()).strip()))


def _take_edit(scan: _Scan, found: _Found) -> None:
    """Recut words (trim ranges, first/last seconds, extend, shorten), cut from the text."""
    rx = _edit_rx()

    def sec(s: str | None, whole: str) -> float:
        x = _number(s) if s else 1.0
        if x is None or x < 0 or x > 3600:
            raise ParseError("bad_seconds", whole)
        return x

    def range_(m: re.Match[str]) -> bool:
        a, b = m.group("a"), m.group("b")
        groups = m.groupdict()
        has_unit = bool(groups.get("ua") or groups.get("ub")) or ":" in a + b or "秒" in m.group(0)
        if not (has_unit or groups.get("verb") or found.edit == "recut"):
            return False
        whole = m.group(0).strip()
        start, end = sec(a, whole), sec(b, whole)
        if end <= start or end - start > MAX_SECONDS + 0.5:
            raise ParseError("bad_seconds", whole)
        found.set("trim_start", start)
        found.set("trim_end", end)
        found.set("seconds", _check_seconds(max(1.0, end - start), whole))
        found.edit = "recut"
        return True

    def first_cut(m: re.Match[str]) -> bool:
        found.set("trim_start", sec(m.group("n"), m.group(0)))
        found.edit = "recut"
        return True

    def last_cut(m: re.Match[str]) -> bool:
        g = m.groupdict()
        n = g.get("n") or g.get("n2") or g.get("n3")
        found.set("trim_end", -sec(n, m.group(0)))
        found.edit = "recut"
        return True

    def first_keep(m: re.Match[str]) -> bool:
        x = sec(m.group("n"), m.group(0))
        found.set("trim_start", 0.0)
        found.set("trim_end", x)
        found.set("seconds", _check_seconds(x, m.group(0)))
        found.edit = "recut"
        return True

    def last_keep(m: re.Match[str]) -> bool:
        x = sec(m.group("n"), m.group(0))
        found.set("trim_start", -x)
        found.set("seconds", _check_seconds(x, m.group(0)))
        found.edit = "recut"
        return True

    def extend(m: re.Match[str]) -> bool:
        g = m.groupdict()
        by = next((g[k] for k in ("by", "by2", "by3", "by4", "by5") if g.get(k)), None)
        if by is not None:
            found.set("seconds", _check_seconds(_number(by), m.group(0)))
        if g.get("to"):
            found.set("trim_end", sec(g["to"], m.group(0)))
        found.set("extend", True)
        found.edit = "recut"
        return True

    def shorten(m: re.Match[str]) -> bool:
        found.edit = "recut"
        return True

    for suffix in ("", "_zh"):
        if suffix and not scan.cjk:
            continue
        scan.take(rx["range" + suffix], range_)
        scan.take(rx["first_keep" + suffix], first_keep)
        scan.take(rx["last_keep" + suffix], last_keep)
        scan.take(rx["first_cut" + suffix], first_cut)
        scan.take(rx["last_cut" + suffix], last_cut)
        scan.take(rx["to_length" + suffix], first_keep)
        scan.take(rx["extend" + suffix], extend)
        scan.take(rx["shorten" + suffix], shorten)


# -- the prompt ------------------------------------------------------------------------------------

_CONNECTOR = r"(?:and|with|in|at|for|of|&|plus|using|as|on|but)"
_CJK_CHAR = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"


def _tidy(s: str) -> str:
    """Collapse whitespace and drop separators and connectors that a cut left dangling.

    `\\x00` marks where parameters were cut; a connector right before one ("a cat in <720p>") goes too.
    """
    # one marker per cut run ("\x00 " when the run held a space), so the patterns below stay linear
    s = re.sub(r"\x00[\x00 \t]*", lambda m: "\x00" if not m.group().strip("\x00") else "\x00 ", s)
    s = re.sub(rf"(?i)(?<![^\s,;]){_CONNECTOR}\s?(?=\x00\s?(?:$|[,，、;；.。!！?？]))", "", s)
    s = re.sub(rf"(?i)^\s*\x00\s?{_CONNECTOR}\s+", " ", s)
    # sentence stops left alone by a cut sentence ("A dragon. <Vertical>. <10 seconds>.")
    for _ in range(5):
        before = s
        s = re.sub(r"(^|[.!?。！？][ \t]?|\x00[ \t]?)(\x00[ \t]?)[.!?。！？]+(?=\s|$)", r"\1\2", s)
        if s == before:
            break
    s = re.sub(r"(?:的|和|跟|与|并且|并|用|以)(?=\x00\s?(?:$|[,，、;；。！？]))", "", s)
    s = re.sub(r"(?<![^\s\x00])#(?=\x00)", "", s)  # a hashtag whose word was a parameter ("#vertical")
    s = re.sub(rf"(?<={_CJK_CHAR})\x00(?={_CJK_CHAR})", "", s)  # no gap left inside Chinese
    s = s.replace("\x00", " ")
    s = re.sub(r"\s+", " ", s)
    for _ in range(3):
        before = s
        s = re.sub(r"[(\[{（【「『][\s,，、;；]*[)\]}）】」』]", " ", s)  # brackets emptied by a cut: "(10s)"
        s = re.sub(r"(?<!\S)(\*\*|__|~~|\*|_|`|\|\|)\s*\1(?!\S)", " ", s)  # markdown emptied: "**10s**"
        s = re.sub(r"\s+([,，、;；])", r"\1", s)
        s = re.sub(r"([,，、;；])(?:\s*[,，、;；:：])+", r"\1", s)
        s = re.sub(r"[,，、;；:：]\s*[.。]$", "", s)
        s = re.sub(r"([,，、;；:：])\s*([.。!！?？])(?=\s|$)", r"\2", s)
        s = re.sub(r"\s+", " ", s).strip()
        s = s.lstrip(" ,，、;；:：|/&+-–—.。·•").rstrip(" ,，、;；:：|/&+-–—·•")
        s = re.sub(r"\s[.。]$", "", s).strip()
        if s == before:
            break
    return s


_LEAD_MEASURE = re.compile(r"^\s*(?:一个|一段|一条|一部)(?=\S)")


def _strip_filler(prompt: str, action: str) -> str:
    """Cut request wording around the scene ("make me a video of ...", "please", "生成一个视频：")."""
    rx = _rx()
    keys = ["prompt_key", "filler_tail", "filler_polite"]
    if action in ("create", "storyboard"):
        keys += ["filler_head", "filler_head_zh", "filler_tail_zh"]
    elif action in ("animate", "remix", "blend", "loop", "recut"):
        keys += ["filler_edit"]
    asked = False  # request wording cut from the front: a closing "?" was part of it ("can you make ...?")
    for _ in range(4):
        before = prompt
        scan = _Scan(prompt)
        for key in keys:
            if key.endswith("_zh") and not scan.cjk:
                continue
            m = rx[key].search(scan.norm)
            if m and m.end() > m.start():
                asked = asked or key in ("filler_head", "filler_polite", "filler_head_zh")
                scan.cut(*m.span())
                if key == "filler_tail_zh" and (lead := _LEAD_MEASURE.match(scan.norm)):
                    scan.cut(*lead.span())  # "一个日落视频" -> "日落": the measure word counted the video
                rest = _tidy(scan.rest("\x00"))
                if not rest and key != "filler_tail":
                    # "make a video" alone is a request with no scene: keep the words, the caller decides
                    return "" if action == "create" else rest
                prompt = rest
                break
        if prompt == before:
            break
    if asked:
        prompt = re.sub(r"\s*[?？]+$", "", prompt)
    if re.fullmatch(r"[\s!-/:-@\[-`{-~，。？！、；：…]*", prompt):
        prompt = ""  # only punctuation left ("can you make it loop?" -> "?")
    m = re.fullmatch(r"\s*([\"“”'‘’「『])(.+)([\"“”'‘’」』])\s*", prompt)
    if m and m.group(2).count('"') == 0:
        prompt = m.group(2).strip()
    return prompt


# -- storyboard ------------------------------------------------------------------------------------


def _split_cards(body: str) -> list[tuple[float | None, str]]:
    """Split a storyboard body into (at, text) pieces; `at` is None where no time was written."""
    pieces = [p for p in re.split(r"[;；\n|]+", body) if p.strip()]
    if len(pieces) <= 1:  # "0s a cat, 5s it jumps": commas before a time mark split too
        pieces = [
            p
            for p in re.split(
                rf"[,，、]\s*(?=(?:at\s+|第)?(?:{_CLOCK}|(?:{_DEC}|{_CN_NUM})\s*(?:{_UNIT}(?![a-z])|秒)))",
                body,
                flags=re.IGNORECASE,
            )
            if p.strip()
        ]
    if len(pieces) <= 1:  # "1. a kid finds a map 2. he sails away": an inline numbered list
        numbered = [p for p in re.split(r"(?:^|\s+)(?=[0-9]{1,2}[.)]\s)", body) if p.strip()]
        order = [int(m.group()) if (m := re.match("[0-9]+", p.strip())) else 0 for p in numbered]
        if len(numbered) >= 2 and order == list(range(1, len(numbered) + 1)):
            pieces = numbered
    out: list[tuple[float | None, str]] = []
    bare: list[float | None] = []
    rx = _rx()["card_time"]
    for piece in pieces:
        scan = _Scan(piece)
        m = rx.match(scan.norm)
        if m and m.end() > 0:
            t = m.group("clock") or m.group("rn") or m.group("n") or m.group("bare")
            at = _number(t) if t else None
            if at is not None or m.group("scene"):
                scan.cut(0, m.end())
                out.append((at, scan.rest("")))
                bare.append(at if m.group("bare") else None)
                continue
        out.append((None, piece))
        bare.append(None)
    if len(out) >= 2 and bare == [float(i) for i in range(1, len(out) + 1)]:
        out = [(None, text) for _, text in out]  # "1) ... 2) ... 3) ...": numbered scenes, not seconds
    return out


def _looks_like_storyboard(text: str) -> bool:
    pieces = [p for p in re.split(r"[;；\n|]+", text) if p.strip()]
    if len(pieces) < 2:
        return False
    rx = _rx()["card_time"]
    timed = 0
    for p in pieces:
        m = rx.match(_Scan(p).norm)
        if m and (m.group("clock") or m.group("u") or m.group("ru") or m.group("scene")):
            timed += 1
    return timed >= 2 and timed >= len(pieces) - 1


# -- the parser -------------------------------------------------------------------------------------


def parse(
    text: str, *, images: int = 0, videos: int = 0, reply: bool = False, bot_names: Sequence[str] = ()
) -> Request:
    """Turn one chat message into a Request.

    `images` / `videos`: how many of each are attached; `reply`: the message replies to one of our clips;
    `bot_names`: the bot's user names, stripped where they are mentioned.
    Returns the Request (every contract field valid). Raises ParseError (see PARSE_ERROR_CODES) only for
    an empty request, a too long one, or an explicit value out of range.
    """
    cleaned = _clean_controls(text if isinstance(text, str) else str(text))
    cleaned = _strip_mentions(cleaned, bot_names)

    command: str | None = None
    cmd_name = ""
    if m := _COMMAND.match(cleaned):
        name = m.group("cmd").lower()
        if name in _COMMANDS:
            command, cmd_name = _COMMANDS[name], name
            cleaned = cleaned[m.end() :]
    elif _BARE_RECUT.match(cleaned):
        command, cmd_name = "recut", "recut"
        cleaned = _BARE_RECUT.sub("", cleaned, count=1)

    cleaned = re.sub(r"[^\S\n]+", " ", cleaned)
    cleaned = re.sub(r" ?\n[\s]*", "\n", cleaned).strip()
    if len(cleaned) > MAX_INPUT_CHARS:
        raise ParseError(
            "too_long", f"{len(cleaned)} characters", length=len(cleaned), limit=MAX_PROMPT_CHARS
        )
    clips = videos + (1 if reply else 0)
    if not cleaned and command is None and images <= 0 and videos <= 0:
        raise ParseError("empty", "nothing to make")

    # Questions: an explicit command, or text that is essentially just the question.
    if command in QUESTION_ACTIONS:
        return Request(action=command, prompt=_tidy(cleaned)[:MAX_PROMPT_CHARS])
    scan = _Scan(cleaned)
    if command is None and (q := _question(scan.norm)) is not None:
        return Request(action=q)

    found = _Found()
    if cmd_name == "extend":
        found.set("extend", True)
        found.edit = "recut"
    elif command == "recut":
        found.edit = "recut"  # "/recut 0-5": a bare range is seconds of the clip
    if m := _rx()["prompt_key"].match(scan.norm):
        scan.cut(*m.span())
    _take_flags(scan, found)

    # The action the context implies.
    storyboard = command == "storyboard"
    if command is None and (images > 0 or clips > 0):
        storyboard = False
    elif command is None or (command == "create" and images <= 0):  # "/video storyboard: ..." too
        kw = _rx()["storyboard_kw"].match(scan.norm) or _rx()["storyboard_kw_later"].search(scan.norm, 0, 80)
        if kw:
            storyboard = True
            scan.cut(*kw.span())
        elif _looks_like_storyboard(scan.rest()):
            storyboard = True
    elif storyboard and (kw := _rx()["storyboard_kw"].match(scan.norm)):
        scan.cut(*kw.span())

    edit_words = command in ("recut", "loop", "remix") or (command is None and clips >= 1 and images <= 0)
    if storyboard:
        req = _storyboard(scan, found)
    else:
        if edit_words:
            _take_edit(scan, found)
        _take_params(scan, found)
        req = Request(prompt=_tidy(scan.rest("\x00")))

    _apply(req, found)
    req.action = _action(command, storyboard, images, videos, reply, found, req)
    if req.action == "loop" or command == "loop":
        req.loop = True
    if req.action != "storyboard":
        # a mention can reach the front once the words before it are cut ("10s @ReelBot ...")
        req.prompt = _finish_prompt(req.prompt, req.action, bot_names)
    if req.action == "remix" and req.strength is None:
        req.strength = _strength_words(req.prompt)

    if (req.action == "create" and not req.prompt) or (req.action == "storyboard" and not req.cards):
        raise ParseError("empty", "no prompt")
    if len(req.prompt) > MAX_PROMPT_CHARS:
        raise ParseError(
            "too_long", f"{len(req.prompt)} characters", length=len(req.prompt), limit=MAX_PROMPT_CHARS
        )
    if req.negative is not None and len(req.negative) > MAX_PROMPT_CHARS:
        raise ParseError("too_long", "negative prompt", length=len(req.negative), limit=MAX_PROMPT_CHARS)
    return req


def _finish_prompt(prompt: str, action: str, bot_names: Sequence[str]) -> str:
    """Request wording, mentions and commands that reached the edges once parameters were cut go too
    ("10s @ReelBot make a cat" -> "a cat"), until nothing changes."""
    for _ in range(4):
        before = prompt
        prompt = _strip_filler(_tidy(_strip_mentions(prompt, bot_names)), action)
        if (cm := _COMMAND.match(prompt)) and cm.group("cmd").lower() in _COMMANDS:
            prompt = _tidy(prompt[cm.end() :])
        if prompt == before:
            break
    return prompt


def _apply(req: Request, found: _Found) -> None:
    v = found.values
    for key in (
        "seconds",
        "resolution",
        "aspect",
        "variations",
        "mode",
        "seed",
        "loop",
        "extend",
        "strength",
        "trim_start",
        "trim_end",
    ):
        if key in v:
            setattr(req, key, v[key])
    if found.negatives:
        req.negative = ", ".join(dict.fromkeys(found.negatives))
    req.ignored = list(found.ignored)


def _action(
    command: str | None, storyboard: bool, images: int, videos: int, reply: bool, found: _Found, req: Request
) -> str:
    clips = videos + (1 if reply else 0)
    if storyboard:
        return "storyboard"
    if command == "loop" and clips == 0:
        return "create"  # "/loop a cat chasing its tail": a new looping clip
    if command == "create" and images > 0:
        return "animate"  # "/video waves crashing" sent with a photo
    if command is not None:
        return command
    if clips >= 2 and images <= 0:
        return "blend"
    if images > 0:
        return "animate"
    if clips == 1:
        if found.edit == "recut" or found.get("extend"):
            return "recut"
        if found.get("loop"):
            return "loop"
        if not req.prompt and "seconds" in found.values:
            return "recut"  # a reply with just "10s": change the length
        return "remix"
    return "create"


def _strength_words(prompt: str) -> float | None:
    s = _Scan(prompt).norm
    if re.search(
        r"\b(?:slightly|subtle|subtly|a (?:little|bit|touch)|lightly|gently|barely)\b|轻微|稍微|一点点", s
    ):
        return 0.35
    if re.search(r"\b(?:completely|totally|entirely|drastically|radically|wildly)\b|完全|彻底|大改", s):
        return 0.85
    return None


def _storyboard(scan: _Scan, found: _Found) -> Request:
    """Cards from `storyboard: 0s a cat wakes; 5s it jumps` (times optional), and its length."""
    body = scan.rest(" ")
    head = ""
    hm = re.match(
        r"^(?P<head>(?:[^;；\n|:：]|(?<=[0-9])[:：](?=[0-9]))*?)(?:(?<![0-9])[:：]|[:：](?![0-9]))", body
    )
    if hm:
        card_time = _rx()["card_time"]
        head_is_time = bool(card_time.match(_Scan(hm.group("head") + " ").norm))
        after_is_time = bool(card_time.match(_Scan(body[hm.end() :]).norm))
        if not head_is_time or after_is_time:
            head, body = hm.group("head"), body[hm.end() :]
    head_scan = _Scan(head)
    _take_params(head_scan, found)
    head_text = _tidy(head_scan.rest("\x00"))
    cards: list[Card] = []
    at_prev: float | None = None
    pieces = _split_cards(body)
    untimed = all(at is None for at, _ in pieces)
    step = 5.0 if len(pieces) <= 4 else MAX_SECONDS / max(1, len(pieces))
    for i, (at, text) in enumerate(pieces):
        cs = _Scan(text)
        _take_params(cs, found, seconds=False)
        prompt = _tidy(cs.rest("\x00"))
        if not prompt:
            continue
        if at is None:
            at = round(i * step, 2) if untimed else (0.0 if at_prev is None else at_prev + 5.0)
        if at < 0 or at >= MAX_SECONDS:
            raise ParseError("bad_seconds", f"card at {at:g}s")
        cards.append(Card(at=float(at), prompt=prompt))
        at_prev = at
    if len(cards) > MAX_CARDS:
        raise ParseError("bad_storyboard", f"{len(cards)} cards (at most {MAX_CARDS})")
    cards.sort(key=lambda c: c.at)
    if len({c.at for c in cards}) != len(cards):
        raise ParseError("bad_storyboard", "two cards at the same time")
    req = Request(action="storyboard", cards=cards)
    req.prompt = "; ".join(([head_text] if head_text else []) + [c.prompt for c in cards])
    if cards:
        last = cards[-1].at
        if "seconds" in found.values:
            if found.values["seconds"] <= last:
                raise ParseError(
                    "bad_seconds", f"{found.values['seconds']}s is too short for a card at {last:g}s"
                )
        else:
            found.set("seconds", min(MAX_SECONDS, max(MIN_SECONDS, math.ceil(last + 5))), 0)
    return req
