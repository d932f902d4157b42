"""Does a document state what the question asks? (pure)

- A question that names a document asks about that document. When its words that other documents'
  best passages use (林权登记, 专利侵权纠纷) never occur in the named one, the named document does not
  state the fact: the answer says so instead of quoting another document as if it were the named one.
- A question about an article (第二十条) is answered by that article, or not at all when no document
  has it.
- A domain term (the profile's domain words) that none of the best passages contains means the
  passages are about something else.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Iterable, Sequence

from assistant.ingest.cn_numerals import parse_ordinal
from assistant.models import Chunk
from assistant.textnorm import match_key

_MIN_PHRASE = 4  # characters: shorter words are too common to say a document lacks a fact
_ARTICLE = re.compile(r"第([一二三四五六七八九十百零〇两\d]+)条")
_SEPARATORS = re.compile(r"[^\w]|的|了|和|与|及|或|对|在|由|被|是|有|要|吗|呢|么")


_CONTENT_TAGS = ("n", "v", "l", "a", "j", "i", "eng", "b", "z")  # jieba tags of content words
_NOMINAL_TAGS = ("n", "vn", "l", "j", "eng", "nz")


def phrases(
    tagged: Sequence[tuple[str, str]], question: str, skip: Collection[str] = (), min_len: int = _MIN_PHRASE
) -> list[str]:
    """Noun phrases of the question: runs of one to three adjacent content words ending in a noun
    (专利侵权纠纷, 林权登记), long enough to be telling, longest first. Words in `skip` (document types,
    words every passage has, words naming documents) make no phrase: 「条例规定」 says nothing."""
    key = match_key(question)
    words = [(match_key(w), t) for w, t in tagged if w.strip()]
    found: set[str] = set()
    for size in (1, 2, 3):
        for i in range(len(words) - size + 1):
            run = words[i : i + size]
            if not all(t.startswith(_CONTENT_TAGS) and w not in skip for w, t in run):
                continue
            if not run[-1][1].startswith(_NOMINAL_TAGS):
                continue
            phrase = "".join(w for w, _ in run)
            if len(phrase) >= min_len and phrase in key and not _SEPARATORS.search(phrase):
                found.add(phrase)
    return sorted(found, key=len, reverse=True)


_PRESENT = 0.8  # share of a phrase's character pairs the named document must use for it to count as said


def char_pairs(text: str) -> frozenset[str]:
    key = match_key(text)
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def missing_in(named_pairs: frozenset[str], elsewhere: str, candidates: Iterable[str]) -> list[str]:
    """Phrases other documents' best passages use that the named document does not: fewer than 80% of
    their character pairs occur in it (a phrase with one character more or less is the same phrase written
    slightly differently, a trademark phrase in a patent regulation is not). A phrase inside one already reported is not
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


# A question about what happens to whoever breaks a rule (罚款怎么算, 承担什么责任, 怎么处理)
_ASKS_PENALTY = re.compile(
    r"(?<!惩)罚(?!性)|法律责任|什么责任(?![制单部人])|承担[^，。？?]{0,4}责任|怎么处理|如何处理|什么后果"
)
# …and what a sentence that answers it says
CONSEQUENCE = re.compile(r"罚|责令|没收|吊销|撤销|处分|追究|赔偿|警告|通报批评|停业|信用")


def asks_penalty(question: str) -> bool:
    return bool(_ASKS_PENALTY.search(question))


def penalty_chunks(chunks: Iterable[Chunk], article: Chunk) -> list[Chunk]:
    """The passages that set the consequence of breaking `article` (a rule states the duty in one
    article and the penalty in another: 「违反本条例第二十条规定的，…处…罚款」)."""
    return [
        c
        for c in chunks
        if c.chunk_id != article.chunk_id and refers_to(c.text, article) and CONSEQUENCE.search(c.text)
    ]


_NOT_LONGER = r"(?![一二三四五六七八九十百零〇两\d])"  # 第二十条 is not the start of 第二十一条
# a new line opens a 款 unless it is an item (项) of the list the 款 introduces
_NEW_PARAGRAPH = re.compile(r"\n\s*(?![（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])\S")
_PARAGRAPH_BREAK = re.compile(r"\n\s*(?![（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])(?=\S)")


def refers_to(text: str, article: Chunk, paragraph: int | None = None) -> bool:
    """The text names breaking the article (违反本条例第二十条…), not another one (第二十一条); with
    `paragraph` (1-based 款 of the rule), a 款 the text names must be that one (第十六条第二款 does not
    punish what 第十六条's first 款 forbids)."""
    designator = next(
        (m.group(0) for h in reversed(article.section) if (m := _ARTICLE.match(h.strip()))), None
    )
    if designator is None:
        return False
    found = re.search(
        rf"违反[^，。；;]{{0,12}}{designator}{_NOT_LONGER}(?:第([一二三四五六七八九十]+)款)?", text
    )
    if found is None:
        return False
    return paragraph is None or found.group(1) is None or parse_ordinal(found.group(1)) == paragraph


def paragraph_of(chunk: Chunk, offset: int) -> int | None:
    """The 款 (1-based) of an article passage that the character at `offset` of its text is in; None
    when the passage does not start at its article (a split article's count would be off)."""
    if not chunk.section or not _ARTICLE.match(chunk.text.strip()):
        return None
    return 1 + len(_NEW_PARAGRAPH.findall(chunk.text[:offset].strip()))


_BROKEN_RULE = re.compile(
    r"违反本(?:条例|办法|规定|细则|法)第([一二三四五六七八九十百零〇两\d]+)条(?:第([一二三四五六七八九十]+)款)?"
)


def broken_rules(sentence: str, chunks: Sequence[Chunk]) -> list[str]:
    """The text of the rules a penalty sentence punishes breaking (违反本条例第十六条第二款 → that 款),
    from the document's passages."""
    found = []
    for m in _BROKEN_RULE.finditer(sentence):
        number = parse_ordinal(m.group(1))
        parts = article_chunks(chunks, number) if number is not None else []
        text = max((c.text for c in parts), key=len, default="")
        paragraph = parse_ordinal(m.group(2)) if m.group(2) else None
        if text and paragraph is not None:
            pieces = _PARAGRAPH_BREAK.split(text.strip())
            text = pieces[paragraph - 1] if paragraph <= len(pieces) else text
        if text:
            found.append(text)
    return found


def article_chunks(chunks: Iterable[Chunk], number: int) -> list[Chunk]:
    """The passages of article `number` (the deepest section path element naming it), in text order."""
    found = [
        c for c in chunks if any(article_number(h) == number for h in c.section) and c.kind != "preamble"
    ]
    return sorted(found, key=lambda c: (c.start, -(c.end - c.start)))


_ASKS_PURPOSE = re.compile(
    r"(?:立法|制定|出台|印发|发布)?目的|宗旨"
    r"|为什么(?:要)?(?:制定|出台|出|发布|颁布|印发|定|搞|修改)|为何(?:制定|出台|出)|因为什么(?:出|制定|发)"
    r"|(?:根据|依据)(?:什么|哪部|哪些|哪个|哪一部)[^，,。？?]{0,4}(?:制定|定的|出台)|制定依据|上位法"
)
# the sentence a document opens with to say why and on what basis it is made (为规范…，根据…，制定本办法;
# a 批复's 请示 it answers; a plan's 现提出如下意见)
_PURPOSE = re.compile(
    r"(?:为|为了)[^。]{2,150}?(?:制定|特制定)本|(?:根据|依据)[^。]{2,150}?(?:制定|特制定)本"
    r"|请示|经研究|现[^。]{0,30}?(?:提出|通知)如下|特制定|制定本(?:方案|意见|办法|规定|条例|细则)"
)


_ASKS_LISTED = re.compile(r"(?:列了|列出|规定了|有)哪些([\u4e00-\u9fff]{2,10}?)(?:[？?。]|$)")


# 「哪些情况能算没使用的正当理由」: the cases counted as X, listed as 「下列情形属于…X：」
_ASKS_COUNTED = re.compile(
    r"哪些(?:情况|情形|行为|事项)[^？?。，,]{0,12}?(?:算|属于|构成|视为|算是)(?:[^？?。，,]{0,12}的)?"
    r"([\u4e00-\u9fff]{2,8})[？?。]?$"
)


def list_introducing(question: str, chunks: Iterable[Chunk]) -> Chunk | None:
    """The passage whose list is introduced as the kind the question asks for (列了哪些价格欺诈行为 →
    「…不得实施下列价格欺诈行为：」, 哪些情况算正当理由 → 「下列情形属于…正当理由：」): the list asked,
    though its lead-in shares few words with the question."""
    listed, counted = _ASKS_LISTED.search(question), _ASKS_COUNTED.search(question.strip())
    if listed is not None:
        kind, gap = listed.group(1), 4
    elif counted is not None:
        kind, gap = counted.group(1), 40  # 下列情形属于商标法第四十九条规定的正当理由：
    else:
        return None
    lead_in = re.compile(rf"[^。；;：:\n]*下列[^，,。；;：:]{{0,{gap}}}{re.escape(kind)}[：:]")
    # of several such lists (著作权人享有下列权利 / 复制品所有人享有下列权利), the one whose lead-in
    # shares most of the question
    asked_pairs = char_pairs(match_key(question))
    found = [
        (len(asked_pairs & char_pairs(match_key(m.group(0)))), -i, c)
        for i, c in enumerate(chunks)
        if (m := lead_in.search(c.text))
    ]
    return max(found, key=lambda f: f[:2])[2] if found else None


def asks_purpose(question: str) -> bool:
    """The question asks why a document was made or what it is based on (立法目的, 根据哪部法律定的)."""
    return _ASKS_PURPOSE.search(question) is not None


def says_purpose(text: str) -> bool:
    """The text says why and on what basis a document is made (为规范…，根据…，制定本办法)."""
    return _PURPOSE.search(text) is not None


# 「这套标准对我们也管用吗」: whether rules reach a case; 「…的规定，适用于服务商标」 says so by name
_ASKS_REACH = re.compile(r"管用|适用|也算|同样|也能用|能不能用|也行|也一样")
_REACHES = re.compile(r"(?:适用于|参照适用|参照执行)([^。；;]{2,30})")


def reach_chunk(question: str, chunks: Iterable[Chunk]) -> Chunk | None:
    """The passage saying that rules reach a case the question names (本解释有关商品商标的规定，适用于
    服务商标 for a question on 服务商标): the answer to whether they apply, whatever else it matches."""
    if not _ASKS_REACH.search(question):
        return None
    key = match_key(question)
    grams = {key[i : i + 4] for i in range(len(key) - 3)}
    for chunk in chunks:
        for reached in _REACHES.finditer(match_key(chunk.text)):
            case = reached.group(1)
            if any(case[i : i + 4] in grams for i in range(len(case) - 3)):
                return chunk
    return None


def purpose_chunk(chunks: Iterable[Chunk]) -> Chunk | None:
    """The first passage of a document saying why and on what basis it was made."""
    found = sorted((c for c in chunks if says_purpose(c.text)), key=lambda c: c.start)
    return found[0] if found else None


_ABSENT = 0.6  # share of a domain term's character pairs the corpus must lack for it to be absent


def absent_domain_terms(
    question: str, domain_words: Iterable[str], corpus_pairs: frozenset[str]
) -> list[str]:
    """Domain terms of the question (longest match first) the documents do not use, not even written a
    little differently (a term whose pairs mostly occur is used; one of another field is not)."""
    key = match_key(question)
    terms: list[str] = []
    for word in sorted({match_key(w) for w in domain_words}, key=lambda w: (-len(w), w)):
        if len(word) >= 3 and word in key and not any(word in t for t in terms):
            terms.append(word)
    return [t for t in terms if not _pairs_said(corpus_pairs, t, _ABSENT)]


def _pairs_said(pairs: frozenset[str], phrase: str, share: float) -> bool:
    wanted = [phrase[i : i + 2] for i in range(len(phrase) - 1)]
    return sum(1 for p in wanted if p in pairs) / max(1, len(wanted)) >= share


# The clause that asks for the figure, the date or the body: 「…，净收入中至少提取多少比例奖励发明人？」
_ASKING = re.compile(r"多少|几|多长|多久|多大|哪一?年|哪天|何时|什么时候|谁|哪个|哪些部门|哪些单位")
# nouns that frame what is asked rather than name it (目标是多少, 期限是多久, 由哪个部门)
_FRAME_NOUNS = frozenset(
    "目标 指标 标准 数额 金额 数量 规模 额度 水平 情况 总数 总额 期限 时间 时限 期间 年限 部门 单位 机构 机关 "
    "方面 日期 节点 时候 多少 要求 规定 印发 发布 公布 施行 通过 实施 总量 总计 合计 双方 对方".split()
)


_MAKING = r"(?:制定|发布|印发|出台|颁布)"
_ASKS_MAKER = re.compile(
    rf"([^，,。；;？?]*?)(?:是|由|归)?(?:哪个|哪一?|什么|谁)(?:部门|单位|机关|机构)?(?:来|负责)?{_MAKING}"
)
_MADE_BY = re.compile(rf"([^，,。；;：:]{{2,40}}?)由[^，,。；;]{{2,40}}?{_MAKING}")
_SAME_THING = 0.6  # share of the text's thing's character pairs the question must write


def maker_stated(question: str, texts: Iterable[str]) -> bool:
    """「…考试办法由哪个部门制定」 asks who makes a thing a passage names (专利代理师资格考试办法由国务院
    专利行政部门制定), not who issued the document: the text says it."""
    asked = _ASKS_MAKER.search(question)
    if asked is None or len(asked.group(1)) < 2:
        return False
    thing = char_pairs(asked.group(1))
    for text in texts:
        for made in _MADE_BY.finditer(text):
            pairs = char_pairs(made.group(1))
            if pairs and len(pairs & thing) / len(pairs) >= _SAME_THING:
                return True
    return False


def asking_clause(question: str) -> str:
    clauses = [c for c in re.split(r"[，,；;。？?！!]", question) if c.strip()]
    asking = [c for c in clauses if _ASKING.search(c)]
    return asking[-1] if asking else (clauses[-1] if clauses else "")


_RULE_SOURCE = re.compile(r"[\u4e00-\u9fff]{1,10}?规定的")


def anchor_clause(question: str) -> str:
    """The asking clause without who set the rule: in 「国家规定的节日假期原来几天」 the thing asked is
    节日假期, not 国家."""
    return _RULE_SOURCE.sub("", asking_clause(question))


_NOUN_TAGS = ("n", "nz", "vn", "l", "j", "eng")
_ANCHOR_SHARE = 0.25  # a word in more passages than this is too common to tell one fact from another


def asked_anchor(
    tagged_clause: Sequence[tuple[str, str]],
    clause: str,
    skip: Collection[str],
    frequency: Callable[[str], float],
) -> str | None:
    """The most specific thing the asking clause names (注册资本, 登记费): its rarest noun or
    noun-noun compound among those the documents use at all (a colloquial word no document uses cannot
    be checked), unless even that is common. `frequency` is the share of passages using a word. None
    for 「分别」 questions, whose counted thing precedes the documents named."""
    if re.search(r"分别|各是|各自|各为|各有", clause):
        return None
    words = [(match_key(w), t) for w, t in tagged_clause if w.strip()]
    nouns = [
        w
        for w, t in words
        if t.startswith(_NOUN_TAGS) and len(w) >= 2 and w not in skip and w not in _FRAME_NOUNS
    ]
    compounds = [
        a + b
        for (a, ta), (b, tb) in itertools.pairwise(words)
        if ta.startswith(_NOUN_TAGS)
        and tb.startswith(_NOUN_TAGS)
        and not ({a, b} & set(skip))
        and b not in _FRAME_NOUNS  # 罚款数额 is the frame; 较低数额罚款 is a kind of fine
    ]
    known = [(frequency(w), -len(w), w) for w in dict.fromkeys([*compounds, *nouns]) if frequency(w) > 0]
    if not known:
        return None
    share, _, word = min(known)
    return word if share <= _ANCHOR_SHARE else None


# frame nouns that measure something (保密期限, 补助标准), unlike those naming a body (管理部门)
_MEASURES = frozenset("期限 时限 期间 年限 时间 数额 金额 额度 标准 比例 总额 数量 规模 总量".split())


def framed_thing(
    tagged_clause: Sequence[tuple[str, str]], skip: Collection[str], frequency: Callable[[str], float]
) -> str | None:
    """The last «noun + frame noun» the documents write as one phrase (保密期限, 变更手续): which 期限 is
    asked. asked_anchor leaves the frame out (罚款数额 asks for a 罚款); this keeps the kind of 期限, so an
    answer about another 期限 (竞业限制的期限) is told apart."""
    words = [(match_key(w), t) for w, t in tagged_clause if w.strip()]
    found = [
        a + b
        for (a, ta), (b, _) in itertools.pairwise(words)
        if ta.startswith(_NOUN_TAGS)
        and a not in skip
        and a not in _FRAME_NOUNS
        and b in _MEASURES
        and frequency(a + b) > 0
    ]
    return found[-1] if found else None


def abbreviates(word: str, text: str) -> bool:
    """The text writes a longer form of the word, its characters in order (林草局 for 林业和草原局,
    农科院 for 农业科学院): Chinese shortens a name by keeping some of its characters."""
    pattern = ".{0,3}".join(map(re.escape, word))
    return re.search(pattern, text) is not None


def unnamed_thing(
    tagged: Sequence[tuple[str, str]],
    skip: Collection[str],
    frequency: Callable[[str], float],
    said: str,
) -> str | None:
    """A thing the question turns on that no passage of the corpus names and the answer does not
    write, not even shortened (个人所得税, 公证处): a yes/no question about it cannot be settled. When
    the answer writes the question's act (代理…案子吗 answered on 代理), the thing is only the asker's word
    for what the rule covers."""
    if any(
        t.startswith("v") and len(w) >= 2 and w not in _MODALS and says(said, match_key(w), ANCHOR_SAID)
        for w, t in tagged
    ):
        return None
    return unnamed_noun(tagged, skip, frequency, said)


def unnamed_noun(
    tagged: Sequence[tuple[str, str]],
    skip: Collection[str],
    frequency: Callable[[str], float],
    said: str,
) -> str | None:
    """The first noun of the question that no passage of the corpus uses (`frequency` 0) and `said`
    does not write, not even shortened."""
    padded = [("", ""), *tagged, ("", "")]
    for (_, before_tag), (word, tag_), (after, after_tag) in zip(
        padded, padded[1:], padded[2:], strict=False
    ):
        key = match_key(word)
        if not tag_.startswith(_UNNAMED_TAGS) or len(key) < 2 or key in skip or key in _NAME_NOTHING:
            continue
        if key.startswith(("这", "那")):  # 这两点, 那件事: points back at the question's own words
            continue
        if before_tag == "m" or tag_ == "nr":
            continue  # 365天先…: a numeral's unit run into the next word, read as a name; no thing
        head = len(after) >= 2 and after_tag.startswith(("n", "vn"))
        if head and says(said, match_key(after), ANCHOR_SAID):
            continue  # 算法思想 asked, 思想 written: the first word only narrows the second
        if frequency(key) == 0 and not says(said, key, ANCHOR_SAID) and not abbreviates(key, said):
            return key
    return None


_UNNAMED_TAGS = ("n", "nz", "l", "vn", "j", "ns")
# nouns standing in for a party, place or matter the question does not name (对方, 有没有地方能…), an
# adverb read as a noun (专门), bounds, which a text writes as a figure (有没有下限 → 不低于…), and the
# capacity one acts in (以继承人的身份起诉), which names no thing of its own
_NAME_NOTHING = frozenset("对方 地方 别人 他人 人家 东西 事情 事儿 问题 情况 专门 上限 下限 身份".split())
_MODALS = frozenset("可以 能够 需要 应当 必须 是否 要求 允许 算是".split())
# a word written a little differently (one or two character pairs differ) is still written
ANCHOR_SAID = 0.6


def says(text: str, phrase: str, share: float = _PRESENT) -> bool:
    """The text uses the phrase, or `share` of its character pairs (written a little differently)."""
    return _pairs_said(char_pairs(text), phrase, share)


_HOLDS = frozenset({"担任", "出任", "兼任"})


def asked_post(tagged: Sequence[tuple[str, str]]) -> str | None:
    """「…的组长由谁担任」: the post asked about, the word before the 由谁/谁 of a 担任 question."""
    words = [w for w, _ in tagged if w.strip()]
    who = next((i for i, w in enumerate(words) if "谁" in w), None)  # 谁, 由谁来 …
    if not _HOLDS & set(words) or who is None:
        return None
    before = [w for w in words[:who] if w not in {"的", "是", "由", "应", "应当", "将"}]
    return before[-1] if before and len(before[-1]) >= 2 else None


# a quantity without a figure: 一批, 若干, 一些 …
_VAGUE_COUNT = re.compile(r"^(?:一批|若干|一些|多个|一系列|部分|一定数量)")


def counted_vaguely(text: str, thing: str) -> bool:
    """Every mention of the thing in the text is counted without a figure (新建30家A和一批B: B is 一批):
    a figure in the same sentence counts something else."""
    starts = [m.start() for m in re.finditer(re.escape(thing), text)]
    phrases = [re.split(r"[、，,；;。：:和及与]", text[:at])[-1] for at in starts]
    return bool(phrases) and all(_VAGUE_COUNT.match(p) for p in phrases)
