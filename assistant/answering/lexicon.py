"""What the engine knows about one indexed corpus, derived from the documents themselves (pure).

- generic terms: words in most passages (税收 in a tax corpus) say nothing about which passage
  answers;
- contrast sets: parallel headings (（一）甲型… （二）乙型… （三）丙型…) name cases a follow-up may
  swap and a list answer must not mix;
- the profile adds what the documents cannot show (colloquial wording, unstated facts).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.models import Chunk
from assistant.profile import Profile
from assistant.textnorm import match_key

# Words that pad a question in any corpus (「具体内容」「哪几条」): never evidence for a passage.
QUESTION_PADDING = frozenset(
    "文件 政策 规定 提出 要求 目标是 部分 方面 具体 内容 情况 哪几条 哪几项 几条 几项".split()
)
GENERIC_SHARE = 0.7  # a term in at least this share of passages is generic
_MIN_PASSAGES = 20  # below this, shares say little: nothing is generic
_ORDINAL = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[章节条编款项]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])\s*"
)
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]{2,5}$")
_MIN_SHARED = 4  # characters the parallel headings must share


def generic_terms(doc_freq: Mapping[str, int], passages: int) -> frozenset[str]:
    if passages < _MIN_PASSAGES:
        return QUESTION_PADDING
    common = {t for t, n in doc_freq.items() if len(t) >= 2 and n / passages >= GENERIC_SHARE}
    return frozenset(common) | QUESTION_PADDING


def strip_ordinal(heading: str) -> str:
    return _ORDINAL.sub("", heading).strip().rstrip("。：:")


def _middles(a: str, b: str) -> tuple[str, str, str] | None:
    """(shared frame, middle of a, middle of b) when a and b differ only in a short run."""
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    mid_a, mid_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    if prefix + suffix < _MIN_SHARED or not (_CJK_ONLY.match(mid_a) and _CJK_ONLY.match(mid_b)):
        return None
    return a[:prefix] + "…" + a[len(a) - suffix :], mid_a, mid_b


def sibling_contrasts(chunks: Iterable[Chunk]) -> list[tuple[str, ...]]:
    """Sets of parallel terms from sibling headings that differ only in one short run."""
    siblings: dict[tuple[str, ...], dict[str, None]] = defaultdict(dict)
    for chunk in chunks:
        for depth in range(1, len(chunk.section) + 1):
            siblings[chunk.section[: depth - 1]][strip_ordinal(chunk.section[depth - 1])] = None
    groups: dict[str, dict[str, None]] = defaultdict(dict)
    for names in siblings.values():
        heads = [h for h in names if h]
        for i, a in enumerate(heads):
            for b in heads[i + 1 :]:
                found = _middles(a, b)
                if found:
                    frame, mid_a, mid_b = found
                    groups[frame].update({mid_a: None, mid_b: None})
    return [tuple(members) for members in groups.values()]


def merge_sets(sets: Iterable[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    """Deduplicated sets (order kept); a set contained in another is dropped."""
    unique: list[tuple[str, ...]] = []
    for members in sets:
        key = tuple(dict.fromkeys(members))
        if len(key) >= 2 and key not in unique:
            unique.append(key)
    return tuple(s for s in unique if not any(set(s) < set(o) for o in unique))


@dataclass(frozen=True)
class Lexicon:
    generic: frozenset[str]
    contrasts: tuple[tuple[str, ...], ...]
    profile: Profile

    @classmethod
    def build(cls, chunks: Sequence[Chunk], doc_freq: Mapping[str, int], profile: Profile) -> Lexicon:
        sets = merge_sets([*profile.contrasts, *sibling_contrasts(chunks)])
        return cls(generic_terms(doc_freq, len(chunks)), sets, profile)

    def contrast_terms(self, text: str) -> tuple[str, ...]:
        """Members of contrast sets named in the text, in set order."""
        key = match_key(text)
        return tuple(dict.fromkeys(t for s in self.contrasts for t in s if t in key))

    def rivals(self, term: str) -> tuple[str, ...]:
        """The other members of every set `term` belongs to."""
        return tuple(dict.fromkeys(t for s in self.contrasts if term in s for t in s if t != term))

    def expansions(self, text: str) -> tuple[str, ...]:
        return self.profile.expansions(text)
