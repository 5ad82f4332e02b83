"""Question shapes that name their topic by how they are built, whatever else the clause says: a quantity
asked about the bot's money ("how many credits remain on my account", "积分还剩几个") is the balance; a
see-verb over recent or other people's clips ("show me the latest vids from the group", "大家最近发了什么视频")
is the feed. Also the words that only frame a question: opinions ("free plan *sucks*") and "show me" clauses.

Patterns over one clause of the matching view; intent.py decides with them. Must not read parameters.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import alt, c
from bot.parse.words import (
    ASKER_WORDS,
    BUY_WORDS,
    COST_WORDS,
    FEED_MADE,
    FEED_MADE_ZH,
    FEED_MARKS,
    FEED_NOUNS,
    FEED_NOUNS_ZH,
    FEED_PEOPLE_ZH,
    FEED_PLACES,
    OPINION_WORDS,
    OPINION_ZH,
    PRICE_WORDS,
    PRICE_ZH,
    QUANTITY_ASKS,
    QUANTITY_ZH,
    SEE_VERBS,
    SHOW_ME,
    WALLET_NOUNS,
    WALLET_NOUNS_LOOSE,
    WALLET_NOUNS_LOOSE_ZH,
    WALLET_NOUNS_ZH,
)

_W = r"(?![a-z0-9'’])"  # an English word ends here
_B = r"(?<![a-z0-9'’])"  # and starts here


@functools.cache
def _rx() -> dict[str, re.Pattern[str]]:
    wallet = rf"(?:{alt(WALLET_NOUNS)}|(?P<loose>{alt(WALLET_NOUNS_LOOSE)}))s?"
    # "how many *more free* credits": up to two words between the asking and the money
    between = r"(?:\s+(?!(?:of|in|on|at|for|does|do|did|is|are|can|could|will|would)\b)[a-z'’]+){0,2}?"
    det = r"(?:(?:the|some(?:\s+of\s+the)?|a\s+few(?:\s+of\s+the)?|any|all(?:\s+(?:of\s+)?the)?)\s+)?"
    # "let me browse ...", "i'd like to see ...", "can you show me ...": who asks to see
    lead = (
        r"(?:(?:(?:let|lemme)\s+(?:me|us)\s+|(?:i|we)(?:\s+(?:want|wanna|would\s+(?:like|love))|['’]?d\s+(?:like|love))\s+(?:to\s+)?"
        r"|(?:can|could|may)\s+(?:i|we|you|u)\s+|please\s+|pls\s+)+)?"
    )
    place = rf"(?:(?:the|this|all\s+(?:the\s+)?|(?:the\s+)?other|my)\s+)?(?:{alt(FEED_PLACES)})"
    mark = rf"(?:{alt(FEED_MARKS)}|{place}(?:['’]s|s['’]|['’]))"  # "other ppl's", "members'", "the squad's"
    noun = alt(FEED_NOUNS)
    plural = alt(n for n in FEED_NOUNS if n.endswith("s") or n in ("stuff", "content"))
    made = alt(FEED_MADE)
    zh_people, zh_made, zh_noun = alt(FEED_PEOPLE_ZH), alt(FEED_MADE_ZH), alt(FEED_NOUNS_ZH)
    return {
        "wallet": c(
            # "how much *of my monthly* allowance is left": a share of it asked about
            rf"{_B}(?:{alt(QUANTITY_ASKS)})(?:\s+of\s+(?:my|our|the|this))?\s*{between}\s+{wallet}{_W}"
            # "how many generations can i still make", "how many more videos do i have left": the money, counted
            # in what it buys
            rf"|{_B}how\s+many\s+(?:more\s+)?(?:{alt(FEED_NOUNS)})s?\s+(?:(?:can|could|do)\s+i\s+(?:still\s+)?"
            rf"(?:make|do|generate|create|render|get|afford|have)|(?:do\s+i\s+have\s+|have\s+i\s+got\s+|are\s+)?"
            rf"(?:left|remaining)){_W}"
        ),
        "asker": c(rf"{_B}{alt(ASKER_WORDS)}{_W}"),
        "price": c(rf"{_B}{alt(PRICE_WORDS)}{_W}"),
        "cost": c(rf"{_B}{alt(COST_WORDS)}{_W}"),
        "buy": c(rf"{_B}{alt(BUY_WORDS)}{_W}"),
        "left": c(rf"{_B}(?:left|remain|remains|remaining|still|rn|currently|right\s+now){_W}"),
        # a clip's own settings named in the question ("a 10s 720p vid", "1080p要多少积分"): its price is asked
        "spec": c(
            r"(?<![a-z0-9])(?:[0-9]{1,2}\s*(?:s|sec|secs|seconds?)|(?:480|720|1080)p?|hd|full\s+hd)(?![a-z0-9])"
            r"|[0-9一二两三四五六七八九十]+\s*秒|(?:480|720|1080)p|高清|全高清"
        ),
        # a plan named beside the money, with nothing held: what the plan gives ("how many credits on pro")
        "plan": c(rf"{_B}(?:plan|plans|tier|tiers|pro|plus|premium|subscription|membership){_W}"),
        "held": c(rf"{_B}(?:have|has|got|own){_W}"),
        "wallet_zh": c(
            # "我还能生成几个视频", "还剩几次生成机会": the money, counted in what it buys
            rf"(?:我)?还?能(?:生成|做|制作|弄|画|出|用)(?:几|多少)(?:个|条|段|支|次)?(?:{alt(FEED_NOUNS_ZH)})?"
            rf"|(?:剩|有)(?:下)?(?:几|多少)(?:次|个)?(?:生成|制作)?(?:机会|次数)|(?:生成|制作)(?:次数|机会)"
            rf"|(?P<w>{alt(WALLET_NOUNS_ZH)}|(?P<loose>{alt(WALLET_NOUNS_LOOSE_ZH)}))"
            rf".{{0,6}}?(?:{alt(QUANTITY_ZH)})"
            rf"|(?:{alt(QUANTITY_ZH)})(?:个|点)?(?:的)?(?:{alt(WALLET_NOUNS_ZH)}|(?P<loose2>{alt(WALLET_NOUNS_LOOSE_ZH)}))"
        ),
        "price_zh": c(alt(PRICE_ZH)),
        # "show me the latest vids", "see everyone's creations", "browse clips from the channel"; a noun
        # described further ("videos *of* a volcano") is a scene to make
        "feed": c(
            rf"^{lead}(?:{alt(SEE_VERBS)}){_W}\s*(?:me\s+|us\s+)?(?:what\s+)?{det}"
            rf"(?:(?:(?:{mark})\s+){{1,2}}(?:[a-z]+\s+)?(?:{noun})s?{_W}"
            rf"|(?:{noun})s?\s+(?:from|by|in|on|of)\s+(?:{place}){_W}"
            rf"|(?:{noun})s?\s+(?:that\s+|which\s+)?(?:{place})\s+(?:(?:have|has|had)\s+)?(?:been\s+)?(?:{made}){_W})"
            rf"(?!\s+(?:of|showing|where|with|about|featuring){_W})"
            # "top videos?", "any new clips today": marks and a plural noun are the whole clause
            rf"|^(?:(?:any|some|the)\s+)?(?:(?:{mark})\s+){{1,2}}(?:{plural}){_W}"
            rf"(?:\s+(?:today|lately|recently|this\s+week|here|on\s+here|in\s+here|from(?:\s+today|\s+this\s+week)?))*$"
            # "(let me see) what everyone's been posting", "what have other people been making lately"
            # "who made the coolest video today"
            rf"|^who\s+(?:made|posted|created|shared|did|has|had)\s+(?:the\s+)?(?:{mark})\s+(?:{noun})s?{_W}"
            rf"|^(?:{lead}(?:{alt(SEE_VERBS)}){_W}\s*(?:me\s+|us\s+)?)?what(?:['’]?s)?\s+(?:(?:have|has|did|do|are|is|were)\s+)?"
            rf"(?:{place})(?:['’]s)?\s+(?:(?:have|has|had|is|are|were|been|all|else)\s+){{0,3}}(?:{made}){_W}"
            rf"(?:\s+(?:today|lately|recently|this\s+week|here|on\s+here|so\s+far|in\s+(?:the|this)\s+"
            rf"(?:channel|group|server|chat)))*$"
        ),
        # "大家最近都做了什么视频", "群里发了啥", "别人做的视频"
        "feed_zh": c(
            # "看看最新的视频", "热门作品"
            rf"(?:看看|看一下|给我看看?|显示|打开|刷刷?)?(?:(?:{zh_people})(?:里|上)?)?(?:最新|最近|热门|新|大家|别人|其他人)的?(?:{zh_noun})"
            rf"|(?:最近|今天|这几天)?(?:{zh_people})(?:最近|今天|都|又|在|刚刚|这几天)*(?:{zh_made})(?:了|的|过)*"
            rf"(?:什么|啥|哪些|些|点)?(?:好看的|新的|好玩的|有趣的|酷的|厉害的)?(?:{zh_noun})?"
            # "群组里最近有什么新影片": what there is, where the others post
            rf"|(?:最近|今天|这几天)(?:有|出了)(?:什么|啥|哪些|没有|些)(?:好看的|好|新的|新|好玩的|热门的?)?(?:{zh_noun})看?"
            rf"|(?:最近|今天)?(?:{zh_people})(?:里|上)?(?:最近|今天|都|又|这几天)*(?:有|出了)(?:什么|啥|哪些|没有|些)"
            rf"(?:好看的|新的|新|好玩的|热门的?)?(?:{zh_noun})"
        ),
        # "where did my clip go", "where are my videos saved": the member's own clips, on the feed
        "mine": c(
            r"^where\s+(?:did|do|does|are|is|['’]?s|can\s+i\s+(?:find|see))\s+my\s+(?:clip|video|vid|creation|generation|render)s?"
            r"(?:\s+(?:go|went|end\s+up|get\s+saved|live|stored|saved|kept|at))?$"
            r"|^(?:我)?(?:之前|以前|刚才|刚刚)?(?:生成|做|制作)的(?:视频|片|影片|短片|作品)(?:在)?(?:哪里|哪儿|哪)(?:看|找|可以看|能看)?$"
        ),
        "opinion": c(rf"{_B}(?:{alt(OPINION_WORDS)}){_W}|{alt(OPINION_ZH)}"),
        "show_me": c(rf"(?:{alt(SHOW_ME)})(?:\s+(?:pls|please|plz))?"),
    }


def wallet_question(clause: str) -> str | None:
    """ "balance" when a clause asks how much of the bot's money there is ("how many credits remain on my
    account", "bruh how many credits i got", "我的点数还剩多少"), whatever else it says; "plans" when it asks
    what something costs in it ("how many credits does a clip cost", "how many credits a month on free")
    and names nothing left; else None. A loose wallet noun ("coins") needs a word about the asker."""
    rx = _rx()
    m = rx["wallet"].search(clause)
    if m is not None and _THEIRS.search(clause) and not re.search(r"\b(?:my|i|me|mine)\b", clause):
        return None  # "a piggy bank counting its coins to check its balance": someone else's money, a scene
    if m is not None:
        if m.group("loose") and not rx["asker"].search(clause):
            # "how much money does a dragon keep" is the scene's money; "how many coins does a clip cost" a price
            return "plans" if rx["cost"].search(clause) else None
        if rx["buy"].search(clause):
            return "plans"  # "where can i buy more credits"
        if not rx["left"].search(clause) and (
            rx["cost"].search(clause) or (rx["price"].search(clause) and not rx["asker"].search(clause))
        ):
            return "plans"  # "how many credits does a clip cost", "how many credits does pro give"
        if not rx["left"].search(clause) and rx["plan"].search(clause) and not rx["held"].search(clause):
            return "plans"  # "how much of the pro plan allowance do i get"
        if not rx["left"].search(clause) and not rx["held"].search(clause) and rx["spec"].search(clause):
            return "plans"  # "how many credits is a 10s 720p vid": what a clip of those settings costs
        return "balance" if not m.group("loose") or rx["asker"].search(clause) else None
    m = rx["wallet_zh"].search(clause)
    if m is None:
        return None
    if not re.search("剩|余额", clause) and (rx["price_zh"].search(clause) or rx["spec"].search(clause)):
        return "plans"  # "做一个1080p的要多少积分": the price of a clip of those settings
    # a loose word ("点", "钱") is the bot's money with the asker ("我") or what is left of it ("还剩多少点")
    return "balance" if not (m.group("loose") or m.group("loose2")) or re.search("我|剩", clause) else None


_THEIRS = re.compile(
    r"\b(?:its|his|her|their)\s+(?:[a-z]+\s+)?(?:balance|credits?|coins?|wallet|money|points?|tokens?)\b"
)


def feed_request(clause: str) -> bool:
    """Whether a clause asks to see other people's or recent clips ("show me recent clips from the channel",
    "let me see everyone's stuff", "最近大家都做了什么视频")."""
    rx = _rx()
    # "有没有最新的影片可以看看", "群里最近的视频列表": asking words around the clips asked for
    zh = re.sub(_FEED_ASK_ZH, "", clause)
    return bool(
        rx["feed"].search(clause)
        or rx["feed_zh"].fullmatch(clause)
        or rx["feed_zh"].fullmatch(zh)
        or rx["mine"].fullmatch(clause)
    )


_FEED_ASK_ZH = (
    r"^(?:有没有|有什么|有啥|有)|(?:可以|能)?(?:让我|给我)?(?:看看|看一下|看下|瞧瞧)(?:吗|呢)?$|列表$|清单$|(?:吗|呢)$"
    r"|(?:有哪些|有什么|有啥)(?:吗|呢)?$|分享(?:一下|下)?$"
)


def without_opinions(clause: str) -> tuple[str, bool]:
    """The clause without its opinion words ("free plan sucks" -> "free plan"), and whether it had any."""
    rest, n = _rx()["opinion"].subn(" ", clause)
    return rest, n > 0


def is_show_me(clause: str) -> bool:
    """Whether a clause only asks to be shown something another clause names ("给我看看", "show me")."""
    return bool(_rx()["show_me"].fullmatch(clause))
