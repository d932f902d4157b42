"""The bad-input battery: every text a client can send, on every route, with keys open and required.
Lone surrogates, NULs and other control characters, over-long text and unknown doc_ids are a 4xx JSON
error before any work starts: never a 5xx, and never a 200 stream that then reports an error."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from assistant.service.app import create_app
from assistant.service.keys import key_store_for

from .conftest import ADMIN_TOKEN, make_settings
from .fakes import StrictFakeEngine

QUESTION = "支撑型试点省的主要任务是什么？"
LONG = "问" * 30_000
LONG_IN_URL = "问" * 3000  # over every limit, under the URL length clients will send
BAD_VALUES = {
    "lone surrogate": "专利\ud800",
    "NUL": "专利\x00导航",
    "bell": "专利\x07",
    "C1 control": "专利\x85",
}
Request = tuple[str, str, dict[str, Any]]  # method, path, httpx keyword arguments


def raw_json(body: Any) -> dict[str, Any]:
    # ensure_ascii escapes a lone surrogate as \ud800, exactly what a hostile client sends.
    return {"content": json.dumps(body), "headers": {"content-type": "application/json"}}


def chat(content: Any, **extra: Any) -> dict[str, Any]:
    return raw_json({"messages": [{"role": "user", "content": content}], **extra})


# Each builder puts one bad text into one field of one route.
BODY_FIELDS: dict[str, Callable[[str], Request]] = {
    "ask question": lambda v: ("POST", "/v1/ask", raw_json({"question": v})),
    "ask history": lambda v: (
        "POST",
        "/v1/ask",
        raw_json({"question": QUESTION, "history": [{"role": "user", "content": v}]}),
    ),
    "ask doc_ids": lambda v: ("POST", "/v1/ask", raw_json({"question": QUESTION, "doc_ids": [v]})),
    "stream question": lambda v: ("POST", "/v1/ask/stream", raw_json({"question": v})),
    "stream doc_ids": lambda v: ("POST", "/v1/ask/stream", raw_json({"question": QUESTION, "doc_ids": [v]})),
    "chat content": lambda v: ("POST", "/v1/chat/completions", chat(v)),
    "chat stream content": lambda v: ("POST", "/v1/chat/completions", chat(v, stream=True)),
    "chat content part": lambda v: ("POST", "/v1/chat/completions", chat([{"type": "text", "text": v}])),
    "chat history": lambda v: (
        "POST",
        "/v1/chat/completions",
        raw_json({"messages": [{"role": "assistant", "content": v}, {"role": "user", "content": QUESTION}]}),
    ),
    "chat model": lambda v: ("POST", "/v1/chat/completions", chat(QUESTION, model=v, stream=True)),
    "chat doc_ids": lambda v: ("POST", "/v1/chat/completions", chat(QUESTION, doc_ids=[v], stream=True)),
    "session token": lambda v: ("POST", "/v1/session", raw_json({"token": v})),
}
# Query, path and form values travel as UTF-8 bytes: a surrogate cannot be sent, control characters can.
URL_FIELDS: dict[str, Callable[[str], Request]] = {
    "search q": lambda v: ("GET", "/v1/search", {"params": {"q": v}}),
    "search doc_id": lambda v: ("GET", "/v1/search", {"params": {"q": QUESTION, "doc_id": v}}),
    "document path": lambda v: ("GET", f"/v1/documents/{quote(v)}", {}),
    "delete path": lambda v: ("DELETE", f"/v1/documents/{quote(v)}", {}),
    "upload form field": lambda v: (
        "POST",
        "/v1/documents",
        {"files": {"file": ("ok.txt", QUESTION.encode())}, "data": {"note": v}},
    ),
}


@pytest.fixture(scope="module", params=["open", "keys-required"])
def battery(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A client and the credentials it sends: the admin token for admin routes, else a server key."""
    locked = request.param == "keys-required"
    settings = make_settings(tmp_path_factory.mktemp(request.param), require_keys=locked)
    key = key_store_for(settings.data_dir).create("server").key if locked else ADMIN_TOKEN
    with TestClient(create_app(settings, engine=StrictFakeEngine()), raise_server_exceptions=False) as client:
        yield client, {"Authorization": f"Bearer {key}"}


def send(battery: tuple[TestClient, dict[str, str]], request: Request) -> Any:
    client, key = battery
    method, path, kwargs = request[0], request[1], dict(request[2])
    token = ADMIN_TOKEN if method == "DELETE" or (method == "POST" and path == "/v1/documents") else None
    auth = {"Authorization": f"Bearer {token}"} if token else key
    headers = {**kwargs.pop("headers", {}), **auth}
    return client.request(method, path, headers=headers, **kwargs)


def assert_4xx_json(resp: Any, *statuses: int) -> dict[str, Any]:
    assert resp.status_code in statuses, (resp.status_code, resp.text[:300])
    assert resp.headers["content-type"].startswith("application/json")
    error: dict[str, Any] = resp.json()["error"]
    assert error["code"] and error["message"]
    return error


@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
@pytest.mark.parametrize("field", BODY_FIELDS)
def test_bad_text_in_a_json_field_is_a_4xx(
    battery: tuple[TestClient, dict[str, str]], field: str, value: str
) -> None:
    error = assert_4xx_json(send(battery, BODY_FIELDS[field](value)), 400, 422)
    assert "U+" in error["message"] or "unicode" in error["message"].lower()


@pytest.mark.parametrize("value", [v for k, v in BAD_VALUES.items() if k != "lone surrogate"])
@pytest.mark.parametrize("field", URL_FIELDS)
def test_control_characters_in_query_path_and_form_are_a_4xx(
    battery: tuple[TestClient, dict[str, str]], field: str, value: str
) -> None:
    assert_4xx_json(send(battery, URL_FIELDS[field](value)), 404, 422)


@pytest.mark.parametrize("field", [*BODY_FIELDS, "search q", "search doc_id", "document path"])
def test_over_long_text_is_a_4xx(battery: tuple[TestClient, dict[str, str]], field: str) -> None:
    request_ = BODY_FIELDS[field](LONG) if field in BODY_FIELDS else URL_FIELDS[field](LONG_IN_URL)
    assert_4xx_json(send(battery, request_), 404, 413, 414, 422)


@pytest.mark.parametrize(
    "request_",
    [
        ("POST", "/v1/ask", {"json": {"question": QUESTION, "doc_ids": ["nope"]}}),
        ("POST", "/v1/ask/stream", {"json": {"question": QUESTION, "doc_ids": ["000", "nope"]}}),
        ("POST", "/v1/chat/completions", chat(QUESTION, doc_ids=["nope"])),
        ("POST", "/v1/chat/completions", chat(QUESTION, doc_ids=["nope"], stream=True)),
        ("GET", "/v1/search", {"params": {"q": QUESTION, "doc_id": "nope"}}),
    ],
    ids=["ask", "stream", "chat", "chat-stream", "search"],
)
def test_unknown_doc_ids_are_a_404_before_any_stream_starts(
    battery: tuple[TestClient, dict[str, str]], request_: Request
) -> None:
    error = assert_4xx_json(send(battery, request_), 404)
    assert error["code"] == "unknown_document" and "nope" in error["message"]


def test_valid_requests_still_pass(battery: tuple[TestClient, dict[str, str]]) -> None:
    """The battery is not passing because everything is refused."""
    fine: list[Request] = [
        ("POST", "/v1/ask", {"json": {"question": QUESTION, "doc_ids": ["000"]}}),
        ("POST", "/v1/ask/stream", {"json": {"question": "多行\n问题\t" + QUESTION}}),
        ("POST", "/v1/chat/completions", chat(QUESTION, stream=True)),
        ("GET", "/v1/search", {"params": {"q": QUESTION, "doc_id": "000"}}),
        ("GET", "/v1/documents/000", {}),
    ]
    for request_ in fine:
        resp = send(battery, request_)
        assert resp.status_code == 200, (request_, resp.text[:300])


def test_an_over_long_json_body_is_refused_unread(battery: tuple[TestClient, dict[str, str]]) -> None:
    body = json.dumps({"question": QUESTION, "history": [{"role": "user", "content": "问" * 1000}] * 3000})
    error = assert_4xx_json(send(battery, ("POST", "/v1/ask", {"content": body})), 413)
    assert error["code"] == "body_too_large"

    def chunked() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield body.encode()

    client, key = battery
    resp = client.post("/v1/ask", content=chunked(), headers={**key, "content-type": "application/json"})
    assert_4xx_json(resp, 413)
