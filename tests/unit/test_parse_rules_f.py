"""bot.parse: the general rules written after blind set F (tests/data/parse_corpus_blind_f.jsonl, first run
80.4%): asides about the member beside a question, reasons for a cancel in the member's words, trims past a
mark, loops in plain words, slashes and bars between parameters, shots counted, numbered or marked. Each kind
with phrasings F does not hold."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import parse


def _d(text: str, **kw: Any) -> dict[str, Any]:
    return parse(text, **kw).to_storage()


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Hi! How much does the plus plan cost per month? We run a small yoga studio.", "plans"),
        (
            "could you check how many credits are left on my account? I'd like to make a clip for my son",
            "balance",
        ),
        ("请问怎么看我的积分？我想给我家狗狗做个视频", "balance"),
        ("please stop the video I sent a minute ago, I wrote the name wrong", "cancel"),
        ("kill it i dont want it anymore", "cancel"),
        (
            "Good evening all. Could someone explain how I tell the bot to make a clip? Thank you so much.",
            "help",
        ),
        ("有没有热门的视频可以看看", "feed"),
        ("请帮我取消刚才的需求", "cancel"),
    ],
)
def test_questions_with_asides(text: str, want: str) -> None:
    assert parse(text).action == want


def test_an_aside_alone_is_still_a_scene() -> None:
    got = _d("my daughter dancing ballet on a stage")
    assert got["action"] == "create" and got["prompt"] == "my daughter dancing ballet on a stage"
    assert _d("a turtle checking his balance on a tightrope")["action"] == "create"  # someone else's balance


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("remove everything past the 3 second mark", {"trim_end": 3}),
        ("cut all before 1.5s", {"trim_start": 1.5}),
        ("trim off the first half a second", {"trim_start": 0.5}),
        ("把前两秒去掉", {"trim_start": 2}),
        ("第6秒之后的都不要", {"trim_end": 6}),
        ("make it play over and over without a seam", {"action": "loop"}),
    ],
)
def test_edits_in_more_words(text: str, want: dict[str, Any]) -> None:
    got = _d(text, reply=True)
    assert {k: got[k] for k in want} == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "a lantern festival /1080p /square",
            {"prompt": "a lantern festival", "resolution": "1080p", "aspect": "1:1"},
        ),
        ("雨中的西湖｜八秒｜竖屏", {"prompt": "雨中的西湖", "seconds": 8, "aspect": "9:16"}),
        ("a fox in a field, 10 seconds... um actually 7", {"prompt": "a fox in a field", "seconds": 7}),
        ("a clock tower, 4 seconds... sorry I meant 14", {"seconds": 14}),
        ("山顶的日出，--no 人物", {"prompt": "山顶的日出", "negative": "人物"}),
        ("我想要一段无声的视频，主题是海边的灯塔", {"prompt": "海边的灯塔", "audio": False}),
        (
            "I'd love a portrait video in 720 of a cat yawning",
            {"prompt": "a cat yawning", "resolution": "720p"},
        ),
        ("AC/DC on a stage /vertical", {"prompt": "AC/DC on a stage", "aspect": "9:16"}),
    ],
)
def test_parameters_between_slashes_bars_and_corrections(text: str, want: dict[str, Any]) -> None:
    got = _d(text)
    assert {k: got[k] for k in want} == want


@pytest.mark.parametrize(
    ("text", "ats", "seconds"),
    [
        ("Shot 1 (0-3s): a door opens\nShot 2 (3-6s): a dog runs out", [0, 3], None),
        ("1. an egg 2. a crack 3. a chick", [0, 5, 10], 15),
        ("two shots please - an empty field, then a tractor arrives", [0, 5], 10),
        ("Scene A – a harbour\nScene B – a ferry leaves", [0, 5], 10),
        ("first a kettle boils, then tea is poured, 8 seconds total", [0, 4], 8),
        ("第一幕 清晨的菜市场 第二幕 中午的餐馆", [0, 5], 10),
        ("分两个画面：一开始是空的鸟巢，然后小鸟飞回来了", [0, 5], 10),
    ],
)
def test_shots_counted_numbered_or_marked(text: str, ats: list[float], seconds: int | None) -> None:
    got = _d(text)
    assert got["action"] == "storyboard" and [c["at"] for c in got["cards"]] == ats
    if seconds is not None:
        assert got["seconds"] == seconds
