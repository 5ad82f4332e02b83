"""Every word list the parser reads, as data: numbers, misspellings, flags, parameter words, negation and
audio words, request filler and the vocabulary of messages about the bot itself.

Pure data (tuples, dicts, frozensets of lower-case, simplified-Chinese words): the pattern modules build
their regexes from these. No regexes and no logic here; slash-command names live in bot/commands.py.
"""

from __future__ import annotations

from typing import Any, Final


def _words(s: str) -> tuple[str, ...]:
    """Words separated by spaces."""
    return tuple(s.split())


def _phrases(s: str) -> tuple[str, ...]:
    """Phrases separated by semicolons."""
    return tuple(p.strip() for p in s.split(";") if p.strip())


def _pairs(s: str) -> dict[str, str]:
    """`key=value` pairs separated by semicolons."""
    return {k.strip(): v.strip() for k, v in (p.split("=", 1) for p in _phrases(s))}


def _weights(s: str) -> dict[str, int]:
    """`phrase=weight` pairs separated by semicolons."""
    return {k: int(v) for k, v in _pairs(s).items()}


def _each(value: Any, s: str) -> dict[str, Any]:
    """Every word of `s` (separated by spaces) -> `value`."""
    return dict.fromkeys(s.split(), value)


def _each_phrase(value: Any, s: str) -> dict[str, Any]:
    """Every phrase of `s` (separated by semicolons) -> `value`."""
    return dict.fromkeys(_phrases(s), value)


# -- numbers ------------------------------------------------------------------------------------------

EN_NUMBERS: Final[tuple[str, ...]] = tuple(
    (
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty"
    ).split()
)
CN_DIGITS: Final = "零〇一二两三四五六七八九十百千廿卅"

# -- misspellings ---------------------------------------------------------------------------------------

#: Long parameter words a one-edit misspelling of which reads as the word ("verticle", "10 secons").
TYPO_WORDS: Final[tuple[str, ...]] = _words(
    "vertical portrait landscape horizontal widescreen seconds variations versions relaxed "
    "seamless storyboard"
)
#: Misspellings more than one edit away, and short words where one edit is too loose ("squire").
TYPO_KNOWN: Final[dict[str, str]] = _pairs(
    "verticle=vertical; verticel=vertical; virticle=vertical; virtical=vertical; vert=vertical; horiz=horizontal; "
    "chek=check; chck=check; cheque=check; wats=whats; whts=whats; waht=what; whta=what; potriat=portrait; sqaure=square; squre=square; sqare=square; suqare=square"
)
#: Chat shorthand read as the word it stands for, in the matching view only (the prompt keeps the member's
#: spelling): "chk my creds", "wat can u do", "halp", "4 vars", "whats the diff between plus and pro".
CHAT_SHORTHAND: Final[dict[str, str]] = _pairs(
    "u=you; wat=what; wut=what; wht=what; chk=check; creds=credits; cred=credit; bal=balance; "
    "halp=help; hlp=help; diff=difference; acct=account; vars=variations; var=variation; vers=versions; "
    "abt=about; rn=now; hv=have; wen=when; wut=what; hw=how; pls=please"
)
#: Cantonese words read as their Mandarin twins in the matching view, character for character (same length:
#: the position map depends on it): "我仲有幾多credits", "唔要聲", "畀我睇下", "佢嘅片".
CANTONESE: Final[dict[str, str]] = _pairs(
    "幾多=多少; 几多=多少; 點樣=怎样; 点样=怎样; 乜嘢=什么; 咩嘢=什么; 唔該=谢谢; 唔该=谢谢; 唔使=不用; 唔駛=不用; "
    # 系 is also the simplified form of words that are not 係 ("没关系", "太阳系"): those stay themselves
    "关系=关系; 系统=系统; 星系=星系; 体系=体系; 联系=联系; 系列=系列; 派系=派系; 维系=维系; 直系=直系; "
    "水系=水系; 阳系=阳系; 河系=河系; 系上=系上; 系好=系好; 系着=系着; 系鞋=系鞋; "
    "唔=不; 嘅=的; 咗=了; 係=是; 系=是; 冇=没; 佢=它; 咩=啥; 睇=看; 嚟=来; 畀=给; 俾=给; 啲=些; 喺=在; 仲=还; 攞=拿; "
    "啱啱=刚刚; 唔係=不是; 先啱=才对; 剪走=剪掉; 整兩=做两; 整两=做两; 整三=做三; 整四=做四; 邊度=哪里; 边度=哪里; 整住=做着; 㗎=呀; 喇=啦; 人哋=别人; 整嘅=做的; 整咗=做了; 睇下=看下; 停低=停下; 喇=啦; 整長=弄长; 整长=弄长; 嗰=那; 呢個=这个; 呢个=这个; 呢段=这段; 唔好=不要; 整一條片=做个视频; 整一条片=做个视频; 整條片=做视频; "
    "整条片=做视频; 整段片=做视频; 條片=视频; 条片=视频"
)
#: The bot's own words (5 letters or more) a one-edit misspelling of which reads as the word ("balnce",
#: "acount", "cancle", "subscripton"); endings stay as written ("credits", "cancelled"): the patterns take them.
TYPO_DOMAIN_WORDS: Final[tuple[str, ...]] = _words(
    "balance credits credit account wallet allowance remaining subscription subscribe membership upgrade "
    "pricing premium cancel community gallery trending commands command tutorial instructions generation "
    "creations tokens queue"
)
#: Real words one edit away from a parameter word or one of the bot's words: never corrected.
TYPO_REAL: Final = frozenset(
    _words(
        "related relaxer relaxes relayed seamlessly second variation version vortical "
        "cancer taken tending galley walled priming pricking prizing retain retaining commend commends "
        "commando commandos reader readers"
    )
)

# -- --flags ----------------------------------------------------------------------------------------------

VALUE_FLAGS: Final[dict[str, str]] = {
    **_each("seconds", "seconds second secs sec duration dur len length time t"),
    **_each("resolution", "res resolution quality-preset size"),
    **_each("aspect", "ar aspect aspect-ratio aspect_ratio ratio"),
    **_each("variations", "variations variation n num count versions batch"),
    **_each("seed", "seed"),
    **_each("mode", "mode"),
    **_each("strength", "strength denoise remix-strength"),
}
#: Flags whose value is text up to the next flag: a negative prompt.
TEXT_FLAGS: Final = frozenset(_words("avoid neg negative negative-prompt negative_prompt no np"))
#: Flags that need no value: (Request field, value).
SWITCH_FLAGS: Final[dict[str, tuple[str, Any]]] = {
    **_each(("mode", "relaxed"), "relax relaxed slow"),
    **_each(("mode", "fast"), "fast turbo"),
    **_each(("loop", True), "loop seamless looping"),
    **_each(("loop", False), "no-loop noloop"),
    **_each(("resolution", "480p"), "sd 480p"),
    **_each(("resolution", "720p"), "hd 720p"),
    **_each(("resolution", "1080p"), "fhd fullhd 1080p"),
    **_each(("aspect", "9:16"), "vertical portrait tall"),
    **_each(("aspect", "16:9"), "landscape horizontal wide widescreen"),
    **_each(("aspect", "1:1"), "square"),
    **_each(("extend", True), "extend"),
    **_each(("audio", True), "audio sound"),
    **_each(("audio", False), "no-audio noaudio no-sound nosound mute muted silent"),
}
#: Switch flags that take an explicit yes/no value (`--loop=false`, `--audio off`).
BOOL_SWITCHES: Final = frozenset(_words("audio loop"))
TRUE_WORDS: Final = frozenset(_words("1 on true y yes"))
FALSE_WORDS: Final = frozenset(_words("0 false n no off"))

# -- parameter words ----------------------------------------------------------------------------------

ASPECT_WORDS: Final[dict[str, str]] = _pairs(
    "vertical=9:16; portrait=9:16; tall=9:16; landscape=16:9; horizontal=16:9; "
    "widescreen=16:9; wide=16:9; square=1:1"
)
RES_WORDS: Final[dict[str, str]] = _pairs(
    "480p=480p; 480=480p; sd=480p; 720p=720p; 720=720p; hd=720p; 1080p=1080p; 1080=1080p; "
    "fhd=1080p; fullhd=1080p; full-hd=1080p; full_hd=1080p"
)
MODE_WORDS: Final[dict[str, str]] = _pairs(
    "fast=fast; turbo=fast; relaxed=relaxed; relax=relaxed; slow=relaxed"
)
#: Resolutions people ask for that the bot does not make: an error, not prompt text.
BAD_RES: Final = frozenset(_words("144 1440 2160 240 360 4320 540"))
#: Units after "16 by 9" that make it a size in the scene ("a 16 by 9 foot rug").
SIZE_UNITS: Final[tuple[str, ...]] = _words(
    "feet foot ft inch inches in m meter meters metre metres cm mm km mile miles yard yards "
    "grid square squares tile tiles pixel pixels px"
)
#: Short-video platforms whose format is vertical ("for tiktok", "reels-style").
VERTICAL_PLATFORMS: Final[tuple[str, ...]] = _words("tiktok douyin reels reel shorts stories story")
#: Sites a platform's format is named after ("*instagram*-reels style", "*yt* shorts").
PLATFORM_OWNERS: Final[tuple[str, ...]] = _words(
    "youtube yt instagram ig insta facebook fb snapchat snap meta"
)
#: Words after a platform or aspect word that make it a style or format ("reels-style", "tiktok format").
STYLE_SUFFIXES: Final[tuple[str, ...]] = _words("style styled format formatted size sized ratio")
#: Words a "please" can follow at the end of a parameter clause.
POLITE_WORDS: Final[tuple[str, ...]] = _words("pls please plz thx thanks ty")

#: Relaxed (slow, cheap) mode: phrases that ask for it anywhere in a clause ("whenever you get to it — ...").
RELAXED_PHRASES: Final[tuple[str, ...]] = _phrases(
    "no rush; no hurry; not urgent; no need to hurry; no need to rush; not in a hurry; "
    "in no hurry; there's no rush; theres no rush; take your time; whenever you get to it; "
    "whenever you can; whenever you get a chance; whenever you have time; "
    "when you get a chance; when you have time; when you get around to it; "
    "whenever you get around to it; in your own time; at your leisure; low priority; take it slow; "
    "go slow; slow is fine; no need to be fast; slowly please; "
    "cheap mode; no rush at all; "
    "i can wait; happy to wait; i don't mind waiting; don't mind waiting; no problem if it takes a while; "
    "fine if it takes a while; ok if it takes a while; okay if it takes a while; it can take a while; "
    "take as long as you need; take as long as you like; slow is no problem; slow is ok; slow is okay; "
    "no problem taking it slow; taking it slow is fine; it doesn't have to be fast; doesn't have to be fast; "
    "doesn't need to be fast; no need for speed; speed doesn't matter"
)
#: "when you have a *sec*", "whenever u get a *minute*": the spare time a relaxed request offers.
SPARE_TIME: Final[tuple[str, ...]] = _phrases(
    "sec; second; minute; min; moment; chance; spare moment; spare minute; free moment; free minute; "
    "bit of time; little time; spare time; free time; time"
)
#: Relaxed mode words that only count as a clause of their own ("a cat, whenever").
RELAXED_CLAUSE_WORDS: Final[tuple[str, ...]] = _phrases(
    "relax; relaxed; whenever; slowly is fine; later is fine"
)
RELAXED_ZH: Final[tuple[str, ...]] = _words(
    "不急的话 不着急的话 不赶的话 有空的话 有空再做 有空再弄 有空的时候 不赶时间"
)
#: Relaxed words that count only standing alone (a run of them: "慢慢来不着急，...").
RELAXED_CLAUSE_ZH: Final[tuple[str, ...]] = _words(
    "慢速 不急 不着急 慢慢来 慢慢生成 不用急 不用着急 慢慢做 不急慢慢做 不急慢慢来 不赶时间 不赶 有空再做 慢慢弄 "
    "随便什么时候做好都行 什么时候做好都行 随便什么时候都行 什么时候都行 什么时候都可以 随时都行 有空再弄 啥时候都行 "
    "慢慢整 慢慢搞 不急慢慢整 慢慢弄吧 慢慢整吧 "
    "慢慢 不用赶 不使急 不赶急 慢慢出 慢慢画 等等也行 可以等 我可以等 等多久都行 等久一点也行 "
    "先不要急 不要急住 不要急 不使急住 不用急住 不好急住 慢慢嚟 不使赶"
)
#: Fast mode asked for in words ("I need it now", "马上做").
FAST_PHRASES: Final[tuple[str, ...]] = _phrases(
    "i need it now; need it now; i need it asap; need it asap; i need it fast; "
    "i need it quickly; right away; as soon as possible; asap; urgent; fast; make it quick; make it fast; "
    "quick please; be quick; quickly please; quick one; quick pls; hurry; hurry up; in a hurry; rush it"
)
FAST_ZH: Final[tuple[str, ...]] = _words(
    "马上做 马上 立刻做 立刻 尽快 赶时间 急用 快速 加急 急 要快 快一点 快点 要快的 现在就要 我现在就要 马上就要 我马上就要 "
    "现在就做 今天就要 我急着要 急着要"
)

# -- negation -------------------------------------------------------------------------------------------
# A negator refuses the parameters that follow it in its clause, but only when everything it refuses is a
# parameter ("not vertical", "no need for hd"); "no stop sign" stays a prompt.

#: Words that refuse what follows them.
NEGATORS: Final[tuple[str, ...]] = _phrases(
    "not; no; non; without; never; don't; do not; doesn't; does not; didn't; won't; "
    "shouldn't; should not; needn't; isn't; is not; not in; no need for; no need to; skip; "
    "skip the; instead of; rather than; minus; lose the; leave out; forget the; no more; "
    "nothing; don't want; do not want; i don't want; we don't want; avoid; kindly avoid; please avoid; "
    "there is no need for; there's no need for; there is no need to; there's no need to; no need of; "
    "kindly don't; kindly do not; please don't; please do not"
)
#: Words inside a clause that refuse what follows them in favour of what came before ("landscape *not*
#: portrait", "square *instead of* vertical", "a robot dancing *but not* 10 seconds").
INNER_NEGATORS: Final[tuple[str, ...]] = _phrases(
    "not; but not; and not; rather than; instead of; and no; but no; though not; yet not; never"
)
#: Words inside a clause after which a setting replaces the one before it ("9:16 *no wait* 16:9").
INNER_CORRECTIONS: Final[tuple[str, ...]] = _phrases(
    "no wait; wait; i mean; or rather; actually; no actually; sorry; make that; correction; oops; no; nah; "
    "scratch that; no no; 不对; 我是说; 哦不; 不，"
)
#: Words that join a scene to a refusal of its settings ("a robot dancing *but* not 10 seconds").
INNER_JOINS: Final[tuple[str, ...]] = _words("but and though yet just")
INNER_NEGATORS_ZH: Final[tuple[str, ...]] = _words("而不是 不是 不要 别 不用 而非")
#: Light words between a negator and the parameter ("don't *make it* square", "doesn't *need to* loop").
NEGATION_FILLERS: Final[tuple[str, ...]] = _words(
    "make do have want need needs use go put render be it in at as with a an the any to for "
    "into this that one i we you please add include kindly on"
)
#: Words after a parameter that refuse it ("hd not needed").
NEGATORS_AFTER: Final[tuple[str, ...]] = _phrases(
    "not needed; not necessary; not required; not wanted; isn't needed; is not needed; "
    "unnecessary; is unnecessary; no thanks; please no; no need; not please; is not necessary; isn't necessary; "
    "is not required; isn't required; are not needed; aren't needed; is not important; isn't important; "
    "not important; doesn't matter; does not matter; is not wanted; not needed at all; can be skipped; "
    "is not a must; not a must; is optional; "
    "is too long; is way too long; is too short; is way too short; is too many; are too many; is too much; "
    "too long; too short; is a bit long; is a bit short; is too slow"
)
#: Chinese words that refuse what follows them ("不要循环", "别竖屏", "不用高清").
NEGATORS_ZH: Final[tuple[str, ...]] = _words(
    "不要 不用 不需要 无需 不必 别 不想要 不想 不是 非 并非 别要 没必要 避免 请避免 尽量避免 请勿 勿 咪"
)
#: Light words after a Chinese negator ("别*做成*竖的").
NEGATION_FILLERS_ZH: Final[tuple[str, ...]] = _words(
    "做成 弄成 改成 搞成 变成 做 用 要 是 开 加 搞 整成 整 弄"
)
NEGATORS_AFTER_ZH: Final[tuple[str, ...]] = _words("不需要 不用 不要 就不用了 不用了 不要了 免了 没必要")
#: Parameter names a negator can refuse as a whole ("no variations", "no negative prompt needed"), and what
#: refusing them sets (None: nothing to set).
NEGATED_NAMES: Final[dict[str, tuple[str, Any] | None]] = {
    **_each_phrase(
        ("variations", 1), "variations; variation; versions; multiple versions; variants; alternatives"
    ),
    **_each_phrase(None, "negative prompt; negative; seed"),
    **_each_phrase(("loop", False), "loop; looping; 循环"),
    **_each_phrase(
        ("audio", False),
        "sound; audio; music; noise; soundtrack; sound effects; bgm; background music; the music; the sound; "
        "the audio; 声音; 音频; 音效; 配乐; 音乐; 背景音乐",
    ),
    **_each_phrase(("variations", 1), "版本; 多个版本"),
}
#: Words that approve the parameter they stand beside ("*just* 720 *is fine*", "横的*就好*").
APPROVAL_BEFORE: Final[tuple[str, ...]] = _phrases(
    "just; only; simply; preferably; i'd like; i want; keep; keep it; "
    "i'm thinking; i am thinking; thinking; i think; i'd say; let's go with; go with; let's say; i guess; "
    "i'd go with; i'd prefer; i prefer; ideally"
)
#: Corrections: the value after them replaces the one before ("10 seconds — *actually* 5", "*make that* 2").
CORRECTIONS: Final[tuple[str, ...]] = _phrases(
    "actually; i mean; i meant; sorry i meant; sorry i mean; i meant to say; make that; or rather; rather; no wait; wait; "
    "sorry; correction; nah; nope; hmm actually; um actually; oh actually; "
    "scratch that; change that to; let's do; lets do; no actually; on second thought; on second thoughts; "
    "second thought; on 2nd thought; come to think of it; thinking about it; or maybe; hmm maybe; or actually"
)
APPROVAL_AFTER: Final[tuple[str, ...]] = _phrases(
    "is fine; is enough; is ok; is okay; is good; is great; is perfect; is plenty; will do; "
    "would do; works; is all i need; this time; please; pls; thanks; is better; instead; "
    "fine; enough; needed; is needed; required; would be great; would be nice; would be good; would be perfect; "
    "would be fine; would be ideal; is best; works best; works for me; sounds good; is what i want; "
    "is what i need; please and thanks; is sufficient; is quite sufficient; sufficient; suffices; will suffice; "
    "would suffice; is quite enough; is more than enough; more than enough; is good enough; good enough; "
    "is perfectly fine; is totally fine; is just fine; is quite fine; is really enough; will be fine; "
    "will be enough; should be fine; should be enough; is alright; is all right; is ok for me; is fine for me; "
    "is required; is preferred; preferred; is preferable; would be preferred; is recommended; is requested; "
    "is desired; is wanted; is wished; will be ok; will be okay; is acceptable; acceptable"
)
#: "one's fine", "vertical's ok": an approval word after a contracted "is".
APPROVAL_AFTER_CONTRACTED: Final[tuple[str, ...]] = _phrases(
    "'s fine; 's enough; 's ok; 's okay; 's good; 's great; 's perfect; 's plenty; 's all i need; "
    "'s needed; 's required; 's best"
)
#: A choice that names no value ("normal is fine", "普通的就行"): approved, it keeps the default and goes.
GENERIC_CHOICES: Final[tuple[str, ...]] = _phrases(
    "normal; regular; standard; default; usual; basic; plain; whatever; anything; either; "
    "either one; any; the normal one; the regular one; the default one; the usual; the default; "
    "defaults; default settings; the standard one; a normal one; a regular one; normal one; regular one; "
    "normal quality; regular quality; standard quality; default quality"
)
GENERIC_CHOICES_ZH: Final[tuple[str, ...]] = _words(
    "普通的 普通 标准的 标准 默认的 默认 一般的 一般 正常的 正常 随便 都 普通版 原来的 原样 常规的 常规 默认设置"
)
#: A bare count in an approval ("one's fine", "just two"): how many versions.
BARE_COUNTS: Final[dict[str, int]] = _weights(
    "one=1; 1=1; single=1; a single one=1; a single=1; two=2; 2=2; four=4; 4=4"
)
APPROVAL_BEFORE_ZH: Final[tuple[str, ...]] = _words(
    "算了还是 算了 就 只要 只 要 用 以 做成 改成 选 也 还是 不如 不如改成 改为 想了想还是 想想还是 再想想还是 仔细想想还是 还是改成"
)
APPROVAL_AFTER_ZH: Final[tuple[str, ...]] = _words(
    "就好 就够了 就行 即可 就可以 就ok 就好了 就够 足够 吧 的 了 做 就行了 也行 才对 就对了 先啱 没关系 也没关系 不要紧 啦 好了 算了 "
    "足矣 就足够了 足够了 够了 就够用了 够用了 便可 就得 得了 就成 "
    "得啦 就得啦 得 够啦 够晒 就够晒 就够啦 都得"
)

# -- negative prompts in words (avoid.py) -------------------------------------------------------------
# "avoid X" opening a clause asks for a negative prompt X, whatever X is; "no X" / "without X" only when X
# is a flaw of the picture (an artefact): "no people" is a scene, "no watermark" a negative prompt.

#: Flaws of the picture itself: what "no ..." / "without ..." refuses as a negative prompt.
ARTEFACTS: Final[tuple[str, ...]] = _phrases(
    "blur; blurs; blurry; blurriness; blurred; blurring; motion blur; text; texts; lettering; captions; "
    "caption; subtitles; subtitle; watermark; watermarks; watermarking; logo; logos; signature; signatures; "
    "distortion; distortions; distorted; artifacts; artifact; artefacts; artefact; compression artifacts; "
    "jpeg artifacts; grain; graininess; grainy; film grain; flicker; flickers; flickering; jitter; jittery; "
    "glitch; glitches; glitchy; low quality; low res; low-res; lowres; pixelation; pixelated; banding; "
    "deformed hands; extra fingers; extra limbs; deformities; deformed; warping; morphing; cropped; "
    "out of frame; overexposure; overexposed; oversaturation; oversaturated; black bars; letterboxing; "
    "camera shake; shaky cam; shakiness; ghosting; noise artifacts; duplicates; extra people; bad anatomy; "
    "borders; border; black borders; white borders; vignetting; "
    "ugly faces; weird hands; on-screen text; onscreen text; text overlay; text overlays"
)
#: Flaws a scene may well be without ("a sign *without text*", "a shirt with no logos"): refused only as a
#: clause of their own; every other flaw is refused mid-clause too ("a lake at dawn *without blur*").
ARTEFACTS_IN_SCENES: Final = frozenset(
    _phrases(
        "text; texts; lettering; captions; caption; subtitles; subtitle; logo; logos; signature; signatures; "
        "extra people; duplicates; cropped; morphing; warping; grain; film grain; grainy; noise artifacts; "
        "borders; border; black borders; white borders"
    )
)
#: Words before a flaw ("*weird* text", "*any visible* watermark") and after one ("blurry *frames*").
ARTEFACT_BEFORE: Final[tuple[str, ...]] = _phrases(
    "any; weird; random; extra; ugly; visible; obvious; on-screen; onscreen; heavy; excessive; annoying; "
    "strange; bad; noticeable; kind of; sort of; the; too much; some; fake; added; burned-in; burned in"
)
ARTEFACT_AFTER: Final[tuple[str, ...]] = _phrases(
    "frames; frame; footage; edges; parts; images; shots; spots; bits; overlay; overlays; stuff; effects; "
    "effect; on screen; on it; in the corner; in the frame; anywhere; at all; whatsoever; please; pls; thanks"
)
#: What opens such a clause: "avoid" (anything after it), the negators (a flaw after them).
AVOID_VERBS: Final[tuple[str, ...]] = _phrases(
    "avoid; please avoid; try to avoid; steer clear of; stay away from; make sure to avoid; avoid any"
)
FLAW_NEGATORS: Final[tuple[str, ...]] = _phrases(
    "no; without; with no; minus; zero; free of; don't show; don't include; don't add; don't put; "
    "don't want; do not show; do not include; do not add; no need for; please no; and no; but no; "
    "don't make it; keep it free of; get rid of; remove; remove the; remove any; leave out; skip the; "
    "nothing; nothing too; nothing that looks"
)
ARTEFACTS_ZH: Final[tuple[str, ...]] = _words(
    "模糊 画面模糊 文字 字幕 水印 浮水印 标志 logo 变形 失真 噪点 闪烁 抖动 畸变 马赛克 文本 字 签名 黑边 重影 扭曲 低画质 低清 画质差"
)
AVOID_ZH: Final[tuple[str, ...]] = _words("避免 尽量避免 请避免 要避免")
FLAW_NEGATORS_ZH: Final[tuple[str, ...]] = _words(
    "不要 别 不用 无需 不能 不准 不许 不想要 没有 无 去掉 去除 不带 不加 不含"
)
#: Verbs after a Chinese negator before the flaw ("别*加*水印", "不要*出现*文字").
FLAW_VERBS_ZH: Final[tuple[str, ...]] = _words("出现 有 带 加 放 显示 打 留 弄 搞 加上 带有")

# -- settings written as "key: value" (keyed.py) --------------------------------------------------------

#: Keys whose value is yes or no ("sound: off", "loop = yes", "声音：关"): the Request field they set.
SWITCH_KEYS: Final[dict[str, str]] = {
    **_each_phrase("audio", "sound; audio; sfx; music; 声音; 音频; 音效"),
    **_each_phrase("loop", "loop; looping; 循环"),
}
#: Keys of any other setting: their value is read as a parameter ("aspect: vertical", "mode: relaxed").
SETTING_KEYS: Final[tuple[str, ...]] = _phrases(
    "aspect; aspect ratio; ratio; format; orientation; layout; shape; mode; speed; queue; priority; quality; "
    "resolution; res; definition; size; length; duration; time; versions; variations; count; "
    "比例; 画幅; 方向; 格式; 画质; 分辨率; 清晰度; 模式; 速度; 时长; 长度; 版本; 解析度; 画面; 尺寸; 秒数; 片长; 时间; 版本数"
)
SWITCH_ON: Final = frozenset(_words("on yes y true 1 please pls 开 有 要 是 开启 打开"))
SWITCH_OFF: Final = frozenset(_words("off no n false 0 none nope mute muted 关 无 不要 否 关闭 没有 不用"))

# -- sound ----------------------------------------------------------------------------------------------
# "mute", "no sound", "静音" turn sound off anywhere in the message. Words that also describe a scene
# ("silent", "quiet", "muted": "a silent forest", "muted colours") count only as an instruction: a clause of
# their own ("a forest, silent"), before a video noun ("a muted clip of ...") or with "it"/"please".

MUTE_PHRASES: Final[tuple[str, ...]] = _phrases(
    "mute it; mute the sound; mute the audio; no sound; no audio; without sound; "
    "without audio; without any sound; without any audio; with no sound; with no audio; "
    "sound off; audio off; turn off the sound; turn the sound off; switch off the sound; "
    "turn off the audio; soundless; no soundtrack; no music; sound muted; audio muted; no sfx; turn off sound; "
    "turn off audio; switch off sound; turn sound off; turn audio off; shut off the sound; kill the sound; "
    "kill the audio; cut the sound; cut the audio; no sound please; sound disabled; audio disabled; disable sound; "
    "disable audio; without music; mute sound; no bgm; no background music; without background music; "
    "without the music; without the sound; without the audio"
)
MUTE_CLAUSE_WORDS: Final[tuple[str, ...]] = _phrases(
    "mute; muted; silent; quiet; silently; no noise; silence; mute audio; muted audio"
)
MUTE_ZH: Final[tuple[str, ...]] = _words(
    "静音 无声 无音频 无音效 不要声音 不要音频 不要音效 不要配乐 不要音乐 不用声音 不需要声音 关掉声音 关闭声音 去掉声音 没有声音 不带声音 不出声 关声音 "
    "把声音关掉 声音关掉 声音关了 声音关闭 不用声 不要有声音 别有声音 不要声 不要有声 关掉声 静音版 无声的视频 无声的影片 无声视频 无声影片 无声的短片 静音的视频 "
    "静音的影片 没有声音的视频 没有声音的影片 不带声音的视频 不带声音的影片 没声 没声音 "
    "不用有声 不用有声音 不需要有声 不需要有声音 无需有声 无需声音 "
    "静音版本 静音的版本 无声版本 无声版 无声的版本"
)
#: Asking for sound explicitly ("with sound", "keep the audio", "要有声音").
SOUND_PHRASES: Final[tuple[str, ...]] = _phrases(
    "with sound; with audio; sound on; audio on; keep the sound; keep the audio; keep sound; "
    "keep audio; add sound; add audio; include sound; include audio; with sound on; unmute; "
    "unmuted"
)
SOUND_ZH: Final[tuple[str, ...]] = _words(
    "要有声音 带声音 有声音 要声音 加声音 带音效 配上声音 保留声音 开声音 打开声音 不要静音 别静音 不用静音 不静音 无需静音 不需要静音 "
    "要有音效 要音效 有音效的那种 有声音的那种 有声的那种 带声音的那种 有声音的版本 有声版本 有声版"
)

# -- what a parameter clause may keep besides its parameters --------------------------------------------
# "a cat, make it <vertical>", "做<宽屏的>：...", "rain, make sure there's <sound>": once a clause's parameters
# are cut, a clause left with only these words is request wording, and goes too (residue.py).

RESIDUE_WORDS: Final[tuple[str, ...]] = _phrases(
    "make; made; do; go; it; it's; its; a; an; the; one; ones; version; format; mode; setting; settings; "
    "option; quality; resolution; video; clip; vid; output; is; be; fine; ok; okay; good; great; will; would; "
    "works; i; i'd; we; want; need; needs; like; use; using; give; me; us; set; to; should; keep; that; this; "
    "please; pls; plz; thanks; thx; ty; just; only; but; so; and; also; too; then; with; in; at; as; for; on; "
    "make sure; sure; ensure; there's; theres; there is; has; have; got; gets; get; let's; lets; all; "
    "yes; yeah; yep; instead; actually; though; maybe; ideally; preferably; if possible; thank you; "
    "nice; cool; perfect; plenty; enough; of course; definitely; really; do it; go with; put it; "
    "the length; length; the duration; duration; the resolution; should be; the length should be; "
    "the duration should be; it should be; you can keep; keep it; can keep; each; apiece; each one; per clip; "
    "per video; per version; i'm thinking; im thinking; thinking; i was thinking; was thinking; i think; "
    "how about; what about; let's say; probably; let's do; lets do; let us do; go for"
)
RESIDUE_ZH: Final[tuple[str, ...]] = _words(
    "做成 弄成 搞成 改成 做 弄 搞 来 要 给我 给 用 成 的 就行 就好 就可以 即可 也行 都行 就ok 吧 了 个 一个 一条 一段 "
    "版 版本 也 还 都 就 请 帮我 麻烦 一下 啊 呀 哦 嗯 好 行 可以 得 是 有 带 加 开 模式 格式 画质 分辨率 比例 "
    "视频 的话 注意 确保 一定 记得 必须 需要 然后 而且 并且 再 最好 谢谢 哈 够了 就够了 足够了 足够 我 我们 想 想要 开着 "
    "打开 保留 留着 请问 能不能 能否 可不可以 是否可以 能 每个 各 跑 跑一个 跑个 那种 这种 那样 喔 噢 哟 嘛 呢"
)
#: Verbs that make a clause of request wording and ambiguous parameter words an instruction ("*make* it
#: square", "*keep* it looping"); without one, "a square" is the scene.
RESIDUE_VERBS: Final[tuple[str, ...]] = _words(
    "make keep render do set want use go turn 做成 弄成 改成 搞成 要 用 做 跑"
)
#: Clauses that only ask for patience or say thanks ("if you can", "no pressure", "辛苦了"): request wording
#: wherever they stand, once something else in the message is the scene.
COMFORT_CLAUSES: Final[tuple[str, ...]] = _phrases(
    "if you can; if possible; if you could; if you don't mind; if you dont mind; no pressure; "
    "thanks in advance; thank you in advance; thanks a lot; thanks so much; much appreciated; "
    "appreciate it; please and thank you; cheers; you're the best; love you bot; "
    "no worries; all good; ty in advance; you're a genius; ur a genius; you're amazing; ur amazing; you rock; "
    "good bot; great job; nice work; awesome; love this bot; love it; you're awesome; ur the best; ur awesome; "
    "you're great; i love this bot; this bot is great; best bot"
)
#: Clauses that only say the next setting corrects the one before ("10s, *no wait*, 5s", "十秒，*不对*，八秒").
CORRECTION_CLAUSES: Final[tuple[str, ...]] = _phrases(
    "no wait; wait; sorry; oops; i mean; actually; no actually; nope; no; nah; hmm; hmm no; or rather; correction; "
    "scratch that; my bad; 不对; 不是; 我是说; 哦不; 说错了; 更正; 等等; 错了; 改一下; 算了; 算了算了; "
    "呃不; 额不; 啊不; 嗯不; 噢不; 不对不对; 等一下; 等下; 讲错了; 打错了; 哎不对; 不好意思; 不要意思; 抱歉; sorry about that; "
    "on second thought; on second thoughts; come to think of it; or maybe; 想了想; 想想; 再想想; 仔细想想; 转念一想; "
    "never mind; nevermind; nvm; actually no; no scratch that; hmm actually; wait actually; 不啱; 讲错; 说错; "
    "搞错了; 弄错了; 写错了; 唔系"
)
COMFORT_CLAUSES_ZH: Final[tuple[str, ...]] = _words(
    "辛苦了 辛苦啦 麻烦了 麻烦你了 拜托了 拜托 谢谢啦 谢谢你 多谢 感谢 有劳了 如果可以的话 可以的话 方便的话 "
    "慢慢整 慢慢搞 慢慢画 慢慢出 慢慢生成 慢慢弄吧 慢慢做吧 慢慢整吧 辛苦您了 麻烦您了 有劳您了 不要急住 不要急 不使急 不用急 不着急 慢慢来"
)

#: Labels that open a storyboard's cards without saying anything of the scene ("shots: 0s ...", "计划：").
STORYBOARD_LABELS: Final[tuple[str, ...]] = _phrases(
    "shots; shot list; the shots; scenes; the scenes; plan; the plan; my plan; here's the plan; timeline; "
    "the timeline; sequence; beats; frames; cards; script; outline; breakdown; 镜头; 计划; 脚本; 分镜表; 时间线; "
    "场景; 镜头表; 流程"
)

# -- edits ---------------------------------------------------------------------------------------------

#: What an edit of the replied-to clip points at ("make *this one* loop", "turn *the video* into ...").
EDIT_OBJECTS: Final[tuple[str, ...]] = _phrases(
    "it; this; that; this one; that one; the clip; the video; this clip; this video; "
    "that clip; that video; the whole thing; everything; the scene; this scene"
)
#: Verbs that turn a clip into what follows them ("make it night", "turn it into a painting").
REMIX_VERBS: Final[tuple[str, ...]] = _words(
    "make turn change convert transform switch set do redo render restyle"
)
#: Words between such a verb and its object's new look ("change it *to* sunset").
REMIX_LINKS: Final[tuple[str, ...]] = _phrases("into; to; in; as; look like; like; look")
#: Chinese: "(帮我)(把它)变成 ...".
REMIX_VERBS_ZH: Final[tuple[str, ...]] = _words(
    "变成 改成 换成 变为 改为 换为 弄成 做成 调成 转成 转换成 切换成 改为"
)
REMIX_OBJECTS_ZH: Final[tuple[str, ...]] = _words("它 这个 这段 这个视频 这段视频 视频 画面 整个画面 这")

#: "make *the photo* move", "bring *this pic* to life", "让*这张画*动起来": an animate caption's first clause that
#: only says "animate this" in other words (prompt.py cuts it).
ANIMATE_OBJECTS: Final[tuple[str, ...]] = _phrases(
    "it; this; that; this one; that one; the image; this image; the photo; this photo; the picture; "
    "this picture; the pic; this pic; the drawing; this drawing; the painting; this painting; the art; "
    "this art; my photo; my picture; my pic; my drawing; my painting; the still; this still; the poster; "
    "this poster; the illustration; this illustration; the artwork; this artwork; the sketch; this sketch; "
    "the portrait; this portrait; the selfie; this selfie; the img; this img; the frame; everything; "
    "the whole thing; the scene; this scene"
)
#: What such a clause asks of the picture: only that it moves ("come alive"), never how ("dance").
ANIMATE_RESULTS: Final[tuple[str, ...]] = _phrases(
    "move; come alive; come to life; alive; animated; be animated; moving; move around; in motion; "
    "live; a bit alive; a video; an animation; a clip; a gif; a moving picture"
)
ANIMATE_OBJECTS_ZH: Final[tuple[str, ...]] = _words(
    "这张图片 这张照片 这张图 这张画 这幅画 这幅图 这张相片 这个图 这张 这幅 图片 照片 相片 图 画 画面 图像 插画 海报 头像 它 这个 这"
)
ANIMATE_RESULTS_ZH: Final[tuple[str, ...]] = _words(
    "动起来 活起来 动一动 动一下 变成动态的 变成动态 变成动画 做成动画 变成视频 做成视频 加点动态 加上动态 有动态 动态化"
)

# -- request filler --------------------------------------------------------------------------------------

#: Word starts that break the vowel rule of "a" / "an" ("a *uni*corn", "an *hour*"), for the article left
#: before a cut length ("an <18-second> drone flight" -> "a drone flight").
A_BEFORE_VOWEL: Final[tuple[str, ...]] = _words("uni use usu uti ure uro eu ewe one once ufo uk us")
AN_BEFORE_CONSONANT: Final[tuple[str, ...]] = _words("hour honest honor honour heir herb")
#: Nouns for one take of the clip ("a *silent version* of ...", "a <10s> *take* of ..."): request wording once
#: the parameter words before them are cut.
VERSION_NOUNS: Final[tuple[str, ...]] = _words("version take render variant edit cut copy")
GREETINGS: Final[tuple[str, ...]] = _words(
    "hey hi hello yo ok okay pls plz please kindly bot reelbot hola namaste bonjour hallo ciao salut sir madam"
)
#: Chat interjections that open a message without saying anything of the scene ("lol make a vid of", "ok so
#: ..."): before a request verb, or standing alone at the start (the unambiguous ones, or any before a
#: comma: "well, a cat" but "well water").
INTERJECTIONS: Final[tuple[str, ...]] = _phrases(
    "lol; lmao; lmfao; rofl; haha; hahaha; hahahaha; hehe; hehehe; omg; omfg; bruh; ayy; ayyy; ayo; yo; "
    "welp; ok so; okay so; alright so; so yeah; ok ok; okok; okie; oki; k so; kk; ooh; oooh; ohh; um; umm; "
    "ummm; uh; uhh; hmm; hmmm; hm; yay; wow; sheesh; pls; plz; please; xd; heyy; heyyy; hiya; sup; wassup; "
    "ffs; smh; idk; tbh; ngl; lowkey; fr; ok ok ok; yoo; gm; gn; ser; sers; fren; wagmi; gm ser; eh; sugoi; sugoii; yabai; kawaii"
)
#: Interjections that are also words of a scene ("well water", "right hand"): they go only before a comma
#: or a request verb.
INTERJECTIONS_LOOSE: Final[tuple[str, ...]] = _phrases(
    "ok; okay; so; well; right; alright; oh; hey; hi; hello; dude; bro; man; guys; yeah; yes; now; alrighty; "
    "anyway; anyways; alright then; ok then; okay then; cool; nice; sweet"
)
INTERJECTIONS_ZH: Final[tuple[str, ...]] = _words(
    "哈哈 哈哈哈 哈哈哈哈 嘿嘿 呵呵 嘻嘻 嘿 哎呀 哎 哇 哇塞 喂 呃 嗯 嗯嗯 好的 那么 好吧 额"
)
MAKE_VERBS: Final[tuple[str, ...]] = _words(
    "make mak create craete creat generate generte genrate genarate gen render produce animate give show prepare "
    "shoot film gimme"
)
VIDEO_NOUNS: Final[tuple[str, ...]] = _words("video vid vdeo viedo vidoe clip animation gif movie reel")

# -- messages about the bot itself (intent.py) ---------------------------------------------------------
# Phrases are plain words; a space matches any run of spaces, an apostrophe is optional. Chinese phrases
# are simplified (the matching view converts traditional characters).

#: Words that open a clause without changing what it asks ("ok so", "yo bot", "请问").
INTENT_HEAD: Final[tuple[str, ...]] = _phrases(
    "hey; hi; hello; yo; ok; okay; um; umm; so; pls; please; plz; bot; reelbot; excuse me; nah; naw; nope; "
    "bot-san; bot san; bot-chan; bot-sama; zannen; ano; anou; sumimasen; aigoo; "
    "no; eh; yeah; yea; alright so; ok so; okay so; hiya; heya; sup; wassup; howdy; greetings; gm; "
    "good morning; good evening; good afternoon; hallo; i need to know; need to know; i want to know; "
    "want to know; wanna know; i'd like to know; i would like to know; i wonder; tell me; can you tell me; "
    "could you tell me; let me know; lemme know; quick check; would you mind; do you mind; could you; "
    "can you; would you; will you; could you please; can you please; i was wondering if you could; "
    "i would like to learn about; i'd like to learn about; i want to learn about; learn about; "
    "tell me about; info on; information about; details on; details about; more info on; inform me of; "
    "kindly inform me of; please inform me of; notify me of; "
    "sorry; oops; ugh; wait; actually; hmm; well; oh; man; dude; bro; lol; uh; er; "
    "quick question; question; just; real quick; alright; also; and"
)
INTENT_HEAD_ZH: Final[tuple[str, ...]] = _words(
    "请问 请 麻烦 你好 您好 嗨 哎 唉 呃 嗯 喂 先 那个 这个 那 这 我想 我要 想 帮我 给我 哈喽 老师们 老师 机器人 "
    "各位老师 各位 大家好 亲们 宝子们 家人们 谢谢 唔该 想了解一下 想了解 想知道 了解一下 请问一下 "
    "新手 小白 萌新 我是新手 新来的"
)
#: Words that close a clause without changing what it asks.
INTENT_TAIL: Final[tuple[str, ...]] = _phrases(
    "pls; please; plz; thanks; thank you; thx; ty; bot; now; again; real quick; lol; lmao; "
    "haha; here; then; yet; already; today; right now; for me; mate; man; ah; lah; leh; lor; hor; meh; ser; "
    "check; check pls; status; please check; po; naman; ba; lang; na lang; pa"
)
INTENT_TAIL_ZH: Final[tuple[str, ...]] = _words(
    "吗 呢 啊 呀 吧 哦 呗 一下 谢谢 了 啦 嘛 哈 呀 么 发我 发给我 给我 给我看看 发我看看"
)
#: Clauses that only comment on the conversation ("oops, wrong prompt", "I'm new here").
META_CLAUSES: Final[tuple[str, ...]] = _phrases(
    "wrong prompt; wrong one; typo; my bad; sorry; oops; i changed my mind; changed my mind; "
    "i'm new here; i am new here; new here; i'm new; lol; lmao; haha; thanks; thank you; "
    "wait; hmm; ugh; ok; okay; i made a mistake; made a mistake; mistake; wrong video; "
    "wrong text; i messed up; messed up; whoops; nope; no; yes; please; quick question; "
    "just wondering; just curious; curious; asking for a friend; real quick; hold on; "
    "hang on; one sec; one second; wait a sec; wait a second; hold up; stop stop; quick q; q; question; "
    "a question; another question; one more question; random question; dumb question; silly question; "
    "quick one; hey there; hi there; hello there; i'm lost; im lost; i am lost; i'm confused; im confused; "
    "i don't get it; i dont get it; no idea how this works; you're a genius; ur a genius; you rock; good bot; "
    "great job; nice work; you're the best; ur the best; love this bot; love you bot; nice; cool; great; awesome; "
    "wow; sweet; perfect; amazing; love it; looks great; looks good; so cool; noice; dope; sick; lit; yay; "
    "sorry for the dumb question; sorry for the stupid question; sorry for the silly question; sorry if this is dumb; "
    "sorry to bother; sorry to bother you; to bother; to bother you; to interrupt; for bothering; for bothering you; "
    "thank you kindly; many thanks; thanks a lot; thank you so much; thanks so much; thanks in advance; "
    "much appreciated; appreciate it; good morning; good morning everyone; good evening; good afternoon; "
    "my english is not good; me english not good; english not good; my english is bad; sorry for my english; "
    "sorry for my bad english; sorry my english; so sorry; oh dear; hello dear; hi dear; dear; grandma here; "
    "grandpa here; grandma here again; mom here; dad here; "
    "team; hi team; hey team; hello team; guys; hey guys; hi guys; folks; hey folks; "
    "first time; first time here; my first time; first time using this; new user; just joined; "
    "hello everyone; hi everyone; hi all; hello all; dear all; kindly share the details; share the details; "
    "please share the details; this is taking forever; taking forever; it's taking forever; its taking forever; "
    "it's taking too long; this is taking too long; taking too long; too slow; so slow; this is slow; "
    "why is it so slow; hola; namaste; bonjour; hallo; ciao; salut; hi po; hello po; sir; madam; ma'am; for the dumb question; for the stupid question; for the silly question; "
    "for the noob question; for asking; if this is dumb; if this is a dumb question; i'm so lost; im so lost; so lost; i'm totally lost; im totally lost; "
    "i'm so confused; im so confused; urgent; asap; help me out here"
)
META_CLAUSES_ZH: Final[tuple[str, ...]] = _words(
    "我打错了 打错了 写错了 搞错了 弄错了 发错了 不好意思 谢谢 哈哈 我是新来的 新来的 新手 我是新手 刚来 好的 好 嗯 对 我改主意了 改主意了 "
    "不会用 不太会用 我不太会用 不识用 不懂怎么用 看不懂 不知道怎么用 第一次用 第一次来 新人 "
    "太慢了 好慢 等太久了 等了好久 急 急急急 急急 在线等 挺急的 很急 有点急 太棒了 不错 好耶 牛 厉害 好厉害 真棒 赞 打扰了 请问一下"
)
#: A reason given with a cancel that only says something went wrong ("wrong pic", "sent the wrong photo",
#: "图片发错了"): what was wrong, and how it went wrong. intent.py holds the grammar.
MISTAKE_NOUNS: Final[tuple[str, ...]] = _words(
    "pic pics picture pictures photo photos image images img file files video clip prompt text one ratio size length "
    "duration resolution format seed setting "
    "thing word words link attachment upload gif description caption version request settings"
)
MISTAKE_VERBS: Final[tuple[str, ...]] = _words(
    "sent send picked pick uploaded attached used typed wrote chose chosen grabbed put gave posted added selected"
)
MISTAKE_NOUNS_ZH: Final[tuple[str, ...]] = _words("图片 图 照片 视频 文件 提示词 文字 字 描述 链接 参数 设置")
MISTAKE_VERBS_ZH: Final[tuple[str, ...]] = _words("打 写 搞 弄 发 传 上传 选 输入 输 放 填 贴 设 设置 调")
#: Words that open a request to the bot itself ("show me ...", "给我看看 ...").
BOT_IMPERATIVES: Final[tuple[str, ...]] = _phrases(
    "show; show me; check; see; view; tell me; give me; list; browse; let me see; open; "
    "display; explain; can i see; can you show me; i want to see; take me to; checking; showing; "
    "telling me; looking up; look up; pull up; find; get me; send me; lemme see; lemme check; gimme; show us; "
    "i would like to know; i'd like to know; id like to know; i want to know; i wanna know; i was wondering; i wonder; "
    "kindly tell me; kindly share; please share; please tell me; guide me; kindly guide me; please guide me; "
    "help me understand; explain to me; i'd love to see; id love to see; i would love to see; i'd like to see; "
    "i would like to see; let me browse; lemme browse; let me check; let me look at; lemme look at; pa-show; pashow; paki-show; pakita; patingin; pakitingin"
)
BOT_IMPERATIVES_ZH: Final[tuple[str, ...]] = _words(
    "查 查询 查看 看看 给我看 给我看看 显示 告诉我 列出 求 求助 求问 想问 看 看下 瞧瞧 刷刷 刷 打开 开一下"
)
#: Requests to the bot that close a Chinese clause ("订阅价格表发一下", "余额查一下", "套餐介绍一下"): the clause
#: asks, as an opening "查询" does.
BOT_REQUEST_TAILS_ZH: Final[tuple[str, ...]] = _words(
    "展示一下 展示下 分享一下 分享下 分享 发来看看 发来看下 发过来看看 发我看下 看下 发一下 发下 发我 发给我 发来 发过来 发我看看 发出来 说一下 讲一下 讲讲 说说 列一下 列出来 介绍一下 介绍下 "
    "解释一下 查一下 查下 查查 查询 查询一下 看一下 看下 给我看看 给我看 告诉我 告诉我一下 报一下"
)
#: Words that open a question.
QUESTION_OPENERS: Final[tuple[str, ...]] = _words(
    "how what whats what's when where why which who can could do does did is are am will "
    "would should have has any anything"
)
#: Chinese question words and particles.
QUESTION_ZH: Final[tuple[str, ...]] = _words(
    "吗 呢 多少 几 什么 啥 怎么 如何 哪 是否 能不能 可不可以 有没有 有没 干嘛 怎样 多久 多长 多大 多高 哪些 "
    "贵不贵 好不好 行不行 要不要 是不是 可以吗 对不对 够不够"
)

#: Topic words of each question, with their weight (2: names the topic; 1: points at it). A clause is that
#: question when its topic weighs at least 2, it is asked (a question or a request to the bot) and at most
#: one word of it is about anything else.
TOPIC_WORDS: Final[dict[str, dict[str, int]]] = {
    "balance": _weights(
        "credits=2; credit=2; creds=2; cred=2; bal=2; balance=2; points=2; pts=2; tokens=2; coins=2; juice=1; "
        "money=1; funds=2; total=1; credit total=2; "
        "budget=1; allowance=2; quota=2; wallet=2; broke=2; have left=2; left=1; remaining=1; "
        "do i have=1; have i got=1; i have=1; i got=1; count=1; still have=1; enough=1; "
        "my account=2; out of credits=2; running low=2; reset=1; refill=1; roll over=1; how much is remaining=2; "
        "how much is left=2; how many are left=2; how much remaining=2; how much left=2; how many left=2"
    ),
    "plans": _weights(
        "plan=2; plans=2; pricing=2; price=2; prices=2; cost=2; costs=2; tier=2; tiers=2; "
        "abonnement=2; abo=2; suscripción=2; suscripcion=2; subscription=2; subscriptions=2; subscribe=2; upgrade=2; membership=2; pro=2; plus=2; "
        "premium=2; free tier=2; free plan=2; watermark=2; watermarked=2; watermarks=2; worth it=2; difference between=1; diff between=1; diff=1; difference=1; "
        "a month=2; per month=2; monthly=2; on free=2; pay=2; paid=2; how much=1; free=1; "
        "cheaper=1; expensive=1; compare=1; vs=1; free users=2; free version=2; free account=2; "
        "pro users=2; plus users=2; paid users=2; on pro=2; on plus=2; the free one=2; allowed=1; "
        "allow=1; allows=1; limit=1; limits=1; max=1; maximum=1; longest=1; included=1; includes=1; "
        "include=1; supports=1; unlock=1; unlocks=1; discount=2; discounts=2; coupon=2; promo=2; "
        "unlimited=2; how much for=2; offer=1; offers=1; family plan=2; team plan=2; yearly=2; annual=2; annually=2; per year=2; a year=2; promo code=2; deal=1; trial=2; free trial=2; refund=2; billing=2; invoice=2; payment=2; buy=2; "
        "purchase=2; top up=2; topup=2; top-up=2; recharge=2; refill=2; get more=2; buy more=2; paying=2; "
        "pay for=2; "
        "student=1; renew=2; renewal=2; cheapest=2; pricier=1; worth=1; max length=2; maximum length=2; "
        "length limit=2; time limit=2; longest video=2; how long can=1; how long can videos=2; "
        "how long can a video=2; how long can the video=2; how long can clips=2; is it free=2; is this free=2; "
        "free to use=2; for free=2; have to pay=2; need to pay=2; does it cost=2; "
        "roll over=5; rolls over=5; rollover=5; carry over=5; carries over=5; carried over=5; group price=2; group discount=2; "
        "bulk price=2; bulk discount=2; team price=2"
    ),
    "feed": _weights(
        "my recent ones=2; my recent clips=2; my recent videos=2; my clips=2; my videos=2; my creations=2; "
        "my history=2; my past clips=2; my old clips=2; my generations=2; feed=2; gallery=2; explore=2; community=2; trending=2; others=2; other people=2; "
        "people=2; everyone=2; everybody=2; the group=2; anyone=1; someone=1; posted=1; "
        "ppl=2; folks=2; gang=2; the crew=2; the squad=2; y'all=2; yall=2; users=2; members=2; "
        "other users=2; other ppl=2; other folks=2; everyone else=2; the others=2; good=1; fav=1; "
        "favorite=1; favourite=1; shared=1; been making=1; making=1; made=1; created=1; creating=1; "
        "latest=1; recent=1; recently=1; lately=1; popular=1; new=1; newest=1; hot=1; cool=1; "
        "showcase=2; top=1; best=1"
    ),
    "help": _weights(
        "help=2; commands=2; command=2; how do i=2; how can i=2; how to=2; how does=1; "
        "how do you=2; explain=2; tutorial=2; guide=2; instructions=2; usage=2; manual=2; "
        "what can you do=2; what can i do=2; what do you do=2; get started=2; start=1; work=1; "
        "works=1; use=1; storyboard=1; storyboards=1; remix=1; animate=1; features=2; feature=1; options=1; "
        "syntax=2; tips=2; tip=2; advice=2; examples=2; example=1; hints=2; tricks=1; better=1; writing=1; "
        "write=1; prompting=2; good prompt=2; faq=2; docs=2; documentation=2; what do i do=2; example prompt=2; "
        "example prompts=2; sample prompt=2; formats=2; format=1; sizes=1; resolutions=1; what kind of=1; "
        "what kinds of=1; what type of=1; can you make=1; capabilities=2; supported=1; can you do=1; what sort of=1; "
        "kinds of things=1; "
        "what do i do now=2; what now=2; where do i start=2; how do i start=2; how do i begin=2; "
        "what do i do here=2; how does it work=2; how do you use=2; walkthrough=2; onboarding=2; lost=1; "
        "confused=1; don't get it=1; dont get it=1; don't understand=1; dont understand=1; new here=1; "
        "list of commands=2; command list=2; commands list=2; best way=2; the best way to=2; way to=1; "
        "how long can my prompt=2; how long can a prompt=2; prompt length=2; character limit=2; "
        "how many characters=2; characters=1"
    ),
}
TOPIC_WORDS_ZH: Final[dict[str, dict[str, int]]] = {
    "balance": _weights(
        "剩余=1; 重置=1; 刷新=1; 用完=2; 用光=2; 花完=2; 用掉=1; 余额=2; 积分=2; 点数=2; 额度=2; 信用点=2; 钱包=2; 还剩=1; 剩下=1; 剩=1; 还有多少=1; 我的账户=2; 账户=1; 够不够=1; 够用=1"
    ),
    "plans": _weights(
        "最便宜=2; 最划算=2; 计划=1; 价目表=2; 价格表=2; 价目=2; 套餐=2; 方案=2; 价格=2; 价钱=2; 多少钱=2; 收费=2; 费用=2; 会员=2; 订阅=2; 升级=2; 专业版=2; 高级版=2; 基础版=2; "
        "免费版=2; 付费=2; 水印=2; 一个月=2; 每月=2; 包月=2; pro=2; plus=2; 区别=1; 划算=1; 值得=1; 贵=1; 便宜=1; 充值=2; 多长=1; "
        "免费吗=2; 要钱吗=2; 收费吗=2; 要付费吗=2; 开会员=2; 年费=2; 月费=2; 年付=2; 月付=2; 包年=2; 年卡=2; 月卡=2; "
        "免费用户=2; 免费会员=2; 普通用户=2; 付费用户=2; 会员版=2; 免费的=1; 限制=1; 最长=1; 最多=1; 支持=1; 允许=1; 上限=1; "
        "累积=5; 累计=5; 结转=5; 滚存=5; 顺延=5; 留到下个月=5; 团体价=2; 团购=2; 团体=1; 优惠=2; 批量价=2; 每个月=2; 每个月份=2"
    ),
    "feed": _weights(
        "动态=2; 广场=2; 社区=2; 大家=2; 别人=2; 其他人=2; 热门=2; 作品=1; 最新=1; 最近=1; 流行=1; 精选=2; 发现=1; "
        "群友=2; 网友=2; 其他用户=2; 别的用户=2; 大伙=2; 好看的=1"
    ),
    "help": _weights(
        "帮助=2; 说明=2; 教程=2; 指南=2; 指令=2; 命令=2; 怎么用=2; 怎么做=2; 如何=2; 怎么=2; 能干嘛=2; 能做什么=2; 会什么=2; "
        "怎样=2; 有什么用=2; 有啥用=2; 是干什么的=2; 是做什么的=2; 能干什么=2; "
        "点用=2; 咋用=2; 可以做什么=2; 可以干嘛=2; 会做什么=2; 求教=2; 请教=2; 教学=2; 教我=2; 教一下=2; 教下=2; 教教=2; 怎么弄=2; 怎么搞=2; 干什么=1; 分镜=1; 故事板=1; 功能=2; 开始=1; 入门=2; 上手=2; 使用=1; 玩法=2; 输入什么=2; 打什么字=2; 写什么=2; 发什么=2; 格式=1"
    ),
}
#: "what do i *type* to ...", "what should i *write*", "what to *say*": asking what to send the bot is help.
HOW_TO_VERBS: Final[tuple[str, ...]] = _words("type write say send enter put ask use tell word phrase")
#: The feed's people words: a scene is full of people ("everyone dancing", "a gang of kids"), so they make a
#: feed question when asked, but do not by themselves make a prompt look like it is about the bot.
FEED_PEOPLE: Final = frozenset(
    _phrases(
        "others; other people; people; everyone; everybody; the group; anyone; someone; ppl; folks; gang; "
        "the crew; the squad; yall; users; members; other users; other ppl; other folks; everyone else; "
        "the others; 大家; 别人; 其他人; 群友; 网友; 其他用户; 别的用户; 大伙"
    )
)
#: Words about the bot's own things: they never count against a question ("my video", "the bot").
BOT_NOUNS: Final[tuple[str, ...]] = _words(
    "bot reelbot app tool video videos vid vids clip clips render renders job jobs "
    "generation generations request requests queue creations posts group channel server "
    "account prompt prompts"
)
BOT_NOUNS_ZH: Final[tuple[str, ...]] = _words("机器人 视频 短片 影片 任务 队列 提示词 指令")
#: Words that carry no topic of their own (articles, pronouns, auxiliaries, light verbs).
FUNCTION_WORDS: Final = frozenset(
    _words(
        "a about again all also am an and any anything are arent at be been being but by can current currently actually "
        "ng naman po sa yung mga lang ur r "
        "cant could did didnt do does doesnt done dont each else even every for from get getting "
        "go going gonna got had has have having he here heres hey how hows i i'm i've if ill im "
        "in into is isnt it it's its ive just let like lol made make making many may me might "
        "mine more most much must my need no not now of off ok okay on one ones only or our out "
        "over per please pls plz really see shall she should so some something still stuff than "
        "that that's thats the their them then there there's theres these they thing things this "
        "those to too u up us very via wanna want was we were what whats when where wheres which "
        "who whom whos why will with wont would yet yo you your youre"
    )
)
#: Chinese function words longer than a character: the request verbs and modal words ("才能*生成*").
FUNCTION_WORDS_ZH: Final[tuple[str, ...]] = _words(
    "生成 制作 才能 才可以 应该 需要 可以 怎样 一下 一个 出来 变成 上个月 这个月 本月 买的 买了 告诉我 告诉 介绍 说明一下 查询 使用 发"
)
#: Chinese parameter words: a question about one ("怎么让视频变成竖屏") names the bot's own things, not a scene.
PARAM_WORDS_ZH: Final[tuple[str, ...]] = _words(
    "竖屏 横屏 方形 正方形 竖版 横版 直式 横式 高清 超清 标清 全高清 循环 静音 声音 音效 种子 版本 秒钟 秒"
)
FUNCTION_CHARS_ZH: Final = "的了吗呢吧啊呀我你他她它这那个是有在都也就还能要会可以给看做想让把被和与跟到上下里中吧么嘛啦哦呗一点些什么啥该应"

#: What the bot's money is called ("how many *credits*").
CREDIT_NOUNS: Final[tuple[str, ...]] = _words("credit cred point token coin")
#: Cancelling a job: the verbs, and what they point at.
CANCEL_VERBS: Final[tuple[str, ...]] = _phrases(
    "cancel; stop; abort; scrap; kill; halt; ditch; nix; undo; trash; forget; forget about; scratch; call off; "
    "stop making; stop generating; stop rendering; quit making; stop working on; drop; don't bother with; "
    "dont bother with"
)
CANCEL_OBJECTS: Final[tuple[str, ...]] = _phrases(
    "it; that; this; that one; this one; the last one; my last one; the last; my last; anything; "
    "anything else; any of it; any of that; mission; the mission; "
    "everything; all; it all; all of it; the whole thing; them; all of them; the request; "
    "that request; my request; the prompt; that prompt; my prompt; the order; what i just sent; "
    "what i sent; what i just asked for; what i asked for; the one i just sent; the last message; "
    "my last message; my message; that message; the thing i just sent; that last one; my last request"
)
CANCEL_JOB_NOUNS: Final[tuple[str, ...]] = _words(
    "job video vid request generation gen clip render task one prompt thing order animation reel creation "
    "movie gif remix loop storyboard edit upload"
)
#: "kill *the one i just made*": what the bot was asked for, named by the asking.
CANCEL_ASKED_VERBS: Final[tuple[str, ...]] = _phrases(
    "made; sent; asked for; ordered; requested; started; queued; submitted; typed; posted; wanted; "
    "asked you for; asked you to make; told you to make"
)
CANCEL_ZH: Final[tuple[str, ...]] = _words(
    "取消 停止 停掉 停下 停下来 停 不要 别生成 别再生成 别做 别画 别弄 不要了 不做了 不用做了 不用了 不要做了 不生成了 算了 中止 终止 撤销 撤回 "
    "不想要了 不想要 我不要了 不需要了 我不想要了 放弃"
)
#: "刚才那个": what a Chinese cancel points at.
CANCEL_OBJECTS_ZH: Final[tuple[str, ...]] = _words(
    "刚才那个 刚刚那个 刚才的 刚刚的 这个 那个 它 任务 生成 视频 吧 掉 刚才 刚刚 我的 上一个 上个 之前的 要求 需求 "
    "工作 作业 目前的 当前的 现在的 正在进行的 目前 当前 "
    "之前那个 这条 那条 这次 刚发的 刚才发的 请求 订单 提示词 操作 指令 生成的 最后一个 这一个 "
    "影片 短片 片子 动画 作品 短视频 那段 这段 那支 这支 正在生成的 正在做的 在做的 排队的 所有任务 所有的 全部 所有 "
    "全部任务"
)

#: Questions about the queue have no action of their own; they only mark a request as about the bot.
QUEUE_WORDS: Final[tuple[str, ...]] = _phrases(
    "queue; in line; ready; done; finished; how long; eta; status; progress; where is my; "
    "where's my; still waiting; taking so long; stuck"
)
QUEUE_WORDS_ZH: Final[tuple[str, ...]] = _words("排队 队列 好了吗 还要多久 多久 进度 怎么还没 卡住")
#: Parameter words: they never count against a question ("what does a 10s 720p clip cost").
PARAM_TOKENS: Final = frozenset(
    _words(
        "4k aspect audio fast fhd full hd horizontal landscape long loop looping mode mute muted "
        "portrait quality ratio relax relaxed resolution sd seamless sec second seconds secs "
        "seed short sound square uhd variation variations version versions vertical wide "
        "widescreen"
    )
)

# -- question shapes (shapes.py) -------------------------------------------------------------------------
# Shapes that name their topic however many other words stand beside them.

#: What the bot's money is called, in a quantity question ("how many *credits* remain on my account"). The
#: loose ones are also things in a scene ("how many coins are in the jar"): they need a word about the asker.
WALLET_NOUNS: Final[tuple[str, ...]] = _phrases(
    "credits; credit; creds; cred; balance; bal; allowance; quota; wallet; credit balance; account balance; "
    "remaining credits"
)
WALLET_NOUNS_LOOSE: Final[tuple[str, ...]] = _words(
    "points point coins coin tokens token juice funds money gems bucks"
)
#: Words about the asker that make a loose wallet noun the bot's money ("how many coins do *i* have").
ASKER_WORDS: Final[tuple[str, ...]] = _words(
    "my i i've ive i'm im me we our us left remaining remain remains still account rn currently mine"
)
#: How a quantity is asked ("*how many* credits", "*what's my* balance", "*am i out of* coins").
QUANTITY_ASKS: Final[tuple[str, ...]] = _phrases(
    "how many; how much; what's my; what is my; whats my; what are my; what's our; how's my; hows my; "
    "how is my; check my; show my; show me my; see my; view my; tell me my; display my; give me my; "
    "do i have any; do i still have any; do i have enough; have i got any; got any; any; "
    "am i out of; am i low on; am i running low on; am i running out of; i'm out of; im out of; "
    "i'm low on; im low on; out of; low on; running low on; running out of; check; how many more"
)
#: Words that make a wallet question a price question (plans): "how many credits does a clip *cost*".
PRICE_WORDS: Final[tuple[str, ...]] = _phrases(
    "cost; costs; price; charge; charged; charges; per; for a; for one; for each; for an; does a; does an; "
    "does one; does it; to make; to render; to generate; need for; take to; a month; monthly; on free; "
    "plan; plans; tier; pro; plus; upgrade; subscription"
)
#: Of those, the words of a price ("how many credits does a clip *cost*"): plans even when the asker speaks
#: ("do *i* have enough credits for a 10s clip" is the balance: "for a" is not a price word by itself).
COST_WORDS: Final[tuple[str, ...]] = _phrases(
    "cost; costs; price; charge; charged; charges; a month; monthly; on free; per month; each month; a day; "
    "per day; every month"
)
#: Buying the bot's money is a plans question ("where can i *buy* more credits", "how do i *top up*").
BUY_WORDS: Final[tuple[str, ...]] = _phrases(
    "buy; buying; purchase; purchasing; top up; topup; top-up; recharge; refill; get more; add more; "
    "earn; earn more; more credits; pay for; order more"
)
WALLET_NOUNS_ZH: Final[tuple[str, ...]] = _words("积分 点数 余额 额度 信用点 剩余点数 剩余积分")
WALLET_NOUNS_LOOSE_ZH: Final[tuple[str, ...]] = _words("金币 代币 币 点 钱")
QUANTITY_ZH: Final[tuple[str, ...]] = _words("多少 几 剩 够不够 够吗 够用吗 还有吗 还有没有 有没有")
PRICE_ZH: Final[tuple[str, ...]] = _words(
    "一个月 每个月 每月 包月 套餐 会员 升级 花 需要 要花 扣 消耗 一条 一段 一个视频 做一个 生成一个 专业版 高级版 基础版 "
    "免费版 会员版 一天 每天"
)
#: A see-verb over other people's or recent clips is the feed ("show me *the latest vids* from the group").
SEE_VERBS: Final[tuple[str, ...]] = _phrases(
    "show; show me; see; let me see; lemme see; wanna see; want to see; i want to see; i wanna see; can i see; "
    "could i see; browse; view; check out; check; open; pull up; gimme; give me; look at; scroll; any"
)
FEED_MARKS: Final[tuple[str, ...]] = _phrases(
    "recent; latest; new; newest; trending; top; popular; best; hot; fresh; today's; todays; this week's; "
    "other people's; other peoples; others'; others; everyone's; everyones; everybody's; people's; peoples; "
    "the community's; the channel's; the group's; the server's; the chat's; y'all's; yalls; other users'; "
    "someone else's; somebody else's; random; coolest; funniest; greatest; nicest; craziest; wildest; "
    "hottest; prettiest; weirdest; most popular; most liked; most viewed; most recent; best rated"
)
FEED_NOUNS: Final[tuple[str, ...]] = _words(
    "clips clip videos video vids vid stuff creations creation posts post reels generations gens things "
    "work works renders uploads ones submissions content animations animation gifs loops edits"
)
#: Who made the feed's clips, or where they are ("clips *from the channel*", "what *other members* made",
#: "*other ppl's* vids"); "the", "other", "all the" may come before, "'s" after.
FEED_PLACES: Final[tuple[str, ...]] = _phrases(
    "people; everyone; everybody; everyone else; everybody else; folks; ppl; users; members; creators; "
    "artists; others; group; gang; squad; crew; y'all; yall; community; channel; server; chat; here; feed; "
    "homies; fam; pals; buddies; mates; "
    "gallery; someone else; somebody else; anybody else; anyone else; guys; peeps; friends"
)
FEED_MADE: Final[tuple[str, ...]] = _phrases(
    "made; make; making; posted; posting; post; shared; sharing; share; created; creating; create; uploaded; "
    "uploading; generated; generating; dropped; dropping; up to; been up to; cooking up; cooked up; doing"
)
#: Chinese: who made it (大家, 群里), what they did (做, 发), what they made (视频).
FEED_PEOPLE_ZH: Final[tuple[str, ...]] = _words(
    "有人 谁 大家 别人 其他人 群里 群友 社区 网友 别的用户 其他用户 大伙 大伙儿 群里的人 他们 群组里 群组 频道里 频道 这个群 群 这里"
)
FEED_MADE_ZH: Final[tuple[str, ...]] = _words("做 发 生成 弄 画 分享 上传 创作 搞 拍 贴")
FEED_NOUNS_ZH: Final[tuple[str, ...]] = _words("视频 作品 影片 短片 东西 内容 片子 动画 片")
#: A clause that only asks to be shown what another clause names ("..., show me", "给我看看").
SHOW_ME: Final[tuple[str, ...]] = _phrases(
    "show me; let me see; lemme see; i wanna see; i want to see; wanna see; show; 给我看看; 让我看看; 看看; "
    "我想看看; 给我瞧瞧; 瞧瞧; 看一下; 给我看一下; 让我看一下; 我要看; 想看看"
)
#: Complaints and opinions about the bot's things: no scene of their own, and said to the bot ("free plan
#: *sucks*", "套餐*太贵了*").
OPINION_WORDS: Final[tuple[str, ...]] = _phrases(
    "sucks; suck; sux; is trash; trash; is garbage; garbage; is bad; so bad; too bad; is lame; lame; meh; "
    "sounds good; sounds great; looks good; looks great; seems good; seems fine; sounds nice; "
    "is meh; is a ripoff; ripoff; rip off; a rip off; is a scam; scam; overpriced; is overpriced; "
    "too expensive; is too expensive; so expensive; expensive af; too pricey; pricey; too limited; "
    "so limited; is too limited; is limited; is so limited; not enough; isn't enough; is not enough; "
    "is useless; useless; is weak; is a joke; stinks; is annoying; is terrible; is awful; is great; "
    "is awesome; is amazing; rocks; is cheap; too little; too few; is too small; is stingy; stingy"
)
OPINION_ZH: Final[tuple[str, ...]] = _words(
    "太贵了 太贵 好贵 真贵 贵死了 不够用 太少了 太少 太坑了 太坑 好坑 坑人 垃圾 不好用 太差了 太差 很差 太烂 不值 不划算 好差 太抠 "
    "yyds 绝绝子 太强了 好强 牛逼 牛 好用 太好用了 真好用 厉害 太棒了 好棒"
)

# -- edits of a replied-to clip (the N/O/P round) ------------------------------------------------------

#: The start of a clip ("cut the *initial* 2 seconds", "only the *opening* 3 seconds").
CLIP_FIRST: Final[tuple[str, ...]] = _words("first opening initial starting beginning")
#: Its end ("remove the *final* 2 seconds").
CLIP_LAST: Final[tuple[str, ...]] = _words("last final ending closing")
#: Verbs that cut a part away ("*get rid of* the first 2 seconds", "*shave* 2s off the start").
CUT_VERBS: Final[tuple[str, ...]] = _phrases(
    "cut; trim; remove; drop; skip; delete; chop; lose; get rid of; take off; take out; cut away; shave; "
    "shave off; throw away; throw out; ditch; scrap; toss; kill; strip; snip; clip off; cut out; lop off"
)
#: Verbs that keep a part ("I only *want* the first 3 seconds", "*give me* just the first 3").
KEEP_VERBS: Final[tuple[str, ...]] = _phrases(
    "keep; use; take; want; need; leave; save; send; give me; show; show me; send me; i want; i need; gimme"
)
#: Words after "first N seconds" that say that part is all the member wants ("first 4 seconds *will do*").
ENOUGH_WORDS: Final[tuple[str, ...]] = _phrases(
    "only; alone; is enough; are enough; is plenty; are plenty; will do; would do; should do; is fine; "
    "are fine; is good; are good; is perfect; is all i need; are all i need; is all i want; are all i want; "
    "is all we need; are all we need; is all; that's it; thats it; and that's it; and nothing else; max; tops"
)
#: Parts of the clip itself: "make *the ending* longer" edits the clip, "make *the bridge* longer" the look.
CLIP_PARTS: Final[tuple[str, ...]] = _words(
    "clip video vid vids thing scene ending end intro outro start beginning shot part one footage version "
    "take cut reel gif animation length runtime duration it this that whole overall"
)
#: Chinese: where the clip starts ("*开头的*一秒", "*头*三秒").
CLIP_FIRST_ZH: Final[tuple[str, ...]] = _words("开头 片头 最开始 一开始 刚开始 开始 最前面 前面 最初 起头")
#: Chinese verbs that cut a part away (Cantonese 剪走 reads as 剪掉, 攞走 as 拿走).
CUT_VERBS_ZH: Final[tuple[str, ...]] = _words(
    "剪掉 去掉 删掉 删除 去除 剪去 切掉 拿掉 拿走 砍掉 裁掉 截掉 丢掉 扔掉 删去 剪甩 删走 去走 剪除 不要了 不要 剪了 删了"
)
#: Chinese verbs that keep a part ("*就留*前两秒", "*净是要*头五秒").
KEEP_VERBS_ZH: Final[tuple[str, ...]] = _words(
    "只要 保留 只保留 留下 截取 只留 剪到 截到 剪成 裁到 剪剩 留 要 用 只用 拿 只拿 剩 只剩 剩下 给我 截 剪出 截出"
)
#: Chinese words after "前N秒" that say that part is all the member wants ("前四秒*就够了*").
ENOUGH_ZH: Final[tuple[str, ...]] = _words(
    "就够了 就够 够了 足够了 足够 就好了 就好 就行了 就行 就可以了 就可以 可以了 就得了 就得 得了 便够 就ok 就OK 就ok了 就夠 够晒 就够晒 够哂 就够哂"
)
#: Chinese: a little (Cantonese 少少, 啲 reads as 些), after 长 / 短.
A_LITTLE_ZH: Final[tuple[str, ...]] = _words(
    "一点点 一点儿 一点 一些 点 些 少少 多少少 一丢丢 一丢 一咪咪 一下"
)
#: Chinese words before 长 / 短 that point at the clip ("*视频*再长一点"), not at a thing in it ("头发长一点").
CLIP_WORDS_ZH: Final[tuple[str, ...]] = _words(
    "它 这 这个 那个 这段 这条 视频 影片 片子 片 短片 动画 时间 时长 长度 整体 整个 结尾 开头 片尾 片头"
)
#: Chinese fillers that may stand between the clip and 长 / 短 ("视频*可以再*长一点").
LENGTH_FILLERS_ZH: Final[tuple[str, ...]] = _words(
    "可以 能不能 可不可以 能否 能 可否 请 麻烦 帮我 帮忙 给我 再 弄 做 搞 整 变 稍微 略 略微 要 得 把 让 令 就 还 会 吧 了 啦 呢 啊 呀 吗"
)
#: How the end of a clip goes back into its start, for a loop in plain words ("the ending *flows back
#: into* the start").
END_TO_START_VERBS: Final[tuple[str, ...]] = _words(
    "flow flows loop loops go goes lead leads connect connects join joins blend blends match matches meet "
    "meets link links wrap wraps run runs feed feeds tie ties come comes cut cuts transition transitions "
    "sync syncs fade fades return returns melt melts merge merges roll rolls"
)
#: Chinese: the end of a clip, and how it joins its start ("结尾接回开头", Cantonese "头尾驳埋").
CLIP_END_ZH: Final[tuple[str, ...]] = _words(
    "结尾 结束 末尾 最后一帧 最后一个镜头 最后的画面 片尾 尾巴 最尾 尾"
)
JOIN_ZH: Final[tuple[str, ...]] = _words(
    "接回 接上 接到 回到 连到 连上 衔接 对上 接返 驳返 驳回 驳 接 连 接得上 连得上 顺接"
)
#: Words that may follow "longer" / "shorter" when the clip is what changes ("longer please", "longer, like
#: 15 sec"); another word there is a thing of the scene ("longer shadows").
AFTER_LENGTH_OK: Final[tuple[str, ...]] = _words(
    "please pls plz plox and or but by to than like thanks thank thx ty tysm po lol lmao haha if so now then "
    "too as with for ok okay bro man dude guys maybe this that it again na ah la lah leh lor sir maam yeah "
    "yes pretty overall in at"
)

# -- storyboards (story_tail.py) --
#: Thanks and goodbyes that close a storyboard after its last card ("竖屏，*谢谢*", "*Thank you po*"): no card.
STORY_THANKS: Final[tuple[str, ...]] = _phrases(
    "thank you; thank you so much; thank you very much; thanks; thanks a lot; thx; ty; tysm; please; pls; plz; "
    "po; thank you po; salamat; salamat po; cheers; bye; god bless; gracias; merci; danke"
)
#: Words that may stand with parameters in a closing sentence ("12 seconds *in total, please*").
STORY_TAIL_WORDS: Final[tuple[str, ...]] = _phrases(
    "ok; okay; total; in total; in all; overall; altogether; all together; long; the video; video; clip; "
    "format; quality; resolution; and; in; is; be; should be; make it; it; that's all; that is all; that's it"
)
STORY_THANKS_ZH: Final[tuple[str, ...]] = _words(
    "谢谢 谢谢啦 谢谢你 谢谢您 多谢 感谢 麻烦了 麻烦你了 麻烦您了 辛苦了 拜托了 拜托 有劳了 唔该 唔該 多謝 謝謝 麻煩了"
)
STORY_TAIL_ZH: Final[tuple[str, ...]] = _words(
    "就这样 就这些 一共 总共 共 全长 的 吧 啊 哦 呀 啦 了 哈 就行 就好 即可 视频 画面 格式 请"
)

# -- what stays in the prompt (prompt.py, residue.py; the N-P round) ---------------------------------------

#: Greetings and forms of address of more than one word that open a request ("Good morning.", "Respected
#: sir,", "dear team"): request wording before a request verb (prompt.py).
GREETING_PHRASES: Final[tuple[str, ...]] = _phrases(
    "good morning; good afternoon; good evening; good day; good night; greetings; morning; evening; "
    "respected sir; respected madam; respected team; respected sir or madam; dear sir; dear madam; "
    "dear sir or madam; dear team; dear bot; dear reelbot; hello there; hi there; hey there; hello sir; "
    "hi sir; hello madam; hello team; hi team; hey team; hello everyone; hi everyone; hi all; hello all; "
    "hey all; sir ji; namaste ji; hello ji; hi bot; hello bot; hey bot; dear friend; my friend; hi friend"
)
#: Polite leads before the request verb ("Kindly *do the needful and* make ...", "*be so kind as to* create").
REQUEST_LEADS: Final[tuple[str, ...]] = _phrases(
    "do the needful and; do the needful; do me a favour and; do me a favor and; be so kind as to; "
    "be kind enough to; would you be so kind as to; would you be kind enough to; i request you to; "
    "i would request you to; request you to; i kindly request you to; kindly request you to; "
    "i would like to request you to; i would like you to; i'd like you to; i need you to; i want you to; "
    "go ahead and; is it possible to; would it be possible to; is it possible for you to; "
    "would it be possible for you to; could you possibly; can you possibly; i was wondering if you could; "
    "i wonder if you could; just; quickly; please just; kindly just; try and; try to; "
    "i would be grateful if you could; i'd be grateful if you could; i would be thankful if you could; "
    "it would be great if you could; it would be nice if you could; i'd appreciate it if you could; "
    "i would appreciate it if you could; i would appreciate if you could; would appreciate if you could; "
    "i'd appreciate if you could; if you could; if you can; please could you; please can you; can help; "
    "can help me; can you help; can you help me; could you help; could you help me; help me; pls help; "
    "please help; help me to"
)
#: Chinese greetings and forms of address opening a request ("您好，", "老师好，"), before a separator or a
#: request word.
GREETINGS_ZH: Final[tuple[str, ...]] = _words(
    "您好 你好 你好呀 您好呀 你好啊 嗨 哈喽 哈啰 哈罗 早上好 早安 上午好 中午好 下午好 晚上好 大家好 老师好 "
    "在吗 在不在 打扰了 打扰一下 不好意思 老铁 亲 宝子 家人们"
)
#: Chat praise that opens a request only before a request word ("666 给我整个...", "牛 帮我做..."): elsewhere
#: a number or a word of the scene.
CHEERS_BEFORE_ASK_ZH: Final[tuple[str, ...]] = _words("666 6666 66666 牛 牛啊 绝了 冲 冲冲冲 好耶 来来来")
#: Chinese words that ask before the request verb ("*请问能否*做一个...", "*想请您帮忙*生成..."), in any order.
REQUEST_PREFIX_ZH: Final[tuple[str, ...]] = _words(
    "请问 请您 请你 请 麻烦您 麻烦你 麻烦 帮我 帮忙 给我 能不能 能否 可不可以 可以 您能 你能 能 我想要 我想 想要 我要 "
    "谢谢 多谢 劳驾 想请您 想请你 想请 拜托您 拜托你 拜托 求求你 求求您 求你 您帮我 你帮我 您可以 你可以 帮个忙 "
    "我想看 我要看 我想要看 我需要 我们需要 是否可以 是否能 我希望 我想请您 我想请你 您给我 你给我 给咱 帮咱 想麻烦您 想麻烦你 想麻烦 我想麻烦您 我想麻烦你"
)
#: Chinese make verbs that need a measure word after them to be request wording ("*整*一个", "*求*一个",
#: "*搞*个"): "整个城市" (the whole city) and "求婚" stay scenes.
MAKE_VERBS_MEASURED_ZH: Final[tuple[str, ...]] = _words("整 搞 求 出")
#: Chinese thanks closing a request ("谢谢您的帮助", "先谢过了").
THANKS_ZH: Final[tuple[str, ...]] = _words(
    "谢谢您的帮助 谢谢你的帮助 感谢您的帮助 感谢你的帮助 谢谢您的帮忙 谢谢你的帮忙 感谢您的支持 谢谢您 感谢您 "
    "辛苦您了 辛苦你了 先谢谢了 先谢谢 先谢过了 提前感谢 提前谢谢 谢谢啦 谢谢了 感谢感谢 谢谢谢谢 万分感谢 非常感谢"
)
#: English closings of a letter ("Thanking you.", "Regards"), after the scene.
CLOSINGS: Final[tuple[str, ...]] = _phrases(
    "thanking you; thanking you in advance; regards; best regards; kind regards; warm regards; with regards; "
    "thanks and regards; thanks & regards; thank you sir; thank you madam; thanks sir; thanks bro; thanks bot; "
    "thank you so much; thanks a ton; thanks a bunch; much obliged; god bless"
)
#: Sound words that set sound in a clause of request wording only ("need the *sound* on this one", "*silent*
#: obviously"); "quiet" only with a request verb ("make it quiet"): "a library, quiet" may be the scene's.
RESIDUE_SOUND_ON: Final[tuple[str, ...]] = _words("sound audio")
RESIDUE_SOUND_OFF: Final[tuple[str, ...]] = _words("silent muted mute soundless silence")
RESIDUE_SOUND_OFF_VERB: Final[tuple[str, ...]] = _words("quiet")
RESIDUE_SOUND_ON_ZH: Final[tuple[str, ...]] = _words("声音 音频 音效 原声 有声音 有音效 有声")
#: Chinese clauses that ask for the clip now, beside a refused relaxed mode ("别用relaxed，*我现在就要*").
RESIDUE_FAST_ZH: Final[tuple[str, ...]] = _words(
    "我现在就要 现在就要 我马上就要 马上就要 我马上要 马上要 我急着要 急着要 我现在要 现在要 我急用 立马要 现在就做 我要快 要快点 我要快点 我赶时间 赶时间"
)
#: Words that comment on a setting without saying anything of the scene ("the normal quality is *quite
#: sufficient*", "sound on *obviously*").
COMMENT_WORDS: Final[tuple[str, ...]] = _phrases(
    "quite; sufficient; adequate; more than enough; obviously; clearly; naturally; surely; absolutely; "
    "totally; honestly; for sure; this one; this time; on this one; for this one; please; "
    "of course; course; definitely; def; ofc; duh; tho; though; since; because; cause; cuz; coz; anyway; "
    "anyways; n; plus; also; better; is better; works better; preferred; ideal"
)
#: Approval words after which "for <purpose>" is a reason, not a scene ("720p is *enough for* WhatsApp").
PURPOSE_APPROVALS: Final[tuple[str, ...]] = _words(
    "enough sufficient fine ok okay good works plenty perfect adequate"
)
#: How a member speaks of their own plan ("*I'm* on *the free plan*", "*我是免费用户*"): a head about the member
#: and a plan they have or lack, an aside beside settings (residue.py).
SELF_PLAN_HEADS: Final[tuple[str, ...]] = _phrases(
    "i'm; i am; im; i'm only; i'm just; im just; i am only; i am just; i only have; i have; i've got; i got; "
    "i'm on; im on; i am on; i'm only on; i'm still on; i use; i'm using; im using; i am using; since i'm; "
    "since im; because i'm; cause i'm; cuz i'm; cuz im; as; as a; i don't have; i dont have; i do not have; "
    "i'm not; im not; i am not; i'm not on; i have no; no"
)
SELF_PLAN_NOUNS: Final[tuple[str, ...]] = _phrases(
    "free user; free member; free plan; free tier; free account; free version; the free plan; the free tier; "
    "the free version; a free user; a free account; a free plan; free; basic user; basic plan; the basic plan; "
    "a basic plan; pro; premium; a pro plan; a paid plan; paid plan; the pro plan; a subscription; subscription; "
    "member; a member; membership; free user here; poor; broke; a student; student"
)
SELF_PLAN_HEADS_ZH: Final[tuple[str, ...]] = _words(
    "我是 我只是 我就是 我还是 我现在是 我目前是 我用的是 我用 我只有 我没有 我不是 我没开 我没买 因为我是 我 本人是"
)
SELF_PLAN_NOUNS_ZH: Final[tuple[str, ...]] = _words(
    "免费用户 免费会员 免费版 免费的 普通用户 普通会员 白嫖用户 白嫖的 白嫖党 会员 付费会员 专业版 免费账号 学生党 穷学生"
)
#: Chinese words a comment on a setting may hold besides the setting's name ("*普通*清晰度*就行*").
COMMENT_ZH: Final[tuple[str, ...]] = _words(
    "普通 标准 默认 一般 正常 常规 清晰度 画质 分辨率 音质 就行 就好 即可 就可以 够了 就够了 足够 没问题 也行 都行 吧 我 还是"
)
#: Extra words that only say the next setting corrects the one before ("种子 100 *不不不* 种子 200").
CORRECTION_CLAUSES_MORE: Final[tuple[str, ...]] = _phrases(
    "不不; 不不不; 不不不不; 不是不是; 不对不对; no no; no no no; nono; nonono; wait no; no sorry"
)
#: What a clip is for, after "for" in a settings clause ("<720p> for *whatsapp*", "<vertical> for my *insta
#: story*"): a reason, not a scene.
PURPOSE_PLACES: Final[tuple[str, ...]] = _phrases(
    "whatsapp; whatsapp status; status; instagram; insta; ig; tiktok; youtube; yt; facebook; fb; twitter; "
    "snapchat; snap; wechat; linkedin; pinterest; discord; telegram; story; stories; reels; shorts; "
    "a meme; memes; a slideshow; a presentation; slides; my phone; a phone; the phone; mobile; email; "
    "a website; my website; a wallpaper; a pfp; a profile picture; the group chat; the gc; a post; a reel"
)
#: "发朋友圈用", "当头像": what a Chinese clip is for, in a settings clause.
PURPOSE_VERBS_ZH: Final[tuple[str, ...]] = _words(
    "发 发到 发在 用来发 拿来发 用于 用在 放 放到 放在 当 当作 做 用来做 拿来做"
)
PURPOSE_PLACES_ZH: Final[tuple[str, ...]] = _words(
    "朋友圈 抖音 微信 微博 小红书 快手 b站 视频号 群里 微信群 ins ig 头像 壁纸 表情包 ppt 状态 动态"
)
#: Who a greeting addresses ("evening *all*", "hi *guys*", "good morning *team*"): part of the greeting.
GREETING_ADDRESSEES: Final[tuple[str, ...]] = _phrases(
    "all; everyone; everybody; guys; team; folks; sir; madam; ma'am; friends; fam; y'all; yall; there; bot; "
    "reelbot; people; peeps; dear; ji; bro; boss"
)
#: Words that say a setting goes without saying ("vertical *obviously*"): a clause of a setting word and these
#: is an instruction even without a request verb.
SURE_WORDS: Final[tuple[str, ...]] = _phrases(
    "obviously; clearly; definitely; of course; ofc; for sure; naturally; surely; absolutely; def; duh; "
    "needless to say; as usual; like always"
)
#: Words a no-value choice may stand with ("standard is *perfectly* fine").
CHOICE_ADVERBS: Final[tuple[str, ...]] = _words(
    "perfectly totally completely absolutely just really more than"
)
#: Why a member wants no sound or a setting, in their own words ("*I'll add music later*", "我手机放不了"):
#: who will do it, and what they will add or where they will play the clip.
SOUND_LATER_VERBS: Final[tuple[str, ...]] = _phrases(
    "i'll add; i will add; i'm adding; im adding; i'll put; i will put; i'll use; i will use; i'll overlay; "
    "i'm going to add; im going to add; i'm gonna add; im gonna add; gonna add; i'll dub; i'll do; going to add; "
    "i'll play; i will play; i'm going to play"
)
SOUND_LATER_NOUNS: Final[tuple[str, ...]] = _phrases(
    "music; my own music; my music; audio; my own audio; sound; my own sound; the sound; the music; a soundtrack; "
    "soundtrack; my own soundtrack; voiceover; a voiceover; my voiceover; narration; a song; my own song; my song; "
    "a track; my own track; the audio"
)
DEVICES_ZH: Final[tuple[str, ...]] = _words("手机 电脑 平板 电视 屏幕 投影 笔记本 ipad")
DEVICE_TROUBLE_ZH: Final[tuple[str, ...]] = _words(
    "放不了 播不了 看不了 带不动 不支持 打不开 太卡 会卡 卡 太小 放不动 播不动 用不了 不能用 没法用 没权限"
)
#: Thanks as a clause of its own inside a message ("make it silent, *thanks*, a cat"); before a short last
#: clause it is a sign-off with a name ("Thanks, Priya"), which prompt.py reads whole.
THANKS_CLAUSES: Final[tuple[str, ...]] = _phrases(
    "thanks; thank you; thx; ty; tysm; thank u; thanks!; many thanks"
)

# -- parameters, negation and corrections (round N-P) ---------------------------------------------------

#: Things a member leaves out of the picture in plain words (leave_out.py): "..., no people please" is a
#: negative prompt as a clause of its own wherever it stands; any other thing only after "but" ("but no
#: rain") or, in Chinese, after a verb of presence ("不要出现游客", "不要有人"). People, vehicles and gore.
LEAVE_OUT_THINGS: Final[tuple[str, ...]] = _phrases(
    "people; person; persons; humans; human; human beings; anyone; anybody; tourists; tourist; crowds; crowd; "
    "pedestrians; passersby; passers-by; passerby; bystanders; onlookers; spectators; strangers; visitors; "
    "faces; human faces; figures; human figures; men; women; kids; children; characters; "
    "cars; vehicles; traffic; blood; gore; violence; nudity; corpses; animals; pets; "
    "trees; buildings; houses; skyscrapers; power lines; wires; poles; fences; signs; billboards; logos; "
    "clutter; litter; trash; furniture; boats; planes; drones"
)
#: Light words before such a thing ("no *other* people") and after it ("no people *in the shot*").
LEAVE_OUT_BEFORE: Final[tuple[str, ...]] = _phrases(
    "any; the; other; more; random; real; visible; extra; actual; some; any other"
)
LEAVE_OUT_AFTER: Final[tuple[str, ...]] = _phrases(
    "please; pls; plz; thanks; thx; at all; whatsoever; anywhere; around; in sight; visible; in it; "
    "in the shot; in shot; in the frame; in frame; in the background; in the scene; in the picture; in the video; "
    "in the clip; on screen; thank you; if possible; if you can; either; too"
)
#: What opens such a clause in English ("no", "without", "don't show").
LEAVE_OUT_NEGATORS: Final[tuple[str, ...]] = _phrases(
    "no; without; with no; zero; don't show; do not show; don't include; do not include; don't want; "
    "do not want; i don't want; don't add; don't put; please no; and no; also no; definitely no; absolutely no"
)
#: Words after "no" that name no thing of the picture ("no rush", "no worries", "no wait"): never left out.
NOT_THINGS: Final = frozenset(
    _words(
        "rush hurry pressure worries worry problem problems prob probs stress need way wait thanks thank idea "
        "matter doubt offense offence kidding joke deal cap lie longer more less later sooner earlier one clue "
        "sweat biggie big fuss hassle difference changes change edits edit preference preferences limit "
        "sound audio music loop looping watermark text captions regrets regret fear fears hope tears mercy "
        "shame luck excuses escape end ending purpose meaning reason pain it them that this these those"
    )
)
#: Chinese: what refuses a thing (唔好 reads as 不要), the verbs of presence after it, and the things a bare
#: 不要 refuses ("不要人物", "不要血").
LEAVE_OUT_NEGATORS_ZH: Final[tuple[str, ...]] = _words(
    "不要 别 不想要 不准 不许 不能 千万不要 请不要 最好不要 尽量不要"
)
LEAVE_OUT_VERBS_ZH: Final[tuple[str, ...]] = _words(
    "出现 有 看到 见到 拍到 露出 入镜 出镜 拍进 带 放 画 加 影到 照到 拍摄到"
)
LEAVE_OUT_THINGS_ZH: Final[tuple[str, ...]] = _words(
    "人 人物 人群 人类 路人 行人 游客 观众 人脸 脸 真人 人影 车 车辆 汽车 血 血腥 暴力 尸体 裸露 "
    "树 树木 建筑 楼房 房子 电线 电线杆 招牌 广告牌 标志 垃圾 杂物 船 飞机 无人机 文字 字"
)
#: Chinese words after a refused thing that name no thing ("别有压力", the idiom "别有洞天"): never left out.
NOT_THINGS_ZH: Final = frozenset(
    _words(
        "压力 负担 问题 关系 顾虑 必要 声音 音乐 水印 字幕 循环 洞天 风味 用心 一番 韵味 情趣 天地 遗憾 什么 啥"
    )
)
#: Words of an aside about the member between a correction and the value that holds it ("1080p, no wait,
#: *I'm* on the free plan, 720p"; "1080p 不对 *我*是免费用户 还是480p吧"): drafts.py drops such an aside.
DRAFT_ASIDE_WORDS: Final[tuple[str, ...]] = _phrases("i; i'm; im; i am; my; me; we; we're; our; us")
DRAFT_ASIDE_ZH: Final[tuple[str, ...]] = _words("我 我们 咱 咱们 本人")
#: Words that may close a setting's clause after it ("sound on *obviously*", "in 1080 *of course*").
SETTING_TAILS: Final[tuple[str, ...]] = _phrases(
    "obviously; of course; ofc; definitely; for sure; too; as well; also; if possible; ideally; preferably; "
    "if you can; thanks a lot; as usual; like always; naturally; for this one; on this one; in this one; "
    "for this; on this; for that one; on that one"
)

# -- storyboard false hits (seconds.py, story_order.py) --
#: Words just before a number of seconds that make it a moment of the scene, not the clip's length ("*every*
#: 3 seconds", "*最后*两秒绝杀", "红灯*倒数*10秒"); matched on the simplified view.
SECONDS_IN_SCENE_BEFORE: Final[tuple[str, ...]] = _words(
    "every each 最后 倒数 倒计时 还剩 剩下 只剩 剩 仲有 仲剩 净系得 差"
)
#: Words just after one ("2 seconds *left* on the clock", "10 seconds *to go*").
SECONDS_IN_SCENE_AFTER: Final[tuple[str, ...]] = _phrases("left; remaining; to go; on the clock; to spare")
#: Words in the head of "first ..., then ..." that make it a how-to (a recipe, a workout), not shots.
HOWTO_WORDS: Final[tuple[str, ...]] = _phrases(
    "recipe; recipes; how to; tutorial; instructions; workout; 做法; 教程; 步骤; 菜谱; 食谱; 配方"
)
#: Units of a step's own duration in a how-to ("再炒*两分钟*", "bake 20 *minutes*"): no shot lasts that long.
HOWTO_UNITS: Final[tuple[str, ...]] = _phrases(
    "minute; minutes; min; mins; hour; hours; hr; hrs; 分钟; 分鐘; 小时; 小時; 个钟; 個鐘"
)
# -- storyboards and edits (round Q/R: equal-length cards, marks after their cards, named clip parts) --------
#: A clip's start or end named as a part of it ("cut off the *intro*, the first second is just black").
CLIP_INTRO: Final[tuple[str, ...]] = _phrases(
    "intro; opening; start; beginning; lead-in; lead in; opening bit; opening part; opening shot; "
    "opening frames; first frames; first bit; first part; start bit"
)
CLIP_OUTRO: Final[tuple[str, ...]] = _phrases(
    "outro; ending; end; tail; end bit; ending bit; ending part; closing bit; closing part; closing shot; "
    "closing frames; last frames; last bit; last part; final bit; final part"
)
CLIP_INTRO_ZH: Final[tuple[str, ...]] = _words("片头 开头 开场 开头部分 片头部分 开头那段 开头那里 最开始")
CLIP_OUTRO_ZH: Final[tuple[str, ...]] = _words("片尾 结尾 结尾部分 片尾部分 结尾那段 结尾那里 最后面 末尾")
#: Words before a named part that only describe it ("cut the *black* intro", "lose the *whole* outro").
CLIP_PART_ADJECTIVES: Final[tuple[str, ...]] = _words(
    "black blank dark empty boring slow long whole entire awkward weird dead silent useless extra shaky blurry "
    "blurred noisy grainy dull messy glitchy"
)

# -- parameters, negation and corrections (round Q/R) ---------------------------------------------------

#: Chinese make-into verbs before a shape closing its clause ("能不能*做成*正方形", "*整成*直嘅").
MAKE_INTO_ZH: Final[tuple[str, ...]] = _words(
    "做成 弄成 改成 变成 整成 搞成 换成 调成 剪成 出成 设成 设置成 弄做"
)
#: What closes relaxed words with an acceptance ("慢慢來*冇問題*", "唔急*都得*", "慢慢做*也可以*").
RELAXED_ACCEPT_ZH: Final[tuple[str, ...]] = _words(
    "没问题 没关系 无所谓 没所谓 不要紧 不紧要 都行 也行 都可以 也可以 都ok 也ok 都得 也得 都没问题 也没问题 "
    "没问题的 都没关系 也没关系 ok 可以 行"
)
#: What opens a clause of its own that leaves anything out after the scene ("..., *without* chopsticks").
WITHOUT_WORDS: Final[tuple[str, ...]] = _phrases(
    "without; with no; minus; sans; w/o; without any; but without"
)
#: Words after "without" that name no thing of the picture ("without a doubt", "without him", "without end").
WITHOUT_NOT_THINGS: Final = frozenset(
    _words(
        "doubt question fail failing warning word words care cares limit limits end pause pauses break breaks "
        "hesitation ever even being him her me you us them it his their my your our anything something "
        "a an any the delay delays effort permission reason mercy fear"
    )
)
#: Chinese refusals that leave out any short thing in a clause after the scene ("，没有筷子", "冇遮" = 没遮).
WITHOUT_ZH: Final[tuple[str, ...]] = _words(
    "没有 没 不带 去掉 拿掉 不要 别要 不想要 千万不要 最好不要 不需要"
)
#: How a Chinese doing or degree starts after a refusal ("不要*停*", "没有*太*暗", "别*动*"): no thing.
NOT_THING_STARTS_ZH: Final[tuple[str, ...]] = tuple(
    _words(
        "太 很 那么 这么 过 停 动 说 讲 回 走 跑 看 笑 哭 想 变 去 来 做 发 出 进 落 下 上 结 尽 任 一 什 啥 多 少 "
        "快 慢 急 乱 吵 晃 抖 拍 等 用 让 给 被 把 再 又 再也 可能 可以 能 会 要 得 了 错 问 管 理 关 "
        "飞 游 跳 爬 掉 离 消 醒 睡 吃 喝 叫 喊 打 碰 撞 转 倒 摔 开 哭 闹 躲 逃 追 放 丢 扔 拿 忘 怕 担心 害怕 告诉"
    )
)
#: Things whose first character would read as a doing ("*动*物", "*出*租车"): still things.
THINGS_THAT_START_SO_ZH: Final[tuple[str, ...]] = _words(
    "动物 动画 出租车 上衣 下巴 快递 走廊 笑脸 关东煮 多肉"
)
#: Corrections that may open the clause of the value that holds ("…*算了*两个吧", "*不对*八秒", "*actually*
#: just one is fine"); not "no" nor 不是, which refuse ("横屏，不是竖屏").
DRAFT_LEAD_WORDS: Final[tuple[str, ...]] = _phrases(
    "算了; 算了算了; 不对; 不对不对; 哦不; 说错了; 讲错了; 打错了; 写错了; 错了; 更正; 改一下; 呃不; 额不; 啊不; 嗯不; 噢不; "
    "哎不对; 不啱; 讲错; 说错; actually; i mean; i meant; make that; or rather; on second thought; never mind; "
    "nevermind; nvm; sorry"
)

# -- what stays in the prompt (round Q/R) ---------------------------------------------------------------

#: "that's too *pricey* for us", "太贵了": what a setting costs the member, a comment beside it (residue.py).
TOO_MUCH_WORDS: Final[tuple[str, ...]] = _words(
    "pricey pricy expensive costly much long big slow heavy many steep"
)
TOO_MUCH_ZH: Final[tuple[str, ...]] = _words("费积分 费钱 烧钱 贵 长 慢 大 多 卡")
#: Who a member speaks for beside the scene ("*my kid* asked for a video of ...", "我*儿子*很喜欢恐龙") (around.py).
PEOPLE_OF_MEMBER: Final[tuple[str, ...]] = _phrases(
    "kid; kids; son; daughter; child; children; boy; girl; little one; toddler; baby; wife; husband; partner; "
    "mom; mum; mother; dad; father; parents; grandma; grandpa; grandmother; grandfather; sister; brother; "
    "niece; nephew; cousin; friend; best friend; girlfriend; boyfriend; boss; teacher; students; class; team; "
    "client; customer; nephews; nieces; grandkids; grandson; granddaughter"
)
PEOPLE_OF_MEMBER_ZH: Final[tuple[str, ...]] = _words(
    "儿子 女儿 孩子 小孩 宝宝 宝贝 闺女 老婆 老公 妈妈 爸爸 爷爷 奶奶 外公 外婆 姐姐 妹妹 哥哥 弟弟 侄子 侄女 朋友 "
    "老板 老师 学生 同学 客户 家人 男朋友 女朋友 对象 小朋友 个仔 个女 仔女"
)
#: Words that make a Chinese clause about the member an aside (feeling, wanting, being, when): "我儿子很*喜欢*恐龙".
ASIDE_WORDS_ZH: Final[tuple[str, ...]] = _words(
    "喜欢 爱 想 要 需要 打算 准备 觉得 感觉 过生日 生日 明天 下周 今天 最近 很 特别 超级 非常 一直 总是 是 在读 上学 在 钟意 中意 好"
)
#: What opens the scene after a request and its settings ("..., 请问能不能做成正方形？*内容是*...", "*the scene is*: ...").
CONTENT_MARKERS: Final[tuple[str, ...]] = _phrases(
    "the content is; content is; the content; content; the scene is; scene is; the scene; scene; the idea is; "
    "idea is; the idea; the prompt is; prompt is; the prompt; here's the scene; heres the scene; here's the idea; "
    "here's the prompt; here is the scene; here is the idea; the subject is; subject; what i want is; "
    "what i'd like is; the concept is; concept"
)
CONTENT_MARKERS_ZH: Final[tuple[str, ...]] = _words(
    "内容是 内容为 内容 画面是 画面为 画面 主题是 主题为 主题 场景是 场景为 场景 题材是 描述是 描述 具体是 具体内容是 大概是"
)
#: Words of a Chinese comment about the member's situation before a request ("马来西亚*这边网*很慢*哈哈*，给我做个…：").
SITUATION_ZH: Final[tuple[str, ...]] = _words(
    "哈哈 呵呵 嘿嘿 这边 我这 我们这 网速 网络 网 流量 信号 手机 电脑 太慢 很慢 太卡 很卡 预算 积分不多 没钱"
)
#: What of the member's own an English aside may speak of ("*my wifi* is terrible", "*our budget* is tight").
SITUATION: Final[tuple[str, ...]] = _phrases(
    "wifi; internet; connection; data; data plan; budget; phone; laptop; computer; account; plan; credits; "
    "signal; network"
)

# -- what stays in the prompt (prompt.py, residue.py; round T/U) ---------------------------------------
#: The word for seconds in other languages, in a draft the member corrects beside a cut length
#: ("*10 segundos*... sorry, 10 seconds"): the draft goes with the setting (residue.py).
FOREIGN_SECONDS: Final[tuple[str, ...]] = _words(
    "segundos segundo segs secondes seconde sekunden sekunde sek detik dtk saniye secondi sekund sekundy giây giay"
)
#: Hesitation words inside such a draft ("10 detik *eh* i mean 10 seconds").
DRAFT_HESITATIONS: Final[tuple[str, ...]] = _words("eh uh um umm er erm ah oh ehh")
#: Words that turn a mode down beside the mode the member does ask for ("*don't put it on* relaxed, I need it
#: fast", "*咪用*relaxed啊，我要快") (residue.py).
REFUSE_MODE_HEADS: Final[tuple[str, ...]] = _phrases(
    "don't put it on; dont put it on; do not put it on; don't put it in; dont put it in; don't use; dont use; "
    "do not use; don't go with; dont go with; don't do; dont do; not; no; never use; please don't use; pls dont use; "
    "咪用; 咪开; 咪; 别用; 别开; 不要用; 不要开; 不用; 唔要用"
)
#: The modes such a clause turns down.
REFUSE_MODE_WORDS: Final[tuple[str, ...]] = _phrases(
    "relaxed; relaxed mode; relax mode; relax; the relaxed mode; slow mode; slow; fast; fast mode; the fast mode; "
    "turbo; 慢速; 慢速模式; 快速; 快速模式; 慢; 快"
)

# -- questions about the bot (capability.py) --
#: What a capability question asks about ("can it make a clip from my *photo*?", "does it do *sound*?").
CAPABILITY_FEATURES: Final[tuple[str, ...]] = _phrases(
    "photo; picture; pic; image; selfie; screenshot; drawing; sketch; sound; audio; music; voice; voiceover; "
    "voice over; narration; sound effects; subtitles; captions; lip sync; dialogue; speech; soundtrack; "
    "text on screen; my face; logo; photograph"
)
CAPABILITY_FEATURES_ZH: Final[tuple[str, ...]] = _words(
    "声音 音效 音乐 配音 语音 音频 背景音乐 字幕 对白 照片 图片 相片 自拍 截图 图 画 手绘 我的脸 logo 歌声"
)
#: Praise of a clip said beside a question ("*sick* clip. anyway how many credits ...", "好正！仲有几多积分").
PRAISE_WORDS: Final[tuple[str, ...]] = _phrases(
    "sick; nice; great; awesome; amazing; cool; dope; sweet; lit; fire; beautiful; gorgeous; perfect; "
    "stunning; incredible; insane; epic; brilliant; lovely; cute; neat; rad; fantastic; wonderful; superb; "
    "excellent; solid; clean; crazy good; so good; good"
)
PRAISE_WORDS_ZH: Final[tuple[str, ...]] = _words(
    "好看 好正 好靓 好靚 正 太棒了 好棒 真棒 很棒 棒 厉害 好厉害 太厉害了 牛 绝了 好美 太美了 不错 好赞 赞 喜欢"
)
#: Who heads a message to the bot ("*Moderator* note: ...", "*admin* here, ..."): a label, no scene.
SENDER_ROLES: Final[tuple[str, ...]] = _phrases(
    "moderator; mod; mods; admin; admins; administrator; staff; owner; server owner; host; organiser; organizer; "
    "team lead; coach; teacher; community manager; support"
)

# -- params (round T/U) -----------------------------------------------------------------------------------
#: Words for seconds in other languages, after digits ("10 segundos", "8 detik"): a length like "10 seconds".
FOREIGN_SECOND_UNITS: Final[tuple[str, ...]] = _words(
    "segundos segundo detik secondes seconde sekunden sekunde sekund sekundy secondi secondo saniye saniyelik "
    "giây วินาที seg segs"
)
