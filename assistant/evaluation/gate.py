"""The quality gate: metric thresholds from eval/thresholds.toml, checked against a run.

File format (every table and bound optional)::

    [overall]                      # the project's own metrics
    "hit@5" = { min = 0.8 }
    false_refusal_rate = { max = 0.1 }

    [lift]                         # project minus naive baseline
    key_fact_recall = { min = 0.05 }
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from assistant.evaluation.runner import METRIC_KEYS

Bounds = dict[str, float]  # "min" and/or "max"
Thresholds = dict[str, dict[str, Bounds]]  # table ("overall" | "lift") → metric → bounds
TABLES = ("overall", "lift")
_BOUND_NAMES = ("min", "max")


class ThresholdsError(ValueError):
    """The thresholds file is malformed; the message says where."""


def _bounds(table: str, metric: str, value: Any) -> Bounds:
    where = f"[{table}] {metric}"
    if metric not in METRIC_KEYS:
        raise ThresholdsError(f"{where}: unknown metric (known: {', '.join(METRIC_KEYS)})")
    if not isinstance(value, dict) or not value or set(value) - set(_BOUND_NAMES):
        raise ThresholdsError(f"{where}: expected {{ min = … }} and/or {{ max = … }}")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()):
        raise ThresholdsError(f"{where}: bounds must be numbers")
    return {k: float(v) for k, v in value.items()}


def parse_thresholds(data: Mapping[str, Any]) -> Thresholds:
    unknown = set(data) - set(TABLES)
    if unknown:
        raise ThresholdsError(f"unknown table(s) {sorted(unknown)}; expected [overall] and/or [lift]")
    parsed: Thresholds = {}
    for table in TABLES:
        entries = data.get(table, {})
        if not isinstance(entries, dict):
            raise ThresholdsError(f"[{table}] must be a table")
        parsed[table] = {metric: _bounds(table, metric, value) for metric, value in entries.items()}
    return parsed


def load_thresholds(path: Path) -> Thresholds:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ThresholdsError(f"cannot read {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ThresholdsError(f"{path}: invalid TOML ({exc})") from None
    try:
        return parse_thresholds(data)
    except ThresholdsError as exc:
        raise ThresholdsError(f"{path}: {exc}") from None


def _violations(label: str, value: float | None, bounds: Bounds) -> list[str]:
    if value is None:
        return [f"{label}: no value (no questions to compute it on)"]
    found = []
    if "min" in bounds and value < bounds["min"]:
        found.append(f"{label} = {value:.3f} < min {bounds['min']:.3f}")
    if "max" in bounds and value > bounds["max"]:
        found.append(f"{label} = {value:.3f} > max {bounds['max']:.3f}")
    return found


def lift(
    overall: Mapping[str, float | None], baseline: Mapping[str, float | None]
) -> dict[str, float | None]:
    """Project minus baseline for every metric both define."""
    out: dict[str, float | None] = {}
    for key in METRIC_KEYS:
        a, b = overall.get(key), baseline.get(key)
        out[key] = None if a is None or b is None else a - b
    return out


def check_thresholds(
    overall: Mapping[str, float | None], baseline: Mapping[str, float | None] | None, thresholds: Thresholds
) -> list[str]:
    """Every missed threshold as a readable line; lift bounds are skipped when there is no baseline."""
    failures: list[str] = []
    for metric, bounds in thresholds.get("overall", {}).items():
        failures += _violations(metric, overall.get(metric), bounds)
    if baseline is not None:
        lifts = lift(overall, baseline)
        for metric, bounds in thresholds.get("lift", {}).items():
            failures += _violations(f"lift {metric}", lifts.get(metric), bounds)
    return failures


def _num(value: float) -> str:
    return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"


def threshold_text(bounds: Bounds | None) -> str:
    """'≥ 0.80', '≤ 5000', '0.20–0.90' or '' for a report table."""
    if not bounds:
        return ""
    if "min" in bounds and "max" in bounds:
        return f"{_num(bounds['min'])}–{_num(bounds['max'])}"
    return f"≥ {_num(bounds['min'])}" if "min" in bounds else f"≤ {_num(bounds['max'])}"
