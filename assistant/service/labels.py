"""Chinese labels of metadata fields for people (UI, source view, exports); an unknown field shows its name."""

from __future__ import annotations

from assistant.models import chinese_date

FIELD_LABELS = {
    "title": "标题",
    "doc_number": "文号",
    "issuer": "发文机关",
    "date": "日期",
    "region": "地区",
    "level": "层级",
    "genre": "文种",
    "issued_date": "印发日期",
    "adopted_date": "通过日期",
    "amended_date": "修订日期",
    "effective_date": "施行日期",
}
# Metadata that names the file, not the document: never shown as a fact.
HIDDEN_FIELDS = frozenset({"doc_id", "source", "title"})


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def shown_value(name: str, value: object) -> str:
    """Dates as official documents print them (2015年10月21日); other values as they are."""
    text = str(value)
    return (chinese_date(text) or text) if name == "date" or name.endswith("_date") else text


def meta_facts(meta: dict[str, object]) -> list[tuple[str, str]]:
    """(label, value) of every shown metadata field that has a value, in the metadata's own order."""
    return [
        (field_label(k), shown_value(k, v))
        for k, v in meta.items()
        if k not in HIDDEN_FIELDS and v not in (None, "")
    ]
