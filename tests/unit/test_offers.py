"""The pure parts of generation, as properties: the closest-fit offer always fits and never asks for more
than was asked; edit shaping keeps the source's frame and stays within the contract."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from billing.plans import RESOLUTION_ORDER, PlanBook
from billing.prices import PriceTable, quote
from bot.offers import closest_fit, distance, fits, shape_edit
from bot.request import Request
from reel.contract import ASPECTS, MAX_SECONDS, MIN_SECONDS, MODES, RESOLUTIONS, VARIATIONS

PRICES = PriceTable.load(None)
PLANS = PlanBook.load(None)

requests = st.builds(
    Request,
    action=st.sampled_from(("create", "animate", "storyboard")),
    prompt=st.just("a fox"),
    seconds=st.integers(MIN_SECONDS, MAX_SECONDS),
    resolution=st.sampled_from(RESOLUTIONS),
    aspect=st.sampled_from(ASPECTS),
    variations=st.sampled_from(VARIATIONS),
    mode=st.sampled_from(MODES),
)


def price_on(plan_name: str):  # type: ignore[no-untyped-def]
    plan = PLANS.get(plan_name)
    return lambda r: quote(
        PRICES,
        resolution=r.resolution,
        aspect=r.aspect,
        seconds=r.seconds,
        variations=r.variations,
        mode=r.mode,
        plan=plan,
    )


@settings(max_examples=300, deadline=None)
@given(requests, st.sampled_from(PLANS.names()), st.integers(0, 12_000))
def test_closest_fit_fits_and_never_asks_for_more(req: Request, plan_name: str, available: int) -> None:
    plan = PLANS.get(plan_name)
    price = price_on(plan_name)
    found = closest_fit(req, plan, available, price)
    if found is None:
        # nothing fits: not even the smallest version of the request does
        smallest = Request(
            action=req.action,
            prompt=req.prompt,
            seconds=1,
            resolution="480p",
            aspect=req.aspect,
            variations=1,
            mode="relaxed" if plan.relaxed else "fast",
        )
        assert smallest == req or not fits(smallest, plan) or price(smallest) > available
        return
    alt, cost = found
    assert alt != req and fits(alt, plan) and cost == price(alt) <= available
    assert RESOLUTION_ORDER.index(alt.resolution) <= RESOLUTION_ORDER.index(req.resolution)
    assert alt.seconds <= req.seconds and alt.variations <= req.variations
    assert (alt.aspect, alt.prompt, alt.action) == (req.aspect, req.prompt, req.action)
    assert distance(req, alt) >= 0


@given(requests, st.sampled_from(PLANS.names()))
def test_a_shorter_extension_is_never_offered(req: Request, plan_name: str) -> None:
    ext = Request(action="recut", extend=True, seconds=req.seconds, resolution=req.resolution)
    assert closest_fit(ext, PLANS.get(plan_name), 10**9, price_on(plan_name)) is None


trims = st.none() | st.floats(-25, 25, allow_nan=False)


@given(
    requests,
    st.sampled_from(("remix", "loop", "recut")),
    trims,
    trims,
    st.booleans(),
    st.integers(MIN_SECONDS, MAX_SECONDS),
    st.sampled_from(("", "make it night")),
)
def test_edit_shaping_keeps_the_frame_and_the_bounds(
    source: Request,
    action: str,
    start: float | None,
    end: float | None,
    extend: bool,
    seconds: int,
    prompt: str,
) -> None:
    edit = Request(
        action=action,
        prompt=prompt,
        seconds=seconds,
        trim_start=start,
        trim_end=end,
        extend=extend and action == "recut",
        resolution="1080p",
        aspect="1:1",
    )
    out = shape_edit(edit, source)
    assert (out.resolution, out.aspect) == (source.resolution, source.aspect)
    assert MIN_SECONDS <= out.seconds <= MAX_SECONDS
    if action == "remix" and prompt and source.prompt and source.prompt.casefold() not in prompt.casefold():
        assert out.prompt == f"{source.prompt}, {prompt}"  # the scene and the change
    else:
        assert out.prompt == (prompt or source.prompt)
    if action in ("loop", "remix"):
        assert out.seconds == source.seconds
    elif out.extend:
        assert out.seconds >= min(MAX_SECONDS, source.seconds) and out.trim_start is None is out.trim_end
    elif start is not None or end is not None:
        assert out.trim_start is not None and out.trim_end is not None
        assert 0 <= out.trim_start < out.trim_end <= source.seconds
        assert out.seconds == max(1, round(out.trim_end - out.trim_start))
    assert shape_edit(edit, None) == edit  # nothing to edit: unchanged


def test_a_target_length_below_the_clip_is_a_trim_and_above_it_an_extension() -> None:
    source = Request(prompt="a fox", seconds=10)
    shorter = shape_edit(Request(action="recut", extend=True, seconds=4, trim_end=4.0), source)
    assert (shorter.extend, shorter.seconds, shorter.trim_start, shorter.trim_end) == (False, 4, 0.0, 4.0)
    longer = shape_edit(Request(action="recut", extend=True, seconds=15, trim_end=15.0), source)
    assert (longer.extend, longer.seconds, longer.trim_end) == (True, 15, None)
    by = shape_edit(Request(action="recut", extend=True, seconds=3), source)
    assert (by.extend, by.seconds) == (True, 13)
    # a plain recut longer than the clip ("make it 15 seconds" of a 10 s clip) extends it to that length
    plain = shape_edit(Request(action="recut", seconds=15), source)
    assert (plain.extend, plain.seconds, plain.trim_start, plain.trim_end) == (True, 15, None, None)
    kept = shape_edit(Request(action="recut", seconds=6), source)  # shorter: keeps the first 6 s
    assert (kept.extend, kept.seconds) == (False, 6)


def test_a_remix_is_told_the_scene_and_the_change() -> None:
    source = Request(prompt="a red kite over green hills", seconds=5)
    assert (
        shape_edit(Request(action="remix", prompt="dusk"), source).prompt
        == "a red kite over green hills, dusk"
    )
    assert shape_edit(Request(action="remix"), source).prompt == "a red kite over green hills"
    whole = "a red kite over green hills at night"
    assert shape_edit(Request(action="remix", prompt=whole), source).prompt == whole
