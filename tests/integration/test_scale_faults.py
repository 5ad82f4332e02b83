"""Faults of the remote pool, through a real redis-server and worker processes (fake engine, real streaQ):
cancel of a running remote job, kill -9 of a worker mid-job (finished elsewhere or refunded, never both,
never twice), Redis restarted empty (nothing lost), the bot restarted while workers run (finished clips
still delivered), and a late result for a job already cancelled (discarded, credits stay refunded)."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from streaq import Worker

from engine.remote_wire import TASK_NAME, Names, dumps, loads
from tests.fakes.pool_rig import Bot, Workers
from tests.fakes.redis_server import RedisServer, available

pytestmark = pytest.mark.skipif(not available(), reason="needs redis-server (.ci/run installs it)")


@pytest.fixture
async def bot(redis: RedisServer, queue: str, tmp_path: Path) -> AsyncIterator[Bot]:
    b = await Bot.open(tmp_path, redis.url, queue, cancel_grace_s=0.5)
    yield b
    await b.close()


def starts(workers: Workers, job_id: str) -> list[str]:
    return [r["worker"] for r in workers.runs() if r["job"] == job_id and r["event"] == "start"]


async def running_on(bot: Bot, workers: Workers, job_id: str, nth: int = 1) -> str:
    """The worker that started `job_id`'s nth run (waits for it)."""
    await bot.wait_for(lambda: len(starts(workers, job_id)) >= nth, 20, f"run {nth} of {job_id}")
    return starts(workers, job_id)[nth - 1]


async def test_cancel_of_a_running_remote_job_stops_it_within_a_step(bot: Bot, workers: Workers) -> None:
    workers.start("w1", steps=40, step_s=0.1)
    await bot.wait_workers(1)
    job = await bot.submit("web:ann")
    await running_on(bot, workers, job.id)
    await asyncio.sleep(0.3)
    asked = time.monotonic()
    assert await bot.queue.cancel(job.id) == "cancelling"
    done = await bot.wait_final(job.id, timeout=10)
    took = time.monotonic() - asked
    assert done.state == "cancelled" and took < 2.0  # streaQ looks for aborts every 0.5 s, steps are 0.1 s
    ends = [r for r in workers.runs() if r["job"] == job.id and r["event"] == "end"]
    assert [r["outcome"] for r in ends] == ["EngineCancelled"] and ends[0]["at"] - ends[0]["start"] < 3.5
    assert await bot.movements(job.id) == ["hold", "refund"]
    after = await bot.submit("web:ann")  # the worker is free again
    assert (await bot.wait_final(after.id)).state == "done"


async def test_a_worker_killed_mid_job_is_replaced_once_then_the_job_finishes_elsewhere(
    bot: Bot, workers: Workers
) -> None:
    workers.start("w1", steps=10, step_s=0.15)
    workers.start("w2", steps=10, step_s=0.15)
    await bot.wait_workers(2)
    job = await bot.submit("web:ann")
    victim = await running_on(bot, workers, job.id)
    await asyncio.sleep(0.4)
    workers.kill(victim)
    done = await bot.wait_final(job.id, timeout=20)
    assert done.state == "done" and done.attempts == 2
    assert starts(workers, job.id) == [victim, {"w1": "w2", "w2": "w1"}[victim]]
    assert len(workers.finished_runs(job.id)) == 1
    assert await bot.movements(job.id) == ["hold", "capture"]
    assert bot.kinds(job.id).count("done") == 1 and "failed" not in bot.kinds(job.id)


@pytest.mark.slow  # several seconds of worker runs
async def test_a_job_whose_workers_die_twice_is_refunded_once(bot: Bot, workers: Workers) -> None:
    workers.start("w1", steps=10, step_s=0.15)
    workers.start("w2", steps=10, step_s=0.15)
    await bot.wait_workers(2)
    job = await bot.submit("web:ann", price=25)
    first = await running_on(bot, workers, job.id, 1)
    workers.kill(first)
    second = await running_on(bot, workers, job.id, 2)
    assert second != first
    workers.kill(second)
    failed = await bot.wait_final(job.id, timeout=20)
    assert failed.state == "failed" and failed.error == "interrupted"
    assert workers.finished_runs(job.id) == []
    assert await bot.movements(job.id) == ["hold", "refund"]
    assert (await bot.ledger.balance("web:ann")).held == 0
    assert await bot.balanced()


@pytest.mark.slow  # several seconds of worker runs
async def test_redis_restarted_empty_loses_nothing(queue: str, tmp_path: Path) -> None:
    with RedisServer(tmp_path / "redis") as redis:
        workers = Workers(redis.url, queue, tmp_path)
        bot = await Bot.open(tmp_path, redis.url, queue)
        try:
            workers.start("w1", steps=8, step_s=0.15)
            workers.start("w2", steps=8, step_s=0.15)
            await bot.wait_workers(2)
            jobs = [await bot.submit(f"web:u{i % 3}", max_running=5) for i in range(6)]
            await bot.wait_for(lambda: len(bot.started_order()) >= 2, 20, "two runs")
            await asyncio.sleep(0.3)
            redis.restart(down_s=0.3)
            for job in jobs:
                done = await bot.wait_final(job.id, timeout=40)
                assert done.state == "done"
                assert await bot.movements(job.id) == ["hold", "capture"]
                assert bot.kinds(job.id).count("done") == 1
                assert Path(done.result["path"]).exists()
            assert await bot.balanced()
        finally:
            await bot.close()
            workers.stop_all()


@pytest.mark.slow  # several seconds of worker runs
async def test_a_bot_restarted_while_workers_run_still_delivers_their_clips(
    redis: RedisServer, queue: str, tmp_path: Path, workers: Workers
) -> None:
    first = await Bot.open(tmp_path, redis.url, queue)
    workers.start("w1", steps=8, step_s=0.15)
    workers.start("w2", steps=8, step_s=0.15)
    await first.wait_workers(2)
    jobs = [await first.submit(f"web:u{i}", max_running=5) for i in range(5)]
    await first.wait_for(lambda: len(first.started_order()) >= 2, 20, "two runs")
    await first.close()  # the bot goes away; the workers finish what they hold meanwhile
    await asyncio.sleep(2.5)
    away = {r["job"] for r in workers.runs() if r["event"] == "end" and r["outcome"] == "done"}
    assert away  # some clips were finished while no bot listened
    second = await Bot.open(tmp_path, redis.url, queue)
    try:
        for job in jobs:
            done = await second.wait_final(job.id, timeout=30)
            assert done.state == "done" and Path(done.result["path"]).exists()
            assert len(starts(workers, job.id)) == 1  # nothing rendered twice
            assert await second.movements(job.id) == ["hold", "capture"]
        assert {e.job.id for e in second.events if e.kind == "done"} >= away
    finally:
        await second.close()


async def test_a_bot_stopped_before_its_worker_read_the_dispatch_leaves_it_for_the_next(
    redis: RedisServer, queue: str, tmp_path: Path, workers: Workers
) -> None:
    first = await Bot.open(tmp_path, redis.url, queue)
    workers.start("w1", steps=4, step_s=0.1, beat=1.0)
    await first.wait_workers(1)
    workers.procs["w1"].send_signal(signal.SIGSTOP)  # the dispatch will wait unread in its stream
    try:
        job = await first.submit("web:ann")
        await first.wait_for(
            lambda: first.queue.get(job.id) is not None and first.queue.get(job.id).dispatch,
            10,
            "the dispatch",
        )
        await asyncio.sleep(0.2)
        dispatch = (await first.store.get(job.id)).dispatch
        await first.close()
    finally:
        workers.procs["w1"].send_signal(signal.SIGCONT)
    second = await Bot.open(tmp_path, redis.url, queue)
    try:
        done = await second.wait_final(job.id, timeout=20)
        assert done.state == "done" and done.dispatch == dispatch and done.attempts == 1
        assert len(starts(workers, job.id)) == 1
        assert await second.movements(job.id) == ["hold", "capture"]
    finally:
        await second.close()


async def test_a_late_result_for_a_cancelled_job_is_discarded(
    bot: Bot, workers: Workers, redis: RedisServer, queue: str, tmp_path: Path
) -> None:
    workers.start("w1", steps=40, step_s=0.1)
    await bot.wait_workers(1)
    job = await bot.submit("web:ann", price=25)
    await running_on(bot, workers, job.id)
    dispatch = (await bot.store.get(job.id)).dispatch
    workers.procs["w1"].send_signal(signal.SIGSTOP)  # cut off: it cannot see the abort
    try:
        assert await bot.queue.cancel(job.id) == "cancelling"
        cancelled = await bot.wait_final(job.id, timeout=10)  # the bot stops waiting after its grace
        assert cancelled.state == "cancelled"
        # the worker comes back with a finished clip for that dispatch, as streaQ would store it
        late = {
            "f": TASK_NAME,
            "s": True,
            "r": {"outcome": "done", "clip": {}, "files": {}},
            "ct": 0,
            "et": 0,
            "st": 0,
            "ft": 0,
            "t": 1,
            "w": "w1",
        }
        names = Names(queue)
        client = Worker(redis_url=redis.url, queue_name=queue, serializer=dumps, deserializer=loads)
        async with client:
            await client.redis.set(names.result_key(dispatch), dumps(late))
            await client.redis.publish(names.result_pattern[:-1] + dispatch, dumps(late))
    finally:
        workers.procs["w1"].send_signal(signal.SIGCONT)
    await asyncio.sleep(1.5)
    assert (await bot.store.get(job.id)).state == "cancelled"
    assert await bot.movements(job.id) == ["hold", "refund"]
    assert (await bot.ledger.balance("web:ann")).held == 0
    assert not list((tmp_path / "bot" / "clips").glob(f"{job.id}*"))
    assert bot.kinds(job.id) == ["started", "cancelled"]
    await bot.close()
    again = await Bot.open(tmp_path, redis.url, queue)  # a restart does not collect it either
    await asyncio.sleep(0.5)
    assert (await again.store.get(job.id)).state == "cancelled" and again.events == []
    assert await again.movements(job.id) == ["hold", "refund"]
    await again.close()
