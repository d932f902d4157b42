"""Build the same policy document as .txt, .docx (Word automatic numbering, header and footer), an A4
PDF printed by headless Chromium (running header, page numbers in the footer) and an image-only scan
of that PDF. Source texts are seed documents of corpus/; nothing is downloaded.

    python -m tests.formats.docgen OUT_DIR     # OUT_DIR/{txt,docx,pdf,scan}/<seed stem>.<ext>
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEEDS = ("002_e785d9f8d5cb8cce", "003_2e3dab449bdba0d5")
IP_GENERAL = REPO / "eval" / "corpora" / "ip-general" / "docs"
FORMATS = ("txt", "docx", "pdf", "scan")
_NUMBERED = (
    (0, re.compile(r"^([一二三四五六七八九十]+)、")),
    (1, re.compile(r"^（([一二三四五六七八九十]+)）")),
    (2, re.compile(r"^(\d{1,2})\.(?!\d)")),
)
_CN = "一二三四五六七八九十"
_FOOTERS = ("— {page} —", "第 {page} 页")
_NOT_TITLE = re.compile(r"〔\d{4}〕|文件$")  # 文号 and 版头 lines of a document's head


def title_line(line: str) -> bool:
    return not _NOT_TITLE.search(line)


@dataclass(frozen=True)
class Source:
    stem: str
    text: str  # the document text, one paragraph per line
    title_lines: int  # leading lines that are the document's head (版头, 文号, title)
    title: str


def _cn_value(numeral: str) -> int:
    from assistant.ingest.cn_numerals import parse_ordinal

    value = parse_ordinal(numeral)
    assert value is not None, numeral
    return value


def source(stem: str) -> Source:
    """A seed's (corpus/) or an ip-general document's clean text (what an official's file of it would
    contain) and where its head ends."""
    from assistant.ingest.pipeline import ingest_file

    seed = REPO / "corpus" / f"{stem}.txt"
    parsed = ingest_file(seed if seed.exists() else IP_GENERAL / f"{stem}.md")
    lines = [line for line in parsed.text.split("\n") if line.strip()]
    # The head (版头, 文号, title) ends at the 主送 line (各…：) when there is one near the top.
    head = next((i for i, line in enumerate(lines[:5]) if line.endswith("：")), 1)
    return Source(stem, "\n".join(lines), head, parsed.meta.title)


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


# ---------------------------------------------------------------- .docx


def _numbering_xml(abstract_id: int, continuous_items: bool) -> str:
    restart = '<w:lvlRestart w:val="0"/>' if continuous_items else ""
    levels = (
        ("chineseCounting", "%1、", ""),
        ("chineseCounting", "（%2）", ""),
        ("decimal", "%3.", restart),
    )
    body = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{extra}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text, extra) in enumerate(levels)
    )
    return (
        f'<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="multilevel"/>{body}</w:abstractNum>'
    )


class _Lists:
    """Word lists for the document: one abstract list; a new list instance with a start override
    wherever the source's numbers do not follow Word's own count (as a user would set them)."""

    ABSTRACT = 90

    def __init__(self, document: object, continuous_items: bool) -> None:
        from docx.oxml import parse_xml

        self.root = document.part.numbering_part.element  # type: ignore[attr-defined]
        first_num = self.root.find(f"{{{_W}}}num")
        abstract = parse_xml(_numbering_xml(self.ABSTRACT, continuous_items))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.root.append(abstract)
        self.continuous = continuous_items
        self.next_id = 90
        self.num_id = self.first = self._new_num({})
        self.expected = [1, 1, 1]

    def _new_num(self, starts: dict[int, int]) -> int:
        from docx.oxml import parse_xml

        num_id = self.next_id
        self.next_id += 1
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            for lvl, start in starts.items()
        )
        self.root.append(
            parse_xml(
                f'<w:num xmlns:w="{_W}" w:numId="{num_id}"><w:abstractNumId w:val="{self.ABSTRACT}"/>'
                f"{overrides}</w:num>"
            )
        )
        return num_id

    def number(self, level: int, value: int) -> int:
        """The numId that makes Word draw `value` at `level` here."""
        if value != self.expected[level]:
            self.num_id = self._new_num({level: value})
        self.expected[level] = value + 1
        for deeper in range(level + 1, 3):
            if not (deeper == 2 and self.continuous):
                self.expected[deeper] = 1
        return self.num_id


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _set_numbering(paragraph: object, num_id: int, level: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    num_pr = p_pr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def _continuous_items(lines: Sequence[str]) -> bool:
    """Do the 1. 2. items keep counting across （一）（二） sections in this text?"""
    numbers = [int(m.group(1)) for line in lines if (m := _NUMBERED[2][1].match(line))]
    return numbers.count(1) <= 1


def _add_page_field(paragraph: object) -> None:
    from docx.oxml import parse_xml

    run = paragraph.add_run("第 ")  # type: ignore[attr-defined]
    for xml in (
        f'<w:r xmlns:w="{_W}"><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r xmlns:w="{_W}"><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        f'<w:r xmlns:w="{_W}"><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        run._r.addnext(parse_xml(xml))
        run = paragraph.add_run()  # type: ignore[attr-defined]
    paragraph.add_run(" 页")  # type: ignore[attr-defined]


def write_docx(src: Source, path: Path, table: Sequence[Sequence[str]] = ()) -> None:
    """Paragraphs of the source; 一、（一）1. come from Word's numbering (the typed text lacks them),
    level-1 headings through the Heading 1 style's numbering; a running header and a page-number
    footer; `table` (rows of cells) goes after the first body paragraph."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    lines = src.text.split("\n")
    lists = _Lists(document, _continuous_items(lines))
    heading = document.styles["Heading 1"]
    style_num = heading.element.get_or_add_pPr().get_or_add_numPr()
    style_num.get_or_add_numId().val = lists.num_id
    style_num.get_or_add_ilvl().val = 0
    document.sections[0].header.paragraphs[0].text = f"{src.title}（内部资料）"
    _add_page_field(document.sections[0].footer.paragraphs[0])
    for i, line in enumerate(lines):
        found = next(((lvl, m) for lvl, pattern in _NUMBERED if (m := pattern.match(line))), None)
        if i < src.title_lines:
            paragraph = document.add_paragraph()
            run = paragraph.add_run(line)
            run.font.size = Pt(22 if title_line(line) else 16)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif found is None:
            document.add_paragraph(line)
        else:
            level, match = found
            value = int(match.group(1)) if level == 2 else _cn_value(match.group(1))
            num_id = lists.number(level, value)
            paragraph = document.add_paragraph(line[match.end() :], style="Heading 1" if level == 0 else None)
            if level > 0 or num_id != lists.first:  # level 0 numbers through its style
                _set_numbering(paragraph, num_id, level)
        if table and i == src.title_lines:
            _add_table(document, table)
    document.save(str(path))


def _add_table(document: object, rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))  # type: ignore[attr-defined]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value


# ---------------------------------------------------------------- printed PDF and scan

_CSS = """
@page {{ size: A4; margin: 24mm 22mm 24mm 22mm;
  @top-center {{ content: "{header}"; font-size: 9pt; color: #444; }}
  @bottom-center {{ content: {footer}; font-size: 11pt; }} }}
body {{ font-family: 'Noto Serif CJK SC', serif; font-size: 13pt; line-height: 1.6; }}
p {{ margin: 0; text-indent: 2em; text-align: justify; }}
p.head {{ text-align: center; text-indent: 0; }}
p.title {{ font-size: 20pt; text-align: center; text-indent: 0; margin: 10pt 2em; line-height: 1.4; }}
p.h {{ font-family: 'Noto Sans CJK SC', sans-serif; }}
"""


def page_html(src: Source, footer: str) -> str:
    """One A4 page per document style: the head centred, its title lines large."""
    lines = src.text.split("\n")
    parts: list[str] = []
    for i, line in enumerate(lines):
        if i < src.title_lines:
            css = "title" if title_line(line) else "head"
        else:
            css = "h" if _NUMBERED[0][1].match(line) else ""
        parts.append(f'<p class="{css}">{html.escape(line)}</p>')
    before, _, after = footer.partition("{page}")
    css = _CSS.format(header=html.escape(src.title), footer=f'"{before}" counter(page) "{after}"')
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}</style></head>'
        f"<body>{''.join(parts)}</body></html>"
    )


def print_pdf(page: str, path: Path) -> None:
    """Headless Chromium's print to PDF (Debian's chromium, fonts-noto-cjk)."""
    browser = chromium()
    if browser is None:
        raise RuntimeError("chromium is not installed (make browser-deps)")
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "page.html"
        page_file.write_text(page, encoding="utf-8")
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--user-data-dir={tmp}/profile", f"--print-to-pdf={path}", page_file.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip


def write_scan(pdf: Path, path: Path, dpi: int = 150) -> None:
    """Every page rendered to a grey image, tilted a little and blurred like a scanner's, then wrapped
    in a PDF with no text layer."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    document = pdfium.PdfDocument(str(pdf))
    images = []
    for page in document:
        image = page.render(scale=dpi / 72).to_pil().convert("L")
        image = image.rotate(0.4, resample=Image.Resampling.BICUBIC, fillcolor=255)
        images.append(image.filter(ImageFilter.GaussianBlur(0.6)))
    document.close()
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi, quality=80)


def build(out: Path, stems: Sequence[str] = SEEDS) -> dict[str, Path]:
    """out/<format>/<stem>.<ext> for every seed; returns the folder of each format."""
    dirs = {fmt: out / fmt for fmt in FORMATS}
    for folder in dirs.values():
        folder.mkdir(parents=True, exist_ok=True)
    for n, stem in enumerate(stems):
        src = source(stem)
        (dirs["txt"] / f"{stem}.txt").write_text(src.text + "\n", encoding="utf-8")
        write_docx(src, dirs["docx"] / f"{stem}.docx")
        print_pdf(page_html(src, _FOOTERS[n % len(_FOOTERS)]), dirs["pdf"] / f"{stem}.pdf")
        write_scan(dirs["pdf"] / f"{stem}.pdf", dirs["scan"] / f"{stem}.pdf")
    return dirs


if __name__ == "__main__":
    for fmt, folder in build(Path(sys.argv[1])).items():
        print(fmt, folder)
