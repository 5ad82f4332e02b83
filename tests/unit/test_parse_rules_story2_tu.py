"""bot.parse: storyboard and question rules written after blind sets T and U (own phrasings, in no corpus)."""

from __future__ import annotations

import pytest

from bot.parse import parse
from bot.request import Card


def _cards(text: str) -> list[tuple[float, str]]:
    req = parse(text)
    assert req.action == "storyboard"
    return [(c.at, c.prompt) for c in req.cards]


def test_bare_marks_with_a_colon_are_cards():
    assert _cards("at 0: a ferry leaves port. at 3: gulls circle. at 7: the island appears") == [
        (0.0, "a ferry leaves port"),
        (3.0, "gulls circle"),
        (7.0, "the island appears"),
    ]


def test_a_time_then_an_equals_sign_opens_a_card():
    assert _cards("storyboard please: 0s = the oven opens, 3s = steam rises, 6s = the bread is sliced") == [
        (0.0, "the oven opens"),
        (3.0, "steam rises"),
        (6.0, "the bread is sliced"),
    ]


def test_a_card_ending_in_and_letters_keeps_its_word():
    assert _cards("at 0s a crab walks, at 3s it digs into the sand")[-1] == (3.0, "it digs into the sand")


def test_first_n_seconds_is_the_range_from_zero():
    assert _cards("first 4 seconds a diver stands still, then at 4s she jumps, at 8s she hits the water") == [
        (0.0, "a diver stands still"),
        (4.0, "she jumps"),
        (8.0, "she hits the water"),
    ]


def test_the_keyword_before_a_dash_lead():
    req = parse("10 second storyboard — 0-3s a candle is lit, 3-6s the flame flickers, 6-10s it goes out")
    assert req.action == "storyboard"
    assert req.cards == [
        Card(at=0.0, prompt="a candle is lit"),
        Card(at=3.0, prompt="the flame flickers"),
        Card(at=6.0, prompt="it goes out"),
    ]
    assert req.seconds == 10


@pytest.mark.parametrize(
    "text",
    [
        "0秒：小猫醒来；4秒：伸懒腰；8秒：跳下床，这样分三段可以吗？",
        "storyboard: 0s a kettle heats, 4s it whistles, 8s tea is poured - does that work?",
    ],
)
def test_a_closing_question_about_the_cards_is_no_card_text(text):
    last = parse(text).cards[-1].prompt
    assert last in ("跳下床", "tea is poured")


@pytest.mark.parametrize(
    "text",
    [
        "could it make a video from my selfie?",
        "does the bot do voiceover?",
        "can you make clips with music or only silent ones?",
        "可以用我的照片生成视频吗",
        "能加字幕吗？还是只有画面",
    ],
)
def test_a_capability_question_is_help(text):
    assert parse(text).action == "help"


def test_a_capability_question_with_the_photo_attached_is_a_clip():
    assert parse("can you make a clip from my photo?", images=1).action != "help"


def test_a_scene_with_music_is_still_a_clip():
    assert parse("can you make a clip of a street band with music").action == "create"


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("功能清单", "help"),
        ("本周热门作品排行榜", "feed"),
        ("most liked videos this week", "feed"),
        ("leaderboard", "feed"),
        ("没用完的额度会累计到下个月吗", "plans"),
        ("有团购价吗", "plans"),
    ],
)
def test_short_asks_for_lists_rankings_and_plan_rules(text, action):
    assert parse(text).action == action


def test_a_cancel_with_its_reason_after_a_dash():
    assert (
        parse("stop the render I sent just now — the match got called off so the clip's useless").action
        == "cancel"
    )


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("haha dope video. btw how many credits do i have now", "balance"),
        ("looks great! how much is pro?", "plans"),
        ("好靓啊！我仲有几多积分", "balance"),
    ],
)
def test_praise_of_the_clip_beside_a_question_on_a_reply(text, action):
    assert parse(text, reply=True).action == action


def test_a_kind_of_loop_said_of_the_replied_clip_loops_it():
    req = parse("could you make it a boomerang style loop", reply=True)
    assert req.action == "loop"
    assert req.loop is True


def test_a_loop_the_scene_does_stays_in_the_prompt():
    req = parse("the stunt plane does a smoke trail loop", reply=True)
    assert req.loop is not True


def test_a_label_heading_the_message_is_no_scene():
    assert parse("Admin notice: can you tell folks how to extend a video?").action == "help"


def test_a_label_before_a_scene_leaves_a_clip():
    assert parse("note: a heron standing in fog").action == "create"
