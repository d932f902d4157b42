"""`policyqa eval --backends local,milvus`: the same questions against each index backend in one run.

The first backend's run is the report and the gate; the others are scored alongside, and the table
says how far each metric moved (answers on Milvus should equal the local index's).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.evaluation.report import fmt
from assistant.evaluation.runner import METRIC_KEYS, EvalReport

BACKEND_NAMES = ("local", "milvus")


def parse_backends(text: str | None, default: str) -> list[str]:
    """`local,milvus` → ["local", "milvus"]; raises ValueError naming an unknown backend."""
    names = [n.strip() for n in (text or default).split(",") if n.strip()]
    unknown = [n for n in names if n not in BACKEND_NAMES]
    if unknown or not names:
        raise ValueError(
            f"unknown backend {', '.join(unknown) or '(none)'}; choose from {', '.join(BACKEND_NAMES)}"
        )
    return list(dict.fromkeys(names))


def for_backend(settings: Settings, name: str) -> Settings:
    return settings.model_copy(update={"vector_store": name})


def compare(reports: dict[str, EvalReport], out: Path) -> str:
    """Write backends.json/.md under `out` and return the markdown table."""
    names = list(reports)
    first = reports[names[0]].overall
    rows = [f"| metric | {' | '.join(names)} | largest difference |", "|---" * (len(names) + 2) + "|"]
    data: dict[str, Any] = {n: r.overall for n, r in reports.items()}
    for key in METRIC_KEYS:
        values = [reports[n].overall.get(key) for n in names]
        ref = first.get(key)
        diffs = [abs(v - ref) for v in values if v is not None and ref is not None]
        cells = " | ".join(fmt(key, v) for v in values)
        rows.append(f"| {key} | {cells} | {fmt(key, max(diffs) if diffs else None)} |")
    differing = different_answers(reports)
    data["different_answers"] = differing
    table = "\n".join(rows) + f"\n\nanswers that differ from {names[0]}'s: {len(differing)}"
    out.mkdir(parents=True, exist_ok=True)
    (out / "backends.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (out / "backends.md").write_text(f"# Eval per index backend\n\n{table}\n", encoding="utf-8")
    return table


def different_answers(reports: dict[str, EvalReport]) -> list[str]:
    """Question ids whose answer text differs from the first backend's."""
    names = list(reports)
    first = {i.question.id: i.project.answer.answer for i in reports[names[0]].items}
    return sorted(
        {
            i.question.id
            for n in names[1:]
            for i in reports[n].items
            if first.get(i.question.id) != i.project.answer.answer
        }
    )
