"""Documents: list, show (with outline), text and source view, upload (admin), metadata correction (admin),
delete (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from assistant.corrections import MetadataError, patchable_fields
from assistant.service.access import require_client
from assistant.service.deps import AdminDep, EngineDep, SettingsDep
from assistant.service.errors import ApiError
from assistant.service.page_access import require_page_reader
from assistant.service.schemas import (
    DocumentDetail,
    DocumentList,
    DocumentSummary,
    DocumentTextOut,
    MetadataPatchIn,
    UploadResult,
    error_responses,
)
from assistant.service.source_view import source_page
from assistant.service.uploads import read_upload
from assistant.service.validation import DocId

router = APIRouter(tags=["documents"], responses=error_responses(404, 422, 503))
DocIdPath = Annotated[DocId, Path(description="document id (the file name without extension)")]
# Reading documents follows the same key rules and rate limits as asking.
_KEYED = [Depends(require_client)]
_KEYED_ERRORS = error_responses(401, 403, 429)


def _upload_body() -> dict[str, object]:
    meta = {name: {"type": "string"} for name in patchable_fields()}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}, **meta},
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


@router.get(
    "/documents/{doc_id}/text",
    summary="The document's clean text, outline (with offsets) and metadata; citations' start/end slice it",
    dependencies=_KEYED,
    responses=_KEYED_ERRORS,
)
async def get_document_text(doc_id: DocIdPath, engine: EngineDep) -> DocumentTextOut:
    return DocumentTextOut.of(await run_in_threadpool(engine.document_text, doc_id))


# A page for people (the UI's panel, the widget's 「查看原文」), so it stays out of the API schema; opened by
# navigation, it takes the credentials a navigation can carry (page_access.py).
@router.get(
    "/documents/{doc_id}/view",
    response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(require_page_reader)],
)
async def view_document(
    doc_id: DocIdPath,
    engine: EngineDep,
    start: int | None = Query(default=None, ge=0, description="passage start (a citation's start)"),
    end: int | None = Query(default=None, ge=0, description="passage end (a citation's end)"),
) -> HTMLResponse:
    if (start is None) != (end is None) or (start is not None and end is not None and start >= end):
        raise ApiError(422, "invalid_span", "start 与 end 须同时给出且 start < end (give both, start < end)")
    doc = await run_in_threadpool(engine.document_text, doc_id)
    return HTMLResponse(source_page(doc, start, end))


@router.post(
    "/documents",
    status_code=201,
    summary="Upload and index a document, optionally with metadata corrections (admin)",
    openapi_extra=_upload_body(),
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
    upload = await read_upload(request, settings.max_upload_bytes, patchable_fields())
    try:
        info = await run_in_threadpool(
            engine.add_document, upload.name, upload.data, replace, upload.fields or None
        )
    except MetadataError as exc:
        raise _invalid_metadata(exc) from exc
    return UploadResult.of(info)


@router.patch(
    "/documents/{doc_id}",
    summary="Correct a document's metadata (admin); kept in its sidecar across rebuilds and restarts",
    responses=error_responses(400, 401, 403, 422),
)
async def patch_document(
    doc_id: DocIdPath, body: MetadataPatchIn, engine: EngineDep, _: AdminDep
) -> DocumentDetail:
    patch = body.model_dump(exclude_unset=True)
    if not patch:
        raise ApiError(
            422,
            "empty_patch",
            f"没有要修改的字段 (nothing to change); fields: {', '.join(patchable_fields())}",
        )
    try:
        return DocumentDetail.of(await run_in_threadpool(engine.update_metadata, doc_id, patch))
    except MetadataError as exc:
        raise _invalid_metadata(exc) from exc


def _invalid_metadata(exc: MetadataError) -> ApiError:
    return ApiError(422, "invalid_metadata", str(exc))


@router.delete(
    "/documents/{doc_id}",
    status_code=204,
    summary="Remove a document from the index (admin)",
    responses=error_responses(401, 403),
)
async def delete_document(doc_id: DocIdPath, engine: EngineDep, _: AdminDep) -> Response:
    await run_in_threadpool(engine.delete_document, doc_id)
    return Response(status_code=204)
