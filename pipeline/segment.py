"""Segment stage: jieba inside spaCy, as the ``zh`` pipeline's tokenizer.

Each pipeline owns its own ``jieba.Tokenizer`` (no global jieba state), with a
user dictionary of domain words (月活, ARPU, 留存率, product and company names)
so that tokens line up with the names and metric words the later stages find.

Most sentences of an article hold no figure. Only the clauses that can yield a
fact are segmented with jieba; the rest of the text is split into characters, as
spaCy's own ``zh`` tokenizer does with ``segmenter = "char"``. That keeps the
whole pipeline faster than segmenting the article once with ``jieba.lcut``. The
later stages read the text and its sentences, not the tokens.

Tokens' lexemes: ``api.extract`` runs each article in a memory zone, where spaCy
frees every lexeme it makes, and making one costs about 15 µs. The dictionary
words, single characters and short ASCII tokens (numbers such as 2026, names
such as AI) the segmenter meets are a bounded set that comes back in every
article, so these are kept for good after the zone (``keep_common_words``);
other tokens are not. jieba's HMM for
unknown words is off by default (the user dictionary carries the names), and
POS tags are off by default: on the dev articles they added more wrong name
candidates than right ones (triple F1 0.760 with them, 0.772 without).
"""
from __future__ import annotations

import logging
from bisect import bisect_right
from math import log
from pathlib import Path
from typing import Iterable, Iterator

import jieba
import numpy
import regex
from spacy.attrs import SENT_START
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.mentions import Sentence
from pipeline.text import normalise, split_sentences

jieba.setLogLevel(logging.WARNING)

LEXICON_DIR = Path(__file__).parent / "lexicons"
DOMAIN_DICTIONARY = LEXICON_DIR / "userdict.txt"

# A sentence "can yield a fact" when it holds a digit, or a Chinese numeral with a scale,
# fraction, percent or multiple word (一千二百万, 三分之一, 两成, 翻番). A run of numerals is tried
# from its first character only (the lookbehind): tried from each, a long run costs its square.
_FIGURE_CUE = regex.compile(
    r"[0-9０-９]|(?<![一二三四五六七八九十两百千])[一二三四五六七八九十两百千]+(?:[万亿]|分之|成|倍)|百分之|翻番|[十百千][万亿]"
    r"|[万亿](?:元|美元|人|台|辆|家|次|张|杯|单|件|部|个|用户|下载)")


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
        # Each kept word's lexeme's id: the ``Doc`` is built from these ids where it can, which
        # spares spaCy hashing the string and checking its string store once per token.
        self.kept_words: dict[str, int] = {}
        self._to_keep: set[str] = set()

    def keep_common_words(self) -> None:
        """Give the dictionary words, characters and short ASCII tokens met so far lasting
        lexemes (see the module's docstring). A no-op inside a memory zone, where any lexeme
        made would be freed at its end: ``api.extract`` calls it after each article's zone."""
        if self.vocab.in_memory_zone:
            return
        vocab = self.vocab
        kept = self.kept_words
        for word in self._to_keep:
            kept[word] = vocab[word].orth
        self._to_keep = set()

    def __call__(self, text: str) -> Doc:
        norm = normalise(text)
        sentences = split_sentences(norm)
        # Tokens are cut from the normalised text, which has the original's length, so the
        # same offsets cut the ORIGINAL characters for the Doc. They partition the text exactly
        # (white space included), so no token has a trailing space and ``doc.text == text``.
        words: list[str] = []
        ends: list[int] = []        # where each token ends
        pos_tokens: list[tuple[int, int, str]] = []
        # The rest of the text, one token per character: characters are a bounded set, whose
        # lexemes are kept across articles (see ``keep_common_words``).
        characters_from = 0
        for clause_start, clause_end in self._clauses_to_segment(norm, sentences):
            words += text[characters_from:clause_start]
            ends += range(characters_from + 1, clause_start + 1)
            first = len(ends)
            self._segment(norm, clause_start, clause_end, ends, pos_tokens)
            words += map(text.__getitem__, map(slice, [clause_start, *ends[first:-1]], ends[first:]))
            characters_from = clause_end
        words += text[characters_from:]
        ends += range(characters_from + 1, len(norm) + 1)
        # Each sentence starts a token: its index is the number of tokens ending at or before.
        first_tokens = [bisect_right(ends, sentence.start) for sentence in sentences]
        tags = None
        if self.pos_tags:
            flags = {(start, end): flag for start, end, flag in pos_tokens}
            tags = [flags.get(span, "") for span in zip([0, *ends], ends)]
        if len(self.kept_words) + len(self._to_keep) < MAX_KEPT_WORDS:
            frequencies = self.jieba.FREQ
            self._to_keep.update(word for word in set(words).difference(self.kept_words)
                                 if len(word) == 1 or frequencies.get(word) or len(word) <= 4 and word.isascii())
        # A kept word goes in as its lexeme's id, any other as its string (``Doc`` takes both).
        kept_id = self.kept_words.get
        doc = Doc(self.vocab, words=list(map(kept_id, words, words)), spaces=[False] * len(words), tags=tags)
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

    def _clauses_to_segment(self, norm: str, sentences: list[Sentence]) -> Iterator[tuple[int, int]]:
        """The clauses that ``can_yield_fact`` (all of them unless ``figure_sentences_only``)."""
        if not self.figure_sentences_only:
            for sentence in sentences:
                yield from sentence.clauses
            return
        # One search of the text from the end of the last such clause to the next cue, instead
        # of one search per clause: a cue is made of digits and Han characters only, so it never
        # spans a clause mark or a sentence break, and it lies in a clause iff the clause holds it.
        clauses = [clause for sentence in sentences for clause in sentence.clauses]
        clause_starts = [start for start, _ in clauses]    # bisected as ints: tuples compare slowly
        search = _FIGURE_CUE.search
        cue = search(norm)
        while cue is not None:
            clause = clauses[bisect_right(clause_starts, cue.start()) - 1]
            yield clause
            cue = search(norm, clause[1])

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


_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


_JIEBA_BLOCK = jieba.re_han_default
MAX_WEIGHED_FRAGMENTS = 100_000
MAX_KEPT_WORDS = 100_000
_NO_WORD = float("-inf")


class _WordWeights(dict):
    """Each dictionary entry's weight as jieba's ``calc`` computes it, ``log(count) - log(total)``,
    filled in on first use: 0.0 for a prefix that is no word (count 0), None for a string that
    is not even a prefix (where the walk from a position stops)."""

    def __init__(self, tokenizer: jieba.Tokenizer):
        super().__init__()
        self.frequencies = tokenizer.FREQ
        self.total = tokenizer.total
        self.logtotal = log(tokenizer.total)

    def __missing__(self, fragment: str) -> float | None:
        count = self.frequencies.get(fragment)
        weight = None if count is None else log(count) - self.logtotal if count else 0.0
        self[fragment] = weight
        return weight


class DictionaryCut:
    """``jieba.Tokenizer.cut(s, HMM=False)``, word for word, over a slice of a text and as
    token end offsets: jieba's own dictionary walk (prefix dictionary, best route by log
    frequency, ties to the longer word) without the dictionaries, tuples and generators it
    builds per call, and with each word's log frequency computed once (3-4 times faster)."""

    def __init__(self, tokenizer: jieba.Tokenizer):
        self.tokenizer = tokenizer
        self._weights = _WordWeights(tokenizer)

    def cut(self, text: str, start: int, end: int, ends: list[int]) -> None:
        weights = self._weights
        # Words added to the dictionary (``add_word``) change its total: weigh afresh. So does a
        # full table: it holds every fragment looked up, and a long batch must not grow without end.
        if (weights.total != self.tokenizer.total or weights.frequencies is not self.tokenizer.FREQ
                or len(weights) > MAX_WEIGHED_FRAGMENTS):
            weights = self._weights = _WordWeights(self.tokenizer)
        # jieba cuts blocks of Han, ASCII letters, digits and +#&._%- by the dictionary;
        # between blocks, ``\r\n`` is one word and every other character is one.
        position = start
        for block in _JIEBA_BLOCK.finditer(text, start, end):
            block_start, block_end = block.span()
            if position < block_start:
                _cut_between(text, position, block_start, ends)
            if block_end - block_start == 1:
                ends.append(block_end)          # a lone character is a word
            else:
                _cut_block(text, block_start, block_end, ends, weights)
            position = block_end
        if position < end:
            _cut_between(text, position, end, ends)


def _cut_between(text: str, start: int, end: int, ends: list[int]) -> None:
    if text.find("\r", start, end) < 0:
        ends.extend(range(start + 1, end + 1))
        return
    while start < end:
        start += 2 if text.startswith("\r\n", start, end) else 1
        ends.append(start)


def _cut_block(text: str, start: int, end: int, ends: list[int], weights: _WordWeights) -> None:
    # The arithmetic of jieba.Tokenizer.calc (log(f) - log(total) + best score after),
    # so that equal scores tie exactly as they do there, to the later end.
    alone = -weights.logtotal                   # log(1) - log(total): a character no word starts at
    block = text[start:end]
    n = len(block)
    score = [0.0] * (n + 1)
    best_end = list(range(1, n + 1))
    for k in range(n - 1, -1, -1):
        best = _NO_WORD
        i = k + 1
        weight = weights[block[k]]
        while weight is not None:               # every prefix of a word is in the dictionary
            if weight:
                candidate = weight + score[i]
                if candidate >= best:
                    best = candidate
                    best_end[k] = i
            if i == n:
                break
            i += 1
            weight = weights[block[k:i]]
        score[k] = alone + score[k + 1] if best == _NO_WORD else best
    # Walk the best route; runs of single ASCII letters and digits join into one word.
    k, ascii_run = 0, False
    while k < n:
        after = best_end[k]
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
