"""The web API's typed models (pydantic): what each endpoint takes and answers, and the table of
operations the server binds and the OpenAPI 3.1 description at /api/openapi.json is built from, so the
two cannot drift apart. Data shapes only: no handler, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

JOB_ID: Final = r"^[0-9a-f]{12}$"
REACTIONS: Final = ("👍", "❤️", "😂", "😮", "🎉")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(_Model):
    """Every 4xx / 5xx answer: a stable code (a message key) and its text in the member's language."""

    error: str
    message: str


class ButtonOut(_Model):
    action: str
    target: str
    price: int | None = None
    data: str = Field(description="what POST /api/press takes back")
    label: str


class ClipMedia(_Model):
    """A finished clip's files as URLs (range requests work: the video is seekable)."""

    job_id: str
    videos: list[str]
    poster: str | None = None
    width: int
    height: int
    seconds: float
    page: str = Field(description="the clip's stable page")


class ReplyOut(_Model):
    """The core's Reply as it is (bot/replies.py), with the clip's files as URLs instead of paths."""

    key: str
    params: dict[str, Any]
    kind: str
    buttons: list[list[ButtonOut]]
    clip: ClipMedia | None = None
    job_id: str | None = None
    parent_job: str | None = None
    price: int | None = None
    balance_after: int | None = None
    position: int | None = None
    eta_s: float | None = None
    progress: float | None = None
    ephemeral: bool = False
    payload: dict[str, Any] = Field(default_factory=dict)


class ChatMessage(_Model):
    """One message of the member's chat: theirs (role member) or the bot's, rendered in their language."""

    id: str
    role: Literal["member", "bot"]
    at: float
    text: str
    reply: ReplyOut | None = None
    reply_to: str | None = None
    files: list[str] = Field(default_factory=list)


class MessageIn(_Model):
    """A chat message: the same text the chat platforms take (natural language or /commands, English or
    Chinese). `reply_to_job`: the clip it edits (a remix); `blend_with`: a second clip to blend with."""

    text: str = Field("", max_length=4000)
    reply_to_job: str | None = Field(None, pattern=JOB_ID)
    blend_with: str | None = Field(None, pattern=JOB_ID)
    lang: Literal["en", "zh"] | None = None


class MessageForm(MessageIn):
    """MessageIn as multipart/form-data, with an image (to animate) or video file; checked by content."""

    image: bytes | None = None
    video: bytes | None = None


class MessageResult(_Model):
    """What the message posted: the member's message and the bot's answer (also sent on the event stream)."""

    messages: list[ChatMessage]
    reply: ReplyOut | None = None


class PressIn(_Model):
    data: str = Field(min_length=1, max_length=64, description="a button's data")
    message: str | None = Field(None, max_length=64, description="the chat message the button sits on")


class PressResult(_Model):
    """A short answer to show briefly (`toast`; `alert`: a refusal), and the messages the press posted."""

    toast: str | None = None
    alert: bool = False
    reply: ReplyOut | None = None
    messages: list[ChatMessage] = Field(default_factory=list)


class ClipRefOut(_Model):
    job_id: str
    action: str
    author: str | None = None
    platform: str | None = None
    prompt: str | None = Field(None, description="None: a private clip (the lineage names no more)")
    visible: bool
    page: str | None = None


class FeedItemOut(_Model):
    job_id: str
    author: str
    author_id: str
    platform: str
    action: str
    prompt: str
    settings: dict[str, Any]
    credits: int
    created_at: float
    finished_at: float
    public: bool
    mine: bool
    media: ClipMedia
    parent: ClipRefOut | None = None
    remixes: list[ClipRefOut]
    remix_count: int
    reactions: dict[str, int]


class FeedParams(_Model):
    filter: Literal["all", "mine", "top"] = "all"
    author: str | None = Field(None, max_length=80)
    platform: str | None = Field(None, max_length=20)
    cursor: str | None = Field(None, max_length=80)
    limit: int = Field(30, ge=1, le=60)


class FeedPageOut(_Model):
    items: list[FeedItemOut]
    next_cursor: str | None = None


class JobOut(_Model):
    job_id: str
    action: str
    prompt: str
    state: str
    progress: float
    position: int | None = None
    price: int
    created_at: float
    finished_at: float | None = None
    error: str | None = None
    parent: str | None = None
    public: bool
    media: ClipMedia | None = None


class JobList(_Model):
    jobs: list[JobOut]


class CancelResult(_Model):
    text: str
    reply: ReplyOut


class BalanceOut(_Model):
    available: int
    allowance: int
    topup: int
    held: int
    plan: str
    reset: str
    text: str


class PlanOut(_Model):
    name: str
    credits: int
    max_resolution: str
    max_seconds: int
    max_concurrent: int
    relaxed: bool
    watermark: bool
    roles: list[str] = Field(default_factory=list, description="chat roles that give this plan (Discord)")


class PlansOut(_Model):
    plans: list[PlanOut]
    prices_5s: dict[str, int]
    text: str


class MeIn(_Model):
    name: str = Field(min_length=1, max_length=64)


class MeOut(_Model):
    id: str = Field(description="the member id, web:<id>")
    name: str
    display_name: str


class CommandOut(_Model):
    name: str
    help: str
    example: str
    options: list[str]


class InfoOut(_Model):
    """What the page needs to start: who the member is, the model (the tiny one makes noise), commands."""

    me: MeOut
    model: str
    tiny: bool
    model_note: str | None = None
    commands: list[CommandOut]
    channels: list[str]
    web_url: str
    reactions: list[str]


class ReactionIn(_Model):
    emoji: Literal["👍", "❤️", "😂", "😮", "🎉"]


class ReactionsOut(_Model):
    job_id: str
    reactions: dict[str, int]


@dataclass(frozen=True)
class Operation:
    """One endpoint: the server binds its handler by `op_id`; the OpenAPI document lists it."""

    method: str
    path: str
    op_id: str
    summary: str
    response: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    form: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    errors: tuple[int, ...] = ()
    content: str = "application/json"


OPERATIONS: Final = (
    Operation("GET", "/api/info", "info", "The member, the model and the commands", InfoOut),
    Operation("GET", "/api/me", "me", "Who this browser is", MeOut),
    Operation(
        "POST", "/api/me", "rename", "Pick a display name (never an identity)", MeOut, MeIn, errors=(400,)
    ),
    Operation("GET", "/api/messages", "messages", "The member's chat so far", MessageResult),
    Operation(
        "POST",
        "/api/messages",
        "post_message",
        "Send a chat message (text, an image or video file)",
        MessageResult,
        MessageIn,
        MessageForm,
        errors=(400, 404, 413, 415),
    ),
    Operation("POST", "/api/press", "press", "Tap a button", PressResult, PressIn, errors=(400,)),
    Operation("GET", "/api/jobs", "jobs", "The member's jobs, newest first", JobList),
    Operation(
        "POST",
        "/api/jobs/{job_id}/cancel",
        "cancel",
        "Cancel a queued or running job of the member",
        CancelResult,
        errors=(404, 409),
    ),
    Operation(
        "GET", "/api/feed", "feed", "The community feed, paged", FeedPageOut, query=FeedParams, errors=(400,)
    ),
    Operation(
        "GET", "/api/clips/{job_id}", "clip", "One clip as the feed shows it", FeedItemOut, errors=(404,)
    ),
    Operation(
        "POST",
        "/api/clips/{job_id}/reactions",
        "react",
        "React to a clip",
        ReactionsOut,
        ReactionIn,
        errors=(400, 404),
    ),
    Operation("GET", "/api/balance", "balance", "The member's credits and plan", BalanceOut),
    Operation("GET", "/api/plans", "plans", "Plans and prices", PlansOut),
    Operation(
        "GET",
        "/api/events",
        "events",
        "Server-sent events: message, edit, delete, job, feed",
        content="text/event-stream",
    ),
)


def openapi(title: str = "Reelbot web API", version: str = "1") -> dict[str, Any]:
    """The OpenAPI 3.1 document of OPERATIONS, its schemas generated from the models above."""
    models: list[type[BaseModel]] = [ErrorOut]
    for op in OPERATIONS:
        models += [m for m in (op.response, op.body, op.form) if m is not None]
    unique = list(dict.fromkeys(models))
    refs, top = models_json_schema(
        [(m, "validation") for m in unique], ref_template="#/components/schemas/{model}"
    )
    schemas = dict(top.get("$defs", {}))

    def ref(model: type[BaseModel]) -> dict[str, Any]:
        return refs[(model, "validation")]

    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        entry: dict[str, Any] = {"operationId": op.op_id, "summary": op.summary, "responses": {}}
        params = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string", "pattern": JOB_ID}}
            for name in _path_params(op.path)
        ]
        if op.query is not None:
            qschema = op.query.model_json_schema()
            for name, prop in qschema.get("properties", {}).items():
                params.append(
                    {
                        "name": name,
                        "in": "query",
                        "required": name in qschema.get("required", []),
                        "schema": prop,
                    }
                )
        if params:
            entry["parameters"] = params
        if op.body is not None or op.form is not None:
            content: dict[str, Any] = {}
            if op.body is not None:
                content["application/json"] = {"schema": ref(op.body)}
            if op.form is not None:
                content["multipart/form-data"] = {"schema": ref(op.form)}
            entry["requestBody"] = {"required": True, "content": content}
        if op.response is not None:
            entry["responses"]["200"] = {
                "description": "OK",
                "content": {op.content: {"schema": ref(op.response)}},
            }
        else:
            entry["responses"]["200"] = {
                "description": "OK",
                "content": {op.content: {"schema": _raw(op.content)}},
            }
        for status in (*op.errors, 401):
            entry["responses"][str(status)] = {
                "description": _STATUS.get(status, "Error"),
                "content": {"application/json": {"schema": ref(ErrorOut)}},
            }
        paths.setdefault(op.path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": "The JSON API behind Reelbot's web channel and Explore feed. Identity is the "
            "signed `reelbot_member` cookie; a web channel bound beyond loopback also "
            "needs `Authorization: Bearer <REELBOT_WEB_TOKEN>`.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "member": {"type": "apiKey", "in": "cookie", "name": "reelbot_member"},
                "token": {"type": "http", "scheme": "bearer"},
            },
        },
        "security": [{"member": []}, {"member": [], "token": []}],
    }


_STATUS = {
    400: "Bad input",
    401: "No identity, a forged cookie, or the access token is missing",
    404: "Not found (or not the member's)",
    409: "Nothing to do",
    413: "Too large",
    415: "Not an image / video by content",
}


def _raw(content: str) -> dict[str, Any]:
    """The schema of a body no model describes: each event of a server-sent event stream (its fields, as
    the stream's parsers read them), or a plain string."""
    if content == "text/event-stream":
        return {
            "type": "object",
            "properties": {
                "event": {"type": "string"},
                "data": {"type": "string"},
                "id": {"type": "string"},
                "retry": {"type": "integer"},
            },
        }
    return {"type": "string"}


def _path_params(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{") and part.endswith("}")]
