"""Settings: every field is documented in .env.example, secrets never show, lists parse."""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_documents_every_setting() -> None:
    documented = set(re.findall(r"^#?\s*REELBOT_([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
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


def test_light_settings_read_what_settings_read(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The light CLI commands' reader agrees with Settings on every field they share, .env and env alike."""
    from bot.light_settings import LightSettings, load_light_settings

    for key in list(__import__("os").environ):
        if key.upper().startswith("REELBOT_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    env_file = tmp_path / ".env"
    cases: list[tuple[str, dict[str, str]]] = [
        ("", {}),
        ("REELBOT_DATA_DIR=/srv/reel\nREELBOT_PLANS_FILE='plans.toml'\n# REELBOT_PRICES_FILE=x\n", {}),
        ('export REELBOT_PRICES_FILE="p.toml"  \nreelbot_default_plan=plus # our default\n', {}),
        ("REELBOT_DATA_DIR=from-file\nREELBOT_DEFAULT_PLAN=\n", {"REELBOT_DATA_DIR": "from-env"}),
        ("REELBOT_ROOT=/x\nREELBOT_DATA_DIR=${REELBOT_ROOT}/data\n", {"reelbot_plans_file": "lower.toml"}),
        ("", {"REELBOT_PRICES_FILE": "", "REELBOT_DEFAULT_PLAN": "pro"}),
    ]
    for content, env in cases:
        env_file.write_text(content, encoding="utf-8")
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        full = Settings()
        light = load_light_settings()
        for name in ("data_dir", "prices_file", "plans_file", "default_plan"):
            assert getattr(light, name) == getattr(full, name), (content, env, name)
        assert light.db_path == full.db_path
        for k in env:
            monkeypatch.delenv(k)
    assert LightSettings().data_dir == Settings.model_fields["data_dir"].default
    assert not hasattr(LightSettings(), "telegram_token")  # secrets are never read here


def test_engine_options_from_settings_and_clashes_refused_at_start(tmp_path, monkeypatch, capsys) -> None:
    import asyncio

    from bot.app import run

    s = Settings(_env_file=None, data_dir=tmp_path, engine_offload="model", engine_compile="true")
    assert s.engine_load_options() == {"offload": "model", "compile": True}
    clash = Settings(_env_file=None, data_dir=tmp_path, engine_compile="true", engine_fp8="true", web_port=0)
    assert asyncio.run(run(clash)) == 2
    assert "REELBOT_ENGINE_COMPILE=true cannot be combined with" in capsys.readouterr().err
