"""The fixed phrasings of each question about the bot ("what's my balance", "show me the plans", "how do i
use this", "cancel my video", "community feed", "我的余额", "套餐价格"), as whole-clause patterns.

Patterns only; intent.py decides with them (and with topic words and shapes for everything else).
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import alt, c
from bot.parse.words import CANCEL_JOB_NOUNS, CREDIT_NOUNS


@functools.cache
def frames() -> tuple[re.Pattern[str], re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    """(head, tail, [(action, whole-clause pattern)]): the fixed phrasings of each question; a clause that is
    one of them once its head and tail words are off asks that question."""
    head = c(
        r"^(?:(?:hey|hi|hello|yo|ok|okay|um+|so|pls|please|plz|bot|reelbot|excuse me|sorry)\b[\s,!]*)+"
        r"|^(?:(?:can|could|may)\s+i\s+(?:see|check|view|get|have)\s+(?:a\s+look\s+at\s+)?)"
        r"|^(?:请问|请|麻烦|帮我|我想|我要|想|你好|您好|嗨|这个|这|那个|那)+"
    )
    tail = c(
        r"(?:[\s,]*\b(?:pls|please|plz|thanks|thx|bot|now|again|real quick)\b)+$"
        r"|(?:吗|呢|啊|呀|吧|哦|呗|一下|谢谢|了)+$"
    )
    credits = rf"{alt(CREDIT_NOUNS)}s?"
    my_job = rf"(?:my\s+|the\s+|this\s+|that\s+|current\s+)?{alt(CANCEL_JOB_NOUNS)}s?"
    table = (
        (
            "balance",
            c(
                rf"(?:check\s+|show\s+|see\s+|view\s+|get\s+|display\s+)?(?:me\s+)?(?:my\s+)?(?:current\s+)?"
                rf"(?:balance|{credits}|credit\s+balance|wallet|account)(?:\s+(?:left|remaining|balance))?"
                rf"|(?:what(?:'s|s|\s+is)|whats)\s+(?:my\s+)?(?:current\s+)?(?:balance|credit\s+balance|{credits}(?:\s+balance)?)"
                rf"|how\s+(?:many|much)\s+{credits}(?:\s+(?:do\s+|have\s+)?i\s+(?:have|got|get))?(?:\s+left)?"
                rf"|how\s+(?:many|much)\s+{credits}\s+(?:are\s+|do\s+i\s+have\s+)?(?:left|remaining)|bal"
                rf"|how\s+much\s+(?:credit|balance)\s+(?:do\s+)?i\s+(?:have|got)(?:\s+left)?"
                rf"|do\s+i\s+(?:still\s+)?have\s+(?:any\s+)?{credits}(?:\s+left)?|{credits}\s*\?*"
                r"|(?:what(?:'s|s|\s+is)\s+|check\s+|show\s+(?:me\s+)?)?my\s+(?:current\s+)?(?:plan|subscription|tier)"
                r"|(?:what|which)\s+(?:plan|tier|subscription)\s+(?:am\s+i|i['’]?m)\s+on|am\s+i\s+on\s+(?:pro|plus|free|premium)"
                r"|(?:credits?|balance|wallet|account)\s+(?:check|status)|check\s+(?:credits?|balance)"
                r"|我的?(?:当前)?(?:套餐|会员)"
                r"|(?:查|查询|查看|看看?|显示)?(?:一下)?(?:我的?)?(?:账户|帐户|账号)?的?"
                r"(?:余额|积分|点数|额度|信用点|钱包)(?:还有多少|还剩多少|剩多少|有多少|多少|是多少)?"
                r"|我?(?:还)?(?:有|剩)(?:多少|几个?)(?:积分|点数|额度|余额|点)?"
                r"|(?:我的?)?(?:余额|积分|点数|额度|钱包)(?:查询|查看|查一下|查一查)"
            ),
        ),
        (
            "plans",
            c(
                r"(?:show\s+|see\s+|list\s+|view\s+)?(?:me\s+)?(?:the\s+|your\s+)?"
                r"(?:plans?|pricing|prices?|price\s+list|subscriptions?|tiers|membership|costs?|rates)"
                r"|how\s+much\s+(?:does\s+(?:it|this|a\s+video|a\s+clip|pro|plus)\s+cost|is\s+(?:it|pro|plus|a\s+video)"
                r"|are\s+(?:the\s+)?plans|do\s+(?:you|the\s+plans)\s+cost|for\s+pro|for\s+plus)"
                r"|how\s+much|what(?:'s|s|\s+is|\s+are)?\s+(?:the\s+|your\s+)?(?:plans?|prices?|pricing|costs?)"
                r"(?:\s+are\s+there)?"
                r"|what\s+(?:plans|prices|tiers|options|subscriptions)\s+(?:do\s+you\s+(?:have|offer)|are\s+(?:there|available))"
                r"|what\s+(?:does|do)\s+(?:it|pro|plus|the\s+plans?|plans|a\s+video|a\s+clip)\s+cost"
                r"|(?:how\s+(?:do|can)\s+i\s+)?upgrade(?:\s+(?:to\s+)?(?:pro|plus))?"
                r"|what(?:'s|s|\s+is|\s+are)\s+(?:the\s+)?(?:price|cost)s?\s+(?:of|for)\s+(?:the\s+)?(?:pro|plus|free|plans?"
                r"|a\s+(?:video|clip|generation))(?:\s+plan)?"
                r"|(?:is\s+there|do\s+you\s+have|are\s+there)\s+(?:a\s+|any\s+)?(?:free|pro|plus|paid|cheaper|monthly)\s+"
                r"(?:plans?|tiers?|versions?|options?|subscriptions?)"
                r"|how\s+much\s+(?:is|does|would|will|for)\s+(?:it\s+(?:cost\s+)?(?:to\s+make\s+)?|one\s+)?(?:an?\s+|one\s+)?"
                r"(?:(?:[0-9]{1,2}[\s-]*(?:s|secs?|seconds?)|hd|720p|1080p|480p|vertical|square|long|short)[\s,]+)*"
                r"(?:video|clip|generation|render)s?(?:\s+cost)?"
                r"|(?:查看?|看看?|显示)?(?:套餐|价格|价钱|方案|价目表|收费标准|会员|订阅|资费)(?:表|列表|有哪些|是多少|怎么样|介绍)?"
                r"|(?:套餐|方案|会员|订阅)(?:的)?(?:价格|价钱|费用|收费)(?:表|是多少)?"
                r"|(?:怎么|如何)(?:收费|付费|充值|升级|购买)|收费"
                r"|(?:(?:pro|plus|free|专业|高级|基础|免费|会员)(?:版|套餐|会员|计划)?)?(?:要|是|需要|一个月|每月)?多少钱"
            ),
        ),
        (
            "help",
            c(
                r"help(?:\s+me)?|\?+|h|(?:list\s+of\s+)?commands?(?:\s+list)?|usage|instructions|guide|manual|info|start|menu"
                r"|(?:can|could)\s+(?:you|u)\s+help(?:\s+me)?|i\s+need\s+(?:some\s+)?help"
                r"|how\s+(?:do|can|should)\s+(?:i|we)\s+use\s+(?:(?:this|it|you|reelbot)|(?:this|the)\s+(?:bot|thing|app|tool))"
                r"|how\s+(?:does|do)\s+(?:this|it|you|(?:this|the)\s+(?:bot|thing|app|tool))\s+work"
                r"|how\s+to\s+use(?:\s+(?:this|it|you|(?:this|the)\s+(?:bot|thing|app|tool)))?"
                r"|what\s+can\s+(?:you|this\s+bot|this|i)\s+do|what\s+(?:is|are)\s+(?:this|you)|who\s+are\s+you"
                r"|what\s+(?:are\s+)?(?:the\s+)?commands(?:\s+are\s+there)?|how\s+does\s+this\s+bot\s+work"
                r"|帮助|帮忙|(?:使用|新手)?(?:说明|方法|教程|指南|教学)|(?:指令|命令|功能)(?:列表|清单|一览|大全|表)?|你能做什么|你会什么|你是谁"
                r"|(?:机器人|bot|reelbot|你|它)?(?:要|该|应该)?(?:怎么用|如何使用|怎么使用|怎么玩|怎么操作|如何操作)"
            ),
        ),
        (
            "cancel",
            c(
                rf"(?:(?:nvm|never\s*mind|oops|actually|wait|no+|ugh|oh)[\s,!.]+)*"
                rf"(?:(?:cancel|stop)(?:[\s,!.]+(?:cancel|stop))+"
                rf"|cancel(?:\s+(?:it|that|this|{my_job}|everything|all|the\s+last\s+one|my\s+last\s+one))?"
                rf"|stop(?:\s+(?:it|that|this|{my_job}|generating|rendering|everything))?"
                rf"|forget\s+(?:it|that|about\s+it)"
                rf"|abort(?:\s+{my_job})?|never\s*mind|nvm|kill\s+(?:it|{my_job})|don'?t\s+(?:make|generate)\s+it)"
                r"|取消(?:生成|任务|吧|掉|它|这个|视频)?|停止(?:生成|任务)?|停下|停|别(?:再)?(?:生成|做|画|弄)了?|不要了?|算了"
            ),
        ),
        (
            "feed",
            c(
                r"(?:(?:show\s+(?:me\s+)?|see\s+|view\s+|browse\s+|open\s+|check\s+(?:out\s+)?|go\s+to\s+)(?:the\s+)?)?"
                r"(?:community\s+)?(?:feed|explore|gallery|showcase|recent|latest|trending|discover|community)"
                r"(?:\s+(?:page|tab|section|screen|view|list))?"
                r"|(?:show\s+(?:me\s+)?|see\s+|view\s+|browse\s+)(?:the\s+)?(?:recent|latest|new|newest|trending|top|popular"
                r"|other\s+people'?s|others'?|community|everyone'?s)\s+(?:clips|videos|creations|stuff|posts|generations)"
                r"|what(?:'s|\s+is|\s+are)\s+(?:others|people|everyone|other\s+people)\s+(?:making|creating|doing|generating)"
                r"|(?:show\s+(?:me\s+)?|see\s+)?what\s+(?:others|people|everyone|other\s+people)\s+(?:have\s+)?"
                r"(?:made|created|generated|posted)"
                r"|(?:(?:show\s+(?:me\s+)?|see\s+|let\s+me\s+see\s+|check\s+)?what(?:'s|s|\s+is)\s+"
                r"(?:new|trending|hot|popular|good)(?:\s+(?:here|today|now|right\s+now|lately))?)"
                r"|(?:community|the)\s+feed|(?:recent|latest)\s+(?:clips|videos|creations)"
                r"|动态|最新(?:视频|影片|作品|短片)?|看看?(?:大家|别人|其他人)(?:的)?(?:视频|作品)|广场|发现|作品集|热门(?:视频)?"
                r"|(?:社区|大家|别人|其他人)的?(?:作品|视频)"
                r"|(?:最近)?(?:大家|别人|其他人)(?:最近)?都?在?(?:做|生成|画|发)了?(?:什么|啥)"
                # "最受欢迎的影片排行", "top clips this week", "leaderboard": a ranking of the members' clips
                r"|(?:(?:本周|这周|今天|今日|本月|每周)的?)?(?:最受欢迎|最热门|最火|最多人看|点赞最多|人气最高|热门|人气)的?"
                r"(?:视频|影片|作品|短片|片)?(?:排行榜?|排名|榜单?|前十|top\s*10)?"
                r"|(?:视频|影片|作品|短片)(?:排行榜?|排名|榜单?)|排行榜"
                # "社群精選", "本周精选", "staff picks": the clips the community picked
                r"|(?:社群|社区|群里|群组|频道|本周|每周|今日|今天|大家的?)(?:精选|推荐)(?:作品|视频|影片)?|精选(?:作品|视频|影片)"
                r"|(?:staff|community|editor'?s|mod)\s+picks?|featured\s+(?:clips|videos|creations)"
                r"|(?:show\s+(?:me\s+)?)?(?:the\s+)?(?:most\s+(?:popular|liked|viewed)|top(?:\s+[0-9]{1,2})?|best)\s+"
                r"(?:clips|videos|creations|generations)(?:\s+(?:ranking|rankings|list|chart|leaderboard))?"
                r"(?:\s+(?:this\s+week|today|this\s+month|of\s+the\s+week|of\s+all\s+time))?"
                r"|(?:the\s+)?(?:leaderboard|rankings?|top\s+charts?)"
            ),
        ),
    )
    return head, tail, table
