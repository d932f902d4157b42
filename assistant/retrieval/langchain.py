"""The hybrid search as a LangChain retriever, so LangChain chains can use it unchanged."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.engine_api import QAEngine


class PolicyRetriever(BaseRetriever):
    """`PolicyRetriever(engine=engine, k=5).invoke("试点省的主要任务")` → Documents with citation metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    engine: Any  # a QAEngine; typed loosely because pydantic cannot validate a Protocol
    k: int = 5
    doc_ids: list[str] | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        engine: QAEngine = self.engine
        hits = engine.search(query, k=self.k, doc_ids=self.doc_ids)
        return [
            Document(
                page_content=hit.chunk.text,
                metadata={**hit.chunk.to_dict(), "score": hit.score},
                id=hit.chunk.chunk_id,
            )
            for hit in hits
        ]
