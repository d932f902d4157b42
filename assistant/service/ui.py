"""Gradio UI for officials (mounted at /ui): streaming cited chat, document browser and admin tab.

The handlers are thin: the engine does the work, ui_format.py does the formatting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.config import Settings
from assistant.engine_api import DocumentExists, DocumentInfo, IngestError, QAEngine, UnknownDocument
from assistant.models import Answer
from assistant.service.admin import AdminDenied, check_admin_token
from assistant.service.feedback import FeedbackRecord, FeedbackStore
from assistant.service.lifecycle import EngineNotReady
from assistant.service.ui_access import UiGuard
from assistant.service.ui_format import (
    answer_html,
    citations_html,
    document_choices,
    documents_markdown,
    history_messages,
    outline_markdown,
)

LOG = logging.getLogger("policyqa.ui")
EngineSource = Callable[[], QAEngine]
Chat = list[dict[str, Any]]
# What each assistant bubble answered, by its index in the chat, for the feedback store.
Answers = dict[int, dict[str, Any]]

EXAMPLES = [
    "支撑型试点省的主要任务是什么？",
    "吉林省到2020年每万人口发明专利拥有量目标是多少？",
    "汕尾市建设引领型知识产权强市实施方案的文号是什么？",
    "知识产权强区试点建设的主要任务有哪些？",
    "2020年知识产权高质量发展工作指引提出了哪些重点任务？",
]

UI_CSS = """
.pq-sources, .pq-empty { font-size: 14px; line-height: 1.65; }
.pq-heading { font-weight: 600; margin: 2px 0 8px; color: var(--body-text-color-subdued); }
.pq-empty { color: var(--body-text-color-subdued); padding: 12px 4px; }
.pq-card { border: 1px solid var(--border-color-primary); border-left: 4px solid #b4232a;
  border-radius: 8px; padding: 10px 12px; margin-bottom: 10px; background: var(--background-fill-primary); }
.pq-title { font-weight: 600; }
.pq-n { color: #b4232a; }
.pq-meta, .pq-section { font-size: 12.5px; color: var(--body-text-color-subdued); margin-top: 2px; }
.pq-passage { margin-top: 6px; white-space: pre-wrap; max-height: 240px; overflow-y: auto; }
.pq-passage mark { background: #fff1a8; color: inherit; padding: 0 1px; border-radius: 2px; }
sup.pq-ref { color: #b4232a; font-weight: 600; }
.pq-sources { max-height: 680px; overflow-y: auto; padding-right: 4px; }
.pq-docs table th, .pq-docs table td { border-color: var(--border-color-primary) !important; }
"""

INTRO = (
    "# 知识产权政策问答\n"
    "依据已收录的知识产权强省/强市/强区政策文件作答，每句结论都标注来源 **[n]**，右侧列出对应原文。"
    "文件中找不到依据时会明确说明。"
)


def ui_theme() -> gr.themes.Base:
    # Local CJK fonts only: the UI must render offline (no web-font downloads).
    fonts = ["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif"]
    return gr.themes.Soft(primary_hue="red", neutral_hue="slate", font=fonts, font_mono=["monospace"])


def _engine_or_error(source: EngineSource) -> QAEngine:
    try:
        return source()
    except EngineNotReady as exc:
        raise gr.Error(str(exc)) from exc


# --- chat ------------------------------------------------------------------------------------------------


def _stream_answer(
    engine: QAEngine, question: str, chat: Chat, doc_ids: list[str] | None
) -> Iterator[tuple[Chat, str, Answer | None]]:
    """Yield (chat, sources html, final answer or None) as the engine streams."""
    history = history_messages(chat)
    chat = [*chat, {"role": "user", "content": question}, {"role": "assistant", "content": "…"}]
    sources = citations_html([])
    text = ""
    yield chat, '<div class="pq-empty">检索中…</div>', None
    for event in engine.ask_stream(question, history, doc_ids or None):
        if event.kind == "citations":
            sources = citations_html(list(event.data))
        elif event.kind == "delta":
            text += str(event.data)
            chat[-1] = {"role": "assistant", "content": answer_html(text)}
        elif event.kind == "done":
            answer: Answer = event.data
            chat[-1] = {"role": "assistant", "content": answer_html(answer.answer)}
            yield chat, citations_html(answer.citations, abstained=answer.abstained), answer
            return
        yield chat, sources, None


def _no_guard(request: gr.Request | None) -> None:
    return None


def make_respond(
    source: EngineSource, guard: UiGuard = _no_guard
) -> Callable[..., Iterator[tuple[Chat, Any, str, Answers]]]:
    def respond(
        question: str,
        chat: Chat | None,
        doc_ids: list[str] | None,
        answers: Answers | None,
        request: gr.Request | None = None,
    ) -> Iterator[tuple[Chat, Any, str, Answers]]:
        question, chat, answers = (question or "").strip(), list(chat or []), dict(answers or {})
        if not question:
            gr.Warning("请输入问题。")
            yield chat, gr.update(), "", answers
            return
        guard(request)
        engine = _engine_or_error(source)
        for new_chat, sources, answer in _stream_answer(engine, question, chat, doc_ids):
            if answer is not None:
                answers[len(new_chat) - 1] = {
                    "question": question,
                    "doc_ids": doc_ids or None,
                    **answer.to_dict(),
                }
            yield new_chat, sources, "", answers

    return respond


def make_feedback(store: FeedbackStore, guard: UiGuard = _no_guard) -> Callable[..., None]:
    def on_like(answers: Answers | None, data: gr.LikeData, request: gr.Request | None = None) -> None:
        guard(request)
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        answer = (answers or {}).get(int(index))
        if answer is None:  # a thumb on a user message or on a stale bubble
            return
        liked = data.liked is True or data.liked == "Like"
        cites = [{"n": c["n"], "doc_id": c["doc_id"], "section": c["section"]} for c in answer["citations"]]
        store.add(
            FeedbackRecord(1 if liked else -1, answer["question"], answer["answer"], cites, answer["doc_ids"])
        )
        gr.Info("感谢反馈！")

    return on_like


def _new_conversation() -> tuple[Chat, str, Answers]:
    return [], citations_html([]), {}


# --- documents & admin -----------------------------------------------------------------------------------


def make_refresh(source: EngineSource) -> Callable[[], tuple[Any, Any, Any, str]]:
    """Reload document lists into the filter, the 文件 tab and the admin delete list."""

    def refresh() -> tuple[Any, Any, Any, str]:
        try:
            infos = source().documents()
        except EngineNotReady as exc:
            return gr.update(), gr.update(), gr.update(), str(exc)
        choices = document_choices(infos)
        return (
            gr.update(choices=choices),
            gr.update(choices=choices, value=None),
            gr.update(choices=choices, value=None),
            documents_markdown(infos),
        )

    return refresh


def make_outline(source: EngineSource) -> Callable[[str | None], str]:
    def show(doc_id: str | None) -> str:
        if not doc_id:
            return ""
        try:
            return outline_markdown(_engine_or_error(source).document(doc_id))
        except UnknownDocument:
            return "该文件已不在索引中。"

    return show


def _admin_guard(settings: Settings, token: str | None) -> str | None:
    try:
        check_admin_token(settings, (token or "").strip() or None)
    except AdminDenied as exc:
        return exc.message
    return None


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
            info = _engine_or_error(source).add_document(file.name, file.read_bytes(), bool(replace))
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
        guard(request)
        if not doc_id:
            return "❌ 请先选择要删除的文件。"
        try:
            _engine_or_error(source).delete_document(doc_id)
        except UnknownDocument:
            return f"❌ 没有这个文件：{doc_id}"
        return f"✅ 已删除 {doc_id}。"

    return delete


# --- layout ----------------------------------------------------------------------------------------------


def build_ui(
    source: EngineSource, settings: Settings, store: FeedbackStore, guard: UiGuard = _no_guard
) -> gr.Blocks:
    """`guard` counts each question, feedback, upload and delete against the rate limits."""
    demo = gr.Blocks(title="知识产权政策问答", analytics_enabled=False)
    with demo:
        gr.Markdown(INTRO)
        with gr.Tabs():
            with gr.Tab("问答"):
                doc_filter = _chat_tab(source, store, guard)
            with gr.Tab("文件"):
                docs_table, doc_pick = _documents_tab(source)
            with gr.Tab("管理"):
                delete_pick, admin_events = _admin_tab(source, settings, guard)
        outputs = [doc_filter, doc_pick, delete_pick, docs_table]
        refresh = make_refresh(source)
        demo.load(refresh, None, outputs, api_visibility="private")
        for event in admin_events:  # the document lists change after an upload or delete
            event.then(refresh, None, outputs, api_visibility="private")
    return demo


def _chat_tab(source: EngineSource, store: FeedbackStore, guard: UiGuard) -> gr.Dropdown:
    answers = gr.State({})
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                label="对话",
                height=520,
                feedback_options=("Like", "Dislike"),
                placeholder="请在下方输入问题，或点击示例问题。",
                buttons=["copy"],
            )
            with gr.Row():
                question = gr.Textbox(
                    placeholder="请输入关于知识产权政策文件的问题…",
                    show_label=False,
                    scale=6,
                    lines=1,
                    max_lines=4,
                    elem_id="pq-question",
                )
                send = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="pq-send")
            with gr.Row():
                doc_filter = gr.Dropdown(
                    label="限定文件（可多选，留空表示全部）", multiselect=True, choices=[], scale=4
                )
                clear = gr.Button("新对话", scale=1, min_width=80)
            gr.Examples(examples=[[q] for q in EXAMPLES], inputs=[question], label="示例问题")
        with gr.Column(scale=2):
            sources = gr.HTML(citations_html([]), elem_id="pq-sources-box", label="引用来源")
    respond = make_respond(source, guard)
    io = ([question, chatbot, doc_filter, answers], [chatbot, sources, question, answers])
    send.click(respond, *io, api_visibility="private")
    question.submit(respond, *io, api_visibility="private")
    clear.click(_new_conversation, None, [chatbot, sources, answers], api_visibility="private")
    chatbot.like(make_feedback(store, guard), [answers], None, api_visibility="private")
    return doc_filter


def _documents_tab(source: EngineSource) -> tuple[gr.Markdown, gr.Dropdown]:
    table = gr.Markdown("加载中…", elem_classes=["pq-docs"])
    pick = gr.Dropdown(label="查看文件结构", choices=[])
    outline = gr.Markdown()
    pick.change(make_outline(source), [pick], [outline], api_visibility="private")
    return table, pick


def _admin_tab(source: EngineSource, settings: Settings, guard: UiGuard) -> tuple[gr.Dropdown, list[Any]]:
    gr.Markdown("上传或删除文件需要管理令牌（POLICYQA_ADMIN_TOKEN）。")
    token = gr.Textbox(label="管理令牌", type="password")
    with gr.Row():
        with gr.Column():
            file = gr.File(label="上传文件（txt / html / docx / pdf / 扫描件 png jpg）", type="filepath")
            replace = gr.Checkbox(label="替换同一文件（原文件保留在 deleted/ 下）", value=False)
            upload = gr.Button("上传并索引", variant="primary")
        with gr.Column():
            pick = gr.Dropdown(label="删除文件", choices=[])
            delete = gr.Button("删除", variant="stop")
    status = gr.Markdown()
    uploaded = upload.click(
        make_upload(source, settings, guard), [token, file, replace], [status], api_visibility="private"
    )
    deleted = delete.click(
        make_delete(source, settings, guard), [token, pick], [status], api_visibility="private"
    )
    return pick, [uploaded, deleted]
