"""Holds the one engine of the process and loads it in the background so that the server answers
/healthz at once and /readyz says 503 until the model and index are in memory."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from assistant.engine_api import QAEngine

LOG = logging.getLogger("policyqa.service")


class EngineNotReady(RuntimeError):
    """The engine is still loading, or failed to load (the message says which)."""


class EngineSlot:
    def __init__(self, engine: QAEngine | None = None) -> None:
        self._engine = engine
        self._error: str | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def ready(self) -> bool:
        return self._engine is not None

    @property
    def error(self) -> str | None:
        return self._error

    def get(self) -> QAEngine:
        engine = self._engine
        if engine is not None:
            return engine
        if self._error is not None:
            raise EngineNotReady(f"问答引擎加载失败 (engine failed to load): {self._error}")
        raise EngineNotReady("问答引擎正在加载，请稍后重试 (engine is loading, retry shortly)")

    def start_loading(self, opener: Callable[[], QAEngine]) -> None:
        """Open the engine on a daemon thread (at most once)."""
        with self._lock:
            if self._engine is not None or self._thread is not None:
                return
            self._thread = threading.Thread(
                target=self._load, args=(opener,), name="engine-loader", daemon=True
            )
            self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.ready

    def _load(self, opener: Callable[[], QAEngine]) -> None:
        try:
            engine = opener()
        except Exception as exc:  # reported through /readyz and 503s, and logged with its trace
            LOG.exception("engine failed to load")
            self._error = f"{type(exc).__name__}: {exc}"
            return
        self._engine = engine
        LOG.info("engine ready")
