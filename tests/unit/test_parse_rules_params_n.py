"""bot.parse: the parameter, negation and correction rules written after blind sets N, O and P: things left
out of the picture in plain words (leave_out.py), counts of clips in words, corrected drafts across
clauses (drafts.py), sound and aspect words (Cantonese too), a --no flag opening the message, Discord-style
options pasted as text, approvals with a purpose. Each kind in phrasings none of the sets holds."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parse import parse


def _d(text: str, **kw: Any) -> dict[str, Any]:
    return parse(text, **kw).to_storage()


def _check(text: str, want: dict[str, Any]) -> None:
    got = _d(text)
    assert {k: got.get(k) for k in want} == want, text


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a thing most often left out, as a clause of its own
        (
            "a misty harbour at dawn. no humans please",
            {"prompt": "a misty harbour at dawn", "negative": "humans"},
        ),
        (
            "empty train platform, without anyone in the shot",
            {"prompt": "empty train platform", "negative": "anyone"},
        ),
        ("no crowds, a quiet museum hall", {"prompt": "a quiet museum hall", "negative": "crowds"}),
        ("a jellyfish bloom, no people", {"prompt": "a jellyfish bloom", "negative": "people"}),
        (
            "a kitchen at night, no people or pets",
            {"prompt": "a kitchen at night", "negative": "people, pets"},
        ),
        (
            "a museum hall, no crowds, 10 seconds, vertical",
            {"prompt": "a museum hall", "negative": "crowds", "seconds": 10, "aspect": "9:16"},
        ),
        # a refusal in a run of things left out (or of refused flaws) is one of them, in the message's order
        ("a lighthouse — no people, no birds", {"prompt": "a lighthouse", "negative": "people, birds"}),
        (
            "a lake, no boats, no people, 10s",
            {"prompt": "a lake", "negative": "boats, people", "seconds": 10},
        ),
        ("a koi pond, no text, no birds", {"prompt": "a koi pond", "negative": "text, birds"}),
        ("城市夜景，不要出现任何人", {"prompt": "城市夜景", "negative": "人"}),
        # anything after "but"
        ("a picnic on the lawn but no ants please", {"prompt": "a picnic on the lawn", "negative": "ants"}),
        ("snowy mountain pass, but no cars", {"prompt": "snowy mountain pass", "negative": "cars"}),
        (
            "a temple courtyard but please without tourists",
            {"prompt": "a temple courtyard", "negative": "tourists"},
        ),
        (
            "a field of wheat, but no cows or fences",
            {"prompt": "a field of wheat", "negative": "cows, fences"},
        ),
        # Chinese: a verb of presence, or a bare 不要 before such a thing
        ("夜晚的外滩，別出現行人", {"prompt": "夜晚的外滩", "negative": "行人"}),
        ("老街的早晨，不要有車", {"prompt": "老街的早晨", "negative": "車"}),
        ("山顶日出，画面里不要出现人", {"prompt": "山顶日出", "negative": "人"}),
        ("古城墙 不要人群", {"prompt": "古城墙", "negative": "人群"}),
        ("海邊嘅燈塔，唔好有人喺度", {"prompt": "海邊嘅燈塔", "negative": "人"}),
        ("古城的黄昏，不要让游客出现", {"prompt": "古城的黄昏", "negative": "游客"}),
        ("雾中的码头，人物不要出现", {"prompt": "雾中的码头", "negative": "人物"}),
        ("霧中嘅碼頭，唔好影到人", {"prompt": "霧中嘅碼頭", "negative": "人"}),
        ("a foggy pier, keep people out of the shot", {"prompt": "a foggy pier", "negative": "people"}),
        ("keep the cars out please, a foggy pier", {"prompt": "a foggy pier", "negative": "cars"}),
        ("a foggy pier, keep it short", {"prompt": "a foggy pier, keep it short", "negative": None}),
    ],
)
def test_things_left_out_in_plain_words(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # parameters refused in the same shapes are parameters, not things
        (
            "a pond at dusk, but no sound please",
            {"prompt": "a pond at dusk", "audio": False, "negative": None},
        ),
        (
            "a bar at closing time, but no rush",
            {"prompt": "a bar at closing time", "mode": "relaxed", "negative": None},
        ),
        (
            "a pond at dusk, but not vertical",
            {"prompt": "a pond at dusk", "aspect": "16:9", "negative": None},
        ),
        ("一只猫在窗边，不要竖屏", {"prompt": "一只猫在窗边", "aspect": "16:9", "negative": None}),
        ("一只猫在窗边，不要有声音", {"prompt": "一只猫在窗边", "audio": False, "negative": None}),
        # scenes: a thing no list holds without "but", a refusal inside a phrase, a verb after 不要
        (
            "a quiet lake at noon, no ripples",
            {"prompt": "a quiet lake at noon, no ripples", "negative": None},
        ),
        ("a stage, no one on it", {"prompt": "a stage, no one on it", "negative": None}),
        ("a beach party without people", {"prompt": "a beach party without people", "negative": None}),
        ("no man's land under snow", {"prompt": "no man's land under snow", "negative": None}),
        ("一只鸟在枝头，不要飞走", {"prompt": "一只鸟在枝头，不要飞走", "negative": None}),
        ("a clock tower that never stops", {"prompt": "a clock tower that never stops", "negative": None}),
    ],
)
def test_refusals_that_are_no_things_left_out(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("two clips of a fox in fresh snow", {"prompt": "a fox in fresh snow", "variations": 2}),
        ("can i get 2 vids of a fox", {"prompt": "a fox", "variations": 2}),
        ("i'd like two clips of a dog in snow", {"prompt": "a dog in snow", "variations": 2}),
        ("a red kite over hills, 2 of those", {"prompt": "a red kite over hills", "variations": 2}),
        ("4 takes of a fox jumping", {"prompt": "a fox jumping", "variations": 4}),
        ("给我俩版本：狐狸跳雪", {"prompt": "狐狸跳雪", "variations": 2}),
        ("一只狐狸，来俩", {"prompt": "一只狐狸", "variations": 2}),
        ("three of them were dancing", {"prompt": "three of them were dancing", "variations": 1}),
    ],
)
def test_counts_of_clips_in_words(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "8 seconds. wait no, 12 seconds. a kite over a beach",
            {"prompt": "a kite over a beach", "seconds": 12},
        ),
        ("5秒，不对不对，10秒，风筝", {"action": "create", "prompt": "风筝", "seconds": 10}),
        ("十二秒，唔係，八秒：一隻風箏", {"prompt": "一隻風箏", "seconds": 8}),
        ("直屏，不對，橫屏，一隻風箏", {"prompt": "一隻風箏", "aspect": "16:9"}),
        ("seed 7, no wait, seed 9, a kite", {"prompt": "a kite", "seed": 9}),
        ("种子 8 不不 种子 9 一只风筝", {"prompt": "一只风筝", "seed": 9}),
        ("四个版本，算了，两个，一只风筝", {"prompt": "一只风筝", "variations": 2}),
        (
            "1080p, no, wait, I'm on the free plan, 720p then. a kite",
            {"prompt": "a kite", "resolution": "720p"},
        ),
        ("8 seconds, nah just 4, a dog on a skateboard", {"prompt": "a dog on a skateboard", "seconds": 4}),
        ("12 seconds... hmm actually make it 7. a dog", {"prompt": "a dog", "seconds": 7}),
        ("not 15 seconds lmao just 6, a dog", {"prompt": "a dog", "seconds": 6}),
        ("a dog, 4 versions. hmm, no, just 2", {"prompt": "a dog", "variations": 2}),
        ("十秒吧，呃不，还是八秒，一只狗", {"prompt": "一只狗", "seconds": 8}),
        ("兩個版本，不如四個啦，一隻狗", {"prompt": "一隻狗", "variations": 4}),
        ("square. no wait, make it vertical. a dog", {"prompt": "a dog", "aspect": "9:16"}),
        ("a heron, 10 seconds... or maybe 8", {"prompt": "a heron", "seconds": 8}),
        ("a heron, 2 versions... on second thought 4", {"prompt": "a heron", "variations": 4}),
        ("a heron, vertical. on second thought, square", {"prompt": "a heron", "aspect": "1:1"}),
        ("一只苍鹭，竖屏，想了想还是横屏", {"prompt": "一只苍鹭", "aspect": "16:9"}),
        ("a heron, 8 not 10 seconds", {"prompt": "a heron", "seconds": 8}),
        ("a heron, two not four versions", {"prompt": "a heron", "variations": 2}),
        ("a lake, no wait, a river", {"prompt": "a lake, no wait, a river", "seconds": 5}),
    ],
)
def test_corrections_the_last_value_holds(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("a volcano erupting, but muted please", {"prompt": "a volcano erupting", "audio": False}),
        ("make it mute — a volcano erupting", {"prompt": "a volcano erupting", "audio": False}),
        ("keep this one silent: waves on rocks", {"prompt": "waves on rocks", "audio": False}),
        ("靜音嘅，維港煙花", {"prompt": "維港煙花", "audio": False}),
        ("要冇聲嘅版本，維港煙花", {"prompt": "維港煙花", "audio": False}),
        ("一段没声的视频：烟花", {"prompt": "烟花", "audio": False}),
        ("一个无声的世界", {"prompt": "一个无声的世界", "audio": True}),
        ("a busy but silent hall", {"prompt": "a busy but silent hall", "audio": True}),
        ("a firework show, sound on of course", {"prompt": "a firework show", "audio": True}),
        ("please keep the sound for this one, a choir", {"prompt": "a choir", "audio": True}),
    ],
)
def test_sound_in_more_words(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("直向影片：狐狸跳雪", {"prompt": "狐狸跳雪", "aspect": "9:16"}),
        ("做直向嘅：狐狸跳雪", {"prompt": "狐狸跳雪", "aspect": "9:16"}),
        ("橫向拍攝：一條河", {"prompt": "一條河", "aspect": "16:9"}),
        ("火箭直向天空飞去", {"prompt": "火箭直向天空飞去", "aspect": "16:9"}),
        ("--no people a quiet beach at dawn", {"prompt": "a quiet beach at dawn", "negative": "people"}),
        ("--no motion blur a fast car", {"prompt": "a fast car", "negative": "motion blur"}),
        ("--no 文字 一只猫在弹钢琴", {"prompt": "一只猫在弹钢琴", "negative": "文字"}),
        ("--no people, cars a quiet street", {"prompt": "a quiet street", "negative": "people, cars"}),
        ("--no people, a quiet street", {"prompt": "a quiet street", "negative": "people"}),
        ("—no logo minecraft village", {"prompt": "minecraft village", "negative": "logo"}),
        (
            "a cat on a piano --no text, watermark",
            {"prompt": "a cat on a piano", "negative": "text, watermark"},
        ),
    ],
)
def test_aspect_words_and_a_leading_no_flag(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "/create prompt:a harbour at dusk negative_prompt:boats resolution:1080p",
            {"prompt": "a harbour at dusk", "negative": "boats", "resolution": "1080p"},
        ),
        (
            "/create prompt:a cat sound:off loop:true aspect:9:16",
            {"prompt": "a cat", "audio": False, "loop": True, "aspect": "9:16"},
        ),
        (
            "/create prompt:paper boats in a gutter mode:relaxed seed:77",
            {"prompt": "paper boats in a gutter", "mode": "relaxed", "seed": 77},
        ),
        ("a tiger, mode: party animal", {"prompt": "a tiger, mode: party animal", "mode": "fast"}),
    ],
)
def test_discord_style_options_as_text(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("not 1080p, 720p is fine for my phone: a cat", {"prompt": "a cat", "resolution": "720p"}),
        ("no hd, standard quality is more than enough, a cat", {"prompt": "a cat", "resolution": "480p"}),
        ("不要全高清，一般画质就行，一只猫", {"prompt": "一只猫", "resolution": "480p"}),
        ("别整竖的 一只猫", {"prompt": "一只猫", "aspect": "16:9"}),
        ("一只猫 我马上就要", {"prompt": "一只猫", "mode": "fast"}),
        ("不急，慢慢搞：一只猫", {"prompt": "一只猫", "mode": "relaxed"}),
    ],
)
def test_approvals_and_refusals_in_more_words(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # formal and second-language English: refusals and approvals around a setting
        (
            "Full HD is not necessary, standard quality will do: a temple at dawn",
            {"prompt": "a temple at dawn", "resolution": "480p"},
        ),
        (
            "Kindly avoid vertical format, landscape is preferred: a temple",
            {"prompt": "a temple", "aspect": "16:9"},
        ),
        ("There is no need for sound, a temple at dawn", {"prompt": "a temple at dawn", "audio": False}),
        ("No audio is required. A temple at dawn.", {"prompt": "A temple at dawn", "audio": False}),
        ("Please do not add any music: a temple at dawn", {"prompt": "a temple at dawn", "audio": False}),
        ("Landscape orientation is preferred, a temple", {"prompt": "a temple", "aspect": "16:9"}),
        ("a temple, avoid vertical", {"prompt": "a temple", "aspect": "16:9", "negative": None}),
        ("a temple, avoid low quality", {"prompt": "a temple", "negative": "low quality"}),
        ("不需要高清，标清足矣，一座寺庙", {"prompt": "一座寺庙", "resolution": "480p"}),
        ("避免竖屏，一座寺庙", {"prompt": "一座寺庙", "aspect": "16:9", "negative": None}),
        ("请勿加音乐，一座寺庙", {"prompt": "一座寺庙", "audio": False}),
    ],
)
def test_formal_refusals_and_approvals(text: str, want: dict[str, Any]) -> None:
    _check(text, want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("唔使有聲，維港夜景", {"prompt": "維港夜景", "audio": False}),
        ("維港夜景，直向就得", {"prompt": "維港夜景", "aspect": "9:16"}),
        ("十秒，唔係唔係，八秒，維港夜景", {"prompt": "維港夜景", "seconds": 8}),
        ("維港夜景，唔好有船", {"prompt": "維港夜景", "negative": "船"}),
        ("維港夜景，畫面唔好出現人", {"prompt": "維港夜景", "negative": "人"}),
        ("維港夜景，四個版本，唔係，兩個就夠", {"prompt": "維港夜景", "variations": 2}),
        (
            "1080p，唔好意思，我係免費用戶，720p啦，維港夜景",
            {"prompt": "維港夜景", "resolution": "720p"},
        ),
    ],
)
def test_cantonese_settings_and_corrections(text: str, want: dict[str, Any]) -> None:
    _check(text, want)
