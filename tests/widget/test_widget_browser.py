"""The widget in headless Chromium against a live server: streaming, citations, XSS, keys, rate limits.

Uses Debian's /usr/bin/chromium through Playwright (never `playwright install`). Screenshots go to
test-artifacts/widget-*.png.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.engine_api import QAEngine
from assistant.service.keys import KeyStore

from .fakes import XSS, FakeEngine, LiveServer, support_tasks_passage, task_titles, xss_answer

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
QUESTION = "支撑型试点省的主要任务是什么"
TIMEOUT_MS = 20_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed (make browser-deps)"),
]

StartServer = Callable[..., LiveServer]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 760}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[StartServer]:
    """Start create_app(...) under uvicorn; every server is stopped after the test."""
    from assistant.service.app import create_app

    with ExitStack() as stack:

        def start(engine: QAEngine, require_keys: bool = False, rate_limit: str | None = None) -> LiveServer:
            settings = Settings(data_dir=tmp_path, require_keys=require_keys, rate_limit=rate_limit)
            return stack.enter_context(LiveServer(create_app(settings=settings, engine=engine)))

        yield start


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"widget-{name}.png"))


def open_widget(page: Any, url: str) -> Any:
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("button", name="打开政策问答").click()
    dialog = page.get_by_role("dialog", name="政策问答")
    dialog.wait_for(state="visible")
    return dialog


def ask(page: Any, dialog: Any, question: str) -> Any:
    """Type and send a question; return the last answer bubble once the stream is done."""
    box = dialog.get_by_role("textbox", name="输入问题")
    box.fill(question)
    box.press("Enter")
    dialog.locator(".msg.user", has_text=question).last.wait_for()
    wait_idle(page)
    return dialog.locator(".msg.bot:not(.hello), .msg.error").last


def wait_idle(page: Any) -> None:
    """Until the stream is finished: no typing indicator and the send button enabled again."""
    page.wait_for_function(
        "() => !document.querySelector('policyqa-widget').shadowRoot.querySelector('.typing')"
        " && !document.querySelector('policyqa-widget').shadowRoot.querySelector('.send').disabled"
    )


def shadow_eval(page: Any, expression: str) -> Any:
    return page.evaluate(
        f"() => {{ const root = document.querySelector('policyqa-widget').shadowRoot; {expression} }}"
    )


def test_demo_streams_answer_with_expandable_citation(page: Any, start_server: StartServer) -> None:
    engine = FakeEngine()
    server = start_server(engine)
    dialog = open_widget(page, f"{server.url}/widget/demo")
    assert shadow_eval(page, "return root.activeElement && root.activeElement.tagName") == "TEXTAREA"

    answer = ask(page, dialog, QUESTION)
    for title in task_titles(support_tasks_passage()):
        assert title in answer.inner_text()
    assert engine.questions[-1][0] == QUESTION

    marker = answer.locator("button.cite").first
    marker.click()
    card = answer.locator(".card")
    card.wait_for()
    assert "国知发管字〔2015〕59号" in card.inner_text()
    assert "支撑型知识产权强省建设试点省主要任务" in card.inner_text()
    assert "培育一批核心专利" in card.inner_text()
    assert marker.get_attribute("aria-expanded") == "true"
    shot(page, "demo-answer")

    # Esc closes and gives focus back to the launcher.
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert shadow_eval(page, "return root.activeElement.getAttribute('aria-label')") == "打开政策问答"


def test_source_link_opens_the_passage_and_thumbs_down_is_kept(
    page: Any, start_server: StartServer, tmp_path: Path
) -> None:
    from assistant.service.feedback import FeedbackStore

    server = start_server(FakeEngine())
    dialog = open_widget(page, f"{server.url}/widget/demo")
    answer = ask(page, dialog, QUESTION)
    answer.locator("button.cite").first.click()
    link = answer.locator(".card a.open")
    href = link.get_attribute("href")
    assert href.startswith(f"{server.url}/v1/documents/000_e9a873c68361df17/view?start=100&end=")
    assert link.get_attribute("target") == "_blank"
    source = page.context.new_page()
    source.goto(href)
    assert source.locator("mark#passage").inner_text() == support_tasks_passage()
    source.close()

    answer.get_by_role("button", name="踩").click()
    answer.get_by_role("textbox", name="反馈说明").fill("缺少特色型")
    answer.get_by_role("button", name="提交").click()
    answer.get_by_text("感谢反馈").wait_for()
    [record] = FeedbackStore.in_dir(tmp_path).disliked()
    assert (record.question, record.comment) == (QUESTION, "缺少特色型")
    assert record.citations[0]["doc_id"] == "000_e9a873c68361df17" and record.citations[0]["start"] == 100
    shot(page, "feedback")


def test_source_link_opens_with_keys_required(page: Any, start_server: StartServer, tmp_path: Path) -> None:
    """The link carries the widget key; the browser sends the page's origin as Referer, which the key
    must list, as Origin is checked on the API calls."""
    api = start_server(FakeEngine(), require_keys=True)
    key = KeyStore(tmp_path / "keys.json").create("widget", [api.url]).key
    answer = ask(page, open_widget(page, f"{api.url}/widget/demo?key={key}"), QUESTION)
    answer.locator("button.cite").first.click()
    with page.context.expect_page() as opened:
        answer.locator(".card a.open").click()
    source = opened.value
    source.wait_for_load_state()
    assert source.locator("mark#passage").inner_text() == support_tasks_passage()
    source.close()


def test_conversation_history_is_sent_and_kept_per_tab(page: Any, start_server: StartServer) -> None:
    engine = FakeEngine()
    server = start_server(engine)
    dialog = open_widget(page, f"{server.url}/widget/demo")
    dialog.get_by_role(
        "button", name=QUESTION
    ).click()  # suggested question chip (the profile's first example)
    dialog.locator(".msg.bot:not(.hello)").wait_for()
    wait_idle(page)
    ask(page, dialog, "第二项具体指什么")
    question, history = engine.questions[-1]
    assert question == "第二项具体指什么"
    assert [m.role for m in history] == ["user", "assistant"]
    assert history[0].content.rstrip("？") == QUESTION and "支撑优势产业转型升级" in history[1].content

    page.reload(wait_until="domcontentloaded")
    dialog = open_widget(page, f"{server.url}/widget/demo")
    assert dialog.locator(".msg.user").count() == 2  # restored from sessionStorage
    dialog.get_by_role("button", name="新对话").click()
    assert dialog.locator(".msg.user").count() == 0


def test_document_text_is_shown_as_text_never_run(page: Any, start_server: StartServer) -> None:
    server = start_server(FakeEngine(xss_answer()))
    dialogs: list[str] = []

    def on_dialog(d: Any) -> None:
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    dialog = open_widget(page, f"{server.url}/widget/demo")
    answer = ask(page, dialog, "恶意文件写了什么")
    answer.locator("button.srcbtn").click()
    answer.locator(".card").wait_for()

    assert XSS in answer.locator(".text").inner_text()
    assert XSS in answer.locator(".card").inner_text()
    assert "<script>alert(2)</script>" in answer.locator(".card").inner_text()
    assert shadow_eval(page, "return root.querySelectorAll('img, script').length") == 0
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    page.wait_for_timeout(300)
    assert dialogs == []
    shot(page, "xss-as-text")


class _PageHandler(BaseHTTPRequestHandler):
    html = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.html)))
        self.end_headers()
        self.wfile.write(self.html)

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def other_site() -> Iterator[Callable[[str, str], str]]:
    """A second origin (another port) serving a host page that embeds the widget from the API server."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"

    def serve(widget_src: str, key: str) -> str:
        html = (
            "<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>合作网站</title>"
            "<body style='font-family:serif'><h1>合作网站</h1><p>此页面位于另一个来源。</p>"
            f"<script src='{widget_src}' data-key='{key}' async></script></body></html>"
        )
        _PageHandler.html = html.encode()
        return origin

    yield serve
    server.shutdown()
    server.server_close()


def test_wrong_key_on_another_origin_shows_unauthorised(
    page: Any, start_server: StartServer, other_site: Callable[[str, str], str], tmp_path: Path
) -> None:
    engine = FakeEngine()
    api = start_server(engine, require_keys=True)
    store = KeyStore(tmp_path / "keys.json")
    origin = other_site(f"{api.url}/widget.js", "")
    store.create("widget", [origin], "partner")  # the page's origin is registered (so CORS passes) …
    wrong = store.create("widget", ["https://elsewhere.example"], "someone else").key
    other_site(f"{api.url}/widget.js", wrong)  # … but the page embeds a key bound to another origin

    dialog = open_widget(page, origin)
    error = ask(page, dialog, QUESTION)
    assert "此网站未获授权使用问答服务" in error.inner_text()
    assert error.get_attribute("role") == "alert"
    assert engine.questions == []
    shot(page, "unauthorised")


def test_right_key_on_another_origin_works(
    page: Any, start_server: StartServer, other_site: Callable[[str, str], str], tmp_path: Path
) -> None:
    api = start_server(FakeEngine(), require_keys=True)
    origin = other_site(f"{api.url}/widget.js", "")
    key = KeyStore(tmp_path / "keys.json").create("widget", [origin]).key
    other_site(f"{api.url}/widget.js", key)
    answer = ask(page, open_widget(page, origin), QUESTION)
    assert "提升知识产权支撑创新驱动发展能力" in answer.inner_text()


def test_unregistered_origin_is_blocked_by_cors(
    page: Any, start_server: StartServer, other_site: Callable[[str, str], str], tmp_path: Path
) -> None:
    api = start_server(FakeEngine(), require_keys=True)
    key = KeyStore(tmp_path / "keys.json").create("widget", ["https://elsewhere.example"]).key
    origin = other_site(f"{api.url}/widget.js", key)
    error = ask(page, open_widget(page, origin), QUESTION)
    assert "无法连接问答服务" in error.inner_text()
    assert error.get_by_role("button", name="重试").is_visible()


def test_rate_limited_message(page: Any, start_server: StartServer) -> None:
    server = start_server(FakeEngine(), rate_limit="1/minute")
    dialog = open_widget(page, f"{server.url}/widget/demo")
    ask(page, dialog, QUESTION)
    error = ask(page, dialog, "再问一次")
    assert "请求过于频繁，请稍后再试" in error.inner_text()
    shot(page, "rate-limited")


def test_mobile_layout_is_full_screen(browser: Any, start_server: StartServer) -> None:
    server = start_server(FakeEngine())
    context = browser.new_context(viewport={"width": 390, "height": 760}, locale="zh-CN", is_mobile=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        dialog = open_widget(page, f"{server.url}/widget/demo")
        box = dialog.bounding_box()
        assert box["x"] == 0 and box["y"] == 0 and box["width"] == 390 and box["height"] == 760
        ask(page, dialog, QUESTION)
        shot(page, "mobile")
        dialog.get_by_role("button", name="关闭").click()
        dialog.wait_for(state="hidden")
    finally:
        context.close()


@pytest.mark.slow
def test_real_engine_answers_support_tasks(page: Any, start_server: StartServer, engine: QAEngine) -> None:
    server = start_server(engine)
    dialog = open_widget(page, f"{server.url}/widget/demo")
    answer = ask(page, dialog, QUESTION)
    text = answer.inner_text()
    assert "提升知识产权支撑创新驱动发展能力" in text
    assert "支撑优势产业转型升级" in text
    answer.locator("button.cite").first.click()
    assert answer.locator(".card").first.inner_text().strip()
    shot(page, "real-engine")
