"""Word automatic numbering (word/numbering.xml) → the labels Word draws: 一、 （二） 3. ①
(pure, over the parsed XML element).

Counters belong to the abstract numbering, so lists that share one continue each other; a `w:num`
with a start override restarts its levels the first time it is used; counting a level restarts the
levels below it unless their `w:lvlRestart` says otherwise."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVELS = 9
_CN_DIGITS = "零一二三四五六七八九"
_IDEOGRAPH_DIGITS = "〇一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_PLACEHOLDER = re.compile(r"%([1-9])")
_SEPARATOR_FREE = "、.．)）:：]】"


def chinese(n: int, digits: str = _CN_DIGITS, units: str = "十百千", short_ten: bool = True) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (the way 公文 headings count);
    `short_ten=False` keeps the leading one: 壹拾贰."""
    if n <= 0:
        return digits[0]
    if n >= 10000:
        return str(n)
    parts: list[str] = []
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = n // power % 10
        if digit == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append(digits[0])
            zero = False
        parts.append(("" if short_ten and digit == 1 and power == 10 and not parts else digits[digit]) + unit)
    return "".join(parts)


def _roman(n: int) -> str:
    values = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
              (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip
    out = ""
    for value, letters in values:
        while n >= value:
            out += letters
            n -= value
    return out


def _letter(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def _enclosed(first: int, last: int, fallback: Callable[[int], str]) -> Callable[[int], str]:
    return lambda n: chr(first + n - 1) if 1 <= n <= last else fallback(n)


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "decimalHalfWidth": str,
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": _letter,
    "lowerLetter": lambda n: _letter(n).lower(),
    "chineseCounting": chinese,
    "chineseCountingThousand": chinese,
    "japaneseCounting": chinese,
    "taiwaneseCounting": chinese,
    "taiwaneseCountingThousand": chinese,
    "ideographDigital": lambda n: "".join(_IDEOGRAPH_DIGITS[int(d)] for d in str(n)),
    "chineseLegalSimplified": lambda n: chinese(n, _LEGAL, "拾佰仟", short_ten=False),
    "ideographTraditional": lambda n: _STEMS[(n - 1) % 10],
    "ideographZodiac": lambda n: _BRANCHES[(n - 1) % 12],
    "decimalEnclosedCircle": _enclosed(0x2460, 20, str),
    "decimalEnclosedCircleChinese": _enclosed(0x2460, 20, str),
    "decimalEnclosedFullstop": _enclosed(0x2488, 20, lambda n: f"{n}."),
    "decimalEnclosedParen": _enclosed(0x2474, 20, lambda n: f"({n})"),
}


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False  # w:isLgl: every placeholder in decimal
    style: str | None = None  # w:pStyle: the paragraph style this level is attached to
    suffix: str = "tab"


def _val(element: Any, tag: str) -> str | None:
    child = element.find(f"{_W}{tag}")
    return None if child is None else child.get(f"{_W}val")


def _level(element: Any) -> Level:
    restart = _val(element, "lvlRestart")
    legal = element.find(f"{_W}isLgl")
    return Level(
        start=int(_val(element, "start") or 1),
        fmt=_val(element, "numFmt") or "decimal",
        text=_val(element, "lvlText") or "",
        restart=int(restart) if restart is not None else None,
        legal=legal is not None and legal.get(f"{_W}val", "true") not in ("0", "false"),
        style=_val(element, "pStyle"),
        suffix=_val(element, "suff") or "tab",
    )


def _levels(element: Any) -> dict[int, Level]:
    return {int(lvl.get(f"{_W}ilvl", "0")): _level(lvl) for lvl in element.findall(f"{_W}lvl")}


@dataclass
class _Instance:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # startOverride per level
    levels: dict[int, Level] = field(default_factory=dict)  # whole-level overrides
    used: bool = False


@dataclass
class Numbering:
    abstracts: dict[str, dict[int, Level]] = field(default_factory=dict)
    instances: dict[str, _Instance] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)

    def _level_of(self, instance: _Instance, ilvl: int) -> Level:
        return instance.levels.get(ilvl) or self.abstracts.get(instance.abstract, {}).get(ilvl) or Level()

    def _ilvl_for_style(self, instance: _Instance, style: str | None) -> int:
        for ilvl, level in self.abstracts.get(instance.abstract, {}).items():
            if style and level.style == style:
                return ilvl
        return 0

    def label(self, num_id: str, ilvl: int | None, style: str | None = None) -> str:
        """Count one paragraph of list `num_id` at level `ilvl` and return its label ('' if unknown)."""
        instance = self.instances.get(num_id)
        if instance is None:
            return ""
        ilvl = min(max(self._ilvl_for_style(instance, style) if ilvl is None else ilvl, 0), _LEVELS - 1)
        counts = self.counters.setdefault(instance.abstract, [None] * _LEVELS)
        if not instance.used:
            instance.used = True
            for lvl, start in instance.starts.items():
                counts[lvl] = start - 1
        level = self._level_of(instance, ilvl)
        current = counts[ilvl]
        counts[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, _LEVELS):
            restart = self._level_of(instance, deeper).restart
            if restart is None or (restart != 0 and restart <= ilvl + 1):
                counts[deeper] = None
        return self._render(instance, level, counts)

    def _render(self, instance: _Instance, level: Level, counts: list[int | None]) -> str:
        if level.fmt in ("bullet", "none"):
            return ""

        def number(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            of = self._level_of(instance, lvl)
            value = counts[lvl] if counts[lvl] is not None else of.start
            fmt = "decimal" if level.legal else of.fmt
            return _FORMATS.get(fmt, str)(value or 0)

        text = _PLACEHOLDER.sub(number, level.text)
        if text and level.suffix != "nothing" and text[-1] not in _SEPARATOR_FREE:
            text += " "
        return text


def parse_numbering(root: Any) -> Numbering:
    """The numbering part's root element (w:numbering) → abstract lists and their instances."""
    numbering = Numbering()
    for abstract in root.findall(f"{_W}abstractNum"):
        numbering.abstracts[abstract.get(f"{_W}abstractNumId", "")] = _levels(abstract)
    for num in root.findall(f"{_W}num"):
        instance = _Instance(_val(num, "abstractNumId") or "")
        for override in num.findall(f"{_W}lvlOverride"):
            ilvl = int(override.get(f"{_W}ilvl", "0"))
            start = _val(override, "startOverride")
            if start is not None:
                instance.starts[ilvl] = int(start)
            lvl = override.find(f"{_W}lvl")
            if lvl is not None:
                instance.levels[ilvl] = _level(lvl)
        numbering.instances[num.get(f"{_W}numId", "")] = instance
    return numbering
