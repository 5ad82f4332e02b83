"""What an edit word of a reply is about: the clip itself ("make it longer", "视频再长一点") or a thing in
it ("make his hair longer", "the bridge should be longer", "把头发变长一点"). A length word about a thing
changes the look (a remix), not the clip's length; a loop word about a thing ("the plane loops") is the
scene. Reads the matching view of the clause before the word; decides nothing else.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import L, R, alt
from bot.parse.words import CLIP_PARTS, CLIP_WORDS_ZH, LENGTH_FILLERS_ZH

_CLAUSE_END = re.compile(r"[,.;!?，。；！？\n|:：]")


def clause_before(norm: str, start: int, reach: int = 200) -> str:
    """The matching view of the clause that holds position `start`, up to `start` (at most `reach`
    characters back: the words that matter stand right before the edit word)."""
    head = norm[max(0, start - reach) : start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(head)), default=0)
    return head[cut:]


@functools.cache
def _rx() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    owner = r"(?:his|her|their|its|the|a|an|my|your|our|those|these|[a-z]+['’]s)"
    degree = r"(?:(?:a\s+)?(?:bit|little|lot|tad|touch|smidge)|slightly|way|much|even|somewhat|lil|more)"
    be = (
        r"(?:is|are|was|be|should\s+be|could\s+be|must\s+be|needs?\s+to\s+be|to\s+be|look|looks|seem|seems"
        r"|get|gets|grow|grows|become|becomes)"
    )
    verbs = rf"(?:{be}|should|could|would|can|will|must|might|need|needs|to)"
    # "make his hair", "the bridge should be", "the dog's tail is a bit": a noun phrase before the word
    thing = re.compile(rf"{L}{owner}\s+(?:[a-z'’-]+\s+)?(?P<noun>(?!{verbs}{R})[a-z'’-]+)\s+(?:{be}\s+)?$")
    # "give her longer hair", "with longer legs": the word describes a noun that follows it
    gives = re.compile(
        rf"{L}(?:give|gives|giving|with|has|have|had|add|grow|wearing|wear|wears)\s+(?:{owner}\s+|him\s+|them\s+)?"
        rf"(?:{degree}\s+)*$"
    )
    fillers = re.compile(rf"(?:{alt(LENGTH_FILLERS_ZH)}|\s)+$")
    degrees = re.compile(rf"(?:{L}{degree}\s+)+$")
    return thing, gives, fillers, degrees


def about_a_thing_en(before: str) -> bool:
    """The English clause before an edit word names a thing in the clip, not the clip."""
    thing, gives, _, degrees = _rx()
    if gives.search(before):
        return True
    m = thing.search(degrees.sub("", before))  # "make her hair a little" -> "make her hair"
    return m is not None and m.group("noun").strip("'’") not in CLIP_PARTS


def about_a_thing_zh(before: str) -> bool:
    """The Chinese clause before 长 / 短 names a thing in the clip ("头发", "她的裙子"), not the clip."""
    _, _, fillers, _ = _rx()
    rest = fillers.sub("", before).rstrip()
    if not rest or not re.search(r"[\u4e00-\u9fff]$", rest):
        return False
    return not any(rest.endswith(w) for w in CLIP_WORDS_ZH) and not rest.endswith(("太短", "不够长", "太长"))
