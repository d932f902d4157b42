"""The eval sets hold what they claim: every key fact and gold section is in its documents (the checkers in
eval/ run on every corpus; a planted error is caught)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "eval" / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_every_corpus_and_the_dev2_sets_check_clean() -> None:
    for script in ("check_corpus.py", "check_dev2.py"):
        done = run(script)
        assert done.returncode == 0 and done.stdout.rstrip().endswith("0 error(s)"), done.stdout[-2000:]


def test_a_fact_missing_from_the_documents_is_an_error(tmp_path: Path) -> None:
    corpus = tmp_path / "demo"
    shutil.copytree(ROOT / "eval" / "corpora" / "policy-general", corpus)
    lines = (corpus / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace('"key_facts": [[', '"key_facts": [["文件里没有的话"], [', 1)
    (corpus / "questions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run("check_corpus.py", str(corpus))
    assert done.returncode == 1 and "alias not in document text: '文件里没有的话'" in done.stdout


def test_halves_reports_the_tuned_and_the_unseen_half_apart(tmp_path: Path) -> None:
    import json

    def item(answerable: bool, abstained: bool, recall: float | None) -> dict[str, object]:
        metrics = {"key_fact_recall": recall} if recall is not None else {}
        return {"answerable": answerable, "project": {"abstained": abstained, "metrics": metrics}}

    # even lines (tuned): an answer with recall 1 and a refused trap; odd lines (unseen): a false refusal
    # and an answered trap
    items = [
        item(True, False, 1.0),
        item(True, True, None),
        item(False, True, None),
        item(False, False, None),
    ]
    (tmp_path / "c-dev9").mkdir()
    (tmp_path / "c-dev9" / "report.json").write_text(json.dumps({"items": items}), encoding="utf-8")
    done = run("halves.py", str(tmp_path), "c-dev9")
    assert done.returncode == 0, done.stderr
    tuned, unseen = done.stdout.splitlines()
    assert "tuned" in tuned and tuned.endswith("1.000 / 1.000 / 0.000")
    assert "unseen" in unseen and unseen.endswith("0.000 / 0.000 / 1.000")
    assert run("halves.py", str(tmp_path), "missing").returncode == 1
