"""bot.parse: question rules written after blind sets Q and R (own phrasings, in no corpus)."""

from __future__ import annotations

import pytest

from bot.parse import parse


@pytest.mark.parametrize(
    "text",
    [
        "how many credits is a 10s 720p vid",
        "how many credits does a 1080p clip take",
        "1080p要多少积分啊，好贵吗",
        "一个十秒的视频要多少积分",
    ],
)
def test_a_wallet_question_naming_a_clips_settings_asks_its_price(text):
    assert parse(text).action == "plans"


@pytest.mark.parametrize(
    "text",
    ["how many credits do i have", "how many credits do I have left for a 10s clip", "我还剩多少积分"],
)
def test_what_is_left_is_still_the_balance(text):
    assert parse(text).action == "balance"


@pytest.mark.parametrize(
    "text",
    [
        "Can it make a video of my dog's agility run if I upload a photo? not very techy sorry",
        "could it turn my wedding album into clips if i send the pictures?",
        "如果我发一张图能不能让它动起来",
    ],
)
def test_what_it_can_do_with_what_one_sends_is_a_how_to(text):
    assert parse(text).action == "help"


@pytest.mark.parametrize(
    "text", ["can you make a cat surfing a wave?", "a 10s clip of a dragon counting 720 coins"]
)
def test_requests_stay_clips(text):
    assert parse(text).action == "create"


def test_words_with_the_simplified_xi_are_not_read_as_cantonese_hai():
    from bot.parse.scan import Scan

    assert Scan("没关系").norm == "没关系"
    assert Scan("太阳系的行星").norm == "太阳系的行星"
    assert Scan("佢係我朋友").norm == "它是我朋友"
    assert parse("慢慢来没关系，海边的灯塔").mode == "relaxed"


@pytest.mark.parametrize("text", ["本周精选", "staff picks", "featured clips", "精选作品"])
def test_the_communitys_picks_are_the_feed(text):
    assert parse(text).action == "feed"


def test_a_picked_thing_in_a_scene_stays_a_scene():
    assert parse("一个精选的水果篮").action == "create"
