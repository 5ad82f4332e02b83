"""The web channel in a real browser: Debian's Chromium driven by Playwright against `reelbot run` (a
subprocess on the tiny model, a temp data dir, a free port). A member types a request, watches the
progress reach 100 %, sees the clip play and the balance drop by the quoted price; another remixes it from
the feed and sees its lineage; a Chinese request is answered in Chinese (and cancelled from the job list);
a request the plan refuses says why. Screenshots of the feed and of a chat go to docs/screenshots/.

One bot process and one browser for the module; each member is a fresh browser context (its own cookie).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

playwright_sync = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("REELBOT_TEST_CHROMIUM", "/usr/bin/chromium"))
SHOTS = ROOT / "docs" / "screenshots"
RENDER_TIMEOUT_MS = 240_000  # a tiny-model render on a busy 2-core machine, model load included

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.url, self.proc, self.log = url, proc, log

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("reelbot-web")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELBOT_")}
    env.update(
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
        REELBOT_DATA_DIR=str(home / "data"),
        REELBOT_MODEL="tiny",
        REELBOT_WEB_PORT=str(port),
    )
    log = home / "reelbot-run.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"], cwd=home, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + 60
    while "Reelbot is open at" not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("reelbot run did not start:\n" + server.tail())
        time.sleep(0.2)
    line = next(x for x in log.read_text().splitlines() if x.startswith("Reelbot is open at"))
    assert (
        f"http://127.0.0.1:{port}" in line
        and "REELBOT_TELEGRAM_TOKEN" in line
        and "REELBOT_DISCORD_TOKEN" in line
    )
    with urllib.request.urlopen(server.url + "/api/info", timeout=10) as r:
        assert r.status == 200
    yield server
    proc.send_signal(signal.SIGTERM)
    try:
        assert proc.wait(60) == 0, server.tail()
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def member(browser: Any, server: Server) -> Iterator[Any]:
    """A new member: a fresh context (cookie jar) with the page open and ready."""
    pages: list[Any] = []

    def open_page(locale: str = "en-US") -> Any:
        context = browser.new_context(locale=locale, viewport={"width": 1360, "height": 900})
        page = context.new_page()
        page.goto(server.url + "/")
        page.wait_for_selector("body[data-ready='1']", timeout=30_000)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.context.close()


made: dict[str, str] = {}  # what earlier tests made, for later ones (each also makes its own if run alone)


def balance(page: Any) -> int:
    return int(page.get_attribute("#balance", "data-available"))


def wait_balance(page: Any, credits: int, timeout: int = 30_000) -> None:
    page.wait_for_function(
        "(n) => document.querySelector('#balance').dataset.available == String(n)",
        arg=credits,
        timeout=timeout,
    )


def ask(page: Any, text: str) -> dict[str, Any]:
    """Type `text` in the chat and send it; the bot's answer as the page received it (its message may be
    edited at once: a queued job's status turns into its progress, then into the clip)."""
    page.fill("#text", text)
    with page.expect_response(
        lambda r: r.url.endswith("/api/messages") and r.request.method == "POST"
    ) as posted:
        page.click("#send")
    answer: dict[str, Any] = posted.value.json()["messages"][-1]
    assert answer["role"] == "bot"
    return answer


def watch_job(page: Any, job_id: str, server: Server) -> list[int]:
    """Read the job list's progress of `job_id` until it says 100 %; every value seen, in order."""
    seen: list[int] = []
    deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000
    row = page.locator(f".job[data-job='{job_id}']")
    while time.monotonic() < deadline:
        if row.count():
            value = int(row.first.get_attribute("data-progress") or 0)
            if not seen or seen[-1] != value:
                seen.append(value)
            if value == 100:
                return seen
            if row.first.get_attribute("data-state") in ("failed", "cancelled"):
                break
        page.wait_for_timeout(100)
    pytest.fail(f"job {job_id} never reached 100 % (seen {seen}):\n{server.tail()}")


def playing(page: Any, selector: str) -> dict[str, float]:
    # functions, not expressions: the page's CSP forbids eval, and Playwright evals bare expressions there
    page.wait_for_function(
        "(s) => { const v = document.querySelector(s); return v && v.readyState >= 2 && v.duration > 0 }",
        arg=selector,
        timeout=60_000,
    )
    return page.evaluate(
        "(s) => { const v = document.querySelector(s); "
        "return {readyState: v.readyState, duration: v.duration, width: v.videoWidth} }",
        selector,
    )


def make_clip(page: Any, server: Server, text: str) -> tuple[str, int, list[int]]:
    """Ask for a clip; (job id, quoted price, progress seen) once its clip message is in the chat."""
    answer = ask(page, text)
    reply = answer["reply"]
    assert reply["kind"] == "queued" and f"{reply['price']} credits held" in answer["text"], answer["text"]
    job_id, price = reply["job_id"], int(reply["price"])
    seen = watch_job(page, job_id, server)
    page.wait_for_selector(f".msg.kind-done[data-job='{job_id}'] video", timeout=RENDER_TIMEOUT_MS)
    return job_id, price, seen


def test_a_request_shows_progress_to_100_plays_the_clip_and_charges_the_quote(
    member: Any, server: Server
) -> None:
    page = member()
    note = page.locator("#model-note")
    assert note.is_visible() and "tiny" in note.inner_text() and "REELBOT_MODEL" in note.inner_text()
    page.fill("#name", "Ann")
    page.click("#name-form button")
    assert balance(page) == 100
    job_id, price, seen = make_clip(page, server, "a lighthouse at night, waves crashing 5s")
    assert price == 25
    assert seen[-1] == 100 and any(0 < v < 100 for v in seen), seen  # it moved, then reached the end
    video = playing(page, f".msg.kind-done[data-job='{job_id}'] video")
    assert video["duration"] > 0 and video["readyState"] >= 2 and video["width"] > 0
    wait_balance(page, 100 - price)
    assert balance(page) == 100 - price
    assert "Ann" in page.locator(f".card[data-job='{job_id}'] .author").inner_text()
    made["source"] = job_id
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "chat.png"))


def test_remix_from_the_feed_and_see_its_lineage(member: Any, server: Server) -> None:
    first = made.get("source")
    if first is None:
        first = make_clip(member(), server, "a lighthouse at night 5s")[0]
    page = member()
    page.fill("#name", "Bob")
    page.click("#name-form button")
    card = page.locator(f".card[data-job='{first}']")
    card.wait_for(timeout=15_000)
    card.locator("button[data-action='remix']").click()
    page.wait_for_selector("#mode:not([hidden])")
    assert "Remixing" in page.inner_text("#mode")
    child, price, _ = make_clip(page, server, "make it a snowy morning")
    assert price == 25
    # the feed shows the remix with its source, and the source with its remix
    remix_card = page.locator(f".card[data-job='{child}']")
    remix_card.wait_for(timeout=20_000)
    parent_link = remix_card.locator(".lineage.parent a.ref")
    assert parent_link.get_attribute("data-job") == first
    assert "remix of" in remix_card.locator(".lineage.parent").inner_text()
    page.wait_for_selector(
        f".card[data-job='{first}'] .lineage.remixes a.ref[data-job='{child}']", timeout=20_000
    )
    playing(page, f".card[data-job='{child}'] video")
    # the clip's stable page shows the same lineage
    page.goto(server.url + f"/clip/{child}")
    page.wait_for_selector("body[data-ready='1']")
    assert (
        page.locator(f"#clip-page .card[data-job='{child}'] .lineage.parent a.ref").get_attribute("data-job")
        == first
    )
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready='1']")
    page.wait_for_selector(f".card[data-job='{child}'] video")
    playing(page, f".card[data-job='{child}'] video")
    page.locator(".explore").screenshot(path=str(SHOTS / "feed.png"))


def test_a_chinese_request_is_answered_in_chinese_and_cancelled_from_the_job_list(
    member: Any, server: Server
) -> None:
    page = member("zh-CN")
    assert page.inner_text("#jobs-title") == "我的任务"
    answer = ask(page, "一只在雪地里奔跑的红狐狸，5秒")
    text = answer["text"]
    assert answer["reply"]["kind"] == "queued" and "已排队" in text and "冻结 25 积分" in text, text
    job_id = answer["reply"]["job_id"]
    # the status message stays in Chinese as it moves (queued, rendering)
    shown = page.locator(f".msg.bot[data-job='{job_id}']")
    shown.wait_for(timeout=15_000)
    assert any(word in shown.inner_text() for word in ("已排队", "正在渲染")), shown.inner_text()
    wait_balance(page, 75)
    row = page.locator(f".job[data-job='{job_id}']")
    row.wait_for(timeout=15_000)
    row.locator("button.cancel").click()
    page.wait_for_selector(f".job[data-job='{job_id}'][data-state='cancelled']", timeout=60_000)
    wait_balance(page, 100)


def test_a_request_the_plan_refuses_says_why_and_charges_nothing(member: Any, server: Server) -> None:
    page = member()
    answer = ask(page, "a castle above the clouds 1080p 20s")
    assert answer["reply"]["kind"] == "offer", answer["text"]
    shown = page.locator(f"#m-{answer['id']}")  # an offer stays as it is until tapped
    shown.wait_for(timeout=15_000)
    text = shown.inner_text()
    assert shown.get_attribute("data-kind") == "offer", text
    assert "free plan goes up to 480p" in text and "you asked for 1080p" in text
    assert balance(page) == 100
    assert shown.locator("button[data-action='accept']").count() == 1  # the closest fit, one tap away
