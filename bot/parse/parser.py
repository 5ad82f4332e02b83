"""`parse`: one chat message (and what is attached to it) -> one Request. The order of the steps lives here:
clean, slash command, intent, flags, storyboard or edit words, parameters, prompt, action.

The steps themselves live in the sibling modules; this one only wires them and picks the action.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.parse.avoid import take_avoid
from bot.parse.beside import cut_joiners
from bot.parse.capability import capability_question
from bot.parse.corrections import take_corrections
from bot.parse.drafts import take_drafts
from bot.parse.edit_loop import take_edit_loop
from bot.parse.edits import take_edit
from bot.parse.errors import MAX_INPUT_CHARS, MAX_PROMPT_CHARS, ParseError
from bot.parse.flags import take_flags
from bot.parse.found import Found
from bot.parse.intent import QUESTION_ACTIONS, about_bot, question_action
from bot.parse.intent_model import other_question, question_guess
from bot.parse.keyed import take_keyed
from bot.parse.negation import take_clause_params
from bot.parse.params import take_params
from bot.parse.prompt import (
    cut_described_nouns,
    finish_prompt,
    prompt_key,
    request_edges,
    strength_words,
    tidy,
)
from bot.parse.residue import cut_residue
from bot.parse.safety_net import addressed_chat, asks_the_bot
from bot.parse.scan import Scan, clean_controls, drop_trailing_mood
from bot.parse.slash import EXTEND_ALIAS, other_command_at_start, split_command, strip_mentions
from bot.parse.story_after import marks_after
from bot.parse.story_marks import chatty, timeline_lines
from bot.parse.story_order import timed_halves
from bot.parse.storyboard import asks_storyboard, build_storyboard, looks_like_storyboard, storyboard_keyword
from bot.request import Request
from reel.contract import DEFAULT_ASPECT, DEFAULT_RESOLUTION


def parse(
    text: str, *, images: int = 0, videos: int = 0, reply: bool = False, bot_names: Sequence[str] = ()
) -> Request:
    """Turn one chat message into a Request.

    `images` / `videos`: how many of each are attached; `reply`: the message replies to one of our clips;
    `bot_names`: the bot's user names, stripped where they are mentioned.
    Returns the Request (every contract field valid). Raises ParseError (see PARSE_ERROR_CODES) only for
    an empty request, a too long one, or an explicit value out of range.
    """
    cleaned = clean_controls(text if isinstance(text, str) else str(text))
    cleaned = strip_mentions(cleaned, bot_names).replace("｜", "|")  # a full-width bar separates as "|" does
    other_command = other_command_at_start(cleaned)  # "/queue", "/grant ...": for the bot, never a scene
    command, cmd_name, cleaned = split_command(cleaned)

    cleaned = re.sub(r"[^\S\n]+", " ", cleaned)
    cleaned = drop_trailing_mood(re.sub(r" ?\n[\s]*", "\n", cleaned).strip())
    if images <= 0 and videos <= 0 and not reply:
        cleaned = marks_after(cleaned)  # "sunrise (0s), then the market opens (4s)": marks after their cards
    cleaned = _BRACKETED_TIME.sub(r"\g<t> ", cleaned)  # "[0s] sunrise [4s] a lizard": marks in brackets
    cleaned = _AT_TIME.sub(r"\g<t>s ", cleaned)  # "@0 sunrise | @5 traffic": marks after an at sign
    cleaned = timed_halves(cleaned)  # "first 5 seconds: a tree, last 5 seconds: it blooms"
    timeline = chat = False
    if images <= 0 and videos <= 0 and not reply and command in (None, "create", "storyboard"):
        # "Scene at 0s: ... Scene at 3s: ...", "开头是… 第五秒…": marks inside sentences, one card a line
        if (tl := timeline_lines(cleaned)) is not None:
            cleaned, timeline, chat = tl.text, True, chatty(tl.preface)
    if len(cleaned) > MAX_INPUT_CHARS:
        raise ParseError(
            "too_long", f"{len(cleaned)} characters", length=len(cleaned), limit=MAX_PROMPT_CHARS
        )
    clips = videos + (1 if reply else 0)
    if not cleaned and command is None and images <= 0 and videos <= 0:
        raise ParseError("empty", "nothing to make")

    # Questions: an explicit command, or text that is essentially just the question.
    if command in QUESTION_ACTIONS:
        return Request(action=command, prompt=tidy(cleaned)[:MAX_PROMPT_CHARS])
    scan = Scan(cleaned)
    view = scan.norm  # the whole message's matching view, before any cut (the safety net reads it)
    plain = images <= 0 and clips == 0  # text alone: nothing attached, no clip replied to
    if command is None and plain and capability_question(view):
        return Request(action="help")  # "can it make a clip from my photo?": asked with no photo sent
    if command is None and (q := question_action(scan.norm)) is not None:
        return Request(action=other_question(view, q) if plain else q)

    found = Found()
    if cmd_name == EXTEND_ALIAS:
        found.set("extend", True)
        found.edit = "recut"
    elif command == "recut":
        found.edit = "recut"  # "/recut 0-5": a bare range is seconds of the clip
    if m := prompt_key(scan.norm):
        scan.cut(*m.span())
    for m in list(_LINE_SCENE_KEY.finditer(scan.norm)):
        scan.cut(*m.span("key"))  # "请生成如下视频。\n画面：清晨的江南水乡...": the line that holds the scene
    take_flags(scan, found)
    take_drafts(scan, found)  # "十秒，不对，十五秒": a corrected draft is no card of a timeline

    # The action the context implies.
    storyboard = command == "storyboard"
    if command is None and (images > 0 or clips > 0):
        storyboard = False
    elif command is None or (command == "create" and images <= 0):  # "/video storyboard: ..." too
        if kw := storyboard_keyword(scan.norm, later=True):
            storyboard = True
            scan.cut(*kw.span())
        elif timeline or looks_like_storyboard(scan.rest()) or asks_storyboard(scan.rest()):
            storyboard = True
    elif storyboard and (kw := storyboard_keyword(scan.norm, later=False)):
        scan.cut(*kw.span())

    edit_words = command in ("recut", "loop", "remix") or (command is None and clips >= 1 and images <= 0)
    if storyboard:
        req = build_storyboard(scan, found, preface=chat)
    else:
        if edit_words:
            take_edit(scan, found)
        _read_settings(scan, found, head=command in (None, "create") and plain)
        if edit_words and clips >= 1:
            take_edit_loop(scan, found)  # "this but looping", "could the end flow back into the start?"
        cut_described_nouns(scan)
        cut_residue(scan, found)
        if found.get("extend") and cmd_name != EXTEND_ALIAS and not found.get("extend_by"):
            # "make it longer, like 15 sec": a length that is not an amount ("by 3s") is the target
            if "seconds" in found.values and "trim_end" not in found.values:
                found.set("trim_end", float(found.values["seconds"]))
        req = Request(prompt=tidy(scan.rest("\x00")))

    _apply(req, found)
    req.action = _action(command, storyboard, images, videos, reply, found, req)
    if req.action == "loop" or command == "loop":
        req.loop = True
    if req.action != "storyboard":
        # a mention can reach the front once the words before it are cut ("10s @ReelBot ...")
        req.prompt = finish_prompt(req.prompt, req.action, bot_names)
    if req.action == "remix" and req.strength is None:
        req.strength = strength_words(req.prompt)

    if (req.action == "create" and not req.prompt) or (req.action == "storyboard" and not req.cards):
        raise ParseError("empty", "no prompt")
    if len(req.prompt) > MAX_PROMPT_CHARS:
        raise ParseError(
            "too_long", f"{len(req.prompt)} characters", length=len(req.prompt), limit=MAX_PROMPT_CHARS
        )
    if req.negative is not None and len(req.negative) > MAX_PROMPT_CHARS:
        raise ParseError("too_long", "negative prompt", length=len(req.negative), limit=MAX_PROMPT_CHARS)
    # the safety net: a "clip" of a sentence about the bot itself is confirmed before anyone pays for it
    req.about_bot = req.is_generative and (
        other_command
        or about_bot(Scan(req.prompt).norm)
        or (command is None and req.action == "create" and addressed_chat(req.prompt))
        or (command is None and asks_the_bot(view))
    )
    if command is None and plain and req.action == "create":
        # the learned second opinion: a question in words the rules lack is answered, not made into a clip
        if (asked := question_guess(view, flagged=req.about_bot)) is not None:
            return Request(action=asked)
    req.validate()
    return req


def _read_settings(scan: Scan, found: Found, *, head: bool) -> None:
    """The settings said in words, read until nothing more is cut: the rules read what is left as the
    prompt will show it, so once a cut leaves a word standing alone ("no<9:16>hd", "unmute <unmute>") or
    a separator dangling ("keep sound <10s>-"), they read again; and then (`head`: a new clip is asked for)
    once more with the request wording that opens the message and the closing words hidden, which the
    prompt loses too ("show us asap": "asap" is a clause of its own)."""
    scan.hide_dangling()
    edges = False
    for _ in range(4):
        before = bytes(scan.cutn)
        take_flags(scan, found)  # a flag glued to a cut word ("5s--audio")
        take_keyed(scan, found)
        take_avoid(scan, found)
        take_corrections(scan, found)
        take_clause_params(scan, found)
        take_params(scan, found)
        cut_joiners(scan)  # "<vertical> and like <seven seconds>": the words that joined settings
        scan.hide_dangling()
        if scan.cutn == before:
            opening, closing = request_edges(scan.norm) if head and not edges else (None, None)
            if opening is None and closing is None:
                break
            edges = True
            if opening:  # shown again after: the steps below read a request verb ("make it <square>")
                scan.hide(*opening)
            if closing:  # stays blank: the clause before it ends the message ("awesome<发我>")
                scan.blank(*closing)
    scan.unhide()


_UNIT_TIME = r"[0-9]{1,2}(?:\.[0-9]+)?\s*(?:s|sec|secs|seconds?|秒)"
#: a key opening a line of its own before the scene itself (long enough to be one, not "画面：正方形")
_LINE_SCENE_KEY = re.compile(
    r"(?:^|(?<=\n))(?P<key>(?:画面|画面内容|场景|内容|描述|scene|description|subject)\s*[:：]\s*)"
    r"(?=[^\n]{6,})(?![^\n]*(?:正方形|竖屏|横屏|方形|[0-9]+\s*[:x]\s*[0-9]+\s*$))",
    re.IGNORECASE,
)
_AT_TIME = re.compile(r"(?<![\w@])@(?P<t>[0-9]{1,2}(?:\.[0-9]+)?)(?:s|sec)?(?=\s)")
_BRACKETED_TIME = re.compile(
    rf"[\[【(（]\s*(?P<t>[0-9]{{1,2}}:[0-9]{{2}}|{_UNIT_TIME}|[0-9]{{1,2}}(?:\.[0-9]+)?\s*[-–~]\s*{_UNIT_TIME})\s*[\]】)）]",
    re.IGNORECASE,
)

_FOUND_FIELDS = (
    "seconds",
    "resolution",
    "aspect",
    "variations",
    "mode",
    "seed",
    "loop",
    "audio",
    "extend",
    "strength",
    "trim_start",
    "trim_end",
)


#: What refusing a default asks for instead ("not landscape" is vertical, "no sd" is hd), when nothing else
#: was asked for that parameter.
_INSTEAD_OF_DEFAULT = {
    ("aspect", DEFAULT_ASPECT): "9:16",
    ("resolution", DEFAULT_RESOLUTION): "720p",
    ("mode", "fast"): "relaxed",  # Request.mode defaults to "fast"
}


def _apply(req: Request, found: Found) -> None:
    for (key, default), instead in _INSTEAD_OF_DEFAULT.items():
        if (key, default) in found.refused and key not in found.values:
            found.set(key, instead)
    v = found.values
    for key in _FOUND_FIELDS:
        if key in v:
            setattr(req, key, v[key])
    if found.negatives:
        req.negative = ", ".join(dict.fromkeys(found.negatives))
    req.ignored = list(found.ignored)


def _action(
    command: str | None, storyboard: bool, images: int, videos: int, reply: bool, found: Found, req: Request
) -> str:
    clips = videos + (1 if reply else 0)
    if storyboard:
        return "storyboard"
    if command == "loop" and clips == 0:
        return "create"  # "/loop a cat chasing its tail": a new looping clip
    if command == "create" and images > 0:
        return "animate"  # "/video waves crashing" sent with a photo
    if command is not None:
        return command
    if clips >= 2 and images <= 0:
        return "blend"
    if images > 0:
        return "animate"
    if clips == 1:
        if found.edit == "recut" or found.get("extend"):
            return "recut"
        if found.get("loop"):
            return "loop"
        if not req.prompt and "seconds" in found.values:
            return "recut"  # a reply with just "10s": change the length
        return "remix"
    return "create"
