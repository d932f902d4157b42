"""The one ASGI app behind `policyqa serve`: JSON/SSE API under /v1, OpenAI-compatible chat,
document admin, the widget, and the Gradio UI at /ui."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import gradio as gr
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from assistant.config import Settings
from assistant.engine_api import QAEngine
from assistant.profile import load_profile
from assistant.progress import ProgressDisplay
from assistant.service.access import install_access
from assistant.service.errors import install_error_handlers
from assistant.service.feedback import FeedbackStore
from assistant.service.lifecycle import EngineSlot
from assistant.service.middleware import BodyLimitMiddleware, RequestContextMiddleware
from assistant.service.routes import ask, documents, feedback, health, openai_compat, search, session
from assistant.service.routes.widget import router as widget_router
from assistant.service.session import Sessions
from assistant.service.ui import UI_CSS, VIEWER_HEAD, build_ui, ui_theme
from assistant.service.ui_access import UI_PATH, LoginRedirect, auth_dependency, ui_guard
from assistant.service.validation import NONBLANK_TEXT_PATTERN


def _opener(settings: Settings, display: ProgressDisplay | None) -> Callable[[], QAEngine]:
    def open_engine() -> QAEngine:
        # Imported here: loading the engine module pulls in torch and the embedding model.
        from assistant.engine import Engine

        engine: QAEngine = Engine.open(settings, display=display)
        return engine

    return open_engine


def _lifespan(
    settings: Settings, display: ProgressDisplay | None
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        slot: EngineSlot = app.state.engine_slot
        if not slot.ready:
            # Loaded on a thread: /healthz answers at once and /readyz says 503 until it is done.
            slot.start_loading(_opener(settings, display))
        yield

    return lifespan


def _mount_ui(app: FastAPI, settings: Settings, slot: EngineSlot, sessions: Sessions) -> None:
    """The Gradio UI at /ui: with keys required it needs a login, and it always shares the API's limits."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    guard = ui_guard(app.state.access)
    blocks = build_ui(slot.get, settings, app.state.feedback, guard)
    if settings.require_keys:
        app.add_middleware(LoginRedirect, sessions=sessions)
    gr.mount_gradio_app(
        app,
        blocks,
        path=UI_PATH,
        theme=ui_theme(),
        css=UI_CSS,
        head=VIEWER_HEAD,
        ssr_mode=False,
        max_file_size=settings.max_upload_bytes,
        footer_links=[],
        auth_dependency=auth_dependency(sessions) if settings.require_keys else None,
    )


def _document_limits(app: FastAPI, settings: Settings) -> None:
    """Put the rules the routes enforce beyond the models into the OpenAPI schema: the configured
    question length and "not blank", so that clients and schema-driven tests see the real contract."""
    build = app.openapi
    rule = {"maxLength": settings.max_question_chars, "pattern": NONBLANK_TEXT_PATTERN}

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()  # FastAPI caches this dict on app.openapi_schema: it is amended once
        schema["components"]["schemas"]["AskRequest"]["properties"]["question"].update(rule)
        for param in schema["paths"]["/v1/search"]["get"]["parameters"]:
            if param["name"] == "q":
                param["schema"].update(rule)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(
    settings: Settings | None = None, engine: QAEngine | None = None, display: ProgressDisplay | None = None
) -> FastAPI:
    """Build the app. Settings come from the environment unless given; an injected engine skips loading;
    `display` shows the engine's loading (model, index build) in a terminal."""
    settings = settings or Settings()
    app = FastAPI(
        title="policyqa",
        summary=f"{load_profile(settings.profile_dir).title}：带精确引用的回答",
        version="0.1.0",
        lifespan=_lifespan(settings, display),
    )
    app.state.settings = settings
    app.state.engine_slot = slot = EngineSlot(engine)
    app.state.feedback = FeedbackStore.in_dir(settings.data_dir)
    install_error_handlers(app)
    install_access(app, settings)
    app.state.sessions = sessions = Sessions(settings.data_dir, app.state.access.store, settings.admin_token)
    for module in (ask, openai_compat, search, documents, session, feedback):
        app.include_router(module.router, prefix="/v1")
    app.include_router(health.router)
    app.include_router(widget_router)
    app.include_router(session.pages)
    home = f"{UI_PATH}/" if settings.ui_enabled else "/docs"
    app.add_api_route("/", lambda: RedirectResponse(home), include_in_schema=False)
    _document_limits(app, settings)
    if settings.ui_enabled:
        _mount_ui(app, settings, slot, sessions)
    # Uploads stream against POLICYQA_MAX_UPLOAD_BYTES (uploads.py, Gradio's max_file_size) instead.
    app.add_middleware(BodyLimitMiddleware, exempt=("/v1/documents", UI_PATH + "/"))
    app.add_middleware(RequestContextMiddleware)  # added last = outermost: sees every request
    return app
