"""Abuse limits and authorization, tried the way an attacker would: bombs and fakes as uploads, paths out of
the upload folder, floods that must get one answer, per-member and per-chat limits with the real wait, and
members (or non-admins) acting on what is not theirs. Each attack must cost the member nothing."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image

from bot.core import Core
from bot.messages import render
from bot.replies import Attachment, Context
from bot.settings import Settings
from tests.fakes.engines import FakeEngine, write_mp4


@pytest.fixture
async def core(tmp_path: Path) -> AsyncIterator[Core]:
    s = Settings(data_dir=tmp_path / "data", _env_file=None, admins=["telegram:999"])  # type: ignore[call-arg]
    engine = FakeEngine(steps=1, real_video=False)
    c = await Core.open(s, engine)
    await c.start()
    yield c
    await c.close()


def ctx(user: str = "telegram:1", chat: str = "5") -> Context:
    return Context(user=user, origin={"platform": "test", "chat_id": chat})


def file_of(data: bytes, name: str, kind: str = "image", returns: str | None = None) -> Attachment:
    """An attachment whose download writes `data` (as `returns`, relative to the folder, if given)."""

    async def fetch(dest: Path) -> Path:
        path = dest / (returns or name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    return Attachment(kind, name, "image/png" if kind == "image" else "video/mp4", len(data), fetch)


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(out, "PNG")
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG file that claims `width` x `height`: what a decompression bomb looks like on the wire."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


async def nothing_charged(core: Core, user: str = "telegram:1") -> None:
    assert await core.jobs.of_owner(user) == []
    balance = await core.ledger.balance(user)
    assert (balance.available, balance.held) == (100, 0)


@pytest.mark.parametrize(
    ("attachment", "key"),
    [
        (file_of(png(1, 1), "dot.png"), "image_too_small"),
        (file_of(png(32, 400), "sliver.png"), "image_too_small"),
        (file_of(png_header(8000, 6000), "bomb.png"), "image_too_many_pixels"),
        (file_of(png_header(60000, 60000), "bigger-bomb.png"), "bad_attachment"),
        (file_of(b"%PDF-1.7 not a picture", "photo.png"), "attachment_not_image"),
        (file_of(b"<html><script>alert(1)</script>", "photo.jpg"), "attachment_not_image"),
        (file_of(b"\x7fELF\x02\x01\x01" + b"\0" * 64, "cat.webp"), "attachment_not_image"),
        (file_of(png(200, 200), "clip.mp4", "video"), "attachment_not_video"),
        (file_of(b"\0\0\0\x18ftypmp42" + b"\0" * 64, "broken.mp4", "video"), "bad_attachment"),
        (file_of(png(200, 200), "escape.png", returns="../../outside.png"), "bad_attachment"),
    ],
)
async def test_bad_uploads_are_refused_before_anything_is_held(
    core: Core, attachment: Attachment, key: str
) -> None:
    reply = await core.handle_message(ctx(), "animate this 5s", [attachment])
    assert reply is not None and reply.key == key, reply
    assert "{" not in render(reply)  # every placeholder filled
    await nothing_charged(core)
    uploads = core.settings.data_dir / "uploads"
    assert not any(p.is_file() for p in uploads.rglob("*")) if uploads.exists() else True  # nothing kept


async def test_a_real_image_of_fair_size_is_animated_and_charged_once(core: Core) -> None:
    reply = await core.handle_message(ctx(), "animate this 5s", [file_of(png(320, 240), "ok.png")])
    assert reply is not None and reply.kind == "queued" and reply.price == 25


async def test_an_input_clip_longer_than_the_cap_is_refused(core: Core, tmp_path: Path) -> None:
    long_clip = tmp_path / "long.mp4"
    write_mp4(long_clip, 16, 16, frames=125, fps=1)  # 125 s
    reply = await core.handle_message(
        ctx(),
        "blend these",
        [
            file_of(long_clip.read_bytes(), "long.mp4", "video"),
            file_of(long_clip.read_bytes(), "b.mp4", "video"),
        ],
    )
    assert reply is not None and reply.key == "video_too_long_input" and reply.params["limit"] == 120
    await nothing_charged(core)


async def test_more_attachments_than_any_action_uses_are_refused_unfetched(core: Core) -> None:
    fetched: list[str] = []

    async def fetch(dest: Path) -> Path:
        fetched.append("x")
        raise AssertionError("must not be fetched")

    many = [Attachment("image", f"{i}.png", "image/png", 10, fetch) for i in range(10)]
    reply = await core.handle_message(ctx(), "animate", many)
    assert reply is not None and reply.key == "too_many_attachments" and fetched == []


async def test_thirty_refused_requests_in_a_burst_get_one_answer(core: Core) -> None:
    await core.ledger.set_plan("telegram:1", "free")
    answers = [
        await core.handle_message(ctx(), "a cat 1080p 20s 4 variations --seed x", []) for _ in range(30)
    ]
    said = [a.key for a in answers if a is not None]
    assert said == ["parse_bad_seed", "rate_limited"]  # the refusal once, then "slow down" once: 2, not 30
    await nothing_charged(core)


async def test_a_flood_of_messages_is_told_to_slow_down_once_with_the_real_wait(core: Core) -> None:
    answers = [await core.handle_message(ctx(), "/balance", []) for _ in range(30)]
    said = [a for a in answers if a is not None]
    slow = [a for a in said if a.key == "rate_limited"]
    assert len(said) == 16 and len(slow) == 1  # 15 balances, one "slow down", then silence
    assert 1 <= slow[0].params["seconds"] <= 10
    other_member = await core.handle_message(ctx("telegram:2"), "/balance", [])
    assert other_member is not None and other_member.key == "balance"  # nobody else waits for the flooder


async def test_requests_are_limited_per_member_and_per_chat_with_the_real_wait(core: Core) -> None:
    core.generation.limiter.limit = 100  # only the chat's limit is under test here
    replies = [
        await core.handle_text(ctx(f"telegram:{100 + i}", chat="group"), "a fox 5s") for i in range(31)
    ]
    assert [r.kind for r in replies[:30]] == ["queued"] * 30
    assert replies[30].key == "rate_limited" and 1 <= replies[30].params["seconds"] <= 60
    elsewhere = await core.handle_text(ctx("telegram:200", chat="other"), "a fox 5s")
    assert elsewhere.kind == "queued"
    assert (await core.ledger.balance("telegram:130")).held == 0  # the refused one holds nothing


async def test_the_queue_cap_names_the_real_wait(core: Core) -> None:
    import threading

    engine = core.queue.backend._source  # the in-process engines (engine/backends.py)
    engine.gate = threading.Event()  # nothing finishes while we fill the queue
    try:
        await core.ledger.grant("telegram:1", 1000, "grant:test:1")
        for _ in range(10):
            assert (await core.handle_text(ctx(), "a fox 5s")).kind == "queued"
        full = await core.handle_text(ctx(), "a fox 5s")
        assert full.key == "queue_user_full"
        assert "first should be done in about" in render(full) and "{" not in render(full)
    finally:
        engine.gate.set()


async def test_members_cancel_and_delete_only_their_own(core: Core) -> None:
    import threading

    engine = core.queue.backend._source  # the in-process engines (engine/backends.py)
    engine.gate = threading.Event()
    made = await core.handle_text(ctx("telegram:1"), "a fox 5s")
    assert (await core.cancel(ctx("telegram:2"), made.job_id)).key == "nothing_to_cancel"
    assert (await core.press(ctx("telegram:2"), f"j:cancel:{made.job_id}")).key == "nothing_to_cancel"
    assert (await core.jobs.get(made.job_id)).state in ("queued", "running")
    engine.gate.set()
    for _ in range(500):
        job = await core.jobs.get(made.job_id)
        if job.final:
            break
        await __import__("asyncio").sleep(0.01)
    assert (await core.press(ctx("telegram:2"), f"j:del:{made.job_id}")).key == "not_owner"
    assert not (await core.jobs.get(made.job_id)).deleted
    assert (await core.press(ctx("telegram:999"), f"j:del:{made.job_id}")).key == "deleted"  # an admin may


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("grant", {"user": "telegram:1", "credits": "500"}),
        ("setplan", {"user": "telegram:1", "plan": "pro"}),
        ("refund", {"job": "0123456789ab"}),
        ("unlink", {"user": "telegram:1"}),
        ("userbalance", {"user": "telegram:2"}),
        ("ban", {"user": "telegram:2"}),
        ("unban", {"user": "telegram:2"}),
        ("review", {}),
        ("starrefund", {"user": "telegram:1", "charge": "x"}),
    ],
)
async def test_every_admin_action_is_refused_to_members_on_every_surface(
    core: Core, name: str, args: dict
) -> None:
    text = f"/{name} " + " ".join(str(v) for v in args.values())
    for reply in (
        await core.command(ctx(), name, args),
        await core.handle_text(ctx(), text),
        await core.handle_message(ctx(), text, []),
    ):
        assert reply is not None and reply.key == "not_admin", (name, reply)
    await nothing_charged(core)
    assert (await core.ledger.balance("telegram:1")).plan == "free"


async def test_a_message_delivered_twice_makes_one_job_and_one_hold(core: Core) -> None:
    message = Context(user="telegram:1", origin={"platform": "test", "chat_id": "5", "message_id": "77"})
    first = await core.handle_message(message, "a fox 5s", [])
    again = await core.handle_message(Context.from_dict(message.to_dict()), "a fox 5s", [])
    assert first is not None and first.kind == "queued"
    assert again is not None and again.key == "already_taken" and again.job_id == first.job_id
    assert len(await core.jobs.of_owner("telegram:1")) == 1
    assert (await core.ledger.balance("telegram:1")).available == 75
    other = await core.handle_message(
        Context(user="telegram:1", origin={**message.origin, "message_id": "78"}), "a fox 5s", []
    )
    assert other is not None and other.kind == "queued"  # another message is another request
