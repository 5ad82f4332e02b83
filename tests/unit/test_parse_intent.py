"""bot.parse.intent: the intent of the whole message comes first. A sentence about the bot (credits, plans,
help, a cancel, the feed, the queue) never becomes a paid clip of that sentence without a confirm."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from bot.parse import parse
from bot.request import Request

ROOT = Path(__file__).resolve().parents[2]
CORPORA = [
    ROOT / "tests" / "data" / "parse_corpus.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_b.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_c.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_d.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_e.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_f.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_g.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_h.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_i.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_j.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_l.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_m.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_n.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_o.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_p.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_q.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_r.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_t.jsonl",
    ROOT / "tests" / "data" / "parse_corpus_blind_u.jsonl",
]


def _rows(category: str) -> list[dict[str, Any]]:
    spec = importlib.util.spec_from_file_location("parse_accuracy", ROOT / "scripts" / "parse_accuracy.py")
    assert spec and spec.loader
    acc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(acc)
    rows: list[dict[str, Any]] = []
    for path in CORPORA:
        if path.exists():
            rows += [r for r in acc.load_corpus(path) if r.get("category") == category]
    return rows


def _req(row: dict[str, Any]) -> Request:
    return parse(
        row["text"], images=row.get("images", 0), videos=row.get("videos", 0), reply=row.get("reply", False)
    )


def test_no_about_the_bot_phrasing_starts_a_paid_job() -> None:
    rows = _rows("about_bot")
    assert len(rows) >= 25  # ours, plus the blind corpus's 58 where that file is present
    for row in rows:
        req = _req(row)
        assert not req.is_generative or req.about_bot, (row["text"], req.action)


def test_scenes_with_the_same_words_stay_scenes() -> None:
    rows = _rows("not_about_bot")
    assert rows
    for row in rows:
        req = _req(row)
        assert (req.action, req.about_bot) == ("create", False), row["text"]


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("oops, scrap that one", "cancel"),
        ("不要这个了，帮我停掉", "cancel"),
        ("wait wait stop, wrong prompt 😅", "cancel"),
        ("call it off, I changed my mind", "cancel"),
        ("how much juice do I have left", "balance"),
        ("我的积分还剩几个", "balance"),
        ("专业版一个月要多少钱？", "plans"),
        ("is pro worth it for 1080p?", "plans"),
        ("what does a 10s 720p clip cost", "plans"),
        ("what have others been making lately?", "feed"),
        ("给我看看大家最近做的视频", "feed"),
        ("how do I make a vertical one", "help"),
        ("这个机器人能干嘛", "help"),
    ],
)
def test_questions_in_other_words(text: str, action: str) -> None:
    assert parse(text).action == action


@pytest.mark.parametrize(
    "text",
    [
        "a cat cancels its plans",
        "help! a wave is chasing me",
        "stop motion clay dinosaur",
        "feed the ducks",
        "I'm going to cancel my gym membership",
        "what if cats ruled the world?",
        "a cat, cancel",
        "show me a dragon flying over the sea",
        "how much wood would a woodchuck chuck",
    ],
)
def test_a_scene_beside_a_question_word_is_a_scene(text: str) -> None:
    req = parse(text)
    assert (req.action, req.about_bot) == ("create", False)


def test_questions_without_an_action_are_flagged_not_charged() -> None:
    for text in (
        "where's my video?",
        "why is my clip taking so long",
        "what's in the queue",
        "我的视频好了吗",
    ):
        req = parse(text)
        assert req.action == "create" and req.about_bot, text
    # a reply that asks about the clip is an edit of that sentence unless confirmed
    assert parse("is this done yet?", reply=True).about_bot


def test_other_registry_commands_are_never_scenes() -> None:
    for text in ("/queue", "/grant telegram:666 99999", "/setplan telegram:666 pro", "/link AB12CD"):
        assert parse(text).about_bot, text


def test_the_flag_is_not_part_of_the_contract() -> None:
    req = parse("where's my video?")
    assert "about_bot" not in req.to_dict() and "about_bot" not in req.to_storage()
    assert parse("a red fox in the snow").about_bot is False


@pytest.mark.parametrize(
    ("text", "confirm"),
    [
        ("u still there", True),  # chat with the bot in shorthand: a one-tap confirm before it is a clip
        ("ur slow today", True),
        ("how to train your dragon", False),  # a title, a scene
        ("my secret garden", False),
        ("my cat sleeping on a sofa in the afternoon sun", False),  # long enough to be a scene
        ("/video my cat", False),  # a command says the member meant a clip
    ],
)
def test_very_short_talk_with_the_bot_is_confirmed_before_it_is_paid_for(text: str, confirm: bool) -> None:
    req = parse(text)
    assert req.action == "create" and req.about_bot is confirm


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("chk my creds", "balance"),  # chat shorthand is read as the words it stands for
        ("wat can u do", "help"),
        ("halp how does this bot work", "help"),
        ("whats the diff between plus and pro", "plans"),
        ("how much of my monthly allowance is left?", "balance"),
        ("订阅价格表发一下", "plans"),  # a request tail to the bot asks, as an opening "查询" does
        ("余额查一下", "balance"),
    ],
)
def test_shorthand_and_request_tails_ask_the_bot(text: str, action: str) -> None:
    assert parse(text).action == action


@pytest.mark.parametrize(
    "text",
    [
        "Hello there, I'm a retired nurse and my son set this up. Could you tell me how many credits are left? Thanks!",
        "we run a tiny florist shop and wonder which plan would suit us, is there one with more videos per month?",
        "please cancel my current video, it's the wrong one and I have to go now",
        "我剛剛那個影片的設定不對，請幫我停止目前的生成，謝謝",
        "hi, just curious, where can I find what other people in here have been making? want some ideas",
    ],
)
def test_long_messages_that_ask_the_bot_are_confirmed_first(text: str) -> None:
    # the wide net (bot/parse/safety_net.py): however much else a message says, a clause that asks about the
    # bot's own things, or tells it to stop its work, never starts a paid job without a one-tap confirm
    req = parse(text)
    assert not req.is_generative or req.about_bot, (text, req.action)


@pytest.mark.parametrize(
    "text",
    [
        "how to train your dragon style flight",
        "a pro surfer who sucks at parking",
        "取消了的演唱会，空荡荡的体育场",
    ],
)
def test_scenes_with_bot_words_are_not_stopped_by_the_net(text: str) -> None:
    assert parse(text).about_bot is False
