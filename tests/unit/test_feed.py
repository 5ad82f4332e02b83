"""The Explore feed read model (bot/feed.py) over a real SQLite job table, and the core paths that decide
what it may show: a private chat's clip starts out of it, /share and the Share button put it in,
reactions on clip posts are counted."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.core import Core
from bot.delivery import clip_reply
from bot.feed import TOP_WINDOW_S, BadCursor, Feed, FeedQuery
from bot.replies import Context, PostRef
from bot.settings import Settings
from engine.jobs import DONE, FAILED, Job
from tests.fakes.engines import FakeEngine


@pytest.fixture
async def core(tmp_path: Path) -> AsyncIterator[Core]:
    settings = Settings(
        data_dir=tmp_path / "data", _env_file=None, web_enabled=False, reaction_actions={"🔁": "loop"}
    )
    c = await Core.open(settings, FakeEngine(steps=2, real_video=False))
    await c.start()
    yield c
    await c.close()


async def seed(
    core: Core,
    job_id: str,
    *,
    owner: str = "telegram:1",
    platform: str = "telegram",
    chat: str = "-5",
    prompt: str = "a fox",
    parent: str | None = None,
    public: bool = True,
    finished: float | None = None,
    state: str = DONE,
    action: str = "create",
    author: str = "@ann",
) -> Job:
    now = time.time() if finished is None else finished
    job = Job(
        id=job_id,
        owner=owner,
        account=owner,
        action=action,
        request={
            "action": action,
            "prompt": prompt,
            "seconds": 5,
            "resolution": "480p",
            "aspect": "16:9",
            "variations": 1,
            "mode": "fast",
            "seed": 7,
            "audio": True,
        },
        spec={},
        price=25,
        state=state,
        created_at=now - 10,
        started_at=now - 8,
        finished_at=now,
        result={
            "path": f"/x/{job_id}-0.mp4",
            "paths": [f"/x/{job_id}-0.mp4"],
            "posters": [],
            "width": 854,
            "height": 480,
            "seconds": 5.0,
            "fps": 24,
        },
        origin={"platform": platform, "chat_id": chat, "author": author},
        parent=parent,
        public=public,
    )
    await core.jobs.add(job)
    return job


def ids(page: Any) -> list[str]:
    return [item.job_id for item in page.items]


async def test_newest_first_paged_by_cursor_without_gaps_or_repeats(core: Core) -> None:
    base = time.time() - 100
    for i in range(7):
        await seed(core, f"{i:012x}", finished=base + i)
    await seed(core, "f" * 12, finished=base + 50, state=FAILED)  # not a clip
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = await core.explore.page(FeedQuery(limit=3, cursor=cursor))
        seen += ids(page)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 3
    assert seen == [f"{i:012x}" for i in reversed(range(7))]
    item = (await core.explore.page(FeedQuery(limit=1))).items[0]
    assert (item.author, item.author_id, item.platform, item.prompt, item.credits) == (
        "@ann",
        "telegram:1",
        "telegram",
        "a fox",
        25,
    )
    assert item.settings["resolution"] == "480p" and item.settings["seconds"] == 5 and item.files == 1
    with pytest.raises(BadCursor):
        await core.explore.page(FeedQuery(cursor="nonsense"))
    with pytest.raises(ValueError):
        await core.explore.page(FeedQuery(filter="everything"))


async def test_private_clips_show_only_to_their_author_and_in_mine(core: Core) -> None:
    await seed(core, "a" * 12, owner="telegram:1", public=False)
    await seed(core, "b" * 12, owner="telegram:2")
    assert ids(await core.explore.page(FeedQuery())) == ["b" * 12]
    assert await core.explore.get("a" * 12) is None
    assert await core.explore.get("a" * 12, ["telegram:2"]) is None
    own = await core.explore.get("a" * 12, ["web:x", "telegram:1"])  # linked accounts see it as theirs
    assert own is not None and own.mine and not own.public
    mine = await core.explore.page(FeedQuery(filter="mine", viewer=("telegram:1",)))
    assert ids(mine) == ["a" * 12]
    assert ids(await core.explore.page(FeedQuery(filter="mine"))) == []


async def test_lineage_both_ways_without_revealing_private_clips(core: Core) -> None:
    t = time.time() - 50
    await seed(core, "1" * 12, prompt="a lighthouse", finished=t)
    await seed(
        core,
        "2" * 12,
        prompt="a lighthouse at night",
        parent="1" * 12,
        action="remix",
        finished=t + 1,
        author="@bob",
        owner="telegram:2",
    )
    await seed(
        core, "3" * 12, prompt="secret remix", parent="1" * 12, action="remix", public=False, finished=t + 2
    )
    await seed(core, "4" * 12, prompt="secret source", public=False, finished=t + 3)
    await seed(core, "5" * 12, prompt="remix of a secret", parent="4" * 12, action="loop", finished=t + 4)
    page = {i.job_id: i for i in (await core.explore.page(FeedQuery())).items}
    assert set(page) == {"1" * 12, "2" * 12, "5" * 12}
    source = page["1" * 12]
    assert source.remix_count == 1 and [r.job_id for r in source.remixes] == ["2" * 12]
    assert source.remixes[0].prompt == "a lighthouse at night" and source.remixes[0].author == "@bob"
    child = page["2" * 12]
    assert (
        child.parent is not None and child.parent.job_id == "1" * 12 and child.parent.prompt == "a lighthouse"
    )
    hidden_parent = page["5" * 12].parent
    assert hidden_parent is not None and not hidden_parent.visible and hidden_parent.prompt is None
    # the author of the private remix sees it under the source
    own_view = await core.explore.get("1" * 12, ["telegram:1"])
    assert own_view is not None and {r.job_id for r in own_view.remixes} == {"2" * 12, "3" * 12}


async def test_operator_hidden_channels_and_platforms_stay_out(core: Core) -> None:
    await seed(core, "a" * 12, platform="telegram", chat="-5")
    await seed(core, "b" * 12, platform="telegram", chat="-6")
    await seed(core, "c" * 12, platform="discord", chat="77")
    await seed(core, "d" * 12, platform="web", chat="w1")
    feed = await Feed(core.db, ["telegram:-5", "discord"]).open()
    assert set(ids(await feed.page(FeedQuery()))) == {"b" * 12, "d" * 12}
    assert await feed.get("a" * 12) is None
    assert set(ids(await feed.page(FeedQuery(platform="web")))) == {"d" * 12}


async def test_top_this_week_ranks_reactions_and_remixes(core: Core) -> None:
    now = time.time()
    await seed(core, "a" * 12, finished=now - 30)
    await seed(core, "b" * 12, finished=now - 20)
    await seed(core, "c" * 12, finished=now - 10)
    await seed(core, "e" * 12, finished=now - TOP_WINDOW_S - 60)  # last week's
    await seed(core, "f" * 12, parent="a" * 12, finished=now - 5)
    for user in ("telegram:1", "telegram:2", "telegram:3"):
        await core.explore.record_reaction("b" * 12, user, "👍")
    assert not await core.explore.record_reaction("b" * 12, "telegram:3", "👍")  # once per member and emoji
    await core.explore.record_reaction("e" * 12, "telegram:1", "👍")
    top = await core.explore.page(FeedQuery(filter="top", limit=2))
    assert ids(top) == ["b" * 12, "a" * 12] and top.next_cursor == "o2"
    rest = await core.explore.page(FeedQuery(filter="top", limit=2, cursor=top.next_cursor))
    assert ids(rest) == ["f" * 12, "c" * 12]
    assert top.items[0].reactions == {"👍": 3}


async def test_reactions_on_clip_posts_are_counted_mapped_or_not(core: Core) -> None:
    await seed(core, "a" * 12)
    post = PostRef("telegram", "-5", "900")
    await core.clip_posted("a" * 12, post)
    ctx = Context(user="telegram:2", origin={"platform": "telegram", "chat_id": "-5"})
    assert await core.react(ctx, "👍", post) is None  # means nothing as an action, still counted
    assert await core.react(ctx, "👍", PostRef("telegram", "-5", "901")) is None  # no clip there: not counted
    item = await core.explore.get("a" * 12)
    assert item is not None and item.reactions == {"👍": 1}


async def wait_final(core: Core, job_id: str) -> Job:
    for _ in range(500):
        job = await core.jobs.get(job_id)
        if job is not None and job.final:
            return job
        await asyncio.sleep(0.01)
    raise TimeoutError(job_id)


async def test_a_private_chat_clip_is_out_until_its_author_shares_it(core: Core) -> None:
    dm = Context(
        user="telegram:1",
        display_name="@ann",
        origin={"platform": "telegram", "chat_id": "1", "private": True},
    )
    group = Context(
        user="telegram:2",
        display_name="@bob",
        origin={"platform": "telegram", "chat_id": "-5", "private": False},
    )
    private = await core.handle_text(dm, "a quiet pond 5s")
    shared = await core.handle_text(group, "a busy street 5s")
    assert private.job_id and shared.job_id
    assert (await wait_final(core, private.job_id)).public is False
    assert (await wait_final(core, shared.job_id)).public is True
    assert ids(await core.explore.page(FeedQuery())) == [shared.job_id]
    private_job = await core.jobs.get(private.job_id)
    assert private_job is not None
    buttons = [b.action for row in clip_reply(private_job).buttons for b in row]
    assert "share" in buttons  # the private clip offers its author the Share button
    assert "share" not in [
        b.action for row in clip_reply(await core.jobs.get(shared.job_id)).buttons for b in row
    ]
    refused = await core.press(group, f"j:share:{private.job_id}")  # not the author
    assert refused.kind == "error" and refused.key == "not_owner"
    assert await core.explore.get(private.job_id) is None
    done = await core.handle_text(dm, "/share")  # the newest private clip
    assert done.key == "shared" and done.job_id == private.job_id
    assert set(ids(await core.explore.page(FeedQuery()))) == {private.job_id, shared.job_id}
    assert (await core.handle_text(dm, "/share")).key == "share_nothing"
