"""The faster lexical attribute getters return exactly what spaCy's own return."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import LIKE_NUM, LIKE_URL

from pipeline.lex_attrs import FASTER_GETTERS
from pipeline.nlp import build_nlp

EXAMPLES = [
    "星河科技发布新品。", "这是一家很有野心的公司，另一句话！", "1200", "１２００", "-3.5", "1/2", "一千二百",
    "三", "十万", "两成", "iPhone15", "GPT-4o", "Q&A", "C++", "。。。。。。",
    "http://example.com", "https://a", "www.example.com", "www.", "example.com", "example.com/",
    "a@b.com", ".com", "com.", "t.co:80", "x.y/z", "星" * 99, " ", "\n\n", "ǅungla", "Ⅻ",
]
ORIGINALS = {attr: original for attr, (original, _) in FASTER_GETTERS.items()}
FASTER = {attr: faster for attr, (_, faster) in FASTER_GETTERS.items()}


@pytest.mark.parametrize("attr", [LIKE_NUM, LIKE_URL])
@pytest.mark.parametrize("text", EXAMPLES)
def test_same_value_as_spacy_on_examples(attr, text):
    assert FASTER[attr](text) == ORIGINALS[attr](text)


def test_examples_cover_both_answers():
    assert {FASTER[LIKE_NUM](t) for t in EXAMPLES} == {FASTER[LIKE_URL](t) for t in EXAMPLES} == {True, False}


_TEXT = st.text(alphabet=st.sampled_from("星河一千二百万十两零壹.,，。/:@-+~±0123456789aA wh tps://.comＡ１ǅ\n"),
                min_size=1, max_size=40) | st.text(min_size=1, max_size=120)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_same_value_as_spacy_on_any_text(text):
    for attr in FASTER:
        assert FASTER[attr](text) == ORIGINALS[attr](text), (attr, text)


def test_the_pipeline_vocab_uses_them():
    getters = build_nlp().vocab.lex_attr_getters
    assert all(getters[attr] is FASTER[attr] for attr in FASTER)
