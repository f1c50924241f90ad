"""Segment stage: jieba inside spaCy, as the ``zh`` pipeline's tokenizer.

Each pipeline owns its own ``jieba.Tokenizer`` (no global jieba state), with a
user dictionary of domain words (月活, ARPU, 留存率, product and company names)
so that tokens line up with the names and metric words the later stages find.

Most sentences of an article hold no figure. Only the clauses that can yield a
fact are segmented with jieba; the others are split cheaply (runs of Han
characters, Latin words, digits, punctuation), which keeps the whole pipeline
faster than segmenting the article once with ``jieba.lcut``. jieba's HMM for
unknown words is off by default (the user dictionary carries the names), and
POS tags are off by default: on the dev articles they added more wrong name
candidates than right ones (triple F1 0.760 with them, 0.772 without).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable

import jieba
import jieba.posseg
import regex
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.mentions import Sentence
from pipeline.text import normalise, split_sentences

jieba.setLogLevel(logging.WARNING)

LEXICON_DIR = Path(__file__).parent / "lexicons"
DOMAIN_DICTIONARY = LEXICON_DIR / "userdict.txt"

# A sentence "can yield a fact" when it holds a digit, or a Chinese numeral with a scale,
# fraction, percent or multiple word (一千二百万, 三分之一, 两成, 翻番).
_FIGURE_CUE = regex.compile(
    r"[0-9０-９]|[一二三四五六七八九十两百千]+(?:[万亿]|分之|成|倍)|百分之|翻番|[十百千][万亿]"
    r"|[万亿](?:元|美元|人|台|辆|家|次|张|杯|单|件|部|个|用户|下载)")
_CHEAP_TOKEN = regex.compile(r"\p{Han}+|[A-Za-z]+|[0-9]+(?:\.[0-9]+)?|\s+|.", regex.V1)


def can_yield_fact(sentence_text: str) -> bool:
    return _FIGURE_CUE.search(sentence_text) is not None


class JiebaSegmenter:
    """A spaCy tokenizer: text in, ``Doc`` out, with sentences and POS on figure sentences."""

    def __init__(self, vocab: Vocab, user_words: Iterable[tuple[str, str | None]] = (),
                 figure_sentences_only: bool = True, pos_tags: bool = False, hmm: bool = False):
        self.vocab = vocab
        self.figure_sentences_only = figure_sentences_only
        self.pos_tags = pos_tags
        self.hmm = hmm
        self.jieba = jieba.Tokenizer()
        self.jieba.initialize()
        for word, flag in _read_domain_dictionary():
            self.jieba.add_word(word, tag=flag)
        for word, flag in user_words:
            if word and not word.isspace():
                self.jieba.add_word(word, tag=flag)
        self.tagger = jieba.posseg.POSTokenizer(self.jieba)

    def __call__(self, text: str) -> Doc:
        norm = normalise(text)
        sentences = split_sentences(norm)
        words: list[str] = []
        tags: list[str] = []
        sent_starts: list[bool] = []
        pos_tokens: list[tuple[int, int, str]] = []
        cursor = 0
        for sentence in sentences:
            if cursor < sentence.start:
                self._add_cheap(norm, cursor, sentence.start, words, tags, sent_starts, first=False)
            first = True
            for clause_start, clause_end in sentence.clauses:
                if not self.figure_sentences_only or can_yield_fact(norm[clause_start:clause_end]):
                    offset = clause_start
                    for word, flag in self._segment(norm[clause_start:clause_end]):
                        if flag:
                            pos_tokens.append((offset, offset + len(word), flag))
                        offset += len(word)
                        words.append(word)
                        tags.append(flag or "")
                        sent_starts.append(first)
                        first = False
                else:
                    self._add_cheap(norm, clause_start, clause_end, words, tags, sent_starts, first=first)
                    first = False
            cursor = sentence.end
        if cursor < len(norm):
            self._add_cheap(norm, cursor, len(norm), words, tags, sent_starts, first=False)
        # Tokens are cut from the normalised text; the Doc carries the ORIGINAL characters.
        # The tokens partition the text exactly (white space included), so no token has a
        # trailing space and ``doc.text == text`` by construction.
        original_words, position = [], 0
        for word in words:
            original_words.append(text[position:position + len(word)])
            position += len(word)
        doc = Doc(self.vocab, words=original_words, spaces=[False] * len(original_words),
                  tags=tags if self.pos_tags else None, sent_starts=sent_starts or None)
        doc._.raw_text = text
        doc._.norm_text = norm
        doc._.sentences = sentences
        doc._.pos_tokens = pos_tokens if self.pos_tags else None
        return doc

    def _segment(self, sentence: str) -> Iterable[tuple[str, str | None]]:
        if self.pos_tags:
            return ((pair.word, pair.flag) for pair in self.tagger.cut(sentence, HMM=self.hmm))
        return ((word, None) for word in self.jieba.cut(sentence, HMM=self.hmm))

    @staticmethod
    def _add_cheap(text: str, start: int, end: int, words, tags, sent_starts, first: bool) -> None:
        for match in _CHEAP_TOKEN.finditer(text, start, end):
            words.append(match.group())
            tags.append("")
            sent_starts.append(first)
            first = False

    # spaCy serialisation hooks: the segmenter is rebuilt from config, nothing to save.
    def to_bytes(self, **_kwargs) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_kwargs) -> "JiebaSegmenter":
        return self

    def to_disk(self, _path, **_kwargs) -> None:
        return None

    def from_disk(self, _path, **_kwargs) -> "JiebaSegmenter":
        return self


def _read_domain_dictionary() -> list[tuple[str, str | None]]:
    entries = []
    if DOMAIN_DICTIONARY.is_file():
        for line in DOMAIN_DICTIONARY.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                word, _, flag = line.partition(" ")
                entries.append((word, flag.strip() or None))
    return entries


def sentence_of(sentences: list[Sentence], position: int) -> Sentence | None:
    """The sentence holding character ``position`` (binary search)."""
    lo, hi = 0, len(sentences)
    while lo < hi:
        mid = (lo + hi) // 2
        if sentences[mid].end <= position:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(sentences) and sentences[lo].start <= position < sentences[lo].end:
        return sentences[lo]
    return None
