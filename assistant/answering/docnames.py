"""Which documents a question names (pure), from the documents' own metadata: title, region, issuer, 文号.

A question names a document with its 文号, its region (a province or city the document is about), or
words of its title followed by the document's type word (方案, 条例, 指引, …; also when words of the
title are skipped, as in an abbreviation). Title words alone (a topic shared with other documents'
texts) do not name it.

Title words are weighed by how specific they are: a character pair found in one title only weighs
most, one every title has nothing, and one that many documents' texts use is more a topic than a name.
A further document counts only for words the better ones leave unexplained, so a question naming one
document whose words contain part of another's title does not name both.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from assistant.answering.unknown_docs import cited_contents, cited_numbers, unknown_documents
from assistant.lang.zh import genre_families, words
from assistant.models import DocumentMeta
from assistant.textnorm import match_key

NAME_BAR = 0.6  # with a name-like match (文号, region, typed title words), named from this score up
_WEIGHT = {"doc_number": 4.0, "region": 2.5, "issuer": 1.2, "year": 1.0, "date_year": 0.3}
_NAME_KINDS = frozenset({"doc_number", "region"})
_TYPED_KINDS = frozenset({"issuer", "year", "date_year"})  # followed by the type word, they name
_LONE_PAIR = 0.25  # a single shared character pair, not followed by the type word, counts for little
_TYPED_MIN = 0.5  # weight the words before a type word need to be a name (实施方案 alone is not one)
_TYPE_AFTER = re.compile(r"(?:的那个|的这个|那个|这个|那份|这份|的|那|这)?")
_QUOTED = re.compile(r"[“\"《「『]([^”\"》」』]{2,40})[”\"》」』]")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_PLACE_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|省|市|区|县|新区)$")
_NESTED_TITLE = re.compile(r"《[^《》]*》")
_BRACKETS = re.compile(r"[《》“”\"'（）()〔〕\[\]]")
# Document types (文种) a title ends with (assistant/lang/zh/documents.toml); one-character ones such
# as 法 or 令 end too many ordinary words to name a document.
GENRES = tuple(g for g in words("genres") if len(g) >= 2)

ShortForms = Callable[[str], Sequence[str]]  # a place → its other names (云岭省 → 云岭)


def default_short_forms(place: str) -> list[str]:
    short = _PLACE_SUFFIX.sub("", place)
    return [short] if len(short) >= 2 and short != place else []


@dataclass(frozen=True)
class Alias:
    text: str  # normalised
    kind: str  # doc_number | region | issuer | year | date_year
    weight: float


@dataclass(frozen=True)
class Mention:
    doc_id: str
    score: float
    spans: frozenset[int]  # question character positions this document's names cover
    name_like: bool  # a 文号, a region or title words with the type word
    name_spans: frozenset[int] = frozenset()  # positions of the names proper (not topic words of the title)


def _is_name_pair(pair: str) -> bool:
    return pair.isalnum() and not any(ch.isdigit() for ch in pair)


def _pairs(text: str) -> set[str]:
    """Character pairs that can name something: no punctuation, no digits (years are aliases)."""
    return {p for p in (text[i : i + 2] for i in range(len(text) - 1)) if _is_name_pair(p)}


def _idf(df: int, n: int) -> float:
    return math.log((n + 1) / max(1, df)) / math.log(n + 1)


def _chains(runs: list[list[int]]) -> list[list[list[int]]]:
    """Runs one character apart form a chain: 甲|推进方案 abbreviates 甲建设推进方案."""
    chains: list[list[list[int]]] = []
    for run in runs:
        if chains and run[0] - chains[-1][-1][-1] == 2:
            chains[-1].append(run)
        else:
            chains.append([run])
    return chains


def _up_to_type_word(chain: list[list[int]], question: str, genre: str) -> list[list[int]]:
    """The chain cut after its type word (甲方案|乙计划…: the name ends at 方案)."""
    for i, run in enumerate(chain):
        if question[: run[-1] + 2].endswith(genre):
            return chain[: i + 1]
    return chain


def _type_word_after(question: str, end: int, genre: str) -> bool:
    filler = _TYPE_AFTER.match(question, end)
    return question.startswith(genre, filler.end() if filler else end)


def runs(positions: list[int]) -> list[list[int]]:
    """Consecutive positions grouped: [1, 2, 3, 7] → [[1, 2, 3], [7]]."""
    runs: list[list[int]] = []
    for pos in positions:
        if runs and runs[-1][-1] == pos - 1:
            runs[-1].append(pos)
        else:
            runs.append([pos])
    return runs


class DocNamer:
    def __init__(
        self,
        metas: Sequence[DocumentMeta],
        texts: Mapping[str, str],
        short_forms: ShortForms = default_short_forms,
        genres: Sequence[str] = GENRES,
        families: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.metas = list(metas)
        self.families = genre_families() if families is None else families
        self.titles = {m.doc_id: _title_key(m.title) for m in self.metas}
        self.title_pairs = {d: _pairs(t) for d, t in self.titles.items()}
        self.texts = {d: match_key(t) + self.titles.get(d, "") for d, t in texts.items()}
        self.genres = {d: _genre(t, genres) for d, t in self.titles.items()}
        n = max(1, len(self.metas))
        self._n = n
        counts = Counter(p for pairs in self.title_pairs.values() for p in pairs)
        in_texts = Counter(p for text in self.texts.values() for p in _pairs(text) & counts.keys())
        # a pair of one title weighs 1; of every title, nothing; one every text uses (国家), half as much
        self.pair_weight = {
            p: _idf(df, n) * (0.5 + 0.5 * _idf(max(df, in_texts[p]), n)) for p, df in counts.items()
        }
        # within the documents of one type: a word names the one 方案 among 方案s with it in the title
        self.typed_weight = {
            genre: _genre_weights([self.title_pairs[d] for d, g in self.genres.items() if g == genre])
            for genre in set(self.genres.values())
            if genre
        }
        aliases = {m.doc_id: _aliases(m, short_forms) for m in self.metas}
        shared = Counter(a.text for found in aliases.values() for a in found)
        self.aliases = {
            d: [Alias(a.text, a.kind, a.weight / shared[a.text]) for a in found]
            for d, found in aliases.items()
        }
        self.issuers = {
            a.text: {d for d, found in self.aliases.items() for b in found if b.text == a.text}
            for found in self.aliases.values()
            for a in found
            if a.kind == "issuer"
        }
        self._text_share = lru_cache(maxsize=4096)(self._text_share_uncached)
        # one answer asks several times (scope, naming, checks) about the same question
        self._resolved = lru_cache(maxsize=1024)(self._resolve_uncached)

    @cached_property
    def _catalogue(self) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
        """(titles, all texts, 文号), normalised: built once, on first use, not per question. A title
        quoting others (关于修改《…》等十八件…的决定) is matched without them: it is not each of those
        documents, and the texts name the ones it holds."""
        texts = "\n".join(self.texts.values())
        numbers = tuple(match_key(m.doc_number) for m in self.metas if m.doc_number)
        own = tuple(_title_key(_NESTED_TITLE.sub("", m.title)) for m in self.metas)
        return own, texts, (*numbers, *cited_numbers(texts))

    def unknown(self, question: str) -> list[str]:
        """Names of documents the question asks about that the corpus does not hold: not named by any
        document, or only cited by one while their own text is asked about."""
        titles, texts, numbers = self._catalogue
        return unknown_documents(question, titles, texts, numbers) + cited_contents(question, titles, texts)

    def _text_share_uncached(self, fragment: str) -> float:
        """How much a title fragment names a document rather than a topic: 1 when only its own
        documents' texts use it, down to 0.5 when every text does."""
        in_titles = sum(1 for t in self.titles.values() if fragment in t)
        in_texts = sum(1 for t in self.texts.values() if fragment in t)
        return 0.5 + 0.5 * _idf(max(in_titles, in_texts), self._n)

    def mention(self, doc_id: str, question: str, allowed: frozenset[int] | None = None) -> Mention:
        """How strongly the question names the document; `allowed` limits it to those positions."""
        spans: set[int] = set()
        typed_issuer: set[int] = set()
        score, name_like = 0.0, False
        genre = self.genres.get(doc_id) or "\x00"
        question = self._as_own_genre(genre, question)
        for alias in self.aliases[doc_id]:
            at = question.find(alias.text)
            span = set(range(at, at + len(alias.text)))
            if at >= 0 and len(alias.text) >= 2 and (allowed is None or span <= allowed):
                score += alias.weight
                name_like |= alias.kind in _NAME_KINDS
                spans |= span
                after = at + len(alias.text)
                # 国家知识产权局的方案, 2020年指引: the issuer's or the year's document of that type
                if alias.kind in _TYPED_KINDS and genre in question[after : after + 3 + len(genre)]:
                    typed_issuer |= set(range(at, after + question[after:].find(genre) + len(genre)))
        # words of another issuer's name (国家知识产权局 inside a question) are not words of this title
        question = self._mask_issuers_of_others(doc_id, question)
        title_score, title_spans, typed_spans = self._title_overlap(doc_id, question, allowed)
        typed_spans |= typed_issuer  # 国家知识产权局的方案: the issuer's document of that type
        return Mention(
            doc_id,
            score + title_score,
            frozenset(spans | title_spans),
            name_like or bool(typed_spans),
            frozenset(spans | typed_spans),
        )

    def _as_own_genre(self, genre: str, question: str) -> str:
        """「商业秘密司法解释」 read as 「商业秘密规定」 for a 规定 (the family names each of its types);
        padded so positions still match the question."""
        for family, members in self.families.items():
            if genre in members and family in question and len(family) >= len(genre):
                question = question.replace(family, genre + "\x00" * (len(family) - len(genre)))
        return question

    def _mask_issuers_of_others(self, doc_id: str, question: str) -> str:
        for issuer, docs in self.issuers.items():
            if doc_id not in docs and issuer in question:
                question = question.replace(issuer, "\x00" * len(issuer))
        return question

    def _title_overlap(
        self, doc_id: str, question: str, allowed: frozenset[int] | None
    ) -> tuple[float, set[int], set[int]]:
        """(score, positions of the title's words, positions of the typed names among them)."""
        pairs = self.title_pairs[doc_id]
        genre = self.genres.get(doc_id) or "\x00"
        question = self._mask_other_titles(question, pairs)
        hits = [i for i in range(len(question) - 1) if question[i : i + 2] in pairs]
        score = 0.0
        spans: set[int] = set()
        typed: set[int] = set()
        for whole in _chains(runs(hits)):
            chain = _up_to_type_word(whole, question, genre)
            end = chain[-1][-1] + 2
            # the type word ends the words or follows them: 青州条例, 数据要素…措施, 青州的条例
            own = question[:end].endswith(genre)
            # …or follows after 的/那个 (青州那个条例, 青州的条例): 「时间内通知」 is no name of a 通知
            ends_typed = own or _type_word_after(question, end, genre)
            if allowed is not None:
                # only words no better document explains count; the type word may be shared
                chain = [kept for run in chain if (kept := [p for p in run if p + 1 in allowed])]
                if not chain:
                    continue
            weight = sum(self._weight(question, run) for run in chain)
            if ends_typed:
                name_weight = self._name_weight(question, chain, genre)
                if name_weight >= _TYPED_MIN:
                    typed.update(range(chain[0][0], end + (0 if own else len(genre) + 2)))
                weight = max(weight, name_weight)
            lone = len(chain) == 1 and len(chain[0]) == 1 and not ends_typed
            score += weight * (_LONE_PAIR if lone else 1.0)
            spans.update(range(chain[0][0], chain[-1][-1] + 2))
        return score, spans, typed & set(range(len(question)))

    def _name_weight(self, question: str, chain: list[list[int]], genre: str) -> float:
        """How well the words before the type word pick this document among those of its type."""
        among = self.typed_weight.get(genre, {})
        # pairs running into the type word (的通|通知) are not name words: 「权利人发出的通知」 names no 通知
        typed = {i for m in re.finditer(re.escape(genre), question) for i in range(m.start(), m.end())}
        total = 0.0
        for run in chain:
            kept = [p for p in run if p + 1 not in typed]
            fragment = question[run[0] : run[-1] + 2]
            total += self._text_share(fragment) * sum(among.get(question[p : p + 2], 0.0) for p in kept)
        return total

    def _weight(self, question: str, run: list[int]) -> float:
        fragment = question[run[0] : run[-1] + 2]
        return self._text_share(fragment) * sum(self.pair_weight.get(question[p : p + 2], 0.0) for p in run)

    @staticmethod
    def _mask_other_titles(question: str, pairs: set[str]) -> str:
        """Blank out quoted names that are not this title (「…要点」 quoted from the text of another
        document names that one, not every title sharing a word with it)."""

        def mask(m: re.Match[str]) -> str:
            inner = _pairs(m.group(1))
            mine = len(inner & pairs) / max(1, len(inner))
            return m.group(0) if mine >= 0.8 else "\x00" * len(m.group(0))

        return _QUOTED.sub(mask, question)

    def mentions(self, question: str) -> list[Mention]:
        text = match_key(question)
        return sorted((self.mention(m.doc_id, text) for m in self.metas), key=lambda x: (-x.score, x.doc_id))

    def resolve(self, question: str) -> tuple[str, ...]:
        """Documents the question names, in the order it names them."""
        return self._resolved(question)

    def _resolve_uncached(self, question: str) -> tuple[str, ...]:
        text = match_key(question)
        named: list[Mention] = []
        explained: set[int] = set()
        ranked = self.mentions(question)
        for i, mention in enumerate(ranked):
            if not _is_named(mention):
                continue
            if not named and _tied(mention, ranked[i + 1 : i + 2]):
                break  # two documents answer to the same name (国务院的条例): it names neither
            fresh = mention.spans - explained
            if named and (len(fresh) < 2 or not _is_named(self._restricted(mention, fresh, text))):
                continue
            named.append(mention)
            explained |= mention.spans
        return tuple(m.doc_id for m in sorted(named, key=lambda m: min(m.spans, default=0)))

    def _restricted(self, mention: Mention, fresh: set[int] | frozenset[int], text: str) -> Mention:
        """The mention counted on the words no better document explains."""
        return self.mention(mention.doc_id, text, frozenset(fresh))


def _title_key(title: str) -> str:
    """A title as questions are matched against it: normalised, without quotes and brackets."""
    return match_key(_BRACKETS.sub("", title))


def _genre_weights(titles: Sequence[set[str]]) -> dict[str, float]:
    counts = Counter(p for pairs in titles for p in pairs)
    return {p: _idf(df, len(titles)) for p, df in counts.items()}


def _tied(best: Mention, next_: Sequence[Mention]) -> bool:
    """The next document answers to the same words just as well."""
    if not next_ or not _is_named(next_[0]) or abs(next_[0].score - best.score) > 1e-9:
        return False
    return bool(next_[0].name_spans & best.name_spans)


def _is_named(mention: Mention) -> bool:
    return mention.name_like and mention.score >= NAME_BAR


def _genre(title: str, genres: Sequence[str]) -> str | None:
    """The document type word that ends the title (条例, 方案, …), if any."""
    tail = title[-10:]
    found = [g for g in genres if g in tail]
    return max(found, key=lambda g: (tail.rfind(g), len(g))) if found else None


def _aliases(meta: DocumentMeta, short_forms: ShortForms) -> list[Alias]:
    found: list[Alias] = []
    if meta.doc_number:
        found.append(Alias(match_key(meta.doc_number), "doc_number", _WEIGHT["doc_number"]))
    if meta.region and meta.level not in (None, "国家"):
        for name in (meta.region, *short_forms(meta.region)):
            found.append(Alias(match_key(name), "region", _WEIGHT["region"]))
    for issuer in re.split(r"[、，,]", meta.issuer or ""):
        if len(issuer) >= 2:
            found.append(Alias(match_key(issuer), "issuer", _WEIGHT["issuer"]))
    for year in _YEAR.findall(meta.title):
        found.append(Alias(year, "year", _WEIGHT["year"]))  # 工作要点（2023）: the year is part of the name
    if meta.date:
        found.append(Alias(meta.date[:4], "date_year", _WEIGHT["date_year"]))
    return list({a.text: a for a in found}.values())
