"""The index in Milvus: a pair of collections per version behind one alias, switched atomically.

    <prefix>_chunks_<version>  one row per passage: row (primary key = position in the version's chunk
                               list), doc_id, the chunk (JSON text), the keyword text (title, section
                               path, passage) with a jieba analyzer and a BM25 function into a sparse
                               field, and the dense vector
    <prefix>_docs_<version>    per document its metadata (a JSON field, DocumentMeta.to_dict(), so new
                               fields need no schema change) and its clean text and outline in parts;
                               plus the manifest and the keyword document frequencies of the version
    <prefix>_live              the alias naming the live chunks collection

A writer fills both collections of a new version, loads them, and only then moves the alias: a writer
killed earlier leaves the old version serving, and the next publish drops its leftovers. Replicas ask
which collection the alias names every few seconds and load the new version when it changes.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

import numpy as np

from assistant.engine_api import OutlineNode
from assistant.models import Chunk, DocumentMeta
from assistant.retrieval.backends import with_dense_params
from assistant.retrieval.keyword import STOPWORDS, domain_words
from assistant.retrieval.milvus_search import (
    MilvusCandidates,
    MilvusDense,
    VersionKeywords,
    keyword_text,
    search_params,
)
from assistant.retrieval.persistence import (
    DocRecord,
    IndexIncompatible,
    IndexMissing,
    Manifest,
    StoredIndex,
    check_compatible,
    flags_of,
    outline_from_dict,
)
from assistant.retrieval.searcher import IndexState
from assistant.retrieval.store import IndexParams
from assistant.textnorm import match_key

log = logging.getLogger(__name__)
# pymilvus warns on every query iterator that Milvus Lite has no MVCC timestamp to offer.
logging.getLogger("pymilvus").setLevel(logging.ERROR)

# VARCHAR limits are in bytes (65,535); 16,000 characters of UTF-8 stay below them.
PART_CHARS = 16_000
BATCH = 256
KEEP_VERSIONS = 2  # the live one and the one before, for replicas still reading it


class MilvusBackend:
    """Implements assistant.retrieval.backends.IndexBackend on a Milvus (or Milvus Lite) server."""

    def __init__(
        self,
        uri: str,
        *,
        token: str = "",
        db_name: str = "",
        prefix: str = "policyqa",
        reload_seconds: float = 2.0,
    ) -> None:
        self.uri = uri
        self._connect = {"uri": uri, "token": token, "db_name": db_name}
        self.prefix = prefix
        self.alias = f"{prefix}_live"
        self.reload_seconds = float(reload_seconds)
        self._client: Any = None
        self._lock = threading.Lock()
        self._polled = (0.0, "")

    @property
    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                from pymilvus import MilvusClient

                self._client = MilvusClient(**{k: v for k, v in self._connect.items() if v})
            return self._client

    # --- which version is live ---------------------------------------------------------------------

    def live_version(self) -> str:
        # Listing first: describing a missing alias raises, and pymilvus logs a traceback for it.
        if self.alias not in self.client.list_aliases().get("aliases", []):
            return ""
        name = str(self.client.describe_alias(self.alias)["collection_name"])
        return name.removeprefix(self._chunks_name(""))

    def poll_version(self) -> str:
        """live_version, asked at most every reload_seconds (replicas call it on every request)."""
        checked, version = self._polled
        now = time.monotonic()
        if now - checked >= self.reload_seconds:
            version = self.live_version()
            self._polled = (now, version)
        return version

    def _chunks_name(self, version: str) -> str:
        return f"{self.prefix}_chunks_{version}"

    def _docs_name(self, version: str) -> str:
        return f"{self.prefix}_docs_{version}"

    # --- reading -----------------------------------------------------------------------------------

    def load(self, model_name: str) -> IndexState:
        version = self._live_or_missing()
        manifest, docs, doc_freq = self._read_docs(version)
        check_compatible(manifest, model_name)
        chunks = [Chunk.from_dict(json.loads(r["chunk"])) for r in self._rows(version, ["row", "chunk"])]
        if len(chunks) != manifest.n_chunks:
            raise IndexIncompatible(f"Milvus version {version} is incomplete; run `policyqa index --rebuild`")
        empty = np.zeros((0, manifest.dimension), dtype=np.float32)
        stored = StoredIndex(manifest, docs, chunks, empty, [])
        params = IndexParams(**manifest.dense_params) if manifest.dense_params else IndexParams("flat")
        collection = self._chunks_name(version)
        self.client.load_collection(collection)
        dense = MilvusDense(self.client, collection, len(chunks), manifest.dimension, params)
        headings = {row: match_key(c.section_path) for row, c in enumerate(chunks)}
        return IndexState(
            stored,
            dense,
            VersionKeywords(doc_freq, len(chunks)),
            headings,
            candidates=MilvusCandidates(dense),
        )

    def load_previous(self) -> StoredIndex:
        from assistant.retrieval.build import keyword_tokens

        version = self._live_or_missing()
        manifest, docs, _ = self._read_docs(version)
        rows = self._rows(version, ["row", "chunk", "vector"])
        chunks = [Chunk.from_dict(json.loads(r["chunk"])) for r in rows]
        vectors = np.asarray([r["vector"] for r in rows], dtype=np.float32).reshape(-1, manifest.dimension)
        tokens = [keyword_tokens(c, docs[c.doc_id].meta.title) for c in chunks]
        return StoredIndex(manifest, docs, chunks, vectors, tokens)

    def _live_or_missing(self) -> str:
        version = self.live_version()
        if not version:
            raise IndexMissing(f"no index in Milvus at {self.uri} (alias {self.alias}): run `policyqa index`")
        return version

    def _rows(self, version: str, fields: list[str]) -> list[dict[str, Any]]:
        rows = list(self._iterate(self._chunks_name(version), fields))
        rows.sort(key=lambda r: int(r["row"]))
        return rows

    def _iterate(self, collection: str, fields: list[str]) -> Iterator[dict[str, Any]]:
        iterator = self.client.query_iterator(collection, batch_size=1000, filter="", output_fields=fields)
        try:
            while batch := iterator.next():
                yield from batch
        finally:
            iterator.close()

    def _read_docs(self, version: str) -> tuple[Manifest, dict[str, DocRecord], Counter[str]]:
        fields = ["key", "kind", "doc_id", "part", "meta", "data"]
        blobs: dict[tuple[str, str], list[tuple[int, str]]] = {}
        metas: dict[str, dict[str, Any]] = {}
        for row in self._iterate(self._docs_name(version), fields):
            blobs.setdefault((row["kind"], row["doc_id"]), []).append((int(row["part"]), row["data"]))
            if row["kind"] == "doc" and int(row["part"]) == 0:
                metas[row["doc_id"]] = dict(row["meta"])

        def blob(kind: str, doc_id: str = "") -> Any:
            parts = sorted(blobs.get((kind, doc_id), []))
            if not parts:
                raise IndexIncompatible(f"Milvus version {version} has no {kind} {doc_id}".rstrip())
            return json.loads("".join(data for _, data in parts))

        manifest = Manifest(**blob("manifest"))
        docs = {}
        for doc_id, meta in metas.items():
            body = blob("doc", doc_id)
            outline: list[OutlineNode] = [outline_from_dict(o) for o in body["outline"]]
            flags = flags_of(body)
            docs[doc_id] = DocRecord(DocumentMeta(**meta), body["text"], outline, body["content_hash"], flags)
        return manifest, docs, Counter(blob("doc_freq"))

    # --- publishing --------------------------------------------------------------------------------

    def publish(self, stored: StoredIndex, params: IndexParams | None = None) -> tuple[StoredIndex, str]:
        chosen = params or IndexParams.for_size(len(stored.chunks))
        stored = with_dense_params(stored, chosen)
        version = f"v{time.strftime('%Y%m%d%H%M%S')}_{uuid.uuid4().hex[:6]}"
        previous = self.live_version()
        self._write_docs(version, stored)
        self._write_chunks(version, stored, chosen)
        self._switch(version, previous)
        self._drop_old(keep={version, previous})
        self._polled = (0.0, "")
        return stored, version

    def _switch(self, version: str, previous: str) -> None:
        """The commit point: one alias change makes the complete new version live."""
        collection = self._chunks_name(version)
        if previous:
            self.client.alter_alias(collection, self.alias)
        else:
            self.client.create_alias(collection, self.alias)

    def _drop_old(self, keep: set[str]) -> None:
        """Versions beyond the newest KEEP_VERSIONS, and the leftovers of writers that died."""
        names = self.client.list_collections()
        ours = [n for n in names if n.startswith((self._chunks_name(""), self._docs_name("")))]
        for name in ours:
            version = name.removeprefix(self._chunks_name("")).removeprefix(self._docs_name(""))
            if version not in keep:
                self.client.drop_collection(name)

    def _write_docs(self, version: str, stored: StoredIndex) -> None:
        from pymilvus import DataType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=600)
        schema.add_field("kind", DataType.VARCHAR, max_length=32)
        schema.add_field("doc_id", DataType.VARCHAR, max_length=512)
        schema.add_field("part", DataType.INT64)
        schema.add_field("meta", DataType.JSON)
        schema.add_field("data", DataType.VARCHAR, max_length=65_535)
        schema.add_field("_v", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants a vector in every collection
        index = self.client.prepare_index_params()
        index.add_index("_v", index_type="FLAT", metric_type="L2")
        name = self._docs_name(version)
        self.client.create_collection(name, schema=schema, index_params=index)
        rows = list(_blob_rows("manifest", "", asdict(stored.manifest), {}))
        doc_freq = Counter(t for toks in stored.tokens for t in set(toks))
        rows += _blob_rows("doc_freq", "", dict(doc_freq), {})
        for doc_id, record in stored.docs.items():
            body = {
                "text": record.text,
                "outline": [o.to_dict() for o in record.outline],
                "content_hash": record.content_hash,
                "flagged": [f.to_dict() for f in record.flagged],
            }
            rows += _blob_rows("doc", doc_id, body, record.meta.to_dict())
        for start in range(0, len(rows), BATCH):
            self.client.insert(name, rows[start : start + BATCH])
        self.client.flush(name)

    def _write_chunks(self, version: str, stored: StoredIndex, params: IndexParams) -> None:
        name = self._chunks_name(version)
        schema, index = _chunk_schema(self.client, stored.manifest.dimension, params)
        self.client.create_collection(name, schema=schema, index_params=index)
        for start in range(0, len(stored.chunks), BATCH):
            rows = [
                {
                    "row": row,
                    "doc_id": chunk.doc_id,
                    "chunk": json.dumps(chunk.to_dict(), ensure_ascii=False),
                    "text": keyword_text(chunk, stored.docs[chunk.doc_id].meta.title),
                    "vector": stored.vectors[row].tolist(),
                }
                for row, chunk in enumerate(stored.chunks[start : start + BATCH], start=start)
            ]
            self.client.insert(name, rows)
        self.client.flush(name)
        self.client.load_collection(name)
        log.info("published %d passages to Milvus collection %s", len(stored.chunks), name)


def _blob_rows(kind: str, doc_id: str, value: Any, meta: dict[str, Any]) -> list[dict[str, Any]]:
    """A JSON value in VARCHAR-sized parts (a document's clean text can exceed one field)."""
    text = json.dumps(value, ensure_ascii=False)
    parts = [text[i : i + PART_CHARS] for i in range(0, len(text), PART_CHARS)] or [""]
    return [
        {
            "key": f"{kind}:{doc_id}:{n}",
            "kind": kind,
            "doc_id": doc_id,
            "part": n,
            "meta": meta if n == 0 else {},
            "data": part,
            "_v": [0.0, 0.0],
        }
        for n, part in enumerate(parts)
    ]


def analyzer_params() -> dict[str, Any]:
    """jieba in search mode with the project's domain words and stop words, as keyword.tokenize does."""
    return {
        "tokenizer": {"type": "jieba", "mode": "search", "dict": ["_default_", *domain_words()]},
        "filter": ["lowercase", {"type": "stop", "stop_words": sorted(STOPWORDS)}],
    }


def _chunk_schema(client: Any, dimension: int, params: IndexParams) -> tuple[Any, Any]:
    from pymilvus import DataType, Function, FunctionType

    schema = client.create_schema(auto_id=False)
    schema.add_field("row", DataType.INT64, is_primary=True)
    schema.add_field("doc_id", DataType.VARCHAR, max_length=512)
    schema.add_field("chunk", DataType.VARCHAR, max_length=65_535)
    schema.add_field(
        "text", DataType.VARCHAR, max_length=65_535, enable_analyzer=True, analyzer_params=analyzer_params()
    )
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dimension)
    schema.add_function(
        Function(
            name="bm25",
            function_type=FunctionType.BM25,
            input_field_names=["text"],
            output_field_names=["sparse"],
        )
    )
    index = client.prepare_index_params()
    kind, build = search_params(params, build=True)
    index.add_index("vector", index_type=kind, metric_type="IP", params=build)
    # bm25s' defaults (k1 1.5, b 0.75), so that keyword scores rank as in the local index
    index.add_index(
        "sparse",
        index_type="SPARSE_INVERTED_INDEX",
        metric_type="BM25",
        params={"bm25_k1": 1.5, "bm25_b": 0.75},
    )
    index.add_index("doc_id", index_type="INVERTED")
    return schema, index
