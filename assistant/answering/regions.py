"""Which places and foreign bodies a question names (pure).

Places come from the generic Chinese gazetteer (assistant/lang/zh/places.tsv: every provincial- and
prefecture-level division) plus the regions of the indexed documents (a district such as 青州市东湖新区
is known by its documents: 东湖新区, 东湖). Foreign bodies come from the profile.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from assistant.lang.zh import Place, place_names

_DISTRICT_SUFFIX = re.compile(r"(?:新区|自治县|特区|区|县|旗)$")


@dataclass(frozen=True)
class Gazetteer:
    """Place names → the canonical region they stand for (云岭 → 云岭省, 东湖 → 青州市东湖新区)."""

    names: dict[str, str]
    provinces: dict[str, str]  # canonical region → its province (a city → its province)

    @classmethod
    def build(cls, regions: Iterable[str | None] = ()) -> Gazetteer:
        names = {name: place.name for name, place in place_names().items()}
        provinces = {place.name: place.province for place in place_names().values()}
        for region in {r for r in regions if r}:
            for form in region_forms(region):
                names.setdefault(form, region)
            provinces.setdefault(region, _province_of(region) or region)
        return cls(names, provinces)

    @cached_property  # asked several times per question; sorting the names each time cost 0.5 ms
    def pattern(self) -> re.Pattern[str]:
        return _alternation(tuple(sorted(self.names, key=len, reverse=True)))

    def mentions(self, text: str) -> tuple[str, ...]:
        """Places as written ("云岭省"), longest names first, for substituting one for another."""
        return tuple(dict.fromkeys(m.group(0) for m in self.pattern.finditer(text)))

    def find(self, text: str) -> tuple[str, ...]:
        """The canonical regions the text names, in order."""
        return tuple(dict.fromkeys(self.names[m] for m in self.mentions(text)))

    def covered(self, region: str, document_regions: Iterable[str | None]) -> bool:
        """A region the documents are about: one of theirs, one containing or inside theirs (青州市 for
        青州市东湖新区), or the province of one of theirs (a province for one of its cities)."""
        for doc_region in filter(None, document_regions):
            if region in doc_region or doc_region in region:
                return True
            if region == self.provinces.get(doc_region):
                return True
        return False


def region_forms(region: str) -> list[str]:
    """The names a region goes by: 青州市东湖新区 → 青州市东湖新区, 东湖新区, 东湖; 青州市 → 青州市, 青州."""
    forms = [region]
    place = _leading_place(region)
    rest = region[len(place.name) :] if place and len(region) > len(place.name) else ""
    if rest:
        forms.append(rest)
        short = _DISTRICT_SUFFIX.sub("", rest)
        if len(short) >= 2:
            forms.append(short)
    elif region in place_names():
        forms += [n for n, p in place_names().items() if p.name == place_names()[region].name and n != region]
    return list(dict.fromkeys(forms))


def _leading_place(region: str) -> Place | None:
    names = sorted((n for n in place_names() if region.startswith(n)), key=len, reverse=True)
    return place_names()[names[0]] if names else None


def _province_of(region: str) -> str | None:
    place = _leading_place(region)
    return place.province if place else None


@lru_cache(maxsize=8)
def _alternation(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, names))) if names else re.compile(r"(?!x)x")


def find_foreign(text: str, names: Sequence[str]) -> tuple[str, ...]:
    """Foreign countries and bodies (the profile's foreign.txt) the text names."""
    if not names:
        return ()
    pattern = _alternation(tuple(sorted(names, key=len, reverse=True)))
    return tuple(dict.fromkeys(m.group(0) for m in pattern.finditer(text)))


# what a question asks of a foreign name right after it: a law, a body, how; the profile adds the
# subjects of its domain (foreign_subjects.txt: 美国专利…)
_TOPIC_WORDS = "法|规定|政策|制度|政府|法院|局|厅|组织|怎么|如何|是否|有没有"


@lru_cache(maxsize=8)
def _topic_after(subjects: tuple[str, ...]) -> str:
    words = "|".join([_TOPIC_WORDS, *map(re.escape, subjects)])
    return rf"(?:的)?[^，,。？?]{{0,2}}(?:{words})"


# 出口到美国 / 卖到日本: where the goods go, not the law the question is about
_TOPIC_BEFORE = r"(?<!出口)(?<![卖销运发])(?:在|向|去|到|赴)"


def foreign_topics(text: str, names: Sequence[str], subjects: Sequence[str] = ()) -> tuple[str, ...]:
    """Foreign countries and bodies the question is about (美国专利法…, 在日本申请…, 欧洲专利局), not
    ones it mentions in passing (转让给一家美国公司)."""
    found = []
    after = _topic_after(tuple(subjects))
    for name in find_foreign(text, names):
        body = name.isascii() or name.endswith(("局", "厅", "组织"))
        escaped = re.escape(name)
        if body or re.search(escaped + after, text) or re.search(_TOPIC_BEFORE + escaped, text):
            found.append(name)
    return tuple(found)
