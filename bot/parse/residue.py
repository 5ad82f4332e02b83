"""Clauses that held parameters and are left with only request wording once those were cut: "a cat, make it
<vertical>", "做<宽屏的>：...", "rain, make sure there's <sound>", a settings lead before ':' or '—', and
clauses that only ask for patience ("if you can", "辛苦了"). Cuts them whole from a Scan.

Runs after params.py; reads no parameter itself except the ambiguous words ("square", "loop") that stand in
such a clause. Never empties a message: a clause goes only when something else is left as the scene.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from bot.parse.around import about_member
from bot.parse.beside import LOOSE_WORDS_ZH, loose_word
from bot.parse.clauses import alt, c, stretched
from bot.parse.found import Found
from bot.parse.scan import Scan
from bot.parse.words import (
    APPROVAL_AFTER,
    APPROVAL_AFTER_ZH,
    CHOICE_ADVERBS,
    COMFORT_CLAUSES,
    COMFORT_CLAUSES_ZH,
    COMMENT_WORDS,
    COMMENT_ZH,
    CORRECTION_CLAUSES,
    CORRECTION_CLAUSES_MORE,
    DEVICE_TROUBLE_ZH,
    DEVICES_ZH,
    DRAFT_HESITATIONS,
    FOREIGN_SECONDS,
    GENERIC_CHOICES,
    GENERIC_CHOICES_ZH,
    GREETINGS,
    INTERJECTIONS,
    PURPOSE_APPROVALS,
    PURPOSE_PLACES,
    PURPOSE_PLACES_ZH,
    PURPOSE_VERBS_ZH,
    REFUSE_MODE_HEADS,
    REFUSE_MODE_WORDS,
    RESIDUE_FAST_ZH,
    RESIDUE_SOUND_OFF,
    RESIDUE_SOUND_OFF_VERB,
    RESIDUE_SOUND_ON,
    RESIDUE_SOUND_ON_ZH,
    RESIDUE_VERBS,
    RESIDUE_WORDS,
    RESIDUE_ZH,
    SELF_PLAN_HEADS,
    SELF_PLAN_HEADS_ZH,
    SELF_PLAN_NOUNS,
    SELF_PLAN_NOUNS_ZH,
    SETTING_KEYS,
    SOUND_LATER_NOUNS,
    SOUND_LATER_VERBS,
    SURE_WORDS,
    THANKS_CLAUSES,
    TOO_MUCH_WORDS,
    TOO_MUCH_ZH,
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# clause ends; a lead (settings before the scene) ends at a colon or a dash
_CLAUSE_SPLIT = re.compile(
    rf"[,;|\n、()\[\]!?。！？，；…]+|[.]{{2,}}|[.](?=\s|$)|\s[—–-]+\s|[—–]+|[:：](?=\s|[{_CJK}]|$)|(?<=[{_CJK}])\s+(?=[{_CJK}a-z0-9])|(?<=[{_CJK}a-z0-9])\s+(?=[{_CJK}])"
)
_LEAD_END = re.compile(rf"\s[—–-]+\s|[—–]+|[:：](?=\s|[{_CJK}]|$)")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_LOOSE_ZH = re.compile(alt(LOOSE_WORDS_ZH))
_PUNCT = re.compile(r"[\W_]+")


#: sound words a clause of request wording may hold (residue.py's own ambiguous words): strong ones count
#: without a request verb ("need the sound on this one", "silent obviously"), "quiet" only with one
_SOUND: dict[str, tuple[tuple[str, Any], bool]] = {
    **{w: (("audio", True), True) for w in RESIDUE_SOUND_ON},
    **{w: (("audio", False), True) for w in RESIDUE_SOUND_OFF},
    **{w: (("audio", False), False) for w in RESIDUE_SOUND_OFF_VERB},
}


@functools.cache
def _rx() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(residue words, Chinese residue words, a whole comfort clause, a request verb)."""
    en = c(rf"(?<![a-z0-9'’]){alt((*RESIDUE_WORDS, *COMMENT_WORDS))}(?![a-z0-9'’])")
    zh = c(alt(RESIDUE_ZH))
    comfort = c(rf"(?:{alt(COMFORT_CLAUSES)}|{alt(COMFORT_CLAUSES_ZH)})(?:\s+(?:please|pls|bot|lol))?")
    verb = c(rf"(?<![a-z0-9'’]){alt(RESIDUE_VERBS)}(?![a-z0-9'’])")
    return en, zh, comfort, verb


@functools.cache
def _extra_rx() -> dict[str, re.Pattern[str]]:
    """The patterns of the comment and aside clauses beside settings."""
    key_en = rf"(?<![a-z0-9'’])(?:{alt(SETTING_KEYS)})(?![a-z0-9'’])"
    return {
        # "yo make it <720p> landscape": an interjection opening the clause says nothing either
        "head": c(rf"^(?:(?:{stretched((*INTERJECTIONS, *GREETINGS))})(?![a-z0-9'’-])[\s,!.~]*)+"),
        # "<720p> is enough for WhatsApp", "<vertical> for my insta": what the clip is for is a reason
        "purpose": c(
            rf"(?<![a-z0-9'’])(?:({alt(PURPOSE_APPROVALS)})\s+(?:for|on)\s+[^,;:.!?]{{1,40}}"
            rf"|(?:for|on)\s+(?:(?:my|our|the|a)\s+)?(?:{alt(PURPOSE_PLACES)})(?:\s+(?:post|story|status|video|page))?"
            rf"|for\s+(?:my|our)\s+[a-z'’]+(?:\s+[a-z'’]+)?)$"
            rf"|(?:{alt(PURPOSE_VERBS_ZH)})(?:{alt(PURPOSE_PLACES_ZH)})(?:用的?|而已)?"
        ),
        # "it's for a slideshow anyway", "since it's going on my story": what the clip is for, beside settings
        "use": c(
            r"^(?:(?:since|because|cause|cuz|coz|as|and|but|oh)\s+)?(?:it['’]?s|its|it\s+is|this\s+is|that['’]?s|"
            r"it['’]?ll\s+be|it\s+will\s+be|it\s+goes|it['’]?s\s+going|going|just|mainly|only)\s+"
            r"(?:for|on|in|to\s+(?:post|share|put)\s+(?:on|in)|to\s+use\s+(?:for|on|as))\s+[^,;:]{1,40}?"
            r"(?:\s+(?:anyway|anyways|lol|tbh))?$"
        ),
        "fast_zh": c(alt(RESIDUE_FAST_ZH)),
        "sound_zh": c(alt(RESIDUE_SOUND_ON_ZH)),
        # "the normal quality is fine", "普通清晰度就行": a setting's name with a choice that names no value
        "key": c(rf"{key_en}|{alt(k for k in SETTING_KEYS if not k.isascii())}|清晰度|音质"),
        "choice": c(
            rf"(?<![a-z0-9'’]){alt((*GENERIC_CHOICES, *APPROVAL_AFTER, *PURPOSE_APPROVALS))}(?![a-z0-9'’])"
            rf"|{alt((*GENERIC_CHOICES_ZH, *(w for w in APPROVAL_AFTER_ZH if len(w) > 1)))}"
        ),
        "comment_zh": c(alt(COMMENT_ZH)),
        "generic": c(rf"(?<![a-z0-9'’]){alt(GENERIC_CHOICES)}(?![a-z0-9'’])|{alt(GENERIC_CHOICES_ZH)}"),
        "adverb": c(rf"(?<![a-z0-9'’]){alt(CHOICE_ADVERBS)}(?![a-z0-9'’])"),
        "thanks": c(alt(THANKS_CLAUSES)),
        "sure": c(rf"(?<![a-z0-9'’]){alt(SURE_WORDS)}(?![a-z0-9'’])"),
        # "I'll add music later", "我手机放不了", "免费用户用不了": why, in the member's words, beside a setting
        "why": c(
            rf"^(?:(?:and|but|so|since|because|cause|cuz|as)\s+)?(?:{alt(SOUND_LATER_VERBS)})\s+"
            rf"(?:{alt(SOUND_LATER_NOUNS)})(?:\s+(?:later|myself|after|afterwards|on it|over it|in editing|in post))*$"
            rf"|^(?:因为)?(?:我的?)?(?:要|想|会)?(?:放|在)?(?:{alt(DEVICES_ZH)})(?:上)?"
            rf"(?:{alt(DEVICE_TROUBLE_ZH)}|看|放|播)(?:的|啊|呀|哦|吧)?$"
            rf"|^(?:因为)?(?:{alt(SELF_PLAN_HEADS_ZH)})?(?:{alt(SELF_PLAN_NOUNS_ZH)})(?:{alt(DEVICE_TROUBLE_ZH)})(?:的|啊|呀|吧)?$"
        ),
        # "that's too pricey for us", "那个太贵了": what the refused setting would cost, beside it
        "too_much": c(
            r"^(?:(?:but|and|so|oh|ah|hmm|cause|cuz|because|since)\s+)?(?:(?:that|it|this|which)(?:['’]?s|\s+is|"
            r"['’]?d\s+be|\s+would\s+be|\s+will\s+be|['’]?ll\s+be)\s+|thats\s+|its\s+"
            # "<20 seconds> is too long for my story": the refused setting was the subject, cut
            r"|(?:is|was|are|seems|feels|would\s+be)\s+)?"
            r"(?:(?:way|a\s+bit|a\s+little|kinda|kind\s+of|just|much|far|bit|probably|honestly)\s+)*too\s+"
            rf"(?:{alt(TOO_MUCH_WORDS)})(?:\s+for\s+(?:us|me|(?:my|our)\s+[a-z'’]+))?(?:\s+(?:lol|haha|tbh|imo|rn|now))*$"
            rf"|^(?:那|这|那个|这个|那样|这样)?(?:也|就|实在|真的)*(?:太|有点|有点儿|好)(?:{alt(TOO_MUCH_ZH)})"
            r"(?:了)?(?:啊|呀|吧|哈+|啦|呢)?$"
        ),
        # "I'm on the free plan", "我是免费用户": the member's own plan, an aside beside settings
        "self_plan": c(
            rf"(?<![a-z0-9'’])(?:{alt(SELF_PLAN_HEADS)})\s+(?:{alt(SELF_PLAN_NOUNS)})(?![a-z0-9'’])"
            rf"|(?:{alt(SELF_PLAN_HEADS_ZH)})?(?:{alt(SELF_PLAN_NOUNS_ZH)})"
        ),
    }


@functools.cache
def _correction() -> re.Pattern[str]:
    words = alt((*CORRECTION_CLAUSES, *CORRECTION_CLAUSES_MORE))
    return c(rf"(?:{words})(?:[\s,]+(?:{words}))*")


@functools.cache
def _draft() -> re.Pattern[str]:
    """A length in another language's word for seconds, with the hesitation or correction after it
    ("10 segundos", "10 detik eh i mean"): a draft of the length the member then writes in English."""
    words = alt((*CORRECTION_CLAUSES, *CORRECTION_CLAUSES_MORE, *DRAFT_HESITATIONS))
    return c(
        rf"(?:[0-9]{{1,3}}(?:[.,][0-9])?\s*(?:{alt(FOREIGN_SECONDS)})(?![a-z0-9'’])[\s,.]*)"
        rf"(?:(?<![a-z0-9'’])(?:{words})(?![a-z0-9'’])[\s,.]*)*"
    )


@functools.cache
def _refused_mode() -> re.Pattern[str]:
    """A clause that turns a mode down ("don't put it on relaxed", "咪用relaxed啊"), read beside a cut mode."""
    return c(
        rf"(?:{alt(REFUSE_MODE_HEADS)})\s*(?:{alt(REFUSE_MODE_WORDS)})(?![a-z0-9'’])"
        r"(?:\s*(?:please|pls|plz|lol|thanks|啊|呀|喔|哦|啦|吖|呢))*[\s!.~]*"
    )


def _loose(text: str) -> list[tuple[str, Any]] | None:
    """The ambiguous parameter words of `text` when every other word is request wording, else None."""
    found = _loose_strong(text)
    return None if found is None else found[0]


def _loose_strong(text: str) -> tuple[list[tuple[str, Any]], bool] | None:
    """`_loose`, and whether a value it found counts without a request verb ("sound on obviously")."""
    en, zh, _, _ = _rx()
    extra = _extra_rx()
    text = extra["head"].sub("", text)
    values: list[tuple[str, Any]] = []
    strong = False
    for m in _LOOSE_ZH.finditer(text):  # Chinese has no spaces: its ambiguous words are found first
        if (value := loose_word(m.group())) is not None:
            values.append(value)
    rest = _LOOSE_ZH.sub(" ", text)
    if extra["fast_zh"].search(rest):
        values.append(("mode", "fast"))
        strong = True
        rest = extra["fast_zh"].sub(" ", rest)
    if extra["sound_zh"].search(rest):  # "声音要有": the sound asked for back to front
        values.append(("audio", True))
        strong = True
        rest = extra["sound_zh"].sub(" ", rest)
    rest = zh.sub(" ", en.sub(" ", rest))
    for word in _WORD.findall(rest):
        value = loose_word(word)
        if value is None and word in _SOUND:
            value, word_strong = _SOUND[word]
            strong = strong or word_strong
        if value is None:
            return None
        values.append(value)
    if _PUNCT.sub("", _WORD.sub("", rest)):
        return None  # other characters: Chinese words, emoji
    return values, strong


def _only(text: str, *patterns: re.Pattern[str]) -> bool:
    """Whether `text` holds nothing but what `patterns` match (and punctuation)."""
    for rx in patterns:
        text = rx.sub(" ", text)
    return not _PUNCT.sub("", text)


def _comment(text: str, beside: bool) -> bool:
    """A clause that only comments on settings: a setting's name with a choice that names no value or an
    approval ("the normal quality is quite sufficient", "普通清晰度就行"), or the member's own plan ("I'm a
    free user", "我是免费用户"); beside a cut setting also a bare no-value choice ("standard is perfectly fine")
    and why the member wants it ("I'll add music later", "我手机放不了")."""
    en, zh, _, _ = _rx()
    extra = _extra_rx()
    if beside and (extra["why"].match(text) or extra["too_much"].match(text)):
        return True
    if extra["self_plan"].search(text):
        return _only(extra["self_plan"].sub(" ", text), en, zh)
    if beside and extra["generic"].search(text) and extra["choice"].search(extra["generic"].sub(" ", text)):
        if _only(text, extra["generic"], extra["choice"], extra["adverb"], en, zh):
            return True
    if not extra["key"].search(text) or not extra["choice"].search(text):
        return False
    return _only(text, extra["key"], extra["choice"], extra["comment_zh"], en, zh)


def _spans(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _CLAUSE_SPLIT.finditer(norm, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    return [(a, b) for a, b in spans if norm[a:b].strip()]


def cut_residue(scan: Scan, found: Found) -> None:
    """Cut every clause of `scan` that held a parameter (or asks only for patience) and says nothing else,
    setting the ambiguous parameter words it holds; a lead before ':' / '—' goes whole when all of it is
    such clauses. Nothing is cut when it would leave no scene."""
    norm = scan.norm
    _, _, comfort, verb = _rx()
    lead_end: int | None = None
    if (m := _LEAD_END.search(norm)) is not None and norm[m.end() :].strip():
        lead_end = m.start()
    clauses = _spans(norm, 0, len(norm))
    cut: list[tuple[int, int, list[tuple[str, Any]]]] = []
    for i, (a, b) in enumerate(clauses):
        text = norm[a:b].strip()
        upto = clauses[i + 1][1] if i + 1 < len(clauses) else len(norm)
        since = clauses[i - 1][0] if i > 0 else 0
        # "... at dusk. Thanks, Priya": thanks opening the last sentence before a name signs the message off
        # (prompt.py reads it whole)
        last = norm[clauses[-1][0] : clauses[-1][1]]
        signoff = (
            0 < i == len(clauses) - 2
            and last.isascii()
            and len(last.split()) <= 2
            and re.search(r"(?:^|[.!?\n])[\s\x00]*$", norm[:a]) is not None
        )
        if (_extra_rx()["thanks"].fullmatch(text) or comfort.fullmatch(text)) and signoff:
            continue
        if _extra_rx()["thanks"].fullmatch(text):
            cut.append((a, b, []))
            continue
        if comfort.fullmatch(text) or _comment(text, any(scan.cutn[since:upto])):
            cut.append((a, b, []))
            continue
        if _correction().fullmatch(text) and any(scan.cutn[since:upto]):
            cut.append((a, b, []))  # "十秒，不对，八秒": the correction of a setting goes with it
            continue
        after = clauses[i + 2][1] if i + 2 < len(clauses) else len(norm)
        if _refused_mode().fullmatch(text) and (
            any(scan.cutn[since:upto]) or _extra_rx()["fast_zh"].search(norm[since:upto])
        ):
            cut.append((a, b, []))  # "don't put it on relaxed, <I need it fast>": the mode asked for is read
            continue
        if _draft().fullmatch(text) and any(scan.cutn[since:after]):
            cut.append((a, b, []))  # "10 segundos... sorry, <10 seconds>": the draft goes with the length
            continue
        was_cut = any(scan.cutn[a:b])
        loose = _loose_strong(text)
        if loose is None and any(scan.cutn[since:upto]) and (m := _extra_rx()["purpose"].search(text)):
            loose = _loose_strong(text[: m.start()] + " " + (m.group(1) or "") + text[m.end() :])
            was_cut = loose is not None  # a reason beside a setting goes with it
        if loose is None and _extra_rx()["use"].match(text) and any(scan.cutn[since:upto]):
            cut.append(
                (a, b, [])
            )  # "hd pls, it's for a wedding: ...": what the clip is for, beside a setting
            continue
        if loose is None:
            continue
        values, strong = loose
        strong = strong or bool(values and _extra_rx()["sure"].search(text))  # "vertical obviously"
        # a parameter was cut from it, or it asks for an ambiguous one in so many words ("make it square")
        if was_cut or (values and (strong or verb.search(text))):
            cut.append((a, b, values))
    if lead_end is not None:
        lead = [(a, b) for a, b in clauses if b <= lead_end]
        lead_cut = {(a, b) for a, b, _ in cut}
        # "I'm on a budget, make it <480p>: ...": an aside about the member may stand in it too
        if any(scan.cutn[:lead_end]) and all(
            (a, b) in lead_cut or _loose(norm[a:b].strip()) is not None or about_member(norm[a:b].strip())
            for a, b in lead
        ):
            for a, b in lead:
                if (a, b) not in lead_cut:
                    cut.append((a, b, _loose(norm[a:b].strip()) or []))
    kept = [(a, b) for a, b in clauses if (a, b) not in {(x, y) for x, y, _ in cut}]
    if not cut or not kept:
        return  # nothing to cut, or nothing would be left to make
    for a, b, values in cut:
        for key, value in values:
            found.set(key, value)
        scan.cut(a, b)
