from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.service.app import create_app
from assistant.service.lifecycle import EngineSlot

from .conftest import make_settings
from .fakes import BrokenEngine, FakeEngine
from .sse import parse_sse
from .test_api_ask import assert_error


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"ready": True, "documents": 3, "chunks": 4, "model": "fake-m3e", "error": None}


def test_not_ready_until_engine_loaded(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    client = TestClient(app)  # no lifespan: the engine is never opened
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503
    resp = client.post("/v1/ask", json={"question": "支撑型试点省的主要任务是什么？"})
    assert_error(resp, 503, "engine_unavailable")
    assert resp.headers["retry-after"] == "5"


def test_engine_slot_loads_in_background_and_reports_failure() -> None:
    gate = threading.Event()
    slot = EngineSlot()

    def opener() -> FakeEngine:
        gate.wait(5)
        return FakeEngine()

    slot.start_loading(opener)
    assert not slot.ready
    gate.set()
    assert slot.wait(5) and slot.get().model_name == "fake-m3e"

    def failing() -> FakeEngine:
        raise FileNotFoundError("corpus/ is empty")

    broken = EngineSlot()
    broken.start_loading(failing)
    assert not broken.wait(5)
    assert broken.error is not None and "corpus/ is empty" in broken.error


def test_root_redirects_to_ui_and_ui_serves(client: TestClient) -> None:
    resp = client.get("/", follow_redirects=False)
    assert resp.status_code in (302, 307) and resp.headers["location"].startswith("/ui")
    page = client.get("/ui/")
    assert page.status_code == 200 and "<html" in page.text.lower()


def test_widget_routes_are_mounted(client: TestClient) -> None:
    assert client.get("/widget.js").status_code == 200


def test_openapi_schema_builds(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/v1/ask", "/v1/ask/stream", "/v1/chat/completions", "/v1/search", "/v1/documents"):
        assert path in paths
    assert "multipart/form-data" in paths["/v1/documents"]["post"]["requestBody"]["content"]


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    generated = client.get("/healthz").headers["x-request-id"]
    assert len(generated) == 32
    unsafe = client.get("/healthz", headers={"X-Request-ID": "evil\tvalue with spaces"}).headers[
        "x-request-id"
    ]
    assert unsafe != "evil\tvalue with spaces" and len(unsafe) == 32
    body = client.get("/v1/documents/nope", headers={"X-Request-ID": "r-1"}).json()
    assert body["error"]["request_id"] == "r-1"


def test_one_json_access_log_line_per_request(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="policyqa.access"):
        client.get("/v1/documents/nope", headers={"X-Request-ID": "log-1"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "policyqa.access"]
    assert len(lines) == 1
    assert lines[0]["method"] == "GET" and lines[0]["path"] == "/v1/documents/nope"
    assert lines[0]["status"] == 404 and lines[0]["request_id"] == "log-1" and lines[0]["ms"] >= 0


def test_internal_error_hides_the_trace(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(make_settings(tmp_path), engine=BrokenEngine())
    with TestClient(app, raise_server_exceptions=False) as c, caplog.at_level(logging.INFO):
        resp = c.post(
            "/v1/ask", json={"question": "支撑型试点省的主要任务是什么？"}, headers={"X-Request-ID": "e-1"}
        )
    assert resp.status_code == 500
    assert resp.json() == {"error": {"code": "internal", "message": "内部错误", "request_id": "e-1"}}
    assert BrokenEngine.SECRET not in resp.text and "Traceback" not in resp.text
    assert resp.headers["x-request-id"] == "e-1"
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert BrokenEngine.SECRET in logged  # the trace goes to the log, not to the client
    access = [json.loads(r.getMessage()) for r in caplog.records if r.name == "policyqa.access"]
    assert access[-1]["status"] == 500


def test_stream_failure_ends_with_error_event(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path), engine=BrokenEngine())
    with TestClient(app, raise_server_exceptions=False) as c:
        resp = c.post("/v1/ask/stream", json={"question": "支撑型"})
    frames = parse_sse(resp.text)
    assert [e for e, _ in frames] == ["citations", "error"]
    assert frames[-1][1]["code"] == "internal" and BrokenEngine.SECRET not in resp.text


def test_unknown_route_and_method_use_error_shape(client: TestClient) -> None:
    assert_error(client.get("/v1/nothing"), 404, "not_found")
    assert_error(client.put("/v1/ask", json={}), 405, "method_not_allowed")


# --- search ------------------------------------------------------------------------------------------------


def test_search_returns_scored_passages(client: TestClient) -> None:
    body = client.get("/v1/search", params={"q": "每万人口发明专利拥有量", "k": 2}).json()
    assert body["k"] == 2 and 1 <= len(body["hits"]) <= 2
    top = body["hits"][0]
    assert top["doc_id"] == "003" and top["title"].startswith("关于新形势下")
    assert top["section_path"] == "一、总体要求 › （二）主要目标" and top["section"] == [
        "一、总体要求",
        "（二）主要目标",
    ]
    assert top["score"] > 0 and top["doc_number"] == "吉政发〔2016〕27号"
    scores = [h["score"] for h in body["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_search_doc_filter(client: TestClient) -> None:
    body = client.get("/v1/search", params=[("q", "知识产权"), ("doc_id", "002")]).json()
    assert body["hits"] and {h["doc_id"] for h in body["hits"]} == {"002"}


@pytest.mark.parametrize(
    "params",
    [
        {"q": "专利", "k": 0},
        {"q": "专利", "k": 51},
        {"q": "专利", "k": "abc"},
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "问" * 2001},
    ],
)
def test_search_bad_params(client: TestClient, params: dict[str, object]) -> None:
    resp = client.get("/v1/search", params=params)
    assert resp.status_code == 422
    assert_error(resp, 422)
