"""When not to answer (pure): chit-chat, hidden instructions, places and bodies the corpus does not
cover, facts policy documents do not state, and questions no passage matches well enough.

The relevance threshold comes from the labelled eval set (see `evaluation/calibrate.py`), not a guess.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from assistant.answering.sentences import figure_units, term_hits
from assistant.ingest.cn_numerals import parse_ordinal
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
# how much of a kind of money is asked (补助的标准是多少, 赔多少), not how many of something (多少件)
_SUM_ASKED = r"(?:的?(?:具体)?(?:标准|数额|额度)是?)?多少(?![件家个项名人次倍年天日%])"
_UNITS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (_PERCENT, re.compile(r"增长多少|增幅|提高多少|增长率")),  # "保障金额增长多少" asks for a rate, not 元
    (
        ("元",),
        re.compile(
            # a fee may be a share (减缴多少费用): only grants, fines and damages ask for 元
            r"多少钱|多少元|多少万元|金额|多少(?:担保|保证金|押金)|(?:补贴|补助|奖励|奖补|资助|罚|罚款|担保|保证金|押金)"
            + _SUM_ASKED
            # capital is money (注册资本不少于多少); its share (注册资本比例) is not
            + r"|(?:注册资本|出资额)(?:(?!比例|占比|比重)[^，,。？?]){0,6}?多少(?![件家个项名人次倍年天日%])"
        ),
    ),
    # damages may be set as a multiple (一倍以上三倍以下确定赔偿数额); a fine asked 罚多少 is a sum
    (("元", "倍"), re.compile(r"赔偿?" + _SUM_ASKED)),
    (("倍",), re.compile(r"几倍|多少倍")),
    (("件",), re.compile(r"多少件|(?<!哪)几件")),
    (("家",), re.compile(r"多少家|(?<![哪们])几家")),
    (("名", "人"), re.compile(r"多少名|(?<![哪们])几名|多少个?人|(?<![哪们])几个?人")),
    (("次",), re.compile(r"多少次|(?<!哪)几次")),
    (("级",), re.compile(r"多少级|(?<![哪第])几级|几个级别")),  # 密级分几级: a count of grades
    (("份",), re.compile(r"多少份|(?<!哪)几份")),
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
    # how long: any length of time answers (三个月, 十五日, 5年); how often is said.frequency_missing's
    (
        ("日", "天", "月", "年", "小时", "周"),
        re.compile(r"(?:多久|多长时间|多长期限)(?![^，,。？?]{0,12}一次)"),
    ),
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
    penalty_text: str = "",
) -> Verdict:
    """Checks that need the retrieved passages (`penalty_text`: the articles punishing the breach of the
    best ones, which answer 怎么罚 though retrieval ranks them lower)."""
    if not hits:
        return Verdict(True, "low_relevance")
    top_text = "".join(h.chunk.text for h in hits[:3])
    if any(f not in top_text for f in foreign):
        return Verdict(True, "foreign")
    if unknown_places:
        return Verdict(True, "region")
    if unknown_issuers:
        return Verdict(True, "issuer")
    if unstated_cue(text, top_text + penalty_text, unstated) or PERSON.search(text):
        return Verdict(True, "unstated")
    context = "".join(h.chunk.text + h.chunk.section_path for h in hits[:8]) + titles + doc_texts
    if any(year not in context for year in _YEAR.findall(text)):
        return Verdict(True, "unstated")  # e.g. a 2025 target when the documents stop at 2020
    if changed_figure_unstated(text, context):
        return Verdict(True, "unstated")
    best_dense, coverage = relevance(terms, hits)
    if best_dense < thresholds.min_dense and coverage < thresholds.min_coverage:
        return Verdict(True, "low_relevance")
    return Verdict(False)


# a change the question takes as given (假期增加到13天以后, 上限提高至50万元后): its figure must be written
_NUM = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+"
_FIGURE_UNIT = r"(?:个)?(工作日|天|日|小时|周|个月|月|年|万元|元|%|倍|件|项|人|家)"
_CHANGED_TO = re.compile(
    rf"(?:增加|增设|提高|提升|上调|下调|降低|减少|调整|延长|缩短|改)(?:到|至|为|成)({_NUM}){_FIGURE_UNIT}"
)


def changed_figure_unstated(text: str, context: str) -> bool:
    """The question rests on a change to a figure (节假日增加到13天以后，…) that no passage writes: it asks
    about a state of the rules the documents do not describe."""
    for asked in _CHANGED_TO.finditer(text):
        value, unit = parse_ordinal(asked.group(1)), asked.group(2)
        written = re.findall(rf"({_NUM})(?:个)?{re.escape(unit)}", context)
        if value is not None and value not in {parse_ordinal(w) for w in written}:
            return True
    return False


def unstated_cue(text: str, top_text: str, unstated: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """A cue of a fact such documents rarely carry (the profile's unstated.txt) whose evidence words
    none of the best passages contain."""
    asked = _asked_part(text)
    for cue, evidence in unstated:
        if cue in asked and not any(word in top_text for word in evidence):
            return cue
    return None


def _asked_part(text: str) -> str:
    """The question without the statements setting its scene: 「对方在官网上挂出报价。…怎么处理？」 does
    not ask for a website."""
    sentences_ = re.findall(r"[^。！!？?]+[。！!？?]?", text)
    asked = [s for s in sentences_ if not s.endswith(("。", "！", "!"))]
    return "".join(asked) or text


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
    ("报酬", "稿酬", "酬金"),
)
_ASKED_MONEY = re.compile(
    r"(补贴|补助|奖励|奖补|资助|罚款|罚|赔偿|赔|收费|缴纳|费|报酬|稿酬|酬金)[^，,。？?]{0,3}多少"
    r"|多少[^，,。？?]{0,4}?(补贴|补助|奖励|奖补|资助|罚款|赔偿|费|报酬|稿酬|酬金)"  # 给多少资助, 多少钱的补贴
)


def money_kind_missing(text: str, lines: Sequence[str]) -> bool:
    """The question asks how much of a kind of money (每件补助多少, 罚多少) and no line names that kind."""
    match = _ASKED_MONEY.search(text)
    if match is None:
        return False
    asked = match.group(1) or match.group(2)
    kind = next(k for k in _MONEY_KINDS if asked in k)
    return not any(word in line for word in kind for line in lines)


def cue_without_figure(
    text: str, unstated: Sequence[tuple[str, Sequence[str]]], figure_sentences: Sequence[str]
) -> bool:
    """收费标准是多少: the words occur (规范收费标准) but no sentence with a figure holds the cue or its
    evidence words; 怎么罚 is answered by a figure sentence that fines (处以…罚款)."""
    words = [w for cue, evidence in unstated if cue in text for w in (cue, *evidence)]
    return bool(words) and not any(w in s for w in words for s in figure_sentences)


def unit_missing(text: str, candidates: Sequence[str]) -> bool:
    """A question asking for an amount in a unit no quantity of the best matching sentences carries
    (a date's 日 is not a number of days)."""
    unit = asked_unit(text)
    if unit is None:
        return False
    carried = {u for c in candidates for u in figure_units(c)}
    return not any(alt in u for alt in unit for u in carried)


def not_stated_in(title: str) -> str:
    """The line a comparison gives for a document it names where nothing on the point asked was found
    (what was found, not a claim that the document is silent)."""
    return f"在《{title}》中没有找到所问的内容。"


def unnamed_caveat(thing: str) -> str:
    """The line put before an answer that does not settle a yes/no question about `thing`."""
    return f"已收录的政策文件没有提到「{thing}」，以下是最相关的规定，不一定回答了这个问题："


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
    "old_text": "已收录的是各文件的现行文本，没有所问的旧版本。",
    "later_text": "已收录的是各文件收录时的文本，没有所问的后续版本。",
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
