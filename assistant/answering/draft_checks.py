"""Checks an answer draft must pass before it is given (pure): a figure in the unit asked and about the
thing asked, the post, act or office asked named, a fine for the rule asked, a target of the year asked,
places where places are asked. Each returns whether the draft answers; the answerer refuses when one fails.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.answering import abstain, support
from assistant.answering import said as says_asked
from assistant.answering.draft import Draft
from assistant.answering.history import old_text_year
from assistant.answering.question import ABOUT_DOCUMENT, QUOTED_TITLE, QType, QuestionInfo, asks_of
from assistant.answering.regions import Gazetteer
from assistant.answering.sentences import has_figure, sets_amount
from assistant.lang.zh import act_forms
from assistant.models import Chunk, DocumentMeta
from assistant.retrieval.keyword import tag

# the question's last clause asks for an amount: 「…罚多少钱？」, 「…多长时间内？」 (not 「…多少奖金能商量吗？」)
_ASKS_AMOUNT = re.compile(
    r"(?:多少|几[个项件家年天日倍名次]?|多长|多久|多大|百分之几)[^，,。？?；;吗]*[？?。]?$"
)
AMOUNT_RULE = re.compile(r"数额|金额|计算|确定|倍数")
_HOW_SET = re.compile(r"确定[^，,。；;]{0,16}(?:倍数|数额|金额|比例)时")
_ASKS_BASIS = re.compile(r"(?:考虑|根据|依据|看)(?:哪些|什么)|(?:怎么|如何|怎样)(?:定|确定)")
# 怎么认定他赚了多少 asks how the sum is found: the rule that says how answers it without a figure
_ASKS_METHOD = re.compile(r"(?:怎么|如何|怎样)(?:认定|计算|确定|核定|算|判断|评估)[^，,。？?]{0,12}多少")


def amount_stated(
    info: QuestionInfo, question: str, draft: Draft, anchors: Sequence[tuple[str, float]]
) -> bool:
    """A number question's answer must give a figure, in the unit asked (补贴多少钱 answered with a
    count is not an answer); the answer to a number, date or responsibility question must be about the
    thing asked (`anchors`: 注册资本最低是多少 answered with another figure is not an answer)."""
    lines = [line.text for line in draft.lines]
    no_figure = not any(has_figure(line) for line in lines)
    earlier = [_asking_sentence(ask) for ask in other_asks(question)]
    # 赔多少 answered by the rule that sets the sum (赔偿数额，为…损失) carries no unit to check, nor does
    # 判几倍，要考虑哪些因素, answered by what the multiple is set by (确定…倍数时，应当综合考虑…)
    how_set = bool(_ASKS_BASIS.search(question)) and any(_HOW_SET.search(line) for line in lines)
    rule_only = no_figure and (how_set or any(sets_amount(line) for line in lines))
    if (
        draft.about != "history"
        and not rule_only
        and any(abstain.unit_missing(ask, lines) for ask in earlier)
    ):
        return False
    if info.qtype not in ANCHORED or draft.about == "history":
        return True
    # in a comparison each document's lines must carry the unit (one side's figure does not answer both)
    per_doc = _lines_by_doc(draft)
    if (
        info.qtype in (QType.NUMBER, QType.DATE)
        and not rule_only
        and any(abstain.unit_missing(question, doc_lines) for doc_lines in per_doc)
    ):
        return False
    if info.qtype is QType.NUMBER and says_asked.missing(question, lines, says_asked.NUMBER_QUESTION):
        return False
    if (
        info.qtype is QType.NUMBER
        and no_figure
        and _ASKS_AMOUNT.search(question.strip())
        and not (_ASKS_METHOD.search(question))
    ):
        # an amount asked and none given, unless the answer says how the amount is set (赔偿数额为…)
        return any(AMOUNT_RULE.search(line) for line in lines)
    # the thing asked is named in the cited sentences or their headings (a clause quoting the figure may
    # leave it out; its sentence does not)
    quoted = "".join(lines) + "".join(e.quote for line in draft.lines for e in line.evidence)
    said = quoted + "".join(e.chunk.section_path for line in draft.lines for e in line.evidence)
    # a kind written out (share 1.0) must be in the sentences themselves, not only in a heading above
    if not all(support.says(quoted if share >= 1.0 else said, anchor, share) for anchor, share in anchors):
        return False
    # 「新建30家A和一批B」 counts A; B, asked, has only 一批
    return info.qtype is not QType.NUMBER or not any(support.counted_vaguely(quoted, a) for a, _ in anchors)


def _asking_sentence(ask: str) -> str:
    """The sentence that asks: 「让我们提供几个用户的资料，我们一直没给。由谁来处理」 counts nothing."""
    return re.split(r"[。！!]", ask)[-1]


def other_asks(question: str) -> list[str]:
    """The questions before the last of several (要交几份？尺寸有什么要求？): the type is read from the
    last; a figure an earlier one asks for must still be given."""
    return asks_of(question)[:-1]


def _said(draft: Draft) -> str:
    """What an answer says: its lines and the sentences they quote."""
    return "".join(line.text + "".join(e.quote for e in line.evidence) for line in draft.lines)


def post_stated(question: str, draft: Draft) -> bool:
    """Who holds a post (组长由谁担任) is answered only by a passage naming that post."""
    post = support.asked_post(tag(support.asking_clause(question)))
    return post is None or post in _said(draft)


# 「到哪个部门登记备案」: the act done at the office asked for
_OFFICE_FOR = re.compile(
    r"(?:到|向|找|去|在)哪(?:个|些|一个|一)?(?:部门|单位|机关|机构)(?:办理)?([\u4e00-\u9fff]{2,6})"
)


# 「延长的，得报谁批准」: whoever approves is named where the approving is
_APPROVER = re.compile(
    r"(?:报|由|经过?|归)(?:谁|哪个部门|哪个机关|哪个单位)(?:来|负责)?(?:每年)?(?:组织)?"
    r"(批准|审批|决定|审核|解释|认定|监管|设立|发布|评审|评选|评定|考核)"
)


# a sanction asked (会被怎么处罚, 受什么处分, 承担什么法律责任), not how a matter is handled
_ASKS_SANCTION = re.compile(
    r"(?:怎么|如何|怎样|会被|会受到?|受到|给予|什么|哪些)(?:样的)?(?:行政)?(?:处罚|处分|罚)|承担什么(?:法律)?责任"
)
_SANCTION = re.compile(support.CONSEQUENCE.pattern + r"|取消|暂停|停止|列入|责任")


def sanction_stated(question: str, draft: Draft) -> bool:
    """A question asking how a breach is punished is answered only by lines that punish: the duty
    itself (应当建立…制度) says nothing of what follows its breach."""
    return not _ASKS_SANCTION.search(question) or bool(_SANCTION.search(_said(draft)))


def act_stated(question: str, draft: Draft, courts: tuple[str, ...] = ()) -> bool:
    """Which office one goes to for an act, or who approves, is answered only by a passage naming the
    act (登记, 备案, 批准…): an office that does something else is not the answer. `courts`: the
    profile's courts of a kind, for the checks every question passes (哪一级法院)."""
    approver = _APPROVER.search(question)
    if approver is not None:
        said = _said(draft)
        if not any(act in said for act in act_forms().get(approver.group(1), (approver.group(1),))):
            return False
    if says_asked.missing(question, [line.text for line in draft.lines], says_asked.any_question(courts)):
        return False
    asked = _OFFICE_FOR.search(question)
    if asked is None:
        return True
    acts = [w for w, t in tag(asked.group(1)) if len(w) >= 2 and t.startswith(("v", "n"))]
    said = _said(draft)
    return not acts or any(act in said for act in acts)


# 「第一批试点省是哪几个省」, 「分别设在哪些城市」: places asked for by name
_ASKS_PLACES = re.compile(r"哪(?:几|些|一|个)(?:个)?(?:省份|省|城市|市)(?![场])")


def _lines_by_doc(draft: Draft) -> list[list[str]]:
    by_doc: dict[str, list[str]] = {}
    for line in draft.lines:
        doc_id = line.evidence[0].chunk.doc_id if line.evidence else ""
        by_doc.setdefault(doc_id, []).append(line.text)
    return list(by_doc.values())


_ASKING_WORD = re.compile(r"几|多少|哪|什么|谁")


# the breach a penalty sentence names itself: 违反本条例第十八条第一款规定「假冒专利」的，…
_PUNISHED_CASE = re.compile(r"违反[^，。；]{0,30}?规定[，,]?([^，。；]{1,12}?)的[，,]")


def _case_is_asked(quote: str, terms: Sequence[str]) -> bool:
    """The penalty names as its case little more than a word of the question (冒用标志 for 冒用): the
    fine is for what was asked, whatever else the asker wrote (查不出违法所得, 除了罚款)."""
    return any(t in case and len(case) - len(t) <= 2 for case in _PUNISHED_CASE.findall(quote) for t in terms)


def fine_for_another_rule(
    question: str, draft: Draft, terms: Sequence[str], doc_chunks: Mapping[str, Sequence[Chunk]]
) -> bool:
    """「对假冒专利的罚款是多少」 answered by a fine for breaking 第十六条第二款, whose text never names
    假冒: the figure punishes another rule. The question's words the penalty sentence leaves out must be
    in a rule it punishes breaking."""
    if not support.asks_penalty(question):
        return False
    for line in draft.lines:
        for ev in line.evidence:
            if _case_is_asked(ev.quote, terms):
                continue
            rules = support.broken_rules(ev.quote, doc_chunks.get(ev.chunk.doc_id, ()))
            # a word written a little differently (中介机构, 中介服务机构) is written; 几倍 asks, names nothing
            left = [
                t
                for t in terms
                if not support.says(ev.quote, t, support.ANCHOR_SAID)
                and not support.CONSEQUENCE.search(t)
                and not _ASKING_WORD.search(t)
            ]
            if rules and left and not any(t in rule for t in left for rule in rules):
                return True
    return False


_TARGET_YEAR = re.compile(r"(?:到|至|截至|截止到?)((?:19|20)\d{2})年|((?:19|20)\d{2})年(?:前|底|末|以前)")
_ANY_YEAR = re.compile(r"(?<![〔\[［(（\d])((?:19|20)\d{2})(?=\s*年)")
_WRITTEN_YEAR = re.compile(r"(?:19|20)\d{2}(?=年)")
_YEAR_DIGITS = re.compile(r"(?:19|20)\d{2}")


def target_year_stated(
    question: str,
    draft: Draft,
    qtype: QType = QType.EXPLANATION,
    metas: Mapping[str, DocumentMeta] | None = None,
    doc_chunks: Mapping[str, Sequence[Chunk]] | None = None,
) -> bool:
    """A target asked for a year (到2025年建成几个) is answered only from passages of that year: the
    same target set for another year (到2030年…建成3—4个) is not it. So is any figure asked for a year
    (2015年的基数), unless the year is a document's own (2016年那个意见里): that names the document.
    Passages naming no year, nor their section's lead (到2020年，…), pass."""
    asked = _years_asked(question, draft, qtype, metas or {})
    if not asked:
        return True
    chunks = {e.chunk.chunk_id: e.chunk for line in draft.lines for e in line.evidence}.values()
    written = {y for c in chunks for y in _years_written(c, doc_chunks or {})}
    return not written or bool(asked & written)


def _years_asked(question: str, draft: Draft, qtype: QType, metas: Mapping[str, DocumentMeta]) -> set[str]:
    asked = {a or b for a, b in _TARGET_YEAR.findall(question)}
    if qtype is QType.NUMBER:
        cited = {e.chunk.doc_id for line in draft.lines for e in line.evidence}
        record = {
            y for d in cited if d in metas for f in _record_dates(metas[d]) for y in _YEAR_DIGITS.findall(f)
        }
        asked |= set(_ANY_YEAR.findall(QUOTED_TITLE.sub("", question))) - record
    return asked


def _years_written(chunk: Chunk, doc_chunks: Mapping[str, Sequence[Chunk]]) -> set[str]:
    """The years a passage is about: its own, else its enclosing section's lead's."""
    own = set(_WRITTEN_YEAR.findall(chunk.section_path + chunk.text))
    return own or set(_WRITTEN_YEAR.findall(_section_lead(chunk, doc_chunks)))


_ASKS_ORDER_NUMBER = re.compile(r"[哪几]号.{0,6}令|令第?几号|第几号令?|几号文|文号")
_ORDER_NUMBER = re.compile(r"[\d一二三四五六七八九十百零〇]+号")


_ASKS_SITTING = re.compile(r"第几次[^，,。？?]{0,8}会议")
_SITTING = re.compile(r"第[\d一二三四五六七八九十百零〇]+次[^，,。；;]{0,12}会议")


def order_number_stated(question: str, draft: Draft) -> bool:
    """A 令/文 number asked (2011年那次修订用的第几号令) is answered by a line giving one: the note of
    a revision made by a decision, with no number, is not it. Nor is a 令 number the sitting asked
    (第几次常务会议通过的)."""
    lines = [line.text for line in draft.lines]
    if _ASKS_SITTING.search(question) and not any(_SITTING.search(line) for line in lines):
        return False
    return not _ASKS_ORDER_NUMBER.search(question) or any(_ORDER_NUMBER.search(line) for line in lines)


def old_text_answered(question: str, draft: Draft, qtype: QType, metas: Mapping[str, DocumentMeta]) -> bool:
    """A date or 文号 asked of an earlier text (2006年那一版是哪天施行的) is answered only by a line of
    that year: the current text's 施行 date is not the old one's."""
    if qtype not in ABOUT_DOCUMENT:
        return True
    cited = [metas[e.chunk.doc_id] for line in draft.lines for e in line.evidence if e.chunk.doc_id in metas]
    year = old_text_year(question, cited)
    return year is None or any(year in line.text for line in draft.lines)


def _record_dates(meta: DocumentMeta) -> list[str]:
    found = (meta.date, meta.issued, meta.adopted, meta.amended, meta.effective, meta.doc_number)
    return [d for d in found if d]


def _section_lead(chunk: Chunk, doc_chunks: Mapping[str, Sequence[Chunk]]) -> str:
    """The text of the sections enclosing the chunk (a list's 到2020年，… before its points)."""
    return "".join(
        c.text
        for c in doc_chunks.get(chunk.doc_id, ())
        if len(c.section) < len(chunk.section) and chunk.section[: len(c.section)] == c.section
    )


def places_stated(question: str, draft: Draft, places: Gazetteer) -> bool:
    """Which provinces or cities is answered only by lines naming places: a list of tasks is not it."""
    if not _ASKS_PLACES.search(question):
        return True
    return any(places.mentions(line.text) for line in draft.lines)


ANCHORED = frozenset({QType.NUMBER, QType.DATE})
