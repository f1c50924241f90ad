"""Command line: ``zhfacts extract|batch|eval|show|schema|conformance|ner-eval``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.text import InputError, decode

DEFAULT_SHARED = Path("../shared")


def read_article(path: str, encoding: str | None = None) -> str:
    """An article file's text, or an ``InputError`` with a one-line reason."""
    file = Path(path)
    if not file.exists():
        raise InputError(f"{path}: no such file")
    if file.is_dir():
        raise InputError(f"{path}: is a directory (use `zhfacts batch` for folders)")
    try:
        data = file.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None
    if not data:
        raise InputError(f"{path}: empty file (0 bytes); an article with only blank lines gives no facts")
    return decode(data, encoding, name=path)


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.api import extract

    texts = [(Path(p).stem, read_article(p, args.encoding)) for p in args.files]
    documents = [extract(text, doc_id) for doc_id, text in texts]
    if len(documents) == 1:
        output = documents[0].model_dump_json(indent=2) + "\n"
    else:
        output = "".join(d.model_dump_json() + "\n" for d in documents)
    if args.output:
        Path(args.output).write_text(output, encoding="utf-8")
        print(f"wrote {sum(len(d.facts) for d in documents)} facts from {len(documents)} "
              f"article(s) to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(output)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from schemas import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from pipeline.api import extract
    from pipeline.evaluate import evaluate_dir

    gold_dir = Path(args.gold)
    if not gold_dir.is_dir():
        raise InputError(f"{gold_dir}: gold directory not found")
    report, inputs = evaluate_dir(gold_dir, extract)
    _print_eval(report, args.verbose)
    if args.html:
        from pipeline.report import render_eval

        Path(args.html).write_text(render_eval(report, inputs), encoding="utf-8")
        print(f"wrote {args.html}")
    if args.json:
        Path(args.json).write_text(json.dumps(report.as_dict(), indent=2), encoding="utf-8")
    return 0


def _print_eval(report, verbose: bool) -> None:
    header = f"{'article':<48} {'quantity P/R/F1':>21} {'triple P/R/F1':>21}"
    print(header)
    print("-" * len(header))
    rows = [(d.doc_id, d.quantity, d.triple) for d in report.docs]
    rows.append(("OVERALL (micro)", report.total("quantity"), report.total("triple")))
    for name, q, t in rows:
        print(f"{name[:48]:<48} {q.precision:6.3f} {q.recall:6.3f} {q.f1:6.3f}  "
              f"{t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f}")
    print(f"subject accuracy {report.accuracy('subject'):.3f}   metric accuracy "
          f"{report.accuracy('metric'):.3f}   (over facts whose quantity was found)")
    if not verbose:
        return
    for d in report.docs:
        print(f"\n== {d.doc_id}")
        for g in d.misses:
            print(f"  MISS  {g.span} {g.text!r} {g.subject} / {g.metric} = {g.value or (g.low, g.high)} {g.unit or ''}")
        for p in d.false_positives:
            print(f"  FP    {list(p.value.span)} {p.value.text!r} "
                  f"{p.subject.text if p.subject else None} / {p.metric.text}")
        for pair in d.pairs:
            if pair.triple_ok:
                continue
            wrong = [w for w, ok in (("value", pair.quantity_ok), ("subject", pair.subject_ok),
                                     ("metric", pair.metric_ok)) if not ok]
            p, g = pair.pred, pair.gold
            print(f"  WRONG {','.join(wrong):<20} {p.value.text!r}: got "
                  f"{p.subject.text if p.subject else None} / {p.metric.text} ({p.metric.name}) "
                  f"= {p.value.value or (p.value.low, p.value.high)} {p.value.unit or ''}{'/' + p.value.per if p.value.per else ''}; "
                  f"gold {g.subject} / {g.metric_keywords[:3]} = {g.value or (g.low, g.high)} {g.unit or ''}{'/' + g.per if g.per else ''}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhfacts", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="facts of one or more articles as JSON")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.add_argument("--encoding", help="input encoding (default UTF-8, BOM allowed), e.g. gb18030")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("schema", help="print the JSON Schema of the output")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("eval", help="precision, recall and F1 against gold files")
    p.add_argument("--gold", default="corpus/gold", help="folder of gold *.json (articles in ../articles)")
    p.add_argument("--verbose", action="store_true", help="list every miss and false positive")
    p.add_argument("--html", metavar="PATH", help="also write an HTML review of the evaluation")
    p.add_argument("--json", metavar="PATH", help="also write the scores as JSON")
    p.set_defaults(func=cmd_eval)

    _optional_command(sub, "batch", "pipeline.batch", "add_cli_arguments", "cli_main",
                      "many articles to JSON Lines, in parallel, resumable")
    _optional_command(sub, "show", "pipeline.report", "add_show_arguments", "show_main",
                      "an HTML page of an article with its facts highlighted")
    _optional_command(sub, "conformance", "pipeline.conformance", "add_cli_arguments", "cli_main",
                      "the quantity stage on Recognizers-Text's Chinese test specs")
    _optional_command(sub, "ner-eval", "pipeline.ner_eval", "add_cli_arguments", "cli_main",
                      "entity finding measured on public NER datasets")
    return parser


def _optional_command(sub, name: str, module: str, add: str, run: str, help_text: str) -> None:
    import importlib

    try:
        mod = importlib.import_module(module)
    except ImportError:
        return
    p = sub.add_parser(name, help=help_text)
    getattr(mod, add)(p)
    p.set_defaults(func=getattr(mod, run))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as err:
        print(f"zhfacts: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("zhfacts: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
