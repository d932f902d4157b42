"""Loaders for every supported format, with real generated files, and their error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.engine_api import IngestError
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_bytes, load_raw
from assistant.ingest.pipeline import discover, ingest_file

TEXT = "一、总体要求\n加快知识产权强市建设。"
CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def test_txt_utf8_with_bom_and_gb18030(tmp_path: Path) -> None:
    utf8 = tmp_path / "a.txt"
    utf8.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    gbk = tmp_path / "b.md"
    gbk.write_bytes(TEXT.encode("gb18030"))
    assert load_raw(utf8) == TEXT
    assert load_raw(gbk) == TEXT


def test_html_drops_scripts_and_navigation_and_keeps_blocks_apart() -> None:
    html = (
        "<html><head><style>p{}</style><script>var x=1;</script></head><body><nav>首页 | 法律库</nav>"
        "<h1>关于印发方案的通知</h1><div>一、总体要求</div><p>加快<b>知识产权</b>强市建设。</p></body></html>"
    )
    text = load_bytes("page.html", html.encode("utf-8"))
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines == ["关于印发方案的通知", "一、总体要求", "加快知识产权强市建设。"]


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一、总体要求")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "指标"
    table.rows[0].cells[1].text = "360件"
    document.add_paragraph("二、保障措施")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    assert load_raw(path).split("\n\n") == ["一、总体要求", "指标 | 360件", "二、保障措施"]


def test_pdf_text_layer(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig = plt.figure()
    fig.text(0.1, 0.5, "Patent target 2020: 360 items")
    path = tmp_path / "plan.pdf"
    fig.savefig(path)
    plt.close(fig)
    assert "Patent target 2020: 360 items" in load_raw(path)


def test_pdf_without_text_layer_is_refused(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Circle

    fig = plt.figure()
    fig.add_artist(Circle((0.5, 0.5), 0.2))
    path = tmp_path / "scan.pdf"
    fig.savefig(path)
    plt.close(fig)
    with pytest.raises(IngestError, match=r"scan\.pdf.*text layer"):
        load_raw(path)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("notes.xlsx", b"PK\x03\x04", "unsupported file type"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\t", "empty"),
        ("garbage.pdf", b"%PDF-1.4 this is not really a pdf", "not a valid PDF"),
        ("virus.docx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 20, "not a valid .docx"),
        ("binary.txt", b"\x00\x01\x02\xff" * 10, "not a text file"),
        ("latin1.txt", "Café société".encode("latin-1") + b"\xff\xfe\xfa", "cannot decode"),
    ],
)
def test_bad_files_are_refused_with_a_reason_naming_the_file(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(IngestError) as err:
        load_bytes(name, data)
    assert name in str(err.value) and reason in str(err.value)


def test_missing_file_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"missing\.txt"):
        load_raw(tmp_path / "missing.txt")


def test_discover_skips_sidecars_hidden_and_unsupported(tmp_path: Path) -> None:
    for name in ("b.txt", "a.docx", "a.meta.json", ".hidden.txt", "notes.xlsx", "c.PDF"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in discover(tmp_path)] == ["a.docx", "b.txt", "c.PDF"]
    assert [p.name for p in discover(CORPUS)] == sorted(p.name for p in CORPUS.glob("*.txt"))
    assert set(SUPPORTED_SUFFIXES) >= {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


def test_ingest_file_applies_sidecar_and_hashes_it(tmp_path: Path) -> None:
    path = tmp_path / "010_plan.txt"
    path.write_text(
        "某区知识产权强区建设方案\n一、总体要求\n加快建设。\n二、保障措施\n加强领导。", encoding="utf-8"
    )
    plain = ingest_file(path)
    (tmp_path / "010_plan.meta.json").write_text(
        json.dumps({"region": "玄武区"}, ensure_ascii=False), "utf-8"
    )
    with_sidecar = ingest_file(path)
    assert plain.meta.doc_id == "010_plan" and with_sidecar.meta.region == "玄武区"
    assert plain.content_hash != with_sidecar.content_hash
    assert [o.heading for o in with_sidecar.outline] == ["一、总体要求", "二、保障措施"]


def test_seed_outline_has_paths() -> None:
    doc = ingest_file(next(CORPUS.glob("000_*.txt")))
    tasks = doc.outline[1]
    assert tasks.children[1].path == "二、试点任务 › （二）支撑型知识产权强省建设试点省主要任务"
    assert len(tasks.children[1].children) == 4
    assert doc.clean().to_raw(0, 2)[1] > 0
