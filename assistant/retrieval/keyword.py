"""Chinese keyword search: jieba tokens with a domain dictionary, scored by BM25 (bm25s)."""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from assistant.lang import zh
from assistant.profile import load_profile
from assistant.textnorm import nfkc

_TOKEN = re.compile(r"[\w.%]+", re.UNICODE)
# Function words that match everywhere and only dilute BM25.
STOPWORDS = frozenset(
    (
        "的 了 和 与 及 等 是 在 对 为 有 哪些 什么 怎么 如何 多少 吗 呢 啊 吧 "
        "请问 一下 关于 中 里 提出 要求 请 告诉 我 我们 你 是否 哪个 哪 几 个 "
        "方面 内容 主要 其 该 这 那 之 以 将 把 被 从 到 由"
    ).split()
)
_lock = threading.Lock()
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build


_domain_words: tuple[str, ...] | None = None  # None: the default profile's, read on first use


def use_domain_words(words: Sequence[str]) -> None:
    """Words the tokeniser keeps whole (the profile's); index and questions must use the same set."""
    global _domain_words
    _domain_words = tuple(words)


def _active_words() -> tuple[str, ...]:
    if _domain_words is None:
        use_domain_words(load_profile().domain_words)
    return _domain_words or ()


def domain_words() -> tuple[str, ...]:
    """The words the tokeniser keeps whole (a Milvus index's analyzer gets the same dictionary)."""
    return _active_words()


@lru_cache(maxsize=4)
def _tokenizer_for(words: tuple[str, ...]) -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _lock:
        tok = jieba.Tokenizer()
        for word in words:
            tok.add_word(word, freq=20000, tag="n")  # domain words are nouns (the tagger reads the tag)
    return tok


def _tokenizer() -> Any:
    return _tokenizer_for(_active_words())


@lru_cache(maxsize=4)
def _tagger_for(words: tuple[str, ...]) -> Any:
    import jieba.posseg

    tokenizer = _tokenizer_for(words)
    # only the tag of these verbs (出面 is no thing asked about): the cut, and so the index, stays
    tokenizer.user_word_tag_tab.update(dict.fromkeys(zh.verbs(), "v"))
    return jieba.posseg.POSTokenizer(tokenizer)


def tag(text: str) -> list[tuple[str, str]]:
    """(word, part of speech) in text order: jieba's tagger over the same dictionary."""
    return list(_tagged(_active_words(), text))


@lru_cache(maxsize=4096)
def _tagged(words: tuple[str, ...], text: str) -> tuple[tuple[str, str], ...]:
    # the answerer tags the same question and clauses several times per answer
    return tuple((w.word, w.flag) for w in _tagger_for(words).cut(nfkc(text).lower()))


def tokenize_plain(text: str) -> list[str]:
    """Precise-mode jieba tokens in text order (adjacent tokens can be joined back into phrases)."""
    pieces = _tokenizer().lcut(nfkc(text).lower())
    return [p for p in pieces if _TOKEN.fullmatch(p)]


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens, lower-cased, without punctuation and stop words."""
    pieces = _tokenizer().lcut_for_search(nfkc(text).lower())
    return [p for p in pieces if _TOKEN.fullmatch(p) and p not in STOPWORDS]


class KeywordIndex:
    """BM25 over pre-tokenised chunks; scores for every row so callers can filter and fuse."""

    def __init__(self, corpus_tokens: Sequence[Sequence[str]]) -> None:
        import bm25s

        self.size = len(corpus_tokens)
        self.doc_freq: Counter[str] = Counter(t for toks in corpus_tokens for t in set(toks))
        self._bm25 = bm25s.BM25()
        if self.size:
            # an empty chunk would otherwise break bm25s' vocabulary; a placeholder token matches nothing
            docs = [list(toks) or ["\u0000"] for toks in corpus_tokens]
            self._bm25.index(docs, show_progress=False)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        if not self.size or not query_tokens:
            return np.zeros(self.size, dtype=np.float32)
        vocab = self._bm25.vocab_dict
        known = [t for t in query_tokens if t in vocab]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def rare_terms(self, query_tokens: Sequence[str], max_share: float = 0.02, floor: int = 3) -> list[str]:
        """Query terms few passages contain (a rare technical word): a passage holding them is very likely
        the one asked about, however long it is and wherever BM25 and the embedding rank it."""
        limit = max(floor, int(self.size * max_share))
        return [
            t for t in dict.fromkeys(query_tokens) if len(t) >= 2 and 0 < self.doc_freq.get(t, 0) <= limit
        ]

    def search(self, query_tokens: Sequence[str], k: int) -> list[tuple[int, float]]:
        scores = self.scores(query_tokens)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]
