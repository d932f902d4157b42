"""Resolving elliptical follow-up turns without an LLM (pure).

"那乙型的呢？" after a 甲型 question → the previous question with 乙型 in place of 甲型;
"X拥有量呢？" after a 云岭省 question → "云岭省X拥有量是多少".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Protocol

_LEAD = re.compile(r"^(那么|那|还有|再问一下|另外|那个|然后)[，,\s]*")
_TAIL = re.compile(r"(的呢|呢|的情况呢|怎么样|如何)?[？?。！!\s]*$")
_QUESTION_WORDS = re.compile(r"什么|哪些|多少|多长|多久|几|何时|哪|怎么|如何|是否|吗|谁|有没有")

Finder = Callable[[str], Sequence[str]]


class Contrasts(Protocol):
    """Parallel terms of the corpus (甲型/乙型/丙型 in a plan that lists three kinds)."""

    def contrast_terms(self, text: str) -> Sequence[str]: ...

    def rivals(self, term: str) -> Sequence[str]: ...


class NoContrasts:
    def contrast_terms(self, text: str) -> Sequence[str]:
        return ()

    def rivals(self, term: str) -> Sequence[str]:
        return ()


def is_elliptical(question: str) -> bool:
    q = question.strip()
    short = len(q) <= 16
    # 「那…，法院多长时间内要裁定？」: a lead word before a whole question of its own is no ellipsis
    whole = not short and _QUESTION_WORDS.search(_core(q)) is not None and len(_core(q)) > _WHOLE
    return (
        (bool(_LEAD.match(q)) and not whole)
        or (short and bool(re.search(r"呢[？?]?\s*$", q)))
        or (short and not _QUESTION_WORDS.search(q))
    )


_WHOLE = 20  # characters after the lead word that make a question of their own


def last_user_question(history: Sequence[tuple[str, str]]) -> str | None:
    for role, content in reversed(history):
        if role == "user" and content.strip():
            return content.strip()
    return None


def _core(question: str) -> str:
    return _TAIL.sub("", _LEAD.sub("", question.strip())).strip()


def _swap(previous: str, new_items: Sequence[str], vocabulary: Sequence[str]) -> str | None:
    """Replace the first term of `vocabulary` in the previous question by the new one."""
    old = [v for v in vocabulary if v in previous and v not in new_items]
    if not new_items or not old:
        return None
    return previous.replace(old[0], new_items[0])


# "它是哪天印发的？", "该文件的基本原则…": the document of the previous turn.
_PRONOUN = re.compile(
    r"^(它|其(?![中他它余次])|该文件|该文|此文件|这个文件|这份文件|这个文|这个政策|该政策|这个方案|该方案)(的)?"
)
# The question frame of a turn: the interrogative and the verb right before it ("由哪个司负责？").
_FRAME = re.compile(
    r"(?:(?:最多|最高|最少|至少)?(?:能|可以|要|应当|应)?"
    r"(?:是指|指的?是|[是有要由归为在]|分别|增长|提高|达到|奖励|补贴|资助|包括|罚款|处罚|罚|赔偿|赔))?"
    r"(?:多少|哪几|哪些|什么|哪个|哪天|何时|几|怎么|如何|谁).*$"
)
# 「除了这几项，还有别的吗」: more of what the previous turn asked, which the whole answer lists
_MORE = re.compile(
    r"^(?:除了(?:这|那|上述|以上)[^，,]{0,6}[，,]?)?还有(?:别的|其他|其它|什么别的|没有别的)[^，,]{0,6}[吗么]?$"
)
# 「这件事」, 「这项工作」: the previous turn's topic, not a document
_TOPIC_PRONOUN = re.compile(
    r"^(?:这件事情?|这事|此事|这项(?:工作|任务|措施)|这个工作|这些(?:工作|措施|任务)"
    r"|(?:这|那|以上|上述)(?:几个|几项|几种|几类|些)(?=都|均|全|要是|如果))"
)
_ASKED_WORDS = re.compile(r"(?:多少|几)[个项家件所名人次天年月]?|哪些|哪几[个项条]?|什么|是否|吗|[？?。]")
_MEASURE = re.compile(r"(量|率|数|额|比重|比例|占比|规模|人数)$")
_YEARS = re.compile(r"(?:19|20)\d{2}年")


def rewrite(
    question: str,
    history: Sequence[tuple[str, str]],
    places: Finder,
    docs: Finder,
    contrasts: Contrasts | None = None,
    titles: Finder | None = None,
    topics: Finder | None = None,
    openers: tuple[str, ...] = (),
) -> str:
    """A standalone question; unchanged when it is not an elliptical follow-up or nothing to inherit.

    `docs` finds the words naming documents as written; `titles` the full titles of the documents a
    text names, which replace a pronoun (它 → 《…》) when given; `topics` the documents a text's words
    lean to (a title's subject without its type word: 古树保护案子 leans to the 古树保护 规定); `openers`
    the words a topic phrase may start after (the profile's field name F: F|创造方面)."""
    previous = last_user_question(history)
    if previous is None:
        return question
    if _PRONOUN.match(question.strip()):
        named = list(titles(previous)) if titles else []
        scope = _answered_document(previous, history) or (
            "和".join(f"《{t}》" for t in named) or _scope(previous, places, docs)
        )
        return _PRONOUN.sub(
            lambda m: f"{scope}{m.group(2) or ''}" if scope else "", question.strip(), count=1
        )
    if _MORE.match(_core(question)) or _MORE.match(question.strip().rstrip("？?。")):
        return previous
    topic = _TOPIC_PRONOUN.match(question.strip())
    if topic is not None:
        # 「这件事归哪个司负责」: the thing the previous turn asked about, without its asking words
        asked = _ASKED_WORDS.sub("", previous).rstrip("是有为，,")
        return f"{asked}，{question.strip()[topic.end() :]}"
    within = _within_previous(question.strip(), previous)
    if within is not None:
        return within
    if not is_elliptical(question) or _OWN_FRAME.search(_core(question)):
        # 「那小时工资怎么算？」 asks in its own words: only the previous scope carries over
        if topics is not None and set(topics(question)) - set(topics(previous)):
            return question  # a whole question turning to another document's subject
        return _carry_scope(question, previous, places, docs, titles)
    core = _core(question)
    if _NEW_CASE.match(core) and len(core) > _WHOLE and not _QUESTION_WORDS.search(core):
        # 「那要是有人把商标注册成域名，还在网上卖同类商品呢？」: a whole new case, asked as the previous
        # turn asked (这算侵权吗); no term of it stands in for one of the previous question
        return _carry_scope(f"{core}，{_asking_clause(previous)}", previous, places, docs, titles)
    return _elliptical(core, previous, places, docs, contrasts or NoContrasts(), openers)


_NEW_CASE = re.compile(r"要是|如果|假如|假设|若是|万一")


def _asking_clause(previous: str) -> str:
    """The previous question's last asking clause (「…卖的也是同类东西。这算侵犯商标权吗？」 → 这算侵犯商标权吗？)."""
    clauses = [c for c in re.split(r"(?<=[。！!？?，,；;])", previous.strip()) if c.strip()]
    asking = [c for c in clauses if _QUESTION_WORDS.search(c) or c.endswith(("？", "?"))]
    return (asking or clauses or [previous])[-1]


# a turn whose own asking words follow what it asks about (小时工资怎么算, 县里的部门能不能管): not a
# frame to borrow
_OWN_FRAME = re.compile(
    r"[\u4e00-\u9fff]{2,}(?:(?:怎么|如何|怎样)(?:算|计算|办|处理|认定|确定|折算)"
    r"|能不能|可不可以|要不要|有没有|会不会|是否|哪些|哪几|什么(?!时候)[\u4e00-\u9fff])"
)


_ASKING = re.compile(
    r"(?:都|主要|具体)?(?:有哪些|有哪几[条项个点]?|包括哪些|哪些|哪几[条项个点]?|是什么|有什么)|[？?。！!]"
)
_ORDINAL_ASKED = re.compile(r"第[一二三四五六七八九十\d]+(?:条|项|点|个|部分)")
_FILLER = re.compile(r"具体|详细|说说|讲讲|介绍|一下|请|是什么|什么|内容|讲了|说了|呢|吗|的|[？?。，,！!\s]")


def _list_base(previous: str) -> str:
    """What a list question asked about, without its asking words: 「实施方案的保障措施有哪些？」 →
    「实施方案的保障措施」, 「…提出了哪些重点工作？」 → 「…提出了重点工作」."""
    return _ASKING.sub("", previous).strip()


def _within_previous(question: str, previous: str) -> str | None:
    """A turn about part of the previous answer's list: 「第三条具体是什么」 → that list's third point,
    「其中知识产权运用方面呢」 → that part of what was asked."""
    ordinal = _ORDINAL_ASKED.search(question)
    listed = _ASKING.search(previous) is not None and _ORDINAL_ASKED.search(previous) is None
    if ordinal is not None and listed and not _FILLER.sub("", question.replace(ordinal.group(0), "")):
        return f"{_list_base(previous)}的{ordinal.group(0)}是什么？"
    if question.startswith("其中") and len(question) > 3:
        rest = _core(question[2:])
        frame = _FRAME.search(previous)
        asks = frame.group(0) if frame and not _QUESTION_WORDS.search(rest) else ""
        return f"{_list_base(previous)}里{rest}{asks}"
    return None


_FRAME_WORDS = re.compile(
    r"什么时候|什么|哪个|哪些|哪天|何时|多少|几|谁|如何|怎么|是否|吗|呢|的|了|是|由|在|要|[？?。！!\s]"
)


def _carry_scope(question: str, previous: str, places: Finder, docs: Finder, titles: Finder | None) -> str:
    """A complete question that names no document after one that did is asked of the same one:
    「谁负责？」 of the previous topic, 「什么时候印发的？」 of the previous document."""
    if docs(question) or places(question) or _QUOTED_NAME.search(question):
        return question
    frame = _FRAME.search(previous)
    short = len(_FRAME_WORDS.sub("", question)) <= _ATTRIBUTE
    if short and frame is not None and frame.start() > 0 and not _DOCUMENT_FACT.search(question):
        # a new question frame, or one more attribute, of the previous topic: 「谁负责？」, 「年均增长多少？」
        return f"{previous[: frame.start()]}{question.strip()}"
    named = list(titles(previous)) if titles else []
    scope = "和".join(f"《{t}》" for t in named) or _scope(previous, places, docs)
    return f"{scope}{question.strip()}" if scope else question


_QUOTED_NAME = re.compile(r"《[^》]+》")
_ATTRIBUTE = 4  # content characters a turn may add and still be about the previous topic
# facts of the whole document (哪天印发的): asked of the previous document, not of its topic
_DOCUMENT_FACT = re.compile(r"印发|发布|公布|施行|生效|文号|发文|签发|成文|出台|废止")


_ASKS_DOCUMENT = re.compile(
    r"哪(?:个|份|一个|一份|些)[^，,。？?]{0,6}(?:通知|文件|意见|方案|规定|办法|决定|政策|规划|条例)"
)
_TITLE = re.compile(r"《([^》]{2,80})》")


def _answered_document(previous: str, history: Sequence[tuple[str, str]]) -> str | None:
    """「它是哪年印发的」 after 「…是根据哪个通知制定的？」: 它 is the document the answer named."""
    if not _ASKS_DOCUMENT.search(previous):
        return None
    reply = next((c for role, c in reversed(history) if role == "assistant" and c.strip()), "")
    found = [t for t in _TITLE.findall(reply) if t not in previous]
    return f"《{found[0]}》" if found else None


def _swap_contrast(previous: str, core: str, contrasts: Contrasts) -> str | None:
    """ "那乙型的呢？" after a 甲型 question: the term of the same contrast set takes its place."""
    for term in contrasts.contrast_terms(core):
        swapped = _swap(previous, [term], [r for r in contrasts.rivals(term) if r not in core])
        if swapped:
            return swapped
    return None


def _elliptical(
    core: str,
    previous: str,
    places: Finder,
    docs: Finder,
    contrasts: Contrasts,
    openers: tuple[str, ...] = (),
) -> str:
    for swapped in (
        _swap_contrast(previous, core, contrasts),
        _swap(previous, list(places(core)), list(places(previous))),
    ):
        if swapped:
            return swapped
    new_docs, old_docs = list(docs(core)), list(docs(previous))
    if new_docs and old_docs and new_docs[0] != old_docs[0]:
        return previous.replace(old_docs[0], new_docs[0])
    if new_docs or _only_places(core, places):
        # "云岭省呢？" with nothing to swap: ask the previous question about the new subject
        return f"{core}{_strip_subject(previous, places, docs)}"
    swapped = swap_ordinal(previous, core) or swap_head(previous, core, openers)
    if swapped:
        return swapped
    frame = _FRAME.search(previous)
    if frame and _MEASURE.search(core) and _asks_amount(previous) and not _asks_amount(frame.group(0)):
        frame = None  # "X拥有量呢？" after a targets question asks for the figure
    if frame and len(core) >= 2:
        scope = _scope(previous, places, docs)
        return f"{scope}{core}{frame.group(0)}"
    inherited = "".join(list(places(previous))[:1] or list(docs(previous))[:1])
    return f"{inherited}{core}是多少" if _asks_amount(previous) else f"{inherited}{core}"


def _only_places(core: str, places: Finder) -> bool:
    """The turn is about a place: it starts with one (「云岭省呢」, 「青州经济特区的呢」) or names one and
    little else; not a topic that mentions one (「摸清全国…底数呢」)."""
    found = list(places(core))
    rest = core
    for name in found:
        rest = rest.replace(name, "")
    return bool(found) and (core.startswith(tuple(found)) or len(rest.strip("的和及与")) <= 2)


_ORDINAL = re.compile(r"第([一二三四五六七八九十百零〇两\d]+)(条|项|点|个|部分|阶段|步|批|章|节|款)")


def swap_ordinal(previous: str, core: str) -> str | None:
    """ "第二条" after "…的第一条是什么" → "…的第二条是什么": the same counted unit, another number."""
    asked = _ORDINAL.fullmatch(core)
    if asked is None:
        return None
    for old in _ORDINAL.finditer(previous):
        if old.group(2) == asked.group(2) and old.group(1) != asked.group(1):
            return previous[: old.start()] + core + previous[old.end() :]
    return None


def _asks_amount(previous: str) -> bool:
    return bool(re.search(r"多少|目标|达到|比例|几", previous))


def _strip_subject(previous: str, places: Finder, docs: Finder) -> str:
    text = previous
    for name in [*places(previous), *docs(previous)]:
        text = text.replace(name, "")
    return text


@cache
def _boundary(openers: tuple[str, ...]) -> re.Pattern[str]:
    """The end of the text before a phrase: its start, a joining character, or an opener word."""
    words = "".join(f"|{re.escape(w)}" for w in openers)
    return re.compile(r"(^|[的里中在对和与及、，,：:]" + words + ")$")


def swap_head(previous: str, core: str, openers: tuple[str, ...] = ()) -> str | None:
    """ "第二步" after "…的第一步是哪几年" → "…的第二步是哪几年": the phrase of the previous
    question with the same head noun (last two characters), starting at a word boundary (`openers`:
    words a phrase may start right after: the field name F in F|创造方面)."""
    if len(core) < 3:
        return None
    boundary = _boundary(openers)
    head = core[-2:]
    at = previous.find(head)
    if at >= 0 and _OTHERS.match(core):
        # 「那其他处罚信息呢」 after 「只受到通报批评的处罚信息…」: the others, not the ones picked out
        start = max(previous.rfind(p, 0, at) for p in "，,。；;里") + 1
        return previous[:start] + core + previous[at + 2 :]
    while at >= 0:
        for start in range(max(0, at - len(core)), at):
            phrase = previous[start : at + 2]
            if phrase != core and len(phrase) >= 3 and boundary.search(previous[:start]):
                return previous[:start] + core + previous[at + 2 :]
        at = previous.find(head, at + 1)
    return None


_OTHERS = re.compile(r"其他|其余|其它|别的|另外的")


def _scope(previous: str, places: Finder, docs: Finder) -> str:
    """What the previous question was about: its years, places and document names, in order."""
    names = [*_YEARS.findall(previous), *places(previous), *docs(previous)]
    found = sorted({n for n in names if n in previous}, key=previous.find)
    kept = [n for n in found if not any(n != m and n in m for m in found)]
    return "".join(kept)
