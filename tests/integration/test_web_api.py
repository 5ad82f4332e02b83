"""The web channel's JSON API over real HTTP (aiohttp client -> the real WebAdapter and Core, a FakeEngine
writing real MP4s): a chat exchange with its event stream, uploads, lineage, and every kind of bad input
answered with a clear 4xx while nothing is stored and nothing is charged."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from PIL import Image
from yarl import URL

from bot.adapters.web_identity import MEMBER_COOKIE
from bot.adapters.web_operations import OPERATIONS
from bot.adapters.web_server import refusal
from bot.settings import Settings
from engine.jobs import QUEUED, RUNNING
from tests.fakes.engines import FakeEngine
from tests.fakes.web_client import WebHarness, read_events, web_harness


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[WebHarness]:
    async with web_harness(tmp_path / "data", FakeEngine(steps=4, step_s=0.03, real_video=True)) as harness:
        yield harness


def png(width: int = 96, height: int = 64) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 160, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def form(text: str, **files: bytes) -> aiohttp.FormData:
    data = aiohttp.FormData()
    data.add_field("text", text)
    for name, content in files.items():
        data.add_field(name, content, filename=f"upload.{'png' if name == 'image' else 'mp4'}")
    return data


def files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


async def test_a_chat_exchange_streams_progress_to_the_clip_and_charges_the_quote(h: WebHarness) -> None:
    ann = await h.member()
    status, me = await ann.post("/api/me", json={"name": "  Ann\u200b the\n Maker "})
    assert status == 200 and me["name"] == "Ann the Maker" and me["id"].startswith("web:")
    events = asyncio.create_task(read_events(ann, lambda kind, d: kind == "job" and d["kind"] == "done"))
    await asyncio.sleep(0.2)  # the stream is open before the job starts
    status, sent = await ann.post("/api/messages", json={"text": "a red fox running through snow 5s"})
    assert status == 200
    member_msg, queued = sent["messages"]
    assert member_msg["role"] == "member" and member_msg["text"] == "a red fox running through snow 5s"
    reply = sent["reply"]
    assert reply["kind"] == "queued" and reply["price"] == 25 and reply["balance_after"] == 75
    assert "25 credits held" in queued["text"] and queued["reply_to"] == member_msg["id"]
    assert reply["buttons"][0][0]["data"] == f"j:cancel:{reply['job_id']}"
    seen = await events
    progress = [d["progress"] for kind, d in seen if kind == "job" and d["kind"] == "progress"]
    assert progress and progress == sorted(progress) and progress[-1] == pytest.approx(1.0)
    job = await h.final(reply["job_id"])
    assert job.state == "done" and job.public and job.origin["platform"] == "web"
    assert await h.available(await ann.user()) == 75
    # the status message became the clip: posted in the chat with its files as URLs (no server paths)
    for _ in range(100):
        _, log = await ann.get("/api/messages")
        done = [m for m in log["messages"] if m["reply"] and m["reply"]["kind"] == "done"]
        if done:
            break
        await asyncio.sleep(0.05)
    clip = done[0]["reply"]["clip"]
    assert clip["videos"] == [f"/media/{job.id}/0.mp4"] and clip["page"] == f"/clip/{job.id}"
    assert str(h.settings.data_dir) not in str(log)
    status, part = await ann.get(clip["videos"][0], headers={"Range": "bytes=0-99"})
    assert status == 206 and len(part) == 100
    _, feed = await ann.get("/api/feed")
    assert [i["job_id"] for i in feed["items"]] == [job.id]
    assert feed["items"][0]["author"] == "Ann the Maker" and feed["items"][0]["credits"] == 25
    _, balance = await ann.get("/api/balance")
    assert balance["available"] == 75 and balance["plan"] == "free"


async def test_an_uploaded_image_is_animated_and_a_remix_keeps_its_lineage(h: WebHarness) -> None:
    ann, bob = await h.member(), await h.member()
    status, sent = await ann.post("/api/messages", data=form("waves crashing 5s", image=png()))
    assert status == 200 and sent["reply"]["kind"] == "queued", sent
    animated = await h.final(sent["reply"]["job_id"])
    assert animated.action == "animate" and h.web.core.jobs  # the engine got the uploaded file
    image = Path(animated.spec["images"][0])
    assert image.is_file() and image.read_bytes() == png() and image.parent.name == (await ann.user())[4:]
    status, remix = await bob.post(
        "/api/messages", json={"text": "make it night", "reply_to_job": animated.id}
    )
    assert (
        status == 200 and remix["reply"]["kind"] == "queued" and remix["reply"]["parent_job"] == animated.id
    )
    child = await h.final(remix["reply"]["job_id"])
    assert child.parent == animated.id and child.owner == await bob.user()
    _, parent_view = await bob.get(f"/api/clips/{animated.id}")
    assert [r["job_id"] for r in parent_view["remixes"]] == [child.id]
    _, child_view = await ann.get(f"/api/clips/{child.id}")
    assert (
        child_view["parent"]["job_id"] == animated.id and child_view["parent"]["prompt"] == "waves crashing"
    )
    status, reacted = await bob.post(f"/api/clips/{child.id}/reactions", json={"emoji": "🎉"})
    assert status == 200 and reacted["reactions"] == {"🎉": 1}


async def test_bad_uploads_are_refused_by_content_and_leave_nothing(h: WebHarness) -> None:
    ann = await h.member()
    user = await ann.user()
    uploads = h.settings.data_dir / "uploads"
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (10 * 2**20 + 1)
    cases = [
        (form("animate this", image=big), 413, "attachment_too_large"),
        (form("animate this", image=b"just some text, named like a picture"), 415, "bad_attachment"),
        (form("animate this", image=b"\x89PNG\r\n\x1a\n" + b"garbage" * 50), 415, "bad_attachment"),
        (form("blend", video=png()), 415, "bad_attachment"),  # an image is not a video
    ]
    for data, want_status, code in cases:
        status, body = await ann.post("/api/messages", data=data)
        assert (status, body["error"]) == (want_status, code), body
        assert body["message"]  # in plain words
    assert files_under(uploads) == []
    assert await h.core.jobs.of_owner(user) == [] and await h.available(user) == 100


async def test_missing_fields_malformed_bodies_and_bad_queries_are_400(h: WebHarness) -> None:
    ann = await h.member()
    user = await ann.user()
    for path, kw in [
        ("/api/messages", {"json": {}}),
        ("/api/messages", {"json": {"text": "   "}}),
        ("/api/messages", {"data": b"not json", "headers": {"Content-Type": "application/json"}}),
        ("/api/messages", {"json": {"text": "a fox", "reply_to_job": "../../etc"}}),
        ("/api/messages", {"json": {"text": "a fox", "surprise": 1}}),
        ("/api/press", {"json": {}}),
        ("/api/press", {"json": {"data": ""}}),
        ("/api/me", {"json": {}}),
        ("/api/me", {"json": {"name": "\u200b\u200b"}}),
        ("/api/clips/abcdefabcdef/reactions", {"json": {"emoji": "💩"}}),
    ]:
        status, body = await ann.post(path, **kw)
        assert status in (400, 404), (path, kw, status, body)
        assert body["error"] in ("web_bad_request", "clip_gone") and body["message"], body
    _, me = await ann.get("/api/me")
    assert me["name"] == ""  # the refused names were not stored
    for query in ("filter=everything", "cursor=nope", "limit=1000"):
        status, body = await ann.get(f"/api/feed?{query}")
        assert status == 400 and body["error"] == "web_bad_request", (query, body)
    status, body = await ann.post(
        "/api/messages", json={"text": "make it night", "reply_to_job": "abcdefabcdef"}
    )
    assert status == 404 and body["error"] == "clip_gone"
    status, body = await ann.post(
        "/api/messages", json={"text": "a fox"}, headers={"Origin": "http://evil.example"}
    )
    assert status == 403 and body["error"] == "web_bad_origin"
    assert await h.core.jobs.of_owner(user) == [] and await h.available(user) == 100
    status, body = await ann.get("/api/nothing-here")
    assert status == 404 and body["error"] == "not_found"


async def test_a_forged_cookie_is_refused_and_makes_no_member(h: WebHarness) -> None:
    ann = await h.member()
    real = ann.http.cookie_jar.filter_cookies(URL(h.base))[MEMBER_COOKIE].value
    member_id, _, mac = real.partition(".")
    forged = ("f" * 16) + "." + mac  # someone else's id with this member's signature
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as raw:  # sends only what we say
        for cookie in (forged, member_id + ".0000", "garbage"):
            async with raw.post(
                h.base + "/api/messages",
                json={"text": "a fox 5s"},
                headers={"Cookie": f"{MEMBER_COOKIE}={cookie}"},
            ) as r:
                body = await r.json()
                assert r.status == 401 and body["error"] == "web_bad_cookie", body
                assert "Set-Cookie" not in r.headers
        assert await h.core.jobs.of_owner("web:" + "f" * 16) == []
        assert await h.core.jobs.of_owner("web:" + member_id) == []
        rows = await h.core.db.run(lambda c: c.execute("SELECT COUNT(*) FROM web_members").fetchone()[0])
        assert rows == 1  # only Ann
        async with raw.get(h.base + "/", headers={"Cookie": f"{MEMBER_COOKIE}=garbage"}) as r:
            assert r.status == 200 and MEMBER_COOKIE in r.cookies  # the page starts a new member instead


async def test_cancel_with_another_members_job_id_is_404_and_changes_nothing(tmp_path: Path) -> None:
    engine = FakeEngine(steps=4, step_s=0.02)
    engine.gate = threading.Event()  # the job stays running until released
    async with web_harness(tmp_path / "data", engine) as h:
        ann, bob = await h.member(), await h.member()
        _, sent = await ann.post("/api/messages", json={"text": "a slow clip 5s"})
        job_id = sent["reply"]["job_id"]
        for _ in range(200):
            job = await h.core.jobs.get(job_id)
            if job is not None and job.state == RUNNING:
                break
            await asyncio.sleep(0.01)
        for bad in (job_id, "000000000000", "nope"):
            status, body = await bob.post(f"/api/jobs/{bad}/cancel")
            assert status == 404 and body["error"] == "not_found", (bad, body)
        job = await h.core.jobs.get(job_id)
        assert job is not None and job.state in (QUEUED, RUNNING) and not job.cancel_requested
        assert await h.available(await ann.user()) == 75 and await h.available(await bob.user()) == 100
        _, bob_jobs = await bob.get("/api/jobs")
        assert bob_jobs["jobs"] == []
        status, body = await ann.post(f"/api/jobs/{job_id}/cancel")
        assert status == 200 and body["reply"]["key"] in ("cancelled", "cancelling")
        engine.gate.set()
        assert (await h.final(job_id)).state == "cancelled"
        assert await h.available(await ann.user()) == 100
        status, body = await ann.post(f"/api/jobs/{job_id}/cancel")
        assert status == 409 and body["error"] == "nothing_to_cancel"


async def test_a_request_the_plan_refuses_gets_an_offer_and_no_charge(h: WebHarness) -> None:
    ann = await h.member()
    _, sent = await ann.post("/api/messages", json={"text": "a castle in the clouds 1080p 20s"})
    reply = sent["reply"]
    assert reply["kind"] == "offer" and reply["params"]["reason"]["key"] == "plan_resolution"
    assert "free plan goes up to 480p" in sent["messages"][1]["text"]
    assert await h.available(await ann.user()) == 100
    accept = reply["buttons"][0][0]
    _, pressed = await ann.post(
        "/api/press", json={"data": accept["data"], "message": sent["messages"][1]["id"]}
    )
    assert pressed["messages"] and pressed["messages"][0]["reply"]["kind"] == "queued"
    _, again = await ann.post(
        "/api/press", json={"data": accept["data"], "message": sent["messages"][1]["id"]}
    )
    assert again["alert"] and again["reply"]["key"] == "button_invalid"  # one tap, one job


async def test_feed_clips_and_files_of_a_private_clip_are_404_for_others(h: WebHarness) -> None:
    ann, bob = await h.member(), await h.member()
    _, sent = await ann.post("/api/messages", json={"text": "a secret garden 5s"})
    job = await h.final(sent["reply"]["job_id"])
    await h.core.jobs.set_public(job.id, False)  # as if made in a private chat
    for path in (f"/api/clips/{job.id}", f"/media/{job.id}/0.mp4", f"/media/{job.id}/0.jpg"):
        status, _ = await bob.get(path)
        assert status == 404, path
        status, _ = await ann.get(path)
        assert status == 200, path  # its author still sees it
    _, bob_feed = await bob.get("/api/feed")
    assert bob_feed["items"] == []
    _, mine = await ann.get("/api/feed?filter=mine")
    assert [i["job_id"] for i in mine["items"]] == [job.id] and mine["items"][0]["public"] is False
    status, pressed = await ann.post("/api/press", json={"data": f"j:share:{job.id}"})
    assert status == 200 and "Shared" in (pressed["toast"] or "")
    _, bob_feed = await bob.get("/api/feed")
    assert [i["job_id"] for i in bob_feed["items"]] == [job.id]


async def test_the_feed_event_reaches_every_open_page(h: WebHarness) -> None:
    ann, bob = await h.member(), await h.member()
    watching = asyncio.create_task(read_events(bob, lambda kind, _: kind == "feed"))
    await asyncio.sleep(0.3)
    _, sent = await ann.post("/api/messages", json={"text": "a hot air balloon 5s"})
    await h.final(sent["reply"]["job_id"])
    seen = await watching
    assert seen[0][0] == "hello" and seen[-1][0] == "feed"
    assert not any(kind == "message" for kind, _ in seen)  # Ann's chat is not Bob's


async def test_openapi_31_lists_every_api_route_with_resolvable_schemas(h: WebHarness) -> None:
    anon = await h.member()
    _, doc = await anon.get("/api/openapi.json")
    assert doc["openapi"] == "3.1.0"
    served = {
        (r.method, r.resource.canonical)
        for r in h.web._runner.app.router.routes()  # type: ignore[union-attr]
        if r.resource is not None and r.resource.canonical.startswith("/api/") and r.method != "HEAD"
    }
    described = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    assert described == {(op.method, op.path) for op in OPERATIONS}
    assert served - {("GET", "/api/openapi.json")} == described
    schemas = doc["components"]["schemas"]

    def refs(node: object) -> list[str]:
        if isinstance(node, dict):
            return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    for ref in refs(doc):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas, ref


async def test_beyond_loopback_the_token_is_required(tmp_path: Path) -> None:
    open_wide = Settings(data_dir=tmp_path / "x", _env_file=None, web_host="0.0.0.0")
    reason = refusal(open_wide)
    assert reason is not None and "REELBOT_WEB_TOKEN" in reason
    assert (
        refusal(Settings(data_dir=tmp_path / "x", _env_file=None, web_host="0.0.0.0", web_token="s3cret"))
        is None
    )
    assert refusal(Settings(data_dir=tmp_path / "x", _env_file=None)) is None
    async with web_harness(tmp_path / "data", FakeEngine(), web_token="s3cret-token") as h:
        visitor = await h.member()
        status, body = await visitor.get("/api/info")
        assert status == 401 and body["error"] == "web_token_required"
        status, _ = await visitor.get("/api/info", headers={"Authorization": "Bearer wrong"})
        assert status == 401
        status, body = await visitor.get("/api/info", headers={"Authorization": "Bearer s3cret-token"})
        assert status == 200 and body["me"]["id"].startswith("web:")
        async with visitor.http.get(h.base + "/?token=s3cret-token", allow_redirects=False) as r:
            assert r.status == 303 and r.headers["Location"] == "/"
        status, _ = await visitor.get("/api/info")  # the access cookie now stands for the token
        assert status == 200


async def test_members_are_kept_apart(h: WebHarness) -> None:
    ann, bob = await h.member(), await h.member()
    assert await ann.user() != await bob.user()
    await ann.post("/api/messages", json={"text": "/balance"})
    _, bob_log = await bob.get("/api/messages")
    assert bob_log["messages"] == []
    _, ann_log = await ann.get("/api/messages")
    assert "100 credits" in ann_log["messages"][-1]["text"]


async def test_feed_buttons_loop_and_blend_answer_in_the_members_chat(h: WebHarness) -> None:
    ann, bob = await h.member(), await h.member()
    _, a = await ann.post("/api/messages", json={"text": "a red balloon 5s"})
    _, b = await ann.post("/api/messages", json={"text": "a blue kite 5s"})
    first, second = await h.final(a["reply"]["job_id"]), await h.final(b["reply"]["job_id"])
    status, looped = await bob.post("/api/press", json={"data": f"j:loop:{first.id}"})  # a tap in the feed
    assert status == 200 and looped["toast"] is None
    [queued] = looped["messages"]
    assert queued["reply"]["kind"] == "queued" and not queued["text"].startswith(
        "web-"
    )  # no name in one's own chat
    loop_job = await h.final(queued["reply"]["job_id"])
    assert loop_job.action == "loop" and loop_job.parent == first.id and loop_job.owner == await bob.user()
    status, blended = await bob.post(
        "/api/messages", json={"text": "/blend", "reply_to_job": first.id, "blend_with": second.id}
    )
    assert status == 200 and blended["reply"]["kind"] == "queued", blended
    blend_job = await h.final(blended["reply"]["job_id"])
    assert blend_job.action == "blend" and blend_job.parent == first.id
    assert len(blend_job.spec["videos"]) == 2 and blend_job.spec["videos"][0] == first.result["path"]
    for _ in range(200):  # the clip message follows the job's end
        _, bob_log = await bob.get("/api/messages")
        done = {
            m["reply"]["job_id"] for m in bob_log["messages"] if m["reply"] and m["reply"]["kind"] == "done"
        }
        if {loop_job.id, blend_job.id} <= done:
            break
        await asyncio.sleep(0.05)
    assert {loop_job.id, blend_job.id} <= done
    _, ann_log = await ann.get("/api/messages")
    assert not any(
        m["reply"] and m["reply"]["job_id"] in (loop_job.id, blend_job.id) for m in ann_log["messages"]
    )


async def test_link_joins_a_web_member_to_a_telegram_wallet_and_mine_follows(h: WebHarness) -> None:
    from bot.replies import Context

    ann = await h.member()
    _, sent = await ann.post("/api/messages", json={"text": "/link"})
    assert sent["reply"]["key"] == "link_code"
    code = sent["reply"]["params"]["code"]
    tg = Context(user="telegram:42", origin={"platform": "telegram", "chat_id": "42", "private": True})
    linked = await h.core.link(tg, code)
    assert linked.key == "linked"
    private = await h.core.handle_text(tg, "a quiet pond 5s")
    job = await h.final(private.job_id or "")
    assert not job.public
    _, mine = await ann.get("/api/feed?filter=mine")
    assert [i["job_id"] for i in mine["items"]] == [job.id]  # the Telegram clip is the web member's own too
    _, everyone = await (await h.member()).get("/api/feed")
    assert everyone["items"] == []
    assert await h.available(await ann.user()) == await h.available("telegram:42")  # one wallet
