"""Aspect ratios written as words, in English and Chinese: ratios ("9:16", "16 by 9"), shape words
("vertical", "make it square", "um vertical please and ..."), platforms ("for tiktok", "reels-style") and
Chinese shapes ("竖屏", "做成正方形", "整成直嘅"). Cuts each from a Scan into Found.

Ambiguous words ("portrait", "square") count only with context; a shape a Chinese 把 gives a thing
("把蛋糕做成正方形") is the scene's. Must not decide the action.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import L, R, alt, c, seg, zseg
from bot.parse.found import Found, aspect_value
from bot.parse.numbers import number
from bot.parse.scan import Scan
from bot.parse.words import (
    ASPECT_WORDS,
    MAKE_INTO_ZH,
    PLATFORM_OWNERS,
    SIZE_UNITS,
    STYLE_SUFFIXES,
    VERTICAL_PLATFORMS,
)
from reel.contract import ASPECTS

_SIZE_UNIT = re.compile(r"[\s-]*(?:" + "|".join(sorted(SIZE_UNITS, key=len, reverse=True)) + r")(?![a-z])")
#: "*把它*做成竖屏", "*把视频*改成方形": the clip named before a make-into verb
_BA_CLIP = r"(?:把(?:它|这个?|那个?|呢个|佢|整个)?(?:视频|影片|片|短片|画面)?)"


#: what may stand beside "make it vertical" and leave it no scene: settings and light words
_SETTINGS_ONLY = re.compile(
    r"(?:[\s,.;:!?—–-]|[0-9]+(?:\.[0-9]+)?\s*(?:s|secs?|seconds?|p|versions?|takes?)?(?![a-z])"
    r"|(?<![a-z])(?:and|&|plus|please|pls|also|too|hd|loop|looping|no|sound|audio|mute|relaxed|fast|ok|okay|so|um|uh|like|"
    r"maybe|then|thanks|thx|now|it|in|at)(?![a-z]))*"
)


@functools.cache
def _rx() -> dict[str, re.Pattern[str]]:
    """The aspect patterns, compiled on first parse."""
    aspect_word = r"vertical|portrait|landscape|horizontal|wide[\s-]?screen|square"
    owner = alt(PLATFORM_OWNERS)  # "instagram-reels", "yt shorts": the site a vertical format belongs to
    return {
        "ratio": c(
            rf"(?:{L}(?:in|at)\s+)?(?:(?:{L}(?:aspect\s*ratio|aspect|ratio|ar)|比例|画幅|画面比例|宽高比)"
            rf"\s*(?P<key>[:=]|为|是)?\s*)?"
            rf"(?<![0-9.])(?<![0-9]:)(?P<a>[0-9]{{1,2}})\s*(?P<sep>:|比|x|×|/|by(?=\s))\s*(?P<b>[0-9]{{1,2}})(?![0-9:])"
            rf"(?:\s*(?:aspect(?:\s*ratio)?|ratio|format){R}|\s*(?:比例|画幅))?"
        ),
        # "九比十六", "十六比九": a ratio in Chinese numerals (only 比 joins them)
        "ratio_zh": c(
            r"(?<![一二三四五六七八九十两百千万0-9])(?P<a>[一二三四五六七八九十]{1,3})比(?P<b>[一二三四五六七八九十]{1,3})"
            r"(?![一二三四五六七八九十两百千万0-9])(?:的)?(?:比例|画幅|画面|格式)?"
        ),
        # "a phone wallpaper: vertical, full hd, ...": a shape word opening a list of settings after a colon
        "aspect_colon": c(
            r"(?<=:)\s*(?P<w>vertical|portrait|landscape|horizontal|wide[\s-]?screen|square)(?=\s*(?:,|;|\||$))"
        ),
        "aspect_noun": c(
            rf"(?:{L}(?:in|as)\s+)?{L}(?P<w>vertical|portrait|landscape|horizontal|wide[\s-]?screen|square|tall|wide)"
            rf"(?:\s+|-)(?:mode|orientation|format|aspect(?:\s*ratio)?|ratio|crop|layout|frame){R}"
        ),
        "aspect_before_video": c(
            rf"{L}(?P<w>vertical|portrait|landscape|horizontal|wide[\s-]?screen|square){R}"
            rf"(?=[\s-]+(?:video|clip|gif|animation|shot|reel|vid|movie|short){R})"
        ),
        "aspect_in": c(
            rf"{L}(?:in|as)\s+(?P<w>vertical|portrait|landscape|horizontal|wide[\s-]?screen){R}(?!\s+of{R})"
        ),
        # "vertical video, a dragon": the noun goes with the word when the clause holds nothing else
        "aspect_seg_noun": c(
            seg(
                r"(?:(?:in|as|an?)\s+)?(?P<w>vertical|portrait|landscape|horizontal|wide[\s-]?screen|square)[\s-]+"
                r"(?:video|clip|vid|gif|animation|movie|short|reel|format|mode|orientation|aspect|ratio)s?"
            )
        ),
        # "um make it vertical and like seven seconds": a make-verb on the clip with a shape word, anywhere
        "aspect_make": c(
            rf"{L}(?:(?:i|we)\s+)?(?:make|keep|render|shoot|film|do|have|put|turn|set|want|need|prefer|get)\s+(?:it|this|that|the\s+(?:whole\s+)?"
            rf"(?:video|clip|vid|thing|shot|one|output)|(?:it|this)\s+one)\s+(?:in\s+|as\s+|into\s+)?(?:an?\s+)?"
            rf"(?P<w>vertical|portrait|landscape|horizontal|wide[\s-]?screen|square)"
            rf"(?:[\s-]+(?:format|mode|orientation|aspect(?:\s+ratio)?|ratio|video|clip|version|one))?{R}"
            rf"(?!\s+(?:of|with|like|shaped|box|table|house|room|tower|window|frame){R})"
        ),
        # "um vertical please and 6 seconds": a shape word asked for with a courtesy word
        "aspect_please": c(
            rf"{L}(?:in\s+)?(?P<w>vertical|portrait|landscape|horizontal|wide[\s-]?screen|square)\s+(?:please|pls|plz){R}"
            # "square ya", "vertical yaa": a friendly tag closing the clause
            rf"|(?:^|(?<=[,;]\s)|(?<=[,;]))(?P<w2>vertical|portrait|landscape|horizontal|wide[\s-]?screen|square)\s+(?:ya+|yah|yeah|ok|okay|lah|la|yo)(?=\s*(?:$|[,.!;]))"
        ),
        "aspect_seg": c(seg(r"(?P<w>vertical|portrait|landscape|horizontal|wide[\s-]?screen|square|wide)")),
        "aspect_end": c(
            r"(?<=\s)(?P<w>vertical|wide[\s-]?screen)(?=\s*(?:(?:pls|please|plz|thx|thanks)\W*)?$)"
        ),
        "aspect_wide": c(rf"{L}(?P<w>wide[\s-]?screen){R}"),
        "aspect_platform": c(
            rf"(?:{L}(?:for|on)\s+)?{L}(?:(?:youtube|yt)[\s-]+shorts|{owner}[\s-]+(?:reels?|stories|story)"
            rf"|(?:tiktok|douyin)(?:\s+(?:format|size|ratio|style\s+format)){R})"
            rf"|{L}(?:for|on)\s+(?:(?:my|a|the|our|an)\s+)?(?:(?:youtube|yt)[\s-]+shorts?|{owner}[\s-]+"
            rf"(?:reels?|stories|story)|tiktok|reels?|shorts|douyin|stories|story){R}"
            rf"|{L}(?:youtube|yt)[\s-]+short{R}"
            rf"|{L}(?:tiktok|douyin){R}(?=[\s-]+(?:video|clip){R})"
            rf"|{seg('tiktok|reels|shorts|douyin')}"
        ),
        # "reels-style", "tiktok-format", "shorts style": a vertical platform's format
        "aspect_style": c(
            rf"{L}(?:(?:for|in|as)\s+(?:an?\s+)?)?(?:{owner}[\s-]+(?![\s-]*(?:stories|story)))?"
            rf"(?P<p>{owner}[\s-]+(?:stories|story)|{alt(p for p in VERTICAL_PLATFORMS if p not in ('story', 'stories'))})"
            rf"(?:\s+|-)?(?:{alt(STYLE_SUFFIXES)}){R}"
        ),
        # "instagram-square", "tiktok vertical", "youtube widescreen": a platform named with the aspect
        "aspect_platform_word": c(
            rf"{L}(?:{owner}[\s-]+)?(?:{owner}|tiktok|douyin|reels?|shorts)(?:\s+|-)"
            rf"(?P<w>{aspect_word}){R}"
        ),
        "aspect_zh": c(
            rf"(?:{_BA_CLIP}?(?:{alt(MAKE_INTO_ZH)})|用|以|要)?(?:(?P<v>竖屏|竖版|竖幅|直式|直版|直屏|纵向画面|竖向画面|手机竖屏)"
            r"|(?P<h>横屏|横版|横式|宽屏|宽银幕|宽萤幕|宽荧幕|宽屏幕|横向画面)"
            r"|(?P<s>(?:正方形|方形)(?=(?:的)?(?:画面|画幅|比例|视频|格式|尺寸|构图))|方屏)"
            # "一條直向嘅片" (Cantonese): a direction word with the clip noun it shapes
            r"|(?P<v2>直向|竖向|纵向|直幅)(?:的?(?:片|视频|影片|短片|画面|格式|版本|构图|拍摄|拍)|的(?=\s*(?:$|[,;:。!?\n])))"
            r"|(?P<h2>横向)(?:的?(?:片|视频|影片|短片|画面|格式|版本|构图|拍摄|拍)|的(?=\s*(?:$|[,;:。!?\n]))))"
            r"(?:的)?(?:模式|格式|比例|画面|画幅)?(?:的)?"
        ),
        # "能不能做成正方形、高清", "整成直嘅": a make-into verb with a shape closing its clause (not "把蛋糕做成正方形")
        "aspect_zh_make": c(
            rf"{_BA_CLIP}?(?:{alt(MAKE_INTO_ZH)})(?:(?P<s>正方形|方形|方的|四方形)|(?P<v>竖的|直的|竖版|直版|竖屏|直屏)"
            r"|(?P<h>横的|横版|横屏|宽的))(?:的)?(?=\s*(?:$|[,;:!?、。，；：！？\n]|吧|呀|啊|啦|嘛|喔|哦|就|好|可以|得|和|跟|同埋|同|还有|加上|以及|而且))"
        ),
        "aspect_zh_seg": c(
            zseg(
                r"(?P<s>正方形|方形)|(?P<v>竖的|竖着|竖向|竖版的|直的|直向|直版的|直向的|竖向的|直屏的)"
                r"|(?P<h>横的|横着|横向|横版的|横向的)"
            )
        ),
    }


def take_aspect(scan: Scan, found: Found) -> None:
    """Cut every aspect ratio `scan` writes into `found`; the last one written wins."""
    rx = _rx()
    said: list[tuple[int, str]] = []  # (where, value): the last one written wins

    def ratio(m: re.Match[str]) -> bool:
        if (
            m.group("sep") in ("x", "×", "by", "/")
            and f"{int(m.group('a'))}:{int(m.group('b'))}" not in ASPECTS
        ):
            return False
        if m.group("sep") == "by" and _SIZE_UNIT.match(scan.norm, m.end()):
            return False  # "a 16 by 9 foot rug": a size in the scene
        keyed = bool(re.search(r"aspect|ratio|ar|比例|画幅|宽高比", m.group(0)[: m.start("a") - m.start()]))
        value = aspect_value(m.group("a"), m.group("b"), m.group(0).strip(), strict=keyed)
        if value is None:
            return False
        said.append((m.start(), value))
        return True

    scan.take(rx["ratio"], ratio)

    def ratio_zh(m: re.Match[str]) -> bool:
        a, b = number(m.group("a")), number(m.group("b"))
        if a is None or b is None or f"{int(a)}:{int(b)}" not in ASPECTS:
            return False  # "三比二" (a score) stays in the scene
        said.append((m.start(), f"{int(a)}:{int(b)}"))
        return True

    if scan.cjk:
        scan.take(rx["ratio_zh"], ratio_zh)
    for m in list(rx["aspect_make"].finditer(scan.norm)):
        # "make it vertical" with no scene beside it (alone, or only settings: a reply's edit "make it
        # square, 8 seconds") is left to the other rules: the message is never emptied
        if _SETTINGS_ONLY.fullmatch(scan.norm[: m.start()] + " " + scan.norm[m.end() :]):
            continue
        said.append((m.start(), ASPECT_WORDS[re.sub(r"[\s-]", "", m.group("w"))]))
        scan.cut(m.start(), m.end())
    for key in (
        "aspect_please",
        "aspect_seg_noun",
        "aspect_noun",
        "aspect_before_video",
        "aspect_in",
        "aspect_seg",
        "aspect_end",
        "aspect_wide",
        "aspect_platform_word",
        "aspect_colon",
    ):
        said.extend(
            (m.start(), ASPECT_WORDS[re.sub(r"[\s-]", "", m.groupdict().get("w2") or m.group("w"))])
            for m in scan.take(rx[key])
        )
    said.extend((m.start(), "9:16") for m in scan.take(rx["aspect_style"]))
    said.extend((m.start(), "9:16") for m in scan.take(rx["aspect_platform"]))
    if scan.cjk:
        for key in ("aspect_zh", "aspect_zh_make", "aspect_zh_seg"):
            for m in scan.take(rx[key], lambda m: not m.group("s") or _not_shaping(scan.norm, m.start())):
                v = m.group("v") or m.groupdict().get("v2")
                h = m.group("h") or m.groupdict().get("h2")
                said.append((m.start(), "9:16" if v else "16:9" if h else "1:1"))
    for at, value in sorted(said, key=lambda p: p[0]):
        if at >= found.approved_at.get("aspect", -1):
            found.set("aspect", value)


def _not_shaping(norm: str, at: int) -> bool:
    """Whether a Chinese shape word at `at` is about the clip, not a thing 把 shapes earlier in its clause
    ("把蛋糕做成正方形")."""
    clause = re.split(r"[,;:!?、。，；：！？\n]", norm[:at])[-1]
    return all(re.match(_CLIP_AFTER_BA, clause[i + 1 :]) for i, ch in enumerate(clause) if ch == "把")


#: what 把 may name and still be about the clip ("把它做成竖屏", "把这个视频改成方形")
_CLIP_AFTER_BA = (
    r"\s*(?:它|他|她|这|那|呢|佢|整个|全部)|\s*(?:[^\s]{0,4})(?:视频|影片|短片|片|画面|动画|clip|video)"
)
