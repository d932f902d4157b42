"""Loaders for every supported format, with real generated files, and their error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.engine_api import IngestError
from assistant.ingest.limits import LoadLimits
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_bytes, load_document, load_raw
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


LONG = "一、总体要求\n到2020年，全市每万人发明专利拥有量力争达到1.17件，专利密集型产业增加值占比达5%以上。"
TRADITIONAL = (
    "一、總體要求\n到2020年，全市每萬人發明專利擁有量力爭達到1.17件，專利密集型產業增加值佔比達5%以上。"
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (LONG, "gb18030"),
        (LONG, "gbk"),
        (TRADITIONAL, "big5"),
        (LONG, "utf-16"),  # with a byte-order mark
        (LONG, "utf-16-le"),  # without one
        (LONG, "utf-16-be"),
        (LONG, "utf-32"),
        (LONG, "utf-32-le"),
        ("专利", "gb18030"),  # two characters that are also valid Big5: the tie goes to GB18030
    ],
)
def test_text_encodings_are_detected(text: str, encoding: str) -> None:
    assert load_bytes("plan.txt", text.encode(encoding)) == text


def test_html_drops_scripts_and_navigation_and_keeps_blocks_apart() -> None:
    html = (
        "<html><head><style>p{}</style><script>var x=1;</script></head><body><nav>首页 | 法律库</nav>"
        "<h1>关于印发方案的通知</h1><div>一、总体要求</div><p>加快<b>知识产权</b>强市建设。</p></body></html>"
    )
    text = load_bytes("page.html", html.encode("utf-8"))
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines == ["关于印发方案的通知", "一、总体要求", "加快知识产权强市建设。"]


def test_docx_paragraphs_and_a_one_row_table(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一、总体要求")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "指标"
    table.rows[0].cells[1].text = "360件"
    document.add_paragraph("二、保障措施")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    assert load_raw(path).split("\n\n") == ["一、总体要求", "指标｜360件", "二、保障措施"]


INDICATORS = [
    ["指标名称（单位）", "2020年", "2025年"],
    ["每万人口发明专利拥有量（件）", "4.2", "8.5"],
    ["专利密集型产业增加值占GDP比重（%）", "", "13"],
]


def test_docx_numbering_table_rows_and_no_header_or_footer(tmp_path: Path) -> None:
    from tests.formats.docgen import source, write_docx

    src = source("002_e785d9f8d5cb8cce")
    path = tmp_path / "plan.docx"
    write_docx(src, path, table=INDICATORS)
    text = load_raw(path)
    typed = "\n\n".join(p.text for p in __import__("docx").Document(str(path)).paragraphs)
    assert "\n\n二、重点任务" not in typed and "\n\n重点任务" in typed  # Word draws the number, not the text
    paragraphs = text.split("\n\n")
    table_at = paragraphs.index(
        "每万人口发明专利拥有量（件）｜2020年：4.2｜2025年：8.5\n专利密集型产业增加值占GDP比重（%）｜2025年：13"
    )
    assert "\n\n".join(paragraphs[:table_at] + paragraphs[table_at + 1 :]) == src.text.replace("\n", "\n\n")
    assert "内部资料" not in text and "页" not in paragraphs[-1]


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


def test_pdf_without_text_layer_is_refused_when_ocr_is_off(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Circle

    fig = plt.figure()
    fig.add_artist(Circle((0.5, 0.5), 0.2))
    path = tmp_path / "scan.pdf"
    fig.savefig(path)
    plt.close(fig)
    with pytest.raises(IngestError, match=r"scan\.pdf.*text layer and OCR is off"):
        load_raw(path, LoadLimits(ocr=False))


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


def _zip_bomb(size: int) -> bytes:
    """A valid .docx whose document.xml repeats one paragraph until it is `size` bytes."""
    import io
    import zipfile

    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    paragraph = "<w:p><w:r><w:t>知识产权强市建设</w:t></w:r></w:p>"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                data = xml.replace("<w:body>", "<w:body>" + paragraph * (size // len(paragraph))).encode()
            bomb.writestr(info, data)
    return out.getvalue()


def test_a_docx_that_expands_too_far_is_refused_before_parsing() -> None:
    data = _zip_bomb(20_000_000)
    assert len(data) < 200_000
    with pytest.raises(
        IngestError, match=r"bomb\.docx: 解压后 \d+\.\d MB（压缩比 \d+）.*POLICYQA_MAX_EXPANSION_RATIO"
    ):
        load_bytes("bomb.docx", data)
    small = _zip_bomb(300_000)
    with pytest.raises(IngestError, match="expands beyond the limit"):
        load_bytes("big.docx", small, LoadLimits(max_expanded_bytes=100_000))
    assert load_bytes("ok.docx", small).startswith("知识产权强市建设")


def test_reading_past_the_parse_time_limit_is_refused() -> None:
    with pytest.raises(IngestError, match=r"slow\.docx: 解析超时.*POLICYQA_MAX_PARSE_SECONDS"):
        load_bytes("slow.docx", _zip_bomb(50_000), LoadLimits(max_parse_seconds=0))


def test_a_file_is_read_once_for_validation_and_indexing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.ingest import loaders
    from assistant.ingest.pipeline import parse_text

    calls: list[str] = []
    real = loaders._read

    def counting(filename: str, *args: object) -> object:
        calls.append(filename)
        return real(filename, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(loaders, "_read", counting)
    path = tmp_path / "once.docx"
    path.write_bytes(_zip_bomb(40_000))
    uploaded = parse_text("once", "once.docx", load_document("once.docx", path.read_bytes()))
    indexed = ingest_file(path)
    assert calls == ["once.docx"] and uploaded.text == indexed.text


def test_missing_file_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"missing\.txt"):
        load_raw(tmp_path / "missing.txt")


def test_discover_skips_sidecars_hidden_and_unsupported(tmp_path: Path) -> None:
    for name in ("b.txt", "a.docx", "a.meta.json", ".hidden.txt", "notes.xlsx", "c.PDF"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in discover(tmp_path)] == ["a.docx", "b.txt", "c.PDF"]
    assert [p.name for p in discover(CORPUS)] == sorted(p.name for p in CORPUS.glob("*.txt"))
    assert set(SUPPORTED_SUFFIXES) >= {
        ".txt",
        ".md",
        ".html",
        ".htm",
        ".docx",
        ".pdf",
        ".png",
        ".jpg",
        ".jpeg",
    }


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
