"""Chinese numerals (pure): list ordinals → integers (一 → 1, 十七 → 17, 一百零二 → 102, "16" → 16) and
dates in Arabic or Chinese numerals → ISO (二〇一九年十一月二十九日 → 2019-11-29)."""

from __future__ import annotations

import re

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def parse_ordinal(number: str) -> int | None:
    """The value of an ordinal written in Arabic or Chinese numerals, or None if it is not one."""
    if number.isdigit():
        return int(number)
    if not number or any(ch not in _DIGITS and ch not in _UNITS for ch in number):
        return None
    total = 0
    digit: int | None = None
    for ch in number:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + (digit or 0)


# --- dates -------------------------------------------------------------------------------------------

# Year digits as printed in documents: 二〇一九 (〇 is often typed as ○, O or 零).
_YEAR_DIGITS = {**{ch: v for ch, v in _DIGITS.items() if ch != "两"}, "○": 0, "O": 0, "o": 0, "Ｏ": 0}
_CN_YEAR = "".join(_YEAR_DIGITS)
_CN_SMALL = "一二三四五六七八九十"
# A date in Arabic or Chinese numerals: 2019年11月29日, 二〇一九年十一月二十九日.
DATE = (
    rf"(?:\d{{4}}|[{_CN_YEAR}]{{4}})\s*年\s*(?:\d{{1,2}}|[{_CN_SMALL}]{{1,2}})\s*月"
    rf"\s*(?:\d{{1,2}}|[{_CN_SMALL}]{{1,3}})\s*日"
)
_DATE_PARTS = re.compile(r"(.+?)\s*年\s*(.+?)\s*月\s*(.+?)\s*日")


def parse_year(year: str) -> int | None:
    if year.isdigit():
        return int(year)
    if len(year) != 4 or any(ch not in _YEAR_DIGITS for ch in year):
        return None
    return int("".join(str(_YEAR_DIGITS[ch]) for ch in year))


def iso_date(text: str) -> str | None:
    """'2019年11月29日' or '二〇一九年十一月二十九日' → '2019-11-29'; None if it is not a valid date."""
    parts = _DATE_PARTS.fullmatch(text.strip())
    if not parts:
        return None
    year, month, day = (
        parse_year(parts.group(1)),
        parse_ordinal(parts.group(2)),
        parse_ordinal(parts.group(3)),
    )
    if year is None or month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
