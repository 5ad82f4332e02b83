"""`reelbot run` and the web channel: it always counts as a channel (unless turned off), and the start line
says where to open it and which settings add the other channels."""

from __future__ import annotations

from pathlib import Path

from bot.app import any_channel_configured, where_to_open
from bot.settings import Settings


def settings(tmp_path: Path, **kw: object) -> Settings:
    return Settings(data_dir=tmp_path, _env_file=None, **kw)  # type: ignore[arg-type]


def test_the_web_channel_is_a_channel_unless_turned_off(tmp_path: Path) -> None:
    assert any_channel_configured(settings(tmp_path))
    assert not any_channel_configured(settings(tmp_path, web_enabled=False))
    assert any_channel_configured(settings(tmp_path, web_enabled=False, telegram_token="1:x"))


def test_the_start_line_names_the_address_and_the_missing_channels(tmp_path: Path) -> None:
    line = where_to_open(settings(tmp_path), "http://127.0.0.1:8080")
    assert line.startswith("Reelbot is open at http://127.0.0.1:8080")
    assert "Telegram with REELBOT_TELEGRAM_TOKEN" in line and "Discord with REELBOT_DISCORD_TOKEN" in line
    both = where_to_open(settings(tmp_path, telegram_token="1:x", discord_token="y"), "http://h:1")
    assert both == "Reelbot is open at http://h:1."
    assert "\n" not in line


def test_the_web_address(tmp_path: Path) -> None:
    assert settings(tmp_path).web_url == "http://127.0.0.1:8080"
    assert settings(tmp_path, web_host="0.0.0.0", web_port=9000).web_url == "http://127.0.0.1:9000"
    assert settings(tmp_path, web_host="::1").web_url == "http://[::1]:8080"
    assert (
        settings(tmp_path, web_public_url="https://reels.example.org/").web_url == "https://reels.example.org"
    )
    assert settings(tmp_path, feed_hidden_channels="telegram:-100, discord").feed_hidden_channels == [
        "telegram:-100",
        "discord",
    ]
