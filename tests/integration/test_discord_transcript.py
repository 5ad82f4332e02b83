"""One full exchange through the real discord.py client, written out as the fake saw it: start-up (login,
command sync, gateway), /video (deferral, queue, progress, the clip upload), a second member's Remix button
and its form, and a tip. The test checks the story is complete and in order; with REELBOT_WRITE_TRANSCRIPT=1
it also writes docs/discord_transcript.md."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

from tests.fakes.discord_transcript import transcript
from tests.integration.discord_harness import discord_bot, job_of

DOC = Path(__file__).resolve().parents[2] / "docs" / "discord_transcript.md"


async def test_one_full_exchange_reads_in_order(tmp_path: Path) -> None:
    async with discord_bot(tmp_path) as dc:
        fake = dc.fake
        it = await fake.slash(dc.ann, dc.channel, "video", prompt="a red kite over green hills", seconds=5)
        job_id = job_of((await dc.answer(it)).body)
        clip = await dc.clip_post(job_id)
        await dc.final(job_id)
        pressed = await fake.press(dc.bob, clip, f"j:remix:{job_id}")
        await fake.wait_until(lambda: pressed.modal is not None)
        submitted = await fake.submit(dc.bob, pressed, {"prompt": "make it dusk"})
        remix_id = job_of((await dc.answer(submitted)).body)
        await dc.clip_post(remix_id)
        await dc.final(remix_id)
        await fake.react(dc.bob, clip, "❤️")  # Bob tips Ann for her clip
        await dc.posted("Tipped")
        await asyncio.sleep(0.1)
        known = {
            dc.guild.id: "guild “Reel club”",
            dc.channel.id: "#clips",
            dc.ann.id: "ann",
            dc.bob.id: "bob",
            dc.boss.id: "boss",
            dc.mod.id: "mod",
            dc.patron.id: "role Patron",
            clip.id: "Ann's clip post",
        }
        text = transcript(fake, known, "A Discord exchange, as the fake Discord saw it")

    steps = [
        "**GET /api/v10/users/@me**",
        "**GET /api/v10/oauth2/applications/@me**",
        "**PUT /api/v10/applications/<bot>/guilds/<guild “Reel club”>/commands**",
        "**GET /api/v10/gateway/bot**",
        "op 10 HELLO",
        "op 2 IDENTIFY token <redacted>",
        "**READY**",
        "**GUILD_CREATE**",
        "/video prompt:a red kite over green hills",
        "type 5 DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE",
        "**PATCH /api/v10/webhooks/<bot>/<interaction token>/messages/@original**",
        "Queued",
        "Rendering",
        "file: ",
        "**DELETE /api/v10/webhooks/<bot>/<interaction token>/messages/@original**",
        "j:remix:",
        "type 9 MODAL",
        "(form)",
        "a red kite over green hills, dusk",  # the remix: the scene and the change
        "❤️ on message <Ann's clip post>",
        "Bob: 💖 Tipped Ann 5 credits",
    ]
    at = -1
    for step in steps:
        found = text.find(step, at + 1)
        assert found > at, f"{step!r} missing or out of order"
        at = found
    assert "aW50ZXJhY3Rpb24" not in text and dc.settings.discord_token is not None
    assert dc.settings.discord_token.get_secret_value() not in text
    assert not re.search(r"\b\d{17,20}\b", text)  # every id has a name
    if os.environ.get("REELBOT_WRITE_TRANSCRIPT"):
        DOC.write_text(text, encoding="utf-8")
