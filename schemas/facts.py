"""Output contract: one ``Document`` per article, a list of ``Fact`` in it."""
from __future__ import annotations

import json
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

SubjectType = Literal["ORG", "PRODUCT", "PERSON", "WORK", "MARKET", "OTHER"]
Qualifier = Literal["exact", "approx", "over", "under", "nearly", "up_to", "at_least"]
Direction = Literal["up", "down"]
Span = tuple[int, int]

SCHEMA_ID = "https://zhfacts.dev/schemas/document.schema.json"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_span(span: Span | None) -> None:
    if span is not None and not 0 <= span[0] < span[1]:
        raise ValueError(f"span {list(span)} must satisfy 0 <= start < end")


class SubjectRef(_Strict):
    text: str = Field(description="The name as written; a pronoun is resolved to the name it refers to.")
    type: SubjectType
    span: Optional[Span] = Field(description="[start, end) of the name, or null when resolved from a pronoun.")

    @model_validator(mode="after")
    def _span_ok(self):
        _check_span(self.span)
        return self


class MetricRef(_Strict):
    name: Optional[str] = Field(description="Canonical snake_case metric name, or null when none is known.")
    text: str = Field(description="The metric words as written, with modifiers (同比, 30 天).")


class Figure(BaseModel):
    """A quantity as written and normalised: the value of a fact, and the core of a gold fact."""

    text: str
    span: Span
    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    unit: Optional[str] = None
    per: Optional[str] = None
    qualifier: Qualifier = "exact"
    direction: Optional[Direction] = None
    estimated: bool = False


class ValueRef(Figure, _Strict):
    @model_validator(mode="after")
    def _consistent(self):
        _check_span(self.span)
        if self.value is not None and (self.low is not None or self.high is not None):
            raise ValueError("a value is either a single number or a range (low/high), not both")
        return self


class Evidence(_Strict):
    span: Span


class Fact(_Strict):
    subject: Optional[SubjectRef]
    metric: MetricRef
    value: ValueRef
    time: Optional[str] = Field(description="ISO-like period: 2025, 2025-03, 2025-Q4, 2026-01-15; null if none.")
    evidence: Evidence


class Document(_Strict):
    doc_id: str
    facts: list[Fact]


def json_schema() -> dict:
    """The published JSON Schema of the output ``Document``."""
    schema = Document.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    return schema


if __name__ == "__main__":  # pragma: no cover - used by `make schema`
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
