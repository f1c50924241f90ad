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
from math import log
from pathlib import Path
from typing import Iterable

import jieba
import numpy
import regex
from spacy.attrs import SENT_START
from spacy.tokens import Doc
from spacy.vocab import Vocab

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
        # Importing jieba.posseg loads its tag dictionary (about 0.8 s, twice with our own
        # tagger): only when POS tags are asked for.
        self.tagger = None
        if pos_tags:
            from jieba import posseg
            self.tagger = posseg.POSTokenizer(self.jieba)
        self.dictionary_cut = DictionaryCut(self.jieba)

    def __call__(self, text: str) -> Doc:
        norm = normalise(text)
        sentences = split_sentences(norm)
        # Tokens are kept as the offsets where they end. They are cut from the normalised
        # text, which has the original's length, so the same offsets cut the ORIGINAL
        # characters for the Doc.
        ends: list[int] = []
        first_tokens: list[int] = []          # the index of each sentence's first token
        pos_tokens: list[tuple[int, int, str]] = []
        cursor = 0
        # ``can_yield_fact`` on the clause, without slicing it out (the cue has no lookaround).
        figure_cue = None if not self.figure_sentences_only else _FIGURE_CUE.search
        dictionary_cut = None if self.pos_tags or self.hmm else self.dictionary_cut.cut
        for sentence in sentences:
            if cursor < sentence.start:
                _cheap_ends(norm, cursor, sentence.start, ends)
            first_tokens.append(len(ends))
            for clause_start, clause_end in sentence.clauses:
                if figure_cue is not None and figure_cue(norm, clause_start, clause_end) is None:
                    _cheap_ends(norm, clause_start, clause_end, ends)
                elif dictionary_cut is not None:
                    dictionary_cut(norm, clause_start, clause_end, ends)
                else:
                    self._segment(norm, clause_start, clause_end, ends, pos_tokens)
            cursor = sentence.end
        if cursor < len(norm):
            _cheap_ends(norm, cursor, len(norm), ends)
        # The tokens partition the text exactly (white space included), so no token has a
        # trailing space and ``doc.text == text`` by construction.
        words = list(map(text.__getitem__, map(slice, [0, *ends], ends)))
        tags = None
        if self.pos_tags:
            flags = {(start, end): flag for start, end, flag in pos_tokens}
            tags = [flags.get(span, "") for span in zip([0, *ends], ends)]
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words), tags=tags)
        if words:
            # Set as one array: ``Doc(sent_starts=...)`` costs several times more per token.
            starts = numpy.full(len(words), -1, dtype=numpy.int32)
            starts[first_tokens] = 1
            doc.from_array([SENT_START], starts.astype(numpy.uint64))
        doc._.raw_text = text
        doc._.norm_text = norm
        doc._.sentences = sentences
        doc._.pos_tokens = pos_tokens if self.pos_tags else None
        return doc

    def _segment(self, norm: str, start: int, end: int, ends: list[int],
                 pos_tokens: list[tuple[int, int, str]]) -> None:
        """jieba's words of ``norm[start:end]``, appended as token ends (and POS tags)."""
        if not self.pos_tags and not self.hmm:
            self.dictionary_cut.cut(norm, start, end, ends)
            return
        pairs = (((pair.word, pair.flag) for pair in self.tagger.cut(norm[start:end], HMM=self.hmm))
                 if self.pos_tags else ((word, None) for word in self.jieba.cut(norm[start:end], HMM=self.hmm)))
        offset = start
        for word, flag in pairs:
            if flag:
                pos_tokens.append((offset, offset + len(word), flag))
            offset += len(word)
            ends.append(offset)

    # spaCy serialisation hooks: the segmenter is rebuilt from config, nothing to save.
    def to_bytes(self, **_kwargs) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_kwargs) -> "JiebaSegmenter":
        return self

    def to_disk(self, _path, **_kwargs) -> None:
        return None

    def from_disk(self, _path, **_kwargs) -> "JiebaSegmenter":
        return self


_MATCH_END = type(_CHEAP_TOKEN.match("a")).end


def _cheap_ends(text: str, start: int, end: int, ends: list[int]) -> None:
    ends.extend(map(_MATCH_END, _CHEAP_TOKEN.finditer(text, start, end)))


_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class DictionaryCut:
    """``jieba.Tokenizer.cut(s, HMM=False)``, word for word, over a slice of a text and as
    token end offsets: jieba's own dictionary walk (prefix dictionary, best route by log
    frequency, ties to the longer word) without the dictionaries, tuples and generators it
    builds per call (3-4 times faster)."""

    def __init__(self, tokenizer: jieba.Tokenizer):
        self.tokenizer = tokenizer

    def cut(self, text: str, start: int, end: int, ends: list[int]) -> None:
        # jieba cuts blocks of Han, ASCII letters, digits and +#&._%- by the dictionary;
        # between blocks, ``\r\n`` is one word and every other character is one.
        position = start
        for block in jieba.re_han_default.finditer(text, start, end):
            self._cut_between(text, position, block.start(), ends)
            self._cut_block(text, block.start(), block.end(), ends)
            position = block.end()
        self._cut_between(text, position, end, ends)

    @staticmethod
    def _cut_between(text: str, start: int, end: int, ends: list[int]) -> None:
        while start < end:
            start += 2 if text.startswith("\r\n", start, end) else 1
            ends.append(start)

    def _cut_block(self, text: str, start: int, end: int, ends: list[int]) -> None:
        lookup = self.tokenizer.FREQ.get
        # The arithmetic of jieba.Tokenizer.calc (log(f) - log(total) + best score after),
        # so that equal scores tie exactly as they do there, to the later end.
        logtotal = log(self.tokenizer.total)
        alone = log(1) - logtotal
        block = text[start:end]
        n = len(block)
        score = [0.0] * (n + 1)
        best_end = list(range(n))
        for k in range(n - 1, -1, -1):
            best = None
            i = k
            count = lookup(block[k])
            while count is not None:          # every prefix of a word is in FREQ (count 0)
                if count:
                    candidate = log(count) - logtotal + score[i + 1]
                    if best is None or candidate >= best:
                        best = candidate
                        best_end[k] = i
                i += 1
                if i == n:
                    break
                count = lookup(block[k:i + 1])
            # No word starts here: the character alone, count 1.
            score[k] = alone + score[k + 1] if best is None else best
        # Walk the best route; runs of single ASCII letters and digits join into one word.
        k, ascii_run = 0, False
        while k < n:
            after = best_end[k] + 1
            if after - k == 1 and block[k] in _ASCII_ALNUM:
                ascii_run = True
            else:
                if ascii_run:
                    ends.append(start + k)
                    ascii_run = False
                ends.append(start + after)
            k = after
        if ascii_run:
            ends.append(end)


def _read_domain_dictionary() -> list[tuple[str, str | None]]:
    entries = []
    if DOMAIN_DICTIONARY.is_file():
        for line in DOMAIN_DICTIONARY.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                word, _, flag = line.partition(" ")
                entries.append((word, flag.strip() or None))
    return entries
