"""API keys: widget keys (`pk_…`, public, bound to page origins), server keys (`sk_…`, secret) and staff
keys (`st_…`, secret: a person's login to the web UI when keys are required).

The store is one small JSON file written atomically (temp file + os.replace). Readers re-load it
whenever its mtime/size changes, so `policyqa keys revoke` takes effect on a running server.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

KeyKind = Literal["widget", "server", "staff"]
KEY_PREFIX: dict[KeyKind, str] = {"widget": "pk_", "server": "sk_", "staff": "st_"}
DEFAULT_PORTS = {"http": 80, "https": 443}


class InvalidOrigin(ValueError):
    """An origin is not of the form scheme://host[:port]."""


class UnknownKey(LookupError):
    """No active key has this value."""


class KeyStoreError(RuntimeError):
    """The key file exists but cannot be read."""


@dataclass(frozen=True)
class ApiKey:
    key: str
    kind: KeyKind
    name: str
    origins: tuple[str, ...]
    created: str  # ISO-8601 UTC

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "name": self.name,
            "origins": list(self.origins),
            "created": self.created,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ApiKey:
        kind = data.get("kind")
        if kind not in KEY_PREFIX:
            raise KeyStoreError(f"unknown key kind {kind!r}")
        return cls(
            key=str(data["key"]),
            kind=kind,
            name=str(data.get("name", "")),
            origins=tuple(str(o) for o in data.get("origins", [])),
            created=str(data.get("created", "")),
        )


def normalize_origin(raw: str) -> str:
    """'HTTPS://Example.com:443/' → 'https://example.com'; what browsers send in the Origin header."""
    text = raw.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidOrigin(f"invalid origin {raw!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidOrigin(f"invalid origin {raw!r}: expected http:// or https://, e.g. https://example.com")
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise InvalidOrigin(
            f"invalid origin {raw!r}: expected scheme://host[:port], e.g. https://example.com"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise InvalidOrigin(f"invalid origin {raw!r}: an origin has no path, query or fragment")
    host = _ascii_host(parts.hostname, raw)
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _ascii_host(hostname: str, raw: str) -> str:
    # Browsers send internationalised host names in their punycode form.
    try:
        return hostname.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise InvalidOrigin(f"invalid origin {raw!r}: bad host name") from exc


def new_key_value(kind: KeyKind) -> str:
    return KEY_PREFIX[kind] + secrets.token_urlsafe(24)


def make_key(kind: KeyKind, origins: Iterable[str], name: str = "", now: datetime | None = None) -> ApiKey:
    normalized = tuple(dict.fromkeys(normalize_origin(o) for o in origins))
    if kind == "widget" and not normalized:
        raise InvalidOrigin("a widget key needs at least one origin (--origin https://example.com)")
    created = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
    return ApiKey(key=new_key_value(kind), kind=kind, name=name, origins=normalized, created=created)


class KeyStore:
    """Thread-safe JSON-file key store; reads are cached until the file changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._keys: dict[str, ApiKey] = {}

    def list(self) -> list[ApiKey]:
        return list(self._snapshot().values())

    def lookup(self, key: str) -> ApiKey | None:
        return self._snapshot().get(key)

    def widget_origins(self) -> frozenset[str]:
        return frozenset(o for k in self._snapshot().values() if k.kind == "widget" for o in k.origins)

    def create(self, kind: KeyKind, origins: Iterable[str] = (), name: str = "") -> ApiKey:
        record = make_key(kind, origins, name)
        with self._lock:
            keys = self._load_locked()
            keys[record.key] = record
            self._write_locked(keys)
        return record

    def revoke(self, key: str) -> ApiKey:
        with self._lock:
            keys = self._load_locked()
            if key not in keys:
                raise UnknownKey(f"no such key: {key}")
            record = keys.pop(key)
            self._write_locked(keys)
        return record

    def _snapshot(self) -> dict[str, ApiKey]:
        with self._lock:
            return self._load_locked()

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        # os.replace gives a new inode, so a rewrite is noticed even within one mtime tick.
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _load_locked(self) -> dict[str, ApiKey]:
        stamp = self._file_stamp()
        if stamp != self._stamp:
            self._keys = _read_keys(self.path) if stamp is not None else {}
            self._stamp = stamp
        return dict(self._keys)

    def _write_locked(self, keys: dict[str, ApiKey]) -> None:
        payload = {"keys": [k.to_dict() for k in keys.values()]}
        _atomic_write(self.path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        self._keys = dict(keys)
        self._stamp = self._file_stamp()


def _read_keys(path: Path) -> dict[str, ApiKey]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        records = [ApiKey.from_dict(item) for item in data["keys"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, KeyStoreError) as exc:
        raise KeyStoreError(f"cannot read key file {path}: {exc}") from exc
    return {r.key: r for r in records}


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)  # the file holds secret server keys
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def key_store_for(data_dir: Path) -> KeyStore:
    return KeyStore(data_dir / "keys.json")
