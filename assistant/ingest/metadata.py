"""Document metadata from clean text: title, issuer, 文号, date, region, level (pure) + sidecar overrides.

Conventions (pinned by tests):
- title: the document's own name. A 通知 that only forwards a plan ("关于印发《X》的通知") is titled X,
  because officials know the plan by its name; the issuer prefix is dropped ("吉林省人民政府关于…意见"
  → "关于…意见").
- doc_number: only a 文号 standing on its own line in the head of the document counts; a 文号 quoted
  in a sentence belongs to another document.
- date: the signing date (a date alone on a line); else the 印发 date; else None.
- region/level follow the issuer; without an issuer, the level is read from the title (强区 → 区) and
  the region stays unknown (None) rather than guessed.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from pathlib import Path
from typing import Any

from assistant.engine_api import IngestError
from assistant.models import DocumentMeta

_HEAD_LINES = 25
_DOC_TYPES = "方案|意见|通知|办法|规定|规划|纲要|细则|计划|指引|决定|条例|措施|要点|指南"
_FORWARD = re.compile(r"关于(?:印发|转发)《?(.+?)》?的通知")
_TITLE_LINE = re.compile(rf"^(.{{2,60}}(?:{_DOC_TYPES})(?:（[^）]{{1,10}}）)?)$")
_RUN_IN_TITLE = re.compile(rf"^(.{{4,40}}?(?:{_DOC_TYPES})(?:（[^）]{{1,10}}）)?)(?=为|根据|按照|经)")
_ORG = r"[\u4e00-\u9fff]{2,24}?(?:人民政府|知识产权局|办公厅|办公室|委员会|管理局|局|厅|部)"
_ISSUER_PREFIX = re.compile(rf"^({_ORG})(?:关于|文件$)")
_ORG_LINE = re.compile(rf"^({_ORG})$")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[（(]\d{4}[〕\]）)]\d{1,4}号$")
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(印发)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章条])")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _head(lines: list[str]) -> list[str]:
    """Lines before the first top-level heading (the 通知 part and the title block)."""
    head: list[str] = []
    for line in lines[:_HEAD_LINES]:
        if _HEADING.match(line):
            break
        head.append(line)
    return head


def _title_block(head: list[str]) -> str:
    """The title may be wrapped over several lines above the 文号 or the addressee line."""
    block: list[str] = []
    for line in head:
        if _DOC_NUMBER.match(line) or line.endswith(("：", ":")) or len(line) > 60:
            break
        block.append(line)
    return "".join(block)


def extract_title(text: str) -> str:
    lines = _lines(text)
    head = _head(lines)
    for line in head:
        forward = _FORWARD.search(line)
        if forward and len(line) <= 80:
            return forward.group(1)
    block = _title_block(head)
    candidates = [block, *head]
    for cand in candidates:
        if _TITLE_LINE.match(cand):
            prefix = _ISSUER_PREFIX.match(cand)
            return cand[len(prefix.group(1)) :] if prefix and "关于" in cand else cand
    run_in = _RUN_IN_TITLE.match(lines[0]) if lines else None
    if run_in:
        return run_in.group(1)
    return lines[0][:60] if lines else ""


def extract_issuer(text: str) -> str | None:
    lines = _lines(text)
    for line in _head(lines):
        prefix = _ISSUER_PREFIX.match(line)
        if prefix:
            return prefix.group(1)
    for line, nxt in itertools.pairwise(lines):
        date = _DATE_LINE.match(nxt)
        if _ORG_LINE.match(line) and date and not date.group(4):
            return line
    return None


def extract_doc_number(text: str) -> str | None:
    for line in _head(_lines(text)):
        if _DOC_NUMBER.match(line):
            return line
    return None


def extract_date(text: str) -> str | None:
    signed: str | None = None
    printed: str | None = None
    for line in _lines(text):
        hit = _DATE_LINE.match(line)
        if not hit:
            continue
        iso = f"{int(hit.group(1)):04d}-{int(hit.group(2)):02d}-{int(hit.group(3)):02d}"
        if hit.group(4):
            printed = printed or iso
        else:
            signed = signed or iso
    return signed or printed


_PLACE_LEVEL = (("自治区", "省"), ("省", "省"), ("自治州", "市"), ("市", "市"), ("县", "县"), ("区", "区"))
_ORG_SUFFIX = re.compile(r"(?:人民政府|知识产权局|市场监督管理局|办公厅|办公室|委员会|管理局|局|厅)$")


def _place_level(place: str) -> str | None:
    return next((level for suffix, level in _PLACE_LEVEL if place.endswith(suffix)), None)


def region_and_level(issuer: str | None, title: str) -> tuple[str | None, str | None]:
    if issuer:
        if issuer.startswith(("国家", "国务院", "中共中央", "中华人民共和国")) or issuer.endswith("部"):
            return "全国", "国家"
        place = _ORG_SUFFIX.sub("", issuer)
        if _place_level(place):
            return place, _place_level(place)
    for marker, level in (("强区", "区"), ("强县", "县"), ("强市", "市"), ("强省", "省")):
        if marker in title:
            return None, level
    return None, None


def extract_metadata(doc_id: str, source: str, text: str) -> DocumentMeta:
    title = extract_title(text) or doc_id
    issuer = extract_issuer(text)
    region, level = region_and_level(issuer, title)
    return DocumentMeta(
        doc_id=doc_id,
        title=title,
        source=source,
        doc_number=extract_doc_number(text),
        issuer=issuer,
        date=extract_date(text),
        region=region,
        level=level,
    )


# --- sidecar overrides -------------------------------------------------------------------------------

OVERRIDABLE = frozenset({"title", "doc_number", "issuer", "date", "region", "level"})


def sidecar_path(path: Path) -> Path:
    """`corpus/NAME.txt` → `corpus/NAME.meta.json`."""
    return path.with_name(path.stem + ".meta.json")


def load_sidecar(path: Path) -> dict[str, Any]:
    """Overrides from the optional NAME.meta.json next to a corpus file ({} if there is none)."""
    side = sidecar_path(path)
    if not side.is_file():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestError(f"{side.name}: 元数据文件无法读取 / cannot read metadata sidecar: {exc}") from exc
    if not isinstance(data, dict):
        raise IngestError(f"{side.name}: 元数据文件必须是 JSON 对象 / sidecar must be a JSON object")
    return data


def apply_overrides(meta: DocumentMeta, overrides: dict[str, Any]) -> DocumentMeta:
    unknown = sorted(set(overrides) - OVERRIDABLE)
    if unknown:
        raise IngestError(
            f"{meta.source}: 未知的元数据字段 / unknown metadata keys {unknown}; "
            f"allowed: {sorted(OVERRIDABLE)}"
        )
    for key, value in overrides.items():
        if value is not None and not isinstance(value, str):
            raise IngestError(f"{meta.source}: 元数据字段 {key} 必须是字符串 / must be a string or null")
    date = overrides.get("date")
    if date is not None and not _ISO_DATE.match(date):
        raise IngestError(f"{meta.source}: 日期须为 YYYY-MM-DD / date must be ISO yyyy-mm-dd, got {date!r}")
    if "title" in overrides and not overrides["title"]:
        raise IngestError(f"{meta.source}: 标题不能为空 / title must not be empty")
    return dataclasses.replace(meta, **overrides)
