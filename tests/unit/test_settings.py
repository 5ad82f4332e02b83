"""Settings: every field is documented in .env.example, secrets never show, lists parse."""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_documents_every_setting() -> None:
    documented = set(re.findall(r"^#?\s*REELBOT_([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    fields = {name.upper() for name in Settings.model_fields}
    assert fields <= documented, fields - documented


def test_tokens_never_show_and_admins_split(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REELBOT_TELEGRAM_TOKEN", "123456:SECRET-TOKEN")
    monkeypatch.setenv("REELBOT_ADMINS", "telegram:1, discord:2")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert "SECRET" not in repr(s) and "SECRET" not in str(s.model_dump())
    assert s.telegram_token is not None and s.telegram_token.get_secret_value() == "123456:SECRET-TOKEN"
    assert s.admins == ["telegram:1", "discord:2"]
    monkeypatch.setenv("REELBOT_TELEGRAM_STAR_PACKS", "500:50, 2000:180")
    assert Settings(_env_file=None).star_packs() == {500: 50, 2000: 180}  # type: ignore[call-arg]


def test_bad_star_packs_are_refused_at_start(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pytest
    from pydantic import ValidationError

    monkeypatch.setenv("REELBOT_TELEGRAM_STAR_PACKS", "500:fifty")
    with pytest.raises(ValidationError, match="credits:stars"):
        Settings(_env_file=None)  # type: ignore[call-arg]
