"""Web UI logins when keys are required: a signed, expiring session cookie issued by the API.

A person logs in with a staff key (`policyqa keys create --staff`) or the admin token. The cookie holds
a fingerprint of that secret (never the secret) and is checked against the live key file on every
request, so revoking the key or changing the admin token ends the session at once. The signing secret
is a file in the data folder, so every worker (and a restarted server) accepts the same cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.service.keys import KeyStore

COOKIE = "policyqa_session"
SESSION_SECONDS = 12 * 3600
SECRET_FILE = "session.key"


def fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Session:
    user: str  # a label for logs and the UI: the staff key's name, or "admin"
    subject: str  # "admin:<fingerprint>" or "staff:<fingerprint>"
    expires: int  # Unix time


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(session: Session, key: bytes) -> str:
    payload = json.dumps({"u": session.user, "s": session.subject, "e": session.expires}, ensure_ascii=False)
    body = _b64(payload.encode("utf-8"))
    return f"{body}.{_b64(hmac.new(key, body.encode('ascii'), hashlib.sha256).digest())}"


def unsign(cookie: str, key: bytes, now: float) -> Session | None:
    """The session in a cookie whose signature is right and which has not expired; else None."""
    body, _, mac = cookie.partition(".")
    try:
        expected = hmac.new(key, body.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(_unb64(mac), expected):
            return None
        data = json.loads(_unb64(body))
        session = Session(str(data["u"]), str(data["s"]), int(data["e"]))
    except (ValueError, KeyError, TypeError, UnicodeError):
        return None
    return session if session.expires > now else None


def load_secret(data_dir: Path) -> bytes:
    """The signing secret, created once (atomically: concurrent workers agree on one)."""
    path = data_dir / SECRET_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{SECRET_FILE}.", dir=data_dir)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.link(tmp, path)  # fails if another worker won the race: then its secret is used
        except FileExistsError:
            pass
        finally:
            Path(tmp).unlink(missing_ok=True)
    return path.read_bytes()


class Sessions:
    def __init__(self, data_dir: Path, store: KeyStore, admin_token: str | None) -> None:
        self._data_dir = data_dir
        self._store = store
        self._admin = admin_token
        self._key: bytes | None = None

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = load_secret(self._data_dir)
        return self._key

    def login(self, token: str, now: float | None = None) -> Session | None:
        """A new session for a valid staff key or the admin token; None otherwise."""
        expires = int((now or time.time()) + SESSION_SECONDS)
        if self._admin and hmac.compare_digest(token.encode(), self._admin.encode()):
            return Session("admin", f"admin:{fingerprint(token)}", expires)
        record = self._store.lookup(token)
        if record is None or record.kind != "staff":
            return None
        return Session(record.name or "staff", f"staff:{fingerprint(token)}", expires)

    def current(self, cookie: str | None, now: float | None = None) -> Session | None:
        """The cookie's session while it is unexpired and its key or token is still valid."""
        if not cookie:
            return None
        session = unsign(cookie, self.key, now or time.time())
        if session is None:
            return None
        kind, _, print_ = session.subject.partition(":")
        if kind == "admin":
            valid = bool(self._admin) and hmac.compare_digest(print_, fingerprint(self._admin or ""))
        else:
            valid = any(k.kind == "staff" and fingerprint(k.key) == print_ for k in self._store.list())
        return session if valid else None
