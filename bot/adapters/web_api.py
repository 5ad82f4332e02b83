"""The web API's chat side: who the member is, their chat (messages with uploads, button taps), their
credits and the plans, and the event stream. Each handler reads its typed input (bot/adapters/
web_models.py), hands the member's action to the channel / core, and answers the typed output.

No rule of the bot here: what a message means, costs or refuses is the core's answer.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage
from pydantic import BaseModel, ValidationError

from bot.adapters.base import Outgoing
from bot.adapters.web_identity import Member, clean_name
from bot.adapters.web_models import (
    REACTIONS,
    BalanceOut,
    ChatMessage,
    CommandOut,
    InfoOut,
    MeIn,
    MeOut,
    MessageIn,
    MessageResult,
    PlansOut,
    PressIn,
    PressResult,
    ReplyOut,
)
from bot.adapters.web_uploads import Upload, read_form
from bot.commands import public_commands
from bot.messages import render, text
from bot.replies import ERROR, Attachment, Reply

if TYPE_CHECKING:
    from bot.adapters.web_adapter import WebAdapter

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A request the API refuses: `code` is a message key (rendered in the member's language), `status`
    the HTTP status."""

    def __init__(self, code: str, status: int = 400, **params: Any) -> None:
        super().__init__(code)
        self.code, self.status, self.params = code, status, params


#: the member a request is from, set by the server's guard
MEMBER_KEY: web.RequestKey[Member] = web.RequestKey("member", Member)


def member_of(request: web.Request) -> Member:
    return request[MEMBER_KEY]


def lang_of(request: web.Request) -> str:
    from bot.adapters.web_adapter import _first_language
    from bot.core import detect_lang

    return detect_lang(None, _first_language(request.headers.get("Accept-Language")))


def ok(model: BaseModel) -> web.Response:
    return web.json_response(model.model_dump(mode="json"), dumps=_dumps)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


async def body_of(request: web.Request, model: type[BaseModel]) -> Any:
    """The JSON body as `model`. Raises ApiError web_bad_request (400) naming what is wrong."""
    try:
        raw = await request.json(loads=json.loads)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError("web_bad_request", 400, detail="the body is not JSON") from None
    return validated(model, raw)


def validated(model: type[BaseModel], raw: Any) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "body"
        raise ApiError("web_bad_request", 400, detail=f"{where}: {first.get('msg', 'invalid')}") from None


def is_tiny(settings: Any) -> bool:
    """Does the engine run the tiny offline model? `auto` picks it where no CUDA GPU is (checked without
    importing torch: the NVIDIA driver shows its GPUs in /proc)."""
    model = str(settings.model).lower()
    if model == "tiny":
        return True
    if model == "auto":
        gpus = Path("/proc/driver/nvidia/gpus")
        return not (gpus.is_dir() and any(gpus.iterdir()))
    return False


class ChatApi:
    """Handlers of the chat-side operations (named by their op_id in web_operations.OPERATIONS)."""

    def __init__(self, adapter: WebAdapter) -> None:
        self.adapter = adapter
        self.core = adapter.core
        self.settings = adapter.settings

    def _me(self, member: Member) -> MeOut:
        return MeOut(id=member.user, name=member.name, display_name=member.display_name)

    async def info(self, request: web.Request) -> web.Response:
        lang = lang_of(request)
        tiny = is_tiny(self.settings)
        commands = [
            CommandOut(name=c.name, help=c.help(lang), example=c.example, options=[o.name for o in c.options])
            for c in public_commands()
        ]
        channels = ["web"] + [
            name
            for name, token in (
                ("telegram", self.settings.telegram_token),
                ("discord", self.settings.discord_token),
            )
            if token is not None and token.get_secret_value()
        ]
        return ok(
            InfoOut(
                me=self._me(member_of(request)),
                model=str(self.settings.model),
                tiny=tiny,
                model_note=text("web_tiny_model", lang) if tiny else None,
                commands=commands,
                channels=channels,
                web_url=self.adapter.url,
                reactions=list(REACTIONS),
            )
        )

    async def me(self, request: web.Request) -> web.Response:
        return ok(self._me(member_of(request)))

    async def rename(self, request: web.Request) -> web.Response:
        body: MeIn = await body_of(request, MeIn)
        if not clean_name(body.name):
            raise ApiError("web_bad_request", 400, detail="name: no printable characters")
        member = await self.adapter.members.rename(member_of(request).id, body.name)
        request[MEMBER_KEY] = member
        return ok(self._me(member))

    async def messages(self, request: web.Request) -> web.Response:
        chat = member_of(request).id
        return ok(
            MessageResult(messages=[ChatMessage.model_validate(m) for m in self.adapter.chats.messages(chat)])
        )

    async def post_message(self, request: web.Request) -> web.Response:
        member = member_of(request)
        upload = Upload()
        if request.content_type == "multipart/form-data":
            dest = self.settings.data_dir / "uploads" / "web" / member.id
            try:
                upload = await read_form(await request.multipart(), dest)
            except (ValueError, BadHttpMessage):
                # no boundary in the Content-Type, a part with broken headers: a malformed request (400),
                # not our failure (500); read_form has removed what it wrote
                raise ApiError(
                    "web_bad_request", 400, detail="a malformed multipart/form-data body"
                ) from None
            try:
                body: MessageIn = validated(MessageIn, {k: v for k, v in upload.fields.items() if v != ""})
            except ApiError:
                upload.discard()
                raise
        else:
            body = await body_of(request, MessageIn)
        try:
            return await self._post_message(request, member, body, upload)
        except BaseException:
            upload.discard()
            raise

    async def _post_message(
        self, request: web.Request, member: Member, body: MessageIn, upload: Upload
    ) -> web.Response:
        words = body.text.strip()
        if not words and not upload.files and not body.blend_with:
            raise ApiError("web_bad_request", 400, detail="text: a message needs text or a file")
        viewer = await self.adapter.viewer(member)
        attachments = upload.attachments()
        for job_id in (body.reply_to_job, body.blend_with):
            if job_id and await self.core.explore.get(job_id, viewer) is None:
                raise ApiError("clip_gone", 404)
        if body.blend_with:
            attachments.append(await self._clip_attachment(body.blend_with))
        said = self.adapter.member_said(member.id, body.text, [name for _, _, name, _ in upload.files])
        ctx, where = self.adapter.context(
            member,
            lang=body.lang,
            sample=words,
            accept_language=request.headers.get("Accept-Language"),
            message=said["id"],
        )
        ctx.reply_to_job = body.reply_to_job
        with self.adapter.collect() as posted:
            reply = await self.adapter.message_in(ctx, where, body.text, attachments, None)
        if reply is None or reply.kind == ERROR:
            upload.discard()  # refused: the files it brought are not kept
        messages = [said, *posted.messages]
        return ok(
            MessageResult(
                messages=[ChatMessage.model_validate(m) for m in messages], reply=self._reply(reply, ctx.lang)
            )
        )

    async def _clip_attachment(self, job_id: str) -> Attachment:
        """A clip of the feed as a video attachment (blend with it), copied like an upload would be."""
        job = await self.core.jobs.get(job_id)
        path = Path(str((job.result or {}).get("path") or "")) if job is not None else None
        if path is None or not path.is_file():
            raise ApiError("clip_gone", 404)

        async def fetch(dest: Path) -> Path:
            dest.mkdir(parents=True, exist_ok=True)
            copy = dest / f"blend-{job_id}{path.suffix}"
            shutil.copyfile(path, copy)
            return copy

        return Attachment("video", f"{job_id}{path.suffix}", "video/mp4", path.stat().st_size, fetch)

    def _reply(self, reply: Reply | None, lang: str) -> ReplyOut | None:
        return ReplyOut.model_validate(self.adapter.reply_json(reply, lang)) if reply is not None else None

    async def press(self, request: web.Request) -> web.Response:
        member = member_of(request)
        body: PressIn = await body_of(request, PressIn)
        message = body.message if body.message and self.adapter.chats.get(member.id, body.message) else None
        # a tap on a clip of the feed: answers go to the member's chat like one under a chat message would
        ctx, where = self.adapter.context(
            member, accept_language=request.headers.get("Accept-Language"), message=message or "feed"
        )
        answer: dict[str, Any] = {}

        async def acknowledge(out: Outgoing | None, alert: bool) -> None:
            if out is not None:
                answer.update(toast=out.text, alert=alert, reply=self._reply(out.reply, out.lang))

        with self.adapter.collect() as posted:
            await self.adapter.press_in(ctx, where, body.data, acknowledge)
        replies = [m["reply"] for m in posted.messages if m.get("reply")]
        reply = answer.get("reply") or (ReplyOut.model_validate(replies[-1]) if replies else None)
        return ok(
            PressResult(
                toast=answer.get("toast"),
                alert=bool(answer.get("alert")),
                reply=reply,
                messages=[ChatMessage.model_validate(m) for m in posted.messages],
            )
        )

    async def balance(self, request: web.Request) -> web.Response:
        ctx, _ = self.adapter.context(
            member_of(request), accept_language=request.headers.get("Accept-Language")
        )
        reply = await self.core.balance(ctx)
        p = reply.params
        return ok(
            BalanceOut(
                available=p["available"],
                allowance=p["allowance"],
                topup=p["topup"],
                held=p["held"],
                plan=p["plan"],
                reset=p["reset"],
                text=render(reply, ctx.lang),
            )
        )

    async def plans(self, request: web.Request) -> web.Response:
        ctx, _ = self.adapter.context(
            member_of(request), accept_language=request.headers.get("Accept-Language")
        )
        reply = self.core.wallet.plans_info(ctx)
        return ok(
            PlansOut(
                plans=reply.params["plans"], prices_5s=reply.params["prices_5s"], text=render(reply, ctx.lang)
            )
        )

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events for this member until the page goes: a `hello`, then message / edit / delete /
        job / feed events."""
        from bot.adapters.web_events import Event

        member = member_of(request)
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                "X-Accel-Buffering": "no",
            }
        )
        stream = self.adapter.hub.open(member.id)
        stream.put(Event("hello", {"member": member.user}))
        try:
            await response.prepare(request)
            async for chunk in self.adapter.hub.events(stream):
                await response.write(chunk)
        except (ConnectionResetError, ConnectionError):
            pass  # the page went away
        finally:
            self.adapter.hub.close(stream)
        return response
