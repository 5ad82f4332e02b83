"""Files a web member uploads with a message: each checked by what it contains (magic bytes, and an image
must open), never by its name or declared type, and kept to the core's size limit per kind while it
streams in. A refused upload leaves nothing on disk.

Produces the core's Attachment for each accepted file; the core still applies its own rules to them.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

from bot.intake import MAX_ATTACHMENT_BYTES
from bot.replies import Attachment

log = logging.getLogger(__name__)

#: bytes read before deciding what a file is
SNIFF_BYTES: Final = 32
#: form fields that carry files, and the kind each must be ("file": either)
FILE_FIELDS: Final = {"image": "image", "video": "video", "file": None}
MAX_FILES: Final = 2
#: everything but the files, in bytes (the text and a few ids)
MAX_FIELD_BYTES: Final = 16 * 1024


@dataclass(frozen=True)
class Sniffed:
    kind: str  # image | video
    ext: str
    mime: str


class UploadRefused(Exception):
    """An upload the web channel will not take. `code` is a message key, `status` the HTTP status."""

    def __init__(self, code: str, status: int, **params: Any) -> None:
        super().__init__(code)
        self.code, self.status, self.params = code, status, params


def sniff(head: bytes) -> Sniffed | None:
    """What the first bytes of a file say it is: PNG, JPEG, GIF, WebP, MP4 / MOV, WebM / Matroska; None
    for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image", "png", "image/png")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image", "jpg", "image/jpeg")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("image", "gif", "image/gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image", "webp", "image/webp")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return Sniffed(
            "video",
            "mov" if brand == b"qt  " else "mp4",
            "video/quicktime" if brand == b"qt  " else "video/mp4",
        )
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Sniffed("video", "webm", "video/webm")
    return None


class _Part(Protocol):
    """What the server hands over per form field (aiohttp's BodyPartReader fits)."""

    name: str | None
    filename: str | None

    async def read_chunk(self, size: int = ...) -> bytes: ...  # aiohttp: at least the boundary + 2


@dataclass
class Upload:
    """The fields of one message form: its text fields and the files that passed."""

    fields: dict[str, str] = field(default_factory=dict)
    files: list[tuple[Sniffed, Path, str, int]] = field(default_factory=list)  # kind, path, name, size

    def attachments(self) -> list[Attachment]:
        """The accepted files as the core's attachments (already on disk: fetching is handing the path)."""
        out = []
        for sniffed, path, name, size in self.files:

            async def fetch(_dest: Path, _path: Path = path) -> Path:
                return _path

            out.append(Attachment(sniffed.kind, name, sniffed.mime, size, fetch))
        return out

    def discard(self) -> None:
        """Remove the accepted files (the core refused the message: nothing of it stays)."""
        for _, path, _, _ in self.files:
            path.unlink(missing_ok=True)
        self.files.clear()


async def read_form(parts: Any, dest: Path) -> Upload:
    """Read a multipart form (an async iterator of parts, aiohttp's MultipartReader) into `dest`. Raises
    UploadRefused (attachment_too_large 413, bad_attachment 415, web_bad_form 400); on a refusal the
    files already written are removed."""
    upload = Upload()
    try:
        async for part in parts:
            await _read_part(part, dest, upload)
    except BaseException:
        upload.discard()
        raise
    return upload


async def _read_part(part: _Part, dest: Path, upload: Upload) -> None:
    name = part.name or ""
    if name not in FILE_FIELDS:
        value = await _read_text(part)
        upload.fields[name] = value
        return
    if len(upload.files) >= MAX_FILES:
        raise UploadRefused("web_bad_form", 400, detail=f"at most {MAX_FILES} files")
    head = b""
    while len(head) < SNIFF_BYTES:
        chunk = await part.read_chunk()  # the reader's own chunk size (it must cover the boundary)
        if not chunk:
            break
        head += chunk
    found = sniff(head[:SNIFF_BYTES])
    wanted = FILE_FIELDS[name]
    shown = (part.filename or name)[:80]
    if found is None or (wanted is not None and found.kind != wanted):
        raise UploadRefused(
            "bad_attachment",
            415,
            detail=f"{shown} is not {'an image' if wanted == 'image' else 'a video' if wanted == 'video' else 'an image or a video'}",
        )
    limit = MAX_ATTACHMENT_BYTES[found.kind]
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / f"{secrets.token_hex(8)}.{found.ext}"
    partial = path.with_suffix(path.suffix + ".part")
    size = len(head)
    try:
        with partial.open("wb") as out:
            out.write(head)
            while chunk := await part.read_chunk(256 * 1024):
                size += len(chunk)
                if size > limit:
                    raise UploadRefused(
                        "attachment_too_large", 413, size_mb=round(size / 2**20, 1), limit_mb=limit // 2**20
                    )
                out.write(chunk)
        if found.kind == "image":
            await asyncio.to_thread(_check_image, partial, shown)
        partial.rename(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    upload.files.append((found, path, shown, size))


async def _read_text(part: _Part) -> str:
    data = b""
    while chunk := await part.read_chunk():
        data += chunk
        if len(data) > MAX_FIELD_BYTES:
            raise UploadRefused("web_bad_form", 413, detail=f"field {part.name} is too long")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UploadRefused("web_bad_form", 400, detail=f"field {part.name} is not UTF-8 text") from None


def _check_image(path: Path, shown: str) -> None:
    """The image must open as what its bytes say (a PNG header on garbage does not pass)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        log.info("web upload %s refused: %s", shown, exc)
        raise UploadRefused("bad_attachment", 415, detail=f"{shown} is not an image that opens") from None
