"""Rate limits: the spec parser, and the two moving windows (per client, per key) on `limits`."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.service.ratelimit import (
    KEY_CEILING_FACTOR,
    Rate,
    RateLimiter,
    RateLimitSpecError,
    parse_rate,
    retry_after_header,
)


@pytest.mark.parametrize(
    ("spec", "rate"),
    [
        ("30/minute", Rate(30, 60.0)),
        ("5/second", Rate(5, 1.0)),
        ("100/hour", Rate(100, 3600.0)),
        (" 10 / min ", Rate(10, 60.0)),
        ("2/s", Rate(2, 1.0)),
        ("7/HOURS", Rate(7, 3600.0)),
        ("3 per minute", Rate(3, 60.0)),
    ],
)
def test_parse_rate(spec: str, rate: Rate) -> None:
    assert parse_rate(spec) == rate


@pytest.mark.parametrize(
    "spec", ["", "30", "minute", "0/minute", "-1/minute", "30/fortnight", "x/minute", "3.5/s"]
)
def test_parse_rate_rejects_bad_specs(spec: str) -> None:
    with pytest.raises(RateLimitSpecError, match="invalid rate limit"):
        parse_rate(spec)


@pytest.mark.parametrize("uri", ["nosuch://x", "async+memory://", "not a uri"])
def test_unusable_storage_is_refused_with_its_name(uri: str) -> None:
    with pytest.raises(RateLimitSpecError, match="storage"):
        RateLimiter(Rate(1, 60.0), storage_uri=uri)


def test_window_allows_the_count_then_says_how_long_to_wait() -> None:
    limiter = RateLimiter(Rate(3, 60.0))
    assert [limiter.hit("1.1.1.1") for _ in range(3)] == [None, None, None]
    wait = limiter.hit("1.1.1.1")
    assert wait is not None and 55 < wait <= 60
    assert limiter.hit("2.2.2.2") is None  # another client has its own window


def test_window_reopens_after_its_period() -> None:
    limiter = RateLimiter(Rate(2, 1.0))
    assert [limiter.hit("a") is None for _ in range(3)] == [True, True, False]
    time.sleep(1.05)
    assert limiter.hit("a") is None


def test_one_client_cannot_use_up_a_key_for_the_others() -> None:
    limiter = RateLimiter(Rate(2, 60.0), per_key=Rate(5, 60.0))
    abuser = [limiter.hit("6.6.6.6", "pk_site") for _ in range(10)]
    assert [w is None for w in abuser] == [True, True] + [False] * 8
    assert limiter.hit("1.1.1.1", "pk_site") is None  # the site's visitors still get answers
    assert limiter.hit("6.6.6.6", "pk_other") is None  # a window per (key, client)


def test_the_key_ceiling_holds_for_all_clients_together() -> None:
    limiter = RateLimiter(Rate(2, 60.0), per_key=Rate(5, 60.0))
    allowed = [limiter.hit(f"10.0.0.{i}", "pk_site") is None for i in range(8)]
    assert allowed == [True] * 5 + [False] * 3
    assert limiter.hit("10.0.0.99") is None  # without the key, only the client's own window counts


def test_the_key_ceiling_defaults_to_a_multiple_of_the_client_rate() -> None:
    assert RateLimiter(Rate(30, 60.0)).per_key == Rate(30 * KEY_CEILING_FACTOR, 60.0)


def test_a_request_refused_by_the_key_ceiling_costs_the_client_nothing() -> None:
    limiter = RateLimiter(Rate(2, 60.0), per_key=Rate(2, 60.0))
    assert limiter.hit("a", "k") is None and limiter.hit("b", "k") is None  # the key is full
    assert limiter.hit("c", "k") is not None
    assert limiter.hit("c") is None and limiter.hit("c") is None  # c's window was not charged
    assert limiter.hit("c") is not None


def test_concurrent_requests_pass_exactly_the_count() -> None:
    limiter = RateLimiter(Rate(50, 3600.0), per_key=Rate(60, 3600.0))
    results: list[float | None] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(20):
            outcome = limiter.hit("a", "k")
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is None for r in results) == 50


@pytest.mark.parametrize(("wait", "header"), [(0.0, "1"), (0.01, "1"), (1.0, "1"), (1.2, "2"), (59.5, "60")])
def test_retry_after_is_whole_seconds_rounded_up(wait: float, header: str) -> None:
    assert retry_after_header(wait) == header
