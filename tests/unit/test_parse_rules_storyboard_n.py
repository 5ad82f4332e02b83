"""bot.parse: storyboards written after blind sets N, O and P: time marks inside ordinary sentences (after a
greeting or a reason, with a label, in words, from an opener), what closes the last card (thanks,
parameters), and the length ranged cards or a total give. Each kind with phrasings none of the sets holds."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import parse


def _cards(text: str) -> list[tuple[float, str]]:
    return [(c.at, c.prompt) for c in parse(text).cards]


def _d(text: str) -> dict[str, Any]:
    return parse(text).to_storage()


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Shot at 0s: a lighthouse in fog. Shot at 4s: the lamp turns on. Shot at 8s: a ship passes.",
            [(0.0, "a lighthouse in fog"), (4.0, "the lamp turns on"), (8.0, "a ship passes")],
        ),
        (
            "good morning! it's our anniversary so: 0s: two mugs on a table. 5s: steam rises. cheers!",
            [(0.0, "two mugs on a table"), (5.0, "steam rises")],
        ),
        (
            "Beat one (0s): a door creaks open. Beat two (5s): a cat walks in.",
            [(0.0, "a door creaks open"), (5.0, "a cat walks in")],
        ),
        (
            "hello team,\nhere is the plan\n* 0s: a bakery door opens\n* 4s: bread comes out\nthanks a lot",
            [(0.0, "a bakery door opens"), (4.0, "bread comes out")],
        ),
    ],
)
def test_time_marks_after_a_preface(text: str, want: list[tuple[float, str]]) -> None:
    assert parse(text).action == "storyboard"
    assert _cards(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "at 0 a balloon floats up, at 3 it pops, at 6 confetti falls",
            [(0.0, "a balloon floats up"), (3.0, "it pops"), (6.0, "confetti falls")],
        ),
        (
            "Opening: a quiet harbour. At 4 seconds: gulls take off. At 8 seconds: the sun comes up.",
            [(0.0, "a quiet harbour"), (4.0, "gulls take off"), (8.0, "the sun comes up")],
        ),
        (
            "first the kettle boils, after 4 seconds the tea is poured, after 8 seconds someone sips it",
            [(0.0, "the kettle boils"), (4.0, "the tea is poured"), (8.0, "someone sips it")],
        ),
        (
            "at zero seconds a bell rings, at three seconds pigeons scatter",
            [(0.0, "a bell rings"), (3.0, "pigeons scatter")],
        ),
        (
            "We open on a rainy window, 4 seconds in, a hand wipes the glass",
            [(0.0, "a rainy window"), (4.0, "a hand wipes the glass")],
        ),
        (
            "Second 0: sunrise. Second 4: birds fly.",
            [(0.0, "sunrise"), (4.0, "birds fly")],
        ),
        ("开头是一片麦田，第四秒起风了，第八秒下起雨", [(0.0, "一片麦田"), (4.0, "起风了"), (8.0, "下起雨")]),
        ("一开始是空荡荡的舞台，到了第三秒灯光亮起", [(0.0, "空荡荡的舞台"), (3.0, "灯光亮起")]),
        ("开始时一只猫在睡觉，5秒后它醒了", [(0.0, "一只猫在睡觉"), (5.0, "它醒了")]),
        ("画面1（0s）：夜空\n画面2（4s）：烟花", [(0.0, "夜空"), (4.0, "烟花")]),
        (
            "Between 0 and 3 seconds a door opens, between 3 and 6 seconds a dog runs out",
            [(0.0, "a door opens"), (3.0, "a dog runs out")],
        ),
        ("Seconds 0-2: a seed; seconds 2-5: a sprout", [(0.0, "a seed"), (2.0, "a sprout")]),
        # a short name before a bracketed time names its card; it is not the end of the card before
        (
            "Teaser (0-2s): a logo. Main (2-6s): the shoe spins. End (6-9s): price tag.",
            [(0.0, "a logo"), (2.0, "the shoe spins"), (6.0, "price tag")],
        ),
        ("开场：一片竹林；第3秒：熊猫出现", [(0.0, "一片竹林"), (3.0, "熊猫出现")]),
        ("我要一个八秒的视频：开头是晚霞，第四秒是归鸟", [(0.0, "晚霞"), (4.0, "归鸟")]),
        (
            "step 1: at 0s whisk the eggs, step 2: at 4s pour the batter",
            [(0.0, "whisk the eggs"), (4.0, "pour the batter")],
        ),
        # "N seconds later" counts from the card before
        (
            "to start, a kettle on the stove; 4 seconds later it whistles; 2 seconds later a hand lifts it",
            [(0.0, "a kettle on the stove"), (4.0, "it whistles"), (6.0, "a hand lifts it")],
        ),
    ],
)
def test_time_marks_in_words(text: str, want: list[tuple[float, str]]) -> None:
    assert parse(text).action == "storyboard"
    assert _cards(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the last range's end is the length
        ("0-4s: a fox sleeps\n4-8s: it wakes\n8-12s: it runs off", {"seconds": 12}),
        ("镜头一 0-3秒：猫；镜头二 3-7秒：狗", {"seconds": 7}),
        # a total said after the cards, with thanks or settings after it
        (
            "Opening: a quiet harbour. At 4 seconds: gulls take off. 9 seconds in all please",
            {
                "seconds": 9,
                "cards": [{"at": 0, "prompt": "a quiet harbour"}, {"at": 4, "prompt": "gulls take off"}],
            },
        ),
        (
            "0秒：一朵花；4秒：花开了。竖屏，谢谢！",
            {"aspect": "9:16", "cards": [{"at": 0, "prompt": "一朵花"}, {"at": 4, "prompt": "花开了"}]},
        ),
        (
            "storyboard:\n0s: a kite\n5s: it flies away\nTotal 12 seconds, vertical",
            {"seconds": 12, "aspect": "9:16"},
        ),
        (
            "0s: a quiet lake, 5s: a swan lands, 720p thanks",
            {
                "resolution": "720p",
                "cards": [{"at": 0, "prompt": "a quiet lake"}, {"at": 5, "prompt": "a swan lands"}],
            },
        ),
        (
            "storyboard: first a boat, then a wave, then a gull. 9:16 pls",
            {"aspect": "9:16", "prompt": "a boat; a wave; a gull"},
        ),
        (
            "12 seconds in total. 0s: a kite rises. 6s: it tangles in a tree.",
            {"seconds": 12, "prompt": "a kite rises; it tangles in a tree"},
        ),
    ],
)
def test_lengths_and_closing_words(text: str, want: dict[str, Any]) -> None:
    got = _d(text)
    assert got["action"] == "storyboard"
    assert {k: got[k] for k in want} == want


@pytest.mark.parametrize(
    "text",
    [
        "十秒，不对，八秒，一只狐狸",  # a length corrected, not two cards
        "a cat sitting at 5 am on a roof",
        "meet me at 5 then we go at 8",
        "at 0 degrees the pond freezes, at 30 degrees kids swim in it",
        "first light over the bay, a ferry horn sounds at 5 seconds past six",  # a time inside a clause
        "Looking for something calm for my intro: rain on a window. about 8 seconds, and 2 versions",
    ],
)
def test_no_storyboard_without_a_timeline(text: str) -> None:
    assert parse(text).action == "create"


def test_the_crowd_cheers_keeps_its_verb() -> None:
    assert _cards("storyboard: 0s a dancer bows; 3s the crowd cheers") == [
        (0.0, "a dancer bows"),
        (3.0, "the crowd cheers"),
    ]
