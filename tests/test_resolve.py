"""Resolution over a written corpus: merges and non-merges, canonical view, history, sources.

The corpus (tests/fixtures/resolve/articles) has 18 short articles in English and Russian about
eight projects: Fuyao's glass plant (agreement, construction, opening, a wire copy) and its
second phase; a different company with a similar name in the same region (Fuyu); Haier's
refrigerator plant, washing-machine plant and industrial park; a soybean plant; a car plant
reported in 2023-2024 in roubles (with a wire copy).  ``gold.yaml`` names each article's project.
"""

from __future__ import annotations

import doctest
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import fdiscope.resolve as resolve_pkg
from fdiscope import service
from fdiscope.ingest import read_paths
from fdiscope.model import Document, ProjectRecord, make_evidence
from fdiscope.resolve import (
    Settings,
    get_entity,
    list_entities,
    load_claims,
    name_similarity,
    resolve_store,
)
from fdiscope.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "resolve"
ARTICLES = FIXTURES / "articles"
GOLD: dict[str, dict[str, Any]] = yaml.safe_load((FIXTURES / "gold.yaml").read_text(encoding="utf-8"))


def _stem(source: str | None) -> str:
    return Path(source or "").stem


def gold_records(document: Document) -> list[ProjectRecord]:
    """The gold claim of an article as a record with real evidence spans."""
    g = GOLD[_stem(document.source)]
    start = document.text.index(g["evidence"])
    ev = make_evidence(document.id, document.text, start, start + len(g["evidence"]))
    return [
        ProjectRecord(
            investors=list(g["investors"]),
            investor_countries=["CN"],
            host_country="RU",
            host_region=g["host_region"],
            location=g["location"],
            sector=g["sector"],
            kind=g["kind"],
            description=g["description"],
            amount=dict(g["amount"]) if g.get("amount") else None,
            jobs=g.get("jobs"),
            status=g["status"],
            evidence=ev,
            provenance={"status": ev},
        )
    ]


def _documents() -> list[Document]:
    docs = [d for d in read_paths([ARTICLES]) if isinstance(d, Document)]
    assert len(docs) == len(GOLD) == 18
    return docs


def ingest_gold(store: Store) -> None:
    for document in _documents():
        store.add_document(document, gold_records(document))


def ingest_pipeline(store: Store) -> None:
    report = service.ingest_paths(store, [ARTICLES])
    assert report.ingested == 18 and report.failed == 0


def merge_errors(store: Store) -> tuple[int, int, int]:
    """(false-merge pairs, missed-merge pairs, claims) over all claim pairs of the store."""
    entity_of = {
        (r[0], int(r[1])): int(r[2])
        for r in store.conn.execute("SELECT record_type, record_id, entity_id FROM entity_claims")
    }
    claims = load_claims(store)
    false_merges = missed = 0
    for a, b in itertools.combinations(claims, 2):
        same_gold = GOLD[_stem(a.doc.source)]["entity"] == GOLD[_stem(b.doc.source)]["entity"]
        same_pred = entity_of[(a.record_type, a.record_id)] == entity_of[(b.record_type, b.record_id)]
        false_merges += same_pred and not same_gold
        missed += same_gold and not same_pred
    return false_merges, missed, len(claims)


def entity_of_doc(store: Store, stem: str) -> int:
    ids = {
        int(r[0])
        for r in store.conn.execute(
            "SELECT ec.entity_id FROM entity_claims ec JOIN documents d ON d.id = ec.doc_id"
            " WHERE d.source LIKE ?",
            (f"%{stem}%",),
        )
    }
    assert len(ids) == 1, (stem, ids)
    return ids.pop()


@pytest.fixture
def gold_store() -> Iterator[Store]:
    with Store(":memory:") as store:
        ingest_gold(store)
        resolve_store(store)
        yield store


# -- merges and non-merges -------------------------------------------------------------------


def test_gold_claims_resolve_to_the_eight_projects(
    gold_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    false_merges, missed, n = merge_errors(gold_store)
    with capsys.disabled():
        print(
            f"\nresolve (gold records): {n} claims, "
            f"false-merge pairs {false_merges}, missed-merge pairs {missed}"
        )
    assert (false_merges, missed) == (0, 0)
    assert len(list_entities(gold_store)) == len({g["entity"] for g in GOLD.values()}) == 8


def test_pipeline_claims_resolve_to_the_eight_projects(capsys: pytest.CaptureFixture[str]) -> None:
    with Store(":memory:") as store:
        ingest_pipeline(store)
        resolve_store(store)
        false_merges, missed, n = merge_errors(store)
        entities = {entity_of_doc(store, stem) for stem in GOLD}
    with capsys.disabled():
        print(
            f"\nresolve (extracted records): {n} claims, "
            f"false-merge pairs {false_merges}, missed-merge pairs {missed}"
        )
    assert false_merges == 0
    assert missed == 0
    assert len(entities) == 8


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("a01-fuyao-agreement-en", "a02-fuyao-agreement-ru", True),  # Fuyao / Фуяо, two languages
        ("a01-fuyao-agreement-en", "a04-fuyao-opening-ru", True),
        ("a04-fuyao-opening-ru", "a05-fuyao-opening-ru-copy", True),  # wire copy
        ("a01-fuyao-agreement-en", "a06-fuyao-phase2-en", False),  # second phase
        ("a01-fuyao-agreement-en", "a07-fuyu-chemical-en", False),  # similar name, same region
        ("b01-haier-fridge-construction-en", "b02-haier-fridge-opening-ru", True),  # Haier / Хайер
        ("b01-haier-fridge-construction-en", "b04-haier-washer-opening-en", False),  # other plant
        ("b02-haier-fridge-opening-ru", "b03-haier-washer-agreement-ru", False),
        ("b03-haier-washer-agreement-ru", "b04-haier-washer-opening-en", True),
        ("b04-haier-washer-opening-en", "b05-haier-park-construction-en", False),  # park
        ("b05-haier-park-construction-en", "b06-haier-park-announced-ru", True),
        ("c01-longjiang-soy-announced-ru", "c02-longjiang-soy-construction-en", True),  # Лунцзян
        ("d01-changlin-agreement-ru", "d02-changlin-opening-en", True),  # Чанлин Моторс
    ],
)
def test_pairs(gold_store: Store, a: str, b: str, same: bool) -> None:
    assert (entity_of_doc(gold_store, a) == entity_of_doc(gold_store, b)) is same


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Фуяо", "Fuyao", True),
        ("Хайер", "Haier", True),
        ("Лунцзян Агро", "Longjiang Agro LLC", True),  # Palladius: Лунцзян = Longjiang
        ("Чанлин Моторс", "Changlin Motors", True),
        ("ООО «Фуяо Гласс Рус»", "Fuyao Glass Industry Group Co., Ltd", True),  # legal forms
        ("Hаier", "Haier", True),  # Cyrillic "а" inside a Latin word
        ("Xaйеp", "Хайер", True),  # Latin look-alikes inside a Cyrillic word
        ("RCIF", "Russian-China Investment Fund", True),  # abbreviation
        ("РФПИ", "Российский фонд прямых инвестиций", True),
        ("Construction of Fuyao", "Fuyao", True),  # a cue word glued to the name
        ("Fuyao Glass", "Fuyu Chemical", False),
        ("Haier", "Haitai", False),
        ("Longjiang Agro", "Amur Agro", False),  # a shared generic-ish word is not enough
        ("China Huadian Engineering", "China National Chemical Engineering", False),
    ],
)
def test_investor_names(a: str, b: str, same: bool) -> None:
    from fdiscope.resolve.names import block_keys

    sim = name_similarity(a, b)
    assert sim is not None
    assert (sim >= Settings().name_threshold) is same, sim
    if same:
        assert block_keys(a) & block_keys(b)  # the pair is compared at all


# -- canonical view, history, sources, USD ----------------------------------------------------


def test_canonical_view_of_fuyao(gold_store: Store) -> None:
    view = get_entity(gold_store, entity_of_doc(gold_store, "a01-fuyao-agreement-en"))
    status = view.fields["status"]
    assert status["value"] == "operational"
    assert status["date"] == "2014-09-20"  # dated by the earliest source stating it
    amount = view.fields["amount"]
    assert amount["value"]["value"] == 220_000_000 and amount["value"]["currency"] == "USD"
    assert amount["value"]["usd"]["usd"] == 220_000_000
    # 200 M is within 10 % of 220 M: no conflict; both claims back the amount.
    assert amount.get("conflicts") is None and len(amount["claims"]) == 5
    assert view.fields["location"]["value"] == "Lyudinovo site of the Kaluga special economic zone"
    assert view.fields["name"]["value"] == "Фуяо"
    assert set(view.fields["investors"]["value"]) >= {"Fuyao", "Фуяо", "ООО «Фуяо Гласс Рус»"}
    assert view.sources["documents"] == 5
    assert view.sources["independent"] == 4  # the copy of the opening story counts once
    refs = {c["id"] for c in view.claims}
    for fv in view.fields.values():
        assert set(fv["claims"]) <= refs  # every value links to claims of this project
    assert [r["name"] for r in view.related] == ["Fuyao Glass"]  # the second phase
    assert (view.phase, view.object) == (1, "auto_glass")
    assert (view.related[0]["phase"], view.related[0]["object"]) == (2, "auto_glass")


def test_status_history_and_stale(gold_store: Store) -> None:
    view = get_entity(gold_store, entity_of_doc(gold_store, "a01-fuyao-agreement-en"))
    steps = [(t["status"], t["date"]) for t in view.history["transitions"]]
    assert steps == [
        ("agreement", "2011-06-15"),
        ("construction", "2013-03-05"),
        ("operational", "2014-09-20"),
    ]
    assert view.history["transitions"][1]["evidence"].startswith("The Chinese company now puts")
    assert view.history["stale"] is False  # operational projects are never stale
    soy = get_entity(gold_store, entity_of_doc(gold_store, "c01-longjiang-soy-announced-ru"))
    assert soy.history["as_of"] == "2024-06-12" and soy.history["last_news"] == "2021-05-27"
    assert soy.history["stale"] is True
    with Store(":memory:") as store:
        ingest_gold(store)
        resolve_store(store, Settings(stale_years=5))
        soy5 = get_entity(store, entity_of_doc(store, "c01-longjiang-soy-announced-ru"))
        assert soy5.history["stale"] is False
        resolve_store(store, as_of="2026-01-01")
        assert get_entity(store, soy5.id).history["stale"] is True


def test_amount_conflict_and_rub_after_2022(gold_store: Store) -> None:
    view = get_entity(gold_store, entity_of_doc(gold_store, "d01-changlin-agreement-ru"))
    amount = view.fields["amount"]
    # Latest total (16 bn, June 2024) wins; 15 bn (April 2023) is within 10 %: not a conflict.
    assert amount["value"]["value"] == 16_000_000_000
    usd = amount["value"]["usd"]
    assert usd["rate_period"] == "2024-06" and usd["rate_per_usd"] == 87.5
    assert usd["usd"] == pytest.approx(182_857_142.86, abs=0.01)
    assert view.fields["status"]["value"] == "operational"
    assert view.sources == {
        **view.sources,
        "documents": 3,
        "independent": 2,
    }


def test_duplicate_of_links_count_as_one_source(gold_store: Store) -> None:
    """Ingest's duplicate_of link groups copies even when their texts differ."""
    ids = {_stem(r[1]): r[0] for r in gold_store.conn.execute("SELECT id, source FROM documents")}
    gold_store.conn.execute(
        "UPDATE documents SET duplicate_of = ? WHERE id = ?",
        (ids["a01-fuyao-agreement-en"], ids["a02-fuyao-agreement-ru"]),
    )
    resolve_store(gold_store)
    sources = get_entity(gold_store, entity_of_doc(gold_store, "a01-fuyao-agreement-en")).sources
    assert (sources["documents"], sources["independent"]) == (5, 3)
    assert sorted(sources["groups"][ids["a01-fuyao-agreement-en"]]) == sorted(
        [ids["a01-fuyao-agreement-en"], ids["a02-fuyao-agreement-ru"]]
    )


def test_undated_claim_is_converted_at_its_stated_year() -> None:
    text = "Chinese company Baoxin Steel will invest 10 billion rubles in a steel plant in 2023."
    with Store(":memory:") as store:
        document = Document(text=text, language="en", source="undated")
        ev = make_evidence(document.id, text, 0, len(text))
        rec = ProjectRecord(
            investors=["Baoxin Steel"], amount={"value": 10_000_000_000, "currency": "RUB"}, evidence=ev
        )
        store.add_document(document, [rec])
        resolve_store(store)
        (summary,) = list_entities(store)
        usd = get_entity(store, summary.id).fields["amount"]["value"]["usd"]
        assert (usd["date"], usd["rate_period"], usd["rate_per_usd"]) == ("2023", "2023", 85.25)
        assert summary.amount_usd == pytest.approx(117_302_052.79, abs=0.01)


def test_nameless_claim_joins_by_place_and_object_and_cancels(gold_store: Store) -> None:
    text = (
        "2022-03-01\nA Chinese investor has frozen construction of the soybean processing plant "
        "in Belogorsk, Amur Region."
    )
    document = Document(text=text, published="2022-03-01", language="en", source="e01-soy-frozen")
    ev = make_evidence(document.id, text, 11, len(text))
    rec = ProjectRecord(
        host_country="RU",
        host_region="RU-AMU",
        location="Belogorsk",
        description="soybean processing plant",
        status="cancelled",
        evidence=ev,
    )
    gold_store.add_document(document, [rec])
    resolve_store(gold_store)
    soy = entity_of_doc(gold_store, "c01-longjiang-soy-announced-ru")
    assert entity_of_doc(gold_store, "e01-soy-frozen") == soy
    view = get_entity(gold_store, soy)
    steps = [(t["status"], t["date"]) for t in view.history["transitions"]]
    assert steps == [("announced", "2019-07-04"), ("construction", "2021-05-27"), ("cancelled", "2022-03-01")]
    assert view.fields["status"]["value"] == "cancelled" and view.history["stale"] is False


def test_amount_conflict_is_flagged() -> None:
    with Store(":memory:") as store:
        docs = _documents()
        for document in docs:
            recs = gold_records(document)
            if _stem(document.source) == "c02-longjiang-soy-construction-en":
                recs[0].amount = {"value": 9_000_000_000, "currency": "RUB"}
            store.add_document(document, recs)
        resolve_store(store)
        view = get_entity(store, entity_of_doc(store, "c01-longjiang-soy-announced-ru"))
        amount = view.fields["amount"]
        assert amount["value"]["value"] == 9_000_000_000  # the latest stated total
        assert amount["conflicts"] == [
            {
                "value": {"value": 4_000_000_000, "currency": "RUB"},
                "claims": [next(c["id"] for c in view.claims if c["document"]["published"] == "2019-07-04")],
            }
        ]


def test_haier_has_three_projects(gold_store: Store) -> None:
    haier = list_entities(gold_store, investor="Хайер")
    assert len(haier) == 3
    objects = {get_entity(gold_store, e.id).object for e in haier}
    assert objects == {"refrigerator", "washing_machine", "industrial_park"}
    statuses = {e.sector: e.status for e in haier}
    assert statuses["real_estate"] == "construction"
    assert sorted(e.status or "" for e in haier) == ["construction", "operational", "operational"]


def test_resolution_is_idempotent_and_keeps_ids(gold_store: Store) -> None:
    before = {e.id: e.name for e in list_entities(gold_store)}
    report = resolve_store(gold_store)
    assert report.created == 0 and report.retired == 0 and report.kept == 8
    assert {e.id: e.name for e in list_entities(gold_store)} == before


def test_every_claim_is_resolved_in_a_large_store() -> None:
    """More claims than any default page size: each ends up in exactly one project."""
    with Store(":memory:") as store:
        for i in range(260):
            text = f"2020-01-01\nCompany{i:03d}xq builds plant number {i} in Kaluga Region."
            document = Document(text=text, published="2020-01-01", language="en", source=f"big-{i}")
            start = text.index("Company")
            ev = make_evidence(document.id, text, start, len(text))
            rec = ProjectRecord(investors=[f"Company{i:03d}xq"], host_region="RU-KLU", evidence=ev)
            store.add_document(document, [rec])
        report = resolve_store(store)
        assert (report.claims, report.entities) == (260, 260)
        assert store.conn.execute("SELECT count(*) FROM entity_claims").fetchone()[0] == 260
        assert len(list_entities(store, limit=0)) == 260


def test_public_names_exist() -> None:
    for name in resolve_pkg.__all__:
        assert hasattr(resolve_pkg, name), name


@pytest.mark.parametrize("module", ["names", "fx", "claims", "history", "corrections", "__init__"])
def test_doctests(module: str) -> None:
    import importlib

    mod = importlib.import_module("fdiscope.resolve" + ("" if module == "__init__" else f".{module}"))
    result = doctest.testmod(mod)
    assert result.attempted > 0 and result.failed == 0
