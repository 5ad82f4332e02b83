"""The local web channel: a chat with the bot in the browser, served by the bot process (aiohttp), and the
community's Explore feed. A third channel on bot/adapters/base.py: a member's messages, taps and clip
buttons go to the core like a chat platform's, and the base's primitives (send, edit, delete, post a clip)
become messages in the member's chat log, pushed to their open pages as server-sent events.

Translation only. The HTTP side (routes, API, uploads, identity) lives in the other web_* modules;
every rule is the core's, every word the message table's.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from bot.adapters.base import ChannelAdapter, Outgoing, Place, Where
from bot.adapters.web_events import ChatLog, Event, EventHub
from bot.adapters.web_identity import Member, Members, Signer
from bot.core import Core, detect_lang
from bot.messages import label
from bot.replies import Context, Notice, PostRef, Reply
from bot.settings import Settings

log = logging.getLogger(__name__)

PLATFORM = "web"
#: progress edits of a status message (a browser takes them as fast as they come; this only bounds work)
WEB_PROGRESS_INTERVAL = 0.5
#: how often the feed is checked for clips from any channel (a cheap MAX query), while pages are open
FEED_POLL_S = 2.0


class Collected:
    """The chat messages the handling of one HTTP request posted (its answer returns them too). Tasks
    started meanwhile inherit the context; once `done`, what they post is no longer collected."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.done = False

    def __enter__(self) -> Collected:
        self._token = _posted.set(self)
        return self

    def __exit__(self, *_: object) -> None:
        self.done = True
        _posted.reset(self._token)


_posted: contextvars.ContextVar[Collected | None] = contextvars.ContextVar("web_posted", default=None)


class WebDeliveryError(Exception):
    """A message for a chat the web channel cannot reach (never raised for an absent browser: the log
    keeps the message until the page comes back)."""


class WebAdapter(ChannelAdapter):
    """The web channel. `start()` serves http://web_host:web_port; `stop()` ends the streams and the server."""

    platform = PLATFORM
    delivery_errors = (WebDeliveryError,)

    def __init__(
        self, core: Core, settings: Settings, *, progress_interval: float = WEB_PROGRESS_INTERVAL
    ) -> None:
        super().__init__(core, progress_interval=progress_interval)
        self.settings = settings
        self.hub = EventHub()
        self.chats = ChatLog()
        self.members = Members(core.db)
        self.signer = Signer.load(settings.data_dir)
        self.feed_poll_s = FEED_POLL_S
        self._runner: web.AppRunner | None = None
        self._watcher: asyncio.Task[None] | None = None
        self.port: int = settings.web_port  # the bound port (differs when web_port is 0)

    @property
    def url(self) -> str:
        if self.settings.web_public_url:
            return self.settings.web_url
        return self.settings.web_url.rsplit(":", 1)[0] + f":{self.port}"

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind and serve. Raises OSError when the address is taken."""
        from bot.adapters.web_server import build_app

        await self.members.open()
        self._runner = web.AppRunner(build_app(self), access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.web_host, self.settings.web_port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        self._watcher = asyncio.create_task(self._watch_feed(), name="web-feed-watch")
        log.info("web: serving %s", self.url)

    async def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
        self.hub.shutdown()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _watch_feed(self) -> None:
        """Tell open pages when the feed has a newer clip, from whichever channel it came."""
        newest = await self.core.explore.newest()
        while True:
            await asyncio.sleep(self.feed_poll_s)
            if not self.hub.count:
                continue
            try:
                latest = await self.core.explore.newest()
            except Exception:
                log.exception("web: feed check failed")
                continue
            if latest > newest:
                newest = latest
                self.hub.broadcast(Event("feed", {"newest": latest}))

    # -- members -------------------------------------------------------------------------------

    def context(
        self,
        member: Member,
        *,
        lang: str | None = None,
        sample: str | None = None,
        accept_language: str | None = None,
        message: str | None = None,
    ) -> tuple[Context, Where]:
        """The core's Context and the base's Where for `member` in their chat (a shared channel: its
        clips are in the feed)."""
        where = Where(chat=member.id, user=member.id, message=message, private=False)
        ctx = Context(
            user=member.user,
            lang=lang or detect_lang(sample, _first_language(accept_language)),
            display_name=member.display_name,
            origin=self.origin(where),
        )
        return ctx, where

    async def viewer(self, member: Member) -> tuple[str, ...]:
        """The ids whose clips count as the member's own: theirs and their linked accounts'."""
        try:
            linked = await self.core.ledger.linked_ids(member.user)
        except Exception:  # no wallet yet
            linked = []
        return tuple(dict.fromkeys([member.user, *linked]))

    # -- rendering -----------------------------------------------------------------------------

    def media(self, job_id: str, result: dict[str, Any] | None) -> dict[str, Any] | None:
        """A finished clip's files (its stored result) as URLs of this server, never its paths on disk."""
        if not result:
            return None
        paths = result.get("paths") or ([result["path"]] if result.get("path") else [])
        return media_urls(
            job_id,
            len(paths),
            bool(result.get("posters")),
            int(result.get("width") or 0),
            int(result.get("height") or 0),
            float(result.get("seconds") or 0),
        )

    def reply_json(self, reply: Reply, lang: str) -> dict[str, Any]:
        """The Reply as ReplyOut: every field, buttons with their captions, the clip as URLs."""
        data = reply.to_json()
        data["buttons"] = [[{**b.to_json(), "label": label(b, lang)} for b in row] for row in reply.buttons]
        clip = reply.clip
        data["clip"] = None
        if clip is not None:
            data["clip"] = self.media(
                clip.job_id,
                {
                    "paths": [str(clip.path), *(str(p) for p in clip.extra_paths)],
                    "posters": [str(clip.poster)] if clip.poster else [],
                    "width": clip.width,
                    "height": clip.height,
                    "seconds": clip.seconds,
                },
            )
        return data

    def message_json(self, message_id: str, out: Outgoing, reply_to: str | None = None) -> dict[str, Any]:
        return {
            "id": message_id,
            "role": "bot",
            "at": time.time(),
            "text": out.text,
            "reply": self.reply_json(out.reply, out.lang),
            "reply_to": reply_to,
            "files": [],
        }

    # -- what the HTTP side calls ----------------------------------------------------------------

    def member_said(
        self, chat: str, text: str, files: list[str], reply_to: str | None = None
    ) -> dict[str, Any]:
        """Put the member's own message in their chat (their other tabs see it too)."""
        message = {
            "id": self.chats.new_id(),
            "role": "member",
            "at": time.time(),
            "text": text,
            "reply": None,
            "reply_to": reply_to,
            "files": files,
        }
        self._post(chat, message, "message")
        return message

    def collect(self) -> Collected:
        """`with adapter.collect() as posted:` gathers in `posted.messages` what the block posts."""
        return Collected()

    def _post(self, chat: str, message: dict[str, Any], kind: str) -> None:
        if kind == "message":
            self.chats.add(chat, message)
        posted = _posted.get()
        if posted is not None and not posted.done:
            posted.messages.append(message)
        self.hub.publish(chat, Event(kind, message))

    # -- the base's primitives -------------------------------------------------------------------

    async def send(self, place: Place, out: Outgoing) -> PostRef | None:
        message = self.message_json(self.chats.new_id(), out, place.reply_to)
        self._post(place.chat, message, "message")
        return PostRef(PLATFORM, place.chat, message["id"])

    async def edit(self, post: PostRef, out: Outgoing) -> bool:
        old = self.chats.get(post.chat, post.message)
        if old is None:
            return False
        message = self.message_json(post.message, out, old.get("reply_to"))
        message["at"] = old["at"]
        self.chats.replace(post.chat, message)
        self._post(post.chat, message, "edit")
        return True

    async def delete(self, post: PostRef) -> bool:
        removed = self.chats.remove(post.chat, post.message)
        self.hub.publish(post.chat, Event("delete", {"id": post.message}))
        return removed

    async def post_clip(self, place: Place, out: Outgoing) -> AsyncIterator[PostRef]:
        """One message carries the clip and its variations (the page plays them inline)."""
        post = await self.send(place, out)
        if post is not None:
            yield post

    async def send_private(self, user: str, out: Outgoing) -> PostRef | None:
        return await self.send(Place(user), out)

    # -- what the posting rule asks (bot/posting.py) ---------------------------------------------

    async def find_posted(self, notice: Notice, anchor: str | None) -> list[PostRef] | None:
        """The web channel is its own platform: the clip messages of `notice`'s job in the member's chat
        log that no post row records yet. The log lives in this process, so after a restart it is empty
        and the answer is [] (post it: the member's chat holds no copy), never "cannot tell"."""
        chat = str(notice.origin.get("chat_id") or "")
        found = []
        for message in self.chats.messages(chat):
            clip = (message.get("reply") or {}).get("clip") or {}
            if message.get("role") != "bot" or clip.get("job_id") != notice.job_id:
                continue
            post = PostRef(PLATFORM, chat, str(message["id"]))
            if await self.core.job_for_post(post) is None:
                found.append(post)
        return found

    def actor(self, ctx: Context, where: Where) -> str | None:
        """Each member's web chat is their own: an answer to their tap needs no name on it."""
        return None

    async def send_ephemeral(self, where: Where, out: Outgoing) -> bool:
        """A member's web chat is theirs alone: an answer only for them goes there."""
        await self.send(where.place(), out)
        return True

    async def on_notice(self, notice: Notice) -> None:
        """Every notice also goes to the member's pages as a `job` event, unthrottled (the progress bars
        of the job list), before the base edits the status message."""
        chat = str(notice.origin.get("chat_id") or "")
        reply = notice.reply
        self.hub.publish(
            chat,
            Event(
                "job",
                {
                    "job_id": notice.job_id,
                    "kind": notice.kind,
                    "progress": reply.progress,
                    "eta_s": reply.eta_s,
                    "key": reply.key,
                },
            ),
        )
        await super().on_notice(notice)


def media_urls(
    job_id: str, videos: int, poster: bool, width: int, height: int, seconds: float
) -> dict[str, Any]:
    """ClipMedia: the URLs of a clip's videos and poster, and its page."""
    return {
        "job_id": job_id,
        "videos": [f"/media/{job_id}/{i}.mp4" for i in range(videos)],
        "poster": f"/media/{job_id}/0.jpg" if poster else None,
        "width": width,
        "height": height,
        "seconds": seconds,
        "page": f"/clip/{job_id}",
    }


def _first_language(header: str | None) -> str | None:
    """The first language of an Accept-Language header ("zh-CN,zh;q=0.9,en;q=0.8" -> "zh-CN")."""
    if not header:
        return None
    return header.split(",", 1)[0].split(";", 1)[0].strip() or None


__all__ = ["PLATFORM", "WebAdapter"]
