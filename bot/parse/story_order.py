"""Shots told in order rather than on a timeline: "first ..., then ..., finally ..." (先是…然后…最后), lists
numbered 1, 2, 3 or marked scene A / 第一幕, items enumerated with "、" or counted by a head ("three scenes:"),
and a length said for them all ("12 seconds total", "总共十秒").

Pure text rules over one message; storyboard.py builds the cards. Must not read other parameters.
"""

from __future__ import annotations

import re

from bot.parse.numbers import CN_NUM, DEC, number
from bot.parse.words import HOWTO_UNITS, HOWTO_WORDS

_FIRST_EN = r"(?:first\s+of\s+all|first\s+off|first(?:ly)?|to\s+start(?:\s+with)?|start\s+with|at\s+first)"
_FIRST_ZH = r"(?:首先是|首先|先是|一开始是|一开始|一開始是|一開始|开始是|開始是|开头是|開頭是|第一个镜头是|第一個鏡頭是|起初)"
_SEQ_FIRST = re.compile(
    rf"{_FIRST_ZH}|(?:^|(?<=[\s,，.。?？!！:：]))(?:{_FIRST_EN}(?=[\s,，])|先(?=[\u4e00-\u9fff]))",
    re.I,
)
_SEQ_NEXT = re.compile(
    r"[\s,，.。;；]*(?:\b(?:and\s+)?(?:then|next|after\s+that|afterwards|finally|lastly|in\s+the\s+end)\b"
    r"|然后|然後|接下来|接下來|接着|接著|之后|之後|再来|再來|最后|最後)[\s,，]*",
    re.I,
)
#: a head that counts the cards: "3 scenes", "three shots", "分三个画面", "四个镜头"
COUNTED = re.compile(
    rf"(?<![0-9])(?:分)?(?P<n>[2-9]|two|three|four|five|six|{CN_NUM})\s*(?:个|個)?\s*"
    r"(?:scenes?|shots?|parts?|cards?|beats?|镜头|鏡頭|场景|場景|画面|畫面|幕|段)",
    re.I,
)
#: words that say the member wants shots ("a story", "scenes", "故事的感觉")
_STORY_WORDS = re.compile(
    r"storyboard|story\s*board|\bstory\b|\bscenes?\b|\bshots?\b|故事|分镜|分鏡|镜头|鏡頭|画面|畫面|场景|場景",
    re.I,
)
#: how far into a message without such a word its "first" may stand ("ok so first ...", "make a video: first")
MAX_SEQUENCE_LEAD = 24
_NUMBERED_LINE = re.compile(r"^\s*(?P<n>[0-9]{1,2})\s*[.)、:：]\s*\S")
_NUMBERED_INLINE = re.compile(r"(?:^|\s)(?P<n>[0-9]{1,2})[.)]\s+(?=\S)")
#: a scene mark that opens a card: "scene 2", "shot B", "第二幕", "镜头3"
SCENE_MARK = re.compile(
    rf"(?:^|(?<=[\s,，。;；.]))(?:(?:scene|shot|cut|part|beat|panel)\s*(?:[0-9]{{1,2}}|[a-h]|one|two|three|four|five|six)(?![a-z0-9])"
    r"|(?:first|second|third|fourth|fifth|sixth|next|last|final)\s+(?:shot|scene)(?![a-z0-9])"
    rf"|第(?:[0-9]{{1,2}}|{CN_NUM})(?:幕|场|個鏡頭|个镜头|镜头|鏡頭|镜|鏡)|(?:镜头|鏡頭|场景|場景)\s*(?:[0-9]{{1,2}}|{CN_NUM}))",
    re.I,
)
#: a length for all the cards said before them ("一共十秒：0秒 ...", "total 12s: ...")
TOTAL_HEAD = re.compile(
    rf"^\s*(?:一共|总共|總共|共|全长|全長|in\s+total|total(?:\s+length)?|overall)\s*(?:[0-9]{{1,2}}|{CN_NUM})\s*"
    r"(?:秒钟?|seconds?|secs?|s)\s*[:：,，]\s*",
    re.I,
)
_TOTAL = re.compile(
    r"[\s,，]*(?:(?:about|around|~)\s*)?(?P<n>[0-9]{1,2})\s*(?:seconds?|secs?|s)\s+(?:total|in\s+total|overall|altogether|all\s+together|long)"
    r"(?:[\s,，]+(?:vertical|square|landscape|portrait|horizontal|hd|full\s+hd|480p|720p|1080p|loop|silent|muted))*\s*$"
    r"|[\s,，]*(?:in\s+total|total(?:\s+of)?|altogether)\s*(?P<n2>[0-9]{1,2})\s*(?:seconds?|secs?|s)\s*$"
    rf"|[\s,，]*(?:总共|總共|一共|共|总长|總長|全长|全長)\s*(?P<zn>[0-9]{{1,2}}|{CN_NUM})\s*秒钟?\s*$",
    re.I,
)


#: a how-to told in steps: a recipe's or workout's name before them, or a step that lasts minutes or hours
_HOWTO_HEAD = re.compile("|".join(map(re.escape, HOWTO_WORDS)), re.I)
_HOWTO_STEP = re.compile(
    rf"(?<![a-z0-9])(?:{DEC}|{CN_NUM}|半|a\s+few|a|an|few|several|two|three|four|five|ten|twenty|thirty)\s*(?:个|個)?\s*"
    r"(?:" + "|".join(map(re.escape, sorted(HOWTO_UNITS, key=len, reverse=True))) + r")(?![a-z])",
    re.I,
)


def howto(text: str) -> bool:
    """Whether steps told in order are a how-to rather than shots: a recipe, tutorial or workout named, or a
    step that lasts minutes or hours ("再炒两分钟", "3. cook 10 minutes")."""
    return bool(_HOWTO_HEAD.search(text) or _HOWTO_STEP.search(text))


_FIRST_PART = re.compile(
    rf"(?:(?:the\s+)?first\s+(?P<a>[0-9]{{1,2}})\s*(?:seconds?|secs?|s)|前(?P<za>[0-9]{{1,2}}|{CN_NUM})\s*秒钟?)\s*(?:[:：\-–—]|是|is|are|show|shows)\s*",
    re.I,
)
_LAST_PART = re.compile(
    rf"(?:(?:the\s+)?(?:last|final|next|remaining|other)\s+(?P<b>[0-9]{{1,2}})\s*(?:seconds?|secs?|s)|后(?P<zb>[0-9]{{1,2}}|{CN_NUM})\s*秒钟?)\s*(?:[:：\-–—]|是|is|are|show|shows)\s*",
    re.I,
)
_WHOLE = re.compile(
    rf"(?P<t>[0-9]{{1,2}})[\s-]*(?:seconds?|secs?|s)\s+(?:video|clip|vid|long)|(?:一共|总共|總共|共)\s*(?P<zt>[0-9]{{1,2}}|{CN_NUM})\s*秒",
    re.I,
)


def timed_halves(text: str) -> str:
    """`text` with "first 5 seconds: X, last 5 seconds: Y" (前五秒是X，后五秒是Y) written as the time marks they
    mean ("0s: X, 5s: Y"); the last part starts where the whole length ("10 second video", "一共十秒") minus its
    own seconds puts it, or right after the first part. Text without both parts comes back as it is."""
    first, last = _FIRST_PART.search(text), _LAST_PART.search(text)
    if first is None or last is None or last.start() < first.end():
        return text
    a = number(first.group("a") or first.group("za"))
    b = number(last.group("b") or last.group("zb"))
    whole = _WHOLE.search(text)
    t = number(whole.group("t") or whole.group("zt")) if whole else None
    if a is None or b is None:
        return text
    at = (t - b) if t and t > b else a
    zh = first.group("za") is not None
    head = "0秒：" if zh else "0s: "
    tail = f"{at:g}秒：" if zh else f"{at:g}s: "
    return text[: first.start()] + head + text[first.end() : last.start()] + tail + text[last.end() :]


def sequence(body: str) -> tuple[str, str] | None:
    """(head, cards joined by new lines) when `body` tells its cards in order with "first ..., then ..."
    (先…然后…最后), or with "then" after a head that counts them ("three scenes please - our sign, then a
    barista, then a smile"); the words before are the head. None without at least two steps."""
    m = _SEQ_FIRST.search(body)
    if m is not None:
        head, cards = body[: m.start()], body[m.end() :]
    elif (cm := COUNTED.search(body)) is not None and (
        sep := re.search(r"\s[-—–]\s|[:：—–]", body[cm.end() :])
    ):
        head, cards = body[: cm.end() + sep.end()], body[cm.end() + sep.end() :]
    else:
        return None
    steps = [p for p in _SEQ_NEXT.split(cards) if p.strip()]
    if len(steps) < 2:
        return None
    return head, "\n".join(steps)


def listed(piece: str, head: str) -> list[str]:
    """The cards of one untimed piece: items enumerated with "、", the comma-separated items a head that counts
    them announces ("3 scenes: a seed, a sprout, a flower"), or scenes marked inline ("第一幕 ... 第二幕 ...");
    else the piece as it is."""
    marked = scene_split(piece)
    if len(marked) >= 2:
        return marked
    items = [p for p in re.split(r"\s*、\s*", piece) if p.strip()]
    if len(items) >= 2:
        return items
    if (m := COUNTED.search(head)) is not None:
        items = [p for p in re.split(r"\s*[,，]\s*(?:and\s+)?", piece) if p.strip()]
        if len(items) == int(number(m.group("n").lower()) or 0):  # "Three scenes: ..." as "three"
            return items
    return [piece]


def scene_split(text: str) -> list[str]:
    """`text` split before each scene mark ("第一幕 A 第二幕 B" -> two pieces), when it holds two or more."""
    starts = [m.start() for m in SCENE_MARK.finditer(text)]
    if len(starts) < 2:
        return [text]
    cuts = [0, *starts] if text[: starts[0]].strip() else starts
    return [text[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True) if text[a:b].strip()]


def take_total(body: str) -> tuple[str, int | None]:
    """The cards' text without a length said for them all at its end ("..., 12 seconds total", "总共十秒"),
    and that length in seconds (None when there is none)."""
    if (m := _TOTAL.search(body)) is None:
        return body, None
    n = number(m.group("n") or m.group("n2") or m.group("zn"))
    return body[: m.start()].rstrip(), int(n) if n else None


def told_in_order(text: str, head_is_request: bool) -> bool:
    """Whether `text` tells shots in order: a "first ..., then ..." sequence whose head names shots or a story
    ("can you do a storyboard thing? first ...", "我想要一个故事的感觉先是...") or is request wording at most
    (`head_is_request`, decided by the caller on the head); lines numbered 1, 2, 3; a list numbered inline
    from 1 ("1. seeds 2. a sprout 3. a bloom"); or two scene marks or more ("Scene A – ... Scene B – ..."). A how-to
    told in steps (story_order.howto) is none of these unless a word names shots or a story."""
    if not _STORY_WORDS.search(text) and howto(text):
        return False  # "做蛋炒饭：先打三个鸡蛋，再炒两分钟", "1. boil water 2. cook 10 minutes 3. drain"
    seq = sequence(text)
    if seq is not None and (
        _STORY_WORDS.search(text)
        or (len(seq[0].strip()) <= MAX_SEQUENCE_LEAD and head_is_request)
        or re.search(r"[:：]\s*$", seq[0])  # "蝴蝶的一生：先是..., 然后...": a title before the steps
    ):
        return True
    lines = [line for line in text.split("\n") if line.strip()]
    numbers = [int(m.group("n")) if (m := _NUMBERED_LINE.match(line)) else 0 for line in lines]
    if len(lines) >= 2 and numbers == list(range(1, len(lines) + 1)):
        return True
    inline = [int(m.group("n")) for m in _NUMBERED_INLINE.finditer(text)]
    if len(inline) >= 2 and inline == list(range(1, len(inline) + 1)) and re.match(r"\s*1[.)]\s", text):
        return True
    return len(scene_split(text)) >= 2 and bool(SCENE_MARK.match(text.strip()))
