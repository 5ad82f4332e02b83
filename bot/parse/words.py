"""Every word list the parser reads, as data: numbers, misspellings, flags, parameter words, negation and
audio words, request filler and the vocabulary of messages about the bot itself.

Pure data (tuples, dicts, frozensets of lower-case, simplified-Chinese words): the pattern modules build
their regexes from these. No regexes and no logic here; slash-command names live in bot/commands.py.
"""

from __future__ import annotations

from typing import Any, Final

# -- numbers ------------------------------------------------------------------------------------------

EN_NUMBERS: Final[tuple[str, ...]] = tuple(
    (
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty"
    ).split()
)
CN_DIGITS: Final = "零〇一二两三四五六七八九十百千"

# -- misspellings ---------------------------------------------------------------------------------------

#: Long parameter words a one-edit misspelling of which reads as the word ("verticle", "10 secons").
TYPO_WORDS: Final[tuple[str, ...]] = (
    "vertical", "portrait", "landscape", "horizontal", "widescreen", "seconds", "variations", "versions",
    "relaxed", "seamless", "storyboard",
)
#: Misspellings more than one edit away, and short words where one edit is too loose ("squire").
TYPO_KNOWN: Final[dict[str, str]] = {
    "verticle": "vertical", "verticel": "vertical", "virticle": "vertical", "virtical": "vertical",
    "potriat": "portrait", "sqaure": "square", "squre": "square", "sqare": "square", "suqare": "square",
}
#: Real words one edit away from a parameter word: never corrected.
TYPO_REAL: Final = frozenset(
    {"second", "version", "variation", "relaxes", "relayed", "relaxer", "related", "vortical", "seamlessly"}
)

# -- --flags ----------------------------------------------------------------------------------------------

VALUE_FLAGS: Final[dict[str, str]] = {
    **dict.fromkeys(
        ("seconds", "second", "secs", "sec", "duration", "dur", "len", "length", "time", "t"), "seconds"
    ),
    **dict.fromkeys(("res", "resolution", "quality-preset", "size"), "resolution"),
    **dict.fromkeys(("ar", "aspect", "aspect-ratio", "aspect_ratio", "ratio"), "aspect"),
    **dict.fromkeys(("variations", "variation", "n", "num", "count", "versions", "batch"), "variations"),
    "seed": "seed",
    "mode": "mode",
    **dict.fromkeys(("strength", "denoise", "remix-strength"), "strength"),
}
#: Flags whose value is text up to the next flag: a negative prompt.
TEXT_FLAGS: Final = frozenset({"no", "negative", "neg", "negative-prompt", "negative_prompt", "np", "avoid"})
#: Flags that need no value: (Request field, value).
SWITCH_FLAGS: Final[dict[str, tuple[str, Any]]] = {
    "relax": ("mode", "relaxed"), "relaxed": ("mode", "relaxed"), "slow": ("mode", "relaxed"),
    "fast": ("mode", "fast"), "turbo": ("mode", "fast"),
    "loop": ("loop", True), "seamless": ("loop", True), "looping": ("loop", True),
    "no-loop": ("loop", False), "noloop": ("loop", False),
    "hd": ("resolution", "720p"), "fhd": ("resolution", "1080p"), "fullhd": ("resolution", "1080p"),
    "sd": ("resolution", "480p"),
    "vertical": ("aspect", "9:16"), "portrait": ("aspect", "9:16"), "tall": ("aspect", "9:16"),
    "landscape": ("aspect", "16:9"), "horizontal": ("aspect", "16:9"), "wide": ("aspect", "16:9"),
    "widescreen": ("aspect", "16:9"), "square": ("aspect", "1:1"),
    "480p": ("resolution", "480p"), "720p": ("resolution", "720p"), "1080p": ("resolution", "1080p"),
    "extend": ("extend", True),
    "audio": ("audio", True), "sound": ("audio", True),
    "no-audio": ("audio", False), "noaudio": ("audio", False), "no-sound": ("audio", False),
    "nosound": ("audio", False), "mute": ("audio", False), "muted": ("audio", False),
    "silent": ("audio", False),
}
#: Switch flags that take an explicit yes/no value (`--loop=false`, `--audio off`).
BOOL_SWITCHES: Final = frozenset({"loop", "audio"})
TRUE_WORDS: Final = frozenset({"true", "yes", "on", "1", "y"})
FALSE_WORDS: Final = frozenset({"false", "no", "off", "0", "n"})

# -- parameter words ----------------------------------------------------------------------------------

ASPECT_WORDS: Final[dict[str, str]] = {
    "vertical": "9:16", "portrait": "9:16", "tall": "9:16",
    "landscape": "16:9", "horizontal": "16:9", "widescreen": "16:9", "wide": "16:9",
    "square": "1:1",
}
RES_WORDS: Final[dict[str, str]] = {
    "480p": "480p", "480": "480p", "sd": "480p",
    "720p": "720p", "720": "720p", "hd": "720p",
    "1080p": "1080p", "1080": "1080p", "fhd": "1080p", "fullhd": "1080p", "full-hd": "1080p",
    "full_hd": "1080p",
}
MODE_WORDS: Final[dict[str, str]] = {
    "fast": "fast", "turbo": "fast", "relaxed": "relaxed", "relax": "relaxed", "slow": "relaxed",
}
#: Resolutions people ask for that the bot does not make: an error, not prompt text.
BAD_RES: Final = frozenset({"144", "240", "360", "540", "1440", "2160", "4320"})
#: Units after "16 by 9" that make it a size in the scene ("a 16 by 9 foot rug").
SIZE_UNITS: Final[tuple[str, ...]] = (
    "feet", "foot", "ft", "inch", "inches", "in", "m", "meter", "meters", "metre", "metres", "cm", "mm", "km",
    "mile", "miles", "yard", "yards", "grid", "square", "squares", "tile", "tiles", "pixel", "pixels", "px",
)
#: Short-video platforms whose format is vertical ("for tiktok", "reels-style").
VERTICAL_PLATFORMS: Final[tuple[str, ...]] = ("tiktok", "douyin", "reels", "reel", "shorts", "stories", "story")
#: Words after a platform or aspect word that make it a style or format ("reels-style", "tiktok format").
STYLE_SUFFIXES: Final[tuple[str, ...]] = ("style", "styled", "format", "formatted", "size", "sized", "ratio")
#: Words a "please" can follow at the end of a parameter clause.
POLITE_WORDS: Final[tuple[str, ...]] = ("pls", "please", "plz", "thx", "thanks", "ty")

#: Relaxed (slow, cheap) mode, as a phrase that may open or sit inside a clause.
RELAXED_PHRASES: Final[tuple[str, ...]] = (
    r"no\s+rush", r"no\s+hurry", r"not\s+urgent", r"no\s+need\s+to\s+hurry", r"not\s+in\s+a\s+hurry",
    r"(?:there'?s\s+)?no\s+(?:big\s+)?rush", r"take\s+your\s+time", r"whenever(?:\s+you\s+(?:can|get\s+(?:to|around\s+to)\s+it|"
    r"have\s+(?:time|a\s+moment)|'?re\s+free|are\s+free))?", r"when(?:ever)?\s+you\s+get\s+(?:a\s+)?(?:chance|around\s+to\s+it)",
    r"in\s+no\s+hurry", r"low\s+priority", r"cheap\s+mode", r"relax(?:ed)?",
)
RELAXED_PHRASES_ZH: Final[tuple[str, ...]] = (
    "不急的话", "不着急的话", "不赶的话", "有空的话", "有空再做", "有空再弄", "有空时", "有空的时候", "不急", "不着急",
    "慢慢来", "慢慢生成", "不赶时间", "不用急", "不用着急", "慢速",
)

# -- negation and sound -------------------------------------------------------------------------------

#: English words that refuse the parameter word after them ("not vertical", "no loop", "without hd").
NEGATORS_BEFORE: Final[tuple[str, ...]] = (
    r"not", r"no", r"non", r"without", r"never", r"don'?t\s+(?:make\s+it\s+|want\s+(?:it\s+)?|need\s+(?:it\s+)?)?",
    r"do\s+not\s+(?:make\s+it\s+|want\s+(?:it\s+)?|need\s+(?:it\s+)?)?", r"doesn'?t\s+(?:need\s+to\s+be|have\s+to\s+be)",
    r"does\s+not\s+(?:need\s+to\s+be|have\s+to\s+be)", r"shouldn'?t\s+be", r"should\s+not\s+be",
    r"isn'?t", r"is\s+not", r"needn'?t\s+be", r"rather\s+than", r"instead\s+of", r"nothing",
)
#: English words after a parameter word that refuse it ("hd not needed", "loop: no").
NEGATORS_AFTER: Final[tuple[str, ...]] = (
    r"not\s+(?:needed|necessary|required|wanted|please|pls|thanks)", r"(?:isn'?t|is\s+not)\s+(?:needed|necessary|required)",
    r"(?:is\s+)?unnecessary", r"(?:is\s+)?optional", r"no\s+(?:need|thanks|thx)", r"please\s+no", r"[:=]\s*(?:no|off|false)",
)
#: Chinese words that refuse what follows them ("不要循环", "别竖屏", "不用高清").
NEGATORS_ZH: Final[tuple[str, ...]] = (
    "不要", "不用", "不需要", "无需", "不必", "别", "不想要", "不想", "不做", "不是", "非", "并非", "取消",
)
#: Chinese words after a parameter that refuse it ("高清不需要").
NEGATORS_AFTER_ZH: Final[tuple[str, ...]] = ("不需要", "不用", "不要", "就不用了", "不用了", "不要了", "免了")

#: Turning sound off, as an instruction ("mute", "no sound", "静音"). "silent" and "quiet" describe a scene
#: ("a silent forest") and count only as their own clause ("a forest, silent") or right before "please".
MUTE_PHRASES: Final[tuple[str, ...]] = (
    r"mute(?:d)?", r"no\s+(?:sound|audio)", r"without\s+(?:any\s+)?(?:sound|audio)", r"sound\s*(?:off|[:=]\s*(?:no|off))",
    r"audio\s*(?:off|[:=]\s*(?:no|off))", r"(?:turn|switch)\s+(?:off\s+(?:the\s+)?(?:sound|audio)|(?:the\s+)?(?:sound|audio)\s+off)",
    r"(?:sound|audio)\s+(?:not\s+needed|unnecessary)", r"no\s+need\s+for\s+(?:sound|audio)", r"sound(?:less)",
    r"no\s+(?:music|soundtrack)", r"with\s+no\s+(?:sound|audio)", r"(?:don'?t|do\s+not)\s+(?:add|include|need|want)\s+"
    r"(?:any\s+)?(?:sound|audio)",
)
MUTE_CLAUSE_WORDS: Final[tuple[str, ...]] = (r"silent", r"silently", r"quiet", r"no\s+noise", r"silent\s+(?:video|clip)")
MUTE_ZH: Final[tuple[str, ...]] = (
    "静音", "无声", "无音频", "无音效", "不要声音", "不要音频", "不要音效", "不要配乐", "不用声音", "不需要声音",
    "关掉声音", "关闭声音", "去掉声音", "没有声音", "别有声音", "不带声音", "不出声",
)
#: Asking for sound explicitly ("with sound", "有声音").
SOUND_PHRASES: Final[tuple[str, ...]] = (
    r"with\s+(?:sound|audio)", r"sound\s+on", r"audio\s+on", r"(?:add|include)\s+(?:sound|audio)",
)
SOUND_ZH: Final[tuple[str, ...]] = ("带声音", "有声音", "要声音", "加声音", "带音效", "配上声音")

# -- request filler --------------------------------------------------------------------------------------

GREETINGS: Final[tuple[str, ...]] = (
    "hey", "hi", "hello", "yo", "ok", "okay", "pls", "plz", "please", "kindly", "bot", "reelbot",
)
MAKE_VERBS: Final[tuple[str, ...]] = (
    "make", "mak", "create", "craete", "creat", "generate", "generte", "genrate", "genarate", "gen", "render",
    "produce", "animate", "give", "show",
)
VIDEO_NOUNS: Final[tuple[str, ...]] = ("video", "vid", "vdeo", "viedo", "vidoe", "clip", "animation", "gif", "movie")
