"""Web channel: the Explore feed API with 10,000 clips in the database, and server-sent event fan-out to
200 open streams, both against a real `reelbot run` (a subprocess serving the web channel on a free port).

Run standalone: `.venv/bin/python bench/web.py [--clips 10000] [--requests 2000] [--streams 200]`.
Feed: GET /api/feed?limit=30 (first page, a deep page by cursor, top this week) from a client with 8
requests in flight (throughput; latency then includes waiting behind the other 7), and the first page one
request at a time (latency alone). Fan-out: one member with 200 open event streams (tabs) sends a chat message; the
time from sending it to each stream receiving the bot's answer. Prints a table, then as its very last
line one JSON object of the headline figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.feed import Feed  # noqa: E402
from engine.jobs import Job, JobStore  # noqa: E402
from reel.db import Database  # noqa: E402

PLATFORMS = ("telegram", "discord", "web")
PROMPTS = (
    "a red fox running through snow",
    "a lighthouse at night",
    "一只在雪地里奔跑的红狐狸",
    "a paper plane over a city",
    "waves crashing on black sand",
    "a tiny robot watering plants",
)


async def seed(data_dir: Path, clips: int) -> None:
    """`clips` finished public clips over the last 30 days (every 10th a remix of an earlier one, some with
    reactions), in the database `reelbot run` will open."""
    db = await Database.open(data_dir / "reelbot.db")
    jobs = await JobStore.open(db)
    feed = await Feed(db).open()
    rng = random.Random(7)
    now = time.time()
    rows: list[Job] = []
    for n in range(clips):
        finished = now - 86400 * 30 * (1 - n / clips) - 3600  # oldest first; none in the redelivery window
        platform_ = PLATFORMS[n % 3]
        owner = f"{platform_}:{rng.randrange(500)}"
        parent = rows[rng.randrange(len(rows))].id if rows and n % 10 == 0 else None
        rows.append(
            Job(
                id=f"{n:012x}",
                owner=owner,
                account=owner,
                action="remix" if parent else "create",
                request={
                    "action": "create",
                    "prompt": rng.choice(PROMPTS),
                    "seconds": 5,
                    "resolution": "480p",
                    "aspect": "16:9",
                    "variations": 1,
                    "mode": "fast",
                    "seed": n,
                    "audio": True,
                },
                spec={},
                price=25,
                state="done",
                created_at=finished - 30,
                started_at=finished - 20,
                finished_at=finished,
                result={
                    "path": f"/nowhere/{n}.mp4",
                    "paths": [f"/nowhere/{n}.mp4"],
                    "posters": [f"/nowhere/{n}.jpg"],
                    "width": 854,
                    "height": 480,
                    "seconds": 5.0,
                    "fps": 24,
                },
                origin={"platform": platform_, "chat_id": str(-100 - n % 7), "author": f"@member{n % 500}"},
                parent=parent,
            )
        )

    def insert(conn: Any) -> None:
        for job in rows:
            jobs.tx_add(conn, job)

    await db.transaction(insert)
    for n in range(0, clips, 7):
        for u in range(n % 5):
            await feed.record_reaction(rows[n].id, f"telegram:{u}", "👍")
    await db.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELBOT_")}
    env.update(
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
        REELBOT_DATA_DIR=str(data_dir),
        REELBOT_MODEL="tiny",
        REELBOT_WEB_PORT=str(port),
        REELBOT_LOG_LEVEL="WARNING",
    )
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"],
            cwd=data_dir.parent,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 120
    while "Reelbot is open at" not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit("reelbot run did not start:\n" + log.read_text(errors="replace")[-3000:])
        time.sleep(0.2)
    return proc


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def bench_feed(
    http: aiohttp.ClientSession, base: str, path: str, requests: int, in_flight: int
) -> dict[str, float]:
    """`requests` GETs of `path`, `in_flight` at a time: requests per second and latency percentiles."""
    latencies: list[float] = []
    sizes: list[int] = []
    todo = iter(range(requests))

    async def worker() -> None:
        for _ in todo:
            t0 = time.perf_counter()
            async with http.get(base + path) as r:
                body = await r.read()
                assert r.status == 200, body[:200]
            latencies.append(time.perf_counter() - t0)
            sizes.append(len(body))

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(in_flight)))
    wall = time.perf_counter() - started
    return {
        "rps": requests / wall,
        "p50_ms": pct(latencies, 50) * 1000,
        "p99_ms": pct(latencies, 99) * 1000,
        "kb": sum(sizes) / len(sizes) / 1024,
    }


async def bench_fanout(base: str, cookie: dict[str, str], streams: int, rounds: int) -> dict[str, float]:
    """One member, `streams` open event streams; each round a chat message; the time until each stream
    has the bot's answer."""
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, cookies=cookie) as http:
        arrivals: list[dict[int, float]] = [dict() for _ in range(rounds)]
        ready = asyncio.Event()
        opened = 0

        async def reader(i: int) -> None:
            nonlocal opened
            async with http.get(base + "/api/events", timeout=aiohttp.ClientTimeout(total=None)) as r:
                kind = None
                async for raw in r.content:
                    line = raw.decode().rstrip("\n")
                    if line.startswith("event: "):
                        kind = line[7:]
                    elif line.startswith("data: ") and kind == "hello":
                        opened += 1
                        if opened == streams:
                            ready.set()
                    elif line.startswith("data: ") and kind == "message":
                        data = json.loads(line[6:])
                        if data["role"] == "bot" and data["text"].startswith("💳"):
                            arrivals[current[0]][i] = time.perf_counter()  # rounds never overlap
                            if len(arrivals[current[0]]) == streams:
                                everyone.set()

        current = [0]
        everyone = asyncio.Event()  # every stream has this round's answer
        tasks = [asyncio.create_task(reader(i)) for i in range(streams)]
        await asyncio.wait_for(ready.wait(), 60)
        sent: list[float] = []
        latencies: list[float] = []
        for n in range(rounds):
            current[0] = n
            everyone.clear()
            t0 = time.perf_counter()
            sent.append(t0)
            async with http.post(base + "/api/messages", json={"text": "/balance"}) as r:
                assert r.status == 200
            try:
                await asyncio.wait_for(everyone.wait(), 10)
            except TimeoutError:
                raise SystemExit(
                    f"round {n}: {len(arrivals[n])} of {streams} streams got the answer"
                ) from None
            latencies += [t - t0 for t in arrivals[n].values()]
            await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    last = [max(a.values()) - s for a, s in zip(arrivals, sent, strict=True)]
    return {
        "streams": streams,
        "rounds": rounds,
        "p50_ms": pct(latencies, 50) * 1000,
        "p99_ms": pct(latencies, 99) * 1000,
        "all_p50_ms": pct(last, 50) * 1000,
        "all_max_ms": max(last) * 1000,
    }


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clips", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--in-flight", type=int, default=8)
    ap.add_argument("--streams", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="reelbot-bench-web-") as tmp:
        data = Path(tmp) / "data"
        t0 = time.perf_counter()
        await seed(data, args.clips)
        seeded_s = time.perf_counter() - t0
        port = free_port()
        proc = start_server(data, port, Path(tmp) / "run.log")
        base = f"http://127.0.0.1:{port}"
        try:
            async with aiohttp.ClientSession(
                cookie_jar=aiohttp.CookieJar(unsafe=True), connector=aiohttp.TCPConnector(limit=0)
            ) as http:
                async with http.get(base + "/api/feed?limit=30") as r:
                    first = await r.json()
                    assert len(first["items"]) == 30, first
                cursor = first["next_cursor"]
                for _ in range(args.clips // 60):  # a deep page: halfway down the feed
                    async with http.get(base + "/api/feed", params={"limit": 30, "cursor": cursor}) as r:
                        cursor = (await r.json())["next_cursor"]
                await bench_feed(http, base, "/api/feed?limit=30", 100, args.in_flight)  # warm-up
                results = {
                    "first page, 1 in flight": await bench_feed(
                        http, base, "/api/feed?limit=30", args.requests // 2, 1
                    ),
                    "first page": await bench_feed(
                        http, base, "/api/feed?limit=30", args.requests, args.in_flight
                    ),
                    "deep page (cursor)": await bench_feed(
                        http,
                        base,
                        f"/api/feed?limit=30&cursor={quote(cursor)}",
                        args.requests // 2,
                        args.in_flight,
                    ),
                    "top this week": await bench_feed(
                        http, base, "/api/feed?limit=30&filter=top", args.requests // 2, args.in_flight
                    ),
                }
                cookie = {c.key: c.value for c in http.cookie_jar}
            fanout = await bench_fanout(base, cookie, args.streams, args.rounds)
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{args.clips} clips seeded in {seeded_s:.1f} s; {args.in_flight} requests in flight"
    )
    print(f"{'GET /api/feed (30 clips)':<30} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'KiB':>6}")
    for name, r in results.items():
        print(f"{name:<30} {r['rps']:>8.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['kb']:>6.1f}")
    print(
        f"SSE fan-out: {fanout['streams']} streams x {fanout['rounds']} messages: per stream p50 "
        f"{fanout['p50_ms']:.1f} ms, p99 {fanout['p99_ms']:.1f} ms; all {fanout['streams']} reached p50 "
        f"{fanout['all_p50_ms']:.1f} ms, worst {fanout['all_max_ms']:.1f} ms"
    )
    head, alone = results["first page"], results["first page, 1 in flight"]
    print(
        json.dumps(
            {
                "clips": args.clips,
                "feed_rps": round(head["rps"], 1),
                "feed_p50_ms": round(head["p50_ms"], 2),
                "feed_p99_ms": round(head["p99_ms"], 2),
                "feed_p99_ms_1_in_flight": round(alone["p99_ms"], 2),
                "deep_p99_ms": round(results["deep page (cursor)"]["p99_ms"], 2),
                "top_p99_ms": round(results["top this week"]["p99_ms"], 2),
                "sse_streams": fanout["streams"],
                "sse_p50_ms": round(fanout["p50_ms"], 2),
                "sse_p99_ms": round(fanout["p99_ms"], 2),
                "sse_all_max_ms": round(fanout["all_max_ms"], 2),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
