"""Write an eval run as report.json, report.md and report.png (rendering is pure; writing at the edge)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from assistant.evaluation.gate import Thresholds, lift, threshold_text
from assistant.evaluation.runner import METRIC_KEYS, EvalReport

REGRESSION_TOLERANCE = 0.02
LOWER_IS_BETTER = frozenset({"false_refusal_rate", "latency_p50_ms", "latency_p95_ms"})
# Latency depends on the machine, so it is not compared with the committed run.
NOT_COMPARED = frozenset({"latency_p50_ms", "latency_p95_ms"})

MetricMap = Mapping[str, float | None]


def regressions(
    overall: MetricMap, previous: MetricMap, tolerance: float = REGRESSION_TOLERANCE
) -> list[str]:
    """Metrics that got worse than the committed run by more than `tolerance`."""
    found = []
    for key in METRIC_KEYS:
        now, before = overall.get(key), previous.get(key)
        if key in NOT_COMPARED or now is None or not isinstance(before, int | float):
            continue
        worse = now - before if key in LOWER_IS_BETTER else before - now
        if worse > tolerance:
            found.append(f"{key}: {before:.3f} → {now:.3f}")
    return found


def report_dict(
    report: EvalReport, gate_failures: Sequence[str], regressed: Sequence[str] = ()
) -> dict[str, Any]:
    return {
        "overall": report.overall,
        "baseline": report.baseline,
        "lift": lift(report.overall, report.baseline) if report.baseline is not None else None,
        "by_category": report.by_category,
        "baseline_by_category": report.baseline_by_category,
        "judge_faithfulness": report.judge_faithfulness,
        "gate": {"passed": not gate_failures, "failures": list(gate_failures)},
        "regressions": list(regressed),
        "items": [item.to_dict() for item in report.items],
    }


def fmt(key: str, value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    if key.startswith("latency"):
        return f"{value:+.0f}" if signed else f"{value:.0f}"
    return f"{value:+.3f}" if signed else f"{value:.3f}"


def _metric_row(key: str, report: EvalReport, thresholds: Thresholds, failures: Sequence[str]) -> str:
    base = report.baseline or {}
    lifts = lift(report.overall, base)
    wanted = [threshold_text(thresholds.get("overall", {}).get(key))]
    if key in thresholds.get("lift", {}):
        wanted.append("lift " + threshold_text(thresholds["lift"][key]))
    checked = any(wanted)
    missed = any(f.startswith((f"{key} ", f"{key}:", f"lift {key} ", f"lift {key}:")) for f in failures)
    verdict = ("✗" if missed else "✓") if checked else ""
    cells = [key, fmt(key, report.overall.get(key)), fmt(key, base.get(key)), fmt(key, lifts.get(key), True)]
    return "| " + " | ".join([*cells, "; ".join(w for w in wanted if w), verdict]) + " |"


def _category_table(report: EvalReport) -> list[str]:
    keys = ("hit@5", "key_fact_recall", "citation_recall", "false_refusal_rate", "refusal_recall")
    lines = [
        "| category | n | " + " | ".join(keys) + " | baseline key_fact_recall |",
        "|" + "---|" * (len(keys) + 3),
    ]
    for category, scores in report.by_category.items():
        base = (report.baseline_by_category or {}).get(category, {})
        cells = [fmt(k, scores.get(k)) for k in keys]
        n = f"{scores.get('n', 0):.0f}"
        lines.append(
            f"| {category} | {n} | " + " | ".join(cells) + f" | {fmt('x', base.get('key_fact_recall'))} |"
        )
    return lines


def render_markdown(
    report: EvalReport, thresholds: Thresholds, gate_failures: Sequence[str], regressed: Sequence[str] = ()
) -> str:
    status = "PASS" if not gate_failures else "FAIL"
    lines = [f"# policyqa eval — {status}", "", f"{len(report.items)} questions.", ""]
    lines += ["| metric | project | baseline | lift | threshold | pass |", "|---|---|---|---|---|---|"]
    lines += [_metric_row(k, report, thresholds, gate_failures) for k in METRIC_KEYS]
    if report.judge_faithfulness is not None:
        lines += ["", f"LLM-judged faithfulness: {report.judge_faithfulness:.3f}"]
    lines += [
        "",
        "Citation metrics are over answerable questions that were answered; refusals count in "
        "false_refusal_rate.",
        "",
    ]
    lines += ["## Gate", "", *([f"- {f}" for f in gate_failures] or ["All thresholds met."]), ""]
    lines += ["## By category", "", *_category_table(report), ""]
    lines += ["## Regressions vs eval/baseline.json", "", *([f"- {r}" for r in regressed] or ["None."]), ""]
    lines += ["## Failures", ""]
    failing = [it for it in report.items if it.project.failures]
    lines += [
        f"- `{it.question.id}` ({it.question.category}): " + "; ".join(it.project.failures) for it in failing
    ]
    return "\n".join(lines if failing else [*lines, "None."]) + "\n"


def write_report(
    out_dir: Path,
    report: EvalReport,
    thresholds: Thresholds,
    gate_failures: Sequence[str],
    previous: MetricMap | None = None,
) -> list[Path]:
    """Write report.json, report.md and report.png into `out_dir`; returns the paths written."""
    from assistant.evaluation.plot import plot_report

    out_dir.mkdir(parents=True, exist_ok=True)
    regressed = regressions(report.overall, previous) if previous else []
    json_path, md_path, png_path = out_dir / "report.json", out_dir / "report.md", out_dir / "report.png"
    data = report_dict(report, gate_failures, regressed)
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(report, thresholds, gate_failures, regressed), encoding="utf-8")
    plot_report(report, png_path)
    return [json_path, md_path, png_path]
