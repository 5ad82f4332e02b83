"""The `reelbot` CLI contract (shared/DESIGN.md): JSON out, clear errors, and a light import path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "diffusers", "transformers", "telegram", "discord", "av", "PIL", "numpy")


def reelbot(
    *args: str, data_dir: Path | None = None, importtime: bool = False, **settings: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELBOT_")}
    env["PYTHONPATH"] = str(ROOT)
    env.update({f"REELBOT_{k.upper()}": v for k, v in settings.items()})
    if data_dir is not None:
        env["REELBOT_DATA_DIR"] = str(data_dir)
    cmd = [sys.executable, *(["-X", "importtime"] if importtime else []), "-m", "bot.cli", *args]
    # not the repo root: a developer's .env there must not leak into these runs
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(), timeout=60)


def out(p: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(p.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("args", "credits"),
    [
        (["--resolution", "480p", "--aspect", "16:9", "--seconds", "5"], 25),
        (["--resolution", "1080p", "--aspect", "16:9", "--seconds", "20"], 2000),
        (["--resolution", "720p", "--aspect", "1:1", "--seconds", "7"], 42),
        (["--resolution", "720p", "--aspect", "1:1", "--seconds", "7", "--variations", "2"], 84),
        (["--resolution", "480p", "--aspect", "9:16", "--seconds", "10"], 50),
        (
            [
                "--resolution",
                "1080p",
                "--aspect",
                "16:9",
                "--seconds",
                "20",
                "--mode",
                "relaxed",
                "--plan",
                "pro",
            ],
            0,
        ),
    ],
)
def test_quote(args: list[str], credits: int) -> None:
    p = reelbot("quote", "--action", "create", *args)
    assert p.returncode == 0, p.stdout + p.stderr
    assert out(p) == {"credits": credits}


def test_quote_refuses_what_the_plan_does_not_allow() -> None:
    p = reelbot(
        "quote",
        "--action",
        "create",
        "--resolution",
        "1080p",
        "--aspect",
        "16:9",
        "--seconds",
        "5",
        "--plan",
        "plus",
    )
    assert p.returncode != 0
    err = out(p)["error"]
    assert "720p" in err and "1080p" in err and "plus" in err
    bad = reelbot("quote", "--seconds", "-3")
    assert bad.returncode != 0 and "error" in out(bad)
    unknown = reelbot("quote", "--plan", "gold")
    assert unknown.returncode != 0 and "gold" in out(unknown)["error"]


def test_parse_prints_the_contract_json() -> None:
    p = reelbot("parse", "/video a cat 10s 720p 9:16")
    assert out(p) == {
        "action": "create",
        "prompt": "a cat",
        "seconds": 10,
        "resolution": "720p",
        "aspect": "9:16",
        "variations": 1,
        "mode": "fast",
        "seed": None,
        "loop": False,
        "negative": None,
        "cards": [],
        "audio": True,
    }
    animate = out(reelbot("parse", "--images", "1", "waves crashing"))
    assert animate["action"] == "animate"
    blend = out(reelbot("parse", "--videos", "2", "smooth transition"))
    assert blend["action"] == "blend"
    assert out(reelbot("parse", "--reply", "loop"))["action"] == "loop"
    empty = reelbot("parse", "   ")
    assert empty.returncode != 0 and "error" in out(empty)
    assert reelbot("parse", "--images", "-1", "x").returncode != 0


def test_plans_lists_the_design_table() -> None:
    plans = {p["name"]: p for p in out(reelbot("plans"))["plans"]}
    assert set(plans) == {"free", "plus", "pro"}
    assert plans["free"]["credits_per_month"] == 100 and plans["pro"]["max_resolution"] == "1080p"
    assert plans["plus"]["max_concurrent"] == 2 and plans["pro"]["relaxed"] and not plans["pro"]["watermark"]


def test_admin_grant_plan_balance(tmp_path: Path) -> None:
    d = tmp_path / "data"
    assert out(reelbot("admin", "balance", "telegram:1", data_dir=d))["available"] == 100
    g = out(reelbot("admin", "grant", "telegram:1", "250", "--key", "k1", data_dir=d))
    assert g["available"] == 350
    again = out(reelbot("admin", "grant", "telegram:1", "250", "--key", "k1", data_dir=d))
    assert again["granted"] == 0 and again["available"] == 350
    assert out(reelbot("admin", "plan", "telegram:1", "pro", data_dir=d))["plan"] == "pro"
    for bad in (
        ["grant", "telegram:1", "-5"],
        ["grant", "telegram:1", "abc"],
        ["plan", "telegram:1", "gold"],
        ["balance", "nobody"],
        ["refund", "telegram:1", "ffffffffffff"],
    ):
        p = reelbot("admin", *bad, data_dir=d)
        assert p.returncode != 0, bad
        assert "error" in out(p)
    assert out(reelbot("admin", "balance", "telegram:1", data_dir=d))["topup"] == 250


@pytest.mark.parametrize(
    "args", [["parse", "a cat 5s"], ["quote", "--seconds", "5"], ["plans"], ["admin", "balance", "web:ann"]]
)
def test_light_commands_import_no_heavy_library(args: list[str], tmp_path: Path) -> None:
    p = reelbot(*args, data_dir=tmp_path / "d", importtime=True)
    assert p.returncode == 0, p.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in p.stderr.splitlines() if "|" in line}
    assert not imported & set(HEAVY), imported & set(HEAVY)
    # nor the full Settings (pydantic-settings is most of a light command's start-up)
    assert not imported & {"pydantic", "pydantic_settings"}, imported & {"pydantic", "pydantic_settings"}


def test_help_lists_every_option() -> None:
    top = reelbot("--help").stdout
    for cmd in ("run", "worker", "parse", "quote", "plans", "generate", "admin"):
        assert cmd in top
    q = reelbot("quote", "--help").stdout
    for opt in ("--action", "--resolution", "--aspect", "--seconds", "--variations", "--mode", "--plan"):
        assert opt in q


def test_run_without_a_channel_says_how_to_configure_one(tmp_path: Path) -> None:
    # the web channel is always there unless turned off: with it off and no token, nobody to talk to
    p = reelbot("run", data_dir=tmp_path / "d", web_enabled="false")
    assert p.returncode == 2
    assert "REELBOT_TELEGRAM_TOKEN" in p.stderr and ".env" in p.stderr
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())


def test_run_beyond_loopback_without_a_web_token_refuses_to_start(tmp_path: Path) -> None:
    p = reelbot("run", data_dir=tmp_path / "d", web_host="0.0.0.0")
    assert p.returncode == 2
    assert "REELBOT_WEB_TOKEN" in p.stderr and "0.0.0.0" in p.stderr
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())


def test_default_plan_setting(tmp_path: Path) -> None:
    env_dir = tmp_path / "d"
    p = subprocess.run(
        [sys.executable, "-m", "bot.cli", "admin", "balance", "web:ann"],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        timeout=60,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("REELBOT_")},
            "PYTHONPATH": str(ROOT),
            "REELBOT_DATA_DIR": str(env_dir),
            "REELBOT_DEFAULT_PLAN": "plus",
        },
    )
    assert out(p)["plan"] == "plus" and out(p)["available"] == 1000
    bad = subprocess.run(
        [sys.executable, "-m", "bot.cli", "admin", "balance", "web:bob"],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        timeout=60,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("REELBOT_")},
            "PYTHONPATH": str(ROOT),
            "REELBOT_DATA_DIR": str(env_dir),
            "REELBOT_DEFAULT_PLAN": "gold",
        },
    )
    assert bad.returncode == 2 and "gold" in out(bad)["error"]
