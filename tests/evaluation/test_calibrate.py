"""Fitting the abstention thresholds (pure) and the `policyqa calibrate` command's input errors."""

from __future__ import annotations

import pytest

from assistant.answering.abstain import Thresholds, fit_thresholds
from assistant.cli import main


def test_fit_refuses_the_off_topic_cluster_and_no_answerable_question() -> None:
    # answerable: high cosine or good coverage; off-topic: low cosine and low coverage
    samples = [
        (0.80, 0.10, True),
        (0.66, 0.90, True),
        (0.76, 0.00, True),
        (0.70, 0.10, False),
        (0.72, 0.20, False),
        (0.90, 0.00, False),  # looks relevant: no threshold may refuse it without refusing (0.76, 0)
    ]
    fitted, recall, false_rate = fit_thresholds(samples, max_false_refusal=0.0)
    # the lowest pair refusing both clustered questions: dense above 0.72, coverage above 0.20
    assert fitted == Thresholds(min_dense=0.73, min_coverage=0.25)
    assert recall == pytest.approx(2 / 3)
    assert false_rate == 0.0


def test_fit_trades_recall_for_the_allowed_false_refusals() -> None:
    samples = [(0.70, 0.0, True), (0.90, 0.9, True), (0.71, 0.0, False), (0.72, 0.0, False)]
    strict, strict_recall, _ = fit_thresholds(samples, max_false_refusal=0.0)
    loose, loose_recall, loose_false = fit_thresholds(samples, max_false_refusal=0.5)
    assert strict_recall == 0.0 and strict == Thresholds(0.30, 0.0)
    assert loose_recall == 1.0 and loose_false == 0.5
    assert loose.min_dense == 0.73


def test_calibrate_rejects_a_bad_false_refusal_rate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", "--max-false-refusal", "1.5"]) == 2
    assert "--max-false-refusal" in capsys.readouterr().err
