"""`policyqa keys create|list|revoke`: manage widget keys (bound to origins), server keys and staff
logins for the web UI."""

from __future__ import annotations

import argparse
import json
from typing import Any

from assistant.config import Settings
from assistant.service.keys import ApiKey, InvalidOrigin, KeyKind, KeyStoreError, UnknownKey, key_store_for


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "keys", help="manage API keys for the chat widget and server-to-server calls"
    )
    sub = parser.add_subparsers(dest="keys_command", required=True, metavar="ACTION")

    create = sub.add_parser(
        "create",
        help="create a widget key (pk_…), a server key (--server, sk_…) or a staff UI login (--staff, st_…)",
    )
    create.add_argument(
        "--origin",
        action="append",
        default=[],
        metavar="URL",
        help="page origin allowed to use the widget key, e.g. https://example.com (repeatable)",
    )
    create.add_argument("--name", default="", help="a label for the key")
    kind = create.add_mutually_exclusive_group()
    kind.add_argument("--server", action="store_true", help="create a secret server key (no origins)")
    kind.add_argument(
        "--staff", action="store_true", help="create a staff login for the web UI (name it after the person)"
    )
    create.add_argument("--json", action="store_true", help="print JSON")
    create.set_defaults(func=_create)

    listing = sub.add_parser("list", help="list active keys")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=_list)

    revoke = sub.add_parser("revoke", help="revoke a key (effective immediately, no restart)")
    revoke.add_argument("key")
    revoke.set_defaults(func=_revoke)


def _create(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli import CliError

    kind: KeyKind = "server" if args.server else "staff" if args.staff else "widget"
    if kind != "widget" and args.origin:
        raise CliError(f"{kind} keys are not bound to origins; drop --origin or --{kind}")
    try:
        record = key_store_for(settings.data_dir).create(kind, args.origin, args.name)
    except (InvalidOrigin, KeyStoreError) as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        print(json.dumps(record.to_dict(), ensure_ascii=False))
    else:
        print(record.key)
        if record.kind == "widget":
            print(f"origins: {', '.join(record.origins)}")
    return 0


def _list(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli import CliError

    try:
        records = key_store_for(settings.data_dir).list()
    except KeyStoreError as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        print(json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=2))
    else:
        for record in records:
            print(_describe(record))
        if not records:
            print("no keys")
    return 0


def _describe(record: ApiKey) -> str:
    origins = ", ".join(record.origins) or "-"
    return f"{record.key}\t{record.kind}\t{record.name or '-'}\t{origins}\t{record.created}"


def _revoke(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli import CliError

    try:
        record = key_store_for(settings.data_dir).revoke(args.key)
    except (UnknownKey, KeyStoreError) as exc:
        raise CliError(str(exc.args[0]) if exc.args else str(exc)) from exc
    print(f"revoked {record.key}")
    return 0
