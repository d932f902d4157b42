from __future__ import annotations

from assistant.answering.verify import verify_answer
from assistant.grounding import markers

from .passages import sources

SUPPORTED = "吉林省每万人口发明专利拥有量力争达到4.2件，年均增长10%以上[1]。"


def test_supported_sentence_is_kept_with_its_citation() -> None:
    result = verify_answer(SUPPORTED, sources())

    assert result.answer == SUPPORTED
    assert result.dropped_sentences == []
    assert [(c.n, c.doc_id) for c in result.citations] == [(1, "003")]
    # the quote is the passage sentence the claim rests on, for highlighting
    assert "每万人口发明专利拥有量力争达到４.２件" in result.citations[0].quote


def test_sentence_with_an_invented_figure_is_dropped() -> None:
    invented = "吉林省还将设立10亿元知识产权专项基金[1]。"

    result = verify_answer(SUPPORTED + invented, sources())

    assert result.answer == SUPPORTED
    assert result.dropped_sentences == ["吉林省还将设立10亿元知识产权专项基金。"]


def test_changed_number_is_dropped_even_though_the_wording_matches() -> None:
    # same words as the passage, but 5.6 instead of 4.2
    result = verify_answer("吉林省每万人口发明专利拥有量力争达到5.6件，年均增长10%以上[1]。", sources())

    assert result.answer == ""
    assert result.citations == []
    assert len(result.dropped_sentences) == 1


def test_number_swapped_in_from_an_uncited_passage_is_dropped() -> None:
    # 1.17 is Shanwei's target (passage [2]); the sentence cites Jilin's passage [1] only
    swapped = "吉林省每万人口发明专利拥有量力争达到1.17件[1]。"
    correct = "汕尾市每万人发明专利拥有量力争达到1.17件[2]。"

    result = verify_answer(swapped + correct, sources())

    assert result.answer == "汕尾市每万人发明专利拥有量力争达到1.17件[1]。"
    assert result.dropped_sentences == ["吉林省每万人口发明专利拥有量力争达到1.17件。"]
    assert [(c.n, c.doc_id) for c in result.citations] == [(1, "002")]


def test_markers_are_renumbered_in_order_of_first_appearance() -> None:
    text = (
        "知识产权强省建设按照试点探索、分类推进、分步实施的工作方针推进[3]。"
        "吉林省全省年专利申请量力争达到2.4万件[1]。"
        "知识产权强省建设坚持整体升级的工作方针[3]。"
    )

    result = verify_answer(text, sources())

    assert markers(result.answer) == [1, 2, 1]
    assert [(c.n, c.doc_id) for c in result.citations] == [(1, "000"), (2, "003")]
    assert result.answer.startswith("知识产权强省建设按照试点探索")


def test_uncited_passages_are_not_returned() -> None:
    result = verify_answer(SUPPORTED, sources())

    assert {c.doc_id for c in result.citations} == {"003"}


def test_reply_without_markers_is_dropped_entirely() -> None:
    text = "吉林省每万人口发明专利拥有量力争达到4.2件，年均增长10%以上。全省年专利申请量力争达到2.4万件。"

    result = verify_answer(text, sources())

    assert result.answer == ""
    assert result.citations == []
    assert len(result.dropped_sentences) == 2


def test_marker_naming_no_source_does_not_count_and_is_removed() -> None:
    only_unknown = "全省年专利申请量力争达到2.4万件[7]。"
    mixed = "全省年专利申请量力争达到2.4万件[7][1]。"

    assert verify_answer(only_unknown, sources()).answer == ""
    assert verify_answer(mixed, sources()).answer == "全省年专利申请量力争达到2.4万件[1]。"


def test_repeated_marker_is_collapsed() -> None:
    result = verify_answer("全省年专利申请量力争达到2.4万件[1][1]。", sources())

    assert result.answer == "全省年专利申请量力争达到2.4万件[1]。"


def test_sentence_citing_two_passages_is_checked_against_both() -> None:
    text = "吉林省每万人口发明专利拥有量力争达到4.2件，汕尾市每万人发明专利拥有量力争达到1.17件[1][2]。"

    assert verify_answer(text, sources()).answer == text
    # citing only one of the two passages leaves a figure unsupported
    assert verify_answer(text.replace("[1][2]", "[1]"), sources()).answer == ""


def test_separate_lines_stay_separate() -> None:
    text = "1. 全省年专利申请量力争达到2.4万件[1]\n2. 汕尾市每万人发明专利拥有量力争达到1.17件[2]"

    result = verify_answer(text, sources())

    assert result.answer.splitlines() == [
        "1. 全省年专利申请量力争达到2.4万件[1]",
        "2. 汕尾市每万人发明专利拥有量力争达到1.17件[2]",
    ]


def test_tau_is_the_bigram_precision_threshold() -> None:
    # about 86% of this sentence's bigrams occur in passage [1]
    reworded = "吉林省提出每万人口发明专利拥有量力争达到4.2件[1]。"

    assert verify_answer(reworded, sources(), tau=0.8).answer == reworded
    assert verify_answer(reworded, sources(), tau=0.9).answer == ""


def test_loose_paraphrase_is_dropped_at_the_default_tau() -> None:
    paraphrase = "吉林那边打算让每万个人手里的发明专利做到4.2件[1]。"

    assert verify_answer(paraphrase, sources()).answer == ""
