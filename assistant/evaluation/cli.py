"""`policyqa eval`: run the question set, write the report, apply the quality gate (exit 1 on a miss)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.evaluation import backends
from assistant.evaluation.gate import Thresholds, ThresholdsError, check_thresholds, lift, load_thresholds
from assistant.evaluation.questions import Question, QuestionsError, load_questions
from assistant.evaluation.report import fmt, write_report
from assistant.evaluation.runner import METRIC_KEYS, EvalReport
from assistant.evaluation.suite import EvalSet, SetResult, SuiteError, load_suite, select, summary_markdown

DEFAULT_OUT = Path("eval/out")
DEFAULT_SUITE = Path("eval/suite.toml")
DEFAULT_THRESHOLDS = Path("eval/thresholds.toml")
ACCEPTED = Path("eval/baseline.json")  # the committed metrics a run is compared against


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "eval",
        help="score the assistant on the eval suite (or one question set) and apply the quality gates",
        description="Run eval questions through the assistant and a naive LangChain baseline; write "
        "report.json/.md/.png per set and a side-by-side summary; exit 1 when a threshold is missed. "
        f"Without --questions every set of {DEFAULT_SUITE} runs, held-out sets first.",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder (default: %(default)s)")
    parser.add_argument("--suite", type=Path, default=DEFAULT_SUITE, help="suite file (default: %(default)s)")
    parser.add_argument(
        "--set", action="append", default=[], help="only this corpus or corpus/name; repeatable"
    )
    parser.add_argument("--questions", type=Path, help="score this JSONL only (instead of the suite)")
    parser.add_argument(
        "--corpus", type=Path, help="with --questions: the corpus folder (default: the configured)"
    )
    parser.add_argument(
        "--thresholds", type=Path, help=f"with --questions: the TOML gate (default: {DEFAULT_THRESHOLDS})"
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


def _sets(args: argparse.Namespace, settings: Settings) -> list[EvalSet]:
    from assistant.cli import CliError

    if args.questions is None:
        if args.corpus or args.thresholds:
            raise CliError("--corpus and --thresholds go with --questions")
        try:
            return select(load_suite(args.suite), args.set)
        except SuiteError as exc:
            raise CliError(str(exc)) from None
    docs = args.corpus or settings.corpus_dir
    name = args.questions.stem
    thresholds = args.thresholds or (DEFAULT_THRESHOLDS if args.corpus is None else None)
    return [EvalSet(docs.name or "corpus", name, docs, args.questions, thresholds, baseline=True)]


def _load_accepted(path: Path) -> dict[str, Any]:
    """The committed metrics per set label ({} when none are committed yet)."""
    from assistant.cli import CliError

    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read {path}: {exc}") from None
    sets = data.get("sets") if isinstance(data, dict) else None
    if not isinstance(sets, dict):
        raise CliError(f'{path}: expected {{"sets": {{label: {{"overall": {{metric: value}}}}}}}}')
    return sets


def open_corpus_engine(settings: Settings, eval_set: EvalSet, embedder: Any) -> Any:
    """An engine over the set's corpus with its index brought up to date (its own index folder, or
    Milvus collections, unless it is the configured corpus); `embedder` is shared by every corpus."""
    from assistant import indexing
    from assistant.engine import Engine

    configured = eval_set.docs.resolve() == settings.corpus_dir.resolve()
    index_dir = settings.index_dir if configured else settings.data_dir / "eval-index" / eval_set.corpus
    prefix = (
        settings.milvus_prefix if configured else f"{settings.milvus_prefix}_eval_{_slug(eval_set.corpus)}"
    )
    update = {"corpus_dir": eval_set.docs, "index_dir": index_dir, "milvus_prefix": prefix}
    scoped = settings.model_copy(update=update)
    report = indexing.rebuild(scoped, embedder).report
    for name, reason in report.errors:
        print(f"{eval_set.corpus}: skipped {name}: {reason}", file=sys.stderr)
    return Engine.open(scoped, embedder=embedder)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_") or "corpus"


class _Engines:
    """One engine per corpus and index backend, all sharing one embedding model."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engines: dict[tuple[Path, str], Any] = {}
        self._embedder: Any = None

    def for_set(self, eval_set: EvalSet, backend: str | None = None) -> Any:
        key = (eval_set.docs.resolve(), backend or self.settings.vector_store)
        if key not in self._engines:
            if self._embedder is None:
                self._embedder = _embedder(self.settings)
            settings = backends.for_backend(self.settings, key[1])
            self._engines[key] = open_corpus_engine(settings, eval_set, self._embedder)
        return self._engines[key]


def _embedder(settings: Settings) -> Any:
    from assistant.retrieval.embedder import SentenceTransformerEmbedder

    settings.profile()  # the profile's domain words shape the keyword index
    s = settings
    return SentenceTransformerEmbedder(
        s.embedding_model, s.embedding_device, s.embedding_batch_size, **s.embedder_options()
    )


def _run(engine: Any, questions: list[Question], with_baseline: bool, settings: Settings) -> EvalReport:
    from assistant.cli import CliError
    from assistant.evaluation.baseline import NaiveBaseline
    from assistant.evaluation.judge import make_judge
    from assistant.evaluation.runner import run_eval
    from assistant.retrieval.embedder import as_langchain

    try:
        judge = make_judge(settings)
    except OSError as exc:
        raise CliError(f"cannot set up the LLM judge: {exc}") from None
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


def _inputs(eval_set: EvalSet) -> tuple[list[Question], Thresholds]:
    from assistant.cli import CliError

    try:
        questions = load_questions(eval_set.questions)
        thresholds = load_thresholds(eval_set.thresholds) if eval_set.thresholds else {}
    except (QuestionsError, ThresholdsError) as exc:
        raise CliError(str(exc)) from None
    return questions, thresholds


def _run_set(
    eval_set: EvalSet,
    inputs: tuple[list[Question], Thresholds],
    engines: _Engines,
    args: argparse.Namespace,
    accepted: dict[str, Any],
) -> tuple[SetResult, EvalReport]:
    questions, thresholds = inputs
    with_baseline = eval_set.baseline and not args.no_baseline
    names = args.backend_names
    report = _run(engines.for_set(eval_set, names[0]), questions, with_baseline, engines.settings)
    out = args.out / eval_set.label.replace("/", "-")
    if len(names) > 1:
        others = {
            n: _run(engines.for_set(eval_set, n), questions, False, engines.settings) for n in names[1:]
        }
        print(backends.compare({names[0]: report, **others}, out))
    failures = check_thresholds(report.overall, report.baseline, thresholds)
    if not with_baseline and thresholds.get("lift"):
        failures = [f for f in failures if not f.startswith("lift ")]  # not measured in this run
    previous = (accepted.get(eval_set.label) or {}).get("overall")
    paths = write_report(out, report, thresholds, failures, previous)
    print(f"== {eval_set.label}{' (held out)' if eval_set.holdout else ''}: {len(questions)} questions")
    print(summary(report, failures))
    print("report: " + ", ".join(str(p) for p in paths))
    return SetResult(eval_set, len(questions), report.overall, report.baseline, failures), report


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli import CliError

    try:
        args.backend_names = backends.parse_backends(args.backends, settings.vector_store)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    sets = _sets(args, settings)
    inputs = [_inputs(s) for s in sets]  # every file is checked before anything runs
    accepted = _load_accepted(ACCEPTED)
    engines = _Engines(settings)
    results = [_run_set(s, i, engines, args, accepted)[0] for s, i in zip(sets, inputs, strict=True)]
    args.out.mkdir(parents=True, exist_ok=True)
    text = summary_markdown(results)
    (args.out / "report.md").write_text(text, encoding="utf-8")
    print("\n" + text)
    if args.accept:
        for r in results:
            accepted[r.eval_set.label] = {"overall": r.overall, "n_questions": r.n}
        payload = json.dumps({"sets": accepted}, ensure_ascii=False, indent=2) + "\n"
        ACCEPTED.write_text(payload, encoding="utf-8")
        print(f"accepted: metrics written to {ACCEPTED}")
    return 1 if any(r.failures for r in results) else 0
