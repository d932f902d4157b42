from __future__ import annotations

import math

import pytest

from assistant.evaluation import metrics as m

from .fakes import JILIN_APPLICATIONS, JILIN_PATENTS, JILIN_TRADEMARKS, SUPPORT_SYSTEM

GOAL_2020 = "到2020年，每万人口发明专利拥有量达到4.2件。"


# ---------------------------------------------------------------- ranking


def test_ranking_metrics_hand_computed() -> None:
    relevant = [False, True, False, True]
    assert m.hit_at_k(relevant, 1) == 0.0
    assert m.hit_at_k(relevant, 5) == 1.0
    assert m.mrr_at_k(relevant, 10) == 0.5
    assert m.mrr_at_k(relevant, 1) == 0.0
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    assert m.ndcg_at_k(relevant, 10) == pytest.approx(dcg / (1 + 1 / math.log2(3)))
    # with 3 relevant items in the collection the ideal ranking is better, so nDCG drops
    assert m.ndcg_at_k(relevant, 10, n_relevant=3) == pytest.approx(dcg / (1 + 1 / math.log2(3) + 0.5))
    assert m.recall_at_k(relevant, 2, n_relevant=2) == 0.5
    assert m.recall_at_k(relevant, 10, n_relevant=4) == 0.5


def test_ranking_metrics_empty() -> None:
    assert m.hit_at_k([], 5) == 0.0
    assert m.mrr_at_k([], 10) == 0.0
    assert m.ndcg_at_k([], 10) == 0.0
    assert m.ndcg_at_k([False, False], 10) == 0.0
    assert m.recall_at_k([True], 5, n_relevant=0) == 0.0


def test_section_match_normalises_width_spaces_and_dashes() -> None:
    path = "二、试点任务 › (二) 支撑型知识产权强省建设试点省主要任务"
    assert m.section_matches(path, ["（二）支撑型知识产权强省建设试点省主要任务"])
    assert m.section_matches("一、目标任务", ["目标 任务"])
    assert m.section_matches("2016—2020年重点工作", ["2016-2020年"])
    assert not m.section_matches(path, ["保障条件"])
    assert not m.section_matches(path, [""])


def test_gold_recall_counts_each_gold_heading_once() -> None:
    paths = ["一、总体思路 › (一) 指导思想", "二、试点任务", "四、保障条件"]
    assert m.gold_recall_at_k(paths, ["指导思想", "保障条件"], 3) == 1.0
    assert m.gold_recall_at_k(paths, ["指导思想", "保障条件"], 2) == 0.5
    assert m.gold_recall_at_k(paths, [], 3) == 0.0


# ---------------------------------------------------------------- key facts


def test_key_fact_recall_with_aliases_and_normalisation() -> None:
    answer = "每万人口发明专利拥有量力争达到４.２件[1]，实施期为2016—2020年。"
    facts = [["4.2件"], ["百分之十", "10%"], ["2016-2020年"], ["吉政发 〔2016〕27号"]]
    assert m.key_fact_recall(answer, facts) == 0.5
    assert m.missing_facts(answer, facts) == ["百分之十", "吉政发 〔2016〕27号"]
    assert not m.all_facts_match(answer, facts)
    assert m.all_facts_match(answer + "吉政发〔２０１６〕２７号", [facts[0], facts[2], facts[3]])


def test_key_fact_markers_do_not_create_matches() -> None:
    # "[1]" must not make "1" or "]" count as facts that are present
    assert m.key_fact_recall("达到4.2件[1]", [["1]"]]) == 0.0


def test_key_fact_recall_empty() -> None:
    assert m.key_fact_recall("任何回答", []) is None
    assert m.key_fact_recall("", [["4.2件"]]) == 0.0
    assert m.all_facts_match("", [])


# ---------------------------------------------------------------- citations


def test_swapped_number_is_unsupported() -> None:
    wrong = m.cited_sentences("到2020年每万人口发明专利拥有量达到4.5件[1]", {1: GOAL_2020})
    right = m.cited_sentences("到2020年每万人口发明专利拥有量达到4.2件[1]", {1: GOAL_2020})
    assert m.citation_recall(wrong) == 0.0
    assert m.citation_precision(wrong) == 0.0
    assert m.unsupported_sentences(wrong) == ["到2020年每万人口发明专利拥有量达到4.5件"]
    assert m.citation_recall(right) == 1.0
    assert m.citation_precision(right) == 1.0


def test_full_width_passage_supports_ascii_sentence() -> None:
    sentences = m.cited_sentences(
        "每万人口发明专利拥有量力争达到4.2件，年均增长10%以上[1]。", {1: JILIN_PATENTS}
    )
    assert m.citation_recall(sentences) == 1.0


def test_cited_sentences_maps_markers_to_passages() -> None:
    sentences = m.cited_sentences("甲句[1][2]。乙句[2][2]。丙句。", {1: "一", 2: "二"})
    assert [(s.text, s.cited, s.passages) for s in sentences] == [
        ("甲句。", (1, 2), ("一", "二")),
        ("乙句。", (2,), ("二",)),
        ("丙句。", (), ()),
    ]


def test_irrelevant_extra_citation_lowers_precision_only() -> None:
    # [2] alone does not support the sentence and [1] still does without it → [2] is irrelevant
    sentences = m.cited_sentences(
        "全省年专利申请量力争达到2.4万件[1][2]。", {1: JILIN_APPLICATIONS, 2: SUPPORT_SYSTEM}
    )
    assert m.citation_recall(sentences) == 1.0
    assert m.citation_precision(sentences) == 0.5


def test_jointly_needed_citations_are_all_relevant() -> None:
    text = "全省年专利申请量力争达到2.4万件，中国驰名商标总数力争达到160件[1][2]。"
    passages = {1: JILIN_APPLICATIONS, 2: JILIN_TRADEMARKS}
    alone = [m.cited_sentences(text.replace("[1][2]", f"[{n}]"), passages) for n in (1, 2)]
    assert [m.citation_recall(s) for s in alone] == [0.0, 0.0]  # each passage misses one figure
    both = m.cited_sentences(text, passages)
    assert m.citation_recall(both) == 1.0
    assert m.citation_precision(both) == 1.0


def test_recall_and_grounded_rate_differ_on_a_wrong_marker() -> None:
    # sentence 1 cites the wrong passage, sentence 2 has no marker, sentence 3 is right
    text = (
        "每万人口发明专利拥有量力争达到4.2件[2]。"
        "全省年专利申请量力争达到2.4万件。"
        "中国驰名商标总数力争达到160件[2]。"
    )
    passages = {1: JILIN_PATENTS, 2: JILIN_TRADEMARKS}
    sentences = m.cited_sentences(text, passages)
    assert m.citation_recall(sentences) == pytest.approx(1 / 3)
    assert m.citation_precision(sentences) == 0.5
    assert m.grounded_rate(sentences, [*passages.values(), JILIN_APPLICATIONS]) == pytest.approx(2 / 3)


def test_chinese_bigrams_not_characters_decide_support() -> None:
    # same characters, no shared bigram: unsupported; near-verbatim Chinese: supported
    scrambled = m.cited_sentences("制健度全体实系施[1]。", {1: SUPPORT_SYSTEM})
    verbatim = m.cited_sentences("要健全知识产权制度实施体系[1]。", {1: SUPPORT_SYSTEM})
    assert m.citation_recall(scrambled) == 0.0
    assert m.citation_recall(verbatim) == 1.0


def test_marker_without_citation_is_unsupported() -> None:
    sentences = m.cited_sentences("每万人口发明专利拥有量力争达到4.2件[3]。", {1: JILIN_PATENTS})
    assert sentences[0].passages == ("",)
    assert m.citation_recall(sentences) == 0.0
    assert m.citation_precision(sentences) == 0.0


def test_citation_metrics_empty() -> None:
    assert m.cited_sentences("", {}) == []
    assert m.citation_recall([]) == 0.0
    assert m.citation_precision([]) == 0.0
    assert m.grounded_rate([], []) == 0.0
    uncited = m.cited_sentences("没有引用的句子。", {})
    assert m.citation_precision(uncited) == 0.0
    assert m.grounded_rate(uncited, [JILIN_PATENTS]) == 0.0


# ---------------------------------------------------------------- refusals, latency, mean


def test_refusal_rates() -> None:
    assert m.refusal_recall([True, False, True, True]) == 0.75
    assert m.false_refusal_rate([False, False, True]) == pytest.approx(1 / 3)
    assert m.refusal_recall([]) is None
    assert m.false_refusal_rate([]) is None


def test_percentile_interpolates_like_numpy() -> None:
    assert m.percentile([40.0, 10.0, 30.0, 20.0], 50) == 25.0
    assert m.percentile([10.0, 20.0, 30.0, 40.0], 95) == pytest.approx(38.5)
    assert m.percentile([10.0, 20.0, 30.0, 40.0], 100) == 40.0
    assert m.percentile([5.0], 95) == 5.0
    assert m.percentile([], 50) is None


def test_mean_skips_undefined() -> None:
    assert m.mean([1.0, None, 0.0]) == 0.5
    assert m.mean([None]) is None
    assert m.mean([]) is None
