"""bot.request: one validating Request. Every field is checked against reel/contract.py in one place, and
`from_dict` takes back everything `to_dict` / `to_storage` write."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.request import Card, InvalidRequest, Request
from reel.contract import (
    ACTIONS,
    ASPECTS,
    CONTRACT_KEYS,
    MAX_SECONDS,
    MIN_SECONDS,
    MODES,
    RESOLUTIONS,
    SEED_MAX,
    VARIATIONS,
)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("action", "queue"),
        ("action", "CREATE"),
        ("seconds", 0),
        ("seconds", MAX_SECONDS + 1),
        ("seconds", 5.0),
        ("seconds", True),
        ("resolution", "4k"),
        ("aspect", "4:3"),
        ("variations", 3),
        ("mode", "turbo"),
        ("seed", -1),
        ("seed", SEED_MAX + 1),
        ("loop", 1),
        ("audio", "no"),
        ("extend", None),
        ("about_bot", "yes"),
        ("negative", 5),
        ("prompt", None),
        ("strength", 1.5),
        ("strength", float("nan")),
        ("trim_start", float("inf")),
        ("trim_end", 10_000.0),
        ("cards", [Card(at=MAX_SECONDS, prompt="late")]),
        ("cards", [Card(at=-1, prompt="early")]),
        ("cards", "0s a cat"),
    ],
)
def test_every_field_is_checked(field: str, value: Any) -> None:
    with pytest.raises(InvalidRequest) as info:
        Request(**{field: value})
    assert info.value.field == field and field in str(info.value)
    with pytest.raises(InvalidRequest):  # dataclasses.replace builds a new Request: checked too
        replace(Request(), **{field: value})
    req = Request()
    setattr(req, field, value)  # changed in place: validate() says so
    with pytest.raises(InvalidRequest):
        req.validate()


def test_defaults_are_valid_and_the_contract_keys() -> None:
    req = Request()
    req.validate()
    assert tuple(req.to_dict()) == CONTRACT_KEYS
    assert req.audio is True and req.about_bot is False


@pytest.mark.parametrize(
    "d",
    [
        {"action": "recut", "seconds": "5"},
        {"cards": [{"at": "zero", "prompt": "x"}]},
        {"cards": [{"prompt": "no time"}]},
        {"cards": "0s a cat"},
        {"resolution": "2160p"},
    ],
)
def test_from_dict_rejects_what_it_never_wrote(d: dict[str, Any]) -> None:
    with pytest.raises(InvalidRequest):
        Request.from_dict(d)


_cards = st.lists(
    st.builds(
        Card,
        at=st.integers(0, MAX_SECONDS - 1).map(float) | st.floats(0, MAX_SECONDS - 0.01),
        prompt=st.text(max_size=20),
    ),
    max_size=4,
)
_requests = st.builds(
    Request,
    action=st.sampled_from(ACTIONS),
    prompt=st.text(max_size=40),
    seconds=st.integers(MIN_SECONDS, MAX_SECONDS),
    resolution=st.sampled_from(RESOLUTIONS),
    aspect=st.sampled_from(ASPECTS),
    variations=st.sampled_from(VARIATIONS),
    mode=st.sampled_from(MODES),
    seed=st.none() | st.integers(0, SEED_MAX),
    loop=st.booleans(),
    negative=st.none() | st.text(max_size=20),
    cards=_cards,
    audio=st.booleans(),
    trim_start=st.none() | st.floats(-3600, 3600),
    trim_end=st.none() | st.floats(-3600, 3600),
    extend=st.booleans(),
    strength=st.none() | st.floats(0, 1),
)


@settings(max_examples=300, deadline=None)
@given(req=_requests)
def test_round_trip_through_json(req: Request) -> None:
    for d in (req.to_dict(), req.to_storage()):
        back = Request.from_dict(json.loads(json.dumps(d)))
        assert back.to_dict() == req.to_dict()
    assert Request.from_dict(json.loads(json.dumps(req.to_storage()))).to_storage() == req.to_storage()
