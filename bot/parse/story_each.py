"""Cards of one length said once for them all: "three shots, 5 seconds each", "4 shots of 3s", "three
5-second scenes", "each one 4 seconds", "4 sec per shot", 三个镜头，每个五秒, 每段五秒, 各三秒, 五秒一个. The cards
start that length apart and the storyboard lasts their count times it.

A length "each" of versions or variations ("2 versions, 3 secs each") is the clip's: only a head that counts
shots or scenes (story_order.COUNTED), or names them in the phrase ("each shot 4 seconds", 每个镜头三秒),
makes the cards of a storyboard. A head that counts shots right before its colon or dash and lists that many
is a storyboard too ("Three shots: a; b; c"). Pure text rules; storyboard.py builds the cards.
"""

from __future__ import annotations

import re

from bot.parse.numbers import CN_NUM, EN_NUM, number
from bot.parse.scan import Scan
from bot.parse.story_order import COUNTED, sequence

_N = rf"(?:[0-9]{{1,2}}(?:\.[0-9])?|{EN_NUM})"
_ZN = rf"(?:[0-9]{{1,2}}(?:\.[0-9])?|{CN_NUM})"
_UNIT = r"(?:seconds?|secs?|s)(?![a-z])"
_NOUN = r"(?:shots?|scenes?|cards?|parts?|beats?|cuts?|segments?|panels?)"
_ZNOUN = r"(?:个镜头|镜头|个场景|场景|个画面|画面|个片段|片段|个|段|幕|场|镜)"
_COUNT = r"(?P<c>[2-9]|two|three|four|five|six|seven|eight)"
_ZCOUNT = rf"(?P<zc>[2-9]|{CN_NUM})"

#: the length of each card, with the count when the phrase holds it ("4 shots of 3s", 四个三秒的镜头)
EACH = re.compile(
    rf"(?<![a-z0-9]){_COUNT}\s+(?:(?P<n1>{_N})[\s-]*(?:seconds?|secs?|s)(?:[\s-]+long)?\s+{_NOUN}"
    rf"|{_NOUN}\s+(?:of|at|lasting|for)\s+(?:about\s+|around\s+)?(?P<n2>{_N})[\s-]*{_UNIT}(?:\s+(?:each|apiece))?)"
    rf"(?P<named1>)"
    rf"|(?<![a-z0-9])(?P<n3>{_N})[\s-]*{_UNIT}(?:\s+long)?\s+(?:each|apiece|a\s+piece|per\s+(?P<named2>{_NOUN}|one))(?![a-z])"
    rf"|(?<![a-z])each(?:\s+(?:one|(?P<named3>{_NOUN})))?(?:\s+of\s+them)?\s*[,:]?\s+"
    r"(?:(?:is|are|should\s+be|will\s+be|lasts?|lasting|runs?|running|for|at|about|around|roughly|~)\s+)*"
    rf"(?:an?\s+)?(?P<n4>{_N})[\s-]*{_UNIT}(?:\s+long)?"
    rf"|{_ZCOUNT}\s*(?:个|個)?\s*(?P<z1>{_ZN})\s*秒钟?的?(?:镜头|场景|画面|片段)(?P<named4>)"
    rf"|每(?:一)?(?P<named5>{_ZNOUN})\s*(?:都|各)?\s*(?:是|为|大概|大约|约|差不多)?\s*(?P<z2>{_ZN})\s*秒钟?(?:左右)?"
    rf"|各(?:自)?(?:为|是)?\s*(?P<z3>{_ZN})\s*秒钟?"
    rf"|(?P<z4>{_ZN})\s*秒钟?\s*(?:一个(?:镜头|画面|场景)?|一段|一幕|一镜)(?![\u4e00-\u9fff])(?P<named6>)",
    re.I,
)


def _count(norm: str) -> re.Match[str] | None:
    """The first head of `norm` that counts two cards or more ("three scenes", 四个镜头); not an ordinal
    ("第一幕") nor one ("来一段")."""
    for m in COUNTED.finditer(norm):
        if norm[max(0, m.start() - 1) : m.start()] != "第" and (number(m.group("n").lower()) or 0) >= 2:
            return m
    return None


def each_length(norm: str) -> re.Match[str] | None:
    """The first phrase of `norm` (a matching view) that gives the length of each card."""
    return EACH.search(norm)


def each_seconds(m: re.Match[str]) -> float | None:
    """The length of each card in seconds, from an `EACH` match."""
    g = m.groupdict()
    n = next((v for k, v in g.items() if k[0] in "nz" and k[1:].isdigit() and v), None)
    return number(n) if n else None


def counts_cards(norm: str, m: re.Match[str]) -> bool:
    """Whether the length of `m` is each card's: the phrase names shots or counts them, or a head before the
    list counts shots or scenes ("three scenes, 5 seconds each")."""
    g = m.groupdict()
    named = any(v is not None for k, v in g.items() if k.startswith("named")) and g.get("named2") != "one"
    return named or _count(norm) is not None


#: the end of a head: a colon, a dash, or 分别是 ("4个画面，每个画面2秒，分别是春、夏、秋、冬")
_LISTING = r"[,，]?\s*(?:分别是|分別是|分别为|分別為|依次是|依次为)\s*[:：]?"
_SEP = re.compile(rf"{_LISTING}|[:：]|\s[-—–]\s|[—–]")
_STOP = re.compile(r"[;；。!?？！\n]|\.\s")
#: the list after the head: items split at ";", "、", new lines, or commas
_ITEMS = re.compile(r"\s*(?:[;；、\n]|[,，](?:\s*and)?)\s*")


def each_storyboard(text: str) -> bool:
    """Whether `text` is a head that gives each card's length and a list of two or more cards after its colon
    or dash ("Three shots, 5 seconds each: a bean falls; beans grind; a cup is poured")."""
    norm = Scan(text).norm
    m = each_length(norm)
    if m is None or each_seconds(m) is None or not counts_cards(norm, m):
        return False
    sep = _SEP.search(norm, m.end())
    if sep is None or _STOP.search(norm, m.end(), sep.start()):
        return False
    items = [p for p in _ITEMS.split(norm[sep.end() :]) if re.search(r"[^\W_]", p)]
    return len(items) >= 2


_AFTER_COUNT = re.compile(rf"(?:\s*,?\s*(?:please|pls|plz))?\s*(?:{_LISTING}|[:：]|\s[-—–]\s|[—–])\s*")


def counted_storyboard(text: str) -> bool:
    """Whether `text` counts its cards or gives each card's length before listing them (`each_storyboard`,
    `counted_list`)."""
    return each_storyboard(text) or counted_list(text)


#: a head of request words only ("I want 3 scenes: ...", "can you do 3 shots: ..."): no part of the scene
_ASKING_HEAD = re.compile(
    r"\s*(?:(?:i|we)(?:\s*['’]d|\s+would)?\s+(?:want|need|like|love)(?:\s+to\s+(?:see|have|get|make))?"
    r"|(?:can|could|would)\s+(?:you|u)(?:\s+(?:please|pls|plz))?(?:\s+(?:make|do|create|give))?(?:\s+(?:me|us))?"
    r"|(?:please\s+|pls\s+)?(?:make|do|create|give)(?:\s+(?:me|us))?"
    r"|(?:请|帮我|给我|麻烦|我想|我要|我想要)?(?:做|来|生成|制作|弄|拍|要)?(?:个|一个|一下)?)"
    rf"(?:{_LISTING})?[\s,.!?，。]*",
    re.I,
)


def asking_only(head: str) -> bool:
    """Whether a storyboard's head is request words only ("I want", "can you do"), once its count is cut."""
    return bool(_ASKING_HEAD.fullmatch(head))


def counted_list(text: str) -> bool:
    """Whether `text` counts its shots or scenes right before a colon or dash and lists that many after it
    ("Three shots: a kite rises; it loops; it lands. 4 seconds each", "三个画面：春、夏、秋")."""
    norm = Scan(take_each_tail(text)[0]).norm  # "..., it lands, 4 seconds each": no card
    cm = _count(norm)
    sep = _AFTER_COUNT.match(norm, cm.end()) if cm is not None else None
    if (
        cm is None
        or sep is None
        or _STOP.search(norm, 0, cm.start())
        or re.search(r"(?:part|beat)s?$", cm.group())
    ):
        return False  # "a song in 3 parts: intro, verse, chorus": parts of a thing, not shots
    rest = norm[sep.end() :]
    split = r"\s*[;；、\n]\s*" if re.search(r"[;；、\n]", rest) else r"\s*[,，]\s*(?:and\s+)?"
    items = [p for p in re.split(split, rest) if re.search(r"[^\W_]", p)]
    return len(items) == int(number(cm.group("n").lower()) or 0)


_MAX_HEAD = 80  # how far into a storyboard's body its head may reach


def each_head(body: str) -> tuple[str, str] | None:
    """(head, cards) when `body` opens with a head that gives each card's length or counts the cards before a
    colon or dash ("three 4-second scenes - a kettle boils, ...", "Three scenes - ..."); None otherwise."""
    scan = Scan(body)
    norm = scan.norm
    m = each_length(norm)
    sep = _SEP.search(norm, m.end()) if m is not None else None
    if m is None or sep is None or _STOP.search(norm, 0, sep.start()) or _SEP.search(norm, 0, m.start()):
        cm = _count(norm)  # "Three scenes - a kite rises, ..., 4 seconds each"
        if sequence(body) is not None:
            return None  # "three scenes please - our sign, then ...": story_order reads the steps
        sep = _AFTER_COUNT.match(norm, cm.end()) if cm is not None else None
        if cm is None or sep is None or _STOP.search(norm, 0, cm.start()) or _SEP.search(norm, 0, cm.start()):
            return None
    if sep.start() > _MAX_HEAD or sep.end() >= len(norm):
        return None
    return body[: scan.idx[sep.start()]], body[scan.idx[sep.end()] :]


def counted_items(piece: str, head: str) -> list[str]:
    """The comma-separated cards of `piece` when the head's length phrase counts them and the count agrees
    ("three 4-second scenes - a kettle boils, tea is poured, steam rises") or gives no count; else the piece
    as it is."""
    m = each_length(Scan(head).norm)
    n = number(m.group("c") or m.group("zc")) if m is not None and (m.group("c") or m.group("zc")) else None
    items = [p for p in re.split(r"\s*[,，]\s*(?:and\s+)?", piece) if p.strip()]
    if n is None and m is not None and each_seconds(m) is not None:
        return items  # "each scene is 4 seconds: dawn, noon, dusk": the commas part the cards
    return items if n is not None and len(items) == n else [piece]


#: a length for each card closing the cards ("...; it lands. 4 seconds each", "... — 4 seconds each")
_TAIL_SEP = re.compile(r"(?:[.。!！;；,，]|\s[-—–]|[—–])\s*(?:(?:at|make\s+(?:it|them|each))\s+)?$")


def take_each_tail(body: str) -> tuple[str, float | None]:
    """`body` without the length for each card that closes it, and that length (None when there is none)."""
    scan = Scan(body)
    m = next((m for m in EACH.finditer(scan.norm) if not re.search(r"[^\W_]", scan.norm[m.end() :])), None)
    if m is None or (x := each_seconds(m)) is None or not _TAIL_SEP.search(scan.norm, 0, m.start()):
        return body, None
    scan.cut(m.start(), len(scan.norm))
    return re.sub(r"[\s.。!！;；,，\-–—]+$", "", scan.rest(" ")), x


def take_each(scan: Scan) -> float | None:
    """Cut the phrase that gives each card's length from `scan` (a storyboard's head: the storyboard is
    decided, so "storyboard, each one 4 seconds" counts too); that length, or None."""
    m = each_length(scan.norm)
    if m is None or (x := each_seconds(m)) is None:
        return None
    scan.cut(m.start(), m.end())
    return x
