"""Document admin: list, show (with outline), upload (admin), delete (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from assistant.service.access import require_client
from assistant.service.deps import AdminDep, EngineDep, SettingsDep
from assistant.service.schemas import (
    DocumentDetail,
    DocumentList,
    DocumentSummary,
    UploadResult,
    error_responses,
)
from assistant.service.uploads import read_upload
from assistant.service.validation import DocId

router = APIRouter(tags=["documents"], responses=error_responses(404, 422, 503))
DocIdPath = Annotated[DocId, Path(description="document id (the file name without extension)")]
# Reading documents follows the same key rules and rate limits as asking.
_KEYED = [Depends(require_client)]
_KEYED_ERRORS = error_responses(401, 403, 429)

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


@router.get("/documents", summary="List indexed documents", dependencies=_KEYED, responses=_KEYED_ERRORS)
async def list_documents(engine: EngineDep) -> DocumentList:
    infos = await run_in_threadpool(engine.documents)
    return DocumentList(documents=[DocumentSummary.of(i) for i in infos])


@router.get(
    "/documents/{doc_id}",
    summary="One document with its section outline",
    dependencies=_KEYED,
    responses=_KEYED_ERRORS,
)
async def get_document(doc_id: DocIdPath, engine: EngineDep) -> DocumentDetail:
    return DocumentDetail.of(await run_in_threadpool(engine.document, doc_id))


@router.post(
    "/documents",
    status_code=201,
    summary="Upload and index a document (admin)",
    openapi_extra=_UPLOAD_BODY,
    responses=error_responses(400, 401, 403, 409, 413, 415, 422),
)
async def upload_document(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    _: AdminDep,
    replace: Annotated[
        bool, Query(description="replace the file that is the same document (kept under deleted/)")
    ] = False,
) -> UploadResult:
    # The body is read here, after the admin check, so unauthorised uploads are refused unread.
    filename, data = await read_upload(request, settings.max_upload_bytes)
    return UploadResult.of(await run_in_threadpool(engine.add_document, filename, data, replace))


@router.delete(
    "/documents/{doc_id}",
    status_code=204,
    summary="Remove a document from the index (admin)",
    responses=error_responses(401, 403),
)
async def delete_document(doc_id: DocIdPath, engine: EngineDep, _: AdminDep) -> Response:
    await run_in_threadpool(engine.delete_document, doc_id)
    return Response(status_code=204)
