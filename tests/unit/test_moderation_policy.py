"""Moderation as an attacker tries it, in English and Chinese: evasions that must still be caught, ordinary
prompts that must pass, the per-channel policy, and every path through the one interface (prompt, input
image, the finished clip's frames before posting) with what each block costs (nothing) and leaves behind
(a record for the admins without the prompt); reports that hide a clip; bans; `reelbot moderate`."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from bot.core import Core
from bot.messages import render
from bot.moderation import NO_IMAGE_CLASSIFIER, Moderator
from bot.replies import Context, Notice
from bot.settings import Settings
from engine.jobs import DONE
from tests.fakes.engines import FakeEngine, wait_idle

ROOT = Path(__file__).resolve().parents[2]

#: (text, the category that must block it outside adult channels)
EVASIONS = [
    ("fuck", "profanity"),
    ("f u c k this", "profanity"),
    ("f.u.c.k", "profanity"),
    ("f-u-c-k", "profanity"),
    ("fuuuuuck", "profanity"),
    ("ＦＵＣＫ", "profanity"),
    ("f**k off", "profanity"),
    ("sh1t", "profanity"),
    ("a$$hole", "profanity"),
    ("f\u200bu\u200bc\u200bk", "profanity"),
    ("SHIT", "profanity"),
    ("p0rn star", "sexual"),
    ("p o r n", "sexual"),
    ("pörn", "sexual"),
    ("n*de beach", "sexual"),
    ("ｓｅｘ tape", "sexual"),
    ("hentai girls", "sexual"),
    ("b00bs", "sexual"),
    ("child porn", "minors"),
    ("c h i l d p o r n", "minors"),
    ("underage n u d e", "minors"),
    ("操你妈", "profanity"),
    ("操 你 妈", "profanity"),
    ("操-你-妈", "profanity"),
    ("操你媽", "profanity"),
    ("草泥马", "profanity"),
    ("傻逼", "profanity"),
    ("傻 逼", "profanity"),
    ("一部色情片", "sexual"),
    ("色 情", "sexual"),
    ("強姦", "sexual"),
    ("兒童色情", "minors"),
    ("儿 童 色 情", "minors"),
    ("黑鬼", "hate"),
]
#: ordinary prompts that must pass (the Scunthorpe problem, and Chinese words that hold a listed character)
FALSE_POSITIVES = [
    "a cocktail party",
    "Scunthorpe",
    "shoot a basketball",
    "鸡尾酒",
    "雞尾酒",
    "a classic car in Essex",
    "the bass player",
    "cumulus clouds over Sussex",
    "the Titanic at dawn",
    "a dickensian street",
    "assassin on a rooftop",
    "shitake mushrooms",
    "analysis of a glass",
    "a hoe in the garden",
    "a police escort",
    "a sexy sports car",
    "逼真的城市夜景",
    "一杯牛奶",
    "性格开朗的女孩",
    "乳白色的月光",
    "处女座的星空",
    "成人礼",
    "激情的舞蹈",
    "靠背椅",
    "a cat 5s 720p",
    "5s 1080p vertical",
    "a 4x4 truck",
    "a 3d render of a robot",
    "R2-D2 in a desert",
    "la casa negra",
]


@pytest.fixture(scope="module")
def moderator() -> Moderator:
    return Moderator()


@pytest.mark.parametrize(("text", "category"), EVASIONS)
def test_evasions_are_caught_in_both_languages(moderator: Moderator, text: str, category: str) -> None:
    verdict = moderator.check_text(text)
    assert verdict.blocked and verdict.reason == category, (text, verdict)


@pytest.mark.parametrize("text", FALSE_POSITIVES)
def test_ordinary_prompts_pass(moderator: Moderator, text: str) -> None:
    assert moderator.check_text(text).to_json() == {"blocked": False, "reason": None, "categories": []}


def test_adult_channels_allow_sexual_content_and_profanity_never_minors_or_hate(moderator: Moderator) -> None:
    assert not moderator.check_text("a nude beach", adult=True).blocked
    assert moderator.check_text("a nude beach", adult=True).categories == ["sexual"]
    assert not moderator.check_text("操你妈", adult=True).blocked
    assert moderator.check_text("child porn", adult=True).reason == "minors"
    assert moderator.check_text("黑鬼", adult=True).reason == "hate"
    assert moderator.check_text("a gore fest", adult=True).to_json()["categories"] == []


def test_operator_lists_replace_the_seeds_and_an_allow_file_lets_phrases_through(tmp_path: Path) -> None:
    own = tmp_path / "lists"
    own.mkdir()
    (own / "ours.txt").write_text("# our rules\n[sexual]\nspicy\n[custom]\nrival server\n", encoding="utf-8")
    allow = tmp_path / "allow.txt"
    allow.write_text("cock crowing\n", encoding="utf-8")
    m = Moderator.load(None, terms_dir=own, allow_file=allow)
    assert m.check_text("something spicy").reason == "sexual"
    assert m.check_text("join the RIVER  SERVER... no, the rival server").reason == "custom"
    assert not m.check_text("porn").blocked  # the seeds are replaced ...
    assert m.check_text("csam").reason == "minors"  # ... but the built-in minors terms always apply
    seeded = Moderator.load(None, allow_file=allow)
    assert seeded.check_text("a cock").blocked and not seeded.check_text("a cock crowing at dawn").blocked


def test_the_seed_lists_are_sizeable_and_attributed() -> None:
    terms = ROOT / "bot" / "moderation" / "terms"
    en, zh = (terms / "en.txt").read_text(encoding="utf-8"), (terms / "zh.txt").read_text(encoding="utf-8")
    assert (
        "glin-profanity" in en and "glin-profanity" in zh and (terms / "LICENSE-glin-profanity.txt").exists()
    )
    assert Moderator().terms.size > 500


# -- every path through the one interface --------------------------------------------------------------


class FlagsRed:
    """An image classifier that calls any mostly-red image (or frame) sexual."""

    name = "red-flag"

    def __init__(self) -> None:
        self.seen = 0

    def classify(self, image: Path) -> list[str]:
        self.seen += 1
        r, g, b = Image.open(image).convert("RGB").resize((1, 1)).getpixel((0, 0))
        return ["sexual"] if r > 150 and g < 100 else []


class Channel:
    def __init__(self, core: Core, platform: str = "test") -> None:
        self.notices: list[Notice] = []
        core.subscribe(platform, self.on)

    async def on(self, notice: Notice) -> None:
        self.notices.append(notice)


async def open_core(tmp_path: Path, **settings: object) -> Core:
    s = Settings(data_dir=tmp_path / "data", _env_file=None, admins=["telegram:999"], **settings)  # type: ignore[arg-type]
    core = await Core.open(s, FakeEngine(steps=1, real_video=True))
    await core.start()
    return core


def ctx(user: str = "telegram:1", chat: str = "7", **kw: object) -> Context:
    return Context(user=user, origin={"platform": "test", "chat_id": chat}, **kw)


def red_png(path: Path, colour: tuple[int, int, int] = (220, 20, 20)) -> Path:
    Image.new("RGB", (64, 64), colour).save(path)
    return path


async def test_a_blocked_prompt_costs_nothing_says_why_and_is_recorded_without_the_prompt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    core = await open_core(tmp_path)
    try:
        with caplog.at_level(logging.INFO):
            reply = await core.handle_text(ctx(), "a p 0 r n  movie 5s")
        assert reply.kind == "error" and reply.key == "moderated"
        assert render(reply) == (
            "I can't make that one: sexual content isn't allowed in this chat. Please try a different prompt."
        )
        assert "本群不允许色情内容" in render(reply, "zh")
        assert (
            await core.jobs.of_owner("telegram:1") == []
            and (await core.ledger.balance("telegram:1")).held == 0
        )
        blocks = await core.svc.moderation.blocks()
        assert [(b.user, b.stage, b.categories, b.chat) for b in blocks] == [
            ("telegram:1", "prompt", ["sexual"], "7")
        ]
        assert "0 r n" not in caplog.text and "movie" not in caplog.text
        adult = await core.handle_text(ctx(chat="8"), "a p 0 r n  movie 5s")
        assert adult.kind == "error"  # chat 8 is not listed as adult
    finally:
        await core.close()


async def test_an_adult_chat_takes_what_others_refuse(tmp_path: Path) -> None:
    core = await open_core(tmp_path, adult_chats="test:18")
    try:
        assert (await core.handle_text(ctx(chat="18"), "a nude beach 5s")).kind == "queued"
        assert (await core.handle_text(ctx(chat="7"), "a nude beach 5s")).key == "moderated"
        assert (await core.handle_text(ctx(chat="18"), "child porn 5s")).key == "moderated"
    finally:
        await core.close()


async def test_without_an_image_classifier_it_says_so_and_checks_the_words(tmp_path: Path) -> None:
    core = await open_core(tmp_path, moderation_image_classifier="off")
    try:
        assert core.moderator.image_mode == NO_IMAGE_CLASSIFIER
        image = red_png(tmp_path / "red.png")
        made = await core.handle_text(ctx(images=[image]), "animate this 5s")
        assert made.kind == "queued"
    finally:
        await core.close()


async def test_input_images_and_the_finished_clip_go_through_the_image_classifier(tmp_path: Path) -> None:
    core = await open_core(tmp_path)
    core.svc.moderator.image_classifier = FlagsRed()
    chan = Channel(core)
    try:
        refused = await core.handle_text(ctx(images=[red_png(tmp_path / "red.png")]), "animate this 5s")
        assert refused.key == "moderated" and (await core.ledger.balance("telegram:1")).held == 0
        assert [b.stage for b in await core.svc.moderation.blocks()] == ["image"]
        # a grey input passes; the engine then renders a clip, which the classifier sees before posting
        made = await core.handle_text(
            ctx(images=[red_png(tmp_path / "grey.png", (90, 90, 90))]), "animate 5s"
        )
        assert made.kind == "queued"
        await wait_idle(core)
        for _ in range(100):
            if any(n.kind == "done" for n in chan.notices):
                break
            await asyncio.sleep(0.02)
        assert [n.kind for n in chan.notices if n.kind in ("done", "failed")] == ["done"]
        assert (await core.ledger.balance("telegram:1")).available == 75  # delivered, paid once
        assert core.svc.moderator.image_classifier.seen >= 2  # the input and the clip's frames
    finally:
        await core.close()


class FlagsEverything:
    name = "flags-everything"

    def classify(self, image: Path) -> list[str]:
        return ["sexual"]


async def test_a_finished_clip_the_classifier_refuses_is_never_posted_and_is_refunded(tmp_path: Path) -> None:
    core = await open_core(tmp_path)
    chan = Channel(core)
    try:
        made = await core.handle_text(ctx(), "a sunset 5s")
        core.svc.moderator.image_classifier = FlagsEverything()  # the words passed; the frames do not
        await wait_idle(core)
        for _ in range(200):
            if any(n.kind == "failed" for n in chan.notices):
                break
            await asyncio.sleep(0.02)
        assert [n.kind for n in chan.notices if n.kind in ("done", "failed")] == ["failed"]
        told = next(n for n in chan.notices if n.kind == "failed")
        assert render(told.reply).startswith("❌ Your clip was made but can't be posted here")
        assert "25 credits were refunded" in render(told.reply)
        job = await core.jobs.get(made.job_id)
        assert job.state == DONE and not job.public
        assert (await core.ledger.balance("telegram:1")).available == 100
        assert await core.redeliver() == 0  # a refused clip is never posted later either
        assert [(b.stage, b.job_id) for b in await core.svc.moderation.blocks()] == [("output", made.job_id)]
    finally:
        await core.close()


async def test_reports_hide_a_clip_from_the_feed_until_an_admin_decides(tmp_path: Path) -> None:
    core = await open_core(tmp_path, report_threshold=2)
    chan = Channel(core)
    try:
        made = await core.handle_text(ctx(), "a lighthouse 5s")
        await wait_idle(core)
        for _ in range(100):
            if chan.notices and chan.notices[-1].kind == "done":
                break
            await asyncio.sleep(0.02)
        assert (await core.feed(ctx())).payload["jobs"] == [made.job_id]
        await core.press(ctx("telegram:2"), f"j:report:{made.job_id}")
        await core.press(ctx("telegram:2"), f"j:report:{made.job_id}")  # one member counts once
        assert (await core.feed(ctx())).payload["jobs"] == [made.job_id]
        await core.press(ctx("telegram:3"), f"j:report:{made.job_id}")
        assert (await core.feed(ctx())).key == "feed_empty"  # hidden at the threshold
        denied = await core.command(ctx("telegram:2"), "review", {"job": made.job_id, "decision": "keep"})
        assert denied.key == "not_admin"
        listed = await core.command(ctx("telegram:999"), "review", {})
        assert made.job_id in render(listed)
        kept = await core.command(ctx("telegram:999"), "review", {"job": made.job_id, "decision": "keep"})
        assert kept.key == "review_kept" and (await core.feed(ctx())).payload["jobs"] == [made.job_id]
        await core.press(ctx("telegram:4"), f"j:report:{made.job_id}")
        assert (await core.feed(ctx())).payload["jobs"] == [
            made.job_id
        ]  # an admin kept it: reports no longer hide it
        removed = await core.command(
            ctx("telegram:999"), "review", {"job": made.job_id, "decision": "remove"}
        )
        assert removed.key == "review_removed" and (await core.feed(ctx())).key == "feed_empty"
    finally:
        await core.close()


async def test_admins_ban_and_unban_members(tmp_path: Path) -> None:
    core = await open_core(tmp_path)
    try:
        assert (await core.command(ctx("telegram:1"), "ban", {"user": "telegram:2"})).key == "not_admin"
        assert (await core.handle_text(ctx("telegram:1"), "/ban telegram:2")).key == "not_admin"
        assert (await core.command(ctx("telegram:999"), "ban", {"user": "telegram:2"})).key == "banned_user"
        refused = await core.handle_text(ctx("telegram:2"), "a cat 5s")
        assert refused.key == "banned" and await core.jobs.of_owner("telegram:2") == []
        assert (await core.command(ctx("telegram:999"), "ban", {"user": "nonsense"})).kind == "error"
        assert (await core.handle_text(ctx("telegram:999"), "/unban telegram:2")).key == "unbanned"
        assert (await core.handle_text(ctx("telegram:2"), "a cat 5s")).kind == "queued"
    finally:
        await core.close()


async def test_a_ban_survives_a_restart(tmp_path: Path) -> None:
    core = await open_core(tmp_path)
    await core.command(ctx("telegram:999"), "ban", {"user": "telegram:2"})
    await core.close()
    core = await open_core(tmp_path)
    try:
        assert (await core.handle_text(ctx("telegram:2"), "a cat 5s")).key == "banned"
    finally:
        await core.close()


def test_reelbot_moderate_prints_the_verdict_as_json(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELBOT_")}
    env.update(PYTHONPATH=str(ROOT), REELBOT_MODERATION_IMAGE_CLASSIFIER="off")

    def moderate(*args: str) -> dict[str, object]:
        out = subprocess.run(
            [sys.executable, "-m", "bot.cli", "moderate", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    assert moderate("a", "cocktail", "party") == {"blocked": False, "reason": None, "categories": []}
    assert moderate("操 你 妈") == {"blocked": True, "reason": "profanity", "categories": ["profanity"]}
    assert moderate("--adult-channel", "a nude beach") == {
        "blocked": False,
        "reason": None,
        "categories": ["sexual"],
    }
    assert moderate("--image", str(red_png(tmp_path / "r.png")), "a cat")["blocked"] is False
