"""Model downloads are retried on connection errors only (engine/downloads.py), and the loader goes through
that policy. No network: fake loaders fail the way huggingface_hub and diffusers do."""

from __future__ import annotations

from typing import Any

import pytest

from engine.downloads import DOWNLOAD_ATTEMPTS, is_transient, with_retries


class FlakyLoader:
    """Fails with `errors` in turn, then returns "pipe"."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "pipe"


def _hub_error(cls: type[Exception], status: int) -> Exception:
    from huggingface_hub.utils import httpx as hub_httpx

    request = hub_httpx.Request("GET", "https://huggingface.co/api/models/nobody/nothing")
    return cls("404 Client Error: Repository Not Found", response=hub_httpx.Response(status, request=request))


def _connect_error() -> Exception:
    from huggingface_hub.utils import httpx as hub_httpx

    return hub_httpx.ConnectError("[Errno 111] Connection refused")


def test_two_connection_failures_then_success_waits_longer_each_time() -> None:
    waits: list[float] = []
    load = FlakyLoader(_connect_error(), ConnectionResetError("reset by peer"))
    assert with_retries(load, sleep=waits.append) == "pipe"
    assert load.calls == 3
    assert waits == [2.0, 4.0]  # exponential backoff


def test_repository_not_found_is_not_retried() -> None:
    from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

    for error in (_hub_error(RepositoryNotFoundError, 404), _hub_error(GatedRepoError, 401)):
        waits: list[float] = []
        load = FlakyLoader(error)
        with pytest.raises(RepositoryNotFoundError):
            with_retries(load, sleep=waits.append)
        assert load.calls == 1 and waits == []


def test_other_errors_are_not_retried() -> None:
    for error in (ValueError("bad config"), MemoryError(), OSError("disk full")):
        load = FlakyLoader(error)
        with pytest.raises(type(error)):
            with_retries(load, sleep=lambda s: None)
        assert load.calls == 1


def test_a_connection_that_never_comes_back_gives_up_with_the_last_error() -> None:
    waits: list[float] = []
    load = FlakyLoader(*[TimeoutError(f"timed out {i}") for i in range(10)])
    with pytest.raises(TimeoutError, match=f"timed out {DOWNLOAD_ATTEMPTS - 1}"):
        with_retries(load, sleep=waits.append)
    assert load.calls == DOWNLOAD_ATTEMPTS and len(waits) == DOWNLOAD_ATTEMPTS - 1


def test_the_cause_chain_decides_as_diffusers_wraps_hub_errors() -> None:
    from huggingface_hub.errors import OfflineModeIsEnabled, RepositoryNotFoundError

    def wrapped(cause: Exception) -> Exception:
        # what DiffusionPipeline.download raises when model_info failed and nothing is cached
        try:
            raise cause
        except Exception as exc:
            try:
                raise OSError("Cannot load model x: the model is not fully cached locally") from exc
            except OSError as outer:
                return outer

    assert is_transient(wrapped(_connect_error()))
    assert not is_transient(wrapped(_hub_error(RepositoryNotFoundError, 404)))
    assert not is_transient(OfflineModeIsEnabled("HF_HUB_OFFLINE=1"))  # a ConnectionError the operator chose
    assert not is_transient(OSError("plain"))


def test_the_loader_retries_a_dropped_download(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import diffusers

    from engine.loader import load_pipeline
    from engine.presets import get_preset

    class FakePipe:
        progress_disabled = False

        def set_progress_bar_config(self, disable: bool) -> None:
            self.progress_disabled = disable

    calls: list[dict[str, Any]] = []

    class FlakyPipeline:
        @classmethod
        def from_pretrained(cls, source: str, **kwargs: Any) -> FakePipe:
            calls.append({"source": source, **kwargs})
            if len(calls) < 3:
                raise _connect_error()
            return FakePipe()

    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    preset = get_preset("tiny")
    monkeypatch.setattr(diffusers, preset.pipeline, FlakyPipeline, raising=False)
    pipe = load_pipeline(preset, "some/repo", "float32")
    assert isinstance(pipe, FakePipe) and pipe.progress_disabled
    assert [c["source"] for c in calls] == ["some/repo"] * 3 and waits == [2.0, 4.0]
