"""OpenAI-compatible chat completions (model "policyqa"), so OpenAI SDKs and LangChain can ask.

Answers keep their [n] markers; the citations ride along as extra top-level fields.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from assistant.engine_api import StreamEvent
from assistant.service.access import require_client
from assistant.service.deps import EngineDep, SettingsDep
from assistant.service.errors import ApiError
from assistant.service.openai_format import (
    MODEL_ID,
    ChatInputError,
    chat_chunk,
    chat_completion,
    new_completion_id,
    now,
    split_messages,
)
from assistant.service.routes.ask import check_question
from assistant.service.schemas import ChatCompletionRequest, ModelCard, ModelList, error_responses
from assistant.service.streaming import SSE_HEADERS, event_payload, sse, start_events

router = APIRouter(tags=["openai"])
LOG = logging.getLogger("policyqa.service")


@router.get("/models", summary="OpenAI-compatible model list")
def list_models() -> ModelList:
    return ModelList(data=[ModelCard(id=MODEL_ID)])


@router.post(
    "/chat/completions",
    dependencies=[Depends(require_client)],
    summary="OpenAI chat completions",
    responses=error_responses(400, 401, 403, 404, 413, 422, 429, 503),
)
async def chat_completions(body: ChatCompletionRequest, engine: EngineDep, settings: SettingsDep) -> Any:
    try:
        question, history = split_messages(body.messages)
    except ChatInputError as exc:
        raise ApiError(422, "invalid_messages", str(exc)) from exc
    question = check_question(question, settings)
    cid, created = new_completion_id(), now()
    if body.stream:
        events = await start_events(lambda: engine.ask_stream(question, history, body.doc_ids))
        return StreamingResponse(
            _chunks(events, cid, created), media_type="text/event-stream", headers=SSE_HEADERS
        )
    answer = await run_in_threadpool(engine.ask, question, history, body.doc_ids)
    return chat_completion(answer, question, cid, created)


async def _chunks(events: AsyncIterator[StreamEvent], cid: str, created: int) -> AsyncIterator[str]:
    """Role chunk (with retrieved citations), content chunks, a final chunk with the full answer, [DONE]."""
    opened = False
    try:
        async for event in events:
            if not opened:
                opened = True
                cites = event_payload(event) if event.kind == "citations" else []
                yield sse(chat_chunk(cid, created, {"role": "assistant", "content": ""}, citations=cites))
            if event.kind == "delta":
                yield sse(chat_chunk(cid, created, {"content": str(event.data)}))
            elif event.kind == "done":
                answer = event_payload(event)
                extra = {
                    "citations": answer["citations"],
                    "references": answer["references"],
                    "policyqa": answer,
                }
                yield sse(chat_chunk(cid, created, {}, "stop", **extra))
    except Exception:
        LOG.exception("chat completion stream failed")
        yield sse({"error": {"code": "internal", "message": "内部错误"}})
    yield sse("[DONE]")
