"""The web API's typed models: every Reply the core can produce fits ReplyOut as the channel sends it
(extra keys are refused, so a field added to Reply without the model fails here), and the OpenAPI
document is 3.1 with every schema it names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.web_adapter import WebAdapter
from bot.adapters.web_models import ReplyOut
from bot.adapters.web_operations import OPERATIONS, openapi
from bot.replies import REPLY_KINDS, Button, ClipOut, Reply

JOB = "0123456789ab"
buttons = st.lists(
    st.lists(
        st.builds(Button, st.sampled_from(("cancel", "remix", "loop", "share", "report")), st.just(JOB)),
        max_size=3,
    ),
    max_size=2,
)
clips = st.none() | st.builds(
    ClipOut,
    st.just(JOB),
    st.just(Path("/data/clips/x.mp4")),
    st.none() | st.just(Path("/data/clips/x.jpg")),
    st.integers(16, 1920),
    st.integers(16, 1920),
    st.floats(0.5, 20),
    st.just(24),
)
replies = st.builds(
    Reply,
    key=st.sampled_from(("queued", "done", "offer_alternative", "balance")),
    params=st.dictionaries(st.sampled_from(("a", "b")), st.integers() | st.text(max_size=5)),
    kind=st.sampled_from(REPLY_KINDS),
    buttons=buttons,
    clip=clips,
    job_id=st.none() | st.just(JOB),
    price=st.none() | st.integers(0, 2000),
    progress=st.none() | st.floats(0, 1),
    ephemeral=st.booleans(),
)


class _Renderer(WebAdapter):
    def __init__(self) -> None:  # only the rendering half, no core
        pass


@given(replies)
def test_every_reply_fits_the_model_without_server_paths(reply: Reply) -> None:
    data: dict[str, Any] = _Renderer().reply_json(reply, "en")
    out = ReplyOut.model_validate(data)
    assert out.kind == reply.kind and out.price == reply.price
    assert "/data/clips" not in str(out.model_dump())
    if reply.clip is not None:
        assert out.clip is not None and out.clip.videos == [f"/media/{JOB}/0.mp4"]
    assert [[b.data for b in row] for row in out.buttons] == [[b.data for b in row] for row in reply.buttons]


def test_openapi_document() -> None:
    doc = openapi()
    assert doc["openapi"] == "3.1.0"
    assert {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops} == {
        (o.method, o.path) for o in OPERATIONS
    }
    post = doc["paths"]["/api/messages"]["post"]
    assert set(post["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"400", "401", "413", "415"} <= set(post["responses"])
    form = doc["components"]["schemas"]["MessageForm"]["properties"]
    assert form["image"]["anyOf"][0]["format"] == "binary"
    feed_params = {p["name"] for p in doc["paths"]["/api/feed"]["get"]["parameters"]}
    assert feed_params == {"filter", "author", "platform", "cursor", "limit"}
