"""How long-running steps report progress (the model load, an index build), without saying where to:
a terminal shows bars (assistant.terminal), a log file gets lines, a server without a terminal nothing."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from assistant.retrieval.build import DocumentProgress, Progress


@dataclass(frozen=True)
class BuildProgress:
    """The two callbacks build_index takes: embedded passages, and each file's start and finish."""

    chunks: Progress
    document: DocumentProgress


class ProgressDisplay(Protocol):
    def stage(self, text: str) -> AbstractContextManager[None]:
        """A step with nothing to count (loading or exporting the model): shown while it runs."""
        ...

    def build(self, text: str) -> AbstractContextManager[BuildProgress]:
        """An index build: files done of all files, passages embedded of the current file."""
        ...
