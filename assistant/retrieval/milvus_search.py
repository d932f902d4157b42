"""Searching one Milvus version: dense and BM25 candidates for the project's own fusion.

Milvus returns the two candidate lists (with the document filter applied inside Milvus, so a filtered
search needs no deep scan); RRF, heading, named-document and rare-term signals stay in
assistant.retrieval.searcher / fusion, exactly as for the local index.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.models import Chunk
from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.store import IndexParams
from assistant.textnorm import nfkc

# Milvus caps a search at 16,384 results (its topk limit).
MAX_TOPK = 16_384


def keyword_text(chunk: Chunk, title: str) -> str:
    """What BM25 sees of a passage: the text build.keyword_tokens tokenises, for Milvus' analyzer."""
    return nfkc(f"{title} {chunk.section_path} {chunk.text}").lower()


def search_params(params: IndexParams, *, build: bool = False) -> tuple[str, dict[str, Any]]:
    """Milvus index type and its build (or search) parameters for the project's IndexParams."""
    if params.kind == "ivf":
        return "IVF_FLAT", {"nlist": params.nlist} if build else {"nprobe": params.nprobe}
    if params.kind == "hnsw":
        if build:
            return "HNSW", {"M": params.hnsw_m, "efConstruction": params.ef_construction}
        return "HNSW", {"ef": params.ef_search}
    return "FLAT", {}


class MilvusDense:
    """VectorIndex over one version's chunks collection (rows are the primary keys)."""

    def __init__(self, client: Any, collection: str, size: int, dimension: int, params: IndexParams) -> None:
        self.client = client
        self.collection = collection
        self._size = size
        self._dimension = dimension
        self.params = params

    @property
    def size(self) -> int:
        return self._size

    @property
    def dimension(self) -> int:
        return self._dimension

    def search(
        self, query: np.ndarray, k: int, doc_ids: frozenset[str] | None = None
    ) -> list[tuple[int, float]]:
        k = min(k, self._size, MAX_TOPK)
        if k <= 0:
            return []
        _, extra = search_params(self.params)
        if self.params.kind == "ivf" and k > 2 * self.params.nprobe:  # a deep search scans every cell
            extra = {"nprobe": self.params.nlist}
        if self.params.kind == "hnsw":
            extra = {"ef": max(k, self.params.ef_search)}
        vector = np.asarray(query, dtype=np.float32).reshape(-1)[: self._dimension].tolist()
        result = self.client.search(
            self.collection,
            data=[vector],
            anns_field="vector",
            limit=k,
            filter=doc_filter(doc_ids),
            output_fields=["row"],
            search_params={"metric_type": "IP", "params": extra},
        )
        return [(int(hit["entity"]["row"]), float(hit["distance"])) for hit in result[0]]

    def keyword(self, text: str, k: int, doc_ids: frozenset[str] | None) -> list[tuple[int, float]]:
        """BM25 over the version's passages (Milvus' jieba analyzer and BM25 function)."""
        query = nfkc(text).lower().strip()
        if not query or self._size == 0:
            return []
        result = self.client.search(
            self.collection,
            data=[query],
            anns_field="sparse",
            limit=min(k, self._size, MAX_TOPK),
            filter=doc_filter(doc_ids),
            output_fields=["row"],
            search_params={"metric_type": "BM25"},
        )
        # Milvus Lite reports BM25 as a negated distance, a Milvus server as a positive score.
        return [
            (int(hit["entity"]["row"]), abs(float(hit["distance"]))) for hit in result[0] if hit["distance"]
        ]

    def save(self, path: Path) -> None:
        """The vectors stay in Milvus; the file names the collection that holds them."""
        path.write_text(json.dumps({"milvus_collection": self.collection}), encoding="utf-8")


def doc_filter(doc_ids: frozenset[str] | None) -> str:
    return "" if doc_ids is None else f"doc_id in {json.dumps(sorted(doc_ids), ensure_ascii=False)}"


class MilvusCandidates:
    """The searcher's candidate source for a Milvus version (see searcher.CandidateSource)."""

    def __init__(self, dense: MilvusDense) -> None:
        self.dense = dense

    def candidates(
        self,
        vector: np.ndarray,
        text: str,
        tokens: Sequence[str],
        doc_ids: frozenset[str] | None,
        k: int,
    ) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        keyword = self.dense.keyword(text, k, doc_ids) if tokens else []
        return self.dense.search(vector, k, doc_ids), keyword


class VersionKeywords(KeywordIndex):
    """The keyword statistics a replica keeps of a Milvus version: document frequencies for rare
    terms. The BM25 postings stay in Milvus (MilvusCandidates), so there is nothing to score here."""

    def __init__(self, doc_freq: Counter[str], size: int) -> None:  # no super(): no local BM25 index
        self.size = size
        self.doc_freq = doc_freq

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        raise NotImplementedError("BM25 of a Milvus version is searched in Milvus")
