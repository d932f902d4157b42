"""Gradio UI for officials (mounted at /ui): streaming cited chat whose [n] open the source at the passage,
copy and export with formal references, thumbs with comments, a document browser and the admin tab.

The handlers are thin: the engine does the work, ui_format.py / ui_export.py do the formatting.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.config import Settings
from assistant.engine_api import QAEngine, UnknownDocument
from assistant.models import Answer
from assistant.profile import Profile, load_profile
from assistant.service.feedback import FeedbackRecord, FeedbackStore
from assistant.service.lifecycle import EngineNotReady
from assistant.service.ui_access import UiGuard
from assistant.service.ui_admin import admin_tab
from assistant.service.ui_export import answer_with_references, conversation_docx, conversation_markdown
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
# What each assistant bubble answered, by its index in the chat, for feedback, copy and export.
Answers = dict[int, dict[str, Any]]

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
.pq-open-row { margin-top: 6px; font-size: 13px; }
a.pq-open { color: #b4232a; text-decoration: none; }
sup.pq-ref { color: #b4232a; font-weight: 600; }
.pq-sources { max-height: 680px; overflow-y: auto; padding-right: 4px; }
.pq-docs table th, .pq-docs table td { border-color: var(--border-color-primary) !important; }
.pq-fb { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px; margin: 8px 0; }
.pq-fb-q { font-weight: 600; } .pq-fb-a { white-space: pre-wrap; margin: 6px 0; }
.pq-fb-c { color: #a1181f; } .pq-fb-r, .pq-fb-t { font-size: 12.5px; color: var(--body-text-color-subdued); }
"""

# The source view opens in a panel beside the chat; without this script the links open a new tab.
VIEWER_HEAD = """
<style>
#pq-viewer{position:fixed;top:0;right:0;bottom:0;width:min(1000px,70vw);z-index:1000;background:#fff;
  box-shadow:-8px 0 30px rgba(0,0,0,.25);display:flex;flex-direction:column}
#pq-viewer[hidden]{display:none}
#pq-viewer .pq-bar{display:flex;align-items:center;gap:12px;padding:8px 12px;border-bottom:1px solid #e5e6eb;
  font-size:14px}
#pq-viewer .pq-bar span{flex:1;font-weight:600}
#pq-viewer .pq-bar a{color:#b4232a}
#pq-viewer .pq-bar button{border:0;background:none;font-size:22px;line-height:1;cursor:pointer}
#pq-viewer iframe{flex:1;border:0;width:100%}
@media (max-width:720px){#pq-viewer{width:100vw}}
</style>
<script>
(function () {
  function viewer() {
    var v = document.getElementById("pq-viewer");
    if (v) return v;
    v = document.createElement("div");
    v.id = "pq-viewer";
    v.setAttribute("role", "dialog");
    v.setAttribute("aria-label", "原文");
    v.hidden = true;
    var bar = document.createElement("div"); bar.className = "pq-bar";
    var label = document.createElement("span"); label.textContent = "原文";
    var tab = document.createElement("a"); tab.textContent = "在新窗口打开"; tab.target = "_blank";
    tab.rel = "noopener";
    var close = document.createElement("button"); close.type = "button"; close.textContent = "×";
    close.setAttribute("aria-label", "关闭原文");
    close.addEventListener("click", function () { v.hidden = true; });
    bar.append(label, tab, close);
    var frame = document.createElement("iframe"); frame.title = "原文";
    v.append(bar, frame);
    document.body.appendChild(v);
    return v;
  }
  document.addEventListener("click", function (e) {
    var a = e.target && e.target.closest ? e.target.closest("a.pq-open") : null;
    if (!a) return;
    e.preventDefault();
    e.stopPropagation();
    var v = viewer();
    v.querySelector("iframe").src = a.href;
    v.querySelector("a").href = a.href;
    v.hidden = false;
  }, true);
  document.addEventListener("keydown", function (e) {
    var v = document.getElementById("pq-viewer");
    if (e.key === "Escape" && v) v.hidden = true;
  });
})();
</script>
"""

# Copies the hidden text box's value; falls back to execCommand where the Clipboard API is unavailable
# (plain http on a LAN address is not a secure context).
COPY_JS = """
(text) => {
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text); return text; }
  const t = document.createElement("textarea");
  t.value = text; t.style.position = "fixed"; t.style.opacity = "0";
  document.body.appendChild(t); t.select(); document.execCommand("copy"); t.remove();
  return text;
}
"""

INTRO = (
    "依据已收录的政策文件作答，每句结论都标注来源 **[n]**（点击可打开原文），"
    "右侧列出对应原文。文件中找不到依据时会明确说明。"
)


def intro(profile: Profile) -> str:
    """The heading (the profile's product title) over the note on how answers are given."""
    return f"# {profile.title}\n{INTRO}"


def question_placeholder(profile: Profile) -> str:
    """「请输入关于知识产权政策文件的问题…」: the documents named by the profile's field, if it names one."""
    return f"请输入关于{profile.domain}政策文件的问题…"


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
    sources, cited = citations_html([]), []
    text = ""
    yield chat, '<div class="pq-empty">检索中…</div>', None
    for event in engine.ask_stream(question, history, doc_ids or None):
        if event.kind == "citations":
            cited = list(event.data)
            sources = citations_html(cited)
        elif event.kind == "delta":
            text += str(event.data)
            chat[-1] = {"role": "assistant", "content": answer_html(text, cited)}
        elif event.kind == "done":
            answer: Answer = event.data
            chat[-1] = {"role": "assistant", "content": answer_html(answer.answer, answer.citations)}
            yield chat, citations_html(answer.citations, abstained=answer.abstained), answer
            return
        yield chat, sources, None


def _no_guard(request: gr.Request | None) -> None:
    return None


def make_respond(
    source: EngineSource, guard: UiGuard = _no_guard
) -> Callable[..., Iterator[tuple[Chat, Any, str, Answers, Any]]]:
    def respond(
        question: str,
        chat: Chat | None,
        doc_ids: list[str] | None,
        answers: Answers | None,
        request: gr.Request | None = None,
    ) -> Iterator[tuple[Chat, Any, str, Answers, Any]]:
        question, chat, answers = (question or "").strip(), list(chat or []), dict(answers or {})
        if not question:
            gr.Warning("请输入问题。")
            yield chat, gr.update(), "", answers, gr.update()
            return
        guard(request)
        engine = _engine_or_error(source)
        history = [{"role": m.role, "content": m.content} for m in history_messages(chat)]
        for new_chat, sources, answer in _stream_answer(engine, question, chat, doc_ids):
            copy: Any = gr.update()
            if answer is not None:
                turn = {
                    "question": question,
                    "doc_ids": doc_ids or None,
                    "history": history,
                    **answer.to_dict(),
                }
                answers[len(new_chat) - 1] = turn
                copy = answer_with_references(turn)
            yield new_chat, sources, "", answers, copy

    return respond


def make_feedback(store: FeedbackStore, guard: UiGuard = _no_guard) -> Callable[..., tuple[Any, int]]:
    """A thumb is stored at once; after a thumbs-down the comment box opens for an optional why."""

    def on_like(
        answers: Answers | None, data: gr.LikeData, request: gr.Request | None = None
    ) -> tuple[Any, int]:
        guard(request)
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        answer = (answers or {}).get(int(index))
        if answer is None:  # a thumb on a user message or on a stale bubble
            return gr.update(visible=False), 0
        liked = data.liked is True or data.liked == "Like"
        record = FeedbackRecord(
            1 if liked else -1,
            answer["question"],
            answer["answer"],
            answer["citations"],
            answer["doc_ids"],
            history=answer.get("history") or [],
            abstained=bool(answer.get("abstained")),
        )
        feedback_id = store.add(record)
        gr.Info("感谢反馈！" if liked else "已记录。可在下方补充说明哪里不对。")
        return gr.update(visible=not liked), feedback_id

    return on_like


def make_comment(store: FeedbackStore, guard: UiGuard = _no_guard) -> Callable[..., tuple[Any, str]]:
    def comment(feedback_id: int, text: str, request: gr.Request | None = None) -> tuple[Any, str]:
        guard(request)
        text = (text or "").strip()
        if feedback_id and text and store.set_comment(int(feedback_id), text[:2000]):
            gr.Info("说明已保存，谢谢！")
            return gr.update(visible=False), ""
        return gr.update(), text

    return comment


def _turns(answers: Answers | None) -> list[dict[str, Any]]:
    given = answers or {}
    return [given[i] for i in sorted(given)]


def make_export(kind: str) -> Callable[[Answers | None], Any]:
    """The conversation with its references as a Markdown or Word file for the download box."""

    def export(answers: Answers | None) -> Any:
        turns = _turns(answers)
        if not turns:
            gr.Warning("还没有可导出的问答。")
            return gr.update(visible=False, value=None)
        stamp = time.strftime("%Y-%m-%d %H:%M")
        folder = Path(tempfile.mkdtemp(prefix="policyqa-export-"))
        name = f"政策问答记录-{time.strftime('%Y%m%d-%H%M%S')}.{kind}"
        if kind == "md":
            (folder / name).write_text(conversation_markdown(turns, stamp), encoding="utf-8")
        else:
            (folder / name).write_bytes(conversation_docx(turns, stamp))
        return gr.update(visible=True, value=str(folder / name))

    return export


def _copied(text: str | None) -> None:
    if text:
        gr.Info("已复制答案及出处。")
    else:
        gr.Warning("还没有可复制的回答。")


def _new_conversation() -> tuple[Chat, str, Answers, str, Any]:
    return [], citations_html([]), {}, "", gr.update(visible=False)


# --- documents -------------------------------------------------------------------------------------------


def make_refresh(source: EngineSource) -> Callable[[], tuple[Any, Any, Any, str, Any]]:
    """Reload document lists into the filter, the 文件 tab, the admin delete list and the metadata editor."""

    def refresh() -> tuple[Any, Any, Any, str, Any]:
        try:
            infos = source().documents()
        except EngineNotReady as exc:
            return gr.update(), gr.update(), gr.update(), str(exc), gr.update()
        choices = document_choices(infos)
        return (
            gr.update(choices=choices),
            gr.update(choices=choices, value=None),
            gr.update(choices=choices, value=None),
            documents_markdown(infos),
            gr.update(choices=choices),
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


# --- layout ----------------------------------------------------------------------------------------------


def build_ui(
    source: EngineSource, settings: Settings, store: FeedbackStore, guard: UiGuard = _no_guard
) -> gr.Blocks:
    """`guard` counts each question, feedback, upload, delete and correction against the rate limits."""
    profile = load_profile(settings.profile_dir)
    demo = gr.Blocks(title=profile.title, analytics_enabled=False)
    with demo:
        gr.Markdown(intro(profile))
        with gr.Tabs():
            with gr.Tab("问答"):
                doc_filter = _chat_tab(source, store, guard, profile)
            with gr.Tab("文件"):
                docs_table, doc_pick = _documents_tab(source)
            with gr.Tab("管理"):
                delete_pick, meta_pick, admin_events = admin_tab(source, settings, store, guard)
        outputs = [doc_filter, doc_pick, delete_pick, docs_table, meta_pick]
        refresh = make_refresh(source)
        demo.load(refresh, None, outputs, api_visibility="private")
        for event in admin_events:  # the document lists change after an upload, delete or correction
            event.then(refresh, None, outputs, api_visibility="private")
    return demo


def _chat_tab(source: EngineSource, store: FeedbackStore, guard: UiGuard, profile: Profile) -> gr.Dropdown:
    answers, feedback_id = gr.State({}), gr.State(0)
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                label="对话",
                height=520,
                feedback_options=("Like", "Dislike"),
                placeholder="请在下方输入问题，或点击示例问题。",
                buttons=["copy"],
                elem_id="pq-chat",
            )
            with gr.Row(visible=False) as comment_row:
                comment = gr.Textbox(
                    placeholder="这条回答哪里不对？（可选）", show_label=False, scale=6, elem_id="pq-comment"
                )
                send_comment = gr.Button("提交说明", scale=1, min_width=80, elem_id="pq-comment-send")
            with gr.Row():
                question = gr.Textbox(
                    placeholder=question_placeholder(profile),
                    show_label=False,
                    scale=6,
                    lines=1,
                    max_lines=4,
                    elem_id="pq-question",
                )
                send = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="pq-send")
            with gr.Row():
                copy = gr.Button("复制答案（含出处）", size="sm", elem_id="pq-copy")
                export_md = gr.Button("导出 Markdown", size="sm", elem_id="pq-export-md")
                export_docx = gr.Button("导出 Word", size="sm", elem_id="pq-export-docx")
                clear = gr.Button("新对话", size="sm", min_width=80)
            copy_text = gr.Textbox(visible="hidden", elem_id="pq-copy-text")
            exported = gr.File(label="导出文件", visible=False, elem_id="pq-export-file")
            doc_filter = gr.Dropdown(label="限定文件（可多选，留空表示全部）", multiselect=True, choices=[])
            if profile.examples:  # the profile's example questions (profiles/<name>/examples.txt)
                gr.Examples(examples=[[q] for q in profile.examples], inputs=[question], label="示例问题")
        with gr.Column(scale=2):
            sources = gr.HTML(citations_html([]), elem_id="pq-sources-box", label="引用来源")
    respond = make_respond(source, guard)
    io = ([question, chatbot, doc_filter, answers], [chatbot, sources, question, answers, copy_text])
    send.click(respond, *io, api_visibility="private")
    question.submit(respond, *io, api_visibility="private")
    reset = [chatbot, sources, answers, copy_text, comment_row]
    clear.click(_new_conversation, None, reset, api_visibility="private")
    chatbot.like(make_feedback(store, guard), [answers], [comment_row, feedback_id], api_visibility="private")
    send_comment.click(
        make_comment(store, guard), [feedback_id, comment], [comment_row, comment], api_visibility="private"
    )
    copy.click(_copied, [copy_text], None, js=COPY_JS, api_visibility="private")
    export_md.click(make_export("md"), [answers], [exported], api_visibility="private")
    export_docx.click(make_export("docx"), [answers], [exported], api_visibility="private")
    return doc_filter


def _documents_tab(source: EngineSource) -> tuple[gr.Markdown, gr.Dropdown]:
    table = gr.Markdown("加载中…", elem_classes=["pq-docs"])
    pick = gr.Dropdown(label="查看文件结构", choices=[])
    outline = gr.Markdown()
    pick.change(make_outline(source), [pick], [outline], api_visibility="private")
    return table, pick
