"""Citations as the source view shows them: `text[start:end]` of the document's clean text is the passage.

Most chunks are exact slices already. A long section's passage is composed for retrieval (its heading and
its children's headings) while its offsets span the whole section; its citation shows the whole section,
so that what a card shows is what the source view highlights (pure).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from assistant.engine_api import StreamEvent
from assistant.models import Answer, Citation

TextOf = Callable[[str], str | None]  # doc_id -> clean text (None when the document is unknown)


def _slice(text: str | None, start: int, end: int) -> str | None:
    if text is None or not 0 <= start < end <= len(text):
        return None
    return text[start:end]


def exact_citation(citation: Citation, text_of: TextOf) -> Citation:
    passage = _slice(text_of(citation.doc_id), citation.start, citation.end)
    if passage is None or passage == citation.text:
        return citation
    return dataclasses.replace(citation, text=passage)


def exact_answer(answer: Answer, text_of: TextOf) -> Answer:
    citations = [exact_citation(c, text_of) for c in answer.citations]
    return answer if citations == answer.citations else dataclasses.replace(answer, citations=citations)


def _exact_dict(citation: dict[str, Any], text_of: TextOf) -> dict[str, Any]:
    passage = _slice(text_of(str(citation.get("doc_id"))), int(citation["start"]), int(citation["end"]))
    return citation if passage is None else {**citation, "text": passage}


def exact_events(events: Iterable[StreamEvent], text_of: TextOf) -> Iterator[StreamEvent]:
    """The stream with the same passages as `exact_answer` gives (citations travel as dicts or objects)."""
    for event in events:
        if event.kind == "done" and isinstance(event.data, Answer):
            yield StreamEvent("done", exact_answer(event.data, text_of))
        elif event.kind == "citations":
            yield StreamEvent(
                "citations",
                [
                    exact_citation(c, text_of) if isinstance(c, Citation) else _exact_dict(c, text_of)
                    for c in event.data
                ],
            )
        else:
            yield event
