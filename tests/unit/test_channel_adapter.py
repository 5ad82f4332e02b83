"""ChannelAdapter, the part every channel shares, over an in-memory channel and a scripted core: a job's
status post (throttled, one edit at a time, newest progress wins), the clip posted before the status goes,
the fallback when a post fails, where answers only for the asker go, presses and reactions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.base import ChannelAdapter, Outgoing, Place, Where
from bot.buttons import encode
from bot.errors import DeliveryFailed
from bot.replies import Attachment, Button, ClipOut, Context, Notice, PostRef, Reply

JOB = "0123456789ab"
TOKEN = "0123456789abcdef"


class Refused(Exception):
    """What the in-memory platform raises when it will not take a post."""


class ScriptedCore:
    """The core as a channel sees it: answers are set by the test, what the channel tells it is kept."""

    def __init__(self) -> None:
        self.subscribers: dict[str, Any] = {}
        self.answer: Reply | None = None
        self.status: list[tuple[str, PostRef]] = []
        self.clips: list[tuple[str, PostRef]] = []
        self.posts: list[PostRef] = []
        self.asked: list[tuple[str, Any]] = []

    def subscribe(
        self, platform: str, fn: Any, *, wait_for_status: bool = False, checker: Any = None
    ) -> None:
        assert wait_for_status  # every chat channel posts a status first: its notices wait for it
        assert checker is not None and checker.find_posted  # and answers the posting rule's questions
        self.subscribers[platform] = fn

    async def handle_message(
        self,
        ctx: Context,
        body: str,
        attachments: list[Attachment],
        reply_to: PostRef | None,
        *,
        bot_names: tuple[str, ...] = (),
    ) -> Reply | None:
        self.asked.append(("message", (body, bot_names)))
        return self.answer

    async def press(self, ctx: Context, data: str) -> Reply:
        self.asked.append(("press", data))
        assert self.answer is not None
        return self.answer

    async def react(self, ctx: Context, emoji: str, post: PostRef) -> Reply | None:
        self.asked.append(("react", (emoji, post)))
        return self.answer

    async def status_posted(self, job_id: str, post: PostRef | None) -> None:
        self.status.append((job_id, post))

    async def clip_posted(self, job_id: str, post: PostRef) -> None:
        self.clips.append((job_id, post))

    async def posts_of(self, job_id: str, kind: str | None = None) -> list[PostRef]:
        assert kind == "clip"  # a deleted clip's posts come down, not its (long gone) status post
        return list(self.posts)


class MemoryChannel(ChannelAdapter):
    """A platform that keeps posts in a dict; `log` is every primitive call in order."""

    platform = "mem"
    delivery_errors = (Refused,)

    def __init__(self, core: ScriptedCore, **kwargs: Any) -> None:
        super().__init__(core, **kwargs)  # type: ignore[arg-type]
        self.bot_name = "membot"
        self.posts: dict[str, Outgoing] = {}
        self.log: list[tuple[str, Any]] = []
        self.edit_delay = 0.0
        self.refuse_clip_after = -1  # post this many clip files, then refuse
        self.private_open: set[str] = set()
        self.deletable = True
        self.ephemeral = False
        self._ids = iter(range(1, 10_000))

    def _post(self, chat: str, out: Outgoing) -> PostRef:
        ref = PostRef("mem", chat, str(next(self._ids)))
        self.posts[ref.message] = out
        return ref

    async def send(self, place: Place, out: Outgoing) -> PostRef | None:
        self.log.append(("send", (place, out.reply.key, out.text)))
        return self._post(place.chat, out)

    async def edit(self, post: PostRef, out: Outgoing) -> bool:
        self.log.append(("edit-start", (post.message, out.reply.key, out.reply.progress)))
        await asyncio.sleep(self.edit_delay)
        if post.message not in self.posts:
            return False
        self.posts[post.message] = out
        self.log.append(("edit", (post.message, out.reply.key, out.reply.progress)))
        return True

    async def delete(self, post: PostRef) -> bool:
        self.log.append(("delete", post.message))
        if not self.deletable:
            return False
        return self.posts.pop(post.message, None) is not None

    async def strip(self, post: PostRef, out: Outgoing) -> bool:
        self.log.append(("strip", post.message))
        return post.message in self.posts

    async def post_clip(self, place: Place, out: Outgoing) -> AsyncIterator[PostRef]:
        clip = out.reply.clip
        assert clip is not None
        for i, path in enumerate([clip.path, *clip.extra_paths]):
            if i == self.refuse_clip_after:
                raise Refused("too big")
            ref = self._post(place.chat, out)
            self.log.append(("clip", (place, path.name, ref.message)))
            yield ref

    async def send_private(self, user: str, out: Outgoing) -> PostRef | None:
        self.log.append(("private", (user, out.reply.key)))
        if user not in self.private_open:
            raise Refused("no private chat")
        return self._post(f"dm:{user}", out)

    async def send_ephemeral(self, where: Where, out: Outgoing) -> bool:
        if self.ephemeral:
            self.log.append(("ephemeral", (where.user, out.reply.key)))
        return self.ephemeral

    def calls(self, kind: str) -> list[Any]:
        return [args for name, args in self.log if name == kind]


ORIGIN = {"platform": "mem", "chat_id": "g1", "message_id": "7", "thread_id": "3", "lang": "en"}
GROUP = Where(chat="g1", user="u1", message="7", thread="3")
PRIVATE = Where(chat="u1", user="u1", message="5", private=True)


def ctx(name: str = "@ann") -> Context:
    return Context(user="mem:u1", lang="en", display_name=name, origin=dict(ORIGIN))


def notice(kind: str, status: PostRef | None, progress: float | None = None, **fields: Any) -> Notice:
    key = {
        "started": "started",
        "progress": "progress",
        "failed": "failed",
        "cancelled": "cancelled",
        "done": "done",
    }[kind]
    reply = Reply(key, {"summary": "5 s · 480p · 16:9"}, kind=kind, job_id=JOB, progress=progress, **fields)
    return Notice(kind, reply, JOB, dict(ORIGIN), status)


def clip(tmp_path: Path, variations: int = 1) -> ClipOut:
    paths = [tmp_path / f"clip{i}.mp4" for i in range(variations)]
    return ClipOut(JOB, paths[0], None, 854, 480, 5.0, 24, extra_paths=paths[1:])


@pytest.fixture
def mem() -> tuple[ScriptedCore, MemoryChannel]:
    core = ScriptedCore()
    return core, MemoryChannel(core, progress_interval=0.0)


async def queued_status(core: ScriptedCore, chan: MemoryChannel) -> PostRef:
    core.answer = Reply("queued", {"price": 25}, kind="queued", job_id=JOB, buttons=[[Button("cancel", JOB)]])
    await chan.message_in(ctx(), GROUP, "a cat", [], None)
    ((job, post),) = core.status
    assert job == JOB
    return post


# -- a job's status post -----------------------------------------------------------------------------


async def test_the_queued_answer_is_the_status_post_and_the_channel_subscribed(mem: Any) -> None:
    core, chan = mem
    assert core.subscribers["mem"] == chan.on_notice
    post = await queued_status(core, chan)
    ((place, key, _),) = chan.calls("send")
    assert place == Place("g1", "7", "3") and key == "queued"
    assert post.platform == "mem" and post.chat == "g1"


async def test_progress_edits_are_throttled_but_started_always_shows() -> None:
    core = ScriptedCore()
    chan = MemoryChannel(core, progress_interval=60.0)
    status = await queued_status(core, chan)
    await chan.on_notice(notice("started", status))
    for fraction in (0.25, 0.5, 0.75):
        await chan.on_notice(notice("progress", status, fraction))
    assert chan.calls("edit") == [(status.message, "started", None)]


async def test_edits_go_one_at_a_time_and_the_newest_progress_wins(mem: Any) -> None:
    core, chan = mem
    status = await queued_status(core, chan)
    chan.edit_delay = 0.05
    # the engine reports faster than the platform takes edits, and its reports may arrive out of order
    await asyncio.gather(*(chan.on_notice(notice("progress", status, f)) for f in (0.25, 0.75, 0.5, 1.0)))
    assert chan.calls("edit") == [(status.message, "progress", 0.25), (status.message, "progress", 1.0)]
    started = [i for i, (name, _) in enumerate(chan.log) if name == "edit-start"]
    done = [i for i, (name, _) in enumerate(chan.log) if name == "edit"]
    assert started[1] > done[0]  # never two edits of one post at once


async def test_the_final_word_lands_after_an_edit_still_on_its_way(mem: Any) -> None:
    core, chan = mem
    status = await queued_status(core, chan)
    chan.edit_delay = 0.05
    progress = asyncio.create_task(chan.on_notice(notice("progress", status, 0.5)))
    await asyncio.sleep(0.01)
    await asyncio.gather(
        chan.on_notice(notice("failed", status)), chan.on_notice(notice("progress", status, 0.9))
    )
    await progress
    assert [key for _, key, _ in chan.calls("edit")] == ["progress", "failed"]
    assert chan.posts[status.message].reply.key == "failed"
    await chan.on_notice(notice("progress", status, 1.0))  # a straggler after the end changes nothing
    assert chan.posts[status.message].reply.key == "failed"


async def test_a_failure_without_a_status_post_is_a_new_post_quoting_the_request(mem: Any) -> None:
    core, chan = mem
    await chan.on_notice(notice("failed", None))
    ((place, key, _),) = chan.calls("send")
    assert place == Place("g1", "7", "3") and key == "failed"
    gone = PostRef("mem", "g1", "999")  # deleted by a member: edit fails, so a new post it is
    await chan.on_notice(notice("cancelled", gone))
    assert [key for _, key, _ in chan.calls("send")] == ["failed", "cancelled"]


# -- the clip ----------------------------------------------------------------------------------------


async def test_every_clip_post_is_recorded_before_the_status_post_goes(mem: Any, tmp_path: Path) -> None:
    core, chan = mem
    status = await queued_status(core, chan)
    await chan.on_notice(notice("done", status, 1.0, clip=clip(tmp_path, variations=2)))
    names = [name for name, _ in chan.log if name in ("clip", "delete")]
    assert names == ["clip", "clip", "delete"]
    posted = [ref for _, _, ref in chan.calls("clip")]
    assert [(job, post.message) for job, post in core.clips] == [(JOB, m) for m in posted]
    assert chan.calls("clip")[0][0] == Place("g1", "7", "3")
    assert status.message not in chan.posts


async def test_a_clip_that_cannot_be_posted_turns_the_status_into_the_fallback(
    mem: Any, tmp_path: Path
) -> None:
    core, chan = mem
    status = await queued_status(core, chan)
    chan.refuse_clip_after = 1  # the first variation goes out, the second is refused
    with pytest.raises(DeliveryFailed):  # the core's posting rule decides what comes next (bot/posting.py)
        await chan.on_notice(notice("done", status, 1.0, clip=clip(tmp_path, variations=2)))
    assert len(core.clips) == 1  # what did go out is known (redelivery will not post it twice)
    assert chan.posts[status.message].reply.key == "clip_post_failed"
    assert chan.posts[status.message].reply.kind == "error"
    assert chan.calls("delete") == []


# -- answers only for the asker ----------------------------------------------------------------------


async def test_an_answer_only_for_the_asker_goes_privately_or_the_group_hears_how(mem: Any) -> None:
    core, chan = mem
    core.answer = Reply("link_code", {"code": "ABCDEFGH", "minutes": 10}, ephemeral=True)
    await chan.message_in(ctx(), GROUP, "/link", [], None)
    assert chan.calls("private") == [("u1", "link_code")]
    ((place, key, text),) = chan.calls("send")  # no private chat yet: the group learns how to open one
    assert place == Place("g1", "7", "3") and key == "open_private_chat"
    assert "@membot" in text and "ABCDEFGH" not in text

    chan.private_open.add("u1")
    await chan.message_in(ctx(), GROUP, "/link", [], None)
    assert len(chan.calls("send")) == 1
    assert [p.reply.key for m, p in chan.posts.items() if p.reply.key == "link_code"] == ["link_code"]

    await chan.message_in(ctx(), PRIVATE, "/link", [], None)  # a private chat is already private
    assert chan.calls("send")[-1][0] == Place("u1", "5", None) and len(chan.calls("private")) == 2


async def test_a_platform_with_ephemeral_answers_uses_them(mem: Any) -> None:
    core, chan = mem
    chan.ephemeral = True
    core.answer = Reply("balance", {"available": 100}, ephemeral=True)
    await chan.message_in(ctx(), GROUP, "/balance", [], None)
    assert chan.calls("ephemeral") == [("u1", "balance")]
    assert chan.calls("private") == [] and chan.calls("send") == []


# -- presses and reactions -----------------------------------------------------------------------------


class Presses:
    def __init__(self) -> None:
        self.answers: list[tuple[str | None, bool]] = []

    async def __call__(self, out: Outgoing | None, alert: bool) -> None:
        self.answers.append((out.reply.key if out else None, alert))


async def test_a_confirm_press_turns_the_confirm_post_into_the_status(mem: Any) -> None:
    core, chan = mem
    ask = await chan.send(Place("g1"), Outgoing(Reply("confirm_spend", kind="confirm"), "en"))
    assert ask is not None
    core.answer = Reply("queued", kind="queued", job_id=JOB, buttons=[[Button("cancel", JOB)]])
    presses = Presses()
    where = Where(chat="g1", user="u1", message=ask.message)
    await chan.press_in(ctx(), where, encode(Button("confirm", TOKEN)), presses)
    assert presses.answers == [(None, False)]
    assert chan.posts[ask.message].reply.key == "queued" and core.status == [(JOB, ask)]
    assert len(chan.calls("send")) == 1  # no new post

    core.answer = Reply("button_invalid", kind="error", ephemeral=True)  # the same tap again: an alert
    await chan.press_in(ctx(), where, encode(Button("confirm", TOKEN)), presses)
    assert presses.answers[-1] == ("button_invalid", True)
    assert chan.posts[ask.message].reply.key == "queued"


async def test_a_clip_button_press_answers_in_the_chat_naming_the_presser(mem: Any) -> None:
    core, chan = mem
    core.answer = Reply(
        "queued",
        {"price": 25},
        kind="queued",
        job_id="fedcba987654",
        buttons=[[Button("cancel", "fedcba987654")]],
    )
    presses = Presses()
    where = Where(chat="g1", user="u2", message="40")
    await chan.press_in(ctx("@bob"), where, encode(Button("loop", JOB)), presses)
    assert presses.answers == [(None, False)]
    ((place, key, text),) = chan.calls("send")
    assert place == Place("g1", None, None) and key == "queued" and text.startswith("@bob: ")
    assert core.status[0][0] == "fedcba987654"

    core.answer = Reply("cancelling", kind="info")  # nothing worth keeping in the chat: a toast
    await chan.press_in(ctx("@bob"), where, encode(Button("cancel", JOB)), presses)
    assert presses.answers[-1] == ("cancelling", False) and len(chan.calls("send")) == 1


async def test_a_delete_press_takes_every_post_of_the_clip_down(mem: Any) -> None:
    core, chan = mem
    first = await chan.send(Place("g1"), Outgoing(Reply("done"), "en"))
    second = await chan.send(Place("g2"), Outgoing(Reply("done"), "en"))
    assert first is not None and second is not None
    core.posts = [first, PostRef("web", "s1", "1"), second]
    core.answer = Reply("deleted", kind="deleted", job_id=JOB)
    presses = Presses()
    chan.deletable = False  # too old to delete: the post is stripped instead
    await chan.press_in(
        ctx(), Where(chat="g1", user="u1", message=first.message), encode(Button("delete", JOB)), presses
    )
    assert presses.answers == [("deleted", False)]
    assert chan.calls("delete") == [first.message, second.message]  # only this platform's posts
    assert chan.calls("strip") == [first.message, second.message]


async def test_reactions_answer_in_the_chat_or_privately_never_with_a_hint(mem: Any) -> None:
    core, chan = mem
    clip_post = PostRef("mem", "g1", "40")
    core.answer = Reply("queued", kind="queued", job_id=JOB)
    await chan.reaction_in(ctx("@bob"), Where(chat="g1", user="u2"), "🔥", clip_post)
    ((place, _, text),) = chan.calls("send")
    assert place == Place("g1", "40", None) and text.startswith("@bob: ") and core.status[0][0] == JOB

    core.answer = Reply("clip_gone", kind="error", ephemeral=True)
    await chan.reaction_in(ctx("@bob"), Where(chat="g1", user="u2"), "🔥", clip_post)
    assert chan.calls("private") == [("u2", "clip_gone")] and len(chan.calls("send")) == 1

    core.answer = None  # an emoji that means nothing
    await chan.reaction_in(ctx("@bob"), Where(chat="g1", user="u2"), "👍", clip_post)
    assert len(chan.calls("send")) == 1 and len(chan.calls("private")) == 1


async def test_a_failed_handler_tells_the_member_unless_the_chat_refuses(mem: Any) -> None:
    core, chan = mem
    await chan.failed(GROUP, "zh", RuntimeError("boom"))
    ((place, key, _),) = chan.calls("send")
    assert place == Place("g1", "7", "3") and key == "internal_after"
