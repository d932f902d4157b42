"""Metadata corrections: a patch merged into the document's NAME.meta.json sidecar (pure).

The fields that may be corrected are exactly the sidecar's (`assistant.ingest.metadata.OVERRIDABLE`).
In a patch, a string sets a field, "" states that the document has no such value, and None drops the
correction so that the extracted value shows again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from assistant.engine_api import IngestError, MetadataPatch
from assistant.ingest.metadata import OVERRIDABLE, apply_overrides
from assistant.models import DocumentMeta

MAX_VALUE_CHARS = 500


class MetadataError(IngestError):
    """A correction names an unknown field or has a value the ingest rules refuse (nothing is written)."""


def patchable_fields() -> list[str]:
    """The correctable fields in a stable order: the DocumentMeta order, then any others by name."""
    order = [f.name for f in fields(DocumentMeta)]
    return sorted(OVERRIDABLE, key=lambda f: (order.index(f) if f in order else len(order), f))


def check_patch(patch: Mapping[str, Any]) -> None:
    unknown = sorted(set(patch) - OVERRIDABLE)
    if unknown:
        raise MetadataError(
            f"未知的元数据字段 / unknown metadata fields {unknown}; allowed: {patchable_fields()}"
        )
    for key, value in patch.items():
        if value is not None and not isinstance(value, str):
            raise MetadataError(f"元数据字段 {key} 必须是字符串或 null / {key} must be a string or null")
        if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
            raise MetadataError(f"元数据字段 {key} 过长 / {key} is longer than {MAX_VALUE_CHARS} characters")


def merge(current: Mapping[str, Any], patch: MetadataPatch) -> dict[str, Any]:
    merged = dict(current)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value.strip() or None
    return merged


def corrected(meta: DocumentMeta, current: Mapping[str, Any], patch: MetadataPatch) -> dict[str, Any]:
    """The sidecar after `patch`; IngestError (nothing written) when a field or value is not acceptable."""
    check_patch(patch)
    merged = merge(current, patch)
    try:
        apply_overrides(meta, merged)  # the ingest rules: ISO dates, a non-empty title, …
    except IngestError as exc:
        raise MetadataError(str(exc)) from exc
    return merged


def sidecar_bytes(overrides: Mapping[str, Any]) -> bytes:
    return (json.dumps(dict(sorted(overrides.items())), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
