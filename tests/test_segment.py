"""Segment stage: jieba inside spaCy, user dictionary, figure sentences only."""
import pytest
import spacy

from pipeline.nlp import build_nlp
from pipeline.segment import can_yield_fact


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


@pytest.mark.parametrize("sentence, expected", [
    ("星河的月活突破 1200 万。", True),
    ("营收增长了一千二百万元。", True),
    ("三分之一的用户来自海外。", True),
    ("这是一家很有野心的公司。", False),
    ("百度的搜索业务很成熟。", False),
])
def test_can_yield_fact(sentence, expected):
    assert can_yield_fact(sentence) is expected


def test_doc_keeps_the_original_text_and_sentences(nlp):
    text = "星河科技发布新品。\n\n其月活跃用户已突破１２００万，ARPU 提升。"
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert [s.text.strip() for s in doc.sents][:2] == ["星河科技发布新品。", "其月活跃用户已突破１２００万，ARPU 提升。"]
    assert doc._.norm_text == "星河科技发布新品。\n\n其月活跃用户已突破1200万，ARPU 提升。"


def test_user_dictionary_keeps_metric_words_whole(nlp):
    doc = nlp.make_doc("其月活跃用户已突破 1200 万，30 天留存率为 5%。")
    words = [t.text for t in doc]
    assert "月活跃用户" in words and "留存率" in words


def test_text_without_figures_is_split_into_characters(nlp):
    """Only the clauses that can yield a fact are segmented; every sentence still starts a token."""
    text = "这是好公司。 另一句，无数字！\n\n其月活跃用户已突破１２００万，ARPU 提升。后来 说。"
    doc = nlp.make_doc(text)
    assert [t.text for t in doc] == [
        *"这是好公司。 另一句，无数字！\n\n", "其", "月活跃用户", "已", "突破", "１２００", "万", "，",
        *"ARPU 提升。后来 说。"]
    assert [s.start_char for s in doc.sents] == [sentence.start for sentence in doc._.sentences]


def test_components_work_after_a_plain_spacy_tokenizer():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    for name in ("zhfacts_quantities", "zhfacts_times", "zhfacts_entities", "zhfacts_metrics", "zhfacts_link"):
        nlp.add_pipe(name)
    doc = nlp("2024 年，小米的营收为 3659 亿元。")
    (fact,) = doc._.facts
    assert (fact.subject.text, fact.metric.name, fact.value.value, fact.value.unit, fact.time) == \
        ("小米", "revenue", 365_900_000_000, "CNY", "2024")


@pytest.mark.parametrize("sentence", [
    "星河科技的月活跃用户已突破 1200 万，ARPU 达到竞品的 6.4 倍。",
    "2025 年全年收入预计达到 1.4 亿美元\r\n，同比增长 24.59%；净亏损为 8.73 亿元。",
    "iPhone15 和 GPT-4o、a16z 的报告：第三季度毛利率 13%+，C++ 与 Q&A 混排。",
    "南京市长江大桥，结婚的和尚未结婚的，研究生命起源。",
])
def test_dictionary_cut_is_jiebas_cut_word_for_word(nlp, sentence):
    segmenter = nlp.tokenizer
    ends: list[int] = []
    segmenter.dictionary_cut.cut(sentence, 0, len(sentence), ends)
    words = [sentence[a:b] for a, b in zip([0, *ends], ends)]
    assert words == list(segmenter.jieba.cut(sentence, HMM=False))


def test_pos_tags_are_opt_in():
    from spacy.vocab import Vocab

    from pipeline.segment import JiebaSegmenter

    doc = JiebaSegmenter(Vocab(), [("星河科技", "nt")], pos_tags=True)("星河科技营收 3 亿元。")
    assert ("星河科技", "nt") in [(doc._.raw_text[a:b], flag) for a, b, flag in doc._.pos_tokens]
    assert JiebaSegmenter(Vocab())("星河科技营收 3 亿元。")._.pos_tokens is None


def _dictionary_words(segmenter, sentence: str) -> list[str]:
    ends: list[int] = []
    segmenter.dictionary_cut.cut(sentence, 0, len(sentence), ends)
    return [sentence[a:b] for a, b in zip([0, *ends], ends)]


def test_dictionary_cut_follows_words_added_after_first_use():
    import jieba
    from spacy.vocab import Vocab
    from pipeline.segment import JiebaSegmenter

    segmenter = JiebaSegmenter(Vocab())
    sentence = "青禾云图的月活跃用户增长。"
    before = _dictionary_words(segmenter, sentence)
    assert "青禾云图" not in before and before == list(segmenter.jieba.cut(sentence, HMM=False))
    segmenter.jieba.add_word("青禾云图", 50)
    after = _dictionary_words(segmenter, sentence)
    assert after[0] == "青禾云图" and after == list(segmenter.jieba.cut(sentence, HMM=False))
    assert jieba.dt.FREQ.get("青禾云图") is None      # the pipeline's own dictionary, not jieba's global one


def test_weighed_fragments_are_capped(nlp, monkeypatch):
    import pipeline.segment as segment

    monkeypatch.setattr(segment, "MAX_WEIGHED_FRAGMENTS", 50)
    segmenter = nlp.tokenizer
    sentences = ["南京市长江大桥，结婚的和尚未结婚的，研究生命起源。", "星河科技的月活跃用户已突破 1200 万。"] * 3
    for sentence in sentences:
        assert _dictionary_words(segmenter, sentence) == list(segmenter.jieba.cut(sentence, HMM=False))
        assert len(segmenter.dictionary_cut._weights) <= 50 + len(sentence) ** 2


def test_kept_words_give_the_same_tokens_as_new_ones():
    """Kept words go into the ``Doc`` as lexeme ids, new ones as strings: the tokens are alike."""
    from spacy.vocab import Vocab

    from pipeline.lex_attrs import use_faster_getters
    from pipeline.segment import JiebaSegmenter

    vocab = Vocab()
    use_faster_getters(vocab)
    segmenter = JiebaSegmenter(vocab)
    text = "星河科技发布新品。\n其月活跃用户已突破１２００万，ARPU 提升 30%。"

    def tokens():
        with vocab.memory_zone():
            doc = segmenter(text)
            return [(t.text, t.idx, t.is_sent_start, t.like_num, t.is_punct, t.orth) for t in doc]

    fresh = tokens()
    assert not segmenter.kept_words
    segmenter.keep_common_words()
    assert {"星", "月活跃用户", "30", "，"} <= set(segmenter.kept_words) and "１２００" not in segmenter.kept_words
    assert all(vocab.strings[word] == orth for word, orth in segmenter.kept_words.items())
    assert tokens() == fresh
