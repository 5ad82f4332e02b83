"""The remote pool's dispatch through a real redis-server and worker processes (fake engine, real streaQ):
fair share and lanes across the pool, plan caps across workers, jobs routed to a worker whose model can
run them (or failed with a clear code and refunded), inputs and clips carried as bytes, and streaQ's
prefetch re-read failure reproduced, then shown not to happen with our set-up."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from streaq import Worker

from engine.remote_wire import dumps, loads
from tests.fakes.pool_rig import Bot, Workers
from tests.fakes.redis_server import RedisServer, available

pytestmark = pytest.mark.skipif(not available(), reason="needs redis-server (.ci/run installs it)")


@pytest.fixture
async def bot(redis: RedisServer, queue: str, tmp_path: Path) -> AsyncIterator[Bot]:
    b = await Bot.open(tmp_path, redis.url, queue, no_worker_after_s=0.5)
    yield b
    await b.close()


def intervals(workers: Workers, job_ids: set[str]) -> list[tuple[float, float]]:
    return [(r["start"], r["at"]) for r in workers.runs() if r["event"] == "end" and r["job"] in job_ids]


async def test_fair_share_and_lanes_hold_across_the_pool(bot: Bot, workers: Workers) -> None:
    # everything is queued before the pool has a worker, so the order is the scheduler's alone
    relaxed = [await bot.submit("discord:patient", lane="relaxed", max_running=5) for _ in range(2)]
    heavy = [await bot.submit("discord:heavy", max_running=5) for _ in range(5)]
    light = await bot.submit("telegram:light", max_running=5)
    workers.start("w1", steps=3, step_s=0.1)
    workers.start("w2", steps=3, step_s=0.1)
    for job in [*relaxed, *heavy, light]:
        assert (await bot.wait_final(job.id)).state == "done"
    order = bot.started_order()
    assert order.index(light.id) <= 1  # round-robin: the light account's one job is in the first pair
    assert set(order[-2:]) == {j.id for j in relaxed}  # every fast job starts before any relaxed one
    ran_on = {r["worker"] for r in workers.runs()}
    assert ran_on == {"w1", "w2"}
    assert await bot.balanced()


async def test_a_plan_cap_holds_across_workers(bot: Bot, workers: Workers) -> None:
    workers.start("w1", steps=3, step_s=0.1)
    workers.start("w2", steps=3, step_s=0.1)
    await bot.wait_workers(2)
    capped = [await bot.submit("telegram:free", max_running=1) for _ in range(3)]
    other = [await bot.submit("telegram:pro", max_running=5) for _ in range(3)]
    for job in [*capped, *other]:
        assert (await bot.wait_final(job.id)).state == "done"
    spans = sorted(intervals(workers, {j.id for j in capped}))
    assert len(spans) == 3
    assert all(prev_end <= start + 0.01 for (_, prev_end), (start, _) in zip(spans, spans[1:], strict=False))
    assert {r["worker"] for r in workers.runs() if r["job"] in {j.id for j in other}} == {"w1", "w2"}


async def test_progress_streams_back_and_clips_and_inputs_travel_as_bytes(
    bot: Bot, workers: Workers, tmp_path: Path
) -> None:
    workers.start("w1", steps=4, step_s=0.1)
    await bot.wait_workers(1)
    image = tmp_path / "still.png"
    image.write_bytes(b"\x89PNG fake image bytes")
    job = await bot.submit("web:ann", action="animate", images=[str(image)])
    done = await bot.wait_final(job.id)
    assert done.state == "done" and done.result is not None
    clip = Path(done.result["path"])
    assert clip.parent == tmp_path / "bot" / "clips" and clip.read_bytes() == b"fake mp4 " + job.id.encode()
    fractions = [e.fraction for e in bot.events if e.job.id == job.id and e.kind == "progress"]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) == 4
    assert bot.kinds(job.id)[0] == "started" and bot.kinds(job.id)[-1] == "done"
    assert await bot.movements(job.id) == ["hold", "capture"]


async def test_a_job_goes_to_a_worker_whose_model_can_run_it_or_fails_refunded(
    bot: Bot, workers: Workers
) -> None:
    workers.start("t2v", steps=2, step_s=0.05, operations="create,remix,recut", max_pixels=854 * 480)
    workers.start("i2v", steps=2, step_s=0.05, operations="animate,create", max_pixels=854 * 480)
    await bot.wait_workers(2)
    animate = await bot.submit("web:ann", action="animate")
    remix = await bot.submit("web:bob", action="remix")
    assert (await bot.wait_final(animate.id)).state == "done"
    assert (await bot.wait_final(remix.id)).state == "done"
    assert {r["worker"] for r in workers.runs() if r["job"] == animate.id} == {"i2v"}
    assert {r["worker"] for r in workers.runs() if r["job"] == remix.id} == {"t2v"}
    too_big = await bot.submit("web:cat", width=1920, height=1080, price=200)
    failed = await bot.wait_final(too_big.id)
    assert failed.state == "failed" and failed.error == "no_worker"
    assert await bot.movements(too_big.id) == ["hold", "refund"]
    assert not [r for r in workers.runs() if r["job"] == too_big.id]
    assert await bot.balanced()


# -- streaQ's prefetch / idle_timeout re-read ---------------------------------------------------------


async def _naive_streaq_reread(url: str, queue: str) -> tuple[Any, int]:
    """Two plain streaQ workers on one shared stream, concurrency 1 (so one prefetched message each) and
    a 1 s idle_timeout: the first takes a long task and prefetches a short one, the second reclaims the
    short one once it idled 1 s and finishes it; then the first reaches its stale copy."""
    runs: list[str] = []

    def naive() -> Worker[Any]:
        return Worker(
            redis_url=url,
            queue_name=queue,
            concurrency=1,
            idle_timeout=1.0,
            handle_signals=False,
            serializer=dumps,
            deserializer=loads,
        )

    worker_a, worker_b, client = naive(), naive(), naive()
    for w in (worker_a, worker_b):

        async def job(name: str, seconds: float) -> str:
            runs.append(name)
            await asyncio.sleep(seconds)
            return f"ok {name}"

        w.task(name="job", timeout=None, ttl=timedelta(minutes=5))(job)
    first = asyncio.create_task(worker_a.run_async())
    await asyncio.sleep(0.5)
    async with client:
        await client.enqueue_unsafe("job", "long", 2.5)
        short = await client.enqueue_unsafe("job", "short", 0.1)
        await asyncio.sleep(0.3)
        second = asyncio.create_task(worker_b.run_async())
        done = await client.result_by_id(short.id, timeout=10)
        assert done.success  # the second worker's run stored its result
        await asyncio.sleep(2.5)  # the first worker finishes "long", then meets its copy of "short"
        final = await client.result_by_id(short.id, timeout=5)
    for t in (first, second):
        t.cancel()
    await asyncio.gather(first, second, return_exceptions=True)
    return final, runs.count("short")


@pytest.mark.slow  # several seconds of worker runs
async def test_streaq_prefetch_reread_overwrites_a_finished_result(redis: RedisServer) -> None:
    final, short_runs = await _naive_streaq_reread(redis.url, f"naive{secrets.token_hex(3)}")
    assert short_runs == 1
    assert not final.success and "expired" in str(final.exception).lower()


@pytest.mark.slow  # several seconds of worker runs
async def test_our_prefetch_is_never_read_twice(redis: RedisServer, queue: str, tmp_path: Path) -> None:
    # the same trap: a 1 s idle_timeout, runs of 2 s, and each worker's next job handed over at once
    # (prefetch_at=0), so it waits a whole run, twice the idle_timeout, behind the one rendering
    workers = Workers(redis.url, queue, tmp_path)
    bot = await Bot.open(tmp_path, redis.url, queue, prefetch_at=0.0)
    try:
        workers.start("w1", steps=4, step_s=0.5, idle_timeout=1.0)
        workers.start("w2", steps=4, step_s=0.5, idle_timeout=1.0)
        await bot.wait_workers(2)
        jobs = [await bot.submit(f"web:u{i}", max_running=5) for i in range(4)]
        await bot.wait_for(lambda: sum(len(w["holds"]) for w in bot.queue.pool()) == 4, 10, "two held each")
        for job in jobs:
            done = await bot.wait_final(job.id, timeout=30)
            assert done.state == "done" and done.attempts == 1
        for job in jobs:
            starts = [r for r in workers.runs() if r["job"] == job.id and r["event"] == "start"]
            assert len(starts) == 1, workers.runs()
            assert await bot.movements(job.id) == ["hold", "capture"]
    finally:
        await bot.close()
        workers.stop_all()
