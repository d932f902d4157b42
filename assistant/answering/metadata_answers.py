"""Answers from a document's record (pure): its 文号, date, issuer and full title, one line per document the
question names (else for the best passage's), each cited at the passage that prints the value. A named
document whose record lacks the field does not state it."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answering.context import Context, chunk_containing, score_of, target_doc
from assistant.answering.docnames import GENRES
from assistant.answering.draft import Draft, Evidence
from assistant.answering.question import QType
from assistant.models import DocumentMeta, chinese_date
from assistant.textnorm import match_key


def _metadata_line(ctx: Context, build: Callable[[DocumentMeta], tuple[str, str] | None]) -> Draft | None:
    """One line per document the question names (A和B的文号分别是什么), else for the best hit's."""
    doc_ids = list(ctx.target_docs) or [d for d in [target_doc(ctx)] if d]
    draft = Draft()
    for doc_id in doc_ids:
        meta = ctx.docs.get(doc_id)
        built = build(meta) if meta is not None else None
        chunk = chunk_containing(ctx, doc_id, built[1]) if built is not None else None
        if meta is None or built is None or chunk is None:
            continue
        text, needle = built
        evidence = [Evidence(chunk, score_of(ctx, chunk), needle)]
        title_chunk = chunk_containing(ctx, doc_id, meta.title)
        if title_chunk is not None and title_chunk.chunk_id != chunk.chunk_id:
            # the line names the title
            evidence.append(Evidence(title_chunk, score_of(ctx, title_chunk), meta.title))
        draft.add(text, *evidence)
    return draft if draft.lines else None


_QUOTED = re.compile(r"《([^》]{2,60})》")
_CITED_NUMBER = (
    r"[（(]([^（）()]{0,20}?(?:令第?[\d一二三四五六七八九十百]+号|[〔\[［(（]\d{4}[〕\]］)）]\d+号))[）)]"
)


def cited_number(ctx: Context) -> Draft | None:
    """「…里提到的《某某管理条例》是国务院令第几号」 asks the 文号 of a document another one cites:
    the citing passage gives it in brackets after the title (《X》（国务院令第331号）), or before it with
    its date (2000年10月31日…令第8号发布的《X》, which also answers when it was issued), or nothing does."""
    if ctx.info.qtype not in (QType.DOC_NUMBER, QType.DATE):
        return None
    own = [match_key(m.title) for m in ctx.docs.values()]
    cited = [t for t in _QUOTED.findall(ctx.info.text) if match_key(t) not in own]
    if _ABOLISHED_ASKED.search(ctx.info.text):
        return _abolished(ctx)
    if not cited:
        return None
    draft = Draft(about="metadata")
    after = re.compile(rf"《{re.escape(cited[0])}》{_CITED_NUMBER}")
    before = re.compile(
        rf"({_CITED_DATE}[^，,。；;《》]{{0,40}}?(?:令|公告)第?[\d一二三四五六七八九十百]+号)[^，,。；;《》]{{0,6}}《{re.escape(cited[0])}》"
    )
    for chunks in ctx.doc_chunks.values():
        for chunk in chunks:
            found = after.search(chunk.text) if ctx.info.qtype is QType.DOC_NUMBER else None
            if found is not None:
                line = f"《{cited[0]}》的文号是{found.group(1)}。"
                draft.add(line, Evidence(chunk, score_of(ctx, chunk), found.group(0)))
                return draft
            found = before.search(chunk.text)
            if found is not None:
                draft.add(f"{found.group(0)}。", Evidence(chunk, score_of(ctx, chunk), found.group(0)))
                return draft
    return draft if ctx.info.qtype is QType.DOC_NUMBER else None  # cited without its 文号: not stated


_CITED_DATE = r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日"
# 「被X废止的（那个）旧通知」: the question is about the document X abolished, not about X
_ABOLISHED_ASKED = re.compile(r"被[^，,。？?；;]{1,40}?(?:废止|取代|代替)的")
# 「2000年3月17日劳动保障部发布的《…》（劳社部发[2000]8号）同时废止」: what the citing passage records
_ABOLISHED = re.compile(
    rf"{_CITED_DATE}[^，,。；;《》]{{0,40}}?《(?P<title>[^》]{{2,60}})》(?:{_CITED_NUMBER})?[^，,。；;《》]{{0,8}}废止"
)


def _abolished(ctx: Context) -> Draft:
    """The date or 文号 of the document the named one abolished, as the abolishing passage records it;
    nothing recorded is not stated (the named document's own date is not the answer)."""
    draft = Draft(about="metadata")
    for doc_id in ctx.target_docs or tuple(ctx.doc_chunks):
        for chunk in ctx.doc_chunks.get(doc_id, ()):
            found = _ABOLISHED.search(chunk.text)
            if found is None:
                continue
            evidence = Evidence(chunk, score_of(ctx, chunk), found.group(0))
            if ctx.info.qtype is QType.DATE:
                draft.add(f"{found.group(0)}。", evidence)
            elif found.group(2):
                draft.add(f"《{found.group('title')}》的文号是{found.group(2)}。", evidence)
            return draft
    return draft


def compose_doc_number(ctx: Context) -> Draft | None:
    draft = _metadata_line(
        ctx, lambda m: (f"《{m.title}》的文号是{m.doc_number}。", m.doc_number) if m.doc_number else None
    )
    return draft or _not_recorded(ctx)


def _not_recorded(ctx: Context) -> Draft | None:
    """A named document whose record lacks the field does not state it (the 文号 or issuer of another
    document its text mentions is not its own); a 文号 is never found in a passage's sentences."""
    return Draft(about="metadata") if ctx.target_docs or ctx.info.qtype is QType.DOC_NUMBER else None


_ASKS_ISSUE = re.compile(r"印发|发布|出台|签发|成文|发文|发的|下发|颁布|公布|落款")


def compose_document_date(ctx: Context) -> Draft | None:
    """The date the question asks: its issue (印发/公布) date when it asks that, else the document's date
    named for what it is (an adoption date is not a 成文日期)."""
    issue_asked = bool(_ASKS_ISSUE.search(ctx.info.text))

    def build(m: DocumentMeta) -> tuple[str, str] | None:
        field, label = _date_field(m, issue_asked)
        day = chinese_date(field)
        if day is None:
            return None
        return f"《{m.title}》的{label}是{day}。", day

    # a named document without a date does not state one (its body's other dates are not its date)
    return _metadata_line(ctx, build) or _not_recorded(ctx)


def _date_field(m: DocumentMeta, issue_asked: bool) -> tuple[str | None, str]:
    if m.issued:
        return m.issued, "成文日期"
    if m.date and m.date not in (m.adopted, m.amended):
        return m.date, "成文日期"  # a date of no other recorded kind (set by hand)
    if issue_asked:
        return None, "成文日期"  # a document only adopted states no issue date
    return (m.adopted, "通过日期") if m.adopted else (m.date, "日期")


_ASKS_TITLE = re.compile(
    r"(?:是|叫)(?:哪个|哪份|哪一个|哪一份|哪部|哪一部|什么)"
    rf"(?:文件|文|政策|法规|规章|{'|'.join(GENRES)})|标题|全称|全名|名称(?:是什么|叫什么)|叫什么名"
)
# the title of the named document itself (…方案的正式名称), not of one it cites (依据的那个通知的全称)
_OWN_TITLE = re.compile(rf"(?:{'|'.join(GENRES)})的?(?:正式|完整)?(?:全称|标题|全名|名称)")


def asks_title(question: str) -> bool:
    """「…方案的全称/正式名称是什么」: the named document's own full title."""
    return bool(_ASKS_TITLE.search(question) and _OWN_TITLE.search(question))


def titled(ctx: Context) -> Draft | None:
    """「吉政发〔2016〕27号是哪个文件」, 「…的全称是什么」: the title of each document the question names."""
    asked = match_key(ctx.info.text)
    numbered = any(m.doc_number and match_key(m.doc_number) in asked for m in ctx.docs.values())
    own = _OWN_TITLE.search(ctx.info.text)
    if not ctx.target_docs or not _ASKS_TITLE.search(ctx.info.text) or not (numbered or own):
        return None

    def build(m: DocumentMeta) -> tuple[str, str]:
        if m.doc_number and match_key(m.doc_number) in asked:
            return f"{m.doc_number}是《{m.title}》。", m.title
        return f"该文件的全称是《{m.title}》。", m.title

    return _metadata_line(ctx, build)


def compose_issuer(ctx: Context) -> Draft | None:
    def build(m: DocumentMeta) -> tuple[str, str] | None:
        if not m.issuer:
            return None
        suffix = f"（{m.doc_number}）" if m.doc_number else ""
        return f"《{m.title}》由{m.issuer}印发{suffix}。", m.issuer

    return _metadata_line(ctx, build) or _not_recorded(ctx)
