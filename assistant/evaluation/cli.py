"""`policyqa eval`: run the question set, write the report, apply the quality gate (exit 1 on a miss)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.evaluation.gate import Thresholds, ThresholdsError, check_thresholds, lift, load_thresholds
from assistant.evaluation.questions import Question, QuestionsError, load_questions
from assistant.evaluation.report import fmt, write_report
from assistant.evaluation.runner import METRIC_KEYS, EvalReport

DEFAULT_OUT = Path("eval/out")
DEFAULT_QUESTIONS = Path("eval/questions.jsonl")
DEFAULT_THRESHOLDS = Path("eval/thresholds.toml")
ACCEPTED = Path("eval/baseline.json")  # the committed metrics a run is compared against


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "eval",
        help="score the assistant on the eval questions and apply the quality gate",
        description="Run eval questions through the assistant and a naive LangChain baseline; write "
        "report.json/.md/.png; exit 1 when a threshold is missed.",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder (default: %(default)s)")
    parser.add_argument(
        "--questions", type=Path, default=DEFAULT_QUESTIONS, help="JSONL (default: %(default)s)"
    )
    parser.add_argument(
        "--thresholds", type=Path, default=DEFAULT_THRESHOLDS, help="TOML gate (default: %(default)s)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive LangChain baseline")
    parser.add_argument("--accept", action="store_true", help=f"store this run's metrics in {ACCEPTED}")
    parser.add_argument(
        "--backends",
        metavar="LIST",
        help="index backends to score side by side, e.g. local,milvus (default: POLICYQA_VECTOR_STORE); "
        "the first one is gated",
    )
    parser.set_defaults(func=handle)


def _load_inputs(args: argparse.Namespace) -> tuple[list[Question], Thresholds, dict[str, Any] | None]:
    from assistant.cli import CliError

    try:
        return load_questions(args.questions), load_thresholds(args.thresholds), _load_accepted(ACCEPTED)
    except (QuestionsError, ThresholdsError) as exc:
        raise CliError(str(exc)) from None


def _load_accepted(path: Path) -> dict[str, Any] | None:
    """The committed metrics, or None when none are committed yet."""
    from assistant.cli import CliError

    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read {path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("overall"), dict):
        raise CliError(f'{path}: expected {{"overall": {{metric: value, …}}}}')
    overall: dict[str, Any] = data["overall"]
    return overall


def _run(settings: Settings, questions: list[Question], with_baseline: bool) -> EvalReport:
    from assistant.cli import CliError
    from assistant.engine import Engine
    from assistant.evaluation.baseline import NaiveBaseline
    from assistant.evaluation.judge import make_judge
    from assistant.evaluation.runner import run_eval
    from assistant.retrieval.embedder import as_langchain

    try:
        judge = make_judge(settings)
    except OSError as exc:
        raise CliError(f"cannot set up the LLM judge: {exc}") from None
    engine = Engine.open(settings)
    baseline = (
        NaiveBaseline(engine.parsed_documents(), as_langchain(engine.embedder)) if with_baseline else None
    )
    return run_eval(engine, questions, baseline, judge=judge)


def summary(report: EvalReport, failures: list[str]) -> str:
    base = report.baseline or {}
    lifts = lift(report.overall, base)
    lines = [f"{'metric':<20} {'project':>9} {'baseline':>9} {'lift':>9}"]
    for key in METRIC_KEYS:
        cells = fmt(key, report.overall.get(key)), fmt(key, base.get(key)), fmt(key, lifts.get(key), True)
        lines.append(f"{key:<20} {cells[0]:>9} {cells[1]:>9} {cells[2]:>9}")
    lines.append("gate: PASS" if not failures else "gate: FAIL")
    lines += [f"  missed: {f}" for f in failures]
    return "\n".join(lines)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli import CliError
    from assistant.evaluation import backends

    questions, thresholds, accepted = _load_inputs(args)
    try:
        names = backends.parse_backends(args.backends, settings.vector_store)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    report = _run(backends.for_backend(settings, names[0]), questions, with_baseline=not args.no_baseline)
    if len(names) > 1:
        others = {n: _run(backends.for_backend(settings, n), questions, False) for n in names[1:]}
        print(backends.compare({names[0]: report, **others}, args.out))
    failures = check_thresholds(report.overall, report.baseline, thresholds)
    paths = write_report(args.out, report, thresholds, failures, accepted)
    print(summary(report, failures))
    if args.no_baseline and thresholds.get("lift"):
        print("note: lift thresholds not checked (--no-baseline)")
    print("report: " + ", ".join(str(p) for p in paths))
    if args.accept:
        ACCEPTED.parent.mkdir(parents=True, exist_ok=True)
        payload = {"overall": report.overall, "n_questions": len(report.items)}
        ACCEPTED.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"accepted: metrics written to {ACCEPTED}")
    return 1 if failures else 0
