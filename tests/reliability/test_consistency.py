"""Consistency: while a document is uploaded, the index is rebuilt by `policyqa index --rebuild` in
another process, and the document is deleted again, questions asked in a loop against two server
workers always get 200 and either the old or the new answer; never an error, never a mix.

Ordering is checked by causality, not by timing: a question sent after the upload was acknowledged
must get the new answer from whichever worker takes it, and one sent after the delete was
acknowledged the old answer."""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from .docs import doc_id_for, tag_for, upload
from .proc import Dirs, ServerProcess, admin_headers, base_env, hash_command, running

pytestmark = pytest.mark.slow

DOC = 1
QUESTION = f"{tag_for(DOC)}专项资金是多少？"
READERS = 3


@dataclass(frozen=True)
class Observation:
    sent: float
    status: int
    body: Any


def ask(client: httpx.Client, url: str) -> tuple[int, Any]:
    # A new connection per question, so that the kernel hands questions to both workers.
    resp = client.post(f"{url}/v1/ask", json={"question": QUESTION}, headers={"Connection": "close"})
    try:
        return resp.status_code, resp.json()
    except ValueError:
        return resp.status_code, resp.text


def test_questions_during_writes_get_the_old_or_the_new_answer(
    tmp_path: Path, hash_index_template: Path
) -> None:
    dirs = Dirs.create(tmp_path, index_from=hash_index_template)
    server = ServerProcess(dirs, workers=2, env={"POLICYQA_TEST_ENCODE_DELAY": "0.3"}, name="consistency")
    seen: list[Observation] = []
    lock = threading.Lock()
    stop = threading.Event()

    def reader() -> None:
        with httpx.Client(timeout=60) as client:
            while not stop.is_set():
                sent = time.monotonic()
                try:
                    status, body = ask(client, server.url)
                except httpx.HTTPError as exc:
                    status, body = 0, repr(exc)
                with lock:
                    seen.append(Observation(sent, status, body))
                time.sleep(0.02)  # leave the two cores to the server and the rebuild

    with running(server), httpx.Client(timeout=120) as client:
        _, old = ask(client, server.url)
        threads = [threading.Thread(target=reader, daemon=True) for _ in range(READERS)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)

        assert upload(client, server.url, DOC, admin_headers()).status_code == 201
        uploaded = time.monotonic()
        _, new = ask(client, server.url)
        time.sleep(0.5)

        # A full rebuild in another process: every worker must switch to it without an error.
        rebuild = subprocess.run(
            hash_command("index", "--rebuild", "--no-progress"),
            env=base_env({**dirs.env(), "POLICYQA_TEST_ENCODE_DELAY": "0.3"}),
            capture_output=True,
            timeout=300,
        )
        assert rebuild.returncode == 0, rebuild.stderr.decode(errors="replace")[-2000:]
        rebuilt = time.monotonic()
        time.sleep(0.5)

        delete_started = time.monotonic()
        resp = client.delete(f"{server.url}/v1/documents/{doc_id_for(DOC)}", headers=admin_headers())
        assert resp.status_code == 204, resp.text
        deleted = time.monotonic()
        time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join(60)

    assert doc_id_for(DOC) not in {c["doc_id"] for c in old["citations"]}
    assert doc_id_for(DOC) in {c["doc_id"] for c in new["citations"]}
    errors = [o for o in seen if o.status != 200]
    assert not errors, errors[:3]
    strangers = [o.body for o in seen if o.body not in (old, new)]
    assert not strangers, strangers[:2]
    after_upload = [o for o in seen if uploaded < o.sent < delete_started]
    after_rebuild = [o for o in seen if rebuilt < o.sent < delete_started]
    after_delete = [o for o in seen if o.sent > deleted]
    assert after_upload and after_rebuild and after_delete  # the readers really overlapped each phase
    assert all(o.body == new for o in after_upload), "a worker answered from the version before the upload"
    assert all(o.body == old for o in after_delete), "a worker answered from the version before the delete"
