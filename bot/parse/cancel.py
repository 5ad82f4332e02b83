"""Cancels in their fixed shapes (a cancel verb and what it points at: "scrap that one", "call it off",
"撤销刚才的请求") and the comments a message may carry beside a question ("oops", "I'm new here", and the
reasons given with a cancel: "wrong pic", "sent the wrong photo", "图片发错了"). Patterns only; intent.py decides.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import alt, c
from bot.parse.words import (
    CANCEL_ASKED_VERBS,
    CANCEL_JOB_NOUNS,
    CANCEL_OBJECTS,
    CANCEL_OBJECTS_ZH,
    CANCEL_VERBS,
    CANCEL_ZH,
    META_CLAUSES,
    META_CLAUSES_ZH,
    MISTAKE_NOUNS,
    MISTAKE_NOUNS_ZH,
    MISTAKE_VERBS,
    MISTAKE_VERBS_ZH,
    PRAISE_WORDS,
    PRAISE_WORDS_ZH,
    SENDER_ROLES,
)


@functools.cache
def _meta() -> frozenset[str]:
    return frozenset(META_CLAUSES) | frozenset(META_CLAUSES_ZH)


@functools.cache
def _mistake_rx() -> re.Pattern[str]:
    """A clause that only says something went wrong: "wrong pic", "I sent the wrong photo", "the prompt was
    wrong", "didn't mean to send that", "by accident", "图片发错了", "传错图了"."""
    noun = rf"(?:{alt(MISTAKE_NOUNS)})s?"
    verb = alt(MISTAKE_VERBS)
    det = r"(?:(?:the|a|an|my|that|this)\s+)?"
    zn, zv = alt(MISTAKE_NOUNS_ZH), alt(MISTAKE_VERBS_ZH)
    return c(
        rf"(?:(?:i|i've|ive|i\s+have|i\s+just|oops\s+i)\s+)*(?:{verb}\s+(?:you\s+)?)?{det}wrong\s+(?:[a-z]+\s+)?{noun}"
        rf"(?:\s+(?:again|by\s+mistake|lol))?"
        rf"|{det}{noun}\s+(?:was|is|are|were)\s+(?:all\s+)?wrong|wrong(?:\s+one)?\s+again|all\s+wrong"
        rf"|(?:that|it|this)\s+(?:was|is)\s+(?:a\s+|an\s+|my\s+)?(?:mistake|accident|error)|my\s+(?:mistake|error)"
        # "i meant to pick a different photo", "meant a dog": a correction, said beside a cancel
        rf"|(?:i\s+)?(?:meant|intended)\s+(?:to\s+)?[a-z0-9'’\s]{{1,48}}"
        rf"|(?:i\s+)?(?:didn'?t|did\s+not)\s+mean\s+(?:to(?:\s+(?:send|post|do|type)\s+(?:it|that|this))?|it|that)"
        rf"|(?:(?:i\s+)?(?:sent|posted|did)\s+(?:it|that|this)\s+)?by\s+(?:accident|mistake)"
        rf"|(?:i\s+)?accidentally(?:\s+(?:sent|posted|hit\s+send|pressed\s+send))?(?:\s+(?:it|that|this))?"
        rf"|(?:that'?s|that\s+is|it'?s|it\s+is)?\s*not\s+what\s+i\s+(?:meant|wanted|asked\s+for)"
        rf"|(?:(?:i\s+)?(?:made|had)\s+a\s+|there['’]?s\s+a\s+|there\s+is\s+a\s+)?typo(?:\s+in\s+{det}{noun})?"
        # "i made a mistake in the prompt", "i typed it wrong", "wrote the prompt wrong"
        rf"|(?:i\s+)?(?:made|make|did)\s+(?:a\s+)?(?:mistake|error|typo)s?(?:\s+(?:in|with|on)\s+{det}{noun})?"
        rf"|(?:i\s+)?(?:{verb})\s+(?:it|that|this|something|{det}{noun})\s+wrong(?:ly)?"
        # "i messed up the prompt", "got the photo wrong"
        rf"|(?:i\s+)?(?:messed|screwed|mucked|botched)(?:\s+up)?(?:\s+{det}{noun})?(?:\s+up)?"
        rf"|(?:i\s+)?got\s+{det}{noun}\s+wrong"
        # "i want to change the prompt", "let me fix the pic"
        rf"|(?:i\s+)?(?:want|wanna|need|have|gotta|['’]?ll|will)\s+(?:to\s+)?(?:change|fix|edit|redo|rewrite|update|tweak|swap)\s+{det}{noun}"
        rf"|let\s+me\s+(?:change|fix|edit|redo|rewrite|update|tweak|swap)\s+{det}{noun}"
        rf"|(?:我)?(?:{zn})?(?:{zv})错(?:了)?(?:{zn})?(?:了)?|(?:{zn})(?:不对|错了|有误)(?:了)?"
    )


@functools.cache
def _praise_rx() -> re.Pattern[str]:
    """A clause that only praises the clip: "sick clip", "nice one", "that's awesome", "love it", "好正"."""
    thing = r"(?:clip|video|vid|one|job|work|render|gif|loop|result|shot|stuff|edit)s?"
    return c(
        r"(?:(?:wow|omg|dang|damn|man|bro|dude|yo)[\s,!]+)*(?:(?:that|this|it)(?:['’]?s|\s+is|\s+was|\s+looks)\s+)?"
        r"(?:(?:a|an|so|really|super|very|pretty|such\s+a)\s+)*"
        rf"(?:{alt(PRAISE_WORDS)})(?:\s+{thing})?(?:\s+(?:man|dude|bro|mate|thanks|thx|ty))?"
        rf"|(?:i\s+)?(?:love|loved|like|liked|dig)\s+(?:it|this|that|this\s+one|that\s+one|the\s+{thing})"
        rf"(?:\s+(?:a\s+lot|so\s+much))?|(?:looks|turned\s+out)\s+(?:{alt(PRAISE_WORDS)})"
        rf"|(?:这个|呢个|條片|这条|视频)?(?:好|很|太|真|超)?(?:{alt(PRAISE_WORDS_ZH)})(?:了|啊|呀|喔|哦|耶)*"
    )


@functools.cache
def _label_rx() -> re.Pattern[str]:
    """A clause that only heads the message: "moderator note", "admin here", "psa", "quick reminder"."""
    return c(
        rf"(?:(?:a|the|quick|small|friendly|official)\s+)*(?:(?:{alt(SENDER_ROLES)})\s+)?"
        r"(?:note|notice|announcement|psa|reminder|message|request|update|fyi)"
        rf"|(?:{alt(SENDER_ROLES)})\s+(?:here|speaking|request|question)|psa|fyi|heads\s+up"
    )


_INTENSIFIERS = re.compile(r"\s*\b(?:so|really|totally|kinda|very|super|completely|just|like)\b\s*")


def is_comment(text: str) -> bool:
    """Whether a clause (matching view, without its head and tail words) only comments on the conversation
    ("oops", "I'm new here", "wrong pic"; "i'm *so* lost" as "i'm lost")."""
    if text in _meta() or any(rx.fullmatch(text) for rx in (_mistake_rx(), _praise_rx(), _label_rx())):
        return True  # "wrong pic", "sick clip": beside the question, neither asks nor makes a scene
    plain = _INTENSIFIERS.sub(" ", text).strip()
    return bool(plain) and plain != text and (plain in _meta() or bool(_mistake_rx().fullmatch(plain)))


@functools.cache
def cancel_shape() -> re.Pattern[str]:
    """A whole clause that cancels: a cancel verb and what it points at ("scrap that one", "撤销刚才的请求")."""
    verb = alt(v for v in CANCEL_VERBS if v != "call off")
    # "my last vid", "that dragon video", "the current render": up to two words say which of the bot's clips
    job = (
        r"(?:(?:my|the|this|that|current|last|latest|new|recent|previous|pending|queued)\s+)+"
        rf"(?:[a-z'’-]+\s+){{0,2}}?(?:{alt(CANCEL_JOB_NOUNS)})s?"
    )
    # "the one i just made", "what we asked you for earlier": the bot's work, named by the asking
    asked = (
        r"(?:the\s+one|what|the\s+thing|the\s+(?:video|vid|clip|render|job)|whatever)\s+(?:that\s+)?(?:(?:i|we)\s+"
        rf"(?:just\s+|literally\s+just\s+)?(?:{alt(CANCEL_ASKED_VERBS)})"
        # "the video you're making": the work in progress
        r"|(?:you['’]?re|you\s+are|ur|u\s+r|you['’]?ve\s+been)\s+(?:making|rendering|generating|doing|working\s+on|on))"
        r"(?:\s+(?:earlier|before|now|right\s+now|just\s+now|a\s+(?:sec|second|minute|moment)\s+ago))?"
    )
    sent = rf"(?:\s+(?:that\s+)?(?:i|we)\s+(?:just\s+)?(?:{alt(CANCEL_ASKED_VERBS)}))?"  # "that last request i sent"
    obj = rf"(?:{alt(CANCEL_OBJECTS)}|{job}{sent}|{asked})"
    # "nvm that one": "never mind" is a cancel only with what it points at (alone it is a comment)
    verb = rf"(?:{verb}|nvm|never\s*mind)"
    polite = (
        r"(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+|just\s+)?|please\s+|pls\s+|just\s+)*"
    )
    zh_obj = alt(CANCEL_OBJECTS_ZH)
    zh = alt(CANCEL_ZH)
    # "nvm, don't make that", "oh no stop it": what opens the clause without changing it
    lead = r"(?:(?:nvm|never\s*mind|oops|actually|wait|no+|nah|ugh|oh|ok|okay|hey|hmm|pls|please)[\s,!.]+)*"
    one = rf"{verb}(?:\s+(?:please|pls|plz))?(?:\s+{obj})?"  # "stop please the video"
    zh_cancel = (
        # "不用生成了", "别再做了": no more of the work; "停下它啊不要啦": one cancel after another
        r"(?:(?:快|赶紧|马上|立刻|立即|先)?(?:不用|不要|别|不必|无需|甭|不想)(?:再)?(?:生成|做|画|弄|渲染|制作|搞|继续)(?:了|啦|吧|着|下去)*"
        rf"|(?:快|赶紧|马上|立刻|立即|先|请)?(?:(?:cancel|stop|kill)\s*|{zh})+(?:了|掉|一下)?我?(?:{zh_obj})*(?:吧|了)?"
        rf"|(?:把|将)?我?(?:{zh_obj})+(?:就|也|都|给|先|还是)?(?:{zh})+(?:掉)?(?:吧|了)*)"
    )
    return c(
        # "kill it kill it", "stop it, cancel that"
        rf"{lead}{polite}(?:{one}(?:[\s,!.]+{one})*(?:\s+(?:please|pls|plz|now|right\s+now|asap|thanks|thx|for\s+me))*"
        rf"|(?:don['’]?t|do\s+not|dont)\s+bother(?:\s+with\s+{obj})?"
        rf"|call\s+(?:it|that|this|everything|them)\s+off|{verb}(?:[\s,!.]+{verb})+"
        # "don't render that", "please don't make the one i just sent"
        rf"|(?:don['’]?t|do\s+not|dont)\s+(?:make|generate|render|do|create|finish|send|post|bother\s+with)\s+{obj}"
        rf"(?:\s+(?:anymore|any\s+more|after\s+all|please|pls))*)"
        rf"|{zh_cancel}(?:[啊呀啦吧了哦喔\s]*{zh_cancel})*[啊呀啦吧了哦喔]*"
    )
