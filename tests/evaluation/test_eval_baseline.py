from __future__ import annotations

import pytest

from assistant.evaluation.baseline import CHUNK_SIZE, TOP_K, NaiveBaseline, heading_spans, section_at
from assistant.evaluation.runner import run_eval

from .fakes import JILIN, NATIONAL, BigramEmbeddings, scripted_engine

NATIONAL_TEXT = """加快推进知识产权强省建设工作方案(试行)

一、总体思路

(一) 指导思想

全面贯彻落实党的十八大和十八届三中、四中全会精神，按照"四个全面"战略布局，加快推进知识产权强省建设。

二、试点任务

(一) 引领型知识产权强省建设试点省主要任务

1.构建知识产权驱动型创新生态体系。构建以市场为主导、以知识产权利益分享为纽带、市场主体平等参与的知识产权驱动型创新生态体系，使知识产权制度成为实现市场化配置各类创新资源的基本制度。

(二) 支撑型知识产权强省建设试点省主要任务

1.提升知识产权支撑创新驱动发展能力。优化调整国家、单位、发明人、权利人与社会公众之间的创新利益分配机制，构建有利于技术扩散和市场价值实现的知识产权转移转化机制。

2.健全知识产权制度实施体系。构建与科技、经济、贸易、金融等政策有效融合的知识产权政策体系。建立体系完备、纵向联动、执行有力的知识产权行政管理体系。推动构建司法审判、综合行政执法、维权援助、仲裁调解和诚信评价等为一体的知识产权保护体系。

3.推进知识产权重点环节专项改革试验。结合区域知识产权事业发展阶段和优势特色，着力推进知识产权专项改革试验，促进知识产权运用、保护或管理等重点环节率先发展，并以率先发展的重点环节为核心和驱动力，带动知识产权链条上的其他环节深化发展，形成可复制推广的知识产权强省建设经验。

4.支撑优势产业转型升级。面向区域重点产业，实施一批专利导航项目，明晰创新方向和重点，优化创新资源配置，提高产业发展决策科学化水平。引导扶持传统优势制造业企业通过引进、消化、吸收、再创新专利技术，增强市场竞争能力，加快实现转型升级。

四、保障条件

(一) 加强组织领导。各试点省要成立由省级人民政府领导牵头的知识产权强省建设工作领导小组。
"""
JILIN_TEXT = """吉林省人民政府关于新形势下加快知识产权强省建设的实施意见

一、目标任务

到２０２０年，我省知识产权整体水平得到大幅度提升，知识产权强省建设取得决定性进展。

———知识产权创造水平显著提高。全省年专利申请量力争达到２.４万件。每万人口发明专利拥有量力争达到４.２件，年均增长１０％以上。全省国内有效注册商标总量力争达到１２万件，中国驰名商标总数力争达到１６０件。

二、重点工作

（一）深化知识产权领域改革。建立健全知识产权综合管理体制。
"""
DOCS = [(NATIONAL, NATIONAL_TEXT), (JILIN, JILIN_TEXT)]


@pytest.fixture(scope="module")
def baseline() -> NaiveBaseline:
    return NaiveBaseline(DOCS, BigramEmbeddings())


def test_heading_path_by_level() -> None:
    spans = heading_spans(NATIONAL_TEXT)
    assert [h for _, _, h in spans][:3] == ["一、总体思路", "(一) 指导思想", "二、试点任务"]
    position = NATIONAL_TEXT.index("健全知识产权制度实施体系")
    # long numbered items are body text, not headings
    assert section_at(spans, position) == ("二、试点任务", "(二) 支撑型知识产权强省建设试点省主要任务")
    assert section_at(spans, NATIONAL_TEXT.index("全面贯彻")) == ("一、总体思路", "(一) 指导思想")
    assert section_at(spans, 0) == ()


def test_markdown_marked_headings_are_found() -> None:
    spans = heading_spans("### 二、试点任务\n\n#### (二) 支撑型\n\n- 1.构建体系。\n")
    assert [(level, h) for _, level, h in spans] == [
        (0, "二、试点任务"),
        (1, "(二) 支撑型"),
        (2, "1.构建体系。"),
    ]


def test_answer_is_top_chunk_with_one_marker(baseline: NaiveBaseline) -> None:
    answer, hits = baseline.answer("每万人口发明专利拥有量目标")
    assert not answer.abstained
    assert answer.answer == hits[0].chunk.text + " [1]"
    assert "发明专利拥有量" in hits[0].chunk.text
    assert hits[0].chunk.doc_id == "003"
    assert "一、目标任务" in hits[0].chunk.text  # the chunk starts before the heading: section is ()
    assert len(hits) == len(answer.citations) == TOP_K
    assert [c.n for c in answer.citations] == [1, 2, 3, 4, 5]
    assert answer.citations[0].title == JILIN.title
    assert answer.citations[0].section == hits[0].chunk.section_path

    assert all(len(h.chunk.text) <= CHUNK_SIZE for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_chunks_carry_the_heading_path_in_force(baseline: NaiveBaseline) -> None:
    top = baseline.search("健全知识产权制度实施体系", k=1)[0].chunk
    assert top.doc_id == "000"
    assert top.section == ("二、试点任务", "(二) 支撑型知识产权强省建设试点省主要任务")


def test_chunk_offsets_point_into_the_clean_text(baseline: NaiveBaseline) -> None:
    for hit in baseline.search("知识产权制度实施体系", k=10):
        text = dict((m.doc_id, t) for m, t in DOCS)[hit.chunk.doc_id]
        assert text[hit.chunk.start : hit.chunk.end] == hit.chunk.text


def test_baseline_never_abstains_in_a_run() -> None:
    from assistant.evaluation.questions import load_questions

    from .test_eval_runner import FIXTURE

    engine = scripted_engine()
    report = run_eval(
        engine, load_questions(FIXTURE), NaiveBaseline(DOCS, BigramEmbeddings()), clock=engine.clock
    )
    assert report.baseline is not None
    assert report.baseline["refusal_recall"] == 0.0
    assert report.baseline["false_refusal_rate"] == 0.0
    assert report.baseline_by_category is not None
    q1 = report.items[0].baseline
    assert q1 is not None and q1.metrics["hit@5"] == 1.0  # the 吉林 goals chunk is found


def test_needs_documents() -> None:
    with pytest.raises(ValueError, match="at least one document"):
        NaiveBaseline([], BigramEmbeddings())
