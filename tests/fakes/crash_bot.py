"""A bot process for crash tests: submits one job whose render never finishes, then waits to be killed.

Usage: python -m tests.fakes.crash_bot DATA_DIR [TEXT]. Prints {"job": id} once the job is running.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from pathlib import Path

from bot.core import Core
from bot.replies import Context
from bot.settings import Settings
from tests.fakes.engines import FakeEngine


async def main(data_dir: Path, text: str) -> None:
    engine = FakeEngine(steps=10, real_video=False)
    engine.gate = threading.Event()  # never set: the render hangs until the process dies
    core = await Core.open(Settings(data_dir=data_dir, _env_file=None), engine)  # type: ignore[call-arg]
    await core.start()
    running = await core.jobs.of_owner("telegram:1", "queued", "running")
    if running:
        job_id = running[0].id
    else:
        reply = await core.handle_text(Context(user="telegram:1", origin={"platform": "none"}), text)
        job_id = reply.job_id or ""
    await asyncio.to_thread(engine.started.wait, 30)
    print(json.dumps({"job": job_id}), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "a cat 5s"))
