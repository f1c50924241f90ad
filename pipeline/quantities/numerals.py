"""Numeral strings -> numbers: the ONE place where 万 becomes 10000.

``parse_number`` reads one numeral as written (Arabic, Chinese, financial
大写 digits, or a mix: ``1,200万``, ``1.4 亿``, ``一点五亿``, ``两万三``,
``3万4000``, ``零点五``). ``find_numbers`` scans a text for every numeral
(liberally: years, lone 一 and all); the quantity rules decide which of them
are quantities.

How a Chinese numeral is read, in one paragraph: digits multiply the unit
that follows (十 百 千), a section below 万 is closed by a scale word (万 亿
兆); a larger scale after a smaller one multiplies everything so far
(``四万万``, ``一万五千亿``, ``1万亿``); a digit trailing a unit is shorthand
for one unit lower (``两万三`` = 23000, ``四百五`` = 450) unless a 零 came
between (``一千零五`` = 1005); digits with no unit at all are positional
(``三八`` = 38, ``二〇二五`` = 2025).
"""
from __future__ import annotations

from dataclasses import dataclass
import re
from functools import lru_cache
from math import isfinite

import regex

CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "俩": 2, "倆": 2, "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6,
    "陆": 6, "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_SCALES = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000,
             "兆": 1_000_000_000_000}
ZEROS = "零〇"
POINTS = "点點"
NEGATIVE = "-负負"
APPROX = "多余几幾"  # 3000多万, 500余万, 二十几万: "more than", kept inside the numeral
# 两 counts things but is not read as a decimal digit (一点两 is 一 and 两).
_NOT_DECIMAL = "两兩俩倆"
ARABIC_SUFFIX = {"k": 1e3, "K": 1e3, "M": 1e6}

CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS) + "".join(CN_SCALES)

# Thousands may be grouped by ',' '，' or a space; after a currency symbol the notation is
# Western, so there a '，' separates list items ($20，300美元). A dot is a decimal point only
# once: in 1.2.3 (versions, addresses) every group is a whole number, and ...9 is 9.
_ARABIC = (r"(?:(?<![$€£¥￥][ ]{0,2})\d{1,3}(?:，\d{3})+(?!\d)|\d{1,3}(?:,\d{3})+(?!\d)"
           r"|\d{1,3}(?: \d{3})+(?![\d.])|\d+)"
           r"(?:(?<!\d\.\d*)\.\d+(?!\d|\.\d))?|(?<![\d.])\.\d+(?!\d|\.\d)")
# A maximal run of numeral material; ``_parse_run`` splits it into numerals.
_RUN = regex.compile(
    rf"(?:(?<![{NEGATIVE}])[{NEGATIVE}](?=[\d.{CN_NUMERAL_CHARS}]))?"  # --9 is 9, not -9
    rf"(?:{_ARABIC}|[{CN_NUMERAL_CHARS}])"
    rf"(?:[ ]{{0,2}}(?:{_ARABIC}|[{CN_NUMERAL_CHARS}{POINTS}](?=[ ]{{0,2}}[\d{CN_NUMERAL_CHARS}])"
    rf"|[ ]{{0,2}}[{APPROX}](?=[ ]{{0,2}}[{''.join(CN_SCALES)}])|[{CN_NUMERAL_CHARS}]))*"
)
_TOKEN = regex.compile(
    rf"(?P<arabic>{_ARABIC})|(?P<digit>[{''.join(k for k in CN_DIGITS if k not in ZEROS)}])"
    rf"|(?P<zero>[{ZEROS}])|(?P<unit>[{''.join(CN_UNITS)}])|(?P<scale>[{''.join(CN_SCALES)}])"
    rf"|(?P<point>[{POINTS}])|(?P<space>[ ]+)|(?P<sign>[{NEGATIVE}])|(?P<approx>[{APPROX}])"
)
REGEX_TIMEOUT = 1.0
MAX_POSITIONAL_DIGITS = 20     # 二〇二五 is 4; no amount is written with more than 20


@dataclass(slots=True)
class Number:
    """One numeral found in a text."""

    start: int
    end: int
    value: float
    arabic: bool            # contains an Arabic digit
    chinese: bool           # contains a Chinese numeral character
    has_scale: bool         # contains 万/亿/兆 (or a k/M suffix)
    positional: bool        # Chinese digits with no unit: 三八, 二〇二五
    decimal: bool
    n_chars: int            # numeral characters, spaces excluded
    over: bool = False      # 多/余/几 inside: 3000多万
    fraction: bool = False  # 三分之一, 3/5
    high: float | None = None  # 二三十, 两三千: "two or three" tens/thousands; value is the low end


# 三五十 is "thirty to fifty" like the neighbours 二三十, 七八百.
_PAIRS = frozenset((a, a + 1) for a in range(1, 9)) | {(3, 5)}


def _is_pair(digits: list[int]) -> bool:
    return len(digits) == 2 and (digits[0], digits[1]) in _PAIRS


def _tokens(run: str) -> list[tuple[str, str, int, int]]:
    return [(m.lastgroup, m.group(), m.start(), m.end()) for m in _TOKEN.finditer(run)]


class _Reader:
    """Reads the longest valid numeral from ``tokens[i:]``."""

    def __init__(self, tokens, i):
        self.tokens = tokens
        self.start = i

    def read(self):  # noqa: C901 - one state machine, kept in one place on purpose
        toks = self.tokens
        i = self.start
        negative = False
        if toks[i][0] == "sign":
            negative = True
            i += 1
            if i >= len(toks) or toks[i][0] == "space":
                return None
        total = 0.0
        section = 0.0
        digit: float | None = None
        digit_is_cn = False
        prev = None               # kind of the last numeral token read
        last_mag = 0              # magnitude of the last unit or scale
        section_unit = 10 ** 5    # units inside a section must fall: 千 > 百 > 十
        largest = 0
        zero_gap = False
        positional: list[int] | None = None
        has_scale = arabic = chinese = decimal = False
        fraction_on_total = False
        over = False
        pair_ratio: float | None = None  # 二三十: the high end over the low end
        end_tok = i               # exclusive index of the last accepted token
        n = len(toks)
        while i < n:
            kind, text, _, _ = toks[i]
            if kind == "space":
                i += 1
                continue
            if kind == "arabic":
                if prev not in (None, "unit", "scale", "zero") or (prev == "unit" and last_mag == 10):
                    break
                if prev == "zero" and positional is not None:
                    break
                try:
                    digit = float(text.replace(",", "").replace("，", "").replace(" ", ""))
                except ValueError:
                    break  # a Unicode digit float() does not know
                digit_is_cn = False
                arabic = True
                decimal = decimal or "." in text
            elif kind in ("digit", "zero"):
                value = CN_DIGITS[text]
                if pair_ratio is not None:
                    break  # 二三十 closes at its unit: 二三十五 is no numeral we can read
                if text in _NOT_DECIMAL and prev in ("digit", "zero") and positional is None:
                    break
                if prev in ("digit", "zero") and (positional is not None or (prev == "digit" and section == 0 and total == 0)) \
                        and not zero_gap:
                    if positional is not None and len(positional) >= MAX_POSITIONAL_DIGITS:
                        break  # 一二三四… past any amount: stop the numeral (and the quadratic join)
                    positional = (positional or [int(digit)]) + [value]
                    digit = float(int("".join(map(str, positional))))
                elif kind == "zero":
                    if prev in ("digit",) and positional is None and total == 0 and section == 0:
                        positional = [int(digit), 0]
                        digit = float(int("".join(map(str, positional))))
                    elif prev in (None, "unit", "scale"):
                        zero_gap = prev is not None
                        if prev is None:
                            digit = 0.0
                    else:
                        break
                elif prev in (None, "unit", "scale", "zero"):
                    digit = float(value)
                    digit_is_cn = True
                else:
                    break
                chinese = True
            elif kind == "unit":
                mag = CN_UNITS[text]
                if positional is not None and _is_pair(positional) and total == 0 and section == 0:
                    pair_ratio = positional[1] / positional[0]
                    digit, positional = float(positional[0]), None
                if positional is not None:
                    break
                if prev == "scale" or (prev == "arabic_decimal"):
                    break
                if mag >= section_unit:
                    break
                if prev in ("unit",):
                    break
                if digit is None and prev not in (None, "zero"):
                    break
                multiplier = 1.0 if digit is None or (prev == "zero" and not digit) else digit
                section += multiplier * mag
                section_unit = mag
                digit = None
                last_mag = mag
                zero_gap = False
                chinese = True
            elif kind == "scale":
                mag = CN_SCALES[text]
                if positional is not None and len(positional) > 2:
                    break
                if prev is None or (prev == "zero" and not over) or fraction_on_total:
                    break
                if prev == "scale":
                    if mag < last_mag:
                        break
                    total *= mag
                else:
                    if positional is not None:
                        positional = None
                    segment = section + (digit or 0.0)
                    if mag >= largest:
                        total = (total + segment) * mag
                    else:
                        total += segment * mag
                largest = max(largest, mag)
                section = 0.0
                section_unit = 10 ** 5
                digit = None
                last_mag = mag
                zero_gap = False
                has_scale = True
                chinese = True
            elif kind == "approx":
                j = i + 1
                while j < n and toks[j][0] == "space":
                    j += 1
                if prev not in ("digit", "unit", "zero", "scale", "arabic") or j >= n or toks[j][0] != "scale":
                    break
                if prev == "scale" and CN_SCALES[toks[j][1]] <= last_mag:
                    break
                over = True
                i += 1
                continue
            elif kind == "point":
                if pair_ratio is not None:
                    break
                # A decimal point needs Chinese decimal digits right after it.
                j = i + 1
                while j < n and toks[j][0] == "space":
                    j += 1
                frac_digits = []
                while j < n and toks[j][0] in ("digit", "zero") and toks[j][1] not in _NOT_DECIMAL:
                    frac_digits.append(str(CN_DIGITS[toks[j][1]]))
                    j += 1
                    while j < n and toks[j][0] == "space" and j + 1 < n and toks[j + 1][0] in ("digit", "zero"):
                        j += 1
                if not frac_digits or prev is None or positional is not None and len(positional) > 1:
                    break
                if decimal:
                    break
                frac = float("0." + "".join(frac_digits))
                digit = self._abbreviated(digit, digit_is_cn, prev, last_mag, zero_gap)
                if digit is not None:
                    digit += frac
                else:
                    fraction_on_total = True
                    section += frac
                decimal = True
                chinese = True
                prev = "point_frac"
                end_tok = j
                i = j
                digit_is_cn = False
                continue
            else:  # sign or anything else ends the numeral
                break
            prev = kind if not (kind == "arabic" and "." in text) else "arabic"
            if kind == "arabic" and "." in text:
                prev = "arabic"
            i += 1
            end_tok = i
        if prev is None:
            return None
        if prev == "point_frac" and digit is not None:
            pass
        elif digit is not None:
            digit = self._abbreviated(digit, digit_is_cn, prev, last_mag, zero_gap)
        value = total + section + (digit or 0.0)
        if not chinese and not arabic:
            return None
        # A lone scale, unit-less zero run etc. never reach here valid; "万" alone breaks above.
        value = -value if negative else value
        return (end_tok, value, dict(
            has_scale=has_scale, arabic=arabic, chinese=chinese, over=over,
            positional=positional is not None, decimal=decimal,
            high=None if pair_ratio is None else value * pair_ratio))

    @staticmethod
    def _abbreviated(digit, digit_is_cn, prev, last_mag, zero_gap):
        """两万三 -> the 三 means 3000: a bare digit after a unit >= 百 is one unit lower."""
        if digit is None or not digit_is_cn or prev != "digit" or zero_gap or last_mag < 100:
            return digit
        return digit * last_mag / 10


def _parse_run(run: str, offset: int) -> list[Number]:
    return [Number(offset + start, offset + end, *rest) for start, end, *rest in _read_run(run)]


@lru_cache(maxsize=8192)
def _read_run(run: str) -> tuple[tuple, ...]:
    """The numerals of one run, offsets relative to it (a pure function of the run: cached)."""
    toks = _tokens(run)
    out: list[tuple] = []
    i = 0
    while i < len(toks):
        if toks[i][0] == "space" or toks[i][0] == "point":
            i += 1
            continue
        got = _Reader(toks, i).read()
        if got is None:
            i += 1
            continue
        end_tok, value, info = got
        start = toks[i][2]
        end = toks[end_tok - 1][3]
        text = run[start:end]
        if info["chinese"] and not info["arabic"] and all(c in CN_SCALES or c in CN_UNITS for c in text):
            # a bare unit/scale run is a numeral only with a multiplier: 百万 yes, 万 / 万万 no
            if not (text in ("十", "拾") or (len(text) >= 2 and text[0] in CN_UNITS)):
                i = end_tok
                continue
        out.append((start, end, value, info["arabic"], info["chinese"], info["has_scale"],
                    info["positional"], info["decimal"], sum(1 for c in text if not c.isspace()),
                    info["over"], False, info["high"]))
        i = end_tok
    return tuple(out)


_FRACTION_GAP = re.compile(r"[ ]*分[ ]*之[ ]*")
_AND_GAP = re.compile(r"[ ]*又[ ]*")
_SLASH_GAP = re.compile(r"/")
_SUFFIX = re.compile(r"[ ]?([kK](?![A-Za-z])|M(?![A-Za-z]))")
_EXPONENT = re.compile(r"[eE]([-+]?\d+)(?![\d.])|\^([-+]*)(\d+)(?![\d.])")
_DOZEN = re.compile(r"[ ]*打")


def _combine(a: Number, b: Number, value: float, **flags) -> Number:
    return Number(a.start, b.end, value, a.arabic or b.arabic, a.chinese or b.chinese,
                  a.has_scale or b.has_scale, False, True, a.n_chars + b.n_chars, a.over or b.over,
                  **flags)


_FRACTION_MARK = re.compile(r"分[ ]*之|/")


def _merge_fractions(text: str, numbers: list[Number]) -> list[Number]:
    """三分之一, 3/5 (one number over another), then 三百五又三分之一 (a whole and a fraction)."""
    if not _FRACTION_MARK.search(text):
        return numbers          # every fraction read below has one of these between its numbers
    out: list[Number] = []
    any_fraction = False
    for num in numbers:
        # both gaps below end with 之, a space or '/': a cheap test first
        prev = out[-1] if out and text[num.start - 1] in "之 /" else None
        if prev is not None and not prev.fraction and prev.value:
            gap = text[prev.end:num.start]
            if "分" in gap and _FRACTION_GAP.fullmatch(gap):
                out[-1] = _combine(prev, num, num.value / prev.value, fraction=True)
                any_fraction = True
                continue
            if gap == "/" and prev.arabic and num.arabic and not prev.chinese and not num.chinese \
                    and not prev.decimal and not num.decimal and num.value:
                out[-1] = _combine(prev, num, prev.value / num.value, fraction=True)
                any_fraction = True
                continue
        out.append(num)
    if not any_fraction:
        return out
    merged: list[Number] = []
    for num in out:
        prev = merged[-1] if merged else None
        if prev is not None and num.fraction and not prev.fraction:
            gap = text[prev.end:num.start]
            if _AND_GAP.fullmatch(gap) or (gap == " " and prev.arabic and "/" in text[num.start:num.end]):
                sign = -1 if prev.value < 0 else 1
                merged[-1] = _combine(prev, num, prev.value + sign * num.value, fraction=True)
                continue
        merged.append(num)
    return merged


def _apply_suffixes(text: str, num: Number) -> Number:
    """40k, -2.5 M, 2e5, 2^5, 十打 (a dozen)."""
    if num.arabic and not num.chinese:
        m = _SUFFIX.match(text, num.end)
        if m:
            num.value *= ARABIC_SUFFIX[m.group(1)]
            num.end, num.has_scale = m.end(), True
            return num
        m = _EXPONENT.match(text, num.end)
        if m:
            try:
                if m.group(1) is not None:
                    num.value *= 10.0 ** int(m.group(1))
                else:
                    exponent = int(m.group(3)) * (-1 if m.group(2).count("-") % 2 else 1)
                    num.value = (-1 if num.value < 0 else 1) * abs(num.value) ** exponent
            except (OverflowError, ZeroDivisionError):  # 10^999, 0^-1: not a number to report
                return num
            num.end = m.end()
            return num
    if num.chinese and not num.arabic:
        m = _DOZEN.match(text, num.end)
        if m:
            num.value *= 12
            num.end = m.end()
    return num



_HALF_HUNDRED = "半百"  # fifty, as in 年过半百; not made of digits, so not in _RUN


def _single_char_runs() -> dict[str, tuple[tuple, ...]]:
    """Runs of one character (一, 三, 十 ...) are a third of all runs: read each once, up front."""
    return {c: _read_run.__wrapped__(c) for c in CN_NUMERAL_CHARS + "0123456789"}


_SINGLE_CHAR_RUNS = _single_char_runs()
# ... and of each, its one Number's fields after start and end (or () when it reads as none)
_SINGLE_CHAR_NUMBERS = {c: (got[0][2:] if got else ()) for c, got in _SINGLE_CHAR_RUNS.items()}
assert all(len(got) <= 1 and (not got or got[0][:2] == (0, 1)) for got in _SINGLE_CHAR_RUNS.values())
_SUFFIX_FIRST = frozenset(" kKMeE^打")  # what can follow a numeral that _apply_suffixes reads
_AFTER_SPACE = frozenset("kKM 打")      # ... and after a space: 40 k, 十 打
# -5, 3.5, 1200 万, 1.4亿: one Arabic number and at most one scale, read as _Reader reads them
_SIMPLE_RUN = re.compile(r"(-?)([0-9]+(\.[0-9]+)?)(?:[ ]{0,2}([万萬亿億兆]))?")


def _numbers_of_run(run: str, start: int) -> list[Number]:
    """The numerals of one run (as ``_RUN`` finds them), starting at ``start``."""
    got = _plain_numbers(run, start)
    return _parse_run(run, start) if got is None else got


def _plain_numbers(run: str, start: int) -> list[Number] | None:
    """A run of a plain form read without the tokenizer: digits (2025), one character (一),
    one Arabic number with at most one scale (3.5, 1200 万, -2), or Chinese numerals only
    (一百二十). Four in five runs are one of these. ``None`` for any other text."""
    if run.isdigit() and run.isascii():
        return [Number(start, start + len(run), float(run), True, False, False, False, False, len(run))]
    if len(run) == 1:
        got = _SINGLE_CHAR_NUMBERS.get(run)
        return None if got is None else [Number(start, start + 1, *got)] if got else []
    if not run.strip(CN_NUMERAL_CHARS):
        return _parse_run(run, start)
    simple = _SIMPLE_RUN.fullmatch(run)
    return None if simple is None else [_simple_number(simple, run, start)]


def _simple_number(m: re.Match, run: str, start: int) -> Number:
    sign, digits, decimal, scale = m.groups()
    value = float(digits)
    if scale:
        value = (0.0 + value) * CN_SCALES[scale]
    if sign:
        value = -value
    return Number(start, start + len(run), value, True, scale is not None, scale is not None, False,
                  decimal is not None, len(run) - run.count(" "))


# _RUN scans every character with ``regex`` (its lookbehinds need it), slow on text that holds
# no numeral, and each call of it costs several plain ones. The standard ``re`` first finds each
# stretch of characters a run can hold that starts with one a run can start with (_STARTER):
# no run starts before a stretch nor crosses its end (the next character is no numeral
# material, so _RUN's lookaheads cannot see past it either), so _RUN over the stretch alone
# finds the runs the whole text holds there. Most stretches need no _RUN at all: one plain
# number (2025, 一, 1.4 亿, -5) or Chinese numeral characters only (一百二十) are one whole run.
# ``re``'s ``\d`` lacks the digits Unicode added after 14.0, all outside the BMP: every astral
# character counts as material, which can only lengthen a stretch (and send it to _RUN).
# ``\d`` is spelt out as the BMP's decimal digits (what ``re`` tests for ``\d``): a class of
# single characters compiles to one bitmap, where ``\d`` cost a Unicode-database call for
# every character of the text (a quarter of the scan).
_BMP_DIGITS = "".join(chr(cp) for cp in range(0x10000) if chr(cp).isdecimal())
_STARTER = rf"{re.escape(_BMP_DIGITS)}\U00010000-\U0010ffff.{re.escape(NEGATIVE)}{CN_NUMERAL_CHARS}"
_STRETCH = re.compile(rf"[{_STARTER}][{_STARTER} ,，{POINTS}{APPROX}]*")
_NOT_A_RUN = frozenset(NEGATIVE + ".")  # alone, these start no numeral


def find_numbers(text: str) -> list[Number]:
    """Every numeral in ``text`` (already normalised: ASCII digits), left to right."""
    out = _run_numbers(text)
    if _HALF_HUNDRED in text:
        out.extend(Number(m.start(), m.end(), 50.0, False, True, False, False, False, 2)
                   for m in re.finditer(_HALF_HUNDRED, text))
        out.sort(key=lambda n: n.start)
    if not out:
        return out
    extended: list[Number] = []
    last_end = -1
    for num in out:
        if num.start < last_end:
            continue  # swallowed by the previous numeral's suffix (2e5)
        after = text[num.end:num.end + 1]
        if after in _SUFFIX_FIRST and (after != " " or text[num.end + 1:num.end + 2] in _AFTER_SPACE):
            num = _apply_suffixes(text, num)
        extended.append(num)
        last_end = num.end
    numbers = _merge_fractions(text, extended)
    # 400 digits in a row are no figure (and no float): a value past the float range is dropped.
    return [n for n in numbers if n.value is None or isfinite(n.value)]


def _run_numbers(text: str) -> list[Number]:
    """The numerals of every run ``_RUN`` finds in ``text``, read from its stretches."""
    out: list[Number] = []
    for stretch in _STRETCH.finditer(text):
        run = stretch.group().rstrip(" ,，")   # no run ends with these
        start = stretch.start()
        got = _plain_numbers(run, start)
        if got is not None:
            out.extend(got)
        elif run not in _NOT_A_RUN:
            # A mixed stretch (2018-2021, 21 点) may hold several runs: _RUN splits it.
            for m in _RUN.finditer(text, start, stretch.end(), timeout=REGEX_TIMEOUT):
                out.extend(_numbers_of_run(m.group(), m.start()))
    return out


def parse_number(text: str) -> float:
    """One numeral as written -> its value. ``ValueError`` if ``text`` is not exactly one numeral.

    >>> parse_number("一千二百万")
    12000000.0
    """
    from pipeline.text import normalise

    s = normalise(text).strip()
    numbers = find_numbers(s)
    if len(numbers) != 1 or numbers[0].start != 0 or numbers[0].end != len(s):
        raise ValueError(f"not a single numeral: {text!r}")
    return numbers[0].value
