"""Time stage: find time expressions and resolve them to ISO-like periods.

Values follow the contract's ``time`` field: ``2025``, ``2025-03``, ``2025-Q4``,
``2025-H1``, ``2026-01-15``, and spans as ``start/end`` of the same granularity
(``2018/2021``, ``2025-01/2025-02``).

Duckling-style: each ``TimeRule`` is a name, a regex and a ``produce`` function;
the table of surface forms that proves them lives in ``tests/test_times.py``.
Matching and resolving are two passes: every rule matches, the longest
non-overlapping matches win (leftmost first), then the chosen mentions are
resolved left to right with a ``_Context`` that remembers the last year and
month written, because bare forms (``四季度``, ``11 日``, ``去年同期``) take them
from the text before. For speed, each rule also lists what every match of it
``needs`` (年, 月, a written year...), and only runs where the text has it.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Callable, Iterator

import re

import regex

from pipeline.mentions import TimeMention
from pipeline.quantities.numerals import parse_number
from pipeline.text import normalise

# --------------------------------------------------------------------------- numerals
@lru_cache(maxsize=4096)
def small_number(text: str) -> int | None:
    """``12``, ``十二``, ``二十一``, ``两`` -> int; ``None`` if it is not one whole numeral."""
    try:
        value = parse_number(text.strip())
    except ValueError:
        return None
    return int(value) if value == int(value) else None


def year_number(text: str) -> int | None:
    """``2025`` or ``二〇二五`` (digit by digit) -> 2025."""
    return small_number(text)


# --------------------------------------------------------------------------- periods
def _year(y: int) -> str:
    return f"{y:04d}"


def _month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _span(a: str, b: str) -> str:
    return a if a == b else f"{a}/{b}"


# Patterns over period values, which we write (in ASCII digits): the standard ``re``, cheaper per call.
_FOUR_DIGITS = re.compile(r"\d{4}")
_LEADING_YEAR = re.compile(r"(\d{4})")
_MONTH_VALUE = re.compile(r"\d{4}-(\d{2})(?:-\d{2})?$")
_YEAR_SPAN_VALUE = re.compile(r"(\d{4})/(\d{4})")


def shift_years(value: str | None, years: int) -> str | None:
    """Move every year in a period value: ``2025-Q4`` -1 -> ``2024-Q4``."""
    if value is None:
        return None
    return _FOUR_DIGITS.sub(lambda m: _year(int(m.group()) + years), value)


def first_year(value: str | None) -> int | None:
    head = (value or "")[:4]
    if head.isascii():          # as every value we write is: no pattern needed
        return int(head) if len(head) == 4 and head.isdigit() else None
    match = _LEADING_YEAR.match(value)
    return int(match.group(1)) if match else None


def _month_of(value: str | None) -> int | None:
    match = _MONTH_VALUE.match(value or "")
    return int(match.group(1)) if match else None


# --------------------------------------------------------------------------- patterns
_ = r"[ \t]*"                                   # the optional spaces articles put around digits
_CN = "〇零○一二两三四五六七八九"
YEAR = rf"(?<![\d.])(?:(?:19|20)\d{{2}}|[{_CN}]{{4}})(?!\d)"
MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
COUNT = rf"(?:\d{{1,2}}|[{_CN}十]{{1,3}})"
RELATIVE_YEAR = {"前年": -2, "去年": -1, "上年": -1, "上一年": -1, "今年": 0, "本年": 0,
                 "明年": 1, "来年": 1, "后年": 2}
# 以上年龄, 之后年均: the characters before keep 上年/后年 from matching inside other words.
_REL = "(?<![以之此其而然最])(?:" + "|".join(sorted(RELATIVE_YEAR, key=len, reverse=True)) + ")"
_MONTH_TAIL = r"(?:份|初|中旬|上旬|下旬|底|末)?"            # no bare 中: 3 月中国…
_YEAR_END = r"(?:全年|年度|年底|年末|年初|年中|底|末|初|度)"   # after 年; bare 中 would eat 中国
_NOT_MONTH_WORD = r"(?!活|销|均|薪|费|租|供|卡|度)"   # 月活, 月销, 月均: metrics, not months


def _quarter_number(text: str) -> int:
    return small_number(text.strip().lstrip("第Qq").removesuffix("季度").strip()) or 0


@dataclass
class _Context:
    """What the resolver has seen so far in the article."""

    reference_year: int | None
    last_year: int | None = None          # year of the last mention that had one
    last_month: int | None = None
    last_value: str | None = None         # the last resolved sub-year period

    def year(self) -> int | None:
        return self.last_year if self.last_year is not None else self.reference_year


Producer = Callable[[dict[str, str], _Context], tuple[str | None, str]]


# Cue names beside plain characters: a written year (2024, 二〇二四), a relative year (去年).
WRITTEN_YEAR = "<year>"
RELATIVE_YEAR_WORD = "<relative year>"


@dataclass(frozen=True)
class TimeRule:
    """``needs``: what every match holds, each item one of its characters or a
    cue name; the rule only runs over stretches of text that have them all (see
    ``_choose``). ``also``: more such items, of characters too common in text to
    look for stretches by (digits, 一, 上): they only keep the rule off stretches
    without them."""

    name: str
    pattern: str
    produce: Producer
    needs: tuple[str, ...]
    also: tuple[str, ...] = ()
    compiled: regex.Pattern = field(init=False, repr=False, compare=False)
    group_indices: tuple[tuple[str, int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", regex.compile(self.pattern))
        # (name, index into ``groups()``) of each named group, in ``groupdict``'s order
        object.__setattr__(self, "group_indices", tuple((name, index - 1) for name, index
                                                        in self.compiled.groupindex.items()))


# --------------------------------------------------------------------------- producers
def _p_date(g, ctx):
    return f"{_month(year_number(g['y']), small_number(g['m']))}-{small_number(g['d']):02d}", "point"


def _p_year_month(g, ctx):
    return _month(year_number(g["y"]), small_number(g["m"])), "point"


def _month_range(y: int, m1: int, m2: int) -> str:
    if m1 == 1 and m2 == 12:
        return _year(y)
    return _span(_month(y, m1), _month(y, m2))


def _p_year_month_range(g, ctx):
    return _month_range(year_number(g["y"]), small_number(g["m1"]), small_number(g["m2"])), "range"


def _p_year_first_months(g, ctx):
    return _month_range(year_number(g["y"]), 1, small_number(g["n"])), "range"


def _p_year_quarter(g, ctx):
    return f"{_year(year_number(g['y']))}-Q{_quarter_number(g['q'])}", "point"


def _p_year_first_quarters(g, ctx):
    y = _year(year_number(g["y"]))
    return _span(f"{y}-Q1", f"{y}-Q{small_number(g['n'])}"), "range"


def _p_year_half(g, ctx):
    return f"{_year(year_number(g['y']))}-H{1 if g['h'] == '上' else 2}", "point"


def _p_year(g, ctx):
    return _year(year_number(g["y"])), "point"


def _p_fiscal_year(g, ctx):
    digits = g["y"]
    y = int(digits) if len(digits) == 4 else 2000 + int(digits)
    return _year(y), "point"


def _p_year_range(g, ctx):
    return _span(_year(year_number(g["y1"])), _year(year_number(g["y2"]))), "range"


def _p_year_same_period(g, ctx):
    """``2023 年同期``: the period last mentioned, in that year."""
    y = year_number(g["y"])
    if ctx.last_value and first_year(ctx.last_value) is not None and "-" in ctx.last_value:
        return shift_years(ctx.last_value, y - first_year(ctx.last_value)), "point"
    return _year(y), "point"


def _relative(g, ctx) -> int | None:
    if ctx.reference_year is None:
        return None
    return ctx.reference_year + RELATIVE_YEAR[g["rel"]]


def _p_rel_year(g, ctx):
    y = _relative(g, ctx)
    return (None if y is None else _year(y)), "relative"


def _p_rel_same_period(g, ctx):
    """``去年同期``: the period just talked about, a year earlier."""
    if ctx.last_value is not None and first_year(ctx.last_value) is not None:
        return shift_years(ctx.last_value, RELATIVE_YEAR[g["rel"]] if g["rel"] != "今年" else 0), "relative"
    y = _relative(g, ctx)
    return (None if y is None else _year(y)), "relative"


def _month_and_day(y: int | None, g) -> str | None:
    """``3 月`` or ``3 月 10 日`` of year ``y``."""
    if y is None:
        return None
    value = _month(y, small_number(g["m"]))
    if g.get("d"):
        value += f"-{small_number(g['d']):02d}"
    return value


def _p_rel_month(g, ctx):
    return _month_and_day(_relative(g, ctx), g), "relative"


def _p_rel_month_range(g, ctx):
    y = _relative(g, ctx)
    return (None if y is None else _month_range(y, small_number(g["m1"]), small_number(g["m2"]))), "relative"


def _p_rel_quarter(g, ctx):
    y = _relative(g, ctx)
    return (None if y is None else f"{_year(y)}-Q{_quarter_number(g['q'])}"), "relative"


def _p_rel_half(g, ctx):
    y = _relative(g, ctx)
    return (None if y is None else f"{_year(y)}-H{1 if g['h'] == '上' else 2}"), "relative"


def _p_rel_first_months(g, ctx):
    y = _relative(g, ctx)
    return (None if y is None else _month_range(y, 1, small_number(g["n"]))), "relative"


def _p_rel_first_quarters(g, ctx):
    y = _relative(g, ctx)
    if y is None:
        return None, "relative"
    return _span(f"{_year(y)}-Q1", f"{_year(y)}-Q{small_number(g['n'])}"), "relative"


def _p_bare_month_day(g, ctx):
    return _month_and_day(ctx.year(), g), "point"


def _p_bare_month_range(g, ctx):
    y = ctx.year()
    return (None if y is None else _month_range(y, small_number(g["m1"]), small_number(g["m2"]))), "range"


def _p_bare_day(g, ctx):
    y = ctx.year()
    if y is None or ctx.last_month is None:
        return None, "point"
    return f"{_month(y, ctx.last_month)}-{small_number(g['d']):02d}", "point"


def _p_bare_quarter(g, ctx):
    y = ctx.year()
    return (None if y is None else f"{_year(y)}-Q{_quarter_number(g['q'])}"), "point"


def _p_bare_first_quarters(g, ctx):
    y = ctx.year()
    if y is None:
        return None, "range"
    return _span(f"{_year(y)}-Q1", f"{_year(y)}-Q{small_number(g['n'])}"), "range"


def _p_bare_half(g, ctx):
    y = ctx.year()
    return (None if y is None else f"{_year(y)}-H{1 if g['h'] == '上' else 2}"), "point"


def _p_unresolved(g, ctx):
    """Deictic or rolling windows (今天, 本周, 过去一年): a time, but no calendar period."""
    return None, "relative"


# --------------------------------------------------------------------------- rules
RULES: list[TimeRule] = [
    TimeRule("date y-m-d (年月日)", rf"(?P<y>{YEAR}){_}年{_}(?P<m>{MONTH}){_}月{_}(?P<d>{DAY}){_}[日号]", _p_date,
             (WRITTEN_YEAR, "年", "月", "日号")),
    TimeRule("date y-m-d (digits)", r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>1[0-2]|0?[1-9])(?P=sep)"
             r"(?P<d>3[01]|[12]\d|0?[1-9])(?![\d.])", _p_date, (WRITTEN_YEAR, "-/.")),
    TimeRule("year + month range", rf"(?P<y>{YEAR}){_}年{_}(?P<m1>{MONTH}){_}(?:月{_})?(?:-|—|–|~|至|到){_}"
             rf"(?P<m2>{MONTH}){_}月(?:份)?", _p_year_month_range, (WRITTEN_YEAR, "年", "月"), ("-—–~至到",)),
    TimeRule("year + first N months", rf"(?P<y>{YEAR}){_}年{_}前{_}(?P<n>{COUNT}){_}个?月", _p_year_first_months,
             (WRITTEN_YEAR, "年", "前", "月")),
    TimeRule("year + month", rf"(?P<y>{YEAR}){_}年{_}(?P<m>{MONTH}){_}月{_MONTH_TAIL}", _p_year_month,
             (WRITTEN_YEAR, "年", "月")),
    TimeRule("year + first N quarters", rf"(?P<y>{YEAR}){_}年{_}前(?P<n>[一二三1-3]){_}(?:个)?季度", _p_year_first_quarters,
             (WRITTEN_YEAR, "年", "前", "季")),
    TimeRule("year + quarter", rf"(?P<y>{YEAR}){_}年?(?:度)?{_}(?:的)?(?P<q>第?[一二三四1-4]{_}季度|[Qq][1-4])", _p_year_quarter,
             (WRITTEN_YEAR, "季Qq")),
    TimeRule("quarter + year (Q4 2024)", rf"(?P<q>[Qq][1-4]){_}(?P<y>{YEAR})(?!{_}[万亿千百])", _p_year_quarter,
             (WRITTEN_YEAR, "Qq")),
    TimeRule("year + half", rf"(?P<y>{YEAR}){_}年{_}(?:的)?(?P<h>[上下])半年", _p_year_half, (WRITTEN_YEAR, "年", "半")),
    TimeRule("year range", rf"(?P<y1>{YEAR}){_}(?:年{_})?(?:-|—|–|~|至){_}(?P<y2>{YEAR}){_}年(?:度|间)?", _p_year_range,
             (WRITTEN_YEAR, "年"), ("-—–~至",)),
    TimeRule("year + 同期", rf"(?P<y>{YEAR}){_}年{_}同期", _p_year_same_period, (WRITTEN_YEAR, "年", "同")),
    TimeRule("year", rf"(?P<y>{YEAR}){_}(?:财年|财政年度|年{_}{_YEAR_END}?)", _p_year, (WRITTEN_YEAR, "年")),
    TimeRule("fiscal year (FY)", r"(?<![A-Za-z])FY{_}(?P<y>(?:19|20)\d{2}|\d{2})(?!\d)".replace("{_}", _), _p_fiscal_year,
             ("F",), ("Y",)),
    TimeRule("relative year + month (+ day)", rf"(?P<rel>{_REL}){_}(?P<m>{MONTH}){_}月{_MONTH_TAIL}"
             rf"(?:{_}(?P<d>{DAY}){_}[日号])?", _p_rel_month, (RELATIVE_YEAR_WORD, "月")),
    TimeRule("relative year + first N months", rf"(?P<rel>{_REL}){_}前{_}(?P<n>{COUNT}){_}个?月", _p_rel_first_months,
             (RELATIVE_YEAR_WORD, "前", "月")),
    TimeRule("relative year + month range", rf"(?P<rel>{_REL}){_}(?P<m1>{MONTH}){_}(?:月{_})?(?:-|—|–|~|至|到){_}"
             rf"(?P<m2>{MONTH}){_}月(?:份)?", _p_rel_month_range, (RELATIVE_YEAR_WORD, "月"), ("-—–~至到",)),
    TimeRule("relative year + first N quarters", rf"(?P<rel>{_REL}){_}前(?P<n>[一二三1-3]){_}(?:个)?季度", _p_rel_first_quarters,
             (RELATIVE_YEAR_WORD, "前", "季")),
    TimeRule("relative year + quarter", rf"(?P<rel>{_REL}){_}(?:的)?(?P<q>第?[一二三四1-4]{_}季度|[Qq][1-4])", _p_rel_quarter,
             (RELATIVE_YEAR_WORD, "季Qq")),
    TimeRule("relative year + half", rf"(?P<rel>{_REL}){_}(?:的)?(?P<h>[上下])半年", _p_rel_half, (RELATIVE_YEAR_WORD, "半")),
    TimeRule("relative year + 同期", rf"(?P<rel>{_REL}){_}同期", _p_rel_same_period, (RELATIVE_YEAR_WORD, "同")),
    TimeRule("relative year", rf"(?P<rel>{_REL})(?:{_YEAR_END})?", _p_rel_year, (RELATIVE_YEAR_WORD,)),
    TimeRule("month + day", rf"(?<![\d.])(?P<m>{MONTH}){_}月{_}(?P<d>{DAY}){_}[日号]", _p_bare_month_day, ("月", "日号")),
    TimeRule("month range", rf"(?<![\d.年])(?P<m1>1[0-2]|0?[1-9]){_}(?:月{_})?(?:-|—|–|~|至){_}(?P<m2>1[0-2]|0?[1-9]){_}月(?:份)?",
             _p_bare_month_range, ("月",), ("-—–~至",)),
    TimeRule("month (digits)", rf"(?<![\d.个第])(?P<m>1[0-2]|0?[1-9]){_}月{_MONTH_TAIL}{_NOT_MONTH_WORD}", _p_bare_month_day,
             ("月",), ("0123456789",)),
    TimeRule("month (Chinese)", rf"(?<![{_CN}十个第每前近这])(?P<m>十[一二]?|[一二三四五六七八九])月(?:份)?{_NOT_MONTH_WORD}",
             _p_bare_month_day, ("月",), ("十一二三四五六七八九",)),
    TimeRule("day of the month", rf"(?<![\d.月])(?P<d>3[01]|[12]\d|[1-9]){_}日(?!留存|均|活|线)", _p_bare_day, ("日",),
             ("123456789",)),
    TimeRule("first N quarters", rf"前(?P<n>[一二三1-3]){_}(?:个)?季度", _p_bare_first_quarters, ("前", "季")),
    TimeRule("quarter", rf"(?<![\d一二三四五六七八九十个])(?P<q>第?[一二三四1-4]季度)|(?<![A-Za-z\d])(?P<q>[Qq][1-4])(?![\d])",
             _p_bare_quarter, ("季Qq",)),
    TimeRule("half year", rf"(?<![多个一前后近])(?P<h>[上下])半年", _p_bare_half, ("半",), ("上下", "年")),
    TimeRule("deictic (今天, 本周, 上月)", r"今天|今日|昨天|昨日|当天|当日|本周|上周|这周|本月|上月|上个月|这个月|近日|日前",
             _p_unresolved, ("天日周月",), ("今昨当本上这近前",)),
    TimeRule("rolling window (过去一年, 近三年)", rf"(?:过去|近|最近){_}(?P<n>{COUNT}|几|数){_}(?:个{_})?(?:年|月|季度|周|天)",
             _p_unresolved, ("过近", "年月季周天")),
]

# Words that turn a mention into "until" / "since"; the span grows to include them.
_UNTIL_BEFORE = regex.compile(rf"(?:截至|截止(?:到|至)?|直到|一直到|到|至){_}$")
_SINCE_BEFORE = regex.compile(rf"(?:自从|自|从){_}$")
_SINCE_AFTER = regex.compile(rf"^{_}(?:以来|来|起|至今|开始|之后|以后|后)")
_UNTIL_AFTER = regex.compile(rf"^{_}为止")


# --------------------------------------------------------------------------- finding
_normalised = lru_cache(maxsize=4)(normalise)    # infer_reference_year and find_times read the same text


def find_times(text: str, reference_year: int | None = None, normalised: bool = False) -> list[TimeMention]:
    """Time expressions in ``text``: sorted, non-overlapping, resolved where possible.

    ``reference_year`` is the year the article was written in; relative forms
    (去年, 今年 3 月) stay ``None`` without it. ``normalised``: ``text`` already went
    through ``normalise`` (the pipeline's ``doc._.norm_text``), not done again.
    """
    return _find_times(text, text if normalised else _normalised(text), reference_year)


def _find_times(text: str, norm: str, reference_year: int | None) -> list[TimeMention]:
    ctx = _Context(reference_year)
    mentions: list[TimeMention] = []
    floor = 0                       # where the last mention ends
    for match in _placed(norm):
        if mentions and norm.find("\n", floor, match.start) >= 0:
            # A new paragraph: bare forms fall back to the reference year; a bare
            # day (11 日) still takes the month of the last date written.
            ctx = _Context(reference_year, last_month=ctx.last_month)
        value, anchor = match.rule.produce(match.groups, ctx)
        start, end, anchor, comparison_base = match.place(norm, anchor, floor)
        shifted = None
        if anchor == "relative" and value is not None:
            shifted = _relative_to_written_year(norm, mentions, start, value, match.groups)
        mentions.append(TimeMention(start, end, text[start:end], shifted or value, anchor))
        floor = end
        if shifted is None and not comparison_base:
            _remember(ctx, value)     # a base of comparison is not what the text goes on about
    return mentions


class _Chosen:
    """A chosen match, and where it lands once the words around it are read
    (``place``): the same in every resolving pass over the text, whatever the
    reference year, so infer_reference_year and find_times work it out once."""

    __slots__ = ("start", "end", "rule", "groups", "_placed_as", "_place")

    def __init__(self, start: int, end: int, rule: TimeRule, groups: dict[str, str]):
        self.start, self.end, self.rule, self.groups = start, end, rule, groups
        self._placed_as = self._place = None

    def place(self, norm: str, anchor: str, floor: int) -> tuple[int, int, str, bool]:
        """(start, end, anchor) with the anchor words, and whether it is a comparison base.
        They depend on the producer's anchor and the previous mention's end only: kept for those."""
        if self._placed_as != (anchor, floor):
            start, end, attached = _attach_anchor_words(norm, self.start, self.end, anchor, floor)
            self._place = start, end, attached, _is_comparison_base_at(norm, start)
            self._placed_as = (anchor, floor)
        return self._place


@lru_cache(maxsize=4)       # infer_reference_year and find_times resolve the same text in turn
def _placed(norm: str) -> tuple[_Chosen, ...]:
    return tuple(_Chosen(*chosen) for chosen in _choose(norm))


def _after_last_break(norm: str, offset: int, breaks: str) -> int:
    """Start of the stretch that ends at ``offset`` with none of ``breaks`` in it."""
    match = _last_of(breaks).search(norm, 0, offset)
    return match.end() if match else 0


@lru_cache(maxsize=8)
def _last_of(chars: str) -> regex.Pattern:
    """Searches from the end: the last of ``chars`` before an offset, without reading the text before it."""
    return regex.compile(f"[{regex.escape(chars)}]", regex.REVERSE)


def _relative_to_written_year(norm: str, previous: list[TimeMention], start: int, value: str,
                              groups: dict[str, str]) -> str | None:
    """``2024 年营收 3 亿元，去年亏损 1 亿元``: a 去年 in a sentence that already wrote
    out the year it would mean is counted from that written year instead.
    Returns the shifted value, or ``None`` when nothing changes."""
    if groups.get("rel") not in ("去年", "上年", "上一年") or not _FOUR_DIGITS.fullmatch(value):
        return None
    sentence_start = _after_last_break(norm, start, "。！？!?\n")
    for mention in reversed(previous):          # sorted by start: stop at the sentence's start
        if mention.start < sentence_start:
            break
        if mention.anchor != "relative" and _EXPLICIT_YEAR.search(mention.text) and mention.value == value:
            return shift_years(value, -1)
    return None


# Every character any rule's match can hold (lookarounds aside): digits and these. A match
# lies inside one run of them, so each rule only scans the runs holding its cues.
_TIME_CHARS = f"{_CN}十 \t年月日号前去上今本明来后份初中旬下底末全度间近-—–~至到/.个季第的半财政FYQq同期天昨当周这过最几数"
_CUE_NAMES = (WRITTEN_YEAR, RELATIVE_YEAR_WORD)
_CUE_CHARS = frozenset("".join(item for rule in RULES for item in rule.needs if item not in _CUE_NAMES))
_ALSO_CHARS = frozenset("".join(item for rule in RULES for item in rule.also))
# The runs with a cue character in them (``_cue_runs``) are found from their cue characters:
# a scan for a few characters is many times faster than one for runs of the whole class. The
# standard ``re`` is used (it scans faster than ``regex``); its ``\d`` lacks the digits Unicode
# added after 14.0 (all outside the BMP): every astral character counts as a time character
# here, which can only join runs, and a joined run still holds every match of its parts.
_RUN_CHAR = rf"[\d{re.escape(_TIME_CHARS)}\U00010000-\U0010ffff]"
_CUE_AND_REST = re.compile(rf"[{re.escape(''.join(sorted(_CUE_CHARS)))}]{_RUN_CHAR}*")
_RUN_CHARS = re.compile(f"{_RUN_CHAR}*")
_YEAR_CUE = regex.compile(rf"(?:19|20)\d{{2}}|[{_CN}]{{4}}")      # YEAR without its lookarounds
_RELATIVE_CUE = regex.compile("|".join(RELATIVE_YEAR))
# The longest lookahead of any rule (``(?!留存)``): a run is scanned this far past its end.
_LOOKAHEAD = 2


def _cue_runs(norm: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each longest run of time characters that holds a cue character."""
    # The first cue of a run and the rest of it, then the run's characters before that cue,
    # read forwards in the reversed text (``re`` cannot match backwards).
    backwards, length = norm[::-1], len(norm)
    before = _RUN_CHARS.match
    for match in _CUE_AND_REST.finditer(norm):
        cue, end = match.span()
        yield cue - (before(backwards, length - cue).end() - (length - cue)), end


def _cues_in(run: str) -> frozenset[str]:
    cues = set(run).intersection(_CUE_CHARS)
    if not cues:
        return frozenset()
    cues.update(_ALSO_CHARS.intersection(run))
    if _YEAR_CUE.search(run):
        cues.add(WRITTEN_YEAR)
    if "年" in cues and _RELATIVE_CUE.search(run):
        cues.add(RELATIVE_YEAR_WORD)
    return frozenset(cues)


@lru_cache(maxsize=4096)
def _rules_of_run(run: str) -> tuple[tuple[int, TimeRule], ...]:
    """The rules whose needs ``run`` holds (runs are short and repeat: 年, 3 月, 2025 年)."""
    return _rules_for(_cues_in(run))


def _has(cues: frozenset[str], item: str) -> bool:
    return item in cues if item in _CUE_NAMES else not cues.isdisjoint(item)


@lru_cache(maxsize=1024)
def _rules_for(cues: frozenset[str]) -> tuple[tuple[int, TimeRule], ...]:
    return tuple((order, rule) for order, rule in enumerate(RULES)
                 if all(_has(cues, item) for item in rule.needs + rule.also))


def _choose(norm: str) -> tuple[tuple[int, int, TimeRule, dict[str, str]], ...]:
    """Every rule's matches; the longest wins, earlier rules break ties.

    The same as running every rule's ``finditer`` over the whole text (the tests
    check it), but each rule only scans the runs of ``_TIME_CHARS`` that hold
    its ``needs``: no match can hold a character outside the run, nor lack a need.
    """
    candidates = []
    length = len(norm)
    for run_start, run_end in _cue_runs(norm):
        rules = _rules_of_run(norm[run_start:run_end])
        if not rules:
            continue
        scan_end = min(length, run_end + _LOOKAHEAD)
        for order, rule in rules:
            for match in rule.compiled.finditer(norm, run_start, scan_end):
                start, end = match.span()
                if start >= run_end:
                    break       # the next run's, seen through the lookahead margin
                if end > start and not _is_duration(norm, match, rule):
                    # (length, rule, start) is never the same twice: the sort never compares further.
                    candidates.append((start - end, order, start, end, rule, match))
    candidates.sort()
    used = bytearray(length)
    taken = []
    for _length, _order, start, end, rule, match in candidates:
        if used.find(1, start, end) < 0:
            used[start:end] = b"\x01" * (end - start)
            taken.append((start, end, rule, _groups(rule, match)))
    taken.sort(key=_FIRST)
    return tuple(taken)


_FIRST = itemgetter(0)


def _groups(rule: TimeRule, match: regex.Match) -> dict[str, str]:
    """The named groups that took part in ``match``: ``groupdict()`` less its ``None`` values, read
    by position (``regex`` looks a group name up only after failing to read it as a number)."""
    values = match.groups()
    return {name: values[index] for name, index in rule.group_indices if values[index] is not None}


_DURATION_AFTER = regex.compile(rf"{_}(?:内|之内|以内|多|间|里|后|以后|之后|前(?!后)|的时间)")


def _is_duration(norm: str, match: regex.Match, rule: TimeRule) -> bool:
    """``5 日后``, ``3 日内``: a window of days, not a day of the month."""
    return rule.name == "day of the month" and bool(_DURATION_AFTER.match(norm, match.end()))


# The last characters of _UNTIL_BEFORE / _SINCE_BEFORE words and the first of _SINCE_AFTER
# words: most mentions have none of them beside them and skip the searches.
_UNTIL_LAST = frozenset("至到止")
_SINCE_LAST = frozenset("自从")
_SINCE_FIRST = frozenset("以来起至开之后")


def _attach_anchor_words(norm: str, start: int, end: int, anchor: str, floor: int) -> tuple[int, int, str]:
    """``floor``: the end of the mention before (the words before stop there)."""
    before = norm[max(floor, start - 8):start]
    after = norm[end:end + 6]
    # ``$`` also matches before a final newline: strip it with the spaces for the cheap test.
    last = before.rstrip(" \t\n")[-1:]
    until = _UNTIL_BEFORE.search(before) if last in _UNTIL_LAST else None
    since = _SINCE_BEFORE.search(before) if last in _SINCE_LAST else None
    since_after = _SINCE_AFTER.match(after) if after.lstrip(" \t")[:1] in _SINCE_FIRST else None
    if since_after and (since or since_after.group().strip() in ("以来", "至今", "起")):
        start = start - len(since.group()) if since else start
        return start, end + len(since_after.group()), "since"
    if until:
        until_after = _UNTIL_AFTER.match(after)
        return start - len(until.group()), end + (len(until_after.group()) if until_after else 0), "until"
    return start, end, anchor


def _remember(ctx: _Context, value: str | None) -> None:
    if value is None:
        return
    year = first_year(value)
    if year is None:
        return
    ctx.last_year = year
    if "-" in value:        # a month is written 2025-03: no '-', no month
        month = _month_of(value.split("/")[-1])
        if month is not None:
            ctx.last_month = month
        ctx.last_value = value


# --------------------------------------------------------------------------- reference year
_FORECAST = regex.compile(r"预计|预期|预测|将|(?<!原)计划|目标|有望|希望|争取|力争|规划|展望|最早|最迟")
_FORECAST_BEFORE = regex.compile(rf"(?<!截)(?:到|至){_}$")
_FORECAST_AFTER = regex.compile(rf"^{_}(?:前|之前|以前)")
_FORECAST_BEFORE_LAST = frozenset("到至")     # the words' last and first characters: cheap tests first
_FORECAST_AFTER_FIRST = frozenset("前之以")
_COMPLETED = regex.compile(rf"^{_}(?:年{_})?(?:全年|年底|年末|财年|年度|年报|结束|第四季度|四季度|Q4|12{_}月{_}31{_}日|1{_}-{_}12{_}月)")
_CLAUSE_BREAK = regex.compile(r"[，。；：！？,;:!?\n]")
_EXPLICIT_YEAR = regex.compile(r"(?:19|20)\d{2}|FY|[〇零○一二三四五六七八九]{4}")
_QUOTED = re.compile(r"“[^“”\n]{0,200}”|「[^「」\n]{0,200}」")     # ``re`` reads the whole text faster
_NON_DIGITS = regex.compile(r"^\D*")
_LAST_PERIOD_OF_YEAR = re.compile(r"\d{4}-(?:Q4|H2|12(?:-31)?)")
_WHOLE_YEAR_WORD = regex.compile(r"全年|年底|年末|财年|年度|FY")


def infer_reference_year(text: str, normalised: bool = False) -> int | None:
    """The year the article was most likely written in, from the years it writes out.

    News reports the recent past and forecasts the future. Only years written
    out count (not 去年, not a bare 3 月), and:
    - a year in a clause with a forecast word (预计, 将, 计划, 目标), or written as
      a target (到 2030 年, 2026 年前), says nothing about when the article was
      written: skipped. A clause that is only the year (``2025 年，大众将推出…``)
      is judged with the clause after it;
    - a year reported as finished (2024 年全年, 2024 财年, 截至 2024 年底, 2024 年第四
      季度, 12 月 31 日, 2024 年结束时) means the article was written a year later: +1;
    - a year inside quoted speech (“很高兴在 2028 年租赁…”) is skipped too: quotes
      carry plans and opinions more often than reports;
    - a bare finished period (四季度 after ``2024 年，…``) counts with the year the
      text gave it;
    - the largest remaining year wins; ``None`` when no year is written.

    ``normalised``: as for ``find_times``.
    """
    norm = text if normalised else _normalised(text)
    quotes = [m.span() for m in _QUOTED.finditer(norm)]
    quote_starts = [start for start, _end in quotes]
    years: set[int] = set()
    for mention in _find_times(norm, norm, None):
        if mention.value is None or not _FOUR_DIGITS.search(mention.value):
            continue
        completed = None
        if not _EXPLICIT_YEAR.search(mention.text):
            completed = _is_completed(norm, mention)
            if not completed:
                continue
        if _inside(quotes, quote_starts, mention.start) or _is_forecast(norm, mention):
            continue
        written = [int(y) for y in _FOUR_DIGITS.findall(mention.value)]
        year = written[0] if mention.anchor == "range" else max(written)
        if completed is None:
            completed = _is_completed(norm, mention)
        years.add(year + 1 if completed else year)
    return max(years) if years else None


def _inside(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    """``offset`` strictly inside one of ``spans`` (sorted, disjoint)."""
    index = bisect_left(starts, offset) - 1
    return index >= 0 and offset < spans[index][1]


def _is_forecast(norm: str, mention: TimeMention) -> bool:
    clause_start = _after_last_break(norm, mention.start, "，。；：！？,;:!?\n")
    clause_end = _clause_end(norm, mention.end)
    if not norm[clause_start:mention.start].strip() and not norm[mention.end:clause_end].strip():
        clause_end = _clause_end(norm, clause_end + 1)       # a fronted time: 2025 年，大众将…
    if _FORECAST.search(norm, clause_start, clause_end):
        return True
    after = norm[mention.end:mention.end + 4]
    if after.lstrip(" \t")[:1] in _FORECAST_AFTER_FIRST and _FORECAST_AFTER.match(after):
        return True
    core_start = mention.start + len(_NON_DIGITS.match(mention.text).group())
    before = norm[max(0, core_start - 4):core_start]
    # ``$`` also matches before a final newline: strip it with the spaces for the cheap test.
    return before.rstrip(" \t\n")[-1:] in _FORECAST_BEFORE_LAST and bool(_FORECAST_BEFORE.search(before))


def _clause_end(norm: str, offset: int) -> int:
    match = _CLAUSE_BREAK.search(norm, offset)
    return match.start() if match else len(norm)


def _is_completed(norm: str, mention: TimeMention) -> bool:
    value = mention.value or ""
    if _LAST_PERIOD_OF_YEAR.fullmatch(value):
        return True
    if not _FOUR_DIGITS.fullmatch(value):
        return False
    return bool(_WHOLE_YEAR_WORD.search(mention.text) or _COMPLETED.match(norm[mention.end:mention.end + 12]))


# --------------------------------------------------------------------------- choosing a time for a figure
_RESPECTIVELY = regex.compile(r"分别")
_LIST_ITEM = regex.compile(r"(?:-?\d+(?:\.\d+)?|[〇零一二两三四五六七八九十]+)[百千万亿]*")
_ITEM_END = regex.compile(r"^[^，,、和;；。\d]{0,6}[，,、和]")
_LIST_SEPARATOR = regex.compile(rf"^{_}(?:、|和|及|与|,|，){_}$")


_COMPARISON_BEFORE = regex.compile(rf"(?:与|较|比|相比|相较|对比|超过|低于|高于|不及|不如|好于|差于|同于){_}$")
_FROM_BEFORE = regex.compile(rf"(?:从|由){_}$")


_COMPARISON_LAST = frozenset("与较比过于及如")     # the last characters of its words: a cheap test first


def is_comparison_base(text: str, mention: TimeMention) -> bool:
    """``与 2023 年持平``, ``超过 2023 年全年``: the period compared with, not the one reported."""
    return _is_comparison_base_at(text, mention.start)


def _is_comparison_base_at(text: str, start: int) -> bool:
    before = text[max(0, start - 4):start]
    return before.rstrip(" \t\n")[-1:] in _COMPARISON_LAST and bool(_COMPARISON_BEFORE.search(before))


_FROM_TO_LAST = frozenset("从由至到了")    # the last characters _FROM_BEFORE and _TO_BEFORE can match


def time_for_fact(times: list[TimeMention], sentence_start: int, sentence_end: int,
                  value_start: int, text: str | None = None,
                  inside: list[TimeMention] | None = None) -> str | None:
    """The time a figure at ``value_start`` holds for.

    The nearest time before the figure in its sentence, else the first one
    after it in the sentence, else ``None``. A ``since`` time (自 2015 年以来)
    is a starting point, not the period the figure holds for: ``None``.

    With the article ``text`` (each measured better on the dev gold, see
    bench/time_accuracy.py):
    - a time after the figure counts only in the figure's own clause;
    - a comparison base (``与 2023 年持平``, ``略低于 2023 年同期``) is skipped;
    - ``从/由 <figure>`` pairs with the sentence's ``从/由 <time>``: in ``由 2018 年的
      X 降至 2021 年的 Y，总额由 A 降至 B``, A is 2018 and B is 2021;
    - a ``分别`` list pairs figures with the listed periods in order
      (``2019 年、2020 年分别增长 a、b``; ``2018-2021 年...分别为 a，b，c，d``);
    - a figure with no time before it in its sentence nor after it in its clause
      takes the last time of the earlier sentences in its paragraph (one line).

    ``times`` are sorted by start, as ``find_times`` gives them: a call reads only
    the sentence's times (found by bisection), not the whole article's. A caller with
    several figures in a sentence passes ``inside = sentence_times(...)``, computed once.
    """
    if inside is None:
        inside = sentence_times(times, sentence_start, sentence_end, text)
    before = [t for t in inside if t.end <= value_start]
    if before:
        chosen = before[-1]
        if text is not None:
            # Cheap tests first: a ``分别`` list needs the word after the time, ``从/至 <figure>``
            # one of these characters right before the figure (what ``_from_to`` looks for).
            if text.find("分别", chosen.end, value_start) >= 0:
                spread = _respectively(text, inside, chosen, value_start)
                if spread is not None:
                    return spread
            if text[max(0, value_start - 4):value_start].rstrip(" \t\n")[-1:] in _FROM_TO_LAST:
                chosen, end_of_range = _from_to(text, before, chosen, value_start)
                if end_of_range is not None:
                    return end_of_range
    else:
        after = [t for t in inside if t.start >= value_start]
        if text is not None:
            clause_end = _clause_end(text, value_start)
            after = [t for t in after if t.end <= clause_end]
        if after:
            chosen = after[0]
        elif text is not None:
            carried = _carried_over(text, times, sentence_start)
            if carried is None:
                return None
            chosen = carried
        else:
            return None
    if chosen.anchor == "since":
        return None
    return chosen.value


def sentence_times(times: list[TimeMention], sentence_start: int, sentence_end: int,
                   text: str | None = None) -> list[TimeMention]:
    """The times of a sentence a figure can hold for (comparison bases left out with ``text``)."""
    inside = _within(times, sentence_start, sentence_end)
    if text is not None:
        inside = [t for t in inside if not is_comparison_base(text, t)]
    return inside


_TO_BEFORE = regex.compile(rf"(?:至|(?<!达)到)(?:了)?{_}$")


def _from_to(text: str, before: list[TimeMention], chosen: TimeMention,
             value_start: int) -> tuple[TimeMention, str | None]:
    """``从 A ... 至 B``: A takes the sentence's ``从 <time>`` (or a range's first
    year), B a range's last year, or the time before a ``从 <time>``."""
    lead = text[max(0, value_start - 4):value_start]
    years = _YEAR_SPAN_VALUE.fullmatch(chosen.value or "")
    if _FROM_BEFORE.search(lead):
        if years:
            return chosen, years.group(1)
        starts = [t for t in before if _FROM_BEFORE.search(text[max(0, t.start - 3):t.start])]
        return (starts[-1] if starts else chosen), None
    if _TO_BEFORE.search(lead):
        if years:
            return chosen, years.group(2)
        # 从去年的 A 改善至 B: B is not the 从 time's figure but the sentence's own.
        if _FROM_BEFORE.search(text[max(0, chosen.start - 3):chosen.start]) and len(before) >= 2:
            return before[-2], None
    return chosen, None


_START = attrgetter("start")


def _within(times: list[TimeMention], start: int, end: int) -> list[TimeMention]:
    """The times inside ``[start, end)``."""
    index = bisect_left(times, start, key=_START)
    inside = []
    while index < len(times) and times[index].start <= end:
        if times[index].end <= end:
            inside.append(times[index])
        index += 1
    return inside


def _carried_over(text: str, times: list[TimeMention], sentence_start: int) -> TimeMention | None:
    """The last time of the paragraph before ``sentence_start`` that is not a comparison base."""
    paragraph_start = text.rfind("\n", 0, sentence_start) + 1
    for index in range(bisect_right(times, sentence_start, key=_START) - 1, -1, -1):
        time = times[index]
        if time.start < paragraph_start:
            break
        if time.end <= sentence_start and not is_comparison_base(text, time):
            return time
    return None


def _respectively(text: str, inside: list[TimeMention], chosen: TimeMention, value_start: int) -> str | None:
    marker = _RESPECTIVELY.search(text, chosen.end, value_start)
    if marker is None:
        return None
    periods = _listed_periods(text, inside, chosen)
    if len(periods) < 2:
        return None
    items = [m for m in _LIST_ITEM.finditer(text, marker.end(), value_start + 1)]
    index = sum(1 for m in items if m.start() < value_start and _ends_item(text, m))
    if not items or index >= len(periods):
        return None
    return periods[index]


def _ends_item(text: str, match: regex.Match) -> bool:
    """A list item is a number followed (after its unit) by a separator."""
    tail = text[match.end():match.end() + 8]
    return bool(_ITEM_END.match(tail))


def _listed_periods(text: str, inside: list[TimeMention], chosen: TimeMention) -> list[str]:
    """``2018-2021 年`` -> the four years; ``2019 年、2020 年、2021 年`` -> three."""
    value = chosen.value or ""
    years = _YEAR_SPAN_VALUE.fullmatch(value)
    if years:
        first, last = int(years.group(1)), int(years.group(2))
        return [_year(y) for y in range(first, last + 1)] if 0 < last - first < 20 else []
    periods = [value] if value else []
    index = inside.index(chosen)
    while index > 0:
        previous = inside[index - 1]
        if not _LIST_SEPARATOR.match(text[previous.end:inside[index].start]) or not previous.value:
            break
        periods.insert(0, previous.value)
        index -= 1
    return periods
