"""Retrying model downloads: a few attempts with exponential backoff (tenacity) when the Hub cannot be
reached, and none when the answer is final (no such repo, revision or file, gated, offline mode).

Wraps any loading call; knows nothing about which model or pipeline it loads.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Final, TypeVar

from tenacity import Retrying, before_sleep_log, retry_if_exception, stop_after_attempt, wait_exponential

log = logging.getLogger(__name__)

T = TypeVar("T")

DOWNLOAD_ATTEMPTS: Final = 4
#: waits between attempts: 2 s, 4 s, 8 s ... capped at 30 s
FIRST_WAIT_S: Final = 2.0
MAX_WAIT_S: Final = 30.0


def with_retries(
    load: Callable[[], T],
    *,
    attempts: int = DOWNLOAD_ATTEMPTS,
    sleep: Callable[[float], None] | None = None,
) -> T:
    """`load()`, tried up to `attempts` times while it fails with a connection error (`is_transient`),
    waiting 2, 4, 8 ... s (`sleep`, default time.sleep) between tries. Returns what `load` returns;
    re-raises its last error (or at once any error that is not transient)."""
    retrying = Retrying(
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=FIRST_WAIT_S, max=MAX_WAIT_S),
        retry=retry_if_exception(is_transient),
        sleep=sleep or time.sleep,
        before_sleep=before_sleep_log(log, logging.WARNING),
        reraise=True,
    )
    return retrying(load)


def is_transient(exc: BaseException) -> bool:
    """True when `exc` (or an error it was raised from) says the Hub could not be reached: connect/read
    failures and timeouts. False when anything in the chain is a final answer (repository, revision or file
    not found, gated or disabled repository, an invalid id, offline mode) or nothing in it is a connection
    error (a corrupt file, out of memory, a bug)."""
    chain = list(_chain(exc))
    permanent, transient = _permanent_types(), _transient_types()
    if any(isinstance(e, permanent) for e in chain):
        return False
    return any(isinstance(e, transient) for e in chain)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and the errors it was raised from or while handling (diffusers wraps the Hub's errors)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _permanent_types() -> tuple[type[BaseException], ...]:
    from huggingface_hub import errors

    return (
        errors.RepositoryNotFoundError,  # GatedRepoError too
        errors.RevisionNotFoundError,
        errors.RemoteEntryNotFoundError,
        errors.DisabledRepoError,
        errors.HFValidationError,
        errors.OfflineModeIsEnabled,  # a ConnectionError, but the operator chose it
    )


def _transient_types() -> tuple[type[BaseException], ...]:
    types: list[type[BaseException]] = [ConnectionError, TimeoutError]
    from huggingface_hub import utils as hub_utils

    # the HTTP client huggingface_hub uses (httpx, or a fork of it in newer releases)
    hub_httpx = getattr(hub_utils, "httpx", None)
    if hub_httpx is not None:
        types.append(hub_httpx.TransportError)
    try:
        import httpx

        types.append(httpx.TransportError)
    except ImportError:
        pass
    try:
        import requests

        types += [requests.ConnectionError, requests.Timeout]
    except ImportError:
        pass
    return tuple(types)
