"""The colloquial verbs jieba's dictionary mis-tags: read as verbs, cut as before."""

from __future__ import annotations

from assistant.lang import zh
from assistant.retrieval.keyword import tag
from assistant.textnorm import nfkc


def test_a_colloquial_verb_is_tagged_as_the_act_of_the_question() -> None:
    assert "出面" in zh.verbs()
    assert ("出面", "v") in tag("能请市知识产权局出面调解吗")
    assert ("盖章", "v") in tag("这份申请要不要盖章")


def test_the_verbs_change_no_cut() -> None:
    import jieba
    import jieba.posseg

    from assistant.retrieval.keyword import domain_words

    # the keyword index is built from the same cut, so the tags must leave it alone
    plain = jieba.Tokenizer()
    for word in domain_words():
        plain.add_word(word, freq=20000, tag="n")
    sentence = "能请市知识产权局出面调解吗，还要不要上门盖章，谁来买单"
    untagged = [(p.word, p.flag) for p in jieba.posseg.POSTokenizer(plain).cut(nfkc(sentence))]
    assert [w for w, _ in tag(sentence)] == [w for w, _ in untagged]
    assert ("出面", "n") in untagged  # what the dictionary alone says
