"""The bot token never reaches a log: `reelbot run`'s wiring (bot.app.run: the Telegram channel against the fake
Bot API, a fake engine in place of the model) runs a subprocess at DEBUG level through a request, its clip,
a refused upload, a balance and a shutdown, and every line it wrote is searched for the token."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.fakes.crash_bot import TOKEN
from tests.fakes.processes import stop
from tests.fakes.telegram_api import FakeTelegramAPI

ROOT = Path(__file__).resolve().parents[2]
SECRET = TOKEN.split(":", 1)[1]  # the part after the bot id is the secret


async def test_no_log_line_of_a_full_run_holds_the_token(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELBOT_")}
    env.update(PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    log_path = tmp_path / "run.log"
    async with FakeTelegramAPI(token=TOKEN, bot_username="ReelBot") as fake:
        with log_path.open("wb") as log_file:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.fakes.crash_bot",
                str(tmp_path / "data"),
                f"--telegram={fake.url}",
                "--die=none",
                "--log=DEBUG",
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=log_file,
            )
            try:
                await fake.wait_for_poll(timeout=30)
                ann = fake.user(42, "Ann", "ann")
                chat = fake.private_chat(ann)
                fake.push_message(fake.message(chat, ann, "a paper plane 5s"))
                await fake.wait_for("sendVideo", lambda c: c.ok, timeout=30)
                fake.fail_next("sendMessage", 401, "Unauthorized")  # an error answer is logged in full
                fake.push_message(fake.message(chat, ann, "/balance"))
                await fake.wait_for("sendMessage", lambda c: c.status == 401, timeout=15)
                fake.push_message(fake.message(chat, ann, "/balance"))
                await fake.wait_for(
                    "sendMessage", lambda c: c.ok and "credits" in c.result["text"], timeout=15
                )
            finally:
                await stop(proc, 30)
    lines = log_path.read_text(errors="replace").splitlines()
    assert len(lines) > 20 and any("DEBUG" in line for line in lines)  # it did log, and verbosely
    leaks = [line for line in lines if SECRET in line or TOKEN in line]
    assert leaks == [], leaks[:5]
