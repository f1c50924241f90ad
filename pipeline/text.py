"""Text stage: decode bytes, normalise without moving offsets, split sentences.

Normalisation maps every character to exactly one character (full-width digits,
letters and punctuation to ASCII; odd spaces to a plain space), so an offset
into the normalised text IS the offset into the original text: the offset map
is the identity, and no stage ever has to translate spans back.
"""
from __future__ import annotations

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


def normalise(text: str) -> str:
    """Same length as ``text``; full-width ASCII folded, odd spaces made plain."""
    return text.translate(_TABLE)


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


_SENTENCE_END = regex.compile(r"[。！？!?]+[”’」』\"')）]*|\n+|(?<=[^\d])\.(?=\s)|…{1,2}(?=\s|$)")
_CLAUSE_END = regex.compile(r"[，,；;：:]")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their clauses, as offsets; blank stretches are skipped."""
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        _add_sentence(text, start, match.end(), sentences)
        start = match.end()
    _add_sentence(text, start, len(text), sentences)
    return sentences


def _add_sentence(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    clauses = []
    clause_start = start
    for match in _CLAUSE_END.finditer(text, start, end):
        # A comma between digits is a thousands separator, not a clause break.
        if match.group() == "," and 0 < match.start() and text[match.start() - 1].isdigit() \
                and match.end() < len(text) and text[match.end()].isdigit():
            continue
        if match.group() == ":" and text[match.start() - 1:match.start()].isdigit():
            continue
        clauses.append((clause_start, match.end()))
        clause_start = match.end()
    if clause_start < end:
        clauses.append((clause_start, end))
    out.append(Sentence(start, end, clauses))
