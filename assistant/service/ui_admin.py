"""The UI's admin tab: upload (with metadata), delete, metadata correction and the thumbs-down list.

Every action checks the admin token first; the engine does the work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.config import Settings
from assistant.corrections import patchable_fields
from assistant.engine_api import DocumentExists, DocumentInfo, IngestError, QAEngine, UnknownDocument
from assistant.service.admin import AdminDenied, check_admin_token
from assistant.service.feedback import FeedbackStore
from assistant.service.labels import field_label
from assistant.service.lifecycle import EngineNotReady
from assistant.service.ui_access import UiGuard
from assistant.service.ui_format import feedback_html

EngineSource = Callable[[], QAEngine]


def _no_guard(request: gr.Request | None) -> None:
    return None


def _engine(source: EngineSource) -> QAEngine:
    try:
        return source()
    except EngineNotReady as exc:
        raise gr.Error(str(exc)) from exc


def _admin_guard(settings: Settings, token: str | None) -> str | None:
    try:
        check_admin_token(settings, (token or "").strip() or None)
    except AdminDenied as exc:
        return exc.message
    return None


def changed_fields(current: dict[str, Any], values: Sequence[str | None]) -> dict[str, str]:
    """The editor's boxes that differ from the document's metadata; a box emptied means "no value"."""
    patch = {}
    for name, value in zip(patchable_fields(), values, strict=True):
        new, old = (value or "").strip(), str(current.get(name) or "")
        if new != old:
            patch[name] = new
    return patch


def _uploaded(info: DocumentInfo) -> str:
    lines = [f"✅ 已导入《{info.meta.title}》，共 {info.n_chunks} 段。"]
    lines += [f"已替换 {r.source}，原文件保存在数据目录的 {r.kept_as}。" for r in info.replaced]
    if info.flagged:
        lines.append(f"⚠️ {len(info.flagged)} 句像是给问答系统的指令，不会作为答案引用：")
        lines += [f"- {f.text}" for f in info.flagged[:5]]
    return "\n\n".join(lines)


def make_upload(source: EngineSource, settings: Settings, guard: UiGuard = _no_guard) -> Callable[..., str]:
    def upload(
        token: str | None, path: str | None, replace: bool = False, request: gr.Request | None = None
    ) -> str:
        if denied := _admin_guard(settings, token):
            return f"❌ {denied}"
        if not path:
            return "❌ 请先选择文件。"
        guard(request)
        file = Path(path)
        if file.stat().st_size > settings.max_upload_bytes:
            return f"❌ 文件过大：上限 {settings.max_upload_bytes} 字节。"
        try:
            info = _engine(source).add_document(file.name, file.read_bytes(), bool(replace))
        except DocumentExists as exc:
            return f"❌ {exc.name} 与已有文件 {exc.existing} 是同一文件。要替换它，请勾选「替换同一文件」后再上传。"
        except IngestError as exc:
            return f"❌ 无法导入 {file.name}：{exc}"
        return _uploaded(info)

    return upload


def make_delete(source: EngineSource, settings: Settings, guard: UiGuard = _no_guard) -> Callable[..., str]:
    def delete(token: str | None, doc_id: str | None, request: gr.Request | None = None) -> str:
        if denied := _admin_guard(settings, token):
            return f"❌ {denied}"
        if not doc_id:
            return "❌ 请先选择要删除的文件。"
        guard(request)
        try:
            _engine(source).delete_document(doc_id)
        except UnknownDocument:
            return f"❌ 没有这个文件：{doc_id}"
        return f"✅ 已删除 {doc_id}。"

    return delete


def make_load_metadata(source: EngineSource) -> Callable[[str | None], list[Any]]:
    """Fill the editor's boxes with the picked document's metadata."""

    def load(doc_id: str | None) -> list[Any]:
        if not doc_id:
            return [gr.update(value="") for _ in patchable_fields()]
        try:
            meta = _engine(source).document(doc_id).meta.to_dict()
        except UnknownDocument:
            return [gr.update(value="") for _ in patchable_fields()]
        return [gr.update(value=meta.get(name) or "") for name in patchable_fields()]

    return load


def make_save_metadata(
    source: EngineSource, settings: Settings, guard: UiGuard = _no_guard
) -> Callable[..., str]:
    # `request` first: Gradio passes it only to positional parameters, and the boxes are *values.
    def save(request: gr.Request | None, token: str | None, doc_id: str | None, *values: str | None) -> str:
        if denied := _admin_guard(settings, token):
            return f"❌ {denied}"
        if not doc_id:
            return "❌ 请先选择文件。"
        guard(request)
        engine = _engine(source)
        try:
            patch = changed_fields(engine.document(doc_id).meta.to_dict(), values)
            if not patch:
                return "没有修改。"
            info = engine.update_metadata(doc_id, patch)
        except UnknownDocument:
            return f"❌ 没有这个文件：{doc_id}"
        except IngestError as exc:
            return f"❌ 元数据未保存：{exc}"
        names = "、".join(field_label(name) for name in patch)
        return f"✅ 已更新《{info.meta.title}》的{names}，重建索引后立即生效。"

    return save


def make_feedback_view(settings: Settings, store: FeedbackStore) -> Callable[[str | None], str]:
    def show(token: str | None) -> str:
        if denied := _admin_guard(settings, token):
            return f'<div class="pq-empty">❌ {denied}</div>'
        return feedback_html(store.disliked(limit=200))

    return show


def _metadata_boxes(prefix: str) -> list[gr.Textbox]:
    return [
        gr.Textbox(label=field_label(name), elem_id=f"{prefix}-{name}", max_lines=2)
        for name in patchable_fields()
    ]


def admin_tab(
    source: EngineSource, settings: Settings, store: FeedbackStore, guard: UiGuard = _no_guard
) -> tuple[gr.Dropdown, gr.Dropdown, list[Any]]:
    """Lay out the tab; returns the two document pickers to refresh and the events that change documents."""
    gr.Markdown("上传、删除文件或修改元数据需要管理令牌（POLICYQA_ADMIN_TOKEN）。")
    token = gr.Textbox(label="管理令牌", type="password", elem_id="pq-admin-token")
    with gr.Row():
        with gr.Column():
            file = gr.File(label="上传文件（txt / html / docx / pdf / 扫描件 png jpg）", type="filepath")
            replace = gr.Checkbox(label="替换同一文件（原文件保留在 deleted/ 下）", value=False)
            upload = gr.Button("上传并索引", variant="primary")
        with gr.Column():
            pick = gr.Dropdown(label="删除文件", choices=[])
            delete = gr.Button("删除", variant="stop")
    status = gr.Markdown(elem_id="pq-admin-status")
    with gr.Accordion("修改元数据", open=True):
        meta_pick = gr.Dropdown(label="选择文件", choices=[], elem_id="pq-meta-pick")
        meta_boxes = _metadata_boxes("pq-meta")
        save = gr.Button("保存元数据", variant="primary", elem_id="pq-meta-save")
    with gr.Accordion("用户反馈：差评", open=False):
        show_feedback = gr.Button("查看差评", elem_id="pq-feedback-show")
        feedback_list = gr.HTML(elem_id="pq-feedback-list")
    meta_pick.change(make_load_metadata(source), [meta_pick], meta_boxes, api_visibility="private")
    show_feedback.click(
        make_feedback_view(settings, store), [token], [feedback_list], api_visibility="private"
    )
    uploaded = upload.click(
        make_upload(source, settings, guard),
        [token, file, replace],
        [status],
        api_visibility="private",
    )
    deleted = delete.click(
        make_delete(source, settings, guard), [token, pick], [status], api_visibility="private"
    )
    saved = save.click(
        make_save_metadata(source, settings, guard),
        [token, meta_pick, *meta_boxes],
        [status],
        api_visibility="private",
    )
    return pick, meta_pick, [uploaded, deleted, saved]
