"""bot.parse: what stays in the prompt, the rules written after blind sets T and U: 'gimme' as a make verb,
Japanese cheers opening a request, 'do' before a noun phrase that takes 'of', 用 before a video noun a cut
left, Cantonese 整片畀我 frames, a label before a 'Prompt:' key, a refused length as the cut subject of 'is too
long', a length drafted in another language then corrected, Chinese sound requests and hurry or patience
clauses before the scene, 'tks'. Each kind in phrasings none of the sets holds."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import parse


def _check(text: str, want: dict[str, Any]) -> None:
    got = parse(text).to_storage()
    assert {k: got[k] for k in want} == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("gimme a vid of a heron landing on a frozen pond", {"prompt": "a heron landing on a frozen pond"}),
        (
            "gimme an 8 second vertical clip of a barista pouring latte art",
            {"prompt": "a barista pouring latte art", "seconds": 8, "aspect": "9:16"},
        ),
        ("yabai!! can I get a video of a fox in a snowy temple", {"prompt": "a fox in a snowy temple"}),
        (
            "could you do pixel art versions of a knight fighting a dragon",
            {"prompt": "pixel art versions of a knight fighting a dragon"},
        ),
        ("用720p拍一段豎屏影片：貓咪喺窗邊曬太陽", {"prompt": "貓咪喺窗邊曬太陽", "aspect": "9:16"}),
        ("整段片俾我：夜晚嘅海港", {"prompt": "夜晚嘅海港"}),
        (
            "Staff check: 4s, 720p, fast. Prompt: a paper boat drifting down a gutter",
            {"prompt": "a paper boat drifting down a gutter", "seconds": 4},
        ),
        (
            "15 seconds is way too long for the reel, make it 6: a kettle coming to the boil",
            {"prompt": "a kettle coming to the boil", "seconds": 6},
        ),
        (
            "a lighthouse in a storm, 8 secondes... oops, 8 seconds",
            {"prompt": "a lighthouse in a storm", "seconds": 8},
        ),
        (
            "a hawker frying noodles, 6 detik eh 6 seconds",
            {"prompt": "a hawker frying noodles", "seconds": 6},
        ),
        ("要有声音的那种：瀑布从悬崖落下", {"prompt": "瀑布从悬崖落下", "audio": True}),
        ("早晨嘅茶樓，不用急，我唔趕時間", {"prompt": "早晨嘅茶樓", "mode": "relaxed"}),
        (
            "don't use relaxed mode, I want it fast: a skateboarder grinding a rail",
            {"prompt": "a skateboarder grinding a rail", "mode": "fast"},
        ),
        ("咪用慢速啊，我马上要：落雨嘅巴士站", {"prompt": "落雨嘅巴士站", "mode": "fast"}),
        ("a koi pond in the rain, 720p, 6 seconds, tks", {"prompt": "a koi pond in the rain", "seconds": 6}),
    ],
)
def test_prompt_tu(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("用筷子夾點心的小熊貓", {"prompt": "用筷子夾點心的小熊貓"}),
        (
            "a man who can do impressions of famous actors",
            {"prompt": "a man who can do impressions of famous actors"},
        ),
        ("整條街都掛滿燈籠", {"prompt": "整條街都掛滿燈籠"}),
        (
            "a sign saying no relaxed, a crowd cheering",
            {"prompt": "a sign saying no relaxed, a crowd cheering"},
        ),
        ("a chef tasting soup. prompt: none needed", {"prompt": "a chef tasting soup. prompt: none needed"}),
    ],
)
def test_prompt_tu_stays(text: str, want: dict[str, Any]) -> None:
    _check(text, want)
