"""Batch I/O: what to read (files, directories, JSON Lines, stdin), the output and
errors files (one line per write, resumable) and the progress line.

Nothing here runs the pipeline; ``pipeline.batch`` does, on the ``Item``s made here.
"""
from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
JSONL_SUFFIXES = (".jsonl", ".ndjson")
STDIN = "-"


@dataclass(frozen=True)
class Item:
    """One article to extract: raw bytes (decoded in the worker) or text already decoded."""
    doc_id: str
    source: str
    data: bytes | None = None
    text: str | None = None

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else len(self.text or "")


@dataclass(frozen=True)
class Failure:
    """An input that could not become a Document; one line of the errors file."""
    doc_id: str
    source: str
    stage: str  # read | record | decode | extract
    error: str

    def to_json(self) -> str:
        return json.dumps({"doc_id": self.doc_id, "source": self.source, "stage": self.stage,
                           "error": self.error}, ensure_ascii=False)


def decode_article(data: bytes, encoding: str | None, name: str) -> str:
    """``pipeline.text.decode``, plus ``auto``: UTF-8 (a BOM allowed), else GB18030.

    UTF-8 first is safe: Chinese text in GBK/GB18030 is practically never valid
    UTF-8 (its lead bytes 0x81-0xFE are followed by bytes UTF-8 rejects), and
    GB18030 is the superset of GB2312 and GBK that those archives use.
    """
    from pipeline.text import InputError, decode

    if encoding != "auto":
        return decode(data, encoding, name)
    try:
        return decode(data, None, name)
    except InputError:
        return decode(data, "gb18030", name)


# ---------------------------------------------------------------- inputs

@dataclass(frozen=True)
class _TextFile:
    path: Path
    doc_id: str


def _walk(inputs: Iterable[str]) -> Iterator[tuple[str, Path | None, str]]:
    """(as given, path, path inside the named directory) for every file to read;
    directories give their ``*.txt``, recursively, in name order."""
    for given in inputs:
        if given == STDIN:
            yield given, None, given
            continue
        path = Path(given)
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*.txt") if p.is_file()):
                yield found.as_posix(), found, found.relative_to(path).as_posix()
        else:
            yield given, path, path.name


def _doc_ids(files: list[tuple[Path, str]]) -> list[str]:
    """The file name without extension; where names clash, the path inside the directory
    named on the command line, and where even those clash, the whole path (no extension)."""
    def unique(keys: list[str], fallback: list[str]) -> list[str]:
        counts: dict[str, int] = {}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        return [key if counts[key] == 1 else other for key, other in zip(keys, fallback)]

    full = [path.with_suffix("").as_posix() for path, _ in files]
    inner = unique([_strip_suffix(rel) for _, rel in files], full)
    return unique([path.stem for path, _ in files], inner)


def _strip_suffix(rel: str) -> str:
    return rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel


class Inputs:
    """Every input named on the command line, read lazily and in order.

    ``total`` is known before reading (JSON Lines files are counted by their lines)
    except for standard input; it drives the progress line's ETA.
    """

    def __init__(self, inputs: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES,
                 encoding: str | None = None, stdin: BinaryIO | None = None):
        self.max_bytes = max_bytes
        self.encoding = encoding
        self._stdin = stdin
        seen: set[Path] = set()
        self._sources: list[tuple[str, Path | None]] = []
        inner: dict[Path, str] = {}
        for given, path, rel in _walk(inputs):
            key = path.resolve() if path is not None else None
            if key is not None and key in seen:  # the same file named twice is one input
                continue
            if key is not None:
                seen.add(key)
                inner[path] = rel
            self._sources.append((given, path))
        text_files = [p for g, p in self._sources if p is not None and not _is_jsonl(p)]
        self._file_ids = dict(zip(text_files, _doc_ids([(p, inner[p]) for p in text_files])))
        self.total: int | None = 0
        for given, path in self._sources:
            if path is None:
                self.total = None
            elif self.total is not None:
                self.total += _count_lines(path) if _is_jsonl(path) and path.is_file() else 1

    def __iter__(self) -> Iterator[Item | Failure]:
        for given, path in self._sources:
            if path is None:
                yield from self._read_stdin()
            elif _is_jsonl(path):
                yield from self._read_jsonl(path, given)
            else:
                yield self._read_file(path, self._file_ids[path], given)

    def _read_file(self, path: Path, doc_id: str, source: str) -> Item | Failure:
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                return Failure(doc_id, source, "read",
                               f"{source}: {size} bytes is over the limit of {self.max_bytes} (--max-bytes)")
            data = path.read_bytes()
        except OSError as err:
            return Failure(doc_id, source, "read", f"{source}: {err.strerror or err}")
        if not data.strip():
            return Failure(doc_id, source, "read", f"{source}: empty file (a broken download?)")
        return Item(doc_id, source, data=data)

    def _read_jsonl(self, path: Path, source: str) -> Iterator[Item | Failure]:
        try:
            stream = path.open("rb")
        except OSError as err:
            yield Failure(source, source, "read", f"{source}: {err.strerror or err}")
            return
        with stream:
            yield from self._records(stream, source)

    def _read_stdin(self) -> Iterator[Item | Failure]:
        """JSON Lines when the first non-blank byte is ``{`` (an article never starts so), else one article."""
        stream = self._stdin or sys.stdin.buffer
        head = b""
        while not head.strip():
            line = stream.readline(self.max_bytes + 1)
            if not line:
                break
            head += line
        if head.lstrip().startswith((b"{", b"\xef\xbb\xbf{")):
            yield from self._records(_Prepend(head, stream), "stdin")
            return
        data = head + stream.read(self.max_bytes + 1 - len(head))
        if len(data) > self.max_bytes:
            yield Failure("stdin", "stdin", "read", f"stdin: over the limit of {self.max_bytes} bytes (--max-bytes)")
        elif not data.strip():
            yield Failure("stdin", "stdin", "read", "stdin: no text")
        else:
            yield Item("stdin", "stdin", data=data)

    def _records(self, stream, source: str) -> Iterator[Item | Failure]:
        from pipeline.text import InputError

        lineno = 0
        while True:
            raw = stream.readline(self.max_bytes + 1)
            if not raw:
                return
            lineno += 1
            where = f"{source}:{lineno}"
            if len(raw) > self.max_bytes and not raw.endswith(b"\n"):
                while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass  # skip the rest of an enormous record without holding it
                yield Failure(where, where, "read", f"{where}: record over the limit of {self.max_bytes} bytes")
                continue
            if not raw.strip():
                continue  # a blank line is not a record
            try:
                record = json.loads(decode_article(raw, self.encoding, where))
            except InputError as err:
                yield Failure(where, where, "decode", str(err))
                continue
            except ValueError as err:
                yield Failure(where, where, "record", f"{where}: not a JSON record ({err})")
                continue
            yield _record_item(record, where)


def _record_item(record, where: str) -> Item | Failure:
    if not isinstance(record, dict):
        return Failure(where, where, "record", f"{where}: a record must be a JSON object with \"text\"")
    raw_id = record.get("id")
    doc_id = where if raw_id is None or raw_id == "" else str(raw_id)
    text = record.get("text")
    if not isinstance(text, str):
        return Failure(doc_id, where, "record", f"{where}: record has no \"text\" string")
    if not text.strip():
        return Failure(doc_id, where, "record", f"{where}: record's \"text\" is empty")
    return Item(doc_id, where, text=text)


class _Prepend:
    """A binary stream with bytes already read put back in front (for ``readline``)."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head, self._stream = head.splitlines(keepends=True), stream

    def readline(self, limit: int = -1) -> bytes:
        if self._head:
            return self._head.pop(0)
        return self._stream.readline(limit)


def _is_jsonl(path: Path) -> bool:
    return path.suffix.lower() in JSONL_SUFFIXES


def _count_lines(path: Path) -> int:
    count, last = 0, b"\n"
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


# ---------------------------------------------------------------- output

def recover_output(path: Path) -> set[str]:
    """doc_ids already in the output file; a trailing half-written line is cut away."""
    if not path.exists():
        return set()
    done: set[str] = set()
    with path.open("r+b") as stream:
        complete = 0
        for line in stream:
            if not line.endswith(b"\n"):
                break
            complete += len(line)
            try:
                done.add(json.loads(line)["doc_id"])
            except (ValueError, KeyError, TypeError):
                pass  # not ours; left as it is, and its article is done again
        stream.truncate(complete)
    return done


class LineWriter:
    """Appends whole lines: one ``write`` per line, fsync now and then and at close.

    A kill between two writes leaves only whole lines; should a write ever be cut
    (a crash, a full disk), ``close`` and ``recover_output`` cut the half line away.
    """

    FSYNC_EVERY_S = 5.0

    def __init__(self, path: Path, truncate: bool = False):
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if truncate else 0)
        self.path = path
        self._fd = os.open(path, flags, 0o644)
        self._size = os.fstat(self._fd).st_size
        self._synced = time.monotonic()
        self.lines = 0

    def write(self, line: str) -> None:
        data = (line + "\n").encode("utf-8")
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view):]
        self._size += len(data)
        self.lines += 1
        if time.monotonic() - self._synced > self.FSYNC_EVERY_S:
            os.fsync(self._fd)
            self._synced = time.monotonic()

    def close(self) -> None:
        if self._fd < 0:
            return
        if os.fstat(self._fd).st_size > self._size:
            os.ftruncate(self._fd, self._size)
        os.fsync(self._fd)
        os.close(self._fd)
        self._fd = -1


def default_errors_path(output: Path) -> Path:
    """``facts.jsonl`` -> ``facts.errors.jsonl``, in the same directory."""
    return output.with_name(output.stem + ".errors" + (output.suffix or ".jsonl"))


# ---------------------------------------------------------------- progress

class Progress:
    """Articles done, articles/s, characters/s and ETA on standard error.

    On a terminal one line redrawn in place; otherwise a plain line every
    ``interval`` seconds (logs and CI get readable lines, not carriage returns).
    """

    def __init__(self, total: int | None, stream=None, enabled: bool = True,
                 interval: float | None = None):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.interval = interval if interval is not None else (0.2 if self.tty else 10.0)
        self.total = total
        self.done = self.failed = self.skipped = self.chars = 0
        self.start = self._last = time.monotonic()

    def skip(self, n: int = 1) -> None:
        self.skipped += n

    def update(self, ok: bool, chars: int = 0) -> None:
        self.done += 1
        self.failed += not ok
        self.chars += chars
        now = time.monotonic()
        if self.enabled and now - self._last >= self.interval:
            self._last = now
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self.start, 1e-9)
        rate = self.done / elapsed
        parts = [f"{self.done + self.skipped}" + (f"/{self.total}" if self.total is not None else "")
                 + " articles"]
        if self.skipped:
            parts.append(f"{self.skipped} resumed")
        if self.failed:
            parts.append(f"{self.failed} failed")
        parts.append(f"{rate:.1f} articles/s")
        parts.append(f"{_si(self.chars / elapsed)} chars/s")
        if self.total is not None and rate > 0:
            left = max(self.total - self.done - self.skipped, 0)
            parts.append(f"ETA {_clock(left / rate)}")
        return ", ".join(parts)

    def _draw(self, now: float) -> None:
        if self.tty:
            self.stream.write("\r\x1b[K" + self.line(now))
        else:
            self.stream.write("progress: " + self.line(now) + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _si(n: float) -> str:
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f}{unit}"
    return f"{n:.0f}"


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return (f"{hours}:" if hours else "") + f"{rest // 60:02d}:{rest % 60:02d}"
