from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation.gate import (
    ThresholdsError,
    check_thresholds,
    load_thresholds,
    parse_thresholds,
    threshold_text,
)

REPO_THRESHOLDS = Path(__file__).resolve().parents[2] / "eval" / "thresholds.toml"
THRESHOLDS = parse_thresholds(
    {
        "overall": {"hit@5": {"min": 0.8}, "false_refusal_rate": {"max": 0.1}},
        "lift": {"key_fact_recall": {"min": 0.05}},
    }
)


def test_passing_run_has_no_failures() -> None:
    overall = {"hit@5": 0.9, "false_refusal_rate": 0.05, "key_fact_recall": 0.7}
    assert check_thresholds(overall, {"key_fact_recall": 0.6}, THRESHOLDS) == []


def test_min_max_and_lift_misses_are_named() -> None:
    overall = {"hit@5": 0.7, "false_refusal_rate": 0.2, "key_fact_recall": 0.62}
    failures = check_thresholds(overall, {"key_fact_recall": 0.6}, THRESHOLDS)
    assert failures == [
        "hit@5 = 0.700 < min 0.800",
        "false_refusal_rate = 0.200 > max 0.100",
        "lift key_fact_recall = 0.020 < min 0.050",
    ]


def test_lift_skipped_without_baseline_but_missing_value_fails() -> None:
    overall = {"hit@5": 0.9, "false_refusal_rate": None, "key_fact_recall": 0.0}
    failures = check_thresholds(overall, None, THRESHOLDS)
    assert failures == ["false_refusal_rate: no value (no questions to compute it on)"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"overall": {"hit@50": {"min": 1}}}, "unknown metric"),
        ({"overall": {"hit@5": {"least": 1}}}, "expected"),
        ({"overall": {"hit@5": 0.8}}, "expected"),
        ({"overall": {"hit@5": {"min": "high"}}}, "bounds must be numbers"),
        ({"overall": {"hit@5": {"min": True}}}, "bounds must be numbers"),
        ({"metrics": {}}, "unknown table"),
        ({"lift": 3}, "must be a table"),
    ],
)
def test_bad_thresholds(data: dict[str, object], message: str) -> None:
    with pytest.raises(ThresholdsError, match=message):
        parse_thresholds(data)


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "t.toml"
    bad.write_text("[overall\n", encoding="utf-8")
    with pytest.raises(ThresholdsError, match=r"t.toml: invalid TOML"):
        load_thresholds(bad)
    bad.write_text('[overall]\n"hit@5" = { min = "x" }\n', encoding="utf-8")
    with pytest.raises(ThresholdsError, match=r"t.toml: \[overall\] hit@5: bounds must be numbers"):
        load_thresholds(bad)
    with pytest.raises(ThresholdsError, match="cannot read"):
        load_thresholds(tmp_path / "none.toml")


def test_committed_thresholds_parse() -> None:
    thresholds = load_thresholds(REPO_THRESHOLDS)
    assert thresholds["overall"]["hit@5"]["min"] > 0
    assert "false_refusal_rate" in thresholds["overall"]


def test_threshold_text() -> None:
    assert threshold_text({"min": 0.8}) == "≥ 0.80"
    assert threshold_text({"max": 0.1}) == "≤ 0.10"
    assert threshold_text({"min": 0.2, "max": 0.9}) == "0.20–0.90"
    assert threshold_text({"max": 5000}) == "≤ 5000"
    assert threshold_text(None) == ""
