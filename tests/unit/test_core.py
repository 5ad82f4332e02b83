"""The conversation core end to end with a fake engine: quote, hold, enqueue, progress, capture / refund,
offers, confirms, buttons, reactions, links, payments, admin, bad input."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from bot.core import Core
from bot.generation import tx_hold_and_add
from bot.messages import render
from bot.replies import Context, Notice, PostRef
from bot.request import Request
from bot.settings import Settings
from engine.jobs import CANCELLED, DONE, FAILED, Job
from tests.fakes.engines import FakeEngine
from tests.fakes.payments import FakePayments


class Harness:
    def __init__(self, core: Core, engine: FakeEngine) -> None:
        self.core = core
        self.engine = engine
        self.notices: list[Notice] = []
        core.subscribe("test", self._on)
        core.register_payments("test", FakePayments({500: 50}))

    async def _on(self, n: Notice) -> None:
        self.notices.append(n)

    def ctx(self, user: str = "telegram:1", lang: str = "en", **kw: object) -> Context:
        return Context(user=user, lang=lang, display_name=user, origin={"platform": "test", "chat": 1}, **kw)

    async def final(self, job_id: str, timeout: float = 10) -> str:
        async def poll() -> str:
            while True:
                job = await self.core.jobs.get(job_id)
                if job and job.final:
                    # the event (capture / refund) follows the state change
                    for _ in range(200):
                        if any(n.job_id == job_id and n.kind == job.state for n in self.notices):
                            break
                        await asyncio.sleep(0.01)
                    return job.state
                await asyncio.sleep(0.01)

        return await asyncio.wait_for(poll(), timeout)

    async def available(self, user: str = "telegram:1") -> int:
        return (await self.core.ledger.balance(user)).available


async def make_core(tmp_path: Path, engine: FakeEngine, **settings: object) -> Core:
    s = Settings(
        data_dir=tmp_path / "data",
        _env_file=None,
        admins=["telegram:999"],
        telegram_star_packs="500:50",
        **settings,
    )  # type: ignore[arg-type]
    core = await Core.open(s, engine)
    await core.start()
    return core


@pytest.fixture
async def h(tmp_path: Path):
    engine = FakeEngine(steps=3, real_video=False)
    core = await make_core(tmp_path, engine)
    yield Harness(core, engine)
    await core.close()


async def test_create_holds_then_captures_and_posts_clip(h: Harness) -> None:
    reply = await h.core.handle_text(h.ctx(), "a cat surfing a wave 5s")
    assert reply.kind == "queued" and reply.price == 25 and reply.job_id
    assert reply.position == 1 and reply.balance_after == 75
    assert "25 credits held" in render(reply) and "position 1" in render(reply)
    assert await h.available() == 75  # held
    assert await h.final(reply.job_id) == DONE
    assert await h.available() == 75
    assert (await h.core.ledger.recompute("telegram:1")) == (75, 0)
    kinds = [n.kind for n in h.notices if n.job_id == reply.job_id]
    assert kinds[0] == "started" and "progress" in kinds and kinds[-1] == "done"
    done = h.notices[-1].reply
    assert done.clip is not None and done.clip.path.exists()
    assert {b.data for row in done.buttons for b in row} == {
        f"j:{v}:{reply.job_id}" for v in ("remix", "loop", "extend", "var", "del")
    }
    job = await h.core.jobs.get(reply.job_id)
    assert job.spec["width"] == 854 and job.spec["height"] == 480 and job.spec["watermark"] is True


async def test_chinese_reply_and_engine_sizes(h: Harness) -> None:
    reply = await h.core.handle_text(h.ctx(lang="zh"), "一只猫在冲浪 竖屏 5秒")
    assert reply.kind == "queued" and "已排队" in render(reply, "zh")
    job = await h.core.jobs.get(reply.job_id)
    assert (job.spec["width"], job.spec["height"]) == (480, 854)


async def test_plan_limit_offers_closest_fit_and_accept(h: Harness) -> None:
    reply = await h.core.handle_text(h.ctx(), "a castle at dusk 1080p 5s")
    assert reply.kind == "offer"
    assert reply.params["reason"]["params"]["asked"] == "1080p"
    assert reply.params["summary"]["params"]["resolution"] == "480p" and reply.price == 25
    accept, dismiss = reply.buttons[0]
    assert await h.available() == 100  # nothing held for an offer
    taken = await h.core.press(h.ctx(), accept.data)
    assert taken.kind == "queued" and taken.price == 25
    job = await h.core.jobs.get(taken.job_id)
    assert job.request["resolution"] == "480p"
    # the same button cannot be used twice, and the dismiss of the same offer is gone too
    assert (await h.core.press(h.ctx(), accept.data)).kind == "error"
    assert (await h.core.press(h.ctx(), dismiss.data)).kind == "error"


async def test_insufficient_credits_offers_shorter(h: Harness) -> None:
    await h.core.ledger.set_plan("telegram:1", "pro")
    bal = await h.core.ledger.balance("telegram:1")
    assert bal.available == 10000
    await h.core.settle_holds()
    reply = await h.core.handle(
        h.ctx(), Request(prompt="x", resolution="1080p", seconds=20, variations=4), confirmed=True
    )
    # 1080p 16:9 20 s x4 = 8000 fits; make it not fit with a hold first
    assert reply.kind == "queued"
    reply2 = await h.core.handle(
        h.ctx(), Request(prompt="y", resolution="1080p", seconds=20, variations=2), confirmed=True
    )
    assert reply2.kind == "offer"
    assert reply2.params["reason"]["key"] == "insufficient_credits"
    assert reply2.params["reason"]["params"] == {"needed": 4000, "available": 2000}


async def test_auto_approve_asks_before_big_spends(h: Harness) -> None:
    await h.core.ledger.set_plan("telegram:1", "pro")
    reply = await h.core.handle_text(h.ctx(), "a dragon 720p 10s")  # 180 credits > default limit 100
    assert reply.kind == "confirm" and reply.price == 180
    assert await h.available() == 10000
    # someone else tapping the button gets nothing
    assert (await h.core.press(h.ctx("telegram:2"), reply.buttons[0][0].data)).kind == "error"
    ok = await h.core.press(h.ctx(), reply.buttons[0][0].data)
    assert ok.kind == "queued" and ok.price == 180
    await h.core.set_auto_approve(h.ctx(), 500)
    again = await h.core.handle_text(h.ctx(), "another dragon 720p 10s")
    assert again.kind == "queued"


async def test_failure_and_cancel_refund(h: Harness) -> None:
    h.engine.fail_codes = {"explode": "crash"}
    failed = await h.core.handle_text(h.ctx(), "explode")
    assert await h.final(failed.job_id) == FAILED
    assert await h.available() == 100
    last = [n for n in h.notices if n.job_id == failed.job_id][-1].reply
    assert last.kind == "failed" and last.params["refunded"] == 25 and "refunded" in render(last)
    h.engine.steps = 2000
    running = await h.core.handle_text(h.ctx(), "slow one")
    await asyncio.to_thread(h.engine.started.wait, 5)
    assert (await h.core.cancel(h.ctx())).kind in ("info", "cancelled")
    assert await h.final(running.job_id) == CANCELLED
    assert await h.available() == 100
    assert (await h.core.ledger.recompute("telegram:1")) == (100, 0)


async def test_reaction_charges_the_member_who_reacted(h: Harness) -> None:
    made = await h.core.handle_text(h.ctx("telegram:1"), "a fox 5s")
    await h.final(made.job_id)
    author_before = await h.available("telegram:1")
    post = PostRef("test", "1", "501")
    await h.core.clip_posted(made.job_id, post)
    reply = await h.core.react(h.ctx("telegram:2"), "🔁", post)
    assert reply is not None and reply.kind == "queued"
    assert await h.available("telegram:2") == 100 - reply.price
    assert await h.available("telegram:1") == author_before
    loop_job = await h.core.jobs.get(reply.job_id)
    assert loop_job.action == "loop" and loop_job.parent == made.job_id and loop_job.owner == "telegram:2"
    assert loop_job.spec["videos"] == [made.job_id and (await h.core.jobs.get(made.job_id)).result["path"]]
    assert await h.core.react(h.ctx("telegram:2"), "👍", post) is None
    assert await h.core.react(h.ctx("telegram:2"), "🔁", PostRef("test", "1", "502")) is None  # not a clip


async def test_buttons_are_checked_not_trusted(h: Harness) -> None:
    for forged in ("p:zzzz", "j:del:../../etc", "j:remix:000000000000", "x:" + "a" * 16, "", "j:loop"):
        r = await h.core.press(h.ctx(), forged)
        assert r.kind == "error", forged
    made = await h.core.handle_text(h.ctx("telegram:1"), "a fox 5s")
    await h.final(made.job_id)
    assert (await h.core.press(h.ctx("telegram:2"), f"j:del:{made.job_id}")).kind == "error"
    assert (await h.core.feed(h.ctx())).payload["jobs"] == [made.job_id]
    assert (await h.core.press(h.ctx("telegram:1"), f"j:del:{made.job_id}")).kind == "deleted"
    assert (await h.core.feed(h.ctx())).payload == {}
    assert await h.available("telegram:2") == 100


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "\x00\x01\x02",
        "a" * 10_000,
        "a cat --seconds -3",
        "a cat 99s",
        "a cat --seed abc",
        "a cat 7 variations",
    ],
)
async def test_bad_input_changes_nothing(h: Harness, raw: str) -> None:
    reply = await h.core.handle_text(h.ctx(), raw)
    assert reply.kind == "error" and render(reply) and len(render(reply)) < 300
    assert await h.available() == 100
    assert await h.core.jobs.of_owner("telegram:1") == []


async def test_spam_is_slowed_down(h: Harness) -> None:
    await h.core.ledger.grant("telegram:1", 10_000, "grant:test:1")
    h.engine.gate = __import__("threading").Event()
    replies = [await h.core.handle_text(h.ctx(), f"cat number {i}") for i in range(14)]
    kinds = [r.kind for r in replies]
    assert kinds.count("error") >= 2
    assert any(r.key in ("rate_limited", "queue_user_full") for r in replies if r.kind == "error")
    assert any("Slow down" in render(r) or "jobs waiting" in render(r) for r in replies if r.kind == "error")
    h.engine.gate.set()


async def test_link_shares_one_wallet(h: Harness) -> None:
    code_reply = await h.core.link(h.ctx("telegram:1"), None)
    code = code_reply.params["code"]
    assert f"`{code}`" in render(code_reply)
    linked = await h.core.link(h.ctx("discord:7"), code)
    assert "discord:7" in linked.params["ids"] and "telegram:1" in linked.params["ids"]
    made = await h.core.handle_text(h.ctx("discord:7"), "a fox 5s")
    await h.final(made.job_id)
    assert await h.available("telegram:1") == await h.available("discord:7") == 75
    assert (await h.core.link(h.ctx("web:ann"), code)).kind == "error"  # single use


async def test_stars_payment_credits_once(h: Harness) -> None:
    first = await h.core.paid(h.ctx(), 500, 50, "charge-1")
    second = await h.core.paid(h.ctx(), 500, 50, "charge-1")
    assert first.params["credits"] == 500 and first.balance_after == 600 and second.kind != "error"
    assert await h.available() == 600
    assert (await h.core.paid(h.ctx(), 500, 1, "charge-2")).kind == "error"
    assert await h.available() == 600


async def test_admin_commands(h: Harness) -> None:
    denied = await h.core.command(h.ctx("telegram:1"), "grant", {"user": "telegram:1", "credits": "50"})
    assert denied.kind == "error" and await h.available() == 100
    ok = await h.core.command(h.ctx("telegram:999"), "grant", {"user": "telegram:1", "credits": "50"})
    assert ok.kind == "info" and await h.available() == 150
    bad = await h.core.command(h.ctx("telegram:999"), "grant", {"user": "telegram:1", "credits": "-5"})
    assert bad.kind == "error" and await h.available() == 150
    plan = await h.core.command(h.ctx("telegram:999"), "setplan", {"user": "telegram:1", "plan": "gold"})
    assert plan.kind == "error"


async def test_extension_over_the_plan_says_why_without_a_useless_offer(h: Harness) -> None:
    made = await h.core.handle_text(h.ctx(), "a river 5s")
    await h.final(made.job_id)
    reply = await h.core.handle_text(h.ctx(reply_to_job=made.job_id), "extend")
    assert reply.kind == "error" and reply.params["reason"]["params"]["limit"] == 5 and not reply.buttons
    assert "5 s" in render(reply)
    assert await h.available() == 75


async def test_edit_needs_a_clip_and_inherits_its_frame(h: Harness) -> None:
    assert (
        await h.core.handle_text(
            h.ctx(),
            "make it a loop",
        )
    ).kind in ("queued", "error")
    made = await h.core.handle_text(h.ctx(), "a tall tower vertical 5s")
    await h.final(made.job_id)
    remix = await h.core.handle_text(h.ctx(reply_to_job=made.job_id), "make it night")
    assert remix.kind == "queued"
    job = await h.core.jobs.get(remix.job_id)
    assert job.action == "remix" and job.spec["height"] == 854 and job.parent == made.job_id


async def test_hold_without_job_is_refunded_on_start(tmp_path: Path) -> None:
    engine = FakeEngine(steps=1, real_video=False)
    core = await make_core(tmp_path, engine)
    await core.ledger.hold("telegram:5", "abcdefabcdef", 25)
    await core.close()
    core = await make_core(tmp_path, engine)
    assert (await core.ledger.balance("telegram:5")).available == 100
    assert await core.ledger.open_holds() == []
    await core.close()


async def test_clip_finished_while_channel_was_away_is_posted_after_restart(h: Harness) -> None:
    h.core.unsubscribe("test")  # the channel is down while the clip renders
    made = await h.core.handle_text(h.ctx(), "a fox 5s")
    await asyncio.wait_for(_until_done(h, made.job_id), 10)
    assert not [n for n in h.notices if n.kind == "done"]
    h.core.subscribe("test", h._on)
    assert await h.core.redeliver() == 1
    done = [n for n in h.notices if n.kind == "done"]
    assert len(done) == 1 and done[0].reply.clip is not None
    await h.core.clip_posted(made.job_id, PostRef("test", "1", "77"))  # the channel posted it
    assert await h.core.redeliver() == 0


async def _until_done(h: Harness, job_id: str) -> None:
    for _ in range(1000):
        if (await h.core.jobs.get(job_id)).final and not await h.core.ledger.open_holds():
            return
        await asyncio.sleep(0.01)


@pytest.mark.parametrize(
    ("words", "seconds", "trim", "extend"),
    [
        ("cut the last 2 seconds", 3, (0.0, 3.0), False),
        ("trim 1-3s", 2, (1.0, 3.0), False),
        ("extend to 10s", 10, (None, None), True),
        ("extend by 3s", 8, (None, None), True),
        ("延长", 10, (None, None), True),
    ],
)
async def test_recut_shapes(h: Harness, words: str, seconds: int, trim: tuple, extend: bool) -> None:
    await h.core.ledger.set_plan("telegram:1", "pro")
    await h.core.set_auto_approve(h.ctx(), 10_000)
    made = await h.core.handle_text(h.ctx(), "a river 5s")
    await h.final(made.job_id)
    reply = await h.core.handle_text(h.ctx(reply_to_job=made.job_id), words)
    assert reply.kind == "queued", render(reply)
    spec = (await h.core.jobs.get(reply.job_id)).spec
    assert spec["action"] == "recut" and spec["seconds"] == seconds and spec["extend"] is extend
    assert (spec["trim_start"], spec["trim_end"]) == trim


async def test_buttons_still_work_after_a_restart(tmp_path: Path) -> None:
    engine = FakeEngine(steps=1, real_video=False)
    core = await make_core(tmp_path, engine)
    await core.ledger.set_plan("telegram:1", "pro")
    h = Harness(core, engine)
    confirm = await core.handle_text(h.ctx(), "a dragon 720p 10s")
    made = await core.handle_text(h.ctx(), "a fox 5s")
    await h.final(made.job_id)
    await core.close()
    core = await make_core(tmp_path, engine)  # a new process: nothing in memory survives
    h = Harness(core, engine)
    try:
        assert (await core.press(h.ctx(), confirm.buttons[0][0].data)).kind == "queued"
        loop = await core.press(h.ctx("telegram:2"), f"j:loop:{made.job_id}")
        assert loop.kind == "queued"
        assert (await core.jobs.get(loop.job_id)).parent == made.job_id
    finally:
        await core.close()


async def test_start_leaves_holds_of_requests_in_flight_alone(tmp_path: Path) -> None:
    engine = FakeEngine(steps=1, real_video=False)
    engine.gate = threading.Event()  # the render waits, so the job is still running when we look
    s = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    core = await Core.open(s, engine)
    try:
        # a channel already took a request: its hold and job row are committed (one unit of work), its
        # admission to the queue not yet
        spec = {
            "job_id": "abcdefabcdef",
            "action": "create",
            "prompt": "x",
            "width": 64,
            "height": 64,
            "seconds": 1,
            "out_dir": str(tmp_path / "clips"),
        }
        job = Job(
            id="abcdefabcdef",
            owner="telegram:5",
            account="telegram:5",
            action="create",
            request=Request(prompt="x").to_storage(),
            spec=spec,
            price=25,
            origin={"platform": "none"},
        )
        await core.db.transaction(tx_hold_and_add, core.svc, "telegram:5", job)
        await core.start()
        assert [h.job_id for h in await core.ledger.open_holds()] == ["abcdefabcdef"]
    finally:
        engine.gate.set()
        await core.close()


async def test_double_tap_makes_one_job(h: Harness) -> None:
    made = await h.core.handle_text(h.ctx("telegram:1"), "a fox 5s")
    await h.final(made.job_id)
    first, second = await asyncio.gather(
        h.core.press(h.ctx("telegram:2"), f"j:loop:{made.job_id}"),
        h.core.press(h.ctx("telegram:2"), f"j:loop:{made.job_id}"),
    )
    assert sorted([first.kind, second.kind]) == ["info", "queued"]
    assert await h.available("telegram:2") == 75


async def test_redelivery_waits_for_posts_in_flight(h: Harness) -> None:
    h.core.unsubscribe("test")
    made = await h.core.handle_text(h.ctx(), "a fox 5s")
    await asyncio.wait_for(_until_done(h, made.job_id), 10)
    h.core.subscribe("test", h._on)
    assert await h.core.redeliver(min_age_s=600) == 0  # just finished: its own post may be under way
    assert await h.core.redeliver() == 1


async def test_refunded_payment_is_taken_back_from_the_wallet_it_went_to(h: Harness) -> None:
    await h.core.paid(h.ctx("telegram:3"), 500, 50, "charge-7")
    code = (await h.core.link(h.ctx("telegram:2"), None)).params["code"]
    await h.core.link(h.ctx("telegram:3"), code)  # 3's top-up moves into 2's wallet
    assert await h.available("telegram:2") == 600
    await h.core.ledger.unlink("telegram:3")
    taken = await h.core.payment_refunded(h.ctx("telegram:999"), "charge-7")
    assert taken.params["credits"] == 500
    assert await h.available("telegram:2") == 100


@pytest.mark.parametrize(
    "text",
    [
        "/grant telegram:666 99999",
        "/setplan telegram:666 pro",
        "/userbalance telegram:666",
        "/refund 0123456789ab",
        "/unlink telegram:1",
        "/starrefund telegram:666 charge-1",
        "@ReelBot /grant telegram:666 99999",
        "/GRANT@ReelBot telegram:666 99999",
    ],
)
async def test_admin_commands_in_text_are_commands_on_every_text_surface(h: Harness, text: str) -> None:
    """A non-admin's admin command is refused as one, on every surface that takes text, and never
    becomes a paid clip of its words."""
    for reply in (
        await h.core.handle_text(h.ctx(), text, bot_names=("ReelBot",)),
        await h.core.handle_message(h.ctx(), text, [], None, bot_names=("ReelBot",)),
    ):
        assert reply is not None and reply.kind == "error" and reply.key == "not_admin", text
    assert await h.core.jobs.of_owner("telegram:1") == []
    assert await h.available() == 100
    assert (await h.core.ledger.balance("telegram:666")).available == 100
    assert (await h.core.ledger.balance("telegram:666")).plan == "free"
    ok = await h.core.handle_text(h.ctx("telegram:999"), "/grant telegram:666 50")
    assert ok.key == "granted" and (await h.core.ledger.balance("telegram:666")).available == 150


async def test_unknown_slash_command_is_refused_not_rendered(h: Harness) -> None:
    reply = await h.core.handle_text(h.ctx(), "/frobnicate a cat")
    assert reply.key == "unknown_command" and await h.core.jobs.of_owner("telegram:1") == []


async def test_text_about_the_bot_asks_before_charging(h: Harness) -> None:
    """The parser marks a request whose text is mostly about the bot (`about_bot`); the core never starts
    it without a tap, whatever the auto-approve limit."""
    req = Request(prompt="how much juice do I have left")
    req.about_bot = True  # type: ignore[attr-defined]  # the parser's flag (a plain attribute until it lands)
    ask = await h.core.handle(h.ctx(), req)
    assert ask.kind == "confirm" and ask.key == "confirm_about_bot" and ask.price == 25
    assert "how much juice do I have left" in render(ask)
    assert await h.available() == 100 and await h.core.jobs.of_owner("telegram:1") == []
    go = await h.core.press(h.ctx(), ask.buttons[0][0].data)
    assert go.kind == "queued" and go.price == 25
    plain_req = await h.core.handle(h.ctx(), Request(prompt="a fox"))
    assert plain_req.kind == "queued"  # 25 credits is under the limit: no question without the flag


async def test_rate_limit_says_the_real_wait(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.generation.MAX_QUEUED_PER_ACCOUNT", 100)  # the rate limit, not the queue cap
    await h.core.ledger.set_plan("telegram:1", "pro")
    await h.core.set_auto_approve(h.ctx(), 10_000)
    h.engine.gate = __import__("threading").Event()
    clock = [500.0]
    h.core.generation.limiter._clock = lambda: clock[0]
    for i in range(12):
        clock[0] += 2.0
        assert (await h.core.handle_text(h.ctx(), f"cat {i}")).kind == "queued"
    slow = await h.core.handle_text(h.ctx(), "one more cat")
    assert (
        slow.key == "rate_limited" and slow.params["seconds"] == 38
    )  # the first (t=502) leaves the window at 562; now is 524
    assert "38 s" in render(slow)
    h.engine.gate.set()


async def test_notices_wait_for_the_status_post(tmp_path: Path) -> None:
    """The delivery barrier: a job that ends before its status post is recorded still reports after it,
    with the post, so no channel keeps its own in-flight bookkeeping."""
    engine = FakeEngine(steps=0, real_video=False)
    core = await make_core(tmp_path, engine)
    seen: list[Notice] = []

    async def on(n: Notice) -> None:
        seen.append(n)

    core.subscribe("test", on, wait_for_status=True)
    try:
        ctx = Context(user="telegram:1", origin={"platform": "test"})
        queued = await core.handle_text(ctx, "a fox 5s")
        for _ in range(300):  # the job finishes: the worker is not held up by the barrier
            if (await core.jobs.get(queued.job_id)).final and not await core.ledger.open_holds():
                break
            await asyncio.sleep(0.01)
        assert (await core.jobs.get(queued.job_id)).state == DONE
        assert queued.kind == "queued" and seen == []
        post = PostRef("test", "1", "10")
        await core.status_posted(queued.job_id, post)
        for _ in range(200):
            if seen and seen[-1].kind == "done":
                break
            await asyncio.sleep(0.01)
        assert [n.kind for n in seen] == ["started", "done"]  # in order, the render was not held up
        assert all(n.status == post for n in seen)
        assert await core.posts_of(queued.job_id, "status") == [post]
        assert await core.job_for_post(post) == queued.job_id
    finally:
        await core.close()


async def test_attachments_are_checked_before_they_are_fetched(h: Harness, tmp_path: Path) -> None:
    import io

    from PIL import Image

    from bot.replies import Attachment

    fetched: list[str] = []
    picture = io.BytesIO()
    Image.new("RGB", (96, 64), (10, 120, 200)).save(picture, "PNG")  # a real image: its bytes are checked

    def fetcher(name: str, fail: bool = False):  # type: ignore[no-untyped-def]
        async def fetch(dest: Path) -> Path:
            fetched.append(name)
            if fail:
                raise OSError("platform says no")
            path = dest / name
            path.write_bytes(picture.getvalue())
            return path

        return fetch

    big = Attachment("image", "big.png", "image/png", 11 * 2**20, fetcher("big.png"))
    r = await h.core.handle_message(h.ctx(), "animate this", [big])
    assert r is not None and r.key == "attachment_too_large" and r.params == {"size_mb": 11.0, "limit_mb": 10}
    cloud = h.ctx(max_download_bytes=20 * 2**20)
    video = Attachment("video", "long.mp4", "video/mp4", 30 * 2**20, fetcher("long.mp4"))
    r = await h.core.handle_message(cloud, "blend", [video])
    assert r is not None and r.params["limit_mb"] == 20  # the channel's own limit is the tighter one
    r = await h.core.handle_message(h.ctx(), "x", [Attachment("other", "notes.pdf", "application/pdf")])
    assert r is not None and r.key == "bad_attachment" and r.params["detail"] == "notes.pdf"
    r = await h.core.handle_message(h.ctx(), "x", [Attachment("unsupported", "sticker")])
    assert r is not None and r.key == "unsupported_message"
    r = await h.core.handle_message(
        h.ctx(), "x", [Attachment("image", "a.png", "image/png", 10, fetcher("a.png", True))]
    )
    assert r is not None and r.key == "bad_attachment" and r.params["detail"] == "a.png"
    assert fetched == ["a.png"]  # nothing over its limit was downloaded
    r = await h.core.handle_message(h.ctx(), "", [])
    assert r is not None and r.key == "unsupported_message"
    ok = await h.core.handle_message(
        h.ctx(), "waves 5s", [Attachment("image", "p.png", "image/png", 10, fetcher("p.png"))]
    )
    assert ok is not None and ok.kind == "queued"
    job = await h.core.jobs.get(ok.job_id)
    assert job.action == "animate" and Path(job.spec["images"][0]).read_bytes() == picture.getvalue()
    assert await h.available() == 75


async def test_a_reply_to_a_clip_post_edits_that_clip(h: Harness) -> None:
    made = await h.core.handle_text(h.ctx(), "a tall tower vertical 5s")
    await h.final(made.job_id)
    post = PostRef("test", "1", "42")
    await h.core.clip_posted(made.job_id, post)
    remix = await h.core.handle_message(h.ctx(), "make it night", [], post)
    assert remix is not None and remix.kind == "queued" and remix.parent_job == made.job_id


async def test_the_admin_pool_view_lists_what_each_worker_runs(h: Harness) -> None:
    shown = await h.core.handle_text(h.ctx("telegram:999"), "/pool")
    assert shown.key == "pool" and shown.payload["workers"] == [{"worker": "local-0", "running": None}]
    assert render(shown).startswith("Engine workers: 1\nlocal-0: -")
    refused = await h.core.handle_text(h.ctx("telegram:5"), "/pool")
    assert refused.key == "not_admin"
