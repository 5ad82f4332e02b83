"""billing.plans: the DESIGN.md plan table, every PlanLimit code, operator plan files."""

from __future__ import annotations

from pathlib import Path

import pytest

from billing.errors import BadQuote, BillingFileError, PlanLimit, UnknownPlan
from billing.plans import DEFAULT_PLANS_FILE, RESOLUTION_ORDER, Plan, PlanBook, check


@pytest.fixture(scope="module")
def book() -> PlanBook:
    return PlanBook.load()


def test_default_plans_match_design(book: PlanBook) -> None:
    assert book.names() == ["free", "plus", "pro"]
    assert book.default.name == "free"
    assert book.get("free") == Plan("free", 100, "480p", 5, 1, relaxed=False, watermark=True)
    assert book.get("plus") == Plan("plus", 1000, "720p", 5, 2, relaxed=False, watermark=True)
    assert book.get("pro") == Plan("pro", 10000, "1080p", 20, 5, relaxed=True, watermark=False)
    assert all(book.get(n).max_variations == 4 for n in book.names())
    assert RESOLUTION_ORDER == ("480p", "720p", "1080p")


def test_get_is_case_insensitive_and_unknown_lists_known(book: PlanBook) -> None:
    assert book.get("PRO").name == "pro"
    assert book.get(" Plus ").name == "plus"
    with pytest.raises(UnknownPlan) as caught:
        book.get("gold")
    assert caught.value.code == "unknown_plan"
    assert caught.value.params == {"plan": "gold", "known": ["free", "plus", "pro"]}


def test_everything_within_limits_passes(book: PlanBook) -> None:
    check(book.get("free"), resolution="480p", seconds=5, variations=4, mode="fast", active_jobs=0)
    check(book.get("plus"), resolution="720p", seconds=5, variations=2, mode="fast", active_jobs=1)
    check(book.get("pro"), resolution="1080p", seconds=20, variations=4, mode="relaxed", active_jobs=4)
    check(book.get("pro"), resolution="480p", seconds=1, variations=1, mode="fast")


@pytest.mark.parametrize(
    ("plan", "ask", "code", "limit", "asked"),
    [
        ("free", {"resolution": "720p"}, "plan_resolution", "480p", "720p"),
        ("plus", {"resolution": "1080p"}, "plan_resolution", "720p", "1080p"),
        ("free", {"seconds": 6}, "plan_seconds", 5, 6),
        ("plus", {"seconds": 20}, "plan_seconds", 5, 20),
        ("free", {"mode": "relaxed"}, "plan_relaxed", "fast", "relaxed"),
        ("plus", {"mode": "relaxed"}, "plan_relaxed", "fast", "relaxed"),
        ("free", {"active_jobs": 1}, "plan_concurrency", 1, 2),
        ("plus", {"active_jobs": 2}, "plan_concurrency", 2, 3),
        ("pro", {"active_jobs": 5}, "plan_concurrency", 5, 6),
    ],
)
def test_each_limit_code(
    book: PlanBook, plan: str, ask: dict[str, object], code: str, limit: object, asked: object
) -> None:
    base: dict[str, object] = {"resolution": "480p", "seconds": 5, "variations": 1, "mode": "fast"}
    with pytest.raises(PlanLimit) as caught:
        check(book.get(plan), **{**base, **ask})  # type: ignore[arg-type]
    assert caught.value.code == code
    assert caught.value.params == {"plan": plan, "limit": limit, "asked": asked}


def test_variations_limit(tmp_path: Path) -> None:
    path = tmp_path / "plans.toml"
    path.write_text(
        DEFAULT_PLANS_FILE.read_text(encoding="utf-8").replace(
            "relaxed = false\nwatermark = true\n\n[plans.plus]",
            "relaxed = false\nwatermark = true\nmax_variations = 2\n\n[plans.plus]",
        ),
        encoding="utf-8",
    )
    free = PlanBook.load(path).get("free")
    assert free.max_variations == 2
    check(free, resolution="480p", seconds=5, variations=2, mode="fast")
    with pytest.raises(PlanLimit) as caught:
        check(free, resolution="480p", seconds=5, variations=4, mode="fast")
    assert caught.value.code == "plan_variations"
    assert caught.value.params == {"plan": "free", "limit": 2, "asked": 4}


def test_first_broken_limit_wins(book: PlanBook) -> None:
    with pytest.raises(PlanLimit) as caught:
        check(book.get("free"), resolution="1080p", seconds=20, variations=4, mode="relaxed", active_jobs=3)
    assert caught.value.code == "plan_resolution"


@pytest.mark.parametrize(
    "ask",
    [{"resolution": "4k"}, {"seconds": 0}, {"seconds": 25}, {"variations": 3}, {"mode": "turbo"}],
)
def test_impossible_requests_are_bad_quotes_not_plan_limits(book: PlanBook, ask: dict[str, object]) -> None:
    base: dict[str, object] = {"resolution": "480p", "seconds": 5, "variations": 1, "mode": "fast"}
    with pytest.raises(BadQuote):
        check(book.get("pro"), **{**base, **ask})  # type: ignore[arg-type]


def test_operator_plans_file(tmp_path: Path) -> None:
    path = tmp_path / "plans.toml"
    path.write_text(
        'default = "starter"\n'
        '[plans.starter]\ncredits_per_month = 50\nmax_resolution = "720p"\nmax_seconds = 10\n'
        "max_concurrent = 3\nrelaxed = true\nwatermark = false\nmax_variations = 1\n",
        encoding="utf-8",
    )
    book = PlanBook.load(path)
    assert book.names() == ["starter"]
    assert book.default == Plan("starter", 50, "720p", 10, 3, relaxed=True, watermark=False, max_variations=1)
    assert book.source == path


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            lambda t: t.replace('default = "free"', 'default = "gold"'),
            "default = 'gold' is not one of the plans",
        ),
        (
            lambda t: t.replace("credits_per_month = 100\n", ""),
            "[plans.free]: missing key(s): credits_per_month",
        ),
        (lambda t: t.replace("credits_per_month = 100\n", "credits_per_month = -1\n"), "must be >= 0"),
        (lambda t: t.replace("credits_per_month = 100\n", "credits_per_month = true\n"), "whole number"),
        (
            lambda t: t.replace('max_resolution = "480p"', 'max_resolution = "4k"'),
            "max_resolution must be one of",
        ),
        (lambda t: t.replace("max_seconds = 20", "max_seconds = 30"), "max_seconds must be 1..20"),
        (lambda t: t.replace("max_concurrent = 1", "max_concurrent = 0"), "max_concurrent must be >= 1"),
        (lambda t: t.replace("relaxed = false", 'relaxed = "no"', 1), "relaxed must be true or false"),
        (
            lambda t: t.replace("watermark = true", "watermark = true\ncolour = 1", 1),
            "unknown key(s): colour",
        ),
        (
            lambda t: t.replace("watermark = true", "watermark = true\nmax_variations = 3", 1),
            "max_variations must be 1, 2 or 4",
        ),
        (lambda t: t.replace("[plans.free]", "[plans.free"), "invalid TOML"),
        (lambda t: 'default = "free"\n', "[plans] must be a table"),
        (lambda t: "currency = 'EUR'\n" + t, "unknown top-level key(s): currency"),
    ],
)
def test_invalid_plans_file_names_file_and_problem(tmp_path: Path, edit, problem: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "plans.toml"
    path.write_text(edit(DEFAULT_PLANS_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(BillingFileError) as caught:
        PlanBook.load(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert problem in str(caught.value)


def test_missing_plans_file(tmp_path: Path) -> None:
    with pytest.raises(BillingFileError, match="file not found"):
        PlanBook.load(tmp_path / "absent.toml")
    with pytest.raises(BillingFileError, match="is a directory"):
        PlanBook.load(tmp_path)
