"""The command registry is the one list: every slash word the parser understands resolves to the registry
command of the same action, so each channel offers exactly what the parser accepts."""

from __future__ import annotations

from bot import parse as parse_module
from bot.commands import COMMANDS, args_from_text, find


def test_every_parser_command_is_in_the_registry() -> None:
    for name, action in parse_module._COMMANDS.items():
        cmd = find(name)
        assert cmd is not None, name
        assert cmd.action == action, (name, action, cmd.action)


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
