"""Subprocess servers for the reliability tests: start, wait for /readyz, SIGKILL, restart.

Every server runs in its own session so that a kill reaches uvicorn's worker processes too, and only
processes this module started are ever signalled (by process-group id).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
ADMIN_TOKEN = "reliability-admin-token-5f3c"
LLM_KEY = "sk-reliability-llm-key-9e1d"
POLICYQA = REPO / ".venv" / "bin" / "policyqa"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Dirs:
    corpus: Path
    index: Path
    data: Path
    logs: Path

    @classmethod
    def create(cls, root: Path, index_from: Path | None = None) -> Dirs:
        """A private copy of corpus/ (and of a prebuilt index, when given) under `root`."""
        dirs = cls(root / "corpus", root / "index", root / "var", root / "logs")
        shutil.copytree(CORPUS, dirs.corpus)
        if index_from is not None:
            shutil.copytree(index_from, dirs.index)
        dirs.logs.mkdir(parents=True)
        return dirs

    def env(self) -> dict[str, str]:
        return {
            "POLICYQA_CORPUS_DIR": str(self.corpus),
            "POLICYQA_INDEX_DIR": str(self.index),
            "POLICYQA_DATA_DIR": str(self.data),
            "POLICYQA_PROMPTS_DIR": str(REPO / "prompts"),
            "POLICYQA_ADMIN_TOKEN": ADMIN_TOKEN,
        }


def base_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYQA_")}
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"})
    env.update({"PYTHONPATH": str(REPO), "GRADIO_ANALYTICS_ENABLED": "False"})
    env.update(extra)
    return env


def hash_command(*args: str) -> list[str]:
    """The policyqa CLI with the HashEmbedder (see hash_serve.py)."""
    return [sys.executable, "-m", "tests.reliability.hash_serve", *args]


def real_command(*args: str) -> list[str]:
    """The installed `policyqa` entry point with the real m3e-small model."""
    return [str(POLICYQA), *args]


class ServerProcess:
    """`policyqa serve` in a subprocess on a free loopback port."""

    def __init__(
        self,
        dirs: Dirs,
        *,
        real_model: bool = False,
        workers: int = 1,
        env: Mapping[str, str] | None = None,
        name: str = "server",
    ) -> None:
        self.dirs = dirs
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stderr_path = dirs.logs / f"{name}-{self.port}.stderr"
        command = real_command if real_model else hash_command
        self.workers = workers
        self.argv = command("serve", "--port", str(self.port), "--workers", str(workers))
        self.env = base_env({**dirs.env(), **(env or {})})
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> ServerProcess:
        with self.stderr_path.open("wb") as err:
            self.proc = subprocess.Popen(
                self.argv,
                cwd=REPO,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=err,
                start_new_session=True,  # its own process group: a kill reaches every worker
            )
        return self

    def wait_ready(self, timeout: float = 120.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.stderr_tail()}")
            # Each worker loads its own engine and logs "engine ready"; /readyz reaches only one of them.
            if self.engines_ready() >= self.workers:
                with contextlib.suppress(httpx.HTTPError):
                    resp = httpx.get(f"{self.url}/readyz", timeout=2)
                    if resp.status_code == 200:
                        body: dict[str, Any] = resp.json()
                        return body
            time.sleep(0.1)
        raise RuntimeError(f"server not ready after {timeout} s:\n{self.stderr_tail()}")

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown hooks, no flushing, like a power cut to the app."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM, grace=20)

    def _signal(self, sig: signal.Signals, grace: float = 10) -> None:
        proc = self.proc
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        # Workers may outlive the parent for a moment; make sure the group is gone.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    def engines_ready(self) -> int:
        return sum('"engine ready"' in line for line in self.stderr_lines())

    def stderr_lines(self) -> list[str]:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace").splitlines()

    def stderr_tail(self, n: int = 30) -> str:
        return "\n".join(self.stderr_lines()[-n:])

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def running(server: ServerProcess, timeout: float = 120.0) -> Iterator[ServerProcess]:
    with server:
        server.wait_ready(timeout)
        yield server


def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def lock_is_free(index_dir: Path) -> bool:
    """True when no process holds the index writer lock (a dead writer must not leave it held)."""
    lock = index_dir / ".lock"
    if not lock.exists():
        return True
    with lock.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(fh, fcntl.LOCK_UN)
        return True


def current_version(index_dir: Path) -> str:
    return (index_dir / "CURRENT").read_text(encoding="utf-8").strip()


def json_lines(lines: list[str]) -> list[dict[str, Any]]:
    """Parse every non-empty line as a JSON object; raise with the offending line otherwise."""
    records = []
    for line in lines:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AssertionError(f"log line is not JSON: {line!r}") from exc
        if not isinstance(record, dict):
            raise AssertionError(f"log line is not a JSON object: {line!r}")
        records.append(record)
    return records
