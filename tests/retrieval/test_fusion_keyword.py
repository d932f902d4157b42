"""Rank fusion (assistant/retrieval/fusion.py) and BM25 keyword search (assistant/retrieval/keyword.py)."""

from __future__ import annotations

import math

import pytest

from assistant.models import Chunk, Hit
from assistant.retrieval.fusion import FusionWeights, fuse, heading_overlap, quoted_runs, rrf
from assistant.retrieval.keyword import STOPWORDS, KeywordIndex, tokenize


def chunk(row: int, doc_id: str, section: tuple[str, ...] = ("一、总体要求",)) -> Chunk:
    return Chunk(
        chunk_id=f"{doc_id}-{row}", doc_id=doc_id, section=section, text=f"段落{row}", start=0, end=3
    )


CHUNKS = [
    chunk(0, "A"),
    chunk(1, "A"),
    chunk(2, "B"),
    chunk(3, "C", ("二、重点任务", "(三) 推进质押融资")),
]
DENSE = [(2, 0.8), (0, 0.7)]  # row 2 first, row 0 second
KEYWORD = [(0, 12.0), (3, 5.0)]  # row 0 first, row 3 second

# ---------------------------------------------------------------- rrf / heading_overlap


@pytest.mark.parametrize(
    ("rank", "k", "expected"), [(None, 60, 0.0), (0, 60, 1 / 61), (1, 60, 1 / 62), (9, 10, 1 / 20)]
)
def test_rrf(rank: int | None, k: int, expected: float) -> None:
    assert rrf(rank, k) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("terms", "headings", "expected"),
    [
        (["专利", "质押融资"], "二、重点任务 › (三) 推进质押融资", 4 / 6),  # weighted by length
        (["专利", "质押融资"], "专利质押融资", 1.0),
        (["专利", "质押融资"], "三、保障措施", 0.0),
        ([], "任何标题", 0.0),
        (["专利"], "", 0.0),
    ],
)
def test_heading_overlap(terms: list[str], headings: str, expected: float) -> None:
    assert heading_overlap(terms, headings) == pytest.approx(expected)


# ---------------------------------------------------------------- fuse


def test_fuse_reciprocal_rank_sum() -> None:
    hits = fuse(CHUNKS, DENSE, KEYWORD)

    # row 0: 1/62 (dense #2) + 1/61 (keyword #1); row 2: 1/61; row 3: 1/62; row 1 is in neither list
    assert [h.row for h in hits] == [0, 2, 3]
    assert [h.score for h in hits] == pytest.approx([1 / 62 + 1 / 61, 1 / 61, 1 / 62])
    assert [(h.dense, h.keyword) for h in hits] == [(0.7, 12.0), (0.8, 0.0), (0.0, 5.0)]
    assert [h.chunk for h in hits] == [CHUNKS[0], CHUNKS[2], CHUNKS[3]]
    assert [(h.heading, h.doc_preferred) for h in hits] == [(0.0, False)] * 3


def test_heading_bonus_lifts_a_matching_section() -> None:
    hits = fuse(CHUNKS, DENSE, KEYWORD, heading_terms=["质押融资"])

    # row 3: 1/62 + 0.03 × 1.0 = 0.0461 beats row 0's 0.0325
    assert [h.row for h in hits] == [3, 0, 2]
    assert hits[0].score == pytest.approx(1 / 62 + 0.03)
    assert [h.heading for h in hits] == [1.0, 0.0, 0.0]


def test_doc_bonus_lifts_the_named_document() -> None:
    hits = fuse(CHUNKS, DENSE, KEYWORD, preferred_docs=frozenset({"B"}))

    # row 2: 1/61 + 0.02 = 0.0364 beats row 0's 1/62 + 1/61 = 0.0325
    assert [h.row for h in hits] == [2, 0, 3]
    assert hits[0].score == pytest.approx(1 / 61 + 0.02)
    assert [h.doc_preferred for h in hits] == [True, False, False]


def test_doc_bonus_applies_to_every_chunk_of_the_document() -> None:
    hits = fuse(CHUNKS, [(1, 0.5), (2, 0.4)], [], preferred_docs=frozenset({"A"}))
    assert [(h.row, h.doc_preferred) for h in hits] == [(1, True), (2, False)]
    assert hits[0].score == pytest.approx(1 / 61 + 0.02)


def test_headings_of_overrides_the_section_path() -> None:
    headings = {0: "推进质押融资", 2: "", 3: ""}
    hits = fuse(CHUNKS, DENSE, KEYWORD, heading_terms=["质押融资"], headings_of=headings)

    by_row = {h.row: h for h in hits}
    assert (by_row[0].heading, by_row[3].heading) == (1.0, 0.0)
    assert [h.row for h in hits] == [0, 2, 3]
    assert by_row[0].score == pytest.approx(1 / 62 + 1 / 61 + 0.03)


def test_equal_scores_are_ordered_by_row() -> None:
    hits = fuse(CHUNKS, [(1, 0.5)], [(0, 3.0)])
    assert [h.row for h in hits] == [0, 1]
    assert hits[0].score == hits[1].score == pytest.approx(1 / 61)


def test_weights() -> None:
    weights = FusionWeights(dense=0.0, keyword=2.0, rrf_k=0)
    hits = fuse(CHUNKS, DENSE, KEYWORD, weights=weights)

    # keyword only, doubled, k=0: row 0 → 2/1, row 3 → 2/2, row 2 → 0 (still listed)
    assert [(h.row, h.score) for h in hits] == [(0, 2.0), (3, 1.0), (2, 0.0)]


def test_empty_rankings_give_no_hits() -> None:
    assert fuse(CHUNKS, [], []) == []


def test_ranked_hit_as_plain_hit() -> None:
    best = fuse(CHUNKS, DENSE, KEYWORD)[0]
    assert best.hit == Hit(CHUNKS[0], best.score)
    assert best.hit.score == pytest.approx(1 / 62 + 1 / 61)


# ---------------------------------------------------------------- tokenize


def test_tokenize_keeps_domain_words_whole_and_drops_stop_words() -> None:
    tokens = tokenize("请问吉林省专利质押融资有哪些措施？")

    assert "质押融资" in tokens  # a domain word
    assert {"专利", "措施"} <= set(tokens)
    assert not set(tokens) & {"请问", "有", "哪些", "？", "?"}


def test_tokenize_long_domain_word_and_nfkc_figures() -> None:
    tokens = tokenize("每万人口发明专利拥有量力争达到４.２件，年均增长１０％以上")

    assert "每万人口发明专利拥有量" in tokens
    assert {"4.2", "10%"} <= set(tokens)
    assert not {"４.２", "，", ","} & set(tokens)


def test_tokenize_lower_cases_latin() -> None:
    tokens = tokenize("PCT国际专利申请")
    assert "pct" in tokens
    assert "PCT" not in tokens


@pytest.mark.parametrize("text", ["", "，。？！ ", "请问 的 了 和 是 什么 哪些 吗"])
def test_tokenize_nothing_left(text: str) -> None:
    assert tokenize(text) == []


def test_stopwords_are_function_words_not_domain_terms() -> None:
    assert {"的", "哪些", "请问", "多少"} <= STOPWORDS
    assert not {"专利", "商标", "知识产权", "措施"} & STOPWORDS


# ---------------------------------------------------------------- KeywordIndex (BM25, bm25s "lucene")

K1, B = 1.5, 0.75
TOY = [
    ["专利", "质押", "融资", "试点"],  # 4 tokens
    ["专利", "申请", "数量"],  # 3 tokens
    ["商标", "品牌", "建设"],  # 3 tokens
]
AVGDL = 10 / 3


def bm25(df: int, doc_len: int, n: int = 3, tf: int = 1) -> float:
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return idf * tf / (tf + K1 * (1 - B + B * doc_len / AVGDL))


def test_bm25_ranks_the_only_matching_passage_first() -> None:
    index = KeywordIndex(TOY)

    results = index.search(["质押", "融资"], k=3)

    assert [row for row, _ in results] == [0]  # rows scoring 0 are left out
    assert results[0][1] == pytest.approx(2 * bm25(df=1, doc_len=4), rel=1e-5)


def test_bm25_prefers_the_shorter_passage_for_a_shared_term() -> None:
    index = KeywordIndex(TOY)

    results = index.search(["专利"], k=3)

    assert [row for row, _ in results] == [1, 0]
    assert [score for _, score in results] == pytest.approx(
        [bm25(df=2, doc_len=3), bm25(df=2, doc_len=4)], rel=1e-5
    )
    top = index.search(["专利"], k=1)
    assert [row for row, _ in top] == [1]
    assert top[0][1] == pytest.approx(bm25(df=2, doc_len=3), rel=1e-5)


def test_bm25_scores_every_row() -> None:
    scores = KeywordIndex(TOY).scores(["专利", "质押"])

    assert scores.shape == (3,)
    expected = [bm25(df=2, doc_len=4) + bm25(df=1, doc_len=4), bm25(df=2, doc_len=3), 0.0]
    assert scores.tolist() == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("query", [[], ["不存在的词"]])
def test_bm25_unknown_or_empty_query_scores_zero(query: list[str]) -> None:
    index = KeywordIndex(TOY)
    assert index.scores(query).tolist() == [0.0, 0.0, 0.0]
    assert index.search(query, k=3) == []


def test_bm25_empty_corpus_and_empty_chunk() -> None:
    empty = KeywordIndex([])
    assert empty.size == 0
    assert empty.scores(["专利"]).shape == (0,)
    assert empty.search(["专利"], k=5) == []

    # an empty chunk gets a placeholder token and never matches
    with_gap = KeywordIndex([["专利"], []])
    assert with_gap.size == 2
    assert [row for row, _ in with_gap.search(["专利"], k=5)] == [0]


def test_tokenized_passages_rank_the_matching_one_first() -> None:
    passages = [
        "加强专利保护，严厉打击侵犯商标专用权行为。",  # shares only 专利 with the question
        "积极开展专利质押融资试点，扩大质押融资规模。",
        "加快知识产权人才培养，建设人才队伍。",
    ]
    index = KeywordIndex([tokenize(p) for p in passages])

    results = index.search(tokenize("专利质押融资有哪些措施？"), k=3)

    assert [row for row, _ in results] == [1, 0]
    assert results[0][1] > results[1][1] > 0


def test_quoted_runs_are_long_runs_of_the_question() -> None:
    runs = quoted_runs("编制发布中国产业知识产权发展状况报告归哪个司？")
    assert runs[0] == "编制发布中国产业" and all(len(r) == 8 for r in runs)
    assert quoted_runs("谁负责统计工作？") == []  # no run of 8 characters


def test_a_passage_quoting_the_question_word_for_word_is_lifted() -> None:
    quoted = [
        *CHUNKS[:3],
        Chunk(
            chunk_id="C-3",
            doc_id="C",
            section=("二、",),
            text="编制发布中国产业知识产权发展状况报告。",
            start=0,
            end=19,
        ),
    ]
    hits = fuse(quoted, DENSE, KEYWORD, quotes=quoted_runs("编制发布中国产业知识产权发展状况报告归哪个司"))
    # row 3: 1/62 + 0.02 beats row 0's 1/62 + 1/61
    assert hits[0].row == 3
    assert hits[0].score == pytest.approx(1 / 62 + 0.02)


def test_query_terms_do_not_depend_on_the_string_hash_seed() -> None:
    import os
    import subprocess
    import sys

    # equal-length terms once came out in a set's order, which changes with PYTHONHASHSEED
    code = (
        "from assistant.retrieval.searcher import _heading_terms as h;"
        "print(h(['保护期', '著作权', '开发者', '合作', '软件', '截止', '自然人', '死亡']))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "11", "13", "26")
    }
    assert len(runs) == 1, runs
    assert "'保护期', '著作权', '开发者', '自然人'" in runs.pop()  # longest first, then as written
