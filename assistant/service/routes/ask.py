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
from assistant.service.schemas import AnswerOut, AskRequest, error_responses
from assistant.service.streaming import SSE_HEADERS, ask_sse, start_events

router = APIRouter(tags=["ask"], responses=error_responses(400, 401, 403, 404, 413, 422, 429, 503))


def check_question(question: str, settings: Settings) -> str:
    """Enforce the configured length cap on the question as sent (it is non-blank: schema); trim it."""
    limit = settings.max_question_chars
    if len(question) > limit:
        raise ApiError(
            422,
            "question_too_long",
            f"问题过长：{len(question)} 字，最多 {limit} 字 (question longer than {limit} characters)",
        )
    return question.strip()


@router.post(
    "/ask",
    dependencies=[Depends(require_client)],
    summary="Answer a question with citations",
    response_model=None,  # the dict from Answer.to_dict() goes out as is; AnswerOut documents it
    responses={200: {"model": AnswerOut, "description": "The answer with its citations"}},
)
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
    events = await start_events(lambda: engine.ask_stream(question, history, body.doc_ids))
    return StreamingResponse(ask_sse(events), media_type="text/event-stream", headers=SSE_HEADERS)
