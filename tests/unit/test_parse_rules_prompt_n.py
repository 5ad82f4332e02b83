"""bot.parse: what stays in the prompt, the rules written after blind sets N, O and P: the request frame
around the scene in both languages (greetings, polite leads, 您/请问 forms, 整/搞/求 before a measure word,
letter closings), the 的 a cut parameter leaves, a setting's key whose value was cut, and the comments
beside a setting (a no-value choice with the setting's name, the member's own plan, what the clip is for,
sound words in a clause of request wording). Each kind in phrasings none of the sets holds."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import parse


def _d(text: str, **kw: Any) -> dict[str, Any]:
    return parse(text, **kw).to_storage()


def _check(text: str, want: dict[str, Any]) -> None:
    got = _d(text)
    assert {k: got[k] for k in want} == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("给我整一段海边日落的视频", {"action": "create", "prompt": "海边日落"}),
        ("帮我搞个熊猫吃竹子的视频", {"prompt": "熊猫吃竹子"}),
        ("求个下雨天的街道，竖屏", {"prompt": "下雨天的街道", "aspect": "9:16"}),
        ("整一个猫咪弹钢琴", {"prompt": "猫咪弹钢琴"}),
        ("你好，麻烦您帮我做一段小狗追蝴蝶的视频，谢谢！", {"prompt": "小狗追蝴蝶"}),
        ("请问可以生成一个宇航员在月球上跳舞的视频吗？", {"prompt": "宇航员在月球上跳舞"}),
        ("老师好，请帮忙制作一条关于春节放鞭炮的短片", {"prompt": "春节放鞭炮"}),
        ("您好，想麻烦您生成一段雪山日出的视频，非常感谢！", {"prompt": "雪山日出"}),
        ("老铁666，整一个龙卷风", {"prompt": "龙卷风"}),
        ("您好！请问您能帮我做一段海浪的视频吗？谢谢您！", {"prompt": "海浪"}),
        ("来个720p的小猫睡觉", {"prompt": "小猫睡觉", "resolution": "720p"}),
        ("我想要一个 竖屏 的 灯笼在风里摇的视频", {"prompt": "灯笼在风里摇", "aspect": "9:16"}),
        ("不急，慢慢搞：一只熊猫", {"prompt": "一只熊猫", "mode": "relaxed"}),
    ],
)
def test_chinese_request_frames_leave_the_scene(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    "text",
    [
        "整个城市被大雪覆盖",
        "求婚现场，烟花",
        "666只气球飞上天",
        "希望之光照亮大地",
        "想象一个没有颜色的世界",
        "牛奶倒进杯子",
        "一个人整个下午都在看书",
        "求知的少年在图书馆",
        "搞笑的猫咪",
        "出租车在雨夜行驶",
        "一只猫在手机上看视频",
    ],
)
def test_chinese_scenes_with_the_same_words_stay(text: str) -> None:
    assert _d(text)["prompt"] == text


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Good evening, kindly create a video of fireworks over a river.",
            {"prompt": "fireworks over a river"},
        ),
        (
            "Dear team, please make one video of a lion resting under a tree. Thanking you.",
            {"prompt": "a lion resting under a tree"},
        ),
        (
            "Respected madam, kindly prepare a clip of children flying kites, 10 seconds. Regards",
            {"prompt": "children flying kites", "seconds": 10},
        ),
        (
            "Kindly do the needful and generate a short video of a train crossing a bridge",
            {"prompt": "a train crossing a bridge"},
        ),
        ("hey there, could you be so kind as to make a video of a snowy owl", {"prompt": "a snowy owl"}),
        (
            "yo make it vertical: a skateboarder in the rain",
            {"prompt": "a skateboarder in the rain", "aspect": "9:16"},
        ),
        ("make it 9:16, a dancer on a rooftop", {"prompt": "a dancer on a rooftop", "aspect": "9:16"}),
        ("make it silent, a monk meditating", {"prompt": "a monk meditating", "audio": False}),
        ("make it quiet, a library at night", {"prompt": "a library at night", "audio": False}),
        (
            "a koi pond, make it silent and vertical",
            {"prompt": "a koi pond", "audio": False, "aspect": "9:16"},
        ),
        ("dusty attic mode:relaxed", {"prompt": "dusty attic", "mode": "relaxed"}),
    ],
)
def test_english_request_frames_leave_the_scene(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    "text",
    [
        "good morning sunshine over the hills",
        "morning, the sun rises over a lake",
        "a quiet library at night",
        "the sound of rain on a tin roof",
        "a silent film star walking",
        "I'm a free spirit dancing in a field",
    ],
)
def test_english_scenes_with_the_same_words_stay(text: str) -> None:
    got = _d(text)
    assert got["prompt"] == text and got["audio"] is True


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("need audio on this one, thunder over a lake", {"prompt": "thunder over a lake", "audio": True}),
        ("a busy market, sound on of course", {"prompt": "a busy market", "audio": True}),
        ("the sound is great, waves crashing", {"prompt": "waves crashing", "audio": True}),
        (
            "Not in 1080p, 720p is plenty for my phone: a dog surfing",
            {"prompt": "a dog surfing", "resolution": "720p"},
        ),
        (
            "No HD needed, standard quality is fine: a village well",
            {"prompt": "a village well", "resolution": "480p"},
        ),
        ("720p for whatsapp, a cat", {"prompt": "a cat", "resolution": "720p"}),
        ("no sound, its for a slideshow anyway: a kite", {"prompt": "a kite", "audio": False}),
        (
            "hd pls, it is for a wedding: rings on a pillow",
            {"prompt": "rings on a pillow", "resolution": "720p"},
        ),
        ("vertical, for my grandma: a cat knitting", {"prompt": "a cat knitting", "aspect": "9:16"}),
        ("720p is fine since I'm on free, a cat", {"prompt": "a cat", "resolution": "720p"}),
        ("I'm on the free plan so 720p please, a red fox in snow", {"prompt": "a red fox in snow"}),
        ("不要高清，标准画质就好，一只猫", {"prompt": "一只猫", "resolution": "480p"}),
        ("1080p不对，我是免费用户，还是720p吧，一座雪山", {"prompt": "一座雪山", "resolution": "720p"}),
        ("别用relaxed，马上就要，一只狗", {"prompt": "一只狗", "mode": "fast"}),
        ("不要1080p，720p发朋友圈够了，一只猫", {"prompt": "一只猫", "resolution": "720p"}),
        ("720p就够了，发朋友圈用的，一只猫", {"prompt": "一只猫", "resolution": "720p"}),
        ("种子 7 不不 种子 9 一只企鹅", {"prompt": "一只企鹅", "seed": 9}),
    ],
)
def test_comments_beside_a_setting_go_with_it(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Good day! Could you kindly create one clip of a lighthouse in a storm?",
            {"prompt": "a lighthouse in a storm"},
        ),
        ("麻烦您给我做一段桃花盛开的视频，谢谢您啦", {"prompt": "桃花盛开"}),
        ("在吗？帮我做个下雪的故宫", {"prompt": "下雪的故宫"}),
        ("不要静音，声音要有，海浪拍岸", {"prompt": "海浪拍岸", "audio": True}),
        ("您好，我想要一个火车进站的视频，有汽笛声最好", {"prompt": "火车进站，有汽笛声最好"}),
        ("画质默认就行，一只兔子在吃草", {"prompt": "一只兔子在吃草"}),
        ("im a free user so 480p, a fox", {"prompt": "a fox", "resolution": "480p"}),
        ("evening all, could u make a clip of a moth near a lamp", {"prompt": "a moth near a lamp"}),
        ("我要一个方形的 旋转的地球", {"prompt": "旋转的地球", "aspect": "1:1"}),
        ("声音要开着，一场雷雨", {"prompt": "一场雷雨", "audio": True}),
        ("不要竖屏，横屏发b站用的，一座古城", {"prompt": "一座古城", "aspect": "16:9"}),
        ("hd, but make it dreamy", {"prompt": "dreamy", "resolution": "720p"}),
        ("no need for full hd, standard is perfectly fine, a pier at sunset", {"prompt": "a pier at sunset"}),
        (
            "skip the sound, I'll add music later: a runner on a track",
            {"prompt": "a runner on a track", "audio": False},
        ),
        ("vertical obviously, a girl on a swing", {"prompt": "a girl on a swing", "aspect": "9:16"}),
        ("please make it silent, thanks, a cat", {"prompt": "a cat", "audio": False}),
        ("不要1080p，我手机放不了，720p吧，一只猫", {"prompt": "一只猫", "resolution": "720p"}),
        ("1080p不用了，免费用户用不了，一只狐狸", {"prompt": "一只狐狸"}),
        ("a lighthouse at dusk, 8 seconds. Thanks, Priya", {"prompt": "a lighthouse at dusk", "seconds": 8}),
        (
            "Can help make one clip? Satay stall at night, 6 seconds",
            {"prompt": "Satay stall at night", "seconds": 6},
        ),
        ("Could you generate for me a video of a heron", {"prompt": "a heron"}),
        ("Hello! I would like to request a video of a heron", {"prompt": "a heron"}),
        ("帮忙做个白鹭捕鱼的呗", {"prompt": "白鹭捕鱼"}),
        ("你能帮我画一段白鹭捕鱼吗", {"prompt": "白鹭捕鱼"}),
        ("做一条白鹭捕鱼的短视频发抖音", {"prompt": "白鹭捕鱼"}),
        ("帮我做个热闹的酒吧", {"prompt": "热闹的酒吧"}),
        (
            "A MONK IN A TEMPLE. 6 SECONDS. THANK YOU. REGARDS, MR TAN",
            {"prompt": "A MONK IN A TEMPLE", "seconds": 6},
        ),
        (
            "not square, landscape is better for youtube: a waterfall",
            {"prompt": "a waterfall", "aspect": "16:9"},
        ),
    ],
)
def test_more_frames_and_comments(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


def test_scenes_that_name_sound_stay() -> None:
    assert _d("海浪的声音")["prompt"] == "海浪的声音"
    assert _d("一只猫，声音大一点")["prompt"] == "一只猫，声音大一点"


def test_a_reason_without_a_setting_beside_it_stays() -> None:
    assert _d("it's for my daughter's birthday, a unicorn cake")["prompt"] == (
        "it's for my daughter's birthday, a unicorn cake"
    )
    assert _d("a cake for my mom, vertical")["prompt"] == "a cake for my mom"
    assert _d("一个人在发朋友圈，竖屏")["prompt"] == "一个人在发朋友圈"
    assert _d("a square, obviously")["prompt"] == "a square, obviously"
    assert _d("i will add music later")["prompt"] == "i will add music later"
    assert (
        _d("two friends, thank you notes on a table")["prompt"] == "two friends, thank you notes on a table"
    )
