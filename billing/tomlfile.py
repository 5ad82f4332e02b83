"""Reading the operator's TOML files (prices, plans) into plain dicts with start-up-grade errors.

Owns only file access and the field checks both tables share; it knows no prices or plans. Every
problem becomes a `BillingFileError` that names the file and what is wrong with it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from billing.errors import BillingFileError


def read(path: Path) -> dict[str, Any]:
    """Parse the TOML file at `path`. Raises BillingFileError when it is missing, unreadable or not TOML."""
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise BillingFileError(path, "file not found") from None
    except IsADirectoryError:
        raise BillingFileError(path, "is a directory, expected a TOML file") from None
    except PermissionError:
        raise BillingFileError(path, "permission denied") from None
    except OSError as e:
        raise BillingFileError(path, f"cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise BillingFileError(path, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise BillingFileError(path, f"invalid TOML: {e}") from None


def table(path: Path, value: object, where: str) -> dict[str, Any]:
    """`value` as a TOML table, or BillingFileError saying that `where` must be one."""
    if not isinstance(value, dict):
        raise BillingFileError(path, f"{where} must be a table, got {_show(value)}")
    return value


def whole(path: Path, value: object, where: str, *, low: int = 0, high: int | None = None) -> int:
    """`value` as an int in [low, high], or BillingFileError. Booleans and floats are refused."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BillingFileError(path, f"{where} must be a whole number, got {_show(value)}")
    if value < low or (high is not None and value > high):
        bound = f"{low}..{high}" if high is not None else f">= {low}"
        raise BillingFileError(path, f"{where} must be {bound}, got {value}")
    return value


def flag(path: Path, value: object, where: str) -> bool:
    """`value` as a bool (TOML true/false), or BillingFileError."""
    if not isinstance(value, bool):
        raise BillingFileError(path, f"{where} must be true or false, got {_show(value)}")
    return value


def choice(path: Path, value: object, where: str, allowed: tuple[str, ...]) -> str:
    """`value` as one of `allowed`, or BillingFileError listing them."""
    if not isinstance(value, str) or value not in allowed:
        raise BillingFileError(path, f"{where} must be one of {', '.join(allowed)}, got {_show(value)}")
    return value


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)
