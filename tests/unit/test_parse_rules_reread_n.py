"""bot.parse: what the property "parsing the prompt again keeps it" found: a video noun and its link word are
whole words; the settings are read again once a cut leaves a word standing alone (a parameter glued to a word,
a word repeated next to a cut one), a separator dangling at the edge or doubled, or the request wording
that opens the message or the words that close it gone (the prompt shows them so); a flag glued to a cut
word; a key's value in letters that Chinese follows. Each with phrasings of our own."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import ParseError, parse

_DEFAULTS = {"seconds": 5, "resolution": "480p", "aspect": "16:9", "mode": "fast", "audio": True}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a video noun run into a longer word is no request wording
        ("a video office party", {"prompt": "a video office party"}),
        ("make a gifted kid dance", {"prompt": "a gifted kid dance"}),
        ("a clip offering flowers", {"prompt": "a clip offering flowers"}),
        ("a reel withering in the sun", {"prompt": "a reel withering in the sun"}),
        # a parameter glued to another: once one is cut, the other stands alone
        ("a fox in snow 9:16hd", {"prompt": "a fox in snow", "aspect": "9:16", "resolution": "720p"}),
        ("1080p9:16 a robot dancing", {"prompt": "a robot dancing", "aspect": "9:16", "resolution": "1080p"}),
        # a separator left at the edge, or doubled, is no word of the scene
        ("a lighthouse at night, mute -", {"prompt": "a lighthouse at night", "audio": False}),
        ("a lighthouse at night 10s -", {"prompt": "a lighthouse at night", "seconds": 10}),
        ("a windmill at dusk, square /", {"prompt": "a windmill at dusk", "aspect": "1:1"}),
        ("a windmill at dusk, in 720p &", {"prompt": "a windmill at dusk", "resolution": "720p"}),
        ("a koi pond;: no rush", {"prompt": "a koi pond", "mode": "relaxed"}),
        ("a koi pond,: relaxed mode", {"prompt": "a koi pond", "mode": "relaxed"}),
        # a flag glued to a cut word; a key's value in letters ends where Chinese starts
        ("a heron fishing 8s--no blur", {"prompt": "a heron fishing", "seconds": 8, "negative": "blur"}),
        ("一只熊猫吃竹子 audio=off竖屏", {"prompt": "一只熊猫吃竹子", "audio": False, "aspect": "9:16"}),
        # closing words: the clause before them ends the message
        ("a heron fishing, awesome thx", {"prompt": "a heron fishing"}),
        # request wording before a setting: the setting is a clause of its own
        ("hey, show us: a bear fishing", {"prompt": "a bear fishing"}),
        ("ok so make me a video, a cat, asap", {"prompt": "a cat", "mode": "fast"}),
    ],
)
def test_settings_read_as_the_prompt_shows_them(text: str, want: dict[str, Any]) -> None:
    got = parse(text).to_dict()
    assert {k: got[k] for k in want} == want, (text, got)
    again = parse(got["prompt"]).to_dict()
    assert again["prompt"] == got["prompt"] and {k: again[k] for k in _DEFAULTS} == _DEFAULTS, again


@pytest.mark.parametrize("text", ["make a video asap", "lol make a clip asap", "render a clip pls, asap -"])
def test_request_wording_and_a_setting_alone_is_no_scene(text: str) -> None:
    with pytest.raises(ParseError) as err:
        parse(text)
    assert err.value.code == "empty"
