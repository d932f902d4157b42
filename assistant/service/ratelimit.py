"""Rate limits per client and per key, on the `limits` package (moving windows in memory or Redis).

Two windows guard every request:
- per client: (key, client IP), or the IP alone when no verified key came with the request;
- per key: all clients of one key together, a much larger ceiling.
So one abusive client of a public widget key runs out of its own window, not the site's.
"""

from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerHour, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.errors import ConfigurationError
from limits.storage import MemoryStorage, MovingWindowSupport, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

PERIODS = {
    "s": 1.0,
    "sec": 1.0,
    "second": 1.0,
    "m": 60.0,
    "min": 60.0,
    "minute": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hour": 3600.0,
}
_ITEMS: dict[float, type[RateLimitItem]] = {
    1.0: RateLimitItemPerSecond,
    60.0: RateLimitItemPerMinute,
    3600.0: RateLimitItemPerHour,
}
_SPEC = re.compile(r"^\s*(\d+)\s*(?:/|per)\s*([a-z]+?)s?\s*$", re.IGNORECASE)
# Without its own setting, one key may serve this many clients at their full rate at once.
KEY_CEILING_FACTOR = 20


class RateLimitSpecError(ValueError):
    """A rate-limit setting cannot be parsed, or its storage cannot be used."""


class RateLimitUnavailable(RuntimeError):
    """The shared storage of the windows (e.g. Redis) did not answer."""


@dataclass(frozen=True)
class Rate:
    count: int
    period: float  # seconds

    def item(self) -> RateLimitItem:
        return _ITEMS[self.period](self.count)

    def times(self, factor: int) -> Rate:
        return Rate(self.count * factor, self.period)


def parse_rate(spec: str) -> Rate:
    """'30/minute' → Rate(30, 60.0). Also /second, /hour (and s, min, h abbreviations)."""
    match = _SPEC.match(spec)
    unit = match.group(2).lower() if match else ""
    if not match or unit not in PERIODS or int(match.group(1)) < 1:
        raise RateLimitSpecError(
            f"invalid rate limit {spec!r}: expected COUNT/PERIOD with COUNT ≥ 1 and PERIOD one of "
            "second, minute, hour (e.g. '30/minute')"
        )
    return Rate(count=int(match.group(1)), period=PERIODS[unit])


def open_storage(uri: str) -> Storage:
    """A synchronous `limits` storage with moving-window support: memory://, redis://, mongodb://…"""
    try:
        storage = storage_from_string(uri)
    except (ConfigurationError, ValueError, ImportError) as exc:
        raise RateLimitSpecError(f"invalid rate-limit storage {uri!r}: {exc}") from exc
    if not isinstance(storage, Storage) or not isinstance(storage, MovingWindowSupport):
        raise RateLimitSpecError(
            f"rate-limit storage {uri!r} cannot keep moving windows: use memory://, redis://… or mongodb://…"
        )
    return storage


class RateLimiter:
    """`hit(client, key)`: None when allowed, else the seconds until the client may try again."""

    def __init__(self, per_client: Rate, per_key: Rate | None = None, storage_uri: str = "memory://") -> None:
        self.per_client = per_client
        self.per_key = per_key or per_client.times(KEY_CEILING_FACTOR)
        self.storage = open_storage(storage_uri)
        self._windows = MovingWindowRateLimiter(self.storage)
        # Test-then-hit of two windows is one step within this process (other processes sharing a Redis
        # may overshoot a window by the requests that race it).
        self._lock = threading.Lock()

    @property
    def shared(self) -> bool:
        """True when the windows live outside this process (calls may block on the network)."""
        return not isinstance(self.storage, MemoryStorage)

    def hit(self, client: str, key: str | None = None) -> float | None:
        checks: list[tuple[RateLimitItem, tuple[str, ...]]] = [
            (self.per_client.item(), ("client", key or "-", client))
        ]
        if key:
            checks.append((self.per_key.item(), ("key", key)))
        try:
            with self._lock:
                # Test all first: a request refused by the key's ceiling costs the client nothing.
                for item, ids in checks:
                    if not self._windows.test(item, *ids):
                        return self._wait(item, ids)
                for item, ids in checks:
                    self._windows.hit(item, *ids)
        except Exception as exc:  # storage errors of any backend: answered 503, never 500
            raise RateLimitUnavailable(f"rate-limit storage unavailable: {type(exc).__name__}") from exc
        return None

    def _wait(self, item: RateLimitItem, ids: tuple[str, ...]) -> float:
        stats = self._windows.get_window_stats(item, *ids)
        return max(0.0, stats.reset_time - time.time())


def retry_after_header(wait: float) -> str:
    """HTTP Retry-After is whole seconds; round up so a client that obeys it is let through."""
    return str(max(1, math.ceil(wait)))
