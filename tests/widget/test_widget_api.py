"""The access policy, CORS and rate limits through the real app (fake engine), plus the widget routes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.profile import load_profile
from assistant.service.app import create_app
from assistant.service.keys import KeyStore
from assistant.service.ratelimit import RateLimitSpecError

from .fakes import FakeEngine

SITE = "https://site.example"
OTHER = "https://other.example"
ASK = {"question": "支撑型试点省的主要任务是什么"}
MakeClient = Callable[..., TestClient]


@pytest.fixture
def make_client(tmp_path: Path) -> MakeClient:
    def make(require_keys: bool = True, rate_limit: str | None = None) -> TestClient:
        settings = Settings(data_dir=tmp_path, require_keys=require_keys, rate_limit=rate_limit)
        return TestClient(create_app(settings=settings, engine=FakeEngine()))

    return make


@pytest.fixture
def store(tmp_path: Path) -> KeyStore:
    return KeyStore(tmp_path / "keys.json")


def error_of(response: object) -> dict[str, str]:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body["error"]) >= {"code", "message"}
    return dict(body["error"])


def test_no_key_is_401_on_every_guarded_route(make_client: MakeClient) -> None:
    client = make_client()
    chat = {"messages": [{"role": "user", "content": "你好"}]}
    for path, body in (("/v1/ask", ASK), ("/v1/ask/stream", ASK), ("/v1/chat/completions", chat)):
        response = client.post(path, json=body)
        assert response.status_code == 401, path
        assert error_of(response)["code"] == "missing_key"


def test_widget_key_wrong_origin_403_right_origin_200(make_client: MakeClient, store: KeyStore) -> None:
    key = store.create("widget", [SITE]).key
    client = make_client()
    wrong = client.post("/v1/ask", json=ASK, headers={"X-PolicyQA-Key": key, "Origin": OTHER})
    assert wrong.status_code == 403 and error_of(wrong)["code"] == "origin_not_allowed"
    no_origin = client.post("/v1/ask", json=ASK, headers={"X-PolicyQA-Key": key})
    assert no_origin.status_code == 403
    right = client.post("/v1/ask", json=ASK, headers={"X-PolicyQA-Key": key, "Origin": SITE})
    assert right.status_code == 200
    assert "提升知识产权支撑创新驱动发展能力" in right.json()["answer"]


def test_widget_key_streams(make_client: MakeClient, store: KeyStore) -> None:
    key = store.create("widget", [SITE]).key
    client = make_client()
    response = client.post("/v1/ask/stream", json=ASK, headers={"X-PolicyQA-Key": key, "Origin": SITE})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert "event: citations" in response.text and "event: done" in response.text
    assert response.headers["access-control-allow-origin"] == SITE


def test_server_key_needs_no_origin(make_client: MakeClient, store: KeyStore) -> None:
    secret = store.create("server").key
    client = make_client()
    assert client.post("/v1/ask", json=ASK, headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    bad = client.post("/v1/ask", json=ASK, headers={"Authorization": "Bearer sk_forged"})
    assert bad.status_code == 401
    # a server key pasted into a page header is refused: it would leak the secret
    leaked = client.post("/v1/ask", json=ASK, headers={"X-PolicyQA-Key": secret, "Origin": SITE})
    assert leaked.status_code == 401


def test_revoked_key_stops_working_without_restart(make_client: MakeClient, store: KeyStore) -> None:
    key = store.create("widget", [SITE]).key
    client = make_client()
    headers = {"X-PolicyQA-Key": key, "Origin": SITE}
    assert client.post("/v1/ask", json=ASK, headers=headers).status_code == 200
    store.revoke(key)  # e.g. `policyqa keys revoke` in another process
    response = client.post("/v1/ask", json=ASK, headers=headers)
    assert response.status_code == 401 and error_of(response)["code"] == "invalid_key"


def test_cors_headers_only_for_registered_origins(make_client: MakeClient, store: KeyStore) -> None:
    key = store.create("widget", [SITE]).key
    client = make_client()
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-policyqa-key",
    }

    ok = client.options("/v1/ask/stream", headers={"Origin": SITE, **preflight})
    assert ok.status_code in (200, 204)
    assert ok.headers["access-control-allow-origin"] == SITE
    assert "x-policyqa-key" in ok.headers["access-control-allow-headers"].lower()
    assert "POST" in ok.headers["access-control-allow-methods"]

    denied = client.options("/v1/ask/stream", headers={"Origin": OTHER, **preflight})
    assert "access-control-allow-origin" not in denied.headers
    assert denied.status_code >= 400

    # actual responses, including refusals, carry CORS headers only for the registered origin
    refused = client.post("/v1/ask", json=ASK, headers={"X-PolicyQA-Key": "pk_wrong", "Origin": SITE})
    assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == SITE
    other = client.post("/v1/ask", json=ASK, headers={"X-PolicyQA-Key": key, "Origin": OTHER})
    assert other.status_code == 403 and "access-control-allow-origin" not in other.headers

    store.revoke(key)
    gone = client.options("/v1/ask/stream", headers={"Origin": SITE, **preflight})
    assert "access-control-allow-origin" not in gone.headers


def test_open_mode_allows_any_origin_without_key(make_client: MakeClient) -> None:
    client = make_client(require_keys=False)
    response = client.post("/v1/ask", json=ASK, headers={"Origin": OTHER})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == OTHER
    preflight = client.options(
        "/v1/ask/stream", headers={"Origin": OTHER, "Access-Control-Request-Method": "POST"}
    )
    assert preflight.headers["access-control-allow-origin"] == OTHER


def test_rate_limit_429_with_retry_after(make_client: MakeClient) -> None:
    client = make_client(require_keys=False, rate_limit="2/minute")
    assert [client.post("/v1/ask", json=ASK).status_code for _ in range(2)] == [200, 200]
    limited = client.post("/v1/ask", json=ASK)
    assert limited.status_code == 429
    assert error_of(limited)["code"] == "rate_limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 60  # the first of the two leaves the window
    assert client.post("/v1/ask/stream", json=ASK).status_code == 429  # same client, other route
    assert client.get("/widget.js").status_code == 200  # static assets are not limited


def test_rate_limit_is_per_key_too(make_client: MakeClient, store: KeyStore) -> None:
    secret = store.create("server").key
    client = make_client(rate_limit="1/hour")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.post("/v1/ask", json=ASK, headers=headers).status_code == 200
    limited = client.post("/v1/ask", json=ASK, headers=headers)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 3000


def test_invalid_rate_limit_fails_at_startup(tmp_path: Path) -> None:
    with pytest.raises(RateLimitSpecError, match="invalid rate limit"):
        create_app(settings=Settings(data_dir=tmp_path, rate_limit="lots"), engine=FakeEngine())


def test_widget_js_is_served_with_cache_headers(make_client: MakeClient) -> None:
    client = make_client()
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/javascript")
    assert "max-age" in response.headers["cache-control"]
    assert len(response.content) < 25_000
    assert 'attachShadow({ mode: "open" })' in response.text
    assert "innerHTML" not in response.text and "insertAdjacentHTML" not in response.text
    again = client.get("/widget.js", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_demo_page_embeds_widget(make_client: MakeClient) -> None:
    client = make_client(require_keys=False)
    page = client.get("/widget/demo")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/widget.js" data-key=""' in page.text
    keyed = client.get("/widget/demo", params={"key": "pk_abc-DEF_1"})
    assert 'data-key="pk_abc-DEF_1"' in keyed.text
    bad = client.get("/widget/demo", params={"key": '"><script>alert(1)</script>'})
    assert bad.status_code == 400 and "<script>alert" not in bad.text
    assert json.loads(bad.text)["error"]["code"] == "invalid_key"


def test_widget_suggests_the_profiles_example_questions(tmp_path: Path) -> None:
    default = TestClient(create_app(settings=Settings(data_dir=tmp_path), engine=FakeEngine()))
    shipped = [q.rstrip("？") for q in load_profile().examples[:3]]
    text = default.get("/widget.js").text
    assert "__SUGGESTIONS__" not in text and shipped and all(q in text for q in shipped)
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "examples.txt").write_text('# demo\n云岭省的"绿色农业"目标是什么？\n', encoding="utf-8")
    custom = Settings(data_dir=tmp_path / "other", profile_dir=profile)
    served = TestClient(create_app(settings=custom, engine=FakeEngine())).get("/widget.js").text
    assert (
        'var SUGGESTIONS = (script.getAttribute("data-suggestions") ||\n"云岭省的\\"绿色农业\\"目标是什么？")'
        in served
    )
    assert not any(q in served for q in shipped)
