"""Edits of a clip (a reply to it, or one attached video): trim ranges, first/last seconds, shortening and
extension, in English and Chinese. Cuts those words from a Scan into Found and marks the edit a recut.

Recut details: `trim_start`/`trim_end` in seconds of the source clip (negative counts from its end);
`extend` with `seconds` = the seconds to add, or, for a target length ("extend to 12s", "make it 12 seconds
long", "加长到十五秒"), `seconds` = the target and `trim_end` = the target too (how the core tells the
two apart). Must not read other parameters.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import SEG_START, UNIT, L, R, alt, c
from bot.parse.edit_named import named_cut, named_cut_rx
from bot.parse.edit_scope import about_a_thing_en, about_a_thing_zh, clause_before
from bot.parse.errors import ParseError
from bot.parse.found import Found, check_seconds
from bot.parse.numbers import CLOCK, CN_NUM, DEC, EN_NUM, number
from bot.parse.scan import Scan
from bot.parse.words import (
    A_LITTLE_ZH,
    AFTER_LENGTH_OK,
    CLIP_FIRST,
    CLIP_FIRST_ZH,
    CLIP_LAST,
    CLIP_PARTS,
    CUT_VERBS,
    CUT_VERBS_ZH,
    EDIT_OBJECTS,
    ENOUGH_WORDS,
    ENOUGH_ZH,
    KEEP_VERBS,
    KEEP_VERBS_ZH,
)
from reel.contract import MAX_SECONDS

_CUT_TO = r"(?:trim|cut|shorten|clip|crop|recut|chop|snip)\s+(?:it\s+|this\s+|that\s+)?(?:down\s+)?to\s+(?:only\s+|just\s+)?"


@functools.cache
def _edit_rx() -> dict[str, re.Pattern[str]]:
    """Recut words, only looked for when the message edits a clip."""
    # "the first half second", "half a second", "a couple of seconds"
    t = rf"(?:{CLOCK}|{DEC}|{EN_NUM}|half(?:\s+a)?|(?:a\s+)?couple(?:\s+of)?)"
    u = rf"(?:\s*{UNIT}{R})"
    zn = rf"(?:{DEC}|{CN_NUM})"
    obj = alt(EDIT_OBJECTS)
    cut, keep, enough = alt(CUT_VERBS), alt(KEEP_VERBS), alt(ENOUGH_WORDS)
    first, last = alt(CLIP_FIRST), alt(CLIP_LAST)
    # a number of seconds after "first" / "last": "3 seconds", "3s", "3" closing its clause, or "second"
    bare = r"(?=\s*(?:$|[,.;!?]|(?:and|please|pls|plz|only|off|max|tops)(?![a-z])))"

    def span(n: str) -> str:
        return rf"(?:(?P<{n}>{t})(?:\s*{UNIT}{R}|{bare})|(?:seconds?|secs?){R})"

    # "the first 2 seconds need to go", "... should be cut", "... has to be removed"
    must_go = (
        r"(?:needs?|has|have|should|must|can|could|gotta|got)\s+(?:to\s+)?(?:be\s+)?"
        r"(?:go|gone|cut|removed|trimmed|deleted|dropped|cutting|trimming|binned|scrapped)(?![a-z])"
    )
    # "first three seconds are perfect, lose the rest", "I only like the opening 2 seconds, keep those"
    the_rest = (
        rf"[^,.;!?]{{0,30}}?[,;.]?\s*(?:(?:and\s+|then\s+|just\s+)?(?:{cut})\s+(?:the\s+rest|everything\s+else|"
        rf"the\s+remainder|all\s+the\s+rest|the\s+others?)|(?:so\s+)?(?:just\s+|only\s+)?(?:keep|save)\s+"
        rf"(?:those|them|that|these|it)(?:\s+only)?){R}"
    )
    not_cut = r"(?!\s+(?:cut|removed|gone|trimmed|deleted|dropped|off|out|away)(?![a-z]))"
    clause_end = r"(?=\s*(?:$|[,;.!?。|\n]))"
    start_noun = r"(?:start|beginning|front|opening|top|intro)"
    end_noun = r"(?:end|ending|finish|back|tail|outro)"
    zfirst = rf"(?:{alt(CLIP_FIRST_ZH)}(?:的|那个|那)?(?:前面?|头)?|前面?|头)"
    keep_after = r"(?:就|要|都)?(?:留着|留下|保留|留住|要留|留)(?:就好|就行|就够了)?"  # "前面三秒留着"
    zlast = r"(?:最后面|最后|结尾|末尾|后面|片尾|最尾|结束前)"
    zcut, zkeep, zlittle = alt(CUT_VERBS_ZH), alt(KEEP_VERBS_ZH), alt(A_LITTLE_ZH)
    # "就留", "净是要" (Cantonese 淨係要), never "不要" / "别留"
    zkeep = rf"(?<![不别没])(?:净是|就|只|仅|单|光|都)?{zkeep}"
    return {
        "range": c(
            rf"{L}(?:(?P<verb>trim|cut|clip|crop|keep|recut|shorten|use|take)\s+(?:it\s+|this\s+|that\s+)?"
            rf"(?:down\s+)?(?:to\s+)?(?:only\s+)?(?:the\s+)?(?:part\s+|section\s+|bit\s+)?)?"
            rf"(?:only\s+(?:the\s+)?(?:part|section|bit)\s+)?"
            rf"(?:from\s+|between\s+)?(?:(?P<pa>(?:the\s+)?(?:seconds?|secs?))\s+)?(?:the\s+)?(?:{L}(?P<a>{t})(?:st|nd|rd|th)?(?P<ua>{u})?(?:\s*-?\s*mark)?)"
            rf"\s*(?:-|–|—|~|to|and|until|till|through|up\s+to)\s*(?:(?P<pb>(?:the\s+)?(?:seconds?|secs?))\s+)?(?:the\s+)?"
            rf"(?P<b>{t})(?:st|nd|rd|th)?(?P<ub>{u})?(?:\s*-?\s*mark)?(?:\s+only)?"
        ),
        "first_cut": c(
            rf"{L}(?:{cut})\s+(?:off\s+|out\s+|away\s+)?(?:the\s+)?(?:very\s+)?{first}\s+{span('n')}"
            # "remove the 2 first seconds", "cut 2 seconds off the start", "start it 2 seconds in"
            rf"|{L}(?:{cut})\s+(?:off\s+)?(?:the\s+)?(?P<n2>{t})\s*{first}\s+(?:seconds?|secs?){R}"
            rf"|{L}(?:{cut})\s+(?:off\s+|out\s+)?(?:the\s+)?(?P<n3>{t}){u}\s+(?:off|from|of|at)\s+(?:the\s+)?"
            rf"(?:very\s+)?{start_noun}(?:\s+of\s+{obj})?{R}"
            rf"|{L}(?:start|begin)\s+(?:it\s+|the\s+clip\s+|the\s+video\s+)?(?P<n4>{t}){u}\s+(?:in|later){R}"
            rf"|{L}(?:the\s+)?(?:very\s+)?{first}\s+{span('n5')}\s+{must_go}"
        ),
        "last_cut": c(
            rf"{L}(?:{cut})\s+(?:off\s+|out\s+|away\s+)?(?:the\s+)?(?:very\s+)?{last}\s+{span('n')}"
            rf"|{L}(?:{cut})\s+(?:off\s+|out\s+)?(?:the\s+)?(?P<n4>{t}){u}\s+(?:off|from|of|at)\s+(?:the\s+)?"
            rf"(?:very\s+)?{end_noun}(?:\s+of\s+{obj})?{R}"
            rf"|{L}(?:end|stop|finish)\s+(?:it\s+)?(?P<n5>{t}){u}\s+(?:early|earlier|sooner){R}"
            rf"|{L}(?:the\s+)?(?:very\s+)?{last}\s+{span('n6')}\s+{must_go}"
            rf"|{L}(?:make\s+(?:it|this|that)\s+)?(?P<n2>{t}){u}\s+shorter{R}"
            rf"|{L}(?:make\s+(?:it|this|that)\s+)?shorter\s+by\s+(?P<n3>{t}){u}"
        ),
        "first_keep": c(
            rf"{L}(?:(?:only\s+|just\s+)?(?:{keep})\s+(?:only\s+|just\s+)?|{_CUT_TO}|only\s+|just\s+)(?:the\s+)?(?:very\s+)?"
            rf"{first}\s+{span('n')}(?:\s+only)?{not_cut}"
            # "first 4 seconds only", "the first 3 seconds will do", "first 3 seconds, please"
            rf"|{L}(?:the\s+)?{first}\s+(?:(?P<n2>{t})\s*{UNIT}|seconds?|sec){R}\s*(?:{enough}){R}"
            rf"|{SEG_START}\s*(?:the\s+)?{first}\s+(?P<n3>{t})\s*{UNIT}{R}(?:\s+(?:please|pls|plz))?{clause_end}"
            rf"|{L}(?:the\s+)?(?:very\s+)?{first}\s+(?P<n4>{t})\s*{UNIT}{R}{the_rest}"
        ),
        "last_keep": c(
            rf"{L}(?:(?:only\s+|just\s+)?(?:{keep})\s+(?:only\s+|just\s+)?|{_CUT_TO}|only\s+|just\s+)(?:the\s+)?(?:very\s+)?"
            rf"(?:last|final)\s+{span('n')}(?:\s+only)?{not_cut}"
            rf"|{L}(?:the\s+)?(?:last|final)\s+(?:(?P<n2>{t})\s*{UNIT}|seconds?|sec){R}\s*(?:{enough}){R}"
            rf"|{SEG_START}\s*(?:the\s+)?(?:last|final)\s+(?P<n3>{t})\s*{UNIT}{R}(?:\s+(?:please|pls|plz))?{clause_end}"
            rf"|{L}(?:the\s+)?(?:very\s+)?(?:last|final)\s+(?P<n4>{t})\s*{UNIT}{R}{the_rest}"
        ),
        "to_length": c(
            rf"{L}(?:trim|cut|shorten|clip|recut|crop)\s+(?:it\s+|this\s+|that\s+)?(?:down\s+)?to\s+"
            rf"(?P<n>{t}){u}(?:\s+long)?"
        ),
        "extend": c(
            rf"{L}(?:extend|lengthen|prolong|continue|stretch)(?:\s+{obj})?"
            rf"(?:\s+(?:by|for|with)\s+(?:another\s+)?(?P<by>{t}){u}(?:\s+more)?|\s+(?:up\s+)?to\s+(?P<to>{t}){u}(?:\s+long)?"
            rf"|\s+(?P<by2>{t}){u}(?:\s+more)?)?{R}"
            # "make it 12 seconds long": a target length
            rf"|{L}(?:make|get)\s+{obj}\s+(?:up\s+to\s+|last\s+)?(?P<to2>{t}){u}(?:\s+long|\s+in\s+length){R}"
            rf"|{L}(?:make|let)\s+{obj}\s+(?:last|run|go\s+(?:on\s+)?for)\s+(?:(?:a\s+)?(?:full|whole)\s+)?(?P<to4>{t}){u}{R}"
            rf"|{L}(?:make\s+{obj}\s+)?(?:a\s+(?:bit|little|lot)\s+|much\s+)?longer"
            rf"(?:\s+by\s+(?P<by3>{t}){u}|\s+(?:up\s+)?to\s+(?P<to3>{t}){u})?{R}"
            rf"|{L}add\s+(?:another\s+)?(?P<by4>{t}){u}(?:\s+more)?(?:\s+(?:to\s+(?:it|the\s+end)|at\s+the\s+end))?"
            rf"|{L}keep\s+(?:it\s+)?going{R}"
            rf"|{L}(?:make\s+(?:it|this|that)\s+)?(?P<by5>{t}){u}\s+longer{R}"
        ),
        # "end at 5s", "start from 0:02": one end of the part to keep
        "ends": c(
            rf"{L}(?:(?:so\s+(?:that\s+)?)?(?:it|the\s+clip|the\s+video)\s+)?"
            rf"(?:(?P<s>start|begin|starting|beginning|starts|begins)|(?P<e>end|stop|finish|ending|stopping|finishing|ends|stops|cut(?:\s+off)?))"
            rf"\s+(?:it\s+)?(?:off\s+)?(?:at|from|by|on|after)\s+(?:the\s+)?(?:first\s+)?(?:seconds?\s+)?(?P<n>{t})(?:st|nd|rd|th)?{u}?"
            rf"(?:\s*-?\s*(?:mark|point){R})?"
            # "only up to the 4 second mark", "keep everything until 0:04": the clip ends there
            rf"|{L}(?:(?:only|just|keep(?:\s+it)?|keep\s+everything|everything|all)\s+)+(?:up\s+)?(?:to|until|till)\s+(?:the\s+)?"
            rf"(?:seconds?\s+)?(?P<n6>{t})(?:st|nd|rd|th)?(?:\s*-?\s*{UNIT}{R})?\s*-?\s*(?:mark|point){R}"
            rf"|{L}(?:(?:only|just|keep(?:\s+it)?|keep\s+everything|everything|all)\s+)+(?:up\s+)?(?:to|until|till)\s+(?:the\s+)?"
            rf"(?:seconds?\s+(?P<n7>{t})|(?P<n8>{CLOCK}))"
            # "first second is junk, drop it", "the first 2 seconds are boring, cut them"
            rf"|{L}(?:the\s+)?(?:very\s+)?{first}\s+(?:(?P<n2>{t})\s*)?(?:seconds?|secs?)\s+(?:is|are)\s+[a-z]+[\s,]+"
            rf"(?:just\s+)?(?:drop|cut|remove|trim|delete|lose|chop|skip)(?:\s+(?:it|that|them|those))?{R}(?P<s2>)"
        ),
        "shorten": c(
            rf"{L}(?:(?:make\s+(?:it|this|that)\s+)?(?:a\s+(?:bit|little|lot)\s+|much\s+)?shorter"
            rf"|shorten(?:\s+(?:it|this|that))?|trim(?:\s+(?:it|this|that))?|recut(?:\s+(?:it|this|that))?"
            rf"|cut\s+(?:it|this|that)\s+down|tighten\s+(?:it|this)(?:\s+up)?){R}"
        ),
        # Chinese
        "range_zh": c(
            rf"(?:剪|截|截取|保留|只要|裁剪|裁|剪辑|只留)?(?:到|成|出)?(?:从|由)?(?:第)?(?P<a>{zn})\s*秒?\s*"
            # "从第2秒剪到第6秒": the verb may stand between the two marks; "由第三秒开始，去到第八秒"
            rf"(?:(?:开始|起)\s*[，,]?\s*)?(?:剪|截|截取|保留|留|裁|剪辑)?(?:一直|去)?(?:到|至|-|~|—)\s*(?:第)?(?P<b>{zn})\s*秒(?:钟)?"
            rf"(?:之间|的部分|部分|的片段|这段)?"
        ),
        # "drop everything after the 4 second mark", "cut all before 2s": the clip ends / starts there
        "past_cut": c(
            rf"{L}(?:cut|trim|remove|drop|delete|chop|lose|get\s+rid\s+of)\s+(?:off\s+)?(?:everything|all|anything|"
            rf"the\s+rest|the\s+part|whatever(?:\s+comes)?)\s+(?P<side>after|past|beyond|before)\s+(?:the\s+)?"
            rf"(?P<n>{t})\s*-?\s*(?:{UNIT}{R})?(?:\s+(?:mark|point))?"
        ),
        # "把前三秒剪掉", "4秒以后的都剪掉", "3秒之前的不要"
        "past_cut_zh": c(
            rf"(?:把)?{zfirst}(?P<first>{zn})\s*秒钟?(?:的部分|的内容|的)?(?:都|全部|给)?{zcut}"
            rf"|(?:把)?第?(?P<n>{zn})\s*秒钟?(?P<side>以后|之后|后面|后|以前|之前|前面)的?(?:部分|内容)?(?:都|全部|给)?{zcut}"
        ),
        "first_cut_zh": c(rf"{zcut}{zfirst}?的?前?(?P<n>{zn})\s*秒钟?"),
        "last_cut_zh": c(
            rf"{zcut}{zlast}的?(?:最?后)?(?P<n>{zn})\s*秒钟?|{zcut}后(?P<n2>{zn})\s*秒钟?"
            # "最后两秒不要了", "最尾嗰两秒剪走"
            rf"|(?:把)?{zlast}(?:的|那)?(?:最?后)?(?P<n3>{zn})\s*秒钟?(?:的部分|的内容|的)?(?:都|全部|给)?{zcut}"
        ),
        "first_keep_zh": c(
            rf"{zkeep}{zfirst}(?P<n>{zn})\s*秒钟?(?:{alt(ENOUGH_ZH)})?"
            # "前四秒就够了，后面的不要", "头三秒就得"
            rf"|{zfirst}(?P<n2>{zn})\s*秒钟?(?:的部分|的内容|的片段|的)?\s*(?:{alt(ENOUGH_ZH)}|{keep_after})"
            rf"(?:\s*[，,]?\s*(?:后面|之后|其他|其余|剩下)的?(?:部分|内容)?(?:都|全部|就)?(?:{zcut}|不用了?))?"
        ),
        "last_keep_zh": c(
            rf"{zkeep}(?:{zlast}的?|最?后)(?P<n>{zn})\s*秒钟?(?:{alt(ENOUGH_ZH)})?"
            rf"|(?:{zlast}的?|最?后)(?P<n2>{zn})\s*秒钟?(?:的部分|的内容|的片段|的)?\s*(?:{alt(ENOUGH_ZH)}|{keep_after})"
        ),
        "to_length_zh": c(rf"(?:剪|剪辑|裁剪|缩短|截|截短|压缩|剪短)(?:到|成|为)(?P<n>{zn})\s*秒钟?"),
        "ends_zh": c(
            rf"(?:到|在|于)第?(?P<n>{zn})\s*秒钟?(?P<e>结束|为止|停|截止|收尾|停止)"
            # "剪到第5秒": up to a point of the clip (not "剪到5秒", a length)
            rf"|(?:剪|截|裁|保留|留)(?:到|至)第(?P<n3>{zn})\s*秒钟?(?P<e2>)"
            rf"|(?:剪成|改成|变成)?(?:从|由)第?(?P<n2>{zn})\s*秒钟?(?P<s>开始|起)"
            rf"|(?:去到|一直到|直到|到)第(?P<n4>{zn})\s*秒钟?(?:为止|止)?(?P<e3>)"
            rf"|去到(?P<n5>{zn})\s*秒钟?(?P<e4>)"
        ),
        "extend_zh": c(
            rf"(?:再)?(?:延长|加长|拉长|延伸|续写|续|变长)(?:到|至)(?P<to>{zn})\s*秒钟?"
            rf"|(?:再)?(?:延长|加长|拉长|延伸|多加|加)(?P<by>{zn})\s*秒钟?"
            rf"|(?:再)?(?:延长|加长|拉长|延伸|变长|续写|接着拍|继续)(?:{zlittle})?"
            rf"|(?:再)?(?:弄|做|搞|变|整)?(?:长|耐)(?:{zlittle})"
        ),
        "shorten_zh": c(
            rf"剪辑|剪一下|剪短(?:{zlittle})?|裁剪|缩短|(?:弄|做|搞|变|整)?短(?:{zlittle})|剪(?![刀纸影头发彩贴])"
        ),
    }


def take_edit(scan: Scan, found: Found) -> None:
    """Recut words (trim ranges, first/last seconds, extend, shorten), cut from the text."""
    rx = _edit_rx()

    def sec(s: str | None, whole: str) -> float:
        x = 0.5 if s and s.startswith("half") else 2.0 if s and "couple" in s else number(s) if s else 1.0
        if x is None or x < 0 or x > 3600:
            raise ParseError("bad_seconds", whole)
        return x

    def range_(m: re.Match[str]) -> bool:
        a, b = m.group("a"), m.group("b")
        groups = m.groupdict()
        has_unit = any(groups.get(k) for k in ("ua", "ub", "pa", "pb")) or ":" in a + b or "秒" in m.group(0)
        if not (has_unit or groups.get("verb") or found.edit == "recut"):
            return False
        whole = m.group(0).strip()
        start, end = sec(a, whole), sec(b, whole)
        if end <= start or end - start > MAX_SECONDS + 0.5:
            raise ParseError("bad_seconds", whole)
        found.set("trim_start", start)
        found.set("trim_end", end)
        found.set("seconds", check_seconds(max(1.0, end - start), whole))
        found.edit = "recut"
        return True

    def past_cut(m: re.Match[str]) -> bool:
        g = m.groupdict()
        if g.get("first"):
            found.set("trim_start", sec(g["first"], m.group(0)))
        else:
            before = g["side"] in ("before", "以前", "之前", "前面")
            found.set("trim_start" if before else "trim_end", sec(g["n"], m.group(0)))
        found.edit = "recut"
        return True

    def named(m: re.Match[str]) -> bool:
        start, n = named_cut(m)  # "cut off the intro, the first second is just black"
        x = sec(n, m.group(0))
        found.set("trim_start" if start else "trim_end", x if start else -x)
        found.edit = "recut"
        return True

    def first_cut(m: re.Match[str]) -> bool:
        found.set("trim_start", sec(_first_of(m, "n", "n2", "n3", "n4", "n5"), m.group(0)))
        found.edit = "recut"
        return True

    def last_cut(m: re.Match[str]) -> bool:
        found.set("trim_end", -sec(_first_of(m, "n", "n2", "n3", "n4", "n5", "n6"), m.group(0)))
        found.edit = "recut"
        return True

    def first_keep(m: re.Match[str]) -> bool:
        x = sec(_first_of(m, "n", "n2", "n3", "n4"), m.group(0))
        found.set("trim_start", 0.0)
        found.set("trim_end", x)
        found.set("seconds", check_seconds(x, m.group(0)))
        found.edit = "recut"
        return True

    def last_keep(m: re.Match[str]) -> bool:
        x = sec(_first_of(m, "n", "n2", "n3", "n4"), m.group(0))
        found.set("trim_start", -x)
        found.set("seconds", check_seconds(x, m.group(0)))
        found.edit = "recut"
        return True

    def extend(m: re.Match[str]) -> bool:
        if _about_a_thing(scan.norm, m):
            return False  # "make his hair longer", "把头发变长一点": the look changes, not the length
        by = _first_of(m, "by", "by2", "by3", "by4", "by5")
        if by is not None:
            found.set("seconds", check_seconds(sec(by, m.group(0)), m.group(0)))
            found.set("extend_by", True)
        to = _first_of(m, "to", "to2", "to3", "to4")
        if to is not None:  # a target length: seconds is the target, trim_end says it is one
            found.set("seconds", check_seconds(sec(to, m.group(0)), m.group(0)))
            found.set("trim_end", sec(to, m.group(0)))
        found.set("extend", True)
        found.edit = "recut"
        return True

    def ends(m: re.Match[str]) -> bool:
        g = m.groupdict()
        if g.get("n5") and "trim_start" not in found.values:
            return False  # "去到八秒" is an end only after a start ("由三秒开始，去到八秒")
        x = sec(_first_of(m, "n", "n2", "n3", "n4", "n5", "n6", "n7", "n8"), m.group(0))
        found.set("trim_start" if g.get("s") is not None or g.get("s2") is not None else "trim_end", x)
        found.edit = "recut"
        return True

    def shorten(m: re.Match[str]) -> bool:
        if _about_a_thing(scan.norm, m):
            return False  # "make the cat shorter", "trim the hedge", "把裙子剪短一点"
        found.edit = "recut"
        return True

    for suffix in ("", "_zh"):
        if suffix and not scan.cjk:
            continue
        scan.take(named_cut_rx()["named_cut" + suffix], named)
        scan.take(rx["past_cut" + suffix], past_cut)
        scan.take(rx["range" + suffix], range_)
        scan.take(rx["first_keep" + suffix], first_keep)
        scan.take(rx["last_keep" + suffix], last_keep)
        scan.take(rx["first_cut" + suffix], first_cut)
        scan.take(rx["last_cut" + suffix], last_cut)
        scan.take(rx["ends" + suffix], ends)
        scan.take(rx["to_length" + suffix], first_keep)
        scan.take(rx["extend" + suffix], extend)
        scan.take(rx["shorten" + suffix], shorten)


def _first_of(m: re.Match[str], *names: str) -> str | None:
    """The first of the named groups that matched."""
    g = m.groupdict()
    return next((g[k] for k in names if g.get(k)), None)


_THING_AFTER = re.compile(r"\s+(?:the|his|her|their|its|a|an|my|your|our|those|these)\s+(?P<noun>[a-z'’-]+)")


def _about_a_thing(norm: str, m: re.Match[str]) -> bool:
    """A length word that is about a thing in the clip, not the clip ("his hair longer", "trim the hedge")."""
    word = m.group(0)
    if re.search(r"[\u4e00-\u9fff]", word):
        return ("长" in word or "短" in word) and about_a_thing_zh(clause_before(norm, m.start()))
    if re.search(rf"{L}(?:longer|shorter){R}", word):
        if re.search(rf"{L}{alt(EDIT_OBJECTS)}{R}", word):
            return False
        nxt = re.match(r"\s+(?P<w>[a-z'’-]+)", norm[m.end() :])
        if nxt and nxt.group("w") not in AFTER_LENGTH_OK and nxt.group("w") not in CLIP_PARTS:
            return True  # "longer shadows please"
        return about_a_thing_en(clause_before(norm, m.start()))
    if re.fullmatch(r"\s*(?:trim|shorten|recut)\s*", word):
        after = _THING_AFTER.match(norm, m.end())
        return after is not None and after.group("noun") not in CLIP_PARTS
    return False
