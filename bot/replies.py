"""What the core and the channels exchange: replies as data (a message key, its parameters and typed
fields), the job notices pushed to channels, the asker's context, attachments and post references.

Plain dataclasses with a JSON round trip (the web API sends a Reply as it is). No platform import, no text:
bot/messages.py renders a Reply in the member's language.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

# -- reply kinds: what the answer is, so a channel can choose how to present it --------------------
INFO: Final = "info"
ERROR: Final = "error"
CONFIRM: Final = "confirm"  # a spend over the member's auto-approve limit: one tap to go ahead
OFFER: Final = "offer"  # the request does not fit; a closest fit is offered as one tap
QUEUED: Final = "queued"
STARTED: Final = "started"
PROGRESS: Final = "progress"
DONE: Final = "done"  # carries the clip
FAILED: Final = "failed"
CANCELLED: Final = "cancelled"
DELETED: Final = "deleted"  # a clip was deleted: the channel takes its posts down (Core.posts_of)
INVOICE: Final = "invoice"  # credit packs on sale: payload {"packs": [{"credits", "price"}]}
ASK_PROMPT: Final = "ask_prompt"  # the member is asked to reply with a prompt (remix button)
REPLY_KINDS: Final = (
    INFO,
    ERROR,
    CONFIRM,
    OFFER,
    QUEUED,
    STARTED,
    PROGRESS,
    DONE,
    FAILED,
    CANCELLED,
    DELETED,
    INVOICE,
    ASK_PROMPT,
)
#: kinds that describe a job's life and live in its status post (edited in place as the job moves)
STATUS_KINDS: Final = frozenset({QUEUED, STARTED, PROGRESS})

# -- button actions -------------------------------------------------------------------------------
#: confirm / accept / dismiss target a pending request token; the others a job id. `accept` is a confirm
#: of an offered alternative: the same tap on the wire, another caption.
BUTTON_ACTIONS: Final = (
    "confirm",
    "accept",
    "dismiss",
    "cancel",
    "remix",
    "loop",
    "extend",
    "variation",
    "delete",
    "report",
    "share",
    "tip",
)


@dataclass(frozen=True)
class Button:
    """A tap target: what it does (`action`) to what (`target`: a pending token or a job id). `price` only
    feeds the caption ("Go (25 credits)"); nothing on a button is trusted when it comes back."""

    action: str
    target: str
    price: int | None = None

    @property
    def data(self) -> str:
        """The button's wire form (bot/buttons.py), what the platform carries and `Core.press` takes."""
        from bot.buttons import encode

        return encode(self)

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "target": self.target, "price": self.price, "data": self.data}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Button:
        return cls(action=str(d["action"]), target=str(d["target"]), price=d.get("price"))


@dataclass(frozen=True)
class PostRef:
    """Where a message lives on a platform: enough to edit, delete or recognise it."""

    platform: str
    chat: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"platform": self.platform, "chat": self.chat, "message": self.message}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PostRef:
        return cls(str(d["platform"]), str(d["chat"]), str(d["message"]))


@dataclass
class ClipOut:
    """A finished clip for a channel to upload: the first file, the other variations, a poster."""

    job_id: str
    path: Path
    poster: Path | None
    width: int
    height: int
    seconds: float
    fps: int
    extra_paths: list[Path] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "path": str(self.path),
            "poster": str(self.poster) if self.poster else None,
            "width": self.width,
            "height": self.height,
            "seconds": self.seconds,
            "fps": self.fps,
            "extra_paths": [str(p) for p in self.extra_paths],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ClipOut:
        return cls(
            job_id=str(d["job_id"]),
            path=Path(d["path"]),
            poster=Path(d["poster"]) if d.get("poster") else None,
            width=int(d["width"]),
            height=int(d["height"]),
            seconds=float(d["seconds"]),
            fps=int(d["fps"]),
            extra_paths=[Path(p) for p in d.get("extra_paths") or []],
        )


@dataclass
class Reply:
    """What the core answers: a message `key` of bot/messages.py with its `params`, and typed fields a
    channel may present its own way (an embed, a JSON client). `params` values are plain JSON; a value
    {"key": K, "params": {...}} is a nested message (a reason, a summary), a list of them is lines.

    price: credits the request costs (held, or asked for); balance_after: credits left after it;
    position / eta_s: place in the queue and the expected wait; progress: 0..1; parent_job: the source
    clip of an edit (lineage); ephemeral: meant only for the asker."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    kind: str = INFO
    buttons: list[list[Button]] = field(default_factory=list)
    clip: ClipOut | None = None
    job_id: str | None = None
    parent_job: str | None = None
    price: int | None = None
    balance_after: int | None = None
    position: int | None = None
    eta_s: float | None = None
    progress: float | None = None
    ephemeral: bool = False
    payload: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Every field, JSON-ready (paths as strings, buttons with their wire data)."""
        return {
            "key": self.key,
            "params": self.params,
            "kind": self.kind,
            "buttons": [[b.to_json() for b in row] for row in self.buttons],
            "clip": self.clip.to_json() if self.clip else None,
            "job_id": self.job_id,
            "parent_job": self.parent_job,
            "price": self.price,
            "balance_after": self.balance_after,
            "position": self.position,
            "eta_s": self.eta_s,
            "progress": self.progress,
            "ephemeral": self.ephemeral,
            "payload": self.payload,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Reply:
        """The Reply that `to_json` wrote."""
        return cls(
            key=str(d["key"]),
            params=dict(d.get("params") or {}),
            kind=str(d.get("kind", INFO)),
            buttons=[[Button.from_json(b) for b in row] for row in d.get("buttons") or []],
            clip=ClipOut.from_json(d["clip"]) if d.get("clip") else None,
            job_id=d.get("job_id"),
            parent_job=d.get("parent_job"),
            price=d.get("price"),
            balance_after=d.get("balance_after"),
            position=d.get("position"),
            eta_s=d.get("eta_s"),
            progress=d.get("progress"),
            ephemeral=bool(d.get("ephemeral", False)),
            payload=dict(d.get("payload") or {}),
        )


def nested(key: str, **params: Any) -> dict[str, Any]:
    """A message inside a message's params, e.g. the reason of an offer: rendered in place."""
    return {"key": key, "params": params}


@dataclass
class Context:
    """Who asks, from where, with what attached. `origin` is channel data (chat id, message ids...)
    stored with the job so results find their way back, also after a restart. `max_upload_bytes`: the
    largest clip the channel can post; `max_download_bytes`: the largest attachment it can fetch.
    `roles`: the member's role ids where the platform has roles (opaque to the channel; the core maps
    them to plans), None where it has none."""

    user: str
    lang: str = "en"
    display_name: str = ""
    origin: dict[str, Any] = field(default_factory=dict)
    images: list[Path] = field(default_factory=list)
    videos: list[Path] = field(default_factory=list)
    reply_to_job: str | None = None
    max_upload_bytes: int | None = None
    max_download_bytes: int | None = None
    roles: list[str] | None = None

    @property
    def platform(self) -> str:
        return str(self.origin.get("platform", ""))

    def to_dict(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "lang": self.lang,
            "display_name": self.display_name,
            "origin": self.origin,
            "images": [str(p) for p in self.images],
            "videos": [str(p) for p in self.videos],
            "reply_to_job": self.reply_to_job,
            "max_upload_bytes": self.max_upload_bytes,
            "max_download_bytes": self.max_download_bytes,
            "roles": self.roles,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Context:
        return cls(
            user=d["user"],
            lang=d.get("lang", "en"),
            display_name=d.get("display_name", ""),
            origin=d.get("origin") or {},
            images=[Path(p) for p in d.get("images") or []],
            videos=[Path(p) for p in d.get("videos") or []],
            reply_to_job=d.get("reply_to_job"),
            max_upload_bytes=d.get("max_upload_bytes"),
            max_download_bytes=d.get("max_download_bytes"),
            roles=[str(r) for r in d["roles"]] if d.get("roles") is not None else None,
        )


#: kinds of attachment: image / video the core can use; other (a document of another type: named in the
#: refusal); unsupported (a message kind the bot cannot read at all: a sticker, a voice note)
ATTACHMENT_KINDS: Final = ("image", "video", "other", "unsupported")


@dataclass
class Attachment:
    """A file on a message. The core checks kind and size first, then calls `fetch(dest_dir)`, which
    downloads it into that folder and returns its path (raising if the platform refuses)."""

    kind: str
    name: str
    mime: str = ""
    size: int | None = None
    fetch: Callable[[Path], Awaitable[Path]] | None = None


@dataclass
class Notice:
    """A job update pushed to the channel of `origin['platform']`: `reply` (kind started | progress |
    done | failed | cancelled) and `status`, the job's status post on that platform if it has one."""

    kind: str
    reply: Reply
    job_id: str
    origin: dict[str, Any]
    status: PostRef | None = None

    @property
    def lang(self) -> str:
        return str(self.origin.get("lang", "en"))
