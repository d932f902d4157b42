"""Thumbs up/down on answers, kept in SQLite under settings.data_dir (stdlib only)."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    rating INTEGER NOT NULL,          -- +1 liked, -1 disliked
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,          -- JSON list of cited chunk references
    doc_ids TEXT                      -- JSON list of the document filter, if any
)
"""


@dataclass(frozen=True)
class FeedbackRecord:
    rating: int
    question: str
    answer: str
    citations: list[dict[str, Any]]
    doc_ids: list[str] | None = None


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def in_dir(cls, data_dir: Path) -> FeedbackStore:
        return cls(data_dir / "feedback.sqlite3")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # One short connection per call: Gradio handlers run on many threads.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as conn, conn:
            conn.execute(_SCHEMA)
            yield conn

    def add(self, record: FeedbackRecord) -> int:
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO feedback (created, rating, question, answer, citations, doc_ids)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    time.time(),
                    record.rating,
                    record.question,
                    record.answer,
                    json.dumps(record.citations, ensure_ascii=False),
                    None if record.doc_ids is None else json.dumps(record.doc_ids, ensure_ascii=False),
                ),
            )
            return int(cur.lastrowid or 0)

    def all(self) -> list[FeedbackRecord]:
        with self._connect() as conn:
            rows: Sequence[tuple[Any, ...]] = conn.execute(
                "SELECT rating, question, answer, citations, doc_ids FROM feedback ORDER BY id"
            ).fetchall()
        return [
            FeedbackRecord(
                int(r[0]), r[1], r[2], json.loads(r[3]), None if r[4] is None else json.loads(r[4])
            )
            for r in rows
        ]
