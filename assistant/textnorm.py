"""Normalisation shared by cleaning, matching and metrics (pure but for reading one shipped data file)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

_DASHES = re.compile(r"[‐‑‒–—―−－─]")
_SPACE = re.compile(r"\s+")
# Unicode 17.0.0 UCD file, unchanged (see assistant/data/README.md for its source and checksum).
_EQUIVALENT_IDEOGRAPHS = "EquivalentUnifiedIdeograph.txt"


def parse_equivalent_ideographs(text: str) -> dict[int, str]:
    """`2E8C..2E8D ; 5C0F  # …` lines → {code point: unified ideograph}."""
    table: dict[int, str] = {}
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        source, target = (part.strip() for part in entry.split(";"))
        first, _, last = source.partition("..")
        for cp in range(int(first, 16), int(last or first, 16) + 1):
            table[cp] = chr(int(target, 16))
    return table


@lru_cache(maxsize=1)
def _ideograph_table() -> dict[int, str]:
    data = resources.files("assistant.data").joinpath(_EQUIVALENT_IDEOGRAPHS).read_text(encoding="utf-8")
    return parse_equivalent_ideographs(data)


def fold_ideographs(text: str) -> str:
    """CJK radicals and strokes → the unified ideograph they look like (⺠ U+2EA0 → 民, ⻔ → 门).

    PDF fonts map one glyph to several code points, so printed text can carry the radical instead of the
    character; NFKC folds only the Kangxi radicals and the compatibility ideographs, this folds the rest."""
    return text.translate(_ideograph_table())


def nfkc(text: str) -> str:
    """NFKC, then radicals folded to their unified ideographs."""
    return fold_ideographs(unicodedata.normalize("NFKC", text))


def unify_dashes(text: str) -> str:
    """Map every dash-like character to '-' (used for matching, never for display)."""
    return _DASHES.sub("-", text)


@lru_cache(maxsize=1 << 14)
def match_key(text: str) -> str:
    """A form for comparing strings: NFKC, no whitespace, one dash, lower-case Latin. Cached: answering
    compares the same passages and words many times per question."""
    return _SPACE.sub("", unify_dashes(nfkc(text))).lower()
