"""Chunk invariants on every seed, plus the behaviour the citation layer relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.chunking import chunk_document
from assistant.ingest.pipeline import ParsedDocument, parse_text
from assistant.ingest.structure import parse_structure
from assistant.models import Chunk

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEEDS = ["000", "001", "002", "003", "004"]
CHROME = (
    "服务热线", "欢迎来到", "法律库", "次浏览", "分享到", "打印", "关闭窗口", "网站地图", "版权所有", "ICP",
    "由会员分享", "课桌文档", "发布时间",
)  # fmt: skip
MAX = 400


def parsed(prefix: str) -> ParsedDocument:
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    return parse_text(path.stem, path.name, path.read_text(encoding="utf-8"), max_chars=MAX)


def is_composed_outline(chunk: Chunk, text: str) -> bool:
    lines = chunk.text.split("\n")
    return chunk.kind == "section" and lines[0] == chunk.section[-1] and all(line in text for line in lines)


@pytest.mark.parametrize("prefix", SEEDS)
def test_chunk_text_is_an_exact_slice_of_clean_text(prefix: str) -> None:
    doc = parsed(prefix)
    for chunk in doc.chunks:
        if chunk.text != doc.text[chunk.start : chunk.end]:
            assert is_composed_outline(chunk, doc.text), chunk
        assert chunk.text.strip() == chunk.text and chunk.text


@pytest.mark.parametrize("prefix", SEEDS)
def test_no_chunk_contains_web_chrome(prefix: str) -> None:
    for chunk in parsed(prefix).chunks:
        assert [c for c in CHROME if c in chunk.text] == [], chunk.chunk_id


@pytest.mark.parametrize("prefix", SEEDS)
def test_sizes_sections_and_ids(prefix: str) -> None:
    doc = parsed(prefix)
    ids = [c.chunk_id for c in doc.chunks]
    assert len(set(ids)) == len(ids)
    for chunk in doc.chunks:
        assert chunk.doc_id == doc.meta.doc_id and chunk.chunk_id.startswith(doc.meta.doc_id + ":")
        assert bool(chunk.section) == (chunk.kind != "preamble"), chunk
        if chunk.kind != "section":
            assert len(chunk.text) <= MAX


@pytest.mark.parametrize("prefix", SEEDS)
def test_items_keep_their_heading(prefix: str) -> None:
    doc = parsed(prefix)
    items = [c for c in doc.chunks if c.kind == "item"]
    assert items
    by_item: dict[tuple[str, ...], list[Chunk]] = {}
    for chunk in items:
        by_item.setdefault(chunk.section, []).append(chunk)
    for section, parts in by_item.items():
        assert parts[0].text.startswith(section[-1]), section  # first part opens with the heading
        assert [p.start for p in parts] == sorted(p.start for p in parts)


@pytest.mark.parametrize("prefix", SEEDS)
def test_chunk_ids_are_stable_across_runs(prefix: str) -> None:
    assert [c.chunk_id for c in parsed(prefix).chunks] == [c.chunk_id for c in parsed(prefix).chunks]


def test_ids_do_not_depend_on_unrelated_text() -> None:
    path = next(CORPUS.glob("000_*.txt"))
    raw = path.read_text(encoding="utf-8")
    edited = raw.replace("特此通知。", "特此通知。各地务必高度重视。")
    before = {c.section: c.chunk_id for c in parse_text("000", path.name, raw).chunks if c.kind == "item"}
    after = {c.section: c.chunk_id for c in parse_text("000", path.name, edited).chunks if c.kind == "item"}
    assert before == after


def test_key_facts_of_seed_001_are_each_inside_one_chunk() -> None:
    doc = parsed("001")
    for fact in ("万人有效发明专利拥有量达360件", "版权产业增加值占GDP比重达7.2%"):
        holders = [c for c in doc.chunks if fact in c.text and c.kind == "paragraph"]
        assert holders and holders[0].section == ("二、发展目标",)


def test_item_chunk_of_seed_000_has_the_full_section_path() -> None:
    doc = parsed("000")
    chunk = next(
        c for c in doc.chunks if c.kind == "item" and c.text.startswith("2.健全知识产权制度实施体系")
    )
    assert chunk.section == (
        "二、试点任务",
        "（二）支撑型知识产权强省建设试点省主要任务",
        "2.健全知识产权制度实施体系",
    )
    assert chunk.item_no == "2"


def test_section_chunks_serve_list_questions() -> None:
    doc = parsed("000")
    tasks = next(c for c in doc.chunks if c.kind == "section" and c.section == ("二、试点任务",))
    assert tasks.text.split("\n")[1:] == [
        "（一）引领型知识产权强省建设试点省主要任务",
        "（二）支撑型知识产权强省建设试点省主要任务",
        "（三）特色型知识产权强省建设试点省主要任务",
    ]
    support = next(c for c in doc.chunks if c.kind == "section" and c.section[-1].startswith("（二）支撑型"))
    assert support.text == doc.text[support.start : support.end] and "4.支撑优势产业转型升级" in support.text


def test_preamble_and_closing_block_of_seed_002() -> None:
    doc = parsed("002")
    assert doc.chunks[0].kind == "preamble" and doc.chunks[0].text.startswith("汕尾市人民政府文件")
    tail = [c for c in doc.chunks if c.section == ("文末",)]
    assert tail and tail[0].text.startswith("公开方式：主动公开")


def test_long_item_is_split_and_every_part_names_the_item() -> None:
    body = "。".join(f"第{i}句话说明一项具体措施的内容" for i in range(30)) + "。"
    text = f"一、任务\n1.长条目。{body}\n2.短条目。内容。"
    chunks = chunk_document("d", text, parse_structure(text), max_chars=100)
    parts = [c for c in chunks if c.section[-1] == "1.长条目"]
    assert len(parts) > 2 and parts[0].text.startswith("1.长条目。")
    assert all(len(p.text) <= 100 and p.text == text[p.start : p.end] for p in parts)
    assert len({p.chunk_id for p in parts}) == len(parts)


def test_text_without_headings_is_all_preamble() -> None:
    chunks = chunk_document("d", "只有一段话。", [])
    assert [(c.kind, c.section, c.text) for c in chunks] == [("preamble", (), "只有一段话。")]
