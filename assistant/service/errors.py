"""One error shape for every failure: `{"error": {"code": ..., "message": ...}}`.

Handlers here reshape FastAPI's validation errors, HTTP errors and the engine's domain errors;
anything unexpected is turned into a 500 by the request-context middleware (see middleware.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.engine_api import DocumentExists, IngestError, InvalidFileName, UnknownDocument

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    503: "unavailable",
}


class ApiError(Exception):
    """An error the client can act on; rendered as the standard error body."""

    def __init__(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def request_id_of(request: Request) -> str | None:
    rid = request.scope.get("state", {}).get("request_id")
    return rid if isinstance(rid, str) else None


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    request_id: str | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
    fields: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """`fields` go into the error object (e.g. the conflicting file), `extra` beside it."""
    body: dict[str, Any] = {"code": code, "message": message, **(fields or {})}
    if request_id:
        body["request_id"] = request_id
    content: dict[str, Any] = {"error": body, **(extra or {})}
    return JSONResponse(content, status_code=status, headers=dict(headers or {}))


def _loc_name(loc: Sequence[Any]) -> str:
    # ("body", "history", 0, "role") -> "history[0].role"; the "body"/"query" prefix is noise to a reader,
    # and so are the tags pydantic puts in for the members of a union ("str", "function-after[…]").
    parts = list(loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc)
    name = ""
    for part in parts:
        if isinstance(part, str) and ("[" in part or part in _UNION_TAGS):
            continue
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


_UNION_TAGS = frozenset({"str", "list", "dict", "int", "float", "bool", "none", "constrained-str"})


def describe_validation_errors(errors: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """(code, readable message) for a list of pydantic error dicts."""
    if any(e.get("type") == "json_invalid" for e in errors):
        return "invalid_json", "请求体不是合法的 JSON (request body is not valid JSON)"
    if any(tuple(e.get("loc", ())) == ("body",) for e in errors):
        return (
            "invalid_body",
            "请求体必须是 JSON 对象 (send a JSON object with Content-Type: application/json)",
        )
    parts = [f"{_loc_name(e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in errors[:5]]
    return "invalid_request", "请求参数无效 (invalid request): " + "; ".join(parts)


def _clean_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    # `ctx` may hold exception objects and `input` may echo large bodies; keep what helps a client.
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors]


async def _validation_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    code, message = describe_validation_errors(errors)
    status = 400 if code == "invalid_json" else 422
    return error_response(
        status, code, message, request_id=request_id_of(request), extra={"detail": _clean_errors(errors)}
    )


async def _http_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    code = HTTP_CODES.get(exc.status_code, "http_error")
    return error_response(
        exc.status_code, code, message, request_id=request_id_of(request), headers=exc.headers
    )


async def _api_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(
        exc.status, exc.code, exc.message, request_id=request_id_of(request), headers=exc.headers
    )


async def _unknown_document_handler(request: Request, exc: Exception) -> JSONResponse:
    # The path parameter is the clean id; the exception text varies by engine.
    doc_id = request.path_params.get("doc_id") or (exc.args[0] if exc.args else "?")
    return error_response(
        404,
        "unknown_document",
        f"没有这个文件 (unknown document): {doc_id}",
        request_id=request_id_of(request),
    )


def ingest_status(exc: IngestError) -> tuple[int, str]:
    """415 when the file type is not supported at all, 422 when a supported type could not be read."""
    if isinstance(exc, InvalidFileName):
        return 422, "invalid_filename"
    # Ingest signals "unsupported" by an attribute, a subclass name, or its bilingual message.
    unsupported = getattr(exc, "unsupported", None)
    if unsupported is None:
        text = f"{type(exc).__name__} {exc}".lower()
        unsupported = "unsupported" in text or "不支持" in text
    return (415, "unsupported_file_type") if unsupported else (422, "unreadable_file")


async def _ingest_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IngestError)
    status, code = ingest_status(exc)
    return error_response(status, code, str(exc), request_id=request_id_of(request))


async def _exists_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DocumentExists)
    return error_response(
        409,
        "document_exists",
        str(exc),
        request_id=request_id_of(request),
        fields={"existing": exc.existing},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    app.add_exception_handler(ApiError, _api_handler)
    app.add_exception_handler(UnknownDocument, _unknown_document_handler)
    app.add_exception_handler(IngestError, _ingest_handler)
    app.add_exception_handler(DocumentExists, _exists_handler)
