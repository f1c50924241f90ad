"""Quantity rules: numerals in context -> ``Quantity`` (value, unit, per, qualifier).

Each rule family has a name (it goes into ``Quantity.rule``) and beside it, in
``EXAMPLES``, a table ``{expected: [surface forms]}`` that the tests run
through ``find_quantities``. A failing form names the rule that should have
caught it. Numbers themselves are read only by ``numerals``.

Speed: the context patterns are matched once or more per numeral, where a call's fixed cost
dominates; they use the standard ``re`` (a third of ``regex``'s cost per call). ``regex``
stays where its syntax is needed (``\\p{Han}``, overlapped matches) and for the scan itself.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import cache

import regex

from pipeline.mentions import Quantity
from pipeline.quantities.lexicon import lexicon
from pipeline.quantities.numerals import CN_SCALES, CN_UNITS, Number, find_numbers, parse_number
from pipeline.text import _TABLE, normalise

# A text with none of these characters is already normalised (skips a slow translate).
_NEEDS_NORMALISING = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp, to in sorted(_TABLE.items()) if chr(cp) != to) + "]")

# ---------------------------------------------------------------- context patterns
_HAN = regex.compile(r"\p{Han}")
_ALL_HAN = regex.compile(r"\p{Han}*")
_PAUSES = frozenset("，。；、")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# The name runs are possessive (++): a shorter run would leave a name character where a dot
# must follow, so backtracking into one never finds a match; it only cost time in every word.
_URL = re.compile(r"https?://\S+|www\.\S+|[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)*\.(?:com|cn|net|org|io|ai)(?:/\S*)?")
_LATIN_WORD_SPACE = re.compile(r"[A-Za-z][A-Za-z0-9.+]*[ ]$")
_LATIN_WORD_LAST = _ASCII_LETTERS | frozenset("0123456789.+")   # what it needs before the space
# 百分之/千分之/万分之/万万分之 with no numeral before them (五百分之 is a fraction of 500).
_PERCENT_PREFIX = re.compile(
    r"(?<![\d一二两三四五六七八九十百千万亿零〇壹贰叁肆伍陆柒捌玖拾佰仟萬億])"
    r"(万万|萬萬|亿|億|[百佰千仟万萬])[ ]*分[ ]*之[ ]*$")
_PERCENT_PREFIX_SCALE = {"百": 1.0, "佰": 1.0, "千": 0.1, "仟": 0.1, "万": 0.01, "萬": 0.01,
                         "万万": 1e-6, "萬萬": 1e-6, "亿": 1e-6, "億": 1e-6}
# Range separators and 和-words (20 和 30 之间, 10000 与 20000 间), with any spaces around them:
# a gap is one when ``gap.strip(" ")`` is in the set.
_RANGE_SEPARATORS = frozenset(("-", "~", "～", "—", "——", "–", "至", "到"))
_BETWEEN_WORDS = frozenset("和与跟及")
_BETWEEN_END = re.compile(r"[ ]*之?间")
_PER_SLASH = re.compile(r"[ ]*/[ ]*")
_MORE = re.compile(r"[ ]?[多余](?![少数样元种年])")
_CHENG = re.compile(r"[ ]?成(?![为立本功长员交果绩熟就品都了])[ ]?([一二三四五六七八九半])?")
_ZHE = re.compile(r"[ ]?折(?![扣旧叠合算线腾射返价])")
_VAGUE_TAIL = re.compile(r"几(?![乎])")
_CLAUSE_BREAK = re.compile(r"[，。；;！？!?\n,：:]")
_EACH = re.compile(r"每[ ]?(?:个|一)?[ ]?")
_LATIN_SUFFIX = re.compile(r"[kKM](?![A-Za-z])|x(?![A-Za-z])")
_DAY_AFTER = re.compile(r"[ ]?日")
_YEAR_WORD = re.compile(r"[ ]?年(?:代|级|份|初|底|末|中|度)")
_WEEK_WORD = re.compile(r"[ ]?周(?:年|边|期|刊|一|二|三|四|五|六|日|末)")
_KUAI_PRICE = re.compile(r"[ ]?块[一二三四五六七八九]")

# Things that look like numbers but are not quantities, by what follows them.
_DATE_OR_NAME_AFTER = re.compile(
    r"[ ]?(?:月(?!活|均|销|薪|费|卡|度|付)|号|季度|线|版|世纪|年代|代(?!表)|楼|届|期(?!间|限)|点(?![\d零一二三四五六七八九])|:\d)"
)
_YEAR_AFTER = re.compile(r"[ ]?(?:年|财年|[-~至到][ ]?\d{4}(?!\d))")
_FIXED_PHRASES = [
    # (rule, pattern, value, unit, kind, qualifier, needs): a text holding none of the
    # ``needs`` (strings every match contains) is not scanned, a far cheaper test. A pattern
    # opens with a literal (半(?<=近半), not (?<=近)半): ``re`` then jumps from one 半 to the
    # next instead of trying a match at every character.
    ("multiple_words", re.compile(r"翻(?:了)?(?:一番|番|倍)"), 2.0, "x", "multiple", "exact", ("翻",)),
    ("multiple_words", re.compile(r"翻(?:了)?两番"), 4.0, "x", "multiple", "exact", ("两番",)),
    ("half_words", re.compile(r"半(?<=近半)"), 50.0, "%", "percent", "nearly", ("近半",)),
    ("half_words", re.compile(r"半(?<=过半)(?![个年月天小])"), 50.0, "%", "percent", "over", ("过半",)),
    ("half_words", re.compile(r"一半"), 50.0, "%", "percent", "exact", ("一半",)),
    ("half_words", re.compile(r"百分之百"), 100.0, "%", "percent", "exact", ("百分之百",)),
    ("half_words", re.compile(r"[对對]折(?<=打[对對]折)"), 50.0, "%", "percent", "exact", ("打对折", "打對折")),
    ("half_words", re.compile(r"半成"), 5.0, "%", "percent", "exact", ("半成",)),
    ("half_words", re.compile(r"半折"), 50.0, "%", "percent", "exact", ("半折",)),
]
_CN_PRICE = re.compile(r"([一二两三四五六七八九十]{1,3})块([一二三四五六七八九])(?![钱块])")
_CN_PRICE_DIGITS = frozenset("一二两三四五六七八九十")   # what _CN_PRICE's group 1 holds
# 数千, 几十, 上百万, 过万, 近亿: a multiplier word with no digit before it.
_BARE_SCALE = re.compile(r"(好几|数|几|上|成|过|破|超|近)([十百千万亿]{1,3})")
_BARE_SCALE_QUALIFIER = {"过": "over", "破": "over", "超": "over", "近": "nearly"}
_PAIR_RANGES = {(3, 5)}  # 三五年: "three to five", not consecutive digits


@dataclass(slots=True)
class _Candidate:
    """A number with what the rules learnt about it."""

    number: Number
    vague: bool = False
    qualifier: str | None = None
    low_bound: float | None = None       # 十几 -> 11..19
    high_bound: float | None = None
    span_start: int | None = None        # when only part of the match is the quantity (过万 -> 万)


# The candidates list holds a bare ``Number`` for a number the rules learnt nothing more about
# (nine in ten): building a _Candidate for each cost more than all its reads. ``_build`` reads
# such a number through this one, all defaults (never changed: it has no number).
_NOTHING_LEARNT = _Candidate(None)  # type: ignore[arg-type]


def _number(cand: _Candidate | Number) -> Number:
    return cand if type(cand) is Number else cand.number


def _unpack(cand: _Candidate | Number) -> tuple[Number, _Candidate]:
    """The number and what the rules learnt of it (``_NOTHING_LEARNT`` for a bare Number)."""
    return (cand, _NOTHING_LEARNT) if type(cand) is Number else (cand.number, cand)


@dataclass(slots=True)
class _Side:
    """One end of a quantity, parsed to the right of its number."""

    start: int
    end: int
    value: float | None
    unit: str | None = None
    kind: str = "number"
    per: str | None = None
    qualifier: str | None = None
    has_scale: bool = False
    counted: bool = False                # a classifier followed
    rule: str = "number"
    vague_tail: bool = False             # 十几: "ten and some"
    classifier_end: int | None = None    # the classifier after a count, kept outside its text


def _trailing_scale(text: str) -> float:
    scale = 1.0
    for ch in reversed(text.rstrip()):
        if ch in CN_SCALES:
            scale *= CN_SCALES[ch]
        elif ch in "多余几幾 ":
            continue
        else:
            break
    return scale


def _is_year_like(num: Number, text: str) -> bool:
    if num.decimal or num.has_scale or num.value != int(num.value):
        return False
    digits = text[num.start:num.end].strip().lstrip("-")
    return 1000 <= num.value <= 2100 and len(digits) == 4


# Every URL _URL finds contains one of these: texts with none skip the scan.
_URL_MARKS = ("://", "www.", ".com", ".cn", ".net", ".org", ".io", ".ai")


class _Context:
    def __init__(self, text: str):
        self.text = text
        self.lex = lexicon()
        self.urls = [m.span() for m in _URL.finditer(text)] \
            if any(mark in text for mark in _URL_MARKS) else []
        self.url_starts = [s for s, _ in self.urls]

    def in_url(self, start: int, end: int) -> bool:
        # The URLs are disjoint and in order: only the last one starting at or before ``start``
        # can hold the span.
        k = bisect_right(self.url_starts, start) - 1
        return k >= 0 and end <= self.urls[k][1]

    def in_idiom(self, start: int, end: int) -> bool:
        t = self.text
        # an idiom starts at one of the five characters up to ``start`` and covers ``end``;
        # only a position holding an idiom's first character can start one
        next_first = self.lex.idiom_first_re.search
        match = self.lex.idiom_re.match
        first = next_first(t, max(0, start - 4), start + 1)
        while first is not None:
            pos = first.start()
            m = match(t, pos)
            if m and end <= m.end():
                return True
            first = next_first(t, pos + 1, start + 1)
        return False


# Every test below needs one of these before the digits or one of those after them.
_CODE_BEFORE = _ASCII_LETTERS | frozenset("-_/=#@.\\[(（【\n") | {""}
_CODE_AFTER = _ASCII_LETTERS | {"."}


def _code_like(ctx: _Context, num: Number) -> bool:
    """Digits inside names and codes: Sora2, a16z, GPT-4o, H20, 3D, 5G, Veo3.1, [1]."""
    if not num.arabic:
        return False
    t = ctx.text
    s, e = num.start, num.end
    if t[s] == "-":
        s += 1
    before = t[s - 1] if s > 0 else ""
    after = t[e] if e < len(t) else ""
    if before not in _CODE_BEFORE and after not in _CODE_AFTER:
        return False
    if before and before in _ASCII_LETTERS:
        return ctx.lex.prefix_re.search(t[max(0, s - 4):s]) is None
    if before and before in "-_/=#@.\\" and s >= 2 and (t[s - 2].isalnum() and t[s - 2].isascii()):
        return True
    if before and before in "/=#@_":
        return True
    if after and after in _ASCII_LETTERS:
        return ctx.lex.unit_re.match(t, e) is None and not _LATIN_SUFFIX.match(t, e)
    if after == "." and e + 1 < len(t) and t[e + 1].isdigit():
        return True  # 1.2.3
    if (before, after) in (("[", "]"), ("(", ")"), ("（", "）"), ("【", "】")):
        return True  # footnote and list markers
    line_start = s == 0 or t[s - 1] == "\n"
    if line_start and after in (".", "、", ")") and not (e + 1 < len(t) and t[e + 1].isdigit()):
        return True
    return False


_YEAR_FIRST = frozenset("年财-~至到")
_DATE_FIRST = frozenset("月号季线版世年代楼届期点:")


def _first_after(t: str, pos: int) -> str:
    """The first non-space character at or after ``pos`` ('' at the end)."""
    first = t[pos:pos + 1]
    return first if first != " " else t[pos:pos + 6].lstrip(" ")[:1]


_COIN_CLASSIFIERS = frozenset(("个", "枚"))


def _is_kuai_money(t: str, num: Number, classifier) -> bool:
    """三块钱, 20 块钱; 三块 at a clause end (花了三块。). 120 块 GPU stays a count."""
    word = classifier.group().strip()
    if word == "块钱":
        return True
    nxt = t[classifier.end():classifier.end() + 1]
    return word == "块" and not num.arabic and (nxt == "" or nxt in "，。；;,.!?！？")


def _parse_side(ctx: _Context, num: Number, value: float | None, start: int) -> _Side | None:
    """Unit, scale words, per and right-hand qualifier after ``num``; None if it is no quantity."""
    t = ctx.text
    pos = num.end
    # Each pattern below is tried only when the next non-space character can start it.
    first = t[pos:pos + 1]
    if first == " ":
        first = _first_after(t, pos)
    if first in _YEAR_FIRST and _YEAR_AFTER.match(t, pos) and _is_year_like(num, t):
        return None
    if first in _DATE_FIRST and not num.has_scale:
        m = _DATE_OR_NAME_AFTER.match(t, pos)
        if m and not (m.group().strip() == "月" and value is not None and value > 12):
            return None
    # 日 after a month is a date; elsewhere a day count.
    if first == "日" and _DAY_AFTER.match(t, pos) and "月" in t[max(0, num.start - 3):num.start]:
        return None
    lex = ctx.lex
    side = _Side(start, pos, value, None, "number", None, None, num.has_scale)
    more = _MORE.match(t, pos) if first in "多余" else None
    if more and value is not None:
        side.qualifier = "over"
        pos = more.end()
        first = _first_after(t, pos)
    elif value is not None and first == "几" and _VAGUE_TAIL.match(t, pos) and num.chinese \
            and not num.has_scale:
        # 十几, 二十几: vague, 11..19
        side.vague_tail = True
        pos += 1
        first = _first_after(t, pos)
    cheng = _CHENG.match(t, pos) if first == "成" else None
    zhe = _ZHE.match(t, pos) if not cheng and first == "折" else None
    unit_m = lex.unit_re.match(t, pos) if first in lex.unit_first else None
    if cheng and value is not None and 0 < value <= 10:
        extra = cheng.group(1)
        v = value * 10
        if extra == "半":
            v += 5
        elif extra:
            v += "一二三四五六七八九".index(extra) + 1
        side.value, side.unit, side.kind, side.rule = v, "%", "percent", "percent_cheng"
        side.end = cheng.end()
        return side
    if zhe and value is not None and (0 < value < 10 or (10 < value < 100 and value == int(value))):
        side.value = value * 10 if value < 10 else value
        side.unit, side.kind, side.rule = "%", "percent", "percent_discount"
        side.end = zhe.end()
        return side
    if unit_m:
        surface = unit_m.group().replace(" ", "")
        unit, kind = lex.units[surface]
        if surface == "年" and _YEAR_WORD.match(t, pos):
            return None
        if surface == "周" and _WEEK_WORD.match(t, pos):
            return None
        if surface == "秒" and t[unit_m.end():unit_m.end() + 1] == "杀":
            return None
        side.unit, side.kind, side.rule = unit, kind, f"unit_{kind}"
        side.end = unit_m.end()
        if kind == "permille":
            side.value = None if value is None else value / 10
            side.unit, side.kind = "%", "percent"
        if surface.endswith("半小时") or (side.kind in ("duration", "measure")
                                          and t.startswith("半", side.end)):
            if side.value is not None:
                side.value += 0.5
            if not surface.endswith("半小时"):
                side.end += 1
    else:
        classifier = lex.classifier_re.match(t, pos) if first in lex.classifiers_first else None
        # 20 个比特币, 3 枚金币: a classifier that counts coins; 一笔港币 is "a sum", not one HKD
        money_m = lex.unit_re.match(t, classifier.end()) \
            if classifier and classifier.group().strip() in _COIN_CLASSIFIERS else None
        if money_m and lex.units[money_m.group().replace(" ", "")][1] != "money":
            money_m = None
        if classifier and "块" in classifier.group() and _is_kuai_money(t, num, classifier):
            side.unit, side.kind, side.rule = "CNY", "money", "money_kuai"
            side.end = classifier.end()
        elif money_m:
            side.unit, side.kind, side.rule = lex.units[money_m.group().replace(" ", "")][0], "money", "unit_money"
            side.end = money_m.end()
        elif classifier and not _KUAI_PRICE.match(t, pos):
            side.counted = True
            side.kind = "count"
            side.rule = "count"
            side.end = pos  # the classifier stays outside the value text
            side.classifier_end = classifier.end()
        elif more:
            side.end = pos
        else:
            side.end = pos if side.qualifier or side.vague_tail else num.end
    if side.qualifier and side.end < pos:
        side.end = pos
    after = side.end if side.classifier_end is None else side.classifier_end
    first = t[after:after + 1]
    if first == " ":
        first = _first_after(t, after)
    per = _PER_SLASH.match(t, after) if first == "/" else None
    if per and side.kind in ("money", "duration", "measure", "count", "number"):
        pw = lex.per_re.match(t, per.end())
        if pw:
            side.per = lex.per_words[pw.group()]
            side.end = pw.end()
            after = side.end
            first = _first_after(t, after)
    rq = lex.right_qualifier_re.match(t, after) if first in lex.right_first else None
    if rq:
        word = rq.group().strip()
        if not (word == "上下" and t[rq.end():rq.end() + 1] in "游文班楼"):
            side.qualifier = lex.qualifiers_right[word]
    return side


def _after_latin_word(t: str, start: int) -> bool:
    """LEAP 3.5, iPhone 15: a Latin word and a space right before the number."""
    return t[start - 1:start] == " " and t[start - 2:start - 1] in _LATIN_WORD_LAST \
        and _LATIN_WORD_SPACE.search(t, max(0, start - 12), start) is not None


def _left_qualifier(ctx: _Context, start: int, floor: int) -> str | None:
    return _left_qualifier_word(ctx, start, floor)[0]


def _left_qualifier_word(ctx: _Context, start: int, floor: int) -> tuple[str | None, str | None]:
    """The qualifier word nearest before ``start`` (smallest gap, then longest) and its qualifier."""
    t = ctx.text
    lo = max(floor, start - 9)
    # One search in place first (no slice of the window): most windows hold no qualifier word.
    if ctx.lex.left_qualifier_any.search(t, lo, start) is None:
        return None, None
    window = t[lo:start]
    best = None
    for m in ctx.lex.left_qualifier_re.finditer(window, overlapped=True):
        word = m.group().replace(" ", "")
        qualifier, allowed = ctx.lex.qualifiers_left[word]
        gap = window[m.end():].replace(" ", "")
        if len(gap) > allowed or (gap and not _ALL_HAN.fullmatch(gap)):
            continue
        if not _PAUSES.isdisjoint(gap):
            continue
        abs_start = lo + m.start()
        prev2 = t[abs_start - 1] if abs_start > 0 else "^"
        if word == "近" and prev2 in "最附临靠接将逼几":
            continue
        if word == "过" and (prev2 in "经通不超越度跨太" or gap):
            continue
        if word == "约" and (prev2 in "合条预签邀相公节制契婚大" or gap not in ("", "有", "为")):
            continue
        if word == "超" and gap:
            continue
        if word in ("低于", "小于", "少于", "大于", "多于", "高于") and prev2 == "不":
            continue
        if word[0] in "<>" and prev2 in "^\n":
            continue  # > at a line start quotes a paragraph (Markdown), it compares nothing
        rank = (len(gap), -len(word))
        if best is None or rank < best[0]:
            best = (rank, qualifier, word)
    return (best[1], best[2]) if best else (None, None)


def _left_per(ctx: _Context, start: int, floor: int) -> str | None:
    t = ctx.text
    lo = max(floor, start - 24)
    if t.find("每", lo, start) < 0:
        return None
    clause_from = lo
    for m in _CLAUSE_BREAK.finditer(t, lo, start):
        clause_from = m.end()
    per = None
    for m in _EACH.finditer(t, clause_from, start):
        pw = ctx.lex.per_re.match(t, m.end())
        if pw:
            per = ctx.lex.per_words[pw.group()]
    return per


def _bare_scale_candidates(text: str) -> list[_Candidate]:
    out = []
    for m in _BARE_SCALE.finditer(text):
        lead, scale = m.group(1), m.group(2)
        if not all(c in CN_UNITS or c in CN_SCALES for c in scale):
            continue
        value = 1.0
        for ch in scale:
            value *= CN_UNITS.get(ch) or CN_SCALES[ch]
        s, e = m.start(2), m.end(2)
        num = Number(s, e, value, False, True, any(c in CN_SCALES for c in scale), False, False, len(scale))
        if lead in _BARE_SCALE_QUALIFIER:
            if not any(c in CN_SCALES for c in scale) and lead != "近":
                continue
            out.append(_Candidate(num, qualifier=_BARE_SCALE_QUALIFIER[lead]))
        else:
            out.append(_Candidate(num, vague=True, span_start=m.start()))
    return out


def _pair_range(num: Number, text: str) -> tuple[float, float] | None:
    """六七家, 两三年: two adjacent digits read as "six or seven"."""
    s = text[num.start:num.end]
    if not num.positional or len(s) != 2:
        return None
    from pipeline.quantities.numerals import CN_DIGITS

    a, b = CN_DIGITS.get(s[0]), CN_DIGITS.get(s[1])
    if a is None or b is None:
        return None
    if b == a + 1 or (a, b) in _PAIR_RANGES:
        return float(a), float(b)
    return None


def _merge_numbers(text: str) -> list[_Candidate | Number]:
    numbers = find_numbers(text)
    bare = _bare_scale_candidates(text)
    cands = [n if n.high is None and (n.arabic or not n.over) else _numeral_candidate(text, n)
             for n in numbers]
    # A digit right before 十/百 etc. (二十几万) belongs to the number, not to a bare scale.
    bare = [b for b in bare if not _digit_before(text, b)]
    return _interleave(cands, bare) if bare else cands


def _interleave(cands: list[_Candidate | Number], bare: list[_Candidate]) -> list[_Candidate | Number]:
    """``cands`` less those overlapping a bare scale, with the bare scales, in order of start.

    One walk over both lists (each in order of start): _BARE_SCALE's matches are disjoint and
    in order, so their ends ascend with their starts too. A number overlapping a bare scale
    starts inside its span, so no kept number shares a start with a bare one."""
    out: list[_Candidate | Number] = []
    k, n_bare = 0, len(bare)
    b = bare[0]
    b_start = b.span_start if b.span_start is not None else b.number.start
    b_end = b.number.end
    for c in cands:
        num = c if type(c) is Number else c.number
        while b_end <= num.start:        # bare scales wholly before this number come first
            out.append(b)
            k += 1
            if k == n_bare:
                b_start = b_end = float("inf")   # none left: nothing more overlaps
                break
            b = bare[k]
            b_start = b.span_start if b.span_start is not None else b.number.start
            b_end = b.number.end
        if num.end > b_start and num.start < b_end:
            continue                     # overlaps a bare scale: the bare reading wins
        out.append(c)
    out.extend(bare[k:])
    return out


_SOME_UNITS = re.compile(r"(.*[十拾零〇])[ ]*[几幾][ ]*([万萬亿億兆 ]+)")


def _numeral_candidate(text: str, num: Number) -> _Candidate:
    """二三十 (20..30) and 二十几万 (210000..290000) are vague ranges; other numerals are exact."""
    if num.high is not None:
        return _Candidate(num, vague=True, low_bound=num.value, high_bound=num.high)
    if num.over and not num.arabic:
        m = _SOME_UNITS.fullmatch(text, num.start, num.end)
        if m:
            try:
                base = parse_number(m.group(1).rstrip("零〇"))
            except ValueError:
                return _Candidate(num)
            scale = _trailing_scale(m.group(2))
            return _Candidate(num, vague=True, low_bound=(base + 1) * scale, high_bound=(base + 9) * scale)
    return _Candidate(num)


def _digit_before(text: str, cand: _Candidate) -> bool:
    s = cand.span_start if cand.span_start is not None else cand.number.start
    return s > 0 and (text[s - 1].isdigit() or text[s - 1] in "一二三四五六七八九十两零")


@cache
def _chinese_triggers() -> tuple[frozenset[str], frozenset[str]]:
    """Characters after / before a plain Chinese numeral that can make it a quantity.

    A Chinese numeral needs a unit, classifier, scale or range (三年, 两家, 三到五个); with
    none of these characters beside it, ``_build`` would reject it: we reject it early.
    """
    lex = lexicon()
    after = {w[0] for w in lex.units} | {w[0] for w in lex.classifiers} | set(lex.right_first)
    after |= set(" /多余几幾成折半打-~～—–至到和与跟及")
    before = {w[-1] for w in lex.prefixes} | set(" 之数几上比")
    before |= {w[-1] for w in _COMPARISON_WORDS} | {"了"}
    return frozenset(after), frozenset(before)


# Comparison words that make even a bare Chinese numeral a quantity (大于二十, 等于一百七).
_COMPARISON_WORDS = frozenset(
    "大于 小于 高于 低于 多于 少于 超过 不到 不足 不超过 不大于 不小于 不低于 不高于 不少于 不多于 "
    "大于等于 大于或等于 大于或者等于 小于等于 小于或等于 小于或者等于 等于 至少 至多 最多 最少 比".split())
_BOUND_QUALIFIERS = frozenset(("over", "under", "at_least", "up_to"))
_COMPARATIVE = {"大": "over", "高": "over", "多": "over", "小": "under", "低": "under", "少": "under"}


# Units that begin with a scale character; 兆 before a unit is always "mega", and kB/kbit are
# never 1000 bytes/bits. 三千米 stays 3000 m: after a Chinese numeral 千 is usually the number's.
_ALWAYS_PREFIX_UNITS = frozenset(("kB", "kbit"))


def _unit_prefix_split(ctx: _Context, num: Number) -> Number:
    """12千米, 2.3千克, 五十兆字节: the 千/兆 belongs to the unit (km, kg, MB), not to the number."""
    t = ctx.text
    last = t[num.end - 1:num.end]
    if last not in ("千", "兆") or num.end - num.start < 2:
        return num
    m = ctx.lex.unit_re.match(t, num.end - 1)
    if m is None or t[num.end - 1] != m.group()[0]:
        return num
    unit = ctx.lex.units[m.group().replace(" ", "")][0]
    if not (num.arabic or last == "兆" or unit in _ALWAYS_PREFIX_UNITS):
        return num
    try:
        value = parse_number(t[num.start:num.end - 1])
    except ValueError:
        return num
    head = t[num.start:num.end - 1]
    return replace(num, end=num.end - 1, value=value, n_chars=num.n_chars - 1,
                   has_scale=any(c in CN_SCALES for c in head))


def _build(ctx: _Context, cands: list[_Candidate | Number], i: int, floor: int) -> tuple[Quantity | None, int]:
    """The quantity that starts with candidate ``i``; returns it and the next index to look at."""
    t = ctx.text
    num, cand = _unpack(cands[i])
    n_start = num.start
    if not num.arabic and not num.has_scale and not num.fraction and not cand.vague \
            and cand.qualifier is None:
        after, before = _chinese_triggers()
        if t[num.end:num.end + 1] not in after and t[n_start - 1:n_start] not in before \
                and t[n_start - 2:n_start - 1] not in before:
            return None, i + 1
    if ctx.urls and ctx.in_url(n_start, num.end) or num.arabic and _code_like(ctx, num):
        return None, i + 1
    if t[num.end - 1] in "千兆":
        num = _unit_prefix_split(ctx, num)
    if num.chinese and not num.arabic and ctx.in_idiom(n_start, num.end):
        return None, i + 1
    if t[n_start] == "-" and n_start > 0 and (t[n_start - 1].isalnum()):
        return None, i + 1  # 2024-12-17, B-2: not a sign
    before = t[max(0, n_start - 3):n_start]
    if ("第" in before or "Q" in before) and (before.rstrip().endswith("第") or before.endswith("Q")):
        return None, i + 1  # ordinals, quarters
    if not cand.vague and cand.qualifier is None and not num.arabic and not num.has_scale \
            and t[n_start - 1:n_start] in ("数", "几", "上") and n_start > 0 \
            and t[n_start] in CN_UNITS:
        cand = _Candidate(num, vague=True, span_start=n_start - 1)
    vague = cand.vague                   # a local: ``cand`` may be the shared _NOTHING_LEARNT
    value = num.value if not vague else None
    start = cand.span_start if cand.span_start is not None else num.start
    rule_prefix = None
    unit_prefix = None
    last = t[start - 1] if start > 0 else ""
    if last == " ":
        last = t[max(0, start - 10):start].rstrip(" ")[-1:]
    pct = _PERCENT_PREFIX.search(t, max(0, start - 10), start) if last == "之" else None
    bounds = (cand.low_bound, cand.high_bound) if cand.low_bound is not None else None
    if pct and not num.fraction:
        scale = _PERCENT_PREFIX_SCALE[pct.group(1)]
        value = None if value is None else value * scale
        bounds = bounds and (bounds[0] * scale, bounds[1] * scale)
        start = pct.start()
        rule_prefix = "percent_words"
    elif last in ctx.lex.prefixes_last:
        cur = ctx.lex.prefix_re.search(t, max(floor, start - 6), start)
        if cur and not ctx.lex.unit_re.match(t, num.end):
            unit_prefix = ctx.lex.prefixes[cur.group().strip()]
            start = cur.start()
    side = _parse_side(ctx, num, value, start)
    if side is None:
        # a year range like 2018-2021年: skip both ends
        nxt = i + 1
        if nxt < len(cands) and _number(cands[nxt]).start - num.end <= 3 \
                and (t[num.end:_number(cands[nxt]).start] or "-").strip(" ") in _RANGE_SEPARATORS:
            return None, nxt + 1
        return None, i + 1
    if rule_prefix:
        side.unit, side.kind, side.rule = "%", "percent", rule_prefix
    elif unit_prefix and side.kind not in ("money",):
        side.unit, side.kind, side.rule = unit_prefix, "money", "money_prefix"
    if num.fraction and side.unit is None and not side.counted:
        if "/" in t[num.start:num.end] and _left_qualifier(ctx, start, floor) is None:
            return None, i + 1  # 3/5 is a date or a score in prose; 超过1/2 is a fraction
        side.value = None if side.value is None else side.value * 100
        side.unit, side.kind, side.rule = "%", "percent", "fraction"
    next_i = i + 1
    low = high = None
    # ---- ranges: 30-50 美元, 3000 万 -5000 万, 5% 到 10%, 1 至 2 万
    if next_i < len(cands) and not vague and side.value is not None:
        onum, other = _unpack(cands[next_i])
        after_first = side.end
        gap = t[after_first:onum.start]
        bare_gap = gap.strip(" ")
        sep = bool(gap) and bare_gap in _RANGE_SEPARATORS
        signed = t[onum.start] == "-" and gap.strip() == ""
        between = not sep and not signed and bare_gap in _BETWEEN_WORDS
        if (sep or signed or between) and not other.vague and other.qualifier is None:
            ovalue = -onum.value if signed else onum.value
            oside = _parse_side(ctx, onum, ovalue, onum.start + (1 if signed else 0))
            if between and (oside is None or not _BETWEEN_END.match(t, oside.end)):
                oside = None  # 20 和 30 is a range only when 之间 follows
            merged = _merge_range(t, num, side, onum, oside, gap + ("-" if signed else ""))
            if merged is not None:
                low, high, side = merged
                next_i = i + 2
            elif oside is None or (side.unit is None and not side.counted and not side.has_scale):
                if "-" in gap and side.unit is None and not side.counted:
                    return None, i + 2  # 7-11: a name, not a range
    if side.value is None and low is None and not vague:
        return None, next_i
    # ---- what is not a quantity on its own
    bare = side.unit is None and not side.counted and not side.has_scale and low is None
    if bounds is not None:
        if bare and not num.has_scale:
            return None, next_i  # 二三十 alone counts nothing we know
        low, high = bounds
    left_word = None
    qualifier = cand.qualifier or side.qualifier
    if qualifier is None:
        qualifier, left_word = _left_qualifier_word(ctx, start, floor)
    if qualifier is None and t.find("比", max(floor, start - 2), start) >= 0 \
            and t[max(floor, start - 2):start].rstrip(" ").endswith("比"):
        qualifier = _COMPARATIVE.get(_first_after(t, side.end))  # 比 30 大, 比 170 低
        left_word = "比" if qualifier else None
    if bare and not vague:
        if num.chinese and not num.arabic and left_word not in _COMPARISON_WORDS \
                and not (side.qualifier in _BOUND_QUALIFIERS and qualifier == side.qualifier):
            return None, next_i  # a Chinese numeral needs a scale, unit or classifier
        nxt = t[side.end:side.end + 2].strip()
        at_clause_end = nxt == "" or nxt[0] in "，。；;、,.!?！？）)\"”」"
        if not (at_clause_end or qualifier) or (_is_year_like(num, t) and left_word not in _COMPARISON_WORDS
                                                 and side.qualifier is None):
            return None, next_i
        if _after_latin_word(t, num.start):
            return None, next_i
    elif t[num.start - 1:num.start] == " " and _after_latin_word(t, num.start) and side.unit is None \
            and not side.has_scale and (num.decimal or not side.counted):
        return None, next_i  # LEAP 3.5, iPhone 15: a name with its version
    if not num.arabic and side.counted and low is None and num.n_chars == 1 and t[num.start] in "一壹幺":
        return None, next_i  # 一家, 一个: a bare "one" is the article, not a count
    if num.positional and not vague and low is None:
        pair = _pair_range(num, t)
        if pair is None and side.rule not in ("percent_discount",) and not (_is_year_like(num, t)):
            if num.n_chars >= 2 and not side.unit:
                return None, next_i
        if pair is not None:
            low, high = pair
            vague = True
    if side.vague_tail and low is None:
        base = side.value or 0.0
        low, high = base + 1, base + 9
        vague = True
    # ---- assemble
    kind = side.kind if side.kind != "number" else ("count" if side.counted else "number")
    per = side.per
    if per is None and kind in _PER_KINDS:
        per = _left_per(ctx, start, floor)
    qualifier = qualifier or ("over" if num.over and bounds is None else "exact")
    if low is not None:
        q = Quantity(side.start, side.end, t[side.start:side.end], None, _clean(low), _clean(high),
                     side.unit, per, qualifier, None, False, vague, kind, f"range_{side.rule}")
    elif vague:
        q = Quantity(side.start, side.end, t[side.start:side.end], None, None, None,
                     side.unit, per, qualifier, None, False, True, kind, "vague")
    else:
        q = Quantity(side.start, side.end, t[side.start:side.end], _clean(side.value), None, None,
                     side.unit, per, qualifier, None, False, False, kind, side.rule)
    return q, next_i


_PER_KINDS = frozenset(("money", "duration", "measure", "count"))


def _clean(value: float | None) -> float | None:
    """16.49 * 10000 is 164899.99999999997 in binary; the article wrote 164900."""
    if type(value) is float and value.is_integer() and -1e12 < value < 1e12:
        return value  # what the rounding below would give back: most values are whole
    return None if value is None else float(f"{value:.12g}")


def _merge_range(t, num, side, onum, oside, gap):
    if oside is None or oside.value is None:
        return None
    if side.unit and oside.unit and side.unit != oside.unit:
        return None
    if side.unit and not oside.unit:
        if side.kind == "percent" or side.counted:
            return None
        if oside.counted and side.kind != "duration":
            return None
    low, high = side.value, oside.value
    trailing_scale = _trailing_scale(t[onum.start:onum.end]) if oside.has_scale else 1.0
    if not side.unit and not side.has_scale and oside.has_scale and trailing_scale > 1:
        scaled = low * trailing_scale
        if scaled <= high:
            low = scaled
    if low >= high:
        return None
    if not side.unit and not oside.unit and not side.has_scale and not oside.has_scale \
            and not oside.counted and "-" in gap:
        return None  # 7-11 and the like: a bare hyphenated pair is a name
    unit = side.unit or oside.unit
    kind = side.kind if side.unit else oside.kind
    merged = _Side(side.start, oside.end, None, unit=unit, kind=kind,
                   per=oside.per or side.per, qualifier=oside.qualifier or side.qualifier,
                   has_scale=side.has_scale or oside.has_scale, counted=side.counted or oside.counted,
                   rule=oside.rule if oside.unit else side.rule)
    return low, high, merged


def find_currency_names(text: str) -> list[tuple[int, int, str]]:
    """Currency names standing with no amount (以人民币计, 美元走强): ``(start, end, unit)``.

    Not quantities (they state no figure); for callers that need the currency of a passage.
    """
    t = normalise(text) if _NEEDS_NORMALISING.search(text) else text
    lex = lexicon()
    money = [(q.start, q.end, q.unit) for q in find_quantities(text) if q.kind == "money"]
    out = []
    for m in _currency_name_re().finditer(t):
        s, e = m.span()
        unit = lex.units[m.group()][0]
        # 人民币 50 元: the name opens that amount, it is not a name on its own
        if not any(a < e + 3 and s < b and (a < e or (u == unit and not t[e:a].strip()))
                   for a, b, u in money):
            out.append((s, e, unit))
    return out


@cache
def _currency_name_re() -> re.Pattern:
    from pipeline.quantities.lexicon import _alternation

    names = [w for w, (_, kind) in lexicon().units.items()
             if kind == "money" and len(w) >= 2 and all(_HAN.match(c) for c in w)]
    return re.compile(_alternation(names))


def _phrases(text: str) -> list[Quantity]:
    out = []
    for rule, pattern, value, unit, kind, qualifier, needs in _FIXED_PHRASES:
        if not any(need in text for need in needs):
            continue
        for m in pattern.finditer(text):
            out.append(Quantity(m.start(), m.end(), m.group(), value=value, unit=unit, kind=kind,
                                qualifier=qualifier, rule=rule))
    for m in _cn_prices(text):
        from pipeline.quantities.numerals import CN_DIGITS

        try:
            from pipeline.quantities.numerals import parse_number

            whole = parse_number(m.group(1))
        except ValueError:
            continue
        value = whole + CN_DIGITS[m.group(2)] / 10
        out.append(Quantity(m.start(), m.end(), m.group(), value=value, unit="CNY", kind="money",
                            rule="money_kuai"))
    return out


def _cn_prices(text: str):
    """What ``_CN_PRICE.finditer(text)`` yields, found from each 块: a literal is found far
    faster than a digit, and only the (at most 3) digits right before a 块 can start a match."""
    last_end = 0
    k = text.find("块")
    while k >= 0:
        p = k
        while p > k - 3 and p > last_end and text[p - 1] in _CN_PRICE_DIGITS:
            p -= 1
        m = _CN_PRICE.match(text, p) if p < k else None
        if m is not None:
            yield m
            last_end = m.end()
        k = text.find("块", k + 1)


def find_quantities(text: str, normalised: bool = False) -> list[Quantity]:
    """Every quantity in ``text``: sorted by start, non-overlapping, ``text`` == the slice.

    ``normalised``: the caller passes text already through ``normalise`` (the pipeline's
    norm_text), which skips the scan for characters to normalise."""
    t = text if normalised or not _NEEDS_NORMALISING.search(text) else normalise(text)
    ctx = _Context(t)
    cands = _merge_numbers(t)
    found: list[Quantity] = []
    i = 0
    floor = 0
    while i < len(cands):
        q, i = _build(ctx, cands, i, floor)
        if q is not None:
            found.append(q)
            floor = q.end
    for q in _phrases(t):
        q.qualifier = _left_qualifier(ctx, q.start, 0) or q.qualifier
        found.append(q)
    found.sort(key=lambda q: (q.start, -(q.end - q.start)))
    result: list[Quantity] = []
    for q in found:
        if result and q.start < result[-1].end:
            continue
        result.append(q)
    result = _merge_bounds(t, result)
    for i, q in enumerate(result):
        if q.kind == "money" and q.value is not None:
            _add_subunits(t, q, result[i + 1].start if i + 1 < len(result) else len(t))
    if t is not text:                    # each q.text is a slice of t: make it one of text
        for q in result:
            q.text = text[q.start:q.end]
    return result


@cache
def _subunits() -> tuple[dict[str, tuple[str, float]], re.Pattern]:
    from pipeline.quantities.lexicon import _alternation, _lines

    table = {}
    for ln in _lines("currency_subunits.tsv"):
        surface, iso, fraction = ln.split("\t")
        table[surface] = (iso, float(fraction))
    pattern = re.compile(r"[ ]*(?:又|零|和)?[ ]*(\d{1,2}|[一二两三四五六七八九十]{1,2})[ ]*(" + _alternation(table)
                            + r")(?![钟之析数支期])")
    return table, pattern


def _add_subunits(t: str, q: Quantity, limit: int) -> None:
    """3元5角, 50元6角三分, 两美元又三美分: the subunits add to the amount, in place."""
    table, pattern = _subunits()
    end, value = q.end, q.value
    while True:
        m = pattern.match(t, end)
        if m is None or table[m.group(2)][0] != q.unit:
            break
        try:
            amount = parse_number(m.group(1))
        except ValueError:
            break
        value += amount * table[m.group(2)][1]
        end = m.end()
    if q.end < end <= limit:
        q.end, q.value, q.text = end, _clean(value), t[q.start:end]


_LOWER = {"over": "(", "at_least": "["}
_UPPER = {"under": ")", "up_to": "]"}
_BOUND_KINDS = frozenset(_LOWER) | frozenset(_UPPER)
# What may stand between two bounds of one range: 大于10小于20, 大于二十的同时小于三十五, 最多100最少20,
# and the first bound's closing word before a comma: 在10以上，20以下; 比10大，比20小.
_BOUND_JOIN = re.compile(
    r"[ ]*(?:(?:及|或者?)?以[上下]|[大高多小低少](?=[ ]*[，,]))?[ ]*(?:[，,][ ]*)?(?:并且|并|且|而且|而|的同时|同时|但)?[ ]*")


def _merge_bounds(t: str, found: list[Quantity]) -> list[Quantity]:
    """A lower and an upper bound side by side -> one range; the bracket kinds go into the rule."""
    out: list[Quantity] = []
    for q in found:
        prev = out[-1] if out else None
        # a bound qualifier on both first: most quantities are exact and end the test there
        if prev is not None and q.qualifier in _BOUND_KINDS and prev.qualifier in _BOUND_KINDS \
                and prev.value is not None and q.value is not None \
                and prev.unit == q.unit and prev.per == q.per and not prev.vague and not q.vague:
            bounds = (prev, q) if prev.qualifier in _LOWER and q.qualifier in _UPPER else \
                (q, prev) if prev.qualifier in _UPPER and q.qualifier in _LOWER else None
            gap = t[prev.end:q.start] if bounds else ""
            join = _BOUND_JOIN.match(gap) if bounds else None
            if bounds and bounds[0].value < bounds[1].value and join is not None \
                    and _left_word_only(gap[join.end():]):
                low, high = bounds
                out[-1] = Quantity(prev.start, q.end, t[prev.start:q.end], low=low.value, high=high.value,
                                   unit=q.unit, per=q.per, kind=q.kind, qualifier="exact",
                                   rule=f"comparison_range{_LOWER[low.qualifier]}{_UPPER[high.qualifier]}")
                continue
        out.append(q)
    return out


def _left_word_only(rest: str) -> bool:
    """``rest`` is nothing or just a qualifier word (the second bound's 小于, 不小于 ...)."""
    word = rest.replace(" ", "")
    return not word or word in _COMPARISON_WORDS or word in lexicon().qualifiers_left and len(word) <= 6


# ---------------------------------------------------------------- examples (the tests run every line)
# rule family -> {expected: [surface forms]}; expected is (value, low, high, unit, per, qualifier).
# Every form must yield exactly one quantity with those fields. Sentences are our own.
EXAMPLES: dict[str, dict[tuple, list[str]]] = {
    "scaled_numbers": {
        (12000000, None, None, None, None, "exact"): ["月活 1200 万", "用户达 1,200万", "一千二百万用户"],
        (140000000, None, None, "USD", None, "exact"): ["收入 1.4 亿美元", "收入1.4亿美元", "收入一点四亿美元"],
        (150000000, None, None, None, None, "exact"): ["用户一点五亿"],
        (50400, None, None, None, None, "exact"): ["卖出 5.04 万辆车"],
        (23000, None, None, None, None, "exact"): ["两万三台设备"],
        (132000, None, None, None, None, "exact"): ["十三万二名员工"],
        (1200, None, None, None, None, "exact"): ["共 1 200 家门店"],
        (1000000, None, None, None, None, "exact"): ["斩获百万下载"],
        (30000000, None, None, None, None, "over"): ["播放量 3000多万"],
        (20000, None, None, None, None, "over"): ["投放了 2 万多台机器"],
        (4500, None, None, "CNY", None, "exact"): ["售价 4，500 元"],
    },
    "percent": {
        (10, None, None, "%", None, "exact"): ["增长 10%", "增长１０％", "占比一成", "占比百分之十"],
        (0.5, None, None, "%", None, "exact"): ["费率千分之五"],
        (-3.29, None, None, "%", None, "exact"): ["增速为 -3.29%。"],
        (2, None, None, "pp", None, "exact"): ["下降 2 个百分点"],
        (75, None, None, "%", None, "exact"): ["占了四分之三"],
        (90, None, None, "%", None, "exact"): ["市值缩水九成"],
        (50, None, None, "%", None, "nearly"): ["市值蒸发近半"],
        (3e-6, None, None, "%", None, "exact"): ["误码率为万万分之三"],
    },
    "multiple": {
        (6.4, None, None, "x", None, "exact"): ["ARPU 是对手的 6.4 倍"],
        (2, None, None, "x", None, "exact"): ["收入翻番", "业务翻一番", "营收翻倍"],
    },
    "money": {
        (200, None, None, "USD", None, "exact"): ["花了 200 美元", "售价 $200"],
        (5, None, None, "CNY", None, "exact"): ["只要 5 元", "只要 ¥5", "只要 5 元人民币"],
        (3, None, None, "HKD", None, "exact"): ["股价 3 港元"],
        (7, None, None, "EUR", None, "exact"): ["7 欧元", "€7"],
        (9.9, None, None, "CNY", None, "exact"): ["一杯九块九"],
        (743e8, None, None, "DKK", None, "exact"): ["营收 743 亿丹麦克朗"],
        (2.88, None, None, "USD", "share", "exact"): ["收购价为每股 2.88 美元"],
        (10000, None, None, "CNY", "month", "exact"): ["骑手每月可挣 1 万元"],
        (1.3, None, None, "HKD", "share", "exact"): ["收于 1.3 港元 / 股"],
        (3000, None, None, "CNY", "month", "exact"): ["月租 3000 元/月"],
        (4.5, None, None, "CNY", None, "exact"): ["一支笔 4 元 5 角", "找零四元五毛"],
        (12.07, None, None, "CNY", None, "exact"): ["票价12元零7分"],
        (3.04, None, None, "USD", None, "exact"): ["贴纸三美元又四美分"],
        (8, None, None, "CNY", None, "exact"): ["一瓶水八块钱", "一瓶水才八块。"],
        (20, None, None, "BTC", None, "exact"): ["钱包里有 20 个比特币", "矿工挖到二十枚比特币"],
    },
    "duration_and_measure": {
        (5, None, None, "day", None, "exact"): ["仅用 5 天"],
        (3, None, None, "year", None, "exact"): ["三年内盈利"],
        (8, None, None, "hour", "day", "exact"): ["每天工作 8 小时"],
        (18.8, None, None, "inch", None, "exact"): ["18.8 英寸屏幕"],
        (532, None, None, "tonne", None, "exact"): ["消费量为 532 吨"],
        (450, None, None, "ml", None, "approx"): ["450mL 左右"],
        (100, None, None, "kcal", None, "approx"): ["热量 100 大卡左右"],
        (5.5, None, None, "year", None, "exact"): ["花了五年半"],
        (12, None, None, "km", None, "exact"): ["通勤 12 千米", "通勤12千米"],
        (2.5, None, None, "kg", None, "exact"): ["重 2.5 千克"],
        (50, None, None, "MB", None, "exact"): ["安装包五十兆字节"],
        (300, None, None, "MW", None, "exact"): ["电站装机 300 兆瓦"],
        (3000, None, None, "m", None, "exact"): ["他跑完了三千米"],
    },
    "range": {
        (None, 30, 50, "USD", "minute", "exact"): ["成本 30-50 美元 / 分钟"],
        (None, 30000000, 50000000, None, None, "exact"): ["曝光 3000 万 -5000 万"],
        (None, 50, 70, "%", None, "exact"): ["比例 50%-70%", "比例 50%~70%", "比例 50%～70%"],
        (None, 5, 10, "%", None, "exact"): ["命中率 5% 到 10%", "命中率 5%—10%"],
        (None, 100000, 150000, "CNY", None, "exact"): ["定价 10 万元至 15 万元", "定价 10-15 万元"],
        (None, 500000, 600000, None, None, "exact"): ["目标 50 万至 60 万辆"],
        (None, 10000, 20000, "HKD", None, "exact"): ["能挣 1 至 2 万港元"],
        (None, 2, 3, "x", None, "exact"): ["出货量翻 2 至 3 倍"],
        (None, 40, 60, None, None, "exact"): ["分数介于40和60之间", "分数在 40 与 60 间", "分数高于40并且低于60",
                                             "分数大于四十的同时小于六十", "分数至多60至少40"],
        (None, 5, 8, "%", None, "exact"): ["涨幅不低于5%且不超过8%"],
        (None, 300, 500, "CNY", None, "exact"): ["售价在300元以上，500元以下", "售价高于300元， 低于500元"],
        (None, 1000, 3000, None, None, "exact"): ["读数在 1000 以上 3000 以下"],
    },
    "qualifiers": {
        (12000000, None, None, None, None, "over"): ["月活已突破 1200 万", "月活突破 1200 万", "超过 1200 万"],
        (10000, None, None, None, None, "over"): ["月销平均过万"],
        (20, None, None, "%", None, "approx"): ["约 20%", "20% 左右", "大约 20%"],
        (20, None, None, "%", None, "nearly"): ["近 20%", "将近 20%", "接近 20%"],
        (20, None, None, "%", None, "under"): ["不到 20%", "不足 20%", "20% 以下"],
        (20, None, None, "%", None, "up_to"): ["最高 20%", "最多降低 20%", "可达 20%"],
        (20, None, None, "%", None, "at_least"): ["至少 20%", "不低于 20%"],
        (20, None, None, "%", None, "over"): ["逾 20%", "20% 以上"],
        (1e8, None, None, "USD", None, "nearly"): ["获得近亿美元融资"],
        (70, None, None, None, None, "over"): ["得分大于七十的学生", "得分比 70 高", "温度>70"],
        (3, None, None, None, None, "exact"): ["> 3 家公司入局"],
        (70, None, None, None, None, "at_least"): ["得分大于或等于七十", "得分 >= 70 即可", "得分七十或以上"],
        (70, None, None, None, None, "up_to"): ["得分小于 或 等于70", "得分不大于七十"],
        (70, None, None, None, None, "under"): ["得分在 70 之下", "得分小于七十"],
        (1850, None, None, None, None, "exact"): ["读数等于1850的记录"],
        (25, None, None, "%", None, "over"): ["超过 1/4 的受访者", "超过1/4的受访者"],
    },
    "vague": {
        (None, None, None, None, None, "exact"): ["与数千家企业合作", "上百万司机"],
        (None, 6, 7, None, None, "exact"): ["只有六七家车企"],
        (None, 11, 19, None, None, "exact"): ["十几次废片"],
        (None, 20, 30, None, None, "exact"): ["开了二三十家门店"],
        (None, 2000, 3000, None, None, "exact"): ["备货两三千台"],
        (None, 3e6, 4e6, "CNY", None, "exact"): ["投入三四百万元"],
        (None, 20, 30, "%", None, "exact"): ["降了百分之二三十"],
        (None, 210000, 290000, "CNY", None, "exact"): ["车价涨到二十几万元"],
    },
}
# Never a quantity: each sentence yields no quantity at all.
NOT_QUANTITIES = [
    "Sora2 上线", "a16z 的数据", "Veo3.1 发布", "GPT-4o 模型", "iPhone 15 发布", "零跑 B10 上市",
    "零跑 C16 车型", "铂智 3X 车型", "LEAP 3.5 架构", "Qwen2.5 开源", "H20 芯片", "M4 芯片",
    "2025 年发布", "2025年发布", "3 月 10 日上市", "2023 年 7 月成立", "2024-12-17 公告",
    "四季度盈利", "Q4 财报", "第三季度", "排名第一", "第二家公司", "一家通吃", "一次性玩具",
    "一步错", "一度登顶", "一起努力", "一些功能", "统一标准", "唯一的", "万一失败", "千万别信",
    "一直领先", "一定会", "一般来说", "看一下", "一边走", "18:20 开盘", "一家公司的员工",
    "王三和李四之间", "> 3 月发布", "存入一笔港币", "人数有二三十", "版本 2.3.1 发布", "3/4 开会",
]
