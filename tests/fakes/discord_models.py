"""Discord's objects as the fake keeps and sends them: snowflakes, users, roles, members, guilds, channels and
messages, each turned into the JSON payload Discord's API documentation gives for it (Resources: User, Guild,
Channel, Message), plus the checks Discord makes on what a bot sends (content, embed, component, attachment
and application-command limits), with Discord's own error codes.

Never imports discord.py: the payloads are written from the API documentation, so what discord.py parses and
sends is checked against Discord's contract, not against itself.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1420070400000
#: the upload limit of a server without boosts (tier 0 and 1), and of DMs
DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024
UPLOAD_LIMITS = {0: DEFAULT_UPLOAD_LIMIT, 1: DEFAULT_UPLOAD_LIMIT, 2: 50 * 1024 * 1024, 3: 100 * 1024 * 1024}

# -- channel and message kinds, flags (Resources: Channel, Message) ----------------------------------------
GUILD_TEXT, DM, PUBLIC_THREAD = 0, 1, 11
MESSAGE_DEFAULT, MESSAGE_REPLY, MESSAGE_CHAT_INPUT, MESSAGE_CONTEXT_MENU = 0, 19, 20, 23
FLAG_EPHEMERAL, FLAG_LOADING = 1 << 6, 1 << 7

# -- permissions (Topics: Permissions) -----------------------------------------------------------------------
ADMINISTRATOR = 1 << 3
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 6) | (1 << 31)


class ApiError(Exception):
    """An answer Discord gives with an error body: HTTP status, JSON error code, message, field errors."""

    def __init__(self, status: int, code: int, message: str, errors: JSON | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def body(self) -> JSON:
        out: JSON = {"message": self.message, "code": self.code}
        if self.errors:
            out["errors"] = self.errors
        return out


def form_error(path: str, code: str, message: str) -> ApiError:
    """Discord's 50035 Invalid Form Body, naming the field (dotted path) that broke which rule."""
    errors: JSON = {"_errors": [{"code": code, "message": message}]}
    for part in reversed(path.split(".")):
        errors = {part: errors}
    return ApiError(400, 50035, "Invalid Form Body", errors)


def unknown(what: str, code: int) -> ApiError:
    return ApiError(404, code, f"Unknown {what}")


class Snowflakes:
    """Discord ids: milliseconds since the Discord epoch, shifted 22 bits, plus a counter."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def next(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) | (1 << 17) | (next(self._counter) & 0x1FFFF)


def iso(moment: float | None = None) -> str:
    return datetime.fromtimestamp(moment if moment is not None else time.time(), UTC).isoformat()


@dataclass
class FakeUser:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    def payload(self) -> JSON:
        out: JSON = {"id": str(self.id), "username": self.username, "discriminator": "0",
                     "global_name": self.global_name, "avatar": None, "public_flags": 0, "flags": 0,
                     "banner": None, "accent_color": None, "avatar_decoration_data": None}
        if self.bot:
            out["bot"] = True
        return out


@dataclass
class FakeRole:
    id: int
    name: str
    position: int = 1
    permissions: int = 0
    managed: bool = False
    bot_id: int | None = None

    def payload(self) -> JSON:
        out: JSON = {"id": str(self.id), "name": self.name, "color": 0, "colors": {"primary_color": 0},
                     "hoist": False, "icon": None, "unicode_emoji": None, "position": self.position,
                     "permissions": str(self.permissions), "managed": self.managed, "mentionable": True,
                     "flags": 0}
        if self.bot_id is not None:
            out["tags"] = {"bot_id": str(self.bot_id)}
        return out


@dataclass
class FakeMember:
    user: FakeUser
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso)

    def payload(self, *, with_user: bool = True) -> JSON:
        out: JSON = {"roles": [str(r) for r in self.roles], "nick": self.nick, "avatar": None, "banner": None,
                     "joined_at": self.joined_at, "premium_since": None, "deaf": False, "mute": False,
                     "flags": 0, "pending": False, "communication_disabled_until": None}
        if with_user:
            out["user"] = self.user.payload()
        return out


@dataclass
class FakeChannel:
    id: int
    type: int
    guild_id: int | None = None
    name: str = ""
    recipients: list[FakeUser] = field(default_factory=list)
    parent_id: int | None = None

    def payload(self) -> JSON:
        if self.type == DM:
            return {"id": str(self.id), "type": DM, "last_message_id": None, "flags": 0,
                    "recipients": [u.payload() for u in self.recipients]}
        out: JSON = {"id": str(self.id), "type": self.type, "guild_id": str(self.guild_id), "name": self.name,
                     "position": 0, "permission_overwrites": [], "nsfw": False, "topic": None,
                     "last_message_id": None, "rate_limit_per_user": 0, "flags": 0,
                     "parent_id": str(self.parent_id) if self.parent_id else None}
        if self.type == PUBLIC_THREAD:
            out["thread_metadata"] = {"archived": False, "auto_archive_duration": 1440, "locked": False,
                                      "archive_timestamp": iso()}
            out["owner_id"] = None
            out["member_count"] = 1
            out["message_count"] = 0
        return out


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)
    premium_tier: int = 0
    locale: str = "en-US"

    @property
    def upload_limit(self) -> int:
        return UPLOAD_LIMITS.get(self.premium_tier, DEFAULT_UPLOAD_LIMIT)

    def permissions_of(self, user_id: int) -> int:
        if user_id == self.owner_id:
            return (1 << 41) - 1
        member = self.members.get(user_id)
        granted = self.roles[self.id].permissions if self.id in self.roles else 0
        for role in member.roles if member else []:
            if role in self.roles:
                granted |= self.roles[role].permissions
        return (1 << 41) - 1 if granted & ADMINISTRATOR else granted

    def payload(self, bot_member: FakeMember) -> JSON:
        """The GUILD_CREATE payload (a full guild, with the bot's own member in `members`)."""
        return {
            "id": str(self.id), "name": self.name, "icon": None, "splash": None, "discovery_splash": None,
            "owner_id": str(self.owner_id), "afk_channel_id": None, "afk_timeout": 300,
            "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
            "roles": [r.payload() for r in self.roles.values()], "emojis": [], "features": [], "mfa_level": 0,
            "application_id": None, "system_channel_id": None, "system_channel_flags": 0,
            "rules_channel_id": None, "max_members": 500000, "vanity_url_code": None, "description": None,
            "banner": None, "premium_tier": self.premium_tier, "premium_subscription_count": 0,
            "preferred_locale": self.locale, "public_updates_channel_id": None, "nsfw_level": 0,
            "premium_progress_bar_enabled": False, "stickers": [], "safety_alerts_channel_id": None,
            "joined_at": iso(), "large": False, "unavailable": False, "member_count": len(self.members) + 1,
            "voice_states": [], "members": [bot_member.payload()], "presences": [], "stage_instances": [],
            "guild_scheduled_events": [], "soundboard_sounds": [], "lazy": True,
            "channels": [c.payload() for c in self.channels.values() if c.type != PUBLIC_THREAD],
            "threads": [c.payload() for c in self.channels.values() if c.type == PUBLIC_THREAD],
        }


@dataclass
class StoredFile:
    """One attachment a bot uploaded (multipart `files[n]`), as it arrived."""

    filename: str
    data: bytes
    content_type: str


@dataclass
class FakeMessage:
    """A message as Discord stores it; `edits` keeps each earlier version (content, embeds, components)."""

    id: int
    channel_id: int
    guild_id: int | None
    author: FakeUser
    content: str = ""
    embeds: list[JSON] = field(default_factory=list)
    components: list[JSON] = field(default_factory=list)
    attachments: list[JSON] = field(default_factory=list)
    files: list[StoredFile] = field(default_factory=list)
    flags: int = 0
    type: int = MESSAGE_DEFAULT
    reference: JSON | None = None
    mentions: list[FakeUser] = field(default_factory=list)
    mention_roles: list[int] = field(default_factory=list)
    member: FakeMember | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_id: int | None = None
    interaction_user: FakeUser | None = None
    created: float = field(default_factory=time.time)
    edited: float | None = None
    deleted: bool = False
    edits: list[JSON] = field(default_factory=list)
    reactions: dict[str, set[int]] = field(default_factory=dict)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    def custom_ids(self) -> list[str]:
        """Every custom_id on the message's buttons, in order."""
        return [c["custom_id"] for row in self.components for c in row.get("components", []) if "custom_id" in c]

    def payload(self, *, resolved: dict[int, FakeMessage] | None = None, content: bool = True) -> JSON:
        """The message object; `resolved` looks up a referenced message; `content`: False blanks what the
        message-content intent guards (content, embeds, attachments, components)."""
        out: JSON = {
            "id": str(self.id), "channel_id": str(self.channel_id), "author": self.author.payload(),
            "content": self.content if content else "", "timestamp": iso(self.created),
            "edited_timestamp": iso(self.edited) if self.edited else None, "tts": False,
            "mention_everyone": False, "mentions": [u.payload() for u in self.mentions],
            "mention_roles": [str(r) for r in self.mention_roles],
            "attachments": list(self.attachments) if content else [], "embeds": list(self.embeds) if content else [],
            "components": list(self.components) if content else [], "pinned": False, "type": self.type,
            "flags": self.flags,
            "reactions": [{"emoji": {"id": None, "name": e}, "count": len(u), "me": False,
                           "count_details": {"burst": 0, "normal": len(u)}, "burst_colors": [], "me_burst": False,
                           "burst_me": False, "burst_count": 0}
                          for e, u in self.reactions.items() if u],
        }
        if self.guild_id is not None:
            out["guild_id"] = str(self.guild_id)
        if self.member is not None:
            out["member"] = self.member.payload(with_user=False)
        if self.webhook_id is not None:
            out["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            out["application_id"] = str(self.application_id)
        if self.interaction_id is not None and self.interaction_user is not None:
            out["interaction_metadata"] = {"id": str(self.interaction_id), "type": 2,
                                           "user": self.interaction_user.payload(),
                                           "authorizing_integration_owners": {}}
        if self.reference is not None:
            out["message_reference"] = {"type": 0, **self.reference}
            target = (resolved or {}).get(int(self.reference["message_id"]))
            out["referenced_message"] = target.payload(content=content) if target and not target.deleted else None
        return out


# -- what Discord checks on a message a bot sends (Resources: Message, Embed limits, Components) ----------

CONTENT_LIMIT = 2000
EMBED_TOTAL_LIMIT = 6000
_EMBED_TEXT = {"title": 256, "description": 4096}
BUTTON_STYLES = {1, 2, 3, 4, 5, 6}


def check_message(body: JSON, files: list[StoredFile], *, upload_limit: int, editing: bool = False) -> None:
    """Raise ApiError as Discord would for a message body (create, or edit with `editing`)."""
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        raise form_error("content", "BASE_TYPE_STRING", "Must be a string.")
    if content and len(content) > CONTENT_LIMIT:
        raise form_error("content", "BASE_TYPE_MAX_LENGTH", f"Must be {CONTENT_LIMIT} or fewer in length.")
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        raise form_error("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    total = 0
    for i, embed in enumerate(embeds):
        total += check_embed(embed, f"embeds.{i}")
    if total > EMBED_TOTAL_LIMIT:
        raise form_error("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
    check_components(body.get("components") or [])
    size = sum(len(f.data) for f in files)
    if size > upload_limit:
        raise ApiError(413, 40005, "Request entity too large")
    if not editing and not (content or embeds or files or body.get("components") or body.get("sticker_ids")
                            or body.get("poll")):
        raise ApiError(400, 50006, "Cannot send an empty message")


def check_embed(embed: JSON, path: str) -> int:
    """Raise for an embed over Discord's limits; returns the characters it counts toward the 6000 total."""
    counted = 0
    for key, limit in _EMBED_TEXT.items():
        value = embed.get(key)
        if value is not None:
            if len(value) > limit:
                raise form_error(f"{path}.{key}", "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
            counted += len(value)
    for key, inner, limit in (("footer", "text", 2048), ("author", "name", 256)):
        if embed.get(key):
            value = embed[key].get(inner, "")
            if not value or len(value) > limit:
                raise form_error(f"{path}.{key}.{inner}", "BASE_TYPE_BAD_LENGTH",
                                 f"Must be between 1 and {limit} in length.")
            counted += len(value)
    fields = embed.get("fields") or []
    if len(fields) > 25:
        raise form_error(f"{path}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for j, f in enumerate(fields):
        for key, limit in (("name", 256), ("value", 1024)):
            if not f.get(key) or len(f[key]) > limit:
                raise form_error(f"{path}.fields.{j}.{key}", "BASE_TYPE_BAD_LENGTH",
                                 f"Must be between 1 and {limit} in length.")
            counted += len(f[key])
    return counted


def check_components(rows: list[JSON]) -> None:
    """Action rows of buttons: at most 5 rows of at most 5, labels up to 80, unique custom_ids up to 100."""
    if len(rows) > 5:
        raise form_error("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if row.get("type") != 1:
            raise form_error(f"components.{i}.type", "UNION_TYPE_CHOICES", "Value must be one of {1}.")
        items = row.get("components") or []
        if not 1 <= len(items) <= 5:
            raise form_error(f"components.{i}.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
        for j, item in enumerate(items):
            where = f"components.{i}.components.{j}"
            if item.get("type") != 2:
                continue  # selects: not used by this bot, not checked here
            style = item.get("style")
            if style not in BUTTON_STYLES:
                raise form_error(f"{where}.style", "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4, 5, 6).")
            label = item.get("label") or ""
            if len(label) > 80:
                raise form_error(f"{where}.label", "BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer in length.")
            if style == 5:
                if not item.get("url") or "custom_id" in item:
                    raise form_error(f"{where}.url", "BUTTON_COMPONENT_URL_REQUIRED", "A link button needs a url.")
                continue
            custom_id = item.get("custom_id") or ""
            if not 1 <= len(custom_id) <= 100:
                raise form_error(f"{where}.custom_id", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
            if custom_id in seen:
                raise form_error(f"{where}.custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED",
                                 "Component custom id cannot be duplicated")
            seen.add(custom_id)


def check_modal(data: JSON) -> None:
    """A modal (interaction callback type 9): title up to 45, 1 to 5 text inputs, each labelled."""
    title = data.get("title") or ""
    if not 1 <= len(title) <= 45:
        raise form_error("data.title", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
    if not 1 <= len(data.get("custom_id") or "") <= 100:
        raise form_error("data.custom_id", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    inputs = modal_inputs(data)
    if not 1 <= len(data.get("components") or []) <= 5 or not inputs:
        raise form_error("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
    for i, (label, text_input) in enumerate(inputs):
        if not label or len(label) > 45:
            raise form_error(f"data.components.{i}.label", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
        if text_input.get("style") not in (1, 2):
            raise form_error(f"data.components.{i}.style", "BASE_TYPE_CHOICES", "Value must be one of (1, 2).")


def modal_inputs(data: JSON) -> list[tuple[str, JSON]]:
    """(label, text input) of each text input of a modal, whether wrapped in an action row (type 1, label
    on the input) or in a label component (type 18, label on the wrapper)."""
    found = []
    for comp in data.get("components") or []:
        if comp.get("type") == 1:
            found += [(c.get("label", ""), c) for c in comp.get("components") or [] if c.get("type") == 4]
        elif comp.get("type") == 18 and (comp.get("component") or {}).get("type") == 4:
            found.append((comp.get("label", ""), comp["component"]))
    return found


# -- application commands (Interactions: Application Commands) ------------------------------------------------

CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3
OPTION_TYPES = {3: "string", 4: "integer", 5: "boolean", 6: "user", 7: "channel", 8: "role", 10: "number",
                11: "attachment"}
LOCALES = frozenset("id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el bg "
                    "ru uk hi th zh-CN ja zh-TW ko".split())


def _name_ok(name: str, *, chat_input: bool) -> bool:
    """Discord's ^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$ (lower case for chat-input commands);
    context-menu names are 1-32 characters of anything, spaces included."""
    if not 1 <= len(name) <= 32:
        return False
    if not chat_input:
        return True
    return all(ch.isalnum() or ch in "-_'" for ch in name) and name == name.lower()


def check_command(cmd: JSON, index: int) -> None:
    """Raise the 50035 Discord gives for an application command that breaks its rules."""
    kind = cmd.get("type", CHAT_INPUT)
    chat_input = kind == CHAT_INPUT
    where = str(index)
    if not _name_ok(cmd.get("name", ""), chat_input=chat_input):
        raise form_error(f"{where}.name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    description = cmd.get("description", "")
    if chat_input and not 1 <= len(description) <= 100:
        raise form_error(f"{where}.description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    if not chat_input and description:
        raise form_error(f"{where}.description", "APPLICATION_COMMAND_DESCRIPTION_NOT_EMPTY",
                         "Context menu commands cannot have a description")
    for key in ("name_localizations", "description_localizations"):
        for locale, text in (cmd.get(key) or {}).items():
            if locale not in LOCALES:
                raise form_error(f"{where}.{key}.{locale}", "LOCALE_INVALID", f"Invalid locale {locale}")
            ok = (_name_ok(text, chat_input=chat_input) if key == "name_localizations"
                  else 1 <= len(text) <= 100)
            if not ok:
                raise form_error(f"{where}.{key}.{locale}", "APPLICATION_COMMAND_INVALID_NAME", "Invalid localization")
    options = cmd.get("options") or []
    if len(options) > 25:
        raise form_error(f"{where}.options", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    seen_optional, names = False, set()
    total = len(cmd.get("name", "")) + len(description)
    for j, opt in enumerate(options):
        here = f"{where}.options.{j}"
        if opt.get("type") not in OPTION_TYPES:
            raise form_error(f"{here}.type", "BASE_TYPE_CHOICES", "Value must be a valid option type.")
        if not _name_ok(opt.get("name", ""), chat_input=True) or opt["name"] in names:
            raise form_error(f"{here}.name", "APPLICATION_COMMAND_OPTIONS_NAME_INVALID", "Option name is invalid")
        names.add(opt["name"])
        if not 1 <= len(opt.get("description", "")) <= 100:
            raise form_error(f"{here}.description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        if opt.get("required"):
            if seen_optional:
                raise form_error(f"{here}.required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                                 "Required options must be placed before non-required options")
        else:
            seen_optional = True
        choices = opt.get("choices") or []
        if len(choices) > 25:
            raise form_error(f"{here}.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for locale, text in (opt.get("name_localizations") or {}).items():
            if locale not in LOCALES or not _name_ok(text, chat_input=True):
                raise form_error(f"{here}.name_localizations.{locale}", "APPLICATION_COMMAND_INVALID_NAME",
                                 "Invalid localization")
        total += len(opt["name"]) + len(opt.get("description", ""))
        total += sum(len(str(c.get("name", ""))) + len(str(c.get("value", ""))) for c in choices)
    if total > 4000:
        raise form_error(where, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (4000)")


def check_command_list(commands: list[JSON]) -> None:
    """A bulk overwrite: each command valid, names unique per type, at most 100 chat-input and 5 each of
    user and message commands."""
    seen: set[tuple[int, str]] = set()
    counts = {CHAT_INPUT: 0, USER_COMMAND: 0, MESSAGE_COMMAND: 0}
    for i, cmd in enumerate(commands):
        check_command(cmd, i)
        key = (cmd.get("type", CHAT_INPUT), cmd["name"])
        if key in seen:
            raise form_error(f"{i}.name", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
        seen.add(key)
        counts[key[0]] = counts.get(key[0], 0) + 1
    if counts[CHAT_INPUT] > 100 or counts[USER_COMMAND] > 5 or counts[MESSAGE_COMMAND] > 5:
        raise ApiError(400, 30032, "Maximum number of application commands reached")


MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")
