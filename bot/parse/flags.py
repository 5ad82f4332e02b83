"""`--name value` options anywhere in a message (`--ar 9:16`, `--seed 4`, `--no text`, `--no-audio`).

Known flags set parameters at flag priority (they beat words); unknown ones (often pasted Midjourney
options) are cut with the one value that follows them and listed in `Found.ignored`. Values out of range
raise ParseError; nothing here reads free text.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import UNIT
from bot.parse.errors import ParseError
from bot.parse.found import FLAG_PRIORITY, Found, aspect_value, check_seconds, check_seed, check_variations
from bot.parse.numbers import DEC, number
from bot.parse.prompt import tidy
from bot.parse.scan import Scan
from bot.parse.words import (
    ARTEFACTS,
    ASPECT_WORDS,
    BOOL_SWITCHES,
    FALSE_WORDS,
    LEAVE_OUT_THINGS,
    MODE_WORDS,
    RES_WORDS,
    SWITCH_FLAGS,
    TEXT_FLAGS,
    TRUE_WORDS,
    VALUE_FLAGS,
)

_LOOKS_LIKE_VALUE = re.compile(r"[-+]?[0-9][\w.:/×x-]*|https?://\S+|<\S+>|[a-z]{1,12}")
_FLAG_VALUE = re.compile(r"[ =:]*(?!--|[—–][a-z])(\S+)")
_FLAG_ASPECT_VALUE = re.compile(r"[ =:]*(?!--|[—–][a-z])([0-9]+\s*[:x×/]\s*[0-9]+|\S+)")
_FLAG_TEXT_END = re.compile(r"(?<!\S)(?:--|[—–])[a-z]|\n|$")


@functools.cache
def _flag_rx() -> re.Pattern[str]:
    # --name, —name (iOS turns -- into an em dash), optional =value
    return re.compile(r"(?<![^\s,，;；。、])(?P<dash>--|[—–])(?P<name>[a-z][a-z0-9_-]*)(?:=(?P<eq>\S*))?")


def take_flags(scan: Scan, found: Found) -> None:
    """Cut every `--flag` (and its value) from `scan`, recording what it sets in `found`.

    Raises ParseError for a known flag with a value out of range or missing."""
    rx = _flag_rx()
    pos = 0
    while m := rx.search(scan.norm, pos):
        name = m.group("name").strip("-_")
        eq = m.group("eq")
        kind = VALUE_FLAGS.get(name)
        known = kind is not None or name in TEXT_FLAGS or name in SWITCH_FLAGS
        if m.group("dash") != "--" and not known:  # an em dash is punctuation unless it spells a flag
            pos = m.end()
            continue
        start, end = m.start(), m.end()
        if name in TEXT_FLAGS:
            vstart = m.start("eq") if eq is not None else end
            stop = _FLAG_TEXT_END.search(scan.norm, vstart)
            vend = stop.start() if stop else len(scan.norm)
            if not scan.norm[:start].strip():
                vend = _leading_value_end(scan.norm, vstart, vend)  # "--no logo minecraft village"
            text = tidy(scan.original(vstart, vend).strip().lstrip("=:"))
            if not text:
                raise ParseError("bad_flag_value", scan.original(start, vend).strip())
            found.negatives.append(text)
        elif name in SWITCH_FLAGS and kind is None:
            key, v = SWITCH_FLAGS[name]
            vend = end
            if eq is not None:
                if eq in FALSE_WORDS and key in BOOL_SWITCHES:
                    v = not v
                elif eq not in TRUE_WORDS:
                    raise ParseError("bad_flag_value", scan.original(start, end).strip())
            found.set(key, v, FLAG_PRIORITY)
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


@functools.cache
def _known_refusal() -> re.Pattern[str]:
    things = (*ARTEFACTS, *LEAVE_OUT_THINGS)
    return re.compile(
        rf"[\s=:]*(?:{'|'.join(re.escape(t) for t in sorted(things, key=len, reverse=True))})(?![a-z0-9'’-])"
    )


_FIRST_WORD = re.compile(r"[\s=:]*[^\s,;]+")


def _leading_value_end(norm: str, vstart: int, vend: int) -> int:
    """Where the value of a text flag that opens the message ends: it cannot be the whole scene, so it is
    one thing it names ("--no logo minecraft village": "logo"), or its first word, after the items a comma
    ends ("--no people, cars a quiet street": "people, cars")."""
    last = max(vstart, norm.rfind(",", vstart, vend) + 1)  # "--no people, cars a quiet street": the last item
    if not re.search(r"[\w\u4e00-\u9fff]\s+[\w\u4e00-\u9fff]", norm[last:vend].strip()):
        return vend
    if last > vstart and re.match(r"\s*(?:a|an|the|my|our|this|some|one|two)\s", norm[last:vend]):
        return last - 1  # "--no people, a quiet street": the scene opens after the comma
    m = _known_refusal().match(norm, last, vend) or _FIRST_WORD.match(norm, last, vend)
    return m.end() if m else vend


def _unknown_value_ok(norm: str, vm: re.Match[str]) -> bool:
    """Whether the token after an unknown flag is that flag's value (not the start of more prompt)."""
    token = vm.group(1)
    if not _LOOKS_LIKE_VALUE.fullmatch(token):
        return False
    if token[0].isdigit() or token[0] in "+-<" or token.startswith("http"):
        return True
    after = norm[vm.end() :]
    return bool(re.match(r"\s*(?:$|--|[—–][a-z]|[,;\n])", after))


def _set_flag(kind: str, value: str, whole: str, found: Found) -> None:
    if kind == "seconds":
        vm = re.fullmatch(rf"(-?{DEC})\s*(?:{UNIT})?", value)
        found.set("seconds", check_seconds(number(vm.group(1)) if vm else None, whole), FLAG_PRIORITY)
    elif kind == "resolution":
        res = RES_WORDS.get(value.replace(" ", ""))
        if res is None:
            raise ParseError("bad_resolution", whole)
        found.set("resolution", res, FLAG_PRIORITY)
    elif kind == "aspect":
        am = re.fullmatch(r"([0-9]{1,3})\s*[:x×/]\s*([0-9]{1,3})", value)
        if am:
            found.set("aspect", aspect_value(am.group(1), am.group(2), whole, strict=True), FLAG_PRIORITY)
        elif value in ASPECT_WORDS:
            found.set("aspect", ASPECT_WORDS[value], FLAG_PRIORITY)
        else:
            raise ParseError("bad_aspect", whole)
    elif kind == "variations":
        found.set(
            "variations",
            check_variations(number(value) if re.fullmatch("[0-9]+", value) else None, whole),
            FLAG_PRIORITY,
        )
    elif kind == "seed":
        found.set("seed", check_seed(value, whole), FLAG_PRIORITY)
    elif kind == "mode":
        if value not in MODE_WORDS:
            raise ParseError("bad_mode", whole)
        found.set("mode", MODE_WORDS[value], FLAG_PRIORITY)
    elif kind == "strength":
        vm = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(%?)", value)
        x = float(vm.group(1)) / (100 if vm.group(2) else 1) if vm else -1.0
        if not 0.0 <= x <= 1.0:
            raise ParseError("bad_flag_value", whole)
        found.set("strength", x, FLAG_PRIORITY)
