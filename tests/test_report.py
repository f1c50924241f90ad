"""HTML review pages: every fact marked in place, tables with the normalised
values, article text escaped, nothing fetched from the network."""
from __future__ import annotations

import argparse
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.evaluate import EvalReport, load_gold_dir, score_document
from pipeline.report import (add_show_arguments, format_quantity, locate_metric, render_article,
                             render_eval, show_main)
from schemas import Document, Evidence, Fact, GoldDocument, GoldFact, MetricRef, SubjectRef, ValueRef

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

# Our own example: two facts share a subject, one value carries a currency, one
# a direction, and the last line is markup that must stay text.
TEXT = ("星河科技发布年报：其云服务月活跃用户突破 500 万，2025 年营收预计达 3.2 亿元。\n"
        "云帆汽车 3 月销量同比增长 25%，约为 1.8 万辆。\n"
        "附注：<script>alert(1)</script> 不是数字。")


def span_of(needle: str, text: str = TEXT) -> tuple[int, int]:
    at = text.index(needle)
    return at, at + len(needle)


def sentence_of(at: int, text: str = TEXT) -> tuple[int, int]:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, end if end != -1 else len(text)


def make_fact(subject: str | None, metric_name: str | None, metric_text: str, value_text: str,
              time: str | None = None, text: str = TEXT, **value) -> Fact:
    value_span = span_of(value_text, text)
    return Fact(
        subject=SubjectRef(text=subject, type="ORG", span=span_of(subject, text)) if subject else None,
        metric=MetricRef(name=metric_name, text=metric_text),
        value=ValueRef(text=value_text, span=value_span, **value),
        time=time, evidence=Evidence(span=sentence_of(value_span[0], text)))


def example_document() -> Document:
    return Document(doc_id="example", facts=[
        make_fact("星河科技", "monthly_active_users", "月活跃用户", "500 万", value=5e6, qualifier="over"),
        make_fact("星河科技", "revenue", "营收", "3.2 亿元", "2025", value=3.2e8, unit="CNY", estimated=True),
        make_fact("云帆汽车", "sales", "销量同比", "25%", "2025-03", value=25, unit="%", direction="up"),
        make_fact("云帆汽车", "sales", "销量", "1.8 万辆", "2025-03", value=18000, qualifier="approx"),
    ])


class PageReader(HTMLParser):
    """The marks in the article (classes, text, title), the table rows (classes, text,
    cells) and the article's visible text (mark labels left out) of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.marks: list[dict] = []
        self.rows: list[dict] = []
        self.article = ""          # text inside displaCy's div, mark tags left out
        self._stack: list[tuple[str, set[str]]] = []
        self._mark = None
        self._row = None
        self._in_entities = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag in ("br", "wbr", "meta"):
            if tag == "br" and self._in_entities:
                self.article += "\n"
            return
        self._stack.append((tag, classes))
        if tag == "div" and "entities" in classes:
            self._in_entities = len(self._stack)
        if tag == "mark" and self._in_entities:
            self._mark = {"classes": classes, "text": "", "title": attrs.get("title", "")}
        if tag == "tr":
            self._row = {"classes": classes, "text": "", "cells": []}
        if tag in ("td", "th") and self._row is not None:
            self._row["cells"].append("")

    def handle_endtag(self, tag):
        if not self._stack:
            return
        while self._stack:
            open_tag, _ = self._stack.pop()
            if self._in_entities > len(self._stack):
                self._in_entities = 0
            if open_tag == "mark" and self._mark is not None:
                self.marks.append(self._mark)
                self._mark = None
            if open_tag == "tr" and self._row is not None:
                self.rows.append(self._row)
                self._row = None
            if open_tag == tag:
                break

    def handle_data(self, data):
        in_tag_label = any(t == "span" and "tag" in c for t, c in self._stack)
        if self._mark is not None and not in_tag_label:
            self._mark["text"] += data.strip()
        if self._row is not None:
            self._row["text"] += data
            if self._row["cells"]:
                self._row["cells"][-1] += data
        if self._in_entities and not in_tag_label:
            self.article += data


def read_page(page: str) -> PageReader:
    reader = PageReader()
    reader.feed(page)
    return reader


def marks_with(reader: PageReader, *classes: str) -> list[dict]:
    return [m for m in reader.marks if set(classes) <= m["classes"]]


def marked_text_of(reader: PageReader, *classes: str) -> str:
    return "".join(m["text"] for m in marks_with(reader, *classes))


def assert_self_contained(page: str) -> None:
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", page, re.I)
    assert not re.search(r"\b(src|href)\s*=\s*[\"']?\s*(//|[a-z]+:)", page, re.I)
    assert "@import" not in page and "url(" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


# ---------------------------------------------------------------- render_article

def test_every_value_subject_and_metric_is_marked_with_its_fact():
    document = example_document()
    reader = read_page(render_article(TEXT, document))
    for n, fact in enumerate(document.facts, 1):
        assert marked_text_of(reader, "fv", f"f{n}") == fact.value.text
        assert marked_text_of(reader, "fs", f"f{n}") == fact.subject.text
        assert marked_text_of(reader, "fm", f"f{n}") == fact.metric.text
        value_mark = marks_with(reader, "fv", f"f{n}")[0]
        assert f"Fact {n}: {fact.value.text}" in value_mark["title"]
        assert fact.subject.text in value_mark["title"] and fact.metric.text in value_mark["title"]


def test_a_shared_subject_is_one_mark_linked_to_both_facts():
    reader = read_page(render_article(TEXT, example_document()))
    subject_marks = [m for m in marks_with(reader, "fs") if m["text"] == "星河科技"]
    assert len(subject_marks) == 1
    assert {"f1", "f2"} <= subject_marks[0]["classes"]


def test_the_article_text_is_all_there_unchanged():
    reader = read_page(render_article(TEXT, example_document()))
    assert reader.article.strip() == TEXT


def test_table_rows_hold_the_normalised_values():
    reader = read_page(render_article(TEXT, example_document()))
    rows = {n: r["text"] for r in reader.rows for n in range(1, 5) if f"f{n}" in r["classes"]}
    assert len(rows) == 4
    assert "5,000,000" in rows[1] and "over" in rows[1] and "monthly_active_users" in rows[1]
    assert "320,000,000 CNY" in rows[2] and "estimated" in rows[2] and "2025" in rows[2] and "营收" in rows[2]
    assert "25%" in rows[3] and "direction up" in rows[3] and "2025-03" in rows[3]
    assert "18,000" in rows[4] and "approx" in rows[4] and "1.8 万辆" in rows[4]


def test_article_markup_is_shown_as_text():
    page = render_article(TEXT, example_document())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"<script", page, re.I)
    assert "<script>alert(1)</script>" in read_page(page).article


def test_strings_of_facts_are_escaped_in_attributes_and_tables():
    text = "天枢公司的“<b>活跃</b>”用户达 300 万。"
    fact = make_fact("天枢公司", None, '"><script>x()</script>', "300 万", text=text, value=3e6)
    page = render_article(text, Document(doc_id='<i>"doc"</i>', facts=[fact]))
    assert not re.search(r"<script|<b>|<i>", page, re.I)
    reader = read_page(page)
    assert '"><script>x()</script>' in marks_with(reader, "fv", "f1")[0]["title"]
    assert any('"><script>x()</script>' in r["text"] for r in reader.rows)


def test_page_is_self_contained():
    assert_self_contained(render_article(TEXT, example_document()))


def test_no_facts_is_said_plainly():
    page = render_article("没有任何数字。", Document(doc_id="empty", facts=[]))
    assert "No facts extracted." in page
    assert read_page(page).article.strip() == "没有任何数字。"


def test_spans_outside_the_text_are_left_unmarked_not_fatal():
    document = example_document()
    short = TEXT[:20]
    reader = read_page(render_article(short, document))
    assert reader.article.strip() == short
    assert all(m["text"] in short for m in reader.marks)


@pytest.mark.parametrize("text, metric, value, expected", [
    ("其月活跃用户突破 500 万", "月活跃用户", "500 万", "月活跃用户"),
    # the occurrence nearest the value wins
    ("营收 1 亿，利润 2 亿，营收 3 亿", "营收", "3 亿", "营收"),
    # written apart from its time window: the longest end that is written
    ("1 天、7 天用户留存率分别为 10%、2%", "1 天用户留存率", "10%", "天用户留存率"),
])
def test_locate_metric(text, metric, value, expected):
    found = locate_metric(text, metric, span_of(value, text))
    assert found is not None and text[found[0]:found[1]] == expected
    if metric == "营收":
        assert found[0] == text.rindex("营收")


def test_locate_metric_gives_up_when_the_words_are_not_there():
    assert locate_metric("用户达 300 万", "营业收入", (3, 8)) is None


@pytest.mark.parametrize("args, expected", [
    ((12000000.0, None, None, None, None), "12,000,000"),
    ((6.4, None, None, "x", None), "6.4 x"),
    ((None, 50.0, 70.0, "%", None), "50–70%"),
    ((None, 30.0, 50.0, "USD", "minute"), "30–50 USD / minute"),
    ((-3.29, None, None, "%", None), "-3.29%"),
    ((None, None, None, None, None), "—"),
])
def test_format_quantity(args, expected):
    assert format_quantity(*args) == expected


# ---------------------------------------------------------------- the seed article

def seed_facts_from_gold(text: str, gold: GoldDocument) -> Document:
    """The seed gold turned into the output shape: subject at its nearest earlier mention."""
    facts = []
    for g in gold.facts:
        at = text.rfind(g.subject, 0, g.span[0]) if g.subject else -1
        subject = (SubjectRef(text=g.subject, type=g.subject_type or "OTHER",
                              span=(at, at + len(g.subject)) if at >= 0 else None) if g.subject else None)
        facts.append(Fact(subject=subject, metric=MetricRef(name=g.metric, text=(g.metric_keywords or ["?"])[0]),
                          value=ValueRef(text=g.text, span=g.span, value=g.value, low=g.low, high=g.high,
                                         unit=g.unit, per=g.per, qualifier=g.qualifier, direction=g.direction,
                                         estimated=g.estimated),
                          time=g.time, evidence=Evidence(span=sentence_of(g.span[0], text))))
    return Document(doc_id="seed", facts=facts)


@pytest.mark.skipif(not (CORPUS / "gold" / "seed.json").is_file(), reason="corpus/gold/seed.json not written yet")
def test_seed_report_marks_every_fact_and_keeps_the_text():
    text = (CORPUS / "articles" / "seed.txt").read_text(encoding="utf-8")
    gold = GoldDocument.load(CORPUS / "gold" / "seed.json", text)
    document = seed_facts_from_gold(text, gold)
    page = render_article(text, document)
    reader = read_page(page)
    assert reader.article.strip() == text.strip()
    ordered = sorted(document.facts, key=lambda f: tuple(f.value.span))
    for n, fact in enumerate(ordered, 1):
        assert marked_text_of(reader, "fv", f"f{n}") == fact.value.text
    assert len([r for r in reader.rows if "fact" in r["classes"]]) == len(document.facts)
    assert_self_contained(page)


def test_seed_report_from_the_extractor_marks_what_it_found():
    """The real pipeline on the seed article: every fact it returns is marked and tabled."""
    from pipeline.api import extract

    text = (CORPUS / "articles" / "seed.txt").read_text(encoding="utf-8")
    document = extract(text, "seed")
    assert document.facts
    page = render_article(text, document)
    reader = read_page(page)
    assert reader.article.strip() == text.strip()
    for n, fact in enumerate(sorted(document.facts, key=lambda f: tuple(f.value.span)), 1):
        assert marked_text_of(reader, "fv", f"f{n}") == fact.value.text
        if fact.subject and fact.subject.span:
            assert marked_text_of(reader, "fs", f"f{n}") == fact.subject.text
    assert len([r for r in reader.rows if "fact" in r["classes"]]) == len(document.facts)
    assert_self_contained(page)


# ---------------------------------------------------------------- render_eval

def gold_fact(text_: str, subject: str, metric: str, keywords: list[str], **value) -> GoldFact:
    return GoldFact(subject=subject, subject_type="ORG", metric=metric, metric_keywords=keywords,
                    text=text_, span=span_of(text_), **value)


def eval_example() -> tuple[EvalReport, dict]:
    gold = GoldDocument(doc="example.txt", facts=[
        gold_fact("500 万", "星河科技", "monthly_active_users", ["月活"], value=5e6, qualifier="over"),
        gold_fact("3.2 亿元", "星河科技", "revenue", ["营收"], value=3.2e8, unit="CNY", estimated=True),
        gold_fact("25%", "云帆汽车", "sales_growth", ["销量"], value=25, unit="%", direction="up"),
    ])
    pred = Document(doc_id="example", facts=[
        make_fact("星河科技", "monthly_active_users", "月活跃用户", "500 万", value=5e6, qualifier="over"),
        make_fact("云帆汽车", "revenue", "营收", "3.2 亿元", value=3.2e8, unit="CNY"),   # wrong subject
        make_fact("云帆汽车", "sales", "销量", "1.8 万辆", value=18000),                  # not in gold
    ])
    return EvalReport([score_document(pred, gold)]), {"example": (TEXT, pred, gold)}


def test_eval_marks_misses_false_positives_and_wrong_subjects_in_the_text():
    report, inputs = eval_example()
    reader = read_page(render_eval(report, inputs))
    assert marked_text_of(reader, "ok") == "500 万"
    assert marked_text_of(reader, "miss") == "25%"
    assert marked_text_of(reader, "fp") == "1.8 万辆"
    assert marked_text_of(reader, "wrong-link") == "3.2 亿元"
    assert marked_text_of(reader, "bad-subject") == "云帆汽车"
    assert reader.article.strip() == TEXT


def test_eval_lists_gold_beside_predicted():
    report, inputs = eval_example()
    reader = read_page(render_eval(report, inputs))
    listed = {status: [r["text"] for r in reader.rows if f"row-{status}" in r["classes"]]
              for status in ("ok", "miss", "fp", "wrong-link")}
    assert len(listed["miss"]) == 1 and "25%" in listed["miss"][0] and "sales_growth" in listed["miss"][0]
    assert len(listed["fp"]) == 1 and "18,000" in listed["fp"][0]
    wrong, = listed["wrong-link"]
    assert "wrong subject" in wrong and "星河科技" in wrong and "云帆汽车" in wrong
    assert len(listed["ok"]) == 1 and "5,000,000" in listed["ok"][0]


def test_eval_summary_has_the_scorer_figures():
    report, inputs = eval_example()
    reader = read_page(render_eval(report, inputs))
    figures = report.as_dict()
    overall = figures["overall"]


    def expected(scores, subject, metric):
        out = []
        for level in ("quantity", "triple"):
            c = scores[level]
            out += [str(c["tp"]), str(c["fp"]), str(c["fn"])] + [f"{c[k]:.3f}" for k in ("precision", "recall", "f1")]
        return out + [f"{subject:.3f}", f"{metric:.3f}"]

    overall_row, = [r["cells"] for r in reader.rows if "overall" in r["classes"]]
    assert overall_row[1:] == expected(overall, overall["subject_accuracy"], overall["metric_accuracy"])
    article_row, = [r["cells"] for r in reader.rows if r["cells"] and r["cells"][0] == "example"]
    assert article_row[1:] == expected(figures["articles"]["example"], report.accuracy("subject"),
                                       report.accuracy("metric"))
    # the example: 2 of 3 quantities found, 1 false positive; 1 of 2 found has the right subject
    assert overall_row[1:7] == ["2", "1", "1", "0.667", "0.667", "0.667"]
    assert overall_row[-2:] == ["0.500", "1.000"]


def test_eval_page_is_self_contained_and_escaped():
    report, inputs = eval_example()
    page = render_eval(report, inputs)
    assert_self_contained(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_eval_without_the_article_text_still_lists_the_facts():
    report, _ = eval_example()
    page = render_eval(report, {})
    reader = read_page(page)
    assert "Article text not available." in page and reader.marks == []
    assert any("row-miss" in r["classes"] and "25%" in r["text"] for r in reader.rows)


@pytest.mark.skipif(not (CORPUS / "gold" / "seed.json").is_file(), reason="corpus/gold/seed.json not written yet")
def test_eval_of_the_seed_gold_against_itself_is_all_correct():
    (doc_id, text, gold), = [x for x in load_gold_dir(CORPUS / "gold") if x[0] == "seed"]
    pred = seed_facts_from_gold(text, gold)
    report = EvalReport([score_document(pred, gold)])
    reader = read_page(render_eval(report, {doc_id: (text, pred, gold)}))
    assert not marks_with(reader, "miss") and not marks_with(reader, "fp")
    scored = [g for g in gold.facts if not g.optional]
    assert len([r for r in reader.rows if "row-ok" in r["classes"]]) == report.total("quantity").tp <= len(scored)


# ---------------------------------------------------------------- zhfacts show

def show(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    add_show_arguments(parser)
    return show_main(parser.parse_args(argv))


@pytest.fixture
def fake_extract(monkeypatch):
    """The real extractor is tested elsewhere; here ``show`` must pass it the text and id."""
    calls = []

    def extract(text, doc_id):
        calls.append((text, doc_id))
        return example_document()

    monkeypatch.setattr("pipeline.api.extract", extract)
    return calls


def test_show_writes_the_page_beside_the_current_directory(tmp_path, monkeypatch, capsys, fake_extract):
    article = tmp_path / "in" / "example.txt"
    article.parent.mkdir()
    article.write_text(TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert show([str(article)]) == 0
    written = tmp_path / "example.html"
    assert capsys.readouterr().out.strip() == str(written)
    assert fake_extract == [(TEXT, "example")]
    assert marked_text_of(read_page(written.read_text(encoding="utf-8")), "fv", "f1") == "500 万"


def test_show_writes_where_asked(tmp_path, capsys, fake_extract):
    article = tmp_path / "a.txt"
    article.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))   # a BOM is dropped
    output = tmp_path / "out.html"
    assert show([str(article), "-o", str(output)]) == 0
    assert capsys.readouterr().out.strip() == str(output)
    assert fake_extract == [(TEXT, "a")]
    assert "5,000,000" in output.read_text(encoding="utf-8")


@pytest.mark.parametrize("setup, message", [
    (lambda p: None, "no such file"),
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: p.write_bytes(b"\x00\x01binary"), "binary"),
    (lambda p: p.write_bytes("营收".encode("gbk")), "not valid utf-8"),
])
def test_show_bad_input_is_one_line_and_nonzero(tmp_path, capsys, fake_extract, setup, message):
    article = tmp_path / "bad.txt"
    setup(article)
    assert show([str(article), "-o", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("zhfacts: error:") and message in err
    assert not (tmp_path / "x.html").exists() and fake_extract == []


def test_show_reads_other_encodings_when_told(tmp_path, capsys, fake_extract):
    article = tmp_path / "gbk.txt"
    article.write_bytes(TEXT.encode("gb18030"))
    assert show([str(article), "--encoding", "gb18030", "-o", str(tmp_path / "g.html")]) == 0
    assert fake_extract == [(TEXT, "gbk")]


def test_show_unwritable_output_is_one_line_and_nonzero(tmp_path, capsys, fake_extract):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert show([str(article), "-o", str(tmp_path / "missing" / "dir" / "x.html")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write" in err
