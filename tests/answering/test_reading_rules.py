"""Reading rules that keep answers right on documents the answerer was never tuned on: a type word used as a
common noun names no document, quoted titles the corpus lacks are told apart, a rule's own 生效 is not the
document's, asking words are not search terms, the rarer words of a question pick the sentence, a penalty
is found in the article that punishes breaking the rule, and the negated case is not the one asked."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from assistant.answering.abstain import asked_unit
from assistant.answering.answerer import ExtractiveAnswerer
from assistant.answering.candidates import sentence_candidates
from assistant.answering.compose import compose
from assistant.answering.context import Context
from assistant.answering.docnames import DocNamer
from assistant.answering.history import about_content, asks_history
from assistant.answering.issuers import issuers_written_out, unknown_issuers
from assistant.answering.question import QType, analyse, classify, without_asking_forms
from assistant.answering.sentences import (
    fuzzy_term_hits,
    has_figure,
    has_time,
    local_weights,
    polarity_clash,
    sets_amount,
)
from assistant.answering.support import asks_penalty, penalty_chunks, refers_to
from assistant.answering.unknown_docs import named_titles, unknown_documents
from assistant.grounding import markers, strip_markers
from assistant.models import Chunk, DocumentMeta
from assistant.profile import Profile, load_profile
from assistant.retrieval.fusion import RankedHit
from assistant.textnorm import match_key

METAS = [
    DocumentMeta("wage", "关于职工全年月平均工作时间和工资折算问题的通知", "wage.txt"),
    DocumentMeta("reply", "关于网络侵权纠纷几个法律适用问题的批复", "reply.txt"),
]
TEXTS = {
    "wage": "一、制度工作时间的计算 年工作日：365天－104天（休息日）－11天（法定节假日）＝250天。",
    "reply": "二、平台经营者收到权利人依法发出的通知后，应当及时将权利人的通知转送平台内经营者。",
}


@pytest.fixture(scope="module")
def namer() -> DocNamer:
    return DocNamer(METAS, TEXTS)


def test_a_type_word_used_as_a_common_noun_names_no_document(namer: DocNamer) -> None:
    assert namer.resolve("平台收到权利人依法发出的通知后，应当做什么？") == ()
    assert namer.resolve("终止调解以后，要在多长时间内通知双方？") == ()  # 时间 is a title word, 内 no filler
    assert namer.resolve("工资折算的通知是哪年发的？") == ("wage",)


def test_a_quoted_title_the_corpus_lacks_is_unknown(namer: DocNamer) -> None:
    assert namer.unknown("《商标代理监督管理规定》对备案有什么期限要求？") == ["商标代理监督管理规定"]
    assert namer.unknown("《关于职工全年月平均工作时间和工资折算问题的通知》说了什么？") == []
    assert namer.unknown("商标代理监督管理规定对备案有什么要求？") == []  # unquoted: not read as a title


def test_a_title_the_corpus_cites_is_known() -> None:
    text = match_key("依照《中华人民共和国电子商务法》处理。")
    assert unknown_documents("《中华人民共和国电子商务法》怎么规定？", ("某某办法",), text) == []
    assert named_titles("《甲》和《乙乙乙乙》") == ["乙乙乙乙"]  # shorter than a title: not one


def test_the_text_of_a_document_the_corpus_only_cites_is_not_held() -> None:
    from assistant.answering.unknown_docs import cited_contents

    titles = (match_key("某某投诉举报处理暂行办法"),)
    text = match_key("2014年公布的《食品药品投诉举报管理办法》同时废止。")
    asked = "暂行办法施行以前的《食品药品投诉举报管理办法》，对举报的受理期限是怎么规定的？"
    assert cited_contents(asked, titles, text) == ["食品药品投诉举报管理办法"]
    assert cited_contents("《食品药品投诉举报管理办法》里一共列了多少种情形？", titles, text)
    # its record the citing text gives (when, by whom, that it was repealed)
    assert cited_contents("《食品药品投诉举报管理办法》是哪一年废止的？", titles, text) == []
    # a title held, or one nobody cites (that is unknown_documents' case)
    assert cited_contents("《某某投诉举报处理暂行办法》里有哪些规定？", titles, text) == []
    assert cited_contents("《某某条例》里有哪些规定？", titles, text) == []


def test_a_decision_amending_quoted_documents_is_none_of_their_kin() -> None:
    quoted = "最高人民法院关于审理侵犯专利权纠纷案件应用法律若干问题的解释"
    decision = DocumentMeta("amend", f"最高人民法院关于修改《{quoted}》等十八件司法解释的决定", "a.txt")
    namer = DocNamer([decision], {"amend": f"一、修改《{quoted}》"})
    asked = "那个决定把《关于审理侵犯商业秘密民事案件适用法律若干问题的规定》改成什么样了？"
    assert namer.unknown(asked) == ["关于审理侵犯商业秘密民事案件适用法律若干问题的规定"]
    assert namer.unknown(f"那个决定对《{quoted}》改了什么？") == []  # one it amends: its text names it
    assert namer.unknown("《最高人民法院关于修改〈某解释〉等十八件司法解释的决定》何时施行？") == []


def test_the_rules_implementing_a_held_document_are_a_document_of_their_own() -> None:
    titles = ("集成电路布图设计保护条例",)
    asked = "《集成电路布图设计保护条例实施细则》对登记申请表有什么要求？"
    assert unknown_documents(asked, titles, "") == ["集成电路布图设计保护条例实施细则"]
    assert unknown_documents("《集成电路布图设计保护条例》对登记有什么要求？", titles, "") == []
    cited = match_key("依照《集成电路布图设计保护条例实施细则》办理。")
    assert unknown_documents(asked, titles, cited) == []  # cited by the corpus: its passages may answer


@pytest.mark.parametrize(
    ("question", "content"),
    [
        ("布图设计专有权的转让从什么时候开始生效？", True),
        ("质押合同何时生效？", True),
        ("本条例什么时候施行？", False),
        ("这个办法从哪天起生效？", False),
        ("什么时候开始施行？", False),
    ],
)
def test_a_rules_taking_effect_is_not_the_documents(question: str, content: bool) -> None:
    assert about_content(question) is content
    assert asks_history(question) is not content


def test_a_history_question_needs_when_or_which() -> None:
    assert asks_history("条例是哪次会议通过的？")
    assert not asks_history("审查通过的申请有哪些？")  # 通过 without asking when or at which meeting


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("有企业配合执行外国的歧视性限制措施，我们能起诉吗？", QType.YES_NO),
        ("保障措施是什么？", QType.ENUMERATION),
        ("明码标价规定列了哪些价格欺诈行为？", QType.ENUMERATION),
        ("实施方案提出了哪些举措", QType.ENUMERATION),
        ("支持企业出海的措施？", QType.ENUMERATION),
        ("主要目标里，知识产权运用方面提了哪些要求？", QType.ENUMERATION),  # 目标 names the section here
        ("用人单位有哪些义务？", QType.ENUMERATION),
        ("在治理能力目标里，对统计工作有什么要求？", QType.EXPLANATION),  # 目标 names where to look
        ("专利密集型产业增加值的目标是什么？", QType.NUMBER),
        ("要探索建立什么样的知识产权工作目标责任制？", QType.EXPLANATION),
        ("12315平台每天受理投诉的时间是几点到几点？", QType.DATE),
    ],
)
def test_measures_ask_for_a_list_only_when_asked_for(question: str, expected: QType) -> None:
    assert classify(question) is expected


def test_asking_forms_are_not_terms() -> None:
    assert without_asking_forms("基数里算不算合理开支？能不能加？") == "基数里，合理开支？，加？"
    assert without_asking_forms("可不可以委托他人") == "，委托他人"
    assert without_asking_forms("不算数") == "不算数"


def test_a_point_in_time_set_by_an_event_is_a_time() -> None:
    assert has_time("转让自登记之日起生效。")
    assert has_time("自2001年10月1日起施行。")
    assert not has_time("转让应当订立书面合同。")
    assert has_time("停止侵害的时间一般应当持续到该商业秘密已为公众所知悉时为止。")
    assert has_time("权利人应当在一审法庭辩论结束前明确所主张的商业秘密具体内容。")


def test_words_rare_among_the_retrieved_passages_weigh_more() -> None:
    passages = ["惩罚性赔偿的基数按实际损失计算。", "惩罚性赔偿的倍数。", "基数不包括合理开支。"]
    terms = ["赔偿", "开支"]
    weights = local_weights(terms, passages)
    assert weights["开支"] > weights["赔偿"] >= 1.0
    assert fuzzy_term_hits(terms, passages[2], weights) > fuzzy_term_hits(terms, passages[1], weights)
    assert fuzzy_term_hits(terms, passages[2]) == fuzzy_term_hits(terms, passages[1])  # unweighted: a tie


def test_a_bracketed_year_in_a_document_number_is_not_a_citation_marker() -> None:
    answer = "文号是劳社部发[2008]3号。[1]"
    assert markers(answer) == [1]
    assert strip_markers(answer) == "文号是劳社部发[2008]3号。"


def _article(chunk_id: str, heading: str, text: str) -> Chunk:
    return Chunk(chunk_id, "gi", ("第三章 保护", heading), text, 0, len(text), "item")


def test_the_article_punishing_a_rule_is_found_by_its_number() -> None:
    rule = _article("r", "第二十条", "第二十条 任何单位和个人不得擅自使用专用标志。")
    other = _article("o", "第二十一条", "第二十一条 违反本条例第二十一条规定的，处一万元罚款。")
    penalty = _article(
        "p", "第二十六条", "第二十六条 违反本条例第二十条规定的，责令改正，并处货值金额等值以下的罚款。"
    )
    assert penalty_chunks([rule, other, penalty], rule) == [penalty]
    assert refers_to(penalty.text, rule) and not refers_to(other.text, rule)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("擅自使用专用标志，罚款怎么算？", True),
        ("违反规定要承担什么法律责任？", True),
        ("惩罚性赔偿的基数怎么算？", False),  # 惩罚性 is a kind of damages, not a penalty asked for
        ("要建立什么责任制？", False),
    ],
)
def test_a_penalty_question(question: str, asks: bool) -> None:
    assert asks_penalty(question) is asks


def test_a_sentence_on_the_negated_case_clashes_with_the_question() -> None:
    assert polarity_clash("不在同一个省的多久公示？", "登记地在同一省的，二十个工作日内公示。")
    assert polarity_clash("在同一个省的多久公示？", "登记地不在同一省的，十个工作日内推送。")
    assert not polarity_clash("在同一个省的多久公示？", "登记地在同一省的，二十个工作日内公示。")
    assert polarity_clash("情节不算严重的，可以罚多少？", "情节严重的，处三万元以上十万元以下罚款。")
    # the asker's own area (登记地在本省) is the text's 同一省 as the deciding body
    assert polarity_clash("登记地在本省的，多久公示？", "登记地不在同一省的，十个工作日内推送。")
    assert polarity_clash("登记地不在本省的，多久公示？", "登记地在同一省的，二十个工作日内公示。")
    assert not polarity_clash("登记地在本省的，多久公示？", "登记地在同一省的，二十个工作日内公示。")
    assert polarity_clash("同省公示的期限是多少个工作日？", "登记地不在同一省的，十个工作日内推送。")
    assert polarity_clash("不同省的公示期限呢？", "登记地在同一省的，二十个工作日内公示。")
    assert polarity_clash("不在同省的公示期限呢？", "登记地在同一省的，二十个工作日内公示。")
    assert not polarity_clash("会同市场监管部门公示的期限？", "登记地不在同一省的，十个工作日内推送。")


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("可以推选几名代表人？", ("名", "人")),
        ("好几个消费者一起投诉，要多少天处理？", ("日", "天")),  # 好几个 is "several", not 几个
        ("一年最多检查几次？", ("次",)),
        ("较低数额罚款的具体标准是多少？", ("元",)),
        ("12315平台每天几点开始受理？", ("时", "点")),
        ("那几个量化目标是要到哪一年完成？", None),  # 那几个: those several
        ("罚款的期限是多少天？", ("日", "天")),
        ("每天按几个小时算？", ("小时",)),  # not 个
        ("我们几个人想拿专利创业，有没有导师帮扶？", None),  # 我们几个人: who asks, not a count asked
        ("最迟多少小时内要裁定？", ("小时",)),
        ("请求书要交一式几份？", ("份",)),
        ("起诉前申请禁令，要交多少担保？", ("元",)),  # a security is money
        ("几个人以上一起投诉，才算共同投诉？", ("名", "人")),  # people, not 个
        ("设立代理机构，注册资本不少于多少？", ("元",)),  # capital is money
        ("非货币出资占注册资本比例最高是多少？", ("%", "成")),  # its share is not
    ],
)
def test_the_unit_a_number_question_asks_for(question: str, unit: tuple[str, ...] | None) -> None:
    assert asked_unit(question) == unit


def test_a_named_documents_missing_record_is_not_stated() -> None:
    """The issuer or 文号 a document's record lacks is not taken from another document its text cites."""
    text = "2000年劳动保障部发布的《关于工资的通知》（劳社部发[2000]8号）同时废止。"
    part = Chunk("w:1", "w", ("三、其他",), text, 0, len(text), "section")
    meta = DocumentMeta("w", "关于工资折算问题的通知", "w.txt")
    for question in ("工资折算的通知是哪个部门印发的？", "工资折算的通知文号是多少？"):
        ctx = Context(
            analyse(question), ("工资",), frozenset(), [RankedHit(0, part, 0.05, 0.8, 1.0, 0.0, True)],
            {"w": [part]}, {"w": meta}, ("w",),
        )  # fmt: skip
        draft = compose(ctx)
        assert draft.lines == [] and draft.about == "metadata"


def test_a_list_lead_in_in_the_untitled_head_does_not_break_the_answer() -> None:
    """The best sentence opens a list in the document's head (no section): its parts are the document's
    top-level sections, which is no list to give (this raised IndexError)."""
    head = Chunk("n:0", "n", (), "据此，工资折算办法调整如下：", 0, 14, "preamble")
    one = Chunk("n:1", "n", ("一、工作日",), "一、工作日 年工作日250天。", 14, 28, "section")
    two = Chunk("n:2", "n", ("二、折算",), "二、折算 日工资按21.75天折算。", 28, 46, "section")
    ctx = Context(
        analyse("工资折算办法怎么调整？"), ("工资", "折算", "调整"), frozenset(),
        [RankedHit(0, head, 0.05, 0.8, 1.0, 0.0, True)], {"n": [head, one, two]},
        {"n": DocumentMeta("n", "关于工资折算的通知", "n.txt")}, ("n",),
    )  # fmt: skip
    assert "调整如下" in " ".join(line.text for line in compose(ctx).lines)


def test_a_sum_asked_and_not_written_is_answered_by_the_rule_that_sets_it() -> None:
    """「能让对方赔多少」: the sentence saying how damages are set, never another kind of figure nearby."""
    deadline = "当事人不服的，可以自收到处理通知之日起15日内向人民法院起诉。"
    damages = "侵犯专有权的赔偿数额，为侵权人所获得的利益或者被侵权人所受到的损失。"
    a = Chunk("c:1", "c", ("第二十九条",), deadline, 0, len(deadline), "item")
    b = Chunk("c:2", "c", ("第三十条",), damages, 100, 100 + len(damages), "item")
    ctx = Context(
        analyse("被人抄了，打官司能让对方赔多少？"), ("打官司", "对方"), frozenset(),
        [RankedHit(0, a, 0.05, 0.8, 1.0, 0.0, False), RankedHit(1, b, 0.04, 0.8, 1.0, 0.0, False)],
        {"c": [a, b]}, {"c": DocumentMeta("c", "某某保护条例", "c.txt")}, (),
    )  # fmt: skip
    assert [line.text for line in compose(ctx).lines] == [damages]
    assert sets_amount(damages) and not sets_amount(deadline)


def test_a_multiple_asked_with_what_it_depends_on_is_answered_by_how_it_is_set() -> None:
    from assistant.answering.draft import Draft, Evidence
    from assistant.answering.draft_checks import amount_stated

    rule = "人民法院确定惩罚性赔偿的倍数时，应当综合考虑被告主观过错程度、情节严重程度等因素。"
    other = "因同一侵权行为已经被处以行政罚款的，被告主张减免惩罚性赔偿责任的，人民法院不予支持。"
    chunk = Chunk("p:6", "p", ("第六条",), rule, 0, len(rule), "item")
    question = "法院定惩罚性赔偿到底判几倍，要考虑哪些因素？"
    setting, unrelated = Draft(), Draft()
    setting.add(rule, Evidence(chunk, 0.05, rule))
    unrelated.add(other, Evidence(chunk, 0.05, other))
    assert amount_stated(analyse(question), question, setting, [])
    assert not amount_stated(analyse(question), question, unrelated, [])
    # a multiple asked alone is not answered by what it depends on
    alone = "惩罚性赔偿最高可以判几倍？"
    assert not amount_stated(analyse(alone), alone, setting, [])


def test_a_family_of_document_types_names_a_document_of_any_of_them() -> None:
    metas = [
        DocumentMeta("ts", "最高人民法院关于审理侵犯商业秘密民事案件适用法律若干问题的规定", "ts.txt"),
        DocumentMeta("pm", "明码标价和禁止价格欺诈规定", "pm.txt"),
    ]
    families = {"司法解释": ("解释", "规定", "批复")}
    namer = DocNamer(metas, {"ts": "第一条 商业秘密…", "pm": "第一条 明码标价…"}, families=families)
    assert namer.resolve("商业秘密司法解释的文号是什么？") == ("ts",)
    assert DocNamer(metas, {}, families={}).resolve("商业秘密司法解释的文号是什么？") == ()


def test_a_body_whose_rules_are_asked_and_that_issued_no_document() -> None:
    metas = [
        DocumentMeta("r", "最高人民法院关于网络侵权纠纷的批复", "r.txt", issuer="最高人民法院"),
        DocumentMeta("w", "关于工资折算问题的通知", "w.txt"),  # issuer not read: its head may name it
    ]
    heads = ["最高人民法院关于网络侵权纠纷的批复 …", "人力资源社会保障部 关于工资折算问题的通知 …"]
    ask = "国家知识产权局对网络侵权通知有什么规定？"
    assert unknown_issuers(ask, metas, heads, "平台收到通知后应当转送。") == ["国家知识产权局"]
    assert unknown_issuers("最高人民法院对网络侵权通知有什么规定？", metas, heads, "") == []
    assert unknown_issuers("人力资源社会保障部发布的工资折算办法", metas, heads, "") == []
    assert unknown_issuers(ask, metas, heads, "报国家知识产权局备案。") == []  # the passages name it
    assert unknown_issuers("国家知识产权局负责什么？", metas, heads, "") == []  # its duties, not its rules


def test_the_asking_clause_outweighs_the_scope_before_it() -> None:
    """「在治理能力目标里，对统计工作有什么要求」: 统计 is asked; 治理能力 says only where to look."""
    from assistant.answering.candidates import focused as _focused

    def ctx(question: str) -> Context:
        return Context(analyse(question), ("治理", "统计"), frozenset(), [], {}, {}, ())

    weights = {"治理": 1.0, "统计": 1.0}
    scoped = _focused(ctx("在治理能力目标里，对统计工作有什么要求？"), weights)
    assert scoped["统计"] > scoped["治理"] == 1.0
    assert (
        _focused(ctx("统计工作和治理有什么要求？"), weights) == weights
    )  # one clause: nothing to tell apart


def test_an_office_for_an_act_needs_a_passage_naming_the_act() -> None:
    from assistant.answering.draft import Draft, Evidence
    from assistant.answering.draft_checks import act_stated

    part = Chunk("n:6", "n", ("第六条",), "第六条 企业应当建立技术秘密管理制度。", 0, 20, "item")

    def saying(text: str) -> Draft:
        draft = Draft()
        draft.add(text, Evidence(part, 0.05, text))
        return draft

    duty = saying("企业应当建立技术秘密管理制度。")
    assert not act_stated("技术秘密要到哪个部门登记备案？", duty)
    assert act_stated("技术秘密要到哪个部门登记备案？", saying("向所在地知识产权局备案。"))
    # who interprets is said only where the interpreting is
    assert not act_stated("由哪个部门负责解释？", duty)
    assert act_stated("这个规定由哪个部门负责解释？", saying("本规定由市场监管总局负责解释。"))
    # who recognises, supervises, sets up or publishes is said only where that act is
    assert not act_stated("维权互助基金由哪个部门负责监管？", saying("支持企业设立维权互助基金。"))
    assert act_stated("维权互助基金由哪个部门负责监管？", saying("基金由省知识产权局监督管理。"))
    assert not act_stated(
        "核查时限要延长的，得报谁批准？", saying("特殊情况下，核查时限可以延长十五个工作日。")
    )
    assert act_stated("核查时限要延长的，得报谁批准？", saying("经负责人批准，可以延长十五个工作日。"))
    assert not act_stated("查封、扣押要经过谁批准？", saying("执法人员可以查封、扣押与案件有关的物品。"))
    # who organises an evaluation: the evaluating must be written, not any duty of the office
    assert not act_stated(
        "专利奖由哪个部门组织评审？", saying("管理专利工作的部门负责本行政区域内的专利保护工作。")
    )
    assert act_stated("专利奖由哪个部门组织评审？", saying("专利奖由市知识产权局组织评审。"))


@pytest.mark.parametrize(
    ("question", "lines", "clash"),
    [
        ("每周的标准工作时间是多少小时？", ["以工作日乘以每日的8小时。"], True),
        ("每天工作几个小时？", ["以工作日乘以每日的8小时。"], False),
        ("每周工作多少小时？", ["工作时间为40小时。"], False),  # no period given: not a clash
        ("工作时间是多少小时？", ["每日的8小时。"], False),  # no period asked
    ],
)
def test_a_rate_per_one_period_is_not_answered_per_another(
    question: str, lines: list[str], clash: bool
) -> None:
    from assistant.answering.said import basis_clash

    assert basis_clash(question, lines) is clash


def test_a_time_in_advance_is_not_answered_by_a_deadline_after() -> None:
    from assistant.answering.said import advance_missing

    ask = "调解要提前几天通知双方？"
    assert advance_missing(ask, ["应当自作出决定之日起七个工作日内告知双方。"])
    assert not advance_missing(ask, ["应当提前三日通知双方。"])
    assert not advance_missing(ask, ["应当在调解三日前通知双方。"])
    assert not advance_missing("调解要几天内通知双方？", ["应当自作出决定之日起七个工作日内告知双方。"])


def test_a_place_the_question_opens_with_is_its_subject() -> None:
    """A place no document covers that the best passages only list among others is refused when the
    question is about it (it opens the question), kept when it is only mentioned."""
    from assistant.answering.answerer import _unknown_places
    from assistant.answering.regions import Gazetteer

    places = Gazetteer.build(["全国", "浙江省"])
    text = "推动知识产权融入京津冀、长三角、河北省等区域发展战略。"
    hits = [
        RankedHit(0, Chunk("n:1", "n", ("四、",), text, 0, len(text), "item"), 0.05, 0.8, 1.0, 0.0, False)
    ]
    metas = [DocumentMeta("n", "年度工作指引", "n.txt", region="全国")]
    assert _unknown_places(places, "河北省建设知识产权强省的目标有哪些？", metas, hits) == ["河北省"]
    assert _unknown_places(places, "推动知识产权融入河北省发展有哪些要求？", metas, hits) == []


def test_places_asked_by_name_need_lines_naming_places() -> None:
    from assistant.answering.draft import Draft, Evidence
    from assistant.answering.draft_checks import places_stated
    from assistant.answering.regions import Gazetteer

    places = Gazetteer.build(["全国"])
    part = Chunk("t:1", "t", ("（一）",), "构建创新生态体系。", 0, 9, "item")
    tasks = Draft()
    tasks.add("构建创新生态体系。", Evidence(part, 0.05, part.text))
    assert not places_stated("第一批试点省是哪几个省？", tasks, places)
    named = Draft()
    named.add("江苏省、广东省为引领型试点省。", Evidence(part, 0.05, part.text))
    assert places_stated("第一批试点省是哪几个省？", named, places)
    assert not places_stated("这个批复是答复哪个省高级人民法院的请示？", tasks, places)
    assert places_stated("信息服务网点建在哪些地方？", tasks, places)  # 地方 is not asked by name


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("这个强区方案的正式名称叫什么？", True),
        ("实施方案的全称是什么？", True),
        ("依据的那个通知叫什么名字？", False),
    ],
)
def test_a_documents_own_full_title_asked(question: str, asks: bool) -> None:
    from assistant.answering.metadata_answers import asks_title

    assert asks_title(question) is asks


def test_a_document_number_the_corpus_lacks_is_unknown() -> None:
    from assistant.answering.unknown_docs import cited_numbers, unknown_numbers

    numbers = [match_key("国家市场监督管理总局令第45号"), match_key("吉政发〔2016〕27号")]
    assert unknown_numbers("国家市场监督管理总局令第46号规定了什么？", numbers) == [
        "国家市场监督管理总局令第46号"
    ]
    assert unknown_numbers("市场监管总局令第45号规定了什么？", numbers) == []  # the issuer written short
    assert unknown_numbers("总局令第45号规定了什么？", numbers) == []
    assert unknown_numbers("吉政发[2016]27号是哪个文件？", numbers) == []
    # the same number of another issuer is another document
    assert unknown_numbers("国家发展计划委员会令第45号是什么规定？", numbers) == [
        "国家发展计划委员会令第45号"
    ]
    text = "依照《国务院关于…的通知》（国发〔2015〕71号）；原国家发展计划委员会令第15号同时废止"
    cited = cited_numbers(match_key(text))
    assert unknown_numbers("国发〔2015〕71号提出了什么？", cited) == []  # a document cites it
    assert unknown_numbers("原国家计委令第15号发布的是什么？", cited) == []  # its issuer abbreviated
    assert unknown_numbers("国家计委令第16号发布的是什么？", cited) == ["国家计委令第16号"]


def test_a_target_year_asked_is_answered_with_a_year() -> None:
    text = "到2020年，全市每万人发明专利拥有量力争达到1.17件。知识产权纠纷结案率达到95%以上。"
    part = Chunk("s:1", "s", ("（二）主要目标",), text, 0, len(text), "paragraph")
    ctx = Context(
        analyse("汕尾方案里那几个量化目标是要到哪一年完成？"), ("量化", "目标", "完成"), frozenset(),
        [RankedHit(0, part, 0.05, 0.8, 1.0, 0.0, True)], {"s": [part]},
        {"s": DocumentMeta("s", "汕尾市实施方案", "s.txt")}, ("s",),
    )  # fmt: skip
    assert compose(ctx).lines[0].text.startswith("到2020年")


def test_an_adopted_document_states_no_issue_date() -> None:
    """A regulation with only its adoption note: 「哪天公布的」 is not stated; its date is named 通过日期."""
    head = "某省地理标志条例\n2022年11月30日 某省人民代表大会常务委员会第四十七次会议通过"
    part = Chunk("g:0", "g", (), head, 0, len(head), "preamble")
    meta = DocumentMeta("g", "某省地理标志条例", "g.txt", date="2022-11-30", adopted="2022-11-30")

    def answer(question: str) -> tuple[list[str], str]:
        ctx = Context(
            analyse(question), ("地理标志",), frozenset(), [RankedHit(0, part, 0.05, 0.8, 1.0, 0.0, True)],
            {"g": [part]}, {"g": meta}, ("g",),
        )  # fmt: skip
        draft = compose(ctx)
        return [line.text for line in draft.lines], draft.about

    assert answer("某省地理标志条例是哪天印发的？") == ([], "metadata")
    assert answer("某省地理标志条例的日期是哪天？") == (
        ["《某省地理标志条例》的通过日期是2022年11月30日。"],
        "",
    )


def test_a_penalty_figure_asked_needs_the_penalty_article_to_give_one() -> None:
    """「罚款是多少」 is not answered by a penalty article without a figure; 「怎么罚」 is."""
    rule = _article("r", "第二十条", "第二十条 任何单位和个人不得擅自使用专用标志。")
    penalty = _article(
        "p", "第二十六条", "第二十六条 违反本条例第二十条规定的，由知识产权部门责令改正，并处罚款。"
    )

    def lines(question: str) -> list[str]:
        ctx = Context(
            analyse(question), ("擅自", "使用", "专用", "标志"), frozenset(),
            [RankedHit(0, rule, 0.05, 0.8, 1.0, 0.0, True)], {"gi": [rule, penalty]},
            {"gi": DocumentMeta("gi", "某省地理标志条例", "gi.txt")}, ("gi",),
        )  # fmt: skip
        return [line.text for line in compose(ctx).lines]

    assert lines("擅自使用专用标志怎么罚？")[0].startswith("第二十六条 违反本条例第二十条规定的")
    assert not any("第二十六条" in line for line in lines("擅自使用专用标志罚款是多少？"))


def test_a_penalty_going_on_after_a_semicolon_punishes_the_breach_named_before_it() -> None:
    """「违反本办法第十二条规定，其他法律有规定的，依照其规定；未作规定的，…罚款」: the 罚款 after 「；」
    punishes breaking 第十二条; a figure asked must be in the sentence naming the breach."""
    rule = _article("r", "第十二条", "第十二条 经营者不得规定经营者单方享有最终解释权。")
    penalty = _article(
        "p",
        "第十五条",
        "第十五条 经营者违反本办法第十二条规定，其他法律、法规有规定的，依照法律、法规的规定执行；"
        "法律、法规未作规定的，由市场监督管理部门责令改正，处以一万元以下的罚款。",
    )

    def lines(question: str) -> list[str]:
        ctx = Context(
            analyse(question), ("最终", "解释权"), frozenset(),
            [RankedHit(0, rule, 0.05, 0.8, 1.0, 0.0, True)], {"gi": [rule, penalty]},
            {"gi": DocumentMeta("gi", "某某处罚办法", "gi.txt")}, ("gi",),
        )  # fmt: skip
        return [line.text for line in compose(ctx).lines]

    explained = lines("规定最终解释权会怎么罚？")
    assert (
        explained[0].startswith("第十五条 经营者违反本办法第十二条规定")
        and "一万元以下的罚款" in explained[0]
    )
    assert not any("第十五条" in line for line in lines("规定最终解释权罚款是多少？"))


def test_the_article_punishing_the_best_passage_is_evidence_that_a_penalty_is_stated() -> None:
    from assistant.answering.abstain import Thresholds, judge

    rule = _article("r", "第十二条", "第十二条 经营者不得规定经营者单方享有最终解释权。")
    hits = [RankedHit(0, rule, 0.05, 0.9, 1.0, 0.0, True)]
    cue = [("怎么罚", ("罚",))]

    def verdict(penalty_text: str) -> bool:
        return judge(
            "规定最终解释权会怎么罚？", ["最终解释权"], hits, foreign=(), unknown_places=(),
            thresholds=Thresholds(0.0, 0.0), unstated=cue, penalty_text=penalty_text,
        ).abstain  # fmt: skip

    assert verdict("")
    assert not verdict("第十五条 经营者违反本办法第十二条规定的，处以一万元以下的罚款。")


def test_a_named_rule_of_a_body_that_issued_no_document() -> None:
    metas = [DocumentMeta("r", "最高人民法院关于网络侵权纠纷的批复", "r.txt", issuer="最高人民法院")]
    heads = ["最高人民法院关于网络侵权纠纷的批复 …"]
    ask = "国家知识产权局的代理机构监督管理规定对备案有什么期限？"
    assert unknown_issuers(ask, metas, heads, "") == ["国家知识产权局"]
    assert unknown_issuers("最高人民法院的网络侵权批复怎么说？", metas, heads, "") == []
    assert (
        unknown_issuers("国家知识产权局的处理方法是什么？", metas, heads, "") == []
    )  # 法 alone names no rule


def test_a_penalty_for_another_paragraph_does_not_punish_the_rule_asked() -> None:
    from assistant.answering.support import paragraph_of, refers_to

    text = "第十六条 任何单位不得假冒专利。\n\n任何单位不得为前款行为提供便利条件：\n（一）提供场所；\n（二）提供资金。"
    article = Chunk("a16", "d", ("第二章 保护", "第十六条"), text, 0, len(text), "item")
    first, second = paragraph_of(article, text.find("假冒")), paragraph_of(article, text.find("提供资金"))
    assert (first, second) == (1, 2)  # items (项) belong to the 款 that introduces them
    penalty = "违反本条例第十六条第二款规定的，处二万元以下罚款。"
    assert not refers_to(penalty, article, first)
    assert refers_to(penalty, article, second)
    assert refers_to("违反本条例第十六条规定的，处罚款。", article, first)  # no 款 named: the whole article
    assert not refers_to(
        "违反本条例第十六条第二款规定的，处罚款。", replace(article, section=("第十七条",)), 2
    )


def test_a_place_that_begins_a_name_the_passages_write_is_not_the_region_asked() -> None:
    from assistant.answering.answerer import _same_name

    text = "着力做好北京冬奥会、杭州亚运会的知识产权立体化保护。"
    assert _same_name("北京冬奥会的知识产权保护由哪个司负责？", "北京", text)
    assert not _same_name("北京市的知识产权保护由哪个司负责？", "北京", text)
    assert not _same_name("北京的知识产权保护由哪个司负责？", "北京", text)
    assert not _same_name("北京冬奥会的知识产权保护由哪个司负责？", "北京", "推动京津冀协同发展。")


def test_a_title_written_with_another_region_is_a_document_the_corpus_lacks() -> None:
    from assistant.answering.unknown_docs import other_region_titles, regional_titles

    canonical = {"甲市": "甲市", "甲": "甲市", "乙省": "乙省", "乙": "乙省"}

    def places(text: str) -> list[str]:
        return [p for p in sorted(canonical, key=len, reverse=True) if p in text]

    titles = regional_titles(["甲市企业技术秘密保护条例", "乙省专利条例"], places, canonical)
    assert other_region_titles("乙省企业技术秘密保护条例何时施行？", titles, places, canonical) == [
        "乙省企业技术秘密保护条例"
    ]
    assert other_region_titles("甲市企业技术秘密保护条例何时施行？", titles, places, canonical) == []
    assert (
        other_region_titles("乙省的企业技术秘密保护条例何时施行？", titles, places, canonical) == []
    )  # 的: loose
    assert other_region_titles("企业技术秘密保护条例何时施行？", titles, places, canonical) == []
    # 甲专利条例 shortens 甲市's own 条例 (丙市专利促进与保护条例 style): not 乙省's 专利条例 of another region
    held = regional_titles(["甲市专利促进与保护条例", "乙省专利条例"], places, canonical)
    assert other_region_titles("甲专利条例何时施行？", held, places, canonical) == []


def test_a_title_of_a_held_region_that_is_not_its_held_document_is_one_the_corpus_lacks() -> None:
    from assistant.answering.unknown_docs import regional_titles, unheld_region_titles

    canonical = {"甲市": "甲市", "甲": "甲市", "乙省": "乙省"}

    def places(text: str) -> list[str]:
        return [p for p in sorted(canonical, key=len, reverse=True) if p in text]

    held = regional_titles(["甲市专利促进与保护条例", "乙省专利条例"], places, canonical)
    genres = ("条例", "规定")

    def unheld(question: str) -> list[str]:
        return unheld_region_titles(question, held, places, canonical, genres)

    assert unheld("甲市知识产权保护条例是哪年通过的？") == ["甲市知识产权保护条例"]
    assert unheld("甲市专利保护条例是哪年通过的？") == []  # most of its words are the held title's
    assert unheld("在甲市违反知识产权保护规定的，罚多少？") == []  # an act in a place, not a title
    assert unheld("甲市和乙省知识产权条例有什么不同？") == []  # two names, not one


def test_a_title_of_a_region_no_document_is_of_is_one_the_corpus_lacks() -> None:
    from assistant.answering.unknown_docs import regional_titles, unheld_region_titles

    # 丙市 lies in 丁省: the corpus holds 丙市's 规定 and 乙省's 条例, nothing of 丁省 itself
    canonical = {"丙市": "丙市", "丁省": "丁省", "乙省": "乙省"}

    def places(text: str) -> list[str]:
        return [p for p in sorted(canonical, key=len, reverse=True) if p in text]

    held = regional_titles(["丙市专利管理若干规定", "乙省专利保护条例"], places, canonical)

    def unheld(question: str) -> list[str]:
        return unheld_region_titles(
            question, held, places, canonical, ("条例", "规定"), frozenset({"丙市", "乙省"})
        )

    assert unheld("丁省专利条例对假冒专利罚多少？") == ["丁省专利条例"]
    assert unheld("丁省丙市专利管理若干规定何时施行？") == []  # the held 规定, its province written first
    assert unheld("乙省专利条例对假冒专利罚多少？") == []  # a region a document is of
    assert unheld("在丁省违反专利保护规定的，罚多少？") == []  # an act in a place, not a title


def test_which_announcement_published_it_is_a_doc_number_question() -> None:
    assert analyse("这个条例是以第几号公告公布的？").qtype is QType.DOC_NUMBER


def test_a_kind_written_out_must_be_in_the_sentences_not_only_their_heading() -> None:
    from assistant.answering.draft import Draft, Evidence
    from assistant.answering.draft_checks import amount_stated

    question = "批复说的“合理期限”具体是多少天？"
    part = Chunk(
        "r:5", "r", ("五、权利人应在合理期限内",), "该期限最长不超过20个工作日。", 0, 15, "paragraph"
    )
    other = Draft()
    other.add("该期限最长不超过20个工作日。", Evidence(part, 0.05, "该期限最长不超过20个工作日。"))
    assert amount_stated(analyse(question), question, other, [("合理期限", 0.6)])  # the heading says it
    assert not amount_stated(analyse(question), question, other, [("合理期限", 1.0)])
    named = Draft()
    named.add("合理期限为15日。", Evidence(part, 0.05, "合理期限为15日。"))
    assert amount_stated(analyse(question), question, named, [("合理期限", 1.0)])


def test_a_count_told_in_the_story_before_an_earlier_question_is_not_asked() -> None:
    from assistant.answering.draft import Draft, Evidence
    from assistant.answering.draft_checks import amount_stated

    text = "网络服务提供者拖延提供涉嫌侵权的服务对象的姓名等资料的，由著作权行政管理部门予以警告。"
    chunk = Chunk("n:25", "n", ("第二十五条",), text, 0, len(text), "paragraph")
    draft = Draft()
    draft.add(text, Evidence(chunk, 0.05, text))
    told = "部门让我们提供几个用户的姓名，我们一直拖着没给。这种情况由谁来处理？会受到什么处罚？"
    assert amount_stated(analyse(told), told, draft, [])
    asked = "部门让我们提供用户的姓名，一共要提供几个用户？会受到什么处罚？"
    assert not amount_stated(analyse(asked), asked, draft, [])


def test_how_often_and_who_is_fined_must_be_what_the_answer_says() -> None:
    from assistant.answering.said import fined_party_missing, frequency_missing

    deadline = ["平台接到投诉后，应当在三个工作日内告知被投诉人并要求其在指定期限内提交申辩材料。"]
    assert frequency_missing("平台多久要报告一次投诉处理情况？", deadline)
    assert not frequency_missing("平台多久要报告一次投诉处理情况？", ["平台应当每季度报告一次。"])
    assert not frequency_missing("平台多久要告知被投诉人？", deadline)  # a deadline asked
    organiser = ["会展活动举办单位违反本条规定的，处三万元以上十万元以下的罚款。"]
    assert fined_party_missing("参展方拿不出证明的，要罚参展方多少钱？", organiser)
    assert not fined_party_missing("要罚举办单位多少钱？", organiser)
    assert not fined_party_missing("罚款多少钱？", organiser)


def test_colloquial_issuer_names_are_written_out_joint_issuers_one_by_one() -> None:
    synonyms = [
        ("国家局", ("国家知识产权局",)),
        ("两高", ("最高人民法院、最高人民检察院",)),
        ("最高检", ("最高人民检察院",)),
    ]
    issuers = ["国家知识产权局", "最高人民法院、最高人民检察院"]
    assert issuers_written_out("国家局的方案", issuers, synonyms) == "国家知识产权局的方案"
    assert (
        issuers_written_out("两高解释（三）", issuers, synonyms) == "最高人民法院、最高人民检察院解释（三）"
    )
    # one issuer of a joint document
    assert issuers_written_out("最高检的解释", issuers, synonyms) == "最高人民检察院的解释"
    # an issuer no document has stays as asked
    assert issuers_written_out("最高检的解释", ["国家知识产权局"], synonyms) == "最高检的解释"


def test_papers_asked_pick_a_sentence_handing_in_a_series_of_papers() -> None:
    from assistant.answering.sentences import introduces_asked_kind

    series = "请求确认不侵权的，应当提交请求书、专利的授权公告文本以及相关载体等。"
    assert introduces_asked_kind("申请时要交哪些材料？", series)
    assert not introduces_asked_kind("申请时要交哪些材料？", "应当提交请求书和有关证据。")  # no series
    assert not introduces_asked_kind("有哪些条件？", series)  # conditions asked, not papers


def test_whether_an_act_must_be_in_writing_needs_a_form_said() -> None:
    from assistant.answering.said import form_missing

    asked = "商标注册人授权我们起诉，这个授权一定要书面的吗？口头说一声行不行？"
    assert form_missing(asked, ["普通使用许可合同的被许可人经商标注册人明确授权，可以提起诉讼。"])
    assert not form_missing(asked, ["授权应当以书面形式作出。"])
    assert not form_missing("授权要多久？", ["普通使用许可合同的被许可人经明确授权，可以提起诉讼。"])


def test_a_reward_asked_for_someone_is_not_a_reward_for_another() -> None:
    from assistant.answering.said import rewarded_party_missing

    inventors = ["被授予专利权的单位应当对职务发明创造的发明人或者设计人给予奖励。"]
    assert rewarded_party_missing("查证属实的话，举报人能拿到奖励吗？", inventors)
    assert not rewarded_party_missing("查证属实的话，举报人能拿到奖励吗？", ["对举报人给予奖励。"])
    assert not rewarded_party_missing("发明人能得到奖励吗？", inventors)
    assert rewarded_party_missing("两部条例对举报侵权的人各有什么奖励？", inventors)
    # the asker (我们) is called something else by the rule
    assert not rewarded_party_missing("我们能拿到补贴吗？", ["对企业给予补贴。"])


def test_the_fine_of_an_act_is_not_the_fine_of_whoever_helped() -> None:
    from assistant.answering.said import accessory_fine_missing

    helper = [
        "违反本条例第八条规定，为假冒他人专利提供生产经营便利的，由主管部门责令改正。",
        "拒不改正的，没收违法所得，并处以一千元以上一万元以下罚款。",
    ]
    assert accessory_fine_missing("假冒他人专利的，罚多少钱？", helper)
    assert not accessory_fine_missing("给假冒专利的人提供场地，罚多少钱？", helper)  # the helper asked
    own = ["假冒他人专利的，处违法所得四倍以下的罚款。"]
    assert not accessory_fine_missing("假冒他人专利的，罚多少钱？", own)
    assert not accessory_fine_missing(
        "假冒他人专利的，罚多少钱？", helper + own
    )  # the act's own fine is there
    assert not accessory_fine_missing("假冒他人专利的，谁来查处？", helper)  # no fine asked


def test_the_fine_of_an_act_is_not_the_fine_of_another_act() -> None:
    from assistant.answering.said import fined_act_missing

    obstruct = [
        "有关单位和个人拒不提供与案件有关的合同、账簿等资料的，由主管部门处一千元以上二万元以下罚款。"
    ]
    assert fined_act_missing("假冒他人专利的罚多少钱？", obstruct)
    # 被…查到的话罚多少: being caught is no act; the act is the clause before
    assert fined_act_missing("明知他在假冒专利，还把仓库租给他存货，被查到的话罚多少钱？", obstruct)
    assert not fined_act_missing("还拒不提供合同账簿，被查到的话罚多少钱？", obstruct)
    assert not fined_act_missing("拒不提供资料的罚多少钱？", obstruct)
    # a circumstance names no act; a fine whose case is another sentence's (有前款第一项行为的) cannot tell
    assert not fined_act_missing("情节不算严重的，可以罚多少？", obstruct)
    assert not fined_act_missing(
        "假冒他人专利的罚多少钱？", ["有前款第一项行为的，可以并处二万元以下的罚款。"]
    )
    assert not fined_act_missing("假冒他人专利的罚多少钱？", ["假冒他人专利的，处五万元以下的罚款。"])
    # the actor's words (服务机构) are no act, and 本条例 is not 本条: the case is in the sentence
    agency = ["违反本条例规定，中介服务机构出具虚假报告的，由主管部门处四千元以上二万元以下罚款。"]
    assert fined_act_missing("中介服务机构以不正当手段招揽业务的，罚多少钱？", agency)
    assert not fined_act_missing("中介服务机构出具虚假报告的，罚多少钱？", agency)
    # a verb of many objects (侵犯) names the act only with what is infringed
    again = ["再次侵犯同一专利权的，没收违法所得，并处违法经营额一倍以上五倍以下的罚款。"]
    assert fined_act_missing("侵犯商业秘密的，知识产权部门的行政罚款标准是多少？", again)
    assert not fined_act_missing("侵犯他人专利权的，知识产权部门的罚款标准是多少？", again)
    # 「…串通牟取不正当利益，被查到了罚多少钱」: the act is the clause before the one caught
    caught = "中介服务机构跟当事人串通牟取不正当利益，被查到了罚多少钱？"
    assert fined_act_missing(caught, again)
    colluding = ["中介服务机构与当事人串通，牟取不正当利益的，责令改正，处一万元以上三万元以下罚款。"]
    assert not fined_act_missing(caught, colluding)


def test_a_deadline_asked_for_one_act_is_not_answered_by_anothers() -> None:
    from assistant.answering.said import deadline_act_missing

    # a period after an event (公告以后要等多久) is no act's deadline
    waiting = ["自公告之日起30日内，著作权人不同意提供的，不得提供其作品。"]
    assert not deadline_act_missing("公告以后要等多久，著作权人没有异议才能提供？", waiting)
    assert deadline_act_missing("公告以后多久要支付报酬？", waiting)
    # 把X发给对方: the act is sending X, not the party it goes to
    sent = ["决定立案受理的，应当自立案受理之日起五日内，将请求书副本发送被请求人。"]
    assert not deadline_act_missing("立案以后多少天内要把请求书副本发给对方？", sent)
    told = ["有处理权限的部门应当自作出是否立案决定之日起五个工作日内告知举报人。"]
    assert deadline_act_missing("收到实名举报后，几个工作日内要决定立不立案？", told)
    assert not deadline_act_missing("立案以后几个工作日内要告诉举报人？", ["五个工作日内告诉举报人。"])
    assert not deadline_act_missing("几天内要回复？", ["应当在七日内答复。"])  # 回复 / 答复
    # the act may come late in the clause; a question word is not an act
    filed = ["应当自执业之日起30日内向所在地管理专利工作的部门备案。"]
    assert not deadline_act_missing("首次执业，要在几天内向哪里备案？", filed)
    assert not deadline_act_missing("要在几天内完成？", ["应当及时处理。"])  # no deadline given: other checks
    # the deadline governs the first act only (告知…并要求…提交), and a clause may follow its comma
    second = ["平台应当在三个工作日内告知被投诉人并要求其在指定期限内提交申辩材料。"]
    assert deadline_act_missing("被投诉人要在几个工作日内交申辩材料？", second)
    assert deadline_act_missing(
        "要在几日内决定受不受理？", ["应当在接到请求三十日内，将确认结果书面告知请求人。"]
    )
    # 把 puts the object first: the verb asked is the last one (撤下来, not 信息)
    shown = ["应当自作出决定之日起二十个工作日内将行政处罚信息通过信用信息公示系统进行公示。"]
    assert deadline_act_missing("要在几个工作日内把信息从系统上撤下来？", shown)
    # how long one is usually given (一般给多长时间) names no act: the act is the clause before
    revise = ["审批机关应当通知申请人在3个月内陈述意见或者予以修正。"]
    assert not deadline_act_missing("审批机关让我们说明情况或者修改，一般给多长时间？", revise)
    assert deadline_act_missing("一般多长时间内要缴纳审查费？", revise)
    # deciding on a request is not filing it, though both name the request (复审)
    review = ["申请人不服的，可以自收到通知之日起3个月内，向国务院知识产权行政部门请求复审。"]
    assert deadline_act_missing("复审请求提出后，要在多长时间内作出复审决定？", review)
    assert not deadline_act_missing("不服驳回决定的，多长时间内可以请求复审？", review)
    # a verb's result (改过来) is no act of its own: 通过 does not share the act 改
    shown_again = ["应当自作出决定之日起二十个工作日内将处罚信息通过公示系统进行公示。"]
    assert deadline_act_missing("信息公示错了，要在几个工作日内改过来？", shown_again)
    assert not deadline_act_missing("信息要在几个工作日内公示出来？", shown_again)
    # 要隔多久 asks a wait, no act's deadline
    barred = ["骗取政府专利资助、奖励的，撤销奖励，收回资助、奖励资金，五年内不得申报政府专利资助、奖励。"]
    assert not deadline_act_missing("他现在想再申报专利奖励，还能报吗？要隔多久？", barred)
    # 办完 names the handling as a whole, which any of its deadlines answers
    checked = ["作品登记机构应当自收齐申请材料之日起十五个工作日内完成作品登记核查工作。"]
    assert not deadline_act_missing("材料交齐了，登记机构应该在多长时间内办完？", checked)
    # 调解期限是多少天 names the act whose term is asked; another act's deadline does not answer it
    accepted = ["市知识产权局应当自收到处理请求书之日起五日内，作出是否受理的决定。"]
    assert deadline_act_missing("请市知识产权局调解纠纷，调解期限一般是多少天？", accepted)
    assert not deadline_act_missing("调解期限一般是多少天？", ["调解应当自受理之日起三十日内结束。"])


def test_how_long_an_act_lasts_or_takes_is_not_answered_by_another_acts_deadline() -> None:
    from assistant.answering.said import deadline_act_missing

    decided = ["行政执法委员会可以进行登记保存，并在七日内作出决定。"]
    assert deadline_act_missing("登记保存的证据，最长可以保存多久？", decided)  # the act before 多久
    assert not deadline_act_missing("登记保存后多久要作出决定？", decided)  # the act after 多久
    accepted = ["应当自收到请求书之日起三个工作日内作出是否受理决定。"]
    assert deadline_act_missing("维权援助多少个工作日能批下来？", accepted)
    # telling someone is one act, however it is worded
    told = ["应当在接到请求三十日内，将确认结果书面告知请求人。"]
    assert not deadline_act_missing("专利管理部门多久答复？", told)
    # 是否 is no act: 是否准许 is not 是否受理
    assert deadline_act_missing("主管机关要在多少个工作日内给出是否准许的答复？", accepted)
    # a decision of another kind has its own deadline; a decision asked as an act (要决定受不受理) has none
    assert deadline_act_missing("先行登记保存以后，要在几日内作出处理决定？", accepted)
    assert not deadline_act_missing("要在几日内作出受理决定？", accepted)
    assert not deadline_act_missing(
        "多长时间内要决定受不受理？", ["七个工作日内作出受理或者不予受理的决定。"]
    )
    # a figure asked (期限是多少天) is checked by its unit, not by an act
    assert not deadline_act_missing("起诉期限分别是多少天？", ["自收到通知之日起3个月内向人民法院起诉。"])


def test_a_figure_an_earlier_question_asks_for_must_be_given() -> None:
    from assistant.answering.abstain import unit_missing
    from assistant.answering.draft_checks import other_asks

    question = "申请登记要交几份材料？图样尺寸有什么要求？"
    asks = other_asks(question)
    assert asks == ["申请登记要交几份材料"]
    assert unit_missing(asks[0], ["（二）布图设计的复制件或者图样。"])
    assert not unit_missing(asks[0], ["调解书交双方各执一份，部门留存一份。"])
    assert other_asks("一共几份？") == []


def test_exceptions_claimed_figures_levels_and_bounds_must_be_what_the_answer_says() -> None:
    from assistant.answering.said import (
        bound_clash,
        claimed_figure_unanswered,
        exception_missing,
        level_missing,
    )

    rule = ["第十八条 代理机构不得以自己的名义申请专利。"]
    assert exception_missing("第十八条有例外吗？", rule)
    assert not exception_missing("第十八条有例外吗？", ["不得以自己的名义申请专利，但法律另有规定的除外。"])
    assert claimed_figure_unanswered("平台是不是要在24小时内转送？", ["平台应当及时转送。"])
    assert not claimed_figure_unanswered(
        "平台是不是要在24小时内转送？", ["平台应当在48小时内转送。"]
    )  # corrects it
    assert not claimed_figure_unanswered("是不是七天内更新就行？", ["应当立即更新。"])  # a definite time
    # a figure of the claim written in the answer (250 in 250天÷12月) answers it
    assert not claimed_figure_unanswered("是拿一年250个工作日除以12个月算的吗？", ["月工作日：250天÷12月。"])
    # a figure told before the clause asked (算出来是2.6天) is the asker's story, not a claim
    assert not claimed_figure_unanswered("算出来是2.6天，剩下的也要折成钱吗？", ["不足1整天的部分不支付。"])
    assert not claimed_figure_unanswered("平台要在多长时间内转送？", ["平台应当及时转送。"])  # no claim
    assert level_missing("一审归哪一级法院管辖？", ["人民法院应当依法审理。"])
    assert not level_missing("一审归哪一级法院管辖？", ["由中级人民法院管辖。"])
    # a tier of government names the level without 级
    asked = "专利纠纷由哪一级的部门处理？"
    assert not level_missing(asked, ["由省人民政府管理专利工作的部门处理。"])
    assert level_missing(asked, ["由管理专利工作的部门处理。"])
    # a court of a level named: a rule for 人民法院 at large does not settle it
    base = "基层人民法院能不能受理？还是一审必须去中级人民法院？"
    assert level_missing(base, ["以他人侵犯其注册商标专用权提起诉讼的，人民法院应当受理。"])
    assert not level_missing(base, ["第一审案件由中级以上人民法院管辖。"])
    floor = ["应当提取不低于百分之六十的比例用于奖励。"]
    assert bound_clash("奖励比例最高不能超过百分之多少？", floor)
    assert not bound_clash("奖励比例最低是百分之多少？", floor)
    assert not bound_clash("最多能罚多少？", ["处一万元以上十万元以下的罚款。"])
    # only the bounds beside figures in the unit asked count: 五万元以上的 sets the case
    cap = ["违法经营额五万元以上的，可以处违法经营额五倍以下的罚款。"]
    assert bound_clash("违法经营额五万元以上的，罚款最低是几倍？", cap)
    assert not bound_clash("违法经营额五万元以上的，罚款最高是几倍？", cap)
    assert not bound_clash("罚款最低是几倍？", ["处违法经营额一倍以上五倍以下的罚款。"])
    # the unit of the question asking the bound, not of another one (多久内给 beside 至少给多少)
    paid = ["应当自收到转让费后三十日内，提取不低于百分之三十作为报酬支付发明人。"]
    assert not bound_clash("收到钱以后多久内得给发明人报酬？至少给多少？", paid)


def test_a_court_of_the_profiles_kind_names_the_court_asked() -> None:
    from assistant.answering.draft import Draft, Evidence
    from assistant.answering.draft_checks import act_stated
    from assistant.answering.said import level_missing

    asked = "基层人民法院能不能受理？还是要去中院？"
    ip_court, sea_court = ["由知识产权法院管辖。"], ["由海事法院管辖。"]
    courts = load_profile().courts  # the IP profile names its field's court (courts.txt)
    assert not level_missing(asked, ip_court, courts)
    assert level_missing(asked, ip_court)  # no profile: a court the engine does not know by kind
    assert level_missing(asked, sea_court, courts)
    assert not level_missing(asked, sea_court, ("海事法院",))  # another field's profile
    assert not level_missing(asked, ["由互联网法院管辖。"])  # general kinds are the engine's
    part = Chunk("n:6", "n", ("第六条",), "第六条 由海事法院管辖。", 0, 12, "item")
    draft = Draft()
    draft.add(sea_court[0], Evidence(part, 0.05, sea_court[0]))
    assert not act_stated(asked, draft)
    assert act_stated(asked, draft, ("海事法院",))


def test_a_list_of_what_is_excluded_is_not_answered_by_what_counts() -> None:
    from assistant.answering.said import negated_list_clash

    counts = ["具有下列情形之一的，应当认定权利人采取了相应保密措施：", "（一）签订保密协议的。"]
    assert negated_list_clash("第六条列了哪些不算保密措施的做法？", counts)
    assert not negated_list_clash("第六条列了哪些保密措施？", counts)
    excluded = ["有下列情形之一的，不属于价格欺诈行为：", "（一）标价错误及时更正的。"]
    assert not negated_list_clash("哪些情形不算价格欺诈？", excluded)
    # 除X外: X is excepted, the list is what may be done
    mediable = ["除侵权纠纷外，专利行政部门可以对下列专利纠纷进行调解：", "（一）权属纠纷。"]
    assert negated_list_clash("哪些专利纠纷不能调解？", mediable)
    assert not negated_list_clash("哪些情形不能适用？", ["除下列情形外，不予适用：", "（一）…"])
    # the excluded cases stated in a sentence of their own, beside the list of what is allowed
    stated = [
        "受到吊销营业执照等较为严重行政处罚的，不得提前停止公示。",
        "符合以下条件的，可以申请提前停止公示：",
    ]
    assert not negated_list_clash("受到哪些较重处罚的企业不能申请提前停止公示？", stated)
    assert negated_list_clash("哪些企业不能申请提前停止公示？", [stated[1], "（一）已经履行…不得…。"])


def test_contacts_alternatives_and_applicability_must_be_what_the_answer_names() -> None:
    from assistant.answering.said import alternative_missing, applies_missing, contact_missing

    channels = ["应当通过公布的互联网、电话、传真、邮寄地址、窗口等渠道进行。"]
    assert contact_missing("邮寄投诉材料，具体寄到哪个地址？", channels)
    assert not contact_missing("投诉电话是多少？", ["可以拨打12315投诉。"])
    assert contact_missing("年报在哪个网上系统填报？", ["建立专用标志使用情况年报制度。"])
    assert not contact_missing("年报在哪个网上系统填报？", ["通过地理标志信息平台填报。"])
    answered = ["要求其在收到副本之日起15日内提交答辩书。"]
    assert alternative_missing("这15日是按工作日算还是按自然日算？", answered)
    assert not alternative_missing("这个期限是按工作日还是自然日算？", ["该期限最长不超过20个工作日。"])
    where = "变更手续是到国务院专利行政部门办，还是到省里管专利工作的部门办？"
    assert alternative_missing(where, ["事项发生变化的，应当办理变更手续。"])  # names neither office
    assert not alternative_missing(where, ["应当向国务院专利行政部门办理变更手续。"])
    body = "这里的专利管理部门是科技局还是市场监管局？"
    assert alternative_missing(body, ["管理专利工作的部门负责本行政区域的专利管理工作。"])  # names neither
    assert not alternative_missing(body, ["由市场监督管理局负责专利管理工作。"])
    assert not alternative_missing("这事归市场监管局还是知识产权局管？", ["由知识产权局负责。"])
    # two figures: either one, in digits or Chinese numerals, answers; a third figure does not
    months = "驳回期限到底有多长？是12个月还是18个月？"
    assert alternative_missing(months, ["自登记之日起3个月内，应当提交材料。"])
    assert not alternative_missing(months, ["驳回期限为十八个月。"])
    assert not alternative_missing(months, ["驳回期限为12个月。"])
    formula = ["季工作日：250天÷4季=62.5天/季。"]
    assert applies_missing("这个算法适用于实行综合计算工时制的职工吗？", formula)
    assert not applies_missing(
        "这个算法适用于实行综合计算工时制的职工吗？", ["实行综合计算工时制的，按此折算。"]
    )
    assert not applies_missing("申请再审的案件能适用这个批复吗？", formula)  # the document itself


def test_the_rule_a_penalty_punishes_breaking_is_read_down_to_its_paragraph() -> None:
    from assistant.answering.support import broken_rules

    text = "第十六条 任何单位不得假冒专利。\n\n任何单位不得为前款行为提供便利条件。"
    article = Chunk("a16", "d", ("第三章", "第十六条"), text, 0, len(text), "item")
    fine = "违反本条例第十六条第二款规定的，处二万元以下罚款。"
    assert broken_rules(fine, [article]) == ["任何单位不得为前款行为提供便利条件。"]
    assert broken_rules("违反本条例第十六条规定的，处罚款。", [article]) == [text]
    assert broken_rules("违反本条例第九条规定的，处罚款。", [article]) == []  # not in the passages


def test_why_a_document_was_made_is_its_opening_purpose_passage() -> None:
    from assistant.answering.support import asks_purpose, purpose_chunk

    assert asks_purpose("这个办法的立法目的是什么？")
    assert asks_purpose("当初为什么要出这个办法？是根据哪部法律定的？")
    assert asks_purpose("那个批复当初是因为什么出的？")
    assert not asks_purpose("投诉要在几个工作日内受理？")
    rules = [
        Chunk("m:2", "m", ("第二条",), "第二条 处理投诉举报，适用本办法。", 40, 60, "item"),
        Chunk("m:1", "m", ("第一条",), "第一条 为规范投诉处理，根据《某某法》，制定本办法。", 10, 40, "item"),
    ]
    assert purpose_chunk(rules) is rules[1]
    reply = Chunk(
        "r:0", "r", (), "近来，部分高级人民法院向本院提出了请示。经研究，批复如下。", 0, 30, "preamble"
    )
    assert purpose_chunk([reply]) is reply
    assert purpose_chunk(rules[:1]) is None


def test_a_shortened_name_abbreviates_the_written_one() -> None:
    from assistant.answering.support import abbreviates

    assert abbreviates("市场监管", "市场监督管理部门应当")
    assert abbreviates("民企", "支持民营企业")
    assert not abbreviates("案子", "审理的案件")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("员工已经多休了几天，公司能从工资里扣回来吗？", QType.YES_NO),  # 多休了几天 tells, asks nothing
        ("个体户雇了几个伙计，伙计能不能享受年休假？", QType.YES_NO),
        ("换过好几家单位，工龄算不算？", QType.EXPLANATION),
        ("年休假有几天？", QType.NUMBER),
        ("雇工要连续工作几个月？", QType.NUMBER),
        ("请求书要交一式几份？", QType.NUMBER),
        ("建台帐要如实记哪些东西？要达到什么效果？", QType.ENUMERATION),
        ("建台帐要达到什么效果？", QType.EXPLANATION),  # an effect, not a target figure
        ("到2020年专利申请量要达到多少？", QType.NUMBER),
    ],
)
def test_a_number_told_in_passing_is_not_asked(question: str, expected: QType) -> None:
    assert classify(question) is expected


def test_copies_in_chinese_numerals_are_a_figure() -> None:
    assert has_figure("交投诉人和被投诉人各执一份。")
    assert not has_figure("交投诉人和被投诉人各执。")


def test_a_list_of_another_kind_gives_way_to_the_series_of_the_kind_asked() -> None:
    from assistant.answering.compose import _series_of_kind

    article = (
        "第二十四条 请求处理纠纷，应当符合下列条件：（一）请求人是权利人；（二）有明确的被请求人。"
        "请求处理纠纷，应当递交请求书、主体资格证明、权利有效证明等材料。"
    )
    intro = "第二十四条 请求处理纠纷，应当符合下列条件："
    assert (
        _series_of_kind("要递交哪些材料？", intro, article)
        == "请求处理纠纷，应当递交请求书、主体资格证明、权利有效证明等材料。"
    )
    assert _series_of_kind("要符合哪些条件？", intro, article) is None  # the list is of the kind asked
    # a sentence naming the kind beside its own series of another thing is not it
    acts = "有下列行为之一的，予以处罚：（一）冒用标志；（二）伪造标志。前款所列情形，由甲、乙、丙部门查处。"
    assert _series_of_kind("有哪些情形？", "有下列行为之一的，予以处罚：", acts) is None


def test_this_document_of_a_type_is_the_corpus_only_one_of_that_type() -> None:
    from assistant.answering.answerer import _the_only_one

    metas = [
        DocumentMeta("reply", "最高人民法院关于网络侵权纠纷法律适用问题的批复", "r.txt"),
        DocumentMeta("a", "甲省专利条例", "a.txt"),
        DocumentMeta("b", "乙市专利条例", "b.txt"),
    ]
    assert _the_only_one("我的官司还在二审，能用这个批复吗？", metas) == ("reply",)
    assert _the_only_one("这个条例的罚款是多少？", metas) == ()  # two 条例: names neither
    assert _the_only_one("批复是哪年出的？", metas) == ()  # no pointing word: a common noun


def test_changed_asks_for_the_amendment_notes() -> None:
    assert asks_history("这个办法后来改过没有？是哪天、根据哪个决定改的？")


def _numbered(n: int, text: str) -> Chunk:
    """Article n of a one-document corpus "s", as the chunker cuts it."""
    return Chunk(f"s:{n}", "s", (f"第{n}条",), text, n * 100, n * 100 + len(text), "item")


def test_whether_rules_reach_a_case_is_answered_by_the_passage_extending_them_to_it() -> None:
    from assistant.answering.support import reach_chunk

    chunks = [
        _numbered(9, "第九条 商标近似，是指被控侵权的商标与原告的注册商标相比较，其文字的字形相似。"),
        _numbered(23, "第二十三条 本解释有关商品商标的规定，适用于服务商标。"),
    ]
    asked = "我们注册的是服务商标，不是商品商标。这套判断标准对我们也管用吗？"
    assert reach_chunk(asked, chunks) is chunks[1]
    assert reach_chunk("我们注册的是服务商标，近似怎么判断？", chunks) is None  # not whether rules reach it
    assert reach_chunk("这套标准对集体商标也管用吗？", chunks) is None  # a case no passage extends them to


def test_the_list_asked_is_found_by_its_lead_in() -> None:
    from assistant.answering.support import list_introducing

    chunks = [
        _numbered(1, "第一条 为了预防和制止价格欺诈，制定本规定。"),
        _numbered(8, "第八条 著作权人享有下列权利：（一）发表权；（二）署名权。"),
        _numbered(16, "第十六条 合法复制品所有人享有下列权利：（一）装入计算机；（二）制作备份。"),
        _numbered(19, "第十九条 经营者不得实施下列价格欺诈行为：（一）虚构原价；（二）虚假优惠。"),
        _numbered(21, "第二十一条 有下列情形之一的，不属于价格欺诈行为：（一）误差。"),
    ]
    assert list_introducing("这个规定列了哪些价格欺诈行为？", chunks) is chunks[3]
    assert list_introducing("合法复制品所有人有哪些权利？", chunks) is chunks[2]  # the lead-in sharing most
    assert list_introducing("价格欺诈是什么意思？", chunks) is None
    # the cases counted as X: 「下列情形属于…X：」, though the question names 情况 and the lead-in 情形
    reasons = _numbered(
        67, "第六十七条 下列情形属于商标法第四十九条规定的正当理由：（一）不可抗力；（二）破产清算。"
    )
    assert list_introducing("哪些情况能算没使用的正当理由？", [*chunks, reasons]) is reasons


def test_a_rule_forbidding_is_what_a_question_on_what_may_not_be_done_asks() -> None:
    from assistant.answering.sentences import prohibition_said

    forbids = "当事人受到吊销营业执照等较为严重行政处罚的，不得提前停止公示。"
    assert prohibition_said("哪些企业不能申请提前停止公示", forbids)
    assert not prohibition_said("能不能申请提前停止公示", forbids)  # asks whether, forbids nothing
    assert not prohibition_said("哪些企业可以申请提前停止公示", forbids)
    assert not prohibition_said("哪些企业不能申请提前停止公示", "符合以下条件的，可以申请提前停止公示：")


def test_a_figure_set_in_a_list_item_is_found_by_its_lead_in_and_quoted_with_it() -> None:
    text = (
        "第二十一条 有下列情形之一的，终止调解：\n\n（一）投诉人撤回投诉的；\n\n"
        "（二）自投诉受理之日起四十五个工作日内未能达成调解协议的。\n\n"
        "终止调解的，应当自作出终止调解决定之日起七个工作日内告知投诉人。"
    )
    chunk = Chunk("c:21", "c", ("第二十一条",), text, 0, len(text), "item")
    ctx = Context(
        analyse("投诉受理后一直调解不成，过了多少个工作日就终止调解？"), ("投诉", "受理", "调解", "工作日", "终止"),
        frozenset(), [RankedHit(0, chunk, 0.05, 0.8, 1.0, 0.0, True)], {"c": [chunk]},
        {"c": DocumentMeta("c", "投诉处理办法", "c.txt")}, (),
    )  # fmt: skip
    lines = [line.text for line in compose(ctx).lines]
    assert lines[:2] == [
        "第二十一条 有下列情形之一的，终止调解：",
        "（二）自投诉受理之日起四十五个工作日内未能达成调解协议的。",
    ]


def test_a_figure_per_period_is_the_one_written_for_that_period() -> None:
    from assistant.answering.candidates import Candidate
    from assistant.answering.numbers import per_period_first
    from assistant.answering.sentences import sentences

    chunk = Chunk(
        "w:1", "w", ("一、计算",), "年工作日：365天-104天=250天。季工作日：250天÷4季=62.5天/季。", 0, 40
    )
    hit = RankedHit(0, chunk, 0.5, 0.8, 0.0, 0.5, True)
    year, quarter = sentences(chunk.text)[:2]
    ranked = [Candidate(0.9, hit, year), Candidate(0.8, hit, quarter)]
    assert per_period_first("年工作日250天，每季多少天？", ranked)[0].span is quarter
    assert per_period_first("年工作日是多少天？", ranked)[0].span is year  # no period asked
    # the measure named for the period (季工作日) though a monthly one outranks it
    assert per_period_first("季工作日如何计算？是多少天？", ranked)[0].span is quarter


def test_a_yes_no_question_on_a_thing_no_document_names_is_not_settled() -> None:
    from assistant.answering.said import yes_no_predicate
    from assistant.answering.support import unnamed_thing
    from assistant.retrieval.keyword import tag

    corpus = "用人单位应当支付未休年休假工资报酬。授权委托书应当载明委托事项。不延及开发软件所用的思想。"

    def share(word: str) -> float:
        return 1.0 if word in corpus else 0.0

    def unsettled(question: str, answer: str) -> str | None:
        return unnamed_thing(tag(yes_no_predicate(question)), frozenset(), share, answer)

    assert yes_no_predicate("这笔钱要不要交个人所得税？") == "交个人所得税"
    assert yes_no_predicate("有没有扶持民营企业的措施？") == ""  # measures asked: the measures answer
    assert yes_no_predicate("保护期是多少年？") == ""
    assert unsettled("这笔报酬要不要交个人所得税？", "应当支付未休年休假工资报酬。") == "个人所得税"
    assert unsettled("委托书需不需要先去公证处公证？", "授权委托书应当载明委托事项。") == "公证处"
    # a word the documents use is settled by them either way; a modifier of a written noun narrows it
    assert unsettled("要不要支付工资报酬？", "应当支付未休年休假工资报酬。") is None
    assert unsettled("保护会不会延及算法思想？", "不延及开发软件所用的思想。") is None
    # a phrase pointing back at the question's own words (这两点, 那件事) is no thing
    assert unsettled("有没有这两点？", "应当支付未休年休假工资报酬。") is None
    # a numeral's unit run into the next word (365天先) is no thing
    assert unsettled("是不是365天先减掉休息日再除以12？", "365天-104天（休息日）=250天。") is None


def test_a_modal_is_a_word_of_the_question_not_the_first_character_of_one() -> None:
    from assistant.answering.said import yes_no_predicate

    # 会 of 会员价, 要 of 要求: the predicate starts at the question's own modal
    assert yes_no_predicate("会员价和用了优惠券的成交价算不算在里面？") == "在里面"
    assert yes_no_predicate("要求提交的材料可以网上交吗？") == "网上交"
    # a modal ending a word (不能) is still one
    assert yes_no_predicate("公司不能拒绝吗？") == "拒绝"


def test_a_yes_no_question_about_one_document_turns_on_a_thing_it_names() -> None:
    from assistant.answering.said import yes_no_predicate
    from assistant.answering.support import unnamed_noun
    from assistant.retrieval.keyword import tag

    document = "省人民政府应当利用大型展会促进版权授权交易。约定的奖励数额不得低于最低标准。"

    def off_document(question: str) -> str | None:
        return unnamed_noun(tag(yes_no_predicate(question)), frozenset(), lambda _: 0.0, document)

    assert off_document("能不能要求展会主办方当场把侵权展品撤下来？") == "主办方"
    assert off_document("能不能利用展会促进版权交易？") is None
    # a stand-in for a party (对方) or a bound the text writes as a figure (下限) names no thing
    assert off_document("为调查花的钱，能让对方出吗？") is None
    assert off_document("奖励有没有下限？") is None
    # the capacity one acts in (以…的身份) names no thing; the party does
    assert off_document("我能以展会主办方的身份去起诉吗？") == "主办方"
    assert off_document("我能以约定的身份去起诉吗？") is None


class _OneDocument:
    """Just what the answerer's off-document check reads: the named document's text and the profile."""

    _yes_no_off_document = ExtractiveAnswerer._yes_no_off_document
    _predicate_words = ExtractiveAnswerer._predicate_words

    def __init__(self, text: str, synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> None:
        self.text, self.profile = text, Profile(synonyms=synonyms)

    def knowledge(self, state: object) -> object:
        return SimpleNamespace(texts={"d": self.text})

    def _name_words(self, state: object, text: str) -> list[str]:
        return []

    def _plain_words(self, state: object, text: str) -> frozenset[str]:
        return frozenset()


def test_a_colloquial_word_the_profile_bridges_is_named_by_the_formal_one() -> None:
    text = "被授予专利权的单位可以与发明人约定奖励的方式和数额。"
    question = "单位给发明人的奖金能自己跟发明人商量吗？"
    assert _OneDocument(text)._yes_no_off_document(None, question, ("d",)) == "商量"  # type: ignore[arg-type]
    bridged = _OneDocument(text, (("商量", ("约定", "协商")),))
    assert bridged._yes_no_off_document(None, question, ("d",)) is None  # type: ignore[arg-type]
    # a question naming no single document is not this check's
    assert _OneDocument(text)._yes_no_off_document(None, question, ()) is None  # type: ignore[arg-type]


def test_a_figure_continuing_a_rule_after_a_semicolon_brings_the_rule() -> None:
    from assistant.answering.candidates import Candidate
    from assistant.answering.numbers import _continued_rule
    from assistant.answering.sentences import sentences

    text = (
        "第四十八条 中介机构出具虚假报告的，并处违法所得三倍以下的罚款；没有违法所得的，处五万元以下的罚款。"
    )
    chunk = Chunk("z:48", "z", ("第四十八条",), text, 0, len(text), "item")
    hit = RankedHit(0, chunk, 0.5, 0.8, 0.0, 0.5, True)
    rule, case = sentences(text)[:2]
    assert _continued_rule(Candidate(0.9, hit, case)) == rule
    assert _continued_rule(Candidate(0.9, hit, rule)) is None


def test_when_a_document_the_corpus_only_cites_was_issued_comes_from_the_citing_passage() -> None:
    text = (
        "第二十七条 本规定自2022年7月1日起施行。2000年10月31日原某委员会令第8号发布的《关于旧价格的规定》"
        "同时废止。"
    )
    chunk = Chunk("p:27", "p", ("第二十七条",), text, 0, len(text), "item")
    ctx = Context(
        analyse("被废止的《关于旧价格的规定》是哪天、以哪个令发布的？"), ("废止",), frozenset(),
        [RankedHit(0, chunk, 0.05, 0.8, 1.0, 0.0, True)], {"p": [chunk]},
        {"p": DocumentMeta("p", "新价格规定", "p.txt")}, (),
    )  # fmt: skip
    lines = [line.text for line in compose(ctx).lines]
    assert lines == ["2000年10月31日原某委员会令第8号发布的《关于旧价格的规定》。"]


@pytest.mark.parametrize(
    ("question", "line"),
    [
        ("被这个规定废止的旧规定是哪天发布的？", "2000年10月31日原某委员会令第8号发布的《关于旧价格的规定》同时废止。"),
        ("被新价格规定废止的旧规定，文号是什么？", "《关于旧价格的规定》的文号是价发[2000]8号。"),
    ],
)  # fmt: skip
def test_the_document_a_named_one_abolished_is_dated_by_the_abolishing_passage(
    question: str, line: str
) -> None:
    text = (
        "第二十七条 本规定自2022年7月1日起施行。2000年10月31日原某委员会令第8号发布的《关于旧价格的规定》"
        "（价发[2000]8号）同时废止。"
    )
    if "文号" not in question:
        text = text.replace("（价发[2000]8号）", "")
    chunk = Chunk("p:27", "p", ("第二十七条",), text, 0, len(text), "item")
    ctx = Context(
        analyse(question), ("废止",), frozenset(), [RankedHit(0, chunk, 0.05, 0.8, 1.0, 0.0, True)],
        {"p": [chunk]}, {"p": DocumentMeta("p", "新价格规定", "p.txt", date="2022-05-01")}, ("p",),
    )  # fmt: skip
    assert [line.text for line in compose(ctx).lines] == [line]


def _compare(question: str, terms: tuple[str, ...], first: Chunk, second: Chunk) -> list[str]:
    """The lines composed for a comparison of two documents, each with one passage."""
    metas = {c.doc_id: DocumentMeta(c.doc_id, f"{c.doc_id}规定", f"{c.doc_id}.txt") for c in (first, second)}
    ctx = Context(
        analyse(question), terms, frozenset(),
        [RankedHit(0, first, 0.05, 0.8, 1.0, 0.0, True), RankedHit(1, second, 0.04, 0.8, 1.0, 0.0, True)],
        {first.doc_id: [first], second.doc_id: [second]}, metas, (first.doc_id, second.doc_id),
    )  # fmt: skip
    return [line.text for line in compose(ctx).lines]


def test_a_document_of_a_comparison_with_only_its_head_note_to_offer_says_nothing_was_found() -> None:
    fine = "第二十七条 擅自开展专利代理业务的，处10万元以下的罚款。"
    rule = Chunk("甲", "甲", ("第二十七条",), fine, 0, len(fine), "item")
    note = Chunk("乙", "乙", (), "2001年12月20日某某国务院令第339号公布", 0, 20, "preamble")
    lines = _compare("甲规定和乙规定分别规定了多少罚款上限？", ("罚款", "上限"), rule, note)
    assert any("10万元" in line for line in lines)
    assert "在《乙规定》中没有找到所问的内容。" in lines
    assert not any("339号" in line for line in lines)  # the head note is not the second side's figure


def test_a_comparison_side_whose_best_sentence_shares_no_word_of_the_question_has_nothing_on_it() -> None:
    limit = "第十六条 竞业限制的期限最长不得超过二年。"
    purpose = "第一条 为了建立高水平知识产权保护制度，制定本规定。"
    a = Chunk("甲", "甲", ("第十六条",), limit, 0, len(limit), "item")
    b = Chunk("乙", "乙", ("第一条",), purpose, 0, len(purpose), "item")
    lines = _compare("甲规定和乙规定分别对竞业限制怎么规定？", ("竞业限制",), a, b)
    assert any("二年" in line for line in lines)
    assert "在《乙规定》中没有找到所问的内容。" in lines


def test_a_why_question_is_answered_only_by_a_reason() -> None:
    from assistant.answering.said import reason_missing

    rule = ["第十二条 布图设计专有权的保护期为10年，自布图设计登记申请之日起计算。"]
    assert reason_missing("布图设计专有权保护期为什么只有10年？", rule)
    assert not reason_missing("布图设计专有权保护期是多少年？", rule)  # no reason asked
    purpose = ["第一条 为了规范经营者明码标价行为，预防和制止价格欺诈，制定本规定。"]
    assert not reason_missing("当初为什么要出这个规定？", purpose)
    ground = ["按照《劳动法》第五十一条的规定，法定节假日用人单位应当依法支付工资。"]
    assert not reason_missing("折算日工资的时候，为什么不把法定节假日扣掉？", ground)
    assert not reason_missing("这个批复当初是因为什么出的？", ["部分高级人民法院也向本院提出了请示。"])
    # 「而不是Y」: a text that never names Y gives no reason for choosing X over it
    paid = ["按照其日工资收入的300%支付未休年休假工资报酬。", "依照本条例规定执行。"]
    assert reason_missing("为什么按日工资的300%给钱，而不是200%？", paid)
    assert not reason_missing("为什么按日工资的300%给钱，而不是300%？", paid)


def test_a_question_beyond_its_premise_is_not_answered_by_the_premise_again() -> None:
    from assistant.answering.said import premise_only

    rule = ["第九条 申请人对驳回决定不服的，可以自收到通知之日起30日内请求复核。"]
    # the premise restates the rule; what follows 那 asks something the rule never writes
    assert premise_only("你刚说不服驳回决定可以请求复核。那复核要交多少手续费？", rule)
    assert premise_only("条例说驳回不服可以请求复核，那复核期间能不能先停产？", rule)
    # the answer writes what follows 那
    assert not premise_only("你刚说不服驳回决定可以请求复核。那多少日内请求复核？", rule)
    assert not premise_only("我对驳回决定不服，那能不能请求复核？", rule)
    # nothing new after 那 (the premise is what is asked about), or no premise at all
    assert not premise_only("条例说驳回不服可以请求复核，那复核呢？", rule)
    assert not premise_only("驳回决定不服的，复核要交多少手续费？", rule)
    # 那个/那些 point at a thing: no premise is split off
    assert not premise_only("驳回以后，那个复核要交多少手续费？", rule)
    # so do 那段/那笔 (那段时间的事): a period or a sum, not a conjunction
    assert not premise_only("驳回以后，那段时间的损失还能找他们要说法吗？", rule)


def test_a_month_of_the_year_is_not_a_span_of_months() -> None:
    from assistant.answering.said import month_missing

    span = ["前款所称月工资是指支付前12个月剔除加班工资后的月平均工资。"]
    assert month_missing("未休年假的工资报酬最晚每年几月份发？", span)
    assert not month_missing("未休年假的工资报酬最晚每年几月份发？", ["应当于每年3月31日前发放。"])
    assert not month_missing("工资报酬按几个月的平均工资算？", span)  # a span is asked


def test_what_to_hand_in_is_not_a_list_of_matters() -> None:
    from assistant.answering.said import papers_missing

    matters = [
        "主管部门可以对下列事项进行调查：",
        "（一）进口货物侵犯知识产权的。",
        "（二）不提供充分保护的。",
    ]
    assert papers_missing("申请启动调查，要交哪些材料？", matters)
    assert not papers_missing("申请启动调查，要交哪些材料？", ["申请人应当提交申请书和权属证明。"])
    assert not papers_missing("主管部门可以调查哪些事项？", matters)  # no paper asked


def test_who_bears_a_cost_is_said_only_where_the_fee_is() -> None:
    from assistant.answering.said import payer_missing

    rule = ["需要鉴定的，由市科学技术行政管理部门推荐专家进行鉴定。"]
    assert payer_missing("技术鉴定的鉴定费由谁出？", rule)
    assert not payer_missing("技术鉴定的鉴定费由谁出？", ["鉴定所需费用由双方协商一致承担。"])
    # of several questions the last asks: the fee was the earlier one's
    assert not payer_missing("鉴定费谁出？鉴定时间算不算在期限里？", ["鉴定所需时间不计算在期限内。"])


def test_a_case_asked_by_an_absence_is_the_sentence_stating_it() -> None:
    from assistant.answering.sentences import absence_said

    asked = "合作开发的软件，事先没有约定的，著作权归谁？"
    assert absence_said(asked, "合同未作明确约定的，由各合作开发者共同享有。")
    assert absence_said(asked, "无约定的，共同享有。")
    assert not absence_said(asked, "其著作权的归属由合作开发者签订书面合同约定。")
    assert not absence_said("著作权归谁？", "合同未作明确约定的，由各合作开发者共同享有。")


def test_a_later_text_than_the_one_held_is_not_held() -> None:
    from assistant.answering.abstain import REASON_TEXT
    from assistant.answering.history import asks_later_text

    assert asks_later_text("强省工作方案（试行）后来的正式版是哪一年印发的？")
    assert asks_later_text("这个暂行办法之后出了新版没有？")
    assert not asks_later_text("强省工作方案（试行）是哪一年印发的？")
    assert not asks_later_text("试点结束后，正式推广到哪些省？")
    assert "后续版本" in REASON_TEXT["later_text"]


def test_an_earlier_text_of_a_document_is_not_the_one_held() -> None:
    from assistant.answering.history import asks_old_text
    from assistant.models import DocumentMeta

    current = [
        DocumentMeta(
            "p", "专利代理条例", "p.md", adopted="1991-03-04", amended="2018-09-06", effective="2019-03-01"
        )
    ]
    assert asks_old_text("1991年那版专利代理条例，对报考条件是怎么规定的？", current)
    assert asks_old_text("该条例2000年最初通过的文本，竞业限制期限最长是几年？", current)
    assert asks_old_text("该条例1991年最初通过的那一版，罚款上限是多少？", current)
    assert asks_old_text("修订前的条例对此有规定吗？", current)
    # a year of the current text names the text held
    assert not asks_old_text("2018年那版条例对报考条件是怎么规定的？", current)
    assert not asks_old_text("专利代理条例对报考条件是怎么规定的？", current)
    assert asks_old_text("被它废止的2000年那个旧通知里，月工作日是多少天？", current)
    assert not asks_old_text("施行后，哪个旧规定废止了？", current)  # which was repealed: the text held says


def test_a_date_asked_of_an_earlier_text_is_not_the_current_texts() -> None:
    from assistant.answering.draft import Draft, Evidence
    from assistant.answering.draft_checks import old_text_answered
    from assistant.answering.question import QType
    from assistant.models import DocumentMeta

    metas = {"z": DocumentMeta("z", "若干规定", "z.md", adopted="2006-05-17", amended="2014-10-29")}
    rule = "本规定自2015年1月1日起施行。"
    draft = Draft()
    draft.add(rule, Evidence(Chunk("a35", "z", ("第三十五条",), rule, 0, 20, "item"), 1.0, rule))
    assert not old_text_answered("最早2006年那一版是从哪天开始施行的？", draft, QType.DATE, metas)
    assert old_text_answered("2014年修订的这一版是从哪天开始施行的？", draft, QType.DATE, metas)
    assert old_text_answered("这个规定是从哪天开始施行的？", draft, QType.DATE, metas)
    # the earlier text's own line answers it
    notes = Draft()
    note = "2006年5月17日淄博市人大常委会通过。"
    notes.add(note, Evidence(Chunk("h", "z", (), note, 0, 20, "preamble"), 1.0, note))
    assert old_text_answered("2006年那一版是哪天通过的？", notes, QType.DATE, metas)


def test_a_fine_for_the_rule_asked_is_not_taken_for_another_rules() -> None:
    from assistant.answering.draft import Draft, Evidence
    from assistant.answering.draft_checks import fine_for_another_rule

    rule = "第三十七条 中介服务机构不得出具虚假报告。"
    fine = "第四十八条 违反本条例第三十七条规定，专利中介服务机构出具虚假报告的，可以并处违法所得一倍以上三倍的罚款。"
    chunks = {"d": [Chunk("a37", "d", ("第三十七条",), rule, 0, 20, "item")]}
    penalty = Chunk("a48", "d", ("第四十八条",), fine, 20, 80, "item")
    draft = Draft()
    draft.add(fine, Evidence(penalty, 1.0, fine))
    asked = "专利中介机构出具虚假报告的，罚款是违法所得的几倍？"
    # 中介机构 is written as 中介服务机构, and 几倍 asks: nothing of the question is left to another rule
    assert not fine_for_another_rule(asked, draft, ["中介机构", "几倍", "虚假", "报告"], chunks)
    assert fine_for_another_rule("假冒专利的罚款是违法所得的几倍？", draft, ["假冒", "几倍"], chunks)


def test_a_fine_naming_the_asked_breach_as_its_case_is_for_it() -> None:
    from assistant.answering.draft import Draft, Evidence
    from assistant.answering.draft_checks import fine_for_another_rule

    rule = "第十八条 任何单位和个人不得假冒专利。"
    fine = "第三十三条 违反本条例第十八条第一款规定假冒专利的，没收违法所得，可以并处罚款。"
    chunks = {"d": [Chunk("a18", "d", ("第十八条",), rule, 0, 20, "item")]}
    draft = Draft()
    draft.add(fine, Evidence(Chunk("a33", "d", ("第三十三条",), fine, 20, 80, "item"), 1.0, fine))
    # the asker's own words (查不出, 除了) are in neither the fine nor the rule, yet the fine names 假冒专利
    terms = ["查不出", "假冒", "除了", "罚款", "处理"]
    assert not fine_for_another_rule(
        "假冒专利查不出违法所得的，罚多少？除了罚款还有什么处理？", draft, terms, chunks
    )
    # a fine whose case only mentions the asked breach inside a longer one is still another rule's
    other = "违反本条例第十八条规定，明知对方为假冒专利，为其提供场所等便利条件的，可以处二万元以下的罚款。"
    draft = Draft()
    draft.add(other, Evidence(Chunk("a40", "d", ("第四十条",), other, 80, 140, "item"), 1.0, other))
    assert fine_for_another_rule("对假冒专利行为本身罚款多少？", draft, ["假冒", "行为", "本身"], chunks)


def test_a_target_asked_for_a_year_comes_from_that_years_passage() -> None:
    from assistant.answering.draft import Draft, Evidence
    from assistant.answering.draft_checks import target_year_stated

    text = "到2030年，基本形成战略格局。\n\n——建成3—4个引领型知识产权强省。"
    goals = Chunk("g", "d", ("(三)主要目标",), text, 0, len(text), "section")
    draft = Draft()
    draft.add("——建成3—4个引领型知识产权强省。", Evidence(goals, 1.0, "——建成3—4个引领型知识产权强省"))
    assert not target_year_stated("到2025年建成几个引领型知识产权强省？", draft)
    assert target_year_stated("到2030年建成几个引领型知识产权强省？", draft)
    assert target_year_stated("要建成几个引领型知识产权强省？", draft)  # no year asked
    undated = Chunk("u", "d", ("目标",), "建成3个强省。", 0, 7, "section")
    plain = Draft()
    plain.add("建成3个强省。", Evidence(undated, 1.0, "建成3个强省"))
    assert target_year_stated("到2025年建成几个强省？", plain)  # a passage naming no year


def test_a_figure_asked_for_a_year_comes_from_that_years_section() -> None:
    from assistant.answering.draft import Draft, Evidence
    from assistant.answering.draft_checks import target_year_stated

    lead = Chunk("l", "d", ("一、目标",), "到2020年，我省知识产权水平大幅提升。", 0, 18, "section")
    text = "每万人口发明专利拥有量力争达到4.2件。"
    goal = Chunk("g", "d", ("一、目标", "——创造水平提高"), text, 18, 40, "section")
    draft = Draft()
    draft.add(text, Evidence(goal, 1.0, text))
    chunks = {"d": [lead, goal]}
    metas = {
        "d": DocumentMeta("d", "某省实施意见", "d.md", date="2016-07-13", doc_number="某政发〔2016〕27号")
    }
    number = QType.NUMBER
    # the year is the section lead's (到2020年，…), not the one asked
    assert not target_year_stated("2015年每万人口发明专利拥有量是多少件？", draft, number, metas, chunks)
    assert target_year_stated("2020年每万人口发明专利拥有量要达到多少件？", draft, number, metas, chunks)
    # the document's own year names the document, not the figure's year
    assert target_year_stated(
        "2016年那个意见里，每万人口发明专利要达到多少件？", draft, number, metas, chunks
    )
    assert target_year_stated("2015年每万人口发明专利拥有量是多少件？", draft, number, metas, {})


def test_who_makes_a_thing_the_text_names_is_not_who_issued_the_document() -> None:
    from assistant.answering.support import maker_stated

    text = ["第十条 考试合格的，由主管部门颁发资格证。资格考试办法由国务院主管部门制定。"]
    assert maker_stated("资格考试的考试办法由哪个部门制定？", text)
    assert not maker_stated("这个条例是哪个部门制定的？", text)
    assert not maker_stated("资格考试的考试办法由哪个部门制定？", ["本条例自公布之日起施行。"])


def test_a_measure_asked_for_one_period_is_not_answered_by_anothers() -> None:
    from assistant.answering.said import period_term_clash

    monthly = ["月计薪天数=（365天-104天）÷12月=21.75天。"]
    assert period_term_clash("算季度工资时用的季计薪天数是多少天？", monthly)
    assert not period_term_clash("月计薪天数是多少天？", monthly)
    # the year's figure stated, the quarter's asked: only the asking clause counts
    assert not period_term_clash(
        "年工作日250天，按季度分摊，每季多少天？", ["季工作日：250天÷4季=62.5天/季。"]
    )


def test_a_period_word_asks_the_period_of_its_act() -> None:
    from assistant.answering.answerer import _period_of_act

    # 「被请求人…应当在十五日内提交答辩书」 gives 答辩期 without writing it
    assert _period_of_act("答辩期") == "答辩"
    assert _period_of_act("异议期限") == "异议"
    assert _period_of_act("保护期间") == "保护"
    assert _period_of_act("注册资本") == "注册资本"
    assert _period_of_act("期限") == "期限"  # no act before it
    assert _period_of_act(None) is None


def test_a_sanction_asked_is_answered_only_by_lines_that_punish() -> None:
    from assistant.answering.draft import Draft
    from assistant.answering.draft_checks import sanction_stated

    def draft(*lines: str) -> Draft:
        found = Draft()
        for line in lines:
            found.add(line)
        return found

    duty = draft("第二十七条 商业企业应当建立专利商品进货确认制度，防止销售假冒专利的商品。")
    fine = draft(
        "第三十条 违反本条例第二十七条规定的，由管理专利工作的部门责令改正，可以处五千元以下的罚款。"
    )
    assert not sanction_stated("没有建立进货确认制度，会被怎么处罚？", duty)
    assert sanction_stated("没有建立进货确认制度，会被怎么处罚？", fine)
    assert sanction_stated("处罚信息公示规定是哪天公布的？", duty)  # a title with 罚 asks no sanction
    assert sanction_stated("投诉受理后怎么处理？", duty)  # how a matter is handled is no sanction


def test_the_thing_measured_must_be_in_the_answer() -> None:
    from assistant.answering.said import measured_missing

    fund = ["其规模占本级财政一般预算支出的比例应当不低于0.15%。"]
    assert measured_missing("对产业化项目给贷款贴息，贴息比例是多少？", fund)
    assert not measured_missing("专项资金占财政支出的比例是多少？", ["专项资金规模占支出的比例不低于0.15%。"])
    assert measured_missing("情节严重是指涉案金额多少以上？", ["情节严重的，处三万元以上十万元以下罚款。"])
    assert not measured_missing("罚款是多少？", fund)  # no measured thing named


def test_a_counted_option_is_found_as_the_document_writes_the_count() -> None:
    from assistant.answering.said import alternative_missing

    asked = "源程序和目标程序算一个作品还是两个？"
    assert not alternative_missing(asked, ["同一计算机程序的源程序和目标程序为同一作品。"])
    assert alternative_missing(asked, ["文档是指用来描述程序的文字资料。"])  # names neither
    # a bare 两个 is no option to look for: any 二 in the text would match it
    assert alternative_missing(
        "算一个还是两个？", ["第二条 本条例所称计算机软件，是指计算机程序及其有关文档。"]
    )


def test_the_body_approving_a_document_is_blanked_before_documents_are_named() -> None:
    from assistant.answering.answerer import approvers_blanked

    asked = "青岛的规定修正后报山东省人大常委会批准，是哪天批准的？"
    assert approvers_blanked(asked) == "青岛的规定修正后报" + "某" * 8 + "批准，是哪天批准的？"
    assert approvers_blanked("报请国务院备案了吗？") == "报请某某某备案了吗？"
    # the issuer of the asked document is not an approver
    assert approvers_blanked("山东省人大常委会的专利条例是哪天通过的？").startswith("山东省人大常委会")


def test_who_set_a_rule_is_not_the_thing_a_figure_question_asks() -> None:
    from assistant.answering.support import anchor_clause

    assert (
        anchor_clause("这个通知为啥要调整？国家规定的节日假期原来几天、现在几天？")
        == "节日假期原来几天、现在几天"
    )
    assert anchor_clause("按照条例规定的期限是多少天？") == "期限是多少天"
    assert anchor_clause("年休假是多少天？") == "年休假是多少天"


def test_a_chapter_outline_is_never_quoted_as_a_sentence_of_the_text() -> None:
    article = "第二十条 管理部门应当自受理纠纷后的五日内，将请求书副本发送被请求人。被请求人应当在十五日内提交答辩书。"
    body = "第三章 纠纷处理\n第十九条 管理部门应当在五日内作出是否受理的决定。\n" + article
    outline_text = "第三章 纠纷处理\n第十九条 管理部门应当在五日内\n第二十条 管理部门应当自受理纠纷后的五日内"
    outline = Chunk("d:3", "d", ("第三章 纠纷处理",), outline_text, 0, len(body), "section")
    item = Chunk(
        "d:20", "d", ("第三章 纠纷处理", "第二十条"), article, len(body) - len(article), len(body), "item"
    )
    ctx = Context(
        analyse("受理以后对方多久要交答辩书？"), ("受理", "对方", "答辩书"), frozenset(),
        [RankedHit(0, outline, 0.06, 0.8, 1.0, 0.0, True), RankedHit(1, item, 0.05, 0.8, 1.0, 0.0, True)],
        {"d": [outline, item]}, {"d": DocumentMeta("d", "纠纷处理办法", "d.txt")}, (),
    )  # fmt: skip
    found = sentence_candidates(ctx, None)
    assert found and all(c.hit.chunk is item for c in found)
    assert all(c.span.text in article for c in found)


def test_the_method_of_the_act_asked_how_is_the_answer() -> None:
    from assistant.answering.sentences import states_method

    formula = "前款规定的折算方法为：（当年度已过日历天数÷365天）×全年应当享受的年休假天数。"
    assert states_method("离职时没休完的年假天数怎么折算？", formula)
    assert not states_method("离职时没休完的年假天数怎么计算？", formula)  # another act's method
    assert not states_method("年假天数折算吗？", formula)  # asks whether, not how
    assert not states_method("离职时没休完的年假天数怎么折算？", "应当按照已工作时间折算应休未休天数。")


def test_a_moment_set_by_an_event_answers_when_not_a_deadline_beside_it() -> None:
    event = (
        "第八条 对于应当公示的处罚决定，在送达处罚决定书时，管理部门应当书面告知当事人处罚信息将向社会公示。"
    )
    deadline = "第九条 管理部门应当自作出处罚决定之日起二十个工作日内将处罚信息向社会公示。"
    first = Chunk("d:8", "d", ("第八条",), event, 0, len(event), "item")
    second = Chunk("d:9", "d", ("第九条",), deadline, len(event), len(event) + len(deadline), "item")
    question = "处罚信息要向社会公示的，管理部门在什么时候告诉当事人？"
    ctx = Context(
        analyse(question), ("处罚", "信息", "公示", "告诉", "当事人"), frozenset(),
        [RankedHit(0, first, 0.06, 0.8, 1.0, 0.0, True), RankedHit(1, second, 0.05, 0.8, 1.0, 0.0, True)],
        {"d": [first, second]}, {"d": DocumentMeta("d", "处罚信息公示规定", "d.txt")}, (),
    )  # fmt: skip
    assert ctx.info.qtype is QType.DATE
    assert compose(ctx).lines[0].text.startswith(event.rstrip("。"))


def test_the_members_asked_of_a_term_are_not_answered_by_the_term_named_again() -> None:
    from assistant.answering.said import members_missing

    named = ["推荐、认定、考核和复查反映创新能力的荣誉称号，应当把是否拥有自主专利作为主要条件之一。"]
    assert members_missing("这里的荣誉称号具体包括哪些？", named)
    assert members_missing("条例说的“有关人员”，具体指哪些人？", ["可以根据需要邀请有关人员协助。"])
    # a list of something else (行使下列职权) does not list the cases asked
    powers = ["处理有重大影响的专利侵权案件时，可以行使下列职权：", "（一）询问当事人。"]
    assert members_missing("“有重大影响的专利侵权案件”，具体包括哪几类案件？", powers)
    assert not members_missing("处理这类案件，具体有哪些职权？", powers)
    # the members given: after 包括, in a list led by the term, or as 「A、B等X」
    assert not members_missing("保密措施具体包括哪些？", ["保密措施包括签订保密协议、限定知悉范围。"])
    acts = ["有下列行为之一的，属于侵权行为：", "（一）擅自复制的。"]
    assert not members_missing("侵权行为具体包括哪些？", acts)
    honours = ["授予劳动模范、先进工作者等荣誉称号时，应当审查其专利。"]
    assert not members_missing("荣誉称号具体包括哪些？", honours)
    assert not members_missing("荣誉称号有哪些？", named)  # no 具体: an ordinary list question
    # a term defined where it is introduced (…部门（以下称知识产权管理部门）) names its members
    defined = ["国务院负责商标、专利等知识产权管理工作的部门（以下称知识产权管理部门）加强指导。"]
    assert not members_missing("反复说的“知识产权管理部门”，具体指哪些部门？", defined)
    # items under a heading (二、…格局：6.…) are the members, whatever the heading calls them
    tasks = ["（二）构建知识产权大保护工作格局：", "6.加大知识产权行政执法力度：建立保护责任制。"]
    assert not members_missing("其中大保护格局具体有哪些部署？", tasks)


def test_a_time_limit_asked_is_not_answered_by_a_time_figure_in_a_formula() -> None:
    from assistant.answering.said import within_missing

    formula = ["（当年度在本单位已过日历天数÷365天）×职工本人全年应当享受的年休假天数"]
    assert within_missing("这笔赔偿金，单位最迟得在几天内付给职工？", formula)
    assert not within_missing("这笔赔偿金几天内要付？", ["应当自收到决定之日起15日内支付。"])
    assert not within_missing("这笔赔偿金几天内要付？", ["应当及时支付。"])  # how soon, said in words
    assert not within_missing("年休假一年有几天？", formula)  # no time limit asked
