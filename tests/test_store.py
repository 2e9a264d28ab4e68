"""The SQLite store: migrations, round-trips, evidence checks, idempotent ingest, filters, FTS."""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fdiscope.model import (
    Document,
    EventRecord,
    Evidence,
    EvidenceError,
    ProjectRecord,
    TradeRecord,
    make_evidence,
)
from fdiscope.store import (
    MIGRATIONS,
    MigrationError,
    QueryError,
    RecordFilter,
    RecordNotFound,
    Store,
    apply_migrations,
    fts_query,
)
from fdiscope.store.sqlite import prepare_document

TEXT = (
    "Chinese company Hengda Fluid Machinery will build a pump plant in the Kaluga SEZ. "
    "The investment totals 2.4 billion rubles and 180 jobs will be created. "
    "Trade between Kaluga Region and China reached USD 875 million in 2023, up 32%. "
    "The IX Russia-China Forum opened in Sochi on 11 October 2024."
)


def span(doc: Document, quote: str) -> Evidence:
    start = doc.text.index(quote)
    return make_evidence(doc.id, doc.text, start, start + len(quote))


def sentence(doc: Document, n: int) -> Evidence:
    starts = [0] + [i + 2 for i, ch in enumerate(doc.text) if ch == "." and doc.text[i + 1 : i + 2] == " "]
    ends = [i + 1 for i in starts[1:]] + [len(doc.text)]
    return make_evidence(doc.id, doc.text, starts[n], ends[n] - (2 if n < len(starts) - 1 else 0))


@pytest.fixture
def doc() -> Document:
    return Document(
        TEXT,
        title="Pump plant for Kaluga",
        url="https://example.org/a",
        published="2024-03-14",
        language="en",
        source="a.txt",
    )


def records(doc: Document) -> tuple[ProjectRecord, TradeRecord, EventRecord]:
    project = ProjectRecord(
        investors=["Hengda Fluid Machinery"],
        investor_countries=["CN"],
        host_country="RU",
        host_region="RU-KLU",
        location="Kaluga SEZ",
        sector="machinery",
        kind="greenfield",
        description="pump plant",
        amount={"value": 2_400_000_000, "currency": "RUB"},
        jobs=180,
        status="announced",
        evidence=sentence(doc, 1),
        provenance={
            "investors[0]": span(doc, "Hengda Fluid Machinery"),
            "amount": span(doc, "2.4 billion rubles"),
            "jobs": span(doc, "180 jobs"),
        },
    )
    trade = TradeRecord(
        reporter="RU-KLU",
        partner="CN",
        flow="turnover",
        period="2023",
        value=875_000_000,
        currency="USD",
        change_pct=32.0,
        share_pct=None,
        evidence=sentence(doc, 2),
        provenance={"value": span(doc, "USD 875 million"), "change_pct": span(doc, "32%")},
    )
    event = EventRecord(
        name="IX Russia-China Forum",
        kind="forum",
        date="2024-10-11",
        city="Sochi",
        country="RU",
        evidence=sentence(doc, 3),
        provenance={"date": span(doc, "11 October 2024")},
    )
    return project, trade, event


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """A fresh store on each engine: SQLite in memory, and an empty PostgreSQL schema."""
    url = ":memory:" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with Store(url) as s:
        assert s.dialect == request.param
        yield s


# -- migrations ----------------------------------------------------------------------------


def test_fresh_store_records_every_migration_in_order(store: Store) -> None:
    assert store.migrations == [name for name, _ in MIGRATIONS]
    assert store.applied_now == [name for name, _ in MIGRATIONS]
    stamps = [r[0] for r in store.conn.execute("SELECT applied_at FROM migrations")]
    assert len(stamps) == len(MIGRATIONS) and all(s.startswith("20") for s in stamps)


def test_reopen_applies_only_new_migrations(db_path: Path) -> None:
    with Store(db_path) as first:
        assert first.applied_now == [name for name, _ in MIGRATIONS]
    with Store(db_path) as again:
        assert again.applied_now == []
        extra = [*MIGRATIONS, ("9999_test_extra", "CREATE TABLE test_extra (a INTEGER);")]
        assert apply_migrations(again.conn, extra) == ["9999_test_extra"]
        assert apply_migrations(again.conn, extra) == []
        assert again.migrations[-1] == "9999_test_extra"


def test_database_from_a_newer_version_is_refused(db_path: Path) -> None:
    with Store(db_path) as s:
        s.conn.execute("INSERT INTO migrations(name, applied_at) VALUES ('9999_future', 'x')")
    with pytest.raises(MigrationError, match="9999_future"):
        Store(db_path)


def test_failed_migration_leaves_database_unchanged(store: Store) -> None:
    bad = [*MIGRATIONS, ("9998_ok_then_bad", "CREATE TABLE half (a);\nCREATE TABLE documents (a);")]
    with pytest.raises(MigrationError, match="9998_ok_then_bad"):
        apply_migrations(store.conn, bad)
    assert "9998_ok_then_bad" not in store.migrations
    with pytest.raises(sqlite3.OperationalError):  # PostgreSQL errors surface as sqlite3's too
        store.conn.execute("SELECT * FROM half")


def test_file_store_uses_wal_and_foreign_keys(db_path: Path) -> None:
    with Store(f"sqlite:///{db_path}") as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db_path.exists()


def test_default_path_comes_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "env.db"
    monkeypatch.setenv("FDISCOPE_DB", str(target))
    with Store() as s:
        assert s.path == str(target)
    assert target.exists()


# -- round trips ---------------------------------------------------------------------------


def test_document_and_records_round_trip(store: Store, doc: Document) -> None:
    project, trade, event = records(doc)
    assert store.add_document(doc, [project], [trade], [event]) is True

    assert store.get_document(doc.id) == doc
    (p,) = store.query("project")
    (t,) = store.query("trade")
    (e,) = store.query("event")
    assert (p.record, t.record, e.record) == (project, trade, event)
    assert p.record.amount == {"value": 2_400_000_000, "currency": "RUB"}
    assert p.doc_id == doc.id and p.doc_title == "Pump plant for Kaluga" and p.published == "2024-03-14"
    assert store.get("project", p.id).record == project
    assert store.get("trade", t.id).record.to_dict() == trade.to_dict()
    assert store.count("evidence") == 3 + 2 + 1
    assert p.to_dict()["id"] == f"project:{p.id}"


def test_amount_extra_keys_survive(store: Store, doc: Document) -> None:
    project = ProjectRecord(amount={"value": 1.5, "currency": "USD", "approx": True})
    store.add_document(doc, [project])
    assert store.query("project")[0].record.amount == {"value": 1.5, "currency": "USD", "approx": True}


def test_every_stored_span_reproduces_its_quote(store: Store, doc: Document) -> None:
    store.add_document(doc, *[[r] for r in records(doc)])
    rows = store.conn.execute(
        'SELECT d.text, e."start", e."end", e.quote FROM evidence e JOIN documents d ON d.id = e.doc_id'
    ).fetchall()
    assert rows and all(text[s:e] == quote for text, s, e, quote in rows)


@pytest.mark.parametrize(
    "bad",
    [
        lambda d: Evidence(d.id, 0, 7, "Russian"),  # wrong quote
        lambda d: Evidence("other-doc", 0, 7, "Chinese"),  # another document
        lambda d: Evidence(d.id, len(d.text) - 2, len(d.text) + 5, "4."),  # out of range
    ],
)
def test_evidence_mismatch_is_rejected_and_nothing_written(
    store: Store, doc: Document, bad: Callable[[Document], Evidence]
) -> None:
    project, trade, event = records(doc)
    broken = TradeRecord(reporter="RU", provenance={"reporter": bad(doc)})
    with pytest.raises(EvidenceError, match="trade #0"):
        store.add_document(doc, [project], [broken], [event])
    assert [store.count(t) for t in ("documents", "projects", "trade", "events", "evidence")] == [0] * 5
    # The store is still usable and the same document goes in cleanly afterwards.
    assert store.add_document(doc, [project], [trade], [event]) is True


def test_record_evidence_mismatch_is_rejected(store: Store, doc: Document) -> None:
    event = EventRecord(name="x", evidence=Evidence(doc.id, 0, 3, "xyz"))
    with pytest.raises(EvidenceError, match="event #0 evidence"):
        store.add_document(doc, events=[event])


def test_reingest_changes_nothing(store: Store, doc: Document) -> None:
    project, trade, event = records(doc)
    assert store.add_document(doc, [project], [trade], [event]) is True
    tables = ("documents", "projects", "trade", "events", "evidence", "documents_fts")
    before = [store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables]
    same = Document(doc.text, title="another title", source="b.txt")
    assert same.id == doc.id
    assert store.add_document(same, [project], [trade], [event]) is False
    after = [store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables]
    assert after == before == [1, 1, 1, 1, 6, 1]
    assert store.get_document(doc.id) == doc  # the first copy's metadata is kept


def test_deleting_a_document_removes_its_records_and_index_entry(store: Store, doc: Document) -> None:
    store.add_document(doc, *[[r] for r in records(doc)])
    store.conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
    counts = [store.count(t) for t in ("projects", "trade", "events", "evidence")]
    assert counts == [0, 0, 0, 0]
    assert store.search_documents("Kaluga") == []


def test_unknown_record_is_not_found(store: Store) -> None:
    with pytest.raises(RecordNotFound, match="no project record with id 42"):
        store.get("project", 42)


# -- filters -------------------------------------------------------------------------------


@pytest.fixture
def filled(store: Store, doc: Document) -> Store:
    store.add_document(doc, *[[r] for r in records(doc)])
    text2 = "Tula will get a car plant from a German firm. Trade of Tula Region with Germany grew."
    doc2 = Document(text2, title="Tula", published="2023-11")
    store.add_document(
        doc2,
        [
            ProjectRecord(
                investors=["Autowerk"],
                investor_countries=["DE"],
                host_country="RU",
                host_region="RU-TUL",
                sector="automotive",
                status="agreement",
            )
        ],
        [TradeRecord(reporter="RU-TUL", partner="DE", flow="turnover")],
    )
    undated = Document("No date here. Plant.", title="undated")
    store.add_document(undated, [ProjectRecord(sector="automotive")])
    return store


def _ids(store: Store, rtype: str, **kw: Any) -> list[str]:
    return [str(r.doc_title) for r in store.query(rtype, RecordFilter(**kw))]


def test_project_filters(filled: Store) -> None:
    assert _ids(filled, "project") == ["Pump plant for Kaluga", "Tula", "undated"]
    assert _ids(filled, "project", country="cn") == ["Pump plant for Kaluga"]  # investor country
    assert _ids(filled, "project", country="RU") == ["Pump plant for Kaluga", "Tula"]  # host country
    assert _ids(filled, "project", region="ru-tul") == ["Tula"]
    assert _ids(filled, "project", sector="automotive") == ["Tula", "undated"]
    assert _ids(filled, "project", status="Agreement") == ["Tula"]
    assert _ids(filled, "project", kind="greenfield") == ["Pump plant for Kaluga"]
    assert _ids(filled, "project", since="2024") == ["Pump plant for Kaluga"]
    # a month-precise date sorts before any day in that month
    assert _ids(filled, "project", since="2023-11-01") == ["Pump plant for Kaluga"]
    assert _ids(filled, "project", since="2023-11") == ["Pump plant for Kaluga", "Tula"]
    assert _ids(filled, "project", q="german") == ["Tula"]
    assert _ids(filled, "project", limit=1) == ["Pump plant for Kaluga"]


def test_trade_and_event_filters(filled: Store) -> None:
    assert _ids(filled, "trade", country="RU") == ["Pump plant for Kaluga", "Tula"]  # region codes RU-*
    assert _ids(filled, "trade", country="de") == ["Tula"]
    assert _ids(filled, "trade", region="RU-KLU") == ["Pump plant for Kaluga"]
    assert _ids(filled, "trade", flow="exports") == []
    assert _ids(filled, "event", country="RU", kind="forum") == ["Pump plant for Kaluga"]
    assert _ids(filled, "event", country="CN") == []


@pytest.mark.parametrize(
    ("rtype", "kw", "message"),
    [
        ("trade", {"sector": "energy"}, "--sector does not apply to trade"),
        ("event", {"region": "RU-KLU"}, "--region does not apply to event"),
        ("project", {"flow": "exports"}, "--flow does not apply to project"),
    ],
)
def test_filter_that_does_not_apply_is_an_error(
    filled: Store, rtype: str, kw: dict[str, Any], message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        filled.query(rtype, RecordFilter(**kw))


@pytest.mark.parametrize(
    "kw",
    [
        {"since": "2024-13"},
        {"since": "yesterday"},
        {"country": "CN' OR 1=1 --"},
        {"region": "RU_KLU"},
        {"limit": -1},
    ],
)
def test_malformed_filter_values_are_refused(kw: dict[str, Any]) -> None:
    with pytest.raises(QueryError):
        RecordFilter(**kw)


# -- full-text search ----------------------------------------------------------------------


def test_fts_finds_document_by_text_and_title(filled: Store, doc: Document) -> None:
    assert [d.id for d in filled.search_documents("hengda")] == [doc.id]
    assert [d.id for d in filled.search_documents("Pump Kaluga")] == [doc.id]  # all words, any order
    assert filled.search_documents("Kaluga Tula") == []


def test_fts_folds_yo_and_diacritics(store: Store) -> None:
    d = Document("Новая ёмкость в Калуге. Café opened.", title="ёмкость")
    store.add_document(d)
    assert [x.id for x in store.search_documents("емкость")] == [d.id]
    assert [x.id for x in store.search_documents("ЁМКОСТЬ")] == [d.id]
    assert [x.id for x in store.search_documents("cafe")] == [d.id]


@pytest.mark.parametrize(
    "q",
    [
        '"Kaluga',
        'Kaluga"',
        "Kaluga OR",
        "NEAR(Kaluga",
        "Kaluga*",
        "Kaluga AND NOT",
        "'; DROP TABLE documents; --",
        "Kaluga ) ( : ^ -",
        'title:"Kaluga"',
    ],
)
def test_fts_survives_special_characters(filled: Store, q: str) -> None:
    found = filled.search_documents(q)  # must not raise
    assert filled.count("documents") == 3
    assert all("Kaluga" in d.text for d in found)
    assert filled.query("project", RecordFilter(q=q)) is not None


def test_fts_operators_are_words_not_syntax(filled: Store) -> None:
    # "OR" is searched for as a word, so "Kaluga OR Tula" does not mean either-or.
    assert filled.search_documents("Kaluga OR Tula") == []
    assert fts_query('say "hi"') == '"say" """hi"""'


@pytest.mark.parametrize("q", ["", "   ", '"', "-- ;", "*"])
def test_fts_query_without_words_is_an_error(q: str) -> None:
    with pytest.raises(QueryError, match="no word"):
        fts_query(q)


# -- property ------------------------------------------------------------------------------

_meta = st.one_of(st.none(), st.text(max_size=30))


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(min_size=1, max_size=300),
    title=_meta,
    url=_meta,
    published=st.one_of(st.none(), st.from_regex(r"\A\d{4}(-\d{2}(-\d{2})?)?\Z")),
    language=st.sampled_from([None, "en", "ru"]),
)
def test_document_round_trips_through_store(
    text: str, title: str | None, url: str | None, published: str | None, language: str | None
) -> None:
    document = Document(text, title=title, url=url, published=published, language=language, source="h")
    evidence = make_evidence(document.id, text, 0, len(text))
    with Store(":memory:") as s:
        assert s.add_document(document, events=[EventRecord(name=title, evidence=evidence)]) is True
        assert s.add_document(document) is False
        assert s.get_document(document.id) == document
        (event,) = s.query("event")
        assert event.record.evidence == evidence and event.record.name == title
        assert s.conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == 1


def test_store_refuses_missing_folder(tmp_path: Path) -> None:
    from fdiscope.store import StoreError

    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "nope" / "x.db")


def test_store_refuses_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    from fdiscope.store import StoreError

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="fdiscope SQLite file"):
        Store(bad)


def test_sqlite_has_fts5() -> None:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(a)")
    finally:
        conn.close()


@pytest.mark.parametrize("module", ["fdiscope.store", "fdiscope.service", "fdiscope.sources"])
def test_public_names_exist(module: str) -> None:
    import importlib

    mod = importlib.import_module(module)
    assert mod.__all__ and all(hasattr(mod, name) for name in mod.__all__)


# -- bulk writes of prepared rows ----------------------------------------------------------


def test_prepared_rows_store_what_add_document_stores(store: Store, doc: Document) -> None:
    project, trade, event = records(doc)
    prepared = prepare_document(doc, [project], [trade], [event])
    assert prepared == prepare_document(doc, [project], [trade], [event])
    assert [rtype for rtype, _values, _ev in prepared.records] == ["project", "trade", "event"]
    assert pickle.loads(pickle.dumps(prepared)) == prepared  # travels back from a worker as it is
    other = Document(TEXT.replace("Sochi", "Kazan"), language="en")
    bad = EvidenceError("trade #0: wrong span")
    # a bad item is passed through, a repeat is not written twice, the rest go in
    assert store.add_prepared([(doc, prepared), (other, bad), (doc, prepared)]) == [True, bad, False]
    tables = ("documents", "projects", "trade", "events", "evidence")
    assert [store.count(t) for t in tables] == [1, 1, 1, 1, 6]
    (p,), (t,), (e,) = (store.query(rtype) for rtype in ("project", "trade", "event"))
    assert (p.record, t.record, e.record) == (project, trade, event)  # provenance included
    assert store.search_documents("Hengda")[0].id == doc.id  # the full-text index is kept too
    assert store.minhash_keyed_candidates(prepared.keys[:1])[0][2] == doc.id


def test_record_ids_follow_on_across_bulk_and_single_inserts(store: Store, doc: Document) -> None:
    """Bulk writes reserve their record ids up front; records inserted one by one (as a
    re-extraction does) and later bulk writes carry on after them, on both engines."""
    project, trade, event = records(doc)
    assert store.add_documents([(doc, [project, project], [trade], [event])]) == [True]
    with store._transaction() as conn:
        single = store._insert_record(conn, doc.id, "project", project)
    other = Document(TEXT.replace("Sochi", "Kazan"), language="en")
    p2, t2, e2 = records(other)
    assert store.add_documents([(other, [p2], [t2], [e2])]) == [True]
    assert single == 3
    assert [r.id for r in store.query("project")] == [1, 2, 3, 4]
    assert [r.id for r in store.query("trade")] == [1, 2] and [r.id for r in store.query("event")] == [1, 2]
    assert [r.doc_id for r in store.query("project")] == [doc.id, doc.id, doc.id, other.id]
    # every evidence row names a record of its own document
    rows = store.conn.execute(
        "SELECT e.record_id, p.doc_id, e.doc_id FROM evidence e JOIN projects p ON p.id = e.record_id"
        " WHERE e.record_type = 'project'"
    ).fetchall()
    assert len(rows) == 4 * 3 and all(r[1] == r[2] for r in rows)
