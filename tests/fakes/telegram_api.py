"""A local Telegram Bot API server for tests: the HTTP contract of api.telegram.org, and what a test checks.

It answers ``/bot<token>/<method>`` (JSON, urlencoded or multipart bodies; method names case-insensitive)
and ``/file/bot<token>/<file_path>`` as Telegram does, with Telegram's own error JSON, and keeps what a test
asserts on: every call, each chat's messages with their edits and deletions, the bytes the bot uploaded.
It never imports python-telegram-bot, so what PTB sends and parses is checked against the Bot API, not
against PTB itself.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import io
import itertools
import json
import logging
import math
import mimetypes
import re
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from aiohttp import web

_LOGGER = logging.getLogger(__name__)

JSON = dict[str, Any]

#: Emoji a bot may set, and a user without Telegram Premium may react with (Bot API ``ReactionTypeEmoji``).
REACTION_EMOJI = frozenset(
    "👍 👎 ❤ 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 🌚 🌭 💯 🤣 ⚡ 🍌 🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 "
    "👻 👀 🎃 🙈 😇 😨 🤝 ✍ 🤗 🫡 🎅 🎄 ☃ 💅 🤪 🗿 🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷 😡".split()
) | {
    "\u2764\ufe0f\u200d\U0001f525",
    "\U0001f468\u200d\U0001f4bb",
    "\U0001f937\u200d\u2642\ufe0f",
    "\U0001f937\u200d\u2640\ufe0f",
}

#: Update types getUpdates leaves out unless ``allowed_updates`` names them (Bot API, getUpdates).
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # multipart uploads through the cloud Bot API
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile refuses bigger files
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same as a "
    "current content and reply markup of the message"
)

# Parameters that are strings in the Bot API even when they look like JSON ("123", "true", "[x]").
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "title",
        "description",
        "short_description",
        "name",
        "payload",
        "currency",
        "provider_token",
        "start_parameter",
        "callback_query_id",
        "pre_checkout_query_id",
        "shipping_query_id",
        "inline_query_id",
        "error_message",
        "telegram_payment_charge_id",
        "url",
        "file_id",
        "action",
        "parse_mode",
        "language_code",
        "business_connection_id",
        "message_effect_id",
        "emoji",
        "photo",
        "video",
        "animation",
        "document",
        "audio",
        "voice",
        "sticker",
        "video_note",
        "thumbnail",
        "cover",
        "inline_message_id",
        "secret_token",
        "ip_address",
        "photo_url",
        "question",
        "explanation",
    }
)

_MEDIA_KEYS = ("photo", "video", "animation", "document", "audio", "voice", "sticker")
_CONTENT_KEYS = frozenset(
    {
        "text",
        "entities",
        "caption",
        "caption_entities",
        "has_media_spoiler",
        "show_caption_above_media",
        *_MEDIA_KEYS,
    }
)

# kind -> (file_id prefix, file_path folder, default extension, default MIME type)
_FILE_KINDS: dict[str, tuple[str, str, str, str | None]] = {
    "photo": ("AgACAgIAAxkBAAI", "photos", ".jpg", "image/jpeg"),
    "video": ("BAACAgIAAxkBAAI", "videos", ".mp4", "video/mp4"),
    "animation": ("CgACAgIAAxkBAAI", "animations", ".mp4", "video/mp4"),
    "document": ("BQACAgIAAxkBAAI", "documents", "", None),
    "audio": ("CQACAgIAAxkBAAI", "music", ".mp3", "audio/mpeg"),
    "voice": ("AwACAgIAAxkBAAI", "voice", ".oga", "audio/ogg"),
    "sticker": ("CAACAgIAAxkBAAI", "stickers", ".webp", "image/webp"),
    "thumbnail": ("AAMCAgADGQEAAI", "thumbnails", ".jpg", "image/jpeg"),
}


class UploadedFile(NamedTuple):
    """One file part of a multipart request, as it arrived."""

    filename: str
    data: bytes
    content_type: str


@dataclass
class Call:
    """One HTTP request to ``/bot<token>/<method>``, recorded when its answer was sent.

    ``params`` holds the parameters decoded to their Bot API types (PTB JSON-encodes every non-string
    value in its forms), ``files`` the multipart file parts by part name.
    """

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    at: float
    http_method: str = "POST"
    status: int = 200
    response: JSON = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether Telegram's answer was ``{"ok": true}``."""
        return self.status == 200

    @property
    def result(self) -> Any:
        """The ``result`` of a successful call, else None."""
        return self.response.get("result")


@dataclass
class StoredFile:
    """A file the fake can serve through getFile and the file URL."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_path: str
    mime_type: str | None = None
    file_name: str | None = None
    fields: JSON = field(default_factory=dict)  # the Message fields that carry it, reused when re-sent by id
    info: JSON = field(default_factory=dict)  # what probing learned: container, codec, frames, fps


class BotAPIError(Exception):
    """An error answer, rendered exactly like Telegram's ``{"ok": false, ...}``."""

    def __init__(self, error_code: int, description: str, parameters: Mapping[str, Any] | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = dict(parameters or {})

    def body(self) -> JSON:
        """The JSON body Telegram sends for this error."""
        body: JSON = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str) -> BotAPIError:
    return BotAPIError(400, f"Bad Request: {description}")


@dataclass
class _Failure:
    error: BotAPIError
    times: int


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _clone(value: Any) -> Any:
    return copy.deepcopy(value)


def _decode_value(name: str, value: Any) -> Any:
    """Turn a form value back into its Bot API type: PTB sends ``json.dumps(value)`` for non-strings."""
    if not isinstance(value, str) or name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


# ---------------------------------------------------------------------------------------------------
# Text formatting: parse_mode and the entities Telegram detects on its own. Offsets are UTF-16 code units.


class _Text:
    """Accumulates plain text and entities with UTF-16 offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.entities: list[JSON] = []

    def add(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.length += _utf16_len(chunk)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.length > start:
            self.entities.append({"type": kind, "offset": start, "length": self.length - start, **extra})

    def result(self) -> tuple[str, list[JSON]]:
        return "".join(self.parts), self.entities


_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_ATTR = re.compile(r"""\s*([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_HTML_ESCAPE = re.compile(r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")


def _parse_html(source: str) -> tuple[str, list[JSON]]:
    """Telegram's HTML style: supported tags become entities, anything else is a 400 like Telegram's."""
    out = _Text()
    stack: list[tuple[str, int, dict[str, str]]] = []

    def at(index: int) -> int:
        return len(source[:index].encode())

    i = 0
    while i < len(source):
        char = source[i]
        if char == "<":
            end = source.find(">", i)
            inner = source[i + 1 : end] if end >= 0 else source[i + 1 :]
            if inner.startswith("/"):
                name = inner[1:].strip().lower()
                if end < 0 or not stack:
                    raise _bad(f'can\'t parse entities: Unexpected end tag "{name}" at byte offset {at(i)}')
                tag, start, attrs = stack.pop()
                if name != tag:
                    raise _bad(
                        f"can't parse entities: Unmatched end tag at byte offset {at(i)}, "
                        f'expected "</{tag}>", found "</{name}>"'
                    )
                if (
                    tag == "code"
                    and stack
                    and stack[-1][0] == "pre"
                    and attrs.get("class", "").startswith("language-")
                ):
                    stack[-1][2]["language"] = attrs["class"][len("language-") :]
                else:
                    kind = _HTML_TAGS[tag]
                    extra: dict[str, Any] = {}
                    if kind == "text_link":
                        extra["url"] = attrs.get("href", "")
                    elif kind == "pre" and attrs.get("language"):
                        extra["language"] = attrs["language"]
                    elif kind == "custom_emoji":
                        extra["custom_emoji_id"] = attrs.get("emoji-id", "")
                    elif kind == "blockquote" and "expandable" in attrs:
                        kind = "expandable_blockquote"
                    out.entity(kind, start, **extra)
            else:
                match = re.match(r"[a-zA-Z][\w-]*", inner)
                name = match.group(0).lower() if match else ""
                attrs = {
                    m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
                    for m in _HTML_ATTR.finditer(inner[match.end() :] if match else "")
                }
                if (
                    end < 0
                    or name not in _HTML_TAGS
                    or (name == "span" and attrs.get("class") != "tg-spoiler")
                ):
                    raise _bad(
                        f'can\'t parse entities: Unsupported start tag "{name}" at byte offset {at(i)}'
                    )
                stack.append((name, out.length, attrs))
            i = end + 1
        elif char == "&":
            match = _HTML_ESCAPE.match(source, i)
            if match:
                ref = match.group(1)
                named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
                if ref in named:
                    out.add(named[ref])
                else:
                    out.add(chr(int(ref[2:], 16) if ref.startswith("#x") else int(ref[1:])))
                i = match.end()
            else:
                out.add(char)
                i += 1
        else:
            out.add(char)
            i += 1
    if stack:
        raise _bad(f"can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1][0]}\"")
    return out.result()


_MD2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MD2_MARKERS = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}
_ENTITY_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "[": "TextUrl",
}


def _md_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def _find_unescaped(source: str, needle: str, start: int) -> int:
    i = start
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source.startswith(needle, i):
            return i
        i += 1
    return -1


def _parse_markdown_v2(source: str) -> tuple[str, list[JSON]]:
    """Telegram's MarkdownV2 style, including its rule that reserved characters must be escaped."""
    out = _Text()
    stack: list[tuple[str, int, int]] = []  # marker, text offset, source index
    quote_start: int | None = None

    def at(index: int) -> int:
        return len(source[:index].encode())

    i = 0
    while i < len(source):
        char = source[i]
        line_start = i == 0 or source[i - 1] == "\n"
        if char == "\\":
            if i + 1 < len(source) and 0 < ord(source[i + 1]) < 127:
                out.add(source[i + 1])
                i += 2
                continue
            raise _bad(
                "can't parse entities: Character '\\' is reserved and must be escaped with the preceding '\\'"
            )
        if char == "`":
            fence = "```" if source.startswith("```", i) else "`"
            close = _find_unescaped(source, fence, i + len(fence))
            if close < 0:
                name = "Pre" if fence == "```" else "Code"
                raise _bad(f"can't parse entities: Can't find end of {name} entity at byte offset {at(i)}")
            body = source[i + len(fence) : close]
            start = out.length
            if fence == "```":
                language = ""
                first, newline, rest = body.partition("\n")
                if newline and first and not any(c.isspace() for c in first):
                    language, body = first, rest
                out.add(_md_unescape(body))
                out.entity("pre", start, **({"language": language} if language else {}))
            else:
                out.add(_md_unescape(body))
                out.entity("code", start)
            i = close + len(fence)
            continue
        if char == "[":
            stack.append(("[", out.length, i))
            i += 1
            continue
        if char == "]" and stack and stack[-1][0] == "[" and source.startswith("(", i + 1):
            close = _find_unescaped(source, ")", i + 2)
            if close < 0:
                raise _bad(f"can't parse entities: Can't find end of a URL at byte offset {at(i + 1)}")
            _, start, _ = stack.pop()
            out.entity("text_link", start, url=_md_unescape(source[i + 2 : close]))
            i = close + 1
            continue
        if char in "*_~|":
            marker = "__" if source.startswith("__", i) else "||" if source.startswith("||", i) else char
            if marker == "|":
                raise _bad(
                    "can't parse entities: Character '|' is reserved and must be escaped with the preceding '\\'"
                )
            if stack and stack[-1][0] == marker:
                _, start, _ = stack.pop()
                out.entity(_MD2_MARKERS[marker], start)
            elif any(entry[0] == marker for entry in stack):
                open_index = next(entry[2] for entry in stack if entry[0] == marker)
                name = _ENTITY_NAMES[_MD2_MARKERS[marker]]
                raise _bad(
                    f"can't parse entities: Can't find end of {name} entity at byte offset {at(open_index)}"
                )
            else:
                stack.append((marker, out.length, i))
            i += len(marker)
            continue
        if char == ">" and line_start:
            if quote_start is None:
                quote_start = out.length
            i += 1
            continue
        if char == "\n" and quote_start is not None and not source.startswith(">", i + 1):
            out.entity("blockquote", quote_start)
            quote_start = None
        if char in _MD2_RESERVED:
            raise _bad(
                f"can't parse entities: Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        out.add(char)
        i += 1
    if quote_start is not None:
        out.entity("blockquote", quote_start)
    if stack:
        marker, _, index = stack[0]
        name = _ENTITY_NAMES["[" if marker == "[" else _MD2_MARKERS[marker]]
        raise _bad(f"can't parse entities: Can't find end of {name} entity at byte offset {at(index)}")
    return out.result()


def _parse_markdown(source: str) -> tuple[str, list[JSON]]:
    """Telegram's legacy Markdown style: *bold* _italic_ `code` ```pre``` [text](url), no nesting."""
    out = _Text()

    def unclosed(index: int) -> BotAPIError:
        offset = len(source[:index].encode())
        return _bad(f"can't parse entities: Can't find end of the entity starting at byte offset {offset}")

    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source) and source[i + 1] in "_*`[":
            out.add(source[i + 1])
            i += 2
        elif source.startswith("```", i):
            close = source.find("```", i + 3)
            if close < 0:
                raise unclosed(i)
            body, start = source[i + 3 : close], out.length
            language = ""
            first, newline, rest = body.partition("\n")
            if newline and first and " " not in first:
                language, body = first, rest
            out.add(body)
            out.entity("pre", start, **({"language": language} if language else {}))
            i = close + 3
        elif char in "*_`":
            close = source.find(char, i + 1)
            if close < 0:
                raise unclosed(i)
            start = out.length
            out.add(source[i + 1 : close])
            out.entity({"*": "bold", "_": "italic", "`": "code"}[char], start)
            i = close + 1
        elif char == "[":
            close = source.find("]", i + 1)
            if close < 0 or not source.startswith("(", close + 1) or source.find(")", close + 2) < 0:
                raise unclosed(i)
            url_end = source.find(")", close + 2)
            start = out.length
            out.add(source[i + 1 : close])
            out.entity("text_link", start, url=source[close + 2 : url_end])
            i = url_end + 1
        else:
            out.add(char)
            i += 1
    return out.result()


_AUTO_ENTITIES = (
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")),
    ("url", re.compile(r"(?<![\w@/])https?://[^\s<>\"]+")),
    ("mention", re.compile(r"(?<![\w@/])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*")),
)
_SOLID_ENTITIES = frozenset(
    {
        "code",
        "pre",
        "text_link",
        "text_mention",
        "url",
        "email",
        "bot_command",
        "mention",
        "hashtag",
        "custom_emoji",
    }
)


def _auto_entities(text: str, existing: Iterable[JSON] = ()) -> list[JSON]:
    """The entities Telegram adds by itself: /commands, @mentions, #hashtags, links (UTF-16 offsets)."""
    taken: list[tuple[int, int]] = [
        (e["offset"], e["offset"] + e["length"]) for e in existing if e.get("type") in _SOLID_ENTITIES
    ]
    found: list[JSON] = []
    candidates = []
    for kind, pattern in _AUTO_ENTITIES:
        for match in pattern.finditer(text):
            value = match.group(0)
            if kind == "url":
                value = value.rstrip(".,;:!?)'\"")
            candidates.append((match.start(), match.start() + len(value), kind))
    for start, end, kind in sorted(candidates):
        offset = _utf16_len(text[:start])
        length = _utf16_len(text[start:end])
        if any(offset < stop and offset + length > begin for begin, stop in taken):
            continue
        taken.append((offset, offset + length))
        found.append({"type": kind, "offset": offset, "length": length})
    return found


def _sorted_entities(entities: Iterable[JSON]) -> list[JSON]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def format_text(
    text: str, parse_mode: str | None = None, entities: list[JSON] | None = None
) -> tuple[str, list[JSON]]:
    """Apply ``parse_mode`` (or explicit ``entities``) as Telegram does.

    Returns the plain text and its entities, automatic ones (commands, mentions, links) included.
    Raises BotAPIError (400 "can't parse entities: ...") for markup Telegram would reject.
    """
    if entities:
        plain, parsed = text, [dict(e) for e in entities]
    elif parse_mode:
        mode = parse_mode.lower()
        if mode == "html":
            plain, parsed = _parse_html(text)
        elif mode == "markdownv2":
            plain, parsed = _parse_markdown_v2(text)
        elif mode == "markdown":
            plain, parsed = _parse_markdown(text)
        else:
            raise _bad("unsupported parse_mode")
    else:
        plain, parsed = text, []
    return plain, _sorted_entities(parsed + _auto_entities(plain, parsed))


# ---------------------------------------------------------------------------------------------------
# Media probing. PyAV and Pillow are imported lazily: without them the fake trusts what it is given.


def _probe_av(data: bytes) -> JSON | None:
    """What PyAV reads from ``data``: None without PyAV, ``{"readable": False}`` for unreadable bytes."""
    try:
        import av
    except ImportError:  # pragma: no cover - PyAV is a project dependency
        return None
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            result: JSON = {"readable": True, "container": container.format.name, "video": None}
            duration = container.duration / 1_000_000 if container.duration else 0.0
            video = container.streams.video[0] if container.streams.video else None
            if video is not None:
                context = video.codec_context
                rate = float(video.average_rate) if video.average_rate else 0.0
                if not duration and video.duration and video.time_base:
                    duration = float(video.duration * video.time_base)
                if not duration and video.frames and rate:
                    duration = video.frames / rate
                result["video"] = {
                    "width": context.width,
                    "height": context.height,
                    "codec": context.name,
                    "frames": video.frames,
                    "fps": rate,
                }
                first = next(container.decode(video), None)
                result["first_frame"] = first.to_image() if isinstance(first, av.VideoFrame) else None
            result["duration"] = duration
            return result
    except Exception:  # PyAV raises many error types (InvalidDataError, ValueError, ...)
        return {"readable": False}


def _seconds(duration: float) -> int:
    return int(math.floor(duration + 0.5))


def _jpeg(image: Any, max_side: int) -> tuple[bytes, int, int]:
    picture = image.convert("RGB")
    picture.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue(), picture.width, picture.height


# ---------------------------------------------------------------------------------------------------


class _Args:
    """The decoded parameters of one call, with Bot API-style complaints for missing or bad values."""

    def __init__(self, method: str, params: dict[str, Any], files: dict[str, UploadedFile]):
        self.method = method
        self.params = params
        self.files = files

    def get(self, name: str, default: Any = None) -> Any:
        value = self.params.get(name)
        return default if value is None else value

    def has(self, name: str) -> bool:
        return self.params.get(name) not in (None, "")

    def require(self, name: str) -> Any:
        if not self.has(name):
            raise _bad(f'parameter "{name}" is required')
        return self.params[name]

    def int(self, name: str, default: int | None = None) -> int | None:
        if not self.has(name):
            return default
        value = self.params[name]
        try:
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        except (TypeError, ValueError):
            raise _bad(f'field "{name}" must be of type Integer') from None

    def number(self, name: str, default: float = 0.0) -> float:
        if not self.has(name):
            return default
        try:
            return float(self.params[name])
        except (TypeError, ValueError):
            raise _bad(f'field "{name}" must be of type Number') from None

    def flag(self, name: str) -> bool:
        return self.params.get(name) in (True, 1, "true", "True", "1")

    def json(self, name: str) -> Any:
        value = self.params.get(name)
        if isinstance(value, str) and value:
            try:
                return json.loads(value)
            except ValueError:
                raise _bad(f"can't parse {name} JSON object") from None
        return value


_HANDLERS = {
    "getMe": "_get_me",
    "logOut": "_log_out",
    "close": "_close",
    "getUpdates": "_get_updates",
    "setWebhook": "_set_webhook",
    "deleteWebhook": "_delete_webhook",
    "getWebhookInfo": "_get_webhook_info",
    "setMyCommands": "_set_my_commands",
    "getMyCommands": "_get_my_commands",
    "deleteMyCommands": "_delete_my_commands",
    "setMyDescription": "_set_my_text",
    "getMyDescription": "_get_my_text",
    "setMyShortDescription": "_set_my_text",
    "getMyShortDescription": "_get_my_text",
    "setMyName": "_set_my_text",
    "getMyName": "_get_my_text",
    "setChatMenuButton": "_set_chat_menu_button",
    "getChatMenuButton": "_get_chat_menu_button",
    "sendMessage": "_send_message",
    "editMessageText": "_edit_message_text",
    "editMessageCaption": "_edit_message_caption",
    "editMessageReplyMarkup": "_edit_message_reply_markup",
    "editMessageMedia": "_edit_message_media",
    "deleteMessage": "_delete_message",
    "deleteMessages": "_delete_messages",
    "sendChatAction": "_send_chat_action",
    "sendPhoto": "_send_photo",
    "sendVideo": "_send_video",
    "sendAnimation": "_send_animation",
    "sendDocument": "_send_document",
    "sendMediaGroup": "_send_media_group",
    "copyMessage": "_copy_message",
    "forwardMessage": "_forward_message",
    "answerCallbackQuery": "_answer_callback_query",
    "sendInvoice": "_send_invoice",
    "answerPreCheckoutQuery": "_answer_pre_checkout_query",
    "refundStarPayment": "_refund_star_payment",
    "getFile": "_get_file",
    "setMessageReaction": "_set_message_reaction",
    "getChat": "_get_chat",
    "getChatMember": "_get_chat_member",
    "getChatAdministrators": "_get_chat_administrators",
}
_CANONICAL = {name.lower(): name for name in _HANDLERS}
_MY_TEXT_FIELDS = {
    "setMyDescription": "description",
    "getMyDescription": "description",
    "setMyShortDescription": "short_description",
    "getMyShortDescription": "short_description",
    "setMyName": "name",
    "getMyName": "name",
}


def _canonical_method(method: str) -> str:
    name = _CANONICAL.get(method.lower())
    if name is None:
        raise ValueError(f"the fake Bot API has no method {method!r}")
    return name


def _default_error_description(error_code: int, retry_after: int | None) -> str:
    if error_code == 429:
        return f"Too Many Requests: retry after {retry_after}"
    return {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden: bot was blocked by the user",
        404: "Not Found",
        409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        413: "Request Entity Too Large",
    }.get(error_code, "Internal Server Error")


class FakeTelegramAPI:
    """A Telegram Bot API server on 127.0.0.1 for tests.

    Use ``async with FakeTelegramAPI(token="123:ABC", bot_username="ReelBot") as fake:`` and point the bot
    at ``base_url=f"{fake.url}/bot"``, ``base_file_url=f"{fake.url}/file/bot"``. Build users, chats and
    updates with the builders (``user``, ``private_chat``, ``message``, ``callback_query``, ...), push them
    with ``push_update``, and assert on ``calls`` / ``wait_for`` / ``messages``.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "ReelBot",
        *,
        bot_first_name: str = "Reelbot",
        host: str = "127.0.0.1",
        port: int = 0,
    ):
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 1
        self.bot_username = bot_username
        self.bot_user: JSON = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._bound_port: int | None = None
        self._closing = False

        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], JSON] = {}
        self.deleted: list[tuple[int, int]] = []
        self.users: dict[int, JSON] = {}
        self.chats: dict[int, JSON] = {}
        self.members: dict[tuple[int, int], JSON] = {}
        self.blocked: set[int] = set()
        self.files: dict[str, StoredFile] = {}
        self.downloads: list[str] = []
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.bot_texts: dict[tuple[str, str], str] = {}
        self.menu_buttons: dict[int | None, JSON] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.callback_answers: dict[str, JSON] = {}
        self.pre_checkout_answers: dict[str, JSON] = {}
        self.invoices: dict[tuple[int, int], JSON] = {}
        self.charges: dict[str, JSON] = {}
        self.refunds: list[JSON] = []
        self.bot_reactions: dict[tuple[int, int], list[JSON]] = {}
        self.dropped_updates: list[tuple[JSON, str]] = []
        self.migrated: dict[int, int] = {}  # basic group id -> the supergroup it became
        self.webhook_url = ""
        self.allowed_updates: list[str] = []

        self._pending: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._file_numbers = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._next_message_id: dict[int, int] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._open_callback_queries: set[str] = set()
        self._open_pre_checkout_queries: set[str] = set()
        self._failures: dict[str, list[_Failure]] = {}
        self._claimed: set[int] = set()
        self._poll_generation = 0
        self._waiting_polls = 0
        self._poll_event = asyncio.Event()
        self._updates_event = asyncio.Event()
        self._calls_event = asyncio.Event()
        self._last_video_upload: bytes | None = None

    # ----------------------------------------------------------------------------------------------- server

    @property
    def url(self) -> str:
        """Root URL of the server, e.g. ``http://127.0.0.1:41234`` (no trailing slash)."""
        if self._bound_port is None:
            raise RuntimeError("FakeTelegramAPI is not started")
        return f"http://{self._host}:{self._bound_port}"

    async def start(self) -> FakeTelegramAPI:
        """Bind a free port on 127.0.0.1 and start answering; returns self."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self._bound_port = self._runner.addresses[0][1]
        self._closing = False
        return self

    async def stop(self) -> None:
        """Answer pending long polls with [] and shut the server down."""
        self._closing = True
        self._wake_pollers()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegramAPI:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        requested = request.match_info["method"]
        canonical = _CANONICAL.get(requested.lower())
        params: dict[str, Any] = {}
        files: dict[str, UploadedFile] = {}
        try:
            params, files = await self._read_request(request)
            if token != self.token:
                raise BotAPIError(401, "Unauthorized")
            if canonical is None:
                raise BotAPIError(404, "Not Found: method not found")
            failure = self._take_failure(canonical)
            if failure is not None:
                raise failure
            handler: Callable[[_Args], Any] = getattr(self, _HANDLERS[canonical])
            result = await handler(_Args(canonical, params, files))
            status, body = 200, {"ok": True, "result": result}
        except BotAPIError as error:
            status, body = error.error_code, error.body()
        body = _clone(body)
        self._record(
            Call(
                method=canonical or requested,
                params=params,
                files=files,
                at=time.time(),
                http_method=request.method,
                status=status,
                response=_clone(body),
            )
        )
        if status != 200:
            _LOGGER.debug("fake Telegram %s -> %s %s", requested, status, body.get("description"))
        return web.json_response(body, status=status)

    async def _read_request(self, request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if request.body_exists:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise _bad("can't parse JSON") from None
                if not isinstance(body, dict):
                    raise _bad("can't parse JSON")
                raw.update(body)
            elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                try:
                    form = await request.post()
                except web.HTTPRequestEntityTooLarge:
                    raise BotAPIError(413, "Request Entity Too Large") from None
                for name, value in form.items():
                    if isinstance(value, web.FileField):
                        files[name] = UploadedFile(
                            value.filename or name,
                            value.file.read(),
                            value.content_type or "application/octet-stream",
                        )
                    else:
                        raw[name] = value
        return {name: _decode_value(name, value) for name, value in raw.items()}, files

    async def _handle_file(self, request: web.Request) -> web.Response:
        stored = self._files_by_path.get(request.match_info["path"])
        if request.match_info["token"] != self.token or stored is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        self.downloads.append(stored.file_path)
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    # ------------------------------------------------------------------------------------ test helpers

    def calls_to(self, method: str) -> list[Call]:
        """Every recorded call to ``method`` (any letter case), oldest first."""
        name = _canonical_method(method)
        return [call for call in self.calls if call.method == name]

    async def wait_for(
        self, method: str, predicate: Callable[[Call], bool] | None = None, timeout: float = 10.0
    ) -> Call:
        """The oldest call to ``method`` matching ``predicate`` that no earlier wait_for returned.

        Waits for it up to ``timeout`` seconds, so successive ``wait_for("sendMessage")`` walk through
        successive messages. Raises TimeoutError listing the calls seen so far.
        """
        name = _canonical_method(method)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for call in self.calls:
                if (
                    call.method == name
                    and id(call) not in self._claimed
                    and (predicate is None or predicate(call))
                ):
                    self._claimed.add(id(call))
                    return call
            remaining = deadline - loop.time()
            if remaining <= 0:
                seen = [f"{c.method}:{c.status}" for c in self.calls if c.method != "getUpdates"]
                raise TimeoutError(f"no matching {name} call within {timeout}s; calls so far: {seen}")
            event = self._calls_event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass

    async def wait_for_poll(self, timeout: float = 10.0) -> None:
        """Return once a getUpdates long poll is waiting here, i.e. the bot is listening for updates.

        Raises TimeoutError if none is waiting within ``timeout`` seconds.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._waiting_polls:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no getUpdates long poll waiting within {timeout}s")
            event = self._poll_event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        *,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with Telegram's error JSON instead of running them.

        A 429 carries ``parameters.retry_after`` (default 1) and the description "Too Many Requests: retry
        after N"; other codes get Telegram's usual description unless one is given.
        """
        name = _canonical_method(method)
        parameters: JSON = {}
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        error = BotAPIError(
            error_code, description or _default_error_description(error_code, retry_after), parameters
        )
        self._failures.setdefault(name, []).append(_Failure(error, times))

    def _take_failure(self, method: str) -> BotAPIError | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure.error

    def last_video_bytes(self) -> bytes:
        """The bytes of the last video the bot uploaded (sendVideo, sendMediaGroup, editMessageMedia)."""
        if self._last_video_upload is None:
            raise LookupError("the bot has not uploaded a video")
        return self._last_video_upload

    def chat_history(self, chat: JSON | int) -> list[JSON]:
        """The chat's messages that still exist, in message_id order, as they are now (edits applied)."""
        chat_id = chat["id"] if isinstance(chat, dict) else chat
        return [self.messages[key] for key in sorted(k for k in self.messages if k[0] == chat_id)]

    def last_message(self, chat: JSON | int) -> JSON:
        """The newest message in the chat that still exists."""
        history = self.chat_history(chat)
        if not history:
            raise LookupError(f"no messages in chat {chat}")
        return history[-1]

    def commands_for(self, language_code: str = "", scope: JSON | None = None) -> list[JSON] | None:
        """The commands set for ``scope`` (default scope when None) and ``language_code``; None if unset."""
        return self.commands.get((self._scope_key(scope), language_code))

    def block(self, user: JSON | int) -> None:
        """Make the user block the bot: sending to them answers 403 like Telegram."""
        self.blocked.add(user["id"] if isinstance(user, dict) else user)

    def set_member(self, chat: JSON, user: JSON, status: str = "member", **fields: Any) -> JSON:
        """Set ``user``'s ChatMember status in ``chat`` ("creator", "administrator", "member", "left", ...)."""
        member: JSON = {"status": status, "user": _clone(user)}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(
                can_be_edited=False,
                is_anonymous=False,
                can_manage_chat=True,
                can_delete_messages=True,
                can_manage_video_chats=False,
                can_restrict_members=False,
                can_promote_members=False,
                can_change_info=False,
                can_invite_users=True,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
            )
        member.update(fields)
        self.members[(chat["id"], user["id"])] = member
        return _clone(member)

    def make_bot_admin(self, chat: JSON) -> JSON:
        """Promote the bot to administrator in ``chat`` (needed there for message_reaction updates)."""
        return self.set_member(chat, self.bot_user, "administrator")

    # ---------------------------------------------------------------------------------------- builders

    def user(
        self,
        id: int,
        first_name: str,
        username: str | None = None,
        language_code: str | None = "en",
        *,
        last_name: str | None = None,
        is_premium: bool | None = None,
    ) -> JSON:
        """A Bot API User (a person, not a bot), remembered for getChatMember."""
        user: JSON = {"id": id, "is_bot": False, "first_name": first_name}
        if last_name is not None:
            user["last_name"] = last_name
        if username is not None:
            user["username"] = username
        if language_code is not None:
            user["language_code"] = language_code
        if is_premium is not None:
            user["is_premium"] = is_premium
        self.users[id] = user
        return _clone(user)

    def private_chat(self, user: JSON) -> JSON:
        """The private Chat between the bot and ``user``, registered so the bot may send to it."""
        chat: JSON = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if key in user:
                chat[key] = user[key]
        self.chats[chat["id"]] = chat
        self.users.setdefault(user["id"], _clone(user))
        return _clone(chat)

    def group_chat(
        self,
        id: int,
        title: str,
        type: str = "supergroup",
        *,
        username: str | None = None,
        is_forum: bool = False,
    ) -> JSON:
        """A group or supergroup Chat (negative id) the bot is a member of; ``is_forum``: a supergroup with
        topics (messages in a topic carry ``message_thread_id`` and ``is_topic_message``)."""
        if id >= 0:
            raise ValueError("group chat ids are negative (supergroups: -100...)")
        if type not in ("group", "supergroup", "channel"):
            raise ValueError(f"not a group chat type: {type}")
        if is_forum and type != "supergroup":
            raise ValueError("only supergroups have topics")
        chat: JSON = {"id": id, "title": title, "type": type}
        if username is not None:
            chat["username"] = username
        if is_forum:
            chat["is_forum"] = True
        self.chats[id] = chat
        self.members.setdefault((id, self.bot_id), {"status": "member", "user": _clone(self.bot_user)})
        return _clone(chat)

    def migrate_chat(self, chat: JSON, new_id: int) -> JSON:
        """Upgrade the basic group ``chat`` to a supergroup with id ``new_id`` (its members come along), as
        Telegram does when a group grows: from then on every call naming the old id fails with 400
        "group chat was upgraded to a supergroup chat" and ``parameters.migrate_to_chat_id``. Returns the
        new supergroup Chat."""
        if chat.get("type") != "group":
            raise ValueError("only basic groups are upgraded to supergroups")
        if not str(new_id).startswith("-100"):
            raise ValueError("supergroup ids start with -100")
        new: JSON = {"id": new_id, "title": chat["title"], "type": "supergroup"}
        self.chats[new_id] = new
        for (chat_id, user_id), member in list(self.members.items()):
            if chat_id == chat["id"]:
                self.members[(new_id, user_id)] = _clone(member)
        self.migrated[chat["id"]] = new_id
        return _clone(new)

    def add_file(
        self,
        data: bytes,
        kind: str = "photo",
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        width: int | None = None,
        height: int | None = None,
        duration: int | None = None,
        emoji: str | None = None,
    ) -> Any:
        """Register a file as if a user had sent it, downloadable through getFile and the file URL.

        ``kind`` is "photo", "video", "animation", "document", "audio", "voice" or "sticker". Returns the
        Bot API object a Message carries: a PhotoSize list (smallest first; the largest serves ``data``
        unchanged) for photos, else a Video / Animation / Document / Audio / Voice / Sticker dict.
        Raises ValueError for bytes Telegram would not accept as that kind.
        """
        overrides = {"width": width, "height": height, "duration": duration, "emoji": emoji}
        upload = UploadedFile(file_name or "", data, mime_type or "")
        try:
            fields = self._media_fields(kind, upload, overrides=overrides, strict=True)
        except BotAPIError as error:
            raise ValueError(error.description) from None
        return _clone(fields[kind])

    def message(
        self,
        chat: JSON,
        from_user: JSON | None,
        text: str | None = None,
        *,
        entities: list[JSON] | None = None,
        caption: str | None = None,
        caption_entities: list[JSON] | None = None,
        photo: Any = None,
        video: Any = None,
        document: Any = None,
        animation: Any = None,
        sticker: Any = None,
        voice: Any = None,
        reply_to: JSON | int | None = None,
        media_group_id: str | None = None,
        date: int | None = None,
        **extra: Any,
    ) -> JSON:
        """A Message from ``from_user`` in ``chat``, stored under the chat's next message_id.

        Without ``entities``, Telegram's automatic entities are computed with UTF-16 offsets: a
        ``bot_command`` for "/cmd" or "/cmd@Bot", ``mention`` for @usernames, ``hashtag``, ``url``. Media
        arguments take what ``add_file`` returned, or raw bytes (registered as that kind). ``extra`` adds
        other Message fields verbatim.
        """
        fields: JSON = {}
        if text is not None:
            fields["text"] = text
            parsed = entities if entities is not None else _auto_entities(text)
            if parsed:
                fields["entities"] = _clone(parsed)
        for kind, value in (
            ("photo", photo),
            ("video", video),
            ("animation", animation),
            ("document", document),
            ("sticker", sticker),
            ("voice", voice),
        ):
            if value is None:
                continue
            if isinstance(value, bytes | bytearray):
                value = self.add_file(bytes(value), kind)
            fields[kind] = _clone(value)
            if kind == "animation":
                stored = self.files[value["file_id"]]
                fields["document"] = _clone(stored.fields.get("document", {}))
        if caption is not None:
            fields["caption"] = caption
            parsed = caption_entities if caption_entities is not None else _auto_entities(caption)
            if parsed:
                fields["caption_entities"] = _clone(parsed)
        if media_group_id is not None:
            fields["media_group_id"] = media_group_id
        fields.update(extra)
        reply = None
        if reply_to is not None:
            reply_id = reply_to["message_id"] if isinstance(reply_to, dict) else reply_to
            target = self.messages.get((chat["id"], reply_id))
            if target is None:
                raise ValueError(f"no message {reply_id} in chat {chat['id']} to reply to")
            reply = target
        self.chats.setdefault(chat["id"], _clone(chat))
        if from_user is not None:
            self.users.setdefault(from_user["id"], _clone(from_user))
        return _clone(self._new_message(chat, from_user, fields, reply_to=reply, date=date))

    def callback_query(
        self,
        from_user: JSON,
        message: JSON,
        data: str,
        *,
        chat_instance: str | None = None,
        inaccessible: bool = False,
        check_button: bool = True,
    ) -> JSON:
        """A CallbackQuery for pressing the button with ``data`` under ``message`` (as it is now).

        With ``check_button`` the message must carry an inline button with that callback_data, since a
        user can only press buttons that exist. ``inaccessible`` gives the ``date: 0`` form Telegram
        sends for messages older than 48 hours.
        """
        key = (message["chat"]["id"], message["message_id"])
        current = self.messages.get(key, message)
        if check_button:
            buttons = [
                button
                for row in current.get("reply_markup", {}).get("inline_keyboard", [])
                for button in row
                if button.get("callback_data") == data
            ]
            if not buttons:
                raise ValueError(f"message {key} has no inline button with callback_data {data!r}")
        query_id = str(4_000_000_000_000_000_000 + next(self._query_ids))
        body: JSON
        if inaccessible:
            body = {"chat": _clone(current["chat"]), "message_id": current["message_id"], "date": 0}
        else:
            body = _clone(current)
        query: JSON = {
            "id": query_id,
            "from": _clone(from_user),
            "message": body,
            "chat_instance": chat_instance or self._chat_instance(current["chat"]["id"]),
            "data": data,
        }
        self._open_callback_queries.add(query_id)
        return query

    def message_reaction(
        self,
        chat: JSON,
        user: JSON,
        message_id: int,
        old: Iterable[str | JSON] = (),
        new: Iterable[str | JSON] = ("👍",),
        *,
        date: int | None = None,
    ) -> JSON:
        """A MessageReactionUpdated: ``user`` changed their reactions on a stored message.

        Plain strings become ReactionTypeEmoji and must be emoji Telegram offers (``REACTION_EMOJI``:
        "🔁", for one, is not, so no user can send it); pass dicts for custom_emoji / paid reactions.
        """
        if (chat["id"], message_id) not in self.messages:
            raise ValueError(f"no message {message_id} in chat {chat['id']} to react to")
        return {
            "chat": _clone(chat),
            "message_id": message_id,
            "user": _clone(user),
            "date": date or int(time.time()),
            "old_reaction": [_reaction(r) for r in old],
            "new_reaction": [_reaction(r) for r in new],
        }

    def pre_checkout_query(
        self,
        from_user: JSON,
        *,
        currency: str = "XTR",
        total_amount: int,
        invoice_payload: str,
        shipping_option_id: str | None = None,
    ) -> JSON:
        """A PreCheckoutQuery the bot must answer with answerPreCheckoutQuery."""
        query_id = str(5_000_000_000_000_000_000 + next(self._query_ids))
        query: JSON = {
            "id": query_id,
            "from": _clone(from_user),
            "currency": currency,
            "total_amount": total_amount,
            "invoice_payload": invoice_payload,
        }
        if shipping_option_id is not None:
            query["shipping_option_id"] = shipping_option_id
        self._open_pre_checkout_queries.add(query_id)
        return query

    def successful_payment_message(
        self,
        chat: JSON,
        user: JSON,
        currency: str = "XTR",
        total_amount: int = 1,
        payload: str = "",
        telegram_payment_charge_id: str | None = None,
        *,
        provider_payment_charge_id: str = "",
    ) -> JSON:
        """The service Message with ``successful_payment``; its charge can then be refunded once."""
        charge_id = telegram_payment_charge_id or "stxc" + secrets.token_urlsafe(24)
        self.charges[charge_id] = {
            "user_id": user["id"],
            "currency": currency,
            "total_amount": total_amount,
            "invoice_payload": payload,
            "refunded": False,
        }
        payment = {
            "currency": currency,
            "total_amount": total_amount,
            "invoice_payload": payload,
            "telegram_payment_charge_id": charge_id,
            "provider_payment_charge_id": provider_payment_charge_id,
        }
        return self.message(chat, user, successful_payment=payment)

    def push_update(self, update: Mapping[str, Any]) -> JSON:
        """Queue an update for getUpdates, giving it the next update_id unless it has one; returns it."""
        kinds = [key for key in update if key != "update_id"]
        if len(kinds) != 1 or kinds[0] not in UPDATE_TYPES:
            raise ValueError(f"an Update has update_id and exactly one of the update types, got {kinds}")
        stored = {
            "update_id": update.get("update_id") or next(self._update_ids),
            kinds[0]: _clone(update[kinds[0]]),
        }
        self._pending.append(stored)
        self._wake_pollers()
        return _clone(stored)

    def push_message(self, message: JSON) -> JSON:
        """Queue ``{"message": message}``."""
        return self.push_update({"message": message})

    def push_callback_query(self, query: JSON) -> JSON:
        """Queue ``{"callback_query": query}``."""
        return self.push_update({"callback_query": query})

    def push_message_reaction(self, reaction: JSON) -> JSON:
        """Queue ``{"message_reaction": reaction}``."""
        return self.push_update({"message_reaction": reaction})

    def push_pre_checkout_query(self, query: JSON) -> JSON:
        """Queue ``{"pre_checkout_query": query}``."""
        return self.push_update({"pre_checkout_query": query})

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by a getUpdates offset."""
        return _clone(self._pending)

    # ------------------------------------------------------------------------------------ state helpers

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._calls_event.set()
        self._calls_event = asyncio.Event()

    def _wake_pollers(self) -> None:
        self._updates_event.set()
        self._updates_event = asyncio.Event()

    def _chat_instance(self, chat_id: int) -> str:
        digest = hashlib.sha256(f"{self.bot_id}:{chat_id}".encode()).digest()
        return str(-int.from_bytes(digest[:8], "big") // 2)

    def _scope_key(self, scope: Any) -> str:
        return json.dumps(scope or {"type": "default"}, sort_keys=True)

    def _chat(self, chat_id: Any, *, sending: bool = False) -> JSON:
        chat: JSON | None = None
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            chat = next((c for c in self.chats.values() if c.get("username") == chat_id[1:]), None)
        elif isinstance(chat_id, int | str) and not isinstance(chat_id, bool):
            try:
                chat = self.chats.get(int(chat_id))
            except ValueError:
                chat = None
        if chat is not None and chat["id"] in self.migrated:
            raise BotAPIError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrated[chat["id"]]},
            )
        if chat is None:
            raise _bad("chat not found")
        if sending and chat["type"] == "private" and chat["id"] in self.blocked:
            raise BotAPIError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _new_message(
        self,
        chat: JSON,
        sender: JSON | None,
        fields: JSON,
        *,
        reply_to: JSON | None = None,
        reply_markup: JSON | None = None,
        date: int | None = None,
    ) -> JSON:
        chat_id = chat["id"]
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        message: JSON = {"message_id": message_id}
        if sender is not None:
            message["from"] = _clone(sender)
        message["chat"] = _clone(self.chats.get(chat_id, chat))
        message["date"] = date or int(time.time())
        if reply_to is not None:
            reply = _clone(reply_to)
            reply.pop("reply_to_message", None)
            message["reply_to_message"] = reply
        message.update(_clone(fields))
        if reply_markup:
            message["reply_markup"] = _clone(reply_markup)
        self.messages[(chat_id, message_id)] = message
        return message

    def _bot_is_admin(self, chat_id: int) -> bool:
        member = self.members.get((chat_id, self.bot_id), {})
        return member.get("status") in ("administrator", "creator")

    def _drop_reason(self, update: JSON) -> str | None:
        kind = next(key for key in update if key != "update_id")
        if self.allowed_updates:
            if kind not in self.allowed_updates:
                return f"{kind} is not in allowed_updates {self.allowed_updates}"
        elif kind in DEFAULT_EXCLUDED_UPDATES:
            return f"{kind} updates are only sent when allowed_updates names them"
        if kind in ("message_reaction", "message_reaction_count"):
            chat = update[kind]["chat"]
            if chat["type"] != "private" and not self._bot_is_admin(chat["id"]):
                return f"{kind} in chat {chat['id']} needs the bot to be an administrator there"
        return None

    def _deliverable(self, limit: int) -> list[JSON]:
        batch: list[JSON] = []
        for update in list(self._pending):
            reason = self._drop_reason(update)
            if reason is not None:
                self._pending.remove(update)
                self.dropped_updates.append((update, reason))
                _LOGGER.warning("fake Telegram drops update %s: %s", update["update_id"], reason)
                continue
            batch.append(_clone(update))
            if len(batch) >= limit:
                break
        return batch

    # ------------------------------------------------------------------------------------ formatting

    def _text(
        self, a: _Args, key: str, entities_key: str, limit: int, *, required: bool
    ) -> tuple[str | None, list]:
        raw = a.get(key)
        if raw is None or (raw == "" and not required):
            if required:
                raise _bad("message text is empty")
            return None, []
        text, entities = format_text(str(raw), a.get("parse_mode"), a.json(entities_key))
        if required and not text.strip():
            raise _bad("message text is empty")
        if _utf16_len(text) > limit:
            raise _bad("message is too long" if key == "text" else "message caption is too long")
        return text, entities

    def _caption_fields(self, a: _Args) -> JSON:
        caption, entities = self._text(a, "caption", "caption_entities", CAPTION_LIMIT, required=False)
        fields: JSON = {}
        if caption:
            fields["caption"] = caption
            if entities:
                fields["caption_entities"] = entities
        if a.flag("show_caption_above_media"):
            fields["show_caption_above_media"] = True
        return fields

    def _inline_markup(self, a: _Args) -> JSON | None:
        markup = a.json("reply_markup")
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None  # reply keyboards and ForceReply are not part of the Message object
        actions = {
            "callback_data",
            "url",
            "login_url",
            "switch_inline_query",
            "switch_inline_query_current_chat",
            "switch_inline_query_chosen_chat",
            "copy_text",
            "callback_game",
            "pay",
            "web_app",
        }
        for row in markup["inline_keyboard"]:
            for button in row:
                if not any(key in button for key in actions):
                    raise _bad(
                        "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                    )
                if "callback_data" in button and not 1 <= len(str(button["callback_data"]).encode()) <= 64:
                    raise _bad("BUTTON_DATA_INVALID")
                if "url" in button:
                    parts = urlsplit(str(button["url"]))
                    if parts.scheme not in ("http", "https", "tg") or parts.hostname in (None, "localhost"):
                        raise _bad(f"inline keyboard button URL '{button['url']}' is invalid: Wrong HTTP URL")
        return markup if markup["inline_keyboard"] else None

    def _reply_target(self, a: _Args, chat: JSON) -> JSON | None:
        parameters = a.json("reply_parameters")
        if isinstance(parameters, dict):
            message_id = parameters.get("message_id")
            allow_missing = bool(parameters.get("allow_sending_without_reply"))
            if parameters.get("chat_id") is not None:
                chat = self._chat(parameters["chat_id"])
        else:
            message_id = a.int("reply_to_message_id")
            allow_missing = a.flag("allow_sending_without_reply")
        if message_id is None:
            return None
        target = self.messages.get((chat["id"], int(message_id)))
        if target is None and not allow_missing:
            raise _bad("message to be replied not found")
        return target

    def _post_message(self, a: _Args, chat: JSON, fields: JSON) -> JSON:
        reply = self._reply_target(a, chat)
        markup = self._inline_markup(a)
        if a.flag("protect_content"):
            fields["has_protected_content"] = True
        thread = a.int("message_thread_id")
        if thread is not None:
            if not chat.get("is_forum"):
                raise _bad("message thread not found")
            fields.update(message_thread_id=thread, is_topic_message=True)
        message = self._new_message(chat, self.bot_user, fields, reply_to=reply, reply_markup=markup)
        return message

    # ------------------------------------------------------------------------------------------ files

    def _store(
        self, kind: str, data: bytes, *, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        prefix, folder, extension, default_mime = _FILE_KINDS[kind]
        number = next(self._file_numbers)
        if file_name and "." in file_name and kind in ("document", "audio"):
            extension = "." + file_name.rsplit(".", 1)[1]
        digest = hashlib.sha256(kind.encode() + data).digest()
        stored = StoredFile(
            file_id=prefix + secrets.token_urlsafe(36),
            file_unique_id="AgAD" + base64.urlsafe_b64encode(digest[:9]).decode(),
            kind=kind,
            data=data,
            file_path=f"{folder}/file_{number}{extension}",
            mime_type=mime_type or default_mime,
            file_name=file_name,
        )
        self.files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _resolve(self, ref: Any, files: Mapping[str, UploadedFile], param: str) -> UploadedFile | StoredFile:
        if isinstance(ref, str) and ref.startswith("attach://"):
            upload = files.get(ref[len("attach://") :])
            if upload is None:
                raise _bad(f'can\'t find attached file "{ref[len("attach://") :]}"')
            return upload
        if isinstance(ref, str) and ref.startswith(("http://", "https://")):
            raise _bad("failed to get HTTP URL content")  # the fake fetches nothing
        if isinstance(ref, str) and ref:
            stored = self.files.get(ref)
            if stored is None:
                raise _bad("wrong file identifier/HTTP URL specified")
            return stored
        raise _bad(f"there is no {param} in the request")

    def _source(self, a: _Args, param: str) -> UploadedFile | StoredFile:
        if param in a.files:
            return a.files[param]
        return self._resolve(a.get(param), a.files, param)

    def _thumbnail(self, image: Any = None, upload: UploadedFile | None = None) -> JSON | None:
        data: bytes | None = None
        if upload is not None:
            data = upload.data
            try:
                from PIL import Image

                width, height = Image.open(io.BytesIO(data)).size
            except Exception:
                width = height = 0
        elif image is not None:
            data, width, height = _jpeg(image, 320)
        if data is None:
            return None
        stored = self._store("thumbnail", data)
        thumb = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(data),
            "width": width,
            "height": height,
        }
        stored.fields = {"photo": [thumb]}
        return thumb

    def _media_fields(
        self,
        kind: str,
        source: UploadedFile | StoredFile,
        *,
        overrides: Mapping[str, Any] | None = None,
        thumbnail: UploadedFile | None = None,
        strict: bool = False,
    ) -> JSON:
        """The Message fields for sending ``source`` as ``kind``; ``strict`` rejects what Telegram would
        otherwise quietly turn into a document."""
        if isinstance(source, StoredFile):
            return _clone(source.fields)
        if kind not in _FILE_KINDS or kind == "thumbnail":
            raise _bad(f"unsupported media type {kind}")
        options = {key: value for key, value in (overrides or {}).items() if value is not None}
        name = source.filename or None
        if kind == "photo":
            return {"photo": self._photo_sizes(source.data, options)}
        if kind in ("video", "animation"):
            if kind == "video" and not strict:
                self._last_video_upload = source.data
            return self._video_fields(kind, source, options, thumbnail, strict=strict)
        mime = _mime_for(name, source.content_type, kind)
        stored = self._store(kind, source.data, file_name=name, mime_type=mime)
        obj: JSON = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        if kind == "sticker":
            obj.update(
                type="regular",
                width=options.get("width", 512),
                height=options.get("height", 512),
                is_animated=False,
                is_video=False,
            )
            if options.get("emoji"):
                obj["emoji"] = options["emoji"]
        elif kind in ("voice", "audio"):
            probe = _probe_av(source.data) or {}
            obj["duration"] = options.get("duration", _seconds(probe.get("duration", 0.0)))
            if kind == "audio":
                for key in ("performer", "title"):
                    if options.get(key):
                        obj[key] = options[key]
                if name:
                    obj["file_name"] = name
        elif name:
            obj["file_name"] = name
        if kind != "sticker":  # a Sticker object has no mime_type
            obj["mime_type"] = stored.mime_type
        obj["file_size"] = len(source.data)
        thumb = self._thumbnail(upload=thumbnail) if kind in ("document", "audio") and thumbnail else None
        if thumb:
            obj["thumbnail"] = thumb
        stored.fields = {kind: obj}
        return _clone(stored.fields)

    def _photo_sizes(self, data: bytes, options: Mapping[str, Any]) -> list[JSON]:
        try:
            from PIL import Image
        except ImportError:  # pragma: no cover - Pillow is a project dependency
            pillow = False
        else:
            pillow = True
        sizes: list[JSON] = []
        if not pillow:
            stored = self._store("photo", data)
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_size": len(data),
                    "width": options.get("width", 0),
                    "height": options.get("height", 0),
                }
            )
        else:
            try:
                image = Image.open(io.BytesIO(data))
                image.load()
            except Exception:
                raise _bad("IMAGE_PROCESS_FAILED") from None
            width, height = image.size
            if width + height > 10000 or max(width, height) > 20 * min(width, height):
                raise _bad("PHOTO_INVALID_DIMENSIONS")
            largest = max(width, height)
            variants: list[tuple[bytes, int, int]] = [
                _jpeg(image, side) for side in (90, 320, 800, 1280) if largest > side
            ]
            variants.append(_jpeg(image, 2560) if largest > 2560 else (data, width, height))
            for blob, w, h in variants:
                stored = self._store("photo", blob)
                sizes.append(
                    {
                        "file_id": stored.file_id,
                        "file_unique_id": stored.file_unique_id,
                        "file_size": len(blob),
                        "width": w,
                        "height": h,
                    }
                )
        for size in sizes:
            self.files[size["file_id"]].fields = {"photo": _clone(sizes)}
        return sizes

    def _video_fields(
        self,
        kind: str,
        source: UploadedFile,
        options: Mapping[str, Any],
        thumbnail: UploadedFile | None,
        *,
        strict: bool,
    ) -> JSON:
        name = source.filename or None
        probe = _probe_av(source.data)
        if probe is not None and (
            not probe["readable"] or probe["video"] is None or "mp4" not in probe["container"]
        ):
            if strict:
                raise _bad(f"not an MP4 video PyAV can read ({kind})")
            # Telegram delivers what it cannot play as a video (or animation) as a plain document.
            return self._media_fields("document", source)
        video = (probe or {}).get("video") or {}
        stored = self._store(kind, source.data, file_name=name, mime_type="video/mp4")
        stored.info = {k: v for k, v in (probe or {}).items() if k not in ("first_frame",)}
        obj: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": options.get("width", video.get("width", 0)),
            "height": options.get("height", video.get("height", 0)),
            "duration": options.get("duration", _seconds((probe or {}).get("duration", 0.0))),
        }
        if name:
            obj["file_name"] = name
        obj["mime_type"] = "video/mp4"
        obj["file_size"] = len(source.data)
        thumb = self._thumbnail(image=(probe or {}).get("first_frame"), upload=thumbnail)
        if thumb:
            obj["thumbnail"] = thumb
        fields: JSON = {kind: obj}
        if kind == "animation":
            document = {k: v for k, v in obj.items() if k not in ("width", "height", "duration")}
            fields["document"] = document
        stored.fields = fields
        return _clone(fields)

    def _input_media(self, item: Any, files: Mapping[str, UploadedFile]) -> JSON:
        if not isinstance(item, dict) or item.get("type") not in (
            "photo",
            "video",
            "animation",
            "document",
            "audio",
        ):
            raise _bad("can't parse InputMedia JSON object")
        source = self._resolve(item.get("media"), files, "media")
        thumbnail = None
        if isinstance(item.get("thumbnail"), str) and item["thumbnail"].startswith("attach://"):
            found = self._resolve(item["thumbnail"], files, "thumbnail")
            thumbnail = found if isinstance(found, UploadedFile) else None
        fields = self._media_fields(item["type"], source, overrides=item, thumbnail=thumbnail)
        caption = item.get("caption")
        if caption:
            text, entities = format_text(str(caption), item.get("parse_mode"), item.get("caption_entities"))
            if _utf16_len(text) > CAPTION_LIMIT:
                raise _bad("message caption is too long")
            fields["caption"] = text
            if entities:
                fields["caption_entities"] = entities
        if item.get("has_spoiler"):
            fields["has_media_spoiler"] = True
        return fields

    # ------------------------------------------------------------------------------- method handlers

    async def _get_me(self, a: _Args) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _log_out(self, a: _Args) -> bool:
        return True

    async def _close(self, a: _Args) -> bool:
        return True

    async def _get_updates(self, a: _Args) -> list[JSON]:
        if self.webhook_url:
            raise BotAPIError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            )
        offset = a.int("offset")
        limit = min(max(a.int("limit", 100) or 100, 1), 100)
        timeout = max(a.number("timeout", 0.0), 0.0)
        if "allowed_updates" in a.params:
            allowed = a.json("allowed_updates")
            self.allowed_updates = list(allowed) if allowed else []
        if offset is not None and offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset is not None and offset < 0:
            self._pending = self._pending[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()  # an older long poll still waiting is answered 409, as Telegram does
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._closing:
                return []
            if generation != self._poll_generation:
                raise BotAPIError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                )
            batch = self._deliverable(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0:
                return batch
            event = self._updates_event
            self._waiting_polls += 1
            self._poll_event.set()
            self._poll_event = asyncio.Event()
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass
            finally:
                self._waiting_polls -= 1

    async def _set_webhook(self, a: _Args) -> bool:
        self.webhook_url = str(a.require("url"))
        if "allowed_updates" in a.params:
            self.allowed_updates = list(a.json("allowed_updates") or [])
        if a.flag("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _delete_webhook(self, a: _Args) -> bool:
        self.webhook_url = ""
        if a.flag("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, a: _Args) -> JSON:
        info: JSON = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self.webhook_url and self.allowed_updates:
            info["allowed_updates"] = list(self.allowed_updates)
        return info

    async def _set_my_commands(self, a: _Args) -> bool:
        commands = a.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not re.fullmatch(
                r"[a-z0-9_]{1,32}", str(command.get("command", ""))
            ):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_INVALID")
        key = (self._scope_key(a.json("scope")), str(a.get("language_code", "")))
        if commands:
            self.commands[key] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        else:
            self.commands.pop(key, None)
        return True

    async def _get_my_commands(self, a: _Args) -> list[JSON]:
        return self.commands.get((self._scope_key(a.json("scope")), str(a.get("language_code", ""))), [])

    async def _delete_my_commands(self, a: _Args) -> bool:
        self.commands.pop((self._scope_key(a.json("scope")), str(a.get("language_code", ""))), None)
        return True

    async def _set_my_text(self, a: _Args) -> bool:
        key = _MY_TEXT_FIELDS[a.method]
        self.bot_texts[(key, str(a.get("language_code", "")))] = str(a.get(key, ""))
        return True

    async def _get_my_text(self, a: _Args) -> JSON:
        key = _MY_TEXT_FIELDS[a.method]
        return {key: self.bot_texts.get((key, str(a.get("language_code", ""))), "")}

    async def _set_chat_menu_button(self, a: _Args) -> bool:
        chat_id = a.int("chat_id")
        self.menu_buttons[chat_id] = a.json("menu_button") or {"type": "default"}
        return True

    async def _get_chat_menu_button(self, a: _Args) -> JSON:
        return self.menu_buttons.get(a.int("chat_id"), self.menu_buttons.get(None, {"type": "commands"}))

    async def _send_message(self, a: _Args) -> JSON:
        chat = self._chat(a.require("chat_id"), sending=True)
        text, entities = self._text(a, "text", "entities", TEXT_LIMIT, required=True)
        fields: JSON = {"text": text}
        if entities:
            fields["entities"] = entities
        return self._post_message(a, chat, fields)

    def _editable(self, a: _Args) -> JSON:
        if a.has("inline_message_id"):
            raise _bad("MESSAGE_ID_INVALID")  # the fake keeps no inline messages
        chat = self._chat(a.require("chat_id"))
        message_id = a.int("message_id")
        if message_id is None:
            raise _bad("message identifier is not specified")
        message = self.messages.get((chat["id"], message_id))
        if message is None:
            raise _bad("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise _bad("message can't be edited")
        return message

    def _apply_edit(self, message: JSON, changes: JSON) -> JSON:
        def norm(value: Any) -> Any:
            return value if value else None

        if all(norm(message.get(key)) == norm(value) for key, value in changes.items()):
            raise _bad(NOT_MODIFIED)
        for key, value in changes.items():
            if value:
                message[key] = _clone(value)
            else:
                message.pop(key, None)
        message["edit_date"] = int(time.time())
        return message

    async def _edit_message_text(self, a: _Args) -> JSON:
        message = self._editable(a)
        if "text" not in message:
            raise _bad("there is no text in the message to edit")
        text, entities = self._text(a, "text", "entities", TEXT_LIMIT, required=True)
        return self._apply_edit(
            message, {"text": text, "entities": entities, "reply_markup": self._inline_markup(a)}
        )

    async def _edit_message_caption(self, a: _Args) -> JSON:
        message = self._editable(a)
        if not any(key in message for key in _MEDIA_KEYS):
            raise _bad("there is no caption in the message to edit")
        caption, entities = self._text(a, "caption", "caption_entities", CAPTION_LIMIT, required=False)
        changes = {"caption": caption, "caption_entities": entities, "reply_markup": self._inline_markup(a)}
        return self._apply_edit(message, changes)

    async def _edit_message_reply_markup(self, a: _Args) -> JSON:
        message = self._editable(a)
        return self._apply_edit(message, {"reply_markup": self._inline_markup(a)})

    async def _edit_message_media(self, a: _Args) -> JSON:
        message = self._editable(a)
        if not any(key in message for key in _MEDIA_KEYS):
            raise _bad("there is no media in the message to edit")
        fields = self._input_media(a.json("media"), a.files)
        for key in (*_MEDIA_KEYS, "caption", "caption_entities", "has_media_spoiler"):
            message.pop(key, None)
        message.update(fields)
        markup = self._inline_markup(a)
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        return message

    async def _delete_message(self, a: _Args) -> bool:
        chat = self._chat(a.require("chat_id"))
        key = (chat["id"], a.int("message_id") or 0)
        if self.messages.pop(key, None) is None:
            raise _bad("message to delete not found")
        self.deleted.append(key)
        return True

    async def _delete_messages(self, a: _Args) -> bool:
        chat = self._chat(a.require("chat_id"))
        for message_id in a.json("message_ids") or []:
            key = (chat["id"], int(message_id))
            if self.messages.pop(key, None) is not None:
                self.deleted.append(key)
        return True

    async def _send_chat_action(self, a: _Args) -> bool:
        chat = self._chat(a.require("chat_id"), sending=True)
        action = str(a.require("action"))
        if action not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self.chat_actions.append((chat["id"], action))
        return True

    def _thumbnail_upload(self, a: _Args) -> UploadedFile | None:
        ref = a.get("thumbnail")
        if isinstance(ref, str) and ref.startswith("attach://"):
            found = self._resolve(ref, a.files, "thumbnail")
            return found if isinstance(found, UploadedFile) else None
        return a.files.get("thumbnail")

    async def _send_media(self, a: _Args, kind: str) -> JSON:
        chat = self._chat(a.require("chat_id"), sending=True)
        overrides = {key: a.int(key) for key in ("width", "height", "duration")}
        fields = self._media_fields(
            kind, self._source(a, kind), overrides=overrides, thumbnail=self._thumbnail_upload(a)
        )
        fields.update(self._caption_fields(a))
        if a.flag("has_spoiler"):
            fields["has_media_spoiler"] = True
        return self._post_message(a, chat, fields)

    async def _send_photo(self, a: _Args) -> JSON:
        return await self._send_media(a, "photo")

    async def _send_video(self, a: _Args) -> JSON:
        return await self._send_media(a, "video")

    async def _send_animation(self, a: _Args) -> JSON:
        return await self._send_media(a, "animation")

    async def _send_document(self, a: _Args) -> JSON:
        return await self._send_media(a, "document")

    async def _send_media_group(self, a: _Args) -> list[JSON]:
        chat = self._chat(a.require("chat_id"), sending=True)
        media = a.json("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise _bad("wrong number of media in the group: must be 2-10")
        kinds = {item.get("type") for item in media if isinstance(item, dict)}
        if len(kinds) > 1 and kinds & {"document", "audio"}:
            raise _bad("documents and audio can only be grouped with their own kind")
        reply = self._reply_target(a, chat)
        group_id = str(13_000_000_000_000_000 + secrets.randbelow(10**15))
        sent = []
        for item in media:
            fields = self._input_media(item, a.files)
            fields["media_group_id"] = group_id
            sent.append(self._new_message(chat, self.bot_user, fields, reply_to=reply))
        return sent

    async def _copy_message(self, a: _Args) -> JSON:
        target = self._chat(a.require("chat_id"), sending=True)
        source_chat = self._chat(a.require("from_chat_id"))
        source = self.messages.get((source_chat["id"], a.int("message_id") or 0))
        if source is None:
            raise _bad("message to copy not found")
        fields = {key: value for key, value in source.items() if key in _CONTENT_KEYS}
        if not fields:
            raise _bad("message can't be copied")
        if a.has("caption"):
            fields.pop("caption_entities", None)
            fields.update(self._caption_fields(a))
        copied = self._post_message(a, target, fields)
        return {"message_id": copied["message_id"]}

    async def _forward_message(self, a: _Args) -> JSON:
        target = self._chat(a.require("chat_id"), sending=True)
        source_chat = self._chat(a.require("from_chat_id"))
        source = self.messages.get((source_chat["id"], a.int("message_id") or 0))
        if source is None:
            raise _bad("message to forward not found")
        fields = {key: value for key, value in source.items() if key in _CONTENT_KEYS}
        if "from" in source:
            origin: JSON = {"type": "user", "sender_user": source["from"], "date": source["date"]}
        else:
            origin = {"type": "chat", "sender_chat": source["chat"], "date": source["date"]}
        fields["forward_origin"] = origin
        return self._new_message(target, self.bot_user, fields)

    async def _answer_callback_query(self, a: _Args) -> bool:
        query_id = str(a.require("callback_query_id"))
        if query_id not in self._open_callback_queries:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self._open_callback_queries.discard(query_id)
        self.callback_answers[query_id] = {
            key: a.params[key] for key in ("text", "show_alert", "url", "cache_time") if key in a.params
        }
        return True

    async def _send_invoice(self, a: _Args) -> JSON:
        chat = self._chat(a.require("chat_id"), sending=True)
        title, description = str(a.require("title")), str(a.require("description"))
        payload, currency = str(a.require("payload")), str(a.require("currency"))
        prices = a.json("prices")
        if not isinstance(prices, list) or not prices:
            raise _bad("can't parse prices JSON object")
        if currency == "XTR":
            # Stars invoices: no provider token, exactly one price, no tips or shipping (else 400).
            extras = ("max_tip_amount", "suggested_tip_amounts", "need_shipping_address", "is_flexible")
            if a.has("provider_token") or len(prices) != 1 or any(a.get(key) for key in extras):
                raise _bad("STARS_INVOICE_INVALID")
        elif not a.has("provider_token"):
            raise _bad("PAYMENT_PROVIDER_INVALID")
        try:
            total = sum(int(price["amount"]) for price in prices)
        except (KeyError, TypeError, ValueError):
            raise _bad("can't parse prices JSON object") from None
        if total <= 0:
            raise _bad("CURRENCY_TOTAL_AMOUNT_INVALID")
        invoice = {
            "title": title,
            "description": description,
            "start_parameter": str(a.get("start_parameter", "")),
            "currency": currency,
            "total_amount": total,
        }
        message = self._post_message(a, chat, {"invoice": invoice})
        # The payload never shows in the Message; Telegram keeps it for the pre-checkout query.
        self.invoices[(chat["id"], message["message_id"])] = {**invoice, "payload": payload, "prices": prices}
        return message

    async def _answer_pre_checkout_query(self, a: _Args) -> bool:
        query_id = str(a.require("pre_checkout_query_id"))
        if query_id not in self._open_pre_checkout_queries:
            raise _bad("QUERY_ID_INVALID")
        ok = a.flag("ok")
        if not ok and not a.has("error_message"):
            raise _bad('parameter "error_message" is required')
        self._open_pre_checkout_queries.discard(query_id)
        answer: JSON = {"ok": ok}
        if a.has("error_message"):
            answer["error_message"] = a.get("error_message")
        self.pre_checkout_answers[query_id] = answer
        return True

    async def _refund_star_payment(self, a: _Args) -> bool:
        user_id = a.int("user_id")
        charge_id = str(a.require("telegram_payment_charge_id"))
        charge = self.charges.get(charge_id)
        if charge is None:
            raise _bad("CHARGE_ID_INVALID")
        if charge["user_id"] != user_id:
            raise _bad("USER_ID_INVALID")
        if charge["refunded"]:
            raise _bad("CHARGE_ALREADY_REFUNDED")
        charge["refunded"] = True
        self.refunds.append({"user_id": user_id, "telegram_payment_charge_id": charge_id, **charge})
        return True

    async def _get_file(self, a: _Args) -> JSON:
        stored = self.files.get(str(a.require("file_id")))
        if stored is None:
            raise _bad("invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD_BYTES:
            raise _bad("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    async def _set_message_reaction(self, a: _Args) -> bool:
        chat = self._chat(a.require("chat_id"))
        key = (chat["id"], a.int("message_id") or 0)
        if key not in self.messages:
            raise _bad("message to react not found")
        reaction = a.json("reaction") or []
        if not isinstance(reaction, list):
            raise _bad("can't parse reaction JSON object")
        for item in reaction:
            if not isinstance(item, dict) or item.get("type") not in ("emoji", "custom_emoji"):
                raise _bad("REACTION_INVALID")
            if item["type"] == "emoji" and item.get("emoji") not in REACTION_EMOJI:
                raise _bad("REACTION_INVALID")
            if item["type"] == "custom_emoji" and not str(item.get("custom_emoji_id", "")).isdigit():
                raise _bad("REACTION_INVALID")  # PTB sends an unlisted emoji string as a custom_emoji_id
        if len(reaction) > 1:
            raise _bad("REACTIONS_TOO_MANY")
        self.bot_reactions[key] = _clone(reaction)
        return True

    async def _get_chat(self, a: _Args) -> JSON:
        chat = self._chat(a.require("chat_id"))
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _get_chat_member(self, a: _Args) -> JSON:
        chat = self._chat(a.require("chat_id"))
        user_id = a.int("user_id")
        member = self.members.get((chat["id"], user_id or 0))
        if member is not None:
            return member
        user = self.bot_user if user_id == self.bot_id else self.users.get(user_id or 0)
        if user is None:
            raise _bad("user not found")
        in_chat = chat["type"] == "private" and user_id in (chat["id"], self.bot_id)
        status = "member" if in_chat or chat["type"] != "private" else "left"
        return {"status": status, "user": user}

    async def _get_chat_administrators(self, a: _Args) -> list[JSON]:
        chat = self._chat(a.require("chat_id"))
        if chat["type"] == "private":
            raise _bad("there are no administrators in the private chat")
        return [
            member
            for (chat_id, _), member in self.members.items()
            if chat_id == chat["id"] and member["status"] in ("creator", "administrator")
        ]


def _reaction(value: str | JSON) -> JSON:
    if isinstance(value, dict):
        return _clone(value)
    if value not in REACTION_EMOJI:
        raise ValueError(f"{value!r} is not a reaction emoji Telegram offers (see REACTION_EMOJI)")
    return {"type": "emoji", "emoji": value}


def _mime_for(file_name: str | None, content_type: str, kind: str) -> str | None:
    default = _FILE_KINDS[kind][3]
    if kind != "document":
        return default
    guessed = mimetypes.guess_type(file_name)[0] if file_name else None
    if guessed:
        return guessed
    if content_type and content_type != "application/octet-stream":
        return content_type
    return "application/octet-stream"
