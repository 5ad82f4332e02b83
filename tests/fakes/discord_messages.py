"""The message side of the fake Discord's REST API: interaction callbacks (types 4, 5, 6, 7 and 9, once,
within 3 s), the interaction webhook (the original response and followups, while the 15-minute token
lives), channel messages (create with enforce_nonce, list, edit, delete, reactions, DMs) and the message store with its attachments.

A mixin of FakeDiscord (tests/fakes/discord_api.py), whose state it reads and writes; every handler returns
(status, payload) or raises ApiError, as Discord answers.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.fakes.discord_checks import check_message, check_modal
from tests.fakes.discord_models import (
    DM,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    MESSAGE_CHAT_INPUT,
    MESSAGE_DEFAULT,
    MESSAGE_REPLY,
    ApiError,
    FakeChannel,
    FakeMessage,
    FakeUser,
    StoredFile,
    form_error,
    unknown,
)

if TYPE_CHECKING:
    from tests.fakes.discord_api import FakeDiscord

JSON = dict[str, Any]

#: how long Discord remembers a message's nonce for enforce_nonce ("the past few minutes")
NONCE_WINDOW_S = 180.0


@dataclass
class Call:
    """One REST request as the fake answered it: `name` is the route's name (e.g. create_message),
    `params` the path parameters, `body` the JSON (or a multipart's payload_json), `files` its files."""

    name: str
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    files: list[StoredFile]
    at: float
    status: int = 200
    response: Any = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class FakeInteraction:
    """An interaction the fake sent, and how the bot answered it."""

    id: int
    token: str
    type: int
    payload: JSON
    user: FakeUser
    channel: FakeChannel
    created: float = field(default_factory=time.monotonic)
    message: FakeMessage | None = None  # the message a component sits on
    response_type: int | None = None
    response_at: float | None = None
    original: FakeMessage | None = None  # the message the response created (or updated)
    modal: JSON | None = None
    followups: list[int] = field(default_factory=list)

    @property
    def answered_in(self) -> float | None:
        """Seconds from dispatch to the bot's callback."""
        return None if self.response_at is None else self.response_at - self.created


class MessageRoutes:
    """Interaction, webhook and channel-message routes (see the module docstring)."""

    # -- interactions -----------------------------------------------------------------------------------------

    async def _interaction_callback(
        self: FakeDiscord, call: Call, interaction_id: str, token: str
    ) -> tuple[int, Any]:
        it = self.interactions.get(int(interaction_id))
        if it is None or it.token != token or time.monotonic() - it.created > self.interaction_window_s:
            raise unknown("interaction", 10062)
        if it.response_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        body = call.body if isinstance(call.body, dict) else {}
        kind, data = body.get("type"), body.get("data") or {}
        component = it.type == 3 or (it.type == 5 and it.message is not None)
        if kind not in (4, 5, 6, 7, 9) or (kind in (6, 7) and not component) or (kind == 9 and it.type == 5):
            raise form_error(
                "type", "INTERACTION_RESPONSE_TYPE_INVALID", "Interaction response type is invalid"
            )
        if kind == 9:
            check_modal(data)
            it.modal = data
        elif kind in (4, 5):
            flags = int(data.get("flags") or 0) & FLAG_EPHEMERAL
            if kind == 4:
                check_message(data, call.files, upload_limit=self._upload_limit(it.channel))
            else:
                flags |= FLAG_LOADING
            it.original = self._store(
                it.channel, data if kind == 4 else {}, call.files, flags=flags, interaction=it
            )
        elif kind == 7:
            assert it.message is not None
            check_message(data, call.files, upload_limit=self._upload_limit(it.channel), editing=True)
            self._edit(it.message, data, call.files)
            it.original = it.message
        else:
            it.original = it.message
        it.response_type, it.response_at = kind, time.monotonic()
        if call.query.get("with_response") not in ("1", "true", "True"):
            return 204, None
        out: JSON = {
            "interaction": {
                "id": str(it.id),
                "type": it.type,
                "response_message_id": str(it.original.id) if it.original else None,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(it.original and it.original.ephemeral),
            },
            "resource": {"type": kind},
        }
        if kind in (4, 5, 7) and it.original is not None:
            out["resource"]["message"] = self._message_payload(it.original)
        return 200, out

    def _by_token(self: FakeDiscord, application_id: str, token: str) -> FakeInteraction:
        if int(application_id) != self.application_id:
            raise unknown("Webhook", 10015)
        it = next((i for i in self.interactions.values() if i.token == token), None)
        if it is None:
            raise unknown("Webhook", 10015)
        if time.monotonic() - it.created > self.token_lifetime_s:
            raise ApiError(401, 50027, "Invalid Webhook Token")
        return it

    def _webhook_message(self: FakeDiscord, it: FakeInteraction, message_id: str) -> FakeMessage:
        if message_id == "@original":
            if it.original is None or it.original.deleted:
                raise unknown("Message", 10008)
            return it.original
        msg = self.messages.get(int(message_id))
        mine = int(message_id) in it.followups or (
            it.original is not None and it.original.id == int(message_id)
        )
        if msg is None or msg.deleted or not mine:
            raise unknown("Message", 10008)
        return msg

    async def _followup(self: FakeDiscord, call: Call, application_id: str, token: str) -> tuple[int, Any]:
        it = self._by_token(application_id, token)
        if it.response_type is None:
            raise unknown("Webhook", 10015)
        body = call.body if isinstance(call.body, dict) else {}
        check_message(body, call.files, upload_limit=self._upload_limit(it.channel))
        msg = self._store(
            it.channel, body, call.files, flags=int(body.get("flags") or 0) & FLAG_EPHEMERAL, interaction=it
        )
        it.followups.append(msg.id)
        if call.query.get("wait") in ("true", "True", "1"):
            return 200, self._message_payload(msg)
        return 204, None

    async def _get_webhook_message(
        self, call: Call, application_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        return 200, self._message_payload(
            self._webhook_message(self._by_token(application_id, token), message_id)
        )

    async def _edit_webhook_message(
        self, call: Call, application_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        it = self._by_token(application_id, token)
        msg = self._webhook_message(it, message_id)
        body = call.body if isinstance(call.body, dict) else {}
        check_message(body, call.files, upload_limit=self._upload_limit(it.channel), editing=True)
        self._edit(msg, body, call.files)
        return 200, self._message_payload(msg)

    async def _delete_webhook_message(
        self, call: Call, application_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        msg = self._webhook_message(self._by_token(application_id, token), message_id)
        await self._delete(msg)
        return 204, None

    # -- channels and messages ------------------------------------------------------------------------------

    def _channel(self: FakeDiscord, channel_id: str) -> FakeChannel:
        channel = self.channels.get(int(channel_id))
        if channel is None:
            raise unknown("Channel", 10003)
        return channel

    def _upload_limit(self: FakeDiscord, channel: FakeChannel) -> int:
        guild = self.guilds.get(channel.guild_id or 0)
        return guild.upload_limit if guild else 10 * 1024 * 1024

    async def _get_channel(self: FakeDiscord, call: Call, channel_id: str) -> tuple[int, Any]:
        return 200, self._channel(channel_id).payload()

    async def _create_dm(self: FakeDiscord, call: Call) -> tuple[int, Any]:
        recipient = int((call.body or {}).get("recipient_id", 0))
        user = self.users.get(recipient)
        if user is None or user.bot:
            raise form_error("recipient_id", "NUMBER_TYPE_COERCE", "Value is not snowflake.")
        return 200, self.dm_channel(user).payload()

    async def _create_message(self: FakeDiscord, call: Call, channel_id: str) -> tuple[int, Any]:
        channel = self._channel(channel_id)
        if channel.type == DM and any(u.id in self.dm_closed for u in channel.recipients):
            raise ApiError(403, 50007, "Cannot send messages to this user")
        if channel.id in self.closed_channels:
            raise ApiError(403, 50013, "Missing Permissions")
        body = call.body if isinstance(call.body, dict) else {}
        check_message(body, call.files, upload_limit=self._upload_limit(channel))
        # Create Message: with enforce_nonce, a message the same author created with the same nonce in the
        # past few minutes is returned and no new message is created
        nonce = str(body["nonce"]) if body.get("nonce") is not None else None
        if nonce is not None and body.get("enforce_nonce"):
            earlier = self.nonces.get(nonce)
            if earlier is not None and time.time() - earlier.created < NONCE_WINDOW_S:
                return 200, self._message_payload(earlier)
        ref = body.get("message_reference")
        if ref:
            target = self.messages.get(int(ref.get("message_id", 0)))
            if (target is None or target.deleted or target.channel_id != channel.id) and ref.get(
                "fail_if_not_exists", True
            ):
                raise form_error("message_reference", "REPLIES_UNKNOWN_MESSAGE", "Unknown message")
            if target is None or target.deleted:
                body = {k: v for k, v in body.items() if k != "message_reference"}
        msg = self._store(channel, body, call.files)
        if nonce is not None:
            self.nonces[nonce] = msg
        return 200, self._message_payload(msg)

    async def _list_messages(self: FakeDiscord, call: Call, channel_id: str) -> tuple[int, Any]:
        """Get Channel Messages: at most `limit` (1-100, default 50) of the channel's messages before,
        after or around a snowflake, newest first, as Discord answers; ephemeral ones are not listed."""
        channel = self._channel(channel_id)
        query = call.query
        try:
            limit = int(query.get("limit", 50))
        except ValueError:
            raise form_error("limit", "NUMBER_TYPE_COERCE", "Value is not int.") from None
        if not 1 <= limit <= 100:
            raise form_error("limit", "NUMBER_TYPE_MAX", "int value should be less than or equal to 100.")
        shown = sorted(
            (m for m in self.channel_messages(channel) if not m.ephemeral), key=lambda m: m.id, reverse=True
        )
        if "after" in query:
            after = int(query["after"])
            shown = sorted((m for m in shown if m.id > after), key=lambda m: m.id)[:limit][::-1]
        elif "before" in query:
            before = int(query["before"])
            shown = [m for m in shown if m.id < before][:limit]
        else:
            shown = shown[:limit]
        return 200, [self._message_payload(m) for m in shown]

    def _message(self: FakeDiscord, channel_id: str, message_id: str) -> FakeMessage:
        msg = self.messages.get(int(message_id))
        if msg is None or msg.deleted or msg.channel_id != int(channel_id) or msg.ephemeral:
            raise unknown("Message", 10008)  # ephemeral messages are not reachable through the channel
        return msg

    async def _get_message(
        self: FakeDiscord, call: Call, channel_id: str, message_id: str
    ) -> tuple[int, Any]:
        return 200, self._message_payload(self._message(channel_id, message_id))

    async def _edit_message(
        self: FakeDiscord, call: Call, channel_id: str, message_id: str
    ) -> tuple[int, Any]:
        msg = self._message(channel_id, message_id)
        if msg.author.id != self.bot.id:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        body = call.body if isinstance(call.body, dict) else {}
        check_message(
            body, call.files, upload_limit=self._upload_limit(self.channels[msg.channel_id]), editing=True
        )
        self._edit(msg, body, call.files)
        return 200, self._message_payload(msg)

    async def _delete_message(
        self: FakeDiscord, call: Call, channel_id: str, message_id: str
    ) -> tuple[int, Any]:
        msg = self._message(channel_id, message_id)
        if msg.author.id != self.bot.id:
            raise ApiError(403, 50013, "Missing Permissions")
        await self._delete(msg)
        return 204, None

    async def _add_reaction(
        self, call: Call, channel_id: str, message_id: str, emoji: str
    ) -> tuple[int, Any]:
        msg = self._message(channel_id, message_id)
        msg.reactions.setdefault(emoji, set()).add(self.bot.id)
        return 204, None

    async def _remove_reaction(
        self, call: Call, channel_id: str, message_id: str, emoji: str
    ) -> tuple[int, Any]:
        self._message(channel_id, message_id).reactions.get(emoji, set()).discard(self.bot.id)
        return 204, None

    # -- the message store ------------------------------------------------------------------------------------

    def _store(
        self,
        channel: FakeChannel,
        body: JSON,
        files: list[StoredFile],
        *,
        flags: int = 0,
        interaction: FakeInteraction | None = None,
    ) -> FakeMessage:
        ref = body.get("message_reference")
        msg = FakeMessage(
            id=self.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=self.bot,
            content=body.get("content") or "",
            embeds=list(body.get("embeds") or []),
            components=list(body.get("components") or []),
            flags=flags,
            type=MESSAGE_REPLY if ref else (MESSAGE_CHAT_INPUT if interaction else MESSAGE_DEFAULT),
            reference={
                "message_id": str(ref["message_id"]),
                "channel_id": str(channel.id),
                **({"guild_id": str(channel.guild_id)} if channel.guild_id else {}),
            }
            if ref
            else None,
            webhook_id=self.application_id if interaction else None,
            application_id=self.application_id if interaction else None,
            interaction_id=interaction.id if interaction else None,
            interaction_user=interaction.user if interaction else None,
        )
        msg.attachments, msg.files = self._attach(msg, body, files, keep=[])
        self.messages[msg.id] = msg
        if not msg.ephemeral:
            asyncio.get_running_loop().create_task(
                self.gateway.dispatch(
                    "MESSAGE_CREATE", self._message_payload(msg), private=channel.type == DM
                )
            )
        return msg

    def _attach(
        self, msg: FakeMessage, body: JSON, files: list[StoredFile], keep: list[JSON]
    ) -> tuple[list[JSON], list[StoredFile]]:
        """The attachments a message ends up with: kept old ones plus the files uploaded now, named as the
        body's `attachments` list says (by `id`, the index of `files[n]`)."""
        described = {str(a.get("id")): a for a in body.get("attachments") or []}
        out = list(keep)
        for index, stored in enumerate(files):
            attachment_id = self.ids.next()
            self.attachments[attachment_id] = stored.data
            about = described.get(str(index), {})
            filename = about.get("filename") or stored.filename
            out.append(
                {
                    "id": str(attachment_id),
                    "filename": filename,
                    "size": len(stored.data),
                    "url": f"{self.url}/attachments/{msg.channel_id}/{attachment_id}/{filename}",
                    "proxy_url": f"{self.url}/attachments/{msg.channel_id}/{attachment_id}/{filename}",
                    "content_type": stored.content_type if "/" in stored.content_type else _guess(filename),
                    **({"description": about["description"]} if about.get("description") else {}),
                }
            )
        return out, [*msg.files, *files] if keep else list(files)

    def _edit(self: FakeDiscord, msg: FakeMessage, body: JSON, files: list[StoredFile]) -> None:
        msg.edits.append(
            {"content": msg.content, "embeds": msg.embeds, "components": msg.components, "flags": msg.flags}
        )
        if "content" in body:
            msg.content = body["content"] or ""
        if "embeds" in body:
            msg.embeds = list(body["embeds"] or [])
        if "components" in body:
            msg.components = list(body["components"] or [])
        if "attachments" in body or files:
            wanted = {str(a.get("id")) for a in body.get("attachments") or []}
            keep = (
                [a for a in msg.attachments if a["id"] in wanted]
                if "attachments" in body
                else msg.attachments
            )
            msg.attachments, msg.files = self._attach(msg, body, files, keep=keep)
        msg.flags &= ~FLAG_LOADING
        msg.edited = time.time()

    async def _delete(self: FakeDiscord, msg: FakeMessage) -> None:
        msg.deleted = True
        if not msg.ephemeral:
            channel = self.channels[msg.channel_id]
            await self.gateway.dispatch(
                "MESSAGE_DELETE",
                {
                    "id": str(msg.id),
                    "channel_id": str(msg.channel_id),
                    **({"guild_id": str(msg.guild_id)} if msg.guild_id else {}),
                },
                private=channel.type == DM,
            )

    def _message_payload(self: FakeDiscord, msg: FakeMessage) -> JSON:
        return msg.payload(resolved=self.messages)


def _guess(filename: str) -> str:
    import mimetypes

    return mimetypes.guess_type(filename)[0] or "application/octet-stream"
