"""The N-th part of a section in a document without articles (pure).

「重点任务的第二条」 in a plan is the second point of that section, not an article: the section the question
names, then its N-th part. Items numbered on through the whole section (1. … 20. across its （一）（二）…)
are what a reader counts; otherwise the section's own parts (（一）（二）…) are. 「第六阶段」 of a plan whose
headings name a 第一 to 第五阶段 is a part the document does not have.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answering.lexicon import strip_ordinal
from assistant.ingest.cn_numerals import parse_ordinal
from assistant.textnorm import match_key

_NUM = r"[一二三四五六七八九十百零〇两\d]+"
# the counted units that name a position in a list; 章/节/款 belong to articles and chapters
_ASKED = re.compile(rf"第({_NUM})(条|项|点|部分|个方面|方面|阶段|步|批)")
NAMED_UNITS = ("阶段", "步", "批")
_POINTS = ("条", "项", "点")  # units a heading itself names: 「（二）第二阶段：…」
_MARK = re.compile(rf"^\s*(?:[（(]({_NUM})[）)]|({_NUM})\s*[、.．]|第({_NUM})(?:部分|方面))")

Path = tuple[str, ...]


@dataclass(frozen=True)
class Part:
    number: int
    unit: str


def asked_part(question: str) -> Part | None:
    """The position the question asks for (第二条 → 2, 条)."""
    match = _ASKED.search(question)
    number = parse_ordinal(match.group(1)) if match else None
    if match is None or number is None or number < 1:
        return None
    return Part(number, match.group(2))


def mark_number(heading: str) -> tuple[str, int] | None:
    """The numbering of a heading: its style and number («（二）…» → ("（）", 2), «12.…» → ("1.", 12))."""
    match = _MARK.match(heading)
    if match is None:
        return None
    style = next(i for i in range(1, 4) if match.group(i))
    value = parse_ordinal(match.group(style))
    if value is None:
        return None
    number = match.group(style)
    kind = "（）" if style == 1 else "第" if style == 3 else "1." if number.isdigit() else "一、"
    return kind, value


def section_paths(sections: Sequence[Path]) -> list[Path]:
    """Every section and sub-section of a document once, in text order (`sections`: its chunks')."""
    seen: dict[Path, None] = {}
    for section in sections:
        for depth in range(1, len(section) + 1):
            seen.setdefault(section[:depth], None)
    return list(seen)


def named_section(paths: Sequence[Path], question: str) -> Path:
    """The section whose heading the question names (the longest such heading), else the whole document."""
    key = match_key(question)
    named = [
        (len(head), -len(path), path)
        for path in paths
        if len(head := match_key(strip_ordinal(path[-1]))) >= 2 and head in key
    ]
    return max(named)[2] if named else ()


def _below(paths: Sequence[Path], base: Path, depth: int) -> list[Path]:
    return [p for p in paths if len(p) == depth and p[: len(base)] == base]


def _numbered_on(parts: Sequence[Path]) -> bool:
    """Items numbered on through the section: one style, every number once."""
    marks = [mark_number(p[-1]) for p in parts]
    return (
        len(parts) >= 2
        and all(marks)
        and len({m[0] for m in marks if m}) == 1
        and (len({m[1] for m in marks if m}) == len(marks))
    )


def _nth(parts: Sequence[Path], number: int) -> Path | None:
    """The part numbered `number`, or the `number`-th part when the parts carry no numbers."""
    for path in parts:
        mark = mark_number(path[-1])
        if mark is not None and mark[1] == number:
            return path
    if any(mark_number(p[-1]) for p in parts):
        return None
    return parts[number - 1] if number <= len(parts) else None


@dataclass(frozen=True)
class Found:
    path: Path | None  # the part asked, or None when the document has no such part
    base: Path  # the section counted in


def find_part(paths: Sequence[Path], question: str, part: Part) -> Found | None:
    """The part the question asks for; None when the document's headings do not count such parts."""
    base = named_section(paths, question)
    if part.unit in NAMED_UNITS:
        return _named_stage(paths, base, part)
    direct = _below(paths, base, len(base) + 1)
    if not direct:
        return None
    # a 部分 is a part of the whole; the whole document counts its own parts
    deeper = max(len(p) for p in paths if p[: len(base)] == base) if base and part.unit in _POINTS else 0
    for depth in range(len(base) + 2, deeper + 1):
        items = _below(paths, base, depth)
        if len(items) > len(direct) and _numbered_on(items):
            return Found(_nth(items, part.number), base)
    return Found(_nth(direct, part.number), base)


def _named_stage(paths: Sequence[Path], base: Path, part: Part) -> Found | None:
    """「第五阶段」: the heading that names it; None when no heading names such stages at all."""
    pattern = re.compile(rf"第({_NUM}){part.unit}")
    staged = [
        (path, parse_ordinal(m.group(1)))
        for path in paths
        if path[: len(base)] == base and (m := pattern.search(path[-1]))
    ]
    if not staged:
        return None
    return Found(next((p for p, n in staged if n == part.number), None), base)
