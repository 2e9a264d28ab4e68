"""Smoke test of the benchmark harness (bench/run.py): it runs and writes sane JSON.

No timing is asserted here — speed lives in ``make bench``.  The reference systems are
disabled and only 20 documents are used, so this stays fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def test_bench_harness_writes_positive_throughput(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "extract_en",
            "extract_ru",
            "--docs",
            "20",
            "--repeats",
            "1",
            "--no-ref",
            "--no-pin",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "fdiscope-bench/1"
    for name in ("extract_en", "extract_ru"):
        res = data["results"][name]
        assert res["status"] == "ok", res
        assert res["docs"] == 20
        assert res["words"] > 0
        assert res["docs_per_s"] > 0
        assert res["words_per_s"] > 0
        assert res["ref"] is None
    assert "extract_en" in proc.stdout


def _run_bench(tmp_path: Path, names: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            *names,
            "--docs",
            "12",
            "--repeats",
            "1",
            "--no-ref",
            "--no-pin",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    for name in names:
        assert name in proc.stdout
    return data


def test_ingest_benchmarks_store_every_document(tmp_path: Path) -> None:
    data = _run_bench(tmp_path, ["ingest_html", "ingest_jsonl"])
    for name in ("ingest_html", "ingest_jsonl"):
        res = data["results"][name]
        assert res["status"] == "ok", res
        assert res["docs"] == 12 and res["docs_per_s"] > 0
        assert any("reading alone" in note for note in res["notes"])


def test_scale_benchmark_reports_speedup_cpu_and_memory(tmp_path: Path) -> None:
    env = {"FDISCOPE_BENCH_SCALE_DOCS": "40", "FDISCOPE_BENCH_SCALE_BIG": "80"}
    res = _run_bench(tmp_path, ["scale"], env)["results"]["scale"]
    assert res["status"] == "ok", res
    notes = "\n".join(res["notes"])
    for part in ("speedup 2 vs 1 workers", "CPU 2 workers: driver", "dask LocalCluster(2)", "at 80 docs"):
        assert part in notes, notes


def _bench_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("fdiscope_bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_spacy_reference_keeps_tok2vec_only_when_ner_listens_to_it() -> None:
    """en_core_web_sm's ner embeds its own Tok2Vec: the shared tok2vec pipe is not part of NER-only."""
    listens = _bench_module().ner_listens_to_tok2vec

    def config(arch: str) -> dict[str, Any]:
        return {"components": {"ner": {"model": {"tok2vec": {"@architectures": arch}}}}}

    assert listens(config("spacy.Tok2Vec.v2")) is False  # en_core_web_sm 3.x
    assert listens(config("spacy-transformers.TransformerListener.v1")) is True
    assert listens(config("spacy.Tok2VecListener.v1")) is True
    assert listens({"components": {}}) is True  # unknown layout: keep it
