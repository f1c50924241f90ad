"""Text stage: decode bytes, normalise without moving offsets, split sentences.

Normalisation maps every character to exactly one character (full-width digits,
letters and punctuation to ASCII; odd spaces to a plain space), so an offset
into the normalised text IS the offset into the original text: the offset map
is the identity, and no stage ever has to translate spans back.
"""
from __future__ import annotations

import re
from bisect import bisect_right

import regex

from pipeline.mentions import Sentence


class InputError(ValueError):
    """Input that cannot be read as an article; the message is one line for the user."""


MAX_BINARY_CONTROL_RATIO = 0.01
_ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u200b\ufeff"


def _build_table() -> dict[int, str]:
    table = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}  # ！..～ -> !..~
    table.update({ord(c): " " for c in _ODD_SPACES})
    table.update({ord("\u2212"): "-", ord("\uff0e"): ".", ord("\u3007"): "〇"})
    # Keep the Chinese punctuation that segments clauses in its full-width form.
    for keep in "，；：！？（）":
        table.pop(ord(keep), None)
    return table


_TABLE = _build_table()
# Articles hold few characters to fold: finding their runs (stdlib ``re``: a character class
# scan in C) and translating only those is several times faster than translating every character.
_FOLDABLE = re.compile("[" + re.escape("".join(map(chr, sorted(_TABLE)))) + "]+")


def _fold(run: re.Match) -> str:
    return run.group().translate(_TABLE)


def normalise(text: str) -> str:
    """Same length as ``text``; full-width ASCII folded, odd spaces made plain."""
    return _FOLDABLE.sub(_fold, text)


def decode(data: bytes, encoding: str | None = None, name: str = "input") -> str:
    """Bytes of an article to text, with errors a user can act on.

    UTF-8 (a BOM is dropped) unless ``encoding`` is given, e.g. ``gb18030``.
    """
    if b"\x00" in data[:65536]:
        raise InputError(f"{name}: looks like a binary file (contains NUL bytes), not an article")
    enc = encoding or "utf-8-sig"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as err:
        hint = "" if encoding else "; if it is a GBK/GB18030 archive, pass --encoding gb18030"
        raise InputError(f"{name}: not valid {enc} at byte {err.start}{hint}") from None
    except LookupError:
        raise InputError(f"{name}: unknown encoding {encoding!r}") from None
    if encoding is None and text.startswith("\ufeff"):
        text = text[1:]
    controls = sum(1 for ch in text[:65536] if ch < " " and ch not in "\n\r\t\f\v")
    if text and controls / min(len(text), 65536) > MAX_BINARY_CONTROL_RATIO:
        raise InputError(f"{name}: looks like a binary file (control characters), not an article")
    return text


# The white space after a sentence end is taken along: sentences are stripped anyway, and
# this spares the blank "sentences" between 。 and a line break.
_SENTENCE_END = regex.compile(r"(?:[。！？!?]+[”’」』\"')）]*|\n+|(?<=[^\d])\.(?=\s)|…{1,2}(?=\s|$))\s*")
_CLAUSE_MARK = re.compile(r"[，；;：]")
_ASCII_CLAUSE_MARK = re.compile(r"[,:]")        # unless in 1,000 or after a digit (10:30)
_SENTENCE_END_AT = type(_SENTENCE_END.match("。")).end    # Match.end, mapped over a finditer in C
_CLAUSE_MARK_END_AT = type(_CLAUSE_MARK.match("，")).end


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their clauses, as offsets; blank stretches are skipped."""
    # The clause breaks of the whole text are found once; each sentence takes its own by bisection.
    breaks = _clause_breaks(text)
    sentences: list[Sentence] = []
    start = 0
    for end in [*map(_SENTENCE_END_AT, _SENTENCE_END.finditer(text)), len(text)]:
        sentence_start, sentence_end, start = start, end, end
        while sentence_start < sentence_end and text[sentence_start].isspace():
            sentence_start += 1
        while sentence_end > sentence_start and text[sentence_end - 1].isspace():
            sentence_end -= 1
        if sentence_start >= sentence_end:
            continue
        # The breaks after the sentence's first character, up to its end.
        inner = breaks[bisect_right(breaks, sentence_start):bisect_right(breaks, sentence_end)]
        clauses = list(zip([sentence_start, *inner], inner))
        if not inner or inner[-1] < sentence_end:
            clauses.append((inner[-1] if inner else sentence_start, sentence_end))
        sentences.append(Sentence(sentence_start, sentence_end, clauses))
    return sentences


def _clause_breaks(text: str) -> list[int]:
    """Sorted offsets just after each clause mark."""
    breaks = list(map(_CLAUSE_MARK_END_AT, _CLAUSE_MARK.finditer(text)))
    for mark in _ASCII_CLAUSE_MARK.finditer(text):
        at = mark.start()
        if text[at] == ",":
            # A comma between digits is a thousands separator, not a clause break.
            if 0 < at and text[at - 1].isdigit() and at + 1 < len(text) and text[at + 1].isdigit():
                continue
        elif text[at - 1:at].isdigit():
            continue
        breaks.append(at + 1)
    breaks.sort()
    return breaks
