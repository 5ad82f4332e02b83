"""A readable transcript of what the fake Discord saw: gateway frames and REST calls in time order, with ids
replaced by names (the guild, the channel, the people, message 1, 2...), tokens never shown, long payloads
cut down to the fields that tell the story."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.fakes.discord_api import Call, FakeDiscord
from tests.fakes.discord_gateway import ACK, HEARTBEAT, HELLO, IDENTIFY, RESUME, Frame

_OPS = {
    0: "DISPATCH",
    1: "HEARTBEAT",
    2: "IDENTIFY",
    6: "RESUME",
    7: "RECONNECT",
    9: "INVALID_SESSION",
    10: "HELLO",
    11: "HEARTBEAT_ACK",
}
_CALLBACK_TYPES = {
    4: "CHANNEL_MESSAGE_WITH_SOURCE",
    5: "DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE",
    6: "DEFERRED_UPDATE_MESSAGE",
    7: "UPDATE_MESSAGE",
    9: "MODAL",
}
_SNOWFLAKE = re.compile(r"\b\d{17,20}\b")
_TOKEN = re.compile(r"aW50ZXJhY3Rpb246[\w-]+")


class _Names:
    """Stable names for the snowflakes a transcript shows."""

    def __init__(self, fake: FakeDiscord, known: dict[int, str]) -> None:
        self.names = {fake.application_id: "bot", **known}
        self.messages = 0

    def __call__(self, text: str) -> str:
        def name(m: re.Match[str]) -> str:
            value = int(m[0])
            if value not in self.names:
                self.messages += 1
                self.names[value] = f"id{self.messages}"
            return f"<{self.names[value]}>"

        return _TOKEN.sub("<interaction token>", _SNOWFLAKE.sub(name, text))


#: the id namer of the transcript being written (set by `transcript`), applied before anything is shortened
_name = None


def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = _name(text) if _name is not None else text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _buttons(body: dict[str, Any]) -> str:
    labels = [
        f"[{c.get('label')}]({c.get('custom_id')})"
        for row in body.get("components") or []
        for c in row.get("components") or []
    ]
    return " ".join(labels)


def _describe_call(call: Call) -> list[str]:
    body = call.body if isinstance(call.body, dict) else {}
    lines = [f"**{call.method} /api/v10{call.path.split('?')[0]}** → {call.status}"]
    if call.name == "interaction_callback":
        kind = body.get("type")
        lines.append(f"type {kind} {_CALLBACK_TYPES.get(kind, '')}".rstrip())
        data = body.get("data") or {}
        if kind == 9:
            lines.append(f"modal “{data.get('title')}” ({len(data.get('components') or [])} field)")
    elif call.name in ("bulk_overwrite_guild", "bulk_overwrite_global") and isinstance(call.body, list):
        names = [c["name"] for c in call.body]
        lines.append(
            f"{len(names)} commands: {', '.join('/' + n if c.get('type', 1) == 1 else '“' + n + '”' for n, c in zip(names, call.body, strict=True))}"
        )
        video = next((c for c in call.body if c["name"] == "video"), None)
        if video is not None:
            lines.append(
                "/video options: "
                + ", ".join(
                    f"{o['name']}{'*' if o.get('required') else ''}" for o in video.get("options") or []
                )
            )
            lines.append(f"/video name_localizations: {_short(video.get('name_localizations'))}")
    else:
        if body.get("content"):
            lines.append("content: " + _short(body["content"]).replace("\n", " ⏎ "))
        for embed in body.get("embeds") or []:
            lines.append("embed: " + _short(embed.get("description", "")).replace("\n", " ⏎ "))
        if body.get("components"):
            lines.append("buttons: " + _buttons(body))
        if body.get("flags"):
            lines.append(f"flags: {body['flags']}")
        if body.get("message_reference"):
            lines.append(f"replying to message {body['message_reference'].get('message_id')}")
        if call.name == "get_gateway_bot" and isinstance(call.response, dict):
            lines.append(f"url: {call.response.get('url')} · shards {call.response.get('shards')}")
    for stored in call.files:
        lines.append(
            f"file: {stored.filename} ({len(stored.data):,} bytes, {stored.content_type}, multipart)"
        )
    if call.status == 429:
        lines.append("429: rate limited, retry_after in the body")
    return lines


def _describe_frame(frame: Frame) -> list[str] | None:
    arrow = "bot → gateway" if frame.direction == "in" else "gateway → bot"
    op = _OPS.get(frame.op, str(frame.op))
    if frame.op in (HEARTBEAT, ACK):
        return [f"*{arrow}* op {frame.op} {op}"]
    if frame.op == HELLO:
        return [f"*{arrow}* op 10 HELLO heartbeat_interval {frame.d['heartbeat_interval']} ms"]
    if frame.op == IDENTIFY:
        d = frame.d
        return [
            f"*{arrow}* op 2 IDENTIFY token <redacted> · intents {d.get('intents')} · shard {d.get('shard')}"
        ]
    if frame.op == RESUME:
        return [f"*{arrow}* op 6 RESUME session {frame.d.get('session_id')} · seq {frame.d.get('seq')}"]
    if frame.op == 0:
        d = frame.d or {}
        detail = ""
        if frame.t == "READY":
            detail = (
                f"user {d['user']['username']} · guilds {len(d['guilds'])} · session {d['session_id'][:8]}…"
            )
        elif frame.t == "GUILD_CREATE":
            detail = f"“{d['name']}” · {len(d['channels'])} channel · {len(d['roles'])} roles"
        elif frame.t == "INTERACTION_CREATE":
            data = d.get("data") or {}
            who = (d.get("member") or {}).get("user", d.get("user", {})).get("username")
            if d["type"] == 2:
                opts = " ".join(f"{o['name']}:{_short(o['value'], 60)}" for o in data.get("options") or [])
                detail = f"type 2 (command) /{data.get('name')} {opts} by {who}, locale {d.get('locale')}"
            elif d["type"] == 3:
                detail = f"type 3 (button) {data.get('custom_id')} by {who}"
            else:
                detail = f"type {d['type']} (form) {data.get('custom_id')} by {who}"
        elif frame.t == "MESSAGE_CREATE":
            if d.get("author", {}).get("bot"):
                return None  # the bot's own posts, already shown as its REST calls
            detail = f"{d['author']['username']}: {_short(d.get('content', ''), 100)}"
        elif frame.t == "MESSAGE_REACTION_ADD":
            detail = f"{d['emoji']['name']} on message {d['message_id']} by user {d['user_id']}"
        elif frame.t in ("MESSAGE_DELETE", "RESUMED"):
            return None
        return [f"*{arrow}* op 0 DISPATCH **{frame.t}** s={frame.s} {detail}".rstrip()]
    return [f"*{arrow}* op {frame.op} {op}"]


def transcript(fake: FakeDiscord, known: dict[int, str], title: str) -> str:
    """The Markdown transcript of everything the fake saw, oldest first; `known` names some ids."""
    global _name
    names = _Names(fake, known)
    _name = names
    events: list[tuple[float, str, list[str]]] = []
    beats = 0
    for frame in fake.gateway.frames:
        if frame.op in (HEARTBEAT, ACK):
            beats += 1
            if beats > 2:  # the first beat and its ack show the rhythm; the rest are the same
                continue
        described = _describe_frame(frame)
        if described:
            events.append((frame.at, "ws", described))
    for call in fake.calls:
        events.append((call.at, "http", _describe_call(call)))
    events.sort(key=lambda e: e[0])
    start = events[0][0] if events else 0.0
    out = [
        f"# {title}",
        "",
        "Generated by `tests/integration/test_discord_transcript.py` from what the local Discord of "
        "tests/fakes received and sent: gateway frames (*italic*: which way) and REST calls (**bold**), "
        "in time order, with Discord ids replaced by names and tokens left out. Times are seconds since "
        "the first frame.",
        "",
    ]
    for at, _, lines in events:
        out.append(f"- `{at - start:7.3f}` " + names(lines[0]))
        out.extend(f"  - {names(line)}" for line in lines[1:])
    out.append("")
    _name = None
    return "\n".join(out)
