"""Raw policy file → ParsedDocument (metadata, clean text, chunks, outline). `parse_text` is pure;
`ingest_file` and `discover` are the I/O edge."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assistant.engine_api import IngestError, OutlineNode
from assistant.ingest.chunking import chunk_document
from assistant.ingest.clean import CleanText, clean_text, insert_line_breaks
from assistant.ingest.limits import Loaded, LoadLimits
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_document
from assistant.ingest.mapped import Edit
from assistant.ingest.metadata import (
    apply_overrides,
    extract_metadata,
    extract_posted,
    load_sidecar,
    sidecar_path,
)
from assistant.ingest.structure import Node, parse_structure, run_in_breaks
from assistant.models import SECTION_SEP, Chunk, DocumentMeta

# Dash bullets and the items inside an article are list entries, not headings worth a place in a
# table of contents.
_OUTLINE_KINDS = frozenset({"part", "chapter", "section", "article", "h1", "h2", "h3"})


@dataclass(frozen=True)
class ParsedDocument:
    meta: DocumentMeta
    text: str  # clean text; chunk offsets point into it
    chunks: list[Chunk]
    outline: list[OutlineNode]
    content_hash: str
    raw_offsets: tuple[int, ...] = ()  # clean char i came from raw char raw_offsets[i]

    def clean(self) -> CleanText:
        return CleanText(self.text, self.raw_offsets)


def build_outline(roots: list[Node], parents: tuple[str, ...] = ()) -> list[OutlineNode]:
    outline: list[OutlineNode] = []
    for node in roots:
        if node.kind not in _OUTLINE_KINDS or node.in_article:
            continue
        path = (*parents, node.heading)
        children = build_outline(node.children, path)
        outline.append(OutlineNode(node.heading, SECTION_SEP.join(path), children, node.start, node.end))
    return outline


def outline_of(text: str) -> list[OutlineNode]:
    """The outline, with offsets, of an already clean text (the text an index stores): the same tree
    parse_text found, since it parsed this very text last."""
    return build_outline(parse_structure(text))


def content_hash(raw: bytes, overrides: dict[str, Any] | None) -> str:
    digest = hashlib.sha256(raw)
    if overrides:
        digest.update(json.dumps(overrides, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def clean_and_parse(raw: str, layout: tuple[Edit, ...] = ()) -> tuple[CleanText, list[Node]]:
    """Clean text and its heading tree; run-together text (seed 001) is re-flowed so that every
    heading starts a line. `layout`: a PDF's or scan's line joins and dropped running heads."""
    clean = clean_text(raw, layout)
    roots = parse_structure(clean.text)
    breaks = run_in_breaks(clean.text, roots)
    if breaks:
        clean = insert_line_breaks(clean, breaks)
        roots = parse_structure(clean.text)
    return clean, roots


def parse_text(
    doc_id: str,
    source: str,
    raw: str | Loaded,
    overrides: dict[str, Any] | None = None,
    max_chars: int = 400,
    digest: str | None = None,
) -> ParsedDocument:
    """Clean, describe, outline and chunk one document's raw text (or a loader's `Loaded`)."""
    loaded = raw if isinstance(raw, Loaded) else Loaded(raw)
    raw = loaded.text
    clean, roots = clean_and_parse(raw, loaded.edits)
    if not clean.text.strip():
        raise IngestError(f"{source}: 清洗后没有正文 / no document text left after cleaning")
    meta = replace(extract_metadata(doc_id, source, clean.text), posted=extract_posted(raw))
    if loaded.ocr:
        meta = replace(meta, ocr=True, ocr_confidence=loaded.ocr_confidence)
    if overrides:
        meta = apply_overrides(meta, overrides)
    return ParsedDocument(
        meta=meta,
        text=clean.text,
        chunks=chunk_document(doc_id, clean.text, roots, max_chars=max_chars),
        outline=build_outline(roots),
        content_hash=digest or content_hash(raw.encode("utf-8"), overrides),
        raw_offsets=clean.raw_offsets,
    )


def ingest_file(path: Path, max_chars: int = 400, limits: LoadLimits | None = None) -> ParsedDocument:
    """Read a corpus file (+ its NAME.meta.json sidecar); doc_id is the file stem."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path.name}: 无法读取文件 / cannot read file: {exc.strerror or exc}") from exc
    raw = load_document(path.name, data, limits)
    overrides = load_sidecar(path)
    side = sidecar_path(path)
    digest = content_hash(data + (side.read_bytes() if side.is_file() else b""), None)
    return parse_text(path.stem, path.name, raw, overrides, max_chars=max_chars, digest=digest)


def discover(corpus_dir: Path) -> list[Path]:
    """Supported policy files in a folder, sorted; sidecars and hidden files are skipped."""
    if not corpus_dir.is_dir():
        raise IngestError(f"{corpus_dir}: 语料目录不存在 / corpus folder not found")
    return sorted(
        p
        for p in corpus_dir.iterdir()
        if p.is_file()
        and not p.name.startswith(".")
        and not p.name.endswith(".meta.json")
        and p.suffix.lower() in SUPPORTED_SUFFIXES
    )
