"""`python -m bench.ratelimit`: the cost of the rate limiter per request, as the server calls it.

The limiter (assistant/service/ratelimit.py, on the `limits` package) tests and then takes one request
from two moving windows: per (key, client IP) and per key. Measured in process with memory storage over
500 client IPs of one key at realistic limits (30/minute, ceiling 600/minute), so most calls are refused
after the first minute's worth, and over fresh clients that are all let through. Writes
bench/results/ratelimit.json.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from assistant.service.ratelimit import Rate, RateLimiter

RESULTS = Path(__file__).resolve().parent / "results" / "ratelimit.json"
CALLS = 20_000


def per_call_us(limiter: RateLimiter, clients: int, key: str | None) -> float:
    started = time.perf_counter()
    for i in range(CALLS):
        limiter.hit(f"10.0.{i % clients // 256}.{i % 256}", key)
    return (time.perf_counter() - started) / CALLS * 1e6


def main() -> None:
    runs: dict[str, list[float]] = {
        "allowed (fresh windows)": [],
        "mostly refused (30/minute)": [],
        "no key": [],
    }
    for _ in range(5):
        runs["allowed (fresh windows)"].append(
            per_call_us(RateLimiter(Rate(10**6, 60.0), Rate(10**7, 60.0)), 500, "pk_site")
        )
        runs["mostly refused (30/minute)"].append(per_call_us(RateLimiter(Rate(30, 60.0)), 500, "pk_site"))
        runs["no key"].append(per_call_us(RateLimiter(Rate(10**6, 60.0)), 500, None))
    result = {name: round(statistics.median(values), 1) for name, values in runs.items()}
    RESULTS.write_text(json.dumps({"us_per_request": result, "calls": CALLS}, indent=2) + "\n")
    for name, value in result.items():
        print(f"{name}: {value} µs per request")


if __name__ == "__main__":
    main()
