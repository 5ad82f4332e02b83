"""How a storyboard body splits into cards: the time or scene mark each piece opens with ("0s", "0:05",
"5-10s", "第五秒", "scene 2", "at 5" where the keyword was said), where a body splits (lines, `;`, commas or
spaces before a time mark, numbered lists), and whether its pieces run in time order.

Pure text rules; storyboard.py reads the head and parameters and builds the cards.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import UNIT, R, c
from bot.parse.numbers import CLOCK, CN_NUM, DEC, number
from bot.parse.scan import Scan
from bot.parse.story_order import SCENE_MARK, scene_split


@functools.cache
def card_mark() -> re.Pattern[str]:
    """The time or scene mark a card piece opens with ("0s", "0:05", "5-10s", "第五秒", "scene 2", "at 5")."""
    return c(
        rf"^\s*(?:[-*•·]\s*|[0-9]{{1,2}}[.)]\s+(?=(?:at\s+)?[0-9]+\s*(?:s|sec|秒|:)))?"
        rf"(?:at\s+|第|from\s+|从第?|由第?)?(?:(?P<clock>{CLOCK})"
        # "0-5秒 ...", "5s-10s ...": a card starts where its range starts
        rf"|(?P<rn>{DEC}|{CN_NUM})\s*(?:(?:{UNIT}{R}|秒钟?)\s*)?(?:-|–|—|~|to|到|至)\s*"
        rf"(?P<rend>{DEC}|{CN_NUM})\s*(?P<ru>{UNIT}{R}|秒钟?)"
        rf"|(?P<n>{DEC}|{CN_NUM})\s*(?P<u>{UNIT}{R}|秒钟?)"
        # "scene 2: ...", "镜头2：", "第二幕": the order of the card, not its time
        rf"|(?P<scene>(?:scene|shot|cut|part|beat|panel)\s*(?:[0-9]{{1,2}}|[a-h]|one|two|three|four|five|six){R}"
        rf"|(?:first|second|third|fourth|fifth|sixth|next|last|final)\s+(?:shot|scene){R}|(?:镜头|场景)\s*(?:[0-9]{{1,2}}|{CN_NUM})"
        rf"|(?:[0-9]{{1,2}}|{CN_NUM})个?(?:镜头|场景|幕|镜))"
        rf"|(?P<bare>[0-9]{{1,2}})(?=\s*[:\-–—)]|\.\s)"
        # "at 5 the driver gets out": a bare number after "at" (a card only where the keyword was said)
        rf"|(?<=at\s)(?P<atn>[0-9]{{1,3}}(?:\.[0-9]{{1,2}})?)(?=\s+[^\s0-9:.])"
        rf")\s*(?:[:\-–—).=]\s*)?"
    )


TIME_AHEAD = (
    rf"(?=(?:at\s+|第|from\s+)?(?:{CLOCK}|(?:{DEC}|{CN_NUM})\s*(?:(?:{UNIT}(?![a-z])|秒)\s*)?"
    rf"(?:-|–|~|to|到|至)\s*(?:{DEC}|{CN_NUM})\s*(?:{UNIT}(?![a-z])|秒)|(?:{DEC}|{CN_NUM})\s*(?:{UNIT}(?![a-z])|秒)))"
)
# with the keyword, "at 5" opens a card too ("storyboard: at 0 a car parks, at 5 the driver gets out")
TIME_AHEAD_AT = rf"(?:{TIME_AHEAD}|(?=at\s+[0-9]{{1,3}}\s+[^\s0-9:.]))"
# where a card may start: the body's start, or after a space or separator
CARD_START = re.compile(rf"(?:^|(?<=[\s,，、:：;；—–|/(（]))\s*{TIME_AHEAD_AT}", re.I)
# a time mark that opens a card: its colon is the card's, not a header's ("in hd — 0s: sunrise")
ENDS_IN_TIME = re.compile(rf"(?:^|\s)(?:at\s+|第)?(?:{CLOCK}|(?:{DEC}|{CN_NUM})\s*(?:{UNIT}|秒))\s*$", re.I)


def says_card(norm: str, at: int) -> bool:
    """Whether a card text follows a time mark at `at`: something is said, and not only that the whole clip is
    that long ("10 second video, first ...")."""
    return bool(SAYS.search(norm, at)) and not _LENGTH_NOUN.fullmatch(norm, at)


LENGTH_HEAD = re.compile(
    r"\s*(?:an?\s+)?[0-9]{1,2}[\s-]*(?:seconds?|secs?|s)(?:\s+(?:long\s+)?(?:video|clip|vid|one))?[\s,，:：]*",
    re.I,
)
_LENGTH_NOUN = re.compile(
    r"[\s-]*(?:long\s+)?(?:video|clip|vid|animation|movie|one)s?(?:\s+(?:of|total|long))?[\s,，:：]*"
)
SAYS = re.compile(r"[^\W_]")  # a card says something after its time: "7s — 9:16" holds no card


def opening_time(piece: str) -> float | None:
    """The time a piece opens with in seconds ("0s", "0:05", "5秒", "at 10s") when a card text follows it,
    else None."""
    norm = Scan(piece).norm
    m = card_mark().match(norm)
    if m and (m.group("clock") or m.group("u") or m.group("ru")) and says_card(norm, m.end()):
        return number(m.group("clock") or m.group("rn") or m.group("n"))
    return None


def in_time_order(pieces: list[str]) -> bool:
    """Whether every piece opens with a time mark, each later than the one before."""
    times = [opening_time(p) for p in pieces]
    known = [t for t in times if t is not None]
    return len(known) == len(times) and all(a < b for a, b in zip(known, known[1:], strict=False))


def split_body(body: str, *, keyword: bool = False) -> tuple[list[str], bool]:
    """The card texts of a storyboard body, and whether they were split at `;`, `|` or new lines (else at
    commas, slashes or spaces before a time mark: "0s a cat, 5s it jumps", "0秒海浪 5秒冲浪的人"; else an
    inline numbered list). A split at slashes or spaces needs every piece to open with a later time.
    With the `keyword` said, "at 5" is a time mark too."""
    ahead = TIME_AHEAD_AT if keyword else TIME_AHEAD
    pieces = [p for p in re.split(r"[;；\n|]+", body) if p.strip()]
    if len(pieces) > 1:
        # "0s - a stage, 3s - a spotlight; square": a line may hold several timed cards itself
        out: list[str] = []
        for piece in pieces:
            sub, _ = split_body(piece, keyword=keyword)
            timed_in_order = in_order(sub) if keyword else in_time_order(sub)
            out.extend(sub if len(sub) >= 2 and timed_in_order else [piece])
        return out, True
    if len(marked := scene_split(body)) >= 2 and SCENE_MARK.match(body.strip()):
        return marked, False  # "cut 1 (0s) a frog, cut 2 (2s) ...": scene marks open the cards
    # "0s a bakery, 5s ...", "at 0s a bakery then at 5s a customer", "0秒 面包 然后 5秒 客人"
    joins = r"[,，、]|\s+(?:and\s+then|then|and|next|after\s+that|later|finally|然后|接着|最后|再)(?=\s)|然后|接着|最后"
    pieces = [p for p in re.split(rf"(?:{joins})\s*{ahead}", body, flags=re.IGNORECASE) if p.strip()]
    if len(pieces) > 1:
        return pieces, False
    for sep in (rf"\s*/\s*{ahead}", rf"\s+{ahead}"):
        split = [p for p in re.split(sep, body, flags=re.IGNORECASE) if p.strip()]
        if len(split) > 1 and (in_order(split) if keyword else in_time_order(split)):
            return split, False
    if len(marked := scene_split(body)) >= 2:
        return marked, False  # "第一幕 ... 第二幕 ...", "scene A – ... scene B – ..."
    numbered = [p for p in re.split(r"(?:^|\s+)(?=[0-9]{1,2}[.)]\s)", body) if p.strip()]
    order = [int(m.group()) if (m := re.match("[0-9]+", p.strip())) else 0 for p in numbered]
    if len(numbered) >= 2 and order == list(range(1, len(numbered) + 1)):
        return numbered, False
    return ([body] if body.strip() else []), False


def split_cards(pieces: list[str]) -> list[tuple[float | None, str]]:
    """(at, text) for each card piece; `at` is None where no time was written."""
    out: list[tuple[float | None, str]] = []
    bare: list[float | None] = []
    rx = card_mark()
    for piece in pieces:
        scan = Scan(piece)
        m = rx.match(scan.norm)
        if m and m.end() > 0:
            t = m.group("clock") or m.group("rn") or m.group("n") or m.group("bare") or m.group("atn")
            at = number(t) if t else None
            end = m.end()
            if at is None and m.group("scene") and (tm := rx.match(scan.norm[end:])) and tm.end() > 0:
                # "Shot 1 (0-4s): ...": a scene mark and the card's time
                t2 = tm.group("clock") or tm.group("rn") or tm.group("n")
                if t2 and (tm.group("clock") or tm.group("u") or tm.group("ru")):
                    at = number(t2)
                    end += tm.end()
            if at is not None or m.group("scene"):
                scan.cut(0, end)
                out.append((at, scan.rest("")))
                bare.append(at if m.group("bare") else None)
                continue
        out.append((None, piece))
        bare.append(None)
    if len(out) >= 2 and bare == [float(i) for i in range(1, len(out) + 1)]:
        out = [(None, text) for _, text in out]  # "1) ... 2) ... 3) ...": numbered scenes, not seconds
    return out


def range_end(piece: str) -> float | None:
    """Where the range a card piece opens with ends ("6-10s: ..." -> 10, "第三幕（8-12秒）" -> 12), else None."""
    rx = card_mark()
    norm = Scan(piece).norm
    m = rx.match(norm)
    if m and m.group("scene") and (tm := rx.match(norm[m.end() :])):
        m = tm  # "Shot 3 (6-10s): ...": the range after the scene mark
    return number(m.group("rend")) if m and m.group("rend") else None


def is_timed_card(piece: str) -> bool:
    """Whether a piece opens with a time or scene mark and says something after it ("| 8 sec |" and "| 9:16"
    between parameters hold no card)."""
    norm = Scan(piece).norm
    m = card_mark().match(norm)
    return bool(
        m
        and (m.group("clock") or m.group("u") or m.group("ru") or m.group("scene"))
        and says_card(norm, m.end())
    )


def lead_lines(pieces: list[str]) -> int:
    """How many untimed pieces open a body whose other pieces (at least two) are all timed: a first line
    like "ok plan is" or "分镜表如下" before the cards."""
    timed = [is_timed_card(p) for p in pieces]
    lead = 0
    while lead < len(timed) and not timed[lead]:
        lead += 1
    rest = timed[lead:]
    return lead if len(rest) >= 2 and all(rest) else 0


def starts_at_zero(pieces: list[str]) -> bool:
    """Whether the first of timed pieces opens at 0: "5s a cat, 10s a dog" may be two lengths corrected
    ("十秒，不对，十五秒"); on one line without the keyword, a timeline starts at its beginning."""
    return bool(pieces) and opening_time(pieces[0]) == 0


def in_order(pieces: list[str]) -> bool:
    """Whether every piece opens with a time ("at 5" included), each later than the one before."""
    times = [card_at(p) for p in pieces]
    known = [t for t in times if t is not None]
    return len(known) == len(times) and all(a < b for a, b in zip(known, known[1:], strict=False))


def header_before_cards(body: str) -> tuple[str, str] | None:
    """(header, cards) when words come before the first time mark from which the rest of `body` is cards in
    time order ("no sound 0s lightning, 3s fire": the header "no sound"; "720p, 12 seconds — 0s: waves / 5s:
    a surfer": "720p, 12 seconds"; "竖屏 0秒 一滴雨 4秒 ..."); None when the cards start the body or there are
    none."""
    for m in CARD_START.finditer(body):
        cards = body[m.start() :]
        pieces, _ = split_body(cards, keyword=True)
        if len(pieces) >= 2 and in_order(pieces):
            return (body[: m.start()], cards) if body[: m.start()].strip() else None
    return None


def card_at(piece: str) -> float | None:
    """The time a card piece opens with, "at 5" included."""
    norm = Scan(piece).norm
    m = card_mark().match(norm)
    if m is None or not says_card(norm, m.end()):
        return None
    t = m.group("clock") or m.group("rn") or m.group("n") or m.group("atn")
    return number(t) if t else None
