"""The member side of the fake Discord: servers, channels, roles and people, and what people do — type a
message (with files, a reply, a mention), react, run a slash command or a message context menu, press a
button, fill in a modal. Each action is checked the way Discord's client and API check it (a command option
must be one the bot synced, with a valid choice or range; an admin-only command is invisible to a member
without the permission; a button must be on the message), then dispatched to the bot on the gateway.

A mixin of FakeDiscord (tests/fakes/discord_api.py), whose state it reads and writes.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any

from tests.fakes.discord_checks import modal_inputs
from tests.fakes.discord_models import (
    ADMINISTRATOR,
    DM,
    GUILD_TEXT,
    MEMBER_PERMISSIONS,
    MENTION,
    MESSAGE_DEFAULT,
    MESSAGE_REPLY,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeRole,
    FakeUser,
)

if TYPE_CHECKING:
    from tests.fakes.discord_api import FakeDiscord
    from tests.fakes.discord_messages import FakeInteraction

JSON = dict[str, Any]
APPLICATION_COMMAND, MESSAGE_COMPONENT, MODAL_SUBMIT = 2, 3, 5
_MESSAGE_CONTENT = 1 << 15


class MemberActions:
    """People and places, and their actions (see the module docstring)."""

    # -- places and people ----------------------------------------------------------------------------

    def guild(
        self: FakeDiscord, name: str = "Reel club", *, premium_tier: int = 0, locale: str = "en-US"
    ) -> FakeGuild:
        gid = self.ids.next()
        everyone = FakeRole(gid, "@everyone", 0, MEMBER_PERMISSIONS)
        own = FakeRole(
            self.ids.next(), self.bot.username, 1, MEMBER_PERMISSIONS, managed=True, bot_id=self.bot.id
        )
        guild = FakeGuild(
            gid, name, self.owner.id, {gid: everyone, own.id: own}, premium_tier=premium_tier, locale=locale
        )
        self.guilds[gid] = guild
        return guild

    def text_channel(self: FakeDiscord, guild: FakeGuild, name: str = "general") -> FakeChannel:
        channel = FakeChannel(self.ids.next(), GUILD_TEXT, guild.id, name)
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def role(self: FakeDiscord, guild: FakeGuild, name: str, *, permissions: int = 0) -> FakeRole:
        role = FakeRole(self.ids.next(), name, len(guild.roles), permissions)
        guild.roles[role.id] = role
        return role

    def person(self: FakeDiscord, username: str, global_name: str | None = None) -> FakeUser:
        user = FakeUser(self.ids.next(), username, global_name or username.title())
        self.users[user.id] = user
        return user

    def member(
        self: FakeDiscord,
        guild: FakeGuild,
        username: str,
        *,
        roles: tuple[FakeRole, ...] = (),
        admin: bool = False,
    ) -> FakeUser:
        """A new person who is a member of `guild` with `roles` (`admin`: a role with Administrator)."""
        user = self.person(username)
        ids = [r.id for r in roles]
        if admin:
            ids.append(self.role(guild, f"{username}-admin", permissions=ADMINISTRATOR).id)
        guild.members[user.id] = FakeMember(user, ids)
        return user

    def give_role(
        self: FakeDiscord, guild: FakeGuild, user: FakeUser, role: FakeRole, *, on: bool = True
    ) -> None:
        member = guild.members[user.id]
        member.roles = [r for r in member.roles if r != role.id] + ([role.id] if on else [])

    def dm_channel(self: FakeDiscord, user: FakeUser) -> FakeChannel:
        for channel in self.channels.values():
            if channel.type == DM and channel.recipients and channel.recipients[0].id == user.id:
                return channel
        channel = FakeChannel(self.ids.next(), DM, None, "", [user])
        self.channels[channel.id] = channel
        return channel

    def attachment(
        self: FakeDiscord,
        channel: FakeChannel,
        filename: str,
        data: bytes,
        content_type: str | None,
        **extra: Any,
    ) -> JSON:
        """A file a member uploads: stored on the fake CDN, described as Discord's attachment object."""
        attachment_id = self.ids.next()
        self.attachments[attachment_id] = data
        url = f"{self.url}/attachments/{channel.id}/{attachment_id}/{filename}"
        out: JSON = {
            "id": str(attachment_id),
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            **extra,
        }
        if content_type:
            out["content_type"] = content_type
        return out

    # -- messages and reactions ----------------------------------------------------------------------------

    async def say(
        self: FakeDiscord,
        channel: FakeChannel,
        author: FakeUser,
        content: str = "",
        *,
        attachments: list[JSON] | None = None,
        reply_to: FakeMessage | None = None,
        ping: bool = True,
    ) -> FakeMessage:
        """`author` posts `content` in `channel` (`reply_to`: as a reply, which pings its author when
        `ping`). The bot gets the content only with the message-content intent, in DMs, or when the
        message mentions it, as on Discord."""
        guild = self.guilds.get(channel.guild_id or 0)
        mentioned = [self.users[int(i)] for i in MENTION.findall(content) if int(i) in self.users]
        if reply_to is not None and ping and reply_to.author not in mentioned:
            mentioned.append(reply_to.author)
        mention_roles = [int(r) for r in re.findall(r"<@&(\d+)>", content)]
        msg = FakeMessage(
            id=self.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=author,
            content=content,
            attachments=list(attachments or []),
            type=MESSAGE_REPLY if reply_to else MESSAGE_DEFAULT,
            reference={
                "message_id": str(reply_to.id),
                "channel_id": str(channel.id),
                **({"guild_id": str(guild.id)} if guild else {}),
            }
            if reply_to
            else None,
            mentions=mentioned,
            mention_roles=mention_roles,
            member=guild.members.get(author.id) if guild else None,
        )
        self.messages[msg.id] = msg
        session = self.gateway.session
        content_intent = bool(session and session.intents & _MESSAGE_CONTENT)
        own_role = (
            next((r.id for r in guild.roles.values() if r.bot_id == self.bot.id), None) if guild else None
        )
        visible = content_intent or channel.type == DM or self.bot in mentioned or own_role in mention_roles
        payload = msg.payload(resolved=self.messages, content=visible)
        for user_payload, user in zip(payload["mentions"], mentioned, strict=True):
            if guild and user.id in guild.members:
                user_payload["member"] = guild.members[user.id].payload(with_user=False)
        await self.gateway.dispatch("MESSAGE_CREATE", payload, private=channel.type == DM)
        return msg

    async def react(self: FakeDiscord, user: FakeUser, message: FakeMessage, emoji: str) -> bool:
        """`user` adds `emoji` (a unicode emoji, or `name:id` for a custom one) to `message`."""
        message.reactions.setdefault(emoji, set()).add(user.id)
        name, _, custom = emoji.partition(":")
        payload: JSON = {
            "user_id": str(user.id),
            "channel_id": str(message.channel_id),
            "message_id": str(message.id),
            "emoji": {"id": custom or None, "name": name},
            "message_author_id": str(message.author.id),
            "burst": False,
            "burst_colors": [],
            "type": 0,
        }
        guild = self.guilds.get(message.guild_id or 0)
        if guild is not None:
            payload["guild_id"] = str(guild.id)
            payload["member"] = guild.members[user.id].payload()
        return await self.gateway.dispatch("MESSAGE_REACTION_ADD", payload, private=guild is None)

    # -- interactions ------------------------------------------------------------------------------------

    def command(self: FakeDiscord, name: str, guild: FakeGuild | None, kind: int = 1) -> JSON:
        """The synced command `name` a member in `guild` sees (the guild's own first, then global)."""
        for scope in ([guild.id] if guild else []) + [None]:
            for cmd in self.commands.get(scope, []):
                if cmd["name"] == name and cmd["type"] == kind:
                    return cmd
        raise LookupError(f"no {name!r} command synced for this guild")

    def _visible(self: FakeDiscord, cmd: JSON, guild: FakeGuild | None, user: FakeUser) -> None:
        needed = cmd.get("default_member_permissions")
        if guild is None or needed is None:
            return
        have = guild.permissions_of(user.id)
        if int(needed) & ~have or (int(needed) == 0 and not have & ADMINISTRATOR):
            raise PermissionError(
                f"/{cmd['name']} is hidden from {user.username} (default_member_permissions)"
            )

    async def slash(
        self: FakeDiscord,
        user: FakeUser,
        channel: FakeChannel,
        name: str,
        /,
        *,
        locale: str = "en-US",
        **options: Any,
    ) -> FakeInteraction:
        """`user` runs `/name` with `options` (attachments as attachment objects from `attachment()`)."""
        guild = self.guilds.get(channel.guild_id or 0)
        cmd = self.command(name, guild)
        self._visible(cmd, guild, user)
        sent, resolved = [], {}
        schema = {o["name"]: o for o in cmd.get("options") or []}
        for key, value in options.items():
            opt = schema.get(key)
            if opt is None:
                raise ValueError(f"/{name} has no option {key!r}; it has {sorted(schema)}")
            sent.append(
                {"name": key, "type": opt["type"], "value": _option_value(name, opt, value, resolved)}
            )
        missing = [o["name"] for o in schema.values() if o.get("required") and o["name"] not in options]
        if missing:
            raise ValueError(f"/{name} needs {missing}: Discord would not send it")
        data: JSON = {"id": cmd["id"], "name": name, "type": 1, "options": sent}
        if resolved:
            data["resolved"] = {"attachments": resolved}
        if guild is not None and "guild_id" in cmd:
            data["guild_id"] = str(guild.id)
        return await self._interact(APPLICATION_COMMAND, user, channel, data, locale=locale)

    async def message_command(
        self: FakeDiscord, user: FakeUser, message: FakeMessage, name: str, *, locale: str = "en-US"
    ) -> FakeInteraction:
        """`user` picks `name` from the Apps menu of `message` (a message context-menu command)."""
        channel = self.channels[message.channel_id]
        guild = self.guilds.get(channel.guild_id or 0)
        cmd = self.command(name, guild, kind=3)
        self._visible(cmd, guild, user)
        data: JSON = {
            "id": cmd["id"],
            "name": name,
            "type": 3,
            "target_id": str(message.id),
            "resolved": {"messages": {str(message.id): message.payload(resolved=self.messages)}},
        }
        return await self._interact(APPLICATION_COMMAND, user, channel, data, locale=locale)

    async def press(
        self: FakeDiscord,
        user: FakeUser,
        message: FakeMessage,
        custom_id: str,
        *,
        locale: str = "en-US",
        check: bool = True,
    ) -> FakeInteraction:
        """`user` presses the button `custom_id` on `message` (`check`: it must be there, as in the client)."""
        if check:
            if message.deleted or custom_id not in message.custom_ids():
                raise LookupError(f"no button {custom_id!r} on message {message.id}: {message.custom_ids()}")
            if (
                message.ephemeral
                and message.interaction_user is not None
                and message.interaction_user.id != user.id
            ):
                raise PermissionError("an ephemeral message is only seen by the one it answered")
        channel = self.channels[message.channel_id]
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interact(MESSAGE_COMPONENT, user, channel, data, message=message, locale=locale)

    async def submit(
        self: FakeDiscord,
        user: FakeUser,
        opened: FakeInteraction,
        values: dict[str, str],
        *,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """`user` fills in and submits the modal the bot answered `opened` with; `values` by the text
        input's custom_id or label."""
        modal = opened.modal
        if modal is None:
            raise LookupError("the bot did not answer that interaction with a modal")
        rows = []
        for label, text_input in modal_inputs(modal):
            value = values.get(text_input["custom_id"], values.get(label, ""))
            if text_input.get("required", True) and not value:
                raise ValueError(f"the modal needs {label!r}")
            low, high = text_input.get("min_length", 0), text_input.get("max_length", 4000)
            if value and not low <= len(value) <= high:
                raise ValueError(f"{label!r} takes {low}-{high} characters")
            answer = {"type": 4, "custom_id": text_input["custom_id"], "value": value}
            if text_input.get("id") is not None:
                answer["id"] = text_input["id"]
            wrapped = [c for c in modal["components"] if c.get("component") is text_input]
            rows.append(
                {"type": 18, "id": wrapped[0].get("id"), "component": answer}
                if wrapped
                else {"type": 1, "components": [answer]}
            )
        data = {"custom_id": modal["custom_id"], "components": rows}
        return await self._interact(
            MODAL_SUBMIT, user, opened.channel, data, message=opened.message, locale=locale
        )

    async def _interact(
        self: FakeDiscord,
        kind: int,
        user: FakeUser,
        channel: FakeChannel,
        data: JSON,
        *,
        message: FakeMessage | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        from tests.fakes.discord_messages import FakeInteraction

        guild = self.guilds.get(channel.guild_id or 0)
        iid, token = self.ids.next(), "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
        payload: JSON = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "channel_id": str(channel.id),
            "channel": channel.payload(),
            "token": token,
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "app_permissions": str(guild.permissions_of(self.bot.id) if guild else MEMBER_PERMISSIONS),
            "authorizing_integration_owners": {"0": str(guild.id)} if guild else {"1": str(user.id)},
            "context": 0 if guild else 1,
            "attachment_size_limit": self._upload_limit(channel),
        }
        if guild is not None:
            member = guild.members[user.id]
            payload.update(
                guild_id=str(guild.id),
                guild_locale=guild.locale,
                guild={"id": str(guild.id), "locale": guild.locale, "features": []},
                member={**member.payload(), "permissions": str(guild.permissions_of(user.id))},
            )
        else:
            payload["user"] = user.payload()
        if message is not None:
            payload["message"] = message.payload(resolved=self.messages)
        it = FakeInteraction(iid, token, kind, payload, user, channel, message=message)
        self.interactions[iid] = it
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return it


def _option_value(command: str, opt: JSON, value: Any, resolved: JSON) -> Any:
    """An option value as Discord's client sends it, refusing what the client would not let through."""
    kind = opt["type"]
    if kind == 11:  # attachment: the id, with the attachment in resolved
        if not isinstance(value, dict) or "id" not in value:
            raise TypeError(f"/{command} {opt['name']} takes an uploaded file")
        resolved[value["id"]] = value
        return value["id"]
    if kind == 4 and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError(f"/{command} {opt['name']} takes a whole number")
    if kind == 3 and not isinstance(value, str):
        raise TypeError(f"/{command} {opt['name']} takes text")
    choices = opt.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise ValueError(f"/{command} {opt['name']} must be one of {[c['value'] for c in choices]}")
    if kind in (4, 10):
        if "min_value" in opt and value < opt["min_value"] or "max_value" in opt and value > opt["max_value"]:
            raise ValueError(
                f"/{command} {opt['name']} must be within {opt.get('min_value')}..{opt.get('max_value')}"
            )
    if kind == 3 and value and not opt.get("min_length", 0) <= len(value) <= opt.get("max_length", 6000):
        raise ValueError(f"/{command} {opt['name']} is too long")
    return value
