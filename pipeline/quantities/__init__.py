"""Quantity stage: every way Chinese writes a number, normalised.

``find_quantities(text)`` -> ``list[Quantity]`` (sorted, non-overlapping, offsets
into ``text``); ``numerals.parse_number`` reads one numeral.
"""
from __future__ import annotations

from pipeline.quantities.rules import find_quantities

__all__ = ["find_quantities"]
