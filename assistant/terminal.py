"""What a person sees in a terminal: readable log lines and progress bars (rich) in place of the JSON lines
that log collectors want. `wants_text` decides; everything here writes to stderr."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TextIO

from rich.console import Console
from rich.logging import RichHandler
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from assistant.progress import BuildProgress
from assistant.retrieval.build import DocumentStep

ACCESS_LOGGER = "policyqa.access"


def wants_text(log_format: str, streams: tuple[TextIO, ...] = ()) -> bool:
    """ "text"/"json" as configured; "auto": text when stdout and stderr are both terminals."""
    if log_format != "auto":
        return log_format == "text"
    return all(s.isatty() for s in streams or (sys.stdout, sys.stderr))


@cache
def console() -> Console:
    """One console per process: log lines then print above a live progress bar instead of through it."""
    return Console(stderr=True, highlight=False)


def access_line(message: str) -> str:
    """`GET /v1/ask 200 8.3 ms [request id]` from the JSON access record (other text as it is)."""
    try:
        data = json.loads(message)
        return f"{data['method']} {data['path']} {data['status']} {data['ms']} ms [{data['request_id']}]"
    except (ValueError, KeyError, TypeError):
        return message


def document_line(step: DocumentStep) -> str:
    """`[2/5] 002.txt: 34 passages embedded` (reused: unchanged since the last build)."""
    if step.state == "skipped":
        return f"[{step.position}/{step.total}] {step.name}: skipped"
    return f"[{step.position}/{step.total}] {step.name}: {step.chunks} passages {step.state}"


class _ReadableAccess(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == ACCESS_LOGGER:
            record.msg, record.args = access_line(record.getMessage()), ()
        return True


def text_log_handler() -> logging.Handler:
    handler = RichHandler(
        console=console(), show_path=False, markup=False, rich_tracebacks=False, log_time_format="[%X]"
    )
    handler.addFilter(_ReadableAccess())
    return handler


class TerminalDisplay:
    """Progress bars on the shared console (implements assistant.progress.ProgressDisplay)."""

    @contextmanager
    def stage(self, text: str) -> Iterator[None]:
        columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console(), transient=True) as bar:
            bar.add_task(text, total=None)
            yield

    @contextmanager
    def build(self, text: str) -> Iterator[BuildProgress]:
        columns = (
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console()) as bar:
            files = bar.add_task(text, total=None)
            passages = bar.add_task("", total=None, visible=False)

            def document(step: DocumentStep) -> None:
                if step.state == "embedding":
                    bar.update(files, total=step.total, description=f"{text}: {step.name}")
                    bar.reset(passages, total=step.chunks, description="  embedding passages", visible=True)
                    return
                bar.update(files, total=step.total, completed=step.position)
                bar.update(passages, visible=False)
                console().print(f"  {document_line(step)}", markup=False, highlight=False)

            yield BuildProgress(lambda n: bar.advance(passages, n), document)
            bar.update(files, description=f"{text}: done")


class LineDisplay:
    """No terminal (a log file, CI): one plain line per step and per finished file."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr

    def _say(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    @contextmanager
    def stage(self, text: str) -> Iterator[None]:
        self._say(f"{text} …")
        yield

    @contextmanager
    def build(self, text: str) -> Iterator[BuildProgress]:
        def document(step: DocumentStep) -> None:
            if step.state != "embedding":
                self._say(document_line(step))

        self._say(f"{text} …")
        yield BuildProgress(lambda n: None, document)
