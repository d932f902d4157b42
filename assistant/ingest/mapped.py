"""Text that remembers where each character came from in the raw file (pure).

Every cleaning rule is an edit of a `MappedText`; the offsets travel with the characters, so a
citation in clean text can always be traced back to the raw file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Edit = tuple[int, int, str]  # (start, end, replacement) in the current text
Replacement = str | Callable[[re.Match[str]], str]


@dataclass(frozen=True)
class MappedText:
    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries; offsets[i] = raw offset of char i, last = len(raw)

    @classmethod
    def of(cls, raw: str) -> MappedText:
        return cls(raw, tuple(range(len(raw) + 1)))

    def edit(self, edits: Iterable[Edit]) -> MappedText:
        """Apply non-overlapping edits; characters of a replacement keep the offsets they align with."""
        text_parts: list[str] = []
        offs: list[int] = []
        pos = 0
        for start, end, repl in sorted(edits):
            if start < pos:
                raise ValueError(f"overlapping edit at {start}")
            text_parts.append(self.text[pos:start])
            offs.extend(self.offsets[pos:start])
            text_parts.append(repl)
            offs.extend(self._align(start, end, repl))
            pos = end
        text_parts.append(self.text[pos:])
        offs.extend(self.offsets[pos:])
        return MappedText("".join(text_parts), tuple(offs))

    def sub(self, pattern: re.Pattern[str], repl: Replacement) -> MappedText:
        """Like `re.sub`, but offset-preserving."""
        edits: list[Edit] = []
        for m in pattern.finditer(self.text):
            new = repl(m) if callable(repl) else m.expand(repl)
            if new != m.group(0):
                edits.append((m.start(), m.end(), new))
        return self.edit(edits) if edits else self

    def _align(self, start: int, end: int, repl: str) -> list[int]:
        """Offsets for a replacement: same-length is 1:1, else greedy alignment of equal characters."""
        old = self.text[start:end]
        if len(old) == len(repl):
            return list(self.offsets[start:end])
        result: list[int] = []
        k = 0
        for ch in repl:
            found = old.find(ch, k)
            if found >= 0:
                k = found
            result.append(self.offsets[start + min(k, max(len(old) - 1, 0))])
            if found >= 0:
                k += 1
        return result
