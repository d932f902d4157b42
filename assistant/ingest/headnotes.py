"""Dates and bodies from the notes in a document's head (pure).

Regulations carry their history in notes: a bracketed line under the title
「（2019年11月29日XX省第十三届人民代表大会常务委员会第十五次会议通过）」, date-first lines
(「2018年11月6日 中华人民共和国国务院令第706号公布」, 「2019年3月1日 施行」), or the promulgation
sentence of a 令 (「《X》已经…国务院第23次常务会议通过，现予公布，自…起施行。」). Each note is split
into clauses ending in a verb (通过, 批准, 修正, 修订, 修改, 公布, 发布, 施行); a clause without its own date
takes the date of the clause before it (「…会议通过 …公告第30号公布」).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.ingest.cn_numerals import DATE, iso_date

# 「…会议通过修订」, 「…会议批准修订」: a revision adopted or approved, not a second adoption
_VERB = r"修订通过|修正通过|通过修订|通过修正|批准修订|批准修正|通过|批准|修正|修订|修改|公布|发布|颁布|施行"
AMENDING = ("修订通过", "修正通过", "通过修订", "通过修正", "修正", "修订", "修改")
# a quoted title (《…关于修改…的决定》) is part of a clause's subject, never its verb
_CLAUSE = re.compile(rf"((?:《[^》]*》|[^《])*?)({_VERB})")
_DATE = re.compile(DATE)
_NOTE_LINE = re.compile(rf"^(?:[（(【\[]?\s*{DATE}|[（(].*{DATE}|.*《[^》]+》已经)")
# Words around a clause's subject that are not part of it.
_CONNECTIVE = re.compile(
    r"^[\s，,、；;（(）)]*(?:《[^》]*》)?(?:根据|依据|已经|经|于|并|现予|的)?|[\s，,、；;（(）)的]+$"
)
_MEETING = re.compile(
    r"第[^第]{1,8}次(?:全体|常务|主任|局务|委务|部务)?会议.*$|(?:局务|部务|常务|全体)会议.*$"
)
_TERM = re.compile(r"第?[一二三四五六七八九十百\d]{1,6}届")
_NUMBERED = re.compile(r"(?:令|公告)第?\s*[\d一二三四五六七八九十百零〇]+\s*号")


@dataclass(frozen=True)
class Clause:
    date: str | None  # ISO
    subject: str  # who or what: 「国务院第23次常务会议」, 「国务院令第706号」
    verb: str


@dataclass(frozen=True)
class HeadNotes:
    clauses: tuple[Clause, ...] = ()
    adopted: str | None = None
    amended: str | None = None
    published: str | None = None  # latest 公布/发布 date
    effective: str | None = None
    adopting_bodies: tuple[str, ...] = field(default=())  # bodies whose meeting adopted the text (通过)
    revising_bodies: tuple[str, ...] = field(default=())  # bodies whose meeting revised it (修订)
    publishing_bodies: tuple[str, ...] = field(default=())  # 「财政部、国家税务总局发布」
    numbers: tuple[str, ...] = field(default=())  # 令/公告 numbers in order of the notes


def is_note(line: str) -> bool:
    return bool(_NOTE_LINE.match(line)) and bool(re.search(_VERB, line))


def parse_clauses(note: str, date: str | None = None) -> list[Clause]:
    """The clauses of one note; `date` is the date a clause without its own date takes."""
    clauses: list[Clause] = []
    for text, verb in _CLAUSE.findall(note):
        found = _DATE.search(text)
        subject = _CONNECTIVE.sub("", _DATE.sub("", text).replace("自起", "")).strip()
        if found:
            date = iso_date(found.group(0))
        elif len(re.findall(r"[\u4e00-\u9fff]", subject)) < 4:
            continue  # 「现予公布」: the date is elsewhere (the signature)
        clauses.append(Clause(date, subject, verb))
    return clauses


def adopting_body(subject: str, organs: tuple[str, ...]) -> str | None:
    """「浙江省第十二届人民代表大会常务委员会第二十三次会议」 → 浙江省人民代表大会常务委员会."""
    body = _TERM.sub("", _MEETING.sub("", subject)).strip("，,、 ")
    for organ in organs:
        if body.endswith(organ) and len(body) > len(organ):
            body = body[: -len(organ)]
    return body or None


def read_notes(lines: list[str], organs: tuple[str, ...]) -> HeadNotes:
    clauses: list[Clause] = []
    for line in lines:
        if is_note(line):
            clauses += parse_clauses(line)
    dates: dict[str, list[str]] = {
        v: [c.date for c in clauses if c.date and c.verb == v] for v in _VERB.split("|")
    }
    amended = sorted(d for v in AMENDING for d in dates[v])
    published = sorted(d for v in ("公布", "发布", "颁布") for d in dates[v])

    def bodies(verbs: tuple[str, ...]) -> tuple[str, ...]:
        found = (adopting_body(c.subject, organs) for c in clauses if c.verb in verbs and "会议" in c.subject)
        return tuple(dict.fromkeys(b for b in found if b))

    return HeadNotes(
        clauses=tuple(clauses),
        adopted=dates["通过"][0] if dates["通过"] else None,
        amended=amended[-1] if amended else None,
        published=published[-1] if published else None,
        effective=dates["施行"][-1] if dates["施行"] else None,
        adopting_bodies=bodies(("通过",)),
        revising_bodies=bodies(tuple(v for v in AMENDING if v != "修改")),
        publishing_bodies=tuple(
            c.subject for c in clauses if c.verb in ("公布", "发布", "颁布") and not number_in(c.subject)
        ),
        numbers=tuple(n for c in clauses for n in [number_in(c.subject)] if n),
    )


def number_in(subject: str) -> str | None:
    """The 令/公告 number a clause names: 「中华人民共和国国务院令第706号」 → 国务院令第706号."""
    hit = _NUMBERED.search(subject)
    if not hit:
        return None
    head = re.sub(r"^.*?(?:根据|的)", "", subject[: hit.start()])
    return (head.removeprefix("中华人民共和国") + hit.group(0)).replace(" ", "")
