"""The product's display name comes from the profile (domain.txt): UI title, heading and question
placeholder, the login page and the API summary; a profile naming no field gets the generic 政策问答."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
from fastapi.testclient import TestClient

from assistant.service.app import create_app
from assistant.service.feedback import FeedbackStore
from assistant.service.ui import build_ui

from .conftest import make_settings
from .fakes import FakeEngine


def _profile(tmp_path: Path, domain: str | None) -> Path:
    folder = tmp_path / "profile"
    folder.mkdir()
    if domain is not None:
        (folder / "domain.txt").write_text(f"# the field\n{domain}\n", encoding="utf-8")
    return folder


def _shown(blocks: gr.Blocks) -> list[Any]:
    """Every Markdown value and textbox placeholder of the UI."""
    props = [c.get("props", {}) for c in blocks.get_config_file()["components"]]
    return [p.get("value") for p in props] + [p.get("placeholder") for p in props]


def _ui(tmp_path: Path, profile: Path | None) -> gr.Blocks:
    settings = make_settings(tmp_path, profile_dir=profile)
    return build_ui(lambda: FakeEngine(), settings, FeedbackStore.in_dir(tmp_path))


def test_the_ip_profile_keeps_the_ui_as_it_was(tmp_path: Path) -> None:
    blocks = _ui(tmp_path, None)
    shown = _shown(blocks)
    assert blocks.title == "知识产权政策问答"
    assert any(
        isinstance(v, str) and v.startswith("# 知识产权政策问答\n依据已收录的政策文件作答") for v in shown
    )
    assert "请输入关于知识产权政策文件的问题…" in shown


def test_the_ui_is_named_after_another_profiles_field(tmp_path: Path) -> None:
    blocks = _ui(tmp_path, _profile(tmp_path, "林业"))
    shown = _shown(blocks)
    assert blocks.title == "林业政策问答"
    assert any(isinstance(v, str) and v.startswith("# 林业政策问答\n") for v in shown)
    assert "请输入关于林业政策文件的问题…" in shown
    assert not any(isinstance(v, str) and "知识产权" in v for v in shown)


def test_a_profile_naming_no_field_gets_the_generic_name(tmp_path: Path) -> None:
    blocks = _ui(tmp_path, _profile(tmp_path, None))
    assert blocks.title == "政策问答" and "请输入关于政策文件的问题…" in _shown(blocks)


def test_the_login_page_and_api_summary_carry_the_profiles_name(tmp_path: Path) -> None:
    shipped = TestClient(create_app(make_settings(tmp_path / "a"), engine=FakeEngine()))
    assert "<h1>知识产权政策问答</h1>" in shipped.get("/login").text
    assert shipped.get("/openapi.json").json()["info"]["summary"] == "知识产权政策问答：带精确引用的回答"
    custom = make_settings(tmp_path / "b", profile_dir=_profile(tmp_path, "林业"))
    served = TestClient(create_app(custom, engine=FakeEngine()))
    page = served.get("/login").text
    assert "<title>登录 · 林业政策问答</title>" in page and "<h1>林业政策问答</h1>" in page
    assert "知识产权" not in page and "{{TITLE}}" not in page
    assert served.get("/openapi.json").json()["info"]["summary"] == "林业政策问答：带精确引用的回答"
