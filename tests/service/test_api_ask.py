from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from assistant.grounding import markers

from .fakes import FakeEngine
from .sse import parse_sse

QUESTION = "支撑型试点省的主要任务是什么？"


def assert_error(resp: object, status: int, code: str | None = None) -> dict[str, object]:
    assert resp.status_code == status, resp.text  # type: ignore[attr-defined]
    body = resp.json()  # type: ignore[attr-defined]
    assert set(body["error"]) >= {"code", "message"}
    assert body["error"]["message"].strip()
    if code is not None:
        assert body["error"]["code"] == code
    return body  # type: ignore[no-any-return]


def test_ask_returns_answer_object_with_citations(client: TestClient) -> None:
    resp = client.post("/v1/ask", json={"question": f"  {QUESTION}  "})
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) >= {"answer", "abstained", "citations", "mode", "question_used"}
    assert body["abstained"] is False
    assert body["question_used"] == QUESTION  # trimmed before reaching the engine
    cited = {c["n"] for c in body["citations"]}
    assert set(markers(body["answer"])) <= cited and cited
    assert "支撑型" in body["citations"][0]["text"]
    assert body["citations"][0]["doc_number"] == "国知发管字〔2015〕59号"


def test_ask_passes_history_and_doc_filter(client: TestClient, fake_engine: FakeEngine) -> None:
    history = [
        {"role": "user", "content": "吉林省的目标？"},
        {"role": "assistant", "content": "到2020年……[1]"},
    ]
    resp = client.post("/v1/ask", json={"question": "发明专利呢？", "history": history, "doc_ids": ["003"]})
    assert resp.status_code == 200
    kind, (question, hist, doc_ids) = fake_engine.calls[0]
    assert kind == "ask" and question == "发明专利呢？" and doc_ids == ["003"]
    assert [(m.role, m.content) for m in hist] == [(h["role"], h["content"]) for h in history]
    assert all(c["doc_id"] == "003" for c in resp.json()["citations"])


def test_unanswerable_question_abstains(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": "今天天气怎么样"}).json()
    assert body["abstained"] is True and body["citations"] == []


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"question": ""}, 422, "invalid_request"),
        ({"question": "   \n\t "}, 422, "invalid_request"),
        ({"question": "问" * 2001}, 422, "question_too_long"),
        ({"question": 123}, 422, "invalid_request"),
        ({"question": ["a"]}, 422, "invalid_request"),
        ({}, 422, "invalid_request"),
        ({"question": QUESTION, "history": "nope"}, 422, "invalid_request"),
        ({"question": QUESTION, "history": [{"role": "system", "content": "x"}]}, 422, "invalid_request"),
        ({"question": QUESTION, "history": [{"role": "tool", "content": "x"}]}, 422, "invalid_request"),
        ({"question": QUESTION, "history": [{"role": "user"}]}, 422, "invalid_request"),
        ({"question": QUESTION, "doc_ids": "000"}, 422, "invalid_request"),
        ({"question": QUESTION, "surprise": 1}, 422, "invalid_request"),
    ],
)
@pytest.mark.parametrize("path", ["/v1/ask", "/v1/ask/stream"])
def test_bad_questions_get_readable_4xx(
    client: TestClient, fake_engine: FakeEngine, path: str, payload: dict[str, object], status: int, code: str
) -> None:
    body = assert_error(client.post(path, json=payload), status, code)
    assert fake_engine.calls == []  # rejected before the engine was asked
    assert "Traceback" not in str(body)


def test_history_role_error_names_the_field(client: TestClient) -> None:
    payload = {"question": QUESTION, "history": [{"role": "system", "content": "x"}]}
    message = client.post("/v1/ask", json=payload).json()["error"]["message"]
    assert "history[0].role" in message


def test_question_of_exactly_the_limit_is_accepted(client: TestClient) -> None:
    assert client.post("/v1/ask", json={"question": "问" * 2000}).status_code == 200


def test_question_limit_follows_settings(tmp_path: object, fake_engine: FakeEngine) -> None:
    from assistant.service.app import create_app

    from .conftest import make_settings

    app = create_app(make_settings(tmp_path, max_question_chars=10), engine=fake_engine)  # type: ignore[arg-type]
    with TestClient(app) as c:
        assert_error(c.post("/v1/ask", json={"question": "问" * 11}), 422, "question_too_long")
        assert c.post("/v1/ask", json={"question": "问" * 10}).status_code == 200


@pytest.mark.parametrize(
    ("content", "headers", "code"),
    [
        (b"{bad json", {"content-type": "application/json"}, "invalid_json"),
        (b'{"question": "x",}', {"content-type": "application/json"}, "invalid_json"),
        (b"question=hi", {"content-type": "application/x-www-form-urlencoded"}, None),
        (b"[1, 2]", {"content-type": "application/json"}, None),
    ],
)
def test_malformed_bodies(
    client: TestClient, content: bytes, headers: dict[str, str], code: str | None
) -> None:
    resp = client.post("/v1/ask", content=content, headers=headers)
    assert 400 <= resp.status_code < 500
    assert_error(resp, resp.status_code, code)


def test_stream_event_order_and_payloads(client: TestClient) -> None:
    with client.stream("POST", "/v1/ask/stream", json={"question": QUESTION}) as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")
        frames = parse_sse("".join(resp.iter_text()))
    kinds = [e for e, _ in frames]
    assert kinds[0] == "citations" and kinds[-1] == "done"
    assert kinds.count("delta") >= 1 and set(kinds[1:-1]) == {"delta"}
    citations, done = frames[0][1], frames[-1][1]
    assert citations and citations[0]["doc_id"] == "000"
    streamed = "".join(d["text"] for e, d in frames if e == "delta")
    assert streamed == done["answer"]
    assert re.search(r"\[\d+\]", done["answer"]) and done["citations"] == citations


def test_stream_and_ask_agree(client: TestClient) -> None:
    plain = client.post("/v1/ask", json={"question": QUESTION}).json()
    frames = parse_sse(client.post("/v1/ask/stream", json={"question": QUESTION}).text)
    assert frames[-1][1] == plain
