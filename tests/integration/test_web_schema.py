"""Schemathesis against the web channel's own OpenAPI document (/api/openapi.json): property-based
requests to every operation of a live web channel (the real WebAdapter and Core on 127.0.0.1, served from
a thread of its own), each answered with no 5xx, a documented status and content type, and a body that
matches the documented schema. A bounded number of examples per operation keeps it to seconds."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bot.adapters.web_operations import openapi
from tests.fakes.engines import FakeEngine
from tests.fakes.web_client import web_harness

#: examples per operation (about ten operations): a few seconds in all
EXAMPLES = 50

schema = schemathesis.openapi.from_dict(openapi())


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a running web channel; its event loop runs in a thread, as schemathesis' calls
    are blocking."""
    data = Path(tmp_path_factory.mktemp("web")) / "data"
    started = threading.Event()
    state: dict[str, object] = {}

    def serve() -> None:
        loop = asyncio.new_event_loop()

        async def main() -> None:
            stop = asyncio.Event()
            state["stop"], state["loop"] = stop, loop
            try:
                async with web_harness(data, FakeEngine(steps=2, step_s=0.01)) as h:
                    state["url"] = h.base
                    started.set()
                    await stop.wait()
            except BaseException as exc:  # the test should say why the server did not come up
                state["error"] = exc
                started.set()

        loop.run_until_complete(main())
        loop.close()

    thread = threading.Thread(target=serve, name="web-under-schemathesis", daemon=True)
    thread.start()
    assert started.wait(30), "the web channel did not start"
    if "error" in state:
        raise AssertionError(f"the web channel did not start: {state['error']!r}")
    try:
        yield str(state["url"])
    finally:
        loop, stop = state["loop"], state["stop"]
        loop.call_soon_threadsafe(stop.set)  # type: ignore[attr-defined]
        thread.join(30)


# the event stream never ends while the page is open: a blocking client cannot read it to its end (its
# events are read by tests/integration/test_web_api.py)
@schema.exclude(path="/api/events").parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_web_api_operation_answers_generated_requests_as_its_schema_says(case, live: str) -> None:
    case.call_and_validate(
        base_url=live,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
