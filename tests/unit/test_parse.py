"""bot.parse: the corpus accuracy, must-pass cases, errors, import weight and property tests."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from bot.parse import MAX_PROMPT_CHARS, MAX_SEED, PARSE_ERROR_CODES, QUESTION_ACTIONS, ParseError, parse
from bot.request import ACTIONS, ASPECTS, CONTRACT_KEYS, MODES, RESOLUTIONS, VARIATIONS, Request

ROOT = Path(__file__).resolve().parents[2]


def _accuracy_module() -> Any:
    spec = importlib.util.spec_from_file_location("parse_accuracy", ROOT / "scripts" / "parse_accuracy.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# -- the corpus -------------------------------------------------------------------------------------


DATA = ROOT / "tests" / "data"
BLIND = DATA / "parse_corpus_blind.jsonl"
BLIND_B = DATA / "parse_corpus_blind_b.jsonl"
BLIND_C = DATA / "parse_corpus_blind_c.jsonl"
BLIND_D = DATA / "parse_corpus_blind_d.jsonl"
BLIND_E = DATA / "parse_corpus_blind_e.jsonl"
BLIND_F = DATA / "parse_corpus_blind_f.jsonl"
BLIND_G = DATA / "parse_corpus_blind_g.jsonl"
BLIND_H = DATA / "parse_corpus_blind_h.jsonl"
BLIND_I = DATA / "parse_corpus_blind_i.jsonl"
BLIND_J = DATA / "parse_corpus_blind_j.jsonl"
BLIND_L = DATA / "parse_corpus_blind_l.jsonl"
BLIND_M = DATA / "parse_corpus_blind_m.jsonl"
BLIND_N = DATA / "parse_corpus_blind_n.jsonl"
BLIND_O = DATA / "parse_corpus_blind_o.jsonl"
BLIND_P = DATA / "parse_corpus_blind_p.jsonl"
BLIND_Q = DATA / "parse_corpus_blind_q.jsonl"
BLIND_R = DATA / "parse_corpus_blind_r.jsonl"
BLIND_T = DATA / "parse_corpus_blind_t.jsonl"
BLIND_U = DATA / "parse_corpus_blind_u.jsonl"


@pytest.mark.parametrize(
    ("corpus", "min_rows"),
    [
        (DATA / "parse_corpus.jsonl", 170),
        (BLIND, 200),
        (BLIND_B, 90),
        (BLIND_C, 120),
        (BLIND_D, 150),
        (BLIND_E, 230),
        (BLIND_F, 230),
        (BLIND_G, 240),
        (BLIND_H, 240),
        (BLIND_I, 250),
        (BLIND_J, 250),
        (BLIND_L, 250),
        (BLIND_M, 250),
        (BLIND_N, 250),
        (BLIND_O, 250),
        (BLIND_P, 250),
        (BLIND_Q, 250),
        (BLIND_R, 250),
        (BLIND_T, 250),
        (BLIND_U, 250),
    ],
    ids=[
        "own",
        "blind-a",
        "blind-b",
        "blind-c",
        "blind-d",
        "blind-e",
        "blind-f",
        "blind-g",
        "blind-h",
        "blind-i",
        "blind-j",
        "blind-l",
        "blind-m",
        "blind-n",
        "blind-o",
        "blind-p",
        "blind-q",
        "blind-r",
        "blind-t",
        "blind-u",
    ],
)
def test_corpus_accuracy_at_least_95_percent(corpus: Path, min_rows: int) -> None:
    """Our corpus and the blind sets we tuned on (held-out sets K, S, V, W, X are measured in docs/PARSER.md, not
    here)."""
    if not corpus.exists():
        pytest.skip(f"no {corpus.name} in this checkout")
    acc = _accuracy_module()
    rows = acc.load_corpus(corpus)
    assert len(rows) >= min_rows
    failures = [(row["text"], bad) for row in rows if (bad := acc.mismatches(row))]
    accuracy = 1 - len(failures) / len(rows)
    assert accuracy >= 0.95, f"accuracy {accuracy:.1%}; failures: {failures[:20]}"


def test_corpus_rows_are_well_formed() -> None:
    allowed = set(CONTRACT_KEYS) | {"trim_start", "trim_end", "extend", "strength", "about_bot"}
    rows = _accuracy_module().load_corpus()
    for extra in (
        BLIND,
        BLIND_B,
        BLIND_C,
        BLIND_D,
        BLIND_E,
        BLIND_F,
        BLIND_G,
        BLIND_H,
        BLIND_I,
        BLIND_J,
        BLIND_L,
    ):
        if extra.exists():
            rows += _accuracy_module().load_corpus(extra)
    for row in rows:
        assert {"text", "images", "videos", "reply", "expect"} <= row.keys()
        assert "action" in row["expect"] and row["expect"]["action"] in ACTIONS
        assert set(row["expect"]) <= allowed, row


# -- must-pass cases --------------------------------------------------------------------------------


def _p(text: str, **kw: Any) -> Request:
    return parse(text, **kw)


@pytest.mark.parametrize(
    ("text", "kw", "want"),
    [
        # shared/DESIGN.md and the slash-command example
        (
            "/video a cat 10s 720p 9:16",
            {},
            {"action": "create", "prompt": "a cat", "seconds": 10, "resolution": "720p", "aspect": "9:16"},
        ),
        ("a cat --seed 42", {}, {"prompt": "a cat", "seed": 42}),
        ("a cat --ar 9:16", {}, {"prompt": "a cat", "aspect": "9:16"}),
        ("a cat --no text", {}, {"prompt": "a cat", "negative": "text"}),
        ("a cat --no text, watermark", {}, {"prompt": "a cat", "negative": "text, watermark"}),
        ("一只猫在跳舞 十秒", {}, {"prompt": "一只猫在跳舞", "seconds": 10}),
        ("一只猫 二十秒", {}, {"prompt": "一只猫", "seconds": 20}),
        ("一只猫 五秒", {}, {"prompt": "一只猫", "seconds": 5}),
        ("一只狗 十五秒钟", {}, {"prompt": "一只狗", "seconds": 15}),
        ("兩隻狗 兩秒", {}, {"prompt": "兩隻狗", "seconds": 2}),
        ("一只猫 竖屏", {}, {"prompt": "一只猫", "aspect": "9:16"}),
        ("一隻貓 直式", {}, {"prompt": "一隻貓", "aspect": "9:16"}),
        ("一隻貓 豎屏 橫屏", {}, {"aspect": "16:9"}),  # the last word wins
        ("台北101", {}, {"prompt": "台北101", "seconds": 5}),
        ("3 cats", {}, {"prompt": "3 cats", "seconds": 5, "variations": 1}),
        ("1980s", {}, {"prompt": "1980s", "seconds": 5}),
        ("hd footage of a tram", {}, {"resolution": "720p"}),
        ("a tram in full hd", {}, {"prompt": "a tram", "resolution": "1080p"}),
        ("a tram, 超清", {}, {"prompt": "a tram", "resolution": "1080p"}),
        ("a tram, 高清", {}, {"prompt": "a tram", "resolution": "720p"}),
        ("a tram --res 720p", {}, {"prompt": "a tram", "resolution": "720p"}),
        ("a tram, 4 variations", {}, {"prompt": "a tram", "variations": 4}),
        ("a tram, 2 versions", {}, {"prompt": "a tram", "variations": 2}),
        ("a tram x4", {}, {"prompt": "a tram", "variations": 4}),
        ("电车 四个版本", {}, {"prompt": "电车", "variations": 4}),
        ("電車 兩個版本", {}, {"prompt": "電車", "variations": 2}),
        ("a tram --relax", {}, {"prompt": "a tram", "mode": "relaxed"}),
        ("a tram, relax mode", {}, {"prompt": "a tram", "mode": "relaxed"}),
        ("电车 慢速", {}, {"prompt": "电车", "mode": "relaxed"}),
        ("a tram seed 42", {}, {"prompt": "a tram", "seed": 42}),
        ("电车 种子42", {}, {"prompt": "电车", "seed": 42}),
        ("a tram, seamless loop", {}, {"action": "create", "prompt": "a tram", "loop": True}),
        ("电车 循環", {}, {"action": "create", "prompt": "电车", "loop": True}),
        ("a tram, square", {}, {"aspect": "1:1"}),
        ("a tram, landscape", {}, {"aspect": "16:9"}),
        ("电车 正方形", {}, {"aspect": "1:1"}),
        ("a tram --duration 12", {}, {"seconds": 12}),
        ("a tram, 10 sec", {}, {"prompt": "a tram", "seconds": 10}),
        ("a 10-second clip of a tram", {}, {"prompt": "a tram", "seconds": 10}),
        ("１０秒 电车 ９：１６", {}, {"prompt": "电车", "seconds": 10, "aspect": "9:16"}),
        ("a tram：10s", {}, {"prompt": "a tram", "seconds": 10}),
        (
            "storyboard: 0s a cat wakes; 5s it jumps; 10s it sleeps",
            {},
            {
                "action": "storyboard",
                "seconds": 15,
                "cards": [
                    {"at": 0, "prompt": "a cat wakes"},
                    {"at": 5, "prompt": "it jumps"},
                    {"at": 10, "prompt": "it sleeps"},
                ],
            },
        ),
        ("故事板：0秒 猫醒来；5秒 猫跳起", {}, {"action": "storyboard", "seconds": 10}),
        (
            "分鏡：0秒 貓醒來；5秒 貓跳起",
            {},
            {"action": "storyboard", "cards": [{"at": 0, "prompt": "貓醒來"}, {"at": 5, "prompt": "貓跳起"}]},
        ),
        # context decides the action
        ("waves", {"images": 1}, {"action": "animate", "prompt": "waves"}),
        ("", {"videos": 2}, {"action": "blend"}),
        ("make it a loop", {"reply": True}, {"action": "loop", "loop": True, "prompt": ""}),
        ("循环", {"reply": True}, {"action": "loop"}),
        ("trim to 2-4s", {"reply": True}, {"action": "recut", "seconds": 2}),
        ("make it snowy", {"reply": True}, {"action": "remix", "prompt": "snowy"}),  # the edit wording goes
        ("make it snowy", {"videos": 1}, {"action": "remix"}),
        ("延长", {"reply": True}, {"action": "recut"}),
        # questions, and prompts that only look like them
        ("balance", {}, {"action": "balance", "prompt": ""}),
        ("我还有多少点数", {}, {"action": "balance"}),
        ("餘額", {}, {"action": "balance"}),
        ("price list", {}, {"action": "plans"}),
        ("how do I use this", {}, {"action": "help"}),
        ("stop my job", {}, {"action": "cancel"}),
        ("最新视频", {}, {"action": "feed"}),
        ("a cat cancels its plans", {}, {"action": "create", "prompt": "a cat cancels its plans"}),
        # numbers that belong to the prompt
        ("2 dogs playing for 10 minutes", {}, {"prompt": "2 dogs playing for 10 minutes", "seconds": 5}),
        (
            "a 5-star hotel, year 2049, Route 66, a boy aged 10",
            {},
            {"prompt": "a 5-star hotel, year 2049, Route 66, a boy aged 10", "seconds": 5},
        ),
    ],
)
def test_must_pass(text: str, kw: dict[str, Any], want: dict[str, Any]) -> None:
    got = _p(text, **kw).to_dict()
    assert {k: got[k] for k in want} == want


def test_recut_details() -> None:
    r = _p("trim to 2-4s", reply=True)
    assert (r.trim_start, r.trim_end, r.extend) == (2.0, 4.0, False)
    r = _p("cut first 2 seconds", reply=True)
    assert (r.action, r.trim_start, r.trim_end) == ("recut", 2.0, None)
    r = _p("cut the last 3 seconds", reply=True)
    assert (r.action, r.trim_end) == ("recut", -3.0)  # negative: from the clip's end
    r = _p("extend by 3s", reply=True)
    assert (r.action, r.extend, r.seconds) == ("recut", True, 3)
    r = _p("extend to 12s", reply=True)
    assert (r.action, r.extend, r.trim_end) == ("recut", True, 12.0)


def test_prompt_keeps_user_characters_case_and_emoji() -> None:
    assert _p("一隻貓 在屋頂上 十秒").prompt == "一隻貓 在屋頂上"
    assert _p("A Cat In A Hat 🎩✨ 10s").prompt == "A Cat In A Hat 🎩✨"
    assert _p("ＡＩ robot 10s").prompt == "ＡＩ robot"
    assert _p("a family 👨\u200d👩\u200d👧 at the beach").prompt == "a family 👨\u200d👩\u200d👧 at the beach"


def test_prompt_cleaning() -> None:
    assert _p("a cat, , 10s").prompt == "a cat"
    assert _p("  a   cat\t\tdancing \n on ice  ").prompt == "a cat dancing on ice"
    assert _p("a cat (10s, 720p)").prompt == "a cat"
    assert _p("a\x00 cat\x07 on a\u200b roof\x1b").prompt == "a cat on a roof"


def test_mentions_and_bot_names() -> None:
    assert _p("<@123456> a cat 5s").prompt == "a cat"
    assert _p("<@!123456> balance").action == "balance"
    assert _p("@ReelBot a cat", bot_names=["ReelBot"]).prompt == "a cat"
    assert _p("@MyVideoBot a cat").prompt == "a cat"  # Telegram bot names end in "bot"
    assert _p("@alice a cat").prompt == "@alice a cat"  # a person stays part of the prompt
    assert _p("/video@ReelBot a cat").prompt == "a cat"


def test_unknown_flags_are_cut_and_reported() -> None:
    r = _p("a cat --foo bar")
    assert (r.prompt, r.ignored) == ("a cat", ["--foo bar"])
    r = _p("a city --v 6 --style raw --ar 9:16")
    assert (r.prompt, r.aspect, r.ignored) == ("a city", "9:16", ["--v 6", "--style raw"])
    r = _p("a cat --weird walking in the rain")  # not a value: the prompt words stay
    assert (r.prompt, r.ignored) == ("a cat walking in the rain", ["--weird"])
    assert "ignored" not in r.to_dict() and "ignored" not in r.to_storage()


def test_flags_beat_words_and_the_last_word_wins() -> None:
    assert _p("a cat --seconds 8 10s").seconds == 8
    assert _p("a cat 10s 5s").seconds == 5
    assert _p("a cat --seed -1").seed is None  # -1 = random


def test_question_words_need_the_question_alone() -> None:
    for text in (
        "a man checking his balance on a tightrope",
        "help! a wave is chasing me",
        "stop motion clay dinosaur",
        "feed the ducks",
        "一个人在取消的航班前哭泣",
    ):
        assert _p(text).action == "create", text


def test_ambiguous_words_stay_in_the_prompt() -> None:
    r = _p("a portrait of a woman in a town square, a relaxed cat, a roller coaster loop")
    assert (r.aspect, r.mode, r.loop) == ("16:9", "fast", False)
    assert _p("一个正方形的盒子").aspect == "16:9"
    assert _p("慢速镜头的水滴").mode == "fast"
    assert _p("血液循环的动画").loop is False
    assert _p("a sign that says no text").negative is None
    assert _p("a 90s video of a skater").seconds == 5  # decade, not a duration


def test_misspelt_parameter_words() -> None:
    r = _p("a fox in snow, 10 secons, verticle")
    assert (r.prompt, r.seconds, r.aspect) == ("a fox in snow", 10, "9:16")
    r = _p("a lake, widescren, 4 varations")
    assert (r.prompt, r.aspect, r.variations) == ("a lake", "16:9", 4)
    # real words one edit away stay as they are, and the cut keeps the user's own letters
    assert _p("the French revolution 1080p").prompt == "the French revolution"
    assert _p("a related scene, 10s").mode == "fast"
    assert _p("5 persons dancing").variations == 1
    assert _p("VERTICLE 10s a FOX").prompt == "a FOX"


def test_ambiguous_words_count_inside_a_run_of_parameters() -> None:
    r = _p("a fox in snow 10s portrait loop")
    assert (r.prompt, r.aspect, r.loop) == ("a fox in snow", "9:16", True)
    r = _p("portrait 10s: a fox")
    assert (r.prompt, r.aspect) == ("a fox", "9:16")
    assert _p("Times Square 10s").prompt == "Times Square"  # a word beside the scene stays
    assert _p("a roller coaster loop 10s").loop is False


def test_sentences_hashtags_and_markdown_bound_clauses() -> None:
    r = _p("A dragon at night. Vertical. 10s. HD.")
    assert (r.prompt, r.aspect, r.seconds, r.resolution) == ("A dragon at night", "9:16", 10, "720p")
    assert (_p("a cat #vertical #10s").prompt, _p("a cat #vertical #10s").aspect) == ("a cat", "9:16")
    assert _p("一只猫 #竖屏 #10秒").prompt == "一只猫"
    assert _p("a cat **vertical** 10s").aspect == "9:16"
    assert _p("a cat #catsofinstagram 10s").prompt == "a cat #catsofinstagram"
    assert _p("a cat. A dog. A bird.").prompt == "a cat. A dog. A bird."


def test_request_wording_and_counts() -> None:
    assert _p("can you make a video of a penguin sliding on ice?").prompt == "a penguin sliding on ice"
    assert _p("what if cats ruled the world?").prompt == "what if cats ruled the world?"
    assert _p("能帮我生成一个10秒的视频吗？内容是一只猫在跳舞").prompt == "一只猫在跳舞"
    assert _p("帮我做个猫猫跳舞的视频").prompt == "猫猫跳舞"
    assert _p("一只龙，来四个").variations == 4
    assert _p("两个人在跳舞").variations == 1
    assert _p("三秒后爆炸的气球").seconds == 5  # "after three seconds" is the scene
    assert _p("the last 5 seconds of a countdown, 10s").prompt == "the last 5 seconds of a countdown"
    assert _p("a dragon 9 by 16").aspect == "9:16"
    assert _p("a 16 by 9 foot rug").prompt == "a 16 by 9 foot rug"


def test_numbered_and_scene_storyboards() -> None:
    r = _p("storyboard:\n1) calm sea\n2) a storm\n3) a rainbow")
    assert [(c.at, c.prompt) for c in r.cards] == [(0.0, "calm sea"), (5.0, "a storm"), (10.0, "a rainbow")]
    r = _p("storyboard: 1. a map 2. a ship")
    assert [c.prompt for c in r.cards] == ["a map", "a ship"]
    r = _p("scene 1: a map; scene 2: a ship")
    assert (r.action, [c.at for c in r.cards]) == ("storyboard", [0.0, 5.0])
    r = _p("分镜：0-5秒 发现地图；5-10秒 出海")
    assert [c.at for c in r.cards] == [0.0, 5.0]
    r = _p("storyboard:\n0) calm\n5) storm")  # not 1, 2, 3...: times
    assert [c.at for c in r.cards] == [0.0, 5.0]


def test_more_question_phrasings() -> None:
    for text, action in (
        ("how many credits", "balance"),
        ("帳戶餘額", "balance"),
        ("is there a free plan", "plans"),
        ("專業版多少錢", "plans"),
        ("how do I use this thing", "help"),
        ("这个机器人怎么用", "help"),
        ("nvm cancel that", "cancel"),
        ("別生成了", "cancel"),
        ("show me the feed", "feed"),
        ("最近大家做了什么", "feed"),
    ):
        assert _p(text).action == action, text
    assert _p("I'm going to cancel my gym membership").action == "create"
    assert _p("no stop sign").action == "create"


# -- errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kw", "code"),
    [
        ("", {}, "empty"),
        ("   \n\t  ", {}, "empty"),
        ("\x00\x01\x02\u200b\ufeff", {}, "empty"),
        ("<@123>", {}, "empty"),
        ("@ReelBot", {"bot_names": ["ReelBot"]}, "empty"),
        ("/video", {}, "empty"),
        ("10s 720p 9:16", {}, "empty"),
        ("make me a video", {}, "empty"),
        ("", {"reply": True}, "empty"),
        ("x" * 10_000, {}, "too_long"),
        ("a cat " * 400, {}, "too_long"),
        ("a cat --seconds -3", {}, "bad_seconds"),
        ("a cat --seconds abc", {}, "bad_seconds"),
        ("a cat --seconds", {}, "bad_seconds"),
        ("a cat 99s", {}, "bad_seconds"),
        ("a cat 0s", {}, "bad_seconds"),
        ("a cat 30 seconds", {}, "bad_seconds"),
        ("a cat 99999999999999999999999s", {}, "bad_seconds"),
        ("a cat --seconds 1" + "0" * 3000, {}, "bad_seconds"),
        ("一只猫 一百秒", {}, "bad_seconds"),
        ("a cat --seed abc", {}, "bad_seed"),
        ("a cat --seed 99999999999999999999", {}, "bad_seed"),
        ("a cat seed -5", {}, "bad_seed"),
        ("a cat, 7 variations", {}, "bad_variations"),
        ("a cat --n 3", {}, "bad_variations"),
        ("一只猫 三个版本", {}, "bad_variations"),
        ("a cat --ar 4:3", {}, "bad_aspect"),
        ("a cat --ar sideways", {}, "bad_aspect"),
        ("a cat, aspect ratio 21:9", {}, "bad_aspect"),
        ("a cat --res 4k", {}, "bad_resolution"),
        ("a cat in 2160p", {}, "bad_resolution"),
        ("a cat --mode warp", {}, "bad_mode"),
        ("a cat --no", {}, "bad_flag_value"),
        ("a cat --strength 3", {}, "bad_flag_value"),
        ("storyboard: 0s a cat; 25s a dog", {}, "bad_seconds"),
        ("storyboard: 0s a cat; 0s a dog", {}, "bad_storyboard"),
        ("storyboard 5s: 0s a cat; 8s a dog", {}, "bad_seconds"),
        ("trim to 4-2s", {"reply": True}, "bad_seconds"),
    ],
)
def test_errors(text: str, kw: dict[str, Any], code: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text, **kw)
    assert info.value.code == code
    assert code in PARSE_ERROR_CODES
    assert info.value.params["detail"]


def test_too_long_says_how_long() -> None:
    with pytest.raises(ParseError) as info:
        parse("a" * 10_000)
    assert info.value.params["limit"] == MAX_PROMPT_CHARS
    assert info.value.params["length"] == 10_000


def test_prompt_at_the_limit_is_fine() -> None:
    text = ("a cat " * 400)[:MAX_PROMPT_CHARS].strip()
    assert len(parse(text + " 10s").prompt) <= MAX_PROMPT_CHARS


def test_attachments_make_empty_text_fine() -> None:
    assert parse("", images=1).action == "animate"
    assert parse("", videos=1).action == "remix"
    assert parse("", videos=1, reply=True).action == "blend"
    assert parse("/loop", reply=True).action == "loop"


# -- import weight ------------------------------------------------------------------------------


def test_import_is_light_and_chinese_libraries_load_only_for_cjk() -> None:
    code = (
        "import sys; import bot.parse as p; heavy = ('torch', 'diffusers', 'discord', 'telegram', 'aiohttp',"
        " 'cn2an', 'opencc', 'numpy', 'pydantic');"
        "print(sorted(m for m in heavy if m in sys.modules));"
        "p.parse('a cat 10s 720p 9:16 --seed 4'); print('cn2an' in sys.modules or 'opencc' in sys.modules);"
        "p.parse('一只猫 十秒'); print('cn2an' in sys.modules, 'opencc' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split("\n")[:3] == ["[]", "False", "True True"]


# -- properties -----------------------------------------------------------------------------------

_TOKENS = [
    "a",
    "cat",
    "dog",
    "Cat",
    "10s",
    "5 sec",
    "99s",
    "0s",
    "1980s",
    "80s",
    "3",
    "cats",
    "十秒",
    "二十秒",
    "兩秒",
    "竖屏",
    "直式",
    "9:16",
    "16:9",
    "1:1",
    "4:3",
    "--ar",
    "--seed",
    "42",
    "-1",
    "--no",
    "text",
    "--foo",
    "bar",
    "--relax",
    "--n",
    "4",
    "x4",
    "2 versions",
    "loop",
    "looping",
    "循环",
    "help",
    "balance",
    "cancel",
    "feed",
    "plans",
    "storyboard:",
    "故事板",
    ";",
    "；",
    ",",
    "，",
    "。",
    ".",
    "!",
    "?",
    "720p",
    "1080p",
    "hd",
    "full hd",
    "高清",
    "vertical",
    "portrait",
    "square",
    "relaxed",
    "mode",
    "seed",
    "in",
    "for",
    "of",
    "and",
    "the",
    "make",
    "a video of",
    "please",
    "的",
    "视频",
    "一只",
    "台北101",
    "🐱",
    "✨",
    "👨\u200d👩\u200d👧",
    "\n",
    "\t",
    "\x00",
    "\u200b",
    "(",
    ")",
    "**",
    "-",
    "—",
    "trim",
    "to",
    "2-4s",
    "extend",
    "longer",
    "cut",
    "first",
    "last",
    "seconds",
    "@ReelBot",
    "<@123>",
    "/video",
    "/loop",
    "/help",
    "prompt:",
    "negative:",
    "１０秒",
    "９：１６",
    "ＡＩ",
    "ｘ",
    "種子",
    "版本",
    "个",
    "五",
    "秒",
    "分钟",
]
_texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(_TOKENS), max_size=14).map(" ".join),
    st.lists(st.sampled_from(_TOKENS), max_size=14).map("".join),
)
_context = st.fixed_dictionaries(
    {
        "images": st.integers(0, 2),
        "videos": st.integers(0, 3),
        "reply": st.booleans(),
    }
)
# derandomize: CI sees the same 300 texts each run (a hunt with fresh seeds found the parser's rare re-read
# bugs; docs/PARSER.md says how to run one: REELBOT_HUNT=1 draws new texts every run)
_PROPS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=not os.environ.get("REELBOT_HUNT"),
)


def _parse_or_none(text: str, **kw: Any) -> Request | None:
    try:
        return parse(text, **kw)
    except ParseError as exc:
        assert exc.code in PARSE_ERROR_CODES
        return None


@_PROPS
@given(text=_texts, ctx=_context)
@example(text="OF A VDEOOF0", ctx={"images": 0, "videos": 0, "reply": False})
@example(text="1S:NO9:16HD:0", ctx={"images": 0, "videos": 0, "reply": False})
def test_property_only_parse_errors_and_valid_fields(text: str, ctx: dict[str, Any]) -> None:
    req = _parse_or_none(text, bot_names=["ReelBot"], **ctx)
    if req is None:
        return
    d = req.to_dict()
    assert tuple(d) == CONTRACT_KEYS
    assert d["action"] in ACTIONS
    assert 1 <= d["seconds"] <= 20 and isinstance(d["seconds"], int)
    assert d["resolution"] in RESOLUTIONS and d["aspect"] in ASPECTS and d["mode"] in MODES
    assert d["variations"] in VARIATIONS
    assert d["seed"] is None or (isinstance(d["seed"], int) and 0 <= d["seed"] <= MAX_SEED)
    assert isinstance(d["loop"], bool)
    assert d["negative"] is None or (isinstance(d["negative"], str) and d["negative"].strip())
    assert len(d["prompt"]) <= MAX_PROMPT_CHARS and d["prompt"] == d["prompt"].strip()
    assert not any(ch in d["prompt"] for ch in "\x00\n\t\u200b")
    for card in d["cards"]:
        assert set(card) == {"at", "prompt"} and 0 <= card["at"] < 20 and card["prompt"]
    if d["action"] == "storyboard":
        assert d["cards"] and d["seconds"] > d["cards"][-1]["at"]
    if d["action"] in ("create",):
        assert d["prompt"]
    if d["action"] in QUESTION_ACTIONS:
        assert d["cards"] == []
    json.dumps(d, ensure_ascii=False).encode("utf-8")  # no lone surrogates
    assert Request.from_dict(req.to_storage()).to_dict() == d


_DEFAULT_VALUED = re.compile(
    r"5|five|五|480|sd|标清|標清|16|landscape|widescreen|horizontal|横|橫|wide|1|one|fast|快"
)


def _params(req: Request) -> dict[str, Any]:
    d = req.to_dict()
    d.pop("prompt")
    return d


@_PROPS
@given(text=_texts)
# inputs that once failed: a video noun run into a link word ("VDEOOF" is no "video of"); a parameter glued
# to a word ("NO9:16HD": once 9:16 is cut, "NO HD" stands alone and must be read in the same parse); a
# separator the prompt drops, at the edge or doubled ("sound-", ";:"); a word repeated next to a cut one; the
# request wording that opens the message ("show us asap": the prompt loses "show us") or closes it ("发我");
# a flag glued to a cut word ("5s--audio"); a key's value that Chinese follows ("loop=false无声")
@example(text="OF A VDEOOF0")
@example(text="1S:NO9:16HD:0")
@example(text="w keep sound-")
@example(text="H,IF U DONT MIND-")
@example(text="480P-IF YOU DONT MIND,B")
@example(text="E;:NO PRESSURE")
@example(text="s unmute unmute")
@example(text="show us asap,U")
@example(text="e,awesome发我")
@example(text="d 5s--audio")
@example(text="p循环--audio")
@example(text="清loop=false无声就好")
def test_property_parsing_the_prompt_again_keeps_it(text: str) -> None:
    first = _parse_or_none(text)
    if first is None or first.action != "create":
        return
    second = _parse_or_none(first.prompt)
    if (
        second is not None
        and second.action == "create"
        and not second.ignored
        and _params(second) == _params(Request(prompt="x"))
    ):
        # no parameter words left: the prompt comes back unchanged. (A left-over parameter whose value is
        # the default, like "5s" or "16:9", is invisible in the result; then the prompt must hold one.)
        assert second.prompt == first.prompt or _DEFAULT_VALUED.search(first.prompt.lower()), first.prompt
    else:
        # words that only stand alone once the parameters around them are cut ("循环PORTRAIT" ->
        # "PORTRAIT") read as parameters (or as nothing to make) the second time: the allowed difference
        event("prompt still holds parameter words")
