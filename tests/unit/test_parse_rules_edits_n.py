"""bot.parse: edits of a replied-to clip, the kinds blind sets N, O and P missed: keeping the start of a
clip in more words (頭 for 前, "... will do", 就够了), cutting its start or end in more words, ranges in
words, Cantonese "a little", loops in plain words, and length or loop words about a thing in the scene
(which stay a remix). Each kind with phrasings none of the sets holds."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import parse


def _reply(text: str) -> dict[str, Any]:
    return parse(text, reply=True).to_storage()


def _check(text: str, want: dict[str, Any]) -> None:
    got = _reply(text)
    assert {k: got[k] for k in want} == want, (text, got)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # keep the start: "only" after it, an enough-phrase, a clause of its own, a keep verb
        ("opening 6 seconds only pls", {"trim_start": 0.0, "trim_end": 6.0, "seconds": 6}),
        ("the first two seconds would do", {"trim_start": 0.0, "trim_end": 2.0, "seconds": 2}),
        ("first 5 secs, please", {"trim_start": 0.0, "trim_end": 5.0, "seconds": 5}),
        ("i just need the initial 3 seconds", {"trim_start": 0.0, "trim_end": 3.0}),
        ("send me only the first 4", {"trim_start": 0.0, "trim_end": 4.0}),
        ("淨係留頭六秒", {"trim_start": 0.0, "trim_end": 6.0}),
        ("给我开头的两秒就行", {"trim_start": 0.0, "trim_end": 2.0}),
        ("头四秒足够了，其余的删掉", {"trim_start": 0.0, "trim_end": 4.0}),
        ("只剩前面三秒", {"trim_start": 0.0, "trim_end": 3.0}),
        ("截开头四秒出来", {"trim_start": 0.0, "trim_end": 4.0}),
        ("the first 4 seconds are great, scrap the rest", {"trim_start": 0.0, "trim_end": 4.0}),
        ("i love the opening 3 seconds, so keep those only", {"trim_start": 0.0, "trim_end": 3.0}),
        ("gimme only the first 2 secs", {"trim_start": 0.0, "trim_end": 2.0}),
        ("开头那三秒够晒", {"trim_start": 0.0, "trim_end": 3.0}),
        ("前面两秒留住就好", {"trim_start": 0.0, "trim_end": 2.0}),
        # keep the end
        ("last 3 seconds will do", {"trim_start": -3.0}),
        ("the opening second alone", {"trim_start": 0.0, "trim_end": 1.0}),
        ("淨係要最尾四秒", {"trim_start": -4.0}),
    ],
)
def test_keeping_the_start_or_end(text: str, want: dict[str, Any]) -> None:
    _check(text, {"action": "recut", **want})


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("ditch the opening 2 secs", {"trim_start": 2.0}),
        ("could you shave 3 seconds off the beginning", {"trim_start": 3.0}),
        ("get rid of the very first second", {"trim_start": 1.0}),
        ("begin it 1.5 seconds in", {"trim_start": 1.5}),
        ("把开始嘅两秒拿走", {"trim_start": 2.0}),
        ("头三秒唔要", {"trim_start": 3.0}),
        ("the opening 2 seconds should be cut", {"trim_start": 2.0}),
        ("the last second has to go", {"trim_end": -1.0}),
        ("snip 2 seconds off the end", {"trim_end": -2.0}),
        ("finish it 3 seconds sooner", {"trim_end": -3.0}),
        ("最尾嗰两秒剪走", {"trim_end": -2.0}),
        ("stop it after 6 seconds", {"trim_end": 6.0}),
        ("keep everything until the 7 second mark", {"trim_end": 7.0}),
    ],
)
def test_cutting_the_start_or_end(text: str, want: dict[str, Any]) -> None:
    _check(text, {"action": "recut", **want})


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("just the section from the 3rd second to the 7th second", {"trim_start": 3.0, "trim_end": 7.0}),
        ("second 2 until second 6 please", {"trim_start": 2.0, "trim_end": 6.0}),
        ("由第二秒起，一直到第五秒", {"trim_start": 2.0, "trim_end": 5.0}),
        ("从四秒开始去到九秒", {"trim_start": 4.0, "trim_end": 9.0}),
    ],
)
def test_ranges_in_words(text: str, want: dict[str, Any]) -> None:
    _check(text, {"action": "recut", **want})


@pytest.mark.parametrize("text", ["could the clip be a little longer", "the video should be a bit longer"])
def test_the_clip_itself_longer(text: str) -> None:
    _check(text, {"action": "recut", "extend": True})


@pytest.mark.parametrize("text", ["可唔可以長少少", "再耐啲", "视频再长一丢丢", "再拉长少少"])
def test_a_little_longer_in_cantonese(text: str) -> None:
    _check(text, {"action": "recut", "extend": True})


@pytest.mark.parametrize(
    "text",
    [
        "same clip but looping, it's for a lobby screen",
        "could it be loopable?",
        "有冇得整個loop版本",
        "整成loop嘅效果",
        "make the end run straight back into the beginning",
        "the start and the end should line up",
        "can the final frame match the first frame",
        "it should end where it began",
        "结尾要自然地接回开头",
        "头尾驳埋佢",
        "play it on repeat",
        "can it restart by itself once it gets to the end",
        "would it repeat itself smoothly",
        "片尾同开头接得上吗",
        "可唔可以不停咁播",
    ],
)
def test_loops_in_plain_words(text: str) -> None:
    _check(text, {"action": "loop", "loop": True})


@pytest.mark.parametrize(
    "text",
    [
        "make her dress longer",
        "the road should be a bit longer",
        "give the dog longer ears",
        "longer curtains please",
        "trim the beard",
        "把桥弄长一点",
        "将佢嘅头发剪短少少",
        "make the jet do a loop",
        "the kite loops through the clouds",
        "a loop of ribbon on the gift",
        "loop the drone around the lighthouse",
    ],
)
def test_length_and_loop_words_about_a_thing_stay_a_remix(text: str) -> None:
    got = _reply(text)
    assert (got["action"], got["extend"], got["loop"]) == ("remix", False, False), (text, got)


def test_a_refused_loop_still_holds() -> None:
    _check("no looping this time, just make it night", {"action": "remix", "loop": False})
