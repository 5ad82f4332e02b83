"""Fixtures the remote-pool tests share: one redis-server per module, a fresh queue name per test, and a
set of worker processes stopped after it (tests/integration/test_scale_*.py)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.pool_rig import Workers
from tests.fakes.redis_server import RedisServer


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def queue() -> str:
    return f"t{secrets.token_hex(4)}"


@pytest.fixture
def workers(redis: RedisServer, queue: str, tmp_path: Path) -> Iterator[Workers]:
    pool = Workers(redis.url, queue, tmp_path)
    yield pool
    pool.stop_all()
