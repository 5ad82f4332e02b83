"""What comes in with a message before it becomes a request: attachment rules, count and size limits, and
the download of what passes them into the data folder, where each file is checked for what it really is
(bot/intake_checks.py) before a request may use it.

The core decides; the channel only fetches (Attachment.fetch). No parsing, no money here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from bot.errors import BadAttachment
from bot.intake_checks import check_file
from bot.replies import Attachment, Context

log = logging.getLogger(__name__)
#: the largest attachment worth downloading, per kind (the engine re-checks pixels and duration)
MAX_ATTACHMENT_BYTES = {"image": 10 * 2**20, "video": 100 * 2**20}
#: attachments one message may bring (an album of 10 is Telegram's most; no action uses more than 2)
MAX_ATTACHMENTS = 4


def attachment_limit(kind: str, channel_limit: int | None = None) -> int:
    """Bytes an attachment of `kind` (image | video) may have, within what the channel can fetch."""
    limit = MAX_ATTACHMENT_BYTES.get(kind, MAX_ATTACHMENT_BYTES["image"])
    return min(limit, channel_limit) if channel_limit else limit


async def take_attachments(ctx: Context, attachments: Sequence[Attachment], dest: Path) -> None:
    """Check every attachment, download the usable ones into `dest` and add them to `ctx.images` /
    `ctx.videos`, in order. Raises BadAttachment (unsupported_message, too_many_attachments, bad_attachment,
    attachment_too_large, attachment_not_image / _video, image_too_small / _too_many_pixels,
    video_too_long_input) at the first that cannot be used; nothing larger than its limit is fetched."""
    if any(a.kind == "unsupported" for a in attachments):
        raise BadAttachment("unsupported_message")
    if len(attachments) > MAX_ATTACHMENTS:
        raise BadAttachment("too_many_attachments", limit=MAX_ATTACHMENTS)
    for a in attachments:
        if a.kind not in ("image", "video") or a.fetch is None:
            raise BadAttachment(detail=a.name)
        limit = attachment_limit(a.kind, ctx.max_download_bytes)
        if a.size is not None and a.size > limit:
            raise BadAttachment(
                "attachment_too_large", size_mb=round(a.size / 2**20, 1), limit_mb=limit // 2**20
            )
        dest.mkdir(parents=True, exist_ok=True)
        try:
            path = await a.fetch(dest)
        except Exception as exc:  # the platform refused (e.g. "file is too big" when it did not say the size)
            log.info("could not download %s for %s: %s", a.name, ctx.user, exc)
            raise BadAttachment(detail=a.name) from exc
        try:
            check_file(path, a.kind, dest, a.name)
        except BadAttachment:
            if path.resolve().is_relative_to(dest.resolve()):
                path.unlink(missing_ok=True)  # a file the bot will never use is not kept
            log.info("attachment %s of %s refused after download", a.kind, ctx.user)
            raise
        (ctx.images if a.kind == "image" else ctx.videos).append(path)
