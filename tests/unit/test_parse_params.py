"""bot.parse: negation, parameter words in more than one form, sound, edits and storyboards (issue 7's
examples, and the general rule behind each)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import ParseError, parse


def _d(text: str, **kw: Any) -> dict[str, Any]:
    return parse(text, **kw).to_storage()


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # negation refuses the parameter it names, and its words leave the prompt
        ("a fox in the snow, not vertical", {"aspect": "16:9", "prompt": "a fox in the snow"}),
        ("a fox in the snow, hd not needed", {"resolution": "480p", "prompt": "a fox in the snow"}),
        ("一只熊猫，不要循环", {"loop": False, "prompt": "一只熊猫"}),
        ("city at night, don't make it square", {"aspect": "16:9", "prompt": "city at night"}),
        ("not widescreen, vertical pls: a girl dancing", {"aspect": "9:16", "prompt": "a girl dancing"}),
        ("a waterfall 10s, not in 1080 just 720 is fine", {"resolution": "720p", "prompt": "a waterfall"}),
        ("不要4个版本，一个就够了，熊猫吃竹子", {"variations": 1, "prompt": "熊猫吃竹子"}),
        ("no negative prompt needed, ramen steaming", {"negative": None, "prompt": "ramen steaming"}),
        # a refusal blocks the value for the rest of the message; a --flag is explicit and still wins
        ("not vertical, a fox, vertical", {"aspect": "16:9"}),
        ("a cat --ar 9:16, not vertical", {"aspect": "9:16"}),
        # a negator before something that is not a parameter is the scene
        ("no stop sign", {"prompt": "no stop sign"}),
        ("a cat, not a dog", {"prompt": "a cat, not a dog"}),
        # parameter words in more than one form
        ("reels-style clip of a barista", {"aspect": "9:16", "prompt": "a barista"}),
        ("instagram-square, a bowl of fruit", {"aspect": "1:1", "prompt": "a bowl of fruit"}),
        (
            "whenever you get to it — a lighthouse at dusk",
            {"mode": "relaxed", "prompt": "a lighthouse at dusk"},
        ),
        ("不急的话，做一个雪山日出", {"mode": "relaxed", "prompt": "雪山日出"}),
        ("an old library at 720", {"resolution": "720p", "prompt": "an old library"}),
        ("1080的，宇航员在月球上走路", {"resolution": "1080p", "prompt": "宇航员在月球上走路"}),
        (
            "square loop of a spinning vinyl record",
            {"aspect": "1:1", "loop": True, "prompt": "a spinning vinyl record"},
        ),
        ("a 7-sec shot of a candle", {"seconds": 7, "prompt": "a candle"}),
        ("a shot of whiskey", {"prompt": "a shot of whiskey"}),
        ("make 2 videos of a lighthouse", {"variations": 2, "prompt": "a lighthouse"}),
    ],
)
def test_words(text: str, want: dict[str, Any]) -> None:
    got = _d(text)
    assert {k: got[k] for k in want} == want


@pytest.mark.parametrize(
    ("text", "audio", "prompt"),
    [
        ("a cat, mute", False, "a cat"),
        ("muted clip of a city street", False, "a city street"),
        ("a cat, no sound", False, "a cat"),
        ("a ballerina without sound, 10s", False, "a ballerina"),
        ("silent please — snow on a lake", False, "snow on a lake"),
        ("a cat --no-audio", False, "a cat"),
        ("静音，一只猫", False, "一只猫"),
        ("一只猫，无声", False, "一只猫"),
        ("不要声音，海边日落", False, "海边日落"),
        # the rule: words that also describe a scene (silent, quiet, mute) count only as an instruction
        ("a silent forest", True, "a silent forest"),
        ("mute swan on a lake", True, "mute swan on a lake"),
        ("a quiet library", True, "a quiet library"),
        ("一个没有声音的世界", True, "一个没有声音的世界"),
        # refusing the mute is sound on
        ("a jellyfish, don't mute it", True, "a jellyfish"),
        ("不要静音，森林里的鸟叫", True, "森林里的鸟叫"),
        ("a jazz band, with sound", True, "a jazz band"),
    ],
)
def test_audio(text: str, audio: bool, prompt: str) -> None:
    got = _d(text)
    assert (got["audio"], got["prompt"]) == (audio, prompt)


def test_extension_to_a_target_length() -> None:
    for text, target in (
        ("make it 12 seconds long", 12),
        ("加长到十五秒", 15),
        ("extend it to 10 seconds", 10),
        ("make it longer, like 15 sec", 15),
    ):
        d = _d(text, reply=True)
        assert (d["action"], d["extend"], d["seconds"], d["trim_end"]) == (
            "recut",
            True,
            target,
            float(target),
        ), text
    # an amount stays an amount: seconds to add, no target
    d = _d("extend by 3s", reply=True)
    assert (d["extend"], d["seconds"], d["trim_end"]) == (True, 3, None)
    d = _d("去掉前面1秒，到第5秒结束", reply=True)
    assert (d["action"], d["trim_start"], d["trim_end"]) == ("recut", 1.0, 5.0)


@pytest.mark.parametrize(
    ("text", "prompt"),
    [
        ("帮我把它变成冬天", "冬天"),
        ("把它變成下雪天", "下雪天"),
        ("改成赛博朋克风格", "赛博朋克风格"),
        ("make it night", "night"),
        ("turn it into a watercolor painting", "a watercolor painting"),
        ("can u make it underwater", "underwater"),
        ("把猫换成狗", "把猫换成狗"),
    ],
)
def test_edit_wording_leaves_the_remix_prompt(text: str, prompt: str) -> None:
    d = _d(text, reply=True)
    assert (d["action"], d["prompt"]) == ("remix", prompt)


def test_storyboard_after_a_first_line() -> None:
    for text in (
        "here's my storyboard\n0s a seed\n5s a sprout\n10s a tree",
        "ok plan is\n0s - a seed\n5s - a sprout\n10s - a tree",
        "at 0s a seed, at 5s a sprout, at 10s a tree",
        "0s a seed / 5s a sprout / 10s a tree",
    ):
        d = _d(text)
        assert d["action"] == "storyboard", text
        assert d["cards"] == [
            {"at": 0, "prompt": "a seed"},
            {"at": 5, "prompt": "a sprout"},
            {"at": 10, "prompt": "a tree"},
        ], text
    d = _d("vertical storyboard, 720p, no sound\n0s a chef\n4s tears\n8s he laughs")
    assert (d["aspect"], d["resolution"], d["audio"], len(d["cards"])) == ("9:16", "720p", False, 3)
    # on one line, only pieces that each open with a later time are cards
    assert [c["at"] for c in _d("0s a cat 5s a dog")["cards"]] == [0, 5]
    for text in ("a cat 10s 5s", "a knight, epic, 10s, 1080p, 9:16", "a fox running 10s then 5s more"):
        assert _d(text)["action"] == "create", text


def test_out_of_range_still_raises() -> None:
    with pytest.raises(ParseError):
        parse("a cat, 7 variations")
    with pytest.raises(ParseError):
        parse("a cat --ar 4:3")
