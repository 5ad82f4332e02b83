"""Two real `reelbot worker --model tiny` processes (the CLI, the tiny model on the CPU) behind a real
redis-server: fair share across them, real MP4 clips carried back as bytes, and a worker SIGKILLed
mid-job whose job is finished once by the other. Slow: each worker loads torch and the tiny model."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.remote_wire import split_task_id
from tests.fakes.pool_rig import ROOT, Bot
from tests.fakes.redis_server import RedisServer, available

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not available(), reason="needs redis-server (.ci/run installs it)"),
]


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    with RedisServer(tmp_path / "redis") as server:
        yield server


def start_worker(redis: RedisServer, queue: str, tmp: Path, name: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELBOT_")}
    env.update(
        PYTHONPATH=str(ROOT),
        REELBOT_QUEUE_URL=redis.url,
        REELBOT_QUEUE_NAME=queue,
        REELBOT_DATA_DIR=str(tmp / name),
        REELBOT_WORKER_HEARTBEAT_S="0.5",
        REELBOT_MODEL="tiny",
    )
    log = (tmp / f"{name}.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker", "--max-resolution", "480p"],
        cwd=tmp,
        env=env,
        stdout=log,
        stderr=log,
    )


async def test_two_tiny_workers_share_the_line_and_survive_a_kill(
    redis: RedisServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="engine.remote_dispatch")
    queue = f"tiny{secrets.token_hex(3)}"
    bot = await Bot.open(tmp_path, redis.url, queue)
    procs = [start_worker(redis, queue, tmp_path, f"w{i}") for i in range(2)]
    try:
        small = {"width": 480, "height": 480, "steps": 2, "watermark": False}
        heavy = [await bot.submit("discord:heavy", max_running=4, **small) for _ in range(4)]
        light = await bot.submit("telegram:light", **small)
        await bot.wait_workers(2, timeout=120)
        for job in [*heavy, light]:
            done = await bot.wait_final(job.id, timeout=120)
            assert done.state == "done" and done.result["model"] == "tiny"
            assert Path(done.result["path"]).read_bytes()[4:8] == b"ftyp"  # a real MP4
        # fair share decides the dispatch order (which engine starts first also depends on how fast each
        # worker loaded its model on this machine, so the dispatches are what is checked: the seats taken,
        # in order; the publishes after them run concurrently and may log in another order)
        dispatched = [r.args[0] for r in caplog.records if r.msg.startswith("job %s takes a seat on")]
        assert dispatched.index(light.id) <= 1, dispatched
        assert len({split_task_id(j.dispatch)[1] for j in [await bot.store.get(h.id) for h in heavy]}) == 2

        long = await bot.submit("web:ann", **{**small, "steps": 60})
        await bot.wait_for(lambda: "started" in bot.kinds(long.id), 60, "the long job to start")
        await asyncio.sleep(0.5)
        victim = split_task_id((await bot.store.get(long.id)).dispatch)[1]
        pid = next(w["pid"] for w in bot.queue.pool() if w["worker"] == victim)
        os.kill(pid, signal.SIGKILL)
        done = await bot.wait_final(long.id, timeout=120)
        assert done.state == "done" and done.attempts == 2
        assert split_task_id(done.dispatch)[1] != victim
        assert await bot.movements(long.id) == ["hold", "capture"]
        assert bot.kinds(long.id).count("done") == 1
        assert await bot.balanced()
    finally:
        await bot.close()
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
