"""bot.parse: the parameter, negation and correction rules written after blind sets Q and R: settings inside
a run-on spoken sentence ("... and uh make it portrait and like twelve seconds"), shape words with a
make-into verb (做成正方形, 整成直嘅; not 把蛋糕…), "high definition", mode words in a Chinese frame (用slow模式)
and relaxed words with an acceptance (唔急都得), a Chinese count before an English version noun, corrected
bare counts and seeds (做四條，唔啱，一條得啦; 种子 7，说错了，8), "without X" as a clause of its own and its
Chinese twins (没有醋, 唔要蔥, 冇匙羹). Each kind in phrasings none of the sets holds, with scenes that use the
same words ("a girl without shoes runs", "without stopping", 不要醒来, 无人机)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import ParseError, parse


def _d(text: str, **kw: Any) -> dict[str, Any]:
    return parse(text, **kw).to_storage()


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "a heron standing in a pond and uh make it portrait and like twelve seconds please",
            {"prompt": "a heron standing in a pond", "aspect": "9:16", "seconds": 12},
        ),
        (
            "a tram crossing a bridge at night and i want it square and maybe 6 seconds",
            {"prompt": "a tram crossing a bridge at night", "aspect": "1:1", "seconds": 6},
        ),
        (
            "fireworks over a lake um landscape please and four versions",
            {"prompt": "fireworks over a lake", "aspect": "16:9", "variations": 4},
        ),
        (
            "a kite on a beach and render it in 720 and square",
            {"prompt": "a kite on a beach", "resolution": "720p", "aspect": "1:1"},
        ),
        (
            "rain on a tin roof, 8 sec, hi-def",
            {"prompt": "rain on a tin roof", "seconds": 8, "resolution": "720p"},
        ),
        ("a glacier calving in full high definition", {"prompt": "a glacier calving", "resolution": "1080p"}),
        ("a comet, standard definition is fine", {"prompt": "a comet", "resolution": "480p"}),
        ("請問可以弄成方形、十二秒嗎？畫面是海龜在珊瑚間游", {"aspect": "1:1", "seconds": 12}),
        ("一只熊猫吃竹子，整成直嘅，八秒", {"prompt": "一只熊猫吃竹子", "aspect": "9:16", "seconds": 8}),
        ("把蛋糕切成正方形的过程", {"prompt": "把蛋糕切成正方形的过程", "aspect": "16:9"}),
        ("能唔能做成正方形？一隻柴犬喺草地跑", {"aspect": "1:1"}),
        ("用slow模式跑：雪山上的日出", {"prompt": "雪山上的日出", "mode": "relaxed"}),
        ("用fast模式生成一个：赛车冲线", {"mode": "fast"}),
        ("唔急都得，一艘帆船喺維港", {"prompt": "一艘帆船喺維港", "mode": "relaxed"}),
        ("不着急也没关系，一只蜗牛爬过叶子", {"prompt": "一只蜗牛爬过叶子", "mode": "relaxed"}),
        ("a snail crossing a leaf, i can wait", {"prompt": "a snail crossing a leaf", "mode": "relaxed"}),
        (
            "a lighthouse in fog, take as long as you need",
            {"prompt": "a lighthouse in fog", "mode": "relaxed"},
        ),
        ("兩個versions，一隻貓頭鷹眨眼", {"prompt": "一隻貓頭鷹眨眼", "variations": 2}),
        ("来两个version 海浪拍打礁石", {"prompt": "海浪拍打礁石", "variations": 2}),
        ("出四個takes，舞龍舞獅", {"prompt": "舞龍舞獅", "variations": 4}),
        ("整四條片，唔啱，一條得啦，獅子山", {"prompt": "獅子山", "variations": 1}),
        ("要四个…算了，两个就好，熊猫打滚", {"prompt": "熊猫打滚", "variations": 2}),
        ("make four, hmm no, one is enough, a koi pond", {"prompt": "a koi pond", "variations": 1}),
        ("two versions... never mind, just one, a sandcastle", {"prompt": "a sandcastle", "variations": 1}),
        ("seed 900, wait, 901. a tulip opening", {"prompt": "a tulip opening", "seed": 901}),
        ("种子 7，说错了，8，一只蜻蜓", {"prompt": "一只蜻蜓", "seed": 8}),
        ("種子 5，唔係，6，一隻蝴蝶", {"prompt": "一隻蝴蝶", "seed": 6}),
        ("a dragonfly seed 12 no wait 13", {"prompt": "a dragonfly", "seed": 13}),
        (
            "a picnic blanket in a park, without ants",
            {"prompt": "a picnic blanket in a park", "negative": "ants"},
        ),
        (
            "a cyclist on a mountain road, without a helmet",
            {"prompt": "a cyclist on a mountain road", "negative": "helmet"},
        ),
        (
            "a girl without shoes runs on the sand",
            {"prompt": "a girl without shoes runs on the sand", "negative": None},
        ),
        (
            "a marathon runner, without stopping",
            {"prompt": "a marathon runner, without stopping", "negative": None},
        ),
        ("a pizza, minus the olives", {"prompt": "a pizza", "negative": "olives"}),
        ("一盘饺子冒着热气，没有醋", {"prompt": "一盘饺子冒着热气", "negative": "醋"}),
        ("一碗雲吞麵，唔要蔥", {"prompt": "一碗雲吞麵", "negative": "蔥"}),
        ("一碗雲吞麵，冇匙羹", {"prompt": "一碗雲吞麵", "negative": "匙羹"}),
        ("小狗在睡觉，不要醒来", {"prompt": "小狗在睡觉，不要醒来", "negative": None}),
        ("无人机飞过稻田", {"prompt": "无人机飞过稻田", "negative": None}),
        # a length for each version, approvals that think aloud
        (
            "4 takes, 6 secs each, a paper plane gliding",
            {"prompt": "a paper plane gliding", "seconds": 6, "variations": 4},
        ),
        ("a paper plane gliding, 9 seconds apiece", {"prompt": "a paper plane gliding", "seconds": 9}),
        (
            "i'm thinking portrait, 1080 — a paper plane gliding",
            {"prompt": "a paper plane gliding", "aspect": "9:16", "resolution": "1080p"},
        ),
        ("a paper plane gliding, i'd go with square", {"prompt": "a paper plane gliding", "aspect": "1:1"}),
        ("I think a paper plane gliding", {"prompt": "I think a paper plane gliding"}),
        # a second batch, written before the rules it checked were finished
        (
            "a chef flipping pancakes okay so make it vertical and uh ten seconds and hd",
            {"aspect": "9:16", "seconds": 10, "resolution": "720p"},
        ),
        (
            "can you do a jellyfish thing and have it in landscape and 2 versions thanks",
            {"aspect": "16:9", "variations": 2},
        ),
        (
            "a windmill turning, 6s, high-def please",
            {"prompt": "a windmill turning", "seconds": 6, "resolution": "720p"},
        ),
        ("a windmill in high definition", {"prompt": "a windmill", "resolution": "720p"}),
        ("可唔可以整成方形同埋高清？一隻貓喺窗邊", {"aspect": "1:1", "resolution": "720p"}),
        (
            "麻烦做成竖的、高清、八秒。内容：早市的菜摊",
            {"aspect": "9:16", "resolution": "720p", "seconds": 8},
        ),
        ("能不能弄成橫的，十秒就好？夜市小吃攤", {"aspect": "16:9", "seconds": 10}),
        ("走relaxed模式：稻田上的白鹭", {"prompt": "稻田上的白鹭", "mode": "relaxed"}),
        ("用relax模式整：落雨嘅街", {"mode": "relaxed"}),
        ("唔使急，慢慢嚟都得，一隻海鷗", {"prompt": "一隻海鷗", "mode": "relaxed"}),
        ("a swan, no need for speed", {"prompt": "a swan", "mode": "relaxed"}),
        ("兩個version就夠，一隻狐狸", {"prompt": "一隻狐狸", "variations": 2}),
        ("要兩個版本，唔係，四個，一隻狐狸", {"prompt": "一隻狐狸", "variations": 4}),
        ("做兩個…算了，一個得啦。一隻狐狸", {"prompt": "一隻狐狸", "variations": 1}),
        ("give me two, no wait, four, a fox in snow", {"prompt": "a fox in snow", "variations": 4}),
        ("seed 100, sorry, 101, a fox in snow", {"prompt": "a fox in snow", "seed": 101}),
        ("種子係 20，唔啱，21，一隻狐狸", {"prompt": "一隻狐狸", "seed": 21}),
        ("a bowl of pho, without the herbs", {"prompt": "a bowl of pho", "negative": "herbs"}),
        (
            "a living room, without furniture, 10s",
            {"prompt": "a living room", "negative": "furniture", "seconds": 10},
        ),
        (
            "a man without an umbrella in the rain",
            {"prompt": "a man without an umbrella in the rain", "negative": None},
        ),
        ("a dancer, without music", {"prompt": "a dancer"}),
        ("a tree in winter, without leaves", {"prompt": "a tree in winter", "negative": "leaves"}),
        ("一张书桌，不要电脑", {"prompt": "一张书桌", "negative": "电脑"}),
        ("一張書枱，唔好有電腦", {"prompt": "一張書枱", "negative": "電腦"}),
        ("城市的夜晚，没有星星", {"prompt": "城市的夜晚", "negative": "星星"}),
        ("一个孩子，不要哭", {"prompt": "一个孩子，不要哭", "negative": None}),
    ],
)
def test_qr_params_negation_corrections(text: str, want: dict[str, Any]) -> None:
    got = _d(text)
    assert {k: got.get(k) for k in want} == want, text


def test_a_count_out_of_range_is_still_an_error() -> None:
    # three versions are no count the bot makes, in an English noun after a Chinese count too
    with pytest.raises(ParseError):
        parse("三個versions，一隻貓頭鷹眨眼")


def test_a_corrected_count_out_of_range_is_no_error() -> None:
    got = _d("要三个…算了两个吧，一只仙鹤")
    assert (got["prompt"], got["variations"]) == ("一只仙鹤", 2)


def test_a_make_verb_shape_alone_keeps_its_words() -> None:
    got = _d("put it in portrait")
    assert got["aspect"] == "9:16" and got["prompt"]
