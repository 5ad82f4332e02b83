"""Capability questions: whether the bot can do a feature at all ("can it make a clip from my photo?", "does
it do sound?", "能生成带声音的吗？还是只有画面", "可以用照片做视频吗"). The question names a feature (what the member
would send, sound, captions), never a scene; an example after it ("like my finish line pic") or an alternative
("or just visuals?", "还是只有画面") stays part of the question. Patterns only; parser.py answers a match with
help when nothing is attached.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import alt, c
from bot.parse.words import CAPABILITY_FEATURES, CAPABILITY_FEATURES_ZH


@functools.cache
def _rx() -> tuple[re.Pattern[str], re.Pattern[str]]:
    feature = rf"(?:{alt(CAPABILITY_FEATURES)})s?(?![a-z])"
    subject = r"(?:it|you|u|this|this\s+(?:bot|thing|app|tool)|the\s+(?:bot|app|tool)|reelbot)"
    thing = r"(?:(?:a|an|the)\s+)?(?:clips?|videos?|vids?|gifs?|ones?|them|things?|animations?|it|that)?"
    own = r"(?:(?:a|an|the|my|our|your|some)\s+)?(?:own\s+)?"
    en = c(
        rf"^(?:(?:so|and|hey|hi|also|btw|quick\s+question)[\s,]+)*(?:can|could|does|do|will|would|is)\s+{subject}\s+"
        r"(?:be\s+able\s+to\s+|able\s+to\s+)?"
        # "make a clip from my photo": a making verb with the feature after its preposition; "does it do sound",
        # "can you add captions": a verb that takes the feature itself
        r"(?:(?:make|do|create|generate|render|turn|animate|work|give|produce)\s+"
        rf"(?:(?:me|us)\s+)?{thing}\s*(?:from|out\s+of|with|using|based\s+on|off|on)\s+"
        r"|(?:do|handle|use|take|add|support|include|put\s+in|read|output)\s+)"
        rf"{own}{feature}"
        r"(?:\s+(?:too|as\s+well|also|at\s+all))?\s*\?*"
        # "... like my finish line pic", "or just visuals?", "or only silent ones": an example or the alternative
        r"(?:[\s,.?!;—–-]+(?:like|e\.?g\.?|for\s+example|such\s+as|or\s+(?:just|only|is\s+it\s+(?:just|only))|or\s+no)"
        r"(?:\s+[^\s?!.]+){1,6}\s*[?!.]*)?$"
    )
    zh_feature = alt(CAPABILITY_FEATURES_ZH)
    zh = c(
        r"^(?:请问|问一下|问下)?(?:你|它|这个|机器人|bot|reelbot)?(?:能|能不能|可以|可不可以|会|会不会|支持|支不支持|有没有办法)"
        r"(?:生成|做|制作|弄|出|加|用|把|拿|从|根据|配)?(?:我的?)?"
        rf"(?:带|有|加|配|用|从|拿|根据)?(?:我的?)?(?:{zh_feature})的?(?:来)?(?:生成|做|制作|弄)?(?:成)?"
        r"(?:视频|影片|短片|片|动画|吗)?(?:吗|么|嘛|不|没有|呢)?[?？!！]*"
        # "还是只有画面", "还是只能静音", "或者只是画面": the alternative
        r"(?:[，,]?\s*(?:还是|或者|或是|定系)(?:只有|只能|只是|就|只)?[^？?，,。]{0,8}[?？]*)?$"
    )
    return en, zh


def capability_question(norm: str) -> bool:
    """Whether `norm` (the matching view of a whole message) only asks whether the bot can do a feature."""
    s = re.sub(r"\s+", " ", norm).strip()
    if len(s) > 160:
        return False
    en, zh = _rx()
    return bool(en.match(s) or zh.match(s))
