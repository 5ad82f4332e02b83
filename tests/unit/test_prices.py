"""billing.prices: the DESIGN.md price table, the per-second rule, variations, relaxed mode, operator files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from billing.errors import BadQuote, BillingError, BillingFileError
from billing.plans import PlanBook
from billing.prices import DEFAULT_PRICES_FILE, PriceTable, quote

REPO = Path(__file__).resolve().parents[2]

# shared/DESIGN.md, typed in by hand: (resolution, aspect class) -> (5 s, 10 s, 15 s, 20 s, per second).
DESIGN_TABLE: dict[tuple[str, str], tuple[int, int, int, int, int]] = {
    ("480p", "1:1"): (20, 40, 60, 80, 4),
    ("480p", "16:9"): (25, 50, 100, 150, 5),
    ("720p", "1:1"): (30, 75, 150, 225, 6),
    ("720p", "16:9"): (60, 180, 360, 540, 12),
    ("1080p", "1:1"): (100, 300, 650, 1000, 20),
    ("1080p", "16:9"): (200, 600, 1300, 2000, 40),
}
TABLE_CASES = [
    (res, aspect, seconds, prices[i])
    for (res, cls), prices in DESIGN_TABLE.items()
    for aspect in ((cls,) if cls == "1:1" else ("16:9", "9:16"))
    for i, seconds in enumerate((5, 10, 15, 20))
]
PER_SECOND_CASES = [
    (res, aspect, seconds, prices[4] * seconds)
    for (res, cls), prices in DESIGN_TABLE.items()
    for aspect in ((cls,) if cls == "1:1" else ("16:9", "9:16"))
    for seconds in range(1, 21)
    if seconds % 5
]


@pytest.fixture(scope="module")
def table() -> PriceTable:
    return PriceTable.load()


@pytest.fixture(scope="module")
def plans() -> PlanBook:
    return PlanBook.load()


@pytest.mark.parametrize(("resolution", "aspect", "seconds", "credits"), TABLE_CASES)
def test_every_table_price(
    table: PriceTable, resolution: str, aspect: str, seconds: int, credits: int
) -> None:
    assert quote(table, resolution=resolution, aspect=aspect, seconds=seconds) == credits


def test_per_second_rule_for_every_other_length(table: PriceTable) -> None:
    assert len(PER_SECOND_CASES) == 9 * 16
    for resolution, aspect, seconds, credits in PER_SECOND_CASES:
        assert quote(table, resolution=resolution, aspect=aspect, seconds=seconds) == credits, (
            resolution,
            aspect,
            seconds,
        )


def test_design_examples(table: PriceTable, plans: PlanBook) -> None:
    assert quote(table, resolution="480p", aspect="16:9", seconds=5) == 25
    assert quote(table, resolution="1080p", aspect="16:9", seconds=20) == 2000
    assert quote(table, resolution="720p", aspect="1:1", seconds=7) == 42
    assert quote(table, resolution="480p", aspect="16:9", seconds=5, variations=2) == 50
    assert (
        quote(table, resolution="1080p", aspect="16:9", seconds=20, mode="relaxed", plan=plans.get("pro"))
        == 0
    )


@pytest.mark.parametrize("variations", [1, 2, 4])
def test_variations_multiply(table: PriceTable, variations: int) -> None:
    for resolution, aspect, seconds, credits in TABLE_CASES + PER_SECOND_CASES[::7]:
        got = quote(table, resolution=resolution, aspect=aspect, seconds=seconds, variations=variations)
        assert got == credits * variations


def test_relaxed_is_free_only_on_a_plan_that_allows_it(table: PriceTable, plans: PlanBook) -> None:
    ask = {"resolution": "480p", "aspect": "1:1", "seconds": 10, "variations": 2, "mode": "relaxed"}
    assert quote(table, **ask, plan=plans.get("pro")) == 0  # type: ignore[arg-type]
    assert quote(table, **ask, plan=plans.get("free")) == 80  # type: ignore[arg-type]
    assert quote(table, **ask, plan=plans.get("plus")) == 80  # type: ignore[arg-type]
    assert quote(table, **ask) == 80  # type: ignore[arg-type]
    assert (
        quote(table, resolution="480p", aspect="1:1", seconds=10, variations=2, plan=plans.get("pro")) == 80
    )


@pytest.mark.parametrize(
    ("field", "ask"),
    [
        ("seconds", {"seconds": 0}),
        ("seconds", {"seconds": 21}),
        ("seconds", {"seconds": -5}),
        ("seconds", {"seconds": 5.0}),
        ("seconds", {"seconds": "5"}),
        ("seconds", {"seconds": True}),
        ("resolution", {"resolution": "4k"}),
        ("resolution", {"resolution": "720P "}),
        ("aspect", {"aspect": "4:3"}),
        ("variations", {"variations": 3}),
        ("variations", {"variations": 0}),
        ("variations", {"variations": 2.0}),
        ("mode", {"mode": "turbo"}),
    ],
)
def test_bad_quotes_are_refused(table: PriceTable, field: str, ask: dict[str, object]) -> None:
    base: dict[str, object] = {"resolution": "480p", "aspect": "16:9", "seconds": 5}
    with pytest.raises(BadQuote) as caught:
        quote(table, **{**base, **ask})  # type: ignore[arg-type]
    assert caught.value.code == "bad_quote"
    assert isinstance(caught.value, BillingError)
    assert caught.value.params["field"] == field


def _write_prices(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "prices.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_operator_file_overrides_prices(tmp_path: Path) -> None:
    text = DEFAULT_PRICES_FILE.read_text(encoding="utf-8")
    text = text.replace('"16:9" = { 5 = 25,', '"16:9" = { 5 = 30,')
    text = text.replace(
        '["720p"]\n', '["720p"]\n"9:16" = { 5 = 1, 10 = 2, 15 = 3, 20 = 4, per_second = 1 }\n'
    )
    table = PriceTable.load(_write_prices(tmp_path, text))
    assert quote(table, resolution="480p", aspect="16:9", seconds=5) == 30
    assert quote(table, resolution="480p", aspect="9:16", seconds=5) == 30  # still priced as 16:9
    assert quote(table, resolution="720p", aspect="9:16", seconds=15) == 3  # priced on its own
    assert quote(table, resolution="720p", aspect="9:16", seconds=7) == 7
    assert quote(table, resolution="720p", aspect="16:9", seconds=15) == 360
    assert table.source == tmp_path / "prices.toml"


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda t: t.replace("per_second = 4 }", "per_second = -4 }"), "must be >= 0"),
        (lambda t: t.replace("per_second = 4 }", "per_second = 4.5 }"), "whole number"),
        (lambda t: t.replace("per_second = 4 }", 'per_second = "4" }'), "whole number"),
        (lambda t: t.replace("5 = 20, ", ""), "missing key(s) 5"),
        (lambda t: t.replace("per_second = 4 }", "per_second = 4, 7 = 28 }"), "unknown key(s) 7"),
        (lambda t: t.replace('["1080p"]', '["4k"]'), "unknown resolution(s) 4k"),
        (lambda t: t + '\n["8k"]\n', "unknown resolution(s) 8k"),
        (lambda t: t.replace('"1:1"  = { 5 = 100', '"4:3"  = { 5 = 100'), "unknown aspect(s) 4:3"),
        (lambda t: t.replace('["480p"]', "[480p"), "invalid TOML"),
        (
            lambda t: t.replace('"1:1"  = { 5 = 20, 10 = 40, 15 = 60, 20 = 80, per_second = 4 }', ""),
            'missing "1:1"',
        ),
    ],
)
def test_invalid_price_file_names_file_and_problem(tmp_path: Path, edit, problem: str) -> None:  # type: ignore[no-untyped-def]
    path = _write_prices(tmp_path, edit(DEFAULT_PRICES_FILE.read_text(encoding="utf-8")))
    with pytest.raises(BillingFileError) as caught:
        PriceTable.load(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_missing_price_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "prices.toml"
    with pytest.raises(BillingFileError) as caught:
        PriceTable.load(missing)
    assert str(caught.value) == f"{missing}: file not found"
    assert caught.value.code == "billing_file"


def test_billing_imports_are_light_and_independent() -> None:
    code = (
        "import sys, billing.prices, billing.plans\n"
        "assert 'aiosqlite' not in sys.modules and 'sqlite3' not in sys.modules, 'heavy import'\n"
        "import billing.ledger\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('bot', 'engine', 'torch'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
