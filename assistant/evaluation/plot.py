"""report.png: project vs baseline per metric, and key-fact recall per category (matplotlib, Agg).

Uses a Noto Sans CJK font when one is installed; otherwise labels stay ASCII so a missing font
never fails the run or draws empty boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from assistant.evaluation.runner import METRIC_KEYS, EvalReport

CJK_FAMILY = "Noto Sans CJK"
RATE_KEYS = tuple(k for k in METRIC_KEYS if not k.startswith("latency"))
_WIDTH = 0.4


def find_cjk_font() -> str | None:
    """The family name of an installed Noto CJK font, registering it if matplotlib's cache predates it."""
    names = sorted({f.name for f in font_manager.fontManager.ttflist if CJK_FAMILY in f.name})
    if not names:
        for path in font_manager.findSystemFonts():
            if "NotoSansCJK" in Path(path).name:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = sorted({f.name for f in font_manager.fontManager.ttflist if CJK_FAMILY in f.name})
    preferred = [n for n in names if n.endswith("SC")]
    choices = preferred or names
    return choices[0] if choices else None


def category_labels(categories: Sequence[str], cjk: bool) -> list[str]:
    """Category names as given, or `c1`, `c2`, … for non-ASCII names when no CJK font is available."""
    return [c if cjk or c.isascii() else f"c{i}" for i, c in enumerate(categories, start=1)]


def _bars(
    ax: Axes, labels: Sequence[str], project: Sequence[float], baseline: Sequence[float] | None
) -> None:
    xs = list(range(len(labels)))
    ax.bar([x - _WIDTH / 2 for x in xs], project, _WIDTH, label="project")
    if baseline is not None:
        ax.bar([x + _WIDTH / 2 for x in xs], baseline, _WIDTH, label="baseline")
    ax.set_xticks(xs)
    ax.set_xticklabels(labels, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.legend()


def plot_report(report: EvalReport, path: Path) -> None:
    font = find_cjk_font()
    fig = Figure(figsize=(12, 5), layout="constrained")
    FigureCanvasAgg(fig)
    metric_ax, category_ax = fig.subplots(1, 2)
    base = report.baseline
    _bars(
        metric_ax,
        list(RATE_KEYS),
        [report.overall.get(k) or 0.0 for k in RATE_KEYS],
        [base.get(k) or 0.0 for k in RATE_KEYS] if base is not None else None,
    )
    metric_ax.set_title("metrics: project vs baseline")
    categories = list(report.by_category)
    base_cats = report.baseline_by_category
    _bars(
        category_ax,
        category_labels(categories, font is not None),
        [report.by_category[c].get("key_fact_recall") or 0.0 for c in categories],
        [(base_cats.get(c, {}).get("key_fact_recall") or 0.0) for c in categories]
        if base_cats is not None
        else None,
    )
    category_ax.set_title("key_fact_recall by category")
    if font:
        for label in category_ax.get_xticklabels():
            label.set_fontfamily(font)
    fig.savefig(path, dpi=100)
