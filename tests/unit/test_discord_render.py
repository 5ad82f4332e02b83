"""The Discord channel's pure parts: markup and limits, message links, role mentions, which answers are only
for the asker, attachment kinds and which clip files fit, and the slash tree built from the registry (every
command and option, within Discord's rules as the fake checks them, in three languages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord_commands import NOT_ON_DISCORD, RegistryTranslator, build_tree, traditional
from bot.adapters.discord_files import attachment, clip_files
from bot.adapters.discord_render import (
    content,
    is_ephemeral_kind,
    markdown,
    parse_message_link,
    shown_buttons,
    with_role_mentions,
)
from bot.adapters.text_limits import utf16_len
from bot.commands import COMMANDS
from bot.replies import ASK_PROMPT, ERROR, OFFER, QUEUED, ClipOut, Reply
from tests.fakes.discord_checks import check_command_list


def test_light_markup_becomes_discord_markdown_within_2000_units() -> None:
    assert (
        markdown("*Reelbot* makes `/video a cat` clips, 2*3*4")
        == "**Reelbot** makes `/video a cat` clips, 2*3*4"
    )
    long = "✅ " + "🎬" * 1500 + "\nby Ann · 25 credits"
    fitted = content(long)
    assert utf16_len(fitted) <= 2000 and fitted.endswith("by Ann · 25 credits")


def test_message_links_name_their_server_channel_and_message() -> None:
    assert parse_message_link("https://discord.com/channels/1/2/3") == (1, 2, 3)
    assert parse_message_link("https://canary.discord.com/channels/@me/22/33/") == (None, 22, 33)
    assert parse_message_link("https://discordapp.com/channels/5/6/7") == (5, 6, 7)
    for bad in ("", "not a link", "https://discord.com/channels/1/2", "https://evil.com/channels/1/2/3"):
        assert parse_message_link(bad) is None


def test_plans_show_role_mentions_and_refusals_stay_with_the_asker() -> None:
    reply = Reply("plans", {"plans": [{"name": "plus", "roles": ["123456789012345678"]}]})
    text = "• plus: 1000 credits · with the role 123456789012345678"
    assert with_role_mentions(reply, text).endswith("with the role <@&123456789012345678>")
    assert is_ephemeral_kind(Reply("x", kind=ERROR)) and is_ephemeral_kind(Reply("x", kind=OFFER))
    assert is_ephemeral_kind(Reply("x", ephemeral=True)) and not is_ephemeral_kind(Reply("x", kind=QUEUED))
    asked = Reply("ask_remix_prompt", kind=ASK_PROMPT, job_id="0123456789ab")
    assert [[b.data for b in row] for row in shown_buttons(asked)] == [["j:remix:0123456789ab"]]


def _upload(content_type: str | None, filename: str) -> discord.Attachment:
    data: dict[str, Any] = {
        "id": "1",
        "filename": filename,
        "size": 10,
        "url": "http://x/a",
        "proxy_url": "http://x/a",
    }
    if content_type is not None:
        data["content_type"] = content_type

    class _State:
        http = None  # never used: nothing is downloaded here

    return discord.Attachment(data=data, state=_State())  # type: ignore[arg-type]


def test_an_upload_is_what_discord_says_it_is() -> None:
    assert attachment(_upload("image/png", "a.png")).kind == "image"
    assert attachment(_upload("video/mp4", "a.mp4")).kind == "video"
    pdf = attachment(_upload("application/pdf", "notes.pdf"))
    assert (pdf.kind, pdf.name, pdf.fetch) == ("other", "notes.pdf", None)
    assert attachment(_upload(None, "mystery.png")).kind == "other"  # no type given: not trusted as an image


def test_clip_files_keep_what_fits_and_leave_the_rest_for_a_link(tmp_path: Path) -> None:
    paths = []
    for i, size in enumerate((400, 500, 300)):
        path = tmp_path / f"v{i}.mp4"
        path.write_bytes(b"\0" * size)
        paths.append(path)
    clip = ClipOut("0123456789ab", paths[0], None, 1, 1, 5.0, 24, extra_paths=paths[1:])
    files, over = clip_files(clip, 1000)
    assert [f.filename for f in files] == ["0123456789ab-0.mp4", "0123456789ab-1.mp4"] and over == [paths[2]]
    assert clip_files(clip, 100) == ([], paths)


class _Handler:
    async def on_command(self, interaction: Any, name: str, values: dict[str, Any]) -> None: ...

    async def on_context_menu(self, interaction: Any, action: str, message: Any) -> None: ...


async def test_the_slash_tree_is_the_registry_within_discords_rules_in_three_languages() -> None:
    client = discord.Client(intents=discord.Intents.none())
    tree = app_commands.CommandTree(client)
    names = build_tree(tree, _Handler())
    registry = [c.name for c in COMMANDS if c.name not in NOT_ON_DISCORD]
    assert [n for n in names if n != "extend"] == registry and names[names.index("recut") + 1] == "extend"
    translator = RegistryTranslator()
    payload = [await cmd.get_translated_payload(tree, translator) for cmd in tree.get_commands()]
    check_command_list(payload)  # Discord's own rules, as the fake holds them
    by_name = {p["name"]: p for p in payload}
    for cmd in COMMANDS:
        if cmd.name in NOT_ON_DISCORD:
            assert cmd.name not in by_name
            continue
        synced = {o["name"]: o for o in by_name[cmd.name].get("options") or []}
        for opt in cmd.options:
            if cmd.name == "storyboard" and opt.name == "cards":
                continue
            got = synced[opt.name]
            assert got["required"] == opt.required, (cmd.name, opt.name)
            if opt.choices:
                assert [c["value"] for c in got["choices"]] == list(opt.choices)
            if opt.kind == "int":
                assert (got.get("min_value"), got.get("max_value")) == (opt.min_value, opt.max_value)
            assert got["description_localizations"]["zh-CN"] == opt.help_zh[:100]
        assert by_name[cmd.name]["description_localizations"]["zh-TW"] == traditional(cmd.help_zh)
        assert (by_name[cmd.name]["default_member_permissions"] == 0) is cmd.admin
    assert traditional("视频") == "視頻"
    await client.close()
