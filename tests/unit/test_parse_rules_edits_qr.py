"""bot.parse: edits written after blind sets Q and R: a named start or end of the clip ("the intro", "the
outro", 片头) cut, with its length in the clause beside it ("the first second", "it's 2 seconds of black").
Phrasings none of the sets holds."""

from __future__ import annotations

import pytest

from bot.parse import parse


@pytest.mark.parametrize(
    ("text", "trim_start", "trim_end"),
    [
        ("drop the opening, the first 2 seconds are just noise", 2.0, None),
        ("lose the intro - it's about 3 seconds of nothing", 3.0, None),
        ("the first second is a black frame, please cut the intro", 1.0, None),
        ("the first 2 seconds are blurry so just trim them", 2.0, None),
        ("get rid of the outro, the last 4 seconds are only a logo", None, -4.0),
        ("chop off the ending, last second is glitchy", None, -1.0),
        ("the opening is 3 seconds of a test card, remove it", 3.0, None),
        ("the outro is just static for a second, can you drop it", None, -1.0),
        ("could you take out the shaky opening (the first 3 seconds)?", 3.0, None),
        ("把开头删掉，头两秒都是黑的", 2.0, None),
        ("片尾剪掉吧，最后三秒是字幕", None, -3.0),
        ("第一秒全是黑屏，把片头剪了", 1.0, None),
    ],
)
def test_named_part_with_its_length(text: str, trim_start: float | None, trim_end: float | None) -> None:
    r = parse(text, reply=True)
    assert (r.action, r.trim_start, r.trim_end) == ("recut", trim_start, trim_end)


@pytest.mark.parametrize(
    "text",
    [
        "cut the intro, 10 seconds total",  # the whole clip's length, not the intro's
        "make the opening scene brighter, the first 2 seconds are too dark",
    ],
)
def test_no_named_trim(text: str) -> None:
    assert parse(text, reply=True).trim_start is None
