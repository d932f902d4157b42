"""The eval suite: every corpus with its question sets and gates (eval/suite.toml), parsed (pure) and
summarised side by side (pure). Running a set is the CLI's job.

File format::

    [[sets]]
    corpus = "ip-general"                       # a name; sets of one corpus share its index
    name = "holdout"                            # dev | holdout | …
    docs = "eval/corpora/ip-general/docs"       # the corpus folder
    questions = "eval/corpora/ip-general/holdout.jsonl"
    thresholds = "eval/corpora/ip-general/thresholds-holdout.toml"
    holdout = true                              # never used for tuning: reported first
    baseline = false                            # also score the naive LangChain pipeline
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.evaluation.report import fmt

SUMMARY_KEYS = (
    "hit@5",
    "mrr@10",
    "key_fact_recall",
    "citation_precision",
    "citation_recall",
    "refusal_recall",
    "false_refusal_rate",
)


class SuiteError(ValueError):
    """The suite file is malformed; the message says where."""


@dataclass(frozen=True)
class EvalSet:
    corpus: str
    name: str
    docs: Path
    questions: Path
    thresholds: Path | None = None
    holdout: bool = False
    baseline: bool = False

    @property
    def label(self) -> str:
        return f"{self.corpus}/{self.name}"


def _path(entry: Mapping[str, Any], key: str, where: str, root: Path) -> Path:
    value = entry.get(key)
    if not isinstance(value, str) or not value:
        raise SuiteError(f"{where}: '{key}' must be a non-empty path")
    return root / value


def parse_suite(data: Mapping[str, Any], root: Path = Path()) -> list[EvalSet]:
    entries = data.get("sets")
    if not isinstance(entries, list) or not entries:
        raise SuiteError("expected one or more [[sets]] tables")
    sets: list[EvalSet] = []
    for i, entry in enumerate(entries, start=1):
        where = f"[[sets]] #{i}"
        if not isinstance(entry, dict):
            raise SuiteError(f"{where}: expected a table")
        corpus, name = entry.get("corpus"), entry.get("name", "dev")
        if not isinstance(corpus, str) or not corpus or not isinstance(name, str) or not name:
            raise SuiteError(f"{where}: 'corpus' and 'name' must be non-empty strings")
        thresholds = _path(entry, "thresholds", where, root) if "thresholds" in entry else None
        flags = {k: entry.get(k, False) for k in ("holdout", "baseline")}
        if not all(isinstance(v, bool) for v in flags.values()):
            raise SuiteError(f"{where}: 'holdout' and 'baseline' must be true or false")
        sets.append(
            EvalSet(
                corpus,
                name,
                _path(entry, "docs", where, root),
                _path(entry, "questions", where, root),
                thresholds,
                **flags,
            )
        )
    labels = [s.label for s in sets]
    if len(set(labels)) != len(labels):
        raise SuiteError("two sets share a corpus/name label")
    return sorted(sets, key=lambda s: (not s.holdout, labels.index(s.label)))


def load_suite(path: Path) -> list[EvalSet]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SuiteError(f"{path}: cannot read the eval suite: {exc}") from None
    try:
        return parse_suite(data)
    except SuiteError as exc:
        raise SuiteError(f"{path}: {exc}") from None


def select(sets: Sequence[EvalSet], wanted: Sequence[str]) -> list[EvalSet]:
    """Sets whose label or corpus is in `wanted` (all when it is empty)."""
    if not wanted:
        return list(sets)
    chosen = [s for s in sets if s.label in wanted or s.corpus in wanted]
    unknown = [w for w in wanted if not any(w in (s.label, s.corpus) for s in sets)]
    if unknown:
        raise SuiteError(f"unknown set(s) {unknown}; known: {', '.join(s.label for s in sets)}")
    return chosen


@dataclass(frozen=True)
class SetResult:
    eval_set: EvalSet
    n: int
    overall: Mapping[str, float | None]
    baseline: Mapping[str, float | None] | None
    failures: Sequence[str]


def summary_markdown(results: Sequence[SetResult]) -> str:
    """Every set side by side, held-out sets first; the naive baseline's key-fact recall beside."""
    header = ["set", "n", *SUMMARY_KEYS, "baseline key_fact_recall", "gate"]
    lines = [
        "# policyqa eval suite",
        "",
        "Held-out sets (never used for tuning) come first.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for r in results:
        label = r.eval_set.label + (" (held out)" if r.eval_set.holdout else "")
        cells = [fmt(k, r.overall.get(k)) for k in SUMMARY_KEYS]
        base = fmt("x", (r.baseline or {}).get("key_fact_recall"))
        gate = "–" if r.eval_set.thresholds is None else ("PASS" if not r.failures else "FAIL")
        lines.append("| " + " | ".join([label, str(r.n), *cells, base, gate]) + " |")
    failed = [(r.eval_set.label, f) for r in results for f in r.failures]
    lines += ["", *([f"- {label}: {f}" for label, f in failed] or ["All gates met."]), ""]
    return "\n".join(lines)
