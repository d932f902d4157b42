"""A .docx (automatic numbering, header, footer) and a Chromium-printed PDF (running header, page
numbers) of a seed document read back as the .txt form reads: same text, outline and metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.pipeline import ingest_file
from tests.formats.docgen import SEEDS

pytestmark = pytest.mark.browser

META = ("title", "doc_number", "issuer", "date", "region", "level")


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("stem", SEEDS)
def test_same_text_outline_and_metadata_as_the_txt(format_dirs: dict[str, Path], fmt: str, stem: str) -> None:
    txt = ingest_file(format_dirs["txt"] / f"{stem}.txt")
    other = ingest_file(format_dirs[fmt] / f"{stem}.{fmt}")
    assert [getattr(other.meta, k) for k in META] == [getattr(txt.meta, k) for k in META]
    assert [o.path for o in other.outline] == [o.path for o in txt.outline]
    assert [c.section_path for c in other.chunks] == [c.section_path for c in txt.chunks]
    # The printed title is one large block: its two lines in 003's .txt become one.
    assert "".join(_lines(other.text)) == "".join(_lines(txt.text))
    assert len(_lines(other.text)) >= len(_lines(txt.text)) - 1
    assert not other.meta.ocr


@pytest.mark.parametrize("stem", ["software-protection-regulation", "ningbo-trade-secret-regulation"])
def test_regulations_with_articles_read_the_same_as_docx_and_pdf(tmp_path: Path, stem: str) -> None:
    """Documents of another genre (eval/corpora/ip-general: 第X章 / 第X条) keep their articles."""
    from tests.formats.docgen import page_html, print_pdf, source, write_docx

    src = source(stem)
    (tmp_path / f"{stem}.txt").write_text(src.text, encoding="utf-8")
    write_docx(src, tmp_path / f"{stem}.docx")
    print_pdf(page_html(src, "- {page} -"), tmp_path / f"{stem}.pdf")
    txt = ingest_file(tmp_path / f"{stem}.txt")
    assert any("第二条" in o.path for o in txt.outline) or any("第二条" in c.section_path for c in txt.chunks)
    for fmt in ("docx", "pdf"):
        other = ingest_file(tmp_path / f"{stem}.{fmt}")
        assert [getattr(other.meta, k) for k in META] == [getattr(txt.meta, k) for k in META], fmt
        assert [c.section_path for c in other.chunks] == [c.section_path for c in txt.chunks], fmt
        assert "".join(_lines(other.text)) == "".join(_lines(txt.text)), fmt


def test_page_marks_and_running_headers_are_gone_and_offsets_reach_the_page(
    format_dirs: dict[str, Path],
) -> None:
    from assistant.ingest.loaders import load_document

    stem = SEEDS[0]
    data = (format_dirs["pdf"] / f"{stem}.pdf").read_bytes()
    loaded = load_document(f"{stem}.pdf", data)
    parsed = ingest_file(format_dirs["pdf"] / f"{stem}.pdf")
    assert loaded.text.count("\f") >= 3 and "— 2 —" in loaded.text  # the raw text keeps every page mark
    header = parsed.meta.title  # the running header repeats the title on every page
    assert "— 2 —" not in parsed.text and _lines(parsed.text).count(header) == 1
    chunk = next(c for c in parsed.chunks if "震慑" in c.text)
    start, end = parsed.clean().to_raw(chunk.start, chunk.end)
    page = loaded.text[:start].count("\f") + 1
    assert page > 1 and loaded.text[start:end].replace("\n", "").startswith(chunk.text[:10])
