"""POST /v1/ask (JSON answer) and POST /v1/ask/stream (server-sent events)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from assistant.config import Settings
from assistant.service.access import require_client
from assistant.service.deps import EngineDep, SettingsDep
from assistant.service.errors import ApiError
from assistant.service.schemas import AskRequest, ErrorResponse
from assistant.service.streaming import SSE_HEADERS, ask_sse

router = APIRouter(tags=["ask"], responses={422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}})


def check_question(question: str, settings: Settings) -> str:
    """The question is already trimmed and non-blank (schema); enforce the configured length cap."""
    limit = settings.max_question_chars
    if len(question) > limit:
        raise ApiError(
            422,
            "question_too_long",
            f"问题过长：{len(question)} 字，最多 {limit} 字 (question longer than {limit} characters)",
        )
    return question


@router.post("/ask", dependencies=[Depends(require_client)], summary="Answer a question with citations")
async def ask(body: AskRequest, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    question = check_question(body.question, settings)
    answer = await run_in_threadpool(engine.ask, question, body.messages(), body.doc_ids)
    return answer.to_dict()


@router.post(
    "/ask/stream",
    dependencies=[Depends(require_client)],
    summary="Stream an answer: event citations, delta…, done",
    response_class=StreamingResponse,
)
async def ask_stream(body: AskRequest, engine: EngineDep, settings: SettingsDep) -> StreamingResponse:
    question = check_question(body.question, settings)
    history = body.messages()
    events = ask_sse(lambda: engine.ask_stream(question, history, body.doc_ids))
    return StreamingResponse(events, media_type="text/event-stream", headers=SSE_HEADERS)
