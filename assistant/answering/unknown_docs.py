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


def named_titles(question: str) -> list[str]:
    """The document titles a question quotes (《…》)."""
    return [m.group(1) for m in _QUOTED_TITLE.finditer(question)]


def _known(name: str, titles: Sequence[str], corpus_text: str) -> bool:
    key = match_key(name)
    if key in corpus_text:
        return True  # a title a document cites (依照《…》): its passages may answer
    pairs = _pairs(key)
    return any(len(pairs & _pairs(t)) >= _KNOWN_SHARE * len(pairs) for t in titles)


def unknown_documents(question: str, titles: Sequence[str], corpus_text: str) -> list[str]:
    """Names of documents the question asks about that no indexed title (or cited title) matches.
    `titles` and `corpus_text` are match_key-normalised."""
    return [n for n in named_titles(question) if not _known(n, titles, corpus_text)]
