"""An answer on its way out and its address: the Where of the event being answered, the Place a post goes
to, the Outgoing Reply rendered in the member's language, and how a platform answers a button press.

Plain values shared by the base (bot/adapters/base.py) and every adapter; no platform, no sending here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.messages import render
from bot.replies import Reply


@dataclass(frozen=True)
class Place:
    """Where a post goes: a chat (channel, group, web session), optionally quoting a message of it and
    inside a thread / forum topic of it. `handle`: the platform's object of the event being answered, when
    the answer goes back through it (a Discord interaction's response), opaque to the base; None for
    posts that answer no live event (a job's clip, a notice after a restart)."""

    chat: str
    reply_to: str | None = None
    thread: str | None = None
    handle: Any = field(default=None, compare=False)


@dataclass(frozen=True)
class Where:
    """Where an event happened and how to answer it. `message`: the member's message, or the post they
    pressed or reacted to; `private`: a one-to-one chat with the bot; `user`: the member's own id on the
    platform (for an answer only they may see); `handle`: the platform's object for the event (a Discord
    interaction), opaque to the base."""

    chat: str
    user: str
    message: str | None = None
    thread: str | None = None
    private: bool = False
    handle: Any = None

    def place(self, *, quote: bool = True) -> Place:
        return Place(self.chat, self.message if quote else None, self.thread, self.handle)


@dataclass(frozen=True)
class Outgoing:
    """A Reply on its way out: rendered in `lang`; in a shared chat, an answer to someone's tap or reaction
    says whose it was (`actor`)."""

    reply: Reply
    lang: str
    actor: str | None = None

    @property
    def text(self) -> str:
        """The message as plain text with the message table's light markup (`code`, *bold*)."""
        body = render(self.reply, self.lang)
        return f"{self.actor}: {body}" if self.actor else body


#: the platform's answer to a press: None acknowledges silently, an Outgoing is shown briefly (a toast);
#: `alert` asks for it to stay until dismissed (a refusal)
PressAnswer = Callable[[Outgoing | None, bool], Awaitable[None]]
