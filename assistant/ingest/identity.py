"""Which file is which document, and which file names are safe to write (pure).

A document's id is its file stem, so two files whose stems differ only in case, width or extension
(`case.txt` / `case.md`, `X.TXT` / `x.txt`, `ｃａｓｅ.htm` / `case.html`) would be one document. Their
`identity_key` is equal: uploads refuse the second (409 unless replace=true) and a build indexes one.

Every name a write derives from a file name (temporary file, replaced copy, sidecar, trash entry) must
fit the file system's 255-byte limit, or the write fails half-way and leaves an orphan behind.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

NAME_MAX_BYTES = 255  # NAME_MAX of ext4, xfs, btrfs, tmpfs
TRASH_STAMP = "%Y%m%d%H%M%S"
# A trash entry is "<stamp>[.<n>]-<name>"; n < 1000 keeps two deletes in one second apart.
TRASH_PREFIX_BYTES = len("20260101000000.999-")
# Path syntax on either OS; everything else Linux allows in a name is fine.
_FORBIDDEN = frozenset("/\\")
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def identity_key(stem: str) -> str:
    """NFKC + case folding: the names that a person reads as the same document compare equal."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", stem).casefold())


def file_key(name: str) -> str:
    return identity_key(PurePath(name).stem)


def temporary_name(name: str) -> str:
    return f".{name}.tmp"


def previous_name(name: str) -> str:
    return f".{name}.previous"


def sidecar_name(name: str) -> str:
    return f"{PurePath(name).stem}.meta.json"


def trash_name(name: str, stamp: str, n: int = 0) -> str:
    return f"{stamp}{f'.{n}' if n else ''}-{name}"


def derived_names(name: str) -> dict[tuple[str, str], str]:
    """Every name the write path may create for `name` ((Chinese, English) → name), longest trash
    prefix included."""
    return {
        ("文件", "file"): name,
        ("临时文件", "temporary file"): temporary_name(name),
        ("替换备份", "replaced copy"): previous_name(name),
        ("元数据文件", "sidecar"): sidecar_name(name),
        ("元数据临时文件", "sidecar temporary file"): temporary_name(sidecar_name(name)),
        ("删除备份", "deleted copy"): "0" * (TRASH_PREFIX_BYTES - 1) + "-" + name,
    }


def _bad_character(name: str) -> str | None:
    for ch in name:
        if ch in _FORBIDDEN or unicodedata.category(ch) in _BAD_CATEGORIES:
            return f"U+{ord(ch):04X}"
    for ch in name:
        if ch.isspace() and ch not in (" ", "\u3000"):
            return f"U+{ord(ch):04X}"
    return None


def name_problem(name: str) -> str | None:
    """Why `name` (a bare file name) cannot be stored, in words for the uploader; None when it can."""
    if not name or name in (".", ".."):
        return "文件名为空 (empty file name)"
    if name.startswith(".") or name != name.strip():
        return "文件名不能以点或空白开头、以空白结尾 (name starts with a dot or has leading/trailing space)"
    bad = _bad_character(name)
    if bad is not None:
        return f"文件名含有控制字符或不允许的字符 {bad} (control or reserved character in the name)"
    for (zh, en), derived in derived_names(name).items():
        size = len(derived.encode("utf-8"))
        if size > NAME_MAX_BYTES:
            return (
                f"文件名过长：UTF-8 {len(name.encode('utf-8'))} 字节，其{zh}名将有 {size} 字节，超过 "
                f"{NAME_MAX_BYTES} 字节上限，请缩短 {size - NAME_MAX_BYTES} 字节以上 (file name too long: "
                f"its {en} name would be {size} bytes, the limit is {NAME_MAX_BYTES})"
            )
    return None


@dataclass(frozen=True)
class Collision:
    """A corpus file skipped because another file already stands for the same document."""

    name: str
    kept: str

    @property
    def reason(self) -> str:
        return (
            f"与 {self.kept} 是同一文件（文件名只差扩展名、大小写或全半角），已跳过 "
            f"(same document as {self.kept}: names differ only in extension, case or width; skipped)"
        )


def choose_per_identity(
    names: Sequence[str], preferred: Iterable[str] = ()
) -> tuple[list[str], list[Collision]]:
    """One file per identity key: the one already indexed (`preferred`) if any, else the first in order.

    Returns the kept names in their original order and the skipped ones, each with the file it lost to.
    """
    wanted = set(preferred)
    winner: dict[str, str] = {}
    for name in names:
        key = file_key(name)
        if key not in winner or (name in wanted and winner[key] not in wanted):
            winner[key] = name
    kept = [n for n in names if winner[file_key(n)] == n]
    skipped = [Collision(n, winner[file_key(n)]) for n in names if winner[file_key(n)] != n]
    return kept, skipped


def same_identity(name: str, existing: Iterable[str]) -> list[str]:
    """The existing file names that are the same document as `name` (the name itself included)."""
    key = file_key(name)
    return [e for e in existing if file_key(e) == key]
