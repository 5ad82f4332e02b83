"""Reelbot's slash commands and message context menus for discord.py's app_commands, built from the one
command registry (bot/commands.py): every option typed, with its choices and bounds, described and named
in English, Simplified Chinese (zh-CN) and Traditional Chinese (zh-TW) through an app_commands.Translator.

How Discord shows the registry, nothing more: a `video` option is an upload plus a `clip` option that takes
a clip post's message link; /storyboard asks its cards in a form; /extend is /recut's "extend" under its own
name; admin commands are hidden by default permissions (the core still checks REELBOT_ADMINS). Commands
that sell Telegram Stars are left out. Every callback hands over to the adapter (`Commands` protocol).
"""

from __future__ import annotations

import inspect
from functools import lru_cache
from typing import Any, Literal, Optional, Protocol

import discord
from discord import app_commands
from discord.app_commands import locale_str

from bot.commands import COMMANDS, Command, Option
from bot.messages import text

#: registry commands that only a platform with its own payments has (Telegram Stars)
NOT_ON_DISCORD = frozenset({"buy", "starrefund"})
#: the option a command with a video input gets for "a clip's message link"
CLIP_LINK = "clip"
#: Discord-only command names: /extend is /recut extend
EXTEND = "extend"
#: message context menus: (message key of the name, clip action)
CONTEXT_MENUS = (("menu_remix", "remix"), ("menu_loop", "loop"), ("menu_extend", "extend"))

#: Chinese names of the registry's commands and options (Discord lets names be localised; Telegram does not)
ZH_NAMES: dict[str, str] = {
    "video": "视频",
    "animate": "动画",
    "remix": "重绘",
    "loop": "循环",
    "recut": "剪辑",
    "extend": "延长",
    "blend": "融合",
    "storyboard": "故事板",
    "balance": "余额",
    "plans": "套餐",
    "queue": "队列",
    "cancel": "取消",
    "feed": "动态",
    "help": "帮助",
    "link": "绑定",
    "autoapprove": "免确认",
    "share": "分享",
    "grant": "增加积分",
    "setplan": "设置套餐",
    "refund": "退款",
    "unlink": "解除绑定",
    "userbalance": "成员余额",
    # options
    "prompt": "提示词",
    "seconds": "秒数",
    "resolution": "分辨率",
    "aspect": "画幅",
    "variations": "版本数",
    "mode": "模式",
    "seed": "种子",
    "negative": "排除",
    "image": "图片",
    "video2": "第二个视频",
    "range": "范围",
    "cards": "镜头",
    "job": "任务",
    "code": "绑定码",
    "credits": "积分",
    "user": "用户",
    "plan": "套餐名",
    "clip": "视频链接",
    "charge": "付款编号",
}


class Commands(Protocol):
    """What the commands call: the adapter."""

    async def on_command(
        self, interaction: discord.Interaction[Any], name: str, values: dict[str, Any]
    ) -> None: ...

    async def on_context_menu(
        self, interaction: discord.Interaction[Any], action: str, message: discord.Message
    ) -> None: ...


@lru_cache(maxsize=1)
def _traditional() -> Any:
    import opencc

    return opencc.OpenCC("s2tw")


def traditional(zh: str) -> str:
    """Simplified Chinese as Traditional (Taiwan) Chinese."""
    return str(_traditional().convert(zh))


class RegistryTranslator(app_commands.Translator):
    """Names and descriptions in zh-CN and zh-TW: each locale_str carries its Chinese in `extras["zh"]`
    (descriptions, from the registry) or is found in ZH_NAMES (names)."""

    async def translate(
        self, string: locale_str, locale: discord.Locale, context: app_commands.TranslationContext[Any, Any]
    ) -> str | None:
        if locale not in (discord.Locale.chinese, discord.Locale.taiwan_chinese):
            return None
        zh = string.extras.get("zh")
        if zh is None and context.location in (
            app_commands.TranslationContextLocation.command_name,
            app_commands.TranslationContextLocation.parameter_name,
        ):
            zh = ZH_NAMES.get(string.message)
        if not zh:
            return None
        return zh if locale is discord.Locale.chinese else traditional(zh)


def _described(en: str, zh: str) -> locale_str:
    return locale_str(en[:100], zh=zh[:100])


def _annotation(opt: Option) -> Any:
    if opt.kind == "int":
        return app_commands.Range[int, opt.min_value, opt.max_value]
    if opt.kind == "choice":
        return Literal[opt.choices]  # type: ignore[valid-type]
    if opt.kind in ("image", "video"):
        return discord.Attachment
    return str


def discord_options(cmd: Command) -> list[tuple[str, Any, bool, locale_str]]:
    """(name, annotation, required, description) of each option /cmd has on Discord."""
    out = []
    for opt in cmd.options:
        if cmd.name == "storyboard" and opt.name == "cards":
            continue  # asked in the form
        out.append((opt.name, _annotation(opt), opt.required, _described(opt.help_en, opt.help_zh)))
    if any(o.kind == "video" for o in cmd.options):
        out.append(
            (CLIP_LINK, str, False, _described(text("opt_clip_link", "en"), text("opt_clip_link", "zh")))
        )
    return out


def _slash(
    name: str,
    en: str,
    zh: str,
    options: list[tuple[str, Any, bool, locale_str]],
    handler: Commands,
    *,
    admin: bool = False,
) -> app_commands.Command[Any, Any, None]:
    async def callback(interaction: discord.Interaction[Any], **values: Any) -> None:
        await handler.on_command(interaction, name, values)

    params = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    for key, annotation, required, _ in options:
        params.append(
            inspect.Parameter(
                key,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=annotation if required else Optional[annotation],  # noqa: UP045
                default=inspect.Parameter.empty if required else None,
            )
        )
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__discord_app_commands_param_description__ = {k: d for k, _, _, d in options}  # type: ignore[attr-defined]
    command: app_commands.Command[Any, Any, None] = app_commands.Command(
        name=locale_str(name), description=_described(en, zh), callback=callback
    )
    if admin:  # seen by server admins only (Discord enforces it); the core still checks REELBOT_ADMINS
        command.default_permissions = discord.Permissions.none()
        command.guild_only = True
    return command


def _menu(key: str, action: str, handler: Commands) -> app_commands.ContextMenu:
    async def callback(interaction: discord.Interaction[Any], message: discord.Message) -> None:
        await handler.on_context_menu(interaction, action, message)

    return app_commands.ContextMenu(name=locale_str(text(key, "en"), zh=text(key, "zh")), callback=callback)


def build_tree(tree: app_commands.CommandTree[Any], handler: Commands) -> list[str]:
    """Add every registry command Discord has, /extend and the context menus to `tree`; the slash names."""
    names = []
    for cmd in COMMANDS:
        if cmd.name in NOT_ON_DISCORD:
            continue
        tree.add_command(
            _slash(cmd.name, cmd.help_en, cmd.help_zh, discord_options(cmd), handler, admin=cmd.admin)
        )
        names.append(cmd.name)
        if cmd.name == "recut":
            video_only = [o for o in discord_options(cmd) if o[0] in ("video", CLIP_LINK)]
            tree.add_command(
                _slash(EXTEND, text("cmd_extend", "en"), text("cmd_extend", "zh"), video_only, handler)
            )
            names.append(EXTEND)
    for key, action in CONTEXT_MENUS:
        tree.add_command(_menu(key, action, handler))
    return names
