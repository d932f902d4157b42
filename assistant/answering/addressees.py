"""Whom a document is sent to (主送机关), read from its own preamble (pure).

An official document names its addressees on one line between its head (title, 文号) and its body,
ending with a colon: 「各市人民政府，省政府各部门、各直属机构：」. A regulation has no such line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from assistant.lang.zh import words
from assistant.models import Chunk

# to whom a document was sent; 「把请求书副本发给对方」 (a party) is a step of a procedure, not addressees
_ASKS = re.compile(
    r"(?:发给|发送给|印发给|下发给|发往)(?!对方|当事人|被请求人|请求人|申请人)|主送|发文对象|送达哪些"
)
_MAX_LINE = 240


def asks_addressees(question: str) -> bool:
    return bool(_ASKS.search(question))


@cache
def _bodies() -> re.Pattern[str]:
    """A line made of bodies: every comma-separated part ends like a body's name (…人民政府, …各部门)."""
    suffixes = sorted(
        {*words("org_suffixes"), "部门", "单位", "机构", "管委会", "社会团体", "中心"},
        key=lambda w: (len(w), w),
    )
    ends = "|".join(re.escape(s) for s in reversed(suffixes))
    return re.compile(rf"(?:{ends})(?:[（(][^（）()]{{1,30}}[）)])?$")


def addressee_line(text: str) -> str | None:
    """The addressee line of a preamble, without its colon; None when the text has none."""
    for raw in text.splitlines():
        line = raw.strip()
        if not line.endswith(("：", ":")) or "。" in line or len(line) > _MAX_LINE:
            continue
        parts = [p for p in re.split(r"[，,；;]", line.rstrip("：:")) if p]
        if parts and sum(bool(_bodies().search(p)) for p in parts) >= max(1, len(parts) - 1):
            return line.rstrip("：:")
    return None


def addressees(chunks: Sequence[Chunk]) -> tuple[Chunk, str] | None:
    """The preamble passage holding the addressee line, and the line."""
    for chunk in chunks:
        if chunk.kind != "preamble":
            continue
        line = addressee_line(chunk.text)
        if line:
            return chunk, line
    return None
