"""Metric stage: every canonical name beside the ways of writing it (our own example phrases)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.metrics import DEFAULT_LEXICON, MetricFinder, load_metric_words


@pytest.fixture(scope="module")
def finder() -> MetricFinder:
    return MetricFinder()


# {canonical name: [example phrases that must yield a mention with that name]}
EXAMPLES: dict[str, list[str]] = {
    "revenue": ["公司去年营收 50 亿元", "营业收入达到 3 亿元", "总收入为 12 亿元", "营业额超过 8000 万",
                "销售额 2 亿元", "收入增至 9 亿元", "全年营业总收入 100 亿元"],
    "net_profit": ["净利润 3 亿元", "净利 1.2 亿元", "实现盈利 5000 万元", "利润 8 亿元", "归母净利润 2 亿元"],
    "net_loss": ["净亏损 4 亿元", "亏损 2 亿元", "亏损额 6 亿元", "净亏 1 亿元", "亏损额度为 2 亿元"],
    "cumulative_net_loss": ["累计亏损 30 亿元", "累亏 20 亿元", "三年合计亏损 9 亿元"],
    "adjusted_net_profit": ["调整后净利润 1 亿元", "经调整净利润 3 亿元", "Non-GAAP 净利润 2 亿元"],
    "operating_profit": ["营业利润 10 亿元", "经营利润 7 亿元"],
    "gross_profit": ["毛利 3 亿元", "毛利润 5 亿元"],
    "gross_margin": ["毛利率 30%", "综合毛利率为 25%"],
    "net_margin": ["净利率 10%", "净利润率为 8%"],
    "operating_margin": ["营业利润率 6%", "经营利润率达 12%"],
    "profit_margin": ["利润率 5%"],
    "market_share": ["市场份额 20%", "市占率 15%", "市场占有率为 9%", "份额达到 30%"],
    "shipments": ["出货量 100 万台", "全年出货 50 万台"],
    "deliveries": ["交付量 10 万辆", "共交付 8 万辆新车"],
    "sales": ["销量 5 万辆", "售出 3 万台", "卖出 200 万件"],
    "annual_sales": ["年销 100 万辆", "年销量 80 万辆"],
    "monthly_sales": ["月销 2 万辆", "月销量突破 3 万"],
    "monthly_active_users": ["月活 1 亿", "月活跃用户 5000 万", "MAU 达 2 亿", "月活用户数 3000 万"],
    "daily_active_users": ["日活 2000 万", "DAU 突破 1 亿", "日活跃用户 800 万"],
    "users": ["用户 3 亿", "用户数达 5000 万"],
    "new_contract_value": ["公司新签合同金额 386 亿元", "新签合同额 20 亿元"],
    "retail_sales": ["社会消费品零售总额 3.3 万亿元", "消费品零售额 1 万亿元"],
    "gdp": ["地区生产总值 1.6 万亿元", "全年 GDP 为 126 万亿元"],
    "industrial_value_added": ["规模以上工业增加值 2 万亿元"],
    "settlement_price": ["原糖期货结算价 17 美分/磅"],
    "factory_price": ["白条肉出厂价格 17.5 元/公斤"],
    "pmi": ["制造业 PMI 为 49.5%", "采购经理指数为 50.2%"],
    "cpi": ["7 月 CPI 为 2.5%"],
    "paying_users": ["付费用户 200 万"],
    "subscribers": ["订阅用户 100 万", "频道订阅者超过 2000 万"],
    "arpu": ["ARPU 为 50 元", "每用户平均收入 30 元"],
    "gmv": ["GMV 达 100 亿元", "成交额 50 亿元", "交易额 20 亿元", "商品交易总额 300 亿元"],
    "gtv": ["GTV 10 亿美元"],
    "valuation": ["估值 100 亿美元", "投后估值 20 亿美元"],
    "market_cap": ["市值 3000 亿港元", "总市值 500 亿元"],
    "funding": ["融资 1 亿美元", "融资额 5000 万元", "募资 20 亿元", "完成 B 轮融资"],
    "share_price": ["股价 100 港元"],
    "stock_price_change": ["股价大跌 10%", "股价上涨 5%", "股票收跌 3%", "股价又跌了 8%"],
    "market_cap_change": ["市值蒸发 30%", "市值缩水三成"],
    "downloads": ["下载量 100 万次", "应用下载 50 万次"],
    "retention_rate": ["留存率 40%", "30 天留存率 5%", "7 日留存 20%", "次日留存 50%"],
    "views": ["播放量 1 亿次", "观看量 3000 万", "浏览量 500 万"],
    "employees": ["员工 2 万人", "员工数 5000 人", "全职雇员 300 名"],
    "headcount": ["团队人数 150 人", "总人数约 200 人"],
    "layoffs": ["裁员 3000 人"],
    "yoy_growth": ["同比增长 20%", "同比增加 5%", "同比增 18%"],
    "yoy_decline": ["同比下降 8%", "同比下滑 3%", "同比减少 10%"],
    "qoq_growth": ["环比增长 12%", "环比提升 3%"],
    "growth": ["增速 15%", "增长率为 9%", "涨幅 7%", "上涨 17%"],
    "cagr": ["复合增长率 11%", "年复合增长率 20%", "CAGR 为 30%"],
    "store_count": ["门店 5000 家", "门店数量达 2 万家", "门店数 300 家"],
    "cash": ["现金 10 亿元", "现金及现金等价物 30 亿元"],
    "rd_expense": ["研发投入 50 亿元", "研发费用 8 亿元"],
    "sales_marketing_expense": ["销售及营销费用 5 亿元", "营销费用 3 亿元"],
    "capex": ["资本开支 100 亿美元", "资本支出 20 亿元"],
    "orders": ["订单 50 万单", "订单量 1 亿单"],
    "price": ["价格 30 元", "售价 20 万元", "定价 9.9 元"],
    "average_price": ["均价 15 万元", "平均售价 10 万元"],
    "starting_price": ["起售价 12 万元", "起价 999 元"],
    "presale_price": ["预售价 15 万元"],
    "cost": ["成本 5 亿元"],
    "inference_cost": ["推理成本 30 美元"],
    "penetration_rate": ["渗透率 40%"],
    "conversion_rate": ["转化率 3%"],
    "take_rate": ["抽佣率 12%", "货币化率 4%"],
    "market_size": ["市场规模 1 万亿元", "行业规模 500 亿元"],
    "dividend": ["股息 5 亿元", "分红 10 亿港元"],
    "eps": ["每股收益 2 元", "EPS 1.5 美元"],
    "investment": ["投资 500 亿美元", "投入 3000 亿元"],
    "arr": ["ARR 1 亿美元", "年度经常性收入 5000 万美元", "年化收入 2 亿美元"],
    "stake": ["持股比例 30%", "持有 20% 股份"],
    "share": ["占比 40%", "比重 15%"],
    "net_cash_flow": ["净现金流 50 亿元"],
    "impairment_loss": ["减值损失 20 亿欧元"],
    "current_liabilities": ["流动负债 3 亿元"],
}

EXAMPLE_CASES = [(name, phrase) for name, phrases in EXAMPLES.items() for phrase in phrases]


@pytest.mark.parametrize(("name", "phrase"), EXAMPLE_CASES, ids=[f"{n}:{p}" for n, p in EXAMPLE_CASES])
def test_every_surface_form_gives_its_name(finder, name, phrase):
    names = [m.name for m in finder.find(phrase)]
    assert name in names, names


# (phrase, the mention's text, its name): modifiers stay inside the span and shape the name.
MODIFIER_CASES = [
    ("该应用 30 天留存率仅 5%", "30 天留存率", "retention_rate"),
    ("30 天用户留存率只有 12%", "30 天用户留存率", "retention_rate"),
    ("7 日留存为 20%", "7 日留存", "retention_rate"),
    ("上线三天播放量破亿", "三天播放量", "views"),
    ("营收同比增长 20%", "营收同比增长", "revenue_yoy_growth"),
    ("净利润环比下降 5%", "净利润环比下降", "net_profit_qoq_decline"),
    ("亏损额度同比扩大 10%", "亏损额度同比扩大", "net_loss_yoy_growth"),
    ("GMV 同比增速为 15%", "GMV 同比增速", "gmv_yoy_growth"),
    ("利润同比接近翻番", "利润同比接近翻番", "net_profit_yoy_doubling"),
    ("交付量仍将大幅提升", "交付量仍将大幅提升", "deliveries_growth"),
    ("全年营收 80 亿元", "全年营收", "revenue"),
    ("第三季度营收 12 亿元", "第三季度营收", "revenue"),
    ("四季度营收 7 亿元", "四季度营收", "revenue"),
    ("单季度净利润 2 亿元", "单季度净利润", "net_profit"),
    ("首日票房 3 亿元", "首日票房", "first_day_box_office"),
    ("首周下载 50 万次", "首周下载", "first_week_downloads"),
    ("人均收入 1 万元", "人均收入", "per_capita_revenue"),
    ("单店营收 200 万元", "单店营收", "per_store_revenue"),
    ("日均市值达到 50 亿美元", "日均市值", "daily_average_market_cap"),
    ("累计交付 50 万辆", "累计交付", "cumulative_deliveries"),
    ("毛利率目标 20%", "毛利率目标", "gross_margin_target"),
    ("销量占比 40%", "销量占比", "sales_share"),
    ("流动负债净额 2 亿元", "流动负债净额", "net_current_liabilities"),
    ("C 轮融资 1 亿美元", "C 轮融资", "funding"),
    ("经调整 EBITDA 为 3 亿元", "经调整 EBITDA", "adjusted_ebitda"),
    ("亏损收窄 20%", "亏损收窄", "net_loss_decline"),
    ("总市值较年初已上涨 40%", "总市值较年初已上涨", "market_cap_change"),
    ("新开门店 300 家", "新开门店", "new_store_count"),
    ("总营收 3000 亿欧元", "总营收", "revenue"),
]


@pytest.mark.parametrize(("phrase", "text", "name"), MODIFIER_CASES, ids=[c[0] for c in MODIFIER_CASES])
def test_modifiers_stay_inside_the_mention(finder, phrase, text, name):
    found = {m.text: m.name for m in finder.find(phrase)}
    assert found.get(text, "missing") == name, found


SHARE_CASES = [
    ("海外收入占总收入的 30%", "占总收入", "share_of_revenue"),
    ("新车型销量占全年总销量的 40%", "占全年总销量", "share_of_sales"),
    ("30 岁以上的占 15%", "占", "share"),
    ("一线城市门店占全国总数的 25%", "占全国总数", "share"),
]


@pytest.mark.parametrize(("phrase", "text", "name"), SHARE_CASES, ids=[c[0] for c in SHARE_CASES])
def test_shares_written_with_zhan(finder, phrase, text, name):
    found = {m.text: m.name for m in finder.find(phrase)}
    assert found.get(text, "missing") == name, found


LONGEST_MATCH_CASES = [
    ("营业收入 10 亿元", "营业收入"),
    ("月活跃用户 5000 万", "月活跃用户"),
    ("月活跃用户数 5000 万", "月活跃用户数"),
    ("市场份额 20%", "市场份额"),
    ("毛利率 30%", "毛利率"),
    ("净利润率 9%", "净利润率"),
    ("营业利润率 6%", "营业利润率"),
    ("汽车销售收入 2000 亿欧元", "汽车销售收入"),
    ("商品交易总额 100 亿元", "商品交易总额"),
    ("现金及现金等价物 30 亿元", "现金及现金等价物"),
    ("复合增长率 11%", "复合增长率"),
]


@pytest.mark.parametrize(("phrase", "text"), LONGEST_MATCH_CASES, ids=[c[0] for c in LONGEST_MATCH_CASES])
def test_longest_word_wins(finder, phrase, text):
    assert [m.text for m in finder.find(phrase)] == [text]


NO_METRIC = [
    "增长势头强劲",          # a change verb with no figure after it is prose
    "门店不断下降，由此可见",
    "登顶应用商店榜首",      # 店 inside a longer non-metric word
    "投资人看好这家公司",
    "MAUI 岛的风景",         # ASCII words do not match inside longer ASCII words
    "这家公司成立于 2015 年",
]


@pytest.mark.parametrize("phrase", NO_METRIC)
def test_not_a_metric(finder, phrase):
    texts = [m.text for m in finder.find(phrase)]
    assert not any(t in ("增长", "下降", "店", "投资", "MAU") for t in texts), texts


def test_a_change_to_a_new_level_is_not_a_change(finder):
    # 提升至 25% gives the new level: the figure belongs to 毛利率.
    assert [(m.text, m.name) for m in finder.find("毛利率从 20% 提升至 25%")] == [("毛利率", "gross_margin")]


def test_a_date_is_not_a_time_window(finder):
    assert [m.text for m in finder.find("3 月 7 日营收 1 亿元")] == ["营收"]


def test_offsets_point_into_the_original_text(finder):
    text = "据财报，ＧＭＶ同比增长 20%，月活跃用户数达 1 亿，净亏损 2 亿元。"
    mentions = finder.find(text)
    assert [m.text for m in mentions] == ["ＧＭＶ同比增长", "月活跃用户数", "净亏损"]
    assert [m.name for m in mentions] == ["gmv_yoy_growth", "monthly_active_users", "net_loss"]
    for m in mentions:
        assert text[m.start:m.end] == m.text


def test_list_of_metrics_in_one_sentence(finder):
    text = "2023 年营收为 6 亿元，同比增加 9%；净亏损为 2 亿元，亏损额度同比扩大 15%。"
    assert [m.name for m in finder.find(text)] == ["revenue", "yoy_growth", "net_loss", "net_loss_yoy_growth"]


@pytest.mark.parametrize(("text", "direction"), [
    ("同比增长", "up"), ("同比下降", "down"), ("股价大跌", "down"), ("亏损收窄", "down"),
    ("市值蒸发", "down"), ("涨幅", "up"), ("营收", None), ("涨跌幅", None),
])
def test_direction_of(finder, text, direction):
    assert finder.direction_of(text) == direction


@pytest.mark.parametrize(("text", "kind"), [
    ("营收", "money"), ("毛利率", "ratio"), ("月活", "count"), ("售价", "price"),
    ("同比增长", "change"), ("增速", "change_rate"), ("营收同比增长", "change"), ("销量占比", "ratio"),
    ("工时", "duration"),
])
def test_kind_tells_which_values_fit(finder, text, kind):
    assert finder.info(text).kind == kind


def test_kind_of_a_canonical_name(finder):
    assert (finder.kind_of("revenue"), finder.kind_of("gross_margin"), finder.kind_of("no_such")) == (
        "money", "ratio", None)


def test_info_splits_a_composite(finder):
    info = finder.info("营收同比下降")
    assert (info.name, info.base, info.period, info.direction) == ("revenue_yoy_decline", "revenue", "yoy", "down")


@pytest.mark.parametrize(("base", "change", "name"), [
    ("营收", "同比增加", "revenue_yoy_growth"),
    ("净利润", "同比下降", "net_profit_yoy_decline"),
    ("股价", "下跌", "stock_price_change"),
    ("市值", "上涨", "market_cap_change"),
    ("毛利率", "营收", "revenue"),           # not a change: the second metric stands
])
def test_compose_a_metric_with_a_change_written_apart(finder, base, change, name):
    assert finder.compose(base, change) == name


def test_user_dictionary(finder):
    words = finder.user_dictionary()
    assert {"营业收入", "月活跃用户", "毛利率", "同比", "留存率"} <= set(words)
    assert all(" " not in w and len(w) > 1 for w in words)
    assert "应用商店" not in words


def test_lexicon_is_large_and_well_formed():
    words = load_metric_words(DEFAULT_LEXICON)
    names = {w.name for w in words.values() if w.name}
    assert len(words) >= 300 and len(names) >= 150
    snake = re.compile(r"^[a-z][a-z0-9_]*$")
    assert all(snake.match(n) for n in names)
    kinds = {"money", "count", "amount", "ratio", "price", "duration", "measure", "change", "change_rate",
             "not_metric"}
    assert {w.kind for w in words.values()} <= kinds
    assert all(w.direction in ("up", "down", None) for w in words.values())


def test_a_lexicon_of_ones_own(tmp_path):
    lexicon = tmp_path / "metrics.tsv"
    lexicon.write_text("# a tiny lexicon\n续航\trange\tmeasure\n增长\tgrowth\tchange\tup\n", encoding="utf-8")
    finder = MetricFinder(lexicon)
    assert [(m.text, m.name) for m in finder.find("续航同比增长 10%，营收 1 亿元")] == [
        ("续航同比增长", "range_yoy_growth")]


METRICISH = "营收收入净利润亏损同比环比增长下降占总销量月活跃用户数率天 30日店应用商GMVA，。的 "


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=METRICISH, max_size=60))
def test_mentions_are_sorted_disjoint_and_exact(text):
    mentions = _shared_finder().find(text)
    for m in mentions:
        assert text[m.start:m.end] == m.text and m.start < m.end
    for left, right in zip(mentions, mentions[1:]):
        assert left.end <= right.start


_FINDER: list[MetricFinder] = []


def _shared_finder() -> MetricFinder:
    # hypothesis does not mix with function-scoped fixtures; build once here instead.
    if not _FINDER:
        _FINDER.append(MetricFinder())
    return _FINDER[0]
