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


def _down(store: FeedbackStore, **extra: object) -> int:
    cites = [
        {
            "n": 1,
            "doc_id": "000",
            "title": "方案",
            "section": "二、试点任务 › （二）支撑型…主要任务",
            "start": 5,
            "end": 9,
        },
        {"n": 2, "doc_id": "003", "title": "意见", "section": "一、总体要求", "start": 1, "end": 4},
    ]
    return store.add(FeedbackRecord(-1, "主要任务有哪些？", "……[1][2]", cites, None, **extra))  # type: ignore[arg-type]


def test_eval_candidates_load_with_the_eval_loader(tmp_path: Path) -> None:
    import json

    from assistant.evaluation.questions import parse_questions
    from assistant.service.feedback import eval_candidate

    store = FeedbackStore.in_dir(tmp_path)
    _down(store, comment="漏了一条")
    history = [{"role": "user", "content": "强省方案"}, {"role": "assistant", "content": "……[1]"}]
    _down(store, history=history)
    store.add(FeedbackRecord(-1, "深圳呢？", "没有找到依据。", [], None, abstained=True))
    rows = [eval_candidate(r) for r in reversed(store.disliked())]
    [first, follow, refused] = parse_questions([json.dumps(r, ensure_ascii=False) for r in rows])
    assert first.doc == ("000", "003") and first.gold_sections == ("（二）支撑型…主要任务", "一、总体要求")
    assert first.key_facts == () and rows[0]["comment"] == "漏了一条" and rows[0]["answer"] == "……[1][2]"
    assert follow.category == "followup" and [m.content for m in follow.history] == ["强省方案", "……[1]"]
    assert not refused.answerable and refused.doc == () and rows[2]["abstained"] is True


def test_feedback_export_cli(tmp_path: Path, monkeypatch: object, capsys: object) -> None:
    import json

    import pytest

    from assistant.cli import main

    mp: pytest.MonkeyPatch = monkeypatch  # type: ignore[assignment]
    mp.setenv("POLICYQA_DATA_DIR", str(tmp_path))
    store = FeedbackStore.in_dir(tmp_path)
    store.add(FeedbackRecord(1, "好问题", "好答案", [], None))
    _down(store, comment="不全")
    out = tmp_path / "out" / "candidates.jsonl"
    assert main(["feedback", "export", "--format", "eval", "--out", str(out)]) == 0
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["question"] == "主要任务有哪些？" and row["comment"] == "不全" and row["id"].startswith("fb-")
    assert main(["feedback", "export", "--format", "json", "--all"]) == 0
    printed = capsys.readouterr().out.splitlines()  # type: ignore[attr-defined]
    assert [json.loads(line)["rating"] for line in printed] == ["up", "down"]
    assert main(["feedback", "export", "--all"]) == 2  # eval candidates come from thumbs-down only
