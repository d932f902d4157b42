"""Normalisation shared by cleaning, matching and metrics (pure)."""

from __future__ import annotations

import re
import unicodedata

_DASHES = re.compile(r"[‐‑‒–—―−－─]")
_SPACE = re.compile(r"\s+")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def unify_dashes(text: str) -> str:
    """Map every dash-like character to '-' (used for matching, never for display)."""
    return _DASHES.sub("-", text)


def match_key(text: str) -> str:
    """A form for comparing strings: NFKC, no whitespace, one dash, lower-case Latin."""
    return _SPACE.sub("", unify_dashes(nfkc(text))).lower()
