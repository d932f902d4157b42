"""Which documents a question names (assistant/answering/docnames.py), on a synthetic corpus: the
names come from the documents' metadata and texts only, so the same rules serve any corpus."""

from __future__ import annotations

import pytest

from assistant.answering.docnames import DocNamer
from assistant.models import DocumentMeta


def _meta(doc_id: str, title: str, **fields: str) -> DocumentMeta:
    return DocumentMeta(doc_id, title, f"{doc_id}.txt", **fields)


METAS = [
    _meta("qz", "青州市数字经济促进条例", region="青州市", level="市", issuer="青州市人民代表大会常务委员会"),
    _meta("yl", "云岭省人民政府关于加快发展绿色农业的实施意见", region="云岭省", level="省"),
    _meta("sj", "数据要素流通若干措施", issuer="海川市人民政府", region="海川市", level="市"),
    _meta("hy", "海洋渔业管理办法（试行）", doc_number="国家海洋局令第3号", region="全国", level="国家"),
    _meta("zn", "智能制造发展年度工作要点（2023）", date="2023-02-01", region="全国", level="国家"),
    _meta("zz", "智能制造标准体系建设指南", date="2022-06-01", region="全国", level="国家"),
]
TEXTS = {
    "qz": "第一条 为了促进数字经济发展，制定本条例。第十条 数据流通应当依法进行。",
    "yl": "为加快发展绿色农业，现提出如下意见。一、总体要求 推动数字经济与农业融合。",
    "sj": "为促进数据要素流通，制定如下措施。一、培育数据交易市场。",
    "hy": "第一条 为加强海洋渔业管理，制定本办法。",
    "zn": "2023年智能制造工作要点如下：推进智能制造标准体系建设。",
    "zz": "智能制造标准体系由基础共性标准和行业应用标准组成。",
}


@pytest.fixture(scope="module")
def namer() -> DocNamer:
    return DocNamer(METAS, TEXTS)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("青州的条例第十条讲了什么？", ("qz",)),  # region short form + type word
        ("青州市对数据流通有什么要求？", ("qz",)),  # the region alone names it
        ("数据要素若干措施提出了哪些措施？", ("sj",)),  # title words with a skip, then the type word
        ("2023年工作要点里有哪些重点？", ("zn",)),  # year of the title + words + type word
        ("2023年要点要巩固什么样的标准体系建设格局？", ("zn",)),  # the year + the type word alone
        ("国家海洋局令第3号规定了什么？", ("hy",)),  # the 文号
        ("云岭和青州分别怎么规定的？", ("yl", "qz")),  # two regions, in the question's order
        ("智能制造标准体系建设指南和2023年工作要点各讲了什么？", ("zz", "zn")),
        ("数据流通有哪些要求？", ()),  # topic words shared with texts, no type word: no name
        ("智能制造有哪些要求？", ()),  # words of two titles, no type word
        ("条例一般写些什么？", ()),  # a type word alone names nothing
    ],
)
def test_resolve_names_documents_from_metadata(
    namer: DocNamer, question: str, expected: tuple[str, ...]
) -> None:
    assert namer.resolve(question) == expected


def test_a_title_word_inside_a_named_documents_words_does_not_name_a_second(namer: DocNamer) -> None:
    # 数字经济 is part of the 青州 title; the 云岭 意见's text also mentions it, but only 青州 is named
    assert namer.resolve("青州市数字经济促进条例对绿色农业有规定吗？") == ("qz",)


def test_a_quoted_name_of_another_document_is_not_this_title(namer: DocNamer) -> None:
    # a document quoted by name that is not in the corpus does not name one sharing its type word
    assert namer.resolve("“渔业资源调查工作要点”是什么时候印发的？") == ()


def test_shared_aliases_weigh_less(namer: DocNamer) -> None:
    alone = namer.mention("hy", "国家海洋局令第3号").score
    shared_issuer = namer.mention("qz", "青州市人民代表大会常务委员会").score
    assert alone > 0 and shared_issuer > 0
    assert namer.resolve("海川市人民政府发的措施有哪些？") == ("sj",)


def test_an_issuer_with_a_document_type_names_its_document(namer: DocNamer) -> None:
    # 海川市人民政府 issued the 措施; the 青州 title's words inside another issuer's name do not count
    assert namer.resolve("海川市人民政府的措施讲了什么？") == ("sj",)


def test_two_documents_answering_to_the_same_name_name_neither() -> None:
    twins = [
        _meta("a", "数据安全条例", issuer="国务院"),
        _meta("b", "网络安全条例", issuer="国务院"),
    ]
    namer = DocNamer(twins, {"a": "数据安全", "b": "网络安全"})
    assert namer.resolve("国务院的条例讲了什么？") == ()
    assert namer.resolve("数据安全条例讲了什么？") == ("a",)
