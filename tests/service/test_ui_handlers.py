"""The Gradio handlers, called directly with the fake engine (no browser)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr
import pytest

from assistant.service.feedback import FeedbackStore
from assistant.service.lifecycle import EngineNotReady
from assistant.service.ui import build_ui, make_feedback, make_outline, make_refresh, make_respond
from assistant.service.ui_admin import make_delete, make_upload

from .conftest import ADMIN_TOKEN, make_settings
from .fakes import FakeEngine


def run(
    respond: Any,
    question: str,
    chat: list[dict[str, Any]] | None = None,
    doc_ids: list[str] | None = None,
    answers: dict[int, Any] | None = None,
) -> list[tuple[Any, ...]]:
    return list(respond(question, chat or [], doc_ids, answers or {}))


def test_respond_streams_then_shows_cited_sources() -> None:
    engine = FakeEngine()
    steps = run(make_respond(lambda: engine), "支撑型试点省的主要任务是什么？")
    assert len(steps) >= 3  # placeholder, citations/deltas, final
    chat, sources, box, answers, _ = steps[-1]
    assert box == ""
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert '<sup class="pq-ref"><a class="pq-open" href="/v1/documents/000/view?start=' in chat[1]["content"]
    assert "pq-card" in sources and "国知发管字〔2015〕59号" in sources and "<mark>" in sources
    assert answers[1]["question"] == "支撑型试点省的主要任务是什么？" and answers[1]["citations"]
    grown = [len(s[0][1]["content"]) for s in steps[1:]]
    assert grown == sorted(grown)  # the bubble fills in as deltas arrive


def test_follow_up_sends_history_and_filter() -> None:
    engine = FakeEngine()
    respond = make_respond(lambda: engine)
    chat, _, _, answers, _ = run(respond, "吉林省到2020年每万人口发明专利拥有量目标是多少？")[-1]
    chat2, _, _, answers2, _ = run(respond, "目标是多少？", chat, ["003"], answers)[-1]
    _, (question, history, doc_ids) = engine.calls[-2]
    assert question == "目标是多少？" and doc_ids == ["003"]
    assert [m.role for m in history] == ["user", "assistant"] and "[1]" in history[1].content
    assert "<sup" not in history[1].content
    assert len(chat2) == 4 and set(answers2) == {1, 3}


def test_blank_question_does_not_call_engine() -> None:
    engine = FakeEngine()
    with pytest.warns(UserWarning, match="请输入问题"):
        steps = run(make_respond(lambda: engine), "   ")
    assert len(steps) == 1 and steps[0][0] == [] and engine.calls == []


def test_engine_not_ready_shows_error() -> None:
    def loading() -> FakeEngine:
        raise EngineNotReady("问答引擎正在加载")

    with pytest.raises(gr.Error, match="正在加载"):
        run(make_respond(loading), "问题")


def test_like_and_dislike_are_stored(tmp_path: Path) -> None:
    engine = FakeEngine()
    store = FeedbackStore.in_dir(tmp_path)
    _, _, _, answers, _ = run(make_respond(lambda: engine), "支撑型试点省的主要任务是什么？")[-1]
    on_like = make_feedback(store)
    on_like(answers, SimpleNamespace(index=1, liked=True, value="…"))
    on_like(answers, SimpleNamespace(index=[1, 0], liked=False, value="…"))
    on_like(answers, SimpleNamespace(index=0, liked=True, value="user message"))  # not an answer: ignored
    records = store.all()
    assert [r.rating for r in records] == [1, -1]
    assert (
        records[0].question == "支撑型试点省的主要任务是什么？" and records[0].citations[0]["doc_id"] == "000"
    )


def test_admin_handlers_check_token(tmp_path: Path) -> None:
    engine = FakeEngine()
    settings = make_settings(tmp_path)
    upload, delete = make_upload(lambda: engine, settings), make_delete(lambda: engine, settings)
    file = tmp_path / "通知.txt"
    file.write_text("关于加强专利保护的通知。", encoding="utf-8")
    before = len(engine.documents())
    assert "令牌" in upload("wrong", str(file)) and len(engine.documents()) == before
    assert upload(ADMIN_TOKEN, str(file)).startswith("✅") and len(engine.documents()) == before + 1
    bad = tmp_path / "x.exe"
    bad.write_bytes(b"\x7fELF")
    assert "不支持" in upload(ADMIN_TOKEN, str(bad)) and len(engine.documents()) == before + 1
    assert "选择文件" in upload(ADMIN_TOKEN, None)
    assert "令牌" in delete(None, "000")
    assert delete(ADMIN_TOKEN, "000").startswith("✅") and "000" not in [
        d.meta.doc_id for d in engine.documents()
    ]
    assert "没有这个文件" in delete(ADMIN_TOKEN, "000")


def test_admin_handlers_disabled_without_token(tmp_path: Path) -> None:
    engine = FakeEngine()
    settings = make_settings(tmp_path, admin_token=None)
    assert "未启用" in make_delete(lambda: engine, settings)("", "000")
    assert len(engine.documents()) == 3


def test_oversize_ui_upload_refused(tmp_path: Path) -> None:
    engine = FakeEngine()
    file = tmp_path / "big.txt"
    file.write_bytes(b"a" * 200)
    assert "过大" in make_upload(lambda: engine, make_settings(tmp_path, max_upload_bytes=100))(
        ADMIN_TOKEN, str(file)
    )
    assert len(engine.documents()) == 3


def test_refresh_and_outline() -> None:
    engine = FakeEngine()
    filter_update, _, _, table, meta_update = make_refresh(lambda: engine)()
    assert meta_update["choices"] == filter_update["choices"]
    assert ("汕尾市建设引领型知识产权强市实施方案（汕府〔2016〕69号）", "002") in filter_update["choices"]
    assert "吉政发〔2016〕27号" in table
    assert "（二）主要目标" in make_outline(lambda: engine)("003")
    assert make_outline(lambda: engine)(None) == ""
    assert "不在索引" in make_outline(lambda: engine)("gone")


def test_build_ui_constructs(tmp_path: Path) -> None:
    engine = FakeEngine()
    blocks = build_ui(lambda: engine, make_settings(tmp_path), FeedbackStore.in_dir(tmp_path))
    assert isinstance(blocks, gr.Blocks)
