"""The near-duplicate lookup over the store's band keys: same answers as the in-memory index,
memory that does not grow with the corpus, old databases migrated, both engines."""

from __future__ import annotations

import sqlite3
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from fdiscope.ingest.batch import ingest_documents
from fdiscope.ingest.dedupe import NearDuplicateIndex, StoredNearDuplicateIndex, band_keys, minhash
from fdiscope.model import Document
from fdiscope.pipeline import Doc
from fdiscope.store import Store
from fdiscope.store.migrations import MIGRATIONS, apply_migrations
from fdiscope.synth import synth_documents

BODY = (
    "A Swedish maker of industrial bearings will build a factory in the Lipetsk special economic zone, "
    "investing about 40 million euros over three years. The plant will employ 250 people and supply "
    "carmakers and agricultural machinery producers across Russia and Kazakhstan. Construction starts "
    "in the spring, and the first bearings should leave the line at the end of next year."
)


def nothing(document: Document) -> Doc:
    """An extractor that finds no records (the index, not extraction, is under test)."""
    return Doc(document)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    url = ":memory:" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with Store(url) as s:
        yield s


def corpus() -> list[Document]:
    """Synthetic articles with copies (new headline, extra sentence) and exact repeats mixed in."""
    docs = list(synth_documents(60, seed=11))
    out: list[Document] = []
    for i, d in enumerate(docs):
        out.append(d)
        if i % 7 == 3:
            out.append(Document("Reprint\n\n" + d.text + " Shares rose.", language=d.language))
        if i % 11 == 5:
            out.append(Document("Second reprint of\n\n" + d.text, language=d.language))
    out.append(Document(BODY, language="en"))
    out.append(Document("Headline\n\n" + BODY + " Subscribe.", language="en"))
    return out


def test_stored_index_links_what_the_in_memory_index_links(store: Store) -> None:
    memory = NearDuplicateIndex()
    expected = {d.id: memory.add(d.id, d.text) for d in corpus()}
    assert sum(v is not None for v in expected.values()) >= 10  # the corpus has copies to find

    report = ingest_documents(store, corpus(), extractor=nothing, batch_size=8)
    assert report.summary() == f"ingested {len(expected)} (near-duplicates 15), duplicates 0, failed 0"
    for doc_id, first in expected.items():
        assert store.duplicate_of(doc_id) == first
    # a later run finds copies of what earlier runs stored
    index = StoredNearDuplicateIndex(store)
    assert index.query("Other headline\n\n" + BODY) == Document(BODY).id
    assert index.query("Nothing like any stored text at all, just a few words here.") is None
    assert index.pending == 0


def test_pending_documents_are_found_before_they_are_written(store: Store) -> None:
    index = StoredNearDuplicateIndex(store)
    a = Document(BODY)
    assert index.add(a.id, a.text) is None
    assert index.add("copy", "Headline\n\n" + BODY) == a.id  # the first is pending, not stored
    assert index.add(a.id, a.text) is None and index.pending == 2
    store.add_document(a, signature=minhash(a.text))
    index.commit()
    assert index.pending == 0
    assert index.query("Another headline\n\n" + BODY) == a.id


def _retained_by_ingest(path: Path, n: int) -> tuple[int, int]:
    """Python memory still held after ingesting ``n`` synthetic documents with the store's index,
    and the largest number of documents the index held at once."""
    most = 0
    with Store(path) as store:
        index = StoredNearDuplicateIndex(store)

        def watch(_outcome: object) -> None:
            nonlocal most
            most = max(most, index.pending)

        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            ingest_documents(
                store,
                synth_documents(n, seed=5),
                extractor=nothing,
                on_item=watch,
                index=index,
                batch_size=32,
            )
            after = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        assert store.count("documents") == n
    return after - before, most


def test_index_memory_does_not_grow_with_the_corpus(tmp_path: Path) -> None:
    small, most_small = _retained_by_ingest(tmp_path / "small.db", 100)
    large, most_large = _retained_by_ingest(tmp_path / "large.db", 1500)
    assert most_small <= 32 and most_large <= 32  # at most one batch is held in memory
    assert large - small < 1_000_000, (small, large)
    # the in-memory index over the same extra 1,400 documents holds megabytes: the check can fail
    memory = NearDuplicateIndex()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for d in synth_documents(1400, seed=5):
            memory.add(d.id, d.text)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown > 3_000_000, grown


def test_migration_gives_old_documents_their_band_keys(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    upto = [m for m in MIGRATIONS if m[0] <= "0006"]
    apply_migrations(conn, upto)
    old = Document(BODY)
    conn.execute(
        "INSERT INTO documents(id, text, ingested_at) VALUES (?, ?, '2024-01-01T00:00:00')",
        (old.id, old.text),
    )
    conn.close()
    with Store(path) as store:
        assert "0008_minhash_bands" in store.migrations
        keys = band_keys(minhash(BODY))
        assert {r[0] for r in store.conn.execute("SELECT key FROM minhash_bands")} == set(keys)
        assert StoredNearDuplicateIndex(store).query("Headline\n\n" + BODY) == old.id


def test_write_path_migration_keeps_band_rows_in_a_lean_table(tmp_path: Path) -> None:
    """0009: band rows move to a WITHOUT ROWID table (all kept, lookups work), and the evidence
    index that repeated the UNIQUE index's first columns is gone while that one serves lookups."""
    path = tmp_path / "v8.db"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_migrations(conn, [m for m in MIGRATIONS if m[0] < "0009"])
    old = Document(BODY)
    sig = minhash(BODY)
    conn.execute(
        "INSERT INTO documents(id, text, ingested_at, minhash) VALUES (?, ?, '2024-01-01T00:00:00', ?)",
        (old.id, old.text, " ".join(format(v, "x") for v in sig)),
    )
    keys = band_keys(sig)
    conn.executemany("INSERT INTO minhash_bands(key, doc_id) VALUES (?, ?)", [(k, old.id) for k in keys])
    conn.close()
    with Store(path) as store:
        assert store.migrations[-1] == "0009_write_path"
        rows = store.conn.execute("SELECT key, doc_id FROM minhash_bands").fetchall()
        assert sorted(tuple(r) for r in rows) == sorted((k, old.id) for k in keys)
        ddl = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'minhash_bands'").fetchone()[0]
        assert "WITHOUT ROWID" in ddl
        indexes = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "evidence_record" not in indexes and "minhash_bands_doc" in indexes
        plan = " ".join(
            str(r[-1])
            for r in store.conn.execute(
                "EXPLAIN QUERY PLAN SELECT * FROM evidence WHERE record_type = 'project' AND record_id = 1"
            )
        )
        assert "USING INDEX" in plan
        assert StoredNearDuplicateIndex(store).query("Headline\n\n" + BODY) == old.id


def test_band_keys_are_stable() -> None:
    """Stored keys must not change between versions: a changed hash would miss every old copy."""
    sig = minhash("Plant opens in Kaluga today")
    assert len(band_keys(sig)) == 16
    assert band_keys(sig)[0] == band_keys(tuple(sig))[0]
    assert band_keys((-1,) * 64) == []
    assert band_keys(sig)[:2] == [-6896127770655597119, 7152590903435244009]


def test_prefetched_candidates_answer_as_queries_do(store: Store) -> None:
    ingest_documents(store, corpus()[:40], extractor=nothing, batch_size=8)
    probes = [d.text for d in corpus()[40:]] + ["Yet another headline\n\n" + d.text for d in corpus()[:40:3]]
    expected = [StoredNearDuplicateIndex(store).query(t) for t in probes]
    assert sum(e is not None for e in expected) >= 10

    index = StoredNearDuplicateIndex(store)
    sigs = [minhash(t) for t in probes]
    index.prefetch({k for s in sigs for k in band_keys(s)})
    asked: list[object] = []
    real = store.minhash_candidates
    store.minhash_candidates = lambda keys: asked.append(keys) or real(keys)  # type: ignore[method-assign]
    assert [index.find(s, band_keys(s)) for s in sigs] == expected
    assert asked == []  # every lookup was answered from the prefetched candidates
    index.commit()  # the prefetched candidates are dropped with the batch
    assert index.find(sigs[0]) == expected[0] and len(asked) == 1


def test_parallel_ingest_links_what_the_single_process_ingest_links(store: Store, tmp_path: Path) -> None:
    from concurrent.futures import Future

    from fdiscope.scale import extract_partition, ingest_parallel

    class Inline:
        workers = 2

        def submit(self, documents: list[Document]) -> Future[object]:
            f: Future[object] = Future()
            f.set_result(extract_partition(documents, nothing))
            return f

        def close(self) -> None:
            pass

    with Store(tmp_path / "single.db") as single:
        ingest_documents(single, corpus(), extractor=nothing, batch_size=8)
        expected = {d.id: single.duplicate_of(d.id) for d in corpus()}
    report = ingest_parallel(store, corpus(), Inline(), partition_size=6, max_in_flight=4)  # type: ignore[arg-type]
    assert report.near_duplicates == sum(v is not None for v in expected.values()) >= 10
    assert {doc_id: store.duplicate_of(doc_id) for doc_id in expected} == expected
