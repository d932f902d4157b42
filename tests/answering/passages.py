"""Passages copied from the corpus (seeds 003 吉林, 002 汕尾, 000 国家知识产权局) as hand-built Citations."""

from __future__ import annotations

from assistant.models import Citation

# corpus/003: full-width digits exactly as scraped
JILIN_TARGETS = (
    "———知识产权创造水平显著提高。知识产权拥有量进一步提高，结构明显优化，核心专利、知名品牌、版权精品和"
    "优良植物新品种大幅增加。全省年专利申请量力争达到２.４万件。每万人口发明专利拥有量力争达到４.２件，"
    "年均增长１０％以上。全省国内有效注册商标总量力争达到１２万件，中国驰名商标总数力争达到１６０件，"
    "吉林省著名商标总数力争达到１６００件，通过马德里体系国际注册商标力争达到１００件，地理标志注册商标力争达到６０件。"
)
# corpus/002
SHANWEI_TARGETS = (
    "知识产权管理和服务能力大幅提升，对市内和周边具有较强的服务和带动能力；培育和聚集一批具有区域竞争力的"
    "知识产权密集型产业，支持和发展一批具有核心竞争力的知识产权强企。到 2020 年，全市每万人发明专利拥有量"
    "力争达到 1.17 件、百万人发明专利申请量力争达到 84 件。"
)
# corpus/000
NATIONAL_PRINCIPLES = (
    '按照"试点探索、分类推进、分步实施、动态调整、整体升级"的工作方针，科学规划并推进形成知识产权强省建设的'
    "总体布局，有力支撑知识产权强国建设。"
)


def citation(n: int, doc_id: str, title: str, doc_number: str, section: str, text: str) -> Citation:
    return Citation(
        n=n,
        doc_id=doc_id,
        title=title,
        doc_number=doc_number,
        date=None,
        section=section,
        text=text,
        start=0,
        end=len(text),
        score=1.0 / n,
    )


def sources() -> list[Citation]:
    """The top passages as the LLM sees them, numbered 1..3."""
    return [
        citation(
            1,
            "003",
            "关于新形势下加快知识产权强省建设的实施意见",
            "吉政发〔2016〕27号",
            "一、目标任务",
            JILIN_TARGETS,
        ),
        citation(
            2,
            "002",
            "汕尾市建设引领型知识产权强市实施方案",
            "汕府〔2016〕69号",
            "一、总体要求 › (二) 主要目标。",
            SHANWEI_TARGETS,
        ),
        citation(
            3,
            "000",
            "加快推进知识产权强省建设工作方案（试行）",
            "国知发管字〔2015〕59号",
            "一、总体思路 › (二) 工作方针",
            NATIONAL_PRINCIPLES,
        ),
    ]
