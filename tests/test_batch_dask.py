"""The Dask engine on a real LocalCluster (2 worker processes) gives the local engine's results."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'zhfacts[dask]'")

from pipeline.batch import run_batch  # noqa: E402
from test_batch import SEED, _real_extract_or_skip, fake_extract, seed_paragraphs  # noqa: E402


def _corpus(root: Path) -> list[str]:
    """The repo's corpus, its paragraphs as articles, and a few bad inputs."""
    root.mkdir()
    (root / "seed.txt").write_bytes(SEED.read_bytes())
    for i, paragraph in enumerate(seed_paragraphs()):
        (root / f"para{i:02d}.txt").write_text(paragraph, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "junk.txt").write_bytes(b"\x00\x01\x02" * 100)
    (root / "crash.txt").write_text("BOOM", encoding="utf-8")
    records = root.parent / "records.jsonl"
    records.write_text(json.dumps({"id": "rec", "text": "收入 3 亿元。"}, ensure_ascii=False) + "\n{bad\n",
                       encoding="utf-8")
    return [str(root), str(records)]


def _sorted_lines(path: Path) -> list[str]:
    return sorted(path.read_text(encoding="utf-8").splitlines())


def test_dask_local_cluster_matches_local_engine(tmp_path):
    try:
        extract = _real_extract_or_skip()
    except pytest.skip.Exception:
        extract = None  # compare the engines with the fake; the real pipeline is compared once it runs
    extract_fn = extract or fake_extract
    inputs = _corpus(tmp_path / "corpus")
    local = run_batch(inputs, tmp_path / "local.jsonl", workers=1, extract_fn=extract_fn)
    dask = run_batch(inputs, tmp_path / "dask.jsonl", workers=2, engine="dask", extract_fn=extract_fn)
    assert _sorted_lines(tmp_path / "dask.jsonl") == _sorted_lines(tmp_path / "local.jsonl")
    assert _sorted_lines(tmp_path / "dask.errors.jsonl") == _sorted_lines(tmp_path / "local.errors.jsonl")
    articles = len(seed_paragraphs()) + 2  # seed, its paragraphs, the good record
    crashes = 1 if extract is None else 0  # only the fake fails on "BOOM"
    assert (dask.written, dask.failed) == (local.written, local.failed)
    assert (dask.written, dask.failed) == (articles + 1 - crashes, 3 + crashes)
