"""How often the time stage gives a gold fact its gold ``time`` (measures on /work/shared/dev).

For each gold fact: ``find_times`` on its article with the reference year from
``infer_reference_year`` (not the real date: unseen articles have none), then
``time_for_fact`` at the gold value span in its sentence. Prints the accuracy
overall and per article, and the inferred reference years beside the dates in
SOURCES.tsv. Skips cleanly when /work/shared is absent. ``--speed`` also prints
the characters per second of ``infer_reference_year`` + ``find_times`` over the
dev articles (and the repo's ``corpus/articles``), beside ``jieba.lcut``'s.

    .venv/bin/python bench/time_accuracy.py [--dev DIR] [--misses] [--speed]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.text import split_sentences  # noqa: E402
from pipeline import times as time_stage  # noqa: E402
from pipeline.times import find_times, infer_reference_year, time_for_fact  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DEV = Path("/work/shared/dev")


def source_dates(dev: Path) -> dict[str, str]:
    path = dev / "SOURCES.tsv"
    if not path.exists():
        return {}
    dates = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) >= 3:
            dates[cells[0]] = cells[2]
    return dates


def sentence_around(sentences, offset: int) -> tuple[int, int]:
    for sentence in sentences:
        if sentence.start <= offset < sentence.end:
            return sentence.start, sentence.end
    return offset, offset


def evaluate_article(text: str, facts: list[dict], show_misses: bool, name: str,
                     reference_year: int | None = None) -> tuple[int, int]:
    if reference_year is None:
        reference_year = infer_reference_year(text)
    times = find_times(text, reference_year)
    sentences = split_sentences(text)
    right = 0
    for fact in facts:
        value_start = fact["span"][0]
        start, end = sentence_around(sentences, value_start)
        predicted = time_for_fact(times, start, end, value_start, text=text)
        if predicted == fact.get("time"):
            right += 1
        elif show_misses:
            context = text[max(start, value_start - 50):value_start].replace("\n", " ")
            print(f"  MISS {name}: gold={fact.get('time')!s:<17} got={predicted!s:<17} "
                  f"…{context}【{fact['text']}】")
    return right, len(facts)


def chars_per_second(texts: list[str], work, repeat: int = 10) -> float:
    """Best of three rounds; the time stage's per-text caches are emptied before
    each article, so a repeat never reuses the work of an earlier round."""
    best = float("inf")
    for _ in range(3):
        elapsed = 0.0
        for _ in range(repeat):
            for text in texts:
                time_stage._choose.cache_clear()
                time_stage._normalised.cache_clear()
                start = time.perf_counter()
                work(text)
                elapsed += time.perf_counter() - start
        best = min(best, elapsed)
    return sum(map(len, texts)) * repeat / best


def print_speed(dev: Path) -> None:
    paths = sorted((dev / "articles").glob("*.txt")) + sorted((REPO / "corpus" / "articles").glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in paths]
    speed = chars_per_second(texts, lambda text: find_times(text, infer_reference_year(text)))
    print(f"time stage (infer_reference_year + find_times): {speed / 1e6:.2f}M chars/s "
          f"over {len(texts)} articles, {sum(map(len, texts))} chars")
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(60)
    jieba.initialize()
    print(f"jieba.lcut, same texts: {chars_per_second(texts, jieba.lcut) / 1e6:.2f}M chars/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--misses", action="store_true", help="print every fact whose time is wrong")
    parser.add_argument("--speed", action="store_true", help="also print the time stage's chars/s")
    args = parser.parse_args(argv)
    gold_dir = args.dev / "gold"
    if not gold_dir.is_dir():
        print(f"skipped: no dev gold at {gold_dir} (/work/shared is not available)")
        return 0
    dates = source_dates(args.dev)
    total_right = total = dated_right = 0
    print(f"{'article':<48} {'ref year':>8}  {'source date':<12} {'accuracy':>14}")
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (args.dev / "articles" / gold["doc"]).read_text(encoding="utf-8")
        name = gold_path.stem
        right, count = evaluate_article(text, gold["facts"], args.misses, name)
        total_right += right
        total += count
        date = dates.get(name, "?").split(" ")[0]
        if date[:4].isdigit():      # the same with the true year, to tell the two error sources apart
            dated_right += evaluate_article(text, gold["facts"], False, name, int(date[:4]))[0]
        else:
            dated_right += right
        inferred = infer_reference_year(text)
        flag = "" if date[:4] == str(inferred) else "  <- differs"
        print(f"{name:<48} {inferred!s:>8}  {date:<12} {right:>4}/{count:<4} {right / max(count, 1):6.1%}{flag}")
    print(f"{'overall':<48} {'':>8}  {'':<12} {total_right:>4}/{total:<4} {total_right / max(total, 1):6.1%}")
    print(f"{'overall with the SOURCES.tsv year':<48} {'':>8}  {'':<12} {dated_right:>4}/{total:<4} "
          f"{dated_right / max(total, 1):6.1%}")
    if args.speed:
        print_speed(args.dev)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
