"""The eval suite file (assistant/evaluation/suite.py): parsing, selection and the side-by-side summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation.suite import EvalSet, SetResult, SuiteError, parse_suite, select, summary_markdown


def _set(corpus: str, name: str, **extra: object) -> dict[str, object]:
    return {
        "corpus": corpus,
        "name": name,
        "docs": f"{corpus}/docs",
        "questions": f"{corpus}/{name}.jsonl",
        **extra,
    }


def test_sets_are_parsed_held_out_first_in_file_order() -> None:
    data = {"sets": [_set("a", "dev", baseline=True), _set("a", "holdout", holdout=True), _set("b", "dev")]}
    sets = parse_suite(data, Path("/root"))
    assert [s.label for s in sets] == ["a/holdout", "a/dev", "b/dev"]
    assert sets[1] == EvalSet("a", "dev", Path("/root/a/docs"), Path("/root/a/dev.jsonl"), None, False, True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "one or more"),
        ({"sets": [{"name": "dev"}]}, "'corpus' and 'name'"),
        ({"sets": [_set("a", "dev", docs="")]}, "'docs' must be"),
        ({"sets": [_set("a", "dev", holdout="yes")]}, "true or false"),
        ({"sets": [_set("a", "dev"), _set("a", "dev")]}, "share"),
    ],
)
def test_malformed_suites_say_where(data: dict[str, object], message: str) -> None:
    with pytest.raises(SuiteError, match=message):
        parse_suite(data)


def test_select_by_corpus_or_label() -> None:
    sets = parse_suite({"sets": [_set("a", "dev"), _set("a", "holdout"), _set("b", "dev")]})
    assert [s.label for s in select(sets, ["a"])] == ["a/dev", "a/holdout"]
    assert [s.label for s in select(sets, ["b/dev"])] == ["b/dev"]
    assert select(sets, []) == sets
    with pytest.raises(SuiteError, match="unknown set"):
        select(sets, ["c"])


def test_summary_puts_sets_side_by_side_with_the_baseline() -> None:
    held = EvalSet("a", "holdout", Path("d"), Path("q"), Path("t"), holdout=True)
    dev = EvalSet("a", "dev", Path("d"), Path("q"), None, baseline=True)
    text = summary_markdown(
        [
            SetResult(held, 10, {"key_fact_recall": 0.8}, None, ["key_fact_recall = 0.800 < min 0.850"]),
            SetResult(dev, 20, {"key_fact_recall": 0.9}, {"key_fact_recall": 0.5}, []),
        ]
    )
    assert "| a/holdout (held out) | 10 | – | – | 0.800 |" in text
    assert text.rstrip().endswith("- a/holdout: key_fact_recall = 0.800 < min 0.850")
    assert "| 0.500 | – |" in text  # the dev set's baseline, and no gate configured
