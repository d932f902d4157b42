"""Every document of the evaluation corpora (eval/corpora/*/docs, real regulations of other genres and
issuers than the seeds) ingests with the metadata it states and every article as a citable unit. What a
document states is read from its raw text here, with patterns independent of the extraction rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.ingest.clean import CleanText
from assistant.ingest.pipeline import ParsedDocument, ingest_file
from assistant.textnorm import match_key

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted(p for p in ROOT.glob("eval/corpora/*/docs/*") if p.suffix in {".md", ".txt"})
DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
ARTICLE = re.compile(r"^第([一二三四五六七八九十百千零〇]+)条", re.MULTILINE)


def head_of(raw: str) -> str:
    """The part before the body: a LawRefBook header block, else the lines before the first article."""
    if "<!-- INFO END -->" in raw:
        return raw.split("<!-- INFO END -->")[0]
    first = ARTICLE.search(raw)
    return raw[: first.start()] if first else raw[:500]


@pytest.fixture(scope="module", params=DOCS, ids=[p.stem for p in DOCS])
def doc(request: pytest.FixtureRequest) -> tuple[str, ParsedDocument]:
    path: Path = request.param
    return path.read_text(encoding="utf-8"), ingest_file(path)


def test_corpora_are_present() -> None:
    assert len(DOCS) >= 8


def test_title_issuer_dates_and_region_where_stated(doc: tuple[str, ParsedDocument]) -> None:
    raw, parsed = doc
    meta, head = parsed.meta, head_of(raw)
    heading = re.match(r"#\s*(.+)", raw)
    assert meta.title and (heading is None or match_key(meta.title) == match_key(heading.group(1)))
    # a numbered one of a series (…的解释（三）) ends in its number
    assert meta.genre and re.sub(r"[（(][一二三四五六七八九十]+[)）]$", "", meta.title).endswith(meta.genre)
    # a body named: in the head (会议, 令, 公告) or before 关于 in the title (a bare 「关于…的通知」 names none)
    if re.search(r"会议|令第|公告第", head) or re.search(r".关于", meta.title):
        assert meta.issuer and meta.region and meta.level
    if re.search(DATE, head):
        assert meta.date
    if re.search(DATE + r".{0,60}?会议(?:审议)?通过", head):
        assert meta.adopted
    if re.search(DATE + r"[^\n]*(?:修正|修订)", head):
        assert meta.amended
    if re.search(r"令第\s*\d+\s*号|公告第\s*\d+\s*号", head):
        assert meta.doc_number
    if re.search(DATE + r"\s*施行|本(?:条例|办法|规定|解释|细则)自" + DATE + "起施行", raw):
        assert meta.effective


def test_every_article_or_point_is_a_citable_unit(doc: tuple[str, ParsedDocument]) -> None:
    _raw, parsed = doc
    designators = [f"第{n}条" for n in ARTICLE.findall(parsed.text)]
    if not designators:
        # a 批复 or 通知 written in numbered points (一、…): each point heads a section instead
        points = re.findall(r"^([一二三四五六七八九十]+、)", parsed.text, re.MULTILINE)
        assert points
        heads = {h for c in parsed.chunks for h in c.section}
        assert [p for p in dict.fromkeys(points) if not any(h.startswith(p) for h in heads)] == []
        return
    lasts = [c.section[-1] for c in parsed.chunks if c.section]
    missing = [d for d in dict.fromkeys(designators) if not any(last.startswith(d) for last in lasts)]
    assert missing == []


def test_markup_is_gone_and_chunks_map_back_to_the_raw_text(doc: tuple[str, ParsedDocument]) -> None:
    raw, parsed = doc
    assert "<!--" not in parsed.text and not re.search(r"^\s*#", parsed.text, re.MULTILINE)
    clean = CleanText(parsed.text, parsed.raw_offsets)
    for chunk in parsed.chunks:
        if chunk.kind == "section":
            continue
        assert chunk.text == parsed.text[chunk.start : chunk.end]
        start, end = clean.to_raw(chunk.start, chunk.end)
        unmarked = re.sub(r"<!--.*?-->|#", "", raw[start:end], flags=re.DOTALL)  # markup inside the span
        assert match_key(unmarked) == match_key(chunk.text)
