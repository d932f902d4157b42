"""Who may call the answer endpoints: widget keys bound to origins, server keys, CORS and rate limits.

`install_access(app, settings)` wires it up; `require_client` is the FastAPI dependency on the guarded
routes. The decisions themselves (`decide`, `cors_allowed`) are pure functions.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.config import Settings
from assistant.service.admin import bearer_token
from assistant.service.errors import ApiError, error_response, request_id_of
from assistant.service.keys import (
    ApiKey,
    InvalidOrigin,
    KeyStore,
    KeyStoreError,
    key_store_for,
    normalize_origin,
)
from assistant.service.ratelimit import RateLimiter, RateLimitUnavailable, parse_rate, retry_after_header

LOG = logging.getLogger("policyqa.service")

KEY_HEADER = "X-PolicyQA-Key"
ALLOWED_HEADERS = f"Content-Type, Authorization, {KEY_HEADER}"
ALLOWED_METHODS = "GET, POST, OPTIONS"
PREFLIGHT_MAX_AGE = "600"


class AccessDenied(ApiError):
    """A request refused by the access policy (401/403/429), rendered in the standard error shape."""


@dataclass(frozen=True)
class Decision:
    status: int  # 200 = allowed
    code: str = "ok"
    message: str = ""
    client_id: str | None = None  # which key made the call, for per-key rate limits

    @property
    def allowed(self) -> bool:
        return self.status == 200


def origin_matches(origin: str | None, allowed: Iterable[str]) -> bool:
    if not origin:
        return False
    try:
        return normalize_origin(origin) in set(allowed)
    except InvalidOrigin:  # e.g. "null" from sandboxed frames or file:// pages
        return False


def decide(
    require_keys: bool,
    widget_key: str | None,
    bearer: str | None,
    origin: str | None,
    lookup: Callable[[str], ApiKey | None],
    admin_token: str | None = None,
) -> Decision:
    """The access decision for one request, given its key headers and Origin. `client_id` is set only
    for a verified key: an unchecked header must not buy its sender a fresh rate-limit window."""
    if not require_keys:
        return Decision(200)
    if bearer:
        if admin_token and hmac.compare_digest(bearer.encode(), admin_token.encode()):
            return Decision(200, client_id="admin")
        return _decide_server_key(bearer, lookup)
    if widget_key:
        return _decide_widget_key(widget_key, origin, lookup)
    return Decision(
        401,
        "missing_key",
        f"需要 API 密钥 (API key required): {KEY_HEADER} 或 'Authorization: Bearer sk_…'",
    )


def _decide_server_key(token: str, lookup: Callable[[str], ApiKey | None]) -> Decision:
    record = lookup(token)
    if record is None or record.kind != "server":
        return Decision(401, "invalid_key", "服务端密钥无效或已吊销 (unknown or revoked server key)")
    return Decision(200, client_id=record.key)


def _decide_widget_key(key: str, origin: str | None, lookup: Callable[[str], ApiKey | None]) -> Decision:
    record = lookup(key)
    if record is None:
        return Decision(401, "invalid_key", "组件密钥无效或已吊销 (unknown or revoked widget key)")
    if record.kind != "widget":
        return Decision(
            401,
            "invalid_key",
            ("服务端密钥只能放在 Authorization 头中 (server keys go in 'Authorization: Bearer …')"),
        )
    if not origin:
        return Decision(
            403, "origin_required", ("组件密钥只能在网页中使用 (a widget key needs an Origin header)")
        )
    if not origin_matches(origin, record.origins):
        return Decision(
            403, "origin_not_allowed", (f"此密钥未授权来源 {origin} (widget key not valid for this origin)")
        )
    return Decision(200, client_id=record.key)


def cors_allowed(require_keys: bool, origin: str, widget_origins: frozenset[str]) -> bool:
    """Open mode allows every origin; with keys, only origins registered on some widget key."""
    return not require_keys or origin_matches(origin, widget_origins)


KEYS_UNAVAILABLE = (
    "密钥文件无法读取，请管理员检查 keys.json (the key file cannot be read; an administrator must fix it)"
)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@dataclass
class AccessPolicy:
    require_keys: bool
    store: KeyStore
    limiter: RateLimiter | None = None
    admin_token: str | None = None

    def check(self, request: Request) -> None:
        decision = decide(
            self.require_keys,
            request.headers.get(KEY_HEADER),
            bearer_token(request.headers.get("authorization")),
            request.headers.get("origin"),
            self.lookup,
            self.admin_token,
        )
        if not decision.allowed:
            raise AccessDenied(decision.status, decision.code, decision.message)
        self.limit(client_ip(request), decision.client_id)

    def lookup(self, key: str) -> ApiKey | None:
        try:
            return self.store.lookup(key)
        except KeyStoreError as exc:
            LOG.error("%s", exc)
            raise AccessDenied(503, "keys_unavailable", KEYS_UNAVAILABLE, {"Retry-After": "30"}) from exc

    def limit(self, client: str, key: str | None) -> None:
        """Count one request of `client` (an IP) under `key` (a verified key id, or None)."""
        if self.limiter is None:
            return
        try:
            wait = self.limiter.hit(client, key)
        except RateLimitUnavailable as exc:
            LOG.error("%s", exc)
            raise AccessDenied(
                503, "rate_limit_unavailable", "限流存储暂不可用，请稍后再试 (rate-limit storage unavailable)"
            ) from exc
        if wait is not None:
            retry = retry_after_header(wait)
            raise AccessDenied(
                429,
                "rate_limited",
                f"请求过于频繁，请 {retry} 秒后再试 (rate limited)",
                {"Retry-After": retry},
            )

    def cors_allows(self, origin: str) -> bool:
        if not self.require_keys:
            return True
        return cors_allowed(True, origin, self.store.widget_origins())  # KeyStoreError: see CorsMiddleware


def build_policy(settings: Settings) -> AccessPolicy:
    """Parses the limits and reads the key file now, so that a bad POLICYQA_RATE_LIMIT* or a corrupt
    keys.json stops startup with its reason instead of failing requests (RateLimitSpecError,
    KeyStoreError)."""
    limiter = None
    if settings.rate_limit:
        per_key = parse_rate(settings.rate_limit_per_key) if settings.rate_limit_per_key else None
        limiter = RateLimiter(parse_rate(settings.rate_limit), per_key, settings.rate_limit_storage)
    store = key_store_for(settings.data_dir)
    if settings.require_keys:
        store.list()
    return AccessPolicy(settings.require_keys, store, limiter, settings.admin_token)


def install_access(app: FastAPI, settings: Settings) -> None:
    policy = build_policy(settings)
    app.state.access = policy
    app.add_middleware(CorsMiddleware, allows=policy.cors_allows)
    app.add_exception_handler(AccessDenied, _access_denied_handler)  # type: ignore[arg-type]


def access_policy(request: Request) -> AccessPolicy:
    policy: AccessPolicy | None = getattr(request.app.state, "access", None)
    if policy is None:
        raise RuntimeError("install_access(app, settings) was not called")
    return policy


async def require_client(request: Request) -> None:
    """Dependency for the guarded endpoints: key/origin check, then rate limits."""
    policy = access_policy(request)
    if policy.limiter is not None and policy.limiter.shared:
        await run_in_threadpool(policy.check, request)  # a network round trip: off the event loop
    else:
        policy.check(request)


async def _access_denied_handler(request: Request, exc: AccessDenied) -> JSONResponse:
    return error_response(
        exc.status, exc.code, exc.message, request_id=request_id_of(request), headers=exc.headers
    )


class CorsMiddleware:
    """Adds CORS headers only for allowed origins and answers their preflights.

    For other origins nothing is added, so browsers block the response; requests without an Origin
    (curl, server-to-server) pass through untouched.
    """

    def __init__(self, app: ASGIApp, allows: Callable[[str], bool]) -> None:
        self.app = app
        self.allows = allows

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        preflight = scope["method"] == "OPTIONS" and "access-control-request-method" in headers
        try:
            allowed = self.allows(origin)
        except KeyStoreError as exc:  # the route itself answers 503; a preflight gets it here
            LOG.error("%s", exc)
            allowed = False
            if preflight:
                body = json.dumps({"error": {"code": "keys_unavailable", "message": KEYS_UNAVAILABLE}})
                await _send_plain(send, 503, [(b"content-type", b"application/json")], body.encode())
                return
        if preflight:
            await self._preflight(origin, allowed, send)
            return
        await self.app(scope, receive, _with_cors(send, origin) if allowed else send)

    async def _preflight(self, origin: str, allowed: bool, send: Send) -> None:
        if not allowed:
            body = b'{"error":{"code":"origin_not_allowed","message":"origin not allowed"}}'
            await _send_plain(send, 403, [(b"content-type", b"application/json")], body)
            return
        extra = [
            (b"access-control-allow-methods", ALLOWED_METHODS.encode()),
            (b"access-control-allow-headers", ALLOWED_HEADERS.encode()),
            (b"access-control-max-age", PREFLIGHT_MAX_AGE.encode()),
        ]
        await _send_plain(send, 204, _cors_headers(origin) + extra, b"")


def _cors_headers(origin: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"access-control-allow-origin", origin.encode("latin-1")),
        (b"access-control-expose-headers", b"Retry-After"),
        (b"vary", b"Origin"),
    ]


def _with_cors(send: Send, origin: str) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *_cors_headers(origin)]}
        await send(message)

    return wrapped


async def _send_plain(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    all_headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": all_headers})
    await send({"type": "http.response.body", "body": body})
