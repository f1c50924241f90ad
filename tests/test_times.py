"""The time stage: every surface form in the table must resolve to its value.

Sentences here are the repo's own examples (no article text).
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.mentions import TimeMention
from pipeline.text import split_sentences
from pipeline.text import normalise
from pipeline.times import (RULES, _choose, _is_duration, find_times, infer_reference_year, small_number,
                            time_for_fact, year_number)

REFERENCE_YEAR = 2025

# {expected value: [surface forms]}, each read inside "据公告，{form}，公司营收增长 12%。"
# with reference year 2025 and no other time in the sentence.
CORPUS: dict[str, list[str]] = {
    "2025": ["2025 年", "2025年", "2025 年全年", "2025 年末", "2025 年底", "2025 财年", "FY2025", "FY25",
             "二〇二五年", "今年", "今年全年", "本年度"[:2]],
    "2024": ["去年", "去年全年", "去年底", "2024 年度", "上一年", "2024 年 1-12 月"],
    "2023": ["前年"],
    "2026": ["明年"],
    "2025-03": ["2025 年 3 月", "2025年3月份", "3 月", "三月", "今年 3 月", "3 月初", "3 月底"],
    "2024-11": ["去年 11 月", "2024 年 11 月", "去年十一月"],
    "2026-01-15": ["2026 年 1 月 15 日", "2026-01-15", "2026/1/15", "2026 年 1 月 15 号"],
    "2025-03-10": ["3 月 10 日", "今年 3 月 10 日", "三月十日"],
    "2024-12-17": ["去年 12 月 17 日"],
    "2024-Q4": ["2024 年第四季度", "2024 年四季度", "2024 年 Q4", "2024Q4", "Q4 2024", "去年四季度",
                "去年第四季度", "去年 Q4"],
    "2025-Q3": ["第三季度", "三季度", "今年第三季度", "Q3"],
    "2025-H1": ["上半年", "今年上半年", "2025 年上半年"],
    "2024-H2": ["去年下半年", "2024 年下半年"],
    "2025-01/2025-02": ["今年前两个月", "2025 年 1-2 月", "2025 年 1 至 2 月", "1-2 月", "今年 1-2 月"],
    "2025-Q1/2025-Q3": ["前三季度", "今年前三季度", "2025 年前三季度"],
    "2018/2021": ["2018 年至 2021 年", "2018-2021 年", "2018年-2021年", "2018 - 2021 年"],
}


@pytest.mark.parametrize("expected,form", [(v, f) for v, forms in CORPUS.items() for f in forms])
def test_corpus_form_resolves(expected: str, form: str) -> None:
    sentence = f"据公告，{form}，公司营收增长 12%。"
    mentions = find_times(sentence, REFERENCE_YEAR)
    assert [(m.text, m.value) for m in mentions] == [(form, expected)]


@pytest.mark.parametrize("sentence", [
    "新品上市 5 天后销量翻倍。",
    "公司计划三年内实现盈利。",
    "这家成立 9 年的公司首次盈利。",
    "该应用 30 天留存率为 20%。",
    "用了 120 块 GPU 在大约 3 个月内完成训练。",
    "GPT-4o 与 Llama 3.1 的对比。",
    "精灵 5 号和精灵 1 号的售价下调。",
    "月活 1200 万，月销 4 万辆。",
    "每月花 200 美元。",
    "快狗打车4年烧掉28亿。",
])
def test_not_a_time(sentence: str) -> None:
    assert [m.text for m in find_times(sentence, REFERENCE_YEAR) if m.value is not None] == []


@pytest.mark.parametrize("form,anchor,value", [
    ("截至 2026 年 1 月", "until", "2026-01"),
    ("截至2021年12月31日", "until", "2021-12-31"),
    ("截止到去年底", "until", "2024"),
    ("到 2030 年为止", "until", "2030"),
    ("自 2018 年以来", "since", "2018"),
    ("自2015年至今", "since", "2015"),
    ("从 2023 年起", "since", "2023"),
    ("去年", "relative", "2024"),
    ("2018-2021 年", "range", "2018/2021"),
    ("2024 年", "point", "2024"),
])
def test_anchor(form: str, anchor: str, value: str) -> None:
    mentions = find_times(f"公司表示，{form}，累计用户超过 1 亿。", REFERENCE_YEAR)
    assert [(m.text, m.anchor, m.value) for m in mentions] == [(form, anchor, value)]


def test_relative_forms_need_a_reference_year() -> None:
    mentions = find_times("去年四季度营收增长，今年 3 月继续增长。")
    assert [(m.text, m.value) for m in mentions] == [("去年四季度", None), ("今年 3 月", None)]


def test_rolling_windows_are_times_without_a_period() -> None:
    mentions = find_times("过去一年股价上涨 40%，近三年累计亏损。", REFERENCE_YEAR)
    assert [(m.text, m.value) for m in mentions] == [("过去一年", None), ("近三年", None)]


def test_same_period_follows_the_period_in_talk() -> None:
    text = "2024 年第四季度，毛利率为 20%，高于去年同期；净利率略低于 2022 年同期。"
    values = [m.value for m in find_times(text, REFERENCE_YEAR)]
    assert values == ["2024-Q4", "2023-Q4", "2022-Q4"]


def test_bare_forms_take_the_year_written_before_in_the_paragraph() -> None:
    text = "2023 年营收 10 亿元，其中四季度营收 3 亿元，8 月单月营收 1 亿元。\n四季度的新品卖得好。"
    values = [m.value for m in find_times(text, REFERENCE_YEAR)]
    assert values == ["2023", "2023-Q4", "2023-08", "2025-Q4"]


def test_bare_day_takes_the_month_written_before() -> None:
    text = "3 月 10 日股价大跌 15%。\n11 日盘前股价回升 2%。"
    assert [m.value for m in find_times(text, REFERENCE_YEAR)] == ["2025-03-10", "2025-03-11"]


def test_full_width_digits_keep_original_text() -> None:
    text = "２０２４年第四季度营收增长。"
    [mention] = find_times(text, REFERENCE_YEAR)
    assert (mention.text, mention.value) == ("２０２４年第四季度", "2024-Q4")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["2024 年", "去年", "3 月", "Q4", "，", "营收", "5 天", "12 日", "至", "-",
                                 "2025", "前", "季度", "上半年", "自", "以来", " ", "\n"]), max_size=25))
def test_mentions_are_sorted_disjoint_and_exact(parts: list[str]) -> None:
    text = "".join(parts)
    mentions = find_times(text, REFERENCE_YEAR)
    for m in mentions:
        assert text[m.start:m.end] == m.text and m.start < m.end
    for a, b in zip(mentions, mentions[1:]):
        assert a.end <= b.start


# --------------------------------------------------------------------------- the cue prefilter
def _choose_exhaustively(norm: str) -> list[tuple[int, int, str, dict[str, str]]]:
    """What ``_choose`` must equal: every rule over the whole text, no prefilter."""
    candidates = []
    for order, rule in enumerate(RULES):
        for match in rule.compiled.finditer(norm):
            if match.end() > match.start() and not _is_duration(norm, match, rule):
                groups = {k: v for k, v in match.groupdict().items() if v is not None}
                candidates.append((match.start(), match.end(), order, rule.name, groups))
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    taken = []
    for start, end, _order, name, groups in candidates:
        if all(end <= s or start >= e for s, e, _n, _g in taken):
            taken.append((start, end, name, groups))
    return sorted(taken, key=lambda c: c[0])


def _chosen(norm: str) -> list[tuple[int, int, str, dict[str, str]]]:
    return [(start, end, rule.name, groups) for start, end, rule, groups in _choose(norm)]


_PIECES = sorted({form for forms in CORPUS.values() for form in forms} | {
    "活", "留存", "万", "近日", "近", "最近", "FY", "FY24", "2024-3-5", "2024.3.5", "2024/03/05", "Q4 2024", "q1",
    "\t", " ", "\n", "，", "。", "上一年", "来年", "后年", "以", "之", "每", "二〇二四", "年", "月", "日", "号", "季度",
    "第", "个", "前", "上", "下", "半年", "同期", "今天", "本周", "过去", "三", "十二", "5", "12", "2019", "-", "至",
    "到", "~", "—", ".", "/", "份", "底", "内", "后", "的", "A", "财年", "度", "间", "以来", "截至"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_prefilter_finds_what_every_rule_over_the_whole_text_finds(parts: list[str]) -> None:
    norm = normalise("".join(parts))
    assert _chosen(norm) == _choose_exhaustively(norm)


def test_prefilter_on_the_corpus_sentences() -> None:
    text = normalise("\n".join(f"据公告，{form}，公司营收增长 12%。" for forms in CORPUS.values() for form in forms))
    assert _chosen(text) == _choose_exhaustively(text) and len(_chosen(text)) > 60


def test_time_for_fact_reads_only_its_sentence_and_paragraph() -> None:
    text = "2023 年营收 8 亿元。\n" + "公司表示业务稳定。" * 50 + "\n2024 年营收 10 亿元。利润 2 亿元。\n利润 3 亿元。"
    times = find_times(text, REFERENCE_YEAR)
    sentences = split_sentences(text)
    def time_at(figure: str) -> str | None:
        start = text.index(figure)
        sentence = next(s for s in sentences if s.start <= start < s.end)
        return time_for_fact(times, sentence.start, sentence.end, start, text=text)
    assert [time_at("8 亿"), time_at("10 亿"), time_at("2 亿"), time_at("3 亿")] == ["2023", "2024", "2024", None]


# --------------------------------------------------------------------------- numerals
@pytest.mark.parametrize("text,value", [("12", 12), ("十二", 12), ("二十一", 21), ("十", 10), ("两", 2),
                                        ("三十", 30), ("九", 9), ("百", None)])
def test_small_number(text: str, value: int | None) -> None:
    assert small_number(text) == value


def test_year_number() -> None:
    assert year_number("二〇二五") == 2025 and year_number("2018") == 2018


# --------------------------------------------------------------------------- reference year
@pytest.mark.parametrize("text,year", [
    ("公司 2024 年营收 10 亿元，2023 年为 8 亿元。", 2024),
    ("截至 2024 年底，公司共有门店 500 家。去年营收增长 10%。", 2025),
    ("公司 2024 财年营收 10 亿元，预计 2027 年营收翻倍。", 2025),
    ("2023 年营收 8 亿元。到 2030 年，公司将进入 50 个国家。", 2023),
    ("2025 年，公司将推出三款新车。2023 年营收 8 亿元。", 2023),
    ("2024 年第四季度营收 3 亿元。", 2025),
    ("二〇二一年公司成立，2022 年用户破百万。", 2022),
    ("CEO 说 “很高兴在 2028 年租赁更多算力”。2024 年营收 8 亿元。", 2024),
    ("去年营收增长 10%，今年预计持平。", None),
])
def test_infer_reference_year(text: str, year: int | None) -> None:
    assert infer_reference_year(text) == year


# --------------------------------------------------------------------------- choosing a time for a figure
def _time_of(text: str, figure: str, occurrence: int = 0, use_text: bool = True) -> str | None:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(figure, start + 1)
    sentence = next(s for s in split_sentences(text) if s.start <= start < s.end)
    times = find_times(text, infer_reference_year(text) or REFERENCE_YEAR)
    return time_for_fact(times, sentence.start, sentence.end, start, text=text if use_text else None)


@pytest.mark.parametrize("text,figure,expected", [
    ("2024 年营收 10 亿元，2023 年营收 8 亿元。", "10 亿", "2024"),
    ("2024 年营收 10 亿元，2023 年营收 8 亿元。", "8 亿", "2023"),
    ("营收 10 亿元是 2024 年的数字。", "10 亿", "2024"),
    ("营收 10 亿元，用户增长很快。", "10 亿", None),
    ("自 2018 年以来，公司累计融资 3 轮。", "3 轮", None),
    ("2024 年销量 90 万辆，与 2023 年持平，但在中国下降 10%。", "10%", "2024"),
    ("2024 年四季度，营收 7 亿元，毛利率略低于 2023 年同期。", "7 亿", "2024-Q4"),
    ("2019 年、2020 年、2021 年分别增长 21%，-3%，25%。", "-3%", "2020"),
    ("2019 年、2020 年、2021 年分别增长 21%，-3%，25%。", "25%", "2021"),
    ("2018-2021 年，公司收入分别为 4.5 亿元，5.5 亿元，5.3 亿元，6.6 亿元。", "5.3 亿", "2020"),
    ("2018-2021 年，公司收入分别为 4.5 亿元，5.5 亿元，5.3 亿元，6.6 亿元。", "4.5 亿", "2018"),
    ("2018 年两个市场的抽佣率分别为 5.8% 和 4.5%。", "4.5%", "2018"),
    ("订单由 2018 年的 60 万单涨至 2021 年的 113 万单，交易额由 0.9 亿元涨至 2.5 亿元。", "0.9 亿", "2018"),
    ("订单由 2018 年的 60 万单涨至 2021 年的 113 万单，交易额由 0.9 亿元涨至 2.5 亿元。", "2.5 亿", "2021"),
    ("2018-2020 年，增长率从 21% 增长至 55%。", "55%", "2020"),
    ("2018-2020 年，累计亏损达到 27 亿元。", "27 亿", "2018/2020"),
    ("2024 年第四季度，公司收入 59 亿元。核心数据也有优化，用户增加 16%。", "16%", "2024-Q4"),
    ("2024 年第四季度，公司收入 59 亿元。\n用户增加 16%。", "16%", None),
    ("销量 7 万辆，8 月还将推出新车。", "7 万", None),
    ("2024 年，公司营收 3 亿元，去年亏损 1 亿元。", "1 亿", "2023"),
    ("2024 年，毛利率从去年的 0.5% 改善至 8.4%。", "0.5%", "2023"),
    ("2024 年，毛利率从去年的 0.5% 改善至 8.4%。", "8.4%", "2024"),
])
def test_time_for_fact(text: str, figure: str, expected: str | None) -> None:
    assert _time_of(text, figure) == expected


def test_time_for_fact_without_text_uses_the_plain_rule() -> None:
    text = "2024 年销量 90 万辆，与 2023 年持平，但在中国下降 10%。"
    assert _time_of(text, "10%", use_text=False) == "2023"
    assert _time_of("销量 7 万辆，8 月还将推出新车。", "7 万", use_text=False) == "2025-08"


def test_time_for_fact_ignores_times_outside_the_sentence() -> None:
    times = [TimeMention(0, 5, "2024 年", "2024"), TimeMention(30, 35, "2023 年", "2023")]
    assert time_for_fact(times, 10, 25, 15) is None


def test_a_long_run_without_a_cue_is_scanned_once():
    """Digits are time characters but no cue: a long run of them was rescanned from every
    position (quadratic: 20 s for 40k digits); the run scan starts only where a run starts."""
    from pipeline.times import find_times

    found = find_times("1" * 30_000 + "，2025 年营收增长。", 2026)
    assert [(m.text, m.value) for m in found] == [("2025 年", "2025")]
