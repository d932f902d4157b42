"""Checks that an answer says what the question asks (pure): an answer about the right topic can still
miss the point — a deadline of another act, a floor where a cap is asked, a rule quoted again where its
exceptions are asked. Each check takes the question and the answer's lines and says whether what is asked
is missing; the answerer refuses («not stated») rather than answer beside the question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from itertools import pairwise

from assistant.answering.abstain import asked_unit, money_kind_missing
from assistant.answering.question import asks_of
from assistant.answering.sentences import PAPER_KINDS, bigram_set, figure_units, quantity_spans
from assistant.answering.support import ANCHOR_SAID, abbreviates, asking_clause, says
from assistant.ingest.cn_numerals import parse_ordinal
from assistant.retrieval.keyword import tag
from assistant.textnorm import match_key


def _asked_not_said(
    asks: re.Pattern[str], says: re.Pattern[str], text: str, candidates: Sequence[str]
) -> bool:
    """The question asks in a form (`asks`) that no candidate answers in its form (`says`)."""
    return bool(asks.search(text)) and not any(says.search(c) for c in candidates)


_PER = re.compile(r"每(?:个|一)?(日|天|周|星期|月|季度?|年|小时)")
_SAME_PERIOD = {"天": "日", "星期": "周", "季度": "季"}


def periods(text: str) -> set[str]:
    """The periods a rate is asked or given per (每周, 每个月 → 周, 月)."""
    return {_SAME_PERIOD.get(p, p) for p in _PER.findall(text)}


_PERIOD_CHARS = "年季月周日"


def period_terms(text: str, said: str) -> list[str]:
    """The measures the text names for one period (季工作日) that `said` writes for another (月工作日):
    the same measure asked of the period, longest stem first."""
    found = []
    for asked in re.finditer(rf"([{_PERIOD_CHARS}])([\u4e00-\u9fff]{{3,6}})", text):
        period, term = asked.groups()
        for size in range(len(term), 2, -1):
            stem = term[:size]
            if any(p + stem in said for p in _PERIOD_CHARS if p != period):
                found.append(period + stem)
                break
    return found


def period_term_clash(text: str, candidates: Sequence[str]) -> bool:
    """「季计薪天数是多少」 answered by the 月计薪天数: the same measure for another period. Only the
    asking clause counts (年工作日250天，每季多少天 states the year's and asks the quarter's)."""
    said = "".join(candidates)
    asked = period_terms(asking_clause(text), said)
    return bool(asked) and asked[0] not in said


def basis_clash(text: str, candidates: Sequence[str]) -> bool:
    """A rate asked per one period (每周多少小时) answered by a figure per another (每日的8小时)."""
    asked, given = periods(text), periods("".join(candidates))
    return bool(asked and given and not asked & given)


_IN_ADVANCE = re.compile(r"提前[^，,。？?]{0,4}(?:几|多少|多长|多久)")
_BEFORE_FIGURE = re.compile(r"提前|(?:日|天|小时|个月|年)(?:以)?前")


def advance_missing(text: str, candidates: Sequence[str]) -> bool:
    """「提前几天通知」 asks a time before an event; a deadline after one (收到之日起七日内) is not it."""
    return _asked_not_said(_IN_ADVANCE, _BEFORE_FIGURE, text, candidates)


_FREQUENCY = re.compile(r"(?:多久|多长时间|几年|几个月|几天)[^，,。？?]{0,12}一次|每隔多")
_PERIODIC = re.compile(r"每|一次|(?<![指规约])定期(?!限)|周期")  # not 指定期限


def frequency_missing(text: str, candidates: Sequence[str]) -> bool:
    """「多久报告一次」 asks how often; a deadline (三个工作日内告知) says nothing of how often."""
    return _asked_not_said(_FREQUENCY, _PERIODIC, text, candidates)


_FINED = re.compile(r"罚([\u4e00-\u9fff]{2,5}?)(?:多少|几)")


def fined_party_missing(text: str, candidates: Sequence[str]) -> bool:
    """「要罚参展商多少钱」 names who is fined; a fine on another party (场馆方) does not answer it."""
    fined = _FINED.search(text)
    if fined is None or fined.group(1) in {"款", "金", "钱"} or fined.group(1).startswith(("款", "金")):
        return False
    party = fined.group(1).removesuffix("方")
    return not any(party in c for c in candidates)


_ASKS_FINE = re.compile(r"罚[^，,。？?]{0,4}(?:多少|几)|罚款[^，,。？?]{0,6}(?:多少|几)|(?:怎么|如何)罚")
# a fine on whoever helps another do it (为假冒他人专利提供生产经营便利的): an accessory's case
_ACCESSORY = re.compile(
    r"为[^，,。；;]{2,24}?提供[^，,。；;]{0,10}?(?:便利|条件|场所|帮助)|(?:帮助|协助|教唆)他人"
)
_ACCESSORY_ASKED = re.compile(r"提供|便利|帮助|协助|教唆|帮[^，,。？?]{0,6}忙")


def accessory_fine_missing(text: str, candidates: Sequence[str]) -> bool:
    """「假冒他人专利的罚多少」 asks the fine of the act: a fine on whoever made it easier (为…提供便利的)
    is not it."""
    if not _ASKS_FINE.search(text) or _ACCESSORY_ASKED.search(text):
        return False
    fined = [c for c in candidates if "罚" in c]
    return bool(fined) and all(_ACCESSORY.search(c) for c in _with_case(candidates, fined))


# 「假冒他人专利的，罚多少钱」: the act a fine is asked of
_FINED_ACT = re.compile(
    r"([^，,。？?]{2,16}?)的[，,]?(?:[^，,。？?的]{0,6}|[^，,。？?的]{2,8}的[^，,。？?的]{0,4})罚[^，,。？?]{0,6}(?:多少|几)"
)
# 「…跟当事人串通牟取不正当利益，被查到了罚多少钱」: the act is the clause before the one caught
_FINED_WHEN_CAUGHT = re.compile(
    r"([^，,。？?]{2,20})[，,]被[^，,。？?]{0,8}?(?:查到|查处|查出|发现|抓到)[^，,。？?]{0,4}?罚[^，,。？?]{0,6}(?:多少|几)"
)
# a circumstance (情节严重的, 没有违法所得的) or a rule (违反…规定的) names no act
_CONDITION = re.compile(r"情节|没|未|无|同时|规定|违规|违反")
# a fine for 「有前款第一项行为的」 has its case written in another sentence
_CASE_ELSEWHERE = re.compile(r"前款|下列|本条(?!例)|第[一二三四五六七八九十]+项")


def fined_act_missing(text: str, candidates: Sequence[str]) -> bool:
    """A fine asked of an act (假冒他人专利的罚多少) is answered by a fine whose case does that act: a fine
    for refusing to hand over papers, in the same article's neighbourhood, is not it."""
    asked = _FINED_ACT.search(text) or _FINED_WHEN_CAUGHT.search(text)
    if asked is None:
        return False
    act = asked.group(1)
    if act.startswith("被"):  # 还把仓库租给他，被…查到的话罚多少: the act is the clause before
        act = re.split(r"[，,。；;]", text[: asked.start()].rstrip("，, "))[-1]
    if _CONDITION.search(act):
        return False
    acts = _act_verbs(tag(act))
    cases = _with_case(candidates, [c for c in candidates if "罚" in c])
    if not acts or not cases or any(_CASE_ELSEWHERE.search(case) for case in cases):
        return False
    return not any(_does(case, verb, thing) for verb, thing in acts for case in cases)


def _does(case: str, verb: str, thing: str | None) -> bool:
    """The case writes the act: its verb and, for a verb of many objects (侵犯), what is done to."""
    return verb in case and (thing is None or says(case, match_key(thing), ANCHOR_SAID))


def _act_verbs(tagged: Sequence[tuple[str, str]]) -> list[tuple[str, str | None]]:
    """The verbs of an act, each with the noun it is done to when one follows (侵犯 林权); a verbal
    noun before a noun (服务 before 机构) names the actor, not the act."""
    padded = [*tagged, ("", ""), ("", "")]
    return [
        (w, _object_of(padded[i + 1 : i + 3]))
        for i, ((w, t), (_, next_tag)) in enumerate(pairwise(padded))
        if t.startswith("v") and len(w) >= 2 and not (t == "vn" and next_tag.startswith("n"))
    ]


def _object_of(following: Sequence[tuple[str, str]]) -> str | None:
    """The noun right after a verb, past a pronoun (假冒 他人 专利 → 专利); no place or person name."""
    for word, tag_ in following:
        if tag_ == "r":
            continue
        return word if tag_ in _THING_TAGS and len(word) >= 2 else None
    return None


_THING_TAGS = frozenset({"n", "nz", "vn", "l"})


def _with_case(candidates: Sequence[str], fined: Sequence[str]) -> list[str]:
    """Each fine's sentence with the one before it (the case is often written there: 违反…的，责令改正。
    拒不改正的，处…罚款)."""
    return [(candidates[i - 1] if i > 0 else "") + c for i, c in enumerate(candidates) if c in fined]


_SPAN = r"(?:工作日|个工作日|日|天|小时|个小时|个月|月|年)(?:之内|以内|内)"
_ASKED_DEADLINE = re.compile(rf"(?:几|多少)(?:个)?{_SPAN}([^，,。？?；;]{{1,12}})")
# the act a deadline governs runs to the next clause, a second act (并要求…) or a second time (期限内)
_GIVEN_DEADLINE = re.compile(
    rf"[\d一二三四五六七八九十百两]+{_SPAN}[，,]?((?:(?!并|期限)[^，,。；;]){{1,40}})"
)
# modal words, prepositions and asking words: not the act
_NOT_ACT = frozenset("要应当必须得就须把将对向在给出由哪里裡什么谁几多少个的了是否")


# telling someone is one act however it is worded (多久答复 is answered by 三十日内书面告知)
_TELLING = re.compile(r"告知|通知|答复|回复|告诉|反馈|回应")


def _act_chars(text: str) -> set[str]:
    chars = {ch for ch in text if "\u4e00" <= ch <= "\u9fff"} - _NOT_ACT
    return chars | {"<tell>"} if _TELLING.search(text) else chars


def _asked_act(window: str) -> set[str]:
    """The act a question's deadline asks about: after 把/将 its object comes first and the verb last
    (把信息从系统上撤下来 → 撤下来)."""
    # the recipient after the verb (发给对方, 送到法院) is not the act
    window = (
        re.sub(r"(?<=[\u4e00-\u9fff])(?:给|到|至)[\u4e00-\u9fff]{1,4}$", "", window)
        if "把" in window or "将" in window
        else window
    )
    disposed = re.search(r"[把将][^，,。？?]*?([\u4e00-\u9fff]{3})$", window)
    act = disposed.group(1) if disposed else window[:6]
    chars = _act_chars(_COMPLEMENT.sub("", act) or act)
    # 多长时间内办完: a light verb names the handling as a whole, no one act of it
    return set() if chars <= _LIGHT_VERBS else chars


_LIGHT_VERBS = frozenset("办弄搞做")


# a verb's result or direction (改过来, 撤下来, 交上去): the verb before it is the act
_COMPLEMENT = re.compile(r"(?<=[\u4e00-\u9fff])(?:过来|过去|下来|下去|上来|上去|起来|出来|回来|回去|掉|完)$")


# 多久 / 几个工作日 without 内: the act follows (多久要通知) or, at the clause's end, precedes (保存多久)
_ASKED_SPAN = re.compile(
    r"([\u4e00-\u9fff]{0,6}?)(?:多久|多长时间|(?:几|多少)个?(?:工作日|日|天|小时|月))(?:之内|以内|内)?"
    r"((?:就|才|能|可以|要|得|必须|应当|会)*)([^，,。？?；;]{0,12})"
)
_NOT_ASKED_ACT = re.compile(
    r"^(?:最长|最短|最多|最少|一般|通常|大概|大约|可以|还|要|能|需要|应当|得)+|(?:是|为|有)?[呢吗啊呀]*$"
)


def _asked_time_act(text: str) -> set[str]:
    """The act whose time a question asks: after a deadline (几日内要决定 → 决定), after 多久 (多久要通知
    → 通知), or before a time that ends the clause (最长可以保存多久 → 保存)."""
    deadline = _ASKED_DEADLINE.search(text)
    if deadline:
        return _asked_act(deadline.group(1))
    span = _ASKED_SPAN.search(text)
    if span is None:
        return set()
    after = _NOT_ASKED_ACT.sub("", span.group(3))
    if after:
        return _asked_act(after)
    if not re.match(r"多久|多长时间", span.group(0)[len(span.group(1)) :]):
        # 期限是多少天 asks a figure, not how long an act lasts; 调解期限是多少天 names the act's
        term = _TERM_OF.search(text)
        return _act_chars(term.group(1)) if term else set()
    if _WAITING.search(span.group(1)):
        return set()  # 公告以后要等多久: a period after an event, no act's deadline
    return _act_chars(_NOT_ASKED_ACT.sub("", span.group(1)))


_TERM_OF = re.compile(r"([\u4e00-\u9fff]{2})期限(?=[^，,。？?；;]{0,4}(?:多少|几))")
_WAITING = re.compile(r"(?:等|等待|经过|过|隔)$")


# the kind of a decision (处理决定, 是否受理的决定): decisions of different kinds have their own deadlines
# (决定 as a noun, ending its phrase: 要决定受不受理 asks an act, not a kind)
_DECISION = re.compile(r"([\u4e00-\u9fff]{2})的?决定(?=书|[^\u4e00-\u9fff]|$)")


def _decision_kind(text: str) -> str | None:
    found = _DECISION.search(text)
    return found.group(1) if found and found.group(1) not in {"作出", "做出"} else None


def deadline_act_missing(text: str, candidates: Sequence[str]) -> bool:
    """「几个工作日内要决定立不立案」 asks the deadline of one act; 「五个工作日内告知举报人」 is another's;
    「登记保存的证据最长保存多久」 is not answered by 「七日内作出决定」. The act asked must share a
    character with the act an answer's deadline governs (回复 / 答复 pass), and a decision of the kind
    asked (几日内作出处理决定 is not answered by 三个工作日内作出是否受理决定)."""
    given = [m.group(1) for c in candidates for m in _GIVEN_DEADLINE.finditer(c)]
    act = _asked_time_act(text)
    if not act or not given:
        return False
    term = _TERM_OF.search(text)
    if term and any(term.group(1) in c and _GIVEN_DEADLINE.search(c) for c in candidates):
        return False  # the act whose term is asked may come before its figure (调解应当…三十日内结束)
    kind = _decision_kind(text)
    decides = {"决", "定"} <= act
    return not any(
        act & _act_chars(done)
        and (kind is None or _decision_kind(done) in (None, kind))
        and not (decides and _FILING.match(done) and "决定" not in done)
        for done in given
    )


# a party's filing (向…请求复审, 起诉) is not the deciding asked for (多长时间内作出复审决定)
_FILING = re.compile(r"(?:向[^，,。；;]{1,20}?)?(?:请求|申请|提出|提起|起诉|上诉)")


_ASKS_EXCEPTION = re.compile(r"例外|除外情形|特殊情形")
_EXCEPTION = re.compile(r"除外|但是|但[^，,。]{0,30}(?:的|除外)|除[^，,。]{1,30}外|不适用|例外|另有规定")


def exception_missing(text: str, candidates: Sequence[str]) -> bool:
    """「这条有例外吗」 is answered only by a sentence stating one (但…除外, 不适用…): quoting the rule again
    says nothing of its exceptions."""
    return _asked_not_said(_ASKS_EXCEPTION, _EXCEPTION, text, candidates)


_CLAIMED_FIGURE = re.compile(
    r"(?:是不是|是否|是)[^，,。？?]{0,20}?[\d一二三四五六七八九十百两]+(?:个)?(?:工作日|日|天|小时|个月|月|年|元|万元|%|倍|名|人|件)"
)


def claimed_figure_unanswered(text: str, candidates: Sequence[str]) -> bool:
    """「是不是3个月内就要审完」 checks a figure: an answer giving no figure of that kind neither confirms
    nor corrects it."""
    asking = [c for c in re.split(r"[，,。；;？?]", text) if re.search(r"吗|是不是|是否", c)]
    claim = _CLAIMED_FIGURE.search(asking[-1]) if asking else None
    if claim is None:
        return False  # 算出来是2.6天，剩下的也要给吗: the figure is the asker's story, not the claim
    # a figure of the claim written in the answer confirms or corrects it (250个工作日 → 250天÷12月)
    numbers = re.findall(r"\d+(?:\.\d+)?", asking[-1])
    if any(n in c for n in numbers for c in candidates):
        return False  # 是拿250个工作日除以12算的吗 answered by 250天÷12月: the figure is there
    asked = figure_units(claim.group(0))
    if asked & _TIME_UNITS and any(_AT_ONCE.search(c) for c in candidates):
        return False  # 是不是七天内 corrected by 立即: a definite time, unlike 及时
    return not any(u in figure_units(c) for c in candidates for u in asked)


_TIME_UNITS = frozenset({"工作日", "日", "天", "小时", "个月", "月", "年"})
_AT_ONCE = re.compile(r"立即|立刻|当即|即时|当场|当日|当天")


_ASKS_LEVEL = re.compile(r"哪一?级")


# 「举报人能拿到奖励吗」, 「对举报侵权的人有什么奖励」: who would get the money
_REWARDED = re.compile(
    r"([\u4e00-\u9fff]{2,6}?)(?:能|可以|能够|会|还能)?(?:拿到|获得|得到|领到|领取|享受)(?:什么)?(奖励|奖金|补助|补贴|资助)"
    r"|对([\u4e00-\u9fff]{2,8}?)(?:各|分别)?(?:有|给)(?:什么|哪些|多少)?(奖励|奖金|补助|补贴|资助)"
)


def rewarded_party_missing(text: str, candidates: Sequence[str]) -> bool:
    """「举报人能拿到奖励吗」 names who would be rewarded: a reward for someone else (对发明人给予奖励)
    does not settle it."""
    asked = _REWARDED.search(text)
    if asked is None:
        return False
    party, money = [g for g in asked.groups() if g]
    if party.startswith(("我", "咱", "你", "您", "他", "她", "它", "这", "那")):
        return False  # the asker (我们能拿到补贴吗): the rule's own words for him are unknown
    rewarding = [c for c in candidates if money in c]
    return not any(says(c, match_key(party), ANCHOR_SAID) for c in rewarding)


# 「授权一定要书面的吗？口头说一声行不行？」: the form of an act
_ASKS_FORM = re.compile(r"书面|口头")
_FORM = re.compile(r"书面|口头|形式|方式")


def form_missing(text: str, candidates: Sequence[str]) -> bool:
    """Whether an act must be in writing (一定要书面的吗, 口头行不行) is settled only by a sentence saying
    in what form it is done."""
    return _asked_not_said(_ASKS_FORM, _FORM, text, candidates)


# a court of a level named (基层人民法院能不能受理, 还是要去中院): the question turns on the level
_COURT_LEVEL = re.compile(r"(?:基层|中级|高级)(?:人民)?法院|中院|高院")
# a rule naming a court's level, the highest court, or a court of a kind (a profile adds its field's:
# courts.txt, 知识产权法院)
_COURTS_NAMED = ("基层", "中级", "高级", "最高人民法院", "互联网法院", "专门人民法院")
# a level is also named by the tier of government itself (省专利行政部门, 国务院…部门, 设区的市), without 级
_LEVEL_NAMED = re.compile(r"级|省|自治区|直辖市|设区的市|[市县区]人民政府|国务院|国家|中央|最高人民")


@cache
def _court_named(courts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in (*_COURTS_NAMED, *courts)))


def level_missing(text: str, candidates: Sequence[str], courts: tuple[str, ...] = ()) -> bool:
    """「哪一级法院管辖」 is answered by a sentence naming a level (中级, 高级, 县级以上); 「基层法院能不能受理」
    by one naming a court of some level or kind (`courts`: the profile's), not by a rule for 人民法院 at
    large."""
    if _COURT_LEVEL.search(text):
        named = _court_named(courts)
        return not any(named.search(c) for c in candidates)
    return bool(_ASKS_LEVEL.search(text)) and not any(_LEVEL_NAMED.search(c) for c in candidates)


_ASKS_UPPER = re.compile(r"最多|最高|上限|至多|不能超过|不得超过|最长")
_ASKS_LOWER = re.compile(r"最少|最低|下限|至少|不能低于|不得低于|最短")
_UPPER = re.compile(r"以下|不超过|不得超过|不高于|最高|最多|最长|以内|之内|[^的]内|上限")
_LOWER = re.compile(r"以上|不低于|不少于|至少|最低|最少|下限")


# a time limit asked (几天内付, 最迟多久): a span of time counted from or to something
_ASKS_WITHIN = re.compile(
    r"(?:几|多少)个?(?:工作日|日|天|小时|月|年)(?:之内|以内|内)|(?:多长时间|多久)(?:之内|以内|内)|最迟|最晚"
)
_WITHIN = re.compile(
    r"[\d一二三四五六七八九十百两]+个?(?:工作日|日|天|小时|月|年|周)(?![）)÷×])|期限|期间|之日起|及时|立即"
)


def within_missing(text: str, candidates: Sequence[str]) -> bool:
    """「几天内付」 is not answered by a time figure in a formula (已过日历天数÷365天): a time limit
    asked needs a period stated as one."""
    return bool(_ASKS_WITHIN.search(text)) and not any(_WITHIN.search(c) for c in candidates)


def bound_clash(text: str, candidates: Sequence[str]) -> bool:
    """「最高不能超过百分之多少」 answered by a floor (不低于百分之五十), or a floor asked and only a cap
    given: the bound asked is not stated. Nor when the figures in the unit asked (罚款最低是几倍) carry only
    the other bound, though the lines write the asked one elsewhere (五万元以上的 sets the case, 五倍以下
    caps the fine)."""
    upper = bool(_ASKS_UPPER.search(text))
    if upper == bool(_ASKS_LOWER.search(text)):
        return False
    asked, other = (_UPPER, _LOWER) if upper else (_LOWER, _UPPER)
    # of several questions, the one asking the bound (多久内给？至少给多少？: the second)
    bound_asked = next((a for a in asks_of(text) if (_ASKS_UPPER if upper else _ASKS_LOWER).search(a)), text)
    # the whole lines, and the bounds beside the figures in the unit asked: a clash in either
    for said in (["".join(candidates)], _bounds_of_unit(bound_asked, candidates)):
        if any(other.search(s) for s in said) and not any(asked.search(s) for s in said):
            return True
    return False


_BOUND_REACH = 4  # 不超过 before a figure, 以下 or 以内 after it


def _bounds_of_unit(text: str, candidates: Sequence[str]) -> list[str]:
    """The few characters around each figure the lines write in the unit the question asks, if any."""
    units = asked_unit(text)
    if units is None:
        return []
    return [
        line[max(0, start - _BOUND_REACH) : end + _BOUND_REACH]
        for line in candidates
        for start, end, unit in quantity_spans(line)
        if unit.endswith(units)
    ]


_NEGATIVE_KIND = re.compile(
    r"哪些[^，,。？?]{0,12}?不(?:算|能|属于|可以|得|予|构成|适用)|不(?:算|属于|构成|适用)[^，,。？?]{0,8}(?:哪些|什么)"
)
# 除X外，可以…下列: X is excepted, not the list; 除下列情形外 is
_NEGATION = re.compile(r"不|非|无|未|除(?:下列|以下|本条|前款)|禁止|严禁")


# a sentence stating the excluded cases itself (…较为严重行政处罚的，不得提前停止公示)
_EXCLUDES = re.compile(r"不(?:得|予|能|可以|属于|构成|适用|算)")
# a numbered item of any layout: （一）, 1., 2、
_LISTED = re.compile(r"^(?:根据“[^”]*”，)?\s*(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])")


def _leads(candidates: Sequence[str]) -> list[str]:
    """The sentences introducing a list (…下列行为：)."""
    return [c for c in candidates if c.rstrip().endswith(("：", ":"))]


def negated_list_clash(text: str, candidates: Sequence[str]) -> bool:
    """「列了哪些不算保密措施的做法」 asks for what falls outside; a list introduced as what counts
    («…应当认定采取了保密措施：») is the opposite, unless another sentence names what is excluded."""
    leads = _leads(candidates)
    if not _NEGATIVE_KIND.search(text) or not leads or _NEGATION.search(leads[0]):
        return False
    return not any(_EXCLUDES.search(c) for c in candidates if c not in leads and not _LISTED.match(c))


_ASKS_CONTACT = re.compile(
    r"哪个(?:具体)?(?:地址|电话|号码|网址|网站|邮箱)|(?:地址|电话|网址|邮箱)是(?:什么|多少)"
)
_CONTACT = re.compile(r"\d{5,}|www\.|https?://|\.(?:cn|com|org|gov)\b|@|[路街道]\d|\d+号")
_ASKS_SYSTEM = re.compile(r"哪个(?:网上)?(?:系统|平台|网站|App|APP|小程序)")
_SYSTEM = re.compile(r"系统|平台|网站|网址")


def contact_missing(text: str, candidates: Sequence[str]) -> bool:
    """「具体寄到哪个地址」 asks for the address itself; a sentence naming 邮寄地址 as a channel gives none.
    「在哪个网上系统填报」 is answered only by a sentence naming a system or platform."""
    said = "".join(candidates)
    if _ASKS_CONTACT.search(text):
        return not _CONTACT.search(said)
    return bool(_ASKS_SYSTEM.search(text)) and not _SYSTEM.search(said)


_ALTERNATIVES = re.compile(
    r"(?:按|是|算)?([\u4e00-\u9fff]{2,4}?)(?:算|计算)?还是(?:按|是|算)?([\u4e00-\u9fff]{2,4}?)(?:算|计算)?(?:[？?。呢]|$)"
)


# two places or bodies to choose between: 是到国务院专利行政部门办，还是到省里的部门办
_PLACES_ASKED = re.compile(
    r"(?:到|在|向|找|去|由)([\u4e00-\u9fff]{2,16}?)(?:办理|办|提出|申请|处理)?[，,]?还是"
    r"(?:到|在|向|找|去|由)([\u4e00-\u9fff]{2,16}?)(?:办理|办|提出|申请|处理)?(?:呢|啊)?(?:[？?。]|$)"
)


# two bodies to choose between: 是科技局还是市场监管局
_BODY = r"[\u4e00-\u9fff]{1,8}?(?:局|厅|委|委员会|部门|办公室|办|院|中心|机构)"
_BODY_VERB = re.compile(r"[是找到由归去向]")
_BODIES_ASKED = re.compile(
    rf"(?:是|找|到|由|归|去|向)*({_BODY})还是(?:是|找|到|由|归|去|向)*({_BODY})(?:管|负责|办|处理)?(?:呢|啊)?(?:[？?。]|$)"
)


# two figures to choose between: 是12个月还是18个月
_FIGURE_OPTION = r"([\d一二三四五六七八九十百两〇零]+)个?(工作日|日|天|小时|月|年|元|万元|倍|件|名|家|%)"
_FIGURES_ASKED = re.compile(rf"{_FIGURE_OPTION}还是(?:是|按)?{_FIGURE_OPTION}")
_FIGURE_GIVEN = re.compile(_FIGURE_OPTION)


def _figures(found: Sequence[tuple[str, str]]) -> set[tuple[int | None, str]]:
    return {(parse_ordinal(number), unit) for number, unit in found}


def alternative_missing(text: str, candidates: Sequence[str]) -> bool:
    """「按工作日算还是按自然日算」 is answered by a sentence naming one of the two; 「到A办还是到B办」 by one
    naming A or B (written a little differently at most); 「是12个月还是18个月」 by one giving either
    figure (in digits or Chinese numerals)."""
    said = "".join(candidates)
    figures = _FIGURES_ASKED.search(text)
    if figures is not None:
        options = _figures([(figures[1], figures[2]), (figures[3], figures[4])])
        return not options & _figures(_FIGURE_GIVEN.findall(said))
    places = _PLACES_ASKED.search(text)
    bodies = _BODIES_ASKED.search(text)
    if places is None and bodies is not None:
        # 这事归市场监管局: the body is what follows the verb
        # written in full or abbreviated (市场监管局 for 市场监督管理局)
        return not any(abbreviates(match_key(_BODY_VERB.split(b)[-1]), said) for b in bodies.groups())
    if places is not None:
        return not any(says(said, match_key(option), ANCHOR_SAID) for option in places.groups())
    asked = _ALTERNATIVES.search(text)
    if asked is None:
        return False
    return not any(form in said for option in asked.groups() for form in _option_forms(option))


def _option_forms(option: str) -> set[str]:
    """An option as a document may write it: 「一个作品」 is 「同一作品」 or 「一作品」, 「两个作品」 「两作品」 or
    「二作品」."""
    bare = option.lstrip("按是算")
    counted = re.match(r"(一|两|二)个(.+)", bare)
    if counted is None:
        return {bare}  # a bare 两个 would be found in any text with a 二 in it
    numerals = ("同一", "一", "单一") if counted.group(1) == "一" else ("两", "二")
    return {bare, *(n + counted.group(2) for n in numerals)}


_DOCUMENT_REFERENCE = re.compile(r"^(?:这个|这份|该|本|此)|批复|规定|办法|条例|通知|意见|解释|方案|决定|文件")
_APPLIES_TO = re.compile(
    r"适用(?:于)?([\u4e00-\u9fff]{2,20}?)(?:的职工|的人员|的企业|的单位|的情形)?(?:吗|么)"
)


def applies_missing(text: str, candidates: Sequence[str]) -> bool:
    """「适用于实行综合计算工时制的职工吗」: the answer must name who or what it is asked to apply to."""
    asked = _APPLIES_TO.search(text)
    if asked is None:
        return False
    if _DOCUMENT_REFERENCE.search(asked.group(1)):
        return False  # 能适用这个批复吗: whether the document applies, not to whom
    subject, said = asked.group(1)[-6:], "".join(candidates)
    return not any(subject[i : i + 3] in said for i in range(max(1, len(subject) - 2)))


_YES_NO = re.compile(r"吗|要不要|能不能|会不会|算不算|需不需要|可不可以|有没有|是不是|是否|可否|能否|用不用")
_PREDICATE = re.compile(
    r"(?:要不要|能不能|会不会|算不算|需不需要|可不可以|有没有|是不是|是否|可否|能否|用不用"
    r"|需要|可以|能|会|要|得)(?P<predicate>[^，,。；;？?]*?)(?:吗|呢|$)"
)
# a yes/no question asking for measures (有没有扶持民企的措施) is answered by the measures there are
_ASKS_MEASURES = re.compile(r"措施|打算|安排|政策|举措|办法|规定|支持|例外")


def yes_no_predicate(question: str) -> str:
    """What a yes/no question asks to be settled (要不要交个人所得税 → 交个人所得税), from its last
    clause that asks one; "" for other questions and for those asking for measures."""
    clauses = [c for c in re.split(r"[，,。；;？?！!]", question) if _YES_NO.search(c)]
    if not clauses:
        return ""
    found = _predicate_match(clauses[-1])
    predicate = found.group("predicate") if found else ""
    return "" if _ASKS_MEASURES.search(predicate) else predicate


def _predicate_match(clause: str) -> re.Match[str] | None:
    """The first modal that is not the start of a longer word of the clause (会 of 会员价, 要 of 要求); one
    ending a word (不能, 只要) still counts."""
    words = [w for w, _ in tag(clause)]
    if sum(map(len, words)) != len(clause):
        return _PREDICATE.search(clause)  # normalising changed the length: positions would not line up
    word_end: dict[int, int] = {}
    start = 0
    for word in words:
        word_end.update({i: start + len(word) for i in range(start, start + len(word))})
        start += len(word)
    for position in range(len(clause)):
        found = _PREDICATE.match(clause, position)
        if found is not None and word_end[position] <= found.start("predicate"):
            return found
    return None


_ASKS_REASON = re.compile(r"为什么|为何|什么原因|(?:因为|出于)什么|什么理由")
# a purpose (为了…, 为规范…，制定), a cause (因…, 由于) or a ground (根据/依照…规定, a 请示 replied to)
_REASON = re.compile(
    r"为了|旨在|目的|因为|由于|鉴于|因此|所以|根据|依照|依据|按照[^，,。；;]{0,20}规定|请示|^为[^，,。]{2,40}，"
)
_RATHER_THAN = re.compile(r"(?:而不是|而非|不是)([^，,。？?；;]{1,12}?)(?:呢|吗)?(?:[？?。]|$)")


def reason_missing(text: str, candidates: Sequence[str]) -> bool:
    """「为什么…」 asks a reason: a rule restated without its purpose, cause or ground does not give one,
    and 「为什么X而不是Y」 is not answered by a text that never names Y."""
    if not _ASKS_REASON.search(text):
        return False
    said = "".join(candidates)
    rather = _RATHER_THAN.search(text)
    if rather is not None and rather.group(1) not in said:
        return True
    return not any(_REASON.search(c) for c in candidates)


# 「…，那…」: what follows the conjunction 那 asks; 那个/那些/那里 point at a thing instead
_THEN = re.compile(r"[，,。；;！!]\s*那(?:么)?(?![个些种样里儿部份条项次位家本时段笔件张批阵天年])")
_ASKING_WORDS = re.compile(
    r"是不是|要不要|能不能|会不会|可不可以|算不算|有没有|需不需要|用不用|是否|可以|多少|多长|多久|几|什么|怎么"
    r"|怎样|如何|哪|谁|吗|呢|吧|还|也|要|能|会|该|具体|一定|必须|应该|的|了"
)
_ASK_SAID = 0.25  # share of the new ask's character pairs an answer must write


def premise_only(text: str, candidates: Sequence[str]) -> bool:
    """「…可以从重处罚，那从重的话最多罚到多少钱？」 restates a rule, then asks beyond it: an answer
    writing next to nothing of what follows 那 (beyond the words the premise used) is the rule again."""
    then = list(_THEN.finditer(text))
    if not then:
        return False
    premise, ask = text[: then[-1].start()], text[then[-1].end() :]
    new = set().union(*(bigram_set(part) for part in _ASKING_WORDS.split(ask))) - bigram_set(premise)
    if len(new) < 2:
        return False  # 那罚多少: the premise is what is asked about
    said = match_key("".join(candidates))
    return sum(b in said for b in new) / len(new) < _ASK_SAID


_ASKS_MONTH = re.compile(r"几月份?(?!工资)|哪个月|哪一个?月|什么月份")
_CALENDAR_MONTH = re.compile(r"(?<![个\d])(?:1[0-2]|[1-9]|十[一二]|[一二三四五六七八九十])月")


def month_missing(text: str, candidates: Sequence[str]) -> bool:
    """「每年几月份发放」 asks a month of the year; a span of months (前12个月) is not one."""
    return _asked_not_said(_ASKS_MONTH, _CALENDAR_MONTH, text, candidates)


_ASKS_PAPERS = re.compile(rf"(?:交|提交|提供|准备|带|附)[^，,。？?]{{0,4}}哪些(?:{'|'.join(PAPER_KINDS)})")
_PAPERS = re.compile(r"材料|资料|文件|证明|证件|申请书|申请表|请求书|复印件|复制件|原件|副本|图样|样品")


def papers_missing(text: str, candidates: Sequence[str]) -> bool:
    """「要交哪些材料」 asks what to hand in: a list of conditions or matters, naming no paper and no
    handing in, is not it."""
    return _asked_not_said(_ASKS_PAPERS, _PAPERS, text, candidates)


_ASKS_PAYER = re.compile(
    r"(?:费|钱)[^，,。？?]{0,4}?(?:由|归|让|该)?(?:谁|哪一?方|哪个部门|哪家)[^，,。？?]{0,3}?(?:出|承担|负担|支付|预交|交|付|掏)"
)
_PAID = re.compile(
    r"费[^。；;]{0,30}?(?:承担|负担|支付|预交|缴纳|垫付|交纳|自理|列入|纳入)"
    r"|(?:承担|负担|支付|预交|缴纳|垫付)[^。；;]{0,12}?费"
)


def payer_missing(text: str, candidates: Sequence[str]) -> bool:
    """「鉴定费由谁出」 asks who bears a cost: a rule on the appraisal that says nothing of its fee is
    not it."""
    last = asks_of(text)[-1:]  # of several questions, the last
    return bool(last) and _asked_not_said(_ASKS_PAYER, _PAID, last[0], candidates)


# 「X具体包括哪些」, 「…X，具体是哪几个」: the members of X asked, not X named again
_ASKS_MEMBERS = re.compile(r"具体(?:包括|是指|指|是|有|分)?(?:哪些|哪几)")
_MEMBERS_OF = r"(?:包括|是指|指的是|主要有|分为|，即|：)"
_LIST_LEAD = re.compile(r"(?:下列|以下|如下)([\u4e00-\u9fff]{1,4}?)(?:之一)?(?:的)?[^：:]*[：:]\s*$")


def _asked_whole(before: str) -> str:
    """The words whose members are asked, from the question up to 具体: those in its clause, else the
    clause before."""
    clauses = re.split(r"[，,。？?；;]", before)
    own = re.sub(r"^(?:这里的|这个|那个|这些|那些|其中的?|里面的?)", "", clauses[-1])
    whole = own if len(own) >= 2 else (clauses[-2] if len(clauses) > 1 else "")
    return re.sub(r"[“”\"'「」『』]", "", whole)


_AFTER_ASK = re.compile(r"(?:类|个|项|种|些|档|级|批|家|条|款)?([\u4e00-\u9fff]{2})")
# kinds a list of rules answers without naming them (具体有哪些要求): not checked
_VAGUE_KIND = frozenset(
    "方面 内容 情形 情况 东西 事项 规定 要求 做法 办法 程序 步骤 流程 手续".split()
    + "措施 举措 工作 任务 抓手 安排 政策 支持 重点".split()
)


def _asked_head(text: str) -> str:
    """The kind asked for: the noun after the asking word (哪几类案件 → 案件), else the last two
    characters of the words before 具体 (荣誉称号 → 称号)."""
    asked = _ASKS_MEMBERS.search(text)
    if asked is None:
        return ""
    after = _AFTER_ASK.match(text, asked.end())
    if after and after.group(1) in _VAGUE_KIND:
        return ""
    if after:
        return after.group(1)
    return _asked_whole(text[: asked.start()])[-2:]


def members_missing(text: str, candidates: Sequence[str]) -> bool:
    """「荣誉称号具体包括哪些」 asks for the members: a sentence naming 荣誉称号 again, or a list of
    something else (行使下列职权：), does not give them."""
    head = _asked_head(text)
    if len(head) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]{2}", head):
        return False
    kinds = [(lead, _LIST_LEAD.search(lead)) for lead in _leads(candidates)]
    if any(_LISTED.match(c) for c in candidates) and not any(listed for _, listed in kinds):
        return False  # items under a heading, or without their lead: nothing tells their kind
    for lead, listed in kinds:
        if (set(listed.group(1)) & set(head)) if listed else head in lead:
            return False
    said = "".join(candidates)
    return not re.search(
        rf"{head}[^，。；;]{{0,4}}{_MEMBERS_OF}|、[^，。；;]{{1,20}}等[^，。；;]{{0,8}}{head}"
        rf"|（以下(?:简)?称[^）]*{head}",
        said,
    )


Check = Callable[[str, Sequence[str]], bool]


@cache
def any_question(courts: tuple[str, ...] = ()) -> tuple[Check, ...]:
    """The checks for every question type; `courts`: the profile's courts of a kind (知识产权法院)."""

    def court_level_missing(text: str, candidates: Sequence[str]) -> bool:
        return level_missing(text, candidates, courts)

    return (
        frequency_missing,  # how often (多久报告一次), not a deadline
        exception_missing,  # 有例外吗, not the rule again
        claimed_figure_unanswered,  # 是不是3个月内, with no figure of that kind
        court_level_missing,  # 哪一级法院, with no level named
        rewarded_party_missing,  # 举报人能拿到奖励吗, a reward for someone else
        form_missing,  # 一定要书面的吗, with no form said
        negated_list_clash,  # 哪些不算…, with a list of what counts
        contact_missing,  # 寄到哪个地址, with no address
        alternative_missing,  # 工作日还是自然日, naming neither
        applies_missing,  # 适用于X吗, never naming X
        reason_missing,  # 为什么…, a rule restated with no reason
        premise_only,  # 规定…，那Y？ answered by the rule restated, not Y
        month_missing,  # 几月份, with no month of the year
        papers_missing,  # 要交哪些材料, with a list of conditions
        payer_missing,  # 鉴定费由谁出, with no fee borne
        members_missing,  # X具体包括哪些, with X named again
    )


# 「贴息比例是多少」: a ratio, sum or cap of something named right before it
_MEASURE_OF = re.compile(
    r"([\u4e00-\u9fff]{2})(?:的)?(?:比例|金额|数额|标准|上限|下限|幅度|额度)(?:是|为|有|能|最高|最多|一般)?(?:多少|几)"
)


def measured_missing(question: str, lines: Sequence[str]) -> bool:
    """The thing measured must be in the answer: 贴息比例 answered with a fund's 比例 is not it."""
    asked = _MEASURE_OF.search(question)
    return asked is not None and not any(asked.group(1) in line for line in lines)


# checks for number questions
NUMBER_QUESTION: tuple[Check, ...] = (
    measured_missing,  # 贴息比例 asked, another 比例 given
    money_kind_missing,  # 补助多少 answered with a 融资额
    basis_clash,  # 每周 asked, 每日 given
    period_term_clash,  # 季计薪天数 asked, 月计薪天数 given
    advance_missing,  # 提前几天, a deadline after
    fined_party_missing,  # 罚参展商多少, a fine on another party
    accessory_fine_missing,  # 假冒的罚多少, the fine of whoever helped
    fined_act_missing,  # 假冒的罚多少, the fine of another act
    deadline_act_missing,  # 几日内决定, another act's deadline
    bound_clash,  # a cap asked, a floor given
    within_missing,  # 几天内 asked, a time figure in a formula given
)


def missing(question: str, lines: Sequence[str], checks: Sequence[Check]) -> bool:
    """Whether any of the checks finds what the question asks missing from the lines."""
    return any(check(question, lines) for check in checks)
