"""Small, unique policy documents to upload, and the checks that a served index matches the corpus."""

from __future__ import annotations

from pathlib import Path

import httpx

from assistant.ingest.pipeline import discover


def policy_text(tag: str, n: int) -> str:
    """A short notice whose code word `tag` appears nowhere else in the corpus."""
    return (
        f"关于开展{tag}知识产权专项行动的通知\n\n"
        "各有关单位：\n"
        f"为推进{tag}专项行动，现将有关事项通知如下。\n\n"
        "一、工作目标\n"
        f"到2030年，{tag}专项行动试点单位达到{n}家，建成{tag}知识产权服务平台。\n\n"
        "二、主要任务\n"
        f"（一）建立{tag}工作机制。由市知识产权局牵头，每季度召开一次{tag}联席会议。\n"
        f"（二）完善{tag}服务体系。设立{tag}专项资金{n}万元，用于专利导航和质押融资贴息。\n"
    )


def tag_for(i: int) -> str:
    # Latin letters and digits survive jieba as one token, so a keyword search finds exactly this file.
    return f"QZX{i:03d}"


def doc_id_for(i: int) -> str:
    return f"reliability_{i:03d}"


def upload(client: httpx.Client, url: str, i: int, headers: dict[str, str]) -> httpx.Response:
    name = f"{doc_id_for(i)}.txt"
    files = {"file": (name, policy_text(tag_for(i), 10 + i).encode("utf-8"), "text/plain")}
    return client.post(f"{url}/v1/documents", files=files, headers=headers, timeout=120)


def corpus_ids(corpus: Path) -> set[str]:
    return {p.stem for p in discover(corpus)}


def served_ids(client: httpx.Client, url: str) -> set[str]:
    resp = client.get(f"{url}/v1/documents", timeout=30)
    assert resp.status_code == 200, resp.text
    return {d["doc_id"] for d in resp.json()["documents"]}


def assert_fully_indexed(client: httpx.Client, url: str, i: int) -> None:
    """The uploaded document is whole: listed with chunks, and its code word retrieves its passages."""
    doc_id = doc_id_for(i)
    detail = client.get(f"{url}/v1/documents/{doc_id}", timeout=30)
    assert detail.status_code == 200, detail.text
    assert detail.json()["n_chunks"] >= 2
    hits = client.get(f"{url}/v1/search", params={"q": f"{tag_for(i)}专项资金", "k": 3}, timeout=30)
    assert hits.status_code == 200, hits.text
    assert hits.json()["hits"][0]["doc_id"] == doc_id


def assert_index_matches_corpus(client: httpx.Client, url: str, corpus: Path) -> set[str]:
    """No half documents: the served index holds exactly the corpus files, each one whole."""
    served, files = served_ids(client, url), corpus_ids(corpus)
    assert served == files, (
        f"index and corpus disagree: only served {served - files}, only on disk {files - served}"
    )
    leftovers = [p.name for p in corpus.iterdir() if p.name.startswith(".")]
    assert leftovers == [], f"temporary files left in the corpus: {leftovers}"
    for doc_id in served:
        if doc_id.startswith("reliability_"):
            assert_fully_indexed(client, url, int(doc_id.rsplit("_", 1)[1]))
    return served
