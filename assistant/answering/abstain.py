"""When not to answer (pure): chit-chat, hidden instructions, places and bodies the corpus does not
cover, facts policy documents do not state, and questions no passage matches well enough.

The relevance threshold comes from the labelled eval set (see `evaluation/calibrate.py`), not a guess.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from assistant.answering.sentences import figure_units, term_hits
from assistant.retrieval.fusion import RankedHit

CHITCHAT = re.compile(
    r"^(你好|您好|hi|hello|嗨|在吗|谢谢|再见|早上好|晚上好)[!！。.？?]*$|讲个笑话|笑话|天气|你是谁|你叫什么|"
    r"吃了吗|唱首歌|写.{0,12}(?:诗|歌词|小说|对联|笑话)|今天星期|几点了|你几岁",
    re.IGNORECASE,
)
INJECTION = re.compile(
    r"忽略(以上|上面|上述|之前|前面|所有|你的)?的?(所有)?(指令|指示|提示|要求|规则|设定|文件|内容)|"
    r"system\s*prompt|系统提示|提示词|(?:你|请)来?扮演|扮演(?:一个|一名|成)|你现在是|不要管|无视(文件|以上|规则)|"
    r"ignore (all |the )?(previous|above)|直接编|随便编|编一个|api\s*密钥|api\s*key|配置信息|密钥|"
    # 编造 asked of the assistant, not done by someone the question is about (故意编造纠纷)
    r"(?:帮我|给我|请|你)[^，,。]{0,4}编造|编造(?:一个|一份|一些|个)?(?:答案|数据|数字|回答|内容|条款|规定)",
    re.IGNORECASE,
)
PERSON = re.compile(
    r"(局长|厅长|市长|省长|书记|负责人|主任)(是谁|叫什么)|谁是.{0,6}(局长|厅长|市长|省长|书记)"
)
# The unit a number question asks for, and how a passage may write it.
_PERCENT = ("%", "成")
_UNITS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (_PERCENT, re.compile(r"增长多少|增幅|提高多少|增长率")),  # "保障金额增长多少" asks for a rate, not 元
    (
        ("元",),
        re.compile(
            # a fee may be a share (减缴多少费用): only grants, fines and damages ask for 元
            r"多少钱|多少元|多少万元|金额|(?:补贴|补助|奖励|奖补|资助|罚|罚款|赔)"
            r"(?:的?(?:具体)?(?:标准|数额|额度)是?)?多少(?![件家个项名人次倍年天日%])"
        ),
    ),
    (("倍",), re.compile(r"几倍|多少倍")),
    (("件",), re.compile(r"多少件|(?<!哪)几件")),
    (("家",), re.compile(r"多少家|(?<![哪们])几家")),
    (("名", "人"), re.compile(r"多少名|(?<![哪们])几名|多少人|(?<![哪们])几人")),
    (("次",), re.compile(r"多少次|(?<!哪)几次")),
    (("小时",), re.compile(r"(?<![哪好那这们])几个?小时|多少个?小时")),
    (
        ("个",),
        re.compile(r"(?<![哪好那这们])几个(?!方面|阶段|部分|类|月|工作日|小时)"),
    ),  # 好几个, 那几个: several
    (_PERCENT, re.compile(r"百分之|比例|占比|比重|增长率")),
    (("日", "天"), re.compile(r"多少天|几天|多少日|几日|多少个工作日|几个工作日")),
    (("月",), re.compile(r"几个月|多少个月|(?<!哪)几月份?|哪个月")),
    (("年",), re.compile(r"多少年|(?<![哪第])几年")),  # 哪几年 asks for a period, not a number of years
    (("时", "点"), re.compile(r"几点|几时(?!起)")),  # a time of day
)
_YEAR = re.compile(r"(?:19|20)\d{2}")


@dataclass(frozen=True)
class Verdict:
    abstain: bool
    reason: str = ""  # chitchat | injection | foreign | region | unstated | low_relevance


@dataclass(frozen=True)
class Thresholds:
    # defaults fitted by `policyqa calibrate` (see Settings.min_dense); the engine passes the settings
    min_dense: float = 0.74  # cosine of the best passage
    min_coverage: float = 0.25  # share of question terms found in the top passages


def screen(text: str) -> Verdict:
    """Checks on the question alone, before retrieval."""
    if INJECTION.search(text):
        return Verdict(True, "injection")
    if CHITCHAT.search(text.strip()):
        return Verdict(True, "chitchat")
    return Verdict(False)


def judge(
    text: str,
    terms: Sequence[str],
    hits: Sequence[RankedHit],
    *,
    foreign: Collection[str],
    unknown_places: Collection[str],
    thresholds: Thresholds,
    unknown_issuers: Collection[str] = (),
    unstated: Sequence[tuple[str, Sequence[str]]] = (),
    titles: str = "",
    doc_texts: str = "",
) -> Verdict:
    """Checks that need the retrieved passages."""
    if not hits:
        return Verdict(True, "low_relevance")
    top_text = "".join(h.chunk.text for h in hits[:3])
    if any(f not in top_text for f in foreign):
        return Verdict(True, "foreign")
    if unknown_places:
        return Verdict(True, "region")
    if unknown_issuers:
        return Verdict(True, "issuer")
    if unstated_cue(text, top_text, unstated) or PERSON.search(text):
        return Verdict(True, "unstated")
    context = "".join(h.chunk.text + h.chunk.section_path for h in hits[:8]) + titles + doc_texts
    if any(year not in context for year in _YEAR.findall(text)):
        return Verdict(True, "unstated")  # e.g. a 2025 target when the documents stop at 2020
    best_dense, coverage = relevance(terms, hits)
    if best_dense < thresholds.min_dense and coverage < thresholds.min_coverage:
        return Verdict(True, "low_relevance")
    return Verdict(False)


def unstated_cue(text: str, top_text: str, unstated: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """A cue of a fact such documents rarely carry (the profile's unstated.txt) whose evidence words
    none of the best passages contain."""
    for cue, evidence in unstated:
        if cue in text and not any(word in top_text for word in evidence):
            return cue
    return None


def relevance(terms: Sequence[str], hits: Sequence[RankedHit]) -> tuple[float, float]:
    """(cosine of the best passage, share of question terms in the top passages and their headings):
    the two signals the low-relevance thresholds are fitted on."""
    if not hits:
        return 0.0, 0.0
    top_text = "".join(h.chunk.text + h.chunk.section_path for h in hits[:3])
    return max(h.dense for h in hits[:5]), term_hits(terms, top_text)


def fit_thresholds(
    samples: Sequence[tuple[float, float, bool]], max_false_refusal: float = 0.01
) -> tuple[Thresholds, float, float]:
    """Thresholds from a labelled set of (best_dense, coverage, answerable): the pair that refuses the
    most unanswerable questions while refusing at most `max_false_refusal` of the answerable ones;
    among equals, the one furthest inside (lowest thresholds), so answerable questions keep a margin.
    Returns (thresholds, refusal recall, false-refusal rate) on the samples."""
    answerable = [(d, c) for d, c, ok in samples if ok]
    unanswerable = [(d, c) for d, c, ok in samples if not ok]
    best: tuple[float, float, Thresholds] | None = None
    for dense_step in range(30, 91):
        for cov_step in range(0, 21):
            t = Thresholds(min_dense=dense_step / 100, min_coverage=cov_step / 20)
            false_rate = _refused_share(answerable, t)
            if false_rate > max_false_refusal:
                continue
            recall = _refused_share(unanswerable, t)
            key = (recall, -false_rate)
            if best is None or key > best[:2]:
                best = (recall, -false_rate, t)
    if best is None:
        return Thresholds(0.0, 0.0), 0.0, 0.0
    return best[2], best[0], -best[1]


def asked_unit(text: str) -> tuple[str, ...] | None:
    """The unit a number question asks for (元 for 多少钱) as a passage may write it, if it names one."""
    for unit, pattern in _UNITS:
        if pattern.search(text):
            return unit
    return None


# kinds of money a question may ask the amount of; an answer in 元 must be that kind of money (a
# 融资额 is not a 补助)
_MONEY_KINDS = (
    ("补贴", "补助", "奖励", "奖补", "资助", "扶持", "奖金", "补偿", "经费", "资金"),
    ("罚", "罚款", "罚金"),
    ("赔", "赔偿"),
    ("费", "收费", "缴纳"),
)
_ASKED_MONEY = re.compile(
    r"(补贴|补助|奖励|奖补|资助|罚款|罚|赔偿|赔|收费|缴纳|费)[^，,。？?]{0,3}多少|多少[^，,。？?]{0,4}(费)"
)


def money_kind_missing(text: str, lines: Sequence[str]) -> bool:
    """The question asks how much of a kind of money (每件补助多少, 罚多少) and no line names that kind."""
    match = _ASKED_MONEY.search(text)
    if match is None:
        return False
    asked = match.group(1) or match.group(2)
    kind = next(k for k in _MONEY_KINDS if asked in k)
    return not any(word in line for word in kind for line in lines)


def unit_missing(text: str, candidates: Sequence[str]) -> bool:
    """A question asking for an amount in a unit no quantity of the best matching sentences carries
    (a date's 日 is not a number of days)."""
    unit = asked_unit(text)
    if unit is None:
        return False
    carried = {u for c in candidates for u in figure_units(c)}
    return not any(alt in u for alt in unit for u in carried)


_PER = re.compile(r"每(?:个|一)?(日|天|周|星期|月|季度?|年|小时)")
_SAME_PERIOD = {"天": "日", "星期": "周", "季度": "季"}


def _periods(text: str) -> set[str]:
    return {_SAME_PERIOD.get(p, p) for p in _PER.findall(text)}


def basis_clash(text: str, candidates: Sequence[str]) -> bool:
    """A rate asked per one period (每周多少小时) answered by a figure per another (每日的8小时)."""
    asked, given = _periods(text), _periods("".join(candidates))
    return bool(asked and given and not asked & given)


_IN_ADVANCE = re.compile(r"提前[^，,。？?]{0,4}(?:几|多少|多长|多久)")
_BEFORE_FIGURE = re.compile(r"提前|(?:日|天|小时|个月|年)(?:以)?前")


def advance_missing(text: str, candidates: Sequence[str]) -> bool:
    """「提前几天通知」 asks a time before an event; a deadline after one (收到之日起七日内) is not it."""
    return bool(_IN_ADVANCE.search(text)) and not any(_BEFORE_FIGURE.search(c) for c in candidates)


_FREQUENCY = re.compile(r"(?:多久|多长时间|几年|几个月|几天)[^，,。？?]{0,12}一次|每隔多")
_PERIODIC = re.compile(r"每|一次|(?<![指规约])定期(?!限)|周期")  # not 指定期限


def frequency_missing(text: str, candidates: Sequence[str]) -> bool:
    """「多久报告一次」 asks how often; a deadline (三个工作日内告知) says nothing of how often."""
    return bool(_FREQUENCY.search(text)) and not any(_PERIODIC.search(c) for c in candidates)


_FINED = re.compile(r"罚([\u4e00-\u9fff]{2,5}?)(?:多少|几)")


def fined_party_missing(text: str, candidates: Sequence[str]) -> bool:
    """「要罚参展方多少钱」 names who is fined; a fine on another party (举办单位) does not answer it."""
    fined = _FINED.search(text)
    if fined is None or fined.group(1) in {"款", "金", "钱"} or fined.group(1).startswith(("款", "金")):
        return False
    party = fined.group(1).removesuffix("方")
    return not any(party in c for c in candidates)


_SPAN = r"(?:工作日|个工作日|日|天|小时|个小时|个月|月|年)(?:之内|以内|内)"
_ASKED_DEADLINE = re.compile(rf"(?:几|多少)(?:个)?{_SPAN}([^，,。？?；;]{{1,12}})")
# the act a deadline governs runs to the next clause, a second act (并要求…) or a second time (期限内)
_GIVEN_DEADLINE = re.compile(
    rf"[\d一二三四五六七八九十百两]+{_SPAN}[，,]?((?:(?!并|期限)[^，,。；;]){{1,40}})"
)
# modal words, prepositions and asking words: not the act
_NOT_ACT = frozenset("要应当必须得就须把将对向在给出由哪里裡什么谁几多少个的了")


def _act_chars(text: str) -> set[str]:
    return {ch for ch in text if "\u4e00" <= ch <= "\u9fff"} - _NOT_ACT


def _asked_act(window: str) -> set[str]:
    """The act a question's deadline asks about: after 把/将 its object comes first and the verb last
    (把信息从系统上撤下来 → 撤下来)."""
    disposed = re.search(r"[把将][^，,。？?]*?([\u4e00-\u9fff]{3})$", window)
    return _act_chars(disposed.group(1) if disposed else window[:6])


def deadline_act_missing(text: str, candidates: Sequence[str]) -> bool:
    """「几个工作日内要决定立不立案」 asks the deadline of one act; 「五个工作日内告知举报人」 is another's.
    The act asked must share a character with the act an answer's deadline governs (回复 / 答复 pass)."""
    asked = _ASKED_DEADLINE.search(text)
    given = [_act_chars(m.group(1)) for c in candidates for m in _GIVEN_DEADLINE.finditer(c)]
    act = _asked_act(asked.group(1)) if asked else set()
    if not act or not given:
        return False
    return not any(act & done for done in given)


_ASKS_EXCEPTION = re.compile(r"例外|除外情形|特殊情形")
_EXCEPTION = re.compile(r"除外|但是|但[^，,。]{0,30}(?:的|除外)|除[^，,。]{1,30}外|不适用|例外|另有规定")


def exception_missing(text: str, candidates: Sequence[str]) -> bool:
    """「这条有例外吗」 is answered only by a sentence stating one (但…除外, 不适用…): quoting the rule again
    says nothing of its exceptions."""
    return bool(_ASKS_EXCEPTION.search(text)) and not any(_EXCEPTION.search(c) for c in candidates)


_CLAIMED_FIGURE = re.compile(
    r"(?:是不是|是否|是)[^，,。？?]{0,20}?[\d一二三四五六七八九十百两]+(?:个)?(?:工作日|日|天|小时|个月|月|年|元|万元|%|倍|名|人|件)"
)


def claimed_figure_unanswered(text: str, candidates: Sequence[str]) -> bool:
    """「是不是3个月内就要审完」 checks a figure: an answer giving no figure of that kind neither confirms
    nor corrects it."""
    claim = _CLAIMED_FIGURE.search(text)
    if claim is None or not re.search(r"吗|是不是|是否", text):
        return False
    asked = figure_units(claim.group(0))
    if asked & _TIME_UNITS and any(_AT_ONCE.search(c) for c in candidates):
        return False  # 是不是七天内 corrected by 立即: a definite time, unlike 及时
    return not any(u in figure_units(c) for c in candidates for u in asked)


_TIME_UNITS = frozenset({"工作日", "日", "天", "小时", "个月", "月", "年"})
_AT_ONCE = re.compile(r"立即|立刻|当即|即时|当场|当日|当天")


_ASKS_LEVEL = re.compile(r"哪一?级")


def level_missing(text: str, candidates: Sequence[str]) -> bool:
    """「哪一级法院管辖」 is answered by a sentence naming a level (中级, 高级, 县级以上)."""
    return bool(_ASKS_LEVEL.search(text)) and not any("级" in c for c in candidates)


_ASKS_UPPER = re.compile(r"最多|最高|上限|至多|不能超过|不得超过|最长")
_ASKS_LOWER = re.compile(r"最少|最低|下限|至少|不能低于|不得低于|最短")
_UPPER = re.compile(r"以下|不超过|不得超过|不高于|最高|最多|最长|以内|之内|[^的]内|上限")
_LOWER = re.compile(r"以上|不低于|不少于|至少|最低|最少|下限")


def bound_clash(text: str, candidates: Sequence[str]) -> bool:
    """「最高不能超过百分之多少」 answered by a floor (不低于百分之六十), or a floor asked and only a cap
    given: the bound asked is not stated."""
    said = "".join(candidates)
    if _ASKS_UPPER.search(text) and not _ASKS_LOWER.search(text):
        return bool(_LOWER.search(said)) and not _UPPER.search(said)
    if _ASKS_LOWER.search(text) and not _ASKS_UPPER.search(text):
        return bool(_UPPER.search(said)) and not _LOWER.search(said)
    return False


_NEGATIVE_KIND = re.compile(
    r"哪些[^，,。？?]{0,12}?不(?:算|能|属于|可以|得|予|构成|适用)|不(?:算|属于|构成|适用)[^，,。？?]{0,8}(?:哪些|什么)"
)
_NEGATION = re.compile(r"不|非|无|未|除|禁止|严禁")


def negated_list_clash(text: str, candidates: Sequence[str]) -> bool:
    """「列了哪些不算保密措施的做法」 asks for what falls outside; a list introduced as what counts
    («…应当认定采取了保密措施：») is the opposite."""
    leads = [c for c in candidates if c.rstrip().endswith(("：", ":"))]
    return bool(_NEGATIVE_KIND.search(text)) and bool(leads) and not _NEGATION.search(leads[0])


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


def alternative_missing(text: str, candidates: Sequence[str]) -> bool:
    """「按工作日算还是按自然日算」 is answered by a sentence naming one of the two."""
    asked = _ALTERNATIVES.search(text)
    if asked is None:
        return False
    said = "".join(candidates)
    return not any(option.lstrip("按是算") in said for option in asked.groups())


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


REASON_TEXT = {
    "chitchat": "我是政策问答助手，只回答已收录政策文件中的问题。",
    "injection": "这个请求要求我忽略或改变回答规则，我只能依据已收录的政策文件作答。",
    "foreign": "已收录的政策文件不涉及该境外机构或国家的相关内容。",
    "region": "已收录的政策文件不涉及该地区。",
    "issuer": "已收录的政策文件中没有该机关发布的文件。",
    "unstated": "已收录的政策文件没有载明这一信息。",
    "low_relevance": "已收录的政策文件中没有与该问题足够相关的内容。",
    "named_missing": "所问文件没有载明这一信息。",
    "unknown_document": "所问的文件未被收录。",
}


def abstention_message(
    reason: str,
    titles: Sequence[str],
    nearest: Sequence[str],
    subject: str | None = None,
    nearest_in_subject: bool = False,
) -> str:
    """The refusal: why, what the corpus holds, and where the nearest passages are. With `subject` (the
    document the question names) the refusal says that document does not state it, and the nearest
    passages are labelled as other documents' (or, with `nearest_in_subject`, as its own)."""
    if subject:
        lines = [f"《{subject}》未载明这一信息。"]
    else:
        lines = [f"在已收录的政策文件中未找到该问题的答案。{REASON_TEXT.get(reason, '')}"]
    if titles and not subject:
        lines.append("目前收录的文件有：" + "；".join(f"《{t}》" for t in titles) + "。")
    if nearest:
        label = (
            "其他文件的相关内容（并非该文件的规定）："
            if subject and not nearest_in_subject
            else "最接近的章节："
        )
        lines.append(label + "；".join(nearest) + "。")
    return "\n".join(lines)


def _refused_share(points: Sequence[tuple[float, float]], t: Thresholds) -> float:
    refused = sum(1 for dense, coverage in points if dense < t.min_dense and coverage < t.min_coverage)
    return refused / max(1, len(points))
