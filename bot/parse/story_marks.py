"""Time marks written inside sentences: "Scene at 0s: ... Scene at 3s: ...", "at 0 a knight ..., at 4 he
...", "Start: ... At 5 seconds: ...", "first ..., after 5 seconds ...", "First (0s): ...", "开头是…第五秒…第十秒…",
"先是…到了第四秒…". A message whose marks (two or more) come in time order, from 0 or from an opener
("start:", "first", 开头是, 先是), is a storyboard: it is rewritten as one card a line ("0s: ...", "3-6s: ...")
after the words before its first mark (a greeting, the reason), which stay a line of their own.

Pure text rules over one message; storyboard.py reads the lines it writes. Must not read other parameters.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from bot.parse.numbers import CN_NUM, EN_NUM, number
from reel.contract import MAX_SECONDS

_N = rf"(?:[0-9]{{1,2}}(?:\.[0-9])?|{CN_NUM})"
_EN_UNIT = r"(?:seconds?|secs?|s)(?![a-z0-9])"
_ZH_UNIT = r"(?:秒钟|秒鐘|秒)"
_SCENE_NO = rf"(?:[0-9]{{1,2}}|[a-h]|one|two|three|four|five|six|{CN_NUM})"


class Mark(NamedTuple):
    """One time mark: where it starts and ends in the text, its time, a range's end, whether it is bare."""

    start: int
    end: int
    at: float
    until: float | None
    bare: bool  # "at 4" with no unit
    later: bool = False  # "5 seconds later": after the mark before


@functools.cache
def _rx() -> dict[str, re.Pattern[str]]:
    join = (
        r"(?:(?:and\s+)?then\s*,?\s+|and\s+|next\s*,?\s+|later\s*,?\s+|finally\s*,?\s+|"
        r"然后|然後|接着|接著|接下来|接下來|最后|最後|后来|後來|再)?"
    )
    bullet = r"(?:[-*•·]\s*|[0-9]{1,2}[.)、]\s*)?"
    label = (
        rf"(?:(?:(?:scene|shot|cut|part|beat|panel|frame|step)(?:\s*{_SCENE_NO}(?![a-z0-9]))?"
        r"|first|second(?!\s*[0-9])|third|fourth|fifth|sixth|next|last|final|then)\s*[:：\-–—]?\s*"
        rf"|(?:镜头|鏡頭|场景|場景|画面|畫面)\s*{_SCENE_NO}\s*|第{_SCENE_NO}(?:幕|场|場|个镜头|個鏡頭|镜|鏡)\s*)?"
    )
    en_n = rf"(?:[0-9]{{1,2}}(?:\.[0-9])?|{EN_NUM}(?![a-z]))"
    en_time = (
        r"(?:(?P<pre>(?:at|after|from|between)\s+(?:the\s+)?)|(?P<pre2>(?:at\s+)?(?:seconds?|secs?)\s+|t\s*=\s*))?"
        rf"(?P<n>{en_n})(?:(?:\s*|-)(?P<u>{_EN_UNIT}))?(?:\s+mark)?(?P<into>\s+in(?=\s*[,，:：]))?(?P<later>\s+later)?"
        rf"(?:\s*(?:-|–|—|~|to|and)\s*(?P<e>{en_n})\s*(?P<eu>{_EN_UNIT})?)?"
    )
    zh_time = (
        rf"(?P<zpre>到了|到|在|从|從|过了|過了)?(?:(?P<di>第)\s*(?P<zn>{_N})\s*{_ZH_UNIT}"
        rf"|(?P<zr>{_N})\s*(?:-|–|~|到|至)\s*(?P<ze>{_N})\s*{_ZH_UNIT}|(?P<zs>{_N})\s*{_ZH_UNIT})"
        r"(?P<zsuf>时|時|的时候|的時候|后|後|之后|之後|处|處|开始|開始|起(?=[，,：:\s]))?"
    )
    return {
        "mark": re.compile(
            rf"(?P<join>{join})(?P<bullet>{bullet})(?P<label>{label})[(（\[【]?\s*(?:{zh_time}|{en_time})\s*[)）\]】]?"
            r"\s*(?P<sep>[:：\-–—,，.。=]\s*|\s*)",
            re.I,
        ),
        # "12 seconds in total", "a 10 second video", "5 seconds of rain": a length, not a mark
        "length": re.compile(
            r"(?:-\s*)?(?:(?:long|in\s+(?:total|all)|total|overall|altogether|video|clip|vid|movie|animation|one|of|"
            r"am|pm|o'?clock|percent|fps|p|k|x)(?![a-z])|%|:[0-9])",
            re.I,
        ),
        "opener": re.compile(
            r"(?:(?:it|this|that|the\s+(?:video|clip|story))\s+(?:should|will|must|can|could|would)\s+)?"
            r"(?:starts?|begins?|opens?)\s+with\s+(?:the\s+)?(?:shot\s+of\s+)?"
            r"|(?:start|beginning|opening)\s*[:：\-–—]\s*"
            r"|(?:first(?:ly)?|at\s+first|to\s+start(?:\s+with)?|at\s+the\s+(?:start|beginning)|in\s+the\s+beginning)"
            r"(?:\s*[:：,，]\s*|\s+)"
            r"|(?:to\s+begin(?:\s+with)?|(?:we\s+|it\s+)?opens?\s+on|opening\s+shot)(?:\s*[:：,，]\s*|\s+)"
            r"|开头是|開頭是|开头|開頭|一开始是|一開始是|一开始|一開始|先是|首先是|首先|起初|最开始|最開始|开始时|開始時"
            r"|刚开始|剛開始|一上来|一上來|最初|起先|开场|開場|片头|片頭",
            re.I,
        ),
        "said": re.compile(r"[^\W_]"),
        "name": re.compile(
            r"(?:^|(?<=[.!?。！？;；\n]))\s*(?P<name>[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*)?)\s*$", re.I
        ),
        "chat": re.compile(
            r"(?<![a-z'])(?:i|i'm|im|i'd|i've|me|my|we|we're|our|us|you|your|u|ur|pls|plz|please|hi|hey|hello|"
            r"yo|good\s+(?:morning|evening|afternoon)|kindly|want|wanna|need|like|can|could|would|make|do|here|"
            r"here's|heres|plan|as\s+follows|following|below|idea|list|thanks?)(?![a-z'])"
            r"|[?？!！]|[.。]\s*\S|[我你您咱]|如下|下面|以下|想|请|麻烦|帮|劳驾|唔该|唔該",
            re.I,
        ),
    }


_BOUNDARY = set(" \n\t.!?。！？;；,，、:：()（）")


def _sentence_start(text: str, i: int) -> bool:
    """Whether only spaces stand between `i` and the text's start or a sentence stop before it."""
    j = i
    while j > 0 and text[j - 1].isspace() and text[j - 1] != "\n":
        j -= 1
    return j == 0 or text[j - 1] in ".!?。！？:：;；\n"


def _clause_start(text: str, i: int) -> bool:
    """Whether a clause starts at `i`: the text's start, or after a stop, comma or bracket, or next to Chinese
    ("散步 第五秒坐在长椅上")."""
    j = i
    while j > 0 and text[j - 1].isspace() and text[j - 1] != "\n":
        j -= 1
    return (
        j == 0
        or text[j - 1] in ".!?。！？:：;；,，、()（）[]【】\n-–—*•·"
        or "\u3400" <= text[j - 1] <= "\u9fff"
    )


def _mark_at(text: str, i: int) -> Mark | None:
    rx = _rx()
    m = rx["mark"].match(text, i)
    if m is None:
        return None
    rest = text[m.end() :]
    if not rx["said"].match(rest) or rx["length"].match(rest):
        return None  # nothing said after it, or a length ("10 seconds long", "12 seconds in total")
    if m.group("zn") or m.group("zr") or m.group("zs"):
        at = number(m.group("zn") or m.group("zr") or m.group("zs"))
        until = number(m.group("ze")) if m.group("ze") else None
        bare = False
    else:
        if m.group("e") and not (m.group("eu") or m.group("pre2")):
            return None  # "0-3 a cat", "1 and 2 dogs": a range of seconds says its unit
        bare = not m.group("u") and not m.group("e") and not m.group("pre2")
        if bare and (not (m.group("pre") or "").lower().startswith("at") or not m.group("n")[0].isdigit()):
            return None  # "5 a cat", "at one point": a bare number is a time only in digits after "at"
        if bare and m.group("sep").strip() and not re.fullmatch(r"[:：=]\s+", m.group("sep")):
            return None  # "at 5:30", "at 5." ("at 4: a train" is a mark: its colon and a space)
        at = number(m.group("n"))
        until = number(m.group("e")) if m.group("e") else None
    if at is None:
        return None
    if until is None and m.group("u") and re.fullmatch(r"(?:the\s+)?first\s*", m.group("label") or "", re.I):
        at, until = 0.0, at  # "first 5 seconds kickoff, then at 5s ...": the range from 0
    said_how = any(
        m.group(g) for g in ("join", "bullet", "label", "pre", "pre2", "into", "later", "zpre", "di", "zsuf")
    )
    said_how = said_how or m.group("sep").strip()[:1] in tuple(":：-–—=")
    if not said_how and not _sentence_start(text, i):
        return None  # "about 9 seconds, and ...": a bare length inside a sentence marks no card
    headed = m.group("sep").strip()[:1] in (
        ":",
        "：",
    )  # "Middle 3-7s: ...": a time with its colon heads a card
    if not m.group("join") and not headed and not _clause_start(text, i):
        return None  # "a rooster crows at 5 seconds past dawn": a time inside a clause opens no card
    later = bool(m.groupdict().get("later")) and not m.group("pre")
    return Mark(i, m.end(), at, until, bare, later)


def _marks(text: str) -> list[Mark]:
    out: list[Mark] = []
    i = 0
    while i < len(text):
        if (i == 0 or text[i - 1] in _BOUNDARY) and (mark := _mark_at(text, i)) is not None:
            out.append(mark)
            i = mark.end
            continue
        i += 1
    return out


def _resolved(run: list[Mark], after_opener: bool) -> list[Mark]:
    """The marks with "N seconds later" counted from the mark before (from 0 after an opener)."""
    out: list[Mark] = []
    for mk in run:
        if mk.later and (out or after_opener):
            base = out[-1].at if out else 0.0
            mk = mk._replace(at=base + mk.at, until=None, later=False)
        out.append(mk)
    return out


def _with_label(text: str, prev: Mark, mark: Mark) -> Mark:
    """`mark` begun at the short name standing before it at a sentence start, when a colon follows its time
    ("... black. Middle (3-7s): product spins": "Middle" names the card, not the end of the one before)."""
    if not re.search(r"[:：]\s*$", text[mark.start : mark.end]):
        return mark
    m = _rx()["name"].search(text, prev.end, mark.start)
    return mark._replace(start=m.start("name")) if m else mark


def _opener_before(text: str, end: int) -> re.Match[str] | None:
    """The last opener ("start:", "first", 开头是) before `end` that stands at a boundary."""
    last = None
    for m in _rx()["opener"].finditer(text, 0, end):
        if m.start() == 0 or text[m.start() - 1] in _BOUNDARY or re.match(r"[\u4e00-\u9fff]", m.group()):
            last = m
    return last


def chatty(preface: str) -> bool:
    """Whether the words before a timeline talk to the bot (a greeting, a reason, a request: "hey, for my
    niece's birthday", "您好，我想做一个", "as follows") rather than name the scene ("a snowy cabin")."""
    return bool(_rx()["chat"].search(preface))


def _fmt(x: float) -> str:
    return f"{x:g}"


class Timeline(NamedTuple):
    """A message rewritten as one card a line, and the words that stood before its first card."""

    text: str
    preface: str


def timeline_lines(text: str) -> Timeline | None:
    """`text` as a preface line and one card a line ("0s: a bear wakes up", "3-6s: ...") when it tells two
    cards or more with time marks in order that start at 0 or after an opener; None otherwise."""
    marks = _marks(text)
    start = next((k for k, mk in enumerate(marks) if mk.at == 0), None)
    opener = None
    if start is None:
        if not marks:
            return None
        opener = _opener_before(text, marks[0].start)
        if opener is None or not _rx()["said"].search(text, opener.end(), marks[0].start):
            return None
        if not re.search(r"[:：\-–—]\s*$", opener.group()) and re.search(
            r"[.!?](?=\s|$)|[。！？]", text[opener.end() : marks[0].start]
        ):
            return None  # "First time here! 2s: ...": an opener without a colon opens one sentence, the card
        start = 0
    if marks[start].later and opener is None:
        return None
    run = _resolved(marks[start:], opener is not None)
    if any(b.at <= a.at for a, b in zip(run, run[1:], strict=False)):
        return None
    if any(mk.bare for mk in run) and (not all(mk.bare for mk in run) or run[-1].at >= MAX_SECONDS):
        return None  # "at 0 ..., at 5s ...": one kind of mark; "at 0 degrees ..., at 40 ...": no seconds
    if len(run) + (opener is not None) < 2:
        return None
    cards: list[tuple[str, str]] = []
    if opener is not None:
        preface = text[: opener.start()]
        cards.append(("0s", text[opener.end() : run[0].start]))
    else:
        preface = text[: run[0].start]
    run = [run[0], *(_with_label(text, a, b) for a, b in zip(run, run[1:], strict=False))]
    for k, mk in enumerate(run):
        end = run[k + 1].start if k + 1 < len(run) else len(text)
        when = f"{_fmt(mk.at)}-{_fmt(mk.until)}s" if mk.until is not None else f"{_fmt(mk.at)}s"
        cards.append((when, text[mk.end : end]))
    lines = []
    for when, card in cards:
        card = re.sub(r"[\s,，、;；]+$", "", re.sub(r"^[\s:：,，\-–—]+", "", card))
        card = re.sub(r"^(?:是|为|為)(?=[\u3400-\u9fff])", "", card)  # "第五秒是海鸥": the card is 海鸥
        # "a fox wakes, and then": the join before the next mark
        card = re.sub(
            r"[\s,，]*(?:(?<![a-z])(?:and\s+then|then|and|after\s+that|next|later)|然后|然後|接着|接著|再)$",
            "",
            card,
            flags=re.I,
        )
        if not _rx()["said"].search(card):
            return None
        lines.append(f"{when}: {card.strip()}")
    preface = re.sub(r"[\s:：,，\-–—]+$", "", preface)
    return Timeline("\n".join(([preface] if preface.strip() else []) + lines), preface)
