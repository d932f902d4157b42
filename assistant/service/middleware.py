"""Request context: an X-Request-ID on every response, one JSON log line per request, and the
catch-all that turns an unexpected exception into a 500 without leaking the stack trace."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.service.errors import error_response

ACCESS_LOG = logging.getLogger("policyqa.access")
ERROR_LOG = logging.getLogger("policyqa.error")
REQUEST_ID_HEADER = "x-request-id"
# A client-supplied id is echoed only when it is short and harmless (it ends up in logs).
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def incoming_request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name.decode("latin-1").lower() == REQUEST_ID_HEADER:
            candidate = value.decode("latin-1")
            if _SAFE_ID.match(candidate):
                return str(candidate)
    return uuid.uuid4().hex


def access_record(method: str, path: str, status: int, ms: float, request_id: str) -> str:
    return json.dumps(
        {
            "event": "request",
            "method": method,
            "path": path,
            "status": status,
            "ms": round(ms, 1),
            "request_id": request_id,
        },
        ensure_ascii=False,
    )


class RequestContextMiddleware:
    """Pure ASGI middleware (no BaseHTTPMiddleware) so streaming responses pass through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = {"code": 500, "sent": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["sent"] = message["status"], True
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            ERROR_LOG.exception("unhandled error", extra={"request_id": request_id})
            if not status["sent"]:
                await _send_internal_error(scope, receive, send_with_id, request_id)
        finally:
            ms = (time.perf_counter() - started) * 1000
            ACCESS_LOG.info(
                access_record(scope["method"], scope["path"], int(status["code"]), ms, request_id)
            )


async def _send_internal_error(scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
    response = error_response(500, "internal", "内部错误", request_id=request_id)
    await response(scope, receive, send)


def json_log_formatter() -> logging.Formatter:
    """Formatter for `policyqa serve`: access lines are already JSON; other records are wrapped as JSON."""
    return _JsonFormatter()


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name == ACCESS_LOG.name:
            return message
        data: dict[str, Any] = {"level": record.levelname.lower(), "logger": record.name, "message": message}
        request_id = getattr(record, "request_id", None)
        if request_id:
            data["request_id"] = request_id
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


MAX_JSON_BODY = 8 * 1024 * 1024  # 50 history turns of 20,000 characters fit; a 100 MB body does not


class BodyLimitMiddleware:
    """Refuses request bodies over `max_bytes` with 413 before the app reads them, so an over-long JSON
    body costs no parsing. Uploads (`exempt` paths; one ending in "/" covers everything under it) enforce
    their own, larger limit while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_JSON_BODY, exempt: tuple[str, ...] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if any(path == p or (p.endswith("/") and path.startswith(p)) for p in self.exempt):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            if declared.isdigit() and int(declared) > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        body = await _read_at_most(receive, self.max_bytes)  # chunked: count what arrives
        if body is None:
            await self._too_large(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = scope.get("state", {}).get("request_id")
        message = f"请求体过大：上限 {self.max_bytes} 字节 (request body larger than {self.max_bytes} bytes)"
        await error_response(413, "body_too_large", message, request_id=request_id)(scope, receive, send)


async def _read_at_most(receive: Receive, limit: int) -> bytes | None:
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(parts)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # later calls wait for the disconnect, as streaming responses expect

    return replayed
