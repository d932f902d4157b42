"""Extractive composition (pure) over hand-built passages modelled on the seeds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from assistant.answering.compose import compose, compose_responsibility
from assistant.answering.context import Context
from assistant.answering.numbers import key_clauses
from assistant.answering.question import QType, QuestionInfo, analyse
from assistant.answering.sentences import bigram_set, fuzzy_term_hits, has_target_figure
from assistant.grounding import is_supported, strip_markers
from assistant.models import Chunk, DocumentMeta
from assistant.retrieval.fusion import RankedHit

DOC = "jl"


def chunk(cid: str, section: tuple[str, ...], text: str, start: int, kind: str = "item") -> Chunk:
    return Chunk(cid, DOC, section, text, start, start + len(text), kind)  # type: ignore[arg-type]


def hit(c: Chunk, score: float = 0.05) -> RankedHit:
    return RankedHit(0, c, score, 0.8, 1.0, 0.0, False)


def context(
    question: str, terms: Sequence[str], hits: Sequence[RankedHit], chunks: Sequence[Chunk]
) -> Context:
    meta = DocumentMeta(
        DOC, "关于新形势下加快知识产权强省建设的实施意见", "jl.txt", region="吉林省", level="省"
    )
    return Context(
        analyse(question),
        tuple(terms),
        frozenset(bigram_set(question)),
        list(hits),
        {DOC: sorted(chunks, key=lambda c: c.start)},
        {DOC: meta},
        (DOC,),
    )


def answer_text(ctx: Context) -> str:
    return " ".join(line.text for line in compose(ctx).lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("到2020年，我省知识产权整体水平得到大幅度提升", False),  # a year only
        ("2019—2020年期间，编制工作指引", False),  # a period
        ("3.积累经验，形成工作指引", False),  # an item number
        ("（2）加强保护", False),
        ("维持10年以上有效发明专利数达1600件", True),
        ("每万人口发明专利拥有量力争达到4.2件", True),
        ("建成4—5个特色型知识产权强省", True),
        ("满意度超过85%", True),
    ],
)
def test_has_target_figure(text: str, expected: bool) -> None:
    assert has_target_figure(text) is expected


def test_fuzzy_term_hits_gives_part_credit_for_a_variant_spelling() -> None:
    # 9 bigrams of 每万人发明专利拥有量, 8 of them in 每万人口发明专利拥有量 (人发 is not)
    score = fuzzy_term_hits(["每万人发明专利拥有量"], "每万人口发明专利拥有量力争达到4.2件")
    assert score == pytest.approx(8 / 9)
    assert fuzzy_term_hits(["专利保险"], "商标注册") == 0.0
    assert fuzzy_term_hits(["强县"], "对列入国家试点示范的知识产权强县") == 1.0


AWARDS = (
    "2.对列入国家知识产权试点示范的城市（地级市），一次性给予30万元的奖励，"
    "对列入国家试点示范的知识产权强县（区），一次性给予20万元的奖励。"
)


def test_key_clauses_keep_the_clause_that_leads_to_the_figure() -> None:
    ctx = context("强县奖励多少？", ["强县", "奖励"], [], [])
    assert key_clauses(ctx, AWARDS, has_target_figure) == (
        "对列入国家试点示范的知识产权强县（区），一次性给予20万元的奖励"
    )


TARGETS = (
    "到2020年，我省知识产权整体水平得到大幅度提升，建成一批知识产权强市、强县、强企。"
    "每万人口发明专利拥有量力争达到4.2件，年均增长10%以上。"
)


def test_a_number_answer_states_the_target_not_the_year() -> None:
    passage = chunk("t", ("一、目标任务",), TARGETS, 0, "section")
    ctx = context(
        "吉林省到2020年每万人发明专利拥有量目标是多少？",
        ["每万人发明专利拥有量", "目标"],
        [hit(passage)],
        [passage],
    )
    assert ctx.info.qtype is QType.NUMBER
    text = answer_text(ctx)
    assert "4.2件" in text
    assert "吉林省提出，到2020年。" not in text
    for line in compose(ctx).lines:  # every line stays supported by its cited passage
        assert is_supported(strip_markers(line.text), [e.chunk.text for e in line.evidence]), line.text


PRINCIPLES_PARENT = chunk(
    "p", ("一、总体要求",), "一、总体要求\n（一）指导思想\n（二）基本原则\n（三）主要目标", 0, "section"
)
GUIDING = chunk(
    "g", ("一、总体要求", "（一）指导思想"), "（一）指导思想\n以习近平新时代中国特色社会主义思想为指导。", 30
)
PRINCIPLES = chunk(
    "b",
    ("一、总体要求", "（二）基本原则"),
    "（二）基本原则\n坚持制度创新，深化改革。坚持统筹协调，形成合力。坚持因地制宜，落地见效。",
    70,
)
GOALS = chunk(
    "m", ("一、总体要求", "（三）主要目标"), "（三）主要目标\n2020年底，知识产权创造质量明显提高。", 120
)


def test_an_enumeration_naming_one_part_lists_that_part_inline() -> None:
    chunks = [PRINCIPLES_PARENT, GUIDING, PRINCIPLES, GOALS]
    ctx = context(
        "2020年工作指引提出了哪几条基本原则？",
        ["基本原则"],
        [hit(PRINCIPLES_PARENT), hit(PRINCIPLES)],
        chunks,
    )
    assert ctx.info.qtype is QType.ENUMERATION
    lines = [line.text for line in compose(ctx).lines]
    assert lines[0] == "（二）基本原则："
    assert lines[1:] == ["坚持制度创新，深化改革。", "坚持统筹协调，形成合力。", "坚持因地制宜，落地见效。"]


def test_an_enumeration_of_the_parent_lists_its_parts() -> None:
    chunks = [PRINCIPLES_PARENT, GUIDING, PRINCIPLES, GOALS]
    ctx = context("总体要求包括哪几个部分？", ["总体要求"], [hit(PRINCIPLES_PARENT)], chunks)
    lines = [line.text for line in compose(ctx).lines]
    assert lines[0] == "一、总体要求："
    # each part by its heading, followed by the gist of its body
    assert [line.split("：")[0].rstrip("。") for line in lines[1:]] == [
        "（一）指导思想",
        "（二）基本原则",
        "（三）主要目标",
    ]
    assert all(len(line) > len(line.split("：")[0]) + 2 for line in lines[1:])


ENVIRONMENT = chunk(
    "e",
    ("四、保障措施", "（五）营造良好环境"),
    "（五）营造良好环境\n构建知识产权宣传工作格局。充分利用世界知识产权日、中国专利周等节点开展宣传。",
    300,
)


def test_an_explanation_starting_at_a_heading_gives_its_body() -> None:
    ctx = context("营造良好环境是怎么安排的？", ["营造良好环境"], [hit(ENVIRONMENT)], [ENVIRONMENT])
    text = answer_text(ctx)
    assert "世界知识产权日" in text
    assert text.startswith("根据“（五）营造良好环境”，")


GUIDE_POLICY = chunk(
    "r1",
    ("三、政策护航", "（五）夯实工作体系"),
    "（五）夯实工作体系。（运用促进司负责）继续完善知识产权法律制度，积极配合做好专利法修改。",
    500,
    "section",
)
GUIDE_NEXT = chunk(
    "r2", ("三、政策护航", "（六）健全保护政策"), "（条法司负责）深化国际合作。（国际合作司负责）", 545
)


def test_responsibility_reads_the_marker_after_the_sentence_even_in_the_next_passage() -> None:
    ctx = context(
        "配合专利法修改的工作归哪个司？",
        ["专利法", "修改", "配合"],
        [hit(GUIDE_POLICY)],
        [GUIDE_POLICY, GUIDE_NEXT],
    )
    draft = compose_responsibility(ctx)
    assert draft is not None
    task, duty = draft.lines  # each line cites the passage that says it
    assert task.text == "积极配合做好专利法修改。"
    assert duty.text == "由条法司负责。"
    assert [e.chunk.chunk_id for e in task.evidence] == ["r1"]
    assert [e.chunk.chunk_id for e in duty.evidence] == ["r2"]


def _meta(doc_id: str, title: str, region: str | None = None, level: str | None = None) -> DocumentMeta:
    return DocumentMeta(doc_id=doc_id, title=title, source=f"{doc_id}.txt", region=region, level=level)


def test_question_info_for_a_period_is_a_date_question() -> None:
    info: QuestionInfo = analyse("强省建设的第二阶段是哪几年？")
    assert info.qtype is QType.DATE


# --- answers found by the form of the document ---------------------------------------------------

ARTICLE_SEVEN = chunk(
    "a7", ("第二章 权利", "第七条"), "第七条 著作权人享有的各项权利受本条例保护。", 200, "item"
)
ARTICLE_EIGHT = chunk(
    "a8",
    ("第二章 权利", "第八条"),
    "第八条 著作权人享有下列各项权利：\n（一）发表权，即决定是否公之于众的权利；\n（二）署名权，即表明身份的权利；"
    "\n（三）修改权，即对作品进行增补的权利。",
    260,
    "item",
)


def test_a_list_introduced_by_a_lower_passage_is_given_whole() -> None:
    # the best passages only mention the rights; the passage listing them ranks fourth
    others = [
        chunk(f"o{i}", ("第三章 许可", f"第{n}条"), f"第{n}条 著作权人可以许可他人行使其权利。", 400 + 40 * i)
        for i, n in enumerate(("十八", "十九"))
    ]
    hits = [hit(ARTICLE_SEVEN), *(hit(o) for o in others), hit(ARTICLE_EIGHT)]
    ctx = context("条例规定著作权人享有哪些权利？", ["著作权人", "权利"], hits, [])
    lines = [line.text for line in compose(ctx).lines]
    assert lines[0] == "第八条 著作权人享有下列各项权利："
    assert [line[:6] for line in lines[1:]] == ["（一）发表权", "（二）署名权", "（三）修改权"]


def test_a_right_ending_on_an_event_is_answered_by_that_event_not_the_documents_date() -> None:
    # 「从哪天起终止」 asks a bound of the right (自收到申请之日起), not when the document was issued
    rule = chunk(
        "a73",
        ("第七章 商标使用的管理", "第七十三条"),
        "第七十三条 经核准注销的，该注册商标专用权的效力自商标局收到其注销申请之日起终止。",
        0,
    )
    other = chunk("a9", ("第二章 申请", "第九条"), "第九条 申请人应当在2个月内提交材料。", 80)
    ctx = context("注销以后专用权从哪天起终止？", ["专用权", "终止"], [hit(rule), hit(other)], [rule, other])
    assert "自商标局收到其注销申请之日起终止" in answer_text(ctx)


def test_covers_asked_of_a_term_is_its_definition() -> None:
    # 「X具体包括哪些信息」: the sentence defining X by what it covers (前款中的X是指…等信息)
    rule = chunk(
        "a11",
        ("第十一条",),
        "第十一条 经营者收集消费者个人信息，应当经消费者同意。\n\n"
        "前款中的消费者个人信息是指经营者收集的消费者姓名、身份证件号码、联系方式等信息。",
        0,
    )
    ctx = context("办法里说的消费者个人信息，具体包括哪些信息？", ["消费者个人信息"], [hit(rule)], [rule])
    assert answer_text(ctx).startswith("前款中的消费者个人信息是指")


def test_a_definition_question_gets_the_defining_sentence() -> None:
    defining = chunk(
        "a2", ("第一章 总则", "第二条"), "第二条 本条例所称技术秘密，是指不为公众所知悉的技术信息。", 0
    )
    using = chunk("a9", ("第二章 保护", "第九条"), "第九条 技术秘密受法律保护，任何人不得侵犯。", 80)
    ctx = context(
        "条例里的“技术秘密”是指什么？", ["技术秘密"], [hit(using), hit(defining)], [defining, using]
    )
    draft = compose(ctx)
    assert [line.text for line in draft.lines] == [
        "第二条 本条例所称技术秘密，是指不为公众所知悉的技术信息。"
    ]
    assert draft.lines[0].evidence[0].chunk is defining


def test_addressees_come_from_the_preamble_and_their_absence_is_an_empty_answer() -> None:
    text = "关于印发某方案的通知\n云政发〔2020〕1号\n各州、市人民政府，省直各部门：\n现将方案印发给你们。"
    preamble = chunk("pre", (), text, 0, "preamble")
    ctx = context("实施意见是发给哪些单位的？", ["单位"], [hit(preamble)], [preamble])
    assert [line.text for line in compose(ctx).lines] == [
        "《关于新形势下加快知识产权强省建设的实施意见》发送给：各州、市人民政府，省直各部门。"
    ]
    plain = chunk("g", ("一、目标",), "一、目标\n到2020年建成强省。", 0, "section")
    empty = compose(context("实施意见是发给哪些单位的？", ["单位"], [hit(plain)], [plain]))
    assert empty.lines == [] and empty.about == "addressees"


def test_the_nth_point_of_a_section_counts_items_numbered_on_through_it() -> None:
    parts = [
        chunk("t", ("二、重点任务",), "二、重点任务", 0, "section"),
        chunk("s1", ("二、重点任务", "（一）深化改革"), "（一）深化改革", 10, "section"),
        chunk(
            "i1",
            ("二、重点任务", "（一）深化改革", "1.开展综合改革"),
            "1.开展综合改革\n推进综合管理改革。",
            20,
        ),
        chunk(
            "i2", ("二、重点任务", "（一）深化改革", "2.建立评议制度"), "2.建立评议制度\n开展评议试点。", 40
        ),
        chunk("s2", ("二、重点任务", "（二）严格保护"), "（二）严格保护", 60, "section"),
        chunk(
            "i3", ("二、重点任务", "（二）严格保护", "3.加大执法力度"), "3.加大执法力度\n开展专项行动。", 70
        ),
    ]
    ctx = context("重点任务的第二条是什么？", ["重点任务"], [hit(parts[0])], parts)
    lines = [line.text for line in compose(ctx).lines]
    assert lines[0] == "（一）深化改革："
    assert lines[1] == "2.建立评议制度："
    assert lines[2] == "开展评议试点。"


def test_a_figure_answer_brings_the_figure_of_the_other_case_that_follows() -> None:
    text = (
        "第二十一条 管理部门处理纠纷案件，应当在受理之日起四个月内作出处理决定。"
        "因特殊情况需要延长的，延长期限最长不得超过二个月。\n其他部门应当在三个月内配合。"
    )
    article = chunk("a21", ("第三章 保护", "第二十一条"), text, 0)
    ctx = context("处理纠纷要在多长时间内作出处理决定？", ["处理决定", "纠纷"], [hit(article)], [article])
    lines = [line.text for line in compose(ctx).lines]
    assert lines[-2:] == [
        "第二十一条 管理部门处理纠纷案件，应当在受理之日起四个月内作出处理决定。",
        "因特殊情况需要延长的，延长期限最长不得超过二个月。",
    ]
    # a sentence of the next paragraph is another rule, not the other case of this one
    assert not any("三个月" in line for line in lines)


def test_a_figure_sentence_with_every_word_asked_beats_a_better_ranked_one() -> None:
    national = chunk(
        "n",
        ("二、重点工作", "9.实施优势示范企业培育工程"),
        "9.实施优势示范企业培育工程。每年选择30家企业开展国家优势示范企业培育。",
        0,
    )
    filler = [
        chunk(
            f"f{i}",
            ("二、重点工作", f"{10 + i}.其他工作"),
            f"{10 + i}.其他工作。推进相关工作。",
            100 + 30 * i,
        )
        for i in range(3)
    ]
    provincial = chunk(
        "p",
        ("一、目标任务", "——运用效果显著增强"),
        "——运用效果显著增强。培育100家以上省级优势示范企业。",
        300,
    )
    hits = [hit(national, 0.06), *(hit(f, 0.05) for f in filler), hit(provincial, 0.05)]
    ctx = context("要培育多少家省级优势示范企业？", ["培育", "省级", "优势示范企业"], hits, [])
    assert ctx.info.qtype is QType.NUMBER
    assert "100家以上" in answer_text(ctx)


def test_a_sentence_that_is_only_a_responsibility_marker_is_skipped() -> None:
    text = "（五）开展专利调查。（战略规划司负责）\n深入推进全国专利调查工作。（战略规划司负责）"
    passage = chunk("r", ("三、任务", "（五）开展专利调查"), text, 0)
    ctx = context("专利调查由哪个司负责？", ["专利调查"], [hit(passage)], [passage])
    assert ctx.info.qtype is QType.RESPONSIBILITY
    lines = [line.text for line in compose_responsibility(ctx).lines]  # type: ignore[union-attr]
    assert lines and all("战略规划司负责" in line for line in lines)
    assert not any(line.startswith("，由") for line in lines)


def test_a_figure_is_picked_by_the_words_its_heading_does_not_say() -> None:
    # 发展目标 names the section; 专利 picks the sentence inside it
    goals = chunk(
        "g",
        ("二、发展目标",),
        "二、发展目标\n人才培养渠道得到发展，累计培训人才超过3000人。万人有效发明专利拥有量达360件。",
        0,
        "section",
    )
    ctx = context("发展目标里专利方面有什么指标？", ["发展", "专利", "目标", "指标"], [hit(goals)], [goals])
    assert ctx.info.qtype is QType.NUMBER
    assert "360件" in answer_text(ctx) and "3000人" not in answer_text(ctx)


def _named(question: str, meta: DocumentMeta, preamble: Chunk) -> Context:
    return replace(context(question, [], [hit(preamble)], [preamble]), docs={DOC: meta})


NOTICE_HEAD = chunk(
    "pre",
    (),
    "云岭省人民政府关于加快发展的实施意见\n云政发〔2020〕1号\n各州、市人民政府：\n现提出如下意见。\n2020年3月1日",
    0,
    "preamble",
)


def test_a_title_question_gets_the_named_documents_title() -> None:
    meta = DocumentMeta(DOC, "云岭省人民政府关于加快发展的实施意见", "jl.txt", doc_number="云政发〔2020〕1号")
    by_number = compose(_named("云政发〔2020〕1号是哪个文件？", meta, NOTICE_HEAD))
    assert [line.text for line in by_number.lines] == [
        "云政发〔2020〕1号是《云岭省人民政府关于加快发展的实施意见》。"
    ]
    by_genre = compose(_named("云政发〔2020〕1号印发的是什么意见？", meta, NOTICE_HEAD))
    assert [line.text for line in by_genre.lines] == [line.text for line in by_number.lines]
    by_name = compose(_named("这个实施意见的全称是什么？", meta, NOTICE_HEAD))
    assert [line.text for line in by_name.lines] == [
        "该文件的全称是《云岭省人民政府关于加快发展的实施意见》。"
    ]
    # the title of a document the named one cites is not the named one's
    cited = compose(_named("实施意见依据的那个通知，全称是什么？", meta, NOTICE_HEAD))
    assert not any("该文件的全称" in line.text for line in cited.lines)


def test_a_named_document_without_a_date_does_not_state_one() -> None:
    meta = DocumentMeta(DOC, "云岭省人民政府关于加快发展的实施意见", "jl.txt")
    draft = compose(_named("实施意见是什么时候发的？", meta, NOTICE_HEAD))
    assert draft.lines == [] and draft.about == "metadata"
    dated = replace(meta, date="2020-03-01")
    lines = [line.text for line in compose(_named("实施意见是什么时候发的？", dated, NOTICE_HEAD)).lines]
    assert lines == ["《云岭省人民政府关于加快发展的实施意见》的成文日期是2020年3月1日。"]


def test_an_outline_question_lists_the_top_level_parts_with_what_each_holds() -> None:
    parts = [
        chunk("p1", ("一、总体要求",), "一、总体要求", 0, "section"),
        chunk("p1a", ("一、总体要求", "（一）指导思想"), "（一）指导思想\n以创新为指导。", 10),
        chunk("p1b", ("一、总体要求", "（二）主要目标"), "（二）主要目标\n到2025年建成强省。", 30),
        chunk("p2", ("二、保障措施",), "二、保障措施\n加强组织领导。", 60, "section"),
        chunk("end", ("文末",), "云岭省人民政府\n2020年3月1日", 90, "paragraph"),
    ]
    ctx = context("实施意见分为哪几部分？", [], [hit(parts[0])], parts)
    lines = [line.text for line in compose(ctx).lines]
    assert lines == [
        "《关于新形势下加快知识产权强省建设的实施意见》分为2个部分：",
        "一、总体要求：指导思想、主要目标。",
        "二、保障措施：加强组织领导。",
    ]


def test_an_outline_of_chapters_gives_each_chapters_articles() -> None:
    parts = [
        chunk("c1", ("第一章 总则", "第一条"), "第一条 为了保护，制定本条例。", 0),
        chunk("c2", ("第一章 总则", "第二条"), "第二条 本条例适用于本省。", 20),
        chunk("c3", ("第二章 附则", "第三条"), "第三条 本条例自公布之日起施行。", 40),
    ]
    lines = [line.text for line in compose(context("条例分为几个部分？", [], [hit(parts[0])], parts)).lines]
    assert lines[1:] == ["第一章 总则（第一条至第二条）。", "第二章 附则（第三条）。"]


def test_a_series_asked_inside_one_part_is_answered_from_its_sentence_not_the_parts() -> None:
    # the question names the list only by its scope (甲类); what it asks is listed inside part 2's sentence
    parent = chunk("p", ("二、任务", "（二）甲类试点主要任务"), "（二）甲类试点主要任务", 100, kind="section")
    parts = [
        chunk("c1", (*parent.section, "1.提升创新能力"), "1.提升创新能力\n优化创新利益分配机制。", 120),
        chunk(
            "c2",
            (*parent.section, "2.健全实施体系"),
            "2.健全实施体系\n推动构建司法审判、行政执法、维权援助、仲裁调解等为一体的保护体系。",
            160,
        ),
        chunk("c3", (*parent.section, "3.推进专项改革"), "3.推进专项改革\n着力推进专项改革试验。", 220),
    ]
    ctx = context(
        "甲类试点要推动构建的保护体系包括哪些环节？",
        ["甲类", "试点", "推动", "构建", "保护体系", "环节"],
        [hit(parts[1], 0.06), hit(parent, 0.055), hit(parts[0]), hit(parts[2])],
        [parent, *parts],
    )
    assert ctx.info.qtype is QType.ENUMERATION
    text = answer_text(ctx)
    assert "司法审判、行政执法、维权援助、仲裁调解" in text
    assert "优化创新利益分配机制" not in text  # not the list of the parts


def test_the_doc_number_of_a_cited_document_comes_from_the_citing_passage() -> None:
    citing = chunk(
        "c", ("一、计算",), "根据《全国年节及纪念日放假办法》（国务院令第513号）的规定，假期增至11天。", 40
    )
    meta = DocumentMeta(DOC, "关于工资折算问题的通知", "jl.txt", doc_number="某部发〔2008〕3号")
    ctx = replace(
        context("通知提到的《全国年节及纪念日放假办法》是国务院令第几号？", [], [hit(citing)], [citing]),
        docs={DOC: meta},
    )
    assert [line.text for line in compose(ctx).lines] == [
        "《全国年节及纪念日放假办法》的文号是国务院令第513号。"
    ]
    unnumbered = replace(ctx, info=analyse("通知提到的《劳动法》是国务院令第几号？"))
    assert compose(unnumbered).lines == []  # cited without its 文号: not stated (not the citing one's)


def test_a_list_asked_of_a_section_written_as_sentences_gives_all_of_them() -> None:
    text = (
        "2.强化基础能力建设。巩固工作基础，健全管理体系。持续增加工作投入。优化激励政策。"
        "建设公共服务平台。加强各类人才的培养和储备。"
    )
    leaf = chunk("b", ("二、任务", "2.强化基础能力建设"), text, 200)
    ctx = context("在强化基础能力建设上要做哪些事？", ["强化", "基础能力建设"], [hit(leaf)], [leaf])
    assert ctx.info.qtype is QType.ENUMERATION
    said = answer_text(ctx)
    assert "建设公共服务平台" in said and "人才的培养和储备" in said  # past the third sentence


def test_a_named_part_written_as_sentences_is_listed_up_to_eight() -> None:
    sentences_ = "".join(f"措施{n}要落实到位。" for n in "一二三四五六七")
    parent = chunk("p", ("二、重点工作",), "二、重点工作", 0, kind="section")
    parts = [
        chunk("c1", ("二、重点工作", "6.加大执法保护力度"), f"6.加大执法保护力度\n{sentences_}", 20),
        chunk("c2", ("二、重点工作", "7.完善服务体系"), "7.完善服务体系\n建设服务平台。", 120),
    ]
    ctx = context(
        "加大执法保护力度有哪些措施？", ["执法保护", "力度"], [hit(parts[0]), hit(parent)], [parent, *parts]
    )
    said = answer_text(ctx)
    assert "措施七" in said  # the seventh sentence too, not five


def test_a_comparison_reads_a_named_document_whole_when_its_figure_ranks_low() -> None:
    a_fine = Chunk(
        "a25", "a", ("第二十五条",), "第二十五条 代理机构违规的，可以处10万元以下的罚款。", 0, 30, "item"
    )
    b_rule = Chunk(
        "b26", "b", ("第二十六条",), "第二十六条 中介服务机构不得泄露当事人的商业秘密。", 0, 30, "item"
    )
    b_fine = Chunk(
        "b31",
        "b",
        ("第三十一条",),
        "第三十一条 违反本条例第二十六条规定的，处二万元以下的罚款。",
        40,
        80,
        "item",
    )
    metas = {"a": DocumentMeta("a", "甲条例", "a.txt"), "b": DocumentMeta("b", "乙条例", "b.txt")}
    question = "甲条例和乙条例分别对代理机构、中介服务机构违规行为的罚款上限是多少？"
    ctx = Context(
        analyse(question),
        ("代理机构", "中介", "服务", "机构", "罚款", "违规行为"),
        frozenset(bigram_set(question)),
        [hit(a_fine), hit(b_rule)],  # the other document's fine is not among the best passages
        {"a": [a_fine], "b": [b_rule, b_fine]},
        metas,
        ("a", "b"),
    )
    said = answer_text(ctx)
    assert "10万元以下" in said and "二万元以下" in said


def _joint_work(other: str, other_second: bool) -> Context:
    """Two documents on jointly made works; document a has a second article on the case agreed nothing."""
    a_rule = Chunk(
        "a10", "a", ("第十条",), "第十条 合作开发的软件，著作权归属由合作开发者书面约定。", 0, 30, "item"
    )
    a_other = Chunk("a12", "a", ("第十二条",), other, 40, 80, "item")
    b_rule = Chunk(
        "b10", "b", ("第十条",), "第十条 合作创作的布图设计，专有权归属由合作者约定。", 0, 30, "item"
    )
    metas = {"a": DocumentMeta("a", "甲条例", "a.txt"), "b": DocumentMeta("b", "乙条例", "b.txt")}
    question = "甲条例和乙条例里，合作开发的软件和合作创作的布图设计，著作权归属分别怎么定？"
    hits = (
        [hit(a_rule), hit(a_other), hit(b_rule)] if other_second else [hit(a_rule), hit(b_rule), hit(a_other)]
    )
    return Context(
        analyse(question),
        ("合作", "开发", "软件", "著作权", "归属"),
        frozenset(bigram_set(question)),
        hits,
        {"a": [a_rule, a_other], "b": [b_rule]},
        metas,
        ("a", "b"),
    )


def test_a_comparison_gives_a_documents_second_point_when_it_matches_almost_as_well() -> None:
    ctx = _joint_work(
        "第十二条 合作开发的软件未作约定的，其著作权归属由合作开发者共同享有。", other_second=True
    )
    said = answer_text(ctx)
    assert "书面约定" in said and "共同享有" in said and "合作者约定" in said


def test_a_point_matching_less_well_is_given_as_a_further_point() -> None:
    from assistant.answering.compose import compose

    ctx = _joint_work("第十二条 合作开发的软件未作约定的，著作权由合作开发者共同享有。", other_second=False)
    lines = compose(ctx).lines
    further = [line for line in lines if line.extra]
    # in the answer, but the checks hold the answer to the best points alone
    assert [line.text for line in further] == [
        "第十二条 合作开发的软件未作约定的，著作权由合作开发者共同享有。"
    ]
    assert not any(line.extra for line in lines if "书面约定" in line.text or "合作者约定" in line.text)


def test_a_sub_heading_inside_a_passage_is_no_further_point() -> None:
    from assistant.answering.compose import _BARE_HEADING

    assert _BARE_HEADING.match("（一）指导思想。")
    assert _BARE_HEADING.match("4.支撑优势产业转型升级。")
    assert not _BARE_HEADING.match("（一）以加强知识产权运用和保护为主线，以深化改革为重点。")
    assert not _BARE_HEADING.match("职工在年休假期间享受与正常工作期间相同的工资收入。")


def test_an_explanation_reaching_a_list_gives_all_its_items_after_the_lead_in() -> None:
    items = "\n\n".join(f"（{n}）被告有第{n}种情形，且接触过被侵害的知识产权的；" for n in "一二三四五")
    text = (
        "第三条 对于侵害知识产权的故意的认定，人民法院应当综合考虑有关因素。\n\n"
        f"对于下列情形，人民法院可以初步认定被告具有侵害知识产权的故意：\n\n{items}"
    )
    article = chunk("a3", ("第三条",), text, 0)
    asked = "法院对侵害知识产权的故意的认定，要综合考虑什么？"
    ctx = context(asked, ["综合考虑", "因素", "认定"], [hit(article)], [article])
    lines = [line.text for line in compose(ctx).lines]
    assert lines[0].startswith("第三条")  # the sentence asked about, then what follows it
    lead = next(line for line in lines if line.startswith("对于下列情形"))
    assert lead.endswith("的故意：")  # the lead-in keeps its colon, with no full stop after it
    assert any("第五种情形" in line for line in lines)  # read on to the last item, not three sentences


def test_a_head_note_answers_only_a_question_about_the_documents_record() -> None:
    from assistant.answering.candidates import sentence_candidates

    note = chunk("p", (), "2008年7月17日经人力资源和社会保障部第6次部务会议通过。", 0, kind="preamble")
    rule = chunk(
        "a16", ("第十六条",), "第十六条 职工与用人单位因年休假发生的争议，依照劳动争议处理的规定处理。", 60
    )
    content = context(
        "年休假办法说，年假的事谈不拢该走什么途径？", ["年休假", "途径"], [hit(note), hit(rule)], [note, rule]
    )
    assert all(c.hit.chunk is not note for c in sentence_candidates(content, need_figure=None))
    record = context(
        "年休假办法是哪次部务会议通过的？", ["年休假", "部务会议"], [hit(note), hit(rule)], [note, rule]
    )
    assert any(c.hit.chunk is note for c in sentence_candidates(record, need_figure=None))


@pytest.mark.parametrize(
    ("text", "question", "terms", "issued", "said_instead"),
    [
        # the end of a period (保护期到哪天截止)
        (
            "自然人的软件著作权，保护期为自然人终生及其死亡后50年，截止于自然人死亡后第50年的12月31日。",
            "合作开发的软件，著作权保护期到哪天截止？",
            ["保护期", "截止"],
            "2001-12-20",
            "12月31日",
        ),
        # the start of one (这二年从哪天开始算)
        (
            "自行政处罚决定生效之日起二年内再次侵权的，可以从重处罚。",
            "二年内再犯可以从重处罚，这二年从哪天开始算？",
            ["二年", "从重"],
            "2021-10-28",
            "生效之日起",
        ),
    ],
)
def test_a_bound_of_a_period_the_text_sets_is_not_the_documents_date(
    text: str, question: str, terms: list[str], issued: str, said_instead: str
) -> None:
    article = chunk("a1", ("第十条",), text, 0)
    ctx = context(question, terms, [hit(article)], [article])
    ctx = replace(ctx, docs={DOC: replace(ctx.docs[DOC], issued=issued)})
    said = answer_text(ctx)
    assert said_instead in said and issued[:4] not in said


def test_a_figure_asked_for_each_of_two_things_gives_both() -> None:
    text = "16.深入开展区域试点示范工程。培育15个县（市、区）实施国家知识产权强县工程。培育3个国家知识产权试点园区。"
    item = chunk("i16", ("二、重点工作", "16.深入开展区域试点示范工程"), text, 0)
    asked = "实施强县工程的县和国家知识产权试点园区各要培育多少个？"
    said = answer_text(context(asked, ["强县工程", "试点园区", "培育"], [hit(item)], [item]))
    assert "15个" in said and "3个" in said
    one = answer_text(
        context("要培育多少个国家知识产权试点园区？", ["试点园区", "培育"], [hit(item)], [item])
    )
    assert "3个" in one and "15个" not in one
    # the two things and 分别 parted by a comma
    parted = "实施强县工程的县和国家知识产权试点园区，分别要培育多少个？"
    said = answer_text(context(parted, ["强县工程", "试点园区", "培育"], [hit(item)], [item]))
    assert "15个" in said and "3个" in said


def test_why_each_of_two_documents_was_made_is_each_ones_purpose_sentence() -> None:
    rules = Chunk(
        "r:1", "r", ("第一条",), "第一条 为正确审理案件，根据《民事诉讼法》，制定本规定。", 0, 30, "item"
    )
    other = Chunk("r:2", "r", ("第二条",), "第二条 本规定自公布之日起施行。", 30, 50, "item")
    reply = Chunk(
        "p:0", "p", (), "近来，部分高级人民法院向本院提出了请示。经研究，批复如下。", 0, 30, "preamble"
    )
    metas = {
        "r": DocumentMeta("r", "关于审理某类案件的规定", "r.md", genre="规定"),
        "p": DocumentMeta("p", "关于某类纠纷的批复", "p.md", genre="批复"),
    }
    ctx = Context(
        analyse("这个规定和那个批复，各自是根据什么、因为什么出台的？"),
        ("根据", "出台"),
        frozenset(bigram_set("各自是根据什么出台的")),
        [hit(other), hit(rules), hit(reply)],
        {"r": [rules, other], "p": [reply]},
        metas,
        ("r", "p"),
    )
    lines = [line.text for line in compose(ctx).lines]
    assert len(lines) == 2
    assert "民事诉讼法" in lines[0] and lines[0].startswith("《关于审理某类案件的规定》")
    assert "请示" in lines[1]


def test_where_the_questions_words_pick_no_sentence_the_closest_in_meaning_moves_up() -> None:
    from dataclasses import replace

    from assistant.answering.candidates import sentence_candidates

    text = "第七条 权利人可以申请查阅有关记录。第八条 被许可人不得擅自将作品翻译成其他语言文字后出售。"
    article = chunk("a7", ("第七条",), text, 0)
    asked = "买了使用许可，能不能自己翻成英文版拿去卖？"
    plain = context(asked, ["英文版", "拿去卖"], [hit(article)], [article])
    # a stand-in for the embedding model: the 翻译 sentence is the close one
    asked_of: list[list[str]] = []

    def closeness(sentences: Sequence[str]) -> list[float]:
        asked_of.append(list(sentences))
        return [0.9 if "翻译" in s else 0.6 for s in sentences]

    ranked = sentence_candidates(replace(plain, similarity=closeness), need_figure=None)
    assert "翻译" in ranked[0].span.text and asked_of
    # the question's own words pick the sentence: the model is not asked
    asked_of.clear()
    said = context("权利人可以申请查阅哪些记录？", ["权利人", "查阅", "记录"], [hit(article)], [article])
    ranked = sentence_candidates(replace(said, similarity=closeness), need_figure=None)
    assert "查阅" in ranked[0].span.text and not asked_of


def test_sentence_closeness_runs_the_model_once_per_sentence() -> None:
    from assistant.answering.answerer import _similarity
    from assistant.retrieval.searcher import HybridSearcher
    from tests.fake_embedder import HashEmbedder

    embedder = HashEmbedder()
    searcher = HybridSearcher(embedder)
    closeness = _similarity(searcher, searcher.encode("能不能翻成英文版卖"))
    first = closeness(["能不能翻成英文版卖", "权利人可以申请查阅有关记录", "权利人可以申请查阅有关记录"])
    assert abs(first[0] - 1.0) < 1e-5 and first[1] == first[2] and first[1] < first[0]
    encoded = embedder.encoded
    assert closeness(["权利人可以申请查阅有关记录"]) == [first[1]] and embedder.encoded == encoded


def test_an_exception_sentence_stays_with_its_rule() -> None:
    from assistant.answering.sentences import sentences

    text = "离职人员应当将技术资料交还原单位。当事人另有约定的除外。其他人员不得泄露。"
    assert [s.text for s in sentences(text)] == [
        "离职人员应当将技术资料交还原单位。当事人另有约定的除外。",
        "其他人员不得泄露。",
    ]
    merged = sentences(text)[0]
    assert text[merged.start : merged.end] == merged.text  # offsets still point into the passage
    # a paragraph of its own is not folded into the one before
    assert len(sentences("应当交还。\n法律另有规定的除外。")) == 2
    # nor is the sanction of not correcting separated from the order to correct
    ordered = "违反本条规定的，责令改正。拒不改正的，处一千元以上一万元以下罚款。情节严重的，处二万元罚款。"
    assert [s.text for s in sentences(ordered)] == [
        "违反本条规定的，责令改正。拒不改正的，处一千元以上一万元以下罚款。",
        "情节严重的，处二万元罚款。",
    ]


def test_a_procedure_asked_is_given_with_its_later_steps() -> None:
    text = (
        "第十九条 两个申请人在同一天申请注册近似商标的，各申请人应当自收到通知之日起30日内提交在先使用该商标的"
        "证据，以证明谁先使用，证据应当写明使用的时间、地点和商品。同日使用或者均未使用的，各申请人可以自行协商；"
        "协商不成的，以抽签的方式确定一个申请人。"
    )
    article = chunk("a19", ("第十九条",), text, 0)
    terms = ["同一天", "申请", "注册", "近似", "商标"]
    asked = context(
        "两个申请人同一天申请注册近似的商标，按什么程序确定由谁注册？", terms, [hit(article)], [article]
    )
    assert "抽签" in answer_text(asked)
    # a question of the first step only is answered by it
    first = context("两个申请人同一天申请注册近似的商标，要提交什么证据？", terms, [hit(article)], [article])
    assert "抽签" not in answer_text(first)


def test_a_figure_set_for_listed_cases_comes_with_the_case_asked() -> None:
    text = (
        "第八条 经营者有下列情形之一并超过十五日的，视为故意拖延：\n"
        "（一）经认定为不合格商品，自消费者提出退货要求之日起未退货的；\n"
        "（二）自约定期满之日起无正当理由拒不履行修理义务的。"
    )
    article = chunk("a8", ("第八条",), text, 0)
    terms = ["不合格", "商品", "退货", "故意", "拖延"]
    asked = context("不合格商品找商家退货，拖多少天算故意拖延？", terms, [hit(article)], [article])
    answer = answer_text(asked)
    assert "十五日" in answer and "提出退货要求之日起" in answer and "修理" not in answer


def test_a_penalty_going_on_after_a_semicolon_is_given_whole() -> None:
    rule = chunk("a10", ("第十条",), "第十条 任何单位和个人不得经依法处理后继续侵犯专利权。", 0)
    fine = chunk(
        "a31",
        ("第三十一条",),
        "第三十一条 违反本条例第十条规定的，没收违法所得，并处违法所得一倍以上三倍以下的罚款；"
        "没有违法所得的，处二千元以上二万元以下的罚款。",
        100,
    )
    terms = ["依法", "处理", "继续", "侵犯", "专利权"]
    # the duty is the best match: the article punishing its breach answers, all of it
    asked = context(
        "经依法处理后继续侵犯专利权的，怎样处罚？", terms, [hit(rule, 0.06), hit(fine)], [rule, fine]
    )
    assert "二千元以上二万元以下" in answer_text(asked)
    # the penalty sentence itself the best match
    alone = context("经依法处理后继续侵犯专利权的，怎样处罚？", terms, [hit(fine)], [fine])
    assert "二千元以上二万元以下" in answer_text(alone)
