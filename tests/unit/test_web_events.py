"""Web events: each member's streams get their own events, broadcasts reach every stream, a stream that
cannot keep up is ended (never buffered without bound), and each chat log is bounded."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

from bot.adapters.web_events import CHAT_KEPT, STREAM_BACKLOG, ChatLog, Event, EventHub, Stream


async def collect(hub: EventHub, stream: Stream, n: int) -> list[bytes]:
    out = []
    async with aclosing(hub.events(stream, heartbeat_s=0.05)) as events:  # as the server's handler ends it
        async for chunk in events:
            out.append(chunk)
            if len(out) == n:
                break
    return out


async def test_events_go_to_their_member_and_broadcasts_to_all() -> None:
    hub = EventHub()
    ann1, ann2, bob = hub.open("ann"), hub.open("ann"), hub.open("bob")
    hub.publish("ann", Event("message", {"text": "hi 你好"}))
    hub.broadcast(Event("feed", {"newest": 1.5}))
    got = await asyncio.gather(collect(hub, ann1, 2), collect(hub, ann2, 2), collect(hub, bob, 1))
    assert (
        got[0]
        == got[1]
        == [
            'event: message\ndata: {"text": "hi 你好"}\n\n'.encode(),
            b'event: feed\ndata: {"newest": 1.5}\n\n',
        ]
    )
    assert got[2] == [b'event: feed\ndata: {"newest": 1.5}\n\n']


async def test_an_idle_stream_gets_heartbeats_and_a_closed_one_leaves_the_hub() -> None:
    hub = EventHub()
    stream = hub.open("ann")
    [beat] = await collect(hub, stream, 1)
    assert beat.startswith(b":")
    assert hub.count == 0  # the reader ended: the stream is gone


async def test_a_stream_that_falls_behind_is_ended() -> None:
    hub = EventHub()
    slow = hub.open("ann")
    for i in range(STREAM_BACKLOG + 10):
        hub.publish("ann", Event("job", {"i": i}))
    assert slow.dropped and slow.queue.qsize() <= STREAM_BACKLOG
    got = [c async for c in hub.events(slow)]
    assert len(got) < STREAM_BACKLOG  # it ends instead of replaying without bound
    assert hub.count == 0


async def test_shutdown_ends_every_stream() -> None:
    hub = EventHub()
    streams = [hub.open(f"m{i}") for i in range(5)]
    hub.shutdown()
    for s in streams:
        assert [c async for c in hub.events(s)] == []


def test_chat_log_is_bounded_and_edits_in_place() -> None:
    log = ChatLog()
    ids = [log.new_id() for _ in range(CHAT_KEPT + 5)]
    assert len(set(ids)) == len(ids)
    for i, mid in enumerate(ids):
        log.add("ann", {"id": mid, "text": str(i)})
    kept = log.messages("ann")
    assert len(kept) == CHAT_KEPT and kept[0]["id"] == ids[5]
    assert (
        log.replace("ann", {"id": ids[-1], "text": "edited"}) and log.messages("ann")[-1]["text"] == "edited"
    )
    assert not log.replace("ann", {"id": ids[0], "text": "gone"})
    assert log.remove("ann", ids[-1]) and not log.remove("ann", ids[-1])
    assert log.messages("bob") == []
    assert ChatLog().new_id() != ChatLog().new_id()  # ids differ across restarts
