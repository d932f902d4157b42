"""The web UI behind a login when keys are required: signed session cookies, the login route and page,
Gradio's own routes closed without a session, revocation at once, the UI switch, and UI rate limits."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr
import pytest
from fastapi.testclient import TestClient

from assistant.service.access import AccessPolicy
from assistant.service.app import create_app
from assistant.service.keys import KeyStore, key_store_for
from assistant.service.ratelimit import Rate, RateLimiter
from assistant.service.session import COOKIE, SECRET_FILE, Session, Sessions, sign, unsign
from assistant.service.ui_access import ui_guard

from .conftest import ADMIN_TOKEN, make_settings
from .fakes import FakeEngine

GRADIO_ROUTES = ["/ui/config", "/ui/gradio_api/info", "/ui/gradio_api/queue/data?session_hash=x"]


def test_a_cookie_is_accepted_only_unaltered_and_unexpired() -> None:
    key = b"k" * 32
    session = Session("张三", "staff:abc", 2000)
    cookie = sign(session, key)
    assert unsign(cookie, key, now=1000) == session
    assert unsign(cookie, key, now=2001) is None  # expired
    assert unsign(cookie, b"x" * 32, now=1000) is None  # another server's secret
    _, mac = cookie.split(".")
    forged = sign(Session("张三", "admin:abc", 2000), b"guess")
    assert unsign(forged.split(".")[0] + "." + mac, key, now=1000) is None
    assert unsign("garbage", key, now=1000) is None and unsign("", key, now=1000) is None


@pytest.fixture
def store(tmp_path: Path) -> KeyStore:
    return key_store_for(tmp_path / "var")


def test_staff_keys_and_the_admin_token_log_in_nothing_else(tmp_path: Path, store: KeyStore) -> None:
    sessions = Sessions(tmp_path / "var", store, ADMIN_TOKEN)
    staff = store.create("staff", name="李四").key
    server = store.create("server").key
    widget = store.create("widget", ["https://example.com"]).key
    assert sessions.login(staff) is not None and sessions.login(staff).user == "李四"  # type: ignore[union-attr]
    assert sessions.login(ADMIN_TOKEN) is not None
    assert [sessions.login(t) for t in (server, widget, "st_nope", "")] == [None] * 4


def test_revoking_the_key_or_changing_the_token_ends_the_session(tmp_path: Path, store: KeyStore) -> None:
    sessions = Sessions(tmp_path / "var", store, ADMIN_TOKEN)
    staff = store.create("staff").key
    staff_cookie = sign(sessions.login(staff), sessions.key)  # type: ignore[arg-type]
    admin_cookie = sign(sessions.login(ADMIN_TOKEN), sessions.key)  # type: ignore[arg-type]
    assert sessions.current(staff_cookie) is not None and sessions.current(admin_cookie) is not None
    store.revoke(staff)
    assert sessions.current(staff_cookie) is None
    assert Sessions(tmp_path / "var", store, "another-token").current(admin_cookie) is None


def test_every_worker_shares_one_secret_file(tmp_path: Path, store: KeyStore) -> None:
    first, second = (
        Sessions(tmp_path / "var", store, ADMIN_TOKEN),
        Sessions(tmp_path / "var", store, ADMIN_TOKEN),
    )
    cookie = sign(first.login(ADMIN_TOKEN), first.key)  # type: ignore[arg-type]
    assert second.current(cookie) is not None
    assert stat.S_IMODE((tmp_path / "var" / SECRET_FILE).stat().st_mode) == 0o600


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[tuple[TestClient, KeyStore]]:
    settings = make_settings(tmp_path, require_keys=True)
    with TestClient(create_app(settings, engine=FakeEngine()), raise_server_exceptions=False) as client:
        yield client, key_store_for(settings.data_dir)


def test_with_keys_required_the_ui_needs_a_login(locked: tuple[TestClient, KeyStore]) -> None:
    client, store = locked
    page = client.get("/ui/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/ui/"
    assert all(client.get(path).status_code == 401 for path in GRADIO_ROUTES)
    join = client.post("/ui/gradio_api/queue/join", json={"data": [], "fn_index": 0, "session_hash": "x"})
    assert join.status_code == 401
    assert client.post("/ui/gradio_api/upload", files={"files": ("a.txt", b"x")}).status_code == 401

    wrong = client.post("/v1/session", json={"token": "st_wrong"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_login"
    staff = store.create("staff", name="王五").key
    login = client.post("/v1/session", json={"token": staff})
    assert login.status_code == 200 and login.json()["user"] == "王五"
    assert "httponly" in login.headers["set-cookie"].lower() and COOKIE in client.cookies
    assert client.get("/ui/", follow_redirects=False).status_code == 200
    assert all(client.get(path).status_code == 200 for path in GRADIO_ROUTES[:2])

    store.revoke(staff)
    assert client.get("/ui/config").status_code == 401
    assert client.get("/ui/", follow_redirects=False).status_code == 303


def test_the_admin_token_logs_in_and_logout_clears_the_cookie(locked: tuple[TestClient, KeyStore]) -> None:
    client, _ = locked
    assert client.post("/v1/session", json={"token": ADMIN_TOKEN}).status_code == 200
    assert client.get("/ui/config").status_code == 200
    assert client.delete("/v1/session").status_code == 204
    assert client.get("/ui/config").status_code == 401


def test_the_login_page_only_returns_into_the_ui(locked: tuple[TestClient, KeyStore]) -> None:
    client, _ = locked
    page = client.get("/login")
    assert page.status_code == 200 and "/v1/session" in page.text and 'type="password"' in page.text
    assert r"/^\/ui(\/|$)/" in page.text  # `next` outside /ui (an open redirect) is replaced by /ui/


def test_without_keys_the_ui_stays_open(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path), engine=FakeEngine())) as client:
        assert client.get("/ui/", follow_redirects=False).status_code == 200
        assert client.get("/ui/config").status_code == 200


def test_the_ui_can_be_turned_off(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, ui_enabled=False), engine=FakeEngine())
    with TestClient(app) as client:
        assert client.get("/ui/", follow_redirects=False).status_code == 404
        assert client.get("/ui/config").status_code == 404
        assert client.get("/", follow_redirects=False).headers["location"] == "/docs"
        assert client.post("/v1/ask", json={"question": "专利"}).status_code == 200


def gradio_request(host: str, user: str | None) -> Any:
    return SimpleNamespace(client=SimpleNamespace(host=host), username=user)


def test_ui_actions_share_the_api_windows(tmp_path: Path) -> None:
    limiter = RateLimiter(Rate(2, 60.0), per_key=Rate(3, 60.0))
    guard = ui_guard(AccessPolicy(True, key_store_for(tmp_path), limiter))
    guard(gradio_request("10.0.0.1", "staff:aa"))
    guard(gradio_request("10.0.0.1", "staff:aa"))
    with pytest.raises(gr.Error, match="频繁"):
        guard(gradio_request("10.0.0.1", "staff:aa"))
    guard(gradio_request("10.0.0.2", "staff:aa"))  # the same login from elsewhere: its own window
    with pytest.raises(gr.Error):
        guard(gradio_request("10.0.0.3", "staff:aa"))  # but the login's ceiling (3) is reached
    guard(None)  # a direct call (not through Gradio) is not counted


def test_policyqa_keys_creates_staff_logins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import CliError
    from tests.widget.test_widget_keys import run_keys

    code, out = run_keys(["keys", "create", "--staff", "--name", "张三", "--json"], tmp_path, capsys)
    staff = json.loads(out)
    assert (
        code == 0 and staff["key"].startswith("st_") and staff["kind"] == "staff" and staff["name"] == "张三"
    )
    assert Sessions(tmp_path, key_store_for(tmp_path), None).login(staff["key"]) is not None
    with pytest.raises(CliError, match="not bound to origins"):
        run_keys(["keys", "create", "--staff", "--origin", "https://a.example"], tmp_path, capsys)
    with pytest.raises(SystemExit):  # --server and --staff exclude each other
        run_keys(["keys", "create", "--staff", "--server"], tmp_path, capsys)
