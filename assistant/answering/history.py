"""Answers about a document's history (pure): when and by which meeting it was adopted, amended,
published or took effect, and under which 令 — quoted from the notes in its head
(「某年某月某日…常务会议修订通过」), or from its own 施行 article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from assistant.answering.docnames import GENRES
from assistant.answering.draft import Draft, Evidence
from assistant.answering.question import asks_of
from assistant.ingest.headnotes import AMENDING, is_note, parse_clauses
from assistant.models import Chunk, DocumentMeta

# What the question asks about → the verbs of the notes that answer it.
_EVENTS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"施行|生效"), ("施行",)),
    (
        re.compile(
            r"批准的|会议批准|哪[次个]?[^，。？?]{0,8}批准|(?:何时|什么时候|哪天|哪一天|哪年)[^，。？?]{0,16}批准"
        ),
        ("批准", "批准修订", "批准修正"),
    ),
    # a meeting's adoption, not passing a review
    (
        re.compile(r"会议|审议通过|通过的|哪天通过|何时通过|什么时候通过"),
        ("通过", "修订通过", "修正通过", "通过修订", "通过修正", "批准"),
    ),
    (re.compile(r"修订|修正|修改|改过|改了|改的"), AMENDING),
    (re.compile(r"公布|发布|颁布|[哪几]号.{0,6}令|令第?几号"), ("公布", "发布", "颁布")),
)
_FIRST = re.compile(r"最早|最初|首次|第一次|原来|最开始")
_LATEST = re.compile(r"最近|最新|这次|现行|修订后|修正后")
_NTH = re.compile(r"(第[一二三四五六七八九十\d]+次)(修正|修订|修改)?")
_ARTICLE_LEAD = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条\s*")
_IN_FORCE = re.compile(r"自[^。；]{2,30}起施行")
MAX_NOTES = 3
# an event singled out by its year: 2011年那次修订, 2014年的修订
_YEAR_OF_EVENT = re.compile(r"((?:19|20)\d{2})年(?:的)?(?:那次|这次|那一次)?(?:修订|修正|修改|那次|这次)")


# 「2005年修订的专利保护条例里…」 names the text by its revision; it does not ask about the revision
_DESIGNATION = re.compile(
    r"(?:19|20)\d{2}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:修订|修正|修改)的(?![是吗呢？?，,])"
)


def asked_verbs(question: str) -> tuple[str, ...]:
    """The note verbs that answer a question about a document's history (none: not such a question)."""
    verbs: list[str] = []
    question = _DESIGNATION.sub("", question)
    for pattern, wanted in _EVENTS:
        if pattern.search(question):
            verbs += [v for v in wanted if v not in verbs]
    return tuple(verbs)


# events only a document's notes or articles record; publication has the document's date to fall back on
_RECORDED = frozenset({"施行", "批准", "批准修订", "批准修正", "通过", *AMENDING})


def recorded_only(question: str) -> bool:
    """A history question about events only notes or articles record (no metadata fallback)."""
    verbs = asked_verbs(question)
    return bool(verbs) and set(verbs) <= _RECORDED


_WHEN_IN_FORCE = re.compile(
    r"(?:从|自)?(?:什么时候|什么时间|何时|哪天|哪一天|几时)(?:开始|起)?(?:正式)?(?:生效|施行)[的了吗呢？?]*$"
)
_DOCUMENT_WORDS = re.compile("|".join((*GENRES, "文件", "政策", "本", "这", "该")))


def about_content(question: str) -> bool:
    """「布图设计专有权的转让从什么时候开始生效」 asks about a rule's content, not when the document took
    effect: a subject is named and it is not a document (no genre word, 本/这/该, 文件)."""
    asked = _WHEN_IN_FORCE.search(question)
    if asked is None or _DOCUMENT_WORDS.search(question):
        return False
    return len(re.findall(r"[\u4e00-\u9fff]", question[: asked.start()])) >= 2


_WHEN_OR_WHICH = re.compile(r"会议|什么时候|什么时间|何时|哪天|哪一天|日期|哪年|哪一年|哪次|几次")


def asks_history(question: str) -> bool:
    """When or by which meeting the document was adopted, amended, published or put in force."""
    return bool(asked_verbs(question) and _WHEN_OR_WHICH.search(question)) and not about_content(question)


def head_notes(chunks: Sequence[Chunk]) -> list[tuple[Chunk, str]]:
    """The notes of a document's head (its preamble passages), in order, with their passage."""
    found: list[tuple[Chunk, str]] = []
    for chunk in chunks:
        if chunk.kind != "preamble":
            continue
        for line in chunk.text.splitlines():
            note = line.strip()
            if note and is_note(note) and (chunk, note) not in found:
                found.append((chunk, note))
    return found


def _verbs_of(note: str) -> set[str]:
    return {c.verb for c in parse_clauses(note)}


def pick_notes(
    notes: Sequence[tuple[Chunk, str]], verbs: Sequence[str], question: str
) -> list[tuple[Chunk, str]]:
    """The notes that answer: those with an asked verb; the one the question singles out (第二次,
    最早, 这次) when it does."""
    matching = [(c, n) for c, n in notes if _verbs_of(n) & set(verbs)]
    nth = _NTH.search(question)
    if nth:
        # 第N次修正 is the note of that amendment, not one made at a 第N次会议
        ordinal, verb = nth.group(1), nth.group(2)
        wanted = re.compile(ordinal + (f"(?:{verb}|修正|修订)" if verb else "(?!会议)"))
        singled = [(c, n) for c, n in matching if wanted.search(n)]
        # 第二次修订 the notes do not record is not the first one (a bare 第二次 may be a meeting's)
        matching = singled if verb else singled or matching
    elif (year := _YEAR_OF_EVENT.search(question)) is not None:
        # 2011年那次修订: that year's note, or none (another year's note is not it)
        matching = [(c, n) for c, n in matching if year.group(1) in n]
    elif _FIRST.search(question):
        matching = matching[:1]
    elif _LATEST.search(question):
        matching = matching[-1:]
    return matching[:MAX_NOTES]


def _notes_per_ask(notes: Sequence[tuple[Chunk, str]], question: str) -> list[tuple[Chunk, str]]:
    """Each ask picks its own notes (最早是哪号令公布的？2014年那次修订又是哪号令？: the first
    publication and the revision), in the order of the head."""
    asks = [ask for ask in asks_of(question) if asked_verbs(ask)] or [question]
    picked = {found for ask in asks for found in pick_notes(notes, asked_verbs(ask), ask)}
    return [note for note in notes if note in picked][:MAX_NOTES]


def in_force_sentence(chunks: Sequence[Chunk]) -> tuple[Chunk, str] | None:
    """The document's own 「本X自…起施行」 sentence (its last article, usually)."""
    for chunk in reversed(chunks):
        match = _IN_FORCE.search(chunk.text)
        if match:
            start = max(chunk.text.rfind(p, 0, match.start()) for p in "。；\n") + 1
            return chunk, _ARTICLE_LEAD.sub("", chunk.text[start : match.end()].strip())
    return None


def compose_history(
    question: str, doc_ids: Sequence[str], doc_chunks: dict[str, list[Chunk]]
) -> Draft | None:
    """Quote, for each document, the notes (or the 施行 article) that answer a history question."""
    verbs = asked_verbs(question)
    if not verbs:
        return None
    draft = Draft(about="history")
    for doc_id in doc_ids:
        chunks = doc_chunks.get(doc_id, [])
        picked = _notes_per_ask(head_notes(chunks), question)
        if "施行" in verbs and not any("施行" in _verbs_of(note) for _, note in picked):
            # 「哪天公布的，从什么时候施行」: the 施行 article answers the part no note records
            found = in_force_sentence(chunks)
            picked += [found] if found else []
        for chunk, note in picked:
            draft.add(note.rstrip("。；;") + "。", Evidence(chunk, 0.0, note))
    return draft if draft.lines else None


# an earlier text of a document: 1991年那版, 2000年最初通过的文本, 修订前的, 旧版
_OLD_TEXT = re.compile(
    r"(?P<year>(?:19|20)\d{2})年(?:的)?(?:那|这)?一?(?:版|次修订前)"
    r"|(?P<since>(?:19|20)\d{2})年(?:最初|原先|当初|原来)?(?:通过|发布|公布|制定|颁布|印发)的"
    r"(?:文本|版本|原文|原版|条文|(?:那|这)一?版)"
    r"|(?:修订|修改|修正)(?:前|之前)的|旧版|老版|原版本|最初的?版本|原来的版本|原文本"
    # what a repealed document said (那个旧通知里): not what it is or when it was repealed
    rf"|旧的?(?:{'|'.join(GENRES)}|文件|规章)(?:里|中|上|规定|对)"
)


# a later text than the one held: the final version of a 试行/暂行 text, its next revision
_LATER_TEXT = re.compile(
    r"(?:后来|之后|以后|此后|随后)[^，,。？?]{0,6}?(?:正式版|正式稿|正式文本|正式的|新版|修订版|新的版本)"
    r"|正式版本?(?:是|在|哪|什么)|转正"
)


def asks_later_text(question: str) -> bool:
    """A question about a later text than the one held (强省工作方案（试行）后来的正式版是哪年印发的):
    the corpus holds the texts as collected, not what replaced them."""
    return bool(_LATER_TEXT.search(question))


def asks_old_text(question: str, metas: Iterable[DocumentMeta]) -> bool:
    """A question about what an earlier text of a document said (1991年那版…报考条件): the corpus
    holds each document's current text only. A year of the current text of one of `metas` (the
    documents asked about) names that text, not an older one."""
    found = _OLD_TEXT.search(question)
    if found is None:
        return False
    year = found.group("year") or found.group("since")
    return year is None or year not in _current_years(metas)


def old_text_year(question: str, metas: Iterable[DocumentMeta]) -> str | None:
    """The year of an earlier text the question names (2006年那一版), when it is not the current one's."""
    found = _OLD_TEXT.search(question)
    year = found and (found.group("year") or found.group("since"))
    return year if year and year not in _current_years(metas) else None


def _current_years(metas: Iterable[DocumentMeta]) -> frozenset[str]:
    """The years that name the documents' current texts: their latest revision (else adoption or
    issue) and their 施行."""
    dates = [(m.amended or m.adopted or m.issued or m.date, m.effective) for m in metas]
    return frozenset(d[:4] for pair in dates for d in pair if d)
