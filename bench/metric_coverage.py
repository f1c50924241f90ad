"""How often the metric stage offers the right metric words for a gold fact.

Measures on the dev gold in /work/shared (third-party text, never copied into the repo);
skips cleanly when it is absent. For every non-optional gold fact it looks at the metric
mentions of the fact's sentence and asks whether one of them carries one of the gold's
``metric_keywords`` in its text or name (the scorer's metric test):

- any:     some mention before the value, or right after it (``5 亿张优惠券``), does;
- nearest: the nearest mention before the value does (right after it when none is before).

Also times ``MetricFinder.find`` against ``jieba.lcut`` on the same articles.

    .venv/bin/python bench/metric_coverage.py [--shared /work/shared] [--misses]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.metrics import MetricFinder  # noqa: E402
from pipeline.text import split_sentences  # noqa: E402

RIGHT_AFTER = 4  # at most this many characters (a classifier, a space) between value and metric


def keyword_hit(mention, keywords: list[str]) -> bool:
    haystacks = (mention.text.lower(), (mention.name or "").lower())
    return any(k.lower() in h for k in keywords for h in haystacks)


def candidates(mentions, sentence, start: int, end: int):
    """Mentions before the value (nearest first), then those right after it."""
    before = [m for m in mentions if sentence.start <= m.start and m.end <= start]
    after = [m for m in mentions if end <= m.start <= end + RIGHT_AFTER and m.end <= sentence.end]
    return sorted(before, key=lambda m: -m.end), after


def measure(shared: Path, finder: MetricFinder, show_misses: bool) -> int:
    gold_dir, article_dir = shared / "dev" / "gold", shared / "dev" / "articles"
    totals = {"facts": 0, "any": 0, "nearest": 0}
    print(f"{'article':48} {'facts':>5} {'any':>6} {'nearest':>8}")
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (article_dir / gold["doc"]).read_text(encoding="utf-8")
        mentions, sentences = finder.find(text), split_sentences(text)
        counts = {"facts": 0, "any": 0, "nearest": 0}
        for fact in gold["facts"]:
            if fact.get("optional"):
                continue
            start, end = fact["span"]
            sentence = next((s for s in sentences if s.start <= start < s.end), None)
            if sentence is None:
                continue
            before, after = candidates(mentions, sentence, start, end)
            keywords = fact["metric_keywords"]
            counts["facts"] += 1
            any_hit = any(keyword_hit(m, keywords) for m in before + after)
            nearest = (before or after or [None])[0]
            nearest_hit = nearest is not None and keyword_hit(nearest, keywords)
            counts["any"] += any_hit
            counts["nearest"] += nearest_hit
            if show_misses and not nearest_hit:
                context = text[max(sentence.start, start - 30):end + 8].replace("\n", " ")
                got = f"{nearest.text}/{nearest.name}" if nearest else "-"
                print(f"   {'MISS' if not any_hit else 'far '} {fact['metric']:32} {keywords} got {got} | {context}")
        for key in totals:
            totals[key] += counts[key]
        print(f"{gold_path.stem[:48]:48} {counts['facts']:5} {_pct(counts['any'], counts['facts']):>6} "
              f"{_pct(counts['nearest'], counts['facts']):>8}")
    print(f"{'ALL':48} {totals['facts']:5} {_pct(totals['any'], totals['facts']):>6} "
          f"{_pct(totals['nearest'], totals['facts']):>8}")
    return 0


def time_against_jieba(shared: Path, finder: MetricFinder, rounds: int = 20) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared / "dev" / "articles").glob("*.txt"))]
    chars = sum(map(len, texts))
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            finder.find(text)
    ours = time.perf_counter() - started
    try:
        import jieba
    except ImportError:
        print(f"find: {chars * rounds / ours / 1e6:.2f} M chars/s (jieba not installed)")
        return
    jieba.setLogLevel(60)
    jieba.lcut(texts[0])  # loads the dictionary outside the timing
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            jieba.lcut(text)
    theirs = time.perf_counter() - started
    print(f"find: {chars * rounds / ours / 1e6:.2f} M chars/s; jieba.lcut: "
          f"{chars * rounds / theirs / 1e6:.2f} M chars/s; find takes {ours / theirs:.1%} of lcut's time")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("/work/shared"))
    parser.add_argument("--misses", action="store_true", help="print the facts the nearest mention misses")
    args = parser.parse_args(argv)
    if not (args.shared / "dev" / "gold").is_dir():
        print(f"skipped: {args.shared / 'dev' / 'gold'} not found (the dev gold lives only in the shared folder)")
        return 0
    finder = MetricFinder()
    measure(args.shared, finder, args.misses)
    time_against_jieba(args.shared, finder)
    return 0


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


if __name__ == "__main__":
    sys.exit(main())
