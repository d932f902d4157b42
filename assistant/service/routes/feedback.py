"""Feedback: a thumb with an optional comment on any answer (UI, widget, API); the admin reads thumbs-down."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from assistant.service.access import require_client
from assistant.service.deps import AdminDep
from assistant.service.feedback import FeedbackRecord, FeedbackStore
from assistant.service.schemas import FeedbackCreated, FeedbackIn, FeedbackList, FeedbackOut, error_responses

router = APIRouter(tags=["feedback"])


def _store(request: Request) -> FeedbackStore:
    store: FeedbackStore = request.app.state.feedback
    return store


@router.post(
    "/feedback",
    status_code=201,
    dependencies=[Depends(require_client)],
    summary="Rate an answer (up/down) with an optional comment",
    responses=error_responses(400, 401, 403, 422, 429),
)
async def add_feedback(body: FeedbackIn, request: Request) -> FeedbackCreated:
    record = FeedbackRecord(
        rating=1 if body.rating == "up" else -1,
        question=body.question.strip(),
        answer=body.answer,
        citations=[c.model_dump() for c in body.citations],
        doc_ids=body.doc_ids,
        comment=body.comment.strip(),
        history=[{"role": m.role, "content": m.content} for m in body.history],
        abstained=body.abstained,
    )
    return FeedbackCreated(id=await run_in_threadpool(_store(request).add, record))


@router.get(
    "/feedback",
    summary="Thumbs-down answers, newest first, with their citations and comments (admin)",
    responses=error_responses(401, 403, 422),
)
async def list_feedback(
    request: Request, _: AdminDep, limit: int = Query(default=100, ge=1, le=1000)
) -> FeedbackList:
    records = await run_in_threadpool(_store(request).disliked, limit)
    return FeedbackList(feedback=[FeedbackOut(**r.to_dict()) for r in records])
