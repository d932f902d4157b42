"""Issuing bodies whose rules a question asks for when no indexed document comes from them (pure).

「国家知识产权局对网络侵权通知有什么规定？」 asked of a corpus with no document of that body is refused, as
a place no document covers is, instead of being answered with another body's rules. Only the bodies of
`assistant/lang/zh/documents.toml` (national_bodies) are recognised, and only asking for their rules
(X对…有什么规定/要求, X发布的…); a body the best passages mention is left to them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.lang.zh import words
from assistant.models import DocumentMeta

_BODIES = words("national_bodies")
# one-character genres (法, 函, 令) end too many ordinary words (做法, 方法) to name a document
_GENRES = "|".join(map(re.escape, sorted((g for g in words("genres") if len(g) > 1), key=len, reverse=True)))
_ASKS_RULES = (
    r"(?:对|关于|就)[^，,。？?]{1,30}?(?:规定|要求|部署|安排)"
    r"|(?:发布|印发|出台|制定|颁布)(?:了|过)?(?:的|哪些|什么)"
    # the body's own document by name (X的…管理规定): a rule of X, whatever is asked of it
    rf"|的[^，,。？?的]{{2,20}}?(?:{_GENRES})"
)
_ASKING = re.compile(rf"({'|'.join(map(re.escape, _BODIES))})(?:{_ASKS_RULES})") if _BODIES else None
_HEAD_CHARS = 300  # where a document without a known issuer would name it


def unknown_issuers(
    question: str, metas: Sequence[DocumentMeta], heads: Sequence[str], top_text: str
) -> list[str]:
    """The bodies the question asks the rules of that issued no indexed document. `heads` are the first
    characters of each document's text (a document whose issuer was not read may name it there)."""
    if _ASKING is None:
        return []
    known = "".join(m.issuer or "" for m in metas) + "".join(m.title for m in metas)
    unread = "".join(h[:_HEAD_CHARS] for m, h in zip(metas, heads, strict=True) if not m.issuer)
    return [
        body
        for body in dict.fromkeys(m.group(1) for m in _ASKING.finditer(question))
        if body not in known and body not in unread and body not in top_text
    ]


def issuers_written_out(
    question: str, issuers: Sequence[str], synonyms: Sequence[tuple[str, Sequence[str]]]
) -> str:
    """The question with colloquial names of issuers written out (国统局 → 国家统计局, 两高 →
    最高人民法院、最高人民检察院), so an issuer's name followed by a document type names its document. A joint
    document's issuers count one by one too (最高检 → 最高人民检察院 of 最高人民法院、最高人民检察院)."""
    known = {part for issuer in issuers for part in (issuer, *re.split(r"[、，,]", issuer)) if part}
    for alias, formal in synonyms:
        full = next((w for w in formal if w in known), None)
        if full and alias in question and full not in question:
            question = question.replace(alias, full)
    return question
