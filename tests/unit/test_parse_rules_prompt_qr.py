"""bot.parse: what stays in the prompt, the rules written after blind sets Q and R: Chinese request frames in
any order (Cantonese 片, 画面 before a colon, English make verbs and video nouns inside a Chinese frame, 跑一个,
the 用 that took cut settings), asides about the member or whom the clip is for before a request of its own
scene, a request passed on, a lead before ':' that ends in a request, a marker that opens the scene after a
request and its settings, a closing question, what the clip is for, 'let's do', a stray 'each', a thinking
lead, what a refused setting costs. Each kind in phrasings none of the sets holds."""

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
        ("幫我整個片：維港夜景，天星小輪慢慢駛過", {"prompt": "維港夜景，天星小輪慢慢駛過"}),
        ("拍一個十秒嘅片 竖屏 阿婆喺街市買菜", {"prompt": "阿婆喺街市買菜", "seconds": 10, "aspect": "9:16"}),
        ("我想要一个场景：沙漠里的一口井，月光照着", {"prompt": "沙漠里的一口井，月光照着"}),
        ("给我render一段clip 火山口冒着白烟", {"prompt": "火山口冒着白烟"}),
        ("帮忙make个video：地铁站里的街头艺人", {"prompt": "地铁站里的街头艺人"}),
        (
            "请用720p和竖屏拍一段影片：夜市的烤鱿鱼",
            {"prompt": "夜市的烤鱿鱼", "resolution": "720p", "aspect": "9:16"},
        ),
        ("用relaxed模式跑一段：雨林里的树蛙", {"prompt": "雨林里的树蛙", "mode": "relaxed"}),
        ("用1080p跑一个：冰川崩塌入海", {"prompt": "冰川崩塌入海", "resolution": "1080p"}),
    ],
)
def test_chinese_frames_in_any_order(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("我女儿下周过生日，麻烦帮她做一段独角兽在云上跳的视频，谢谢", {"prompt": "独角兽在云上跳"}),
        ("我们家孩子特别喜欢火车，可以帮我们生成一段蒸汽火车过桥的影片吗？", {"prompt": "蒸汽火车过桥"}),
        (
            "想给奶奶做个生日视频，能不能做成方形、十五秒？内容是一家人围着蛋糕唱歌",
            {"prompt": "一家人围着蛋糕唱歌", "aspect": "1:1", "seconds": 15},
        ),
        (
            "请帮我做个短片，可以做成竖屏吗？画面是雪地里的一只狐狸",
            {"prompt": "雪地里的一只狐狸", "aspect": "9:16"},
        ),
        ("手机流量不够了，帮我来个480p的就行：小巷里的猫", {"prompt": "小巷里的猫", "resolution": "480p"}),
        ("我侄子一直想看一段机器人打篮球的视频，可以吗", {"prompt": "机器人打篮球"}),
        ("一群鸽子飞过钟楼，是给学校的展览用的", {"prompt": "一群鸽子飞过钟楼"}),
        ("这是给我老婆准备的：海边的烟花", {"prompt": "海边的烟花"}),
    ],
)
def test_chinese_asides_and_purposes_leave(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "my nephew begged me for a video of a shark playing piano, can you do that for him?",
            {"prompt": "a shark playing piano"},
        ),
        (
            "our boss wants a quick clip of coffee being poured in slow motion, is that doable?",
            {"prompt": "coffee being poured in slow motion"},
        ),
        (
            "my grandma adores hummingbirds, could you make a video of one drinking from a flower?",
            {"prompt": "one drinking from a flower"},
        ),
        (
            "Can you generate a video of the northern lights over a frozen lake? It's for my son's science fair.",
            {"prompt": "the northern lights over a frozen lake"},
        ),
        (
            "a paper boat floating down a gutter. We'll show it at our wedding reception",
            {"prompt": "a paper boat floating down a gutter"},
        ),
        (
            "I need it for a school assembly. A rocket lifting off at sunrise",
            {"prompt": "A rocket lifting off at sunrise"},
        ),
        ("a kite over a green hill, for our family reunion", {"prompt": "a kite over a green hill"}),
        (
            "The scene is: a bakery at 5am, bread coming out of the oven",
            {"prompt": "The scene is: a bakery at 5am, bread coming out of the oven"},
        ),
        (
            "I want a short video for my class, 10 seconds. The scene is: a volcano erupting",
            {"prompt": "a volcano erupting", "seconds": 10},
        ),
    ],
)
def test_english_asides_passed_on_requests_and_purposes_leave(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "thinking square, 1080p — a potter's wheel spinning",
            {"prompt": "a potter's wheel spinning", "aspect": "1:1", "resolution": "1080p"},
        ),
        (
            "I was thinking vertical and 6 seconds: a heron catching a fish",
            {"prompt": "a heron catching a fish", "aspect": "9:16", "seconds": 6},
        ),
        (
            "4 versions, 3 seconds apiece, a snail crossing a leaf",
            {"prompt": "a snail crossing a leaf", "variations": 4, "seconds": 3},
        ),
        (
            "not 1080p, that would be way too expensive for me — let's do 720p of rain on a tin roof",
            {"prompt": "rain on a tin roof", "resolution": "720p"},
        ),
        (
            "lets do a lantern drifting over a lake, vertical",
            {"prompt": "a lantern drifting over a lake", "aspect": "9:16"},
        ),
        (
            "不要1080p，有点贵，720p就好，一只刺猬在吃苹果",
            {"prompt": "一只刺猬在吃苹果", "resolution": "720p"},
        ),
        ("要四个版本…算了，两个就行。雨后的竹林", {"prompt": "雨后的竹林", "variations": 2}),
    ],
)
def test_settings_leads_and_comments_leave(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    "text",
    [
        "a mother holding her baby, for the first time",
        "I walk through a forest, could you make a video of it in autumn",
        "a table set for my family's dinner",
        "一个画面很美的海边",
        "片刻之后的城市",
        "我的爷爷在院子里种花",
        "小猫在画画：内容是一朵花",
        "an old man reads a letter: the content is a love poem",
        "let's dance in the rain",
        "a sign that says possible",
    ],
)
def test_scenes_keep_their_words(text: str) -> None:
    assert parse(text).prompt == text


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "hi, my wifi is terrible, can you make one in 480p: a ferry crossing a bay",
            {"prompt": "a ferry crossing a bay", "resolution": "480p"},
        ),
        ("my son loves boats, can you make one for him: a tugboat in fog", {"prompt": "a tugboat in fog"}),
        ("I'm on a budget, make it 480p: a night market", {"prompt": "a night market", "resolution": "480p"}),
        ("我在宿舍，帮我整个竖屏的：室友在打游戏", {"prompt": "室友在打游戏", "aspect": "9:16"}),
    ],
)
def test_leads_with_an_aside_before_the_colon_leave(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


def test_a_scene_before_a_colon_request_stays() -> None:
    assert parse("海边日落，帮我做个视频：要有海鸥飞过").prompt.startswith("海边日落")


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "我個仔好鍾意巴士，可唔可以幫佢整一段雙層巴士過海底隧道嘅片？唔該",
            {"prompt": "雙層巴士過海底隧道"},
        ),
        ("我女兒好鍾意貓，幫我做一條貓仔玩毛線嘅片，唔該晒", {"prompt": "貓仔玩毛線"}),
        ("做個十秒嘅片俾我：沙田馬場跑馬", {"prompt": "沙田馬場跑馬", "seconds": 10}),
        (
            "could you make a clip of kids flying kites? my class is doing a unit on wind",
            {"prompt": "kids flying kites"},
        ),
        (
            "these are for our restaurant menu: steam rising from a bowl of pho",
            {"prompt": "steam rising from a bowl of pho"},
        ),
    ],
)
def test_cantonese_frames_and_asides_after_an_asked_scene_leave(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    "text", ["一张老唱片", "帮他系鞋带的妈妈", "a girl reading by a window. I love this idea"]
)
def test_more_scenes_keep_their_words(text: str) -> None:
    assert parse(text).prompt == text


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("清晨的西湖，帮我做成视频", {"prompt": "清晨的西湖"}),
        ("一只猫在弹琴，能帮我做成视频吗", {"prompt": "一只猫在弹琴"}),
        ("熊猫在雪地里打滚 这个能做吗", {"prompt": "熊猫在雪地里打滚"}),
        ("a koala eating leaves, can you make that into a video?", {"prompt": "a koala eating leaves"}),
        ("a koala eating leaves — make a video of that please", {"prompt": "a koala eating leaves"}),
        (
            "I'd love a video of fireflies in a jar, my daughter would love it",
            {"prompt": "fireflies in a jar"},
        ),
        ("a birthday cake with sparklers, my son is turning 7", {"prompt": "a birthday cake with sparklers"}),
    ],
)
def test_request_frames_after_the_scene_leave(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


def test_people_of_the_scene_stay() -> None:
    assert (
        parse("make a video of my son playing, my daughter cheering").prompt
        == "my son playing, my daughter cheering"
    )
    assert parse("一个女孩在做饭，妈妈在旁边看").prompt == "一个女孩在做饭，妈妈在旁边看"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Could you make a video of a red fox leaping into snow? She would be over the moon. Thanks from her dad.",
            {"prompt": "a red fox leaping into snow"},
        ),
        (
            "Could you make a clip of a heart beating? With sound, so the students can hear it.",
            {"prompt": "a heart beating", "audio": True},
        ),
        (
            "could you make a clip of a kite in a storm? 6 seconds, if that's ok",
            {"prompt": "a kite in a storm", "seconds": 6},
        ),
    ],
)
def test_comments_after_an_asked_scene_leave(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


def test_a_scene_sentence_about_what_people_see_stays() -> None:
    text = "a crowd watching fireworks, they can see the whole sky"
    assert parse(text).prompt == text
