"""Scoring as ANNOTATION.md says: span overlap, quantity, triple, optional facts."""
from schemas import Document, GoldDocument
from pipeline.evaluate import score_document


def pred_fact(span, value, unit=None, subject="星河", metric_text="营收", per=None):
    return {"subject": {"text": subject, "type": "ORG", "span": [0, 2]} if subject else None,
            "metric": {"name": None, "text": metric_text},
            "value": {"text": "x", "span": span, "value": value, "unit": unit, "per": per},
            "time": None, "evidence": {"span": [0, 40]}}


def gold_fact(span, value, unit=None, optional=False):
    return {"subject": "星河科技", "subject_aliases": ["星河"], "metric": "revenue",
            "metric_keywords": ["营收", "收入"], "text": "x", "span": span, "value": value,
            "unit": unit, "optional": optional}


def score(preds, golds):
    return score_document(Document(doc_id="d", facts=preds), GoldDocument(doc="d.txt", facts=golds))


def test_triple_needs_subject_alias_and_metric_keyword():
    s = score([pred_fact([5, 9], 100, "CNY"), pred_fact([12, 15], 5, "%", metric_text="毛利率")],
              [gold_fact([5, 10], 100, "CNY"), gold_fact([12, 15], 5, "%")])
    assert (s.quantity.tp, s.quantity.fp, s.quantity.fn) == (2, 0, 0)
    assert (s.triple.tp, s.triple.fp, s.triple.fn) == (1, 1, 1)


def test_wrong_unit_is_a_false_positive_and_a_miss():
    s = score([pred_fact([5, 9], 100, None)], [gold_fact([5, 9], 100, "CNY")])
    assert (s.quantity.tp, s.quantity.fp, s.quantity.fn) == (0, 1, 1)


def test_second_prediction_on_the_same_gold_fact_is_a_false_positive():
    s = score([pred_fact([5, 9], 100, "CNY"), pred_fact([6, 8], 100, "CNY")], [gold_fact([5, 9], 100, "CNY")])
    assert (s.quantity.tp, s.quantity.fp, s.quantity.fn) == (1, 1, 0)
    assert s.quantity.f1 == 2 * 0.5 * 1 / 1.5


def test_optional_gold_is_neither_rewarded_nor_punished():
    s = score([pred_fact([20, 22], None)], [gold_fact([20, 22], None, optional=True), gold_fact([5, 9], 1)])
    assert (s.quantity.tp, s.quantity.fp, s.quantity.fn) == (0, 0, 1)
    assert len(s.ignored) == 1


def test_two_gold_facts_on_one_span_match_two_predictions():
    golds = [dict(gold_fact([5, 6], 1e4), subject="C10", subject_aliases=[]),
             dict(gold_fact([5, 6], 1e4), subject="C16", subject_aliases=[])]
    s = score([pred_fact([5, 6], 1e4, subject="C16"), pred_fact([5, 6], 1e4, subject="C10")], golds)
    assert (s.triple.tp, s.triple.fp, s.triple.fn) == (2, 0, 0)
