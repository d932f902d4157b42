"""「“X”是指什么」: the sentence of a document that defines a term (pure).

Laws and regulations define their terms in fixed words — 「本条例所称X，是指…」, 「（二）X，是指…」,
「X是指…」 — so the defining sentence is found by form, in any document, whatever the term.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.answering.sentences import Span, sentences
from assistant.models import Chunk
from assistant.textnorm import match_key

_FRAME_AFTER = re.compile(
    r"(?:具体)?(?:是指什么|指什么|指的是什么|是什么意思|什么意思|是怎么定义的?|怎么定义|如何定义|的定义是什么|的定义"
    r"|的含义是什么|的含义|包括哪些含义"
    # 「X具体包括哪些信息」: a term defined by what it covers (X是指…姓名、…等信息) is answered by that
    r"|(?:具体)?(?:包括|包含)哪些(?:信息|内容|东西))"
)
_FRAME_BEFORE = re.compile(r"(?:什么是|什么叫做?|何谓|何为)")
# how a term the asker marks as the text's is judged: the text's definition of it answers
_JUDGED = re.compile(r"(?:怎么|如何|怎样)(?:判断|认定|界定)|看哪些方面|什么标准|标准是什么")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{1,20})[”\"」』]")
_SPLIT = re.compile(r"里的?|中的?|所称的?|规定的|的|，|,")


def asked_term(question: str) -> str | None:
    """The term a question asks the meaning of; None when it asks no definition."""
    q = question.strip().rstrip("？?。!！ ")
    after, before = _FRAME_AFTER.search(q), _FRAME_BEFORE.search(q)
    quoted = _QUOTED.findall(q)
    if quoted and after is None and before is None and _JUDGED.search(q):
        return str(quoted[-1]).strip()  # 判断“商标近似”看哪些方面: what counts as the marked term
    if after is None and before is None:
        return None
    if quoted:
        return str(quoted[-1]).strip()
    if before is not None:
        term = q[before.end() :]
    else:
        assert after is not None
        term = _SPLIT.split(q[: after.start()].rstrip("，,、 "))[-1]
    term = term.strip()
    return term if 2 <= len(term) <= 20 else None


def _defines(term: str) -> re.Pattern[str]:
    t = re.escape(match_key(term))
    # 所称X / 第X项规定的X / 所称…(以下简称X) / an item or sentence opening with X, then 是指 (所称X is enough for 是)
    # 前款中的X是指: a term of the paragraph before, defined after it
    lead = r"(?:所称|规定的|(?:前款|本款|本条|前述|上述)(?:中|所称)?)"
    named = rf"{lead}的?{t}(?:\([^)]*\))?|[^,，。;；]{{1,30}}\(以下简称{t}\)"
    opening = rf"(?:^|[。;；:：)）])(?:第[一二三四五六七八九十百零〇]+条)?{t}(?:\([^)]*\))?"
    return re.compile(rf"(?:(?:{named})[,，]?(?:是指|系指|指|是)|(?:{opening})[,，]?(?:是指|系指|指的是))")


def defining_sentence(term: str, chunks: Iterable[Chunk]) -> tuple[Chunk, Span] | None:
    """The first sentence (in the order given) that defines `term`."""
    pattern = _defines(term)
    for chunk in chunks:
        if match_key(term) not in match_key(chunk.text):
            continue
        for span in sentences(chunk.text):
            if pattern.search(match_key(span.text)):
                return chunk, span
    return None
