"""Radicals and compatibility ideographs fold to unified ideographs (Unicode EquivalentUnifiedIdeograph
data shipped in assistant/data), in documents and in questions alike."""

from __future__ import annotations

import unicodedata

import pytest

from assistant.answering.normalize import normalise_question
from assistant.ingest.clean import clean_text
from assistant.retrieval.keyword import tokenize
from assistant.textnorm import _ideograph_table, fold_ideographs, match_key, nfkc


@pytest.mark.parametrize(
    ("printed", "meant"),
    [
        ("人⺠政府", "人民政府"),  # U+2EA0 CJK RADICAL CIVILIAN
        ("部⻔", "部门"),  # U+2ED4 C-SIMPLIFIED GATE
        ("⻛险", "风险"),  # U+2EDB C-SIMPLIFIED WIND
        ("⻓期", "长期"),  # U+2ED3 C-SIMPLIFIED LONG
        ("⼈⺠", "人民"),  # U+2F08 KANGXI RADICAL MAN, which NFKC alone already folds
    ],
)
def test_radicals_fold_in_documents_questions_and_search(printed: str, meant: str) -> None:
    assert nfkc(printed) == meant
    assert normalise_question(printed) == meant
    assert match_key(printed) == match_key(meant)
    assert tokenize(f"加强{printed}管理") == tokenize(f"加强{meant}管理")
    assert clean_text(f"一、{printed}\n").text == f"一、{meant}"


def test_the_data_file_covers_every_radical_nfkc_leaves_alone() -> None:
    table = _ideograph_table()
    assert len(table) > 300 and table[0x2EA0] == "民"
    untouched = [cp for cp in range(0x2E80, 0x2EF4) if unicodedata.normalize("NFKC", chr(cp)) == chr(cp)]
    assert sum(1 for cp in untouched if cp in table) >= 80
    assert fold_ideographs("\uf900") == "\uf900"  # compatibility ideographs are NFKC's job …
    assert nfkc("\uf900") == "豈"  # … and nfkc() does both


def test_clean_offsets_survive_the_fold() -> None:
    raw = "各部⻔要防范⻛险"
    clean = clean_text(raw)
    start = clean.text.index("风险")
    assert raw[slice(*clean.to_raw(start, start + 2))] == "⻛险"
