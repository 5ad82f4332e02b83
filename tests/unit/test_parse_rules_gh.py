"""bot.parse: the general rules written after blind sets G and H (first runs 87.1% and 85.4%): slang and
particles around questions, wallets asked back to front, keys without colons, clocks and slashes as
parameters, refusals that hold, Chinese corrections without spaces, shots marked by scene labels, at signs,
halves of the clip or a length said before them. Each kind with phrasings neither set holds."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import parse


def _d(text: str, **kw: Any) -> dict[str, Any]:
    return parse(text, **kw).to_storage()


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("gm fren, bal check", "balance"),
        ("my points how many left lah", "balance"),
        ("这个bot绝绝子！我的积分还剩几个", "balance"),
        ("I would like to know what the pro plan costs", "plans"),
        ("套餐价目表介绍一下 谢谢", "plans"),
        ("kindly guide me how to loop a video", "help"),
        ("is there a magic word I have to type?", "help"),
        ("this is taking too long, cancel it", "cancel"),
        ("where are my videos saved?", "feed"),
        ("lemme see the community feed", "feed"),
        ("唔好整住喇，取消", "cancel"),
    ],
)
def test_more_ways_to_ask(text: str, want: str) -> None:
    assert parse(text).action == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "a rocket on the pad, 0:08, 9/16",
            {"prompt": "a rocket on the pad", "seconds": 8, "aspect": "9:16"},
        ),
        (
            "a canyon at dusk / 6 seconds / square",
            {"prompt": "a canyon at dusk", "seconds": 6, "aspect": "1:1"},
        ),
        ("a mill by a stream, 30fps, 4s", {"prompt": "a mill by a stream", "seconds": 4}),
        ("夜市的小吃摊，时长8秒，分辨率720p", {"prompt": "夜市的小吃摊", "seconds": 8, "resolution": "720p"}),
        ("a pier at dawn, loop it? no, no loop", {"prompt": "a pier at dawn", "loop": False}),
        ("a 1980s arcade, 6 secs", {"prompt": "a 1980s arcade", "seconds": 6}),
        ("横屏……不对还是竖屏吧，一只猫在窗台", {"prompt": "一只猫在窗台", "aspect": "9:16"}),
        (
            "city lights at night 720 square 4 sec",
            {"prompt": "city lights at night", "resolution": "720p", "aspect": "1:1"},
        ),
        ("I need 4 versions, vertical, of a koi pond", {"prompt": "a koi pond", "variations": 4}),
        ("雪山下的湖，避免：人物、文字", {"prompt": "雪山下的湖"}),
    ],
)
def test_parameters_in_still_more_forms(text: str, want: dict[str, Any]) -> None:
    got = _d(text)
    assert {k: got[k] for k in want} == want


def test_frame_rates_set_nothing_and_are_reported() -> None:
    req = parse("a mill by a stream, 60 fps")
    assert req.prompt == "a mill by a stream" and req.ignored == ["60 fps"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("start it at 2s", {"trim_start": 2}),
        ("so it ends at 6s", {"trim_end": 6}),
        ("the first 2 seconds are boring, cut them", {"trim_start": 2}),
        ("改成从第3秒开始", {"trim_start": 3}),
    ],
)
def test_trims_in_more_words(text: str, want: dict[str, Any]) -> None:
    got = _d(text, reply=True)
    assert got["action"] == "recut" and {k: got[k] for k in want} == want


@pytest.mark.parametrize(
    ("text", "ats", "seconds"),
    [
        ("@0 a field | @4 a storm rolls in", [0, 4], None),
        ("cut 1 (0s) a match, cut 2 (3s) a flame", [0, 3], None),
        ("镜头一：小猫睡觉。镜头二：小猫醒来", [0, 5], None),
        ("一共八秒：0秒 空杯子；4秒 倒满咖啡", [0, 4], 8),
        ("12 second clip, first 6 seconds: a bud, last 6 seconds: a flower", [0, 6], 12),
        ("前四秒是日出，后四秒是日落", [0, 4], None),
    ],
)
def test_shots_marked_in_more_ways(text: str, ats: list[float], seconds: int | None) -> None:
    got = _d(text)
    assert got["action"] == "storyboard" and [c["at"] for c in got["cards"]] == ats
    if seconds is not None:
        assert got["seconds"] == seconds
