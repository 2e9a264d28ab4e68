"""Human corrections: merge, split, correct, undo; they survive re-extraction and re-resolution."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_resolve import ARTICLES, entity_of_doc, gold_records, ingest_gold, ingest_pipeline

from fdiscope import service
from fdiscope.cli import main
from fdiscope.model import Document
from fdiscope.pipeline import Doc
from fdiscope.resolve import (
    CorrectionError,
    EntityNotFound,
    correct_entity,
    correction_log,
    get_entity,
    list_entities,
    load_claims,
    merge_entities,
    reextract_documents,
    resolve_store,
    split_entity,
    undo_correction,
)
from fdiscope.store import Store
from fdiscope.store.migrations import _RESOLVE


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(":memory:") as s:
        ingest_gold(s)
        resolve_store(s)
        yield s


def test_merge_then_undo_restores_both_projects(store: Store) -> None:
    fridge = entity_of_doc(store, "b01-haier-fridge-construction-en")
    washer = entity_of_doc(store, "b04-haier-washer-opening-en")
    cid, report = merge_entities(store, fridge, washer, note="same site", author="tester")
    assert report.entities == 7 and report.retired == 1
    assert entity_of_doc(store, "b03-haier-washer-agreement-ru") == fridge  # merged into A
    view = get_entity(store, washer)  # the merged-away id still leads somewhere
    assert view.id == fridge and view.redirected_from == washer
    assert view.sources["documents"] == 4
    # Re-resolution keeps the merge (it is re-applied from its anchors).
    resolve_store(store)
    assert entity_of_doc(store, "b04-haier-washer-opening-en") == fridge
    undo_correction(store, cid, author="tester")
    assert entity_of_doc(store, "b01-haier-fridge-construction-en") == fridge
    assert entity_of_doc(store, "b04-haier-washer-opening-en") == washer  # its own id back
    assert [(r["correction_id"], r["action"]) for r in correction_log(store)] == [
        (cid, "apply"),
        (cid, "undo"),
    ]
    with pytest.raises(CorrectionError, match="already undone"):
        undo_correction(store, cid)


def test_split_moves_claims_out_and_stays_split(store: Store) -> None:
    fuyao = entity_of_doc(store, "a01-fuyao-agreement-en")
    view = get_entity(store, fuyao)
    opening = [c["id"] for c in view.claims if c["document"]["published"] in ("2014-09-20", "2014-09-21")]
    assert len(opening) == 2
    cid, _ = split_entity(store, fuyao, opening)
    new = entity_of_doc(store, "a04-fuyao-opening-ru")
    assert new != fuyao
    assert entity_of_doc(store, "a05-fuyao-opening-ru-copy") == new  # moved together
    assert entity_of_doc(store, "a03-fuyao-construction-en") == fuyao  # the rest stays
    assert get_entity(store, fuyao).fields["status"]["value"] == "construction"
    resolve_store(store)
    assert entity_of_doc(store, "a04-fuyao-opening-ru") == new
    undo_correction(store, cid)
    assert entity_of_doc(store, "a04-fuyao-opening-ru") == fuyao
    with pytest.raises(CorrectionError, match="not part of project"):
        split_entity(store, fuyao, ["project:9999"])


def test_correct_field_overrides_and_keeps_machine_value(store: Store) -> None:
    soy = entity_of_doc(store, "c01-longjiang-soy-announced-ru")
    cid, _ = correct_entity(store, soy, "amount", "5e9 RUB 2023-06-01", author="analyst")
    amount = get_entity(store, soy).fields["amount"]
    assert amount["value"]["value"] == 5e9 and amount["value"]["usd"]["rate_period"] == "2023-06"
    assert amount["value"]["usd"]["usd"] == pytest.approx(5e9 / 82.1)
    assert amount["machine_value"]["value"] == 4_000_000_000
    assert amount["claims"] == [f"correction:{cid}"] and amount["corrected_by"] == cid
    correct_entity(store, soy, "status", "cancelled 2023-02-01")
    status = get_entity(store, soy).fields["status"]
    assert (status["value"], status["date"], status["machine_value"]) == (
        "cancelled",
        "2023-02-01",
        "construction",
    )
    with pytest.raises(CorrectionError, match="status must be one of"):
        correct_entity(store, soy, "status", "finished")
    with pytest.raises(CorrectionError, match="cannot correct"):
        correct_entity(store, soy, "colour", "red")
    with pytest.raises(EntityNotFound):
        correct_entity(store, 999, "jobs", "5")
    undo_correction(store, cid)
    assert get_entity(store, soy).fields["amount"]["value"]["value"] == 4_000_000_000


def _gold_extractor(document: Document) -> Doc:
    """A "new extractor": the gold records, whose evidence spans differ from the pipeline's."""
    doc = Doc(document=document, lang=document.language or "en")
    doc.projects = gold_records(document)
    return doc


def test_correction_survives_reextraction() -> None:
    with Store(":memory:") as store:
        ingest_pipeline(store)
        resolve_store(store)
        soy = entity_of_doc(store, "c01-longjiang-soy-announced-ru")
        fridge = entity_of_doc(store, "b01-haier-fridge-construction-en")
        washer = entity_of_doc(store, "b04-haier-washer-opening-en")
        correct_entity(store, soy, "sector", "food_agriculture")
        merge_entities(store, fridge, washer)
        before = {c.record_id for c in load_claims(store)}
        n_records = store.count("projects")

        # The same extractor again: new records with the same spans.
        assert reextract_documents(store) == 18
        resolve_store(store)
        after = {c.record_id for c in load_claims(store)}
        assert not before & after  # all claims are new records ...
        assert store.count("projects") == 2 * n_records  # ... and the old ones are kept,
        assert len(service.list_projects(store, limit=0)) == n_records  # though not listed
        assert entity_of_doc(store, "c02-longjiang-soy-construction-en") == soy
        assert get_entity(store, soy).fields["sector"]["value"] == "food_agriculture"
        assert entity_of_doc(store, "b04-haier-washer-opening-en") == fridge

        # Another extractor whose spans differ: corrections follow their documents.
        reextract_documents(store, extractor=_gold_extractor)
        resolve_store(store)
        assert entity_of_doc(store, "c01-longjiang-soy-announced-ru") == soy
        assert get_entity(store, soy).fields["sector"]["value"] == "food_agriculture"
        assert entity_of_doc(store, "b03-haier-washer-agreement-ru") == fridge
        assert len(load_claims(store)) == 18


def test_cli_project_commands(tmp_path: Path, runner: CliRunner) -> None:
    db = str(tmp_path / "p.db")
    assert runner.invoke(main, ["ingest", str(ARTICLES), "--db", db]).exit_code == 0
    out = runner.invoke(main, ["resolve", "--db", db])
    assert out.exit_code == 0, out.output
    assert re.match(r"\d+ claims -> 8 projects \(8 new", out.output)
    listing = runner.invoke(main, ["entities", "--db", db, "--investor", "Хайер"])
    assert listing.exit_code == 0 and listing.output.count("Haier") == 3
    with Store(db) as store:
        fuyao = entity_of_doc(store, "a01-fuyao-agreement-en")
        fridge = entity_of_doc(store, "b01-haier-fridge-construction-en")
        washer = entity_of_doc(store, "b04-haier-washer-opening-en")
    shown = runner.invoke(main, ["project", str(fuyao), "--history", "--claims", "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "operational [2014-09-20]" in shown.output
    assert "5 documents, 4 independent" in shown.output
    assert "history" in shown.output and "-> operational" in shown.output
    assert "claims" in shown.output and "related:" in shown.output
    assert shown.output.startswith(f"project {fuyao}: auto glass\n")
    assert "Fuyao Glass [auto glass, phase 2]" in shown.output
    merged = runner.invoke(main, ["merge", str(fridge), str(washer), "--db", db])
    assert merged.exit_code == 0 and "correction #1 recorded" in merged.output
    assert "7 projects" in merged.output
    undone = runner.invoke(main, ["undo", "1", "--db", db])
    assert undone.exit_code == 0 and "8 projects" in undone.output
    fixed = runner.invoke(main, ["correct", str(fuyao), "jobs", "520", "--db", db])
    assert fixed.exit_code == 0, fixed.output
    assert "jobs:               520" in runner.invoke(main, ["project", str(fuyao), "--db", db]).output
    log = runner.invoke(main, ["corrections", "--log", "--db", db])
    assert [line.split("#")[1].split(":")[0] for line in log.output.splitlines()] == [
        "1 apply",
        "1 undo",
        "2 apply",
    ]
    again = runner.invoke(main, ["reextract", "--db", db])
    assert again.exit_code == 0 and again.output.startswith("re-extracted 18 documents;")
    assert "jobs:               520" in runner.invoke(main, ["project", str(fuyao), "--db", db]).output
    bad = runner.invoke(main, ["correct", str(fuyao), "status", "done", "--db", db])
    assert bad.exit_code == 1 and "status must be one of" in bad.output
    missing = runner.invoke(main, ["project", "999", "--db", db])
    assert missing.exit_code == 1 and "no project 999" in missing.output


def test_list_entities_filters(store: Store) -> None:
    assert {e.host_region for e in list_entities(store, region="ru-ta")} == {"RU-TA"}
    assert len(list_entities(store, region="RU-TA")) == 3
    stale = list_entities(store, stale=True)
    assert "Longjiang Agro LLC" in {e.name for e in stale}
    assert all(e.status not in ("operational", "cancelled") for e in stale)
    assert len(list_entities(store, investor="Fuyao")) == 2  # the plant and its second phase
    assert len(list_entities(store, limit=2)) == 2


def test_resolve_migration_is_portable_sql() -> None:
    sql = _RESOLVE.upper()
    for sqlite_only in ("AUTOINCREMENT", "INSERT OR", "WITHOUT ROWID", "STRFTIME", "JSON_", "PRAGMA", "GLOB"):
        assert sqlite_only not in sql
    types = set(re.findall(r"^ +\w+ +([A-Z]+)", _RESOLVE, re.MULTILINE))
    assert types <= {"TEXT", "INTEGER", "REAL", "KEY"}


def test_resolution_on_postgresql(pg_url: str) -> None:
    """The same migrations, resolution, corrections and re-extraction on the PostgreSQL store."""
    with Store(pg_url) as store:
        ingest_gold(store)
        report = resolve_store(store)
        assert (report.claims, report.entities) == (18, 8)
        fridge = entity_of_doc(store, "b01-haier-fridge-construction-en")
        washer = entity_of_doc(store, "b04-haier-washer-opening-en")
        assert len(list_entities(store, investor="Хайер")) == 3
        cid, merged = merge_entities(store, fridge, washer)
        assert merged.entities == 7 and get_entity(store, washer).id == fridge
        undo_correction(store, cid)
        assert entity_of_doc(store, "b04-haier-washer-opening-en") == washer
        soy = entity_of_doc(store, "c01-longjiang-soy-announced-ru")
        correct_entity(store, soy, "jobs", "250")
        reextract_documents(store, extractor=_gold_extractor)
        assert resolve_store(store).entities == 8
        view = get_entity(store, soy)
        assert view.fields["jobs"]["value"] == 250
        assert view.fields["amount"]["value"]["usd"]["rate_period"] == "2021"
        assert len(service.list_projects(store, limit=0)) == 18
