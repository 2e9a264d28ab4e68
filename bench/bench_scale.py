"""Scale-out ingest: docs/s on 1 and 2 local workers and a Dask LocalCluster; peak memory vs corpus size.

Each measurement runs in a child process of its own (all CPUs allowed, not the harness's pinned
one) that ingests a synthetic corpus (:mod:`fdiscope.synth`, streamed, never listed) into a
fresh SQLite file, while a thread samples the resident memory of the driver and all its worker
processes together; the peak of that sum is reported.

Sizes: ``FDISCOPE_BENCH_SCALE_DOCS`` (default 20000) for throughput and the small memory point,
``FDISCOPE_BENCH_SCALE_BIG`` (default 100000) for the large one (0 skips it),
``FDISCOPE_BENCH_SCALE_REPEATS`` (default 1) runs of each throughput mode, interleaved (1, 2,
dask, 1, 2, dask, ...), the median reported.  Each run also reports its CPU share: CPU seconds
of the driver and of its (waited-for) worker processes over wall time, and the load average
of the machine before and after, since the box is shared.  Quick run::

    FDISCOPE_BENCH_SCALE_DOCS=2000 FDISCOPE_BENCH_SCALE_BIG=6000 python bench/run.py scale

Targets: 2 workers >= 1.8x one worker (``ratio``); peak memory at BIG <= 1.2x that at DOCS.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
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
    sampler_cpu = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak, sampler_cpu
        t0 = time.thread_time()
        procs: list[psutil.Process] = [me]
        ticks = 0
        while not stop.is_set():
            # The process tree is rescanned once a second (a scan of /proc costs more than the
            # samples); workers live for the whole run, so none is missed for long.
            if ticks % 5 == 0:
                procs = [me, *me.children(recursive=True)]
            ticks += 1
            total = 0
            for p in procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, total)
            sampler_cpu = time.thread_time() - t0
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    load0 = os.getloadavg()[0]
    with Store(db) as store:
        c0 = time.process_time()
        t0 = time.perf_counter()
        if mode == "dask":
            report = ingest_scaled(store, synth_documents(n, seed=42), dask="local", workers=2)
        else:
            report = ingest_scaled(store, synth_documents(n, seed=42), workers=int(mode))
        wall = time.perf_counter() - t0
        driver_cpu = time.process_time() - c0
    stop.set()
    sampler.join()
    # The memory sampler (~3 ms a sample, /proc scans) runs in the driver process: its CPU is
    # reported apart, not counted as the driver's.
    driver_cpu -= sampler_cpu
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "mode": mode,
        "docs": n,
        "wall_s": wall,
        "ingested": report.ingested,
        "peak_rss": peak,
        "driver_cpu_s": driver_cpu,
        "workers_cpu_s": kids.ru_utime + kids.ru_stime,
        "sampler_cpu_s": sampler_cpu,
        "load_before": load0,
        "load_after": os.getloadavg()[0],
    }


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
        res: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  scale {mode} x {n}: {json.dumps(res)}", file=sys.stderr, flush=True)
        return res


def _cpu(r: dict[str, Any]) -> str:
    """CPU share of one run: driver and worker CPU seconds per document and over wall time."""
    n, wall = r["docs"], r["wall_s"]
    return (
        f"driver {1000 * r['driver_cpu_s'] / n:.2f} ms/doc, "
        f"workers {1000 * r['workers_cpu_s'] / n:.1f} ms/doc, "
        f"memory sampler {1000 * r.get('sampler_cpu_s', 0.0) / n:.2f} ms/doc, "
        f"CPU {(r['driver_cpu_s'] + r['workers_cpu_s'] + r.get('sampler_cpu_s', 0.0)) / wall:.2f} "
        f"of {os.cpu_count()} cores, "
        f"load {r['load_before']:.1f}->{r['load_after']:.1f}"
    )


def _ceiling(one: dict[str, Any], two: dict[str, Any]) -> float:
    """2-vs-1 ratio the measured CPU per document allows on 2 otherwise idle cores.

    One worker: a document every max(worker, driver) CPU time.  Two workers and the driver
    share 2 cores: a document every (worker + driver) / 2, at best.
    """
    w1, d1 = one["workers_cpu_s"] / one["docs"], one["driver_cpu_s"] / one["docs"]
    w2, d2 = two["workers_cpu_s"] / two["docs"], two["driver_cpu_s"] / two["docs"]
    per_doc_two = max((w2 + d2) / 2, w2 / 2, d2)
    return max(w1, d1) / per_doc_two


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    walls = sorted(runs, key=lambda r: r["wall_s"])
    return walls[(len(walls) - 1) // 2]


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
    repeats = max(1, int(os.environ.get("FDISCOPE_BENCH_SCALE_REPEATS", "1")))
    runs: dict[str, list[dict[str, Any]]] = {"1": [], "2": [], "dask": []}
    for _ in range(repeats):
        for mode in runs:
            runs[mode].append(_run(mode, n))
    one, two, dask = (_median_run(runs[m]) for m in ("1", "2", "dask"))
    main = Timing(
        "2 local workers", n, 0, wall_s=[r["wall_s"] for r in runs["2"]], note="fdiscope ingest --workers 2"
    )
    ref = Timing(
        "1 local worker", n, 0, wall_s=[r["wall_s"] for r in runs["1"]], note="fdiscope ingest --workers 1"
    )
    speedup = statistics.median(
        r1["wall_s"] / r2["wall_s"] for r1, r2 in zip(runs["1"], runs["2"], strict=True)
    )
    mb = 1024 * 1024
    notes = [
        f"docs/s (median of {repeats}): 1 worker {n / one['wall_s']:.1f}, 2 workers {n / two['wall_s']:.1f}, "
        f"dask LocalCluster(2) {n / dask['wall_s']:.1f} (synthetic EN/RU, {n} docs, SQLite store)",
        f"speedup 2 vs 1 workers: {speedup:.2f}x (median of per-repeat ratios; target >= 1.8x)",
        f"CPU 1 worker: {_cpu(one)}",
        f"CPU 2 workers: {_cpu(two)}",
        # What the CPU per document allows on 2 cores with nothing else running: one worker
        # goes at its own pace (the driver runs beside it), two share the cores with the driver.
        f"CPU-bound ceiling of the ratio on 2 idle cores (from the CPU per document above, "
        f"not a measurement): {_ceiling(one, two):.2f}x",
        f"CPU dask: {_cpu(dask)}",
        f"dask peak RSS at {n} docs: {dask['peak_rss'] / mb:.0f} MB",
    ]
    if big:
        large = _run("2", big)
        mem_ratio = large["peak_rss"] / two["peak_rss"] if two["peak_rss"] else float("nan")
        notes.append(
            f"peak RSS driver+workers, 2 workers: {two['peak_rss'] / mb:.0f} MB at {n} docs, "
            f"{large['peak_rss'] / mb:.0f} MB at {big} docs: {mem_ratio:.2f}x (target <= 1.2x); "
            f"{big} docs at {big / large['wall_s']:.1f} docs/s"
        )
    return Result("scale", main, ref=ref, notes=notes)


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "--child":
    sys.path.insert(0, str(HERE.parent))
    print(json.dumps(_child(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
