"""GET /v1/search: the passages retrieval finds for a query, with scores."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from assistant.engine_api import QAEngine
from assistant.models import Hit
from assistant.service.access import require_client
from assistant.service.deps import EngineDep, SettingsDep
from assistant.service.errors import ApiError
from assistant.service.schemas import SearchHitOut, SearchResponse, error_responses
from assistant.service.validation import DocId, Text

router = APIRouter(tags=["search"], responses=error_responses(401, 403, 404, 422, 429, 503))


def _search(engine: QAEngine, query: str, k: int, doc_ids: list[str] | None) -> list[SearchHitOut]:
    titles = {d.meta.doc_id: (d.meta.title, d.meta.doc_number) for d in engine.documents()}
    return [hit_out(h, titles) for h in engine.search(query, k=k, doc_ids=doc_ids)]


def hit_out(hit: Hit, titles: dict[str, tuple[str, str | None]]) -> SearchHitOut:
    title, doc_number = titles.get(hit.chunk.doc_id, (hit.chunk.doc_id, None))
    return SearchHitOut(**hit.chunk.to_dict(), title=title, doc_number=doc_number, score=hit.score)


@router.get("/search", summary="Retrieve passages for a query", dependencies=[Depends(require_client)])
async def search(
    engine: EngineDep,
    settings: SettingsDep,
    q: Annotated[Text, Query(min_length=1, description="query text")],
    k: Annotated[int, Query(ge=1, le=50, description="number of passages")] = 8,
    doc_id: Annotated[
        list[DocId] | None, Query(max_length=100, description="restrict to these documents")
    ] = None,
) -> SearchResponse:
    query = q.strip()
    if not query:
        raise ApiError(422, "invalid_request", "查询不能为空 (q must not be blank)")
    if len(q) > settings.max_question_chars:  # as sent, like the schema's maxLength
        raise ApiError(
            422, "query_too_long", f"查询过长 (q longer than {settings.max_question_chars} characters)"
        )
    hits = await run_in_threadpool(_search, engine, query, k, doc_id or None)
    return SearchResponse(query=query, k=k, hits=hits)
