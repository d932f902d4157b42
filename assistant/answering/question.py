"""Question analysis (pure): what kind of answer is wanted, and which entities the question names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from assistant.textnorm import nfkc


class QType(StrEnum):
    ENUMERATION = "enumeration"
    NUMBER = "number"
    DATE = "date"
    DOC_NUMBER = "doc_number"
    ISSUER = "issuer"
    RESPONSIBILITY = "responsibility"
    YES_NO = "yes_no"
    EXPLANATION = "explanation"


# Order matters: the first matching rule wins.
_TYPE_RULES: tuple[tuple[QType, re.Pattern[str]], ...] = (
    (
        QType.DOC_NUMBER,
        re.compile(
            r"文号|发文字号|文件号|[哪几]一?号.{0,6}令|令第?几号|第几号令|公告号|第?几号公告|公告第几号"
        ),
    ),
    (
        QType.ISSUER,
        re.compile(
            # 根据什么出台 / 因为什么出台 ask a basis or a reason, not who
            r"(?<!根据|依据|因为|按照|为了)(哪个|什么|哪一?)(部门|单位|机关|机构)?(发布|印发|发的|制定|出台)"
            r"|发文(单位|机关)|谁(发布|印发|制定)"
        ),
    ),
    (
        QType.RESPONSIBILITY,
        re.compile(
            # 牵头 of the asker (想牵头成立…，资金要多少) asks no one: only who leads does
            r"责任单位|牵头(?:单位|部门)|谁牵头|负责|谁来|哪些部门|哪个部门|哪个司|分工|(?:报|由|经)谁(?:批准|审批|决定|审核)"
        ),
    ),
    (
        QType.DATE,
        re.compile(
            r"(什么时候|什么时间|何时|哪天|哪一天|几点|几月|日期|哪年|哪一年|哪几年|哪些年|什么年份)(印发|发布|出台|签发|成文)?|(印发|发布|出台|签发|成文)(时间|日期)"
        ),
    ),
    (
        QType.NUMBER,
        re.compile(
            # 我们几个人 is who asks, not what is asked; 多休了几天, 换过好几家 tell a story, they ask nothing
            r"多少|(?<![哪们了过好])几[个项家件所]?(?!个?方面)[个项家件所%]|(?<![哪第们了过好])几(?:个月|年|天|日|次|名|倍|份)"
            # 以后，过几年可以…: after how long, not 去过几次
            r"|(?:^|[，,]|后)过几(?:个月|年|天|日)|多长|多久|比例|占比|百分之|比重|数量是"
        ),
    ),
    (
        QType.ENUMERATION,
        re.compile(
            r"有哪些|哪几|主要任务|任务是|包括|几个方面|哪些方面|要点|重点任务|分为|列举|列了哪些|列出哪些|步骤|阶段"
            # 措施 asked for, not named in passing (「…歧视性限制措施，…能告它吗」 is a yes/no question)
            r"|(?:措施|举措)(?=[有是呢包]|[？?]?$)"
            r"|哪些(?:条件|情形|情况|行为|权利|义务|职责|方式|材料|事项|原则|任务|工作|措施|要求|内容|东西|事情|事|做法|举措|抓手|手段|途径|渠道|环节|领域)|哪[两三四五六七八九十]+[项个类条点种件]"
        ),
    ),
    # a target's figure, unless a requirement or an explanation is asked (目标里对统计工作有什么要求)
    (
        QType.NUMBER,
        re.compile(
            # 「目标里…要求发挥什么平台的作用」 asks a thing named in a target, not its figure
            r"^(?!.*(?:什么要求|哪些|怎么|如何|做了什么|做什么|干什么|什么意思|什么样|什么效果|什么目的|什么作用"
            r"|什么(?!目标|指标|水平|数|量|时)[\u4e00-\u9fff]{2}(?!.*(?:多少|几|比例|百分))))"
            r".*(?:目标(?!责任|管理|体系|导向)|达到|增长|指标|量是|量为)"
        ),
    ),
    (QType.YES_NO, re.compile(r"是不是|是否|有没有|能不能|可不可以|会不会|(?:吗|(?<!什)么)\s*[？?]?$")),
)

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
# A-not-A asking forms (算不算, 能不能, 有没有, 可不可以): the question's mood, never a term to find
_A_NOT_A = re.compile(r"可不可以|需不需要|应不应该|([\u4e00-\u9fff])[不没]\1")


@dataclass(frozen=True)
class QuestionInfo:
    text: str  # normalised (NFKC, simplified) question
    qtype: QType
    years: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # every region named, known to the corpus or not


def classify(text: str) -> QType:
    for qtype, pattern in _TYPE_RULES:
        if pattern.search(text):
            return qtype
    return QType.EXPLANATION


# questions about the document's record (its date, 文号, issuer), not its content
ABOUT_DOCUMENT = frozenset({QType.DATE, QType.DOC_NUMBER, QType.ISSUER})
QUOTED_TITLE = re.compile(r"《[^《》]*》")


def asks_of(text: str) -> list[str]:
    """The questions of a text, split at its question marks (要交几份？尺寸有什么要求？)."""
    return [a for a in re.split(r"[？?]", text) if a.strip()]


ASK_WORDS = re.compile(
    r"吗|呢|什么|哪|多少|几|谁|怎么|如何|怎样|是否|是不是|能不能|要不要|有没有|可不可以|算不算|会不会|多久|多长"
)


def each_ask(text: str) -> list[str]:
    """Each question of several, to be asked on its own: the clause the first one opens with (在青岛，…),
    when it asks nothing, is put before every later one that lacks it, so 「对方收到后多少天内要交答辩书？」
    keeps its place. Only that clause: a case of the first question (立案受理以后) is not the later one's."""
    asks = [a.strip() for a in asks_of(text)]
    if len(asks) < 2:
        return [f"{a}？" for a in asks]
    clauses = re.split(r"(?<=[，,；;])", asks[0])
    lead = clauses[0] if len(clauses) > 1 and not ASK_WORDS.search(clauses[0]) else ""
    return [asks[0] + "？", *(f"{'' if a.startswith(lead) else lead}{a}？" for a in asks[1:])]


def _last_ask_type(text: str) -> QType:
    """Of several questions in one (由谁遴选？任期几年？) the last decides the type: the earlier ones are
    answered on their own first. A last yes/no (多久一次？每季度一次吗？) checks the one before it."""
    asks = asks_of(text)
    last = classify(asks[-1]) if len(asks) > 1 else QType.EXPLANATION
    if len(asks) > 1 and last is QType.EXPLANATION and _ASKS_OWN_KIND.search(asks[-1]):
        # 罚多少？情节严重的还会怎样？ / 时效几年？超过了的，赔偿数额怎么算？: the earlier ask is answered on
        # its own, the last asks an outcome or a method
        return last
    return last if last not in (QType.EXPLANATION, QType.YES_NO) else classify(text)


_ASKS_OWN_KIND = re.compile(
    r"会怎样|会怎么样|怎么办|怎么处理|如何处理|怎么处罚|如何处罚|什么后果|什么责任|"
    r"(?:怎么|怎样|如何)(?:算|计算|确定|认定)"
)


# a question word inside what was done (把赔多少钱谈妥了，法院认不认？) asks nothing of its own
_EMBEDDED_ASK = re.compile(
    r"把[^，,。？?]{0,8}(?:多少|几)[^，,。？?]{0,6}?(?:谈妥|谈好|说好|定好|商定|约定好|讲好|算清|算好)了?"
)


def find_years(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(1) for m in _YEAR.finditer(text)))


def analyse(text: str, regions: tuple[str, ...] = ()) -> QuestionInfo:
    """`regions` are the region names found by the caller (it knows the gazetteer and the corpus)."""
    norm = nfkc(text).strip()
    return QuestionInfo(
        text=norm,
        # a title quoted whole says nothing of what is asked (《…几个法律适用问题的批复》 asks no count)
        qtype=_last_ask_type(_EMBEDDED_ASK.sub("", QUOTED_TITLE.sub("《》", norm))),
        years=find_years(norm),
        regions=regions,
    )


def without_asking_forms(text: str) -> str:
    """The question with its A-not-A asking forms blanked (「算不算合理开支」 → 「，合理开支」)."""
    return _A_NOT_A.sub("，", text)
