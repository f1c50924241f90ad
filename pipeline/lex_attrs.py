"""spaCy's lexical attribute getters, the same values in less time.

spaCy computes every lexical attribute of a token the first time it meets its string, and
inside a memory zone (one per article, see ``api.extract``) it meets most of them anew for
each article. Three of its getters loop over the characters in Python or rebuild a regex per
call; each costs 2-7 µs. Two of them, ``like_num`` and ``like_url``, do the same work in
well under 1 µs on most tokens (``word_shape`` did not get faster); these return exactly what
spaCy's own return (``tests/test_lex_attrs.py`` checks them against the originals) and
replace them in the vocabulary the segmenter builds its ``Doc`` with.
"""
from __future__ import annotations

import re

from spacy.attrs import LIKE_NUM, LIKE_URL
from spacy.lang import lex_attrs as spacy_attrs
from spacy.lang.zh import lex_attrs as spacy_zh_attrs
from spacy.vocab import Vocab

# spaCy's zh ``like_num`` builds this pattern from its word lists on every call, and looks
# words up in a list.
_NUMBER_WORDS = frozenset(spacy_zh_attrs._single_num_words)
_CHINESE_NUMERAL = re.compile(
    "^((" + "|".join(spacy_zh_attrs._count_num_words) + "){1}"
    + "(" + "|".join(spacy_zh_attrs._base_num_words) + "){1})+"
    + "(" + "|".join(spacy_zh_attrs._count_num_words) + ")?$")


def like_num(text: str) -> bool:
    """``spacy.lang.zh.lex_attrs.like_num`` with its pattern compiled once and a set of words."""
    if text.startswith(("+", "-", "±", "~")):
        text = text[1:]
    text = text.replace(",", "").replace(".", "").replace("，", "").replace("。", "")
    if text.isdigit():
        return True
    if text.count("/") == 1:
        num, denom = text.split("/")
        if num.isdigit() and denom.isdigit():
            return True
    return text in _NUMBER_WORDS or _CHINESE_NUMERAL.match(text) is not None


def like_url(text: str) -> bool:
    """``spacy.lang.lex_attrs.like_url``: without a dot only an http(s) prefix makes a URL,
    which its own character loop finds out last."""
    if text and "." not in text:
        return text.startswith(("http://", "https://"))
    return spacy_attrs.like_url(text)


FASTER_GETTERS = {LIKE_NUM: (spacy_zh_attrs.like_num, like_num),
                  LIKE_URL: (spacy_attrs.like_url, like_url)}


def use_faster_getters(vocab: Vocab) -> None:
    """Swap in the getters above where the vocabulary uses spaCy's own (a language or user
    that set its own getter keeps it)."""
    getters = vocab.lex_attr_getters
    for attr, (original, faster) in FASTER_GETTERS.items():
        if getters.get(attr) is original:
            getters[attr] = faster
