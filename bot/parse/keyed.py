"""Settings written as "key: value" ("sound: off", "loop = yes", "aspect: vertical", "mode: relaxed",
"声音：关", "比例：竖屏"): a yes/no key sets its switch, any other key's value is read as a parameter. Cuts the
pair from a Scan into Found.

A pair goes only when its value is one: "mode: party animal" stays in the prompt. Must not read parameters
that stand without a key (params.py does).
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import alt, c
from bot.parse.found import Found, check_seconds, check_variations
from bot.parse.negation import apply_values, read_params
from bot.parse.scan import Scan
from bot.parse.words import SETTING_KEYS, SWITCH_KEYS, SWITCH_OFF, SWITCH_ON


@functools.cache
def _pair() -> re.Pattern[str]:
    keys = alt((*SWITCH_KEYS, *SETTING_KEYS))
    # Chinese keys need no colon: "时长12秒", "解析度1080p"
    zh = alt(k for k in (*SWITCH_KEYS, *SETTING_KEYS) if not k.isascii())
    return c(
        rf"(?:(?<![a-z0-9_'’])(?P<key>{keys})\s*(?:[:=：]|为|是)|(?P<zkey>{zh})\s*(?=[0-9a-z零〇一二两三四五六七八九十竖横正方]))\s*"
        # a value in letters ends where Chinese starts ("loop=false无声")
        rf"(?P<v>[^,;|\n，；。:：=]+?)\s*(?=$|[,;|\n，；。]|\.(?:\s|$)|\s[a-z_]{{2,20}}:(?!//)|(?<=[a-z])[\u3400-\u9fff])"
    )


#: keys whose bare number is a length ("秒数：9", "duration: 8") or a count ("versions: 2")
_LENGTH_KEYS = frozenset(("length", "duration", "time", "时长", "长度", "秒数", "片长", "时间"))
_COUNT_KEYS = frozenset(("versions", "variations", "count", "版本", "版本数"))


def take_keyed(scan: Scan, found: Found) -> None:
    """Cut every "key: value" pair of `scan` whose value is a setting of that key into `found`."""
    for m in list(_pair().finditer(scan.norm)):
        key = re.sub(r"\s+", " ", m.group("key") or m.group("zkey"))
        value = m.group("v").strip()
        if re.fullmatch(r"[0-9]{1,2}", value) and key in _LENGTH_KEYS | _COUNT_KEYS:
            number_key = "seconds" if key in _LENGTH_KEYS else "variations"
            checked = (
                check_seconds(int(value), value)
                if number_key == "seconds"
                else check_variations(int(value), value)
            )
            found.set(number_key, checked)
            scan.cut(m.start(), m.end())
            continue
        if key in SWITCH_KEYS:
            if value in SWITCH_ON or value in SWITCH_OFF:
                found.set(SWITCH_KEYS[key], value in SWITCH_ON)
                scan.cut(m.start(), m.end())
            continue
        read = read_params(scan, m.start("v"), m.end("v"))
        if read is not None:
            apply_values(found, read, False)
            scan.cut(m.start(), m.end())
