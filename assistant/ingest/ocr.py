"""OCR of page images with RapidOCR (PP-OCRv4 Chinese models shipped inside the rapidocr-onnxruntime
wheel, run by ONNX Runtime; nothing is downloaded). Text boxes become lines in reading order, so scans
go through the same layout reflow as printed PDFs."""

from __future__ import annotations

import re
import statistics
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from types import TracebackType
from typing import Any

from assistant.engine_api import IngestError
from assistant.ingest.layout import Line, Page
from assistant.ingest.limits import Deadline, Loaded, LoadLimits

# Pages are read at 1600 px a side (A4 at 137 dpi): the detector costs a third of what it does at 2000 px
# and the text read differs in 1 character of 1100; larger images are shrunk to this.
SIDE_PX = 1600
_LOCK = threading.Lock()  # one recognition at a time: it already uses every core


@lru_cache(maxsize=1)
def engine() -> Any:
    """The OCR engine, loaded once per process (about 1 s)."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


@dataclass(frozen=True)
class Box:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    score: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


# OCR reads the 〔〕 around a document number's year as [] or 【】 (X府[2016]12号).
_YEAR_BRACKETS = re.compile(r"[\[【［]((?:19|20)\d{2})[\]】］]")


def fix_text(text: str) -> str:
    """Undo recognition slips that would break 文号 matching."""
    return _YEAR_BRACKETS.sub(r"〔\1〕", text.strip())


def boxes_of(result: Sequence[Any] | None) -> list[Box]:
    """RapidOCR's [[corner points], text, score] triples → boxes."""
    boxes: list[Box] = []
    for points, text, score in result or ():
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        if str(text).strip():
            boxes.append(Box(fix_text(str(text)), min(xs), max(xs), min(ys), max(ys), float(score)))
    return boxes


def rows(boxes: Sequence[Box]) -> list[list[Box]]:
    """Boxes on one text line, top to bottom, each row left to right: a box joins the row above when
    its middle lies within half a line height of the row's middle."""
    grouped: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.middle):
        if grouped:
            row = grouped[-1]
            middle = statistics.fmean(b.middle for b in row)
            height = statistics.median(b.height for b in row)
            if abs(box.middle - middle) <= 0.5 * min(height, box.height):
                row.append(box)
                continue
        grouped.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in grouped]


def row_line(row: Sequence[Box]) -> Line:
    """Boxes of a row joined; a gap wider than a character becomes a space (table cells, spaced words)."""
    height = statistics.median(b.height for b in row)
    text = row[0].text
    for before, box in pairwise(row):
        text += (" " if box.x0 - before.x1 > height else "") + box.text
    return Line(
        text,
        min(b.x0 for b in row),
        max(b.x1 for b in row),
        min(b.top for b in row),
        max(b.bottom for b in row),
        height,
    )


def image_page(image: Any) -> tuple[Page, list[Box]]:
    """One RGB page image → its lines in reading order, and the boxes read."""
    with _LOCK:
        # No angle classifier: on upright scans it turned whole lines upside down (0.98 sure) and lost them.
        result, _ = engine()(image, use_cls=False)
    boxes = boxes_of(result)
    width, height = image.size
    return Page(float(width), float(height), tuple(row_line(row) for row in rows(boxes))), boxes


class OcrRun:
    """OCR of one file's scanned pages under the page and time limits, with a progress bar on a
    terminal; collects the confidence of every recognised character."""

    def __init__(self, filename: str, pages: int, limits: LoadLimits) -> None:
        if pages > limits.ocr_max_pages:
            raise IngestError(
                f"{filename}: 需 OCR 的扫描页 {pages} 页，超过上限 {limits.ocr_max_pages} 页"
                f"（POLICYQA_OCR_MAX_PAGES）/ too many scanned pages for OCR"
            )
        self.filename = filename
        self.total = pages
        self.done = 0
        self.deadline = Deadline(filename, limits.ocr_max_seconds, "POLICYQA_OCR_MAX_SECONDS")
        self.weighted = 0.0
        self.chars = 0
        self._bar: Any = None

    def __enter__(self) -> OcrRun:
        from tqdm import tqdm

        self._bar = tqdm(
            total=self.total, desc=f"OCR {self.filename}", unit="page", disable=None, file=sys.stderr
        )
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.close()

    def page(self, image: Any) -> Page:
        self.deadline.check(f"OCR 已完成 {self.done}/{self.total} 页")
        page, boxes = image_page(image)
        for box in boxes:
            self.weighted += box.score * len(box.text)
            self.chars += len(box.text)
        self.done += 1
        if self._bar is not None:
            self._bar.update(1)
        return page

    def confidence(self) -> float | None:
        return round(self.weighted / self.chars, 4) if self.chars else None


_MAX_IMAGE_PIXELS = 60_000_000  # a 60-megapixel photo is the largest page image decoded


def _decode_image(filename: str, data: bytes) -> Any:
    import io

    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > _MAX_IMAGE_PIXELS:
            raise IngestError(
                f"{filename}: 图片过大（{image.width}×{image.height} 像素）/ the image has too many pixels"
            )
        image.load()
        return ImageOps.exif_transpose(image).convert("RGB")  # photos taken sideways carry a rotation tag
    except IngestError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise IngestError(f"{filename}: 不是有效的图片 / not a valid PNG or JPEG image: {exc}") from exc


def image_to_text(filename: str, data: bytes, limits: LoadLimits) -> Loaded:
    """An uploaded page image (.png/.jpg) read by OCR and reflowed like a scanned PDF page."""
    from assistant.ingest.layout import reflow

    if not limits.ocr:
        raise IngestError(f"{filename}: 图片需要 OCR，OCR 已关闭（POLICYQA_OCR）/ OCR is off")
    image = _decode_image(filename, data)
    if max(image.size) > SIDE_PX:
        image.thumbnail((SIDE_PX, SIDE_PX))
    with OcrRun(filename, 1, limits) as run:
        page = run.page(image)
    if not page.lines:
        raise IngestError(f"{filename}: 图片中没有识别到文字 / no text found in the image")
    flowed = reflow([page])
    return Loaded(flowed.text, flowed.edits, run.confidence(), 1)
