"""Policy files (.txt .md .html .htm .docx .pdf) → raw text.

Every failure is an IngestError whose message names the file and says why."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from assistant.engine_api import IngestError

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
_TEXT_ENCODINGS = ("utf-8", "gb18030")
_DROP_TAGS = ("script", "style", "nav", "noscript", "template")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
    "header", "footer", "blockquote", "pre", "ul", "ol", "dd", "dt", "hr", "title",
)  # fmt: skip
_BLANKS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def _fail(filename: str, reason: str) -> IngestError:
    return IngestError(f"{filename}: {reason}")


def decode_text(filename: str, data: bytes) -> str:
    """UTF-8 (BOM stripped), UTF-16 with BOM, else GB18030; binary data is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _fail(filename, "无法解码 UTF-16 文本 / cannot decode UTF-16 text") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise _fail(filename, "不是文本文件（含二进制内容）/ not a text file (binary content)")
    for encoding in _TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _fail(
        filename, "无法识别文本编码（应为 UTF-8 或 GB18030）/ cannot decode text (expected UTF-8 or GB18030)"
    )


def html_to_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return _BLANKS.sub("\n\n", soup.get_text()).strip()


def docx_to_text(filename: str, data: bytes) -> str:
    """Paragraphs and tables in document order; a table row becomes one line of ' | '-joined cells."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _fail(filename, "不是有效的 Word 文档 / not a valid .docx file") from exc
    except Exception as exc:  # python-docx raises its own PackageNotFoundError for non-OOXML zips
        raise _fail(filename, f"无法读取 Word 文档 / cannot read .docx: {exc}") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(" | ".join(cell.text.strip() for cell in row.cells) for row in block.rows)
    return "\n\n".join(line for line in lines if line.strip())


def pdf_to_text(filename: str, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _fail(filename, "PDF 已加密 / the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise _fail(filename, f"不是有效的 PDF 文件 / not a valid PDF: {exc}") from exc
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text:
        raise _fail(
            filename, "PDF 没有文字层（可能是扫描件，需先 OCR）/ the PDF has no text layer (scanned?)"
        )
    return text


def _check_suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = " ".join(SUPPORTED_SUFFIXES)
        raise _fail(
            filename, f"不支持的文件类型 {suffix or '(无扩展名)'}，支持 {supported} / unsupported file type"
        )
    return suffix


def load_bytes(filename: str, data: bytes) -> str:
    """Raw text of an uploaded file; nothing is written to disk."""
    suffix = _check_suffix(filename)
    if not data.strip():
        raise _fail(filename, "文件为空 / the file is empty")
    if suffix == ".docx":
        text = docx_to_text(filename, data)
    elif suffix == ".pdf":
        text = pdf_to_text(filename, data)
    elif suffix in (".html", ".htm"):
        text = html_to_text(decode_text(filename, data))
    else:
        text = decode_text(filename, data)
    if not text.strip():
        raise _fail(filename, "文件没有文字内容 / the file contains no text")
    return text


def load_raw(path: Path) -> str:
    """Raw text of a policy file on disk."""
    _check_suffix(path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path.name, f"无法读取文件 / cannot read file: {exc.strerror or exc}") from exc
    return load_bytes(path.name, data)
