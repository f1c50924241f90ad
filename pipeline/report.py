"""HTML review pages: one article with its facts (``render_article``) and one
evaluation against gold (``render_eval``); ``zhfacts show`` writes the first.

Each page is one self-contained file: the stylesheet (``report.css``) is inlined,
there are no scripts, images or fonts to fetch, and a Content-Security-Policy
forbids any fetch the markup might still attempt. Article text is rendered by
displaCy's entity renderer in manual mode (character offsets), which escapes it;
every other string this module emits goes through ``html.escape``.

Marks may overlap (one subject shared by two facts, a metric inside a value):
the text is cut at every mark boundary and each piece becomes one displaCy
"entity" carrying the classes of all marks that cover it.
"""
from __future__ import annotations

import argparse
import html
import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluate import DocScore, EvalReport, Pair
from pipeline.text import InputError, decode
from schemas import Document, Fact, GoldDocument, GoldFact

_CSS_FILE = Path(__file__).with_name("report.css")
_CSP = "default-src 'none'; style-src 'unsafe-inline'"
# Our own displaCy entity template: no whitespace around {text} (it would show
# between Chinese characters); {label}, {cls}, {style}, {title} arrive escaped.
_MARK_TEMPLATE = '<mark class="{cls}" style="{style}" title="{title}">{text}<span class="tag">{label}</span></mark>'

# Evaluation statuses: colour, legend text, and which wins where marks overlap (first wins).
_STATUS = {
    "miss": ("#ff9a9a", "missed (gold fact not found)"),
    "fp": ("#d8b8ff", "false positive (no gold fact)"),
    "wrong-value": ("#ffc98b", "found, wrong value/unit/per"),
    "wrong-link": ("#fff08a", "value right, wrong subject or metric"),
    "ok": ("#bfe8c4", "correct (value, subject, metric)"),
    "ignored": ("#e2e4e8", "optional gold (vague amount, not scored)"),
}
_SHORT_STATUS = {"miss": "missed", "fp": "false positive", "wrong-value": "wrong value",
                 "wrong-link": "wrong link", "ok": "correct", "ignored": "ignored (optional)"}
_STATUS_RANK = {name: i for i, name in enumerate(_STATUS)}


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


# ---------------------------------------------------------------- marks in text

@dataclass
class Mark:
    """A stretch of the article to highlight: ``kind`` and ``group`` become CSS classes."""

    start: int
    end: int
    kind: str           # fv / fs / fm (value, subject, metric) or an evaluation status
    group: str          # links every mark and table row of one fact (hover)
    label: str          # short tag after the mark, e.g. "V3"
    title: str          # hover text
    style: str = ""     # inline style of the top mark where marks overlap
    rank: int = 0       # lower rank wins the style where marks overlap


def marked_text(text: str, marks: list[Mark]) -> str:
    """The article as HTML (escaped by displaCy) with ``marks`` highlighted."""
    from spacy import displacy

    marks = sorted((m for m in marks if 0 <= m.start < m.end <= len(text)), key=lambda m: m.start)
    cuts = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    ents, active, waiting = [], [], iter(marks)
    upcoming = next(waiting, None)
    for start, end in zip(cuts, cuts[1:]):
        while upcoming is not None and upcoming.start <= start:
            active.append(upcoming)
            upcoming = next(waiting, None)
        active = [m for m in active if m.end > start]   # cuts hold every end: these cover [start, end)
        if not active:
            continue
        covering = sorted(active, key=lambda m: m.rank)
        classes = _unique([m.kind for m in covering] + [m.group for m in covering])
        labels = _unique([m.label for m in covering if m.end == end and m.label])
        ents.append({"start": start, "end": end, "label": esc(" ".join(labels)),
                     "params": {"cls": esc(" ".join(classes)), "style": esc(covering[0].style),
                                "title": esc("\n\n".join(_unique([m.title for m in covering])))}})
    return displacy.render({"text": text, "ents": ents}, style="ent", manual=True, page=False,
                           options={"template": _MARK_TEMPLATE})


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def locate_metric(text: str, metric_text: str, value_span: tuple[int, int],
                  sentence: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """Where the metric words stand near the value (a ``MetricRef`` has no span).

    Searches the fact's sentence (or a window around the value) for the metric
    text, then for ever shorter ends of it (``1 天用户留存率`` is written apart as
    ``1 天、7 天…用户留存率``); the occurrence nearest the value wins, earlier
    ones slightly preferred, as Chinese puts the metric before the figure.
    """
    v_start, v_end = value_span
    lo, hi = (sentence if sentence and 0 <= sentence[0] < sentence[1] <= len(text)
              else (v_start - 80, v_end + 80))
    lo, hi = max(0, min(lo, v_start - 20)), min(len(text), max(hi, v_end + 20))
    phrase = metric_text.strip()
    for length in range(len(phrase), 1, -1):
        best = None
        for needle in _unique([phrase[-length:].strip(), phrase[:length].strip()]):
            if len(needle) < 2:
                continue
            at = text.find(needle, lo, hi)
            while at != -1:
                end = at + len(needle)
                if end <= v_start or at >= v_end:
                    distance = v_start - end if end <= v_start else at - v_end + 5
                    if best is None or distance < best[0]:
                        best = (distance, at, end)
                at = text.find(needle, at + 1, hi)
        if best:
            return best[1], best[2]
    return None


# ---------------------------------------------------------------- formatting

def format_number(x: float | None) -> str:
    if x is None:
        return "?"
    if float(x).is_integer() and abs(x) < 1e18:
        return f"{int(x):,}"
    return f"{x:,.6g}"


def format_quantity(value: float | None, low: float | None, high: float | None,
                    unit: str | None, per: str | None) -> str:
    """``12,000,000``, ``50–70%``, ``30–50 USD / minute``."""
    if value is not None:
        number = format_number(value)
    elif low is not None or high is not None:
        number = f"{format_number(low)}–{format_number(high)}"
    else:
        number = "—"
    if unit:
        number += unit if unit == "%" else f" {unit}"
    if per:
        number += f" / {per}"
    return number


def _fact_quantity(fact: Fact) -> str:
    v = fact.value
    return format_quantity(v.value, v.low, v.high, v.unit, v.per)


def _gold_quantity(gold: GoldFact) -> str:
    return format_quantity(gold.value, gold.low, gold.high, gold.unit, gold.per)


def _describe_fact(fact: Fact, heading: str) -> str:
    v = fact.value
    subject = f"{fact.subject.text} [{fact.subject.type}]" if fact.subject else "—"
    lines = [f"{heading}: {v.text} = {_fact_quantity(fact)}",
             f"subject: {subject}",
             f"metric: {fact.metric.name or '—'} · {fact.metric.text}",
             f"qualifier: {v.qualifier}" + (f" · direction: {v.direction}" if v.direction else "")
             + (" · estimated" if v.estimated else ""),
             f"time: {fact.time or '—'}"]
    return "\n".join(lines)


def _describe_gold(gold: GoldFact, heading: str) -> str:
    lines = [f"{heading}: {gold.text} = {_gold_quantity(gold)}",
             f"subject: {gold.subject or '—'}",
             f"metric: {gold.metric or '—'} (keywords: {', '.join(gold.metric_keywords) or '—'})",
             f"time: {gold.time or '—'}"]
    return "\n".join(lines)


def _breakable(name: str) -> str:
    """A snake_case name that may wrap after its underscores in a narrow column."""
    return esc(name).replace("_", "_<wbr>")


def _colours(n: int) -> tuple[str, str, str]:
    """Strong, light and border colour of fact ``n`` (golden-angle hues stay apart)."""
    hue = round((n - 1) * 137.508) % 360
    return f"hsl({hue},85%,78%)", f"hsl({hue},85%,92%)", f"hsl({hue},55%,40%)"


def _page(title: str, subtitle: str, body: str, extra_css: str = "") -> str:
    css = _CSS_FILE.read_text(encoding="utf-8")
    return (
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title)}</title>\n<style>\n{css}\n{extra_css}</style>\n</head>\n<body>\n"
        f"<header><h1>{esc(title)}</h1><p>{esc(subtitle)}</p></header>\n<main>\n{body}\n</main>\n"
        "</body>\n</html>\n"
    )


def _hover_css(groups: list[str]) -> str:
    """Hovering any mark or row of a fact outlines all of them (CSS :has, no script)."""
    return "".join(f"body:has(.{g}:hover) .{g}{{outline:2px solid #1d2330;outline-offset:1px}}\n"
                   for g in groups)


def _table(headers: list[str], rows: list[str], head_extra: str = "") -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    return f"<table>\n<thead>{head_extra}<tr>{head}</tr></thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table>"


# ---------------------------------------------------------------- one article

def _ordered(facts: list[Fact]) -> list[Fact]:
    return sorted(facts, key=lambda f: (f.value.span[0], f.value.span[1]))


def _article_marks(text: str, facts: list[Fact]) -> list[Mark]:
    marks = []
    for n, fact in enumerate(facts, 1):
        strong, light, border = _colours(n)
        group, title = f"f{n}", _describe_fact(fact, f"Fact {n}")
        marks.append(Mark(*fact.value.span, "fv", group, f"V{n}", title,
                          f"background:{strong};border-bottom-color:{border}", rank=0))
        if fact.subject and fact.subject.span:
            marks.append(Mark(*fact.subject.span, "fs", group, f"S{n}", title,
                              f"background:{light};border-color:{border}", rank=1))
        metric = locate_metric(text, fact.metric.text, fact.value.span, fact.evidence.span)
        if metric:
            marks.append(Mark(*metric, "fm", group, f"M{n}", title,
                              f"background:{light};border-color:{border}", rank=2))
    return marks


def _fact_row(n: int, fact: Fact) -> str:
    v = fact.value
    strong, _, border = _colours(n)
    if fact.subject:
        resolved = "" if fact.subject.span else " <span class=\"muted small\">(resolved)</span>"
        subject = f"{esc(fact.subject.text)} <span class=\"chip\">{esc(fact.subject.type)}</span>{resolved}"
    else:
        subject = "<span class=\"empty\">none</span>"
    name = _breakable(fact.metric.name) if fact.metric.name else "<span class=\"empty\">unnamed</span>"
    metric = f"{name}<br><span class=\"muted small\">{esc(fact.metric.text)}</span>"
    value = f"{esc(_fact_quantity(fact))}<br><span class=\"muted small\">{esc(v.text)}</span>"
    flags = [v.qualifier] + ([f"direction {v.direction}"] if v.direction else []) + (["estimated"] if v.estimated else [])
    chips = "".join(f"<span class=\"chip\">{esc(x)}</span>" for x in flags)
    cells = [
        f"<td class=\"num\"><span class=\"swatch\" style=\"background:{strong};border-color:{border}\"></span>{n}</td>",
        f"<td class=\"nowrap\">{subject}</td>", f"<td>{metric}</td>", f"<td class=\"num\">{value}</td>",
        f"<td>{chips}</td>",
        f"<td class=\"nowrap\">{esc(fact.time or '')}</td>",
    ]
    return f"<tr class=\"fact f{n}\" id=\"fact-{n}\">{''.join(cells)}</tr>\n"


def render_article(text: str, document: Document) -> str:
    """One self-contained HTML page: ``text`` with every fact marked, and a table of the facts."""
    facts = _ordered(document.facts)
    headers = ["#", "Subject", "Metric", "Value", "Qualifier", "Time"]
    rows = [_fact_row(n, f) for n, f in enumerate(facts, 1)]
    table = _table(headers, rows) if facts else "<p class=\"empty\">No facts extracted.</p>"
    legend = ("<div class=\"legend\"><span><mark class=\"fv key\">1200 万</mark> value</span>"
              "<span><mark class=\"fs key\">Name</mark> subject</span>"
              "<span><mark class=\"fm key\">metric</mark> metric words</span>"
              "<span class=\"muted\">one colour per fact; hover a mark or row to see its fact</span></div>")
    body = (f"<div class=\"columns\">\n<section class=\"panel article\"><h2>Article</h2>{legend}\n"
            f"{marked_text(text, _article_marks(text, facts))}\n</section>\n"
            f"<section class=\"panel side\"><h2>Facts ({len(facts)})</h2>\n{table}\n</section>\n</div>")
    subtitle = f"{len(facts)} facts · {len(text)} characters"
    return _page(f"zhfacts · {document.doc_id}", subtitle, body,
                 _hover_css([f"f{n}" for n in range(1, len(facts) + 1)]))


# ---------------------------------------------------------------- one evaluation

@dataclass
class _Row:
    """One line of the side-by-side listing: a gold fact, a prediction, or both."""

    status: str
    gold: GoldFact | None = None
    pred: Fact | None = None
    pair: Pair | None = None

    @property
    def start(self) -> int:
        return min(s[0] for s in (self.gold.span if self.gold else None,
                                   self.pred.value.span if self.pred else None) if s)


def _status(pair: Pair) -> str:
    if not pair.quantity_ok:
        return "wrong-value"
    return "ok" if pair.triple_ok else "wrong-link"


def _rows(score: DocScore, gold: GoldDocument | None) -> list[_Row]:
    rows = [_Row(_status(p), p.gold, p.pred, p) for p in score.pairs]
    rows += [_Row("miss", gold=g) for g in score.misses]
    rows += [_Row("fp", pred=p) for p in score.false_positives]
    optional = [g for g in (gold.facts if gold else []) if g.optional]
    for p in score.ignored:
        near = next((g for g in optional if g.span[0] < p.value.span[1] and p.value.span[0] < g.span[1]), None)
        rows.append(_Row("ignored", gold=near, pred=p))
    return sorted(rows, key=lambda r: (r.start, _STATUS_RANK[r.status]))


def _eval_marks(text: str, rows: list[_Row], prefix: str) -> list[Mark]:
    marks = []
    for n, row in enumerate(rows, 1):
        group = f"{prefix}r{n}"
        colour, meaning = _STATUS[row.status]
        title = "\n\n".join([f"#{n} {meaning}"]
                            + ([_describe_gold(row.gold, "gold")] if row.gold else [])
                            + ([_describe_fact(row.pred, "predicted")] if row.pred else []))
        style, rank = f"background:{colour}", _STATUS_RANK[row.status]
        # gold and predicted spans of one row overlap (that is how they were paired): mark both as one
        spans = [s for s in (row.gold.span if row.gold else None, row.pred.value.span if row.pred else None) if s]
        marks.append(Mark(min(s[0] for s in spans), max(s[1] for s in spans), row.status, group, str(n),
                          title, style, rank))
        if row.pair and not row.pair.subject_ok and row.pred.subject and row.pred.subject.span:
            marks.append(Mark(*row.pred.subject.span, "bad-subject", group, f"S{n}?", title,
                              rank=len(_STATUS)))
        if row.pair and not row.pair.metric_ok:
            at = locate_metric(text, row.pred.metric.text, row.pred.value.span, row.pred.evidence.span)
            if at:
                marks.append(Mark(*at, "bad-metric", group, f"M{n}?", title, rank=len(_STATUS) + 1))
    return marks


def _gold_cells(gold: GoldFact | None, pair: Pair | None) -> str:
    if gold is None:
        return "<td colspan=\"5\" class=\"empty\">—</td>"
    bad = _bad_flags(pair)
    aliases = [a for a in gold.subject_aliases if a != gold.subject]
    subject = esc(gold.subject or "—")
    if aliases:
        subject = (f"<span title=\"{esc('aliases: ' + ', '.join(aliases))}\">{subject} "
                   f"<span class=\"chip\">+{len(aliases)} aliases</span></span>")
    keywords = "".join(f"<span class=\"chip\">{esc(k)}</span>" for k in gold.metric_keywords[:3])
    more = gold.metric_keywords[3:]
    if more:
        keywords += f"<span class=\"chip\" title=\"{esc(', '.join(more))}\">+{len(more)}</span>"
    metric = f"{_breakable(gold.metric or '—')}<br>{keywords}"
    optional = " <span class=\"chip\">optional</span>" if gold.optional else ""
    return (f"<td>{esc(gold.text)}{optional}</td>"
            f"<td class=\"num{bad['value']}\">{esc(_gold_quantity(gold))}</td>"
            f"<td class=\"{bad['subject']}\">{subject}</td><td class=\"{bad['metric']}\">{metric}</td>"
            f"<td>{esc(gold.time or '')}</td>")


def _pred_cells(pred: Fact | None, pair: Pair | None) -> str:
    if pred is None:
        return "<td colspan=\"5\" class=\"empty\">—</td>"
    bad = _bad_flags(pair)
    subject = esc(pred.subject.text) if pred.subject else "<span class=\"empty\">none</span>"
    metric = f"{_breakable(pred.metric.name or '—')}<br><span class=\"muted small\">{esc(pred.metric.text)}</span>"
    return (f"<td>{esc(pred.value.text)}</td><td class=\"num{bad['value']}\">{esc(_fact_quantity(pred))}</td>"
            f"<td class=\"{bad['subject']}\">{subject}</td><td class=\"{bad['metric']}\">{metric}</td>"
            f"<td>{esc(pred.time or '')}</td>")


def _bad_flags(pair: Pair | None) -> dict[str, str]:
    if pair is None:
        return {"value": "", "subject": "", "metric": ""}
    return {"value": "" if pair.quantity_ok else " bad", "subject": "" if pair.subject_ok else "bad",
            "metric": "" if pair.metric_ok else "bad"}


def _listing(rows: list[_Row], prefix: str) -> str:
    if not rows:
        return "<p class=\"empty\">No gold or predicted facts.</p>"
    lines = []
    for n, row in enumerate(rows, 1):
        status_text = _SHORT_STATUS[row.status]
        if row.pair and row.status != "ok":
            wrong = [w for w, ok in (("value", row.pair.quantity_ok), ("subject", row.pair.subject_ok),
                                     ("metric", row.pair.metric_ok)) if not ok]
            status_text = "wrong " + ", ".join(wrong)
        lines.append(f"<tr class=\"{prefix}r{n} row-{row.status}\"><td class=\"num\">{n}</td>"
                     f"<td class=\"st-{row.status} nowrap\">{esc(status_text)}</td>"
                     f"{_gold_cells(row.gold, row.pair)}{_pred_cells(row.pred, row.pair)}</tr>\n")
    head = ("<tr><th colspan=\"2\"></th><th colspan=\"5\">Gold</th><th colspan=\"5\">Predicted</th></tr>")
    side = ["Text", "Value", "Subject", "Metric", "Time"]
    return _table(["#", "Status"] + side + side, lines, head)


def _figures(name: str, q: dict, t: dict, subject: float, metric: float, css: str = "") -> str:
    cells = [f"<td>{name}</td>"]
    for c in (q, t):
        cells += [f"<td class=\"num\">{c[k]}</td>" for k in ("tp", "fp", "fn")]
        cells += [f"<td class=\"num\">{c[k]:.3f}</td>" for k in ("precision", "recall", "f1")]
    cells += [f"<td class=\"num\">{subject:.3f}</td>", f"<td class=\"num\">{metric:.3f}</td>"]
    return f"<tr class=\"{css}\">{''.join(cells)}</tr>\n"


def _summary(report: EvalReport) -> str:
    figures = report.as_dict()
    rows = []
    for i, d in enumerate(report.docs, 1):
        one = EvalReport([d])
        scores = figures["articles"][d.doc_id]
        rows.append(_figures(f"<a href=\"#doc-{i}\">{esc(d.doc_id)}</a>", scores["quantity"], scores["triple"],
                             one.accuracy("subject"), one.accuracy("metric")))
    overall = figures["overall"]
    rows.append(_figures("overall (micro)", overall["quantity"], overall["triple"],
                         overall["subject_accuracy"], overall["metric_accuracy"], "overall"))
    head = ("<tr><th></th><th colspan=\"6\">Quantity</th><th colspan=\"6\">Triple</th>"
            "<th colspan=\"2\">Accuracy (where quantity found)</th></tr>")
    counts = ["tp", "fp", "fn", "P", "R", "F1"]
    return _table(["Article"] + counts + counts + ["subject", "metric"], rows, head)


def _legend() -> str:
    items = [f"<span class=\"st-{name}\">{esc(text)}</span>" for name, (_, text) in _STATUS.items()]
    items += ["<span class=\"bad-subject\">predicted subject, wrong</span>",
              "<span class=\"bad-metric\">predicted metric words, wrong</span>"]
    return f"<div class=\"legend\">{''.join(items)}</div>"


def _doc_section(i: int, score: DocScore, entry: tuple[str, Document, GoldDocument] | None) -> tuple[str, list[str]]:
    text, _, gold = entry if entry else (None, None, None)
    rows = _rows(score, gold)
    prefix = f"d{i}"
    tally = {s: sum(1 for r in rows if r.status == s) for s in _STATUS}
    summary = ", ".join(f"{tally[s]} {label}" for s, label in (
        ("ok", "correct"), ("wrong-value", "wrong value"), ("wrong-link", "wrong subject/metric"),
        ("miss", "missed"), ("fp", "false positives"), ("ignored", "ignored (optional)")))
    article = (marked_text(text, _eval_marks(text, rows, prefix)) if text is not None
               else "<p class=\"empty\">Article text not available.</p>")
    html_ = (f"<section class=\"doc\" id=\"doc-{i}\">\n<h2>{esc(score.doc_id)}</h2>\n"
             f"<p class=\"small\">{esc(summary)}</p>\n"
             f"<div class=\"panel doc-text\">{article}</div>\n<h3>Gold and predicted facts</h3>\n"
             f"<div class=\"wide\">{_listing(rows, prefix)}</div>\n</section>")
    return html_, [f"{prefix}r{n}" for n in range(1, len(rows) + 1)]


def render_eval(report: EvalReport, inputs: dict[str, tuple[str, Document, GoldDocument]]) -> str:
    """One self-contained page: the scores, then per article the text with every
    miss, false positive and wrong value/subject/metric marked, and gold beside predicted."""
    sections, groups = [], []
    for i, score in enumerate(report.docs, 1):
        section, doc_groups = _doc_section(i, score, inputs.get(score.doc_id))
        sections.append(section)
        groups += doc_groups
    overall = report.as_dict()["overall"]
    subtitle = (f"{len(report.docs)} articles · quantity F1 {overall['quantity']['f1']:.3f} · "
                f"triple F1 {overall['triple']['f1']:.3f}")
    body = (f"<h2>Summary</h2>\n{_summary(report)}\n<h2>Articles</h2>\n{_legend()}\n" + "\n".join(sections))
    status_css = "".join(f".st-{name}{{background:{colour}}}\n" for name, (colour, _) in _STATUS.items())
    return _page("zhfacts evaluation", subtitle, body, status_css + _hover_css(groups))


# ---------------------------------------------------------------- zhfacts show

def add_show_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("article", metavar="ARTICLE", help="article text file (UTF-8 unless --encoding)")
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="HTML file to write (default: ARTICLE's name with .html, in the current directory)")
    parser.add_argument("--encoding", help="input encoding (default UTF-8, BOM allowed), e.g. gb18030")


def default_output(article: str) -> Path:
    return Path.cwd() / f"{Path(article).stem}.html"


def show_main(args: argparse.Namespace) -> int:
    """``zhfacts show ARTICLE [-o PATH]``: extract the article's facts and write its HTML page."""
    from pipeline.api import extract

    try:
        text = _read_article(args.article, getattr(args, "encoding", None))
        output = Path(args.output) if args.output else default_output(args.article)
        page = render_article(text, extract(text, Path(args.article).stem))
        try:
            output.write_text(page, encoding="utf-8")
        except OSError as err:
            raise InputError(f"{output}: cannot write ({err.strerror})") from None
    except InputError as err:
        print(f"zhfacts: error: {err}", file=sys.stderr)
        return 2
    print(output)
    return 0


def _read_article(path: str, encoding: str | None) -> str:
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{path}: {'is a directory' if file.is_dir() else 'no such file'}")
    try:
        data = file.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None
    return decode(data, encoding, name=path)
