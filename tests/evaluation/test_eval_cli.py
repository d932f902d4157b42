from __future__ import annotations

import argparse
import json
import shutil
import sys
import types
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


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with the fixture questions, and `assistant.engine` replaced by the scripted engine."""
    (tmp_path / "eval").mkdir()
    shutil.copy(FIXTURE, tmp_path / "eval" / "questions.jsonl")
    (tmp_path / "eval" / "thresholds.toml").write_text(LENIENT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def open_engine(settings: Settings) -> EngineWithDocs:
        return EngineWithDocs(scripted_engine().script)

    module = types.ModuleType("assistant.engine")
    module.Engine = types.SimpleNamespace(open=open_engine)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "assistant.engine", module)
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
    data = json.loads((workdir / "eval" / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["baseline"] is not None
    assert (workdir / "eval" / "out" / "report.png").exists()
    assert not (workdir / "eval" / "baseline.json").exists()


def test_failing_gate_exits_1_and_names_metrics(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    strict = workdir / "strict.toml"
    strict.write_text(STRICT, encoding="utf-8")
    assert run("--thresholds", str(strict), "--no-baseline", "--out", "o") == 1
    out = capsys.readouterr().out
    assert "missed: hit@5 = 0.667 < min 0.900" in out
    assert "missed: false_refusal_rate = 0.333 > max 0.100" in out
    assert json.loads((workdir / "o" / "report.json").read_text(encoding="utf-8"))["baseline"] is None


def test_accept_writes_metrics_then_regressions_are_reported(workdir: Path) -> None:
    assert run("--accept", "--no-baseline") == 0
    accepted = json.loads((workdir / "eval" / "baseline.json").read_text(encoding="utf-8"))
    assert accepted["overall"]["hit@5"] == pytest.approx(2 / 3)
    accepted["overall"]["key_fact_recall"] = 0.9
    (workdir / "eval" / "baseline.json").write_text(json.dumps(accepted), encoding="utf-8")
    assert run("--no-baseline") == 0
    report = json.loads((workdir / "eval" / "out" / "report.json").read_text(encoding="utf-8"))
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
    ],
)
def test_bad_input_files_are_cli_errors(workdir: Path, setup: object, message: str) -> None:
    setup(workdir)  # type: ignore[operator]
    with pytest.raises(CliError, match=message):
        run()
    assert not (workdir / "eval" / "out").exists()  # nothing ran, nothing half-written
