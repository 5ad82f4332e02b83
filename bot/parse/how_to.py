"""How-to questions about using the bot: what to send it ("what do i type", "要输入什么", "do i just send it
here?"), how to do something to its own things ("how do i edit a clip", "怎么叫它做影片") and what one of its
words means ("what does relaxed mode mean"). Patterns only; intent.py weighs them. Must not read parameters.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import alt, c
from bot.parse.words import HOW_TO_VERBS


@functools.cache
def use_how_rx() -> re.Pattern[str]:
    """Asking how to do something to the bot's own things: "how do i edit a clip", "how can we extend my
    video", "how do you cancel a render"."""
    verbs = (
        "edit remix extend lengthen loop trim cut cancel delete remove share download save upscale change redo "
        "fix make create generate get use animate blend ask tell send reply respond attach upload add"
    ).split()
    nouns = "clip video vid gif render prompt storyboard loop bot job one it them picture photo image pic photograph".split()
    return c(
        rf"(?<![a-z0-9'])how\s+(?:to\s+|(?:(?:do|can|could|should|would|does)\s+)?(?:i|we|you|one|someone|u)\s+"
        rf"(?:(?:can|could|should|must|will|have\s+to)\s+)?)"
        rf"(?:{alt(verbs)})\s+(?:(?:to|with|on|from)\s+)?(?:(?:a|an|the|my|this|that|our|their|your)\s+)?(?:{alt(nouns)})s?(?![a-z0-9'])"
        # "how the reply thing works": how a part of the bot works
        r"|how\s+(?:the|this|that|it)\s+(?:[a-z]+\s+){0,2}works?(?![a-z])"
        # "can it make a video of my son's match if i upload a photo?": what it can do with what one sends
        r"|^(?:can|could|will|would|does)\s+(?:it|you|u|this|the\s+bot|this\s+bot|reelbot)\s+[^?]{0,100}?"
        r"\bif\s+(?:i|we)\s+(?:upload|send|attach|give|post|share|add)\b"
        r"|(?:如果|要是|假如)(?:我|我们)?(?:上传|发|传|给它|附上)[^？?]{0,30}(?:能不能|可不可以|可以|能)"
        # "怎么叫它做影片", "如何让它生成视频"
        r"|(?:怎么|如何|怎样)(?:才能)?(?:叫|让|要|使|把)?(?:它|图片|照片|图|相片|视频|影片)?(?:做|生成|制作|弄|拍|动)(?:视频|影片|短片|动画|片|起来)?"
    )


@functools.cache
def how_to_rx() -> re.Pattern[str]:
    """Asking what to send the bot: "what do i type", "what should we write", "what to say", "要输入什么"."""
    return c(
        rf"(?<![a-z0-9'])(?:what|wtf|wth|what\s+the\s+heck|how|which\s+words?)\s+(?:(?:do|should|can|must|would|shall)\s+(?:i|we)\s+"
        rf"(?:even\s+|actually\s+|just\s+|really\s+)?(?:have\s+to\s+|need\s+to\s+)?|to\s+"
        rf"|(?:i|we)\s+(?:must|should|can|have\s+to|need\s+to)\s+)(?:{alt(HOW_TO_VERBS)})(?![a-z0-9'])"
        # "do i just send it (here)?": how to hand the bot something
        r"|^do\s+(?:i|we)\s+(?:just\s+|simply\s+|have\s+to\s+)?(?:send|post|upload|attach|drop|paste|type)\s+"
        r"(?:it|this|that|them|what\s+i\s+want|(?:the|a|my)\s+(?:photo|picture|pic|image|file|video|prompt|scene|description|sentence|message|text))"
        r"(?:\s+(?:here|in\s+here|to\s+you))?$"
        # "is there a special word i must write?": what to send, asked yes or no
        r"|^is\s+there\s+(?:a|any)\s+(?:special\s+|magic\s+|secret\s+|certain\s+)?(?:word|command|keyword|phrase|trick|format)s?"
        r"(?:\s+(?:i|we)\s+(?:must|have\s+to|need\s+to|should)\s+(?:write|type|use|say|add))?$"
        r"|(?:要|该|应该|需要)?(?:输入|打|写|发|说)(?:些)?(?:什么|啥)(?:字|内容|指令|命令)?"
        r"|(?:要|该|应该)?(?:怎么|如何)(?:输入|打字|写|发|说)"
    )


@functools.cache
def meaning_rx() -> re.Pattern[str]:
    """Asking what a word means: "what does relaxed mode mean", "what do variations mean"."""
    return c(
        r"(?<![a-z0-9'])what\s+(?:does|do|is|are)\s+(?P<x>(?:[a-z0-9'’-]+\s+){1,3}?)mean(?:s|ing)?(?![a-z])"
    )
