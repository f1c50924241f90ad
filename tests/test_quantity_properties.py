"""Property tests: Chinese renderings parse back; random text never breaks the stage."""
from hypothesis import given, settings, strategies as st

from pipeline.quantities import find_quantities
from pipeline.quantities.numerals import parse_number

DIGITS = "零一二三四五六七八九"


def _section(n: int) -> str:
    """0 < n < 10000 in Chinese, written out in full (一千零五, 三百二十)."""
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero and out:
                out += "零"
            out += DIGITS[d] + unit
            zero = False
        elif out:
            zero = True
    return out


def to_chinese(n: int) -> str:
    """Our own renderer, independent of the parser: 亿 and 万 sections, 零 for gaps."""
    if n == 0:
        return "零"
    parts, need_zero = [], False
    for value, scale in ((10**8, "亿"), (10**4, "万"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if need_zero or (parts and d < 1000):
                parts.append("零")
            parts.append(_section(d) + scale)
            need_zero = False
        elif parts:
            need_zero = True
    return "".join(parts).replace("零零", "零")


@given(st.integers(min_value=0, max_value=10**12 - 1))
@settings(max_examples=300, deadline=None)
def test_chinese_integers_round_trip(n):
    assert parse_number(to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=99999), st.integers(min_value=1, max_value=99))
@settings(max_examples=200, deadline=None)
def test_decimals_round_trip(whole, frac):
    digits = f"{frac:02d}".rstrip("0")
    chinese = to_chinese(whole) + "点" + "".join(DIGITS[int(c)] for c in digits)
    expected = float(f"{whole}.{digits}")
    assert abs(parse_number(chinese) - expected) < 1e-9 * max(1, expected)
    assert parse_number(f"{whole}.{digits}") == expected


@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["万", "亿"]))
@settings(max_examples=100, deadline=None)
def test_arabic_with_scale(n, scale):
    factor = 10**4 if scale == "万" else 10**8
    assert parse_number(f"{n}{scale}") == n * factor
    assert parse_number(f"{n:,} {scale}") == n * factor


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_random_text_never_crashes_and_spans_hold(text):
    found = find_quantities(text)
    for q in found:
        assert q.text == text[q.start:q.end]
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


NUMERAL_ALPHABET = st.sampled_from(list("0123456789一二三四五六七八九十百千万亿两零点,.-%~至到 元美倍个年月天多余约超近数几") + ["个百分点"])


@given(st.lists(NUMERAL_ALPHABET, max_size=60).map("".join))
@settings(max_examples=400, deadline=None)
def test_numeral_soup_never_crashes(text):
    for q in find_quantities(text):
        assert q.text == text[q.start:q.end]


def _numbers_by_whole_text_scan(text):
    """The reference ``_run_numbers`` must equal: ``_RUN`` over the whole text, run by run."""
    from pipeline.quantities.numerals import _RUN, Number, _numbers_of_run

    out = []
    for m in _RUN.finditer(text):
        got = _numbers_of_run(m.group(), m.start())
        out.extend([got] if isinstance(got, Number) else got)
    return out


RUN_ALPHABET = st.sampled_from(list("0123456789一二两三十百千万亿零〇点.,，-−~ 约近多余年元A日") + ["１", "٣", "\U0001d7d9"])


@given(st.lists(RUN_ALPHABET, max_size=40).map("".join))
@settings(max_examples=500, deadline=None)
def test_stretch_scan_finds_the_runs_of_a_whole_text_scan(text):
    from pipeline.quantities.numerals import _run_numbers

    assert _run_numbers(text) == _numbers_by_whole_text_scan(text)


def test_stretch_scan_on_mixed_runs():
    from pipeline.quantities.numerals import _run_numbers

    for text in ["2018-2021 年", "营收 1,200 万元，同比增长 3.5%", "一千二百万与 1.4 亿", "约 3 至 5 成",
                 "-5 度到 -2 度", "第 2.3.1 版", "共 30~50 人", "..9 和 .5"]:
        assert _run_numbers(text) == _numbers_by_whole_text_scan(text), text
