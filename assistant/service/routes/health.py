"""Liveness (/healthz, no engine needed) and readiness (/readyz, 503 until the engine is loaded)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from assistant.service.deps import get_engine_slot
from assistant.service.lifecycle import EngineSlot
from assistant.service.schemas import Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: engine loaded",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Engine still loading, or failed to load"}},
)
async def readyz(slot: Annotated[EngineSlot, Depends(get_engine_slot)]) -> JSONResponse:
    if not slot.ready:
        body = Readiness(ready=False, error=slot.error)
        return JSONResponse(body.model_dump(mode="json"), status_code=503, headers={"Retry-After": "5"})
    stats = await run_in_threadpool(slot.get().stats)
    body = Readiness(
        ready=True,
        documents=stats.get("documents"),
        chunks=stats.get("chunks"),
        model=stats.get("model") or slot.get().model_name,
    )
    return JSONResponse(body.model_dump(mode="json"))
