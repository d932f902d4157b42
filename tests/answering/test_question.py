"""Question analysis (assistant/answering/question.py): type, years, NFKC."""

from __future__ import annotations

import pytest

from assistant.answering.question import (
    QType,
    QuestionInfo,
    analyse,
    classify,
    find_years,
)

# ---------------------------------------------------------------- classify


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # 文号 first: "是多少" would otherwise make it a number question
        ("吉林省实施意见的文号是什么？", QType.DOC_NUMBER),
        ("这个文件号是多少？", QType.DOC_NUMBER),
        ("汕尾强市方案的发文字号是什么", QType.DOC_NUMBER),
        # issuer before responsibility: "哪个部门印发" also contains "哪个部门"
        ("《加快推进知识产权强省建设工作方案》是哪个部门印发的？", QType.ISSUER),
        ("这份文件是谁发布的？", QType.ISSUER),
        ("强区方案的发文机关是哪个", QType.ISSUER),
        ("工作指引是什么单位制定的？", QType.ISSUER),
        # a basis or a reason asked, not who issued it
        ("两个文件各自是根据什么、因为什么出台的？", QType.EXPLANATION),
        ("这个规定是根据什么制定的？", QType.EXPLANATION),
        # responsibility
        ("专利导航工作由哪个司负责？", QType.RESPONSIBILITY),
        ("质押融资工作的责任单位是哪些？", QType.RESPONSIBILITY),
        ("知识产权保护由哪些部门牵头？", QType.RESPONSIBILITY),
        ("谁来组织实施强市建设？", QType.RESPONSIBILITY),
        ("这项工作由谁牵头？", QType.RESPONSIBILITY),
        # the asker's own 牵头 asks no one
        ("想牵头成立一个协会，开办资金至少得有多少万元？", QType.NUMBER),
        ("省里和市县是怎么分工的？", QType.RESPONSIBILITY),
        # date: "哪天印发" must not be read as "哪…印发" (issuer)
        ("工作方案是什么时候印发的？", QType.DATE),
        ("汕尾强市方案哪天印发？", QType.DATE),
        ("哪一天发布的", QType.DATE),
        ("印发日期是哪天", QType.DATE),
        ("几月几日印发的？", QType.DATE),
        ("这份通知何时出台", QType.DATE),
        ("发布时间", QType.DATE),
        # number
        ("全省年专利申请量力争达到多少件？", QType.NUMBER),
        ("每万人口发明专利拥有量目标是多少？", QType.NUMBER),
        ("计划建设几个试点省？", QType.NUMBER),
        ("培育几家知识产权示范企业", QType.NUMBER),
        ("高新技术企业专利申请占比", QType.NUMBER),
        ("年均增长百分之几", QType.NUMBER),
        # second number rule: targets without 多少/几
        ("到2020年的主要目标是什么？", QType.NUMBER),
        ("专利质押融资金额要达到什么水平", QType.NUMBER),
        # a thing asked inside a target (什么平台) is no figure; the target itself (什么目标) is
        ("强区方案在治理能力目标里，要求充分发挥什么平台的作用？", QType.EXPLANATION),
        # 目标里…哪些门类 asks the things a target names, not its figure
        ("服务效能目标里，要构建的服务体系涵盖哪些业务门类？", QType.EXPLANATION),
        ("方案从远期目标和近期重点两个角度分别做了什么？", QType.EXPLANATION),  # an action, no figure
        ("汕尾方案对知识产权实施转化率有什么目标？", QType.NUMBER),
        ("治理能力目标里，要发挥什么平台的作用，建成多少个？", QType.NUMBER),
        # enumeration; "几个方面" is excluded from the number rule by its look-ahead
        ("支撑型试点省的主要任务有哪些？", QType.ENUMERATION),
        ("包括几个方面？", QType.ENUMERATION),
        ("从哪几个方面推进？", QType.ENUMERATION),
        ("吉林省有哪些保障措施", QType.ENUMERATION),
        ("请列举强市建设的重点任务", QType.ENUMERATION),
        ("哪些情况能算没使用的正当理由？", QType.ENUMERATION),  # the cases listed
        # a list question wins over the yes/no rule ("有没有" comes later)
        ("有没有专利质押融资的措施？", QType.ENUMERATION),
        # yes / no
        ("汕尾市是引领型知识产权强市吗？", QType.YES_NO),
        ("吉林省是否属于强省建设试点省？", QType.YES_NO),
        ("有没有专利保险", QType.YES_NO),
        ("企业能不能申请专利资助?", QType.YES_NO),
        # explanation is the fallback
        ("什么是知识产权强省？", QType.EXPLANATION),
        ("为什么要建设知识产权强省", QType.EXPLANATION),
        ("动态调整指的是怎样的机制", QType.EXPLANATION),
    ],
)
def test_classify(question: str, expected: QType) -> None:
    assert classify(question) is expected


def test_every_question_type_is_reachable() -> None:
    samples = {
        "文号是什么": QType.DOC_NUMBER,
        "谁印发的": QType.ISSUER,
        "牵头单位": QType.RESPONSIBILITY,
        "何时印发": QType.DATE,
        "多少件": QType.NUMBER,
        "有哪些": QType.ENUMERATION,
        "是不是试点省": QType.YES_NO,
        "背景介绍": QType.EXPLANATION,
    }
    assert {classify(q) for q in samples} == set(QType)
    for question, expected in samples.items():
        assert classify(question) is expected, question


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "哪几个/哪几项" asks for the items, "几个" for a count
        ("强省建设时间表分成哪几个阶段？", QType.ENUMERATION),
        ("知识产权强保护工程下面有哪几项具体任务？", QType.ENUMERATION),
        ("分为几个阶段？", QType.NUMBER),
        ("设立几项专项资金", QType.NUMBER),
        # "哪几年" is a date question, not a list
        ("第三阶段“整体升级、全面支撑”对应哪几年？", QType.DATE),
    ],
)
def test_which_several_versus_how_many(question: str, expected: QType) -> None:
    assert classify(question) is expected


@pytest.mark.parametrize("question", ["这份文件是什么时间印发的？", "该方案是哪一年印发的？"])
def test_other_date_phrasings(question: str) -> None:
    assert classify(question) is QType.DATE


def test_what_question_is_not_yes_no() -> None:
    assert classify("“蓝天”专项整治行动重点打击什么？") is QType.EXPLANATION


# ---------------------------------------------------------------- years


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("到2020年", ("2020",)),
        ("2016—2020年重点工作", ("2016", "2020")),
        ("2020年和2020 年的目标", ("2020",)),  # de-duplicated, first-seen order
        ("2030年前与1999年相比", ("2030", "1999")),
        ("力争达到1600件", ()),  # not 19xx/20xx
        ("4.2件", ()),
        ("１９９９年", ()),  # find_years sees the raw text; analyse() applies NFKC first
    ],
)
def test_find_years(text: str, expected: tuple[str, ...]) -> None:
    assert find_years(text) == expected


# ---------------------------------------------------------------- analyse


def test_analyse_applies_nfkc_before_every_check() -> None:
    info = analyse("\u3000２０３０年特色型和支撑型强省的主要任务有哪些？\u3000", regions=("吉林",))

    assert info == QuestionInfo(
        text="2030年特色型和支撑型强省的主要任务有哪些?",
        qtype=QType.ENUMERATION,
        years=("2030",),
        regions=("吉林",),
    )


def test_analyse_full_width_doc_number_question() -> None:
    info = analyse("汕尾强市方案（２０１６）的文号是什么？")

    assert info.text == "汕尾强市方案(2016)的文号是什么?"
    assert info.qtype is QType.DOC_NUMBER
    assert info.years == ("2016",)
    assert info.regions == ()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the last of several questions decides; the earlier ones are answered on their own
        ("专家陪审员由哪个机关负责遴选？一届任期几年？", QType.NUMBER),
        ("专家陪审员由哪个机关负责遴选？", QType.RESPONSIBILITY),
        # a last yes/no checks the question before it
        ("多久要报告一次投诉处理情况？每季度一次吗？", QType.NUMBER),
        # a last question with no telling word leaves the type to the whole question
        ("要交几份？尺寸怎么定？", QType.NUMBER),
        # a last question asking what follows (还会怎样) is its own: the figure was the earlier one's
        ("疏于管理的可以罚多少？情节严重的还会怎样？", QType.EXPLANATION),
        # so is a last question asking how a sum is worked out: the count of years was the earlier one's
        ("诉讼时效是几年？超过时效才起诉的，赔偿数额怎么算？", QType.EXPLANATION),
        ("补助标准是多少？具体如何计算？", QType.EXPLANATION),
    ],
)
def test_several_questions_in_one_take_the_type_of_the_last(question: str, expected: QType) -> None:
    assert analyse(question).qtype is expected


def test_a_quoted_title_says_nothing_of_what_is_asked() -> None:
    # 《…几个法律适用问题的批复》 is a name: its 几个 asks no count
    info = analyse("《关于某类纠纷几个法律适用问题的批复》对平台的处理义务是如何规定的？")
    assert info.qtype is not QType.NUMBER
    assert analyse("《关于某类纠纷几个问题的批复》要求多少个工作日内处理？").qtype is QType.NUMBER


def test_after_how_long_is_a_number_question_and_a_story_is_not() -> None:
    assert classify("档案纳入信用系统以后，过几年可以申请移出？") is QType.NUMBER
    assert classify("我们去过几次专利局，材料还要补吗？") is not QType.NUMBER


def test_a_question_word_inside_what_was_done_asks_nothing() -> None:
    # 「把赔多少钱谈妥了」 tells what the parties did; 「法院认不认」 is what is asked
    assert analyse("双方私下把赔多少钱谈妥了，法院认不认？").qtype is not QType.NUMBER
    assert analyse("双方私下谈妥了，法院判赔多少钱？").qtype is QType.NUMBER
