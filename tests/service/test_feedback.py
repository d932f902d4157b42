from __future__ import annotations

import sqlite3
from pathlib import Path

from assistant.service.feedback import FeedbackRecord, FeedbackStore


def test_feedback_roundtrip(tmp_path: Path) -> None:
    store = FeedbackStore.in_dir(tmp_path / "nested" / "var")
    cites = [{"n": 1, "doc_id": "000", "section": "三、主要任务"}]
    first = store.add(FeedbackRecord(1, "支撑型试点省的主要任务是什么？", "……[1]", cites, ["000"]))
    second = store.add(FeedbackRecord(-1, "问", "答", [], None))
    assert second == first + 1
    records = store.all()
    assert records[0] == FeedbackRecord(
        1, "支撑型试点省的主要任务是什么？", "……[1]", cites, ["000"], id=first, created=records[0].created
    )
    assert records[1].rating == -1 and records[1].doc_ids is None
    with sqlite3.connect(tmp_path / "nested" / "var" / "feedback.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM feedback").fetchone() == (2,)


def test_feedback_persists_across_instances(tmp_path: Path) -> None:
    FeedbackStore.in_dir(tmp_path).add(FeedbackRecord(1, "q", "a", [], None))
    assert len(FeedbackStore.in_dir(tmp_path).all()) == 1
