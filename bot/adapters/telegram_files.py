"""Files between Telegram and the bot, both ways: what a member's message carries (an Attachment whose
`fetch` downloads it through getFile) and a finished clip's upload (sendVideo per variation).

Only the Bot API's file rules live here (what a photo, a video or a document is, the 20 / 50 MB cloud
limits, local mode); which files the bot takes and how big they may be is the core's decision.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from telegram import Bot, Document, Message, PhotoSize, ReplyParameters, Video
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.adapters.telegram_render import CAPTION_LIMIT, fit, html_text, keyboard, plain, thumbnail
from bot.adapters.telegram_transport import with_network_retries
from bot.replies import Attachment, Reply

log = logging.getLogger(__name__)

#: the cloud Bot API lets bots download files up to 20 MB and upload up to 50 MB
CLOUD_DOWNLOAD_LIMIT = 20 * 1024 * 1024
CLOUD_UPLOAD_LIMIT = 50 * 1024 * 1024
#: a self-hosted Bot API server (--local) lifts both to 2000 MB
LOCAL_FILE_LIMIT = 2000 * 1024 * 1024
IMAGE_MIME = re.compile(r"^image/(jpeg|png|webp)$")
VIDEO_MIME = re.compile(r"^video/")
#: seconds an upload may take before PTB gives up on it
UPLOAD_TIMEOUT = 120


def attachment(bot: Bot, m: Message) -> Attachment | None:
    """What `m` carries, described for the core (which checks it, then calls `fetch`); None: nothing."""
    for unreadable in ("sticker", "voice", "video_note", "audio", "animation"):
        if getattr(m, unreadable):  # named, so two different ones are two different refusals
            return Attachment("unsupported", unreadable)
    file: PhotoSize | Video | Document
    if m.photo:
        file, kind, name, suffix, mime = m.photo[-1], "image", "photo", ".jpg", "image/jpeg"
    elif m.video:
        file, kind, name, suffix = m.video, "video", m.video.file_name or "video", ".mp4"
        mime = m.video.mime_type or "video/mp4"
    elif m.document:
        mime = m.document.mime_type or ""
        file, name = m.document, m.document.file_name or mime or "file"
        if IMAGE_MIME.match(mime):
            kind, suffix = "image", "." + mime.split("/")[1]
        elif VIDEO_MIME.match(mime):
            kind, suffix = "video", ".mp4"
        else:
            return Attachment("other", name, mime, m.document.file_size)
    else:
        return None
    file_id = file.file_id
    # the unique id names the file: the same photo sent twice is one download
    stem = re.sub(r"[^A-Za-z0-9_-]", "_", file.file_unique_id)[:64]

    async def fetch(dest: Path) -> Path:
        path = dest / f"{stem}{suffix}"
        tg_file = await with_network_retries(bot.get_file, file_id)
        await with_network_retries(tg_file.download_to_drive, path)
        return path

    return Attachment(kind, name, mime, file.file_size, fetch)


async def upload_clip(
    bot: Bot, chat: int, reply: Reply, text: str, lang: str, where: dict[str, Any], *, local_mode: bool
) -> AsyncIterator[Message]:
    """sendVideo of each variation of `reply.clip` to `chat` (`where`: reply_parameters and
    message_thread_id), captioned `text`, keyboard and thumbnail on the first; yields each message sent.
    A caption or thumbnail Telegram refuses is dropped rather than the clip."""
    clip = reply.clip
    assert clip is not None
    thumb = None
    if clip.poster is not None and clip.poster.exists():
        thumb = await asyncio.to_thread(thumbnail, clip.poster)
    for i, path in enumerate([clip.path, *clip.extra_paths]):
        # a local-mode server reads the file itself; otherwise upload it (read off the event loop)
        video: Any = path if local_mode else await asyncio.to_thread(path.read_bytes)
        send: dict[str, Any] = {
            "chat_id": chat,
            "video": video,
            "filename": path.name,
            "duration": int(round(clip.seconds)),
            "width": clip.width,
            "height": clip.height,
            "supports_streaming": True,
            "reply_markup": keyboard(reply.buttons, lang) if i == 0 else None,
            "read_timeout": UPLOAD_TIMEOUT,
            "write_timeout": UPLOAD_TIMEOUT,
            **where,
        }
        try:
            sent = await with_network_retries(
                bot.send_video,
                caption=html_text(text, CAPTION_LIMIT),
                parse_mode=ParseMode.HTML,
                thumbnail=thumb if i == 0 else None,
                **send,
            )
        except BadRequest as exc:
            log.warning("telegram: clip %s refused (%s); posting it plain", clip.job_id, exc)
            sent = await with_network_retries(bot.send_video, caption=fit(plain(text), CAPTION_LIMIT), **send)
        yield sent


def quoting(reply_to: str | None, thread: str | None) -> dict[str, Any]:
    """The send parameters that quote message `reply_to` (if it is still there) inside forum topic `thread`."""
    params = None
    if reply_to:
        params = ReplyParameters(message_id=int(reply_to), allow_sending_without_reply=True)
    return {"reply_parameters": params, "message_thread_id": int(thread) if thread else None}
