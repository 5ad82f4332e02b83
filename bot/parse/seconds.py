"""How long the clip is: "10s", "for 12 seconds", "duration: 8", "十秒", and what only looks like a length
(decades "80s", ages "in her 20s", "iPhone 15s", "the last 5 seconds of a countdown").

Cuts durations from a Scan into Found; out-of-range lengths raise ParseError("bad_seconds").
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import UNIT, L, R, c
from bot.parse.found import Found, check_seconds
from bot.parse.numbers import CN_NUM, DEC, EN_NUM, EN_NUMBER_VALUES, number
from bot.parse.scan import Scan
from bot.parse.words import FOREIGN_SECOND_UNITS, SECONDS_IN_SCENE_AFTER, SECONDS_IN_SCENE_BEFORE

#: a number of seconds that is a moment of the scene: "every 3 seconds", "2 seconds left on the clock",
#: "最后两秒绝杀", "倒数10秒"
_IN_SCENE_BEFORE = re.compile(
    r"(?:^|(?<![a-z]))(?:" + "|".join(map(re.escape, SECONDS_IN_SCENE_BEFORE)) + r")\s*$"
)
_IN_SCENE_AFTER = re.compile(
    r"\s*(?:" + "|".join(map(re.escape, SECONDS_IN_SCENE_AFTER)) + r")(?![a-z])(?!\s+to\s+right)"
)


@functools.cache
def _seconds_rx() -> dict[str, re.Pattern[str]]:
    return {
        "kv": c(
            rf"(?:{L}(?:duration|length)\s*(?:[:=]|of|is)?|{L}(?:len|seconds|secs|sec|time)\s*[:=]"
            # "resolution 720p, aspect 1:1, seconds 3": the key before its value in a list of settings
            rf"|(?:^|(?<=[,;|]\s)|(?<=[,;|]))(?:seconds|secs|sec|duration|length)\s+(?=[0-9]{{1,3}}(?:\s*(?:$|[,;|—–]|\s-\s))))"
            rf"\s*(?P<n>-?{DEC})(?:\s*{UNIT})?{R}"
        ),
        "en": c(
            rf"(?:{L}(?:for|lasting|about|around|approx(?:imately)?|roughly|exactly|just"
            rf"|(?:make|keep)\s+(?:it|the\s+(?:video|clip))|(?:it\s+)?should\s+be)\s+)?"
            rf"(?:{L}(?P<lo>{DEC})\s*(?:-|–|~|to)\s*)?"
            rf"(?:(?<![0-9a-z_.,])(?P<sign>-))?{L}(?P<n>{DEC}|{EN_NUM})"
            rf"(?P<unit>\s*-?\s*{UNIT}){R}"
            rf"(?P<tail>\s+(?:long|in\s+length|duration|each|apiece|a\s+piece|per\s+(?:clip|video|version|take|one)){R})?"
            rf"(?P<of>\s+of{R})?"
            rf"(?:\s+(?:video|clip|vid|animation|gif)s?(?=\s*(?:$|[,;.!])))?"
        ),
        # "10 segundos", "8 detik": digits with a word for seconds in another language
        "foreign": c(
            rf"(?<![0-9a-z_.,])(?P<n>[0-9]{{1,3}}(?:\.[0-9]{{1,2}})?)\s*(?:{'|'.join(FOREIGN_SECOND_UNITS)}){R}"
        ),
        # "0:12", "00:09": a clip length written as a clock, standing as a parameter of its own
        "clock": c(
            r"(?:(?<=^)|(?<=[\s,;|]))0{1,2}:(?P<n>[0-5][0-9])(?=\s*(?:$|[,;|]|\s+[0-9]|\s+(?:full|hd|vertical|square|landscape)))"
        ),
        "zh": c(
            rf"(?:(?:视频)?(?:时长|长度|时间)\s*(?:为|是|:)?\s*)?(?:大约|大概|约)?"
            rf"(?<![第每])(?P<n>(?<![0-9.]){DEC}|{CN_NUM})\s*(?:个)?\s*秒(?:钟)?(?![杀懂变速表针])(?!钟?(?:之?后|以后|之?前|以前))"
            r"(?:左右)?(?:的)?"
        ),
    }


_DIGIT_PLURALS = re.compile(r"(?<![0-9.])[0-9]s\s*(?:and|&|or|,)\s*[0-9]s(?![a-z0-9])")
_DECADE_BEFORE = re.compile(
    r"(?:the|her|his|their|my|your|our|its|early|late|mid|mid-|roaring|swinging)\s*-?$"
)
_DECADE_AFTER = re.compile(
    r"[\s-]*(?:style|jazz|fashion|aesthetic|vibes?|music|era|look|retro|vintage|party|decor"
    r"|film|anime|cartoon|sitcom|tv|kid|rock|disco|pop|hip|punk|grunge|synth|vhs|neon"
    r"|arcade|movie|commercial|advert|ad|photo|hair|makeup|nostalgia)"
)


def _in_scene(scan: Scan, start: int, end: int) -> bool:
    """Whether the seconds at norm[start:end] count down or repeat in the scene ("every 3 seconds", "with 2
    seconds left", "倒数10秒") rather than give the clip's length."""
    return bool(
        _IN_SCENE_BEFORE.search(scan.norm[max(0, start - 8) : start])
        or _IN_SCENE_AFTER.match(scan.norm[end : end + 16])
    )


def _is_seconds(scan: Scan, m: re.Match[str]) -> bool:
    """Whether an `N s` match is a duration (not a decade, an age, an iPhone or "10s of thousands")."""
    n = m.group("n")
    if _in_scene(scan, m.start(), m.end()):
        return False
    unit = m.group("unit")
    compact = unit == "s" or unit == "-s"
    if n in EN_NUMBER_VALUES and compact:
        return False  # "tens", "fives"
    if m.group("of") and re.search(
        r"(?:first|last|final|opening|closing)\s+$", scan.norm[max(0, m.start() - 24) : m.start()]
    ):
        return False  # "the last 5 seconds of a countdown": a moment in the scene
    if not compact:
        return True
    if _DIGIT_PLURALS.search(scan.norm[max(0, m.start() - 12) : m.end() + 12]):
        return False  # "1s and 0s", "a row of 7s or 8s": digits in the plural
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
        if _DECADE_BEFORE.search(before):
            return False
        if _DECADE_AFTER.match(after):
            return False
        if value >= 30 and not (m.group("tail") or re.search(r"(?:for|lasting|duration|length)\s+$", before)):
            return False  # "80s", "a 90s video": decades; "30 seconds" is still read as a duration
    return True


def take_seconds(scan: Scan, found: Found) -> None:
    """Cut every duration from `scan` into found["seconds"] (the last one wins)."""
    rx = _seconds_rx()
    for m in scan.take(rx["clock"]):
        found.set("seconds", check_seconds(number(m.group("n")), m.group(0).strip()))
    for m in scan.take(rx["kv"]):
        found.set("seconds", check_seconds(number(m.group("n")), m.group(0).strip()))
    said: list[tuple[int, float | None, str]] = []  # (where, value, as written): the last one written wins
    for m in scan.take(rx["foreign"], lambda m: not _in_scene(scan, m.start(), m.end())):
        said.append((m.start(), number(m.group("n")), scan.original(*m.span()).strip()))
    for m in scan.take(rx["en"], lambda m: _is_seconds(scan, m)):
        x = number(m.group("n"))
        if m.group("sign") and x is not None:
            x = -x
        said.append((m.start(), x, scan.original(*m.span()).strip()))
    for _, x, written in sorted(said, key=lambda s: s[0]):
        found.set("seconds", check_seconds(x, written))
    if scan.cjk:
        for m in scan.take(rx["zh"], lambda m: not _in_scene(scan, m.start(), m.end())):
            found.set("seconds", check_seconds(number(m.group("n")), scan.original(*m.span()).strip()))
