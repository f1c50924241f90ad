"""Plain data types the stages attach to the spaCy ``Doc``.

Every stage reads and writes character offsets into the ORIGINAL article text
(``[start, end)`` in code points). The text stage's normalisation is length
preserving, so these offsets hold for the raw and the normalised text alike.
These are plain dataclasses on purpose: they live in the hot loop, and pydantic
is kept for the boundaries (``schemas``).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Quantity:
    """A figure as written, fully normalised (the quantity stage's output)."""

    start: int
    end: int
    text: str
    value: float | None = None          # single number, expanded: 1200万 -> 12000000
    low: float | None = None            # a range's ends, ``value`` then None
    high: float | None = None
    unit: str | None = None             # None, "%", "pp", "x", ISO 4217, "day", "tonne", ...
    per: str | None = None              # rate denominator: "minute", "month", "share", ...
    qualifier: str = "exact"            # exact approx over under nearly up_to at_least
    direction: str | None = None        # "up" / "down" for changes
    estimated: bool = False             # forecasts: 预计, 预期, 有望, 将
    vague: bool = False                 # 数千, 十几, 上百万: value None or a range
    kind: str = "number"                # number percent money multiple duration range ...
    rule: str = ""                      # the name of the rule that produced it

    @property
    def is_range(self) -> bool:
        return self.low is not None or self.high is not None


@dataclass(slots=True)
class EntityMention:
    """A name in the text (the entity stage's output)."""

    start: int
    end: int
    text: str
    label: str                          # ORG PRODUCT PERSON WORK MARKET OTHER
    canonical: str = ""                 # the lexicon's canonical name, or the text itself
    source: str = "lexicon"             # lexicon pattern pos coref ...
    score: float = 1.0


@dataclass(slots=True)
class MetricMention:
    """Metric words in the text (the metric stage's output)."""

    start: int
    end: int
    text: str                           # as written, with modifiers: "30 天用户留存率", "同比增长"
    name: str | None                    # canonical snake_case name, None if unknown


@dataclass(slots=True)
class TimeMention:
    """A time expression and the ISO-like period it denotes."""

    start: int
    end: int
    text: str
    value: str | None                   # "2025", "2025-03", "2025-Q4", "2026-01-15", "2025-01/2025-02"
    anchor: str = "point"               # point (在 2025 年), until (截至), relative (去年)


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    clauses: list[tuple[int, int]] = field(default_factory=list)
