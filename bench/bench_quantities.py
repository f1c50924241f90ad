"""Throughput of the quantity stage vs a plain ``regex`` digit scan on the same text.

The corpus repeats corpus/articles/*.txt (and ../shared/dev/articles/*.txt when
present) to at least 1 MB. Target: the stage at >= 1/5 of the plain scan's speed.
The numeral reader caches runs, which flatters a repeated corpus: the stage is also
timed with that cache cleared before every document (the honest figure).

    python bench/bench_quantities.py [--mb 1] [--shared ../shared]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.quantities import find_quantities  # noqa: E402
from pipeline.quantities.numerals import _STRETCH, _read_run, find_numbers  # noqa: E402

PLAIN = regex.compile(r"\d+")


def corpus(min_bytes: int, shared: Path) -> list[str]:
    paths = sorted((ROOT / "corpus" / "articles").glob("*.txt"))
    paths += sorted((shared / "dev" / "articles").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    out, size = [], 0
    while size < min_bytes:
        for t in texts:
            out.append(t)
            size += len(t.encode("utf-8"))
    return out


def _best_of(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    docs = corpus(int(args.mb * 1_000_000), Path(args.shared))
    chars = sum(len(d) for d in docs)
    plain = _best_of(lambda: [sum(1 for _ in PLAIN.finditer(d)) for d in docs], args.repeats)
    stage = _best_of(lambda: [find_quantities(d) for d in docs], args.repeats)

    def uncached():
        for d in docs:
            _read_run.cache_clear()
            find_quantities(d)
    cold = _best_of(uncached, args.repeats)
    # Where the time goes: the C-level scan for stretches of numeral material alone (no Python
    # per match), and the numbers found, each of which costs Python code in the rules.
    scan = _best_of(lambda: [sum(1 for _ in _STRETCH.finditer(d)) for d in docs], args.repeats)
    numbers = sum(len(find_numbers(d)) for d in docs)
    budget = plain / 0.2 - scan        # what the target leaves for all the per-number work
    report = {
        "documents": len(docs), "characters": chars,
        "bytes": sum(len(d.encode("utf-8")) for d in docs),
        "plain_regex_chars_per_s": round(chars / plain),
        "quantity_stage_chars_per_s": round(chars / stage),
        "ratio_to_plain": round(plain / stage, 3),
        "us_per_char": round(stage / chars * 1e6, 3),
        "us_per_char_cache_cleared": round(cold / chars * 1e6, 3),
        "ratio_to_plain_cache_cleared": round(plain / cold, 3),
        "target_ratio": 0.2,
        "numeral_scan_ratio_to_plain": round(plain / scan, 3),
        "numbers_found": numbers,
        "us_per_number_now": round((stage - scan) / numbers * 1e6, 2),
        "us_per_number_the_target_allows": round(budget / numbers * 1e6, 2),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
