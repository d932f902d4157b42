"""Reading one uploaded file from a multipart body without ever holding more than the limit.

The size is checked three times: the declared Content-Length, the bytes received while the form
is parsed, and the bytes of the file part itself.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.types import Message, Receive

from assistant.service.errors import ApiError
from assistant.service.validation import text_problem

MULTIPART_SLACK = 64 * 1024  # boundary lines and part headers around the file bytes
READ_CHUNK = 256 * 1024


class BodyTooLarge(Exception):
    pass


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    fields: dict[str, str] = field(default_factory=dict)  # the form's text fields that have a value


def too_large(limit: int) -> ApiError:
    return ApiError(413, "file_too_large", f"文件过大：上限 {limit} 字节 (upload larger than {limit} bytes)")


def check_content_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is None:
        return
    if not declared.isdigit():
        raise ApiError(400, "bad_request", "Content-Length 无效 (invalid Content-Length)")
    if int(declared) > limit + MULTIPART_SLACK:
        raise too_large(limit)


def limited_receive(receive: Receive, max_bytes: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > max_bytes:
                raise BodyTooLarge
        return message

    return wrapped


def safe_filename(name: str | None) -> str:
    """The base name only (no directories from either OS); never empty."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name.strip()
    if not base or base in (".", ".."):
        raise ApiError(422, "invalid_filename", "上传文件缺少文件名 (the uploaded file has no name)")
    return base


def _check_fields(items: list[tuple[str, str | UploadFile]]) -> None:
    """Form fields other than the file get the same text check as every JSON field."""
    for name, value in items:
        problem = text_problem(name, identifier=True) or (
            text_problem(value) if isinstance(value, str) else None
        )
        if problem is not None:
            raise ApiError(422, "invalid_request", f"表单字段 {name!r} 无效 (invalid form field): {problem}")


async def _read_capped(upload: UploadFile, limit: int) -> bytes:
    parts: list[bytes] = []
    total = 0
    while chunk := await upload.read(READ_CHUNK):
        total += len(chunk)
        if total > limit:
            raise too_large(limit)
        parts.append(chunk)
    return b"".join(parts)


def text_fields(form: Any, allowed: Collection[str]) -> dict[str, str]:
    """The form's text fields besides `file`, which must be among `allowed`; blank ones are left out."""
    values: dict[str, str] = {}
    for key, value in form.multi_items():
        if key == "file":
            continue
        if key not in allowed or not isinstance(value, str):
            raise ApiError(
                422,
                "invalid_field",
                f"未知的表单字段 / unknown form field {key!r}; allowed: file, {', '.join(allowed)}",
            )
        if value.strip():
            values[key] = value
    return values


async def read_upload(request: Request, limit: int, fields: Collection[str] = ()) -> Upload:
    """The multipart field `file` (name and bytes) and the text `fields`; ApiError for anything unusable."""
    check_content_length(request, limit)
    counted = Request(request.scope, receive=limited_receive(request.receive, limit + MULTIPART_SLACK))
    try:
        form = await counted.form(max_files=1, max_fields=len(fields) + 10)
    except BodyTooLarge as exc:
        raise too_large(limit) from exc
    try:
        _check_fields(form.multi_items())
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ApiError(
                422, "missing_file", "请用 multipart/form-data 的 file 字段上传文件 (missing field 'file')"
            )
        values = text_fields(form, fields)
        name = safe_filename(upload.filename)
        data = await _read_capped(upload, limit)
    finally:
        await form.close()
    if not data:
        raise ApiError(422, "empty_file", f"文件为空 (the uploaded file is empty): {name}")
    return Upload(name, data, values)
