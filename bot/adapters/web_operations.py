"""The web API's table of operations, which the server binds by op_id, and the OpenAPI 3.1 description at
/api/openapi.json built from the same table and the models (bot/adapters/web_models.py), so the two cannot
drift apart. Description only: no handler, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from bot.adapters.web_models import (
    JOB_ID,
    BalanceOut,
    CancelResult,
    ErrorOut,
    FeedItemOut,
    FeedPageOut,
    FeedParams,
    InfoOut,
    JobList,
    MeIn,
    MeOut,
    MessageForm,
    MessageIn,
    MessageResult,
    PlansOut,
    PressIn,
    PressResult,
    ReactionIn,
    ReactionsOut,
)


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
    """The OpenAPI 3.1 document of OPERATIONS, its schemas generated from the models (web_models.py)."""
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
