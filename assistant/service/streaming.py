"""Server-sent events: pure formatting of engine StreamEvents, and driving the blocking engine
iterator from a worker thread so that the event loop stays free."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.engine_api import StreamEvent
from assistant.models import Answer, Citation

LOG = logging.getLogger("policyqa.service")
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def sse(data: Any, event: str | None = None) -> str:
    """One SSE frame. JSON payloads never contain raw newlines, so one `data:` line suffices."""
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {payload}\n\n"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Answer | Citation):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def event_payload(event: StreamEvent) -> Any:
    """The JSON body of one engine event: citations → list, delta → {"text"}, done → the answer object."""
    if event.kind == "delta":
        return {"text": str(event.data)}
    return _jsonable(event.data)


async def start_events(start: Callable[[], Iterator[StreamEvent]]) -> AsyncIterator[StreamEvent]:
    """Start the engine's stream and take its first event before the response begins, so that what the
    engine refuses up front (an unknown doc_id) is a JSON error, not a 200 followed by an error frame.
    The iterator is created and advanced in the threadpool."""
    iterator = await run_in_threadpool(start)
    first = await run_in_threadpool(next, iterator, None)

    async def events() -> AsyncIterator[StreamEvent]:
        if first is not None:
            yield first
        async for event in iterate_in_threadpool(iterator):
            yield event

    return events()


async def ask_sse(events: AsyncIterator[StreamEvent]) -> AsyncIterator[str]:
    """`event: citations`, `event: delta`…, `event: done`; an `event: error` frame if the engine fails."""
    try:
        async for event in events:
            yield sse(event_payload(event), event=event.kind)
    except Exception:
        LOG.exception("stream failed")
        yield sse({"code": "internal", "message": "内部错误"}, event="error")
