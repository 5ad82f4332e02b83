"""Web uploads: the kind comes from the bytes (never the name), each kind has the core's size limit while
it streams in, an image must open, and a refusal leaves nothing on disk."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image

from bot.adapters.web_uploads import UploadRefused, read_form, sniff
from bot.intake import MAX_ATTACHMENT_BYTES


class Part:
    """A form field as aiohttp's BodyPartReader serves it: chunks of at most 8 KiB."""

    def __init__(self, name: str, data: bytes, filename: str | None = None) -> None:
        self.name, self.filename, self._data = name, filename, data

    async def read_chunk(self, size: int = 8192) -> bytes:
        chunk, self._data = self._data[:size], self._data[size:]
        return chunk


async def parts(*items: Part) -> AsyncIterator[Part]:
    for item in items:
        yield item


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def test_sniff_by_content() -> None:
    assert sniff(png()[:32]).kind == "image"  # type: ignore[union-attr]
    assert sniff(b"\xff\xd8\xff\xe0" + b"\0" * 28).ext == "jpg"  # type: ignore[union-attr]
    assert sniff(b"RIFF\0\0\0\0WEBPVP8 ").ext == "webp"  # type: ignore[union-attr]
    assert sniff(b"\0\0\0\x18ftypisom\0\0\0\0").kind == "video"  # type: ignore[union-attr]
    assert sniff(b"\0\0\0\x14ftypqt  \0\0\0\0").mime == "video/quicktime"  # type: ignore[union-attr]
    assert sniff(b"\x1a\x45\xdf\xa3\x01\0\0\0").ext == "webm"  # type: ignore[union-attr]
    for junk in (
        b"",
        b"hello world, a text file",
        b"%PDF-1.7\n",
        b"<svg xmlns='http://www.w3.org/2000/svg'>",
    ):
        assert sniff(junk) is None


async def test_a_good_form_keeps_its_files_and_fields(tmp_path: Path) -> None:
    upload = await read_form(
        parts(Part("text", "动起来 5秒".encode()), Part("image", png(), "cat.txt")), tmp_path
    )
    assert upload.fields == {"text": "动起来 5秒"}
    [(kind, path, name, size)] = upload.files
    assert kind.kind == "image" and path.suffix == ".png" and name == "cat.txt" and size == len(png())
    [attachment] = upload.attachments()
    assert attachment.kind == "image" and await attachment.fetch(tmp_path / "x") == path  # type: ignore[misc]
    upload.discard()
    assert not path.exists()


@pytest.mark.parametrize(
    ("field", "data", "code", "status"),
    [
        ("image", b"just text named cat.png" * 10, "bad_attachment", 415),
        ("image", b"\x89PNG\r\n\x1a\n" + b"\x01" * 500, "bad_attachment", 415),  # a PNG header on garbage
        ("video", png(), "bad_attachment", 415),  # an image where a video belongs
        ("image", b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_ATTACHMENT_BYTES["image"], "attachment_too_large", 413),
    ],
)
async def test_refused_uploads_leave_nothing(
    tmp_path: Path, field: str, data: bytes, code: str, status: int
) -> None:
    with pytest.raises(UploadRefused) as refused:
        await read_form(parts(Part("text", b"go"), Part("file", png()), Part(field, data, "x.png")), tmp_path)
    assert (refused.value.code, refused.value.status) == (code, status)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # the good file before it is gone too


async def test_too_many_files_and_long_fields_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UploadRefused) as refused:
        await read_form(parts(Part("file", png()), Part("file", png()), Part("file", png())), tmp_path)
    assert refused.value.status == 400
    with pytest.raises(UploadRefused) as refused:
        await read_form(parts(Part("text", b"x" * 20_000)), tmp_path)
    assert refused.value.status == 413
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
