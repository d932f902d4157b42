"""Does a document state what the question asks? (pure)

- A question that names a document asks about that document. When its words that other documents'
  best passages use (商标注册, 专利侵权纠纷) never occur in the named one, the named document does not
  state the fact: the answer says so instead of quoting another document as if it were the named one.
- A question about an article (第二十条) is answered by that article, or not at all when no document
  has it.
- A domain term (the profile's domain words) that none of the best passages contains means the
  passages are about something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from assistant.ingest.cn_numerals import parse_ordinal
from assistant.models import Chunk
from assistant.textnorm import match_key

_MIN_PHRASE = 4  # characters: shorter words are too common to say a document lacks a fact
_ARTICLE = re.compile(r"第([一二三四五六七八九十百零〇两\d]+)条")
_SEPARATORS = re.compile(r"[^\w]|的|了|和|与|及|或|对|在|由|被|是|有|要|吗|呢|么")


_CONTENT_TAGS = ("n", "v", "l", "a", "j", "i", "eng", "b", "z")  # jieba tags of content words
_NOMINAL_TAGS = ("n", "vn", "l", "j", "eng", "nz")


def phrases(tagged: Sequence[tuple[str, str]], question: str) -> list[str]:
    """Noun phrases of the question: runs of one to three adjacent content words ending in a noun
    (专利侵权纠纷, 商标注册), long enough to be telling (≥ 4 characters), longest first."""
    key = match_key(question)
    words = [(match_key(w), t) for w, t in tagged if w.strip()]
    found: set[str] = set()
    for size in (1, 2, 3):
        for i in range(len(words) - size + 1):
            run = words[i : i + size]
            if not all(t.startswith(_CONTENT_TAGS) for _, t in run) or not run[-1][1].startswith(
                _NOMINAL_TAGS
            ):
                continue
            phrase = "".join(w for w, _ in run)
            if len(phrase) >= _MIN_PHRASE and phrase in key and not _SEPARATORS.search(phrase):
                found.add(phrase)
    return sorted(found, key=len, reverse=True)


_PRESENT = 0.8  # share of a phrase's character pairs the named document must use for it to count as said


def char_pairs(text: str) -> frozenset[str]:
    key = match_key(text)
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def missing_in(named_pairs: frozenset[str], elsewhere: str, candidates: Iterable[str]) -> list[str]:
    """Phrases other documents' best passages use that the named document does not: fewer than 80% of
    their character pairs occur in it (每万人口… against 每万人… is the same phrase written slightly
    differently, 商标注册 in a patent regulation is not). A phrase inside one already reported is not
    repeated."""
    other = match_key(elsewhere)
    missing: list[str] = []
    for phrase in candidates:
        pairs = [phrase[i : i + 2] for i in range(len(phrase) - 1)]
        said = sum(1 for p in pairs if p in named_pairs) / max(1, len(pairs))
        if phrase in other and said < _PRESENT and not any(phrase in m for m in missing):
            missing.append(phrase)
    return missing


def asked_articles(question: str) -> list[int]:
    """Article numbers the question names (第二十条 → 20)."""
    numbers = [parse_ordinal(m.group(1)) for m in _ARTICLE.finditer(question)]
    return [n for n in numbers if n is not None]


def article_number(heading: str) -> int | None:
    match = _ARTICLE.match(heading.strip())
    return parse_ordinal(match.group(1)) if match else None


def article_chunks(chunks: Iterable[Chunk], number: int) -> list[Chunk]:
    """The passages of article `number` (the deepest section path element naming it), in text order."""
    found = [
        c for c in chunks if any(article_number(h) == number for h in c.section) and c.kind != "preamble"
    ]
    return sorted(found, key=lambda c: (c.start, -(c.end - c.start)))


def absent_domain_terms(question: str, domain_words: Iterable[str], context: str) -> list[str]:
    """Domain terms of the question (longest match first) that the context never uses."""
    key, text = match_key(question), match_key(context)
    terms: list[str] = []
    for word in sorted({match_key(w) for w in domain_words}, key=len, reverse=True):
        if len(word) >= 3 and word in key and not any(word in t for t in terms):
            terms.append(word)
    return [t for t in terms if t not in text]


# "…的注册资本最低是多少？": the thing whose amount is asked sits right before the closing 多少.
_ASKS_AMOUNT_OF = re.compile(
    r"(?:多少|几)(?:个)?(?:钱|天|日|年|个月|月份?|件|家|倍|万元|元|次|名|人|项|个工作日)?[？?。]?$"
)
_TAIL_WORDS = frozenset(
    "多少 几 个 钱 天 日 年 个月 月 月份 件 家 倍 万元 元 次 名 人 项 工作日 个工作日".split()
)
# words between the thing and 多少 (是, 最低, 要达到), and nouns that only frame the amount (目标, 标准)
_FILLER_TAGS = ("uj", "ul", "a", "d", "r", "p", "m", "c")
_FILLER_WORDS = frozenset("是 有 为 要 达到 能 会 可以 应当 将 共 占".split())
_FRAME_NOUNS = frozenset(
    "目标 标准 数额 金额 数量 规模 额度 水平 情况 总数 总额 多少 期限 时间 时限 期间 年限".split()
)


def amount_focus(tagged: Sequence[tuple[str, str]], question: str) -> str | None:
    """The noun whose amount a question ending in 多少 asks for (注册资本 in 「注册资本最低是多少」);
    None when the question does not end so or a verb comes first (罚多少钱: the amount is the act's)."""
    if not _ASKS_AMOUNT_OF.search(question.strip()) or re.search(r"分别|各是|各自|各为|各有", question):
        return None  # 「A和B各是多少」: what is counted is named before the documents, not before 多少
    words = [(w, t) for w, t in tagged if w.strip() and w not in "?？。"]
    while words and words[-1][0] in _TAIL_WORDS:
        words.pop()
    for word, flag in reversed(words):
        if word in _FILLER_WORDS or flag.startswith(_FILLER_TAGS) or word in _FRAME_NOUNS:
            continue
        return word if flag.startswith(("n", "l")) and len(word) >= 2 else None
    return None


def says(text: str, phrase: str) -> bool:
    """The text uses the phrase, or all but one in five of its character pairs (written a little
    differently)."""
    pairs = [phrase[i : i + 2] for i in range(len(phrase) - 1)]
    key = char_pairs(text)
    return sum(1 for p in pairs if p in key) / max(1, len(pairs)) >= _PRESENT
