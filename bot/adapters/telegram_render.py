"""How Reelbot looks on Telegram: message-table markup as Telegram HTML, lengths in UTF-16 units, keyboards
and video thumbnails within Telegram's rules.

Pure functions of their inputs: no Bot API calls here, and no wording (text comes from bot/messages.py).
"""

from __future__ import annotations

import html
import re
from io import BytesIO
from pathlib import Path
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup

from bot import buttons as codec
from bot.adapters.text_limits import fit, utf16_len  # noqa: F401  (utf16_len: re-exported, tests use it)
from bot.commands import menu
from bot.messages import label
from bot.replies import Button

#: Telegram counts these in UTF-16 code units, after markup is parsed
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_ANSWER_LIMIT = 200
#: a video thumbnail: JPEG, at most 320 px a side, under 200 kB
THUMB_SIDE = 320
THUMB_BYTES = 200 * 1024

_MARKUP = re.compile(r"`([^`\n]+)`|\*([^*`\n]+)\*")


def render(message: str) -> str:
    """The message table's light markup (`code`, *bold*) as Telegram HTML, everything else escaped."""
    out = html.escape(message, quote=False)
    # one pass, so a `code` span and a *bold* span can never cross (Telegram refuses unbalanced tags)
    return _MARKUP.sub(lambda m: f"<code>{m[1]}</code>" if m[1] is not None else f"<b>{m[2]}</b>", out)


def plain(message: str) -> str:
    """The message without its light markup, for places with no formatting (toasts, a fallback post)."""
    return re.sub(r"[`*]", "", message)


def html_text(message: str, limit: int = TEXT_LIMIT) -> str:
    """A message (or caption, with CAPTION_LIMIT) as the HTML to send with parse_mode HTML."""
    return render(fit(message, limit))


def toast(message: str) -> str:
    """A message as a callback answer: no markup, at most 200 units."""
    return fit(plain(message), CALLBACK_ANSWER_LIMIT)


def keyboard(rows: list[list[Button]], lang: str) -> InlineKeyboardMarkup | None:
    """Inline keyboard of `rows`: captions from the message table, data from the one button codec."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label(b, lang), callback_data=codec.encode(b)) for b in row] for row in rows]
    )


def _menu(lang: str, admin: bool = False) -> list[BotCommand]:
    return [BotCommand(name, about[:256]) for name, about in menu(lang, admin=admin)]


def command_menus(admins: list[str]) -> list[tuple[list[BotCommand], dict[str, Any]]]:
    """The `/` menus to publish (setMyCommands): the public commands in English (the default) and Chinese,
    and for each Telegram admin's private chat the admin commands too. Each: (commands, where)."""
    menus: list[tuple[list[BotCommand], dict[str, Any]]] = [
        (_menu("en"), {}),
        (_menu("zh"), {"language_code": "zh"}),
    ]
    for admin in admins:
        platform, _, ident = admin.partition(":")
        if platform == "telegram" and ident.lstrip("-").isdigit():
            scope = BotCommandScopeChat(int(ident))
            menus.append((_menu("en", admin=True), {"scope": scope}))
            menus.append((_menu("zh", admin=True), {"scope": scope, "language_code": "zh"}))
    return menus


def thumbnail(poster: Path) -> bytes | None:
    """A poster as Telegram wants a video thumbnail (JPEG, at most 320 px a side, under 200 kB); None when
    the poster cannot be read or will not fit."""
    from PIL import Image  # only a clip post needs Pillow

    try:
        with Image.open(poster) as source:
            im = source.convert("RGB")
            im.thumbnail((THUMB_SIDE, THUMB_SIDE))
            buf = BytesIO()
            im.save(buf, "JPEG", quality=80)
    except (OSError, ValueError):
        return None
    data = buf.getvalue()
    return data if len(data) < THUMB_BYTES else None
