"""Access decisions as pure functions: keys, origins, CORS."""

from __future__ import annotations

import pytest

from assistant.service.access import bearer_token, cors_allowed, decide, origin_matches
from assistant.service.keys import ApiKey

WIDGET = ApiKey("pk_site", "widget", "site", ("https://example.com", "http://localhost:3000"), "2024-01-01")
SERVER = ApiKey("sk_backend", "server", "backend", (), "2024-01-01")
KEYS = {k.key: k for k in (WIDGET, SERVER)}


def check(
    widget_key: str | None = None, bearer: str | None = None, origin: str | None = None
) -> tuple[int, str]:
    decision = decide(True, widget_key, bearer, origin, KEYS.get)
    return decision.status, decision.code


def test_open_mode_allows_everything() -> None:
    decision = decide(False, None, None, None, KEYS.get)
    assert decision.allowed and decision.client_id is None
    assert decide(False, "pk_whatever", None, "https://evil.example", KEYS.get).allowed


def test_no_key_is_401() -> None:
    assert check() == (401, "missing_key")
    assert check(origin="https://example.com") == (401, "missing_key")


def test_widget_key_bound_to_origins() -> None:
    assert check("pk_site", origin="https://example.com") == (200, "ok")
    assert check("pk_site", origin="HTTPS://EXAMPLE.COM:443") == (200, "ok")
    assert check("pk_site", origin="http://localhost:3000") == (200, "ok")
    assert check("pk_site", origin="https://evil.example") == (403, "origin_not_allowed")
    assert check("pk_site", origin="http://example.com") == (403, "origin_not_allowed")  # scheme matters
    assert check("pk_site", origin="null") == (403, "origin_not_allowed")
    assert check("pk_site") == (403, "origin_required")


def test_unknown_or_misplaced_keys_are_401() -> None:
    assert check("pk_revoked", origin="https://example.com") == (401, "invalid_key")
    assert check("sk_backend", origin="https://example.com") == (401, "invalid_key")  # secret key in a page
    assert check(bearer="pk_site") == (401, "invalid_key")
    assert check(bearer="sk_unknown") == (401, "invalid_key")


def test_server_key_needs_no_origin() -> None:
    assert check(bearer="sk_backend") == (200, "ok")
    assert decide(True, None, "sk_backend", None, KEYS.get).client_id == "sk_backend"
    assert decide(True, "pk_site", None, "https://example.com", KEYS.get).client_id == "pk_site"


@pytest.mark.parametrize(
    ("header", "token"),
    [
        (None, None),
        ("", None),
        ("Bearer sk_1", "sk_1"),
        ("bearer  sk_1 ", "sk_1"),
        ("Basic abc", None),
        ("Bearer", None),
    ],
)
def test_bearer_token(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


def test_origin_matching_is_normalised_and_total() -> None:
    allowed = {"https://example.com"}
    assert origin_matches("https://example.com/", allowed)
    assert not origin_matches(None, allowed)
    assert not origin_matches("null", allowed)
    assert not origin_matches("file://", allowed)


def test_cors_only_for_registered_origins_when_keys_required() -> None:
    registered = frozenset({"https://example.com"})
    assert cors_allowed(True, "https://example.com", registered)
    assert not cors_allowed(True, "https://evil.example", registered)
    assert cors_allowed(False, "https://evil.example", registered)
