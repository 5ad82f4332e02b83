"""`reelbot run` with Discord as its channel: in process with every part wired, and as the real console
script (a subprocess) with only the Discord token (and the fake's address) set, rendering on the tiny model
end to end."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from tests.fakes.discord_api import FakeDiscord
from tests.fakes.engines import FakeEngine
from tests.fakes.processes import stop
from tests.integration.discord_harness import TOKEN, job_of, make_settings, probe

ROOT = Path(__file__).resolve().parents[2]


async def test_run_serves_discord_with_every_part_wired(tmp_path: Path) -> None:
    from billing.ledger import Ledger
    from billing.plans import PlanBook
    from bot.app import run

    async with FakeDiscord(TOKEN) as fake:
        guild = fake.guild("Reel club")
        channel = fake.text_channel(guild, "clips")
        ann = fake.member(guild, "ann")
        settings = make_settings(tmp_path / "data", fake.url, discord_guild_id=guild.id)
        stop = asyncio.Event()
        engine = FakeEngine(steps=2, step_s=0.01, real_video=True)
        served = asyncio.create_task(run(settings, engine=engine, stop_event=stop))
        try:
            await fake.wait_until(
                lambda: fake.gateway.ready.is_set() and bool(fake.synced(guild)), timeout=20
            )
            await fake.say(channel, ann, f"<@{fake.bot.id}> a paper plane over a city 5s")
            queued = await fake.wait_for(
                "create_message", lambda c: c.ok and "Queued" in (c.body.get("content") or "")
            )
            assert "25 credits held" in queued.body["content"]
            video = await fake.wait_for("create_message", lambda c: c.ok and bool(c.files), timeout=20)
            assert probe(video.files[0].data)[2] > 0
        finally:
            stop.set()
            assert await asyncio.wait_for(served, 20) == 0
    assert engine.ran and engine.ran[0].prompt == "a paper plane over a city"
    async with await Ledger.open(settings.db_path, PlanBook.load(None)) as ledger:
        assert (await ledger.balance(f"discord:{ann.id}")).available == 75


def _env(fake_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELBOT_")}
    # the Discord token (and where this test's Discord is) is all the bot is told; the tiny model is named
    # so a machine with a GPU does not pick a real one, and the web channel stays off its fixed port
    env.update(
        REELBOT_DISCORD_TOKEN=TOKEN,
        REELBOT_DISCORD_API_URL=fake_url,
        REELBOT_MODEL="tiny",
        REELBOT_WEB_ENABLED="false",
        PYTHONUNBUFFERED="1",
    )
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


@pytest.mark.slow
@pytest.mark.skipif(not (ROOT / "engine" / "video_engine.py").exists(), reason="the engine is not there yet")
async def test_reelbot_run_cli_syncs_and_renders_a_slash_command_on_the_tiny_model(tmp_path: Path) -> None:
    reelbot = Path(sys.executable).with_name("reelbot")
    if not reelbot.exists():
        pytest.skip("the reelbot console script is not installed in this environment")
    async with FakeDiscord(TOKEN) as fake:
        guild = fake.guild("Reel club")
        channel = fake.text_channel(guild, "clips")
        ann = fake.member(guild, "ann")
        env = _env(fake.url)
        log_path = tmp_path / "reelbot-run.log"
        with log_path.open("wb") as log_file:
            proc = await asyncio.create_subprocess_exec(
                str(reelbot), "run", cwd=tmp_path, env=env, stdout=log_file, stderr=log_file
            )
            try:
                # no guild id set: the commands are synced globally, then the gateway connects
                await fake.wait_until(lambda: fake.gateway.ready.is_set(), timeout=90)
                assert [c["name"] for c in fake.synced() if c["name"] == "video"] == ["video"]
                it = await fake.slash(ann, channel, "video", prompt="a lighthouse at night")
                queued = await fake.wait_for(
                    "edit_webhook_message", lambda c: c.params["token"] == it.token, timeout=30
                )
                assert it.response_type == 5 and it.answered_in is not None and it.answered_in < 3.0
                assert "25 credits held" in queued.body["content"]
                job_id = job_of(queued.body)
                posted = await fake.wait_for(
                    "create_message",
                    lambda c: bool(c.files) or ("failed" in (c.body.get("content") or "")),
                    timeout=240,
                )
                assert posted.files, posted.body
                width, height, frames = probe(posted.files[0].data)
                assert (width, height, frames) == (854, 480, 5 * 24)
                assert job_id in json.dumps(posted.body)
                await fake.wait_until(lambda: fake.messages[int(queued.response["id"])].deleted, timeout=30)
                admin = await asyncio.create_subprocess_exec(
                    str(reelbot),
                    "admin",
                    "balance",
                    f"discord:{ann.id}",
                    cwd=tmp_path,
                    env=env,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                )
                out, err = await asyncio.wait_for(admin.communicate(), 60)
                assert admin.returncode == 0, err.decode()
                balance = json.loads(out.decode().strip().splitlines()[-1])
                assert balance["available"] == 75 and balance["held"] == 0
            except BaseException as exc:
                exc.add_note("reelbot run's log ends:\n" + log_path.read_text(errors="replace")[-3000:])
                raise
            finally:
                await stop(proc)
        assert proc.returncode == 0, log_path.read_text(errors="replace")[-3000:]
        assert TOKEN not in log_path.read_text(errors="replace")
