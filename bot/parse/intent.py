"""What a message is for, decided before any parameter is read: a question or instruction about the bot
(credits, plans, help, a cancel, the feed) or a scene to make.

`question_action` returns the non-generative action when the whole message is about the bot: every clause
of it is either such a question (a fixed phrasing, or topic words that are asked and have at most one other
word beside them) or a comment on the conversation ("oops", "wrong prompt", "I'm new here").
`about_bot` is the safety net for text that still reads as a scene. Must not read parameters.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.parse.aside import is_aside, is_reason
from bot.parse.cancel import cancel_shape, is_comment
from bot.parse.clauses import alt, c, stretched
from bot.parse.frames import frames
from bot.parse.how_to import how_to_rx as _how_to_rx
from bot.parse.how_to import meaning_rx as _meaning_rx
from bot.parse.how_to import use_how_rx as _use_how_rx
from bot.parse.shapes import feed_request, is_show_me, wallet_question, without_opinions
from bot.parse.words import (
    ASKER_WORDS,
    BOT_IMPERATIVES,
    BOT_IMPERATIVES_ZH,
    BOT_NOUNS,
    BOT_NOUNS_ZH,
    BOT_REQUEST_TAILS_ZH,
    FEED_PEOPLE,
    FUNCTION_CHARS_ZH,
    FUNCTION_WORDS,
    FUNCTION_WORDS_ZH,
    INTENT_HEAD,
    INTENT_HEAD_ZH,
    INTENT_TAIL,
    INTENT_TAIL_ZH,
    INTERJECTIONS,
    INTERJECTIONS_ZH,
    PARAM_TOKENS,
    PARAM_WORDS_ZH,
    QUESTION_OPENERS,
    QUESTION_ZH,
    QUEUE_WORDS,
    QUEUE_WORDS_ZH,
    TOPIC_WORDS,
    TOPIC_WORDS_ZH,
    WALLET_NOUNS_LOOSE,
)

#: The actions a message about the bot itself maps to (none of them makes a clip).
QUESTION_ACTIONS: frozenset[str] = frozenset({"balance", "plans", "help", "cancel", "feed"})
#: Longer messages are scenes: a question about the bot is short.
MAX_QUESTION_CHARS = 320
#: How many words of a question may be about something else ("how much *juice* do I have left").
MAX_OTHER_WORDS = 1
#: How many such words the about-the-bot safety net allows.
MAX_OTHER_WORDS_ABOUT = 2


# -- clauses ------------------------------------------------------------------------------------------

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# clause ends: punctuation, a dash between spaces, laughter, and a space between two Chinese words
_CLAUSE_SPLIT = re.compile(
    rf"[,，。;；!！?？\n…~:：()（）]+|\.+(?=\s|$)|\s+but\s+|\s+[—–-]+\s+|\s*\b(?:lol|lmao|haha)\b\s*|(?<=[{_CJK}])\s+(?=[{_CJK}])"
)


@dataclass(frozen=True)
class _Clause:
    text: str  # without its head and tail words
    bare: str  # without its head words only (a tail "了" can be part of the question: "算了")
    asked: bool  # a question mark closed it
    raw: str = ""  # as written, head words included ("想帮店里...": an aside about the member)


@functools.cache
def _edges() -> tuple[re.Pattern[str], re.Pattern[str]]:
    # chat interjections open a question as they open a scene ("omg stop stop", "bruh cancel that")
    words = (*INTENT_HEAD, *INTERJECTIONS)
    head = c(
        rf"^(?:{stretched(words)}(?![a-z0-9'])[\s,!.]*|(?:{alt((*INTENT_HEAD_ZH, *INTERJECTIONS_ZH))})(?!度))+"
    )
    tail = c(rf"(?:[\s,]*(?<![a-z0-9']){alt(INTENT_TAIL)}(?![a-z0-9'])|{alt(INTENT_TAIL_ZH)})+$")
    return head, tail


_EMOJI_EDGE = re.compile(r"^[^\w\u3400-\u9fff?？]+|[^\w\u3400-\u9fff?？]+$")


def _strip_edges(s: str, *, tail_too: bool = True) -> str:
    head, tail = _edges()
    for _ in range(4):
        before = s
        s = _EMOJI_EDGE.sub("", s).strip()
        s = head.sub("", s).strip()
        if tail_too:
            s = tail.sub("", s).strip()
        if s == before:
            break
    return s


def _clauses(s: str) -> list[_Clause]:
    out: list[_Clause] = []
    pos = 0
    for m in [*_CLAUSE_SPLIT.finditer(s), None]:
        end = m.start() if m else len(s)
        piece = s[pos:end]
        asked = bool(m and ("?" in m.group() or "？" in m.group()))
        text = _strip_edges(piece.strip())
        if text or asked:
            out.append(_Clause(text, _strip_edges(piece.strip(), tail_too=False), asked, piece.strip()))
        if m:
            pos = m.end()
    return out


# -- topic words ----------------------------------------------------------------------------------------


def _key(phrase: str) -> str:
    """A topic phrase as the weight table holds it: single spaces, no apostrophes."""
    return re.sub(r"\s+", " ", phrase).replace("'", "").replace("’", "")


@functools.cache
def _topics() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, dict[str, int]]]:
    """(English topic phrases, Chinese topic phrases, phrase -> {action: weight})."""
    weights: dict[str, dict[str, int]] = {}
    for table in (TOPIC_WORDS, TOPIC_WORDS_ZH):
        for action, words in table.items():
            for word, w in words.items():
                weights.setdefault(_key(word), {})[action] = w
    # Latin words of the Chinese table ("pro", "plus") need word edges too: "prompt" is not "pro"
    zh_words = [w for t in TOPIC_WORDS_ZH.values() for w in t]
    en_words = [w for t in TOPIC_WORDS.values() for w in t] + [w for w in zh_words if w.isascii()]
    en = c(rf"(?<![a-z0-9']){alt(en_words)}s?(?![a-z0-9'])")  # "free accounts": plurals too
    zh = c(alt(w for w in zh_words if not w.isascii()))
    return en, zh, weights


@functools.cache
def _form_rx() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(question or request opener, Chinese question word, words about the bot's own things)."""
    opener = c(
        rf"^(?:(?:sir|madam|po|kindly|please|pls)\s+)?(?:{alt(QUESTION_OPENERS)}|{alt(BOT_IMPERATIVES)})(?![a-z0-9])|^{alt(BOT_IMPERATIVES_ZH)}"
        rf"|{alt(BOT_REQUEST_TAILS_ZH)}[吧呗啊呀嘛哈谢]*$"
    )
    zh_q = c(alt(QUESTION_ZH))
    bot = c(
        rf"(?<![a-z0-9']){alt(BOT_NOUNS)}(?![a-z0-9'])|{alt(BOT_NOUNS_ZH)}"
        rf"|(?<![a-z0-9']){alt(QUEUE_WORDS)}(?![a-z0-9'])|{alt(QUEUE_WORDS_ZH)}"
    )
    return opener, zh_q, bot


_TAIL_WORDS = frozenset(INTENT_TAIL)
_LOOSE_MONEY = frozenset(WALLET_NOUNS_LOOSE) | frozenset(w + "s" for w in WALLET_NOUNS_LOOSE)


@functools.cache
def _asker() -> re.Pattern[str]:
    return c(rf"(?<![a-z0-9'’]){alt(ASKER_WORDS)}(?![a-z0-9'’])|我")


@functools.cache
def _zh_function() -> re.Pattern[str]:
    return c(alt(FUNCTION_WORDS_ZH))


@functools.cache
def _zh_params() -> re.Pattern[str]:
    return c(alt(PARAM_WORDS_ZH))


_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_PARAM_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:s|p|sec|secs|seconds?)?|[0-9]+:[0-9]+")
_ZH_PARAM = re.compile(r"[0-9零〇一二两三四五六七八九十]+\s*(?:秒钟?|个|p)")
_CJK_CHAR = re.compile(f"[{_CJK}]")


def _is_bot_word(word: str) -> bool:
    """Whether `word` is one of the bot's own (a parameter, a bot noun, a topic word) or a function word."""
    en, _, _ = _topics()
    word = word[:-1] if word.endswith("s") and len(word) > 3 else word  # "seeds", "variations"
    return (
        word in PARAM_TOKENS
        or word in FUNCTION_WORDS
        or word in _BOT_NOUNS
        or bool(en.fullmatch(word))
        or word in ("mode", "remix", "storyboard", "loop", "seed", "negative", "prompt", "fast", "relaxed")
    )


_BOT_NOUNS = frozenset(BOT_NOUNS)


@dataclass
class _Weighed:
    weights: dict[str, int]  # action -> topic weight
    other: int  # words about anything else
    asked: bool  # a question, or a request to the bot
    bot_words: int  # words about the bot's own things (queue, my video, you)
    how_to: bool  # asks what to send ("what do i type"): help only when it says nothing else
    people: int  # the feed weight of people words alone ("everyone", "the gang")
    loose: int = 0  # the balance weight of money words a scene has too ("coins", "tokens"), with no asker


def _weigh(text: str, asked: bool) -> _Weighed:
    en, zh, table = _topics()
    opener, zh_q, bot = _form_rx()
    weights: dict[str, int] = {}
    rest, opinion = without_opinions(text)  # "free plan sucks": said to the bot, about its plan
    asked = asked or opinion
    how_to = bool(_how_to_rx().search(rest))
    people = 0
    loose = 0
    if how_to:
        weights["help"] = 2
        rest = _how_to_rx().sub(" ", rest)
    if _use_how_rx().search(rest):
        weights["help"] = weights.get("help", 0) + 4  # "how do i edit a clip (after it's made)"
        rest = _use_how_rx().sub(" ", rest)
    if (m := _meaning_rx().search(rest)) and all(_is_bot_word(w) for w in m.group("x").split()):
        weights["help"] = weights.get("help", 0) + 2  # "what does relaxed mode mean": a word of the bot's
        rest = rest[: m.start()] + " " + rest[m.end() :]
    for rx in (en, zh):
        for m in rx.finditer(rest):
            key = _key(m.group())
            key = key if key in table else key[:-1]
            for action, w in table.get(key, {}).items():
                weights[action] = weights.get(action, 0) + w
                if action == "feed" and key in FEED_PEOPLE:
                    people += w
                if action == "balance" and key in _LOOSE_MONEY:
                    loose += w
        rest = rx.sub(" ", rest)
    bot_words = len(bot.findall(rest))
    rest = bot.sub(" ", rest)
    asked = asked or bool(opener.search(text)) or bool(zh_q.search(text))
    rest = zh_q.sub(" ", _ZH_PARAM.sub(" ", rest))
    other = sum(
        1
        for w in (t.replace("'", "").replace("’", "") for t in _WORD.findall(rest))
        if w not in FUNCTION_WORDS
        and w not in PARAM_TOKENS
        and w not in _TAIL_WORDS
        and not _PARAM_TOKEN.fullmatch(w)
    )
    rest = _zh_function().sub(" ", rest)
    if asked:
        rest = _zh_params().sub(
            " ", rest
        )  # "怎么让视频变成竖屏": asked about a parameter; "一个方形的广场" is a scene
    zh_other = sum(1 for ch in _CJK_CHAR.findall(rest) if ch not in FUNCTION_CHARS_ZH)
    if _asker().search(text):
        loose = 0  # "how many coins do *i* have": the bot's money
    return _Weighed(weights, other + (zh_other + 1) // 2, asked, bot_words, how_to, people, loose)


def _topic_action(clause: _Clause) -> str | None:
    """The question a clause asks by its topic words, if it asks one and says little else."""
    w = _weigh(clause.bare, clause.asked)
    if not w.weights:
        return None
    # ties: the first topic found, but help is the generic one ("what can i do" on "the free plan": plans)
    action, weight = max(w.weights.items(), key=lambda kv: (kv[1], kv[0] != "help"))
    if weight < 2 or not (w.asked or w.other == 0):
        return None
    if action == "feed" and weight == w.people and not w.asked:
        return None  # "people", "the crew": a scene's people, unless they are asked about
    # "what do i say to a bear" is a scene: asking what to send is help only with nothing else in it
    strict = action == "help" and w.how_to and weight == 2 and not w.bot_words
    # the more an asked clause names the topic, the more other words it may hold ("would you mind checking
    # my account balance for me": balance and "my account" weigh 4, so two other words)
    loose = w.asked and not (action == "feed" and w.people >= weight - 1)
    limit = 0 if strict else MAX_OTHER_WORDS + (min(2, (weight - 2) // 2) if loose else 0)
    return action if w.other <= limit else None


def _clause_action(clause: _Clause) -> str | None:
    s = clause.text
    if not s:
        return None
    head, tail, table = frames()
    s2 = tail.sub("", head.sub("", s).strip()).strip().rstrip("?？")
    for action, pattern in table:
        if pattern.fullmatch(s2):
            return action
    if cancel_shape().fullmatch(s) or cancel_shape().fullmatch(clause.bare) or _cancel_then_comment(s):
        return "cancel"
    if wallet := wallet_question(s):
        return wallet
    if feed_request(s):
        return "feed"
    return _topic_action(clause)


def _cancel_then_comment(s: str) -> bool:
    """Cancels and their reasons in one clause, with no stop between them ("stop stop i typed it wrong",
    "STOP STOP wrong prompt cancel my job"): the words split into runs, each a cancel or a comment, at
    least one a cancel."""
    words = s.split()
    if len(words) > 24:
        return False
    # reach[i]: (the first i words split into such runs, whether a cancel is among them)
    reach: dict[int, bool] = {0: False}
    for i in range(len(words)):
        if i not in reach:
            continue
        for j in range(i + 1, len(words) + 1):
            piece = _strip_edges(" ".join(words[i:j]))
            if not piece:
                continue
            if cancel_shape().fullmatch(piece):
                reach[j] = True
            elif (is_comment(piece) or is_reason(piece)) and not reach.get(j):
                reach[j] = reach[i]
    return reach.get(len(words), False) and len(words) > 1


def question_action(norm: str) -> str | None:
    """The action of a message that is about the bot itself (balance, plans, help, cancel, feed), or None
    when it is (also) a scene. `norm` is the matching view of the message (lower case, simplified)."""
    s = re.sub(r"\s+", " ", norm).strip()
    if not s or len(s) > MAX_QUESTION_CHARS:
        return None
    if re.fullmatch(r"[\s?？!！.。]+", s):
        return "help" if "?" in s or "？" in s else None
    found: str | None = None
    asked: str | None = None  # the first clause that asks: "i'm broke on credits, how do i get more?"
    asides = False  # clauses about the member ("I run a candle shop"): context only beside an asked question
    for clause in _clauses(s):
        action = _clause_action(clause)
        if action is None and (not clause.text or is_comment(clause.text) or is_show_me(clause.text)):
            continue  # a comment, or "给我看看" after the clause that names what to show
        if action is None and (is_reason(clause.text) or is_comment(clause.raw)):
            continue  # "I spelled my shop's name wrong": why, beside a cancel
        if action is None and not _says_nothing(clause):
            w = _weigh(clause.bare, clause.asked)
            if (
                is_aside(clause.raw)
                or is_aside(clause.text)
                or (clause.asked and max(w.weights.values(), default=0) >= 2)
            ):
                # "did that last clip eat all my credits??": a question about the bot's things, too wordy to
                # answer alone, is context for the one that is asked plainly
                asides = True
                continue
            return None  # a clause about something else: the message is (also) a scene
        found = found or action
        if action and not asked and clause_asks(clause):
            asked = action
    if asked == "help" and found not in (None, "help"):
        return found  # "pro plan sounds good, how do i get it": a generic how-to about the topic named before
    if asides and asked is None and found != "cancel":
        return None  # "my cat, balance": the member's words make a scene unless a question was asked
    return asked or found


def clause_asks(clause: _Clause) -> bool:
    """Whether a clause is put as a question: a question mark closes it, or a question or request opens it
    ("i would like to know ...": the head words ask too), or it holds a Chinese question word."""
    opener, zh_question, _ = _form_rx()
    return clause.asked or bool(
        opener.search(clause.text) or opener.search(clause.raw) or zh_question.search(clause.text)
    )


def _says_nothing(clause: _Clause) -> bool:
    """Whether a clause holds only function words and at most a word that points at a topic ("which one
    should i get", "有什么区别"): it names no scene, so it neither makes the message one nor asks by itself."""
    w = _weigh(clause.bare, clause.asked)
    return max(w.weights.values(), default=0) < 2 and w.other == 0


def about_bot(text: str) -> bool:
    """Whether `text` (a prompt, in the matching view) is mostly about the bot itself: it asks something,
    names the bot's own things (credits, plans, the queue, "my video", "you") and says little else."""
    s = re.sub(r"\s+", " ", text).strip()
    if not s or len(s) > MAX_QUESTION_CHARS:
        return False
    w = _weigh(_strip_edges(s, tail_too=False), "?" in s or "？" in s)
    weight = sum(w.weights.values()) + 2 * w.bot_words
    weight -= w.people  # people words are a scene's people ("大家在广场上跳舞"): they never count here
    weight -= w.loose  # and coins in a vending machine are the scene's coins
    # the more it says about the bot, the more else it may say; unasked, it must say a lot about the bot
    return weight >= 2 and w.other <= min(MAX_OTHER_WORDS_ABOUT, weight - 2) and (w.asked or weight >= 4)
