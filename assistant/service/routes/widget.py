"""Serves the embeddable chat widget (`/widget.js`) and a demo page that embeds it (`/widget/demo`)."""

from __future__ import annotations

import hashlib
import html
import json
import re
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from assistant.profile import load_profile
from assistant.service.deps import SettingsDep
from assistant.service.errors import ApiError

router = APIRouter()

WIDGET_DIR = Path(__file__).resolve().parent.parent / "widget"
# Short enough to revalidate soon after a deploy; the ETag makes revalidation cheap.
WIDGET_CACHE = "public, max-age=300, stale-while-revalidate=86400"
WIDGET_SUGGESTIONS = 3  # a chat bubble has room for a few; the UI shows them all
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
_KEY_CHARS = re.compile(r"^[A-Za-z0-9_-]{0,128}$")


@cache
def _asset(name: str) -> tuple[str, str]:
    """(text, etag) of a bundled widget file; read once per process."""
    text = (WIDGET_DIR / name).read_text(encoding="utf-8")
    return text, '"' + hashlib.sha256(text.encode()).hexdigest()[:20] + '"'


@cache
def _widget_for(profile_dir: Path | None) -> tuple[str, str]:
    """The widget with the profile's example questions as its default suggestions, and its ETag."""
    text, _ = _asset("widget.js")
    examples = "|".join(q.replace("|", "｜") for q in load_profile(profile_dir).examples[:WIDGET_SUGGESTIONS])
    text = text.replace('"__SUGGESTIONS__"', json.dumps(examples, ensure_ascii=False))
    # Every embedding page downloads this: indentation is dropped (the file has no multi-line strings).
    text = _INDENT.sub("", text)
    return text, '"' + hashlib.sha256(text.encode()).hexdigest()[:20] + '"'


@router.get("/widget.js", include_in_schema=False)
def widget_js(request: Request, settings: SettingsDep) -> Response:
    text, etag = _widget_for(settings.profile_dir)
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
