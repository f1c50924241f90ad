"""The quantity rules: every example form in ``rules.EXAMPLES`` and the never-a-quantity list."""
import pytest

from pipeline.quantities import find_quantities
from pipeline.quantities.rules import EXAMPLES, NOT_QUANTITIES, find_currency_names

CASES = [(family, expected, form) for family, table in EXAMPLES.items()
         for expected, forms in table.items() for form in forms]


def _approx(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


@pytest.mark.parametrize("family,expected,form", CASES, ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_example_forms(family, expected, form):
    value, low, high, unit, per, qualifier = expected
    found = find_quantities(form)
    assert len(found) == 1, [(q.text, q.value, q.unit) for q in found]
    q = found[0]
    assert _approx(q.value, value) and _approx(q.low, low) and _approx(q.high, high), q
    assert (q.unit, q.per, q.qualifier) == (unit, per, qualifier), q
    assert q.text == form[q.start:q.end]


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_never_a_quantity(text):
    assert [(q.text, q.rule) for q in find_quantities(text)] == []


def test_vague_amounts_are_marked():
    (q,) = find_quantities("与数千家企业合作")
    assert q.vague and q.value is None


def test_sorted_non_overlapping_and_offsets_hold_on_raw_text():
    raw = "月活突破１２００万，收入１.４亿美元，增长５%到１０%，占比一成。"
    found = find_quantities(raw)
    assert [q.value if q.value is not None else (q.low, q.high) for q in found] == \
        [12000000, 140000000, (5, 10), 10]
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start
    assert all(q.text == raw[q.start:q.end] for q in found)


def test_sign_and_direction_defaults():
    (q,) = find_quantities("同比下跌 -3.29%")
    assert q.value == -3.29 and q.direction is None and q.estimated is False


def test_kinds():
    kinds = {q.text: q.kind for q in find_quantities("5 天卖出 3 家门店，收入 10 元，增长 2 倍，占 5%")}
    assert kinds == {"5 天": "duration", "3": "count", "10 元": "money", "2 倍": "multiple", "5%": "percent"}


def test_pathological_input_finishes():
    text = ("1,2" * 5000) + ("一二三四五六七八九十百千万亿" * 500) + ("-~至" * 3000)
    find_quantities(text)  # must not hang (regex timeout guards the scan)


def test_currency_names_without_amounts():
    text = "以港币计价，营收 3 亿美元，另有人民币 20 元"
    assert find_currency_names(text) == [(1, 3, "HKD")]


def test_normalised_flag_gives_the_same_quantities():
    text = "月活突破 1200 万，收入 1.4 亿美元，超过 1/4 的受访者，读数在 1000 以上 3000 以下。"
    assert find_quantities(text, normalised=True) == find_quantities(text)


def test_bare_scales_interleave_with_numbers_in_order():
    # bare scales (上万, 近千, 上百万) before, between and after plain numbers; 二十几万 keeps its digits
    found = find_quantities("上万人参加，3 家公司，近千台设备，5 个城市，车价涨到二十几万元，上百万司机")
    assert [q.text for q in found] == ["上万", "3", "千", "5", "二十几万元", "上百万"]
    assert [q.start for q in found] == [0, 6, 13, 18, 28, 34]
    assert found[2].qualifier == "nearly" and found[2].value == 1000
    assert found[0].vague and found[5].vague and (found[4].low, found[4].high) == (210000, 290000)


def test_a_numeral_inside_an_idiom_is_no_quantity_but_one_beside_it_is():
    assert [q.text for q in find_quantities("他一心一意，做了三件事")] == ["三"]
    assert [q.text for q in find_quantities("三心二意")] == []


def test_a_range_of_comparison_bounds_keeps_its_text():
    (q,) = find_quantities("读数在 1000 以上 3000 以下")
    assert q.text == "1000 以上 3000" and (q.low, q.high) == (1000, 3000)
