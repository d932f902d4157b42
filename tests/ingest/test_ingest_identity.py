"""Document identity and file-name checks (pure)."""

from __future__ import annotations

import pytest

from assistant.ingest.identity import (
    NAME_MAX_BYTES,
    choose_per_identity,
    derived_names,
    file_key,
    name_problem,
    same_identity,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("case.txt", "case.md"),
        ("X.TXT", "x.txt"),
        ("通知.htm", "通知.html"),
        ("ｃａｓｅ.txt", "case.docx"),  # full-width letters (NFKC)
        ("Straße.txt", "STRASSE.pdf"),  # case folding, not just lower()
        ("２０２０年方案.txt", "2020年方案.md"),
    ],
)
def test_names_a_person_reads_as_one_document_share_a_key(a: str, b: str) -> None:
    assert file_key(a) == file_key(b)


@pytest.mark.parametrize(("a", "b"), [("case1.txt", "case2.txt"), ("方案.txt", "方案（修订）.txt")])
def test_different_documents_keep_different_keys(a: str, b: str) -> None:
    assert file_key(a) != file_key(b)


def test_same_identity_lists_every_twin_including_the_name_itself() -> None:
    assert same_identity("Case.md", ["case.txt", "other.txt", "Case.md", "CASE.html"]) == [
        "case.txt",
        "Case.md",
        "CASE.html",
    ]


@pytest.mark.parametrize(
    "name",
    [
        "关于印发《知识产权强市建设实施方案》的通知.docx",
        "2020 年 工作指引.pdf",
        "方案“十三五”、规划：附件 1.txt",
        "关" * 73 + ".txt",  # 223 bytes: every derived name still fits
    ],
)
def test_usable_names_pass(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("", "空"),
        (".hidden.txt", "点"),
        (" lead.txt", "空白"),
        ("a\nb.txt", "U+000A"),
        ("a\tb.txt", "U+0009"),
        ("a\x00b.txt", "U+0000"),
        ("a\u200bb.txt", "U+200B"),  # zero-width space (format character)
        ("a\u2028b.txt", "U+2028"),  # line separator
        ("a\ud800b.txt", "U+D800"),  # lone surrogate from a broken multipart header
        ("dir/a.txt", "U+002F"),
        ("关" * 82 + ".txt", "过长"),  # 250 bytes: the file fits, its sidecar and trash names do not
        ("关" * 85 + ".txt", "过长"),  # 259 bytes: the file itself would fail with ENAMETOOLONG
    ],
)
def test_unusable_names_say_why(name: str, why: str) -> None:
    problem = name_problem(name)
    assert problem is not None and why in problem


def test_the_length_check_covers_every_derived_name() -> None:
    longest = max(len(n.encode()) - len(b"a.txt") for n in derived_names("a.txt").values())
    fits = "a" * (NAME_MAX_BYTES - longest - 4) + ".txt"
    assert name_problem(fits) is None
    assert all(len(n.encode()) <= NAME_MAX_BYTES for n in derived_names(fits).values())
    assert name_problem("a" + fits) is not None


def test_one_file_per_identity_the_indexed_one_stays() -> None:
    names = ["case.md", "case.txt", "other.txt", "CASE.TXT"]
    kept, skipped = choose_per_identity(names)
    assert kept == ["case.md", "other.txt"]
    assert [(c.name, c.kept) for c in skipped] == [("case.txt", "case.md"), ("CASE.TXT", "case.md")]
    assert "case.md" in skipped[0].reason
    kept, skipped = choose_per_identity(names, preferred=["case.txt"])
    assert kept == ["case.txt", "other.txt"]
    assert {c.name for c in skipped} == {"case.md", "CASE.TXT"}
