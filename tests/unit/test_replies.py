"""Replies are data: a JSON round trip, one button codec that keeps old buttons working, and one message
table with every key in both languages and the same placeholders in each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import messages
from bot.buttons import JOB_TEMPLATE, PENDING_TEMPLATE, decode, encode
from bot.replies import BUTTON_ACTIONS, REPLY_KINDS, Button, ClipOut, Reply, nested

tokens = st.text(alphabet="0123456789abcdef", min_size=16, max_size=16)
job_ids = st.text(alphabet="0123456789abcdef", min_size=12, max_size=12)
buttons = st.one_of(
    st.builds(
        Button, st.sampled_from(("confirm", "accept", "dismiss")), tokens, st.none() | st.integers(0, 10**6)
    ),
    st.builds(
        Button,
        st.sampled_from(("cancel", "remix", "loop", "extend", "variation", "delete", "report")),
        job_ids,
    ),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**9), 10**9) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@st.composite
def replies(draw: st.DrawFn) -> Reply:
    clip = draw(
        st.none()
        | st.builds(
            ClipOut,
            job_ids,
            st.just(Path("/data/clips/a.mp4")),
            st.none() | st.just(Path("/data/clips/a.jpg")),
            st.integers(1, 4000),
            st.integers(1, 4000),
            st.floats(0, 20),
            st.just(24),
            st.lists(st.just(Path("/data/clips/b.mp4")), max_size=2),
        )
    )
    return Reply(
        key=draw(st.sampled_from(messages.keys())),
        params=draw(st.dictionaries(st.text(max_size=8), json_values, max_size=4)),
        kind=draw(st.sampled_from(REPLY_KINDS)),
        buttons=draw(st.lists(st.lists(buttons, max_size=3), max_size=2)),
        clip=clip,
        job_id=draw(st.none() | job_ids),
        parent_job=draw(st.none() | job_ids),
        price=draw(st.none() | st.integers(0, 10**6)),
        balance_after=draw(st.none() | st.integers(-(10**6), 10**6)),
        position=draw(st.none() | st.integers(1, 500)),
        eta_s=draw(st.none() | st.floats(0, 10**5)),
        progress=draw(st.none() | st.floats(0, 1)),
        ephemeral=draw(st.booleans()),
        payload=draw(st.dictionaries(st.text(max_size=8), json_values, max_size=3)),
    )


@given(replies())
def test_reply_json_round_trip(reply: Reply) -> None:
    wire = json.loads(json.dumps(reply.to_json()))  # what the web API sends, as a client reads it
    assert Reply.from_json(wire) == reply
    assert messages.render(Reply.from_json(wire), "zh") == messages.render(reply, "zh")


@given(buttons)
def test_button_codec_round_trip(button: Button) -> None:
    data = encode(button)
    assert len(data.encode()) <= 64  # Telegram's callback_data limit
    back = decode(data)
    assert back is not None and back.target == button.target
    assert back.action == ("confirm" if button.action == "accept" else button.action)  # one tap on the wire
    assert encode(back) == data


def test_old_buttons_still_decode() -> None:
    """The wire format of buttons already out on messages (before this codec) keeps working."""
    job = "0123456789ab"
    for data, action in (
        (f"p:{'a' * 16}", "confirm"),
        (f"x:{'b' * 16}", "dismiss"),
        (f"j:cancel:{job}", "cancel"),
        (f"j:remix:{job}", "remix"),
        (f"j:loop:{job}", "loop"),
        (f"j:extend:{job}", "extend"),
        (f"j:var:{job}", "variation"),
        (f"j:del:{job}", "delete"),
    ):
        assert decode(data) == Button(action, data.rsplit(":", 1)[1]), data
    for forged in (
        "",
        "p:zzzz",
        "j:del:../../etc",
        "j:loop",
        "j:nuke:0123456789ab",
        "p:" + "a" * 17,
        "x" * 64,
    ):
        assert decode(forged) is None, forged
    import re

    assert re.fullmatch(PENDING_TEMPLATE, "p:" + "c" * 16) and re.fullmatch(JOB_TEMPLATE, f"j:var:{job}")
    with pytest.raises(ValueError):
        encode(Button("loop", "../../etc"))


def test_every_button_action_has_a_caption_in_both_languages() -> None:
    for action in BUTTON_ACTIONS:
        target = "a" * 16 if action in ("confirm", "accept", "dismiss") else "a" * 12
        en, zh = (
            messages.label(Button(action, target, 25), "en"),
            messages.label(Button(action, target, 25), "zh"),
        )
        assert en and zh and en != zh, action
    assert "25" in messages.label(Button("confirm", "a" * 16, 25), "en")


def test_every_message_has_both_languages_and_the_same_placeholders() -> None:
    for key in messages.keys():
        pair = messages._TABLE[key]
        assert len(pair) == 2 and pair[0].strip() and pair[1].strip(), key
        assert messages.placeholders(key, "en") == messages.placeholders(key, "zh"), key


def test_render_fills_typed_fields_and_nested_messages() -> None:
    reason = nested("plan_resolution", plan="free", limit="480p", asked="1080p")
    summary = nested("summary", seconds=5, resolution="480p", aspect="16:9", variations=2, mode="relaxed")
    offer = Reply("offer_alternative", {"reason": reason, "summary": summary}, kind="offer", price=40)
    assert messages.render(offer, "en") == (
        "Your free plan goes up to 480p; you asked for 1080p.\n"
        "I can make it as 5 s · 480p · 16:9 · 2 variations · relaxed for 40 credits instead."
    )
    queued = Reply(
        "queued", {"summary": summary, "ignored": ["--foo"]}, kind="queued", price=25, position=3, eta_s=130
    )
    assert messages.render(queued, "en").endswith(
        "25 credits held · position 3 · about 3 min.\n(I ignored options I don't know: --foo)"
    )
    progress = Reply("progress", {"summary": summary}, kind="progress", progress=0.5, eta_s=12)
    assert "▰▰▰▰▰▱▱▱▱▱ 50% · 12 s left" in messages.render(progress, "en")
    done = Reply(
        "done",
        {"prompt": "x" * 700, "author": "@ann", "summary": summary, "action": "remix"},
        kind="done",
        price=25,
        parent_job="0123456789ab",
    )
    text = messages.render(done, "zh")
    assert "…" in text and "基于 0123456789ab 的重绘" in text and "x" * 601 not in text
    assert messages.render(Reply("no_such_key"), "en") == messages.text("internal", "en")  # never a raw key
