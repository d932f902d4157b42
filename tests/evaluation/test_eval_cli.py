from __future__ import annotations

import argparse
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from assistant.cli import CliError
from assistant.config import Settings
from assistant.evaluation import cli
from assistant.models import DocumentMeta

from .fakes import BigramEmbeddings, FakeEngine, scripted_engine
from .test_eval_baseline import DOCS
from .test_eval_runner import FIXTURE

LENIENT = '[overall]\n"hit@5" = { min = 0.5 }\n[lift]\nrefusal_recall = { min = 0.0 }\n'
STRICT = '[overall]\n"hit@5" = { min = 0.9 }\nfalse_refusal_rate = { max = 0.1 }\n'


@dataclass
class FakeEmbedder:
    """The slice of assistant.retrieval.embedder.Embedder that `as_langchain` uses."""

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(BigramEmbeddings().embed_documents(texts), dtype=np.float32)


class EngineWithDocs(FakeEngine):
    embedder = FakeEmbedder()

    def parsed_documents(self) -> list[tuple[DocumentMeta, str]]:
        return list(DOCS)


SUITE = """
[[sets]]
corpus = "fixture"
name = "dev"
docs = "corpus"
questions = "eval/questions.jsonl"
thresholds = "eval/thresholds.toml"
baseline = true
"""
HOLDOUT = """
[[sets]]
corpus = "fixture"
name = "holdout"
docs = "corpus"
questions = "eval/holdout.jsonl"
holdout = true
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with the fixture questions in a one-set suite; every corpus gets the scripted
    engine instead of a real index."""
    (tmp_path / "eval").mkdir()
    (tmp_path / "corpus").mkdir()
    shutil.copy(FIXTURE, tmp_path / "eval" / "questions.jsonl")
    (tmp_path / "eval" / "thresholds.toml").write_text(LENIENT, encoding="utf-8")
    (tmp_path / "eval" / "suite.toml").write_text(SUITE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    opened: list[str] = []

    def open_engine(settings: Settings, eval_set: cli.EvalSet, embedder: object) -> EngineWithDocs:
        opened.append(eval_set.label)
        return EngineWithDocs(scripted_engine().script)

    monkeypatch.setattr(cli, "open_corpus_engine", open_engine)
    monkeypatch.setattr(cli, "_embedder", lambda settings: object())
    monkeypatch.setattr(cli, "OPENED", opened, raising=False)
    return tmp_path


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["eval", *argv])
    settings = Settings(judge_base_url=None, judge_model=None)
    code: int = args.func(args, settings)
    return code


def test_passing_run_writes_report_and_summary(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run() == 0
    out = capsys.readouterr().out
    assert "gate: PASS" in out
    assert "hit@5" in out and "0.667" in out
    data = json.loads((workdir / "eval" / "out" / "fixture-dev" / "report.json").read_text(encoding="utf-8"))
    assert data["baseline"] is not None
    assert (workdir / "eval" / "out" / "fixture-dev" / "report.png").exists()
    summary = (workdir / "eval" / "out" / "report.md").read_text(encoding="utf-8")
    assert "| fixture/dev | 5 | 0.667 |" in summary
    assert not (workdir / "eval" / "baseline.json").exists()


def test_held_out_sets_run_and_are_reported_first(workdir: Path) -> None:
    shutil.copy(FIXTURE, workdir / "eval" / "holdout.jsonl")
    (workdir / "eval" / "suite.toml").write_text(SUITE + HOLDOUT, encoding="utf-8")
    assert run("--no-baseline") == 0
    assert cli.OPENED == ["fixture/holdout"]  # type: ignore[attr-defined]  # one engine per corpus
    summary = (workdir / "eval" / "out" / "report.md").read_text(encoding="utf-8")
    assert summary.index("fixture/holdout (held out)") < summary.index("fixture/dev")


def test_set_option_runs_only_the_named_sets(workdir: Path) -> None:
    shutil.copy(FIXTURE, workdir / "eval" / "holdout.jsonl")
    (workdir / "eval" / "suite.toml").write_text(SUITE + HOLDOUT, encoding="utf-8")
    assert run("--no-baseline", "--set", "fixture/dev") == 0
    assert not (workdir / "eval" / "out" / "fixture-holdout").exists()
    with pytest.raises(CliError, match="unknown set"):
        run("--set", "nope")


def test_questions_option_scores_one_file_against_a_corpus(workdir: Path) -> None:
    strict = workdir / "strict.toml"
    strict.write_text(STRICT, encoding="utf-8")
    assert run("--questions", "eval/questions.jsonl", "--corpus", "corpus", "--thresholds", str(strict)) == 1
    assert (workdir / "eval" / "out" / "corpus-questions" / "report.md").exists()


def test_failing_gate_exits_1_and_names_metrics(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "eval" / "thresholds.toml").write_text(STRICT, encoding="utf-8")
    assert run("--no-baseline", "--out", "o") == 1
    out = capsys.readouterr().out
    assert "missed: hit@5 = 0.667 < min 0.900" in out
    assert "missed: false_refusal_rate = 0.333 > max 0.100" in out
    assert (
        json.loads((workdir / "o" / "fixture-dev" / "report.json").read_text(encoding="utf-8"))["baseline"]
        is None
    )
    assert "FAIL" in (workdir / "o" / "report.md").read_text(encoding="utf-8")


def test_accept_writes_metrics_then_regressions_are_reported(workdir: Path) -> None:
    assert run("--accept", "--no-baseline") == 0
    accepted = json.loads((workdir / "eval" / "baseline.json").read_text(encoding="utf-8"))
    assert accepted["sets"]["fixture/dev"]["overall"]["hit@5"] == pytest.approx(2 / 3)
    accepted["sets"]["fixture/dev"]["overall"]["key_fact_recall"] = 0.9
    (workdir / "eval" / "baseline.json").write_text(json.dumps(accepted), encoding="utf-8")
    assert run("--no-baseline") == 0
    report = json.loads(
        (workdir / "eval" / "out" / "fixture-dev" / "report.json").read_text(encoding="utf-8")
    )
    assert report["regressions"] == ["key_fact_recall: 0.900 → 0.500"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: (d / "eval" / "questions.jsonl").write_text('{"id": 1}\n', encoding="utf-8"), "line 1"),
        (lambda d: (d / "eval" / "questions.jsonl").unlink(), "cannot read"),
        (
            lambda d: (d / "eval" / "thresholds.toml").write_text("[lift]\nx = 1\n", encoding="utf-8"),
            "unknown metric",
        ),
        (lambda d: (d / "eval" / "baseline.json").write_text("[]", encoding="utf-8"), "baseline.json"),
        (lambda d: (d / "eval" / "suite.toml").write_text("[[sets]]\nname = 1\n", encoding="utf-8"), "suite"),
        (lambda d: (d / "eval" / "suite.toml").unlink(), "cannot read the eval suite"),
    ],
)
def test_bad_input_files_are_cli_errors(workdir: Path, setup: object, message: str) -> None:
    setup(workdir)  # type: ignore[operator]
    with pytest.raises(CliError, match=message):
        run()
    assert not (workdir / "eval" / "out").exists()  # nothing ran, nothing half-written
