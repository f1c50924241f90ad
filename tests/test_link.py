"""The link stage on hand-built mentions: subject, metric, time, lists, pronouns."""
from __future__ import annotations

import pytest

from pipeline.link import link_facts
from pipeline.mentions import EntityMention, MetricMention, Quantity, TimeMention
from pipeline.text import split_sentences


def _find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def entity(text, name, label="ORG", nth=0):
    s, e = _find(text, name, nth)
    return EntityMention(s, e, name, label)


def metric(text, words, name, nth=0):
    s, e = _find(text, words, nth)
    return MetricMention(s, e, words, name)


def quantity(text, written, value=None, unit=None, nth=0, **kw):
    s, e = _find(text, written, nth)
    return Quantity(s, e, written, value=value, unit=unit, **kw)


def when(text, written, value, nth=0):
    s, e = _find(text, written, nth)
    return TimeMention(s, e, written, value)


def link(text, quantities, entities=(), metrics=(), times=()):
    return link_facts(text, split_sentences(text), sorted(quantities, key=lambda q: q.start),
                      sorted(entities, key=lambda e: e.start), sorted(metrics, key=lambda m: m.start),
                      sorted(times, key=lambda t: t.start))


def test_subject_metric_time_in_one_clause():
    text = "2025 年，星河科技的营收为 6.6 亿元，同比增长 24.5%。"
    facts = link(text, [quantity(text, "6.6 亿", 6.6e8, "CNY"), quantity(text, "24.5%", 24.5, "%")],
                 [entity(text, "星河科技")], [metric(text, "营收", "revenue"), metric(text, "同比增长", "yoy_growth")],
                 [when(text, "2025 年", "2025")])
    assert [(f.subject.text, f.metric.name, f.value.value, f.time) for f in facts] == [
        ("星河科技", "revenue", 6.6e8, "2025"), ("星河科技", "yoy_growth", 24.5, "2025")]
    assert facts[0].subject.span == _find(text, "星河科技")
    assert facts[1].value.direction == "up"
    assert facts[0].evidence.span == (0, len(text))


def test_pronoun_resolves_to_topic_of_earlier_sentence():
    text = "星河科技发布了新产品。截至 2026 年 1 月，其月活跃用户已突破 1200 万。"
    facts = link(text, [quantity(text, "1200 万", 1.2e7, qualifier="over")], [entity(text, "星河科技")],
                 [metric(text, "月活跃用户", "monthly_active_users")], [when(text, "2026 年 1 月", "2026-01")])
    (fact,) = facts
    assert fact.subject.text == "星河科技" and fact.subject.span is None
    assert (fact.metric.text, fact.time, fact.value.qualifier) == ("月活跃用户", "2026-01", "over")


def test_comparison_keeps_the_measured_subject_not_the_one_compared_against():
    text = "在收入表现上，星河 ARPU 达到竞品云帆的 6.4 倍。"
    (fact,) = link(text, [quantity(text, "6.4 倍", 6.4, "x")],
                   [entity(text, "星河", "PRODUCT"), entity(text, "云帆", "PRODUCT")], [metric(text, "ARPU", "arpu")])
    assert (fact.subject.text, fact.metric.text, fact.value.unit) == ("星河", "ARPU", "x")


def test_respectively_pairs_metrics_in_order():
    text = "星河的 ARPU、平均订单量均有上涨，涨幅分别为 3.7% 和 3%。"
    facts = link(text, [quantity(text, "3.7%", 3.7, "%"), quantity(text, "3%", 3, "%", nth=0)],
                 [entity(text, "星河")], [metric(text, "ARPU", "arpu"), metric(text, "平均订单量", "orders"),
                                         metric(text, "涨幅", "growth")])
    assert [f.metric.text for f in facts] == ["ARPU", "平均订单量"]


def test_respectively_spreads_a_span_of_years_over_the_values():
    text = "2018-2021 年，星河收入分别为 4.5 亿元，5.4 亿元，5.3 亿元，6.6 亿元。"
    qs = [quantity(text, w, 1.0, "CNY") for w in ("4.5 亿", "5.4 亿", "5.3 亿", "6.6 亿")]
    facts = link(text, qs, [entity(text, "星河")], [metric(text, "收入", "revenue")],
                 [when(text, "2018-2021 年", "2018/2021")])
    assert [f.time for f in facts] == ["2018", "2019", "2020", "2021"]
    assert {f.metric.name for f in facts} == {"revenue"}


def test_names_joined_by_dun_share_one_figure():
    text = "其中 C10、C16 月销平均过万。"
    facts = link(text, [quantity(text, "万", 1e4, qualifier="over")],
                 [entity(text, "C10", "PRODUCT"), entity(text, "C16", "PRODUCT")], [metric(text, "月销", "monthly_sales")])
    assert [f.subject.text for f in facts] == ["C10", "C16"]
    assert facts[0].value.span == facts[1].value.span


@pytest.mark.parametrize("text, written, kind, expected", [
    ("星河仅用 5 天便登顶榜首。", "5 天", "duration", False),
    ("星河给予对方 75 天的宽限期。", "75 天", "duration", True),
    ("一家公司的技术人员反复调试。", "一家", "count", False),
])
def test_which_quantities_are_facts(text, written, kind, expected):
    q = quantity(text, written, 5.0 if kind == "duration" else 1.0, "day" if kind == "duration" else None, kind=kind)
    facts = link(text, [q], [entity(text, "星河")] if "星河" in text else [])
    assert bool(facts) is expected


def test_digits_inside_a_name_are_not_a_fact():
    text = "Grok 3 的表现很好，用了超过 10 万张 GPU。"
    facts = link(text, [quantity(text, "3", 3.0), quantity(text, "10 万", 1e5, qualifier="over")],
                 [entity(text, "Grok 3", "PRODUCT")])
    assert [f.value.text for f in facts] == ["10 万"]


def test_no_subject_anywhere_gives_none():
    text = "行业数据显示，推理成本仍在 30-50 美元 / 分钟。"
    (fact,) = link(text, [quantity(text, "30-50 美元 / 分钟", None, "USD", low=30, high=50, per="minute")],
                   [], [metric(text, "推理成本", "inference_cost")])
    assert fact.subject is None and fact.metric.name == "inference_cost"


def test_estimated_from_forecast_words():
    text = "星河 2025 年全年收入预计达到 1.4 亿美元。"
    (fact,) = link(text, [quantity(text, "1.4 亿美元", 1.4e8, "USD")], [entity(text, "星河")],
                   [metric(text, "收入", "revenue")], [when(text, "2025 年全年", "2025")])
    assert fact.value.estimated is True and fact.time == "2025"


def test_a_source_is_not_the_subject():
    text = "据星河研究显示，云帆的营收为 3 亿元。"
    (fact,) = link(text, [quantity(text, "3 亿", 3e8, "CNY")],
                   [entity(text, "星河研究"), entity(text, "云帆")], [metric(text, "营收", "revenue")])
    assert fact.subject.text == "云帆"


def test_the_name_after_x_de_is_the_head():
    text = "星河投资的算力公司云帆预期集资 40 亿美元。"
    (fact,) = link(text, [quantity(text, "40 亿美元", 4e9, "USD")],
                   [entity(text, "星河"), entity(text, "云帆")], [metric(text, "集资", "funding")])
    assert fact.subject.text == "云帆"


def test_a_name_starting_inside_a_figure_is_ignored():
    text = "星河去年亏损 199 亿欧元。"
    (fact,) = link(text, [quantity(text, "199 亿欧元", 1.99e10, "EUR")],
                   [entity(text, "星河"), entity(text, "亿欧")], [metric(text, "亏损", "net_loss")])
    assert (fact.subject.text, fact.value.unit) == ("星河", "EUR")


def test_level_after_a_change_belongs_to_the_base_metric():
    text = "星河总营收同比增长 0.7%、至 3246 亿欧元。"
    kinds = {"总营收": "money", "同比增长": "change"}
    facts = link_facts(text, split_sentences(text),
                       [quantity(text, "0.7%", 0.7, "%"), quantity(text, "3246 亿欧元", 3.246e11, "EUR")],
                       [entity(text, "星河")], [metric(text, "总营收", "revenue"), metric(text, "同比增长", "yoy_growth")],
                       [], lambda m: kinds[m.text])
    assert [f.metric.name for f in facts] == ["yoy_growth", "revenue"]


def test_a_bare_figure_of_a_money_metric_is_in_yuan():
    text = "星河四年累计亏损 27 亿。"
    facts = link_facts(text, split_sentences(text), [quantity(text, "27 亿", 2.7e9, None, kind="number")],
                       [entity(text, "星河")], [metric(text, "累计亏损", "cumulative_net_loss")], [],
                       lambda m: "money")
    assert facts[0].value.unit == "CNY"


def test_people_are_not_topics():
    text = "星河汽车发布财报。董事长张三对明年有信心。现在月销 4 万辆。"
    (fact,) = link(text, [quantity(text, "4 万", 4e4)],
                   [entity(text, "星河汽车"), entity(text, "张三", "PERSON")], [metric(text, "月销", "monthly_sales")])
    assert fact.subject.text == "星河汽车"


@pytest.mark.parametrize("text, written, kind, what", [
    ("本月有 23 家获得超过 5000 万美元融资的 AI 公司。", "23", "AI 公司", "获得超过 5000 万美元融资"),
    ("投融资：3 家 AI 公司卖了超 1 亿美元。", "3", "AI 公司", "卖了超"),
])
def test_a_count_of_companies_is_about_that_kind_of_company(text, written, kind, what):
    facts = link(text, [quantity(text, written, float(written))], [entity(text, "星河")] if "星河" in text else [])
    assert (facts[0].subject.text, facts[0].subject.type, facts[0].metric.text) == (kind, "MARKET", what)


def test_a_metric_modified_by_the_figure_wins():
    text = "星河的付费会员贡献了将近 70% 的营业收入。"
    (fact,) = link(text, [quantity(text, "70%", 70, "%", qualifier="nearly")], [entity(text, "星河")],
                   [metric(text, "会员", "members"), metric(text, "营业收入", "revenue")])
    assert fact.metric.text == "营业收入"


def test_a_name_that_is_a_metric_word_is_not_a_subject():
    text = "云帆的估值是其 ARR 的 25 倍。"
    (fact,) = link(text, [quantity(text, "25 倍", 25, "x")],
                   [entity(text, "云帆"), entity(text, "ARR")], [metric(text, "ARR", "arr")])
    assert fact.subject.text == "云帆"


def test_a_pronoun_in_an_earlier_clause_points_to_the_topic():
    text = "星河选择了务实路线。这家云帆旗下的平台已形成商业模式，会员贡献了 70% 的收入。"
    (fact,) = link(text, [quantity(text, "70%", 70, "%")],
                   [entity(text, "星河"), entity(text, "云帆")], [metric(text, "收入", "revenue")])
    assert (fact.subject.text, fact.subject.span) == ("星河", None)


def test_values_after_a_named_value_in_one_clause_share_its_name():
    text = "这一数据与星河 50% 的首日留存率和 32% 的 30 天留存率形成对比。"
    facts = link(text, [quantity(text, "50%", 50, "%"), quantity(text, "32%", 32, "%")],
                 [entity(text, "星河")], [metric(text, "首日留存率", "retention_rate"),
                                          metric(text, "30 天留存率", "retention_rate")])
    assert [f.subject.text for f in facts] == ["星河", "星河"]


@pytest.mark.parametrize("text, written, kw, expected", [
    ("星河给予对方 75 天（也就是 4 月 5 日之前）的宽限期。", "75 天", dict(kind="duration", unit="day"), True),
    ("星河员工每周工作 48 小时。", "48 小时", dict(kind="duration", unit="hour", per="week"), True),
    ("星河曾因连续 30 个交易日股价低于 1 美元被警告。", "30", dict(kind="count"), False),
    ("星河单杯 10 元以下的消费占比上升。", "10 元", dict(kind="money", unit="CNY"), False),
    ("星河去年四季度 13% 以上的毛利率不算低。", "13%", dict(kind="percent", unit="%"), True),
    ("星河是一家百亿美元公司。", "百亿美元", dict(kind="money", unit="USD"), False),
])
def test_windows_brackets_and_kinds_are_not_facts(text, written, kw, expected):
    facts = link(text, [quantity(text, written, 1.0, **kw)], [entity(text, "星河")])
    assert bool(facts) is expected


def test_a_figure_without_metric_words_continues_the_one_before_it():
    text = "星河规定员工每天工作 8 小时，每周 48 小时。"
    facts = link(text, [quantity(text, "8 小时", 8, "hour", kind="duration", per="day"),
                        quantity(text, "48 小时", 48, "hour", kind="duration", per="week")], [entity(text, "星河")])
    assert [f.metric.text for f in facts] == ["规定员工每天工作", "规定员工每天工作"]


def test_a_bare_figure_with_a_classifier_is_a_count_not_money():
    text = "星河共获 3 轮融资，估值 16.49 万起售。"
    kinds = {"融资": "money", "起售": "price"}
    facts = link_facts(text, split_sentences(text),
                       [quantity(text, "3", 3, kind="count"), quantity(text, "16.49 万", 164900, kind="count")],
                       [entity(text, "星河")], [metric(text, "融资", "funding"), metric(text, "起售", "starting_price")],
                       [], lambda m: kinds[m.text])
    assert [f.value.unit for f in facts] == [None, "CNY"]


def test_a_metric_word_attached_to_the_figure_wins_over_an_earlier_one():
    text = "星河用户可依据车型价格享受 2000 元至 1 万元补贴。"
    (fact,) = link(text, [quantity(text, "2000 元至 1 万元", None, "CNY", low=2000, high=10000)],
                   [entity(text, "星河")], [metric(text, "价格", "price"), metric(text, "补贴", "subsidy")])
    assert fact.metric.text == "补贴"


def test_a_pronoun_points_back_to_the_name_opening_the_sentence():
    text = "星河电建 6 月 21 日晚间公告，公司新签合同金额 3862 亿元。"
    (fact,) = link(text, [quantity(text, "3862 亿元", 3.862e11, "CNY")], [entity(text, "星河电建")])
    assert (fact.subject.text, fact.subject.span) == ("星河电建", None)


def test_a_measure_noun_before_the_figure_is_its_own_metric():
    text = "星河境内合同金额 3288 亿元，同比增长 36%；境外合同金额 574 亿元。"
    facts = link(text, [quantity(text, "3288 亿元", 3.288e11, "CNY"), quantity(text, "36%", 36, "%"),
                        quantity(text, "574 亿元", 5.74e10, "CNY")],
                 [entity(text, "星河")], [metric(text, "同比增长", "yoy_growth")])
    assert [f.metric.text for f in facts] == ["境内合同金额", "同比增长", "境外合同金额"]


def _place(text, name, nth=0):
    s, e = _find(text, name, nth)
    return EntityMention(s, e, name, "OTHER", source="region")


def test_places_opening_a_clause_are_subjects_when_no_name_is():
    text = "星河买菜发布财报，江苏、浙江两省 GMV 同比增速均超过 20%，上海 GMV 同比增速为 16.8%。"
    facts = link(text, [quantity(text, "20%", 20, "%", qualifier="over"), quantity(text, "16.8%", 16.8, "%")],
                 [entity(text, "星河买菜"), _place(text, "江苏"), _place(text, "浙江"), _place(text, "上海")],
                 [metric(text, "GMV 同比增速", "gmv_yoy_growth"), metric(text, "GMV 同比增速", "gmv_yoy_growth", nth=1)])
    assert [(f.subject.text, f.subject.type) for f in facts] == [("江苏", "OTHER"), ("浙江", "OTHER"), ("上海", "OTHER")]


def test_a_place_inside_a_clause_or_as_topic_is_not_the_subject():
    text = "星河的业务覆盖亚洲超过 340 个城市。在美国，它的营收为 3 亿元。"
    facts = link(text, [quantity(text, "340", 340), quantity(text, "3 亿", 3e8, "CNY")],
                 [entity(text, "星河"), _place(text, "亚洲"), _place(text, "美国")], [metric(text, "营收", "revenue")])
    assert [f.subject.text for f in facts] == ["星河", "星河"]


def test_the_one_compared_against_after_wei_is_not_the_subject():
    text = "星河的下载量仅为云帆的 15.4%，其次为沧澜科技增长了近 5 亿元。"
    facts = link(text, [quantity(text, "15.4%", 15.4, "%"), quantity(text, "5 亿元", 5e8, "CNY", qualifier="nearly")],
                 [entity(text, "星河"), entity(text, "云帆"), entity(text, "沧澜科技")], [metric(text, "下载量", "downloads")])
    assert [f.subject.text for f in facts] == ["星河", "沧澜科技"]


def test_facts_sharing_a_name_and_a_metric_word_are_still_validated_facts():
    from schemas import Fact

    text = "星河科技贡献了 70% 的营业收入、5 亿元的营业收入和 20 % 的利润。"
    facts = link(text, [quantity(text, "70%", 70, "%"), quantity(text, "5 亿元", 500000000, "CNY"),
                        quantity(text, "20 %", 20, "%")], [entity(text, "星河科技")],
                 [metric(text, "营业收入", "revenue"), metric(text, "营业收入", "revenue", nth=1),
                  metric(text, "利润", "profit")])
    assert [(f.subject.text, f.metric.name, f.value.value) for f in facts] == [
        ("星河科技", "revenue", 70.0), ("星河科技", "revenue", 5e8), ("星河科技", "profit", 20.0)]
    assert all(type(f.value.value) is float for f in facts)         # ints given, validated to floats
    assert [Fact.model_validate(f.model_dump()) for f in facts] == facts
