"""Storyboards: several prompts along a timeline, timed ("0s", "0:05", "0-5秒"), ordered ("1) ... 2) ...",
"scene 2:") or one per line. Finds the keyword, splits the cards and builds the storyboard Request.

A list numbered 1, 2, 3... is scene order, not seconds. Card times and counts out of range raise
ParseError; parameters inside a card other than its time are read by params.py.
"""

from __future__ import annotations

import functools
import re

from bot.parse import story_each
from bot.parse.clauses import UNIT, R, alt, c
from bot.parse.errors import MAX_CARDS, ParseError
from bot.parse.found import Found, check_seconds
from bot.parse.keyed import take_keyed
from bot.parse.negation import take_clause_params
from bot.parse.numbers import CLOCK, CN_NUM, DEC, number
from bot.parse.params import take_params
from bot.parse.prompt import strip_filler, tidy
from bot.parse.scan import Scan
from bot.parse.story_order import (
    COUNTED,
    SCENE_MARK,
    TOTAL_HEAD,
    listed,
    scene_split,
    sequence,
    take_total,
    told_in_order,
)
from bot.parse.story_tail import drop_thanks, set_length, take_tail
from bot.parse.words import STORYBOARD_LABELS
from bot.request import Card, Request
from reel.contract import MAX_SECONDS

_STORYBOARD = r"(?:storyboard|story\s*board|故事板|分镜(?:头|脚本)?)"


@functools.cache
def _sb_rx() -> dict[str, re.Pattern[str]]:
    return {
        "storyboard_kw": c(
            rf"^\s*(?:(?:make|create)\s+(?:a\s+)?|(?:请|帮我|给我|麻烦)?(?:做|做个|来个|生成|制作|弄|画)(?:一个|个|一份)?)?"
            rf"{_STORYBOARD}(?=\s*\S)(?=\s|[:\-,]|[^\sa-z])\s*"
        ),
        "storyboard_word": c(rf"(?<![a-z0-9_]){_STORYBOARD}(?![a-z0-9_])"),
        "label": c(rf"^\s*(?:{alt(STORYBOARD_LABELS)})\s*$"),
        # "720p, vertical, storyboard: 0s ...": options may come before the keyword when a colon follows it
        "storyboard_kw_later": c(rf"(?<![a-z0-9_]){_STORYBOARD}\s*(?=:)"),
        "card_time": c(
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
            rf")\s*(?:[:\-–—).]\s*)?"
        ),
    }


def storyboard_keyword(norm: str, *, later: bool) -> re.Match[str] | None:
    """The storyboard keyword opening `norm` (or, with `later`, within its first 80 characters before a
    colon)."""
    rx = _sb_rx()
    m = rx["storyboard_kw"].match(norm)
    if m is None and later:
        m = rx["storyboard_kw_later"].search(norm, 0, 80)
    return m


# -- storyboard ------------------------------------------------------------------------------------


_TIME_AHEAD = (
    rf"(?=(?:at\s+|第|from\s+)?(?:{CLOCK}|(?:{DEC}|{CN_NUM})\s*(?:(?:{UNIT}(?![a-z])|秒)\s*)?"
    rf"(?:-|–|~|to|到|至)\s*(?:{DEC}|{CN_NUM})\s*(?:{UNIT}(?![a-z])|秒)|(?:{DEC}|{CN_NUM})\s*(?:{UNIT}(?![a-z])|秒)))"
)
# with the keyword, "at 5" opens a card too ("storyboard: at 0 a car parks, at 5 the driver gets out")
_TIME_AHEAD_AT = rf"(?:{_TIME_AHEAD}|(?=at\s+[0-9]{{1,3}}\s+[^\s0-9:.]))"
# where a card may start: the body's start, or after a space or separator
_CARD_START = re.compile(rf"(?:^|(?<=[\s,，、:：;；—–|/(（]))\s*{_TIME_AHEAD_AT}", re.I)
# a time mark that opens a card: its colon is the card's, not a header's ("in hd — 0s: sunrise")
_ENDS_IN_TIME = re.compile(rf"(?:^|\s)(?:at\s+|第)?(?:{CLOCK}|(?:{DEC}|{CN_NUM})\s*(?:{UNIT}|秒))\s*$", re.I)


def _says_card(norm: str, at: int) -> bool:
    """Whether a card text follows a time mark at `at`: something is said, and not only that the whole clip is
    that long ("10 second video, first ...")."""
    return bool(_SAYS.search(norm, at)) and not _LENGTH_NOUN.fullmatch(norm, at)


_LENGTH_HEAD = re.compile(
    r"\s*(?:an?\s+)?[0-9]{1,2}[\s-]*(?:seconds?|secs?|s)(?:\s+(?:long\s+)?(?:video|clip|vid|one))?[\s,，:：]*",
    re.I,
)
_LENGTH_NOUN = re.compile(
    r"[\s-]*(?:long\s+)?(?:video|clip|vid|animation|movie|one)s?(?:\s+(?:of|total|long))?[\s,，:：]*"
)
_SAYS = re.compile(r"[^\W_]")  # a card says something after its time: "7s — 9:16" holds no card


def _timed(piece: str) -> float | None:
    """The time a piece opens with in seconds ("0s", "0:05", "5秒", "at 10s") when a card text follows it,
    else None."""
    norm = Scan(piece).norm
    m = _sb_rx()["card_time"].match(norm)
    if m and (m.group("clock") or m.group("u") or m.group("ru")) and _says_card(norm, m.end()):
        return number(m.group("clock") or m.group("rn") or m.group("n"))
    return None


def _in_time_order(pieces: list[str]) -> bool:
    """Whether every piece opens with a time mark, each later than the one before."""
    times = [_timed(p) for p in pieces]
    known = [t for t in times if t is not None]
    return len(known) == len(times) and all(a < b for a, b in zip(known, known[1:], strict=False))


def _pieces(body: str, *, keyword: bool = False) -> tuple[list[str], bool]:
    """The card texts of a storyboard body, and whether they were split at `;`, `|` or new lines (else at
    commas, slashes or spaces before a time mark: "0s a cat, 5s it jumps", "0秒海浪 5秒冲浪的人"; else an
    inline numbered list). A split at slashes or spaces needs every piece to open with a later time.
    With the `keyword` said, "at 5" is a time mark too."""
    ahead = _TIME_AHEAD_AT if keyword else _TIME_AHEAD
    pieces = [p for p in re.split(r"[;；\n|]+", body) if p.strip()]
    if len(pieces) > 1:
        # "0s - a stage, 3s - a spotlight; square": a line may hold several timed cards itself
        out: list[str] = []
        for piece in pieces:
            sub, _ = _pieces(piece, keyword=keyword)
            timed_in_order = _in_order(sub) if keyword else _in_time_order(sub)
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
        if len(split) > 1 and (_in_order(split) if keyword else _in_time_order(split)):
            return split, False
    if len(marked := scene_split(body)) >= 2:
        return marked, False  # "第一幕 ... 第二幕 ...", "scene A – ... scene B – ..."
    numbered = [p for p in re.split(r"(?:^|\s+)(?=[0-9]{1,2}[.)]\s)", body) if p.strip()]
    order = [int(m.group()) if (m := re.match("[0-9]+", p.strip())) else 0 for p in numbered]
    if len(numbered) >= 2 and order == list(range(1, len(numbered) + 1)):
        return numbered, False
    return ([body] if body.strip() else []), False


def _split_cards(pieces: list[str]) -> list[tuple[float | None, str]]:
    """(at, text) for each card piece; `at` is None where no time was written."""
    out: list[tuple[float | None, str]] = []
    bare: list[float | None] = []
    rx = _sb_rx()["card_time"]
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


def _range_end(piece: str) -> float | None:
    """Where the range a card piece opens with ends ("6-10s: ..." -> 10, "第三幕（8-12秒）" -> 12), else None."""
    rx = _sb_rx()["card_time"]
    norm = Scan(piece).norm
    m = rx.match(norm)
    if m and m.group("scene") and (tm := rx.match(norm[m.end() :])):
        m = tm  # "Shot 3 (6-10s): ...": the range after the scene mark
    return number(m.group("rend")) if m and m.group("rend") else None


def _is_timed_card(piece: str) -> bool:
    """Whether a piece opens with a time or scene mark and says something after it ("| 8 sec |" and "| 9:16"
    between parameters hold no card)."""
    norm = Scan(piece).norm
    m = _sb_rx()["card_time"].match(norm)
    return bool(
        m
        and (m.group("clock") or m.group("u") or m.group("ru") or m.group("scene"))
        and _says_card(norm, m.end())
    )


def _lead_lines(pieces: list[str]) -> int:
    """How many untimed pieces open a body whose other pieces (at least two) are all timed: a first line
    like "ok plan is" or "分镜表如下" before the cards."""
    timed = [_is_timed_card(p) for p in pieces]
    lead = 0
    while lead < len(timed) and not timed[lead]:
        lead += 1
    rest = timed[lead:]
    return lead if len(rest) >= 2 and all(rest) else 0


def _starts_at_zero(pieces: list[str]) -> bool:
    """Whether the first of timed pieces opens at 0: "5s a cat, 10s a dog" may be two lengths corrected
    ("十秒，不对，十五秒"); on one line without the keyword, a timeline starts at its beginning."""
    return bool(pieces) and _timed(pieces[0]) == 0


def _in_order(pieces: list[str]) -> bool:
    """Whether every piece opens with a time ("at 5" included), each later than the one before."""
    times = [_card_at(p) for p in pieces]
    known = [t for t in times if t is not None]
    return len(known) == len(times) and all(a < b for a, b in zip(known, known[1:], strict=False))


def _header_before_cards(body: str) -> tuple[str, str] | None:
    """(header, cards) when words come before the first time mark from which the rest of `body` is cards in
    time order ("no sound 0s lightning, 3s fire": the header "no sound"; "720p, 12 seconds — 0s: waves / 5s:
    a surfer": "720p, 12 seconds"; "竖屏 0秒 一滴雨 4秒 ..."); None when the cards start the body or there are
    none."""
    for m in _CARD_START.finditer(body):
        cards = body[m.start() :]
        pieces, _ = _pieces(cards, keyword=True)
        if len(pieces) >= 2 and _in_order(pieces):
            return (body[: m.start()], cards) if body[: m.start()].strip() else None
    return None


def _card_at(piece: str) -> float | None:
    """The time a card piece opens with, "at 5" included."""
    norm = Scan(piece).norm
    m = _sb_rx()["card_time"].match(norm)
    if m is None or not _says_card(norm, m.end()):
        return None
    t = m.group("clock") or m.group("rn") or m.group("n") or m.group("atn")
    return number(t) if t else None


_EMPTY_HEAD = re.compile(
    r"(?:(?:a|an|the|one|this|that|little|quick|short)(?:\s+|$))*(?:thing|one|video|clip|please)?[\s?？.。!！]*",
    re.I,
)
_LABEL = re.compile(r"^(?P<label>[^:：\n;；|0-9—–]{1,40}?)\s*(?:[:：]|\s[—–-]+\s|[—–]+)\s*(?=\S)")


def looks_like_storyboard(text: str) -> bool:
    """Whether `text` is a storyboard without the keyword: lines of which two or more are timed cards and
    at most one is not (or only opening lines come before the cards), or cards in time order on one line."""
    text = TOTAL_HEAD.sub("", text, count=1)  # "一共十秒：0秒 ...; 5秒 ..."
    pieces, lines = _pieces(text)
    if len(pieces) < 2 or not lines:
        # "shots: 0s a frog, 3s it jumps": a short label before the cards on one line
        if (hm := _LABEL.match(text)) and _timed(hm.group("label")) is None:
            body, _ = _pieces(text[hm.end() :])
            if len(body) >= 2 and _in_time_order(body):
                return True
    if len(pieces) < 2:
        return False
    if not lines:  # split inside one line: only cards, in time order ("at 0s a seed, at 5s a sprout")
        if _LENGTH_HEAD.fullmatch(pieces[0]) and len(pieces) >= 3:
            return _in_time_order(pieces[1:])  # "10 second video, 0s: a tree, 5s: it blooms"
        return _in_time_order(pieces) and _starts_at_zero(pieces)
    timed = sum(_is_timed_card(p) for p in pieces)
    return timed >= 2 and (timed >= len(pieces) - 1 or _lead_lines(pieces) > 0)


def asks_storyboard(text: str) -> bool:
    """Whether `text` tells shots in order without a timeline (story_order.told_in_order); what stands before
    its "first" may be request wording ("ok so first ...", "make a video: first ...")."""
    seq = sequence(text)
    head_is_request = seq is not None and not _SAYS.search(strip_filler(tidy(seq[0]), "create"))
    return told_in_order(text, head_is_request) or story_each.counted_storyboard(text)


def build_storyboard(scan: Scan, found: Found, *, preface: bool = False) -> Request:
    """Cards from `storyboard: 0s a cat wakes; 5s it jumps` (times optional), and its length. With `preface`
    (a chatty preface before marks found inside sentences, story_marks.py), the words before the cards are
    read for parameters only: a greeting or a reason ("hey, for my niece's birthday ..."), not the prompt."""
    body = scan.rest(" ")
    head = ""
    if th := TOTAL_HEAD.match(body):
        head, body = (
            th.group(0).rstrip(" :：,，"),
            body[th.end() :],
        )  # "一共十秒：0秒 ...": the length of them all
    hm = (
        None
        if head
        else re.match(
            r"^(?P<head>(?:[^;；\n|:：]|(?<=[0-9])[:：](?=[0-9]))*?)(?:(?<![0-9])[:：]|[:：](?![0-9]))", body
        )
    )
    if (
        hm
        and _ENDS_IN_TIME.search(hm.group("head"))
        and not _sb_rx()["card_time"].match(Scan(body[hm.end() :]).norm)
        and _CARD_START.search(body[hm.end() :])
    ):
        # "in hd — 0s: sunrise, 5s: ...": the colon after a time mark opens that card; with no other time
        # mark after it ("分镜脚本 20秒：清晨、午后、夜晚") the time is the storyboard's length
        hm = None
    if hm:
        card_time = _sb_rx()["card_time"]
        head_is_time = bool(card_time.match(Scan(hm.group("head") + " ").norm))
        after_is_time = bool(card_time.match(Scan(body[hm.end() :]).norm))
        if SCENE_MARK.fullmatch(hm.group("head").strip()):
            pass  # "镜头一：小猫睡觉。镜头二：...": the first card's own mark, not a header
        elif not head_is_time or after_is_time or not _CARD_START.search(body[hm.end() :]):
            head, body = hm.group("head"), body[hm.end() :]
    if not head and (lm := _LABEL.match(body)) and _timed(lm.group("label")) is None:
        rest, _ = _pieces(body[lm.end() :])
        if len(rest) >= 2 and _in_time_order(rest):
            head, body = lm.group("label"), body[lm.end() :]  # "timeline — 0s a seed, 5s a sprout"
    if not head and (split := _header_before_cards(body)) is not None:
        head, body = split  # "storyboard no sound 0s lightning hits a tree, 3s the tree catches fire"
    if (split := story_each.each_head(body)) is not None:
        head, body = f"{head} {split[0]}".strip(), split[1]  # "three 4-second scenes - a kettle boils, ..."
    body, each_tail = story_each.take_each_tail(body)  # "...; it lands. 4 seconds each"
    body = take_tail(body, found)  # "... 。竖屏，谢谢。", "Total 18 seconds, HD", "thank you!!"
    body, total = take_total(body)
    if total is not None and "seconds" not in found.values:
        found.set("seconds", check_seconds(total, f"{total}s"))  # "first ..., then ..., 12 seconds total"
    if not _CARD_START.search(body) and (seq := sequence(body)) is not None:
        # "can you do a storyboard? first the pad, then liftoff, then space": words before "first" are the head
        head, body = f"{head} {seq[0]}".strip(), seq[1]
    pieces, _lines = _pieces(body, keyword=True)
    if not head and (lead := _lead_lines(pieces)):
        head, pieces = " ; ".join(pieces[:lead]), pieces[lead:]
    if len(pieces) == 1 and _timed(pieces[0]) is None:
        pieces = listed(pieces[0], head)
        if len(pieces) == 1:  # "three 4-second scenes - a kettle boils, tea is poured, ..."
            pieces = story_each.counted_items(pieces[0], head)
    head_scan = Scan(head)
    head_scan.take(_sb_rx()["storyboard_word"])
    head_scan.take(_sb_rx()["label"])
    each = story_each.take_each(head_scan)  # "three shots, 5 seconds each": the length of every card
    each = each_tail if each is None else each
    head_scan.take(COUNTED)  # "3 scenes:" counts the cards that follow
    take_keyed(head_scan, found)
    take_clause_params(head_scan, found)
    take_params(head_scan, found)
    head_text = strip_filler(tidy(head_scan.rest("\x00")), "storyboard")
    head_text = re.sub(
        r"^(?:一共|总共|總共|共|全长|全長|in\s+(?:total|all)|total(?:\s+length)?|overall)[\s.。!！,，]*$",
        "",
        head_text,
        flags=re.I,
    )
    if (
        _EMPTY_HEAD.fullmatch(head_text)
        or story_each.asking_only(head_text)
        or SCENE_MARK.fullmatch(head_text.strip())
    ):
        head_text = ""  # "can you do a storyboard thing?": the request, with nothing of the scene
    if preface:
        head_text = ""
    cards: list[Card] = []
    at_prev: float | None = None
    timed = _split_cards(pieces)
    untimed = all(at is None for at, _ in timed)
    step = 5.0 if len(timed) <= 4 else MAX_SECONDS / max(1, len(timed))
    if untimed and "seconds" in found.values and len(timed) > 1:
        step = found.values["seconds"] / len(timed)  # "20秒：清晨、午后、夜晚": the cards share the length
    elif untimed and each is not None:
        step = each
    for i, (at, text) in enumerate(timed):
        cs = Scan(text)
        take_params(cs, found, seconds=False)
        prompt = re.sub(
            r"(?<![.。])[.。,，;；]$", "", tidy(cs.rest("\x00"))
        ).strip()  # "5s smoke." -> "smoke"
        # "a frog on a lily pad, cut 2": the next card's scene mark, left behind by a split at its time
        prompt = re.sub(
            r"[\s,，;；]+(?:scene|shot|cut|part|beat|panel)\s*(?:[0-9]{1,2}|[a-h])$", "", prompt, flags=re.I
        )
        if i == len(timed) - 1:
            prompt = drop_thanks(prompt)  # "5s: a swan lands, 720p thanks": the thanks once 720p is read
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
    until = _range_end(pieces[-1]) if pieces and timed and timed[-1][0] is not None else None
    req = Request(action="storyboard", cards=cards)
    req.prompt = "; ".join(([head_text] if head_text else []) + [c.prompt for c in cards])
    if cards and each is not None and untimed and "seconds" not in found.values:
        found.set("seconds", check_seconds(each * len(cards), f"{len(cards)} x {each:g}s"))
    if cards:
        # "0-3s ... 6-10s ...": the last range ends the storyboard, when that range is the last card's
        set_length(found, cards[-1].at, until if timed[-1][0] == cards[-1].at else None)
    return req
