"""Generic Chinese document data: place names (places.tsv), document vocabulary (documents.toml),
web-page chrome (web_chrome.txt), colloquial verbs the tagger misreads (verbs.txt) and how many laws use
each word (register.tsv). Read once from the
package folder and cached; nothing here is about one corpus. See README.md in this folder for the sources."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

PROVINCE_KINDS = frozenset({"省", "直辖市", "自治区", "特别行政区"})


@dataclass(frozen=True)
class Place:
    """A provincial- or prefecture-level division."""

    name: str  # 广东省, 汕尾市, 延边朝鲜族自治州
    kind: str  # 省 / 直辖市 / 自治区 / 特别行政区 / 地级市 / 自治州 / 地区 / 盟
    parent: str | None  # the province of a prefecture-level division
    short: tuple[str, ...]  # 广东; 延边, 延边州 (a short form shared with a province is left out)
    abbr: tuple[str, ...]  # one-character abbreviations of a province (粤), as used in 文号
    code: str  # GB/T 2260 code

    @property
    def level(self) -> str:
        """省 for provincial-level divisions (直辖市 included), 市 for prefecture-level ones."""
        return "省" if self.kind in PROVINCE_KINDS else "市"

    @property
    def province(self) -> str:
        return self.parent or self.name


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x for x in cell.split(",") if x)


@cache
def places() -> tuple[Place, ...]:
    rows: list[Place] = []
    for line in (HERE / "places.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, kind, parent, short, abbr, code = line.split("\t")
        rows.append(Place(name, kind, parent or None, _split(short), _split(abbr), code))
    return tuple(rows)


@cache
def place_names() -> dict[str, Place]:
    """Every full name and short form → its place."""
    names: dict[str, Place] = {}
    for place in places():
        for name in (place.name, *place.short):
            names.setdefault(name, place)
    return names


@cache
def place_pattern() -> re.Pattern[str]:
    """Any full name or short form, longest first (so 广东省 wins over 广东)."""
    names = sorted(place_names(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@cache
def vocabulary() -> dict[str, Any]:
    with (HERE / "documents.toml").open("rb") as fh:
        return tomllib.load(fh)


def words(key: str) -> tuple[str, ...]:
    """A word list of documents.toml, longest first (the order alternations need)."""
    return tuple(sorted(vocabulary()[key], key=len, reverse=True))


def act_forms() -> dict[str, tuple[str, ...]]:
    """An official act's short form → the ways a text writes it (see act_forms in documents.toml)."""
    return {act: tuple(forms) for act, forms in vocabulary().get("act_forms", {}).items()}


def genre_families() -> dict[str, tuple[str, ...]]:
    """Family name → the document types it covers (司法解释 → 解释, 规定, 批复, 决定)."""
    return {name: tuple(members) for name, members in vocabulary().get("genre_families", {}).items()}


@cache
def chrome_patterns() -> tuple[re.Pattern[str], ...]:
    lines = (HERE / "web_chrome.txt").read_text(encoding="utf-8").splitlines()
    return tuple(re.compile(line) for line in lines if line.strip() and not line.startswith("#"))


@cache
def verbs() -> tuple[str, ...]:
    """Colloquial verbs the tagger's dictionary reads as nouns, places or names (verbs.txt)."""
    lines = (HERE / "verbs.txt").read_text(encoding="utf-8").splitlines()
    return tuple(w for line in lines if not line.startswith("#") for w in line.split())


@cache
def _register() -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in (HERE / "register.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, count = line.partition("\t")
            counts[word] = int(count)
    return counts


def laws_using(word: str) -> int:
    """In how many of some 3,500 Chinese laws and regulations the word occurs (0 below three): how much
    it belongs to the language rules are written in (备案, 宽限期) rather than to everyday talk (商量)."""
    return _register().get(word, 0)
