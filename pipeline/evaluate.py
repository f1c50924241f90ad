"""Scoring predicted facts against hand-labelled gold, as ANNOTATION.md says.

A predicted fact is matched to a gold fact whose value span it overlaps (one to
one; where several overlap, the best-agreeing pair wins). ``quantity``: same
number(s), unit and per. ``triple``: quantity, plus the subject (its name or a
listed alias) and the metric (a listed keyword in ``metric.text`` or
``metric.name``). Optional gold facts (vague amounts) are neither rewarded nor
punished: a prediction that lands only on optional gold facts is ignored.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from schemas import Document, Fact, GoldDocument, GoldFact


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __iadd__(self, other: "Counts") -> "Counts":
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Pair:
    """A predicted fact matched to a gold fact, and what agrees."""

    pred: Fact
    gold: GoldFact
    quantity_ok: bool
    subject_ok: bool
    metric_ok: bool

    @property
    def triple_ok(self) -> bool:
        return self.quantity_ok and self.subject_ok and self.metric_ok


@dataclass
class DocScore:
    doc_id: str
    pairs: list[Pair] = field(default_factory=list)           # matched to non-optional gold
    false_positives: list[Fact] = field(default_factory=list)  # matched to nothing
    misses: list[GoldFact] = field(default_factory=list)       # non-optional gold, unmatched
    ignored: list[Fact] = field(default_factory=list)          # landed on optional gold only
    quantity: Counts = field(default_factory=Counts)
    triple: Counts = field(default_factory=Counts)

    @property
    def found(self) -> list[Pair]:
        """Pairs whose quantity is right: where subject and metric accuracy are measured."""
        return [p for p in self.pairs if p.quantity_ok]


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def quantity_agrees(pred: Fact, gold: GoldFact) -> bool:
    v = pred.value
    return (_same_number(v.value, gold.value) and _same_number(v.low, gold.low)
            and _same_number(v.high, gold.high) and v.unit == gold.unit and v.per == gold.per)


def _squash(s: str) -> str:
    return "".join(s.split()).lower()


def subject_agrees(pred: Fact, gold: GoldFact) -> bool:
    if pred.subject is None:
        return gold.subject is None
    return _squash(pred.subject.text) in {_squash(n) for n in gold.names}


def metric_agrees(pred: Fact, gold: GoldFact) -> bool:
    haystacks = [_squash(pred.metric.text), _squash(pred.metric.name or "")]
    return any(_squash(k) in h for k in gold.metric_keywords if k.strip() for h in haystacks)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_document(pred: Document, gold: GoldDocument) -> DocScore:
    score = DocScore(pred.doc_id)
    candidates = []
    for i, p in enumerate(pred.facts):
        for j, g in enumerate(gold.facts):
            if _overlaps(p.value.span, g.span):
                pair = Pair(p, g, quantity_agrees(p, g), subject_agrees(p, g), metric_agrees(p, g))
                rank = (pair.triple_ok, pair.quantity_ok, pair.subject_ok + pair.metric_ok, not g.optional)
                candidates.append((rank, i, j, pair))
    candidates.sort(key=lambda c: (c[0], -c[1], -c[2]), reverse=True)
    pred_done: set[int] = set()
    gold_done: set[int] = set()
    for _, i, j, pair in candidates:
        if i in pred_done or j in gold_done:
            continue
        pred_done.add(i)
        gold_done.add(j)
        if pair.gold.optional:
            score.ignored.append(pair.pred)
        else:
            score.pairs.append(pair)
    optional_spans = [g.span for g in gold.facts if g.optional]
    for i, p in enumerate(pred.facts):
        if i in pred_done:
            continue
        if any(_overlaps(p.value.span, s) for s in optional_spans):
            score.ignored.append(p)   # a vague amount found twice: still not punished
        else:
            score.false_positives.append(p)
    score.misses = [g for j, g in enumerate(gold.facts) if j not in gold_done and not g.optional]
    gold_total = sum(1 for g in gold.facts if not g.optional)
    for counts, ok in ((score.quantity, "quantity_ok"), (score.triple, "triple_ok")):
        counts.tp = sum(1 for p in score.pairs if getattr(p, ok))
        counts.fp = len(score.pairs) - counts.tp + len(score.false_positives)
        counts.fn = gold_total - counts.tp
    return score


@dataclass
class EvalReport:
    docs: list[DocScore]

    def total(self, level: str) -> Counts:
        total = Counts()
        for d in self.docs:
            total += getattr(d, level)
        return total

    def accuracy(self, what: str) -> float:
        """Subject or metric accuracy over the facts whose quantity was found."""
        found = [p for d in self.docs for p in d.found]
        return sum(getattr(p, f"{what}_ok") for p in found) / len(found) if found else 0.0

    def as_dict(self) -> dict:
        return {
            "articles": {d.doc_id: {"quantity": d.quantity.as_dict(), "triple": d.triple.as_dict()}
                         for d in self.docs},
            "overall": {"quantity": self.total("quantity").as_dict(), "triple": self.total("triple").as_dict(),
                        "subject_accuracy": round(self.accuracy("subject"), 4),
                        "metric_accuracy": round(self.accuracy("metric"), 4)},
        }


def find_article(gold_path: Path, gold: GoldDocument) -> Path:
    """Gold files sit in ``gold/``; their article is ``gold.doc`` in ``articles/`` beside it."""
    for folder in (gold_path.parent.parent / "articles", gold_path.parent):
        if (folder / gold.doc).is_file():
            return folder / gold.doc
    raise FileNotFoundError(f"{gold_path}: article {gold.doc!r} not found in ../articles/")


def load_gold_dir(gold_dir: Path) -> Iterable[tuple[str, str, GoldDocument]]:
    """(doc_id, article text, gold) for every ``*.json`` in ``gold_dir``, spans checked."""
    paths = sorted(Path(gold_dir).glob("*.json"))
    if not paths:
        raise FileNotFoundError(f"no gold files (*.json) in {gold_dir}")
    for path in paths:
        raw = GoldDocument.model_validate_json(path.read_text(encoding="utf-8"))
        article_path = find_article(path, raw)
        text = article_path.read_text(encoding="utf-8")
        yield article_path.stem, text, GoldDocument.load(path, text)


def evaluate_dir(gold_dir: Path, extract_fn) -> tuple[EvalReport, dict[str, tuple[str, Document, GoldDocument]]]:
    """Run ``extract_fn(text, doc_id)`` on every gold article and score it."""
    docs, inputs = [], {}
    for doc_id, text, gold in load_gold_dir(gold_dir):
        pred = extract_fn(text, doc_id)
        docs.append(score_document(pred, gold))
        inputs[doc_id] = (text, pred, gold)
    return EvalReport(docs), inputs
