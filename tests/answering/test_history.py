"""Answers about a document's history (assistant/answering/history.py), quoted from its head notes."""

from __future__ import annotations

from assistant.answering.history import asked_verbs, compose_history
from assistant.models import Chunk

HEAD = (
    "青州市数字经济促进条例\n"
    "2019年5月30日青州市第十六届人民代表大会常务委员会第十五次会议通过\n"
    "2021年9月28日青州市第十七届人民代表大会常务委员会第二次会议第一次修正\n"
    "2023年7月26日青州市第十七届人民代表大会常务委员会第十一次会议第二次修正\n"
    "2019年10月1日 施行"
)
CHUNKS = {
    "qz": [
        Chunk("qz:0", "qz", (), HEAD, 0, len(HEAD), "preamble"),
        Chunk(
            "qz:9",
            "qz",
            ("第六章 附则", "第五十条"),
            "第五十条 本条例自2019年10月1日起施行。",
            900,
            925,
            "item",
        ),
    ],
    "hy": [Chunk("hy:9", "hy", ("第三十条",), "第三十条 本办法自公布之日起施行。", 500, 517, "item")],
}


def lines(question: str, docs: list[str]) -> list[str]:
    draft = compose_history(question, docs, CHUNKS)
    return [line.text for line in draft.lines] if draft else []


def test_only_history_questions_are_answered_from_notes() -> None:
    # a text named by its revision asks nothing about the revision
    assert asked_verbs("2005年修订的条例里，擅自拆封会被怎么罚？") == ()
    assert asked_verbs("2011年修订的是哪号令？") != ()
    assert asked_verbs("这部条例从哪天起施行？") == ("施行",)
    assert "通过" in asked_verbs("是哪次会议通过的？")
    assert asked_verbs("数据流通有哪些要求？") == ()
    assert "批准" in asked_verbs("何时经省人大常委会批准？")  # the asking word and the verb apart


def test_the_note_with_the_asked_event_is_quoted() -> None:
    assert lines("从哪天起施行？", ["qz"]) == ["2019年10月1日 施行。"]
    assert lines("最初是哪次会议通过的？", ["qz"]) == [
        "2019年5月30日青州市第十六届人民代表大会常务委员会第十五次会议通过。"
    ]


def test_the_question_singles_out_one_amendment() -> None:
    second = lines("第二次修正是哪天？", ["qz"])
    assert len(second) == 1 and "第二次修正" in second[0]
    assert "第二次修正" in lines("最近一次修正是哪天？", ["qz"])[0]
    assert len(lines("修正过几次？分别在哪天？", ["qz"])) == 2
    assert lines("第三次修正是哪天？", ["qz"]) == []  # not recorded: not the first or second one


def test_a_year_singles_out_that_years_amendment() -> None:
    assert lines("2021年那次修正是哪次会议？", ["qz"]) == [
        "2021年9月28日青州市第十七届人民代表大会常务委员会第二次会议第一次修正。"
    ]
    assert lines("2022年那次修正是哪天？", ["qz"]) == []  # no amendment of that year: neither note


def test_a_number_asked_is_answered_only_by_a_line_giving_one() -> None:
    from assistant.answering.draft import Draft
    from assistant.answering.draft_checks import order_number_stated

    revised = Draft()
    revised.add("2011年1月8日《国务院关于废止和修改部分行政法规的决定》第一次修订。")
    assert not order_number_stated("2011年那次修订用的是国务院第几号令？", revised)
    assert order_number_stated("2011年那次修订是哪天？", revised)
    published = Draft()
    published.add("2004年12月28日国务院令第429号公布。")
    assert order_number_stated("最早是哪号令公布的？", published)
    # the sitting asked (第几次常务会议) is not the 令 number
    assert not order_number_stated("2014年那次修订是国务院第几次常务会议通过的？", published)
    sitting = Draft()
    sitting.add("2014年2月19日国务院第42次常务会议修订通过。")
    assert order_number_stated("2014年那次修订是国务院第几次常务会议通过的？", sitting)


def test_each_ask_singles_out_its_own_note() -> None:
    both = lines("最初是哪次会议通过的？最近一次修正又是哪天？", ["qz"])
    assert len(both) == 2 and "第十五次会议通过" in both[0] and "第二次修正" in both[1]
    assert len(lines("最初是哪次会议通过的？", ["qz"])) == 1  # one ask: the first note only


def test_without_notes_the_in_force_article_answers() -> None:
    assert lines("这个办法什么时候生效？", ["hy"]) == ["本办法自公布之日起施行。"]
    assert lines("是哪次会议通过的？", ["hy"]) == []  # nothing says: no history answer


def test_a_note_of_one_event_and_the_in_force_article_of_another() -> None:
    """「哪天公布的，从什么时候施行」: the 公布 note, and the 施行 article for what no note records."""
    head = "某某管理办法\n2001年11月28日某某局令第17号公布"
    chunks = {
        "gb": [
            Chunk("gb:0", "gb", (), head, 0, len(head), "preamble"),
            Chunk("gb:9", "gb", ("第三十条",), "第三十条 本办法自颁布之日起施行。", 400, 417, "item"),
        ]
    }
    draft = compose_history("是哪天公布的，从什么时候施行？", ["gb"], chunks)
    assert draft is not None
    assert [line.text for line in draft.lines] == [
        "2001年11月28日某某局令第17号公布。",
        "本办法自颁布之日起施行。",
    ]
