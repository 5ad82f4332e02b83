"""The few settings the light CLI commands (parse, quote, plans, admin) need: the data folder, the price and
plan files, the default plan. Read from the environment and `.env` as bot/settings.py's Settings reads them
(prefix REELBOT_, any case, the environment over the file, empty = unset), without importing pydantic,
which costs more than the rest of such a command. The one other reader of the environment; a test keeps
the two in agreement.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PREFIX = "REELBOT_"
_FIELDS = ("data_dir", "prices_file", "plans_file", "default_plan")


@dataclass(frozen=True)
class LightSettings:
    """The light commands' settings (see the module docstring); defaults as in Settings."""

    data_dir: Path = Path("./data")
    prices_file: Path | None = None
    plans_file: Path | None = None
    default_plan: str | None = None

    @property
    def db_path(self) -> Path:
        return self.data_dir / "reelbot.db"


def load_light_settings(
    env_file: str | Path | None = ".env", environ: Mapping[str, str] | None = None
) -> LightSettings:
    """The light settings from `environ` (default: the process environment) over `env_file` (relative
    to the working directory; None: no file)."""
    values: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        values.update(_read_env_file(Path(env_file)))
    env = os.environ if environ is None else environ
    values.update({k.lower(): v for k, v in env.items() if k.upper().startswith(PREFIX)})
    picked = {f: values.get((PREFIX + f).lower()) for f in _FIELDS}
    return LightSettings(
        data_dir=Path(picked["data_dir"]) if picked["data_dir"] is not None else LightSettings.data_dir,
        prices_file=Path(picked["prices_file"]) if picked["prices_file"] else None,
        plans_file=Path(picked["plans_file"]) if picked["plans_file"] else None,
        default_plan=picked["default_plan"] or None,
    )


def _read_env_file(path: Path) -> dict[str, str]:
    """REELBOT_ lines of a .env file, keys lower-cased. Plain `KEY=value` lines (optionally quoted,
    `export`, `# comments`) are read here; a file with anything fancier (variable expansion, escapes,
    multi-line values) is read by python-dotenv, as pydantic-settings does."""
    out: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[7:].lstrip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key.upper().startswith(PREFIX):
            continue
        value = value.strip()
        if (
            "$" in value
            or "\\" in value
            or (value[:1] in "'\"" and (len(value) < 2 or value[-1] != value[0]))
        ):
            return _read_with_dotenv(path)
        if value[:1] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        out[key.lower()] = value
    return out


def _read_with_dotenv(path: Path) -> dict[str, str]:
    from dotenv import dotenv_values

    return {
        k.lower(): v
        for k, v in dotenv_values(path, encoding="utf-8").items()
        if v is not None and k.upper().startswith(PREFIX)
    }
