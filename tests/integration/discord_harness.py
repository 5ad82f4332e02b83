"""Shared set-up of the Discord integration tests: a local Discord (tests/fakes/discord_api.py) with one
server, its members and roles, a real Core on SQLite in a temp dir with a FakeEngine that writes real MP4s,
and the real DiscordAdapter (a real discord.py client) connected to the fake."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av

from bot.adapters.discord_adapter import DiscordAdapter
from bot.core import Core
from bot.replies import PostRef
from bot.settings import Settings
from engine.jobs import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Job
from tests.fakes.discord_api import Call, FakeDiscord, FakeInteraction
from tests.fakes.discord_models import FakeChannel, FakeGuild, FakeMessage, FakeRole, FakeUser
from tests.fakes.engines import FakeEngine, wait_idle

TOKEN = "MTIzNDU2Nzg5.fake.discord-token"


@dataclass
class Harness:
    fake: FakeDiscord
    core: Core
    adapter: DiscordAdapter
    engine: FakeEngine
    settings: Settings
    guild: FakeGuild
    channel: FakeChannel
    patron: FakeRole
    ann: FakeUser
    bob: FakeUser
    boss: FakeUser  # a bot admin (REELBOT_ADMINS) with the server's Administrator permission
    mod: FakeUser  # a server admin who is not a bot admin

    def uid(self, user: FakeUser) -> str:
        return f"discord:{user.id}"

    async def available(self, user: FakeUser) -> int:
        return (await self.core.ledger.balance(self.uid(user))).available

    async def jobs(self) -> list[Job]:
        return await self.core.jobs.in_states(QUEUED, RUNNING, DONE, FAILED, CANCELLED)

    async def final(self, job_id: str, timeout: float = 15.0) -> Job:
        async def poll() -> Job:
            while True:
                job = await self.core.jobs.get(job_id)
                if job is not None and job.final:
                    return job
                await asyncio.sleep(0.02)

        return await asyncio.wait_for(poll(), timeout)

    async def answer(self, it: FakeInteraction, timeout: float = 10.0, *, after: int = 0) -> Call:
        """The bot's message answer to `it` through its token: the filled placeholder or a followup."""

        async def found() -> Call:
            while True:
                for call in list(self.fake.calls[after:]):
                    if (
                        call.ok
                        and call.params.get("token") == it.token
                        and call.name in ("edit_webhook_message", "followup")
                    ):
                        return call
                await asyncio.sleep(0.01)

        return await asyncio.wait_for(found(), timeout)

    async def posted(
        self, contains: str = "", *, channel: FakeChannel | None = None, after: int = 0, timeout: float = 10.0
    ) -> Call:
        """The next channel message the bot posted (whose content has `contains`)."""
        where = (channel or self.channel).id
        return await self.fake.wait_for(
            "create_message",
            lambda c: (
                c.ok and int(c.params["channel_id"]) == where and contains in (c.body.get("content") or "")
            ),
            timeout=timeout,
            after=after,
        )

    async def clip_post(
        self,
        job_id: str | None = None,
        *,
        channel: FakeChannel | None = None,
        after: int = 0,
        timeout: float = 15.0,
    ) -> FakeMessage:
        """The next clip the bot posted (of `job_id`: its embed's footer), once the core knows the post."""
        where = (channel or self.channel).id

        def wanted(c: Call) -> bool:
            embeds = c.body.get("embeds") or [{}]
            return (
                c.ok
                and int(c.params["channel_id"]) == where
                and bool(embeds[0].get("description"))
                and (job_id is None or (embeds[0].get("footer") or {}).get("text") == job_id)
            )

        call = await self.fake.wait_for("create_message", wanted, timeout=timeout, after=after)
        message = self.fake.messages[int(call.response["id"])]
        for _ in range(300):
            if await self.core.job_for_post(PostRef("discord", str(where), str(message.id))):
                break
            await asyncio.sleep(0.01)
        return message

    async def make_clip(
        self, user: FakeUser, prompt: str = "a red kite over green hills"
    ) -> tuple[Job, FakeMessage]:
        """`user` runs /video; the finished job and its clip post as the fake keeps it."""
        mark = len(self.fake.calls)
        it = await self.fake.slash(user, self.channel, "video", prompt=prompt)
        queued = await self.answer(it)
        job_id = job_of(queued.body)
        clip = await self.clip_post(job_id, after=mark)
        job = await self.final(job_id)
        assert job.state == DONE
        return job, clip

    async def quiet(self) -> None:
        await wait_idle(self.core, 15)
        await asyncio.sleep(0.1)


def job_of(body: dict[str, Any]) -> str:
    """The job id a status post's Cancel button (j:cancel:<job>) names."""
    for row in body.get("components") or []:
        for item in row.get("components") or []:
            if str(item.get("custom_id", "")).startswith("j:cancel:"):
                return str(item["custom_id"]).rsplit(":", 1)[1]
    raise AssertionError(f"no cancel button in {body}")


def edits_of(fake: FakeDiscord, message_id: int) -> list[Call]:
    """Every edit of message `message_id`, through an interaction's token or through its channel."""
    out = []
    for call in fake.calls:
        if call.name == "edit_message" and int(call.params["message_id"]) == message_id:
            out.append(call)
        elif call.name == "edit_webhook_message" and call.ok and int(call.response["id"]) == message_id:
            out.append(call)
    return out


def custom_ids(body: dict[str, Any]) -> list[str]:
    return [
        item["custom_id"]
        for row in body.get("components") or []
        for item in row.get("components") or []
        if "custom_id" in item
    ]


def probe(data: bytes) -> tuple[int, int, int]:
    """(width, height, decoded frames) of an MP4, through PyAV; raises if it does not play."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        return stream.codec_context.width, stream.codec_context.height, frames


def make_settings(data_dir: Path, api_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        data_dir=data_dir,
        _env_file=None,
        discord_token=TOKEN,
        discord_api_url=api_url,
        web_enabled=False,
        tip_credits=5,
    )
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def discord_bot(
    tmp_path: Path,
    *,
    engine: FakeEngine | None = None,
    allow_message_content: bool = True,
    buckets: dict[str, tuple[int, float]] | None = None,
    progress_interval: float = 0.0,
    **settings: Any,
) -> AsyncIterator[Harness]:
    """A fake Discord with a server "Reel club" (#clips; members ann, bob, boss, mod; a Patron role mapped to
    plus) and the bot connected to it."""
    # progress edits come as fast as the fake engine renders (progress_interval 0) and a test posts more than
    # 5 messages in a few seconds: roomy message buckets, unless a test of the pace asks for Discord's own
    buckets = (
        buckets
        if buckets is not None
        else {"edit_message": (50, 1.0), "create_message": (50, 1.0), "edit_webhook_message": (50, 1.0)}
    )
    async with FakeDiscord(TOKEN, allow_message_content=allow_message_content, buckets=buckets) as fake:
        guild = fake.guild("Reel club")
        channel = fake.text_channel(guild, "clips")
        patron = fake.role(guild, "Patron")
        ann, bob = fake.member(guild, "ann"), fake.member(guild, "bob")
        boss, mod = fake.member(guild, "boss", admin=True), fake.member(guild, "mod", admin=True)
        values: dict[str, Any] = dict(
            discord_guild_id=guild.id,
            discord_role_plans={str(patron.id): "plus"},
            admins=[f"discord:{boss.id}"],
        )
        values.update(settings)
        config = make_settings(tmp_path / "data", fake.url, **values)
        engine = engine or FakeEngine(steps=4, step_s=0.02, real_video=True)
        core = await Core.open(config, engine)
        adapter = DiscordAdapter(core, config, progress_interval=progress_interval, guild_ready_timeout=0.05)
        await core.start()
        harness = Harness(fake, core, adapter, engine, config, guild, channel, patron, ann, bob, boss, mod)
        try:
            await adapter.start()
            yield harness
        finally:
            await harness.adapter.stop()  # the one running now (a test may have restarted it)
            await core.close()
