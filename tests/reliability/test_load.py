"""Bounded load: 8 concurrent clients for a few seconds against /v1/ask on two server workers sharing
one index. Asserts errors and well-formed answers, never speed."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.service.app import create_app
from bench.load import answer_problem, load_questions_text, percentile, run_lean, run_load, worker_pids
from tests.service.conftest import make_settings
from tests.service.fakes import BrokenEngine, FakeEngine
from tests.service.live import live_server

from .proc import Dirs, ServerProcess, running

KEYS = {"clients", "seconds", "requests", "errors", "throughput_rps", "p50_ms", "p95_ms", "p99_ms"}


@pytest.mark.slow
def test_eight_clients_against_two_workers_get_no_errors(tmp_path: Path, hash_index_template: Path) -> None:
    dirs = Dirs.create(tmp_path, index_from=hash_index_template)
    questions = load_questions_text()
    with running(ServerProcess(dirs, workers=2, name="load")) as server:
        assert server.proc is not None
        assert len(worker_pids(server.proc.pid)) == 2  # POLICYQA_WORKERS really started two processes
        result = run_load(server.url, questions, clients=8, seconds=3)
    assert set(result) >= KEYS
    assert result["clients"] == 8 and result["requests"] > 8
    assert result["errors"] == 0, result["error_samples"]
    assert result["statuses"] == {"200": result["requests"]}
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]


def test_failures_are_counted_as_errors(tmp_path: Path) -> None:
    """The load test can fail: 500s and malformed answers are errors, not throughput."""
    with live_server(create_app(make_settings(tmp_path), engine=BrokenEngine())) as url:
        broken = run_load(url, ["支撑型试点省的主要任务是什么？"], clients=2, seconds=0.5)
    assert broken["requests"] > 0 and broken["errors"] == broken["requests"]
    assert broken["statuses"] == {"500": broken["requests"]}

    with live_server(create_app(make_settings(tmp_path), engine=FakeEngine())) as url:
        picky = run_load(
            url, ["支撑型试点省的主要任务是什么？"], clients=2, seconds=0.5, validate=lambda _: "no"
        )
        fine = run_load(url, ["支撑型试点省的主要任务是什么？"], clients=2, seconds=0.5)
    assert picky["errors"] == picky["requests"] > 0
    assert fine["errors"] == 0 and fine["requests"] > 0


def test_the_lean_client_counts_failures_too(tmp_path: Path) -> None:
    """The bench's keep-alive http.client measure validates every answer, as run_load does."""
    question = ["支撑型试点省的主要任务是什么？"]
    with live_server(create_app(make_settings(tmp_path), engine=BrokenEngine())) as url:
        broken = run_lean(url, question, 0.3)
    with live_server(create_app(make_settings(tmp_path), engine=FakeEngine())) as url:
        picky = run_lean(url, question, 0.3, validate=lambda _: "no")
        fine = run_lean(url, question, 0.3)
    assert broken["requests"] > 0 and broken["errors"] == broken["requests"]
    assert picky["requests"] > 0 and picky["errors"] == picky["requests"]
    assert fine["requests"] > 0 and fine["errors"] == 0 and 0 < fine["p50_ms"] <= fine["p95_ms"]


def test_answer_shape_check(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path), engine=FakeEngine())) as client:
        body = client.post("/v1/ask", json={"question": "支撑型试点省的主要任务是什么？"}).json()
    assert answer_problem(body) is None
    assert answer_problem([]) is not None
    assert answer_problem({**body, "answer": ""}) is not None
    assert answer_problem({**body, "citations": [{"n": 2}]}) is not None


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (50.0, 95.0, 99.0)
    assert percentile([7.0], 99) == 7.0 and percentile([], 50) == 0.0
