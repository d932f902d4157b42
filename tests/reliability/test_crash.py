"""Crash safety: SIGKILL `policyqa serve` during uploads and deletes, and `policyqa index --rebuild`
mid-run; the index must load afterwards, serve the previous or the new version, and keep every
acknowledged write. Timing-free: kills are placed by watching the files, never by asserting speed."""

from __future__ import annotations

import random
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from .docs import assert_fully_indexed, assert_index_matches_corpus, doc_id_for, served_ids, upload
from .proc import (
    Dirs,
    ServerProcess,
    admin_headers,
    base_env,
    current_version,
    json_lines,
    lock_is_free,
    real_command,
    running,
)

pytestmark = pytest.mark.slow

# Seconds per batch encode in the hash servers: long enough to kill a rebuild in its middle.
ENCODE_DELAY = {"POLICYQA_TEST_ENCODE_DELAY": "0.4"}


@dataclass
class Ledger:
    """What the server acknowledged: these must hold after any crash."""

    present: set[int] = field(default_factory=set)
    absent: set[int] = field(default_factory=set)
    interrupted: int = 0  # writes the kill cut off before any answer
    next_doc: int = 1

    def new_doc(self) -> int:
        self.next_doc += 1
        return self.next_doc - 1


class Background:
    """One request on a thread; its response, or None when the kill cut it off."""

    def __init__(self, send: Callable[[httpx.Client], httpx.Response]) -> None:
        self.response: httpx.Response | None = None
        self._send = send
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with httpx.Client() as client:
                self.response = self._send(client)
        except httpx.HTTPError:
            self.response = None

    def status(self, ledger: Ledger) -> int | None:
        self._thread.join(30)
        if self.response is None:
            ledger.interrupted += 1
            return None
        return self.response.status_code


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.002)
    return False


def versions(index_dir: Path) -> set[str]:
    return {p.name for p in index_dir.glob("v-*")}


# --- kill points -------------------------------------------------------------------------------------------
# Each one performs a write against `server`, SIGKILLs it at some moment, and records acknowledgements.

Step = Callable[[ServerProcess, Ledger, random.Random], None]


def kill_after_upload_acks(server: ServerProcess, ledger: Ledger, rng: random.Random) -> None:
    with httpx.Client() as client:
        for i in (ledger.new_doc(), ledger.new_doc()):
            resp = upload(client, server.url, i, admin_headers())
            assert resp.status_code == 201, resp.text
            ledger.present.add(i)
    server.kill()


def kill_right_after_sending(server: ServerProcess, ledger: Ledger, rng: random.Random) -> None:
    i = ledger.new_doc()
    job = Background(lambda c: upload(c, server.url, i, admin_headers()))
    time.sleep(0.02)
    server.kill()
    if job.status(ledger) == 201:
        ledger.present.add(i)


def kill_once_the_file_is_in_the_corpus(server: ServerProcess, ledger: Ledger, rng: random.Random) -> None:
    i = ledger.new_doc()
    target = server.dirs.corpus / f"{doc_id_for(i)}.txt"
    job = Background(lambda c: upload(c, server.url, i, admin_headers()))
    wait_until(target.exists)  # the file is written; the rebuild is embedding it
    server.kill()
    if job.status(ledger) == 201:
        ledger.present.add(i)


def kill_while_the_new_version_is_written(server: ServerProcess, ledger: Ledger, rng: random.Random) -> None:
    i = ledger.new_doc()
    before = versions(server.dirs.index)
    job = Background(lambda c: upload(c, server.url, i, admin_headers()))
    wait_until(lambda: bool(versions(server.dirs.index) - before))
    server.kill()
    if job.status(ledger) == 201:
        ledger.present.add(i)


def kill_after_random_delay(server: ServerProcess, ledger: Ledger, rng: random.Random) -> None:
    i = ledger.new_doc()
    job = Background(lambda c: upload(c, server.url, i, admin_headers()))
    time.sleep(rng.uniform(0.0, 1.2))
    server.kill()
    if job.status(ledger) == 201:
        ledger.present.add(i)


def _delete(server: ServerProcess, j: int) -> Callable[[httpx.Client], httpx.Response]:
    return lambda c: c.delete(
        f"{server.url}/v1/documents/{doc_id_for(j)}", headers=admin_headers(), timeout=60
    )


def kill_mid_delete(server: ServerProcess, ledger: Ledger, rng: random.Random) -> None:
    j = min(ledger.present)
    source = server.dirs.corpus / f"{doc_id_for(j)}.txt"
    job = Background(_delete(server, j))
    wait_until(lambda: not source.exists())  # moved to the trash; the rebuild is under way
    server.kill()
    if job.status(ledger) == 204:
        ledger.present.discard(j)
        ledger.absent.add(j)


def kill_after_delete_ack(server: ServerProcess, ledger: Ledger, rng: random.Random) -> None:
    j = max(ledger.present)
    with httpx.Client() as client:
        resp = _delete(server, j)(client)
    assert resp.status_code == 204, resp.text
    ledger.present.discard(j)
    ledger.absent.add(j)
    server.kill()


STEPS: list[Step] = [
    kill_after_upload_acks,
    kill_once_the_file_is_in_the_corpus,
    kill_right_after_sending,
    kill_while_the_new_version_is_written,
    kill_after_random_delay,
    kill_mid_delete,
    kill_after_delete_ack,
]


def check_after_restart(server: ServerProcess, ledger: Ledger) -> None:
    index = server.dirs.index
    assert lock_is_free(index), "a killed writer left the index lock held"
    assert not (index / "PENDING").exists(), "startup did not resolve the interrupted write"
    with httpx.Client() as client:
        served = assert_index_matches_corpus(client, server.url, server.dirs.corpus)
        missing = {doc_id_for(i) for i in ledger.present} - served
        assert not missing, f"acknowledged uploads lost: {missing}"
        resurrected = {doc_id_for(i) for i in ledger.absent} & served
        assert not resurrected, f"acknowledged deletes came back: {resurrected}"
        for i in ledger.present:
            assert_fully_indexed(client, server.url, i)


def test_sigkill_during_uploads_and_deletes_keeps_acknowledged_writes(
    tmp_path: Path, hash_index_template: Path
) -> None:
    dirs = Dirs.create(tmp_path, index_from=hash_index_template)
    ledger = Ledger()
    rng = random.Random(8)
    server = ServerProcess(dirs, env=ENCODE_DELAY, name="crash-0").start()
    try:
        server.wait_ready()
        for n, step in enumerate(STEPS, start=1):
            step(server, ledger, rng)
            assert server.proc is not None and server.proc.returncode == -signal.SIGKILL
            server = ServerProcess(dirs, env=ENCODE_DELAY, name=f"crash-{n}").start()
            server.wait_ready()
            check_after_restart(server, ledger)
    finally:
        server.stop()
    assert ledger.present and ledger.absent  # the run did acknowledge writes of both kinds
    assert ledger.interrupted >= 2  # and some kills did land inside a write


QUESTION = "支撑型知识产权强省建设试点省的主要任务是什么？"


def test_killed_index_rebuild_leaves_the_previous_version_serving(
    tmp_path: Path, real_index_template: Path
) -> None:
    """The real `policyqa index --rebuild` (m3e-small) is SIGKILLed while the real server answers."""
    dirs = Dirs.create(tmp_path, index_from=real_index_template)
    before = current_version(dirs.index)
    with running(ServerProcess(dirs, real_model=True, name="real")) as server, httpx.Client() as client:
        old = client.post(f"{server.url}/v1/ask", json={"question": QUESTION}, timeout=60).json()
        assert old["citations"]
        answers: list[tuple[int, object]] = []
        stop = threading.Event()

        def ask_in_a_loop() -> None:
            with httpx.Client() as reader:
                while not stop.is_set():
                    resp = reader.post(f"{server.url}/v1/ask", json={"question": QUESTION}, timeout=60)
                    answers.append((resp.status_code, resp.json()))

        reader = threading.Thread(target=ask_in_a_loop, daemon=True)
        reader.start()
        build = subprocess.Popen(
            real_command("index", "--rebuild", "--no-progress"),
            env=base_env(dirs.env()),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            # The CLI takes the writer lock once its model is loaded, then embeds for tens of seconds.
            assert wait_until(lambda: not lock_is_free(dirs.index), timeout=120)
            time.sleep(1.0)
        finally:
            build.send_signal(signal.SIGKILL)
            build.wait(30)
        assert build.returncode == -signal.SIGKILL
        time.sleep(0.5)  # a few more answers after the kill
        stop.set()
        reader.join(60)

        assert current_version(dirs.index) == before
        assert lock_is_free(dirs.index)
        assert answers and all(status == 200 for status, _ in answers)
        assert all(body == old for _, body in answers)
        after = client.post(f"{server.url}/v1/ask", json={"question": QUESTION}, timeout=60)
        assert after.status_code == 200 and after.json() == old

        # The next write recovers: the dead build's folder is swept and the upload is served at once.
        resp = upload(client, server.url, 1, admin_headers())
        assert resp.status_code == 201, resp.text
        assert_fully_indexed(client, server.url, 1)
        assert len(list(dirs.index.glob("v-*"))) <= 2
        assert doc_id_for(1) in served_ids(client, server.url)
        # Loading m3e-small printed no "Loading weights" progress bar: the log is JSON lines only.
        assert json_lines(server.stderr_lines())
