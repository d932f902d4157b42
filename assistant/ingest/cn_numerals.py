"""Chinese list ordinals → integers (pure): 一 → 1, 十七 → 17, 二十三 → 23, 一百零二 → 102, "16" → 16."""

from __future__ import annotations

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
_UNITS = {"十": 10, "百": 100}


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
