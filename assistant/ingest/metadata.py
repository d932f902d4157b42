"""Document metadata from clean text (pure) + sidecar/upload overrides.

Conventions (pinned by tests):
- title: the full title as printed, with its issuer when the title line names one
  (「某省人民政府关于…的意见」); a title wrapped over lines is joined. A 通知 that only forwards a
  document (「关于印发《X》的通知」) is titled X, and so is a news headline (「中共中央国务院印发《X》」).
- issuer: from the title prefix, the 令/公告 that promulgates the text, the adoption note, the
  signature block or an unambiguous 文号 prefix, in that order; joint issuers are joined with 、.
- doc_number: only the document's own — a 文号 alone on a line of the head, a 令 header
  (「中华人民共和国国务院令」「第706号」), or the 令/公告 of the latest promulgation note; a 文号
  quoted in a sentence belongs to another document.
- dates (ISO): issued (signature date, else the latest 公布/发布 note, else the 印发 line), adopted,
  amended, effective (see headnotes.py); `date` is issued, else adopted, else amended.
- region/level: see places.py. genre: the document type word the title ends with.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from assistant.engine_api import IngestError
from assistant.ingest.cn_numerals import DATE, iso_date
from assistant.ingest.headnotes import HeadNotes, read_notes
from assistant.ingest.places import level_of, place_of, region_and_level
from assistant.lang.zh import places, vocabulary, words
from assistant.models import DocumentMeta

_HEAD_LINES = 30
_TITLE_MAX = 80
_CN = "一二三四五六七八九十百零〇"
_HEADING = re.compile(rf"^(?:[{_CN}]+、|第[{_CN}\d]+[编章节条])")
_FORWARD = re.compile(r"关于(?:印发|转发|发布|颁布)《?(.+?)》?的(?:通知|公告|决定)")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,15}[〔\[［（(【]\s*\d{4}\s*[〕\]］）)】]\s*第?\s*\d{1,5}\s*号")
_ORDER_HEADER = re.compile(r"^(?:中华人民共和国)?((?:(?!关于)[\u4e00-\u9fff、]){2,30}?(?:令|公告))$")
_ORDER_NUMBER = re.compile(rf"^[（(]?第\s*([\d{_CN}]+)\s*号[）)]?$")
_ORDER_INLINE = re.compile(
    rf"^[（(]?(?:中华人民共和国)?([\u4e00-\u9fff]{{2,30}}?(?:令|公告)第\s*[\d{_CN}]+\s*号)[）)]?$"
)
_DATE_LINE = re.compile(rf"^({DATE})(印发)?$")
_STARTS_WITH_DATE = re.compile(rf"^[（(]?{DATE}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SEPARATORS = re.compile(r"[、，,\s]+")
_SINCE = re.compile(rf"自({DATE}|(发布|公布|印发|颁布|通过)之日)起(?:施行|实施|执行|生效)")
_DATE_FIELDS = ("date", "issued", "adopted", "amended", "effective", "posted")


# --- vocabulary-driven patterns -------------------------------------------------------------------


@cache
def _genres() -> str:
    publishing = set(vocabulary()["publishing_genres"])
    return "|".join(g for g in words("genres") if g not in publishing)


@cache
def _title_line() -> re.Pattern[str]:
    return re.compile(rf"^(.{{2,{_TITLE_MAX}}}?(?:{_genres()})(?:[（(][^（）()]{{1,16}}[）)])?)$")


@cache
def _org() -> str:
    suffixes = "|".join(map(re.escape, words("org_suffixes")))
    return rf"[\u4e00-\u9fff]{{2,40}}?(?:{suffixes})"


@cache
def _issuer_prefix() -> re.Pattern[str]:
    return re.compile(rf"^((?:{_org()})(?:[、，,\s]*{_org()})*)(?:联合)?(?:关于|印发了?|转发|发布|文件$)")


@cache
def _org_line() -> re.Pattern[str]:
    return re.compile(rf"^({_org()}(?:[、\s]+{_org()})*)$")


@cache
def _news_issuer() -> re.Pattern[str]:
    return re.compile(
        rf"(?:^|[，。；])(?:近日|日前|最近)?，?((?:{_org()})(?:[、，,]?{_org()})*)(?:联合)?印发了?《"
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _head(lines: list[str]) -> list[str]:
    """Lines before the first heading (the 通知 part, the title block and the notes)."""
    head: list[str] = []
    for line in lines[:_HEAD_LINES]:
        if _HEADING.match(line):
            break
        head.append(line)
    return head


# --- title -------------------------------------------------------------------------------------------


def _is_title_stop(line: str) -> bool:
    return bool(
        _DOC_NUMBER.fullmatch(line)
        or _DATE_LINE.match(line)
        or line.endswith(("：", ":", "。"))
        or len(line) > _TITLE_MAX
        or _ORDER_NUMBER.match(line)
        or _STARTS_WITH_DATE.match(line)
    )


def _title_block(head: list[str]) -> str:
    """The lines of a title wrapped over several lines, after any red header (XX文件, XX令); the block
    ends with the first line that completes a title."""
    block: list[str] = []
    for line in head:
        if not block and (line.endswith("文件") or _ORDER_HEADER.match(line)):
            continue
        if _is_title_stop(line) or line.startswith(("（", "(")):
            break
        block.append(line)
        if _title_line().match("".join(block)):
            break
    return "".join(block)


def _forwarded(head: list[str]) -> str | None:
    for line in head:
        hit = _FORWARD.search(line)
        if hit and len(line) <= 2 * _TITLE_MAX:
            return hit.group(1)
    for line in head[:3]:
        news = re.match(r"^.{2,40}?印发了?《(.+)》$", line)
        if news and _issuer_prefix().match(line):
            return news.group(1)
    return None


_RUN_IN = re.compile(r"(?=为|根据|按照|经)")


def extract_title(text: str) -> str:
    lines = _lines(text)
    head = _head(lines)
    forwarded = _forwarded(head)
    if forwarded:
        return forwarded
    title_line = _title_line()
    pairs = ["".join(p) for p in itertools.pairwise(head)]
    for cand in [_title_block(head), *head, *pairs]:
        if cand and title_line.match(cand) and not _is_title_stop(cand) and not _ORDER_HEADER.match(cand):
            return cand
    order = _order_number(head)
    if order:  # an announcement that is its own text: 「国家知识产权局公告」「第三一六号」
        return order
    first = lines[0] if lines else ""
    for cut in _RUN_IN.finditer(first, 4, 41):  # 「XX工作方案为认真贯彻…」: the title runs into the body
        if title_line.match(first[: cut.start()]):
            return first[: cut.start()]
    return first[:60]


def extract_genre(title: str) -> str | None:
    bare = re.sub(r"[（(][^（）()]{1,16}[）)]$", "", title)
    return next((g for g in words("genres") if bare.endswith(g)), None)


# --- issuer ------------------------------------------------------------------------------------------


def split_issuers(names: str) -> str:
    """「中共中央国务院」 → 「中共中央、国务院」: split on separators, and run-together national bodies."""
    parts: list[str] = []
    for part in filter(None, _SEPARATORS.split(names)):
        parts += _segment(part.removeprefix("中华人民共和国"))
    return "、".join(dict.fromkeys(parts))


def _segment(name: str) -> list[str]:
    bodies = words("national_bodies")
    out: list[str] = []
    rest = name
    while rest:
        body = next((b for b in bodies if rest.startswith(b)), None)
        if body is None:
            return [name]  # not a run of known bodies: keep the name whole
        out.append(body)
        rest = rest[len(body) :]
    return out


def _issuer_from_number(number: str) -> str | None:
    """国务院令第706号 → 国务院; 浙江省第十二届人民代表大会常务委员会公告第30号 → 浙江省人民代表大会常务委员会."""
    hit = re.match(r"^(.+?)(?:令|公告)第", number)
    if not hit:
        return None
    body = re.sub(r"第[^第届]{1,6}届", "", hit.group(1))
    return split_issuers(body.removeprefix("中华人民共和国"))


def _signature(lines: list[str]) -> str | None:
    for line, nxt in itertools.pairwise(lines):
        date = _DATE_LINE.match(nxt)
        if date and not date.group(2) and _org_line().match(line):
            return split_issuers(line)
    return None


def _issuer_from_doc_number(number: str | None) -> str | None:
    if not number:
        return None
    prefix = re.split(r"[〔\[［（(【]", number)[0]
    table: dict[str, str] = vocabulary()["doc_number_prefixes"]
    for pattern, issuer in sorted(table.items(), key=lambda kv: len(kv[0]), reverse=True):
        if "{abbr}" not in pattern:
            if prefix.startswith(pattern):
                return issuer
            continue
        for place in places():
            for abbr in place.abbr:
                if abbr not in vocabulary()["ambiguous_abbr"] and prefix == pattern.format(abbr=abbr):
                    return issuer.format(province=place.name)
    return None


def _complete_relative(issuer: str | None, title: str) -> str | None:
    """「市人民代表大会常务委员会」 (a note that says 市十二届…) is the body of the title's city."""
    if not issuer or not issuer.startswith(("省", "市", "区", "县")):
        return issuer
    place = place_of(title)
    return place[0] + issuer[1:] if place and place[0].endswith(issuer[0]) else issuer


def extract_issuer(text: str, notes: HeadNotes | None = None, doc_number: str | None = None) -> str | None:
    lines = _lines(text)
    head = _head(lines)
    for line in head:
        prefix = _issuer_prefix().match(line)
        if prefix:
            return split_issuers(prefix.group(1))
    for line in head[:5]:
        news = _news_issuer().search(line)
        if news:
            return split_issuers(news.group(1))
    notes = notes or read_notes(head, words("meeting_organs"))
    for number in reversed([*notes.numbers, *(n for n in [_order_number(head)] if n)]):
        issuer = _issuer_from_number(number)
        if issuer:
            return issuer
    if notes.adopting_bodies:
        return "、".join(notes.adopting_bodies)
    published = [b for b in notes.publishing_bodies if _org_line().match(b)]
    if published:
        return split_issuers(published[-1])
    if notes.revising_bodies:
        return notes.revising_bodies[-1]
    return _signature(lines) or _issuer_from_doc_number(doc_number)


# --- 文号 ----------------------------------------------------------------------------------------------


def _order_number(head: list[str]) -> str | None:
    """A 令/公告 header: 「中华人民共和国国务院令」+「第706号」, or 「XX令第N号」 alone on a line."""
    for line, nxt in itertools.pairwise(head):
        header, number = _ORDER_HEADER.match(line), _ORDER_NUMBER.match(nxt)
        if header and number:
            return f"{header.group(1)}第{number.group(1)}号"
    for line in head:
        inline = _ORDER_INLINE.match(line)
        if inline:
            return inline.group(1).replace(" ", "")
    return None


def extract_doc_number(text: str, notes: HeadNotes | None = None) -> str | None:
    head = _head(_lines(text))
    for line in head:
        if _DOC_NUMBER.fullmatch(line):
            return re.sub(r"\s+", "", line)
    notes = notes or read_notes(head, words("meeting_organs"))
    return _order_number(head) or (notes.numbers[-1] if notes.numbers else None)


# --- dates -------------------------------------------------------------------------------------------


def _signed_and_printed(lines: list[str]) -> tuple[str | None, str | None]:
    signed: str | None = None
    printed: str | None = None
    for line in lines:
        hit = _DATE_LINE.match(line)
        if hit and hit.group(2):
            printed = printed or iso_date(hit.group(1))
        elif hit:
            signed = signed or iso_date(hit.group(1))
    return signed, printed


def _effective(text: str, genre: str | None, issued: str | None, adopted: str | None) -> str | None:
    """「本条例自2002年7月1日起施行」 (this document's own), or 自发布之日起施行 → the issue date."""
    own = rf"本(?:{_genres()}|{re.escape(genre or '文件')})"
    for hit in re.finditer(own + _SINCE.pattern, text):
        if hit.group(2):
            return adopted if hit.group(2) == "通过" else issued
        return iso_date(hit.group(1))
    return None


def extract_dates(text: str, notes: HeadNotes, genre: str | None) -> dict[str, str | None]:
    lines = _lines(text)
    signed, printed = _signed_and_printed(lines)
    issued = signed or notes.published or printed
    effective = notes.effective or _effective(text, genre, issued, notes.adopted)
    return {
        "date": issued or notes.adopted or notes.amended,
        "issued": issued,
        "adopted": notes.adopted,
        "amended": notes.amended,
        "effective": effective,
    }


# A web page's own posting date (「发布时间: 2015-10-22」, 「来源: | 发布时间: 2020-04-23 |」): page chrome that
# cleaning removes, read from the raw text's head
_POSTED = re.compile(r"发布(?:时间|日期)\s*[:：]\s*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_POSTED_HEAD_LINES = 40


def extract_posted(raw: str) -> str | None:
    """The posting date a saved web page shows near its top, as ISO."""
    head = "\n".join(raw.splitlines()[:_POSTED_HEAD_LINES])
    hit = _POSTED.search(head)
    return f"{hit.group(1)}-{int(hit.group(2)):02d}-{int(hit.group(3)):02d}" if hit else None


def extract_metadata(doc_id: str, source: str, text: str) -> DocumentMeta:
    title = extract_title(text) or doc_id
    genre = extract_genre(title)
    notes = read_notes(_head(_lines(text)), words("meeting_organs"))
    doc_number = extract_doc_number(text, notes)
    issuer = extract_issuer(text, notes, doc_number)
    issuer = _complete_relative(issuer, title)
    region, level = region_and_level(issuer, title, text)
    dates = extract_dates(text, notes, genre)
    return DocumentMeta(
        doc_id=doc_id,
        title=title,
        source=source,
        doc_number=doc_number,
        issuer=issuer,
        region=region,
        level=level,
        genre=genre,
        date=dates["date"],
        issued=dates["issued"],
        adopted=dates["adopted"],
        amended=dates["amended"],
        effective=dates["effective"],
    )


# --- sidecar / upload overrides ----------------------------------------------------------------------

OVERRIDABLE = frozenset(f.name for f in dataclasses.fields(DocumentMeta)) - {"doc_id", "source"}


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
    for key in _DATE_FIELDS:
        value = overrides.get(key)
        if value is not None and not _ISO_DATE.match(value):
            raise IngestError(
                f"{meta.source}: 日期须为 YYYY-MM-DD / {key} must be ISO yyyy-mm-dd, got {value!r}"
            )
    if "title" in overrides and not overrides["title"]:
        raise IngestError(f"{meta.source}: 标题不能为空 / title must not be empty")
    if overrides.get("region") and "level" not in overrides:  # a new region brings its own level
        overrides = {**overrides, "level": level_of(overrides["region"])}
    return dataclasses.replace(meta, **overrides)
