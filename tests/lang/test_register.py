"""How many laws use a word (register.tsv) and the builder that counts them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.lang.zh import laws_using
from assistant.lang.zh.register_build import PROJECT, laws, left_out_titles, main, reserved_names, title_key


def test_words_rules_are_written_in_are_common_in_laws_and_everyday_talk_is_not() -> None:
    for formal in ("备案", "滞纳金", "公证处", "宽限期"):
        assert laws_using(formal) >= 5, formal
    for colloquial in ("商量", "案子", "全职"):
        assert laws_using(colloquial) == 0, colloquial


def test_a_title_is_compared_without_its_date_and_the_states_name() -> None:
    assert title_key("中华人民共和国植物新品种保护条例(2014-07-29)") == "植物新品种保护条例"
    assert title_key("# 某某市专利条例") == "某某市专利条例"


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_tested_documents_and_reserved_texts_are_left_out(tmp_path: Path) -> None:
    root = tmp_path / "laws"
    kept = _write(root / "a", "某某省档案条例(2020-01-01).md", "# 某某省档案条例\n\n第一条 档案应当备案。")
    _write(root / "a", "某某市专利条例(2019-05-05).md", "# 某某市专利条例\n\n第一条 专利。")
    _write(root / "b", "某某省保留条例(2022-03-29).md", "never read")
    tested = _write(tmp_path / "eval" / "docs", "city-patent.md", "# 某某市专利条例\n\n<!-- INFO END -->\n")
    assert laws(root, left_out_titles([tested.parent]), ("保留条例",)) == [kept]


def test_the_projects_reserved_documents_are_listed_for_leaving_out() -> None:
    names = reserved_names(PROJECT / "eval" / "reserved.txt")
    assert len(names) >= 5 and all(not n.startswith("#") for n in names)


def test_the_builder_counts_documents_not_occurrences(tmp_path: Path) -> None:
    root = tmp_path / "laws"
    for n in range(3):
        _write(root, f"条例{n}.md", "登记机关应当备案。备案材料齐全的，予以备案。" + ("宽限期" if n else ""))
    out = tmp_path / "register.tsv"
    assert main([str(root), "--leave-out", "--out", str(out)]) == 0
    rows = dict(line.split("\t") for line in out.read_text(encoding="utf-8").splitlines())
    assert rows["# texts"] == "3" and rows["备案"] == "3"
    assert "宽限期" not in rows  # two texts: below the three a word needs to say anything


def test_the_builder_refuses_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nowhere"), "--out", str(tmp_path / "x.tsv")]) == 2
    assert "nowhere is not a folder" in capsys.readouterr().err
    assert (
        main([str(tmp_path), "--reserved", str(tmp_path / "none.txt"), "--out", str(tmp_path / "x.tsv")]) == 2
    )
    assert "no list of reserved documents" in capsys.readouterr().err
    assert not (tmp_path / "x.tsv").exists()
