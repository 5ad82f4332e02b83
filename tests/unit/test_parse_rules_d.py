"""bot.parse: the general rules written after held-out set D (tests/data/parse_corpus_blind_d.jsonl, first run
88.7%): chat shorthand, request tails, mood emoji, cards that say something, corrections, Chinese trims and
measures, storyboards told in order or enumerated, Cantonese. Each kind with phrasings D does not hold."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import parse


def _d(text: str, **kw: Any) -> dict[str, Any]:
    req = parse(text, **kw)
    return {**req.to_storage(), "about_bot": req.about_bot}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("pls chk my bal", "balance"),
        ("how many creds do u have for me", "balance"),
        ("wut can this bot do", "help"),
        ("whats the diff between free and plus", "plans"),
        ("how much of our quota is left?", "balance"),
        ("套餐价格说一下", "plans"),
        ("积分查询一下", "balance"),
    ],
)
def test_shorthand_and_request_tails(text: str, want: str) -> None:
    assert parse(text).action == want


@pytest.mark.parametrize(
    ("text", "kw", "prompt"),
    [
        ("make it foggy 🥰🥰", {"reply": True}, "foggy"),
        ("a fox in the snow :)", {}, "a fox in the snow"),
        ("rain on a tin roof, with sound 🔉", {}, "rain on a tin roof"),
        ("a cat in a hat 🎩", {}, "a cat in a hat 🎩"),  # an emoji of a thing stays
        ("a dog and a 🐈", {}, "a dog and a 🐈"),
        ("a dragon 😍 10s", {}, "a dragon"),  # a mood emoji closing the prompt goes wherever it stood
    ],
)
def test_mood_emoji_close_no_prompt(text: str, kw: dict[str, Any], prompt: str) -> None:
    assert parse(text, **kw).prompt == prompt
    assert parse("😍").prompt == "😍"  # emoji alone are what there is to make


def test_a_card_says_something_after_its_time() -> None:
    got = _d("a surfer on a big wave | 6 sec | 1:1 | 720p")
    assert (got["action"], got["prompt"], got["seconds"], got["aspect"], got["resolution"]) == (
        "create",
        "a surfer on a big wave",
        6,
        "1:1",
        "720p",
    )


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "a paper boat in a gutter, only one version not 2",
            {"prompt": "a paper boat in a gutter", "variations": 1},
        ),
        (
            "a red kite over a field, not 10 seconds, make it 6",
            {"prompt": "a red kite over a field", "seconds": 6},
        ),
        ("a comet, 12s, change it to 7", {"prompt": "a comet", "seconds": 7}),
    ],
)
def test_corrections_in_words(text: str, want: dict[str, Any]) -> None:
    got = _d(text)
    assert {k: got[k] for k in want} == want


def test_chinese_trim_with_the_verb_between_the_marks() -> None:
    got = _d("从第1秒截到第4秒", reply=True)
    assert (got["action"], got["trim_start"], got["trim_end"]) == ("recut", 1, 4)
    assert _d("從第3秒剪到第7秒就行", reply=True)["prompt"] == ""


def test_a_bare_count_opening_the_message_measures_its_noun() -> None:
    assert parse("一个 astronaut 在月球上跳舞").prompt == "一个 astronaut 在月球上跳舞"
    assert parse("一只熊猫，来两个").variations == 2  # a count standing alone still counts the clips


@pytest.mark.parametrize(
    ("text", "cards", "seconds"),
    [
        ("storyboard pls: first a kettle on a stove, then steam rises, finally it whistles", 3, 15),
        ("分镜：先是一颗种子，接着发芽，最后开花", 3, 15),
        ("分镜 12秒：清晨的街道、中午的市场、夜晚的灯笼", 3, 12),
        ("storyboard, 4 shots: a door, a hallway, a window, a garden", 4, 20),
        ("storyboard: 0s - a match, 2s - it lights, 4s - a candle; vertical", 3, 9),
    ],
)
def test_storyboards_told_in_order_or_listed(text: str, cards: int, seconds: int) -> None:
    got = _d(text)
    assert got["action"] == "storyboard" and len(got["cards"]) == cards and got["seconds"] == seconds
    ats = [c["at"] for c in got["cards"]]
    assert ats == sorted(ats) and len(set(ats)) == len(ats)


def test_untimed_cards_share_the_length_asked() -> None:
    got = _d("分镜 12秒：清晨的街道、中午的市场、夜晚的灯笼")
    assert [c["at"] for c in got["cards"]] == [0, 4, 8]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("我仲有幾多點數", {"action": "balance"}),
        ("取消咗佢啦", {"action": "cancel"}),
        ("唔好有聲，一條河流過山谷", {"action": "create", "audio": False, "prompt": "一條河流過山谷"}),
        ("唔該幫我整條片：維港夜景，八秒", {"action": "create", "prompt": "維港夜景", "seconds": 8}),
    ],
)
def test_cantonese_reads_as_its_mandarin_twin(text: str, want: dict[str, Any]) -> None:
    got = _d(text)
    assert {k: got[k] for k in want} == want


def test_chinese_closing_words_leave_the_prompt() -> None:
    assert parse("一只猫在屋顶上 发一下").prompt == "一只猫在屋顶上"
    assert parse("一个没有声音的世界").audio is True  # a scene's silence is not a mute
