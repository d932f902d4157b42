"""A terminal a person can read: text log lines and progress for people, JSON lines for machines, and
`policyqa index` reporting each file and a summary."""

from __future__ import annotations

import io
import json
import logging
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.console import Console

import assistant.terminal as terminal
from assistant.retrieval.build import DocumentStep, build_index
from assistant.terminal import LineDisplay, TerminalDisplay, access_line, wants_text
from tests.fake_embedder import HashEmbedder

from .docs import policy_text, tag_for
from .proc import Dirs, ServerProcess


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_text_only_for_a_terminal_unless_configured() -> None:
    both, piped = (Stream(True), Stream(True)), (Stream(True), Stream(False))
    assert wants_text("auto", both) and not wants_text("auto", piped)
    assert not wants_text("json", both) and wants_text("text", piped)


def test_access_lines_read_as_text() -> None:
    record = {
        "event": "request",
        "method": "GET",
        "path": "/v1/ask",
        "status": 200,
        "ms": 8.3,
        "request_id": "r1",
    }
    assert access_line(json.dumps(record)) == "GET /v1/ask 200 8.3 ms [r1]"
    assert access_line("engine ready") == "engine ready"


def small_corpus(root: Path, n: int = 2) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    for i in range(n):
        (corpus / f"doc{i}.txt").write_text(policy_text(tag_for(i), i), encoding="utf-8")
    return corpus


def test_build_reports_each_file(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path)
    (corpus / "broken.pdf").write_bytes(b"not a pdf")
    steps: list[DocumentStep] = []
    build_index(corpus, tmp_path / "index", HashEmbedder(), on_document=steps.append)
    states = [(s.name, s.state) for s in steps]
    assert states == [
        ("broken.pdf", "skipped"),
        ("doc0.txt", "embedding"),
        ("doc0.txt", "embedded"),
        ("doc1.txt", "embedding"),
        ("doc1.txt", "embedded"),
    ]
    assert {s.total for s in steps} == {3} and steps[-1].position == 3 and steps[-1].chunks > 0
    again: list[DocumentStep] = []
    build_index(corpus, tmp_path / "index", HashEmbedder(), on_document=again.append)
    assert [s.state for s in again] == ["skipped", "reused", "reused"]


def test_displays_print_one_line_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = small_corpus(tmp_path)
    plain = io.StringIO()
    with LineDisplay(plain).build("indexing") as bars:
        build_index(corpus, tmp_path / "a", HashEmbedder(), progress=bars.chunks, on_document=bars.document)
    lines = plain.getvalue().splitlines()
    assert lines[0] == "indexing …" and lines[1].startswith("[1/2] doc0.txt: ") and "embedded" in lines[2]

    screen = io.StringIO()
    shown = Console(file=screen, force_terminal=True, width=100)
    monkeypatch.setattr(terminal, "console", lambda: shown)
    display = TerminalDisplay()
    with display.stage("loading the embedding model"):
        pass
    with display.build("indexing") as bars:
        build_index(corpus, tmp_path / "b", HashEmbedder(), progress=bars.chunks, on_document=bars.document)
    assert "[2/2] doc1.txt:" in screen.getvalue() and "indexing: done" in screen.getvalue()


def test_index_command_shows_files_and_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import assistant.retrieval.embedder
    from assistant.cli import main
    from tests.reliability.hash_serve import SlowHashEmbedder

    # The HashEmbedder stands in for m3e-small, for this test only (monkeypatch puts the class back).
    monkeypatch.setattr(assistant.retrieval.embedder, "SentenceTransformerEmbedder", SlowHashEmbedder)
    small_corpus(tmp_path, 3)
    for name, value in {"CORPUS_DIR": "corpus", "INDEX_DIR": "index", "DATA_DIR": "var"}.items():
        monkeypatch.setenv(f"POLICYQA_{name}", str(tmp_path / value))
    assert main(["index"]) == 0
    out, err = capsys.readouterr()
    assert [line for line in err.splitlines() if line.startswith("[")] == [
        f"[{i + 1}/3] doc{i}.txt: {n} passages embedded" for i, n in enumerate(_passages(tmp_path))
    ]
    assert out.startswith("indexed 3 documents, ") and " passages in " in out and " s (" in out
    assert main(["index", "--no-progress"]) == 0
    out, err = capsys.readouterr()
    assert "[1/3]" not in err and "3 documents unchanged" in out


def _passages(root: Path) -> list[int]:
    counts: dict[str, int] = {}
    for line in (root / "index").glob("v-*/chunks.jsonl"):
        for row in line.read_text(encoding="utf-8").splitlines():
            doc = json.loads(row)["doc_id"]
            counts[doc] = counts.get(doc, 0) + 1
    return [counts[f"doc{i}"] for i in range(3)]


@pytest.mark.slow
def test_server_writes_text_lines_when_asked(tmp_path: Path, hash_index_template: Path) -> None:
    dirs = Dirs.create(tmp_path, index_from=hash_index_template)
    server = ServerProcess(dirs, env={"POLICYQA_LOG_FORMAT": "text", "COLUMNS": "200"}, name="text")
    with server:
        _wait_ready(server)
        httpx.get(f"{server.url}/v1/documents", headers={"X-Request-ID": "txt-1"})
    lines = server.stderr_lines()
    assert any("engine ready" in line for line in lines)
    assert any("GET /v1/documents 200" in line and "txt-1" in line for line in lines)
    assert not [line for line in lines if line.lstrip().startswith("{")]  # no JSON lines


def _wait_ready(server: ServerProcess, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"server not ready:\n{server.stderr_tail()}")


def test_text_handler_formats_access_records(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(terminal, "console", lambda: Console(file=screen, width=200))
    logger = logging.getLogger("policyqa.access")
    handler = terminal.text_log_handler()
    logger.addHandler(handler)
    try:
        logger.warning(
            json.dumps({"method": "POST", "path": "/v1/ask", "status": 422, "ms": 1.5, "request_id": "x"})
        )
    finally:
        logger.removeHandler(handler)
    assert "POST /v1/ask 422 1.5 ms [x]" in screen.getvalue()
