"""Hygiene: error responses carry no stack traces, file paths or configured secrets; the server's log is
JSON lines, and every request line has its request id (in every worker process)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.service.app import create_app
from assistant.service.middleware import json_log_formatter
from tests.service.fakes import BrokenEngine, FakeEngine

from .proc import ADMIN_TOKEN, LLM_KEY, Dirs, ServerProcess, admin_headers, json_lines, running

# What must never reach a client: trace text, source paths, the exception's own message, secrets.
LEAKS = re.compile(r"Traceback|File \"|\.py\b|/site-packages/|/work/|line \d+", re.IGNORECASE)
SECRETS = (ADMIN_TOKEN, LLM_KEY, BrokenEngine.SECRET)


def settings_with_secrets(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "var",
        admin_token=ADMIN_TOKEN,
        llm_api_key=LLM_KEY,  # set but unused: llm_base_url/model stay unset, so the mode stays extractive
    )


@pytest.fixture
def broken_client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(settings_with_secrets(tmp_path), engine=BrokenEngine())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def assert_clean_error(resp: Any, status: int) -> dict[str, object]:
    """`resp` is an httpx response (TestClient's or a live client's)."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) <= {"error", "detail"} and {"code", "message"} <= set(body["error"])
    assert not LEAKS.search(resp.text), resp.text
    for secret in SECRETS:
        assert secret not in resp.text and secret not in str(resp.headers)
    assert body["error"].get("request_id") == resp.headers["x-request-id"]
    error: dict[str, object] = body["error"]
    return error


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/v1/nothing-here", {}, 404),
        ("GET", "/v1/documents/no-such-doc", {}, 404),
        ("DELETE", "/v1/documents/000", {"headers": {"Authorization": "Bearer wrong"}}, 401),
        ("POST", "/v1/ask", {"json": {"question": "   "}}, 422),
        ("POST", "/v1/ask", {"content": b"{not json", "headers": {"content-type": "application/json"}}, 400),
        ("GET", "/v1/search", {"params": {"q": "专利", "k": 999}}, 422),
        ("POST", "/v1/ask", {"json": {"question": "支撑型试点省的主要任务是什么？"}}, 500),
        ("POST", "/v1/chat/completions", {"json": {"messages": [{"role": "user", "content": "专利"}]}}, 500),
    ],
)
def test_error_responses_leak_no_trace_or_secret(
    broken_client: TestClient, method: str, path: str, kwargs: dict[str, object], status: int
) -> None:
    assert_clean_error(broken_client.request(method, path, **kwargs), status)  # type: ignore[arg-type]


def test_internal_errors_are_logged_with_their_trace_and_request_id(
    broken_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    """The trace is kept, but in the log, as one JSON record tied to the request."""
    formatter = json_log_formatter()
    with caplog.at_level(logging.INFO):
        resp = broken_client.post("/v1/ask", json={"question": "专利"}, headers={"X-Request-ID": "hyg-1"})
    assert_clean_error(resp, 500)
    lines = [json.loads(formatter.format(r)) for r in caplog.records if r.name.startswith("policyqa")]
    errors = [x for x in lines if x.get("logger") == "policyqa.error"]
    assert errors and errors[0]["request_id"] == "hyg-1" and BrokenEngine.SECRET in errors[0]["exc"]
    access = [x for x in lines if x.get("event") == "request"]
    assert access[-1] == {**access[-1], "status": 500, "request_id": "hyg-1", "path": "/v1/ask"}


def test_stream_errors_end_cleanly(broken_client: TestClient) -> None:
    resp = broken_client.post("/v1/ask/stream", json={"question": "专利"})
    assert resp.status_code == 200  # the stream had started; the failure is its last event
    assert "event: error" in resp.text
    assert not LEAKS.search(resp.text) and BrokenEngine.SECRET not in resp.text


def test_secrets_stay_out_of_successful_responses(tmp_path: Path) -> None:
    app = create_app(settings_with_secrets(tmp_path), engine=FakeEngine())
    with TestClient(app) as client:
        for resp in (
            client.get("/readyz"),
            client.get("/openapi.json"),
            client.get("/v1/documents"),
            client.post("/v1/ask", json={"question": "支撑型试点省的主要任务是什么？"}),
        ):
            assert resp.status_code == 200
            for secret in (ADMIN_TOKEN, LLM_KEY):
                assert secret not in resp.text


@pytest.mark.slow
def test_server_log_is_json_lines_with_request_ids_in_every_worker(
    tmp_path: Path, hash_index_template: Path
) -> None:
    dirs = Dirs.create(tmp_path, index_from=hash_index_template)
    sent: set[str] = set()
    server = ServerProcess(dirs, workers=2, env={"POLICYQA_LLM_API_KEY": LLM_KEY}, name="logs")
    with running(server), httpx.Client() as client:
        # Enough requests that both workers answer some (the kernel spreads connections between them).
        for n in range(40):
            rid = f"hyg-{n}"
            sent.add(rid)
            headers = {"X-Request-ID": rid, "Connection": "close"}
            if n % 4 == 0:
                client.get(f"{server.url}/v1/documents/nope", headers=headers)
            elif n % 4 == 1:
                client.post(f"{server.url}/v1/ask", json={"question": " "}, headers=headers)
            elif n % 4 == 2:
                client.delete(f"{server.url}/v1/documents/nope", headers={**headers, **admin_headers()})
            else:
                client.post(f"{server.url}/v1/ask", json={"question": "专利导航"}, headers=headers)
    records = json_lines(server.stderr_lines())
    access = [r for r in records if r.get("event") == "request"]
    assert {r["request_id"] for r in access} >= sent  # no worker dropped its access lines
    assert all(re.fullmatch(r"[A-Za-z0-9._:-]{1,64}", str(r["request_id"])) for r in access)
    log_text = "\n".join(server.stderr_lines())
    assert ADMIN_TOKEN not in log_text and LLM_KEY not in log_text
