"""The wide safety net: whether a message that still reads as a clip asks the bot something anywhere in it
(a clause that is asked and names the bot's own things: credits, plans, help, the feed), or tells it to stop
its work ("please cancel my current render, it's taking forever", "請取消我剛剛的工作"). The core then asks for
a one-tap confirm before anyone pays: a wrong guess costs a tap, a missed one costs credits.

Reads the matching view only; intent.py's rules decide the action, this decides nothing but the flag.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import c
from bot.parse.intent import _clauses, _weigh, clause_asks

#: a message longer than this is a scene description, not a question
MAX_NET_CHARS = 600


@functools.cache
def _stop_rx() -> re.Pattern[str]:
    return c(
        r"(?<![a-z])(?:cancel|stop|abort|kill|halt|scrap|delete)(?:\s+(?:it|that|this))?(?:\s+(?:please|pls|plz))?\s+"
        r"(?:(?:my|the|this|that|current|last|latest)\s+)+(?:[a-z]+\s+)?(?:job|render|generation|request|video|clip|vid|one)s?"
        r"(?![a-z])|(?<![a-z])(?:cancel|abort)\s+(?:it|that|this|pls|please|cancel|abort)(?![a-z])"
        r"|(?:取消|停止|停掉|停下|中止|终止|撤销)(?:我|目前|当前|刚才|刚刚|正在|这个|那个|生成|任务|工作|视频|吧|了(?!的)|啦)"
        r"|(?:cancel|stop)\s*(?:了|掉)?(?:它|佢)"
    )


def asks_the_bot(norm: str) -> bool:
    """Whether the message (matching view) asks the bot about its own things in any clause, or tells it to
    stop a job, however much else it says."""
    s = re.sub(r"\s+", " ", norm).strip()
    if not s or len(s) > MAX_NET_CHARS:
        return False
    if _stop_rx().search(s):
        return True
    names_bot = _weigh(s, True).bot_words > 0  # "...这个机器人做视频...能教一下吗": the how-to is about it
    for clause in _clauses(s):
        w = _weigh(clause.bare, clause.asked)
        weights = dict(w.weights)
        if "feed" in weights:
            weights["feed"] -= w.people  # people words are a scene's people unless the clips are named too
        if "balance" in weights:
            weights["balance"] -= w.loose  # and coins in a dragon's hoard are the scene's coins
        if "help" in weights and weights["help"] < 4 and not w.bot_words and not names_bot:
            del weights["help"]  # "how to train your dragon": a how-to about the scene, not about the bot
        if clause_asks(clause) and max(weights.values(), default=0) >= 2:
            return True
    return False


#: chat shorthand makes a very short message read as talk with the bot ("chk my creds", "wat can u do");
#: plain pronouns stay out: "my secret garden" and "how to train your dragon" are scenes
_CHAT_PERSONS = re.compile(r"(?<![a-z])(?:u|ur|pls|plz|wat|chk|wut)(?![a-z])", re.IGNORECASE)
#: at most this many words, and it reads as chat rather than a scene ("chk my creds", "wat can u do")
MAX_CHAT_WORDS = 5


def addressed_chat(prompt: str) -> bool:
    """Whether a prompt left by natural text is too short to be a scene and is chat shorthand addressed to the bot
    ("chk my creds", "wat can u do"): the safety net asks a one-tap confirm before such a clip is paid for.
    A slash command or an attachment says the member meant a clip, so the caller asks only for plain text."""
    words = re.findall(r"\w+", prompt)
    cjk = len(re.findall(r"[\u3400-\u9fff]", prompt))
    short = len(words) <= MAX_CHAT_WORDS if not cjk else cjk <= 8
    return bool(prompt) and short and _CHAT_PERSONS.search(prompt) is not None
