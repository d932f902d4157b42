"""Logging in to the web UI: POST/DELETE /v1/session (JSON) and the /login page that calls it."""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from assistant.profile import load_profile
from assistant.service.access import access_policy, client_ip
from assistant.service.deps import SettingsDep
from assistant.service.errors import ApiError
from assistant.service.keys import KeyStoreError
from assistant.service.schemas import error_responses
from assistant.service.session import COOKIE, SESSION_SECONDS, Sessions, sign
from assistant.service.validation import ID_PATTERN, check_identifier

router = APIRouter(tags=["session"])
pages = APIRouter()
PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: Annotated[
        str,
        Field(min_length=1, max_length=512, json_schema_extra={"pattern": ID_PATTERN}),
        AfterValidator(check_identifier),
    ]


class SessionOut(BaseModel):
    user: str
    expires: int


def sessions_of(request: Request) -> Sessions:
    sessions: Sessions = request.app.state.sessions
    return sessions


@router.post(
    "/session",
    summary="Log in to the web UI with a staff key or the admin token (sets a session cookie)",
    response_model=None,
    responses={200: {"model": SessionOut}, **error_responses(400, 401, 413, 422, 429, 503)},
)
def login(body: LoginRequest, request: Request) -> JSONResponse:
    access_policy(request).limit(client_ip(request), None)  # a brake on guessing
    sessions = sessions_of(request)
    token = body.token.strip()
    try:
        session = sessions.login(token) if token else None
    except KeyStoreError as exc:
        raise ApiError(503, "keys_unavailable", "密钥文件无法读取 (the key file cannot be read)") from exc
    if session is None:
        raise ApiError(401, "invalid_login", "员工密钥或管理令牌不正确 (wrong staff key or admin token)")
    response = JSONResponse(SessionOut(user=session.user, expires=session.expires).model_dump())
    response.set_cookie(
        COOKIE,
        sign(session, sessions.key),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.delete("/session", status_code=204, summary="Log out of the web UI")
def logout() -> Response:
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/")
    return response


@cache
def _login_page(profile_dir: Path | None) -> str:
    """The login page headed by the profile's product title."""
    template = (PAGES_DIR / "login.html").read_text(encoding="utf-8")
    return template.replace("{{TITLE}}", html.escape(load_profile(profile_dir).title))


@pages.get("/login", include_in_schema=False)
def login_page(settings: SettingsDep) -> HTMLResponse:
    return HTMLResponse(_login_page(settings.profile_dir), headers={"Cache-Control": "no-store"})
