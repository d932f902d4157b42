"""Thumbs up/down on answers, with an optional comment, kept in SQLite under settings.data_dir (stdlib only)."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    rating INTEGER NOT NULL,          -- +1 liked, -1 disliked
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,          -- JSON list of the cited passages (n, doc_id, title, section, …)
    doc_ids TEXT                      -- JSON list of the document filter, if any
)
"""
# Columns added after the first release; databases from before get them on first use.
_ADDED = {"comment": "TEXT NOT NULL DEFAULT ''", "history": "TEXT", "abstained": "INTEGER NOT NULL DEFAULT 0"}
_COLUMNS = "id, created, rating, question, answer, citations, doc_ids, comment, history, abstained"
# What feedback keeps of a citation: enough to find the passage again, not the whole passage.
CITATION_KEYS = ("n", "doc_id", "title", "section", "start", "end", "quote")


@dataclass(frozen=True)
class FeedbackRecord:
    rating: int  # +1 / -1
    question: str
    answer: str
    citations: list[dict[str, Any]]
    doc_ids: list[str] | None = None
    comment: str = ""
    history: list[dict[str, str]] = field(default_factory=list)  # earlier turns {role, content}
    abstained: bool = False
    id: int = 0
    created: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created": self.created,
            "rating": "up" if self.rating > 0 else "down",
            "question": self.question,
            "answer": self.answer,
            "citations": self.citations,
            "comment": self.comment,
            "history": self.history,
            "doc_ids": self.doc_ids,
            "abstained": self.abstained,
        }


def brief_citations(citations: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{k: c[k] for k in CITATION_KEYS if k in c} for c in citations]


def _record(row: Sequence[Any]) -> FeedbackRecord:
    return FeedbackRecord(
        id=int(row[0]),
        created=float(row[1]),
        rating=int(row[2]),
        question=row[3],
        answer=row[4],
        citations=json.loads(row[5]),
        doc_ids=None if row[6] is None else json.loads(row[6]),
        comment=row[7] or "",
        history=json.loads(row[8]) if row[8] else [],
        abstained=bool(row[9]),
    )


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
            have = {row[1] for row in conn.execute("PRAGMA table_info(feedback)")}
            for name, decl in _ADDED.items():
                if name not in have:
                    conn.execute(f"ALTER TABLE feedback ADD COLUMN {name} {decl}")
            yield conn

    def add(self, record: FeedbackRecord) -> int:
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO feedback (created, rating, question, answer, citations, doc_ids, comment,"
                " history, abstained) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    time.time(),
                    1 if record.rating > 0 else -1,
                    record.question,
                    record.answer,
                    json.dumps(brief_citations(record.citations), ensure_ascii=False),
                    None if record.doc_ids is None else json.dumps(record.doc_ids, ensure_ascii=False),
                    record.comment,
                    json.dumps(record.history, ensure_ascii=False) if record.history else None,
                    int(record.abstained),
                ),
            )
            return int(cur.lastrowid or 0)

    def set_comment(self, feedback_id: int, comment: str) -> bool:
        """Attach a comment to an earlier thumb (the UI asks for it after the click)."""
        with self._connect() as conn:
            cur = conn.execute("UPDATE feedback SET comment = ? WHERE id = ?", (comment, feedback_id))
            return cur.rowcount > 0

    def all(self) -> list[FeedbackRecord]:
        with self._connect() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM feedback ORDER BY id").fetchall()
        return [_record(r) for r in rows]

    def disliked(self, limit: int | None = None) -> list[FeedbackRecord]:
        """Thumbs-down, newest first."""
        sql = f"SELECT {_COLUMNS} FROM feedback WHERE rating < 0 ORDER BY id DESC"
        with self._connect() as conn:
            rows = conn.execute(sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ()).fetchall()
        return [_record(r) for r in rows]


# --- eval candidates ------------------------------------------------------------------------------------


def _unique(values: Iterator[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def eval_candidate(record: FeedbackRecord) -> dict[str, Any]:
    """A thumbs-down as an eval item (eval/README.md) for a person to complete: the retrieval targets are
    guessed from what the answer cited, key_facts are left empty, and the answer, citations and comment
    ride along so the reviewer sees what went wrong. It loads with the eval loader as it is."""
    docs = _unique(str(c.get("doc_id", "")) for c in record.citations)
    sections = _unique(str(c.get("section", "")).split(" › ")[-1].strip() for c in record.citations)
    item: dict[str, Any] = {"id": f"fb-{record.id:05d}", "question": record.question}
    if record.history:
        item["history"] = record.history
    item.update(
        {
            "answerable": bool(docs),
            "doc": docs[0] if len(docs) == 1 else (docs or None),
            "gold_sections": sections,
            "key_facts": [],
            "category": "followup" if record.history else "feedback",
            "answer": record.answer,
            "abstained": record.abstained,
            "citations": record.citations,
            "comment": record.comment,
            "created": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.created)),
        }
    )
    return item
