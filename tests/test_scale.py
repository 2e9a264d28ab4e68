"""Scale-out ingest: partitions, the driver loop, process pools and a Dask LocalCluster.

The central check: extraction on 2 workers (process pool, and a Dask LocalCluster) stores
exactly what the single-process ingest stores: same documents, records, ids and evidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from fdiscope.model import Document
from fdiscope.pipeline import Doc
from fdiscope.scale import (
    DEFAULT_PARTITION_SIZE,
    Extracted,
    ProcessBackend,
    extract_partition,
    ingest_parallel,
    ingest_scaled,
    partitions,
)
from fdiscope.scale.turns import LocalTurns, TurnsAborted
from fdiscope.scale.workers import WriteTask, extract_and_write
from fdiscope.service import ingest_documents
from fdiscope.sources import SourceError, read_paths
from fdiscope.store import RecordFilter, Store
from fdiscope.synth import synth_document, synth_documents

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
N = 240


def corpus() -> Iterator[Document | SourceError]:
    """The examples, synthetic documents in both languages, a repeat and an unreadable item."""
    yield from read_paths([EXAMPLES])
    yield from synth_documents(N, seed=3)
    yield SourceError("broken.jsonl:7", "malformed JSON")
    yield synth_document(5, seed=3)  # a duplicate inside the stream
    near = synth_document(7, seed=3)  # a near-duplicate, partitions after its original
    yield Document(text=near.text.replace(".", ";", 1), language=near.language, published=near.published)


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a user can read back, with ids: equal snapshots mean equal databases."""
    out: dict[str, Any] = {
        "documents": sorted(
            (d.id, d.text, d.title, d.published, d.language, d.source, d.duplicate_of)
            for d in store.iter_documents()
        ),
        "errors": [(e.source, e.reason) for e in store.errors()],
    }
    for rtype in ("project", "trade", "event"):
        out[rtype] = [(r.id, r.doc_id, r.record) for r in store.query(rtype, RecordFilter(limit=None))]
    return out


@pytest.fixture(scope="module")
def single_process(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    with Store(tmp_path_factory.mktemp("single") / "s.db") as store:
        report = ingest_documents(store, corpus())
        return snapshot(store), report.summary()


def test_single_process_baseline_is_meaningful(single_process: tuple[dict[str, Any], str]) -> None:
    snap, summary = single_process
    n_examples = sum(isinstance(x, Document) for x in read_paths([EXAMPLES]))
    assert summary.startswith(f"ingested {N + n_examples + 1}") and summary.endswith("duplicates 1, failed 1")
    assert sum(d[6] is not None for d in snap["documents"]) == 1  # the near-duplicate is linked
    assert len(snap["project"]) > 50 and len(snap["trade"]) > 30 and len(snap["event"]) > 50
    assert {d[4] for d in snap["documents"]} == {"en", "ru"}


def test_process_pool_of_two_stores_what_one_process_stores(
    tmp_path: Path, single_process: tuple[dict[str, Any], str]
) -> None:
    with Store(tmp_path / "p.db") as store:
        report = ingest_scaled(store, corpus(), workers=2, partition_size=16)
        assert report.summary() == single_process[1]
        assert snapshot(store) == single_process[0]


@pytest.mark.parametrize("worker_writes", [True, False], ids=["workers-write", "driver-writes"])
def test_both_ways_of_writing_store_what_one_process_stores(
    tmp_path: Path, single_process: tuple[dict[str, Any], str], worker_writes: bool
) -> None:
    with Store(tmp_path / "p.db") as store, ProcessBackend(2) as backend:
        sent = backend.submit_write if worker_writes else backend.submit
        calls: list[int] = []

        def counting(arg: Any, sent: Any = sent) -> Any:
            calls.append(1)
            return sent(arg)

        setattr(backend, "submit_write" if worker_writes else "submit", counting)
        report = ingest_parallel(store, corpus(), backend, partition_size=13, worker_writes=worker_writes)
        assert calls  # the way asked for was the way taken
        assert report.summary() == single_process[1]
        assert snapshot(store) == single_process[0]
        assert backend.turns.next == (len(calls) if worker_writes else 0)  # every turn was passed on


def _dies_on_poison(document: Document) -> Doc:
    """Extraction that kills its worker process on one document (as a crash in C code would)."""
    import os

    if "POISON" in document.text:
        os._exit(3)
    from fdiscope.extract import extract

    return extract(document)


@pytest.mark.parametrize("worker_writes", [True, False], ids=["workers-write", "driver-writes"])
def test_a_worker_process_that_dies_costs_its_partition_not_the_run(
    tmp_path: Path, worker_writes: bool
) -> None:
    docs: list[Document] = list(synth_documents(60, seed=12))
    docs.insert(25, Document(text=docs[25].text + " POISON", language="en"))  # in the third partition
    with Store(tmp_path / "k.db") as store, ProcessBackend(2, extractor=_dies_on_poison) as backend:
        report = ingest_parallel(store, docs, backend, partition_size=10, worker_writes=worker_writes)
        # the poison's partition is lost twice, and with it at most the one out beside it
        assert 10 <= report.failed <= 20 and report.ingested == 61 - report.failed
        assert {f.reason.split(":")[0] for f in report.failures} == {"worker failed"}
        stored = {d.id for d in docs if store.has_document(d.id)}
        assert docs[25].id not in stored and {d.id for d in docs[:10] + docs[40:]} <= stored
        # nothing half-written: the next run (without the poison) takes exactly what failed
        with ProcessBackend(1) as plain:
            again = ingest_parallel(store, docs, plain, partition_size=10)
        assert (again.ingested, again.duplicates) == (report.failed, 61 - report.failed)


def test_workers_write_to_postgresql_what_one_process_stores(
    pg_url: str, single_process: tuple[dict[str, Any], str]
) -> None:
    with Store(pg_url) as store, ProcessBackend(2) as backend:
        report = ingest_parallel(store, corpus(), backend, partition_size=16, worker_writes=True)
        assert report.summary() == single_process[1]
        assert snapshot(store) == single_process[0]


# distributed's scheduler leaves an HTTP listener socket for the garbage collector.
_DASK_SOCKETS = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@_DASK_SOCKETS[0]
@_DASK_SOCKETS[1]
def test_dask_local_cluster_of_two_stores_what_one_process_stores(
    tmp_path: Path, single_process: tuple[dict[str, Any], str]
) -> None:
    pytest.importorskip("distributed")
    from fdiscope.scale.dask_runner import DaskBackend

    with Store(tmp_path / "d.db") as store, DaskBackend("local", workers=2) as backend:
        assert backend.workers == 2
        assert len(backend.client.scheduler_info()["workers"]) == 2
        report = ingest_parallel(store, corpus(), backend, partition_size=16)
        assert report.summary() == single_process[1]
        assert snapshot(store) == single_process[0]
        assert backend.can_write and backend.turns.next > 10  # the workers wrote, in turns


# -- the driver, with an in-process backend -------------------------------------------------


class InlineBackend:
    """Runs partitions in this process when submitted; counts what it was sent."""

    workers = 2

    def __init__(self, extractor: Any = None) -> None:
        self.extractor = extractor
        self.sent: list[int] = []

    def submit(self, documents: list[Document]) -> Future[list[Extracted]]:
        self.sent.append(len(documents))
        f: Future[list[Extracted]] = Future()
        f.set_result(extract_partition(documents, self.extractor))
        return f

    def close(self) -> None:
        pass


def test_rerun_resumes_and_sends_nothing_already_stored(store: Store) -> None:
    first = ingest_parallel(store, synth_documents(50, seed=9), InlineBackend(), partition_size=8)
    assert (first.ingested, first.duplicates, first.failed) == (50, 0, 0)
    backend = InlineBackend()
    again = ingest_parallel(store, synth_documents(80, seed=9), backend, partition_size=8)
    assert (again.ingested, again.duplicates, again.failed) == (30, 50, 0)
    assert sum(backend.sent) == 30  # stored documents never went to a worker
    assert store.count("documents") == 80


def _fails_on_tula(document: Document) -> Doc:
    if "Tula" in document.text:
        raise RuntimeError("boom")
    from fdiscope.extract import extract

    return extract(document)


def test_failures_are_recorded_and_the_run_goes_on(store: Store) -> None:
    docs = list(synth_documents(60, seed=2))
    tula = [d for d in docs if "Tula" in d.text]
    assert tula
    outcomes: list[str] = []
    report = ingest_parallel(
        store,
        [*docs, SourceError("x.txt", "empty file")],
        InlineBackend(_fails_on_tula),
        partition_size=7,
        on_item=lambda o: outcomes.append(o.status),
    )
    assert report.failed == len(tula) + 1 and report.ingested == 60 - len(tula)
    assert len(outcomes) == 61 and outcomes[-1] == "failed"
    reasons = {e.reason for e in store.errors()}
    assert reasons == {"extraction failed: RuntimeError: boom", "empty file"}
    assert not any(store.has_document(d.id) for d in tula)


class BrokenFuture:
    def result(self) -> list[Extracted]:
        raise OSError("worker lost")


def test_a_lost_worker_fails_its_partition_only(store: Store) -> None:
    class Flaky(InlineBackend):
        def submit(self, documents: list[Document]) -> Any:
            if len(self.sent) == 1:
                self.sent.append(len(documents))
                return BrokenFuture()
            return super().submit(documents)

    report = ingest_parallel(store, synth_documents(30, seed=4), Flaky(), partition_size=10)
    assert (report.ingested, report.duplicates, report.failed) == (20, 0, 10)
    assert {f.reason for f in report.failures} == {"worker failed: OSError: worker lost"}
    # Those documents were not stored, so the next run picks them up.
    assert (
        ingest_parallel(store, synth_documents(30, seed=4), InlineBackend(), partition_size=10).ingested == 10
    )


def test_input_is_streamed_with_a_bounded_window(store: Store) -> None:
    consumed = 0
    lag: list[int] = []
    done = 0

    def stream() -> Iterator[Document]:
        nonlocal consumed
        for d in synth_documents(400, seed=1):
            consumed += 1
            lag.append(consumed - done)
            yield d

    def on_item(_: object) -> None:
        nonlocal done
        done += 1

    ingest_parallel(store, stream(), InlineBackend(), partition_size=10, max_in_flight=3, on_item=on_item)
    assert done == 400
    # Never more than the in-flight window (3 partitions of 10) read ahead of what was written.
    assert max(lag) <= 3 * 10


class InlineWriting(InlineBackend):
    """Extracts and writes each partition in this process when submitted, in turns."""

    def __init__(self, extractor: Any = None, lost: int | None = None) -> None:
        super().__init__(extractor)
        self.turns = LocalTurns(poll=0.05)
        self.can_write = True
        self.lost = lost  # the task (by position) whose worker is lost before writing

    def submit_write(self, task: WriteTask) -> Any:
        self.sent.append(len(task.submitted))
        if len(self.sent) - 1 == self.lost:
            self.turns.done(task.seq)  # what the lost worker's finally did
            return BrokenFuture()
        f: Future[Any] = Future()
        f.set_result(extract_and_write(task, self.turns, self.extractor))
        return f


def test_workers_write_in_turns_and_a_lost_partition_fails_alone(tmp_path: Path) -> None:
    docs = list(synth_documents(30, seed=4))
    kept = [d for d in docs[:10] + docs[20:] if "Tula" not in d.text]  # the second partition is lost
    assert 0 < len(kept) < 20
    with Store(tmp_path / "w.db") as store:
        backend = InlineWriting(_fails_on_tula, lost=1)
        items = [*docs, SourceError("x.txt", "empty file")]
        report = ingest_parallel(store, items, backend, partition_size=10)
        assert backend.sent == [10, 10, 10] and backend.turns.next == 3
        assert (report.ingested, report.failed) == (len(kept), 30 - len(kept) + 1)
        reasons = {f.reason for f in report.failures}
        lost, boom = "worker failed: OSError: worker lost", "extraction failed: RuntimeError: boom"
        assert reasons == {lost, boom, "empty file"}
        # the lost partition left nothing behind; the others were written whole
        assert {d.id for d in docs if store.has_document(d.id)} == {d.id for d in kept}
        again = ingest_parallel(store, docs, InlineWriting(), partition_size=10)
        assert (again.ingested, again.duplicates) == (30 - len(kept), len(kept))


def test_turns_keep_the_order_and_an_abort_wakes_the_waiting() -> None:
    import threading

    turns = LocalTurns(poll=0.05)
    order: list[int] = []

    def write(seq: int) -> None:
        turns.wait(seq)
        order.append(seq)
        turns.done(seq)

    threads = [threading.Thread(target=write, args=(seq,)) for seq in (3, 1, 2, 0)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert order == [0, 1, 2, 3] and turns.next == 4
    turns.done(1)  # a turn passed again (a retried task) never goes back
    assert turns.next == 4
    failed: list[BaseException] = []

    def late() -> None:
        try:
            turns.wait(9)
        except TurnsAborted as exc:
            failed.append(exc)

    waiting = threading.Thread(target=late)
    waiting.start()
    turns.abort()
    waiting.join(10)
    assert not waiting.is_alive() and len(failed) == 1 and turns.aborted


def test_partitions_are_lazy_and_cover_everything() -> None:
    def endless() -> Iterator[int]:
        i = 0
        while True:
            yield i
            i += 1

    parts = partitions(endless(), 4)
    assert next(parts) == [0, 1, 2, 3] and next(parts) == [4, 5, 6, 7]
    assert [len(p) for p in partitions(range(10), 4)] == [4, 4, 2]
    assert DEFAULT_PARTITION_SIZE > 1
    with pytest.raises(ValueError, match="at least 1"):
        next(partitions([1], 0))


def test_process_backend_refuses_zero_workers() -> None:
    from fdiscope.scale import ScaleError

    with pytest.raises(ScaleError, match="at least 1"):
        ProcessBackend(0)


# -- synthetic corpus ----------------------------------------------------------------------


def test_synthetic_corpus_is_deterministic_varied_and_bilingual() -> None:
    docs = list(synth_documents(500, seed=11))
    assert [d.text for d in docs[100:110]] == [d.text for d in synth_documents(10, seed=11, start=100)]
    assert len({d.id for d in docs}) == 500
    assert {d.language for d in docs} == {"en", "ru"}
    ru = sum(d.language == "ru" for d in docs)
    assert 100 < ru < 200  # about 30%
    assert synth_document(3, seed=1).text != synth_document(3, seed=2).text
    amounts = {w for d in docs for w in d.text.split() if w[:1].isdigit()}
    assert len(amounts) > 100
    assert all(d.published and d.title and d.title in d.text for d in docs)


# -- command line --------------------------------------------------------------------------


@_DASK_SOCKETS[0]
@_DASK_SOCKETS[1]
def test_cli_workers_and_dask_store_what_plain_ingest_stores(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from fdiscope.cli import main

    corpus_file = tmp_path / "corpus.jsonl"
    from fdiscope.synth import synth_jsonl_lines

    corpus_file.write_text("\n".join(synth_jsonl_lines(60, seed=8)) + "\n", encoding="utf-8")
    snaps = []
    for extra in ([], ["--workers", "2"], ["--dask", "local", "--workers", "2"]):
        db = tmp_path / f"cli{len(snaps)}.db"
        result = CliRunner().invoke(
            main, ["ingest", str(EXAMPLES), str(corpus_file), "--db", str(db), *extra]
        )
        assert result.exit_code == 0, result.output
        n_examples = sum(isinstance(x, Document) for x in read_paths([EXAMPLES]))
        assert result.stdout.strip().splitlines()[-1].startswith(f"ingested {60 + n_examples}")
        with Store(db) as store:
            snaps.append(snapshot(store))
    assert snaps[0] == snaps[1] == snaps[2]


# -- what travels back from a worker, and how the driver writes it ---------------------------


def test_workers_send_records_as_prepared_rows(store: Store) -> None:
    import pickle

    from fdiscope.extract import extract
    from fdiscope.ingest.dedupe import minhash
    from fdiscope.store.sqlite import prepare_document

    docs = list(synth_documents(6, seed=8))
    results = pickle.loads(pickle.dumps(extract_partition(docs)))  # as the driver gets them
    assert [r.doc_id for r in results] == [d.id for d in docs]
    for document, res in zip(docs, results, strict=True):
        carrier = extract(document)
        assert res.error is None and res.signature == minhash(document.text)
        assert (res.projects, res.trade, res.events) == ([], [], [])  # sent as rows instead
        assert res.prepared == prepare_document(
            document, carrier.projects, carrier.trade, carrier.events, res.signature
        )
    assert sum(len(r.prepared.records) for r in results if r.prepared is not None) > 0


def _bad_evidence(document: Document) -> Doc:
    """The standard extraction, with one event whose evidence does not match the text."""
    from fdiscope.extract import extract
    from fdiscope.model import EventRecord, Evidence

    doc = extract(document)
    if "Tula" in document.text:
        doc.events.append(EventRecord(name="x", evidence=Evidence(document.id, 0, 3, "???")))
    return doc


def test_bad_evidence_fails_its_document_only(store: Store) -> None:
    docs = list(synth_documents(40, seed=2))
    tula = {d.id for d in docs if "Tula" in d.text}
    assert tula
    report = ingest_parallel(store, docs, InlineBackend(_bad_evidence), partition_size=8)
    assert (report.ingested, report.failed) == (40 - len(tula), len(tula))
    assert all(f.reason and f.reason.startswith("bad evidence, document not stored") for f in report.failures)
    assert {d.id for d in docs if store.has_document(d.id)} == {d.id for d in docs} - tula


class Unfinished(InlineBackend):
    """Results that never say they are done: the driver writes one partition at a time."""

    def submit(self, documents: list[Document]) -> Any:
        future = super().submit(documents)

        class Pending:
            def result(self) -> list[Extracted]:
                return future.result()

        return Pending()


def test_finished_partitions_are_written_together_with_the_same_result(tmp_path: Path) -> None:
    docs = [*synth_documents(60, seed=6), SourceError("x.jsonl:3", "malformed JSON")]
    snaps = []
    # a window of 3 partitions for 2 workers leaves room for one partition per write
    for name, backend, window in (("one", Unfinished(), 3), ("grouped", InlineBackend(), None)):
        with Store(tmp_path / f"{name}.db") as store:
            writes: list[int] = []
            add_prepared = store.add_prepared

            def counting(items: Any, add: Any = add_prepared, writes: list[int] = writes) -> Any:
                writes.append(len(items))
                return add(items)

            store.add_prepared = counting  # type: ignore[method-assign]
            report = ingest_parallel(store, docs, backend, partition_size=5, max_in_flight=window)
            assert report.summary() == "ingested 60, duplicates 0, failed 1"
            snaps.append(snapshot(store))
            if name == "one":
                assert writes == [5] * 12
            else:  # whole partitions per transaction, several at a time
                assert sum(writes) == 60 and len(writes) < 12 and all(n % 5 == 0 for n in writes)
            # the write settings of the run (page cache, checkpoints) are given back
            assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == -2000
            assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert snaps[0] == snaps[1]
