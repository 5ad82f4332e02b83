"""Keeping secrets out of the log: a logging filter that blanks every configured secret (bot tokens, the web
token) in a record's message, its arguments and its traceback before any handler writes it.

Libraries log what they see (python-telegram-bot logs its Bot API URL, which holds the token, at DEBUG; an
HTTP error names the URL it failed on), so redaction happens at the handler, for every logger at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

MASK = "[redacted]"


class RedactSecrets(logging.Filter):
    """Replaces each of `secrets` (and the secret half of a Telegram token, after its colon) with MASK."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        found: set[str] = set()
        for secret in secrets:
            if secret and len(secret) >= 6:
                found.add(secret)
                _, sep, tail = secret.partition(":")
                if sep and len(tail) >= 6:
                    found.add(tail)
        self.secrets = sorted(found, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install(secrets: Iterable[str], logger: logging.Logger | None = None) -> RedactSecrets:
    """Put a RedactSecrets filter on every handler of `logger` (default: the root logger)."""
    target = logger or logging.getLogger()
    redactor = RedactSecrets(secrets)
    for handler in target.handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactSecrets)]:
            handler.removeFilter(old)  # started again in one process (tests): one filter, the new secrets
        handler.addFilter(redactor)
    return redactor
