"""The output contract and the gold-file format, as pydantic models.

Nothing here imports the pipeline: these models are the boundary every other
tool reads (see ``../shared/ANNOTATION.md`` for the contract they follow).
"""
from schemas.facts import Document, Evidence, Fact, MetricRef, SubjectRef, ValueRef, json_schema
from schemas.gold import GoldDocument, GoldFact

__all__ = [
    "Document", "Evidence", "Fact", "MetricRef", "SubjectRef", "ValueRef", "json_schema",
    "GoldDocument", "GoldFact",
]
