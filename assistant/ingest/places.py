"""Region and administrative level of a document from its issuer, title and text (pure; place names
come from assistant/lang/zh/places.tsv).

- A national body (国务院, 国家统计局, 最高人民法院 …) → 全国 / 国家.
- A local issuer or a title that starts with a place → that place: 云岭省…条例 → 云岭省 / 省,
  深圳经济特区… → 深圳市 / 市. Prefecture-level divisions (地级市, 自治州, 地区, 盟) are 市; provincial
  ones (直辖市 included) are 省. A district or county named right after its city (青州市东湖新区,
  南京市玄武区人民政府) makes the region that district and the level 区 / 县.
- Otherwise the level may still follow from how the text names its own jurisdiction (本市, 全区).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from assistant.lang.zh import Place, place_names, place_pattern, vocabulary, words

NATIONAL = ("全国", "国家")
_DISTRICT_SUFFIX = {"区": "区", "新区": "区", "县": "县", "旗": "县", "自治县": "县"}


@cache
def _district() -> re.Pattern[str]:
    suffixes = "|".join(sorted(_DISTRICT_SUFFIX, key=len, reverse=True))
    return re.compile(rf"[\u4e00-\u9fff]{{2,4}}?(?:{suffixes})")


def is_national(issuer: str) -> bool:
    first = re.split(r"[、，,]", issuer)[0]
    if first in words("national_bodies") or first.startswith(words("national_prefixes")):
        return True
    return first.endswith(words("national_suffixes")) and leading_place(first.removeprefix("中共")) is None


def leading_place(text: str) -> tuple[Place, int] | None:
    """The place a name starts with, and where the place name ends."""
    hit = place_pattern().match(text)
    if not hit:
        return None
    return place_names()[hit.group(0)], hit.end()


def _district_after(text: str, pos: int) -> tuple[str, str] | None:
    """A district/county named at text[pos:] (东湖新区), with its level; not a 小区 or a 园区."""
    hit = _district().match(text, pos)
    if not hit or hit.group(0).endswith(tuple(vocabulary()["places"]["not_districts"])):
        return None
    name = hit.group(0)
    suffix = next(s for s in sorted(_DISTRICT_SUFFIX, key=len, reverse=True) if name.endswith(s))
    return name, _DISTRICT_SUFFIX[suffix]


def place_of(name: str) -> tuple[str, str] | None:
    """(region, level) a name (an issuer or a title) starts with, or None."""
    name = name.removeprefix("中共")  # 中共云岭省委宣传部
    found = leading_place(name)
    if found is None:
        return None
    place, end = found
    district = _district_after(name, end) if place.kind == "直辖市" or place.level == "市" else None
    if district:
        return place.name + district[0], district[1]
    return place.name, place.level


_LOCAL_ISSUER = re.compile(r"^([\u4e00-\u9fff]{2,8}?(自治县|县|区|市|旗))")


def _local_issuer_place(issuer: str) -> tuple[str, str] | None:
    """A county-level place the gazetteer does not list, from the issuer (义乌市人民政府 → 义乌市)."""
    hit = _LOCAL_ISSUER.match(issuer)
    if not hit:
        return None
    return hit.group(1), {"自治县": "县", "旗": "县"}.get(hit.group(2), hit.group(2))


def _self_level(text: str) -> str | None:
    """The level named by the text's references to its own jurisdiction (本市, 全省), if frequent."""
    refs: dict[str, list[str]] = vocabulary()["places"]["self_reference"]
    counts = Counter({level: sum(text.count(w) for w in forms) for level, forms in refs.items()})
    level, n = counts.most_common(1)[0] if counts else ("", 0)
    return level if n >= 2 else None


def level_of(region: str) -> str | None:
    """The level a region name implies: 全国 → 国家, 云岭省 → 省, 玄武区 → 区."""
    if region in NATIONAL:
        return "国家"
    found = place_of(region) or _local_issuer_place(region)
    if found:
        return found[1]
    return "省" if region.endswith(("省", "自治区", "特别行政区")) else None


def region_and_level(issuer: str | None, title: str, text: str = "") -> tuple[str | None, str | None]:
    if issuer and is_national(issuer):
        return NATIONAL
    by_issuer = (place_of(issuer) or _local_issuer_place(issuer)) if issuer else None
    by_title = place_of(title)
    if by_title and by_issuer and by_title[0].startswith(by_issuer[0]):
        return by_title  # the title is at least as specific: 青州市东湖新区…规定 by 青州市人大常委会
    found = by_issuer or by_title
    if found:
        return found
    if title.startswith(("中华人民共和国", "国务院")):
        return NATIONAL
    return None, _self_level(text)
