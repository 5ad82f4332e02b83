"""Loops of a replied-to clip in plain words: a loop word about the clip ("this but looping so i can use it
as my pfp", "可以整成loop吗", "loop嘅版本"), or its end going back into its start ("could the ending flow
back into the start seamlessly?", "the first and last frames should match", "结尾接回开头", Cantonese
"头尾驳埋"). Read only for a reply (or one attached clip), after negation and the parameter words, so a
refusal ("no loop") was taken first; a loop word about a thing in the scene ("the plane loops around the
tower", "make the cat do a loop", "a loop of rope") stays in the prompt.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import L, R, alt, c
from bot.parse.edit_scope import about_a_thing_en, clause_before
from bot.parse.found import Found
from bot.parse.scan import Scan
from bot.parse.words import CLIP_END_ZH, CLIP_PARTS, EDIT_OBJECTS, END_TO_START_VERBS, JOIN_ZH


@functools.cache
def _rx() -> dict[str, re.Pattern[str]]:
    how = r"(?:seamlessly|smoothly|nicely|perfectly|cleanly|naturally|right|straight)"
    end = r"(?:the\s+)?(?:very\s+)?(?:end|ending|last\s+(?:frame|shot|second|bit)|final\s+(?:frame|shot|second|bit)|outro|finish)"
    start = r"(?:the\s+)?(?:very\s+)?(?:start|beginning|first\s+(?:frame|shot|second|bit|one)|opening|intro|top|first(?=\s*(?:$|[,.;!?]|so|and)))"
    modal = r"(?:should|could|can|would|will|must|needs?\s+to|has\s+to|to|might)"
    verb = alt(END_TO_START_VERBS)
    one = r"(?:first|start|beginning|opening)(?:\s+(?:frame|shot))?"
    other = r"(?:last|end|ending|final)(?:\s+(?:frame|shot))?"
    obj = alt(EDIT_OBJECTS)
    return {
        # "loop" as a word of the clip: "this but looping", "loopable", "on loop", "loop it"
        "word": c(rf"{L}(?<!-)(?P<w>loop(?:s|ing|ed|able|y)?){R}(?!-)"),
        "article": c(rf"{L}(?:a|an|the|another|some|one|two|three|big|small|huge|tight|few)\s+$"),
        "made": c(
            rf"{L}(?:(?:make|turn|want|need|like|have|get|render|send|give\s+me)\s+(?:{obj}\s+)?(?:into\s+|as\s+)?"
            rf"|(?:is|be|it['’]?s|its|into|as|just)\s+)"
            rf"(?:a|an)\s+(?:(?:seamless|perfect|endless|infinite|smooth|nice|clean)\s+)?$"
        ),
        "scene_before": c(
            rf"{L}(?:do|does|did|doing|doin|fly|flies|flying|flew|in|into|through|of|pull|pulls|tie|ties|add|adds"
            rf"|adding|draw|draws|drawing|form|forms|forming)\s+"
            rf"(?:(?:a|an|the|some|another|big|small|huge|few|two|three|tight|wide)\s+)?(?:[a-z]+\s+)?$"
        ),
        "scene_after": c(
            rf"\s*(?:of(?!\s+{obj}{R})|around|round(?!\s+and)|through|over|across|under|above|below|past|the\s+loop|de\s+loop"
            rf"|in\s+the\s+(?:sky|air)|back\s+around){R}"
        ),
        # "can it go round and round forever": said of the clip (not "make the horse go round and round")
        "round": c(
            rf"{L}(?:go|goes|going|play|plays|playing|run|runs|running|keep\s+going|keeps\s+going)\s+"
            rf"(?:round\s+and\s+round|over\s+and\s+over|on\s+and\s+on)(?:\s+(?:forever|endlessly|nonstop|again))?{R}"
        ),
        "zh_side": c(r"[\u4e00-\u9fff]"),
        # "loop the camera around the statue": a thing of the scene follows the verb
        "object": c(r"\s+(?:the|his|her|their|its|a|an|my|your|our|those|these)\s+(?P<noun>[a-z'’-]+)"),
        # the end goes back into the start
        "end_to_start": c(
            rf"{L}{end}\s+(?:of\s+{obj}\s+)?(?:{modal}\s+)?(?:{how}\s+)?(?:{verb})\s+(?:{how}\s+)?(?:back\s+)?(?:up\s+)?"
            rf"(?:(?:in(?:to)?|to|with|onto|on)\s+)?{start}(?:\s+(?:again|{how}|without\s+(?:a|any)\s+(?:seam|jump|cut|break|glitch)s?))?{R}"
            # "the first and last frames should match", "start and end need to line up"
            rf"|{L}(?:the\s+)?(?:very\s+)?(?:{one}\s+and\s+(?:the\s+)?(?:very\s+)?{other}|{other}\s+and\s+(?:the\s+)?(?:very\s+)?{one})"
            rf"(?:\s+(?:frames?|shots?|ones?|bits?|parts?))?\s+(?:{modal}\s+)?(?:(?:be|are)\s+)?(?:{how}\s+)?"
            rf"(?:match(?:es)?|line\s+up|lines\s+up|join\s+up|join|joins|connect|connects|meet|meets|the\s+same|identical|seamless){R}"
            rf"|{L}(?:make|turn)\s+(?:a|an)\s+(?:seamless\s+|perfect\s+|endless\s+)?loop\s+(?:out\s+)?of\s+{obj}{R}"
            rf"|{L}(?:it\s+|{obj}\s+)?(?:{modal}\s+)?ends?\s+(?:exactly\s+)?where\s+it\s+(?:starts|started|begins|began|start|begin){R}"
            rf"|{L}(?:restarts?|starts?\s+over|starts?\s+again|repeats?)\s+(?:itself\s+)?(?:{how}|without\s+(?:a|any)\s+"
            rf"(?:seam|jump|cut|break|glitch)s?){R}"
            # "could it start again by itself when it finishes?"
            rf"|{L}(?:restarts?|starts?\s+over|starts?\s+again|plays?\s+again)\s+(?:(?:by\s+itself|on\s+its\s+own|automatically)\s+)?"
            rf"(?:when|once|after|every\s+time|whenever)\s+it\s+(?:ends|finishes|is\s+done|stops|gets\s+to\s+the\s+end){R}"
            rf"|{L}(?:make|have|let)\s+{obj}\s+(?:endless|infinite|never[\s-]?ending){R}"
            rf"|{L}(?:(?:play|plays|playing|put|set|have)\s+(?:it\s+)?)?on\s+(?:repeat|a\s+loop|loop){R}"
        ),
        "end_to_start_zh": c(
            rf"(?:{alt(CLIP_END_ZH)})(?:的画面)?(?:要|能|可以|可不可以|能不能|再|和|跟|与|同)?(?:自然|无缝|顺畅|顺滑)?地?"
            rf"(?:{alt(JOIN_ZH)})(?:到|去|上|返|回)?(?:最)?(?:开头|开始|第一帧|片头|起点|头)"
            rf"|(?:首尾|头尾)(?:要|能|可以|可不可以|能不能)?(?:无缝|自然)?地?(?:相接|相连|衔接|接上|连上|对上|一致|接起来|连起来|驳埋|接埋|连埋|驳起|驳|接|连|呼应)"
            rf"|(?:无限|重复|不停)(?:咁|地)?(?:播|重播)(?:放)?"
            # "结尾和开头衔接起来"
            rf"|(?:{alt(CLIP_END_ZH)})(?:和|跟|与|同)(?:开头|开始|第一帧|片头|起点)(?:要|能|可以)?(?:无缝|自然)?地?"
            rf"(?:相接|相连|接起来|连起来|接得上|连得上|接埋|驳埋|{alt(JOIN_ZH)})"
        ),
    }


_KIND = re.compile(
    r"(?:(?:gif|boomerang|cinemagraph|instagram|tiktok|meme|wallpaper|screensaver|background|ambient)[\s-]*"
    r"(?:style|like|type|kind\s+of|sort\s+of)?|[a-z]+[\s-]+(?:style|type))[\s-]+$"
)


def take_edit_loop(scan: Scan, found: Found) -> None:
    """A loop of the replied-to clip in plain words, cut from the text into `found` (loop on)."""
    rx = _rx()

    def word(m: re.Match[str]) -> bool:
        norm, s = scan.norm, m.start()
        # "a gif style loop", "a boomerang-type loop": the kind of loop, said of the clip
        before = _KIND.sub("", clause_before(norm, s))
        if rx["scene_before"].search(before) or rx["scene_after"].match(norm, m.end()):
            return False  # "do a loop", "flying in loops", "a loop of rope", "loops around the tower"
        after = rx["object"].match(norm, m.end())
        if after is not None and after.group("noun") not in CLIP_PARTS:
            return False
        if rx["article"].search(before) and not rx["made"].search(before):
            return False  # "add a loop to the track"; "make it a loop" is the clip's
        beside_zh = rx["zh_side"].search(norm[max(0, s - 2) : s] + norm[m.end() : m.end() + 2])
        return bool(beside_zh) or not about_a_thing_en(before)

    taken = scan.take(rx["end_to_start"], lambda m: not about_a_thing_en(clause_before(scan.norm, m.start())))
    taken += scan.take(rx["word"], word)
    taken += scan.take(rx["round"], lambda m: not about_a_thing_en(clause_before(scan.norm, m.start())))
    if scan.cjk:
        taken += scan.take(rx["end_to_start_zh"])
    if taken:
        found.set("loop", True)
