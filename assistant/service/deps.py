"""Typed FastAPI dependencies: the engine, the settings and the admin check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from assistant.config import Settings
from assistant.engine_api import QAEngine
from assistant.service.admin import AdminDenied, bearer_token, check_admin_token
from assistant.service.errors import ApiError
from assistant.service.lifecycle import EngineNotReady, EngineSlot


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine_slot(request: Request) -> EngineSlot:
    slot: EngineSlot = request.app.state.engine_slot
    return slot


def get_engine(slot: Annotated[EngineSlot, Depends(get_engine_slot)]) -> QAEngine:
    try:
        return slot.get()
    except EngineNotReady as exc:
        raise ApiError(503, "engine_unavailable", str(exc), headers={"Retry-After": "5"}) from exc


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[QAEngine, Depends(get_engine)]


def require_admin(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> None:
    try:
        check_admin_token(settings, bearer_token(authorization))
    except AdminDenied as exc:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        raise ApiError(
            exc.status,
            "admin_disabled" if exc.status == 403 else "unauthorized",
            exc.message,
            headers=headers,
        ) from exc


AdminDep = Annotated[None, Depends(require_admin)]
