"""Raw scraped policy text → clean text with an offset map back to the raw text (pure).

Each rule is a small function `MappedText -> MappedText`, named after the scraping quirk it undoes;
`clean_text` runs them in order. Offsets survive every rule (see `MappedText`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from assistant.ingest.mapped import Edit, MappedText
from assistant.lang.zh import chrome_patterns, words
from assistant.textnorm import fold_ideographs

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK ideographs plus the Chinese punctuation that sits between them.
CJK_OR_PUNCT = CJK + "\u3000-\u303f\uff00-\uffef“”‘’《》〔〕—…·"
_TERMINAL = "。！？；：!?;:"


@dataclass(frozen=True)
class CleanText:
    text: str
    raw_offsets: tuple[int, ...]  # len(text) + 1; raw_offsets[i] = offset in raw of clean char i

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """The raw span that produced clean text[start:end]."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside clean text of length {len(self.text)}")
        if start == end:
            return self.raw_offsets[start], self.raw_offsets[start]
        return self.raw_offsets[start], self.raw_offsets[end - 1] + 1


def _lines(m: MappedText) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in m.text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _drop_lines(m: MappedText, drop: Callable[[str, int], bool]) -> MappedText:
    """Delete whole lines (with their newline) for which drop(stripped_line, index) is true."""
    edits: list[Edit] = []
    for i, (start, end) in enumerate(_lines(m)):
        if drop(m.text[start:end].strip(), i):
            edits.append((start, min(end + 1, len(m.text)), ""))
    return m.edit(edits)


# --- rules -------------------------------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n?|[\f\ufeff\u200b\u200c\u200d\u2028\u2029]")


def normalize_newlines(m: MappedText) -> MappedText:
    """CRLF/CR and page breaks → LF; drop BOMs and zero-width characters."""
    return m.sub(_NEWLINES, lambda x: "\n" if x.group(0)[0] in "\r\f\u2028" else "")


_NFKC_KEEP = frozenset("…")  # NFKC would turn the Chinese ellipsis into "..."


def nfkc_chars(m: MappedText) -> MappedText:
    """NFKC per character: full-width digits/letters/brackets → ASCII (〔〕 stay), U+3000 → space."""
    edits: list[Edit] = []
    for i, ch in enumerate(m.text):
        if ch.isascii() or ch in _NFKC_KEEP:
            continue
        norm = unicodedata.normalize("NFKC", ch)
        if norm != ch:
            edits.append((i, i + 1, norm))
    return m.edit(edits)


def fold_radicals(m: MappedText) -> MappedText:
    """CJK radicals a PDF font put in place of characters (人⺠政府, 部⻔) → unified ideographs."""
    folded = fold_ideographs(m.text)
    if folded == m.text:
        return m
    return m.edit(
        (i, i + 1, new) for i, (old, new) in enumerate(zip(m.text, folded, strict=True)) if old != new
    )


def strip_web_chrome(m: MappedText) -> MappedText:
    """Drop lines that belong to the web page, not the document (hotlines, share bars, footers …);
    the patterns are data (assistant/lang/zh/web_chrome.txt)."""
    patterns = chrome_patterns()
    return _drop_lines(m, lambda line, _i: any(p.search(line) for p in patterns))


_PAGE_TITLE = re.compile(r"^(\S{2,20}?)[:：](关于.+)$")


def strip_page_title(m: MappedText) -> MappedText:
    """Drop the web page's 'Issuer:关于…' title when the document's own 'Issuer关于…' line follows."""
    stripped = [m.text[s:e].strip() for s, e in _lines(m)]

    def is_duplicate(line: str, i: int) -> bool:
        hit = _PAGE_TITLE.match(line)
        return bool(hit) and hit is not None and hit.group(1) + hit.group(2) in stripped[i + 1 :]

    return _drop_lines(m, is_duplicate)


_FRONT_MATTER = re.compile(r"\A[ \t]*---[ \t]*\n(?:[^\n]*\n){0,40}?[ \t]*---[ \t]*(?:\n|\Z)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?/?>")
_MD_HEADING = re.compile(r"^[ \t]*#{1,6}(?!#)[ \t]*", re.MULTILINE)
_MD_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+(?=[\d(（一二三四五六七八九十第])", re.MULTILINE)
_MD_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
_MD_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=[^\s_*])(.+?)(?<=[^\s_*])\1")
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)")


def strip_markup(m: MappedText) -> MappedText:
    """Remove Markdown/HTML markup that a raw file may carry: front matter, comments (<!-- … -->),
    tags, '#' heading marks, '**' emphasis, quote marks, rules, links (their text stays) and the
    '- ' bullets a scraper put before numbered items."""
    m = m.sub(_FRONT_MATTER, "").sub(_HTML_COMMENT, "").sub(_HTML_TAG, "").sub(_MD_IMAGE, "")
    m = m.sub(_MD_HEADING, "").sub(_MD_BULLET, "").sub(_MD_QUOTE, "").sub(_MD_RULE, "")
    return m.sub(_MD_EMPHASIS, lambda x: x.group(2)).sub(_MD_LINK, lambda x: x.group(1))


_PAGE_MARKER = re.compile(r"(?:^|\n)[ \t]*(\d{1,4})、")


def remove_page_markers(m: MappedText) -> MappedText:
    """Remove docx-viewer page markers 'N、' (N = 1, 2, 3 … at line starts) and rejoin the cut text.

    A run of real list items also looks like this, so the run must count up from 1 in order, be at
    least 3 long, and mostly follow lines that end mid-sentence (page cuts ignore sentences).
    """
    chain: list[re.Match[str]] = []
    for hit in _PAGE_MARKER.finditer(m.text):
        if int(hit.group(1)) == len(chain) + 1:
            chain.append(hit)
    cut = sum(1 for hit in chain[1:] if m.text[: hit.start()].rstrip(" \t")[-1:] not in _TERMINAL)
    if len(chain) < 3 or cut * 2 < len(chain) - 1:
        return m
    return m.edit((hit.start(), hit.end(), "") for hit in chain)


_HEADING_START = re.compile(
    r"[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．]|——|第\S{1,4}[章条]"
)
_BROKEN_BREAK = re.compile(rf"(?<=[{CJK}\d])[ \t]*\n[ \t]*(?:\n[ \t]*)+(?=[{CJK}])")


@cache
def _title_end() -> re.Pattern[str]:
    """A line that ends like a document title (…条例, …的解释（一）) is not a paragraph cut short."""
    genres = "|".join(words("genres"))
    return re.compile(rf"(?:{genres})(?:[（(][^（）()\n]{{1,16}}[）)])?$")


def join_broken_lines(m: MappedText) -> MappedText:
    """Rejoin paragraphs cut by page breaks: a long line ending mid-sentence + blank line + text."""
    edits: list[Edit] = []
    for hit in _BROKEN_BREAK.finditer(m.text):
        line_start = m.text.rfind("\n", 0, hit.start()) + 1
        if hit.start() - line_start < 40 or _HEADING_START.match(m.text, hit.end()):
            continue
        if _title_end().search(m.text, line_start, hit.start()):
            continue
        edits.append((hit.start(), hit.end(), ""))
    return m.edit(edits)


# A space after an article/chapter designator at a line start separates it from its title or body.
_DESIGNATOR = re.compile(r"^第[一二三四五六七八九十百千零〇两\d]+[编章节条](?=[ \t])", re.MULTILINE)
_SPACE_BEFORE_DASH = re.compile(r"(?<=[。；;！？!?])[ \t]+(?=——)")
_LINE_EDGE_SPACE = re.compile(r"^[ \t]+|[ \t]+$", re.MULTILINE)
_INNER_SPACE = re.compile(r"(?<=\S)[ \t]+(?=\S)")
_LATIN = re.compile(r"[A-Za-z0-9]")


def _keep_space(before: str, after: str) -> bool:
    """Only a space between two Latin words ('New York', 'Windows 10') is real."""
    return bool(_LATIN.match(before) and _LATIN.match(after)) and (before.isalpha() or after.isalpha())


def fix_spaces(m: MappedText) -> MappedText:
    """Remove spaces the scrape put between CJK characters and inside numbers (one space after a
    第X条/第X章 designator stays); a dash bullet that follows a sentence on the same line starts a new line."""
    m = m.sub(_SPACE_BEFORE_DASH, "\n").sub(_LINE_EDGE_SPACE, "")
    text = m.text
    designators = {d.end() for d in _DESIGNATOR.finditer(text)}
    return m.sub(
        _INNER_SPACE,
        lambda x: " " if x.start() in designators or _keep_space(text[x.start() - 1], text[x.end()]) else "",
    )


_LONG_DASH = re.compile(r"[—―]{3,}")
_STRAY_BULLET = re.compile(rf"(?<=[。；])-(?=[{CJK}])")


def unify_dash_bullets(m: MappedText) -> MappedText:
    """'———' bullets → '——'; a stray '-' bullet glued after a sentence end is dropped."""
    return m.sub(_LONG_DASH, "——").sub(_STRAY_BULLET, "")


_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_CJK_CHAR = re.compile(f"[{CJK_OR_PUNCT}]")
_PUNCT = re.compile(r"[,;:?!]")


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_CHAR.match(ch))


def restore_cjk_punctuation(m: MappedText) -> MappedText:
    """NFKC made Chinese punctuation ASCII; in Chinese context turn it back (，；：（）…)."""
    text = m.text
    edits: list[Edit] = []
    for hit in _PUNCT.finditer(text):
        i = hit.start()
        before, after = text[i - 1 : i], text[i + 1 : i + 2]
        if (_is_cjk(before) or _is_cjk(after)) and not (before.isdigit() and after.isdigit()):
            edits.append((i, i + 1, _FULL[hit.group(0)]))
    edits.extend(_paren_edits(text))
    return m.edit(edits)


def _paren_edits(text: str) -> list[Edit]:
    """Full-width a '(…)' pair whose content is Chinese or which touches a Chinese character."""
    edits: list[Edit] = []
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch == "\n":
            stack.clear()
        elif ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            inner = text[j + 1 : i]
            outside = text[j - 1 : j] + text[i + 1 : i + 2]
            if any(_is_cjk(c) for c in inner + outside) or inner.strip() in {"-", "—"}:
                edits += [(j, j + 1, "（"), (i, i + 1, "）")]
    return edits


_OCR_ORDINAL = re.compile(r"（[-—]）")


def fix_ocr_ordinals(m: MappedText) -> MappedText:
    """'（-）' is an OCR misreading of the list ordinal '（一）'."""
    return m.sub(_OCR_ORDINAL, "（一）")


_BLANK_RUN = re.compile(r"\n{3,}")
_EDGE_BLANK = re.compile(r"^\s+|\s+$")


def collapse_blank_lines(m: MappedText) -> MappedText:
    """At most one blank line between paragraphs; none at the start or end."""
    return m.sub(_BLANK_RUN, "\n\n").sub(_EDGE_BLANK, "")


RULES: tuple[Callable[[MappedText], MappedText], ...] = (
    normalize_newlines,
    nfkc_chars,
    fold_radicals,
    strip_markup,
    strip_web_chrome,
    strip_page_title,
    remove_page_markers,
    join_broken_lines,
    fix_spaces,
    unify_dash_bullets,
    restore_cjk_punctuation,
    fix_ocr_ordinals,
    collapse_blank_lines,
)


def clean_text(raw: str, layout: Iterable[Edit] = ()) -> CleanText:
    """Run every rule; `layout` edits (wrapped lines joined, running heads dropped, see
    assistant/ingest/layout.py) are applied first, so offsets still lead back to `raw`."""
    m = MappedText.of(raw).edit(layout)
    for rule in RULES:
        m = rule(m)
    return CleanText(m.text, m.offsets)


def insert_line_breaks(clean: CleanText, positions: list[int]) -> CleanText:
    """Start a new line at each position (before run-in headings); the new '\\n' maps to the raw
    offset of the character it precedes."""
    m = MappedText(clean.text, clean.raw_offsets).edit((p, p, "\n") for p in sorted(set(positions)))
    return CleanText(m.text, m.offsets)
