"""Two `policyqa serve` replicas over one real `milvus-lite server`: the writer holds the corpus, the
other starts with an empty corpus folder. Writes through one are answered by the other, a replica
without the corpus refuses to write, and a writer killed in the middle of publishing leaves the old
version serving. Timing-free: the kill is placed by watching Milvus' collections."""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from assistant.retrieval.milvus_store import MilvusBackend

from .docs import assert_fully_indexed, corpus_ids, doc_id_for, served_ids, upload
from .proc import Dirs, ServerProcess, admin_headers, lock_is_free, running

pytestmark = pytest.mark.slow

PICKUP_SECONDS = 60  # the bound; replicas poll every second here


def milvus_env(uri: str, prefix: str) -> dict[str, str]:
    return {
        "POLICYQA_VECTOR_STORE": "milvus",
        "POLICYQA_MILVUS_URI": uri,
        "POLICYQA_MILVUS_PREFIX": prefix,
        "POLICYQA_MILVUS_RELOAD_SECONDS": "1",
    }


def empty_corpus(root: Path) -> Dirs:
    dirs = Dirs.create(root)
    shutil.rmtree(dirs.corpus)
    dirs.corpus.mkdir()
    return dirs


def eventually(check: Callable[[], None], seconds: float = PICKUP_SECONDS) -> float:
    """Run `check` until it passes; return how long that took."""
    started = time.monotonic()
    while True:
        try:
            check()
            return time.monotonic() - started
        except AssertionError:
            if time.monotonic() - started > seconds:
                raise
            time.sleep(0.2)


def writer_and_replica(root: Path, uri: str, prefix: str) -> tuple[ServerProcess, ServerProcess]:
    """The writer holds a copy of corpus/; the replica starts with an empty corpus folder."""
    env = milvus_env(uri, prefix)
    writer = ServerProcess(Dirs.create(root / "a"), env=env, name="writer")
    return writer, ServerProcess(empty_corpus(root / "b"), env=env, name="replica")


@pytest.fixture
def prefix() -> str:
    return f"rep_{uuid.uuid4().hex[:8]}"


def test_writes_through_the_writer_reach_a_replica_without_a_corpus(
    tmp_path: Path, milvus_uri: str, prefix: str
) -> None:
    writer, replica = writer_and_replica(tmp_path, milvus_uri, prefix)
    with running(writer), running(replica), httpx.Client() as client:
        assert served_ids(client, replica.url) == corpus_ids(writer.dirs.corpus)
        assert upload(client, writer.url, 1, admin_headers()).status_code == 201
        eventually(lambda: assert_fully_indexed(client, replica.url, 1))

        refused = upload(client, replica.url, 2, admin_headers())  # it would drop every other document
        assert 400 <= refused.status_code < 500 and refused.json()["error"]["message"]
        assert list(replica.dirs.corpus.iterdir()) == [] and lock_is_free(replica.dirs.index)
        assert doc_id_for(2) not in served_ids(client, writer.url)

        deleted = client.delete(f"{writer.url}/v1/documents/{doc_id_for(1)}", headers=admin_headers())
        assert deleted.status_code == 204
        eventually(lambda: _absent(client, replica.url, doc_id_for(1)))
        assert served_ids(client, replica.url) == corpus_ids(writer.dirs.corpus)


def test_writer_killed_mid_publish_leaves_the_old_version_serving(
    tmp_path: Path, milvus_uri: str, prefix: str
) -> None:
    writer, replica = writer_and_replica(tmp_path, milvus_uri, prefix)
    backend = MilvusBackend(milvus_uri, prefix=prefix)
    with running(writer):
        live = backend.live_version()
        with running(replica), httpx.Client() as client:
            before = served_ids(client, replica.url)
            sender = threading.Thread(target=_upload_until_killed, args=(writer.url, 3), daemon=True)
            sender.start()
            _wait_for_new_collection(backend, f"{prefix}_chunks_", live)
            writer.kill()  # the new version's passages are being written; the alias still names the old
            sender.join(timeout=30)
            assert backend.live_version() == live
            time.sleep(2.5)  # two of the replica's polls
            assert served_ids(client, replica.url) == before
    with running(writer), running(replica), httpx.Client() as client:
        assert served_ids(client, writer.url) == before  # the journal rolled the upload back
        assert not (writer.dirs.corpus / f"{doc_id_for(3)}.txt").exists()
        assert upload(client, writer.url, 4, admin_headers()).status_code == 201
        eventually(lambda: assert_fully_indexed(client, replica.url, 4))
    leftovers = {n.rsplit("_", 2)[-2] for n in backend.client.list_collections() if n.startswith(prefix)}
    assert len(leftovers) <= 2, f"the dead writer's collections were not dropped: {leftovers}"


def _wait_for_new_collection(backend: MilvusBackend, start: str, live: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        names = backend.client.list_collections()
        if any(n.startswith(start) and not n.endswith(live) for n in names):
            return
        time.sleep(0.01)
    raise AssertionError("the writer never started publishing")


def _upload_until_killed(url: str, i: int) -> None:
    with httpx.Client() as client, contextlib.suppress(httpx.HTTPError):
        upload(client, url, i, admin_headers())


def _absent(client: httpx.Client, url: str, doc_id: str) -> None:
    assert doc_id not in served_ids(client, url)
