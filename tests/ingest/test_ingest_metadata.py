"""Metadata of every seed, pinned, and sidecar overrides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.engine_api import IngestError
from assistant.ingest.clean import clean_text
from assistant.ingest.metadata import apply_overrides, extract_metadata, extract_posted, load_sidecar
from assistant.ingest.pipeline import ingest_file

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

EXPECTED = {
    "000": ("加快推进知识产权强省建设工作方案（试行）", "国家知识产权局", "国知发管字〔2015〕59号",
            "2015-10-21", "全国", "国家"),
    "001": ("新时代国家知识产权强区试点建设工作方案", None, None, None, None, "区"),
    "002": ("汕尾市建设引领型知识产权强市实施方案", "汕尾市人民政府", "汕府〔2016〕69号",
            "2016-09-19", "汕尾市", "市"),
    "003": ("吉林省人民政府关于新形势下加快知识产权强省建设的实施意见", "吉林省人民政府", "吉政发〔2016〕27号",
            "2016-07-13", "吉林省", "省"),
    "004": ("推动知识产权高质量发展年度工作指引（2020）", "国家知识产权局", None,
            "2020-04-20", "全国", "国家"),
}  # fmt: skip


GENRES = {"000": "方案", "001": "方案", "002": "方案", "003": "意见", "004": "指引"}


def seed_path(prefix: str) -> Path:
    return next(CORPUS.glob(f"{prefix}_*.txt"))


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_metadata(prefix: str) -> None:
    path = seed_path(prefix)
    meta = extract_metadata(path.stem, path.name, clean_text(path.read_text(encoding="utf-8")).text)
    got = (meta.title, meta.issuer, meta.doc_number, meta.date, meta.region, meta.level)
    assert got == EXPECTED[prefix]
    assert (meta.doc_id, meta.source) == (path.stem, path.name)
    assert meta.genre == GENRES[prefix] and meta.issued == meta.date


def test_quoted_doc_number_is_not_the_documents_own() -> None:
    text = clean_text(seed_path("001").read_text(encoding="utf-8")).text
    assert "国知发运函字（2022）131号" in text
    assert extract_metadata("x", "x.txt", text).doc_number is None


def test_signing_date_wins_over_printing_date() -> None:
    text = "\n\n".join(
        [
            "某市人民政府关于印发某方案的通知",
            "某市人民政府",
            "2021年3月5日",
            "某市人民政府办公室",
            "2021年3月8日印发",
        ]
    )
    assert extract_metadata("x", "x.txt", text).date == "2021-03-05"


def test_sidecar_overrides(tmp_path: Path) -> None:
    doc = tmp_path / "007_plan.txt"
    doc.write_text("某区知识产权强区建设方案", encoding="utf-8")
    assert load_sidecar(doc) == {}
    (tmp_path / "007_plan.meta.json").write_text(
        json.dumps({"region": "玄武区", "date": "2023-01-02"}, ensure_ascii=False), encoding="utf-8"
    )
    meta = apply_overrides(
        extract_metadata("007_plan", doc.name, "某区知识产权强区建设方案"), load_sidecar(doc)
    )
    assert (meta.region, meta.date, meta.level) == ("玄武区", "2023-01-02", "区")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"titel": "x"}, "titel"),
        ({"date": "2023/01/02"}, "YYYY-MM-DD"),
        ({"issuer": 5}, "issuer"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_overrides_are_refused(overrides: dict[str, object], message: str) -> None:
    meta = extract_metadata("x", "x.txt", "某方案")
    with pytest.raises(IngestError, match=message):
        apply_overrides(meta, overrides)


def test_broken_sidecar_is_a_readable_error(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    (tmp_path / "a.meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IngestError, match=r"a\.meta\.json"):
        load_sidecar(doc)
    (tmp_path / "a.meta.json").write_text("[1]", encoding="utf-8")
    with pytest.raises(IngestError, match="JSON"):
        load_sidecar(doc)


@pytest.mark.parametrize(
    ("raw", "posted"),
    [
        ("# 关于印发《某方案》的通知\n\n发布时间: 2015-10-22\n\n大 中 小\n", "2015-10-22"),
        ("来源: | 作者:某某 | 发布时间: 2020-04-23 | 1738 次浏览", "2020-04-23"),
        ("发布日期：2021年3月5日\n正文", "2021-03-05"),
        ("第一条 本办法自发布之日起施行。", None),  # a rule about publication, not a page's date
    ],
)
def test_a_saved_web_pages_posting_date(raw: str, posted: str | None) -> None:
    assert extract_posted(raw) == posted


def test_a_seeds_posting_date_is_kept_beside_its_signing_date() -> None:
    meta = ingest_file(seed_path("000")).meta
    assert (meta.issued, meta.posted) == ("2015-10-21", "2015-10-22")
    with pytest.raises(IngestError, match="yyyy-mm-dd"):
        apply_overrides(meta, {"posted": "昨天"})


def test_an_amendment_note_by_a_decision_is_an_amendment() -> None:
    from assistant.ingest.headnotes import parse_clauses

    note = "2022年3月24日 《某总局关于修改和废止有关规章的决定》修改"
    clauses = parse_clauses(note)
    # the 修改 inside the decision's title is part of its name, not a second clause
    assert [(c.date, c.verb) for c in clauses] == [("2022-03-24", "修改")]


def test_a_revision_adopted_or_approved_is_an_amendment_not_a_second_adoption() -> None:
    from assistant.ingest.headnotes import read_notes

    notes = read_notes(
        [
            "2006年5月17日 甲市第十二届人民代表大会常务委员会第二十四次会议通过",
            "2006年7月28日 乙省第十届人民代表大会常务委员会第二十二次会议批准",
            "2014年10月29日 甲市第十四届人民代表大会常务委员会第二十三次会议通过修订",
            "2014年11月27日 乙省第十二届人民代表大会常务委员会第十一次会议批准修订",
        ],
        ("人民代表大会常务委员会",),
    )
    assert (notes.adopted, notes.amended) == ("2006-05-17", "2014-10-29")
    assert notes.revising_bodies == ("甲市",)
