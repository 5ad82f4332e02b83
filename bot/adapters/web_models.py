"""The web API's typed models (pydantic): what each endpoint takes and answers. The table of operations
and the OpenAPI document built from these models are bot/adapters/web_operations.py.
Data shapes only: no handler, no I/O.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

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
