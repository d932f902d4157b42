"""Pure pieces of the workbench: formal references, exact cited passages, metadata corrections."""

from __future__ import annotations

import json

import pytest

from assistant.corrections import MetadataError, corrected, merge, patchable_fields, sidecar_bytes
from assistant.engine_api import StreamEvent
from assistant.ingest.metadata import OVERRIDABLE
from assistant.ingest.pipeline import outline_of, parse_text
from assistant.models import Answer, Citation, DocumentMeta, chinese_date
from assistant.passages import exact_answer, exact_events

TITLE = "加快推进知识产权强省建设工作方案（试行）"
SECTION = "二、试点任务 › （二）支撑型知识产权强省建设试点省主要任务"


def cite(n: int = 1, **changes: object) -> Citation:
    values: dict[str, object] = {
        "n": n,
        "doc_id": "d",
        "title": TITLE,
        "doc_number": "国知发管字〔2015〕59号",
        "date": "2015-10-21",
        "section": SECTION,
        "text": "abc",
        "start": 2,
        "end": 5,
        "score": 1.0,
    }
    values.update(changes)
    return Citation(**values)  # type: ignore[arg-type]


def test_reference_in_the_usual_form() -> None:
    assert cite().reference == f"[1]《{TITLE}》（国知发管字〔2015〕59号，2015年10月21日），{SECTION}"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"doc_number": None}, f"[2]《{TITLE}》（2015年10月21日），{SECTION}"),
        ({"date": None}, f"[2]《{TITLE}》（国知发管字〔2015〕59号），{SECTION}"),
        ({"doc_number": None, "date": None}, f"[2]《{TITLE}》，{SECTION}"),
        ({"section": ""}, f"[2]《{TITLE}》（国知发管字〔2015〕59号，2015年10月21日）"),
        ({"date": "2015年10月"}, f"[2]《{TITLE}》（国知发管字〔2015〕59号，2015年10月），{SECTION}"),
    ],
)
def test_reference_leaves_out_what_is_missing(changes: dict[str, object], expected: str) -> None:
    assert cite(2, **changes).reference == expected


def test_chinese_date() -> None:
    assert chinese_date("2020-04-09") == "2020年4月9日"
    assert chinese_date(None) is None and chinese_date("2020") == "2020"


def test_every_answer_carries_one_reference_per_citation() -> None:
    answer = Answer("甲[1]。乙[2]。", False, [cite(1), cite(2, section="三、保障条件")])
    data = answer.to_dict()
    assert (
        data["references"]
        == answer.references
        == [cite(1).reference, cite(2, section="三、保障条件").reference]
    )
    assert Answer("没有依据。", True, []).to_dict()["references"] == []


def test_exact_answer_shows_what_the_offsets_slice() -> None:
    text = "0123456789"
    composed = cite(1, text="2\n4", start=2, end=5)  # an outline of a long section: not a slice
    exact = cite(2, text="67", start=6, end=8)
    stale = cite(3, text="zz", start=8, end=40)  # offsets past the text: left as it is
    answer = exact_answer(Answer("x[1][2][3]", False, [composed, exact, stale]), lambda d: text)
    assert [c.text for c in answer.citations] == ["234", "67", "zz"]
    assert answer.citations[1] is exact
    unknown = exact_answer(Answer("x[1]", False, [composed]), lambda d: None)
    assert unknown.citations[0].text == "2\n4"


def test_exact_events_fix_citation_dicts_and_the_final_answer() -> None:
    text = "0123456789"
    composed = cite(1, text="2\n4", start=2, end=5)
    events = [
        StreamEvent("citations", [composed.to_dict()]),
        StreamEvent("delta", "x"),
        StreamEvent("done", Answer("x[1]", False, [composed])),
    ]
    out = list(exact_events(events, lambda d: text))
    assert out[0].data[0]["text"] == "234" and out[1] == events[1]
    assert out[2].data.citations[0].text == "234"


def test_outline_of_a_clean_text_has_section_offsets() -> None:
    raw = "某某方案\n一、总体要求\n（一）指导思想\n坚持创新。\n（二）主要目标\n到2020年。\n二、主要任务\n加强保护。\n"
    parsed = parse_text("d", "d.txt", raw)
    outline = outline_of(parsed.text)
    assert [n.heading for n in outline] == [n.heading for n in parsed.outline]
    first, second = outline
    assert parsed.text[first.start :].startswith("一、总体要求") and first.end <= second.start
    assert parsed.text[first.children[1].start : first.children[1].end].startswith("（二）主要目标")
    assert parsed.outline[0].start == first.start and parsed.outline[0].end == first.end  # stored alike


META = DocumentMeta("d", "方案", "d.txt", "甲〔2015〕1号", "某局", "2015-01-02", "全国", "国家")


def test_patchable_fields_are_the_sidecar_fields() -> None:
    assert set(patchable_fields()) == OVERRIDABLE
    assert patchable_fields()[:2] == ["title", "doc_number"]  # the DocumentMeta order


def test_merge_sets_clears_and_drops_corrections() -> None:
    current = {"doc_number": "甲〔2015〕2号", "issuer": "某厅"}
    merged = merge(current, {"date": " 2015-03-04 ", "issuer": None, "region": ""})
    assert merged == {"doc_number": "甲〔2015〕2号", "date": "2015-03-04", "region": None}


@pytest.mark.parametrize(
    "patch",
    [{"colour": "红"}, {"date": "2015年3月4日"}, {"title": ""}, {"title": "x" * 501}, {"level": 3}],
)
def test_corrected_refuses_what_ingest_would_refuse(patch: dict[str, object]) -> None:
    with pytest.raises(MetadataError):
        corrected(META, {}, patch)  # type: ignore[arg-type]


def test_sidecar_bytes_round_trip() -> None:
    overrides = corrected(META, {"issuer": "某厅"}, {"doc_number": "甲〔2015〕9号", "region": ""})
    assert json.loads(sidecar_bytes(overrides)) == {
        "doc_number": "甲〔2015〕9号",
        "issuer": "某厅",
        "region": None,
    }
