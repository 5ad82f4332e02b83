"""Things left out of the picture in plain words, as a negative prompt: "..., no people please", "without
tourists", "but please no rain", "a beach at sunrise but no people", "不要出现游客", "不要有人", "不要人物",
"画面里不要有车". Cuts the clause (or the refusal closing it) into Found.negatives, in the user's words.

Three shapes, from the most to the least certain:
* after "but" ("..., but no rain", "a beach but no people") or "keep ... out" ("keep people out of the
  shot"): anything short is left out;
* in Chinese, with a verb of presence (不要*出现*…, 别*有*…, 不要让…出现, 人物不要出现): anything short;
* a clause of its own that refuses a thing most often left out (people, vehicles, gore: LEAVE_OUT_THINGS):
  "no people", "不要人物", wherever it stands, and any refusal in a run of such clauses ("no people, no
  birds") or beside a flaw avoid.py refused ("no text, no birds").

Parameters are never read here ("no sound", "no rush", "no wait", "不要竖屏", "不要声音" are params.py's and
negation.py's), nor flaws of the picture (avoid.py, which runs first); "a snowy owl, no owls in the
background", "a quiet lake, no ripples", "a beach party without people" and "no man's land" stay scenes.
Nothing is cut when it would leave no scene.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from bot.parse.clauses import alt, c
from bot.parse.errors import ParseError
from bot.parse.found import Found
from bot.parse.negation import CLAUSE_SPLIT
from bot.parse.params import take_params
from bot.parse.prompt import tidy
from bot.parse.scan import Scan
from bot.parse.words import (
    LEAVE_OUT_AFTER,
    LEAVE_OUT_BEFORE,
    LEAVE_OUT_NEGATORS,
    LEAVE_OUT_NEGATORS_ZH,
    LEAVE_OUT_THINGS,
    LEAVE_OUT_THINGS_ZH,
    LEAVE_OUT_VERBS_ZH,
    NOT_THING_STARTS_ZH,
    NOT_THINGS,
    NOT_THINGS_ZH,
    THINGS_THAT_START_SO_ZH,
    WITHOUT_NOT_THINGS,
    WITHOUT_WORDS,
    WITHOUT_ZH,
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = r"[a-z][a-z'’-]*"
_JOINED = re.compile(r"\s*(?:,|/|&)\s*|\s+(?:or|and|nor|plus)\s+")
_RESULT_ENDS_ZH = frozenset("走掉开下起来去住着过完到了")
_SCENE_LEFT = re.compile(rf"[a-z0-9{_CJK}]")


@functools.cache
def _rx() -> dict[str, re.Pattern[str]]:
    neg = alt(LEAVE_OUT_NEGATORS)
    without = alt(WITHOUT_WORDS)
    before = rf"(?:(?:{alt(LEAVE_OUT_BEFORE)})\s+)*"
    # the thing: one to four words, as few as leave only light words after it
    thing = rf"(?P<x>{_WORD}(?:\s+{_WORD}){{0,3}}?)(?:\s+(?:{alt(LEAVE_OUT_AFTER)}))*[\s.!]*"
    zh_thing = rf"[{_CJK}a-z]{{1,8}}?"
    zh_any = r"(?:任何|什么|一些|一个|半个)?"  # "不要出现任何人": the thing is 人
    # "不要有人出现", "唔好有人喺度" (在度): where the thing would be, after it
    zh_where = r"(?:在(?:度|这|那|这里|那里|里面|里头|画面里|画面中|镜头里)|出现|入镜|出镜)?"
    zh_tail = rf"{zh_where}(?:的|了|吧|哦|啊|呀|啦|喔|哈|呢|喇)*"
    zh_lead = r"^(?:请|也|而且|并且|但|但是|可是|不过|还有|然后|注意|记得|另外)?(?:(?:画面|背景|镜头|视频|影片)(?:里|中|上|里面)?)?"
    zh_neg = alt(LEAVE_OUT_NEGATORS_ZH)
    return {
        "own": c(
            rf"^(?:(?:(?P<but>but)|and|also|oh|so|please|pls|plz|just|ok|okay|oh\s+and)[\s,]+)*"
            rf"(?:(?P<without>{without})|{neg})\s+{before}{thing}$"
        ),
        "inner": c(rf"(?<![a-z0-9'’])(?P<cut>but\s+(?:(?:please|pls|plz)\s+)?(?:{neg})\s+{before}{thing})$"),
        "zh": c(
            rf"{zh_lead}(?:{zh_neg})(?:(?:{alt(LEAVE_OUT_VERBS_ZH)}){zh_any}(?P<zv>{zh_thing})"
            rf"|让{zh_any}(?P<zl>{zh_thing})(?:出现|入镜|出镜)|{zh_any}(?P<zx>{zh_thing})){zh_tail}$"
            # "一碗拉面，没有筷子", "唔要筷子", "不带伞": refusing any thing, in a clause after the scene
            rf"|{zh_lead}(?:{alt(WITHOUT_ZH)}){zh_any}(?P<zw>{zh_thing}){zh_tail}$"
            # "人物不要出现", "游客别入镜": the thing first
            rf"|{zh_lead}{zh_any}(?P<zs>{zh_thing})(?:都|也)?(?:{zh_neg})(?:出现|入镜|出镜|进入画面|进画面){zh_tail}$"
        ),
        # "keep people out of the shot": anything kept out
        "keep_out": c(
            rf"^(?:(?:please|pls|and|also|but|just)\s+)*keep\s+{before}(?P<x>{_WORD}(?:\s+{_WORD}){{0,2}}?)\s+out"
            rf"(?:\s+of\s+(?:it|the\s+(?:shot|frame|picture|scene|video|clip)|frame|shot))?(?:\s+(?:please|pls|thanks))?[\s.!]*$"
        ),
        "things": c(rf"{alt(LEAVE_OUT_THINGS)}"),
    }


def take_leave_out(scan: Scan, found: Found, refused: Sequence[int] = ()) -> None:
    """Cut every clause of `scan` that leaves a thing out of the picture (see the module docstring) into
    `found.negatives`, in the order the message says them. `refused`: where avoid.py cut a refused flaw
    ("no text, no birds": a refusal beside it is one more thing left out)."""
    rx = _rx()
    pos = 0
    spans = []
    for m in [*CLAUSE_SPLIT.finditer(scan.norm), None]:
        spans.append((pos, m.start() if m else len(scan.norm)))
        if m:
            pos = m.end()
    left = {i for i, (a, b) in enumerate(spans) if any(a <= r < b for r in refused)}  # left out so far
    said: list[tuple[int, list[str]]] = []
    pending: dict[int, tuple[int, int, int, int, str]] = {}  # "no X" clauses whose X no list holds
    for i, (start, end) in enumerate(spans):
        text = scan.norm[start:end]
        a = start + len(text) - len(text.lstrip())
        body = text.strip()
        if not body or len(body) > 80:
            continue
        if (m := rx["own"].fullmatch(body)) is not None:
            x = m.group("x")
            args = (a, a + len(body), a + m.start("x"), a + m.end("x"), "no " + x)
            # "a bowl of ramen steaming, without chopsticks": "without" opening a clause of its own after
            # the scene leaves anything out ("a man without a hat walks" is one clause: a scene)
            without = m.group("without") is not None and i > 0 and _without_thing(x)
            if m.group("but") is not None or without or rx["things"].fullmatch(_JOINED.split(x)[0]):
                if _leave_out(scan, said, *args):
                    left.add(i)
            else:
                pending[i] = args
            continue
        if (m := rx["keep_out"].fullmatch(body)) is not None:
            x = m.group("x")
            if _leave_out(scan, said, a, a + len(body), a + m.start("x"), a + m.end("x"), "no " + x):
                left.add(i)
            continue
        if (m := rx["inner"].search(body)) is not None and m.start() > 0:
            _leave_out(
                scan,
                said,
                a + m.start(),
                a + len(body),
                a + m.start("x"),
                a + m.end("x"),
                "no " + m.group("x"),
            )
            continue
        if scan.cjk and (m := rx["zh"].fullmatch(body)) is not None:
            group = next(g for g in ("zv", "zl", "zs", "zx", "zw") if m.group(g) is not None)
            x = m.group(group)
            presence = group not in ("zx", "zw")
            # after the scene, a bare refusal leaves out any short noun ("，不要筷子"), not a doing ("不要停")
            anything = i > 0 and _zh_thing(x)
            if x.startswith(tuple(NOT_THINGS_ZH)) or not (presence or anything or x in LEAVE_OUT_THINGS_ZH):
                continue
            if _leave_out(scan, said, a, a + len(body), a + m.start(group), a + m.end(group), body):
                left.add(i)
    while more := [i for i in pending if i - 1 in left or i + 1 in left]:
        # "no people, no birds": a refusal in a run of things left out is one of them
        for i in more:
            if _leave_out(scan, said, *pending.pop(i)):
                left.add(i)
    for _, items in sorted(said):
        found.negatives.extend(items)


def _without_thing(x: str) -> bool:
    """Whether `x`, after "without" in a clause of its own, names a thing ("chopsticks", "a hat") and not a
    way of doing ("without stopping", "without a doubt", "without him")."""
    words = re.sub(r"^(?:an?|any|the)\s+", "", x.strip()).split()
    if not words or words[0] in WITHOUT_NOT_THINGS or words[0] in NOT_THINGS:
        return False
    return not any(w.endswith("ing") and w not in LEAVE_OUT_THINGS for w in words)


def _zh_thing(x: str) -> bool:
    """Whether Chinese `x` after a bare refusal names a short thing ("筷子", "雨伞"), not a doing or a degree
    ("停下来", "太暗", "动")."""
    if x.startswith("人") and len(x) > 1:
        return False  # "没人理": nobody does something
    doing = x.startswith(NOT_THING_STARTS_ZH) and not x.startswith(THINGS_THAT_START_SO_ZH)
    doing = doing or (
        len(x) > 1 and x[-1] in _RESULT_ENDS_ZH
    )  # "飞走", "跑掉", "停下": a verb and its result
    return 1 <= len(x) <= 4 and not doing and not re.search(r"[a-z0-9]", x)


def _leave_out(
    scan: Scan, out: list[tuple[int, list[str]]], a: int, b: int, xa: int, xb: int, said: str
) -> bool:
    """Cut norm[a:b] and keep norm[xa:xb] (with where it stands) in `out`, unless it names no thing or no
    scene would be left; whether it did."""
    x = scan.norm[xa:xb].strip()
    first = x.split()[0] if x.split() else x
    if first in NOT_THINGS or x in NOT_THINGS or re.search(r"[0-9]", x):
        return False
    if is_param(said) or is_param(x):
        return False
    if not _SCENE_LEFT.search(scan.norm[:a] + " " + scan.norm[b:]):
        return False  # "no man's land": the whole message; nothing else would be the scene
    pos = xa
    kept = []
    for m in [*_JOINED.finditer(scan.norm, xa, xb), None]:  # "no people or pets": each its own item
        if text := tidy(scan.original(pos, m.start() if m else xb)):
            kept.append(re.sub(r"^(?:any|no|the|an?)\s+", "", text, flags=re.IGNORECASE))
        if m:
            pos = m.end()
    if kept:
        out.append((xa, kept))
        scan.cut(a, b)
    return bool(kept)


def is_param(text: str) -> bool:
    """Whether params.py reads anything in `text` ("no rush", "no sound", "不要竖屏")."""
    sub = Scan(text)
    probe = Found()
    try:
        take_params(sub, probe)
    except ParseError:
        return True
    return bool(probe.values or probe.negatives or any(sub.removed))
