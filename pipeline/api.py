"""One article in, one validated ``Document`` out."""
from __future__ import annotations

from schemas import Document


def extract(text: str, doc_id: str = "doc") -> Document:
    """Every figure in ``text`` as a ``Fact`` (see ANNOTATION.md)."""
    from pipeline.nlp import get_nlp, doc_to_document

    nlp = get_nlp()
    # The tokens' strings and lexemes live only as long as the Doc: without a memory zone
    # spaCy keeps every new word for good, and a batch of new articles grows without end.
    with nlp.memory_zone():
        document = doc_to_document(nlp(text), doc_id)
    nlp.tokenizer.keep_common_words()
    return document
