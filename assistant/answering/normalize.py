"""Question normalisation (pure): NFKC (full-width → half-width) and traditional → simplified."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from assistant.textnorm import nfkc


@lru_cache(maxsize=1)
def _t2s() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


def normalise_question(text: str) -> str:
    return str(_t2s().convert(nfkc(text).strip()))
