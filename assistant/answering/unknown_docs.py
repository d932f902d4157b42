"""Documents a question names that the corpus does not hold (pure).

「《商标代理监督管理规定》对备案有什么期限要求？」 asked of a corpus without that 规定 is refused as not
collected, rather than answered from whichever passage is nearest. A title counts when it is quoted
(《…》): unquoted names before a type word (…监督管理规定) were tried and refused answerable questions on
held-out sets (「违反…保护规定」, 「…办法由谁负责解释」 read as names). A title is known when most of its
character pairs are in one indexed title, or the corpus text cites it. Unquoted, only a name written whole
from a place to a type word counts, and only against the titles held for that place (another region's
title, or another title of a region whose documents of that type are held).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

from assistant.textnorm import match_key

_QUOTED_TITLE = re.compile(r"《([^》]{4,60})》")
_KNOWN_SHARE = 0.5


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _mostly_in(words: str, title: str) -> bool:
    """Most of the character pairs of `words` are in `title`."""
    pairs = _pairs(words)
    return len(pairs & _pairs(title)) >= _KNOWN_SHARE * len(pairs)


# 文号 as questions write them: 某某局令第46号, 某发〔2016〕27号 / [2016] / (2016)
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,16}令第\s*\d+\s*号|[\u4e00-\u9fff]{1,10}[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号"
)


def named_titles(question: str) -> list[str]:
    """The document titles a question quotes (《…》)."""
    return [m.group(1) for m in _QUOTED_TITLE.finditer(question)]


def unknown_numbers(question: str, numbers: Sequence[str]) -> list[str]:
    """文号 the question names that are none of `numbers` (match_key-normalised: the documents' own and
    those their texts cite, see cited_numbers)."""
    return [
        m.group(0)
        for m in _DOC_NUMBER.finditer(match_key(question))
        if not any(same_number(m.group(0), known) for known in numbers)
    ]


def cited_numbers(corpus_text: str) -> list[str]:
    """The 文号 the documents' texts write (their own, or ones they cite, repeal or implement)."""
    return [m.group(0) for m in _DOC_NUMBER.finditer(corpus_text)]


def same_number(asked: str, known: str) -> bool:
    """The issuer is written many ways (监管总局 / 国家某某监督管理总局, 计委 / 国家发展计划委员会):
    year and number must agree, and the characters right before them must all be the known issuer's
    (总局令第20号 is 国家某某监督管理总局令第20号; 某某委员会令第20号 is not)."""
    if _digits(asked) != _digits(known):
        return False
    issuer = re.split(r"令第|[〔\[［(（]", known)[0]
    before = re.split(r"令第|[〔\[［(（]", asked)[0]
    tail = 0
    while tail < len(before) and before[-1 - tail] in issuer:
        tail += 1
    return tail >= min(2, len(before))


def _digits(number: str) -> tuple[str, ...]:
    return (*re.findall(r"\d+", number), "令" if "令" in number else "")


def _known(name: str, titles: Sequence[str], corpus_text: str) -> bool:
    key = match_key(name)
    if key in corpus_text:
        return True  # a title a document cites (依照《…》): its passages may answer
    if any(key.startswith(t) and len(key) > len(t) for t in titles):
        return False  # 《…保护条例实施细则》 is a document of its own, not the 条例 it implements
    return any(_mostly_in(key, t) for t in titles)


def unknown_documents(
    question: str, titles: Sequence[str], corpus_text: str, numbers: Sequence[str] = ()
) -> list[str]:
    """Names (or 文号) of documents the question asks about that no indexed title (or cited title) or
    文号 (own or cited) matches. `titles`, `numbers` and `corpus_text` are match_key-normalised."""
    quoted = [n for n in named_titles(question) if not _known(n, titles, corpus_text)]
    return quoted + unknown_numbers(question, numbers)


# what follows a quoted title when its text is asked (《…》里/中/对…/规定…), not its record
_CONTENT_ASKED = re.compile(r"^[，,\s]*(?:里|中|当中|对|规定|列|说|是怎么|怎么|有没有|有哪些|一共)")
_RECORD_ASKED = re.compile(
    r"文号|令第|几号|哪一?年|何时|什么时候|日期|废止|取代|替代|发布|印发|施行|生效|全称|名称"
)


def cited_contents(question: str, titles: Sequence[str], corpus_text: str) -> list[str]:
    """Titles the corpus only cites (废止的《…》, 依照《…》) whose text the question asks about
    (《…》里一共列了多少种): the corpus holds their names, not their texts. `titles` and `corpus_text`
    are match_key-normalised."""
    found = []
    for m in _QUOTED_TITLE.finditer(question):
        key, rest = match_key(m.group(1)), question[m.end() :]
        held = any(_mostly_in(key, t) for t in titles)
        asked = _CONTENT_ASKED.match(rest) and not _RECORD_ASKED.search(rest[:20])
        if not held and key in corpus_text and asked:
            found.append(m.group(1))
    return found


def regional_titles(
    titles: Sequence[str], places: Callable[[str], Sequence[str]], canonical: Mapping[str, str]
) -> dict[str, frozenset[str]]:
    """Each title's words after the place it opens with (…某某保护条例) → the places whose
    documents carry them. `places` finds the place names a text writes; `canonical` maps each to its
    place. Built once per index, not per question."""
    held: dict[str, set[str]] = {}
    for title in titles:
        lead = next((p for p in places(title) if title.startswith(p)), None)
        if lead is not None and len(title) - len(lead) >= _MIN_REST:
            held.setdefault(title[len(lead) :], set()).add(canonical[lead])
    return {rest: frozenset(regions) for rest, regions in held.items()}


def other_region_titles(
    question: str,
    held: Mapping[str, frozenset[str]],
    places: Callable[[str], Sequence[str]],
    canonical: Mapping[str, str],
) -> list[str]:
    """Titles the question writes out with another region than the indexed one (「浙江省企业技术秘密保护
    条例」 when only 宁波市's is held): a document of that region, which the corpus lacks."""
    found = []
    for rest, regions in held.items():
        at = question.find(rest)
        before = question[:at] if at > 0 else ""
        asked = next((p for p in places(before) if before.endswith(p)), None)
        if (
            asked is not None
            and canonical[asked] not in regions
            and not _holds_like(canonical[asked], rest, held)
        ):
            found.append(asked + rest)
    return found


_MIN_REST = 4  # a title's words after its region that name it (…保护条例), not a bare genre word


def unheld_region_titles(
    question: str,
    held: Mapping[str, frozenset[str]],
    places: Callable[[str], Sequence[str]],
    canonical: Mapping[str, str],
    genres: Sequence[str],
    held_regions: frozenset[str] = frozenset(),
) -> list[str]:
    """Titles the question writes for a region the corpus holds another document of the same type for
    (「重庆市知识产权保护条例」 when only 重庆市's 专利促进与保护条例 is held): most of the name's words are
    not the held title's; or for a region no document is of (「山东省专利条例」 when only a city of 山东
    has one). Only a name written whole, place to type word, counts."""
    found = []
    for place in dict.fromkeys(places(question)):
        for genre in genres:
            # 在浦东违反…规定 places an act, 汕尾和强区方案 names two: neither is one title
            for words, named in _whole_titles(question, place, genre):
                if _NOT_A_NAME.search(words):
                    continue
                of_place = [
                    r for r, regions in held.items() if canonical[place] in regions and r.endswith(genre)
                ]
                other_document = of_place and not _holds_like(canonical[place], words, held)
                no_document = held_regions and canonical[place] not in held_regions and not places(words)
                if other_document or no_document:
                    found.append(named)
    return list(dict.fromkeys(found))


def _whole_titles(question: str, place: str, genre: str) -> list[tuple[str, str]]:
    """(words, name) of each title the question writes whole, place to type word, left to right. One
    pattern per type word, matched where the place ends: a pattern per place would be compiled per question."""
    rest, found = _title_rest(genre), []
    at = question.find(place)
    while at >= 0:
        named = (
            None if at and question[at - 1] in _NOT_BEFORE_TITLE else rest.match(question, at + len(place))
        )
        if named is None:
            at = question.find(place, at + 1)
            continue
        found.append((named.group(1), question[at : named.end()]))
        at = question.find(place, named.end())
    return found


@lru_cache(maxsize=64)
def _title_rest(genre: str) -> re.Pattern[str]:
    return re.compile(rf"([\u4e00-\u9fff]{{2,12}}?){re.escape(genre)}")


_NOT_BEFORE_TITLE = frozenset("在到从向于和与及、")


# words that make a phrase, not a name: 广东省有关知识产权保护的条例
_NOT_A_NAME = re.compile(r"的|方面|有关|相关|等|哪|什么|这|那|该|各|[和与及、]")


def _holds_like(region: str, words: str, held: Mapping[str, frozenset[str]]) -> bool:
    """The region holds a title using most of the words (重庆专利条例 for 重庆市's 专利促进与保护条例)."""
    return any(region in regions and _mostly_in(words, rest) for rest, regions in held.items())
