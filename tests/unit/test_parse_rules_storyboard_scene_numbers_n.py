"""bot.parse: single scenes full of numbers and times that belong to the scene (street numbers, "Route 66 at
6am", "the 5:15 train", countdowns, scores, clock faces, years, "7-11", "24/7", recipes told in steps with
minutes, 九份 / 三里屯 / 一号线 / 十三香) stay one clip with their numbers in the prompt and the defaults kept;
only a real parameter said with them changes its field. Storyboards next to the same words still are ones."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import parse

_DEFAULTS: dict[str, Any] = {
    "action": "create",
    "seconds": 5,
    "resolution": "480p",
    "aspect": "16:9",
    "variations": 1,
    "mode": "fast",
    "seed": None,
    "loop": False,
    "negative": None,
    "cards": [],
    "audio": True,
    "trim_start": None,
    "trim_end": None,
    "extend": False,
    "strength": None,
}

_SCENES: list[tuple[str, dict[str, Any]]] = [
    # English
    ("a diner on Route 66 at 6am with neon signs flickering", {}),
    ("commuters rushing to catch the 5:15 train at Grand Central", {}),
    ("a rocket launch with a 3-2-1 countdown on a big screen", {}),
    ("at 7 the bakery opens, at 8 the crowd arrives", {}),
    ("a brownstone at 221 Baker Street in the rain", {}),
    ("a neon sign reading open 24/7 above a laundromat", {}),
    ("a 7-11 storefront glowing at midnight", {}),
    ("the scoreboard shows 3-1 as the final whistle blows", {}),
    ("a clock tower striking 12 over a snowy square", {}),
    ("a kitchen where a chef cracks 2 eggs and whisks them for 3 minutes", {}),
    ("a birthday cake with 30 candles and 5 friends singing", {}),
    ("a vintage 1969 Mustang parked outside a motel", {}),
    ("New York in 1920, flappers dancing at a jazz club", {}),
    ("a marathon runner wearing bib number 42 crossing mile 26", {}),
    ("an elevator display counting down from 10 to 1", {}),
    ("a bus numbered 38 pulling into the stop at 9:30 in the morning", {}),
    ("a wall clock at 3:45 in an empty classroom", {}),
    ("at 6 the alarm rings and a sleepy cat stretches on the bed", {}),
    ("two astronauts on Apollo 11 looking back at Earth", {}),
    ("a basketball game tied 98-98 with 2 seconds left on the clock", {}),
    ("a digital watch flashing 00:00 on a nightstand", {}),
    ("a 3 story house with 4 windows and 1 red door", {}),
    ("a bowling alley where lane 7 scores a strike", {}),
    ("a pizza cut into 8 slices on a table for 4", {}),
    ("platform 9 and 3/4 with a luggage trolley vanishing into the wall", {}),
    ("Paris at 8pm, the Eiffel Tower sparkling on the hour", {}),
    ("hands making pancakes: mix 2 cups of flour, 1 egg and 1 cup of milk, rest 5 minutes, then fry", {}),
    ("a countdown timer at 00:10 ticking on a bomb in an old spy movie", {}),
    ("a tennis match at 40-15 in the final set", {}),
    ("a soccer player in jersey 10 scoring in the 90th minute", {}),
    ("a highway sign for exit 12 at dawn", {}),
    ("room 404 at the end of a dim hotel hallway", {}),
    ("a 24 hour diner with 2 cops drinking coffee at 3am", {}),
    ("a kid counting 1, 2, 3 while playing hide and seek", {}),
    ("a calendar page flipping to December 25", {}),
    ("a choir of 50 singers on a stage at 7:30 pm", {}),
    ("an old radio tuned to 101.5 FM in a garage", {}),
    ("at 5 the sun rises over the fields and at 6 the farmer starts the tractor", {}),
    ("the 8:00 news starts under a big studio clock", {}),
    ("a cyclist on stage 3 of the Tour climbing a 12% grade", {}),
    ("a lighthouse at 54 Harbour Road flashing every 3 seconds", {}),
    ("a clock face with its hands at 10 past 2", {}),
    ("the 1st of May parade with 3 marching bands", {}),
    ("a jazz bar on 52nd Street at 2 in the morning", {}),
    ("a vinyl record spinning at 33 rpm", {}),
    ("a golfer sinks a putt on hole 18 to finish 4 under par", {}),
    ("at 9:00 the museum doors open and a guard yawns", {}),
    ("a metronome at 120 bpm on a piano, 4 beats to a bar", {}),
    ("a cafe at 10 Downing Street, 3 tourists taking photos", {}),
    ("at 6:30 the ferry leaves, at 7 the gulls follow it", {}),
    ("the final score 2-0, players hugging on the pitch at 90:00", {}),
    (
        "a ferris wheel with 24 cabins lit at night, 10 seconds",
        {"prompt": "a ferris wheel with 24 cabins lit at night", "seconds": 10},
    ),
    (
        "Route 66 at 6am, a lonely gas station, vertical",
        {"prompt": "Route 66 at 6am, a lonely gas station", "aspect": "9:16"},
    ),
    (
        "the 5:15 train leaving the station, 720p",
        {"prompt": "the 5:15 train leaving the station", "resolution": "720p"},
    ),
    # simplified Chinese
    ("九份老街上挂满红灯笼的夜景", {}),
    ("三里屯的夜晚，霓虹灯闪烁", {}),
    ("一号线地铁进站，人潮涌动", {}),
    ("一盆十三香小龙虾放在桌上", {}),
    ("第二市场里卖早餐的小摊", {}),
    ("7-11门口趴着一只橘猫", {}),
    ("24小时便利店里的店员在打瞌睡", {}),
    ("早上7点面包店开门，8点人就多了", {}),
    ("篮球比赛比分98比97，最后两秒绝杀", {}),
    ("墙上的钟指向三点一刻", {}),
    ("两个鸡蛋在锅里煎着", {}),
    ("做蛋炒饭：先打三个鸡蛋，再炒两分钟，最后撒葱花", {}),
    ("1998年的北京胡同，孩子们在玩跳房子", {}),
    ("五道口的十字路口，红灯倒数10秒", {}),
    ("三环路上的车流，晚上八点", {}),
    ("火箭发射倒计时三、二、一", {}),
    ("一只猫在第三排座位上睡觉", {}),
    ("六个人围着圆桌吃火锅", {}),
    ("2号楼下的小卖部", {}),
    ("第一次看海的小女孩", {}),
    ("五点钟天亮，公鸡在屋顶打鸣", {}),
    ("三点整，教室里的钟响了", {}),
    ("7点公园里有人打太极，8点广场舞开始了", {}),
    ("四川路12号门口的梧桐树", {}),
    ("三里屯的夜晚，10秒", {"prompt": "三里屯的夜晚", "seconds": 10}),
    # traditional Chinese
    ("九份老街的紅燈籠在雨中搖晃", {}),
    ("台北101跨年煙火", {}),
    ("七點的公車在站牌前停下", {}),
    ("第二市場裡的老攤販在煮麵", {}),
    ("一隻貓坐在三民路的騎樓下", {}),
    ("比數三比二，球迷們歡呼", {}),
    ("早上六點，阿嬤在市場賣菜，八點人潮湧入", {}),
    ("時鐘指著十二點，灰姑娘跑下樓梯", {}),
    ("十三香滷味攤前排了長長的隊", {}),
    ("1949年的上海外灘", {}),
    ("7-11店員在深夜補貨", {}),
    ("倒數三、二、一，新年快樂", {}),
    ("捷運淡水線五點半的車廂", {}),
    # Cantonese
    ("喺旺角西洋菜街嘅人潮", {}),
    ("九龍城啲老舖頭", {}),
    ("六點鐘嘅天星小輪", {}),
    ("掛咗八號風球嘅維港", {}),
    ("一個阿伯喺茶樓飲緊一盅兩件", {}),
    ("七點開舖，八點就好多人排隊", {}),
    ("三號巴士喺彌敦道行緊", {}),
    ("兩隻雞蛋喺鑊度煎緊", {}),
    ("十點鐘嘅蘭桂坊好熱鬧", {}),
    ("比分二比一，全場觀眾企起身", {}),
    ("24小時營業嘅茶餐廳", {}),
    ("一號碼頭嘅渡海小輪", {}),
    ("倒數十聲，煙花喺維港上面爆開", {}),
    ("旺角六點鐘嘅街市，9:16", {"prompt": "旺角六點鐘嘅街市", "aspect": "9:16"}),
    # seconds that count down or repeat in the scene, and how-tos told in steps
    ("a quarterback throws a hail mary with 3 seconds to go", {}),
    ("a ticking bomb in a movie with 10 seconds remaining on its display", {}),
    ("a lighthouse beam sweeping the bay every 4 seconds", {}),
    ("a sprinkler turning each 2 seconds on a green lawn", {}),
    ("fried rice recipe: first crack 3 eggs, then stir fry for 2 minutes, finally add scallions", {}),
    ("how to make tea: first boil the water, then steep the leaves 3 minutes, then pour", {}),
    ("a sourdough loaf: first knead the dough, then let it rise 2 hours, then bake it", {}),
    ("足球比赛还剩5秒，前锋射门", {}),
    ("跨年夜倒计时10秒，人群欢呼", {}),
    ("比賽最後三秒，球員投出三分球", {}),
    ("红烧肉做法：先焯水，再炖一个小时，最后收汁", {}),
    ("煲老火湯：先落豬骨，再煲三個鐘，最後加鹽", {}),
    ("a 5-star hotel lobby at 11pm with 2 bellhops", {}),
    ("a subway car on line 1 at 8:45 packed with commuters", {}),
    ("a poker table with 4 aces on it at 2am in Vegas", {}),
    ("the 49ers scoring in the 4th quarter, 21-17", {}),
    ("a bank clock showing 12:00 and 25°C on Main Street", {}),
    ("a 1 2 3 4 dance count in a studio mirror", {}),
    ("十字路口的电子钟显示08:00", {}),
    ("三号线的地铁在高架上开过", {}),
    ("一碗两块钱的豆花", {}),
    ("第八街的咖啡店，早上九点", {}),
    ("三隻貓喺七樓嘅窗台曬太陽", {}),
    ("a countdown clock hitting 0:05 above a stage", {}),
    (
        "a lighthouse beam sweeping the bay every 4 seconds, 8 seconds long",
        {"prompt": "a lighthouse beam sweeping the bay every 4 seconds", "seconds": 8},
    ),
    ("跨年夜倒计时10秒，人群欢呼，竖屏", {"prompt": "跨年夜倒计时10秒，人群欢呼", "aspect": "9:16"}),
    # numbered steps, degrees, clocks, digits in the plural
    ("Step 1: crack 2 eggs. Step 2: whisk them for 3 minutes. Step 3: pour into a hot pan", {}),
    ("1. boil water 2. add 200g pasta 3. cook 10 minutes 4. drain", {}),
    ("a pancake recipe video: 1) mix 2 cups of flour 2) add 1 egg 3) fry 2 minutes each side", {}),
    ("0 degrees outside, 3 kids build a snowman at 4pm", {}),
    ("at 0:00 the new year begins and fireworks burst over the river", {}),
    ("At 3, the kids run out of school; at 4, the park is full", {}),
    ("a digital clock changing from 11:59 to 12:00 at midnight", {}),
    ("a binary rain of 1s and 0s streaming down a dark screen", {}),
    ("a pilot at gate 5 announcing flight 370 at 6:10", {}),
    ("at 5 o'clock the factory whistle blows, at 6 the workers go home", {}),
    ("a runner at km 0 of the Boston marathon, 30000 people behind her", {}),
    ("a chess clock at 5:00 each, two players shaking hands", {}),
    ("第一步打两个鸡蛋，第二步搅拌三分钟，第三步倒进锅里", {}),
    ("0度的早晨，湖面结了一层冰", {}),
    ("5点起床，6点出门，一个上班族的早晨", {}),
    ("第1名冲过终点线，第2名紧随其后", {}),
    ("0點的鐘聲響起，大家互相擁抱", {}),
    ("三點三，阿媽喺廚房煲緊湯", {}),
    ("12點前要返到屋企嘅灰姑娘", {}),
    ("a shop at 0 Main St where 3 cats sleep in the window", {}),
]


@pytest.mark.parametrize(("text", "fields"), _SCENES)
def test_numbers_of_the_scene_stay_in_one_clip(text: str, fields: dict[str, Any]) -> None:
    want = {**_DEFAULTS, "prompt": text, **fields}
    got = parse(text).to_storage()
    assert {k: got[k] for k in want} == want


@pytest.mark.parametrize(
    ("text", "cards"),
    [
        (
            "storyboard: first crack 3 eggs, then fry them 2 minutes, then plate them",
            [(0.0, "crack 3 eggs"), (5.0, "fry them 2 minutes"), (10.0, "plate them")],
        ),
        (
            "make a video: first a seed in soil, then a sprout, finally a flower",
            [(0.0, "a seed in soil"), (5.0, "a sprout"), (10.0, "a flower")],
        ),
        (
            "蝴蝶的一生：先是一条毛毛虫，然后结茧，最后变成蝴蝶",
            [(0.0, "一条毛毛虫"), (5.0, "结茧"), (10.0, "变成蝴蝶")],
        ),
        (
            "0s: a chef cracks eggs. 4s: the pan sizzles. 8s: fried rice on a plate",
            [(0.0, "a chef cracks eggs"), (4.0, "the pan sizzles"), (8.0, "fried rice on a plate")],
        ),
    ],
)
def test_storyboards_next_to_the_same_words(text: str, cards: list[tuple[float, str]]) -> None:
    got = parse(text)
    assert got.action == "storyboard"
    assert [(c.at, c.prompt) for c in got.cards] == cards
