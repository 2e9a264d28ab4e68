"""Kill -9 in the middle of ``fdiscope ingest``, run it again: every good document once, with all its records.

The corpus is generated here: each text is a paragraph of seeded random words (so no two are
near-duplicates) followed by an investment sentence the real extractor turns into records.
A reference database made by one uninterrupted run says what "complete" means.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

N_TEXT = 360
N_JSONL = 120
RUN = [sys.executable, "-c", "from fdiscope.cli import main; main()", "ingest"]

WORDS = (
    "river harbour winter bridge market morning letter garden window station office village island "
    "engine signal yellow copper silver ladder basket candle mirror pocket rabbit saddle timber "
    "velvet wagon anchor barrel cotton desert feather glacier hammer jacket kettle lantern meadow "
    "needle orchard pepper quarry ribbon shovel tunnel valley walnut badge cabin dolphin falcon "
    "gravel harvest ivory jungle kernel lemon marble nectar olive pebble quilt raven summit thunder"
).split()
INVESTORS = [
    "Hengda Pumps",
    "Nordic Cranes",
    "Anatolia Glass",
    "Rhine Chemicals",
    "Sakura Motors",
    "Delta Foods",
]
COUNTRIES = ["Chinese", "Finnish", "Turkish", "German", "Japanese", "Indian"]
PLACES = ["the Kaluga region", "the Tula region", "Tatarstan", "the Novosibirsk region", "the Amur region"]
PRODUCTS = ["pump", "crane", "glass", "paint", "engine", "pasta"]


def article(i: int) -> str:
    rnd = random.Random(i)
    filler = " ".join(rnd.choice(WORDS) for _ in range(70))
    k = i % len(INVESTORS)
    fact = (
        f"{COUNTRIES[k]} company {INVESTORS[k]} will invest {rnd.randint(2, 90)} billion rubles in a "
        f"{PRODUCTS[k]} plant in {PLACES[i % len(PLACES)]}, creating {rnd.randint(1, 9) * 100} jobs."
    )
    return f"Report {i}: {PRODUCTS[k]} plant\n\n{fact} {filler.capitalize()}."


def make_corpus(root: Path) -> int:
    """Writes the corpus; returns the number of good documents in it."""
    (root / "txt").mkdir(parents=True)
    for i in range(N_TEXT):
        (root / "txt" / f"{i:04d}.txt").write_text(
            f"2024-0{1 + i % 9}-1{i % 10}\n{article(i)}", encoding="utf-8"
        )
    (root / "txt" / "0100-empty.txt").write_bytes(b"")
    (root / "txt" / "0200-noise.txt").write_bytes(bytes(range(256)) * 8)
    lines = [
        json.dumps({"doc_id": f"j{i}", "text": article(10_000 + i), "language": "en"}) for i in range(N_JSONL)
    ]
    lines.insert(N_JSONL // 2, '{"doc_id": "broken", "text": ')
    (root / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return N_TEXT + N_JSONL


def snapshot(db: Path) -> dict[str, tuple[int, int, int, int]]:
    """doc id -> (projects, trade, events, evidence rows), read with plain SQL."""
    conn = sqlite3.connect(db)
    try:
        out = {}
        for (doc_id,) in conn.execute("SELECT id FROM documents"):
            counts = tuple(
                conn.execute(f"SELECT count(*) FROM {t} WHERE doc_id = ?", (doc_id,)).fetchone()[0]
                for t in ("projects", "trade", "events", "evidence")
            )
            out[doc_id] = counts
        return out
    finally:
        conn.close()


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def run_to_end(corpus: Path, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RUN, str(corpus), "--db", str(db)], capture_output=True, text=True, timeout=900, env=_env()
    )


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FDISCOPE_DB", None)
    return env


def kill_after(corpus: Path, db: Path, at_least: int) -> int:
    """Start an ingest, kill -9 it once ``at_least`` documents are stored; returns the count then."""
    proc = subprocess.Popen(
        [*RUN, str(corpus), "--db", str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env()
    )
    try:
        deadline = time.monotonic() + 600
        while stored(db) < at_least:
            assert proc.poll() is None, (
                "the ingest finished before it could be killed; make the corpus bigger"
            )
            assert time.monotonic() < deadline, "the ingest made no progress"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    return stored(db)


def test_kill_minus_9_then_rerun_stores_every_document_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    good = make_corpus(corpus)
    reference = tmp_path / "reference.db"
    ref_run = run_to_end(corpus, reference)
    assert ref_run.returncode == 1, ref_run.stderr  # the three bad items fail
    assert ref_run.stdout.strip() == f"ingested {good}, duplicates 0, failed 3"
    expected = snapshot(reference)
    assert len(expected) == good
    assert sum(c[0] for c in expected.values()) >= good * 0.8  # the fact sentence makes projects

    db = tmp_path / "crashed.db"
    first = kill_after(corpus, db, 25)
    second = kill_after(corpus, db, first + 40)
    assert 25 <= first < second < good, (first, second)
    # whatever was committed is whole: each stored document has exactly its records
    partial = snapshot(db)
    assert all(partial[d] == expected[d] for d in partial)

    final = run_to_end(corpus, db)
    assert final.returncode == 1, final.stderr
    n_before = len(partial)
    assert final.stdout.strip() == f"ingested {good - n_before}, duplicates {n_before}, failed 3"
    assert snapshot(db) == expected

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == good
        assert (
            conn.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0] == 0
        )
        orphans = conn.execute(
            "SELECT count(*) FROM evidence e"
            " WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = e.doc_id)"
        ).fetchone()[0]
        assert orphans == 0
    finally:
        conn.close()
