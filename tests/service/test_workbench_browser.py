"""The officials' workbench in headless Chromium: [n] opens the source at the highlighted passage, the copy
button puts the answer with its references on the clipboard, the conversation exports to Markdown and Word,
a thumbs-down with a comment reaches the admin's list, and the admin tab corrects metadata.

Debian's /usr/bin/chromium through Playwright (never `playwright install`); screenshots go to
test-artifacts/workbench-*.png.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.service.app import create_app
from assistant.service.feedback import FeedbackStore

from .conftest import ADMIN_TOKEN, make_settings
from .fakes import FakeEngine
from .live import live_server
from .test_ui_browser import ARGS, ARTIFACTS, CHROMIUM

QUESTION = "支撑型试点省的主要任务是什么"
TIMEOUT_MS = 30_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, FakeEngine, Path]]:
    engine = FakeEngine()
    settings = make_settings(tmp_path)
    with live_server(create_app(settings, engine=engine)) as url:
        yield url, engine, settings.data_dir


@pytest.fixture
def page(browser: Any, served: tuple[str, FakeEngine, Path]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served[0])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"workbench-{name}.png"))


def ask(page: Any, url: str, question: str = QUESTION) -> None:
    page.goto(f"{url}/ui/", wait_until="domcontentloaded")
    box = page.locator("#pq-question textarea")
    box.fill(question)
    box.press("Enter")
    page.locator(".pq-card").first.wait_for()
    page.locator("#pq-chat sup.pq-ref a").first.wait_for()
    # The stream is done when the final answer's text for the copy button is in place.
    page.wait_for_function("() => document.querySelector('#pq-copy-text textarea').value.includes('出处')")


def open_viewer(page: Any, link: Any) -> Any:
    """Click a source link; return the viewer's frame once the highlighted passage is in it."""
    link.click()
    page.locator("#pq-viewer").wait_for(state="visible")
    frame = page.frame_locator("#pq-viewer iframe")
    frame.locator("mark#passage").wait_for()
    return frame


def clipboard(page: Any, timeout: float = 10.0) -> str:
    """The clipboard once something is on it (the copy runs in the page, after the click returns)."""
    deadline = time.monotonic() + timeout
    while not (text := str(page.evaluate("navigator.clipboard.readText()"))) and time.monotonic() < deadline:
        time.sleep(0.1)
    return text


def in_view(frame: Any, timeout: float = 10.0) -> bool:
    """The passage's first line is on screen (a long passage may run past the bottom)."""
    mark = frame.locator("mark#passage")
    deadline = time.monotonic() + timeout
    while True:
        shown = bool(
            mark.evaluate(
                "m => { const r = m.getClientRects()[0]; return r.top >= 0 && r.bottom <= innerHeight; }"
            )
        )
        if shown or time.monotonic() > deadline:
            return shown
        time.sleep(0.1)


def test_marker_and_card_open_the_source_at_the_highlighted_passage(
    page: Any, served: tuple[str, FakeEngine, Path]
) -> None:
    url, engine, _ = served
    expected = engine.ask(QUESTION).citations
    ask(page, url)
    frame = open_viewer(page, page.locator("#pq-chat sup.pq-ref a").first)
    assert frame.locator("mark#passage").inner_text() == expected[0].text
    assert in_view(frame)
    assert "国知发管字〔2015〕59号" in frame.locator("header").inner_text()
    here = frame.locator("nav a.here")
    assert here.count() >= 1 and "支撑型" in here.last.inner_text()  # the outline marks the passage's section
    shot(page, "source-view")

    page.locator("#pq-viewer button[aria-label='关闭原文']").click()
    page.locator("#pq-viewer").wait_for(state="hidden")
    frame = open_viewer(page, page.locator(".pq-card").nth(1).locator("a.pq-open"))
    assert frame.locator("mark#passage").inner_text() == expected[1].text


def test_copy_puts_answer_and_references_on_the_clipboard(
    page: Any, served: tuple[str, FakeEngine, Path]
) -> None:
    url, engine, _ = served
    answer = engine.ask(QUESTION)
    ask(page, url)
    page.locator("#pq-copy").click()
    clip = clipboard(page)
    assert clip.startswith(answer.answer)
    assert clip.endswith("\n".join(answer.references))
    assert "《加快推进知识产权强省建设工作方案（试行）》（国知发管字〔2015〕59号，2015年10月10日）" in clip


def test_conversation_exports_to_markdown_and_word(page: Any, served: tuple[str, FakeEngine, Path]) -> None:
    from docx import Document

    url, engine, _ = served
    answer = engine.ask(QUESTION)
    ask(page, url)
    page.locator("#pq-export-md").click()
    link = page.locator("#pq-export-file a[href*='.md']").first
    link.wait_for()
    markdown = httpx.get(link.get_attribute("href")).text
    assert f"## 问：{QUESTION}" in markdown and f"- {answer.references[0]}" in markdown

    page.locator("#pq-export-docx").click()
    link = page.locator("#pq-export-file a[href*='.docx']").first
    link.wait_for()
    word = Document(io.BytesIO(httpx.get(link.get_attribute("href")).content))
    paragraphs = [p.text for p in word.paragraphs]
    assert f"问：{QUESTION}" in paragraphs and answer.references[-1] in paragraphs
    shot(page, "export")


def test_thumbs_down_with_comment_reaches_the_admin_list(
    page: Any, served: tuple[str, FakeEngine, Path]
) -> None:
    url, _, data_dir = served
    ask(page, url)
    page.locator("#pq-chat").get_by_label("踩").last.click()
    comment = page.locator("#pq-comment textarea")
    comment.wait_for()
    comment.fill("漏了特色型试点省")
    page.locator("#pq-comment-send").click()
    comment.wait_for(state="hidden")
    [record] = FeedbackStore.in_dir(data_dir).disliked()
    assert record.question == QUESTION and record.comment == "漏了特色型试点省"

    page.get_by_role("tab", name="管理").click()
    page.locator("#pq-admin-token input").fill(ADMIN_TOKEN)
    page.get_by_text("用户反馈：差评").click()
    page.locator("#pq-feedback-show").click()
    entry = page.locator("#pq-feedback-list .pq-fb").first
    entry.wait_for()
    assert QUESTION in entry.inner_text() and "漏了特色型试点省" in entry.inner_text()
    assert "加快推进知识产权强省建设工作方案（试行）" in entry.inner_text()  # its citations
    entry.scroll_into_view_if_needed()
    shot(page, "feedback-admin")


def test_admin_tab_corrects_metadata(page: Any, served: tuple[str, FakeEngine, Path]) -> None:
    url, engine, _ = served
    page.goto(f"{url}/ui/", wait_until="domcontentloaded")
    page.get_by_role("tab", name="管理").click()
    page.locator("#pq-admin-token input").fill(ADMIN_TOKEN)
    pick = page.locator("#pq-meta-pick input")
    pick.click()
    page.get_by_role("option", name="汕尾市建设引领型知识产权强市实施方案（汕府〔2016〕69号）").click()
    number = page.locator("#pq-meta-doc_number textarea, #pq-meta-doc_number input").first
    page.wait_for_function(
        "() => document.querySelector('#pq-meta-doc_number textarea, #pq-meta-doc_number input').value"
        " === '汕府〔2016〕69号'"
    )
    number.fill("汕府〔2016〕70号")
    page.locator("#pq-meta-date textarea, #pq-meta-date input").first.fill("2016-09-19")
    page.locator("#pq-meta-save").click()
    page.locator("#pq-admin-status").get_by_text("已更新").wait_for()
    meta = engine.document("002").meta
    assert (meta.doc_number, meta.date) == ("汕府〔2016〕70号", "2016-09-19")
    shot(page, "metadata")
    page.get_by_role("tab", name="文件").click()
    page.get_by_text("汕府〔2016〕70号").first.wait_for()


@pytest.mark.slow
def test_marker_opens_the_real_source(browser: Any, engine: Any, tmp_path: Path) -> None:
    """The done criterion over the real index: [1] of the card question shows its passage highlighted."""
    expected = engine.ask(QUESTION).citations[0]
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(90_000)
    page = context.new_page()
    try:
        with live_server(create_app(make_settings(tmp_path), engine=engine)) as url:
            ask(page, url)
            frame = open_viewer(page, page.locator("#pq-chat sup.pq-ref a").first)
            assert frame.locator("mark#passage").inner_text() == expected.text
            shot(page, "source-view-real")
            assert in_view(frame) and "国知发管字〔2015〕59号" in frame.locator("header").inner_text()
    finally:
        context.close()
