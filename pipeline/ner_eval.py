"""``zhfacts ner-eval``: how well the entity stage finds names, on public NER test sets.

Measured on third-party data that lives only in ``../shared/data`` (never shipped):

- CFSC-NER ``cfsc-ner/test.json`` (Ya-dongLi/CFSC): recall and precision of ``Corporate``
  spans (our ORG mentions); precision is also given against Corporate+Stock, because the set
  labels a listed company named as a share (港股阿里巴巴) as ``Stock``.
- CLUENER2020 ``cluener2020/dev.json`` (Xu et al. 2020): strict span P/R/F1 of ORG against
  company+organization+government, PERSON against name, WORK against game+book+movie, and
  each CLUENER type's recall. A 《》 title counts with or without its brackets.

Each set is run twice: text only, and with jieba POS tokens (what the segmenter hands over).
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from pipeline.evaluate import Counts
from pipeline.entities import EntityFinder
from pipeline.text import normalise, split_sentences

DEFAULT_DATA = Path("../shared/data")
CLUENER_GROUPS = {
    "ORG": ("company", "organization", "government"),
    "PERSON": ("name",),
    "WORK": ("game", "book", "movie"),
}


class _Score(Counts):
    """Span-set counts: true positives are the predicted spans that are gold spans."""

    def add(self, predicted: set, gold: set) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    def line(self, name: str) -> str:
        return (f"  {name:<34} P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}"
                f"  (tp {self.tp}, fp {self.fp}, fn {self.fn})")


def _pos_tokenizer(finder: EntityFinder):
    """A jieba POS tagger holding the lexicon's names, like the segmenter's."""
    import jieba
    import jieba.posseg

    tokenizer = jieba.Tokenizer()
    for word, flag in finder.user_dictionary():
        tokenizer.add_word(word, 2000, flag)
    tagger = jieba.posseg.POSTokenizer(tokenizer)

    def tokens(text: str) -> list[tuple[int, int, str]]:
        out, pos = [], 0
        for pair in tagger.cut(text):
            out.append((pos, pos + len(pair.word), pair.flag))
            pos += len(pair.word)
        return out

    return tokens


def _mentions(finder: EntityFinder, text: str, tagger) -> list:
    text = normalise(text)
    return finder.find(text, split_sentences(text), tagger(text) if tagger else None)


def _with_brackets(start: int, end: int, text: str) -> set[tuple[int, int]]:
    spans = {(start, end)}
    if start > 0 and text[start - 1] == "《":
        spans.add((start - 1, end + 1 if text[end:end + 1] == "》" else end))
        spans.add((start, end + 1 if text[end:end + 1] == "》" else end))
    return spans


def evaluate_cfsc(finder: EntityFinder, path: Path, tagger=None) -> list[str]:
    records = json.loads(path.read_text(encoding="utf-8"))
    corporate, with_stock = _Score(), _Score()
    for record in records:
        text = record["text"]
        predicted = {(m.start, m.end) for m in _mentions(finder, text, tagger) if m.label == "ORG"}
        gold = {(x["from"], x["to"]) for x in record["labels"] if x["Level 1 Aspect"] == "Corporate"}
        stock = {(x["from"], x["to"]) for x in record["labels"] if x["Level 1 Aspect"] == "Stock"}
        corporate.add(predicted, gold)
        with_stock.add(predicted, gold | stock)
    return [corporate.line("Corporate (ORG)"),
            f"  {'precision vs Corporate+Stock':<34} P {with_stock.precision:.3f}"]


def evaluate_cluener(finder: EntityFinder, path: Path, tagger=None) -> list[str]:
    groups = {label: _Score() for label in CLUENER_GROUPS}
    type_hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"]
        mentions = _mentions(finder, text, tagger)
        for label, types in CLUENER_GROUPS.items():
            gold: dict[tuple[int, int], str] = {}
            for kind in types:
                for spans in record["label"].get(kind, {}).values():
                    for start, last in spans:
                        gold[(start, last + 1)] = kind
            predicted = set()
            for m in mentions:
                if m.label != label:
                    continue
                match = next((s for s in _with_brackets(m.start, m.end, text) if s in gold), (m.start, m.end))
                predicted.add(match)
            groups[label].add(predicted, set(gold))
            for span, kind in gold.items():
                type_hits[kind][1] += 1
                type_hits[kind][0] += span in predicted
    lines = [groups[label].line(f"{label} vs {'+'.join(types)}") for label, types in CLUENER_GROUPS.items()]
    lines.append("  recall by type: " + ", ".join(
        f"{kind} {hit / total:.3f}" for kind, (hit, total) in sorted(type_hits.items()) if total))
    return lines


def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="folder with cfsc-ner/ and cluener2020/ (default: ../shared/data)")
    parser.add_argument("--no-pos", action="store_true", help="skip the runs with jieba POS tokens")


def cli_main(args: argparse.Namespace) -> int:
    data = Path(args.data)
    cfsc, cluener = data / "cfsc-ner" / "test.json", data / "cluener2020" / "dev.json"
    if not cfsc.exists() and not cluener.exists():
        print(f"skipped: {cfsc} and {cluener} not found (the NER test sets live only in ../shared/data)")
        return 0
    finder = EntityFinder()
    taggers = [("text only", None)]
    if not getattr(args, "no_pos", False):
        taggers.append(("with jieba POS", _pos_tokenizer(finder)))
    for title, tagger in taggers:
        began = time.perf_counter()
        if cfsc.exists():
            print(f"CFSC-NER test ({title}), Ya-dongLi/CFSC:")
            print("\n".join(evaluate_cfsc(finder, cfsc, tagger)))
        else:
            print(f"skipped: {cfsc} not found")
        if cluener.exists():
            print(f"CLUENER2020 dev ({title}), Xu et al. 2020, strict spans:")
            print("\n".join(evaluate_cluener(finder, cluener, tagger)))
        else:
            print(f"skipped: {cluener} not found")
        print(f"  ({time.perf_counter() - began:.1f} s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhfacts ner-eval", description=__doc__.splitlines()[0])
    add_cli_arguments(parser)
    return cli_main(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
