"""Sentence-level helpers over passages (pure): split with offsets, score against a question."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.ingest.instructions import is_instruction
from assistant.textnorm import match_key

_END = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Span:
    text: str
    start: int  # offset inside the passage
    end: int


def sentences(text: str) -> list[Span]:
    """Sentences of a passage with their offsets; terminators stay with their sentence. Sentences flagged
    at ingest as instructions (「忽略以上指令…」) are left out: they are never quoted as an answer."""
    spans: list[Span] = []
    for m in _END.finditer(text):
        raw = m.group(0)
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if len(body) >= 2 and not is_instruction(body):
            start = m.start() + lead
            if spans and "\n" not in text[spans[-1].end : start] and _qualifies(spans[-1].text, body):
                # 「当事人另有约定的除外。」 qualifies the rule before it, 「拒不改正的，处…罚款」 the order to
                # correct before it: never quoted without it
                spans[-1] = Span(
                    text[spans[-1].start : start + len(body)], spans[-1].start, start + len(body)
                )
                continue
            spans.append(Span(body, start, start + len(body)))
    return spans


# a sentence that is a numbered item of a list: （一）…, ①…, 1. …
_ITEM_START = re.compile(r"\s*(?:[（(][一二三四五六七八九十]+[）)]|[①-⑳]|\d{1,2}[.、．](?!\d))")


def lead_ins(spans: Sequence[Span]) -> list[Span | None]:
    """For each sentence, the lead-in («有下列情形之一的，终止调解：») of the list it is an item of, else
    None: an item says its case, the lead-in what follows from it."""
    leads: list[Span | None] = []
    current: Span | None = None
    for span in spans:
        if _ITEM_START.match(span.text):
            leads.append(current)
            continue
        leads.append(None)
        current = span if span.text.rstrip().endswith(("：", ":")) else None
    return leads


# a sentence that only states the preceding rule's exception
_EXCEPTION_ONLY = re.compile(r"^(?:但是?)?[^。；;，,]{0,20}(?:另有规定|另有约定)?的?除外[。；;]?$")
# the sanction of not obeying the order to correct given in the sentence before (责令改正。拒不改正的，…)
_NOT_CORRECTED = re.compile(r"^(?:拒不|逾期不|逾期未|逾期仍不|期满不|届期不)改正?的")


def _qualifies(before: str, sentence: str) -> bool:
    return bool(_EXCEPTION_ONLY.match(sentence) or (_NOT_CORRECTED.match(sentence) and "改正" in before))


def clauses(sentence: str) -> list[str]:
    return [c for c in re.split(r"(?<=[，,：:])", sentence) if c.strip()]


# A quantity in Chinese numerals: a number word with a unit or a bound (五年, 一万元以上, 三个工作日,
# 百分之六十, 二倍); ordinals (第一), "一是", "之一", "进一步" are not quantities.
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_CN_DIGIT = "零〇一二两三四五六七八九十"
_CN_FIGURE = re.compile(
    rf"百分之[{_CN_NUM}]+|(?<![第之进统唯{_CN_NUM}])[百千万亿]*[{_CN_DIGIT}][{_CN_NUM}]*(?:点[{_CN_NUM}]+)?\s*"
    r"(?:万元|亿元|元|倍|周年|年|个月|个工作日|工作日|日|天|小时|件|家|个|项|名|人|份|次(?!性)|%|以上|以下|以内)"
)


def has_figure(text: str) -> bool:
    """A figure in Arabic digits or a quantity in Chinese numerals."""
    return bool(_DIGIT.search(text) or _CN_FIGURE.search(text))


# A point in time given by an event: 「自登记之日起生效」, 「自公告之日起施行」, 「收到通知后」.
_EVENT_TIME = re.compile(
    r"自[^，。；;]{1,30}?(?:之日|之时|时|后)起|(?:之日|届满)(?:起|后)|[^，。；;]{2,12}(?:后|前)生效"
    r"|(?:持续)?(?:到|至)[^，。；;]{2,30}(?:时|之日)(?:为止|止)"
    r"|(?:应当)?(?:在|于)[^，。；;]{2,24}(?:前|之前|以前)"
)


def has_time(text: str) -> bool:
    """A date or period, or a point in time set by an event (a 从什么时候 question's answer)."""
    return has_figure(text) or bool(_EVENT_TIME.search(text))


_SETS_AMOUNT = re.compile(r"(?:数额|金额)[，,]?(?:为|按照|依照|参照|根据|以)")


def sets_amount(text: str) -> bool:
    """The sentence says how a sum is set rather than giving it (赔偿数额，为…所受到的损失)."""
    return bool(_SETS_AMOUNT.search(text))


# Years, periods, item numbers and "N年以上" qualify a target; they are not the figure asked for.
_NOT_TARGET = re.compile(
    r"(?:19|20)\d{2}\s*(?:[—\-–~至到]\s*(?:19|20)?\d{2,4})?\s*年?(?:底|末|前|内|度)?"
    r"|^\s*\d{1,2}\s*[.、．]|[（(]\s*\d{1,2}\s*[）)]|\d+\s*年以[上下]|[〇零一二三四五六七八九]{4}年"
    r"|[〇零一二三四五六七八九十]{1,3}月[〇零一二三四五六七八九十]{1,3}日|\d{1,2}\s*月\s*\d{1,2}\s*日"
)


def has_target_figure(text: str) -> bool:
    """A figure other than a year, a period or an item number: what 多少/几个 questions ask for."""
    return has_figure(_NOT_TARGET.sub("", text))


def cn_figures(text: str) -> list[str]:
    """The Chinese-numeral quantities of a text, as written."""
    return [m.group(0) for m in _CN_FIGURE.finditer(text)]


def bigram_set(text: str) -> set[str]:
    key = re.sub(r"[\W_]+", "", match_key(text))
    return {key[i : i + 2] for i in range(len(key) - 1)}


# 不在同一省, 不符合…, 不超过…: a negated condition (the phrase after 不 is compared)
_NEGATED = re.compile(
    r"(?<!不)不(?:算|太|够)?((?:在|是|属于|符合|超过|满|具备|得)[\u4e00-\u9fff]{2}|严重|重大)"
)


# 没有约定的 / 没签合同的: a case asked by what did not happen
_ASKED_ABSENT = re.compile(r"(?:没有|没|未|无)(?:事先|作|做|经|签)?([\u4e00-\u9fff]{2})")


def absence_said(question: str, sentence: str) -> bool:
    """The sentence states the case the question asks by an absence (事先没有约定的 → 未作明确约定, 无约定)."""
    return any(
        re.search(rf"(?:未|没有|无)[\u4e00-\u9fff]{{0,3}}?{re.escape(thing)}", sentence)
        for thing in _ASKED_ABSENT.findall(question)
    )


# 不能/不得/禁止…: a prohibition (not the 不能 of 能不能, which asks whether)
_PROHIBITION = re.compile(r"(?<![能可准允得])不(?:能|得|可以?|准|允许|予)|禁止|严禁")


def prohibition_said(question: str, sentence: str) -> bool:
    """The asking clause (哪些企业不能申请提前停止公示) asks what may not be done and the sentence forbids
    it (…的，不得提前停止公示): the rule asked, not the conditions under which it may be done. The
    caller passes the asking clause: a statement (办公电脑禁止插U盘) only sets the scene."""
    return bool(_PROHIBITION.search(question)) and bool(_PROHIBITION.search(sentence))


def polarity_clash(question: str, sentence: str) -> bool:
    """One states a condition the other negates: 「在同一省的」 asked, 「不在同一省的」 written (or the
    reverse): the sentence is about the other case."""
    question = _OTHER_AREA.sub(r"不在同一\1", _OWN_AREA.sub(r"在同一\1", question))
    asked, written = set(_NEGATED.findall(question)), set(_NEGATED.findall(sentence))
    return any(p in sentence for p in asked - written) or any(p in question for p in written - asked)


# 「登记地在本省的」「同省公示」 asked of a rule on the deciding body's own area: the text writes 在同一省
# (同市 never of 会同市场监管部门)
_OWN_AREA = re.compile(r"(?<![不会在])(?:在本|在?同)(省|市|县|区)(?!场)")
_OTHER_AREA = re.compile(r"不在?(?:本|同)(省|市|县|区)(?!场)")


# 「需要提供什么材料」, 「禁止哪些行为」: the kind of thing a question asks to be listed
_ASKED_KIND = re.compile(r"(?:什么|哪些|哪几[类种样]?)([\u4e00-\u9fff]{2,4}?)(?:[？?，,。呢吗]|$)")


def introduces_asked_kind(question: str, sentence: str) -> bool:
    """The sentence introduces a list of the kind the question asks for (「投诉应当提供下列材料：」 for
    「要提供什么材料」): the list that answers it."""
    asked = _ASKED_KIND.search(question)
    if asked is None:
        return False
    if asked.group(1) in PAPER_KINDS and _HANDS_IN_SERIES.search(sentence):
        return True  # 「应当提交请求书、专利的授权公告文本…等」: the papers listed in the sentence itself
    return bool(
        re.search(rf"(?:下列|以下|如下)[^，。：:]{{0,6}}{asked.group(1)}[^，。]{{0,4}}[：:]", sentence)
    )


# 「天数怎么折算」: how an act is done, asked by its verb
_ASKED_HOW = re.compile(r"(?:怎么|如何|怎样)([\u4e00-\u9fff]{2})(?:[？?，,。呢吗]|$)")


def states_method(question: str, sentence: str) -> bool:
    """The sentence sets out the method of the act the question asks how to do (「前款规定的折算方法为：…」
    for 「应休未休的天数怎么折算」): the answer itself, though it repeats few of the question's words."""
    asked = _ASKED_HOW.search(question)
    return asked is not None and bool(
        re.search(rf"{asked.group(1)}(?:方法|办法|公式)[^，。：:]{{0,4}}(?:为|是|如下)", sentence)
    )


# the kinds of thing handed in that a question asks for (要交哪些材料)
PAPER_KINDS = ("材料", "资料", "文件", "证明", "证件")
# handing in a series of papers: a verb of handing in, then several items one of which is a paper
_HANDS_IN_SERIES = re.compile(
    r"(?:提交|提供|递交|附送|附具|报送)[^。；;]{0,30}?(?:请求书|申请书|申请表|文本|证明|副本|复印件|证据)"
    r"[^。；;]{0,60}?、"
)


def overlap(question_grams: set[str], text: str) -> float:
    """Share of the question's bigrams found in the text."""
    if not question_grams:
        return 0.0
    return len(question_grams & bigram_set(text)) / len(question_grams)


def term_hits(terms: Sequence[str], text: str) -> float:
    """Length-weighted share of terms occurring in the text."""
    key = match_key(text)
    total = sum(len(t) for t in terms)
    return sum(len(t) for t in terms if t in key) / total if total else 0.0


def fuzzy_term_hits(terms: Sequence[str], text: str, weights: Mapping[str, float] | None = None) -> float:
    """term_hits, with part credit for a long term written slightly differently in the passage
    (a term in the question one character short of the document's); `weights` scale each term."""
    key = match_key(text)
    grams = bigram_set(text)
    weight = {t: len(t) * (weights.get(t, 1.0) if weights else 1.0) for t in terms}
    total = sum(weight.values())
    got = 0.0
    for term in terms:
        if term in key:
            got += weight[term]
        elif len(term) >= 4:
            term_grams = bigram_set(term)
            share = len(term_grams & grams) / len(term_grams) if term_grams else 0.0
            got += weight[term] * share if share >= 0.7 else 0.0
    return got / total if total else 0.0


def local_weights(terms: Sequence[str], passages: Sequence[str]) -> dict[str, float]:
    """1 for a term in every passage retrieved, up to 2 for one in few: among passages that all
    concern the question, the rarer words pick the sentence (合理开支, not 惩罚性赔偿)."""
    keys = [match_key(p) for p in passages]
    if not keys:
        return {}
    return {t: 1.5 - 0.5 * sum(1 for k in keys if t in k) / len(keys) for t in terms}


# An item marker at the start of the text or of a clause: （一）, (二), ①, 1. / 1、
_ITEM_MARK = re.compile(
    r"(?:^|(?<=[：:；;。\n]))\s*(?:[（(]([一二三四五六七八九十]+)[）)]|([①-⑳])|(\d{1,2})[.、．](?!\d))"
)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _ordinal(match: re.Match[str]) -> int | None:
    from assistant.ingest.cn_numerals import parse_ordinal

    cn, circled, digits = match.groups()
    if circled:
        return _CIRCLED.index(circled) + 1
    return parse_ordinal(cn or digits or "")


def split_items(text: str) -> tuple[Span | None, list[Span]]:
    """(lead-in, items) of a passage that lists numbered items inline («…应当具备下列条件：（一）…；
    （二）…»); no items unless at least two are numbered 1, 2, … in order."""
    marks = [m for m in _ITEM_MARK.finditer(text)]
    run: list[re.Match[str]] = []
    for m in marks:
        if _ordinal(m) == len(run) + 1:
            run.append(m)
        elif _ordinal(m) == 1 and len(run) < 2:
            run = [m]
    if len(run) < 2:
        return None, []
    starts = [m.start() + len(m.group(0)) - len(m.group(0).lstrip()) for m in run]
    ends = [*starts[1:], len(text)]
    items = [_span(text, a, b) for a, b in zip(starts, ends, strict=True)]
    lead = _span(text, 0, starts[0])
    return (lead if lead.text else None), [i for i in items if i.text]


def _span(text: str, start: int, end: int) -> Span:
    piece = text[start:end]
    body = piece.strip().rstrip("；;，,")
    offset = start + len(piece) - len(piece.lstrip())
    return Span(body, offset, offset + len(body))


def gist(text: str, limit: int = 60) -> str:
    """The first sentence of a body, cut at a clause end when longer than `limit` characters."""
    first = sentences(text)
    if not first:
        return ""
    sentence = first[0].text.rstrip("。；;")
    if len(sentence) <= limit:
        return sentence
    cut = max(sentence.rfind(p, 0, limit) for p in "，,；;")
    return sentence[:cut] if cut > 10 else sentence[:limit]


_DATES = re.compile(
    r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|[〇零一二三四五六七八九]{4}年(?:[〇零一二三四五六七八九十]{1,3}月(?:[〇零一二三四五六七八九十]{1,3}日)?)?"
    r"|[〇零一二三四五六七八九十]{1,3}月[〇零一二三四五六七八九十]{1,3}日"
)
_QUANTITY = re.compile(
    rf"(?:\d+(?:\.\d+)?\s*[十百千万亿]*|(?<![第之进统唯{_CN_NUM}])[百千万亿]*[{_CN_DIGIT}][{_CN_NUM}]*)\s*"
    r"(万元|亿元|元|倍|周年|年|个月|个工作日|工作日|日|天|小时|件|家|个|项|名|人|次|份|级|%|‰)"
)


def quantity_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, unit) of each quantity the text writes, dates left out (their span is blanked)."""
    return [(m.start(), m.end(), m.group(1)) for m in _QUANTITY.finditer(_without_dates(text))]


def _without_dates(text: str) -> str:
    """The text with its dates blanked out, same length: a date is no quantity."""
    return _DATES.sub(lambda m: " " * len(m.group()), text)


def figure_units(text: str) -> set[str]:
    """The units the text's quantities carry (dates are not quantities): 「处一万元以上罚款，
    三个工作日内」 → {万元, 个工作日}; percentages written 百分之… count as %."""
    plain = _without_dates(text)
    units = {m.group(1) for m in _QUANTITY.finditer(plain)}
    if re.search(rf"百分之[{_CN_NUM}\d]", plain):
        units.add("%")
    return units
