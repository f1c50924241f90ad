"""zhfacts: every figure in a Chinese article as a validated fact.

``extract(text)`` for one article, ``extract_many(texts, workers=...)`` for many.
"""
from __future__ import annotations

__all__ = ["extract", "extract_many"]


def __getattr__(name):  # lazy: importing ``pipeline`` must not load spaCy
    if name == "extract":
        from pipeline.api import extract
        return extract
    if name == "extract_many":
        from pipeline.batch import extract_many
        return extract_many
    raise AttributeError(name)
