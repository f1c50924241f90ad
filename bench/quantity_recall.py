"""Quantity-stage recall on the dev gold (measures on /work/shared; skips without it).

For each gold fact: is there a quantity overlapping its span with the same
value/low/high, unit and per? Also counts our quantities that overlap no gold
fact, and gold negatives we found (those must never be found).

    python bench/quantity_recall.py [--shared ../shared] [--verbose]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.quantities import find_quantities  # noqa: E402


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def _agrees(q, g) -> bool:
    return (_same(q.value, g["value"]) and _same(q.low, g["low"]) and _same(q.high, g["high"])
            and q.unit == g["unit"] and q.per == g["per"])


def _overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def measure(shared: Path, verbose: bool = False) -> dict:
    gold_dir, art_dir = shared / "dev" / "gold", shared / "dev" / "articles"
    stats = dict(facts=0, found=0, required=0, required_found=0, qualifier_ok=0, quantities=0,
                 unmatched=0, negatives_hit=0)
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (art_dir / gold["doc"]).read_text(encoding="utf-8")
        qs = find_quantities(text)
        stats["quantities"] += len(qs)
        for g in gold["facts"]:
            span = tuple(g["span"])
            hits = [q for q in qs if _overlaps((q.start, q.end), span)]
            ok = any(_agrees(q, g) for q in hits)
            stats["facts"] += 1
            stats["found"] += ok
            if not g.get("optional"):
                stats["required"] += 1
                stats["required_found"] += ok
            if ok and any(_agrees(q, g) and q.qualifier == g["qualifier"] for q in hits):
                stats["qualifier_ok"] += 1
            if verbose and not ok and not g.get("optional"):
                ctx = text[max(0, span[0] - 10):span[1] + 6].replace("\n", " ")
                got = [(q.text, q.value, q.low, q.high, q.unit, q.per) for q in hits]
                print(f"MISS {path.stem}: {ctx!r} gold={g['text']!r} {g['value']} {g['low']}-{g['high']} "
                      f"{g['unit']} per={g['per']} got={got}")
        gold_spans = [tuple(g["span"]) for g in gold["facts"]]
        negatives = set(gold.get("negatives", []))
        neg_spans = []
        for neg in negatives:
            at = text.find(neg)
            while at >= 0:
                neg_spans.append((at, at + len(neg), neg))
                at = text.find(neg, at + 1)
        for q in qs:
            if any(_overlaps((q.start, q.end), s) for s in gold_spans):
                continue
            hit = [n for s, e, n in neg_spans if _overlaps((q.start, q.end), (s, e))]
            if hit:
                stats["negatives_hit"] += 1
                if verbose:
                    print(f"NEGATIVE {path.stem}: {q.text!r} ({q.kind}) in {hit}")
            else:
                stats["unmatched"] += 1
    stats["recall"] = round(stats["found"] / max(1, stats["facts"]), 4)
    stats["required_recall"] = round(stats["required_found"] / max(1, stats["required"]), 4)
    return stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "dev" / "gold").is_dir():
        print(f"skipped: {shared / 'dev' / 'gold'} not found (the dev gold lives only in ../shared)")
        return 0
    stats = measure(shared, args.verbose)
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
