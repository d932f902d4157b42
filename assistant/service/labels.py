"""Chinese labels of metadata fields for people (UI, source view, exports); an unknown field shows its name."""

from __future__ import annotations

import re

from assistant.models import chinese_date

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

FIELD_LABELS = {
    "title": "标题",
    "doc_number": "文号",
    "issuer": "发文机关",
    "date": "日期",
    "region": "地区",
    "level": "层级",
    "issued": "印发日期",
    "adopted": "通过日期",
    "amended": "修订日期",
    "effective": "施行日期",
    "genre": "文种",
    "posted": "网页发布日期",
}
# Metadata that names the file, not the document: never shown as a fact.
HIDDEN_FIELDS = frozenset({"doc_id", "source", "title"})


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def shown_value(value: object) -> str:
    """ISO dates as official documents print them (2015年10月21日); other values as they are."""
    text = str(value)
    return chinese_date(text) or text if _ISO_DATE.fullmatch(text) else text


def meta_facts(meta: dict[str, object]) -> list[tuple[str, str]]:
    """(label, value) of every shown metadata field that has a value, in the metadata's own order."""
    return [
        (field_label(k), shown_value(v))
        for k, v in meta.items()
        if k not in HIDDEN_FIELDS and v not in (None, "")
    ]
