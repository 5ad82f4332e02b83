"""What a downloaded attachment must be before a request may use it: its real type read from its first
bytes (never the name or the MIME type the member's client claimed), an image neither too small to
animate (a 1x1 pixel) nor a decompression bomb, a video no longer than the bot takes, and a path inside
the folder it was downloaded to.

Reads file headers only (Pillow's lazy open, PyAV's container header): nothing is decoded in full. Raises
BadAttachment; knows no platform and no money.
"""

from __future__ import annotations

from pathlib import Path

from bot.errors import BadAttachment

#: an image side shorter than this cannot be animated into anything worth paying for
MIN_IMAGE_SIDE = 64
#: more pixels than this is refused before any decoding (a decompression bomb is tiny on the wire)
MAX_IMAGE_PIXELS = 40_000_000
#: the longest input clip the bot takes (edits work on short clips)
MAX_VIDEO_SECONDS = 120.0
#: the file signatures the bot takes: what each kind may really be
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
_VIDEO_MAGIC = ((b"\x1a\x45\xdf\xa3", "webm"),)


def real_type(path: Path) -> str | None:
    """The file's type from its first bytes: png | jpeg | gif | webp | mp4 | webm, or None."""
    with path.open("rb") as f:
        head = f.read(16)
    for magic, name in _IMAGE_MAGIC + _VIDEO_MAGIC:
        if head.startswith(magic):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":  # ISO media: MP4, MOV, M4V, 3GP
        return "mp4"
    return None


def inside(path: Path, folder: Path) -> bool:
    """Is `path` (links resolved) inside `folder`?"""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def check_file(path: Path, kind: str, folder: Path, name: str) -> None:
    """Raise BadAttachment unless the downloaded `path` is a usable `kind` (image | video) inside
    `folder`. `name` is what the member sees it called."""
    if not inside(path, folder) or not path.is_file():
        raise BadAttachment(detail=name)
    found = real_type(path)
    if kind == "image":
        if found not in ("png", "jpeg", "gif", "webp"):
            raise BadAttachment("attachment_not_image", detail=name)
        _check_image(path, name)
    else:
        if found not in ("mp4", "webm"):
            raise BadAttachment("attachment_not_video", detail=name)
        _check_video(path, name)


def _check_image(path: Path, name: str) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:  # reads the header only
            width, height = im.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise BadAttachment(detail=name) from None
    if width * height > MAX_IMAGE_PIXELS:
        raise BadAttachment(
            "image_too_many_pixels", width=width, height=height, limit_mp=MAX_IMAGE_PIXELS // 1_000_000
        )
    if min(width, height) < MIN_IMAGE_SIDE:
        raise BadAttachment("image_too_small", width=width, height=height, min_side=MIN_IMAGE_SIDE)


def _check_video(path: Path, name: str) -> None:
    import av

    try:
        with av.open(str(path)) as container:  # the header: streams and duration
            if not container.streams.video:
                raise BadAttachment("attachment_not_video", detail=name)
            seconds = (container.duration or 0) / 1_000_000
    except BadAttachment:
        raise
    except Exception:
        raise BadAttachment(detail=name) from None
    if seconds > MAX_VIDEO_SECONDS:
        raise BadAttachment("video_too_long_input", seconds=round(seconds), limit=int(MAX_VIDEO_SECONDS))
