"""bot.parse: the parameter, negation and correction rules written after blind sets T and U: ratios in
Chinese numerals, a shape word opening settings after a colon, 廿/卅, a key before its value in a settings
list, lengths in other languages' words, correction runs with light words, change-verbs between two values,
things left out of a landscape, Cantonese relaxed words, sound asks closed by a particle. Each kind in
phrasings none of the sets holds."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import parse
from bot.parse.errors import ParseError


def _check(text: str, want: dict[str, Any]) -> None:
    got = parse(text).to_storage()
    assert {k: got.get(k) for k in want} == want, text


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a ratio in Chinese numerals
        ("十六比九，长城上的日出", {"prompt": "长城上的日出", "aspect": "16:9"}),
        ("一比一 一杯拿鐵拉花", {"prompt": "一杯拿鐵拉花", "aspect": "1:1"}),
        ("九比十六嘅比例，行山徑", {"prompt": "行山徑", "aspect": "9:16"}),
        ("足球赛三比二的最后一刻", {"prompt": "足球赛三比二的最后一刻", "aspect": "16:9"}),
        # a shape word opening a list of settings after a colon
        ("for my lock screen: vertical, 8 sec. a koi pond at night", {"aspect": "9:16", "seconds": 8}),
        ("poster loop: square, hd, a spinning globe", {"aspect": "1:1", "resolution": "720p"}),
        # a shape word with a friendly tag
        ("a lighthouse in a storm, vertical lah", {"prompt": "a lighthouse in a storm", "aspect": "9:16"}),
        # 寬螢幕: widescreen
        ("寬螢幕，山頂的雲海", {"prompt": "山頂的雲海", "aspect": "16:9"}),
        # 廿 and 卅 written short
        ("廿秒 海邊踩單車", {"prompt": "海邊踩單車", "seconds": 20}),
        ("廿秒的烟花", {"seconds": 20}),
        # the key before its value in a settings list
        (
            "quality 1080p, seconds 7, a hummingbird at a feeder",
            {"prompt": "a hummingbird at a feeder", "seconds": 7},
        ),
        (
            "aspect 9:16, duration 6 - a paper boat on a puddle",
            {"prompt": "a paper boat on a puddle", "seconds": 6},
        ),
        # lengths in other languages' words; the English correction holds
        ("a tango in a plaza, 6 segundos", {"prompt": "a tango in a plaza", "seconds": 6}),
        ("surfing at uluwatu, 12 detik, hd", {"prompt": "surfing at uluwatu", "seconds": 12}),
        ("a crepe flipping, 8 secondes, i mean 7 seconds", {"prompt": "a crepe flipping", "seconds": 7}),
        (
            "street market at night, 9 segundos... sorry, 9 seconds",
            {"prompt": "street market at night", "seconds": 9},
        ),
        # correction runs with light words between
        ("6 seconds, no 9, nah ok 7: a kite over a beach", {"prompt": "a kite over a beach", "seconds": 7}),
        ("10 seconds, no wait, ok fine 4, a bubble popping", {"prompt": "a bubble popping", "seconds": 4}),
        # a change-verb between two values of one setting
        ("海边的灯塔 种子77 改成88", {"prompt": "海边的灯塔", "seed": 88}),
        ("八秒 改成六秒 一只柯基", {"prompt": "一只柯基", "seconds": 6}),
        ("a paper plane, seed 5 change it to 50", {"prompt": "a paper plane", "seed": 50}),
        ("把猫改成狗", {"prompt": "把猫改成狗"}),
        # things most often kept out of a landscape
        (
            "a prairie at golden hour, no power lines",
            {"prompt": "a prairie at golden hour", "negative": "power lines"},
        ),
        ("alpine lake at dawn, no buildings", {"prompt": "alpine lake at dawn", "negative": "buildings"}),
        ("沙漠公路，不要电线杆", {"prompt": "沙漠公路", "negative": "电线杆"}),
        ("畫面唔要文字：維港夜景", {"prompt": "維港夜景", "negative": "文字"}),
        # Cantonese relaxed words
        ("一隻貓仔瞓覺，唔好急住", {"prompt": "一隻貓仔瞓覺", "mode": "relaxed"}),
        ("唔使急住，街市嘅早晨", {"prompt": "街市嘅早晨", "mode": "relaxed"}),
        # a mode refused with "put it on", or Cantonese 咪, then the other asked for
        (
            "don't put it on fast, whenever is fine: a glacier calving",
            {"prompt": "a glacier calving", "mode": "relaxed"},
        ),
        ("咪整竖屏啊，一只猫喺窗边", {"prompt": "一只猫喺窗边", "aspect": "16:9"}),
        # a length or count complained of, then the one that replaces it
        ("15 seconds is way too long, make it 6: a cat yawning", {"prompt": "a cat yawning", "seconds": 6}),
        ("4 versions is too many, make it 2, a red kite", {"prompt": "a red kite", "variations": 2}),
        ("a snake that is too long, 7 seconds", {"prompt": "a snake that is too long", "seconds": 7}),
        # sound and silence in Chinese phrasings
        ("要有音效啊：深夜的便利店", {"prompt": "深夜的便利店", "audio": True}),
        ("無聲版本，八秒：雪地裡的狐狸", {"prompt": "雪地裡的狐狸", "audio": False, "seconds": 8}),
    ],
)
def test_params_tu(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


def test_thirty_seconds_short_is_out_of_range() -> None:
    with pytest.raises(ParseError):
        parse("卅秒 一只猫")
