"""The web channel's HTTP server: the aiohttp application, its routes (bound from the operation table of
web_operations, so the OpenAPI description lists exactly what is served), and the guard every request passes:
the access token beyond loopback, the member cookie, same-origin writes, security headers, and errors as
JSON in the member's language.

Decides who is asking, never what they may do (the core and the feed read model do).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from aiohttp import web

from bot.adapters.web_api import MEMBER_KEY, ApiError, ChatApi, lang_of
from bot.adapters.web_feed import STATIC, FeedApi
from bot.adapters.web_identity import ACCESS_COOKIE, COOKIE_MAX_AGE, MEMBER_COOKIE, is_loopback, new_member_id
from bot.adapters.web_operations import OPERATIONS, openapi
from bot.adapters.web_uploads import UploadRefused
from bot.messages import text
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.adapters.web_adapter import WebAdapter

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: the largest request body: a video upload at the core's limit, plus the form around it
MAX_BODY = 101 * 2**20
_CSP = (
    "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def refusal(settings: Settings) -> str | None:
    """Why the web channel must not start with these settings (bound beyond loopback without a token),
    or None."""
    token = settings.web_token.get_secret_value() if settings.web_token is not None else ""
    if settings.web_enabled and not is_loopback(settings.web_host) and not token:
        return (
            f"REELBOT_WEB_HOST={settings.web_host} serves the web channel beyond this machine, so it needs "
            "REELBOT_WEB_TOKEN (a long random secret every visitor must show). Set it, or bind 127.0.0.1."
        )
    return None


def _error(request: web.Request, code: str, status: int, **params: object) -> web.Response:
    return web.json_response(
        {"error": code, "message": text(code, lang_of(request), **params)}, status=status
    )


def _is_page(path: str) -> bool:
    return path == "/" or path.startswith("/clip/")


def build_app(adapter: WebAdapter) -> web.Application:
    """The application: guard middleware, API routes, clip files, the page and its static files."""
    settings = adapter.settings
    token = settings.web_token.get_secret_value() if settings.web_token is not None else ""
    signer = adapter.signer

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await _guarded(request, handler)
        except ApiError as exc:
            response = _error(request, exc.code, exc.status, **exc.params)
        except UploadRefused as exc:
            response = _error(request, exc.code, exc.status, **exc.params)
        except web.HTTPException as exc:
            if exc.status < 400 or not request.path.startswith("/api/"):
                raise
            code = {404: "not_found", 405: "web_bad_request", 413: "web_too_large"}.get(
                exc.status, "web_bad_request"
            )
            response = _error(request, code, exc.status, detail=exc.reason)
        except Exception:
            log.exception("web: %s %s failed", request.method, request.path)
            response = _error(request, "internal", 500)
        if not response.prepared:
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "same-origin")
            response.headers.setdefault("Content-Security-Policy", _CSP)
        return response

    async def _guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
        if token and not signer.access_ok(
            token,
            header=request.headers.get("Authorization"),
            cookie=request.cookies.get(ACCESS_COOKIE),
            query=request.query.get("token"),
        ):
            raise ApiError("web_token_required", 401)
        if token and request.method == "GET" and request.query.get("token"):
            # shown once in the address: remembered as a cookie, and taken out of the address bar
            query = {k: v for k, v in request.query.items() if k != "token"}
            found = web.HTTPSeeOther(request.rel_url.with_query(query))
            found.set_cookie(
                ACCESS_COOKIE,
                signer.access_cookie(token),
                httponly=True,
                samesite="Strict",
                max_age=COOKIE_MAX_AGE,
                path="/",
            )
            raise found
        if request.method not in ("GET", "HEAD") and not _same_origin(request):
            raise ApiError("web_bad_origin", 403)
        cookie = request.cookies.get(MEMBER_COOKIE)
        member_id = signer.member_of(cookie)
        fresh = False
        if member_id is None:
            if cookie and not _is_page(request.path) and not request.path.startswith("/static/"):
                raise ApiError(
                    "web_bad_cookie", 401
                )  # forged or from another server: not a new member either
            member_id, fresh = new_member_id(), True
        request[MEMBER_KEY] = await adapter.members.get(member_id)
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            if fresh:
                _set_member(exc, signer.member_cookie(member_id))
            raise
        if fresh and not response.prepared:
            _set_member(response, signer.member_cookie(member_id))
        return response

    app = web.Application(middlewares=[guard], client_max_size=MAX_BODY)
    chat, feed = ChatApi(adapter), FeedApi(adapter)
    for op in OPERATIONS:
        handler = getattr(chat, op.op_id, None) or getattr(feed, op.op_id)
        app.router.add_route(op.method, op.path, handler, name=op.op_id)

    document = openapi()

    async def openapi_json(request: web.Request) -> web.Response:
        return web.json_response(document)

    app.router.add_get("/api/openapi.json", openapi_json, name="openapi")
    app.router.add_get("/media/{job_id}/{name}", feed.media, name="media")
    app.router.add_get("/", feed.page, name="page")
    app.router.add_get("/clip/{job_id}", feed.page, name="clip_page")
    app.router.add_static("/static/", STATIC, name="static", append_version=False)
    return app


def _set_member(response: web.StreamResponse, value: str) -> None:
    response.set_cookie(MEMBER_COOKIE, value, httponly=True, samesite="Lax", max_age=COOKIE_MAX_AGE, path="/")


def _same_origin(request: web.Request) -> bool:
    """A write from our own page (or from a client that sends no Origin, like curl or the tests)."""
    origin = request.headers.get("Origin")
    if not origin:
        return True
    return urlsplit(origin).netloc == request.host
