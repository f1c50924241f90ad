"""One article in, one validated ``Document`` out."""
from __future__ import annotations

from schemas import Document


def extract(text: str, doc_id: str = "doc") -> Document:
    """Every figure in ``text`` as a ``Fact`` (see ANNOTATION.md)."""
    from pipeline.nlp import get_nlp, doc_to_document

    return doc_to_document(get_nlp()(text), doc_id)
