"""bot.parse: storyboards written after blind sets Q and R: cards of one length said once ("N shots, M seconds
each", 每个M秒), a head that counts its shots before the list, and time marks in brackets after each card's text.
Each kind in phrasings none of the sets holds."""

from __future__ import annotations

import pytest

from bot.parse import parse


def _board(text: str) -> tuple[str, int, list[tuple[float, str]]]:
    r = parse(text)
    return r.action, r.seconds, [(c.at, c.prompt) for c in r.cards]


@pytest.mark.parametrize(
    ("text", "seconds", "cards"),
    [
        (
            "Four shots, 2 seconds each: a match is struck; a fuse burns; sparks fly; the rocket leaves",
            8,
            [
                (0.0, "a match is struck"),
                (2.0, "a fuse burns"),
                (4.0, "sparks fly"),
                (6.0, "the rocket leaves"),
            ],
        ),
        (
            "two scenes of 6 seconds: fog over a lake, a heron lifts off",
            12,
            [(0.0, "fog over a lake"), (6.0, "a heron lifts off")],
        ),
        (
            "three 4-second shots - bread rises, it bakes, it is sliced",
            12,
            [(0.0, "bread rises"), (4.0, "it bakes"), (8.0, "it is sliced")],
        ),
        (
            "storyboard, each one 3 seconds: snow falls; a child runs out; a snowman",
            9,
            [(0.0, "snow falls"), (3.0, "a child runs out"), (6.0, "a snowman")],
        ),
        (
            "each shot 4 seconds long: a tent goes up; a fire is lit; stars come out",
            12,
            [(0.0, "a tent goes up"), (4.0, "a fire is lit"), (8.0, "stars come out")],
        ),
        (
            "Three shots: a train arrives; doors open; a dog jumps off. 3 seconds each",
            9,
            [(0.0, "a train arrives"), (3.0, "doors open"), (6.0, "a dog jumps off")],
        ),
        (
            "我想要三个画面，每个画面四秒：开门、点灯、坐下",
            12,
            [(0.0, "开门"), (4.0, "点灯"), (8.0, "坐下")],
        ),
        ("两段各六秒：海浪、沙滩上的脚印", 12, [(0.0, "海浪"), (6.0, "沙滩上的脚印")]),
        ("分镜 三幕 每幕两秒：发芽、长叶、开花", 6, [(0.0, "发芽"), (2.0, "长叶"), (4.0, "开花")]),
        ("四秒一个镜头：起床、刷牙", 8, [(0.0, "起床"), (4.0, "刷牙")]),
        (
            "Each scene lasts 3 seconds: a bell rings, kids run out, the yard is empty",
            9,
            [(0.0, "a bell rings"), (3.0, "kids run out"), (6.0, "the yard is empty")],
        ),
        (
            "Make a storyboard: 2 shots, 5 seconds each — a key turns, a door swings open",
            10,
            [(0.0, "a key turns"), (5.0, "a door swings open")],
        ),
        ("两个镜头（每个3秒）：点火、起飞", 6, [(0.0, "点火"), (3.0, "起飞")]),
        ("帮我做两个画面，每个画面三秒，分别是日出、日落", 6, [(0.0, "日出"), (3.0, "日落")]),
        (
            "can you do 3 scenes: a kite rises, it loops, it dives",
            15,
            [(0.0, "a kite rises"), (5.0, "it loops"), (10.0, "it dives")],
        ),
    ],
)
def test_cards_of_one_length(text: str, seconds: int, cards: list[tuple[float, str]]) -> None:
    assert _board(text) == ("storyboard", seconds, cards)


@pytest.mark.parametrize(
    ("text", "seconds", "cards"),
    [
        (
            "a lamp flickers (0s), then the power fails (3s), and finally candles are lit (7s)",
            12,
            [(0.0, "a lamp flickers"), (3.0, "the power fails"), (7.0, "candles are lit")],
        ),
        (
            "my plan: coffee is poured (0:00), milk swirls in (0:03), a spoon stirs (0:06)",
            11,
            [(0.0, "coffee is poured"), (3.0, "milk swirls in"), (6.0, "a spoon stirs")],
        ),
        (
            "- a seed is planted (0-3s)\n- it sprouts (3-6s)\n- it flowers (6-9s)",
            9,
            [(0.0, "a seed is planted"), (3.0, "it sprouts"), (6.0, "it flowers")],
        ),
        (
            "首先是小猫睡觉（0秒），接着是它醒来（3秒），最后是它跳下沙发（6秒）",
            11,
            [(0.0, "小猫睡觉"), (3.0, "它醒来"), (6.0, "它跳下沙发")],
        ),
        ("雨停了（0到4秒），彩虹出现（4到8秒）", 8, [(0.0, "雨停了"), (4.0, "彩虹出现")]),
        ("a bus stops (at 0s), a girl gets on (at 3s)", 8, [(0.0, "a bus stops"), (3.0, "a girl gets on")]),
        ("灯亮（第0秒），幕布拉开（第3秒）", 8, [(0.0, "灯亮"), (3.0, "幕布拉开")]),
        (
            "a boat leaves (0s) → it crosses the bay (5s)",
            10,
            [(0.0, "a boat leaves"), (5.0, "it crosses the bay")],
        ),
        (
            "the lights go down at 0s, the curtain rises at 3s, a dancer bows at 7s",
            12,
            [(0.0, "the lights go down"), (3.0, "the curtain rises"), (7.0, "a dancer bows")],
        ),
    ],
)
def test_marks_after_their_cards(text: str, seconds: int, cards: list[tuple[float, str]]) -> None:
    assert _board(text) == ("storyboard", seconds, cards)


@pytest.mark.parametrize(
    ("text", "action", "seconds"),
    [
        ("2 versions, 6 seconds each, a fox crossing a snowy road", "create", 6),
        ("a cup of tea (8s), steam rising (12s)", "create", 12),  # marks not from 0: lengths corrected
        ("a song in 3 parts: intro, verse, chorus", "create", 5),
        ("来一个镜头：猫在窗台上睡觉", "create", 5),
        ("2 shots of espresso: hot, strong", "create", 5),
    ],
)
def test_no_storyboard(text: str, action: str, seconds: int) -> None:
    r = parse(text)
    assert (r.action, r.seconds, r.cards) == (action, seconds, [])


@pytest.mark.parametrize(
    ("text", "prompt"),
    [
        ("第一幕：雨夜的街道；第二幕：雨停了", "雨夜的街道; 雨停了"),  # 第一幕 is an ordinal, no count
        ("two shots please - a cat stretches, then it yawns", "a cat stretches; it yawns"),
    ],
)
def test_counted_heads_leave_other_rules_alone(text: str, prompt: str) -> None:
    r = parse(text)
    assert (r.action, r.prompt) == ("storyboard", prompt)
