"""Scale-out ingest: docs/s on 1 and 2 local workers and a Dask LocalCluster; peak memory vs corpus size.

Each measurement runs in a child process of its own (all CPUs allowed, not the harness's pinned
one) that ingests a synthetic corpus (:mod:`fdiscope.synth`, streamed, never listed) into a
fresh SQLite file, while a thread samples the resident memory of the driver and all its worker
processes together; the peak of that sum is reported.

Sizes: ``FDISCOPE_BENCH_SCALE_DOCS`` (default 20000) for throughput and the small memory point,
``FDISCOPE_BENCH_SCALE_BIG`` (default 100000) for the large one.  Quick run::

    FDISCOPE_BENCH_SCALE_DOCS=2000 FDISCOPE_BENCH_SCALE_BIG=6000 python bench/run.py scale

Targets: 2 workers >= 1.8x one worker (``ratio``); peak memory at BIG <= 1.2x that at DOCS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from run import Context, Result, Timing, Unavailable, register

HERE = Path(__file__).resolve()


def _child(mode: str, n: int, db: str) -> dict[str, Any]:
    """Runs in the child process: ingest ``n`` synthetic documents, report time and peak RSS."""
    import psutil

    from fdiscope.scale import ingest_scaled
    from fdiscope.store import Store
    from fdiscope.synth import synth_documents

    me = psutil.Process()
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, total)
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with Store(db) as store:
        t0 = time.perf_counter()
        if mode == "dask":
            report = ingest_scaled(store, synth_documents(n, seed=42), dask="local", workers=2)
        else:
            report = ingest_scaled(store, synth_documents(n, seed=42), workers=int(mode))
        wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    return {"mode": mode, "docs": n, "wall_s": wall, "ingested": report.ingested, "peak_rss": peak}


def _run(mode: str, n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="fdiscope-bench-scale-") as tmp:
        env = dict(os.environ)
        cpus = ",".join(str(c) for c in range(os.cpu_count() or 1))
        cmd = [sys.executable, str(HERE), "--child", mode, str(n), str(Path(tmp) / "b.db")]
        if Path("/usr/bin/taskset").exists():  # undo the harness's pinning to one CPU
            cmd = ["taskset", "-c", cpus, *cmd]
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"{mode} x {n} failed: {out.stderr[-2000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@register("scale")
def bench_scale(ctx: Context) -> Result:
    """Ingest docs/s on 2 workers vs 1 (ratio), Dask LocalCluster, peak memory at two corpus sizes."""
    try:
        import distributed  # noqa: F401
        import psutil  # noqa: F401
    except ImportError as exc:
        raise Unavailable(f"needs the scale extra (pip install -e '.[scale]'): {exc}") from exc
    n = int(os.environ.get("FDISCOPE_BENCH_SCALE_DOCS", "20000"))
    big = int(os.environ.get("FDISCOPE_BENCH_SCALE_BIG", "100000"))
    one = _run("1", n)
    two = _run("2", n)
    dask = _run("dask", n)
    large = _run("2", big)
    main = Timing("2 local workers", n, 0, wall_s=[two["wall_s"]], note="fdiscope ingest --workers 2")
    ref = Timing("1 local worker", n, 0, wall_s=[one["wall_s"]], note="fdiscope ingest --workers 1")
    mem_ratio = large["peak_rss"] / two["peak_rss"] if two["peak_rss"] else float("nan")
    speedup = one["wall_s"] / two["wall_s"]
    mb = 1024 * 1024
    notes = [
        f"docs/s: 1 worker {n / one['wall_s']:.1f}, 2 workers {n / two['wall_s']:.1f}, "
        f"dask LocalCluster(2) {n / dask['wall_s']:.1f} (synthetic EN/RU, {n} docs, SQLite store)",
        f"speedup 2 vs 1 workers: {speedup:.2f}x (target >= 1.8x)",
        f"peak RSS driver+workers, 2 workers: {two['peak_rss'] / mb:.0f} MB at {n} docs, "
        f"{large['peak_rss'] / mb:.0f} MB at {big} docs: {mem_ratio:.2f}x (target <= 1.2x)",
        f"dask peak RSS at {n} docs: {dask['peak_rss'] / mb:.0f} MB",
    ]
    return Result("scale", main, ref=ref, notes=notes)


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "--child":
    sys.path.insert(0, str(HERE.parent))
    print(json.dumps(_child(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
