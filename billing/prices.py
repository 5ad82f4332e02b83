"""Prices: how many credits a clip costs, from the price table (packaged default or the operator's file).

Owns the table and `quote`. Prices depend only on the output (resolution, aspect, seconds, variations)
and on relaxed mode; the action (create, remix, ...) never changes them. It moves no credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from billing import tomlfile
from billing.errors import BillingFileError
from billing.plans import RESOLUTION_ORDER, Plan, validate

DEFAULT_PRICES_FILE = Path(__file__).parent / "defaults" / "prices.toml"

#: Lengths with a table price; every other length costs per_second x seconds.
TABLE_SECONDS: tuple[int, ...] = (5, 10, 15, 20)
#: Aspect classes a file must price. "9:16" may be priced on its own; if absent it costs as "16:9".
PRICED_ASPECTS: tuple[str, ...] = ("1:1", "16:9")
OPTIONAL_ASPECTS: Mapping[str, str] = MappingProxyType({"9:16": "16:9"})


@dataclass(frozen=True)
class Rates:
    """The prices of one resolution x aspect class: fixed prices by length, and the per-second rate."""

    fixed: Mapping[int, int]
    per_second: int

    def price(self, seconds: int) -> int:
        """Credits for one variation of `seconds` seconds."""
        fixed = self.fixed.get(seconds)
        return fixed if fixed is not None else self.per_second * seconds


@dataclass(frozen=True)
class PriceTable:
    """Rates for every (resolution, aspect); vertical already resolved. Build it with `PriceTable.load`."""

    rates: Mapping[tuple[str, str], Rates]
    source: Path

    @classmethod
    def load(cls, path: Path | None = None) -> PriceTable:
        """Load prices from `path`, or the packaged default when `path` is None.

        Raises BillingFileError (naming the file and the problem) when the file is missing or invalid.
        """
        path = DEFAULT_PRICES_FILE if path is None else Path(path)
        doc = tomlfile.read(path)
        unknown = sorted(set(doc) - set(RESOLUTION_ORDER))
        if unknown:
            raise BillingFileError(
                path, f"unknown resolution(s) {', '.join(unknown)}; expected {', '.join(RESOLUTION_ORDER)}"
            )
        rates: dict[tuple[str, str], Rates] = {}
        for resolution in RESOLUTION_ORDER:
            if resolution not in doc:
                raise BillingFileError(path, f'missing table ["{resolution}"]')
            aspects = tomlfile.table(path, doc[resolution], f'["{resolution}"]')
            allowed = PRICED_ASPECTS + tuple(OPTIONAL_ASPECTS)
            extra = sorted(set(aspects) - set(allowed))
            if extra:
                raise BillingFileError(
                    path,
                    f'["{resolution}"]: unknown aspect(s) {", ".join(extra)}; expected {", ".join(allowed)}',
                )
            for aspect in PRICED_ASPECTS:
                if aspect not in aspects:
                    raise BillingFileError(path, f'["{resolution}"]: missing "{aspect}"')
                rates[(resolution, aspect)] = _parse_rates(path, resolution, aspect, aspects[aspect])
            for aspect, priced_as in OPTIONAL_ASPECTS.items():
                rates[(resolution, aspect)] = (
                    _parse_rates(path, resolution, aspect, aspects[aspect])
                    if aspect in aspects
                    else rates[(resolution, priced_as)]
                )
        return cls(rates=MappingProxyType(rates), source=path)

    def base_price(self, *, resolution: str, aspect: str, seconds: int) -> int:
        """Credits for one fast variation. Inputs must already be valid (see `quote`)."""
        return self.rates[(resolution, aspect)].price(seconds)


def quote(
    table: PriceTable,
    *,
    resolution: str,
    aspect: str,
    seconds: int,
    variations: int = 1,
    mode: str = "fast",
    plan: Plan | None = None,
) -> int:
    """Credits a request costs: the table price for 5/10/15/20 s, else per_second x seconds, times
    variations. A relaxed job costs 0 when `plan` is given and allows relaxed mode; otherwise relaxed is
    priced as fast (whether the plan allows it at all is `plans.check`'s business).

    Raises BadQuote for seconds outside 1..20, an unknown resolution/aspect/mode, or variations not 1/2/4.
    """
    validate(resolution=resolution, aspect=aspect, seconds=seconds, variations=variations, mode=mode)
    if mode == "relaxed" and plan is not None and plan.relaxed:
        return 0
    return table.base_price(resolution=resolution, aspect=aspect, seconds=seconds) * variations


def _parse_rates(path: Path, resolution: str, aspect: str, raw: object) -> Rates:
    where = f'["{resolution}"] "{aspect}"'
    fields = tomlfile.table(path, raw, where)
    expected = [str(s) for s in TABLE_SECONDS] + ["per_second"]
    unknown = sorted(set(fields) - set(expected))
    if unknown:
        raise BillingFileError(
            path, f"{where}: unknown key(s) {', '.join(unknown)}; expected {', '.join(expected)}"
        )
    missing = [k for k in expected if k not in fields]
    if missing:
        raise BillingFileError(path, f"{where}: missing key(s) {', '.join(missing)}")
    fixed = {s: tomlfile.whole(path, fields[str(s)], f"{where} {s}") for s in TABLE_SECONDS}
    per_second = tomlfile.whole(path, fields["per_second"], f"{where} per_second")
    return Rates(fixed=MappingProxyType(fixed), per_second=per_second)
