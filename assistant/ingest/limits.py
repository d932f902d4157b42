"""Limits on what reading one file may cost, and the result of reading it (pure)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from assistant.engine_api import IngestError
from assistant.ingest.mapped import Edit


@dataclass(frozen=True)
class LoadLimits:
    """Defaults match `Settings`; the app and the CLI pass `Settings.load_limits()`."""

    max_expanded_bytes: int = 50 * 1024 * 1024  # all members of a .docx (zip) archive, uncompressed
    max_expansion_ratio: float = 100.0  # uncompressed / compressed size of a .docx archive
    max_parse_seconds: float = 120.0  # reading one file (OCR has its own limit)
    ocr: bool = True  # read scanned PDFs and images with OCR
    ocr_max_pages: int = 30
    ocr_max_seconds: float = 600.0


@dataclass(frozen=True)
class Loaded:
    """A file's text as read, and the layout edits (joins of wrapped lines, dropped running heads)
    applied before cleaning; clean-text offsets map back to `text`."""

    text: str
    edits: tuple[Edit, ...] = ()
    ocr_confidence: float | None = None  # mean recognition confidence when any text came from OCR
    ocr_pages: int = 0

    @property
    def ocr(self) -> bool:
        return self.ocr_pages > 0


@dataclass
class Deadline:
    """Raises an IngestError naming the file and the setting once `seconds` have passed."""

    filename: str
    seconds: float
    setting: str = "POLICYQA_MAX_PARSE_SECONDS"
    started: float = field(default_factory=time.monotonic)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def check(self, done: str = "") -> None:
        if self.elapsed() > self.seconds:
            progress = f"（{done}）" if done else ""
            raise IngestError(
                f"{self.filename}: 解析超时{progress}，上限 {self.seconds:g} 秒（{self.setting}）"
                f" / reading the file took longer than {self.seconds:g} s"
            )
