"""Serves the embeddable chat widget (`/widget.js`) and a demo page that embeds it (`/widget/demo`)."""

from __future__ import annotations

import hashlib
import html
import re
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from assistant.service.errors import ApiError

router = APIRouter()

WIDGET_DIR = Path(__file__).resolve().parent.parent / "widget"
# Short enough to revalidate soon after a deploy; the ETag makes revalidation cheap.
WIDGET_CACHE = "public, max-age=300, stale-while-revalidate=86400"
_KEY_CHARS = re.compile(r"^[A-Za-z0-9_-]{0,128}$")


@cache
def _asset(name: str) -> tuple[str, str]:
    """(text, etag) of a bundled widget file; read once per process."""
    text = (WIDGET_DIR / name).read_text(encoding="utf-8")
    return text, '"' + hashlib.sha256(text.encode()).hexdigest()[:20] + '"'


@router.get("/widget.js", include_in_schema=False)
def widget_js(request: Request) -> Response:
    text, etag = _asset("widget.js")
    headers = {"Cache-Control": WIDGET_CACHE, "ETag": etag, "X-Content-Type-Options": "nosniff"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(text, media_type="application/javascript; charset=utf-8", headers=headers)


def render_demo(template: str, origin: str, key: str) -> str:
    """The demo page with the embed snippet filled in; `key` is already restricted to [A-Za-z0-9_-]."""
    return (
        template.replace("{{ORIGIN}}", html.escape(origin))
        .replace("{{KEY_TEXT}}", key or "pk_…")
        .replace("{{KEY}}", key)
    )


@router.get("/widget/demo", include_in_schema=False)
def widget_demo(
    request: Request, key: str = Query(default="", description="widget key to embed (pk_…)")
) -> HTMLResponse:
    if not _KEY_CHARS.match(key):
        raise ApiError(400, "invalid_key", "密钥格式无效 (key may only contain letters, digits, '_' and '-')")
    template, _ = _asset("demo.html")
    origin = str(request.base_url).rstrip("/")
    return HTMLResponse(render_demo(template, origin, key), headers={"Cache-Control": "no-store"})
