"""Core rules the Discord channel brought: plans that follow a member's roles, tips (a ledger transfer once
per tipper per clip), clip actions named on a post (context menus) and commands with attachments and a clip
reference. Real Core, real SQLite, fake engine."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.core import Core
from bot.messages import render
from bot.replies import Attachment, Context, PostRef
from bot.settings import Settings
from engine.jobs import DONE
from tests.fakes.engines import FakeEngine

PATRON, BOOSTER, OTHER = "111", "222", "333"


async def open_core(tmp_path: Path, **settings: Any) -> Core:
    s = Settings(
        data_dir=tmp_path / "data",
        _env_file=None,
        admins=["discord:999"],
        discord_role_plans={PATRON: "plus", BOOSTER: "pro"},
        **settings,
    )
    core = await Core.open(s, FakeEngine(steps=2, real_video=False))
    await core.start()
    return core


@pytest.fixture
async def core(tmp_path: Path):
    opened = await open_core(tmp_path, tip_credits=5)
    yield opened
    await opened.close()


def member(user: str = "discord:1", roles: list[str] | None = None, platform: str = "discord") -> Context:
    return Context(
        user=user,
        display_name=user.split(":")[1],
        roles=roles,
        origin={"platform": platform, "chat_id": "10", "message_id": None},
    )


async def finished(core: Core, job_id: str) -> None:
    async def poll() -> None:
        while True:
            job = await core.jobs.get(job_id)
            if job is not None and job.state == DONE:
                return
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), 10)


async def clip_of(core: Core, user: str, message: str = "500") -> tuple[str, PostRef]:
    queued = await core.handle_text(member(user, []), "a red kite over hills 5s")
    assert queued.kind == "queued" and queued.job_id, render(queued)
    await finished(core, queued.job_id)
    post = PostRef("discord", "10", message)
    await core.clip_posted(queued.job_id, post)
    return queued.job_id, post


# -- plans from roles ---------------------------------------------------------------------------------


async def test_a_role_mapped_to_a_plan_lifts_the_limits_and_losing_it_brings_the_plan_back(
    core: Core,
) -> None:
    ask = "a harbour at dawn 5s 720p"
    refused = await core.handle_text(member("discord:1", [OTHER]), ask)
    assert refused.kind == "offer" and "free plan goes up to 480p" in render(refused)
    spent_before = (await core.ledger.balance("discord:1")).available

    lifted = await core.handle_text(member("discord:1", [OTHER, PATRON]), ask)
    assert lifted.kind == "queued" and lifted.price == 60, render(lifted)
    bal = await core.ledger.balance("discord:1")
    assert bal.plan == "plus"
    assert (
        bal.available == 1000 - (100 - spent_before) - 60
    )  # plus's credits, minus what was spent this cycle

    # the best of several roles wins
    await core.handle_text(member("discord:1", [PATRON, BOOSTER]), "/balance")
    assert (await core.ledger.balance("discord:1")).plan == "pro"

    # without the roles the plan the account had comes back, and what was spent stays spent
    back = await core.handle_text(member("discord:1", [OTHER]), ask)
    assert back.kind == "offer"
    assert (await core.ledger.balance("discord:1")).plan == "free"
    assert (await core.ledger.books()).balanced


async def test_roles_never_lower_a_plan_an_admin_set_and_an_admin_change_wins(core: Core) -> None:
    admin = member("discord:999", [])
    assert (await core.command(admin, "setplan", {"user": "discord:2", "plan": "pro"})).key == "plan_set"
    await core.handle_text(member("discord:2", [PATRON]), "/balance")
    assert (await core.ledger.balance("discord:2")).plan == "pro"  # plus from the role is below pro
    await core.handle_text(member("discord:2", []), "/balance")
    assert (await core.ledger.balance("discord:2")).plan == "pro"

    await core.handle_text(member("discord:3", [PATRON]), "/balance")
    assert (await core.ledger.balance("discord:3")).plan == "plus"
    await core.command(admin, "setplan", {"user": "discord:3", "plan": "free"})  # the admin takes it away
    await core.handle_text(member("discord:3", [PATRON]), "/balance")
    await core.handle_text(member("discord:3", []), "/balance")
    assert (await core.ledger.balance("discord:3")).plan == "free"


async def test_roles_mean_nothing_on_a_platform_without_them(core: Core) -> None:
    await core.handle_text(member("telegram:4", [PATRON], platform="telegram"), "/balance")
    assert (await core.ledger.balance("telegram:4")).plan == "free"
    await core.handle_text(member("discord:4", None), "/balance")  # the channel reported no roles
    assert (await core.ledger.balance("discord:4")).plan == "free"


async def test_plans_say_which_role_gives_which_plan(core: Core) -> None:
    reply = await core.handle_text(member("discord:5", []), "/plans")
    roles = {p["name"]: p["roles"] for p in reply.params["plans"]}
    assert roles == {"free": [], "plus": [PATRON], "pro": [BOOSTER]}
    assert f"with the role {PATRON}" in render(reply)
    telegram = await core.handle_text(member("telegram:5", [], platform="telegram"), "/plans")
    assert all(p["roles"] == [] for p in telegram.params["plans"])


# -- tips -----------------------------------------------------------------------------------------------


async def test_a_tip_moves_credits_from_the_tipper_to_the_author_once(core: Core) -> None:
    job_id, post = await clip_of(core, "discord:1")
    author_before = await core.ledger.balance("discord:1")
    tipped = await core.react(member("discord:2", []), "❤️", post)
    assert tipped is not None and tipped.key == "tipped" and not tipped.ephemeral
    assert "Tipped 1 5 credits. You have 95 left." in render(tipped)
    again = await core.press(member("discord:2", []), f"j:tip:{job_id}")  # the Tip button: the same tip
    assert again.key == "tip_already" and again.ephemeral
    assert (await core.ledger.balance("discord:2")).available == 95
    assert (await core.ledger.balance("discord:1")).topup == author_before.topup + 5
    own = await core.react(member("discord:1", []), "❤️", post)
    assert own is not None and own.key == "tip_self"
    # linked wallets are one account: nothing to move
    code = await core.ledger.create_link_code("discord:1")
    await core.ledger.redeem_link_code("telegram:1", code)
    linked = await core.press(member("telegram:1", [], platform="telegram"), f"j:tip:{job_id}")
    assert linked.key == "tip_self"
    assert (await core.ledger.books()).balanced


async def test_a_telegram_heart_tips_the_same_way(core: Core) -> None:
    job_id, _ = await clip_of(core, "telegram:7")
    post = PostRef("telegram", "-100", "42")
    await core.clip_posted(job_id, post)
    tipped = await core.react(member("telegram:8", None, platform="telegram"), "❤", post)  # Telegram's heart
    assert tipped is not None and tipped.key == "tipped"
    assert (await core.ledger.balance("telegram:7")).topup == 5
    assert (await core.ledger.balance("telegram:8")).available == 95


async def test_the_clip_carries_a_tip_button_only_when_tips_are_on(core: Core, tmp_path: Path) -> None:
    job_id, _ = await clip_of(core, "discord:1")
    job = await core.jobs.get(job_id)
    from bot.delivery import clip_reply

    assert job is not None
    datas = [b.data for row in clip_reply(job, tip_credits=5).buttons for b in row]
    assert f"j:tip:{job_id}" in datas
    assert not any(d.startswith("j:tip:") for row in clip_reply(job).buttons for d in [b.data for b in row])


async def test_tips_off_ignores_hearts_and_refuses_the_button(tmp_path: Path) -> None:
    core = await open_core(tmp_path)  # tip_credits defaults to 0
    try:
        job_id, post = await clip_of(core, "discord:1")
        assert await core.react(member("discord:2", []), "❤️", post) is None
        refused = await core.press(member("discord:2", []), f"j:tip:{job_id}")
        assert refused.key == "tips_off" and refused.ephemeral
        assert (await core.ledger.balance("discord:2")).available == 100
    finally:
        await core.close()


# -- actions on a post, commands with files and clip references -------------------------------------------


async def test_a_clip_action_named_on_a_post_needs_one_of_our_clips(core: Core) -> None:
    job_id, post = await clip_of(core, "discord:1")
    looped = await core.act_on_post(member("discord:2", []), "loop", post)
    assert looped.kind == "queued" and looped.parent_job == job_id
    assert (await core.ledger.balance("discord:2")).held == looped.price  # the member who asked pays
    stranger = await core.act_on_post(member("discord:2", []), "loop", PostRef("discord", "10", "999"))
    assert stranger.key == "not_a_clip" and stranger.ephemeral


async def test_a_command_takes_attachments_and_a_clip_reference(core: Core, tmp_path: Path) -> None:
    job_id, post = await clip_of(core, "discord:1")
    remix = await core.command(member("discord:2", []), "remix", {"prompt": "make it night"}, reply_to=post)
    assert remix.kind == "queued" and remix.parent_job == job_id
    not_clip = await core.command(
        member("discord:2", []), "remix", {"prompt": "x"}, reply_to=PostRef("discord", "10", "12345")
    )
    assert not_clip.key == "not_a_clip"

    async def fetch_pdf(dest: Path) -> Path:
        raise AssertionError("a PDF is never downloaded")

    pdf = Attachment("other", "notes.pdf", "application/pdf", 1000, fetch_pdf)
    refused = await core.command(member("discord:3", []), "animate", {"prompt": "waves"}, attachments=[pdf])
    assert refused.kind == "error" and "notes.pdf" in render(refused)

    async def fetch_png(dest: Path) -> Path:
        from PIL import Image

        path = dest / "still.png"
        Image.new("RGB", (96, 64), (10, 20, 30)).save(path)
        return path

    png = Attachment("image", "still.png", "image/png", 500, fetch_png)
    animated = await core.command(member("discord:3", []), "animate", {"prompt": "waves"}, attachments=[png])
    assert animated.kind == "queued", render(animated)
    job = await core.jobs.get(animated.job_id or "")
    assert job is not None and job.spec["images"] and Path(job.spec["images"][0]).name == "still.png"
