"""The one command registry: names, aliases, options (with their choices and bounds), help text and
examples, in English and Chinese.

Every surface is built from this list: the parser's slash words, the chat menus (`menu`), the CLI's choices
and help, typed-option validation (`validate`). Adding an option is one edit here. Pure data and functions
of it: no platform import, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.errors import BadOption
from reel.contract import (
    ASPECTS,
    GENERATIVE_ACTIONS,
    MAX_SECONDS,
    MIN_SECONDS,
    MODES,
    RESOLUTIONS,
    SEED_MAX,
    VARIATIONS,
)


@dataclass(frozen=True)
class Option:
    """One command option. `kind`: str | int | choice | image | video."""

    name: str
    kind: str
    help_en: str
    help_zh: str
    choices: tuple[str, ...] = ()
    required: bool = False
    min_value: int | None = None
    max_value: int | None = None
    #: the message key for a value this option refuses (default: parse_bad_flag_value, naming it)
    error: str = ""


@dataclass(frozen=True)
class Command:
    """One command. `action` is the Request action it maps to (or a core-only verb like `queue`)."""

    name: str
    action: str
    help_en: str
    help_zh: str
    options: tuple[Option, ...] = ()
    example: str = ""
    admin: bool = False
    aliases: tuple[str, ...] = field(default_factory=tuple)

    def help(self, lang: str) -> str:
        return self.help_zh if lang == "zh" else self.help_en

    @property
    def generative(self) -> bool:
        """Does it make a clip (and cost credits)?"""
        return self.action in GENERATIVE_ACTIONS

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)


PROMPT = Option("prompt", "str", "What the clip shows", "视频内容描述", required=True, error="parse_empty")
PROMPT_OPTIONAL = Option("prompt", "str", "What to change", "要修改的内容")
# the generation options' choices and bounds are the request contract's (reel/contract.py)
SECONDS = Option(
    "seconds",
    "int",
    f"Length in seconds ({MIN_SECONDS}-{MAX_SECONDS})",
    f"时长（{MIN_SECONDS}-{MAX_SECONDS} 秒）",
    min_value=MIN_SECONDS,
    max_value=MAX_SECONDS,
    error="parse_bad_seconds",
)
RESOLUTION = Option(
    "resolution",
    "choice",
    ", ".join(RESOLUTIONS),
    "分辨率",
    choices=RESOLUTIONS,
    error="parse_bad_resolution",
)
ASPECT = Option("aspect", "choice", ", ".join(ASPECTS), "画幅", choices=ASPECTS, error="parse_bad_aspect")
VARIATIONS_OPTION = Option(
    "variations",
    "choice",
    "How many versions",
    "版本数",
    choices=tuple(str(v) for v in VARIATIONS),
    error="parse_bad_variations",
)
MODE = Option(
    "mode",
    "choice",
    "fast, or relaxed (free on some plans)",
    "模式：fast 或 relaxed",
    choices=MODES,
    error="parse_bad_mode",
)
SEED = Option(
    "seed",
    "int",
    "Seed for repeatable results",
    "随机种子",
    min_value=0,
    max_value=SEED_MAX,
    error="parse_bad_seed",
)
NEGATIVE = Option("negative", "str", "What to avoid", "不希望出现的内容")
IMAGE = Option("image", "image", "The image to animate", "要动起来的图片", required=True)
VIDEO = Option("video", "video", "The clip to edit", "要编辑的视频")
VIDEO_B = Option("video2", "video", "The second clip", "第二个视频")
MEMBER = Option("user", "str", "platform:id", "用户", required=True, error="bad_user")  # admin commands
GEN_OPTIONS = (SECONDS, RESOLUTION, ASPECT, VARIATIONS_OPTION, MODE, SEED, NEGATIVE)

COMMANDS: tuple[Command, ...] = (
    Command(
        "video",
        "create",
        "Make a clip from text",
        "文字生成视频",
        (PROMPT, *GEN_OPTIONS),
        "/video a red fox running through snow 10s 720p vertical",
        aliases=(
            "imagine",
            "create",
            "videos",
            "vid",
            "clip",
            "reel",
            "movie",
            "t2v",
            "txt2vid",
            "gen",
            "generate",
            "make",
            "v",
        ),
    ),
    Command(
        "animate",
        "animate",
        "Bring an image to life",
        "让图片动起来",
        (IMAGE, PROMPT_OPTIONAL, *GEN_OPTIONS),
        "send a photo with the caption: waves crashing, 5s",
        aliases=("i2v", "img2vid"),
    ),
    Command(
        "remix",
        "remix",
        "Change a clip with a new prompt",
        "用新提示词重绘视频",
        (PROMPT, VIDEO, SECONDS, RESOLUTION, ASPECT, SEED),
        "reply to a clip: make it night",
        aliases=("edit",),
    ),
    Command(
        "loop",
        "loop",
        "Make a clip loop seamlessly",
        "把视频做成无缝循环",
        (VIDEO, PROMPT_OPTIONAL),
        "reply to a clip: /loop",
    ),
    Command(
        "recut",
        "recut",
        "Trim or extend a clip",
        "剪辑或延长视频",
        (Option("range", "str", "e.g. 1-3s to trim, or extend", "例如 1-3秒，或 extend"), VIDEO),
        "reply to a clip: /recut 1-3s",
        aliases=("trim", "cut", "extend"),
    ),
    Command(
        "blend",
        "blend",
        "Blend two clips with a transition",
        "融合两个视频",
        (PROMPT_OPTIONAL, VIDEO, VIDEO_B),
        "send two clips with the caption: /blend",
        aliases=("merge", "mix"),
    ),
    Command(
        "storyboard",
        "storyboard",
        "Several prompts along a timeline",
        "故事板：按时间线的多个提示词",
        (
            Option(
                "cards",
                "str",
                "0s first shot; 5s second shot",
                "0秒 第一个镜头; 5秒 第二个镜头",
                required=True,
                error="parse_bad_storyboard",
            ),
            RESOLUTION,
            ASPECT,
            SEED,
        ),
        "/storyboard 0s a seed; 5s a sprout; 10s a tree",
    ),
    Command(
        "balance",
        "balance",
        "Your credits and plan",
        "查看积分和套餐",
        example="/balance",
        aliases=("credits", "bal", "wallet"),
    ),
    Command(
        "plans",
        "plans",
        "Plans and prices",
        "套餐和价格",
        example="/plans",
        aliases=("plan", "upgrade", "subscribe", "pricing", "price", "prices"),
    ),
    Command("queue", "queue", "Your jobs in the queue", "查看排队中的任务", example="/queue"),
    Command(
        "cancel",
        "cancel",
        "Cancel your latest job (or one by id)",
        "取消最近的任务",
        (Option("job", "str", "Job id (optional)", "任务编号（可选）"),),
        "/cancel",
        aliases=("stop",),
    ),
    Command(
        "feed",
        "feed",
        "Recent clips from the community",
        "社区最新视频",
        example="/feed",
        aliases=("explore", "gallery", "latest", "trending"),
    ),
    Command(
        "share",
        "share",
        "Put your private clip in the community feed",
        "把私聊里的视频分享到社区",
        (Option("job", "str", "Job id (optional: your latest private clip)", "任务编号（可选）"),),
        "/share",
    ),
    Command(
        "help",
        "help",
        "How to use the bot",
        "使用帮助",
        example="/help",
        aliases=("start", "commands", "menu"),
    ),
    Command(
        "link",
        "link",
        "Link accounts across platforms into one wallet",
        "跨平台绑定账号，共用钱包",
        (Option("code", "str", "The code from your other account", "另一个账号获得的绑定码"),),
        "/link",
    ),
    Command(
        "autoapprove",
        "autoapprove",
        "Spend up to N credits without asking",
        "设置免确认的积分上限",
        (
            Option(
                "credits",
                "int",
                "Credits",
                "积分",
                required=True,
                min_value=0,
                max_value=1_000_000,
                error="bad_amount",
            ),
        ),
        "/autoapprove 100",
    ),
    Command("buy", "buy", "Buy credits with Telegram Stars", "用 Telegram Stars 购买积分", example="/buy"),
    Command(
        "grant",
        "admin_grant",
        "Admin: give credits",
        "管理员：增加积分",
        (
            MEMBER,
            Option("credits", "int", "Credits", "积分", required=True, min_value=1, error="bad_amount"),
        ),
        "/grant telegram:42 500",
        admin=True,
    ),
    Command(
        "setplan",
        "admin_plan",
        "Admin: set a member's plan",
        "管理员：设置套餐",
        (
            MEMBER,
            Option("plan", "str", "free, plus or pro", "套餐", required=True),
        ),
        "/setplan telegram:42 pro",
        admin=True,
    ),
    Command(
        "refund",
        "admin_refund",
        "Admin: refund a job",
        "管理员：退款",
        (Option("job", "str", "Job id", "任务编号", required=True, error="bad_job"),),
        "/refund 1a2b3c4d5e6f",
        admin=True,
    ),
    Command(
        "starrefund",
        "admin_star_refund",
        "Admin: refund a Telegram Stars payment",
        "管理员：退还 Stars 付款",
        (
            Option("user", "str", "telegram:id of the payer", "付款用户", required=True, error="bad_user"),
            Option("charge", "str", "telegram_payment_charge_id", "付款编号", required=True),
        ),
        "/starrefund telegram:42 <charge id>",
        admin=True,
    ),
    Command(
        "unlink",
        "admin_unlink",
        "Admin: undo an account link",
        "管理员：解除绑定",
        (MEMBER,),
        "/unlink telegram:42",
        admin=True,
    ),
    Command(
        "ban",
        "admin_ban",
        "Admin: stop a member making clips",
        "管理员：禁止成员生成视频",
        (MEMBER,),
        "/ban telegram:42",
        admin=True,
    ),
    Command(
        "unban",
        "admin_unban",
        "Admin: let a banned member make clips again",
        "管理员：解除禁止",
        (MEMBER,),
        "/unban telegram:42",
        admin=True,
    ),
    Command(
        "review",
        "admin_review",
        "Admin: keep or remove a clip hidden by reports (no job: list them)",
        "管理员：保留或删除被举报隐藏的视频（不填：列出）",
        (
            Option("job", "str", "Job id", "任务编号"),
            Option("decision", "choice", "keep or remove", "keep 或 remove", choices=("keep", "remove")),
        ),
        "/review 1a2b3c4d5e6f keep",
        admin=True,
    ),
    Command(
        "pool",
        "admin_pool",
        "Admin: the engine workers and what each runs",
        "管理员：查看渲染节点及其任务",
        example="/pool",
        admin=True,
    ),
    Command(
        "userbalance",
        "admin_balance",
        "Admin: a member's balance",
        "管理员：查看成员余额",
        (MEMBER,),
        "/userbalance telegram:42",
        admin=True,
    ),
)


def by_name() -> dict[str, Command]:
    """Every command name and alias (lower case) -> its command."""
    table: dict[str, Command] = {}
    for c in COMMANDS:
        table[c.name] = c
        for a in c.aliases:
            table[a] = c
    return table


def slash_words() -> dict[str, str]:
    """Every slash word (name or alias) -> the action it maps to: what the parser reads."""
    return {name: c.action for name, c in by_name().items()}


def find(name: str) -> Command | None:
    """The command called `name` (without the slash, any case, `@BotName` suffix ignored)."""
    return by_name().get(name.lstrip("/").split("@", 1)[0].lower())


def public_commands() -> list[Command]:
    return [c for c in COMMANDS if not c.admin]


def admin_commands() -> list[Command]:
    return [c for c in COMMANDS if c.admin]


def menu(lang: str = "en", *, admin: bool = False) -> list[tuple[str, str]]:
    """(name, description) of each command a chat menu lists: the public ones, and with `admin` the
    admin ones after them (Telegram's setMyCommands, Discord's tree)."""
    chosen = public_commands() + (admin_commands() if admin else [])
    return [(c.name, c.help(lang)) for c in chosen]


def choices(name: str) -> tuple[str, ...]:
    """The choices of option `name` wherever the registry declares it (resolution, aspect, mode...)."""
    for c in COMMANDS:
        opt = c.option(name)
        if opt is not None and opt.choices:
            return opt.choices
    return ()


def bounds(name: str) -> tuple[int | None, int | None]:
    """(min, max) of the integer option `name` (seconds, seed...)."""
    for c in COMMANDS:
        opt = c.option(name)
        if opt is not None and opt.kind == "int":
            return opt.min_value, opt.max_value
    return None, None


def generative_actions() -> tuple[str, ...]:
    """The actions of the commands that make a clip, in registry order."""
    return tuple(dict.fromkeys(c.action for c in COMMANDS if c.generative))


def help_lines(lang: str = "en") -> list[str]:
    """One line per command: `/name  help  [options]` (and `(admin)`), for `reelbot --help`."""
    lines = []
    for c in COMMANDS:
        opts = " ".join(f"[{o.name}{'=' + '|'.join(o.choices) if o.choices else ''}]" for o in c.options)
        lines.append(
            f"  /{c.name:<12} {c.help(lang)}"
            + (f"  {opts}" if opts else "")
            + (" (admin)" if c.admin else "")
        )
    return lines


def args_from_text(cmd: Command, rest: str) -> dict[str, str]:
    """Positional words after a text command -> its options, in declared order; the last option takes
    the remainder (so `/grant telegram:42 500` and `/link AB12CD` both work)."""
    opts = list(cmd.options)
    if not opts:
        return {}
    words = rest.split(None, len(opts) - 1) if rest.strip() else []
    return {opt.name: word for opt, word in zip(opts, words, strict=False)}


def validate(cmd: Command, args: dict[str, Any]) -> dict[str, Any]:
    """`args` checked against `cmd`'s options: integers parsed and within bounds, choices among the
    declared ones, required ones present. Returns the args with integers as int (other keys kept as
    they are). Raises bot.errors.BadOption (its code is the message key)."""
    out = dict(args)
    for opt in cmd.options:
        value = args.get(opt.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if opt.required and opt.kind in ("str", "int", "choice"):
                raise BadOption(opt.error or "missing_option", option=opt.name, example=cmd.example)
            continue
        if opt.kind == "int":
            try:
                number = int(str(value).strip())
            except ValueError:
                raise BadOption(opt.error or "parse_bad_flag_value", detail=f"{opt.name} {value}") from None
            if (opt.min_value is not None and number < opt.min_value) or (
                opt.max_value is not None and number > opt.max_value
            ):
                raise BadOption(opt.error or "parse_bad_flag_value", detail=f"{opt.name} {value}")
            out[opt.name] = number
        elif opt.kind == "choice" and str(value).strip() not in opt.choices:
            raise BadOption(opt.error or "parse_bad_flag_value", detail=f"{opt.name} {value}")
    return out
