"""Policy files (.txt .md .html .htm .docx .pdf .png .jpg .jpeg) → raw text.

`load_document` reads a file once into a `Loaded` (text as read, layout edits, OCR facts); the last few
results are kept by content hash, so an upload that is validated and then indexed is parsed once.
Every failure is an IngestError whose message names the file and says why."""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from pathlib import Path

from assistant.engine_api import IngestError
from assistant.ingest.limits import Deadline, Loaded, LoadLimits

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf", *IMAGE_SUFFIXES)
# Unicode and the two Chinese national encodings; a tie between GB18030 and Big5 goes to GB18030.
_ENCODINGS = [
    "utf_8",
    "gb18030",
    "big5",
    "utf_16",
    "utf_16_le",
    "utf_16_be",
    "utf_32",
    "utf_32_le",
    "utf_32_be",
]
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_DROP_TAGS = ("script", "style", "nav", "noscript", "template")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
    "header", "footer", "blockquote", "pre", "ul", "ol", "dd", "dt", "hr", "title",
)  # fmt: skip
_BLANKS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_CACHE_SIZE = 4


def _fail(filename: str, reason: str) -> IngestError:
    return IngestError(f"{filename}: {reason}")


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = from_bytes(data, cp_isolation=_ENCODINGS)
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    gb = [m for m in tied if m.encoding == "gb18030"]
    return str(gb[0] if gb else best)


def decode_text(filename: str, data: bytes) -> str:
    """A byte-order mark decides; else UTF-8 if valid; else charset-normalizer picks among Unicode,
    GB18030 and Big5. Binary data and other encodings are refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise _fail(filename, f"无法按 {encoding} 解码 / cannot decode {encoding} text") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        detected = _detect(data)
        if detected is None and b"\x00" in data:
            raise _fail(filename, "不是文本文件（含二进制内容）/ not a text file (binary content)") from None
        if detected is None:
            raise _fail(
                filename,
                "无法识别文本编码（应为 UTF-8、UTF-16/32、GB18030 或 Big5）"
                " / cannot decode text (expected UTF-8, UTF-16/32, GB18030 or Big5)",
            ) from None
        text = detected
    if "\x00" in text:
        raise _fail(filename, "不是文本文件（含二进制内容）/ not a text file (binary content)")
    return text


def html_to_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return _BLANKS.sub("\n\n", soup.get_text()).strip()


def _check_suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = " ".join(SUPPORTED_SUFFIXES)
        raise _fail(
            filename, f"不支持的文件类型 {suffix or '(无扩展名)'}，支持 {supported} / unsupported file type"
        )
    return suffix


def _read(filename: str, suffix: str, data: bytes, limits: LoadLimits) -> Loaded:
    deadline = Deadline(filename, limits.max_parse_seconds)
    if suffix == ".docx":
        from assistant.ingest.word import docx_to_text

        return Loaded(docx_to_text(filename, data, limits, deadline))
    if suffix == ".pdf":
        from assistant.ingest.pdf import pdf_to_pages

        return pdf_to_pages(filename, data, limits, deadline)
    if suffix in IMAGE_SUFFIXES:
        from assistant.ingest.ocr import image_to_text

        return image_to_text(filename, data, limits)
    text = decode_text(filename, data)
    return Loaded(html_to_text(text) if suffix in (".html", ".htm") else text)


class _Recent:
    """The last few files read, by content: validating an upload and indexing it read it once."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple[str, str, LoadLimits], Loaded] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str, LoadLimits]) -> Loaded | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
            return self.items.get(key)

    def put(self, key: tuple[str, str, LoadLimits], value: Loaded) -> None:
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)


_RECENT = _Recent(_CACHE_SIZE)


def load_document(filename: str, data: bytes, limits: LoadLimits | None = None) -> Loaded:
    """Read an uploaded or corpus file; nothing is written to disk."""
    limits = limits or LoadLimits()
    suffix = _check_suffix(filename)
    if not data.strip():
        raise _fail(filename, "文件为空 / the file is empty")
    key = (suffix, hashlib.sha256(data).hexdigest(), limits)
    loaded = _RECENT.get(key)
    if loaded is None:
        loaded = _read(filename, suffix, data, limits)
        if not loaded.text.strip():
            raise _fail(filename, "文件没有文字内容 / the file contains no text")
        _RECENT.put(key, loaded)
    return loaded


def load_bytes(filename: str, data: bytes, limits: LoadLimits | None = None) -> str:
    """The raw text of a file, as read (for PDFs and scans: every line as on the page)."""
    return load_document(filename, data, limits).text


def load_raw(path: Path, limits: LoadLimits | None = None) -> str:
    """Raw text of a policy file on disk."""
    _check_suffix(path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path.name, f"无法读取文件 / cannot read file: {exc.strerror or exc}") from exc
    return load_bytes(path.name, data, limits)
