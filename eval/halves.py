"""Aggregate numbers of the tuned half and the unseen half of a development set.

Run from the repository root:  python eval/halves.py REPORT_DIR SET [SET ...]
(e.g. `python eval/halves.py eval/out policy-general-dev9 seeds-dev5` after `policyqa eval`).

The sets written with a tuned and an unseen half (see eval/README.md) are tuned on their even lines only;
their odd lines are read as aggregates, like a held-out set. A set whose lines alternate answerable and
trap (the ip-mixed sets) is halved by pairs of lines instead (lines 1–2, 5–6, … tuned; 3–4, 7–8, … unseen),
so both halves hold both kinds. This prints key-fact recall, refusal recall and false refusals per half and
never an item.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def halves(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(tuned half, unseen half): even and odd lines, or pairs of lines when lines alternate kinds."""
    even, odd = items[0::2], items[1::2]
    alternating = len({i["answerable"] for i in even}) == 1 and len({i["answerable"] for i in odd}) == 1
    if not alternating or len(items) < 4:
        return even, odd
    return [i for n, i in enumerate(items) if n // 2 % 2 == 0], [i for n, i in enumerate(items) if n // 2 % 2]


def half_metrics(items: list[dict[str, Any]]) -> tuple[float, float, float]:
    """(key-fact recall over answerable items, refusal recall over traps, false-refusal rate)."""
    answerable = [i for i in items if i["answerable"]]
    traps = [i for i in items if not i["answerable"]]

    def recall(item: dict[str, Any]) -> float:
        project = item["project"]
        return 0.0 if project["abstained"] else float(project["metrics"].get("key_fact_recall") or 0.0)

    kfr = sum(recall(i) for i in answerable) / max(1, len(answerable))
    refused = sum(i["project"]["abstained"] for i in traps) / max(1, len(traps))
    false = sum(i["project"]["abstained"] for i in answerable) / max(1, len(answerable))
    return kfr, refused, false


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(argv[0])
    for name in argv[1:]:
        path = root / name / "report.json"
        if not path.is_file():
            print(f"{path}: no report (run `policyqa eval --set …` first)", file=sys.stderr)
            return 1
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
        for label, part in zip(("tuned", "unseen"), halves(items), strict=True):
            kfr, refused, false = half_metrics(part)
            print(f"{name:30s} {label:6s} n={len(part):3d}  {kfr:.3f} / {refused:.3f} / {false:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
