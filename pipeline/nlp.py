"""Builds the spaCy pipeline: the stages in order, each a registered component.

    tokenizer         segment.JiebaSegmenter   text stage + jieba: doc._.sentences, doc._.pos_tokens
    zhfacts_quantities  quantities               doc._.quantities
    zhfacts_times       times                    doc._.times, doc._.reference_year
    zhfacts_entities    entities                 doc._.entities
    zhfacts_metrics     metrics                  doc._.metrics
    zhfacts_link        link                     doc._.facts

A spaCy user can build the same with ``spacy.blank("zh")`` and ``nlp.add_pipe(...)``
for each name (the tokenizer is optional: without it the components split the
sentences themselves), then read ``doc._.facts``.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from schemas import Document
from pipeline.mentions import MetricMention
from pipeline.text import normalise, split_sentences

EXTENSIONS = ("raw_text", "norm_text", "sentences", "pos_tokens", "quantities", "times", "reference_year",
              "entities", "metrics", "facts")
for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

STAGES = ("zhfacts_quantities", "zhfacts_times", "zhfacts_entities", "zhfacts_metrics", "zhfacts_link")


def _ensure_text_stage(doc: Doc) -> None:
    """Components also work after spaCy's own tokenizer: fill in what the segmenter would."""
    if doc._.raw_text is None:
        doc._.raw_text = doc.text       # spaCy rebuilds ``doc.text`` from the tokens on every call
    if doc._.norm_text is None:
        doc._.norm_text = normalise(doc._.raw_text)
    if doc._.sentences is None:
        doc._.sentences = split_sentences(doc._.norm_text)


@lru_cache(maxsize=4)
def _entity_finder(lexicon_path: str | None):
    from pipeline.entities import EntityFinder
    return EntityFinder(lexicon_path)


@lru_cache(maxsize=4)
def _metric_finder(lexicon_path: str | None):
    from pipeline.metrics import MetricFinder
    return MetricFinder(lexicon_path)


@spacy.registry.tokenizers("zhfacts.JiebaSegmenter.v1")
def create_segmenter(figure_sentences_only: bool = True, pos_tags: bool = False, hmm: bool = False,
                     entity_lexicon: str | None = None, metric_lexicon: str | None = None):
    from pipeline.lex_attrs import use_faster_getters
    from pipeline.segment import JiebaSegmenter

    def make(nlp: Language) -> JiebaSegmenter:
        use_faster_getters(nlp.vocab)
        words = list(_entity_finder(entity_lexicon).user_dictionary())
        words += [(w, "n") for w in _metric_finder(metric_lexicon).user_dictionary()]
        return JiebaSegmenter(nlp.vocab, words, figure_sentences_only, pos_tags, hmm)
    return make


class QuantityStage:
    def __call__(self, doc: Doc) -> Doc:
        from pipeline.quantities import find_quantities
        _ensure_text_stage(doc)
        doc._.quantities = find_quantities(doc._.norm_text, normalised=True)
        return doc


class TimeStage:
    def __init__(self, reference_year: int | None):
        self.reference_year = reference_year

    def __call__(self, doc: Doc) -> Doc:
        from pipeline.times import find_times, infer_reference_year
        _ensure_text_stage(doc)
        norm = doc._.norm_text
        year = doc._.reference_year or self.reference_year or infer_reference_year(norm, normalised=True)
        doc._.reference_year = year
        doc._.times = find_times(norm, year, normalised=True)
        return doc


class EntityStage:
    def __init__(self, lexicon: str | None):
        self.finder = _entity_finder(lexicon)

    def __call__(self, doc: Doc) -> Doc:
        _ensure_text_stage(doc)
        doc._.entities = self.finder.find(doc._.norm_text, doc._.sentences, doc._.pos_tokens)
        return doc


class MetricStage:
    def __init__(self, lexicon: str | None):
        self.finder = _metric_finder(lexicon)

    def __call__(self, doc: Doc) -> Doc:
        """Metric words are only looked for in the sentences that hold a figure."""
        _ensure_text_stage(doc)
        text, metrics = doc._.norm_text, []
        for start, end in _figure_sentences(doc):
            metrics.extend(MetricMention(m.start + start, m.end + start, m.text, m.name)
                           for m in self.finder.find(text[start:end]))
        doc._.metrics = metrics
        return doc


def _figure_sentences(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) of the sentences that hold at least one quantity."""
    if doc._.quantities is None:
        return [(0, len(doc._.norm_text))]
    starts = iter(q.start for q in doc._.quantities)
    spans, next_start = [], next(starts, None)
    for sentence in doc._.sentences:
        while next_start is not None and next_start < sentence.start:
            next_start = next(starts, None)
        if next_start is not None and next_start < sentence.end:
            spans.append((sentence.start, sentence.end))
    return spans


class LinkStage:
    MAX_KNOWN_KINDS = 50_000

    def __init__(self, metric_lexicon: str | None):
        self.metric_finder = _metric_finder(metric_lexicon)
        self.kinds: dict[str, str | None] = {}      # metric text -> kind, across articles

    def _metric_kinds(self):
        """``metric_kind``: the kind of a metric text is looked up once (the same metric
        words come back article after article)."""
        kinds = self.kinds
        if len(kinds) > self.MAX_KNOWN_KINDS:
            kinds.clear()

        def metric_kind(mention: MetricMention) -> str | None:
            text = mention.text
            if text not in kinds:
                info = self.metric_finder.info(text)
                kinds[text] = info.kind if info else None
            return kinds[text]
        return metric_kind

    def __call__(self, doc: Doc) -> Doc:
        from pipeline.link import link_facts
        _ensure_text_stage(doc)
        doc._.facts = link_facts(doc._.norm_text, doc._.sentences, doc._.quantities or [],
                                 doc._.entities or [], doc._.metrics or [], doc._.times or [],
                                 self._metric_kinds(), doc._.raw_text)
        return doc


@Language.factory("zhfacts_quantities")
def make_quantity_stage(nlp: Language, name: str) -> QuantityStage:
    return QuantityStage()


@Language.factory("zhfacts_times", default_config={"reference_year": None})
def make_time_stage(nlp: Language, name: str, reference_year: int | None) -> TimeStage:
    return TimeStage(reference_year)


@Language.factory("zhfacts_entities", default_config={"lexicon": None})
def make_entity_stage(nlp: Language, name: str, lexicon: str | None) -> EntityStage:
    return EntityStage(lexicon)


@Language.factory("zhfacts_metrics", default_config={"lexicon": None})
def make_metric_stage(nlp: Language, name: str, lexicon: str | None) -> MetricStage:
    return MetricStage(lexicon)


@Language.factory("zhfacts_link", default_config={"metric_lexicon": None})
def make_link_stage(nlp: Language, name: str, metric_lexicon: str | None) -> LinkStage:
    return LinkStage(metric_lexicon)


def build_nlp(figure_sentences_only: bool = True) -> Language:
    config = {"nlp": {"tokenizer": {"@tokenizers": "zhfacts.JiebaSegmenter.v1",
                                    "figure_sentences_only": figure_sentences_only}}}
    nlp = spacy.blank("zh", config=config)
    for stage in STAGES:
        nlp.add_pipe(stage)
    return nlp


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The default pipeline, built once per process (workers call this once each)."""
    return build_nlp()


def doc_to_document(doc: Doc, doc_id: str) -> Document:
    return Document(doc_id=doc_id, facts=list(doc._.facts or []))
