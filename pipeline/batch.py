"""Many articles: worker processes or a Dask cluster, resumable output, an errors file.

One per-article function, ``process_chunk``, runs everywhere: in this process
(``workers=1``), in local worker processes (each loads the pipeline once), or on
Dask workers. Work is sent in small chunks with a bounded number in flight, so
memory stays flat however many articles there are.
"""
from __future__ import annotations

import argparse
import codecs
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pipeline.batch_io import (DEFAULT_MAX_BYTES, Failure, Inputs, Item, LineWriter, Progress,
                               decode_article, default_errors_path, recover_output)

ExtractFn = Callable[[str, str], "object"]  # (text, doc_id) -> schemas.Document

CHUNK_ARTICLES = 8
CHUNK_CHARS = 200_000
IN_FLIGHT_PER_WORKER = 2
MAX_POOL_RESTARTS = 3


class BatchSetupError(RuntimeError):
    """The batch cannot run at all (no engine, no cluster); the message is for the user."""


class ArticleError(RuntimeError):
    """``extract_many``: one article failed; ``doc_id`` and ``stage`` say which and where."""

    def __init__(self, failure: Failure):
        super().__init__(failure.error)
        self.doc_id, self.stage = failure.doc_id, failure.stage


@dataclass(frozen=True)
class Outcome:
    """What became of one article: its Document (as JSON for files, as an object for the API) or a Failure."""
    doc_id: str
    chars: int = 0
    line: str | None = None
    document: object | None = None
    failure: Failure | None = None


# ---------------------------------------------------------------- the per-article function

def default_extract_fn() -> ExtractFn:
    from pipeline.api import extract
    return extract


def process_item(item: Item, extract_fn: ExtractFn, encoding: str | None, as_json: bool) -> Outcome:
    from pipeline.text import InputError

    text = item.text
    if text is None:
        try:
            text = decode_article(item.data or b"", encoding, item.source)
        except InputError as err:
            return Outcome(item.doc_id, failure=Failure(item.doc_id, item.source, "decode", str(err)))
        if not text.strip():
            return Outcome(item.doc_id, failure=Failure(item.doc_id, item.source, "read",
                                                        f"{item.source}: no text after decoding"))
    try:
        document = extract_fn(text, item.doc_id)
        line = document.model_dump_json() if as_json else None
    except Exception as err:  # one bad article must not stop the batch
        message = " ".join(f"{type(err).__name__}: {err}".split())
        return Outcome(item.doc_id, failure=Failure(item.doc_id, item.source, "extract", message))
    return Outcome(item.doc_id, len(text), line, None if as_json else document)


def process_chunk(items: list[Item], extract_fn: ExtractFn, encoding: str | None = None,
                  as_json: bool = True) -> list[Outcome]:
    """The unit of work every engine runs: a few articles, each ending as an Outcome."""
    return [process_item(item, extract_fn, encoding, as_json) for item in items]


def _init_worker(extract_fn: ExtractFn) -> None:
    # Ctrl-C goes to the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    try:
        extract_fn("", "warm-up")  # load the models once per worker, before the first chunk
    except Exception:
        pass  # the same error will be reported per article, with its doc_id


def _exit_with_parent(parent: int) -> None:
    # A killed parent (SIGKILL, crash) never tells its workers, and they hold their task
    # queue open themselves, so they would wait for work forever.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _chunks(items: Iterable[Item], size: int = CHUNK_ARTICLES, max_chars: int = CHUNK_CHARS
            ) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    chars = 0
    for item in items:
        chunk.append(item)
        chars += item.size
        if len(chunk) >= size or chars >= max_chars:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def _died(chunk: list[Item], why: str) -> list[Outcome]:
    return [Outcome(i.doc_id, failure=Failure(i.doc_id, i.source, "extract", why)) for i in chunk]


# ---------------------------------------------------------------- engines

def run_local(chunks: Iterable[list[Item]], workers: int, extract_fn: ExtractFn,
              encoding: str | None = None, as_json: bool = True, ordered: bool = False
              ) -> Iterator[list[Outcome]]:
    """Chunks through ``workers`` processes (this one when 1); outcomes as chunks finish,
    or in input order when ``ordered``."""
    if workers <= 1:
        for chunk in chunks:
            yield process_chunk(chunk, extract_fn, encoding, as_json)
        return
    pool = _LocalPool(workers, extract_fn)
    pending: deque[tuple[Future, list[Item]]] = deque()
    finished = False
    try:
        for chunk in chunks:
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from pool.collect(pending, ordered)
            pending.append((pool.submit(chunk, encoding, as_json), chunk))
        while pending:
            yield from pool.collect(pending, ordered)
        finished = True
    finally:
        pool.stop(wait=finished)


class _LocalPool:
    """A ProcessPoolExecutor that is replaced when a worker dies (killed, out of memory)."""

    def __init__(self, workers: int, extract_fn: ExtractFn):
        self.workers, self.extract_fn = workers, extract_fn
        self.restarts = 0
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # spawn: workers start clean (no copied threads or locks) and load the models themselves.
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker, initargs=(self.extract_fn,))

    def submit(self, chunk: list[Item], encoding: str | None, as_json: bool) -> Future:
        try:
            return self.executor.submit(process_chunk, chunk, self.extract_fn, encoding, as_json)
        except BrokenProcessPool:
            self._restart()
            return self.executor.submit(process_chunk, chunk, self.extract_fn, encoding, as_json)

    def collect(self, pending: deque, ordered: bool) -> Iterator[list[Outcome]]:
        if ordered:
            ready = [pending.popleft()]
        else:
            done, _ = wait([f for f, _ in pending], return_when=FIRST_COMPLETED)
            ready = [p for p in pending if p[0] in done]
            for p in ready:
                pending.remove(p)
        for future, chunk in ready:
            try:
                outcomes = future.result()
                self.restarts = 0
            except BrokenProcessPool:
                outcomes = _died(chunk, "worker process died while this article was in flight "
                                        "(killed or out of memory); re-run to retry it")
                if self.executor._broken:  # noqa: SLF001 - the one way to know before submitting
                    self._restart()
            yield outcomes

    def _restart(self) -> None:
        self.restarts += 1
        if self.restarts > MAX_POOL_RESTARTS:
            raise BatchSetupError("worker processes keep dying; see the errors file")
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()

    def stop(self, wait: bool = False) -> None:
        if wait:  # all done: the workers are idle and exit at once
            self.executor.shutdown(wait=True)
            return
        # Workers would finish their chunk before exiting; on Ctrl-C or SIGTERM we do not wait for that.
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()


def run_dask(chunks: Iterable[list[Item]], workers: int, extract_fn: ExtractFn,
             encoding: str | None = None, as_json: bool = True, scheduler: str | None = None
             ) -> Iterator[list[Outcome]]:
    """The same chunks on a Dask cluster at ``scheduler`` (or a LocalCluster of ``workers``
    processes); outcomes as chunks finish. Articles travel with the task, so the
    workers need zhfacts installed but no shared filesystem."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise BatchSetupError("--engine dask needs Dask: pip install 'zhfacts[dask]'") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=30)
        else:
            import logging
            # One thread per worker process: the pipeline holds the GIL, processes give the parallelism.
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
    except OSError as err:
        if cluster is not None:
            cluster.close()
        raise BatchSetupError(f"cannot reach the Dask scheduler {scheduler}: {err}") from None
    try:
        window = IN_FLIGHT_PER_WORKER * max(sum(client.nthreads().values()), 1)
        futures = as_completed()
        in_flight: dict = {}

        def submit(chunk: list[Item]) -> None:
            future = client.submit(process_chunk, chunk, extract_fn, encoding, as_json, pure=False)
            in_flight[future.key] = chunk
            futures.add(future)

        def collect() -> list[Outcome]:
            future = next(futures)
            chunk = in_flight.pop(future.key)
            try:
                return future.result()
            except Exception as err:  # KilledWorker and the like: the chunk's articles are recorded
                return _died(chunk, " ".join(f"dask: {type(err).__name__}: {err}".split()))
            finally:
                future.release()

        for chunk in chunks:
            while len(in_flight) >= window:
                yield collect()
            submit(chunk)
        while in_flight:
            yield collect()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ---------------------------------------------------------------- Python API

def extract_many(items: Iterable[str | tuple[str, str]], workers: int | None = None, *,
                 extract_fn: ExtractFn | None = None) -> Iterator:
    """A Document per article, in input order, from ``workers`` processes (default: the cores).

    ``items`` are texts (doc_ids ``doc-1``, ``doc-2``, ...) or ``(doc_id, text)`` pairs;
    they are read lazily, so a generator of millions is fine. An article whose
    extraction fails raises ``ArticleError`` (``doc_id``, ``stage``).
    """
    extract_fn = extract_fn or default_extract_fn()
    workers = workers or os.cpu_count() or 1

    def as_items() -> Iterator[Item]:
        for index, entry in enumerate(items, 1):
            doc_id, text = (f"doc-{index}", entry) if isinstance(entry, str) else entry
            yield Item(str(doc_id), str(doc_id), text=text)

    for outcomes in run_local(_chunks(as_items()), workers, extract_fn, as_json=False, ordered=True):
        for outcome in outcomes:
            if outcome.failure is not None:
                raise ArticleError(outcome.failure)
            yield outcome.document


# ---------------------------------------------------------------- batch run (files in, JSONL out)

@dataclass
class BatchResult:
    output: Path
    errors: Path
    written: int = 0
    failed: int = 0
    skipped: int = 0
    chars: int = 0
    seconds: float = 0.0
    interrupted: int = 0  # the signal number that stopped the run, or 0
    first_errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        total = self.written + self.failed + self.skipped
        text = (f"zhfacts batch: {total} articles: {self.written} written, {self.failed} failed, "
                f"{self.skipped} already done; {self.chars} characters in {self.seconds:.1f} s "
                f"({self.written / max(self.seconds, 1e-9):.1f} articles/s, "
                f"{self.chars / max(self.seconds, 1e-9):.0f} characters/s)")
        if self.failed:
            text += f"\n  errors in {self.errors}; first: " + "; ".join(self.first_errors)
        if self.interrupted:
            text += (f"\n  stopped by signal {self.interrupted}: {self.output} holds whole lines only; "
                     "run the same command again to finish")
        return text


def run_batch(inputs: list[str], output: Path, errors: Path | None = None, *,
              workers: int | None = None, engine: str = "local", scheduler: str | None = None,
              encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
              progress: bool | Progress = False, extract_fn: ExtractFn | None = None,
              stdin=None) -> BatchResult:
    """Extract every input into ``output`` (appending; documents already there are skipped).

    Every input ends as one line in ``output`` or one line in ``errors`` (rewritten
    on every run, so it lists what still fails). Ctrl-C / SIGTERM stop the run
    cleanly (``result.interrupted``); the file keeps whole lines only.
    """
    extract_fn = extract_fn or default_extract_fn()
    workers = workers or os.cpu_count() or 1
    errors = errors or default_errors_path(output)
    result = BatchResult(output, errors)
    source = Inputs(inputs, max_bytes=max_bytes, encoding=encoding, stdin=stdin)
    if isinstance(progress, Progress):
        progress.total = source.total
    else:
        progress = Progress(source.total, enabled=progress)
    done = recover_output(output)
    out, err = LineWriter(output), LineWriter(errors, truncate=True)
    start = time.monotonic()

    def fail(failure: Failure) -> None:
        err.write(failure.to_json())
        result.failed += 1
        if len(result.first_errors) < 3:
            result.first_errors.append(f"[{failure.stage}] {failure.error}")
        progress.update(ok=False)

    def to_do() -> Iterator[Item]:
        seen: set[str] = set()
        for entry in source:
            if entry.doc_id in done:
                result.skipped += 1
                progress.skip()
            elif entry.doc_id in seen:
                fail(Failure(entry.doc_id, entry.source, "read",
                             f"{entry.source}: duplicate doc_id {entry.doc_id!r} (already an input of this run)"))
            else:
                seen.add(entry.doc_id)
                if isinstance(entry, Failure):
                    fail(entry)
                else:
                    yield entry

    if engine == "dask":
        batches = run_dask(_chunks(to_do()), workers, extract_fn, encoding, scheduler=scheduler)
    elif engine == "local":
        batches = run_local(_chunks(to_do()), workers, extract_fn, encoding)
    else:
        raise BatchSetupError(f"unknown engine {engine!r} (local or dask)")
    try:
        for outcomes in batches:
            for outcome in outcomes:
                if outcome.failure is not None:
                    fail(outcome.failure)
                else:
                    out.write(outcome.line)
                    result.written += 1
                    result.chars += outcome.chars
                    progress.update(ok=True, chars=outcome.chars)
    except _Stopped as stop:
        result.interrupted = stop.signum
    except KeyboardInterrupt:
        result.interrupted = signal.SIGINT
    finally:
        try:
            batches.close()
        finally:
            out.close()
            err.close()
            progress.finish()
            result.seconds = time.monotonic() - start
    return result


class _Stopped(KeyboardInterrupt):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum, _frame):
    raise _Stopped(signum)


# ---------------------------------------------------------------- command line

def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="article files, directories (every *.txt, recursively), JSON Lines files "
                             "(*.jsonl) of {\"id\": ..., \"text\": ...} records, or - for standard input")
    parser.add_argument("-o", "--output", required=True, type=Path,
                        help="JSON Lines output, one document per article; appended to, and documents "
                             "already in it are skipped (resume)")
    parser.add_argument("--errors", type=Path, default=None,
                        help="one JSON line per failed article (default: OUTPUT's name + .errors.jsonl)")
    parser.add_argument("--workers", type=int, default=None,
                        help=f"parallel processes (default: the machine's cores, {os.cpu_count()})")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local processes, or a Dask cluster (pip install 'zhfacts[dask]')")
    parser.add_argument("--scheduler", default=None,
                        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: start a local cluster)")
    parser.add_argument("--encoding", default=None,
                        help="encoding of the articles: UTF-8 (BOM or not) by default; gb18030 for GBK "
                             "archives; auto = UTF-8, else GB18030")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                        help="larger articles are recorded as errors, not read (default: 10 MB)")
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")
    parser.add_argument("--extract-fn", default=None, help=argparse.SUPPRESS)  # module:function, for tests


def _load_extract_fn(spec: str | None) -> ExtractFn | None:
    if not spec:
        return None
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def cli_main(args: argparse.Namespace) -> int:
    """0: every article written; 1: some failed (see the errors file); 2: the batch could not
    run; 128 + signal when stopped by Ctrl-C or SIGTERM."""
    if args.workers is not None and args.workers < 1:
        print("zhfacts batch: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.encoding not in (None, "auto"):
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            print(f"zhfacts batch: unknown encoding {args.encoding!r}", file=sys.stderr)
            return 2
    if args.scheduler and args.engine != "dask":
        print("zhfacts batch: --scheduler needs --engine dask", file=sys.stderr)
        return 2
    previous = signal.signal(signal.SIGTERM, _raise_stopped)
    try:
        result = run_batch(args.inputs, args.output, args.errors, workers=args.workers,
                           engine=args.engine, scheduler=args.scheduler, encoding=args.encoding,
                           max_bytes=args.max_bytes, progress=not args.quiet,
                           extract_fn=_load_extract_fn(args.extract_fn))
    except BatchSetupError as err:
        print(f"zhfacts batch: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as stop:  # stopped while listing the inputs: nothing written yet
        return 128 + getattr(stop, "signum", signal.SIGINT)
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(result.summary(), file=sys.stderr)
    if result.interrupted:
        return 128 + int(result.interrupted)
    return 1 if result.failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhfacts batch", description=__doc__.splitlines()[0])
    add_cli_arguments(parser)
    return cli_main(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
