"""Slash commands and mentions at the front of a message: `/video@ReelBot a cat`, `<@123> balance`.

Every slash word is read from the command registry (bot/commands.py), the one list; this module keeps no
names of its own. Must not read parameters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from bot.commands import COMMANDS, find
from reel.contract import ACTIONS

#: The registry alias that is a recut with `extend` on ("/extend"): the parser reads it as `recut` plus
#: extend. (The registry gives each alias only its command's action, so this one flag is known here.)
EXTEND_ALIAS: Final = "extend"

_COMMAND = re.compile(
    r"^\s*[/!／、](?P<cmd>[A-Za-z][A-Za-z0-9_]*)(?:@[A-Za-z0-9_]+)?(?=$|\s|[,:;，：])[,:;，：]?"
)
_DISCORD_MENTION = re.compile(r"<@[!&]?[0-9]+>")
_LEADING_AT = re.compile(r"^\s*@(?P<name>[A-Za-z0-9_]{2,64})\b[,:，：]?")
_BARE_RECUT = re.compile(r"^\s*recut\b", re.IGNORECASE)


def request_commands() -> dict[str, str]:
    """Every slash word (command names and aliases) whose command maps to a Request action -> that action."""
    out: dict[str, str] = {}
    for cmd in COMMANDS:
        if cmd.action in ACTIONS:
            for name in (cmd.name, *cmd.aliases):
                out[name] = cmd.action
    return out


def command_at_start(text: str) -> re.Match[str] | None:
    """The slash command opening `text` when the registry knows it as a Request command, else None."""
    m = _COMMAND.match(text)
    if m is None:
        return None
    cmd = find(m.group("cmd"))
    return m if cmd is not None and cmd.action in ACTIONS else None


def other_command_at_start(text: str) -> bool:
    """Whether `text` opens with a registry command that is not a Request (`/queue`, `/grant ...`): a
    message to the bot, never a scene."""
    m = _COMMAND.match(text)
    if m is None:
        return False
    cmd = find(m.group("cmd"))
    return cmd is not None and cmd.action not in ACTIONS


def split_command(text: str) -> tuple[str | None, str, str]:
    """(action, slash word, the rest of the text) for a leading Request command (also a bare "recut"),
    else (None, "", text)."""
    if m := command_at_start(text):
        name = m.group("cmd").lower()
        cmd = find(name)
        assert cmd is not None  # command_at_start checked it
        return cmd.action, name, text[m.end() :]
    if _BARE_RECUT.match(text):
        return "recut", "recut", _BARE_RECUT.sub("", text, count=1)
    return None, "", text


def strip_mentions(text: str, bot_names: Sequence[str]) -> str:
    """`text` without Discord mentions and mentions of the bot (a person's @name stays: it may be the
    scene)."""
    names = {n.lstrip("@").lower() for n in bot_names if n.strip("@ ")}
    text = _DISCORD_MENTION.sub(" ", text)
    for name in names:
        text = re.sub(
            rf"(?<![A-Za-z0-9_])@{re.escape(name)}(?![A-Za-z0-9_])[,:，：]?", " ", text, flags=re.IGNORECASE
        )
    while m := _LEADING_AT.match(text):
        name = m.group("name").lower()
        if name in names or name.endswith("bot"):  # Telegram bot usernames must end in "bot"
            text = text[m.end() :]
        else:
            break
    return text
