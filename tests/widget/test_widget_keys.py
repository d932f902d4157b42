"""Key store, origin normalisation and the `policyqa keys` sub-command."""

from __future__ import annotations

import argparse
import json
import os
import stat
from pathlib import Path

import pytest

from assistant.cli import CliError
from assistant.config import Settings
from assistant.service import keys_cli
from assistant.service.keys import InvalidOrigin, KeyStore, KeyStoreError, UnknownKey, normalize_origin


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://example.com", "https://example.com"),
        ("HTTPS://Example.COM/", "https://example.com"),
        ("  https://example.com  ", "https://example.com"),
        ("https://example.com:443", "https://example.com"),
        ("http://example.com:80/", "http://example.com"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("https://example.com:8443", "https://example.com:8443"),
        ("http://127.0.0.1:5173", "http://127.0.0.1:5173"),
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("https://政府.中国", "https://xn--mxtq1m.xn--fiqs8s"),
    ],
)
def test_normalize_origin(raw: str, expected: str) -> None:
    assert normalize_origin(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "example.com",
        "ftp://example.com",
        "https://",
        "https://example.com/path",
        "https://example.com/?q=1",
        "https://example.com/#frag",
        "https://user:pw@example.com",
        "https://example.com:99999",
        "null",
    ],
)
def test_invalid_origins_are_rejected_with_reason(raw: str) -> None:
    with pytest.raises(InvalidOrigin, match="invalid origin"):
        normalize_origin(raw)


def test_create_lookup_revoke_roundtrip(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.json")
    widget = store.create(
        "widget", ["HTTPS://Example.com/", "https://example.com", "http://localhost:3000"], "site"
    )
    server = store.create("server", name="backend")

    assert widget.key.startswith("pk_") and len(widget.key) > 30
    assert server.key.startswith("sk_") and server.key != widget.key
    assert widget.origins == ("https://example.com", "http://localhost:3000")  # normalised, deduplicated
    assert server.origins == ()
    assert store.lookup(widget.key) == widget
    assert {k.key for k in store.list()} == {widget.key, server.key}
    assert store.widget_origins() == frozenset({"https://example.com", "http://localhost:3000"})

    assert store.revoke(widget.key) == widget
    assert store.lookup(widget.key) is None
    assert store.widget_origins() == frozenset()
    with pytest.raises(UnknownKey):
        store.revoke(widget.key)


def test_widget_key_needs_an_origin(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.json")
    with pytest.raises(InvalidOrigin, match="at least one origin"):
        store.create("widget", [])
    with pytest.raises(InvalidOrigin):
        store.create("widget", ["https://example.com/page"])
    assert not (tmp_path / "keys.json").exists()  # nothing half-written


def test_file_is_private_json_and_written_atomically(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "keys.json"
    record = KeyStore(path).create("server")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["keys"][0]["key"] == record.key
    assert data["keys"][0]["kind"] == "server"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["keys.json"]  # no temp files left behind


def test_changes_by_another_process_are_seen_without_restart(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    server_view = KeyStore(path)
    cli_view = KeyStore(path)
    record = cli_view.create("widget", ["https://a.example"])
    assert server_view.lookup(record.key) == record
    cli_view.revoke(record.key)
    assert server_view.lookup(record.key) is None


def test_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(KeyStoreError, match="cannot read key file"):
        KeyStore(path).list()


def test_missing_file_means_no_keys(tmp_path: Path) -> None:
    assert KeyStore(tmp_path / "keys.json").list() == []


# --- CLI ---------------------------------------------------------------------------------------------------


def run_keys(argv: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="policyqa")
    keys_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args, Settings(data_dir=data_dir))
    return code, capsys.readouterr().out


def test_cli_create_list_revoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_keys(
        ["keys", "create", "--origin", "https://Example.com/", "--origin", "http://localhost:8000", "--json"],
        tmp_path,
        capsys,
    )
    created = json.loads(out)
    assert code == 0
    assert created["key"].startswith("pk_")
    assert created["origins"] == ["https://example.com", "http://localhost:8000"]

    code, out = run_keys(["keys", "create", "--server", "--name", "crm", "--json"], tmp_path, capsys)
    server = json.loads(out)
    assert server["key"].startswith("sk_") and server["kind"] == "server" and server["name"] == "crm"

    code, out = run_keys(["keys", "list", "--json"], tmp_path, capsys)
    assert {k["key"] for k in json.loads(out)} == {created["key"], server["key"]}

    code, out = run_keys(["keys", "revoke", created["key"]], tmp_path, capsys)
    assert code == 0 and created["key"] in out
    code, out = run_keys(["keys", "list"], tmp_path, capsys)
    assert created["key"] not in out and server["key"] in out


def test_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CliError, match="no such key"):
        run_keys(["keys", "revoke", "pk_nope"], tmp_path, capsys)
    with pytest.raises(CliError, match="invalid origin"):
        run_keys(["keys", "create", "--origin", "example.com"], tmp_path, capsys)
    with pytest.raises(CliError, match="at least one origin"):
        run_keys(["keys", "create"], tmp_path, capsys)
    with pytest.raises(CliError, match="not bound to origins"):
        run_keys(["keys", "create", "--server", "--origin", "https://a.example"], tmp_path, capsys)
    assert not os.path.exists(tmp_path / "keys.json")
