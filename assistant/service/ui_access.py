"""Who may use the web UI under /ui: with keys required, a session cookie (see session.py) opens it,
and its handlers share the API's rate limits.

`auth_dependency` is what Gradio calls on each of its own routes (page config, queue, upload, files);
LoginRedirect sends a browser that opens /ui without a session to the login page instead of Gradio's
bare 401.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import quote

import gradio as gr
from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.service.access import AccessDenied, AccessPolicy
from assistant.service.keys import KeyStoreError
from assistant.service.session import COOKIE, Session, Sessions

LOG = logging.getLogger("policyqa.ui")
UI_PATH = "/ui"
LOGIN_PATH = "/login"
UiGuard = Callable[[gr.Request | None], None]


def session_of(sessions: Sessions, cookies: dict[str, str]) -> Session | None:
    try:
        return sessions.current(cookies.get(COOKIE))
    except KeyStoreError as exc:  # cannot tell who is valid: nobody is
        LOG.error("%s", exc)
        return None


def auth_dependency(sessions: Sessions) -> Callable[[Request], str | None]:
    """Gradio's auth hook: the session's subject names the user (and its rate-limit window)."""

    def user(request: Request) -> str | None:
        session = session_of(sessions, dict(request.cookies))
        return session.subject if session else None

    return user


def ui_guard(policy: AccessPolicy) -> UiGuard:
    """Counts a UI action against the same windows as the API: per (login, IP) and per login."""

    def check(request: gr.Request | None) -> None:
        if request is None:  # called directly (tests), not through Gradio
            return
        client = getattr(request, "client", None)
        host = getattr(client, "host", None) or "unknown"
        user = getattr(request, "username", None)
        try:
            policy.limit(str(host), f"ui:{user}" if user else None)
        except AccessDenied as exc:
            raise gr.Error(exc.message) from exc

    return check


class LoginRedirect:
    """GET /ui or /ui/ without a valid session → 303 to the login page (which comes back here)."""

    def __init__(self, app: ASGIApp, sessions: Sessions) -> None:
        self.app = app
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] in (UI_PATH, UI_PATH + "/"):
            cookies = Request(scope).cookies
            if session_of(self.sessions, dict(cookies)) is None:
                target = f"{LOGIN_PATH}?next={quote(UI_PATH + '/')}"
                headers = [
                    (b"location", target.encode()),
                    (b"content-length", b"0"),
                    (b"cache-control", b"no-store"),
                ]
                await send({"type": "http.response.start", "status": 303, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)
