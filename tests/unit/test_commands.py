"""The command registry is the one list: the parser's slash words, the chat menus (Telegram's
setMyCommands), the CLI's choices and help, and option validation are all built from it, so a command or
an option added in one place shows up on every surface."""

from __future__ import annotations

import contextlib
import io
from dataclasses import replace

import pytest

from bot import commands
from bot.commands import COMMANDS, Command, Option, args_from_text, find, validate
from bot.errors import BadOption
from reel.contract import ACTIONS, ASPECTS, EDIT_ACTIONS, MAX_SECONDS, MODES, RESOLUTIONS


def test_every_registry_slash_word_parses_to_its_action() -> None:
    """Through the parser's public entry point: each name and alias of a request command is read as
    that command's action (the parser takes its slash words from the registry)."""
    from bot.parse import parse

    for c in COMMANDS:
        if c.action not in ACTIONS:
            continue  # core-only verbs (link, queue, admin...) never reach the parser
        for word in (c.name, *c.aliases):
            body = {"storyboard": "0s a seed; 5s a tree", "recut": "1-3s"}.get(c.action, "a red fox")
            req = parse(
                f"/{word} {body}",
                images=int(c.action == "animate"),
                videos=2 * (c.action == "blend"),
                reply=c.action in EDIT_ACTIONS,
            )
            assert req.action == c.action, (word, c.action, req.action)
    assert commands.slash_words()["imagine"] == "create" and commands.slash_words()["start"] == "help"


def test_find_ignores_case_slash_and_bot_suffix() -> None:
    assert find("/Video@ReelBot").name == "video"  # type: ignore[union-attr]
    assert find("nope") is None


def test_registry_is_well_formed() -> None:
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    words = [w for c in COMMANDS for w in (c.name, *c.aliases)]
    assert len(words) == len(set(words)), "an alias shadows another command"
    for c in COMMANDS:
        assert c.help_en and c.help_zh and c.name.islower() and len(c.name) <= 32


def test_generation_options_are_the_contract() -> None:
    assert set(commands.choices("resolution")) == set(RESOLUTIONS)
    assert set(commands.choices("aspect")) == set(ASPECTS)
    assert set(commands.choices("mode")) == set(MODES)
    assert commands.bounds("seconds") == (1, MAX_SECONDS)


def test_args_from_text_fills_options_in_order() -> None:
    grant = find("grant")
    assert grant is not None
    assert args_from_text(grant, "telegram:42 500") == {"user": "telegram:42", "credits": "500"}
    link = find("link")
    assert link is not None
    assert args_from_text(link, "") == {}


def test_validate_reads_choices_and_bounds_from_the_registry() -> None:
    video = find("video")
    assert video is not None
    assert validate(video, {"prompt": "a cat", "seconds": "10", "resolution": "720p"}) == {
        "prompt": "a cat",
        "seconds": 10,
        "resolution": "720p",
    }
    for bad, code in (
        ({"prompt": "x", "seconds": "99"}, "parse_bad_seconds"),
        ({"prompt": "x", "seconds": "ten"}, "parse_bad_seconds"),
        ({"prompt": "x", "resolution": "4k"}, "parse_bad_resolution"),
        ({"prompt": "x", "variations": "3"}, "parse_bad_variations"),
        ({}, "parse_empty"),
    ):
        with pytest.raises(BadOption) as err:
            validate(video, bad)
        assert err.value.code == code, bad
    grant = find("grant")
    assert grant is not None
    with pytest.raises(BadOption, match="bad_amount"):
        validate(grant, {"user": "telegram:1", "credits": "-5"})


def _cli_help(*argv: str) -> str:
    from bot.cli import build_parser

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        build_parser().parse_args([*argv, "--help"])
    return out.getvalue()


def test_one_edit_to_the_registry_reaches_every_surface(monkeypatch: pytest.MonkeyPatch) -> None:
    """The edit a developer makes in bot/commands.py, done once here: a new resolution choice on the
    shared RESOLUTION option and a new command with a new option. Every surface shows both."""
    from bot.adapters.telegram_adapter import command_menus
    from bot.cli import build_parser

    wider = replace(commands.RESOLUTION, choices=(*commands.RESOLUTION.choices, "1440p"))
    glitter = Option("glitter", "choice", "Sparkle colour", "闪光颜色", choices=("gold", "silver"))
    sparkle = Command(
        "sparkle",
        "create",
        "Add sparkles to a clip",
        "给视频加闪光",
        (commands.PROMPT, wider, glitter),
        "/sparkle a cake gold",
        aliases=("shine",),
    )
    edited = tuple(
        replace(c, options=tuple(wider if o is commands.RESOLUTION else o for o in c.options))
        for c in COMMANDS
    ) + (sparkle,)
    monkeypatch.setattr(commands, "COMMANDS", edited)

    # Telegram's command menus, public and admin, both languages
    menus = command_menus(["telegram:999"])
    listed = [[(b.command, b.description) for b in cmds] for cmds, _ in menus]
    assert all(("sparkle", "Add sparkles to a clip") in m or ("sparkle", "给视频加闪光") in m for m in listed)
    assert ("sparkle", "给视频加闪光") in listed[1]
    # the CLI: quote's choices and the chat-command help
    ns = build_parser().parse_args(["quote", "--resolution", "1440p"])
    assert ns.resolution == "1440p"
    assert "1440p" in _cli_help("quote")
    top = _cli_help()
    assert "/sparkle" in top and "glitter=gold|silver" in top and "Add sparkles to a clip" in top
    # the parser's slash words, command lookup, and validation of typed options
    assert commands.slash_words()["shine"] == "create" and find("shine") is sparkle
    assert (
        validate(sparkle, {"prompt": "a cake", "glitter": "gold", "resolution": "1440p"})["glitter"] == "gold"
    )
    with pytest.raises(BadOption):
        validate(sparkle, {"prompt": "a cake", "glitter": "pink"})
    video = find("video")
    assert (
        video is not None and validate(video, {"prompt": "x", "resolution": "1440p"})["resolution"] == "1440p"
    )
