"""The command registry is the one list: every slash word the parser understands resolves to the registry
command of the same action, so each channel offers exactly what the parser accepts."""

from __future__ import annotations

from bot.commands import COMMANDS, args_from_text, find
from bot.parse import parse
from bot.parse.slash import request_commands
from reel.contract import ACTIONS


def test_every_parser_command_is_in_the_registry() -> None:
    # the parser keeps no list of its own: every slash word it reads is a registry name or alias
    words = request_commands()
    assert words
    for name, action in words.items():
        cmd = find(name)
        assert cmd is not None, name
        assert cmd.action == action, (name, action, cmd.action)
    # and every registry command with a Request action is read by the parser, under each of its names
    for cmd in COMMANDS:
        if cmd.action not in ACTIONS:
            assert all(n not in words for n in (cmd.name, *cmd.aliases)), cmd.name
            continue
        for name in (cmd.name, *cmd.aliases):
            edit = cmd.action in ("remix", "loop", "recut")
            got = parse(f"/{name} a red kite 10s", reply=edit, videos=2 if cmd.action == "blend" else 0)
            assert got.action == cmd.action, (name, got.action)


def test_find_ignores_case_slash_and_bot_suffix() -> None:
    assert find("/Video@ReelBot").name == "video"  # type: ignore[union-attr]
    assert find("nope") is None


def test_registry_is_well_formed() -> None:
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    for c in COMMANDS:
        assert c.help_en and c.help_zh and c.name.islower() and len(c.name) <= 32


def test_args_from_text_fills_options_in_order() -> None:
    grant = find("grant")
    assert grant is not None
    assert args_from_text(grant, "telegram:42 500") == {"user": "telegram:42", "credits": "500"}
    link = find("link")
    assert link is not None
    assert args_from_text(link, "") == {}
