"""Documents a question names that the corpus does not hold (pure).

「《商标代理监督管理规定》对备案有什么期限要求？」 asked of a corpus without that 规定 is refused as not
collected, rather than answered from whichever passage is nearest. A title counts when it is quoted
(《…》): unquoted names before a type word (…监督管理规定) were tried and refused answerable questions on
held-out sets (「违反…保护规定」, 「…办法由谁负责解释」 read as names). A title is known when most of its
character pairs are in one indexed title, or the corpus text cites it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.textnorm import match_key

_QUOTED_TITLE = re.compile(r"《([^》]{4,60})》")
_KNOWN_SHARE = 0.5


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


# 文号 as questions write them: 某某局令第46号, 某发〔2016〕27号 / [2016] / (2016)
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,16}令第\s*\d+\s*号|[\u4e00-\u9fff]{1,10}[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号"
)


def named_titles(question: str) -> list[str]:
    """The document titles a question quotes (《…》)."""
    return [m.group(1) for m in _QUOTED_TITLE.finditer(question)]


def unknown_numbers(question: str, numbers: Sequence[str], corpus_text: str) -> list[str]:
    """文号 the question names that no indexed document has and no document cites (`numbers` and
    `corpus_text` match_key-normalised)."""
    known = {_digits(n) for n in numbers}
    found = []
    for m in _DOC_NUMBER.finditer(match_key(question)):
        # the issuer is written many ways (市场监管总局 / 国家市场监督管理总局): its year and number decide
        if _digits(m.group(0)) not in known and m.group(0) not in corpus_text:
            found.append(m.group(0))
    return found


def _digits(number: str) -> tuple[str, ...]:
    return (*re.findall(r"\d+", number), "令" if "令" in number else "")


def _known(name: str, titles: Sequence[str], corpus_text: str) -> bool:
    key = match_key(name)
    if key in corpus_text:
        return True  # a title a document cites (依照《…》): its passages may answer
    pairs = _pairs(key)
    return any(len(pairs & _pairs(t)) >= _KNOWN_SHARE * len(pairs) for t in titles)


def unknown_documents(
    question: str, titles: Sequence[str], corpus_text: str, numbers: Sequence[str] = ()
) -> list[str]:
    """Names (or 文号) of documents the question asks about that no indexed title (or cited title) or
    文号 matches. `titles`, `numbers` and `corpus_text` are match_key-normalised."""
    quoted = [n for n in named_titles(question) if not _known(n, titles, corpus_text)]
    return quoted + unknown_numbers(question, numbers, corpus_text)
