"""bot.parse: the general rules written after blind sets I and J (first runs 92.8% and 90.8%): cancels and
comments in one clause in any order, first-time and can't-use-it comments, honorifics, corrections whose
switch holds, more Cantonese, teaching and sharing requests. Each kind with phrasings neither set holds."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import parse


def _d(text: str, **kw: Any) -> dict[str, Any]:
    return parse(text, **kw).to_storage()


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("ABORT ABORT typo in the prompt stop the render", "cancel"),
        ("stop pls i changed my mind cancel it", "cancel"),
        ("first time here, how do i use this?", "help"),
        ("各位老师 请问怎么让它做视频 我不太会用", "help"),
        ("how do i reply to a video to remix it", "help"),
        ("热门的视频有哪些", "feed"),
        ("大家的作品分享一下", "feed"),
        ("唔該取消啱啱嗰個", "cancel"),
        ("请停止当前的任务", "cancel"),
        ("cancel my job please, it's going to waste my credits", "cancel"),
    ],
)
def test_questions_and_cancels_in_more_words(text: str, want: str) -> None:
    assert parse(text).action == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("a glacier calving, loop it. actually no loop", {"prompt": "a glacier calving", "loop": False}),
        (
            "2 versions... nah just 4 actually. a lantern in fog",
            {"variations": 4, "prompt": "a lantern in fog"},
        ),
        ("不要720p啦，1080p就好：夜晚的外滩", {"prompt": "夜晚的外滩", "resolution": "1080p"}),
        ("整兩個版本：旺角街頭，八秒", {"prompt": "旺角街頭", "variations": 2, "seconds": 8}),
        ("a drone over rice terraces x4 full hd", {"prompt": "a drone over rice terraces", "variations": 4}),
        ("横屏 十秒 海边的风车 谢谢老师", {"prompt": "海边的风车", "seconds": 10}),
        ("不要靜音，要有鳥叫聲，森林的早晨", {"audio": True}),
    ],
)
def test_parameters_corrected_and_closed(text: str, want: dict[str, Any]) -> None:
    got = _d(text)
    assert {k: got[k] for k in want} == want


def test_chinese_trims_said_with_the_front() -> None:
    got = _d("前面两秒不要", reply=True)
    assert (got["action"], got["trim_start"]) == ("recut", 2)
    assert _d("make it last 12 seconds", reply=True)["extend"] is True


def test_a_title_before_steps_is_a_storyboard() -> None:
    got = _d("小树的一年：先是发芽，然后长叶，最后落叶")
    assert got["action"] == "storyboard" and [c["prompt"] for c in got["cards"]] == ["发芽", "长叶", "落叶"]
