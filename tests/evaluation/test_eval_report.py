from __future__ import annotations

import json
from pathlib import Path

from assistant.evaluation.gate import check_thresholds, parse_thresholds
from assistant.evaluation.plot import category_labels
from assistant.evaluation.questions import load_questions
from assistant.evaluation.report import regressions, render_markdown, write_report
from assistant.evaluation.runner import METRIC_KEYS, EvalReport, run_eval

from .fakes import BigramEmbeddings, scripted_engine
from .test_eval_baseline import DOCS
from .test_eval_runner import FIXTURE

THRESHOLDS = parse_thresholds(
    {"overall": {"hit@5": {"min": 0.9}}, "lift": {"citation_recall": {"min": -1.0}}}
)


def make_report(with_baseline: bool = True) -> EvalReport:
    from assistant.evaluation.baseline import NaiveBaseline

    engine = scripted_engine()
    baseline = NaiveBaseline(DOCS, BigramEmbeddings()) if with_baseline else None
    return run_eval(engine, load_questions(FIXTURE), baseline, clock=engine.clock)


def test_writes_json_markdown_and_png(tmp_path: Path) -> None:
    report = make_report()
    failures = check_thresholds(report.overall, report.baseline, THRESHOLDS)
    paths = write_report(tmp_path / "out", report, THRESHOLDS, failures, previous={"hit@5": 0.9})
    assert [p.name for p in paths] == ["report.json", "report.md", "report.png"]
    data = json.loads(paths[0].read_text(encoding="utf-8"))
    assert {"overall", "baseline", "lift", "by_category", "items"} <= set(data)
    assert list(data["overall"]) == list(METRIC_KEYS)
    assert data["lift"]["hit@5"] == data["overall"]["hit@5"] - data["baseline"]["hit@5"]
    assert data["gate"] == {"passed": False, "failures": ["hit@5 = 0.667 < min 0.900"]}
    assert data["regressions"] == ["hit@5: 0.900 → 0.667"]
    assert data["items"][1]["project"]["failures"][0] == "missing key fact: 行政管理体系"
    assert paths[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_markdown_tables(tmp_path: Path) -> None:
    report = make_report()
    failures = check_thresholds(report.overall, report.baseline, THRESHOLDS)
    text = render_markdown(report, THRESHOLDS, failures, ["hit@5: 0.900 → 0.667"])
    assert text.startswith("# policyqa eval — FAIL")
    assert "| metric | project | baseline | lift | threshold | pass |" in text
    assert "| hit@5 | 0.667 |" in text and "| ≥ 0.90 | ✗ |" in text
    assert "lift ≥ -1.00 | ✓ |" in text  # citation_recall row
    assert "| numeric | 1 |" in text
    assert "- `q3` (followup): false refusal" in text
    assert "- hit@5: 0.900 → 0.667" in text


def test_report_without_baseline(tmp_path: Path) -> None:
    report = make_report(with_baseline=False)
    paths = write_report(tmp_path, report, parse_thresholds({}), [])
    data = json.loads(paths[0].read_text(encoding="utf-8"))
    assert data["baseline"] is None and data["lift"] is None
    assert data["gate"]["passed"] is True
    assert "# policyqa eval — PASS" in paths[1].read_text(encoding="utf-8")
    assert paths[2].stat().st_size > 0


def test_regressions_respect_direction_and_tolerance() -> None:
    previous = {"hit@5": 0.80, "key_fact_recall": 0.70, "false_refusal_rate": 0.05, "latency_p95_ms": 100.0}
    now = {"hit@5": 0.79, "key_fact_recall": 0.60, "false_refusal_rate": 0.10, "latency_p95_ms": 900.0}
    assert regressions(now, previous) == [
        "key_fact_recall: 0.700 → 0.600",
        "false_refusal_rate: 0.050 → 0.100",
    ]
    assert regressions(now, {}) == []


def test_category_labels_fall_back_to_ascii() -> None:
    assert category_labels(["numeric", "数字"], cjk=False) == ["numeric", "c2"]
    assert category_labels(["numeric", "数字"], cjk=True) == ["numeric", "数字"]
