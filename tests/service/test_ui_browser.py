"""Drive the Gradio UI at /ui in headless Chromium (system binary; never `playwright install`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.service.app import create_app

from .conftest import make_settings
from .fakes import FakeEngine
from .live import live_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


@pytest.fixture
def page() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser.new_page(viewport={"width": 1360, "height": 1000}, locale="zh-CN")
        finally:
            browser.close()


def ask_in_ui(page: Any, base_url: str, question: str) -> None:
    page.goto(f"{base_url}/ui/", wait_until="domcontentloaded")
    page.get_by_text("知识产权政策问答").first.wait_for(timeout=30_000)
    box = page.locator("#pq-question textarea")
    box.fill(question)
    box.press("Enter")


def test_chat_shows_answer_and_cited_passage(page: Any, tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path), engine=FakeEngine())
    with live_server(app) as url:
        ask_in_ui(page, url, "支撑型试点省的主要任务是什么")
        page.locator(".pq-card").first.wait_for(timeout=30_000)
        page.locator("sup.pq-ref").first.wait_for(timeout=30_000)
        card = page.locator(".pq-card").first
        assert "支撑型" in card.inner_text() and "国知发管字〔2015〕59号" in card.inner_text()
        assert card.locator("mark").count() >= 1
        bubble = page.locator(".pq-ref").first.inner_text()
        assert bubble == "[1]"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "ui.png"), full_page=True)


def test_documents_tab_lists_documents(page: Any, tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path), engine=FakeEngine())
    with live_server(app) as url:
        page.goto(f"{url}/ui/", wait_until="domcontentloaded")
        page.get_by_role("tab", name="文件").click()
        page.get_by_text("吉政发〔2016〕27号").first.wait_for(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "ui-documents.png"), full_page=True)


@pytest.mark.slow
def test_chat_with_real_engine(page: Any, engine: Any, tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path), engine=engine)
    with live_server(app) as url:
        ask_in_ui(page, url, "支撑型试点省的主要任务是什么")
        page.locator(".pq-card").first.wait_for(timeout=90_000)
        page.get_by_text("支撑型").first.wait_for(timeout=30_000)
        assert "支撑型" in page.locator("#pq-sources-box").inner_text()
        page.screenshot(path=str(ARTIFACTS / "ui-real.png"), full_page=True)
