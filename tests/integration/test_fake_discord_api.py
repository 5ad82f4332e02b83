"""The fake Discord holds Discord's rules (so a bot that passes against it does not pass by leniency):
plain aiohttp requests, no discord.py, checked against the documented answers."""

from __future__ import annotations

import asyncio
import json
import zlib
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.fakes.discord_api import FakeDiscord

TOKEN = "fake.bot.token"
AUTH = {"Authorization": f"Bot {TOKEN}"}


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(TOKEN) as server:
        yield server


async def _json(
    session: aiohttp.ClientSession, method: str, url: str, **kw: object
) -> tuple[int, object, dict[str, str]]:
    async with session.request(method, url, **kw) as response:  # type: ignore[arg-type]
        body = await response.read()
        return response.status, json.loads(body) if body else None, dict(response.headers)


async def test_rest_needs_the_bot_token_and_answers_with_rate_limit_headers(fake: FakeDiscord) -> None:
    guild = fake.guild()
    channel = fake.text_channel(guild)
    async with aiohttp.ClientSession() as s:
        status, body, _ = await _json(s, "GET", f"{fake.url}/api/v10/users/@me")
        assert status == 401 and body == {"message": "401: Unauthorized", "code": 0}
        url = f"{fake.url}/api/v10/channels/{channel.id}/messages"
        status, body, headers = await _json(s, "POST", url, json={"content": "hi"}, headers=AUTH)
        assert status == 200 and headers["Content-Type"] == "application/json"
        assert {
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset",
            "X-RateLimit-Reset-After",
            "X-RateLimit-Bucket",
        } <= set(headers)
        fake.plan_429("create_message", 1.5)
        status, body, headers = await _json(s, "POST", url, json={"content": "hi"}, headers=AUTH)
        assert status == 429 and body["retry_after"] == 1.5 and body["global"] is False  # type: ignore[index]
        assert (
            headers["Retry-After"] == "2"
            and headers["Via"] == "1.1 google"
            and headers["X-RateLimit-Scope"] == "user"
        )


async def test_messages_are_checked_against_discords_limits(fake: FakeDiscord) -> None:
    guild = fake.guild()
    channel = fake.text_channel(guild)
    url = f"{fake.url}/api/v10/channels/{channel.id}/messages"
    cases = [
        ({"content": "x" * 2001}, 400, 50035),
        ({}, 400, 50006),
        ({"embeds": [{"description": "d" * 4097}]}, 400, 50035),
        (
            {
                "content": "a",
                "components": [
                    {
                        "type": 1,
                        "components": [
                            {"type": 2, "style": 1, "label": "a", "custom_id": "same"},
                            {"type": 2, "style": 1, "label": "b", "custom_id": "same"},
                        ],
                    }
                ],
            },
            400,
            50035,
        ),
        ({"content": "a", "message_reference": {"message_id": "1"}}, 400, 50035),
    ]
    async with aiohttp.ClientSession() as s:
        for body, status, code in cases:
            got, answer, _ = await _json(s, "POST", url, json=body, headers=AUTH)
            assert (got, answer["code"]) == (status, code), body  # type: ignore[index]
        form = aiohttp.FormData(quote_fields=False)
        form.add_field("payload_json", json.dumps({"content": "big"}))
        form.add_field("files[0]", b"\0" * (10 * 1024 * 1024 + 1), filename="big.mp4")
        other = fake.text_channel(guild, "other")  # a fresh bucket: five posts in #general used this one up
        got, answer, _ = await _json(
            s, "POST", f"{fake.url}/api/v10/channels/{other.id}/messages", data=form, headers=AUTH
        )
        assert (got, answer["code"]) == (413, 40005)  # type: ignore[index]
        got, answer, _ = await _json(s, "POST", url, json={"content": "sixth"}, headers=AUTH)
        assert got == 429  # five messages per five seconds per channel


async def test_interactions_are_answered_once_within_three_seconds_and_tokens_expire(
    fake: FakeDiscord,
) -> None:
    guild = fake.guild()
    channel = fake.text_channel(guild)
    ann = fake.member(guild, "ann")
    fake.commands[guild.id] = [
        {"id": "1", "type": 1, "name": "ping", "options": [], "guild_id": str(guild.id)}
    ]
    it = await fake.slash(ann, channel, "ping")
    late = await fake.slash(ann, channel, "ping")
    callback = f"{fake.url}/api/v10/interactions/{it.id}/{it.token}/callback"
    async with aiohttp.ClientSession() as s:
        status, _, _ = await _json(s, "POST", callback, json={"type": 5})
        assert status == 204
        status, body, _ = await _json(s, "POST", callback, json={"type": 5})
        assert (status, body["code"]) == (400, 40060)  # type: ignore[index]
        fake.interaction_window_s = 0.0
        await asyncio.sleep(0.01)
        status, body, _ = await _json(
            s,
            "POST",
            f"{fake.url}/api/v10/interactions/{late.id}/{late.token}/callback",
            json={"type": 4, "data": {"content": "too late"}},
        )
        assert (status, body["code"]) == (404, 10062)  # type: ignore[index]
        fake.token_lifetime_s = 0.0
        status, body, _ = await _json(
            s,
            "PATCH",
            f"{fake.url}/api/v10/webhooks/{fake.application_id}/{it.token}/messages/@original",
            json={"content": "done"},
        )
        assert (status, body["code"]) == (401, 50027)  # type: ignore[index]


async def test_commands_are_checked_and_options_refused_as_the_client_would(fake: FakeDiscord) -> None:
    guild = fake.guild()
    url = f"{fake.url}/api/v10/applications/{fake.application_id}/guilds/{guild.id}/commands"
    bad = [
        [{"name": "Video", "description": "upper case", "type": 1}],
        [{"name": "video", "description": "", "type": 1}],
        [
            {
                "name": "video",
                "description": "d",
                "type": 1,
                "options": [
                    {"type": 3, "name": "a", "description": "a"},
                    {"type": 3, "name": "b", "description": "b", "required": True},
                ],
            }
        ],
        [{"name": "video", "description": "d", "name_localizations": {"zh": "视频"}}],
    ]
    good = [
        {
            "name": "video",
            "description": "d",
            "type": 1,
            "name_localizations": {"zh-CN": "视频"},
            "options": [{"type": 4, "name": "seconds", "description": "s", "min_value": 1, "max_value": 20}],
        },
        {"name": "Remix clip", "type": 3},
    ]
    async with aiohttp.ClientSession() as s:
        for commands in bad:
            status, body, _ = await _json(s, "PUT", url, json=commands, headers=AUTH)
            assert (status, body["code"]) == (400, 50035), commands  # type: ignore[index]
        status, body, _ = await _json(s, "PUT", url, json=good, headers=AUTH)
        assert status == 200 and [c["name"] for c in body] == ["video", "Remix clip"]  # type: ignore[union-attr]
    channel = fake.text_channel(guild)
    ann = fake.member(guild, "ann")
    with pytest.raises(ValueError):
        await fake.slash(ann, channel, "video", seconds=21)
    with pytest.raises(ValueError):
        await fake.slash(ann, channel, "video", length=5)


async def test_the_gateway_speaks_zlib_stream_checks_intents_and_resumes(fake: FakeDiscord) -> None:
    fake.allow_message_content = False
    url = fake.url.replace("http", "ws") + "/gateway?v=10&encoding=json&compress=zlib-stream"
    inflate = zlib.decompressobj()

    async def frame(ws: aiohttp.ClientWebSocketResponse) -> dict[str, object]:
        msg = await ws.receive(timeout=5)
        assert msg.type == aiohttp.WSMsgType.BINARY and msg.data.endswith(b"\x00\x00\xff\xff")
        return json.loads(inflate.decompress(msg.data))  # type: ignore[no-any-return]

    async with aiohttp.ClientSession() as s:
        async with s.ws_connect(url) as ws:
            assert (await frame(ws))["op"] == 10
            await ws.send_json({"op": 2, "d": {"token": TOKEN, "intents": 1 << 15, "properties": {}}})
            closed = await ws.receive(timeout=5)
            assert closed.type == aiohttp.WSMsgType.CLOSE and closed.data == 4014
        inflate = zlib.decompressobj()
        async with s.ws_connect(url) as ws:
            await frame(ws)
            await ws.send_json({"op": 2, "d": {"token": TOKEN, "intents": 1 | (1 << 9), "properties": {}}})
            ready = await frame(ws)
            assert ready["t"] == "READY" and ready["s"] == 1
            session = ready["d"]["session_id"]  # type: ignore[index]
        assert await fake.gateway.dispatch("MESSAGE_CREATE", {"id": "1", "content": "missed"})  # while away
        assert not await fake.gateway.dispatch("MESSAGE_REACTION_ADD", {"id": "2"})  # no reaction intent
        inflate = zlib.decompressobj()
        async with s.ws_connect(url) as ws:
            await frame(ws)
            await ws.send_json({"op": 6, "d": {"token": TOKEN, "session_id": session, "seq": 1}})
            replayed, resumed = await frame(ws), await frame(ws)
            assert (replayed["t"], replayed["d"]["content"]) == ("MESSAGE_CREATE", "missed")  # type: ignore[index]
            assert resumed["t"] == "RESUMED"
            await ws.send_json({"op": 1, "d": resumed["s"]})
            assert (await frame(ws))["op"] == 11
