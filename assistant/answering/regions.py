"""A small gazetteer: which places and foreign bodies a question names (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

PROVINCES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 "
    "山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 "
    "广西 西藏 宁夏 新疆 香港 澳门"
).split()
# Prefecture-level and other well-known cities (enough to notice a question about a place we lack).
CITIES = (
    "广州 深圳 珠海 汕头 佛山 韶关 湛江 肇庆 江门 茂名 惠州 梅州 汕尾 河源 阳江 "
    "清远 东莞 中山 潮州 揭阳 云浮 长春 吉林市 四平 辽源 通化 白山 松原 白城 "
    "延边 南京 苏州 无锡 常州 杭州 宁波 温州 合肥 福州 厦门 泉州 南昌 济南 青岛 "
    "郑州 武汉 长沙 成都 贵阳 昆明 西安 兰州 西宁 银川 乌鲁木齐 拉萨 南宁 海口 "
    "三亚 哈尔滨 沈阳 大连 石家庄 太原 呼和浩特 雄安 浦东 滨海新区"
).split()

_SUFFIX = "(?:省|市|自治区|特别行政区|地区|州|区|县)?"


def _pattern(names: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(f"(?:{alternatives}){_SUFFIX}")


_PLACE = _pattern(PROVINCES + CITIES)


def base_name(place: str) -> str:
    """'吉林省' -> '吉林', '汕尾市' -> '汕尾' (the form used to compare places)."""
    if place in CITIES:
        return place  # 吉林市 is a city, not the province 吉林
    for suffix in ("特别行政区", "自治区", "省", "市", "地区"):
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place


def find_places(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(base_name(m.group(0)) for m in _PLACE.finditer(text)))


def find_foreign(text: str, names: Sequence[str]) -> tuple[str, ...]:
    """Foreign countries and bodies (the profile's foreign.txt) the text names."""
    if not names:
        return ()
    return tuple(dict.fromkeys(m.group(0) for m in _foreign_pattern(tuple(names)).finditer(text)))


@lru_cache(maxsize=8)
def _foreign_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return _pattern(names)


def place_mentions(text: str) -> tuple[str, ...]:
    """Places as written ('吉林省'), for substituting one for another in a follow-up."""
    return tuple(dict.fromkeys(m.group(0) for m in _PLACE.finditer(text)))
