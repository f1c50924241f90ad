"""Hand-labelled gold files (format in ANNOTATION.md, "Gold files")."""
from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator

from schemas.facts import Figure, SubjectType


class GoldFact(Figure):
    model_config = ConfigDict(extra="forbid")

    subject: Optional[str]
    subject_type: Optional[SubjectType] = None
    subject_aliases: list[str] = []
    metric: Optional[str]
    metric_keywords: list[str] = []
    time: Optional[str] = None
    optional: bool = False
    note: Optional[str] = None

    @model_validator(mode="after")
    def _span_matches_article(self, info: ValidationInfo):
        article = (info.context or {}).get("article")
        if article is not None and article[self.span[0]:self.span[1]] != self.text:
            raise ValueError(
                f"span {list(self.span)} reads {article[self.span[0]:self.span[1]]!r}, not {self.text!r}"
            )
        return self

    @property
    def names(self) -> set[str]:
        """Every fair way to name the subject."""
        return {n for n in [self.subject, *self.subject_aliases] if n}


class GoldDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc: str
    negatives: list[str] = []
    facts: list[GoldFact]

    @classmethod
    def load(cls, path, article: str | None = None) -> "GoldDocument":
        """Read a gold file; with the article text, every span is checked against it."""
        from pathlib import Path

        return cls.model_validate_json(Path(path).read_text(encoding="utf-8"), context={"article": article})
