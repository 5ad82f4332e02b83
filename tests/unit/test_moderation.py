"""Prompt moderation: built-in and operator terms, whole words, Chinese, nothing charged when blocked."""

from __future__ import annotations

from pathlib import Path

from bot.core import Core
from bot.messages import render
from bot.moderation import Moderator
from bot.replies import Context
from bot.settings import Settings
from tests.fakes.engines import FakeEngine


def test_built_in_and_operator_terms(tmp_path: Path) -> None:
    terms = tmp_path / "blocked.txt"
    terms.write_text("# our server's rules\nGore Fest\n血腥\n", encoding="utf-8")
    m = Moderator.load(terms)
    assert m.blocks("a GORE   fest at noon")
    assert m.blocks("一部血腥电影")
    assert m.blocks("ｃｈｉｌｄ ｐｏｒｎ")  # full-width forms fold
    assert not m.blocks("a goreless festival", "core fest", None, "")
    assert not Moderator().blocks("a gore fest")  # not on the built-in list
    assert Moderator().blocks(None, "csam")


async def test_blocked_prompt_changes_nothing(tmp_path: Path) -> None:
    terms = tmp_path / "blocked.txt"
    terms.write_text("gore fest\n", encoding="utf-8")
    s = Settings(data_dir=tmp_path / "data", _env_file=None, blocked_terms_file=terms)  # type: ignore[call-arg]
    core = await Core.open(s, FakeEngine(real_video=False))
    await core.start()
    try:
        ctx = Context(user="telegram:1")
        reply = await core.handle_text(ctx, "a gore fest 5s")
        assert reply.kind == "error" and reply.key == "moderated" and "different prompt" in render(reply)
        story = await core.handle_text(ctx, "storyboard: 0s a calm lake; 3s a gore fest")
        assert story.kind == "error"
        assert (await core.ledger.balance("telegram:1")).available == 100
        assert await core.jobs.of_owner("telegram:1") == []
    finally:
        await core.close()
