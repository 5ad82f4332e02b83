"""Files between Discord and the bot, both ways: what a member attached (an Attachment whose `fetch` saves
it from Discord's CDN), and which of a finished clip's files fit in one post under the channel's upload
limit (the rest is linked to the web channel's copy).

Only Discord's file rules live here; which files the bot takes, and how big, is the core's decision.
"""

from __future__ import annotations

import re
from pathlib import Path

import discord

from bot.replies import Attachment, ClipOut

#: what a server without boosts, and a DM, takes per message
DEFAULT_UPLOAD_LIMIT = discord.utils.DEFAULT_FILE_SIZE_LIMIT_BYTES
#: Discord puts at most 10 files on one message
MAX_FILES = 10
_IMAGE = re.compile(r"^image/(jpeg|png|webp|gif)$")
_VIDEO = re.compile(r"^video/")


def attachment(item: discord.Attachment) -> Attachment:
    """A member's upload, described for the core (which checks kind and size before calling `fetch`).
    The kind comes from what Discord says the file is, so a PDF given as the image is an `other`."""
    mime = (item.content_type or "").split(";")[0].strip().lower()
    if _IMAGE.match(mime):
        kind, suffix = "image", "." + mime.split("/")[1]
    elif _VIDEO.match(mime):
        kind, suffix = "video", Path(item.filename).suffix.lower() or ".mp4"
    else:
        return Attachment("other", item.filename, mime, item.size)

    async def fetch(dest: Path) -> Path:
        path = dest / f"{item.id}{suffix}"
        await item.save(path)
        return path

    return Attachment(kind, item.filename, mime, item.size, fetch)


def message_attachments(message: discord.Message) -> list[Attachment]:
    """What a message carries: its uploads, or a sticker the bot cannot read."""
    found = [attachment(a) for a in message.attachments]
    if message.stickers and not found:
        found.append(Attachment("unsupported", "sticker"))
    return found


def clip_files(clip: ClipOut, limit: int) -> tuple[list[discord.File], list[Path]]:
    """(files to upload, paths over the limit) of a clip and its variations: as many as fit in `limit`
    bytes together, in order, at most 10."""
    files: list[discord.File] = []
    over: list[Path] = []
    used = 0
    for index, path in enumerate([clip.path, *clip.extra_paths]):
        size = path.stat().st_size
        if len(files) < MAX_FILES and used + size <= limit:
            files.append(discord.File(path, filename=f"{clip.job_id}-{index}{path.suffix or '.mp4'}"))
            used += size
        else:
            over.append(path)
    return files, over
