"""A browser-less web client for tests: a real Core and WebAdapter on a free 127.0.0.1 port, members as
aiohttp sessions with their own cookie jars, and a reader of the server-sent event stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bot.adapters.web_adapter import WebAdapter
from bot.core import Core
from bot.settings import Settings
from engine.jobs import Job


@dataclass
class Member:
    """One browser: its session (cookie jar) against the server at `base`."""

    http: aiohttp.ClientSession
    base: str

    async def call(self, method: str, path: str, **kw: Any) -> tuple[int, Any]:
        async with self.http.request(method, self.base + path, **kw) as r:
            body = await r.read()
            try:
                return r.status, json.loads(body)
            except ValueError:
                return r.status, body

    async def get(self, path: str, **kw: Any) -> tuple[int, Any]:
        return await self.call("GET", path, **kw)

    async def post(self, path: str, **kw: Any) -> tuple[int, Any]:
        return await self.call("POST", path, **kw)

    async def user(self) -> str:
        _, me = await self.get("/api/me")
        return str(me["id"])


@dataclass
class WebHarness:
    core: Core
    web: WebAdapter
    settings: Settings
    members: list[Member] = field(default_factory=list)

    @property
    def base(self) -> str:
        return self.web.url

    async def member(self) -> Member:
        m = Member(aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)), self.base)
        self.members.append(m)
        await m.get("/api/me")  # the server hands out the member cookie
        return m

    async def final(self, job_id: str, timeout: float = 15.0) -> Job:
        """The job once final and its credits settled (the hold captured or refunded, which follows the
        final state: a balance read in between still shows the hold)."""

        async def poll() -> Job:
            while True:
                job = await self.core.jobs.get(job_id)
                if job is not None and job.final:
                    if all(h.job_id != job_id for h in await self.core.ledger.open_holds()):
                        return job
                await asyncio.sleep(0.02)

        return await asyncio.wait_for(poll(), timeout)

    async def available(self, user: str) -> int:
        return (await self.core.ledger.balance(user)).available


@asynccontextmanager
async def web_harness(data_dir: Path, engine: Any, **settings: Any) -> AsyncIterator[WebHarness]:
    values: dict[str, Any] = dict(data_dir=data_dir, _env_file=None, web_port=0, model="tiny")
    values.update(settings)
    s = Settings(**values)
    core = await Core.open(s, engine)
    web = WebAdapter(core, s)
    web.feed_poll_s = 0.1
    await web.start()
    await core.start()
    harness = WebHarness(core, web, s)
    try:
        yield harness
    finally:
        for m in harness.members:
            await m.http.close()
        await web.stop()
        await core.close()


async def read_events(member: Member, until: Any, timeout: float = 15.0) -> list[tuple[str, dict[str, Any]]]:
    """Read the member's event stream until `until(type, data)` is true; returns every (type, data) read."""
    seen: list[tuple[str, dict[str, Any]]] = []

    async def read() -> None:
        async with member.http.get(member.base + "/api/events") as r:
            assert r.status == 200 and r.headers["Content-Type"].startswith("text/event-stream")
            kind = None
            async for raw in r.content:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind is not None:
                    data = json.loads(line[6:])
                    seen.append((kind, data))
                    if until(kind, data):
                        return

    await asyncio.wait_for(read(), timeout)
    return seen
