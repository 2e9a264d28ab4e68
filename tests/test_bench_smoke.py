"""Smoke test of the benchmark harness (bench/run.py): it runs and writes sane JSON.

No timing is asserted here — speed lives in ``make bench``.  The reference systems are
disabled and only 20 documents are used, so this stays fast.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
