"""The quantity stage's word lists (data files beside this module), read once.

Adding a currency, unit, classifier, qualifier or idiom is adding a line to a
data file; no code changes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

HERE = Path(__file__).parent


def _lines(name: str) -> list[str]:
    text = (HERE / name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _alternation(words, spaced: bool = False) -> str:
    """Longest first; ``spaced`` lets Chinese words be written with spaces (个 百 分点)."""
    def pattern(w: str) -> str:
        if spaced and len(w) > 1 and all("\u4e00" <= c <= "\u9fff" for c in w):
            return "[ ]*".join(regex.escape(c) for c in w)
        return regex.escape(w)
    return "|".join(pattern(w) for w in sorted(set(words), key=len, reverse=True))


# The word patterns are matched once per numeral, where a call's fixed cost dominates: they use
# no ``regex``-only syntax and are compiled with the standard ``re``, whose calls cost a third.
# ``left_qualifier_re`` needs ``regex`` (overlapped matches).


@dataclass(frozen=True)
class Lexicon:
    units: dict[str, tuple[str, str]]        # surface -> (unit, kind)
    unit_re: re.Pattern                      # at a position: the longest unit word
    prefixes: dict[str, str]                 # currency symbol written before -> ISO code
    prefix_re: re.Pattern                    # matched on the text BEFORE a number (anchored at its end)
    classifiers: frozenset[str]
    classifier_re: re.Pattern
    per_words: dict[str, str]
    per_re: re.Pattern
    qualifiers_left: dict[str, tuple[str, int]]   # word -> (qualifier, allowed gap)
    left_qualifier_re: regex.Pattern
    left_qualifier_any: re.Pattern           # the same words, one search (a cheap test before it)
    qualifiers_right: dict[str, str]
    right_qualifier_re: re.Pattern
    idiom_re: re.Pattern
    classifiers_first: frozenset[str]        # first characters: a cheap test before the regex
    right_first: frozenset[str]
    prefixes_last: frozenset[str]            # last characters of currency prefixes
    unit_first: frozenset[str]               # first characters of unit words
    idiom_first_re: re.Pattern               # the first character of an idiom (searched in place)


@cache
def lexicon() -> Lexicon:
    units = {}
    for ln in _lines("units.tsv"):
        surface, unit, kind = ln.split("\t")
        units[surface] = (unit, kind)
    # Latin unit abbreviations must not run into a longer Latin word (5G, 3D, GBK).
    unit_re = re.compile(r"[ ]{0,4}(?:" + _alternation(units, spaced=True) + r")(?![A-Za-z])")
    prefixes = dict(ln.split("\t") for ln in _lines("currency_prefixes.tsv"))
    prefix_re = re.compile(r"(?:" + _alternation(prefixes) + r")[ ]{0,2}$")
    classifiers = frozenset(w for ln in _lines("classifiers.txt") for w in ln.split())
    classifier_re = re.compile(r"[ ]?(?:" + _alternation(classifiers) + r")")
    per_words = dict(ln.split("\t") for ln in _lines("per_words.tsv"))
    per_re = re.compile(r"(?:" + _alternation(per_words) + r")(?![A-Za-z])")
    left, right = {}, {}
    for ln in _lines("qualifiers.tsv"):
        word, qualifier, side, gap = ln.split("\t")
        if side == "left":
            left[word] = (qualifier, int(gap))
        else:
            right[word] = qualifier
    # 小于 或 等于, < = 100: comparison words are also written with spaces inside.
    left_re = regex.compile(r"(?:" + "|".join(
        "[ ]*".join(regex.escape(c) for c in w) for w in sorted(left, key=len, reverse=True)) + r")")
    left_any = re.compile(left_re.pattern)
    right_re = re.compile(r"[ ]{0,2}(?:" + _alternation(right) + r")")
    idioms = _lines("idioms.txt")
    idiom_re = re.compile(_alternation(idioms))
    return Lexicon(units, unit_re, prefixes, prefix_re, classifiers, classifier_re, per_words,
                   per_re, left, left_re, left_any, right, right_re, idiom_re,
                   frozenset(w[0] for w in classifiers), frozenset(w[0] for w in right),
                   frozenset(w[-1] for w in prefixes), frozenset(w[0] for w in units),
                   re.compile("[" + "".join(sorted({re.escape(w[0]) for w in idioms})) + "]" if idioms else "(?!)"))
