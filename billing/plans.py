"""Plans: what each tier may ask for (resolution, length, variations, jobs at once, relaxed mode).

Owns the plan table (packaged default or the operator's TOML file) and the one `check` that turns a
request's shape into a `PlanLimit`. It moves no credits and knows nothing of chat platforms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from billing import tomlfile
from billing.errors import BadQuote, BillingFileError, PlanLimit, UnknownPlan
from reel.contract import ASPECTS, MAX_SECONDS, MIN_SECONDS, MODES, VARIATIONS
from reel.contract import RESOLUTIONS as RESOLUTION_ORDER

__all__ = ["ASPECTS", "MAX_SECONDS", "MIN_SECONDS", "MODES", "RESOLUTION_ORDER", "VARIATIONS"]

DEFAULT_PLANS_FILE = Path(__file__).parent / "defaults" / "plans.toml"

_PLAN_KEYS = frozenset(
    {
        "credits_per_month",
        "max_resolution",
        "max_seconds",
        "max_concurrent",
        "relaxed",
        "watermark",
        "max_variations",
    }
)


@dataclass(frozen=True)
class Plan:
    """One plan tier. `relaxed` allows relaxed-mode jobs (which then cost 0 credits)."""

    name: str
    credits_per_month: int
    max_resolution: str
    max_seconds: int
    max_concurrent: int
    relaxed: bool
    watermark: bool
    max_variations: int = 4


@dataclass(frozen=True)
class PlanBook:
    """Every plan by name, plus the one new accounts start on. Build it with `PlanBook.load`."""

    plans: Mapping[str, Plan]
    default_name: str
    source: Path

    @classmethod
    def load(cls, path: Path | None = None) -> PlanBook:
        """Load the plan table from `path`, or the packaged default when `path` is None.

        Raises BillingFileError (naming the file and the problem) when the file is missing or invalid.
        """
        path = DEFAULT_PLANS_FILE if path is None else Path(path)
        doc = tomlfile.read(path)
        unknown = sorted(set(doc) - {"default", "plans"})
        if unknown:
            raise BillingFileError(path, f"unknown top-level key(s): {', '.join(unknown)}")
        raw_plans = tomlfile.table(path, doc.get("plans"), "[plans]")
        if not raw_plans:
            raise BillingFileError(path, "[plans] defines no plan")
        plans = {name: _parse_plan(path, name, raw) for name, raw in raw_plans.items()}
        default = doc.get("default", "free")
        if not isinstance(default, str) or default not in plans:
            raise BillingFileError(
                path, f"default = {default!r} is not one of the plans ({', '.join(plans)})"
            )
        return cls(plans=MappingProxyType(plans), default_name=default, source=path)

    @property
    def default(self) -> Plan:
        """The plan every new account starts on."""
        return self.plans[self.default_name]

    def with_default(self, name: str | None) -> PlanBook:
        """This book with new accounts starting on plan `name` (None keeps the file's `default`).
        Raises UnknownPlan."""
        if name is None:
            return self
        return replace(self, default_name=self.get(name).name)

    def get(self, name: str) -> Plan:
        """The plan called `name` (case-insensitive). Raises UnknownPlan listing the known names."""
        plan = self.plans.get(name) or self.plans.get(name.strip().lower())
        if plan is None:
            raise UnknownPlan(plan=name, known=list(self.plans))
        return plan

    def names(self) -> list[str]:
        """Plan names in file order (the order `reelbot plans` shows them)."""
        return list(self.plans)


def check(
    plan: Plan,
    *,
    resolution: str,
    seconds: int,
    variations: int,
    mode: str,
    active_jobs: int = 0,
) -> None:
    """Return None when `plan` allows this request with `active_jobs` already running.

    Raises PlanLimit(code, plan=, limit=, asked=) for the first limit it breaks, checked in the order
    plan_resolution, plan_seconds, plan_variations, plan_relaxed, plan_concurrency; BadQuote when
    the request itself names something that does not exist.
    """
    validate(resolution=resolution, seconds=seconds, variations=variations, mode=mode)
    if RESOLUTION_ORDER.index(resolution) > RESOLUTION_ORDER.index(plan.max_resolution):
        raise PlanLimit("plan_resolution", plan=plan.name, limit=plan.max_resolution, asked=resolution)
    if seconds > plan.max_seconds:
        raise PlanLimit("plan_seconds", plan=plan.name, limit=plan.max_seconds, asked=seconds)
    if variations > plan.max_variations:
        raise PlanLimit("plan_variations", plan=plan.name, limit=plan.max_variations, asked=variations)
    if mode == "relaxed" and not plan.relaxed:
        raise PlanLimit("plan_relaxed", plan=plan.name, limit="fast", asked="relaxed")
    if active_jobs >= plan.max_concurrent:
        raise PlanLimit("plan_concurrency", plan=plan.name, limit=plan.max_concurrent, asked=active_jobs + 1)


def validate(
    *,
    resolution: str,
    seconds: int,
    variations: int,
    mode: str,
    aspect: str | None = None,
) -> None:
    """Return None when the request's shape exists at all (whatever the plan); BadQuote otherwise.

    seconds must be an int in 1..20, variations one of 1, 2, 4, resolution/aspect/mode known values.
    """
    if resolution not in RESOLUTION_ORDER:
        raise BadQuote(field="resolution", value=resolution, allowed=list(RESOLUTION_ORDER))
    if aspect is not None and aspect not in ASPECTS:
        raise BadQuote(field="aspect", value=aspect, allowed=list(ASPECTS))
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise BadQuote(field="seconds", value=seconds, allowed=f"{MIN_SECONDS}..{MAX_SECONDS}")
    if isinstance(variations, bool) or not isinstance(variations, int) or variations not in VARIATIONS:
        raise BadQuote(field="variations", value=variations, allowed=list(VARIATIONS))
    if mode not in MODES:
        raise BadQuote(field="mode", value=mode, allowed=list(MODES))


def _parse_plan(path: Path, name: str, raw: object) -> Plan:
    where = f"[plans.{name}]"
    fields = tomlfile.table(path, raw, where)
    unknown = sorted(set(fields) - _PLAN_KEYS)
    if unknown:
        raise BillingFileError(path, f"{where}: unknown key(s): {', '.join(unknown)}")
    missing = sorted(_PLAN_KEYS - {"max_variations"} - set(fields))
    if missing:
        raise BillingFileError(path, f"{where}: missing key(s): {', '.join(missing)}")
    max_variations = tomlfile.whole(path, fields.get("max_variations", 4), f"{where} max_variations")
    if max_variations not in VARIATIONS:
        raise BillingFileError(path, f"{where} max_variations must be 1, 2 or 4, got {max_variations!r}")
    return Plan(
        name=name,
        credits_per_month=tomlfile.whole(path, fields["credits_per_month"], f"{where} credits_per_month"),
        max_resolution=tomlfile.choice(
            path, fields["max_resolution"], f"{where} max_resolution", RESOLUTION_ORDER
        ),
        max_seconds=tomlfile.whole(
            path, fields["max_seconds"], f"{where} max_seconds", low=MIN_SECONDS, high=MAX_SECONDS
        ),
        max_concurrent=tomlfile.whole(path, fields["max_concurrent"], f"{where} max_concurrent", low=1),
        relaxed=tomlfile.flag(path, fields["relaxed"], f"{where} relaxed"),
        watermark=tomlfile.flag(path, fields["watermark"], f"{where} watermark"),
        max_variations=max_variations,
    )
