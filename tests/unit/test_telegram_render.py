"""Telegram presentation helpers: HTML that Telegram accepts for any prompt, thumbnails within its rules."""

from __future__ import annotations

from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from bot.adapters.telegram_render import THUMB_BYTES, plain, render, thumbnail, utf16_len


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ok = True

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.ok = False


def balanced(html_text: str) -> bool:
    p = _Balance()
    p.feed(html_text)
    return p.ok and not p.stack


def test_markup_spans_never_cross() -> None:
    out = render("robot saying `hi*there` with *stars* <b>&")
    assert out == "robot saying <code>hi*there</code> with <b>stars</b> &lt;b&gt;&amp;"
    assert balanced(out)


@given(st.text(alphabet=st.sampled_from(list("ab `*<>&\n猫😀")), max_size=60))
def test_render_is_always_balanced(s: str) -> None:
    assert balanced(render(s))


def test_plain_drops_markup() -> None:
    assert plain("Reply with `make it night` *now*") == "Reply with make it night now"
    assert utf16_len("😀a") == 3


def test_thumbnail_fits_telegram_rules(tmp_path: Path) -> None:
    poster = tmp_path / "p.jpg"
    Image.effect_noise((1920, 1080), 80).convert("RGB").save(poster, "JPEG", quality=95)
    data = thumbnail(poster)
    assert data is not None and len(data) < THUMB_BYTES
    with Image.open(BytesIO(data)) as im:
        assert im.format == "JPEG" and max(im.size) <= 320 and im.size == (320, 180)
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not an image")
    assert thumbnail(junk) is None


async def test_updates_of_one_chat_run_in_order_and_chats_in_parallel() -> None:
    import asyncio

    from telegram import Chat, Message, Update

    from bot.adapters.telegram_transport import PerChatUpdates

    proc = PerChatUpdates()
    log: list[str] = []

    def upd(uid: int, chat_id: int) -> Update:
        msg = Message(
            message_id=uid, date=__import__("datetime").datetime.now(), chat=Chat(chat_id, "private")
        )
        return Update(uid, message=msg)

    async def work(name: str, delay: float) -> None:
        log.append(f"{name}+")
        await asyncio.sleep(delay)
        log.append(f"{name}-")

    await asyncio.gather(
        proc.process_update(upd(1, 10), work("a1", 0.05)),
        proc.process_update(upd(2, 10), work("a2", 0.0)),
        proc.process_update(upd(3, 20), work("b1", 0.0)),
    )
    assert log.index("a1-") < log.index("a2+")  # same chat: one after the other
    assert log.index("b1-") < log.index("a1-")  # another chat did not wait
    assert proc._locks == {}
