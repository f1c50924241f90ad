"""Batch speed and memory: `make bench` (a benchmark, not a test; nothing here asserts).

Prints, over a corpus of >= 2 MB built by repeating corpus/articles and, when present,
../shared/dev/articles (third-party text, read in place, never copied into the repo):
  1. single-process throughput of the full pipeline in characters/s, beside jieba.lcut
     over the same text (the cost of segmenting it once);
  2. 2 worker processes against 1, over a larger corpus (--workers-megabytes);
  3. peak memory (RSS) of a whole `zhfacts batch` run over 2 MB and 20 MB, each in its own
     process, to show it stays flat as the corpus grows; these copies get new words (characters
     swapped), as fresh articles would, so that nothing kept per new word can hide.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.batch import _chunks, _load_extract_fn, default_extract_fn, run_local  # noqa: E402
from pipeline.batch_io import Item  # noqa: E402

SOURCES = [REPO / "corpus" / "articles", REPO.parent / "shared" / "dev" / "articles"]
MB = 1024 * 1024


def source_articles() -> list[tuple[str, str]]:
    found = []
    for folder in SOURCES:
        if folder.is_dir():
            found += [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
        else:
            print(f"(skipped {folder}: not found)")
    return found


def build_corpus(articles: list[tuple[str, str]], megabytes: float,
                 new_words: bool = False) -> list[tuple[str, str]]:
    """The articles repeated, each copy its own doc_id, until >= ``megabytes`` of UTF-8.

    ``new_words``: every copy after the first has one Han character in five swapped for
    another (deterministically), so that its words are new to the pipeline as a stream of
    fresh articles' would be; repeated text would hide anything that grows per new word.
    """
    corpus, size, copy = [], 0, 0
    while size < megabytes * MB:
        for name, text in articles:
            if new_words and copy:
                text = _with_new_words(text, seed=len(corpus))
            corpus.append((f"{name}-{copy:04d}", text))
            size += len(text.encode("utf-8"))
        copy += 1
    return corpus


def _with_new_words(text: str, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) if "\u4e00" <= ch <= "\u9fa5" and rng.random() < 0.2
                   else ch for ch in text)


def write_corpus(corpus: list[tuple[str, str]], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, text in corpus:
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")


def single_process(corpus, extract, rounds: int = 2) -> tuple[float, float]:
    """(ours, jieba.lcut) in chars/s, each the best of ``rounds`` passes, taken in turn so
    that a slow spell of a shared machine hits both alike."""
    import jieba

    extract("营收 1 亿元。", "warm-up")
    jieba.initialize()
    chars = sum(len(t) for _, t in corpus)
    ours = theirs = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for doc_id, text in corpus:
            extract(text, doc_id)
        ours = min(ours, time.perf_counter() - start)
        start = time.perf_counter()
        for _, text in corpus:
            jieba.lcut(text)
        theirs = min(theirs, time.perf_counter() - start)
    return chars / ours, chars / theirs


def wall_time(corpus, workers: int, extract, chunk_size: int | None = None) -> float:
    items = (Item(doc_id, doc_id, text=text) for doc_id, text in corpus)
    chunks = _chunks(items, size=chunk_size) if chunk_size else _chunks(items)
    start = time.perf_counter()
    for _ in run_local(chunks, workers, extract, as_json=True):
        pass
    return time.perf_counter() - start


def workers_rate(corpus, workers: int, extract) -> tuple[float, float, float]:
    """(wall s, start-up s, chars/s without start-up). Start-up (spawning the workers, each
    loading the models) is the wall time of a run over one short article per worker."""
    startup = wall_time([("tiny", "营收 1 亿元。")] * workers, workers, extract, chunk_size=1)
    wall = wall_time(corpus, workers, extract)
    chars = sum(len(t) for _, t in corpus)
    return wall, startup, chars / max(wall - startup, 1e-9)


def peak_rss(folder: Path, workers: int, extract_fn: str | None) -> dict:
    """A whole batch run in a fresh process; its own peak RSS and its largest worker's."""
    out = folder.parent / f"{folder.name}.jsonl"
    args = [str(folder), "-o", str(out), "--workers", str(workers), "--quiet"]
    args += ["--extract-fn", extract_fn] if extract_fn else []
    code = (
        "import json, resource, sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from pipeline.batch import main\n"
        f"rc = main({args!r})\n"
        "kb = lambda who: resource.getrusage(who).ru_maxrss / 1024\n"
        "print(json.dumps({'rc': rc, 'main_mb': kb(resource.RUSAGE_SELF),"
        " 'worker_mb': kb(resource.RUSAGE_CHILDREN)}))\n"
    )
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    if run.returncode != 0 or not run.stdout.strip():
        raise SystemExit(f"batch run failed: {run.stderr[-2000:]}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    result["seconds"] = time.perf_counter() - start
    result["lines"] = sum(1 for _ in out.open(encoding="utf-8"))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=2.0, help="corpus size for speed (default 2)")
    parser.add_argument("--memory-sizes", default="2,20", help="corpus sizes in MB for peak memory")
    parser.add_argument("--rounds", type=int, default=2, help="single-process passes, best kept (default 2)")
    parser.add_argument("--workers-megabytes", type=float, default=6.0,
                        help="corpus size for 2 workers against 1 (default 6: with a ~5 s start-up to "
                             "subtract, a short run makes the speed-up mostly noise)")
    parser.add_argument("--extract-fn", default=None, help="module:function instead of pipeline.api.extract")
    args = parser.parse_args()
    articles = source_articles()
    corpus = build_corpus(articles, args.megabytes)
    size = sum(len(t.encode("utf-8")) for _, t in corpus)
    chars = sum(len(t) for _, t in corpus)
    print(f"corpus: {len(corpus)} articles, {size / MB:.1f} MB, {chars} characters "
          f"({len(articles)} distinct articles repeated)")

    # Memory first: a child process starts from its parent's peak RSS (Linux keeps it across
    # fork and exec), so this one must not have loaded the pipeline yet.
    with tempfile.TemporaryDirectory(prefix="zhfacts-bench-") as tmp:
        for megabytes in [float(m) for m in args.memory_sizes.split(",")]:
            folder = Path(tmp) / f"corpus-{megabytes:g}mb"
            sized = build_corpus(articles, megabytes, new_words=True)
            write_corpus(sized, folder)
            rss = peak_rss(folder, 2, args.extract_fn)
            print(f"peak memory, {megabytes:g} MB of new words ({len(sized)} articles, {rss['lines']} lines out, "
                  f"{rss['seconds']:.1f} s, 2 workers): main process {rss['main_mb']:.0f} MB, "
                  f"largest worker {rss['worker_mb']:.0f} MB")
    extract = _load_extract_fn(args.extract_fn) or default_extract_fn()
    ours, jieba_rate = single_process(corpus, extract, args.rounds)
    print(f"single process: zhfacts {ours:,.0f} chars/s | jieba.lcut {jieba_rate:,.0f} chars/s "
          f"| ratio {ours / jieba_rate:.2f}x (target >= 1.0x)")

    workers_corpus = build_corpus(articles, args.workers_megabytes)
    print(f"workers corpus: {len(workers_corpus)} articles, "
          f"{sum(len(t.encode('utf-8')) for _, t in workers_corpus) / MB:.1f} MB")
    wall1, start1, rate1 = workers_rate(workers_corpus, 1, extract)
    wall2, start2, rate2 = workers_rate(workers_corpus, 2, extract)
    print(f"1 worker (in this process): {wall1:.1f} s wall, {start1:.1f} s start-up, {rate1:,.0f} chars/s")
    print(f"2 worker processes: {wall2:.1f} s wall, {start2:.1f} s start-up, {rate2:,.0f} chars/s")
    print(f"speed-up 2 vs 1: {rate2 / rate1:.2f}x without start-up, {wall1 / wall2:.2f}x wall "
          f"(target >= 1.8x)")

    print(f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB peak)")


if __name__ == "__main__":
    main()
