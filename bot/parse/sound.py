"""Sound in words: turned off ("no sound", "mute it", "make it silent", "a forest, but silent?", "静音",
"冇聲嘅" closing a clause, "无声的片") or asked for ("with sound", "sound on obviously", "要有声音", "make sure
there's sound", "need the sound on this one"). Cuts the words from a Scan into Found.audio.

Words that also describe a scene ("silent", "muted", "quiet") count only as an instruction: a clause of
their own, before a video or version noun, with "it" / "please", or after a joining word as a clause of its
own; "a silent forest", "a busy but silent hall" and "没有声音的世界" stay scenes. Reads nothing else.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import L, R, alt, c, seg
from bot.parse.found import Found
from bot.parse.scan import Scan
from bot.parse.words import (
    MUTE_CLAUSE_WORDS,
    MUTE_PHRASES,
    MUTE_ZH,
    POLITE_WORDS,
    SETTING_TAILS,
    SOUND_PHRASES,
    SOUND_ZH,
    VERSION_NOUNS,
    VIDEO_NOUNS,
)


@functools.cache
def _rx() -> dict[str, re.Pattern[str]]:
    video = rf"{alt(VIDEO_NOUNS)}s?"
    # a clause end, for words that count only at the end of one; a courtesy word may close it first
    clause_end = rf"(?=(?:\s+{alt((*POLITE_WORDS, 'thank you', 'thank u'))}(?![a-z0-9]))*\s*(?:$|[,;.!?。|\n:]|\s[—–-]\s))"
    # "a market, but silent?": a mute word after a joining word, as a clause of its own
    joined_mute = seg(rf"(?:but|and|also|just|only|though)\s+(?:{alt(MUTE_CLAUSE_WORDS)})")
    tails = rf"(?:\s+(?:{alt(SETTING_TAILS)}){R})*"  # "sound on obviously"
    return {
        "mute": c(
            rf"{L}(?:{alt(MUTE_PHRASES)}){R}(?!\s+of{R})|{seg(alt(MUTE_CLAUSE_WORDS))}"
            rf"|{L}(?:silent|muted|soundless|quiet)(?=[\s-]+(?:{video}){R})"
            rf"|{L}(?:silent|muted|soundless|mute|no[\s-]sound|no[\s-]audio)(?=[\s-]+{alt(VERSION_NOUNS)}s?{R})"
            rf"|{L}(?:silent|quiet|mute)\s+(?:please|pls|plz){R}"
            rf"|{joined_mute}"
            # "make it silent", "keep the clip muted": the clip made silent
            rf"|{L}(?:make|keep|render|leave|have|want|need)\s+(?:it|this|that|the\s+(?:{video})|this\s+one|it\s+all)\s+"
            rf"(?:totally\s+|completely\s+|fully\s+)?(?:silent|muted|soundless|mute|quiet){R}"
            # "冇聲嘅" (没声的) closing a clause: the silent one; before a noun it describes the scene
            rf"|(?<!不要)(?<!别)(?<!不用)(?<!不)(?<!无需)(?<!不需要){alt(MUTE_ZH)}"
            r"(?:的?(?:片|视频|影片|短片|版本|版)|的(?=\s*(?:$|[,;:。!?\n])))?(?!的)"
            rf"|{L}(?:please\s+)?(?:make\s+sure|be\s+sure|ensure)\s+(?:that\s+)?(?:there['’]?s|there\s+is|it\s+has)\s+"
            rf"no\s+(?:sound|audio|music){R}|{L}(?:make\s+sure|ensure)\s+(?:that\s+)?it['’]?s\s+(?:silent|muted){R}"
        ),
        # Chinese sound words before 的 describe the scene ("没有声音的世界"), and 没/不 before them negate
        "sound": c(
            rf"{L}(?:{alt(SOUND_PHRASES)}){R}{tails}{clause_end}"
            # "要有音效喔：": a particle closing the ask goes with it (not after 但: negation.py reads that clause)
            rf"|(?<![没不别但是过]){alt(SOUND_ZH)}(?:喔|哦|噢|啊|呀|啦|喇|吖|嘛|呢|哈)+(?=\s*(?:$|[,;:。!?\n]))"
            rf"|(?<![没不别]){alt(SOUND_ZH)}(?!的)"
            # "make sure there's sound", "it needs audio": asking for sound in a sentence of its own
            rf"|{L}(?:(?:please\s+)?(?:make\s+sure|be\s+sure|ensure)\s+(?:that\s+)?(?:there['’]?s|there\s+is|it\s+has"
            rf"|it['’]?s\s+got|it\s+gets|to\s+(?:add|keep|include|have)|you\s+(?:add|keep|include))"
            rf"|(?:it\s+)?(?:needs?|should\s+have|must\s+have|has\s+to\s+have))\s+(?:some\s+|the\s+)?"
            rf"(?:sound|audio)(?:\s+(?:on|in\s+it|too|as\s+well))?(?:\s+(?:on|for|in)\s+(?:this|that|it)(?:\s+one)?)?{R}{tails}{clause_end}"
        ),
    }


def take_sound(scan: Scan, found: Found) -> None:
    """Cut the words that turn sound off or ask for it from `scan` into `found` (the last kind read wins:
    asking for sound is read after turning it off, as before)."""
    rx = _rx()
    if scan.take(rx["mute"]):
        found.set("audio", False)
    if scan.take(rx["sound"]):
        found.set("audio", True)
