"""Discord's objects as the fake keeps and sends them: snowflakes, users, roles, members, guilds, channels and
messages, each turned into the JSON payload Discord's API documentation gives for it (Resources: User, Guild,
Channel, Message), and Discord's error answers. The checks on what a bot sends are in discord_checks.py.

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
        out: JSON = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }
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
        out: JSON = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": True,
            "flags": 0,
        }
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
        out: JSON = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
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
            return {
                "id": str(self.id),
                "type": DM,
                "last_message_id": None,
                "flags": 0,
                "recipients": [u.payload() for u in self.recipients],
            }
        out: JSON = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
            "parent_id": str(self.parent_id) if self.parent_id else None,
        }
        if self.type == PUBLIC_THREAD:
            out["thread_metadata"] = {
                "archived": False,
                "auto_archive_duration": 1440,
                "locked": False,
                "archive_timestamp": iso(),
            }
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
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "max_members": 500000,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": self.premium_tier,
            "premium_subscription_count": 0,
            "preferred_locale": self.locale,
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "stickers": [],
            "safety_alerts_channel_id": None,
            "joined_at": iso(),
            "large": False,
            "unavailable": False,
            "member_count": len(self.members) + 1,
            "voice_states": [],
            "members": [bot_member.payload()],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "lazy": True,
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
        return [
            c["custom_id"] for row in self.components for c in row.get("components", []) if "custom_id" in c
        ]

    def payload(self, *, resolved: dict[int, FakeMessage] | None = None, content: bool = True) -> JSON:
        """The message object; `resolved` looks up a referenced message; `content`: False blanks what the
        message-content intent guards (content, embeds, attachments, components)."""
        out: JSON = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.payload(),
            "content": self.content if content else "",
            "timestamp": iso(self.created),
            "edited_timestamp": iso(self.edited) if self.edited else None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [u.payload() for u in self.mentions],
            "mention_roles": [str(r) for r in self.mention_roles],
            "attachments": list(self.attachments) if content else [],
            "embeds": list(self.embeds) if content else [],
            "components": list(self.components) if content else [],
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
            "reactions": [
                {
                    "emoji": {"id": None, "name": e},
                    "count": len(u),
                    "me": False,
                    "count_details": {"burst": 0, "normal": len(u)},
                    "burst_colors": [],
                    "me_burst": False,
                    "burst_me": False,
                    "burst_count": 0,
                }
                for e, u in self.reactions.items()
                if u
            ],
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
            out["interaction_metadata"] = {
                "id": str(self.interaction_id),
                "type": 2,
                "user": self.interaction_user.payload(),
                "authorizing_integration_owners": {},
            }
        if self.reference is not None:
            out["message_reference"] = {"type": 0, **self.reference}
            target = (resolved or {}).get(int(self.reference["message_id"]))
            out["referenced_message"] = (
                target.payload(content=content) if target and not target.deleted else None
            )
        return out


MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")
