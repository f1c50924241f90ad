"""``parse_number``: every way a number is written, one table per value."""
import pytest

from pipeline.quantities.numerals import find_numbers, parse_number

TABLE = {
    12_000_000: ["一千二百万", "1200万", "1,200万", "1200 万", "１２００万", "壹仟贰佰万"],
    140_000_000: ["1.4亿", "1.4 亿", "一点四亿", "一亿四千万", "1亿4000万"],
    23_000: ["两万三", "二万三千", "2.3万", "23,000", "23 000"],
    132_000: ["十三万二", "十三万两千"],
    0.5: ["零点五", "0.5", ".5"],
    1005: ["一千零五", "1千零5"],
    450: ["四百五", "四百五十"],
    1300: ["千三", "一千三", "一千三百"],
    2025: ["二〇二五", "二零二五", "2025"],
    400_000_000: ["四万万", "四亿", "4亿"],
    1.5e12: ["一万五千亿", "1.5万亿"],
    -32: ["负三十二", "-32"],
    10: ["十", "拾", "零十"],
    10012: ["一万零十二", "一万零一十二"],
    30_000_000: ["3000多万"],
    1/3: ["三分之一"],
    4565: ["4，565", "４，５６５", "4,565"],
    50: ["半百"],
}
CASES = [(value, form) for value, forms in TABLE.items() for form in forms]


@pytest.mark.parametrize("value,form", CASES, ids=[f for _, f in CASES])
def test_parse_number(value, form):
    assert parse_number(form) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("bad", ["万", "万万", "abc", "", "12 34"])
def test_not_a_single_numeral(bad):
    with pytest.raises(ValueError):
        parse_number(bad)


def test_find_numbers_splits_runs():
    text = "两百点两, 1, 234"
    assert [(text[n.start:n.end], n.value) for n in find_numbers(text)] == \
        [("两百", 200), ("两", 2), ("1", 1), ("234", 234)]


def test_dotted_groups_are_whole_numbers():
    text = "地址 10.24.3.1 和 ..7 和 --8"
    assert [(text[n.start:n.end], n.value) for n in find_numbers(text)] == \
        [("10", 10), ("24", 24), ("3", 3), ("1", 1), ("7", 7), ("8", 8)]


def test_pairs_read_as_low_and_high():
    (n,) = find_numbers("七八十")
    assert (n.value, n.high) == (70, 80)
    (n,) = find_numbers("三五百万")
    assert (n.value, n.high) == (3e6, 5e6)


def test_comma_after_currency_symbol_separates_items():
    text = "$15，250美元"
    assert [(text[n.start:n.end], n.value) for n in find_numbers(text)] == [("15", 15), ("250", 250)]


def test_an_exponent_with_no_value_is_left_alone():
    from pipeline.quantities.numerals import find_numbers

    # 0^-1 has no value (and 10^999 none a float holds): the base stays a plain number.
    assert [(n.start, n.end, n.value) for n in find_numbers("误差为 0^-1")] == [(4, 5, 0.0), (6, 8, -1.0)]
    assert [(n.start, n.end, n.value) for n in find_numbers("2^-2")] == [(0, 4, 0.25)]
    from pipeline.quantities import find_quantities

    assert [q.text for q in find_quantities("误差为 0^-1 米")] == ["-1 米"]  # no crash; a bare 0 is no quantity


def test_positional_chinese_digits_stop_at_twenty():
    from pipeline.quantities.numerals import MAX_POSITIONAL_DIGITS, find_numbers

    assert [n.value for n in find_numbers("二〇二五")] == [2025.0]
    numbers = find_numbers("一" * (MAX_POSITIONAL_DIGITS + 5))
    assert numbers[0].end - numbers[0].start == MAX_POSITIONAL_DIGITS
    assert numbers[0].value == float("1" * MAX_POSITIONAL_DIGITS)


def test_values_past_the_float_range_are_dropped():
    from pipeline.quantities.numerals import find_numbers

    assert find_numbers("1" * 400) == []
    assert [n.value for n in find_numbers("1" * 400 + " 和 12")] == [12.0]
