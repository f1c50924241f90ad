"""Every hand-labelled gold file in corpus/gold/ is well formed against its article."""
from itertools import combinations
from pathlib import Path

import pytest

from schemas.gold import GoldDocument

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
GOLD_FILES = sorted((CORPUS / "gold").glob("*.json"))


def load(path: Path) -> GoldDocument:
    """Reads the gold file with its article, so every span is checked against the text."""
    article = (CORPUS / "articles" / f"{path.stem}.txt").read_text(encoding="utf-8")
    return GoldDocument.load(path, article)


def overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def test_the_corpus_has_gold_files():
    assert GOLD_FILES, "corpus/gold/ holds no gold file"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_file_validates_against_its_article(path):
    gold = load(path)
    assert gold.doc == f"{path.stem}.txt"
    assert gold.facts


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_facts_are_in_text_order(path):
    facts = load(path).facts
    for (i, earlier), (j, later) in combinations(enumerate(facts), 2):
        if not overlaps(earlier.span, later.span):
            assert earlier.span[1] <= later.span[0], (
                f"fact {i} {earlier.text!r} {list(earlier.span)} comes after fact {j} "
                f"{later.text!r} {list(later.span)}"
            )


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_no_fact_is_labelled_twice(path):
    keys = [(tuple(f.span), f.subject, f.metric) for f in load(path).facts]
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert not duplicates


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_no_negative_is_the_text_of_a_fact(path):
    gold = load(path)
    clashes = {f.text for f in gold.facts} & set(gold.negatives)
    assert not clashes


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_required_facts_carry_a_number(path):
    for fact in load(path).facts:
        if fact.optional:
            continue
        has_range = fact.low is not None and fact.high is not None
        assert (fact.value is not None) != has_range, fact.text
        if has_range:
            assert fact.low <= fact.high, fact.text
