"""Chat text -> Request: the English/Chinese phrasing rules, slash commands and `--flags`.

Owns how a message (plus what is attached to it) becomes a `bot.request.Request`. Pure and quick to
import: no I/O, no chat libraries, no torch; opencc and cn2an load lazily, only for text with CJK in it.
The rules and the decisions they pin are in docs/PARSER.md; the modules of this package, in reading order:

* `scan` cleans the text and builds the matching view (NFKC, lower case, simplified Chinese) that maps
  back to the user's characters; every recognised parameter is cut from the original, so the prompt keeps
  the user's own spelling, case, emoji and traditional characters. `slash` reads commands (from the
  registry, bot/commands.py) and mentions.
* `intent` decides what the whole message is for first: a question or instruction about the bot (credits,
  plans, help, a cancel, the feed) never becomes a clip of that sentence; `frames` (fixed phrasings),
  `shapes` (a quantity about a wallet noun, a see-verb over others' clips) and `cancel` feed it;
  `capability` ("can it make a clip from my photo?", "能生成带声音的吗": whether a feature exists) is help
  when nothing is attached;
  `intent_model` (learned from the tuned corpora) answers a question the rules still read as a scene.
* `flags` (`--ar 9:16`), `drafts` ("十秒，不对，十五秒": a draft a later value corrects, read before the
  storyboard is looked for), `keyed` (`sound: off`, `mode:relaxed seed:4`), `avoid` ("avoid blur", "no
  watermark") and `leave_out` ("..., no people please", "but no rain", "不要出现游客"), `corrections`
  ("landscape not portrait", "9:16 no wait 16:9"), `params`, `aspect` (shapes, ratios, platforms), `seconds` and `sound` (words), `negation`
  ("not vertical"), `edits` (trims and extensions of a clip; `edit_loop`: loops of a replied-to clip in
  plain words; `edit_scope`: whether an edit word is about the clip or a thing in it; `edit_named`: "cut
  off the intro, the first second is just black"), `storyboard` (cards on a timeline) read parameters;
  `story_cards` splits a storyboard into cards at their time marks, `story_order` reads shots told in
  order, `story_each` cards of one length said once ("three shots, 5 seconds each"), `story_after` times
  in brackets after their cards ("sunrise (0s), then ..."), `story_marks` time marks inside sentences
  ("Scene at 0s: ...", 开头是…第五秒…), `story_tail` what closes the last card (thanks, settings);
  `prompt` tidies what is left, with `around`: what the member says around the scene (an aside about
  themselves before a request, a request passed on, a closing question, what the clip is for).
* `words` holds every word list; `numbers` reads digits, number words and Chinese numerals.
"""

from __future__ import annotations

from bot.parse.errors import (
    MAX_CARDS,
    MAX_INPUT_CHARS,
    MAX_PROMPT_CHARS,
    MAX_SEED,
    PARSE_ERROR_CODES,
    ParseError,
)
from bot.parse.intent import QUESTION_ACTIONS
from bot.parse.parser import parse

__all__ = [
    "MAX_CARDS",
    "MAX_INPUT_CHARS",
    "MAX_PROMPT_CHARS",
    "MAX_SEED",
    "PARSE_ERROR_CODES",
    "QUESTION_ACTIONS",
    "ParseError",
    "parse",
]
