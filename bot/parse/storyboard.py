"""Storyboards: several prompts along a timeline, timed ("0s", "0:05", "0-5秒"), ordered ("1) ... 2) ...",
"scene 2:") or one per line. Finds the keyword, splits the cards and builds the storyboard Request.

A list numbered 1, 2, 3... is scene order, not seconds. Card times and counts out of range raise
ParseError; parameters inside a card other than its time are read by params.py.
"""

from __future__ import annotations

import functools
import re

from bot.parse import story_each
from bot.parse.clauses import alt, c
from bot.parse.errors import MAX_CARDS, ParseError
from bot.parse.found import Found, check_seconds
from bot.parse.keyed import take_keyed
from bot.parse.negation import take_clause_params
from bot.parse.params import take_params
from bot.parse.prompt import strip_filler, tidy
from bot.parse.scan import Scan
from bot.parse.story_cards import (
    CARD_START,
    ENDS_IN_TIME,
    LENGTH_HEAD,
    SAYS,
    card_mark,
    header_before_cards,
    in_time_order,
    is_timed_card,
    lead_lines,
    opening_time,
    range_end,
    split_body,
    split_cards,
    starts_at_zero,
)
from bot.parse.story_order import (
    COUNTED,
    SCENE_MARK,
    TOTAL_HEAD,
    listed,
    sequence,
    take_total,
    told_in_order,
)
from bot.parse.story_tail import drop_closing_ask, drop_thanks, set_length, take_tail
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
        "storyboard_kw_later": c(rf"(?<![a-z0-9_]){_STORYBOARD}\s*(?=:|[—–]|-\s)"),
    }


def storyboard_keyword(norm: str, *, later: bool) -> re.Match[str] | None:
    """The storyboard keyword opening `norm` (or, with `later`, within its first 80 characters before a
    colon)."""
    rx = _sb_rx()
    m = rx["storyboard_kw"].match(norm)
    if m is None and later:
        m = rx["storyboard_kw_later"].search(norm, 0, 80)
    return m


_EMPTY_HEAD = re.compile(
    r"(?:(?:a|an|the|one|this|that|little|quick|short)(?:\s+|$))*(?:thing|one|video|clip|please)?[\s?？.。!！]*",
    re.I,
)
_LABEL = re.compile(r"^(?P<label>[^:：\n;；|0-9—–]{1,40}?)\s*(?:[:：]|\s[—–-]+\s|[—–]+)\s*(?=\S)")


def looks_like_storyboard(text: str) -> bool:
    """Whether `text` is a storyboard without the keyword: lines of which two or more are timed cards and
    at most one is not (or only opening lines come before the cards), or cards in time order on one line."""
    text = TOTAL_HEAD.sub("", text, count=1)  # "一共十秒：0秒 ...; 5秒 ..."
    pieces, lines = split_body(text)
    if len(pieces) < 2 or not lines:
        # "shots: 0s a frog, 3s it jumps": a short label before the cards on one line
        if (hm := _LABEL.match(text)) and opening_time(hm.group("label")) is None:
            body, _ = split_body(text[hm.end() :])
            if len(body) >= 2 and in_time_order(body):
                return True
    if len(pieces) < 2:
        return False
    if not lines:  # split inside one line: only cards, in time order ("at 0s a seed, at 5s a sprout")
        if LENGTH_HEAD.fullmatch(pieces[0]) and len(pieces) >= 3:
            return in_time_order(pieces[1:])  # "10 second video, 0s: a tree, 5s: it blooms"
        return in_time_order(pieces) and starts_at_zero(pieces)
    timed = sum(is_timed_card(p) for p in pieces)
    return timed >= 2 and (timed >= len(pieces) - 1 or lead_lines(pieces) > 0)


def asks_storyboard(text: str) -> bool:
    """Whether `text` tells shots in order without a timeline (story_order.told_in_order); what stands before
    its "first" may be request wording ("ok so first ...", "make a video: first ...")."""
    seq = sequence(text)
    head_is_request = seq is not None and not SAYS.search(strip_filler(tidy(seq[0]), "create"))
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
        and ENDS_IN_TIME.search(hm.group("head"))
        and not card_mark().match(Scan(body[hm.end() :]).norm)
        and CARD_START.search(body[hm.end() :])
    ):
        # "in hd — 0s: sunrise, 5s: ...": the colon after a time mark opens that card; with no other time
        # mark after it ("分镜脚本 20秒：清晨、午后、夜晚") the time is the storyboard's length
        hm = None
    if hm:
        card_time = card_mark()
        head_is_time = bool(card_time.match(Scan(hm.group("head") + " ").norm))
        after_is_time = bool(card_time.match(Scan(body[hm.end() :]).norm))
        if SCENE_MARK.fullmatch(hm.group("head").strip()):
            pass  # "镜头一：小猫睡觉。镜头二：...": the first card's own mark, not a header
        elif not head_is_time or after_is_time or not CARD_START.search(body[hm.end() :]):
            head, body = hm.group("head"), body[hm.end() :]
    if not head and (lm := _LABEL.match(body)) and opening_time(lm.group("label")) is None:
        rest, _ = split_body(body[lm.end() :])
        if len(rest) >= 2 and in_time_order(rest):
            head, body = lm.group("label"), body[lm.end() :]  # "timeline — 0s a seed, 5s a sprout"
    if not head and (split := header_before_cards(body)) is not None:
        head, body = split  # "storyboard no sound 0s lightning hits a tree, 3s the tree catches fire"
    if (split := story_each.each_head(body)) is not None:
        head, body = f"{head} {split[0]}".strip(), split[1]  # "three 4-second scenes - a kettle boils, ..."
    body, each_tail = story_each.take_each_tail(body)  # "...; it lands. 4 seconds each"
    body = take_tail(body, found)  # "... 。竖屏，谢谢。", "Total 18 seconds, HD", "thank you!!"
    body, total = take_total(body)
    if total is not None and "seconds" not in found.values:
        found.set("seconds", check_seconds(total, f"{total}s"))  # "first ..., then ..., 12 seconds total"
    if not CARD_START.search(body) and (seq := sequence(body)) is not None:
        # "can you do a storyboard? first the pad, then liftoff, then space": words before "first" are the head
        head, body = f"{head} {seq[0]}".strip(), seq[1]
    pieces, _lines = split_body(body, keyword=True)
    if not head and (lead := lead_lines(pieces)):
        head, pieces = " ; ".join(pieces[:lead]), pieces[lead:]
    if len(pieces) == 1 and opening_time(pieces[0]) is None:
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
    timed = split_cards(pieces)
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
            prompt = drop_closing_ask(
                prompt
            )  # "10秒：夕陽落山，咁樣分三段得唔得": a question about the cards
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
    until = range_end(pieces[-1]) if pieces and timed and timed[-1][0] is not None else None
    req = Request(action="storyboard", cards=cards)
    req.prompt = "; ".join(([head_text] if head_text else []) + [c.prompt for c in cards])
    if cards and each is not None and untimed and "seconds" not in found.values:
        found.set("seconds", check_seconds(each * len(cards), f"{len(cards)} x {each:g}s"))
    if cards:
        # "0-3s ... 6-10s ...": the last range ends the storyboard, when that range is the last card's
        set_length(found, cards[-1].at, until if timed[-1][0] == cards[-1].at else None)
    return req
