"""One check for every text a client sends (JSON fields, query and path parameters, form fields).

A string from JSON may hold what UTF-8 cannot encode (a lone surrogate such as "\\ud800") or control
characters such as NUL: both would fail later, deep inside the answer or the response encoder, as a
500 or as an error frame in a stream that already said 200. Rejecting them up front makes them a 422.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

# Lone surrogates, and C0/C1 controls other than tab and line breaks.
_BAD_IN_TEXT = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Identifiers (doc ids, key names) are one line: no control characters at all.
_BAD_IN_ID = re.compile(r"[\ud800-\udfff\x00-\x1f\x7f-\x9f]")
MAX_ID_CHARS = 255
MAX_HISTORY_CHARS = 20_000
# The same rules for the OpenAPI schema (ECMA regex), so that clients and schema-driven tests see them.
_CONTROLS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
TEXT_PATTERN = f"^[^{_CONTROLS}]*$"
NONBLANK_TEXT_PATTERN = f"^[^{_CONTROLS}]*[^\\s{_CONTROLS}][^{_CONTROLS}]*$"
ID_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f]*$"


def text_problem(value: str, identifier: bool = False) -> str | None:
    """Why `value` is unusable as client text, or None."""
    match = (_BAD_IN_ID if identifier else _BAD_IN_TEXT).search(value)
    if match is None:
        return None
    code = ord(match.group(0))
    if 0xD800 <= code <= 0xDFFF:
        return f"含有无效的 Unicode 代理字符 U+{code:04X} (lone surrogate U+{code:04X} is not valid text)"
    return f"含有控制字符 U+{code:04X} (control character U+{code:04X} is not allowed)"


def check_text(value: str) -> str:
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def check_identifier(value: str) -> str:
    problem = text_problem(value, identifier=True)
    if problem is not None:
        raise ValueError(problem)
    return value


_TEXT_SCHEMA = Field(json_schema_extra={"pattern": TEXT_PATTERN})
Text = Annotated[str, _TEXT_SCHEMA, AfterValidator(check_text)]
HistoryText = Annotated[str, Field(max_length=MAX_HISTORY_CHARS), _TEXT_SCHEMA, AfterValidator(check_text)]
DocId = Annotated[
    str,
    Field(min_length=1, max_length=MAX_ID_CHARS, json_schema_extra={"pattern": ID_PATTERN}),
    AfterValidator(check_identifier),
]
