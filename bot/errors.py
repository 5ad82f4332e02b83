"""Every error a member can meet, as a value with a stable code, and the one point that turns any of
them (the bot's own, billing's, the parser's, the queue's) into an error Reply.

Raise these in use cases; the core's entry points translate. No text here: codes are message keys.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from billing.errors import BillingError
from bot.replies import ERROR, Reply, nested

log = logging.getLogger(__name__)


class BotError(Exception):
    """An error of the conversation core. `code` is its message key; `params` fill the message;
    `ephemeral`: only the asker needs to see it (a dead button, someone else's clip)."""

    code: str = "internal"
    ephemeral: bool = False

    def __init__(self, code: str | None = None, *, ephemeral: bool | None = None, **params: Any) -> None:
        self.code = code or type(self).code
        if ephemeral is not None:
            self.ephemeral = ephemeral
        self.params: dict[str, Any] = params
        super().__init__(f"{self.code} {params}" if params else self.code)


class Moderated(BotError):
    """Moderation refused the request (its words, an input image or clip, or the finished clip). params:
    why, the one-line reason (a nested message: moderation_<category>). The prompt is never logged."""

    code = "moderated"

    def __init__(self, reason: str = "custom") -> None:
        super().__init__(why=nested(f"moderation_{reason}"))
        self.reason = reason


class Banned(BotError):
    """An admin has stopped this member from making clips."""

    code = "banned"


class MissingInput(BotError):
    """The action needs a file it did not get. code: needs_image | needs_clip | needs_two_videos."""

    code = "needs_clip"


class ClipGone(BotError):
    """The clip an action works on no longer exists (failed, deleted, file removed)."""

    code = "clip_gone"


class ButtonInvalid(BotError):
    """A button that is forged, expired, used already, or someone else's."""

    code = "button_invalid"
    ephemeral = True


class NotAdmin(BotError):
    """An admin command from someone who is not an admin."""

    code = "not_admin"
    ephemeral = True


class NotOwner(BotError):
    """An action only the clip's author (or an admin) may take."""

    code = "not_owner"
    ephemeral = True


class RateLimited(BotError):
    """Too many requests in the window. params: seconds (the real wait until the next one is allowed)."""

    code = "rate_limited"

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds=seconds)
        self.seconds = seconds


class TooManyQueued(BotError):
    """The account already has its limit of jobs waiting. params: limit."""

    code = "queue_user_full"


class UnknownCommand(BotError):
    """A slash command the registry does not know."""

    code = "unknown_command"


class BadAmount(BotError):
    """An amount (credits) that is not a whole number in range."""

    code = "bad_amount"


class BadAttachment(BotError):
    """An attachment the bot cannot use. code: bad_attachment (params: detail) | attachment_too_large
    (params: size_mb, limit_mb) | unsupported_message."""

    code = "bad_attachment"


class BadOption(BotError):
    """A command option value the registry refuses (not a number, out of bounds, not a choice, missing).
    code: the option's message key; params: detail, or option and example."""

    code = "parse_bad_flag_value"


class PaymentsOff(BotError):
    """No payment channel sells credits here."""

    code = "payments_off"


class BadPack(BotError):
    """A payment for a pack that is not on offer (or at another price)."""

    code = "bad_pack"


class RefundUnsupported(BotError):
    """A payment refund for a member whose platform takes no payments."""

    code = "star_refund_needs_telegram"


class PaymentRefused(BotError):
    """The payment platform refused a refund. params: detail (the platform's words)."""

    code = "star_refund_failed"

    def __init__(self, detail: str) -> None:
        super().__init__(detail=detail)


class NotAClip(BotError):
    """A post named as a clip (a message link, a context menu) that is not one of the bot's clips."""

    code = "not_a_clip"
    ephemeral = True


class TipRefused(BotError):
    """A tip that cannot be given. code: tips_off | tip_self."""

    code = "tip_self"
    ephemeral = True


class NothingToCancel(BotError):
    """No job of this member to cancel (or not theirs)."""

    code = "nothing_to_cancel"
    ephemeral = True


def error_key(code: str) -> str:
    """The message key for a stable error code from anywhere: billing's, the parser's (bare or with
    `parse_`), an engine input check's (`input:<what>`), a job's failure code. Unknown: `parse_error`."""
    from bot.messages import has

    if code.startswith("input:"):
        key = "input_" + code.split(":", 1)[1]
        return key if has(key) else "bad_attachment"
    if has(code):
        return code
    if has("parse_" + code):
        return "parse_" + code
    return "parse_error"


def error_reply(exc: BaseException, **defaults: Any) -> Reply:
    """The member-facing Reply for `exc`. `defaults` fill params the error does not carry (e.g. the
    length of the text a parse error refers to). An unexpected exception is `internal` (nothing charged)."""
    if isinstance(exc, BotError):
        return Reply(exc.code, {**defaults, **exc.params}, kind=ERROR, ephemeral=exc.ephemeral)
    if isinstance(exc, BillingError):
        return Reply(error_key(exc.code), {**defaults, **exc.params}, kind=ERROR)
    # the parser and the queue are imported only by what uses them (the light CLI commands do not): an
    # exception of theirs means their module is loaded already
    parse_mod = sys.modules.get("bot.parse")
    if parse_mod is not None and isinstance(exc, parse_mod.ParseError):
        params = {"detail": str(exc), **defaults, **exc.params}
        key = "parse_" + exc.code
        return Reply(key if _has(key) else "parse_error", params, kind=ERROR)
    queue_mod = sys.modules.get("engine.queue")
    if queue_mod is not None and isinstance(exc, queue_mod.QueueFull):
        return Reply("queue_full", {"limit": exc.limit}, kind=ERROR)
    storage = storage_fault(exc)
    if storage is not None:  # the database or the disk: nothing was written, so nothing was charged
        return Reply(storage, {}, kind=ERROR)
    return Reply("internal", {}, kind=ERROR)


def failure_reply(user: str, exc: BaseException, **defaults: Any) -> Reply:
    """`error_reply` for a use case of `user` that failed with `exc`, logged where it is worth it: with a
    traceback when it is no domain error (a bug or an outage), in one line on a storage fault."""
    reply = error_reply(exc, **defaults)
    if reply.key == "internal":
        log.error("request by %s failed", user, exc_info=exc)
    elif reply.key in ("busy", "storage_full"):
        log.error("request by %s failed on storage: %s", user, exc)
    return reply


def storage_fault(exc: BaseException) -> str | None:
    """`busy` for a database another process kept locked past the busy timeout, `storage_full` for a
    full disk (the database's or the data folder's); None for anything else."""
    import errno
    import sqlite3

    text = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return "busy"
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and "full" in text:
        return "storage_full"
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "storage_full"
    return None


def _has(key: str) -> bool:
    from bot.messages import has

    return has(key)


class DeliveryFailed(Exception):
    """A channel could not post a clip (not a member's error: the core decides what happens next).

    `reason`: a short code for the log (never a token or a prompt); `retry_after`: seconds the platform
    asked us to wait (a 429); `permanent`: it never will (the bot was removed from the chat, the chat is
    gone); `uncertain`: the platform may have taken the upload (it timed out, or the answer was lost)."""

    def __init__(
        self,
        reason: str,
        *,
        retry_after: float | None = None,
        permanent: bool = False,
        uncertain: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent
        self.uncertain = uncertain
