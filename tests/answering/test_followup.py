"""Follow-up rewriting without an LLM (pure): each case is a turn an official would type."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assistant.answering.followup import is_elliptical, rewrite, swap_head
from assistant.answering.lexicon import Lexicon
from assistant.profile import Profile, load_profile

PLACES = ("吉林省", "吉林", "汕尾", "全国")
DOCS = ("年度工作指引", "工作指引", "工作方案", "指引", "强省", "强区")


def places(text: str) -> Sequence[str]:
    return [p for p in PLACES if p in text]


def docs(text: str) -> Sequence[str]:
    return sorted((d for d in DOCS if d in text), key=len, reverse=True)


# parallel cases as a corpus's sibling headings would show them (Lexicon derives them from headings)
CONTRASTS = Lexicon(frozenset(), (("引领型", "支撑型", "特色型"),), Profile())
# the IP profile's field name (domain.txt) opens its topics: 知识产权|创造方面
OPENERS = (load_profile().domain,)


def ask(previous: str, question: str) -> str:
    return rewrite(
        question, [("user", previous), ("assistant", "……")], places, docs, CONTRASTS, openers=OPENERS
    )


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # a tier swapped for another
        ("支撑型试点省的主要任务是什么？", "那特色型的呢？", "特色型试点省的主要任务是什么？"),
        # the same head noun: 第一阶段 → 第二阶段, 创造方面 → 服务方面, keeping the question frame
        ("强省建设的第一阶段是哪几年？", "第二阶段呢？", "强省建设的第二阶段是哪几年？"),
        (
            "2020年工作指引的主要目标里，知识产权创造方面有哪些目标？",
            "服务方面呢？",
            "2020年工作指引的主要目标里，知识产权服务方面有哪些目标？",
        ),
        (
            "强区方案里知识产权强保护工程包括哪些任务？",
            "人才提升工程呢？",
            "强区方案里知识产权人才提升工程包括哪些任务？",
        ),
        # a new topic in the previous scope, asked with the previous frame
        (
            "2020年工作指引里知识产权证券化试点由哪个司负责？",
            "那专利法修改呢？",
            "2020年工作指引专利法修改由哪个司负责？",
        ),
        (
            "2020年指引里知识产权质押融资规模要增长多少？",
            "保险保障金额呢？",
            "2020年指引保险保障金额要增长多少？",
        ),
        # a measure after a targets question asks for the figure
        (
            "吉林省知识产权强省建设的目标有哪些？",
            "每万人口发明专利拥有量呢？",
            "吉林省每万人口发明专利拥有量是多少",
        ),
        # another position of the same list: 第一条 → 第二条 (not an article of its own)
        ("汕尾方案重点任务的第一条是什么？", "第二条呢？", "汕尾方案重点任务的第二条是什么？"),
        # a topic that mentions a place is a topic, not a new place
        (
            "2020年工作指引里推进地理标志保护示范区建设由哪个司负责？",
            "那深入推进全国专利调查呢？",
            "2020年工作指引深入推进全国专利调查由哪个司负责？",
        ),
        # the frame keeps its verb and bound: 最多能罚多少, not 多少
        (
            "专利代理机构违反条例，最多能罚多少？",
            "那专利代理师个人违规呢？",
            "专利代理师个人违规最多能罚多少？",
        ),
        # more of the same: the previous question, whose answer lists everything
        ("软件著作权人有哪些权利？", "除了这几项，还有别的权利吗？", "软件著作权人有哪些权利？"),
        ("挂钩的事项有哪些？", "还有别的吗？", "挂钩的事项有哪些？"),
        # a point of the previous answer's list
        ("强区方案的保障措施有哪些？", "第三条具体是什么？", "强区方案的保障措施的第三条是什么？"),
        (
            "吉林省的实施意见提出了哪些重点工作？",
            "详细说说第一项",
            "吉林省的实施意见提出了重点工作的第一项是什么？",
        ),
        # a part of what the previous turn asked about (其中 is not a pronoun for the document)
        (
            "2020年工作指引的主要目标有哪些？",
            "其中知识产权运用方面呢？",
            "2020年工作指引的主要目标里知识产权运用方面有哪些？",
        ),
        # a new question frame, or one more attribute, of the previous topic
        ("强区方案对专利导航有什么要求？", "谁负责？", "强区方案对专利导航谁负责？"),
        (
            "吉林每万人口发明专利拥有量目标是多少？",
            "年均增长多少？",
            "吉林每万人口发明专利拥有量目标年均增长多少？",
        ),
        # a complete question naming no document is asked of the previous one; a fact of the whole
        # document (印发) of the document, not of the previous topic
        ("强省工作方案分几个阶段？", "第二阶段的任务是什么？", "强省工作方案第二阶段的任务是什么？"),
        ("汕尾方案的文号是什么？", "哪天印发的？", "汕尾哪天印发的？"),
        # a question naming its own document keeps it
        ("汕尾方案的文号是什么？", "吉林的实施意见是哪天印发的？", "吉林的实施意见是哪天印发的？"),
        # a new place in the previous question
        (
            "汕尾到2020年每万人发明专利拥有量目标是多少？",
            "吉林省呢？",
            "吉林省到2020年每万人发明专利拥有量目标是多少？",
        ),
    ],
)
def test_elliptical_turns_become_standalone(previous: str, question: str, expected: str) -> None:
    assert ask(previous, question) == expected


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        (
            "国家知识产权局2015年那个强省工作方案的文号是多少？",
            "它是哪天印发的？",
            "2015年强省工作方案是哪天印发的？",
        ),
        (
            "国家知识产权局2020年那个工作指引是哪天印发的？",
            "它的基本原则有哪几条？",
            "2020年工作指引的基本原则有哪几条？",
        ),
        ("汕尾的强市方案文号是多少？", "该文件是哪天印发的？", "汕尾是哪天印发的？"),
    ],
)
def test_a_pronoun_takes_the_previous_document(previous: str, question: str, expected: str) -> None:
    assert ask(previous, question) == expected


def test_a_pronoun_without_anything_to_inherit_is_left_alone() -> None:
    assert ask("你好", "它是哪天印发的？") == "是哪天印发的？"


def test_a_complete_question_is_not_rewritten() -> None:
    question = "汕尾市到2020年每万人发明专利拥有量力争达到多少？"
    assert ask("支撑型试点省的主要任务是什么？", question) == question


def test_no_history_no_rewrite() -> None:
    assert rewrite("第二阶段呢？", [], places, docs) == "第二阶段呢？"


@pytest.mark.parametrize(
    ("question", "elliptical"),
    [("那特色型的呢？", True), ("第二阶段呢？", True), ("吉林省每万人口发明专利拥有量目标是多少？", False)],
)
def test_is_elliptical(question: str, elliptical: bool) -> None:
    assert is_elliptical(question) is elliptical


@pytest.mark.parametrize(
    ("previous", "core", "expected"),
    [
        ("强省建设的第一阶段是哪几年", "第二阶段", "强省建设的第二阶段是哪几年"),
        ("知识产权创造方面有哪些目标", "服务方面", "知识产权服务方面有哪些目标"),
        ("强省建设的第一阶段是哪几年", "保险金额", None),  # no shared head noun
        ("强省建设的第二阶段是哪几年", "第二阶段", None),  # nothing new
        ("第一阶段", "段", None),  # too short to carry a head noun
    ],
)
def test_swap_head(previous: str, core: str, expected: str | None) -> None:
    assert swap_head(previous, core, OPENERS) == expected


def test_a_topic_phrase_opens_after_the_profiles_field_name() -> None:
    # another profile's field name (domain.txt: 林业) is where its phrases start; without one, no boundary
    assert swap_head("全省林业创造方面有哪些目标", "服务方面", ("林业",)) == "全省林业服务方面有哪些目标"
    assert swap_head("全省林业创造方面有哪些目标", "服务方面") is None
    assert swap_head("全省知识产权创造方面有哪些目标", "服务方面", ("林业",)) is None
    history = [("user", "全省林业创造方面有哪些目标？"), ("assistant", "……")]
    asked = rewrite("服务方面呢？", history, places, docs, CONTRASTS, openers=("林业",))
    assert asked == "全省林业服务方面有哪些目标？"
    assert rewrite("服务方面呢？", history, places, docs, CONTRASTS) != asked


def test_a_pronoun_after_asking_which_document_is_the_document_the_answer_named() -> None:
    history = [
        ("user", "强区方案是根据哪个通知制定的？"),
        ("assistant", "根据《国家知识产权局关于确定试点示范园区的通知》的文件精神制定。"),
    ]
    asked = rewrite("它是哪年印发的？", history, places, docs, CONTRASTS)
    assert asked == "《国家知识产权局关于确定试点示范园区的通知》是哪年印发的？"
    # after an ordinary question 它 stays the document asked about
    plain = [("user", "强区方案的主要任务有哪些？"), ("assistant", "……《某通知》……")]
    assert rewrite("它是哪年印发的？", plain, places, docs, CONTRASTS) == "强区是哪年印发的？"


def test_a_whole_question_turning_to_another_documents_subject_keeps_its_own_scope() -> None:
    def topics(text: str) -> Sequence[str]:
        return [d for d, subject in (("reply", "网络侵权"), ("secrets", "商业秘密")) if subject in text]

    history = [("user", "工作指引对网络侵权的保全申请怎么说？"), ("assistant", "……")]
    turn = "那商业秘密案子里，情况紧急的行为保全，法院多长时间内要裁定？"
    assert not is_elliptical(turn)  # 那 before a whole question of its own
    assert rewrite(turn, history, places, docs, CONTRASTS, topics=topics) == turn
    # the same subject as before: the previous document's scope carries
    same = "那网络侵权案子里，情况紧急的行为保全，法院多长时间内要裁定？"
    assert rewrite(same, history, places, docs, CONTRASTS, topics=topics) == f"工作指引{same}"
    assert is_elliptical("那商业秘密的呢？")


def test_this_matter_is_the_previous_turns_topic() -> None:
    rewritten = ask("工作指引要新建多少家技术与创新支持中心？", "这件事归哪个司负责？")
    assert rewritten == "工作指引要新建技术与创新支持中心，归哪个司负责？"


def test_these_several_are_the_previous_answers_items() -> None:
    rewritten = ask("惩罚性赔偿的计算基数是什么？", "这几个都难以计算的话呢？")
    assert rewritten == "惩罚性赔偿的计算基数，都难以计算的话呢？"


def test_a_turn_asking_in_its_own_words_borrows_no_frame() -> None:
    rewritten = ask("工作指引说日工资按月工资除以多少天？", "那小时工资怎么算？")
    assert "多少天" not in rewritten and rewritten.endswith("小时工资怎么算？")


def test_a_turn_asking_what_thing_in_its_own_words_borrows_no_frame() -> None:
    rewritten = ask("工作指引要在哪些主体中推行管理规范？", "那高等院校还要建立健全什么机构？")
    assert "哪些主体" not in rewritten and rewritten.endswith("高等院校还要建立健全什么机构？")
    # what time is no thing asked: 那什么时候呢 still borrows the previous topic
    assert "管理规范" in ask("工作指引要在哪些主体中推行管理规范？", "那什么时候完成？")


def test_the_others_replace_the_ones_picked_out() -> None:
    rewritten = ask("公示规定里只受到通报批评的处罚信息，公示多久停止？", "那其他处罚信息呢？")
    assert rewritten == "公示规定里其他处罚信息，公示多久停止？"


def test_a_yes_no_turn_in_its_own_words_borrows_no_frame() -> None:
    rewritten = ask("工作指引由哪些部门负责处理侵权纠纷？", "那县里的部门能不能管？")
    assert "哪些部门" not in rewritten and rewritten.endswith("县里的部门能不能管？")


def test_a_definition_asked_of_another_term_keeps_its_frame() -> None:
    rewritten = ask("工作指引里说的“复制”是指什么？", "那“商业利用”呢？")
    assert rewritten.endswith("“商业利用”是指什么？")


def test_a_new_case_after_a_question_is_asked_as_that_question_asked() -> None:
    previous = (
        "隔壁公司的字号跟我们的商标一样，招牌上把这几个字放得特别大，卖的也是同类东西。这算侵犯商标权吗？"
    )
    turn = "那要是有人把我们的商标文字拿去注册了一个网站域名，还在那个网站上卖同类商品呢？"
    rewritten = ask(previous, turn)
    assert rewritten.startswith("要是有人把我们的商标文字拿去注册了一个网站域名")
    # none of the previous case is spliced in (…卖同类商品几个字放得特别大)
    assert rewritten.endswith("这算侵犯商标权吗？") and "放得特别大" not in rewritten
    # a long parallel item that is no case (要是/如果…) is still read against the previous question
    item = "那国家知识产权大数据中心和公共服务平台立项建设呢？"
    previous = "工作指引要新建多少家技术与创新支持中心？"
    assert not ask(previous, item).endswith(f"，{previous}")
