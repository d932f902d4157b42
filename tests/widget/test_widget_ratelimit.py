"""Token-bucket limiter, driven by an injected clock."""

from __future__ import annotations

import threading

import pytest

from assistant.service.ratelimit import Rate, RateLimiter, RateLimitSpecError, parse_rate, retry_after_header


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


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


def test_burst_then_refill() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Rate(3, 1.0), clock=clock)
    assert [limiter.hit(["ip:a"]) for _ in range(3)] == [None, None, None]
    wait = limiter.hit(["ip:a"])
    assert wait == pytest.approx(1 / 3)
    clock.now += 0.2
    assert limiter.hit(["ip:a"]) == pytest.approx(1 / 3 - 0.2)
    clock.now += 0.14
    assert limiter.hit(["ip:a"]) is None
    assert limiter.hit(["ip:a"]) is not None


def test_buckets_are_independent_per_client() -> None:
    limiter = RateLimiter(Rate(1, 60.0), clock=FakeClock())
    assert limiter.hit(["ip:a"]) is None
    assert limiter.hit(["ip:a"]) == pytest.approx(60.0)
    assert limiter.hit(["ip:b"]) is None


def test_a_refused_request_takes_no_token() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Rate(2, 60.0), clock=clock)
    assert limiter.hit(["ip:a", "key:k"]) is None
    assert limiter.hit(["ip:a", "key:k"]) is None
    # the key is exhausted; the other IP's bucket must stay untouched by the refused request
    assert limiter.hit(["ip:b", "key:k"]) is not None
    assert limiter.hit(["ip:b"]) is None
    assert limiter.hit(["ip:b"]) is None
    assert limiter.hit(["ip:b"]) is not None


def test_bucket_never_exceeds_capacity() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Rate(2, 1.0), clock=clock)
    clock.now += 3600
    assert [limiter.hit(["ip:a"]) is None for _ in range(3)] == [True, True, False]


def test_full_buckets_are_pruned() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Rate(5, 1.0), clock=clock, max_buckets=10)
    for i in range(10):
        limiter.hit([f"ip:{i}"])
    clock.now += 10  # everything refilled
    limiter.hit(["ip:new"])
    limiter.hit(["ip:newer"])
    assert len(limiter._buckets) <= 2


def test_thread_safety_exactly_capacity_requests_pass() -> None:
    limiter = RateLimiter(Rate(50, 3600.0))
    results: list[float | None] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(20):
            outcome = limiter.hit(["ip:a"])
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
