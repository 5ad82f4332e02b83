"""Asides: clauses beside a question that tell something about the member rather than a scene ("I run a small
candle shop", "just need it for my daughter's recital", "我是开花店的", "想帮店里再做几支影片"), and the reasons a
cancel gives in its own words ("I spelled my shop's name wrong", "i dont need it anymore").

Patterns over one clause of the matching view; intent.py decides with them (an aside counts only beside a
question that is asked). Must not read parameters.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import c

#: how a member speaks of themselves: a first-person subject, or a want that implies one
_SELF_EN = (
    r"(?:i|i['’]?m|im|i['’]?d|id|i['’]?ve|ive|i['’]?ll|my|we|we['’]?re|our|me|myself|just\s+need|just\s+want|"
    r"need|want|wanna|hoping|trying|planning|thinking|wondering|for\s+my|for\s+our|it['’]?s\s+for|"
    r"especially|particularly|mainly|regarding|about|for\s+example|like\s+what|first\s+i|i\s+think|"
    r"it['’]?s\s+going\s+to|it\s+will|it['’]?ll|because|cause|cuz|since|[a-z]+\s+wise|yesterday|today|last\s+night|"
    r"earlier|recently|it['’]?s\s+taking|it\s+takes|it['’]?s\s+too|it\s+is\s+still|it['’]?s\s+still|the\s+one|that\s+one|"
    r"this\s+one|the\s+(?:time|length|size|prompt|video|duration|colou?r|sound)\s+should|just\s+to|to\s+get\s+ideas|"
    r"\$?[0-9]+\s*(?:bucks|dollars|usd|eur|euros|quid|rmb|yuan|a\s+month)|\$[0-9]+|"
    # the member's skills, the subject left out: "not very techy sorry", "new to all this", "bad with computers"
    r"(?:not\s+(?:very\s+|too\s+|so\s+|that\s+|really\s+)?|kinda\s+|a\s+bit\s+|quite\s+)?(?:techy|technical|"
    r"tech[\s-]?savvy|good\s+(?:with|at)\s+(?:computers|tech|technology|phones|apps|this|these\s+things)|"
    r"bad\s+(?:with|at)\s+(?:computers|tech|technology|phones|apps|this|these\s+things)|new\s+to\s+(?:this|all\s+this|"
    r"discord|telegram|ai|tech|the\s+bot|these\s+things)))"
)
_SELF_ZH = (
    r"(?:我|我们|咱们|本人|想|打算|准备|因为|家里|店里|我家|我店|感觉|觉得|不过|不太懂|不懂电脑|不会用电脑)"
)


@functools.cache
def _aside_rx() -> re.Pattern[str]:
    return c(rf"^(?:(?:and|but|so|also|btw|oh|well)\s+)?{_SELF_EN}(?![a-z0-9'’])|^{_SELF_ZH}")


@functools.cache
def _reason_rx() -> re.Pattern[str]:
    """A reason for a cancel in the member's own words: something written wrong, or not needed any more."""
    return c(
        r"(?:(?:i|we)\s+)?(?:spelled|spelt|typed|wrote|got|put|entered|said|named|picked|chose|used)\s+"
        r"(?:[a-z0-9'’]+\s+){0,5}?wrong(?:ly)?"
        r"|(?:(?:i|we)\s+)?(?:don['’]?t|do\s+not|dont|no\s+longer)\s+(?:need|want)\s+(?:it|that|this|them|one)?"
        r"(?:\s+(?:anymore|any\s+more|now|after\s+all))?"
        r"|(?:it['’]?s\s+|its\s+)?not\s+needed(?:\s+(?:anymore|any\s+more))?"
        # "the ref reversed the call so the clip's pointless now": what happened, and that the clip is no use
        r"|(?:(?:[a-z0-9'’]+\s+){1,14}?so\s+)?(?:(?:the|my|this|that)\s+)?(?:clip|video|render|job|it|one|that|this)"
        r"(?:['’]?s|\s+is|\s+would\s+be|\s+will\s+be)\s+(?:kind\s+of\s+|totally\s+|completely\s+)?(?:pointless|useless|"
        r"unnecessary|irrelevant|moot|outdated|no\s+use|not\s+needed|no\s+longer\s+needed)(?:\s+(?:now|anymore|any\s+more))?"
        r"|(?:我)?(?:不需要|不用|不要)了|(?:我)?(?:写|打|拼|填)错了.{0,8}"
    )


def is_aside(clause: str) -> bool:
    """Whether a clause tells about the member ("I run a small candle shop", "我是开花店的")."""
    return bool(_aside_rx().search(clause))


def is_reason(clause: str) -> bool:
    """Whether a clause gives a cancel's reason in the member's own words ("I spelled my shop's name wrong")."""
    return bool(_reason_rx().fullmatch(clause))
