"""The scorer, rule by rule, on tiny hand-made gold/prediction pairs (plus gold-vs-gold on dev)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fdiscope.evaluation import FloorsError, check_floors, gate_passed, parse_floors
from fdiscope.evaluation.scoring import (
    Counts,
    amounts_equal,
    is_empty,
    match_records,
    names_equal,
    normalise_name,
    relative_close,
    score_corpus,
    score_document,
    similarity,
)

DEV = Path("/work/shared/eval/dev.jsonl")


def doc(doc_id: str = "d1", lang: str = "en", text: str = "", **records: list[dict[str, Any]]) -> dict:
    return {
        "doc_id": doc_id,
        "language": lang,
        "text": text,
        "projects": records.get("projects", []),
        "trade": records.get("trade", []),
        "events": records.get("events", []),
    }


def fields(gold: dict, pred: dict | None, rtype: str) -> dict[str, tuple[int, int, int]]:
    ts = score_document(gold, pred).types[rtype]
    return {k: (c.tp, c.fp, c.fn) for k, c in ts.fields.items() if (c.tp, c.fp, c.fn) != (0, 0, 0)}


# ------------------------------------------------------------------------------------ slot rules


def test_slot_rules_on_a_matched_pair() -> None:
    gold = {
        "reporter": "RU-KLU",
        "partner": "CN",
        "flow": "turnover",
        "period": "2013",
        "value": None,
        "currency": None,
        "change_pct": 32,
        "share_pct": None,
    }
    pred = {
        "reporter": "ru-klu",
        "partner": "CN",
        "flow": "exports",
        "period": None,
        "value": None,
        "currency": "USD",
        "change_pct": 32,
        "share_pct": None,
    }
    got = fields(doc(trade=[gold]), doc(trade=[pred]), "trade")
    assert got == {
        "reporter": (1, 0, 0),  # codes are case-insensitive
        "partner": (1, 0, 0),
        "flow": (0, 1, 1),  # both filled, different: FP + FN
        "period": (0, 0, 1),  # gold filled, predicted empty: FN
        "currency": (0, 1, 0),  # gold empty, predicted filled: FP
        "change_pct": (1, 0, 0),
    }  # value and share_pct: both empty, nothing
    ts = score_document(doc(trade=[gold]), doc(trade=[pred])).types["trade"]
    assert (ts.slots.tp, ts.slots.fp, ts.slots.fn) == (3, 2, 2)
    assert (ts.records.tp, ts.records.fp, ts.records.fn) == (1, 0, 0)


def test_empty_values() -> None:
    assert is_empty(None) and is_empty("  ") and is_empty([]) and is_empty({})
    assert is_empty({"value": None, "currency": "RUB"}, "amount")
    assert not is_empty(0) and not is_empty(["CN"])
    gold = {"kind": "forum", "date": "", "city": None, "country": "RU"}
    pred = {"kind": "forum", "date": None, "city": "  ", "country": "ru"}
    assert fields(doc(events=[gold]), doc(events=[pred]), "events") == {
        "kind": (1, 0, 0),
        "country": (1, 0, 0),
    }


def test_list_fields_count_one_slot_per_item() -> None:
    gold = {
        "investors": ["Avtotor", "BAIC", "Rosatom"],
        "investor_countries": ["RU", "CN"],
        "sector": "automotive",
    }
    pred = {
        "investors": ["ООО Автотор", "Avtotor LLC", "BAIC Group", "Geely"],
        "investor_countries": ["cn"],
        "sector": "automotive",
    }
    got = fields(doc(projects=[gold]), doc(projects=[pred]), "projects")
    # Avtotor <-> Avtotor LLC, BAIC <-> BAIC Group: 2 TP; "ООО Автотор" and Geely FP; Rosatom FN
    assert got["investors"] == (2, 2, 1)
    assert got["investor_countries"] == (1, 0, 1)
    assert got["sector"] == (1, 0, 0)


def test_list_items_use_a_maximum_matching() -> None:
    # "Shenzhen Energy" is contained in both gold names; greedy-first would pair it with the first
    # one and lose "Shenzhen Energy Environmental" <-> "Shenzhen Energy Environmental Engineering".
    gold = {"investors": ["Shenzhen Energy Environmental Engineering", "Shenzhen Energy"]}
    pred = {"investors": ["Shenzhen Energy", "Shenzhen Energy Environmental"]}
    assert fields(doc(projects=[gold]), doc(projects=[pred]), "projects")["investors"] == (2, 0, 0)
    gold2 = {"investors": ["Shenzhen Energy Environmental Engineering"]}
    pred2 = {"investors": ["Shenzhen Energy", "Shenzhen Energy Environmental"]}
    assert fields(doc(projects=[gold2]), doc(projects=[pred2]), "projects")["investors"] == (1, 1, 0)


# -------------------------------------------------------------------------------------- equality


def test_name_normalisation_drops_quotes_punctuation_and_legal_forms() -> None:
    assert normalise_name("ООО «Рога и Копыта»") == ["рога", "и", "копыта"]
    assert normalise_name("PJSC “Gazprom Neft”") == ["gazprom", "neft"]
    assert normalise_name("Fuyao Glass Industry Group Co., Ltd.") == ["fuyao", "glass", "industry"]
    assert normalise_name("RM International Zrt.") == ["rm", "international"]
    assert normalise_name("ПАО „Северсталь‟") == ["северсталь"]
    assert normalise_name("'Ёлки' ГК Групп") == ["елки", "гк"]


def test_names_equal_with_containment() -> None:
    assert names_equal("Fuyao", "Fuyao Glass Industry Group")  # word-sequence containment
    assert names_equal("IG BR", "IGBR")  # substring after normalisation, spaces ignored
    assert names_equal("АО «Рубин»", "Рубин")
    assert names_equal('"Petra-Haihua"', "Petra Haihua Co Ltd")
    assert not names_equal("BAIC", "Geely")
    assert not names_equal("Gazprom", "Газпром")  # no transliteration
    assert not names_equal("LLC", "Geely LLC")  # only legal forms: nothing to contain
    assert names_equal("LLC", "llc")
    assert not names_equal("", "Geely") and not names_equal(None, None)


def test_city_is_compared_as_a_name() -> None:
    gold = {"kind": "forum", "city": "Sochi"}
    assert fields(doc(events=[gold]), doc(events=[{"kind": "forum", "city": "SOCHI."}]), "events")[
        "city"
    ] == (1, 0, 0)


def test_amount_tolerance_and_currency() -> None:
    g = {"value": 1_000_000_000, "currency": "RUB"}
    assert amounts_equal(g, {"value": 1_010_000_000, "currency": "rub"})  # exactly 1%
    assert amounts_equal(g, {"value": 990_000_000, "currency": "RUB"})
    assert not amounts_equal(g, {"value": 1_010_000_001, "currency": "RUB"})
    assert not amounts_equal(g, {"value": 1_000_000_000, "currency": "USD"})
    assert not amounts_equal(g, {"value": 1_000_000_000, "currency": None})
    gold = {"amount": g}
    assert fields(
        doc(projects=[gold]), doc(projects=[{"amount": {"value": 1.005e9, "currency": "RUB"}}]), "projects"
    ) == {"amount": (1, 0, 0)}
    assert fields(
        doc(projects=[gold]), doc(projects=[{"amount": {"value": 1e9, "currency": "EUR"}}]), "projects"
    ) == {"amount": (0, 1, 1)}


def test_trade_value_and_percent_tolerances() -> None:
    gold = {"reporter": "RU", "partner": "CN", "value": 875_000_000, "change_pct": 32, "share_pct": 8}
    pred = {"reporter": "RU", "partner": "CN", "value": 880_000_000, "change_pct": 32.6, "share_pct": 8.2}
    got = fields(doc(trade=[gold]), doc(trade=[pred]), "trade")
    assert got["value"] == (1, 0, 0)  # 0.57% off
    assert got["change_pct"] == (1, 0, 0)  # 1.9% relative
    assert got["share_pct"] == (0, 1, 1)  # 2.5% relative
    assert relative_close(100, 102, 0.02) and not relative_close(100, 102.1, 0.02)
    assert relative_close(-9.6, -9.7, 0.02) and not relative_close(0, 0.1, 0.02)
    pred["value"] = 885_000_000  # 1.14% off
    assert fields(doc(trade=[gold]), doc(trade=[pred]), "trade")["value"] == (0, 1, 1)


def test_jobs_exact() -> None:
    gold = {"jobs": 80}
    assert fields(doc(projects=[gold]), doc(projects=[{"jobs": 80.0}]), "projects") == {"jobs": (1, 0, 0)}
    assert fields(doc(projects=[gold]), doc(projects=[{"jobs": 81}]), "projects") == {"jobs": (0, 1, 1)}


# -------------------------------------------------------------------------------------- matching


def test_similarity_weights() -> None:
    g = {
        "investors": ["IG BR"],
        "host_region": "RU-KLU",
        "sector": "machinery",
        "jobs": 80,
        "amount": {"value": 1e9, "currency": "RUB"},
        "evidence": "a b",
        "description": None,
        "location": "c d",
    }
    p = {
        "investors": ["IGBR"],
        "host_region": "ru-klu",
        "sector": "machinery",
        "jobs": 80,
        "amount": {"value": 1e9, "currency": "RUB"},
        "evidence": "A b c e",
    }
    assert similarity("projects", g, p) == pytest.approx(5 + 3 / 5)
    assert similarity("projects", {"jobs": None}, {"jobs": None}) == 0  # empty == empty adds nothing
    t = {
        "reporter": "RU",
        "partner": "CN",
        "flow": "turnover",
        "period": "2013",
        "value": 100,
        "currency": "USD",
    }
    assert similarity("trade", t, dict(t, currency="EUR")) == 5  # currency is not a matching feature
    e = {"name": "Russia-China Expo", "kind": "exhibition", "date": "2024-05", "city": "Harbin"}
    assert similarity("events", e, {"name": "China Expo", "kind": "exhibition"}) == pytest.approx(1 + 2 / 3)


def test_greedy_matching_takes_the_better_pair_first() -> None:
    gold = [
        {"reporter": "RU", "partner": "CN", "flow": "turnover", "period": "2013", "value": 100},
        {"reporter": "RU", "partner": "CN", "flow": "turnover", "period": "2014", "value": 200},
    ]
    pred: list[dict[str, Any]] = [
        {"reporter": "RU", "partner": "CN", "flow": "turnover", "period": "2014", "value": 200},  # 5 with g1
        {"reporter": "RU", "partner": "CN", "flow": "exports", "period": "2013"},  # 3 with g0
    ]
    assert match_records("trade", gold, pred) == [(1, 0), (0, 1)]
    # Taken in input order instead, pred[0] would go to gold[0] (similarity 3) and score worse.
    s = score_document(doc(trade=gold), doc(trade=pred)).types["trade"]
    assert (s.records.tp, s.records.fp, s.records.fn) == (2, 0, 0)
    assert (s.slots.tp, s.slots.fp, s.slots.fn) == (8, 1, 2)


def test_zero_similarity_never_matches_and_unmatched_records_count_all_filled_fields() -> None:
    gold = [{"name": "Forum A", "kind": "forum", "date": None, "city": "Sochi", "country": "RU"}]
    pred = [{"name": "Visit", "kind": "visit", "date": "2024", "city": None, "country": "RU"}]
    assert match_records("events", gold, pred) == []
    s = score_document(doc(events=gold), doc(events=pred)).types["events"]
    assert (s.records.tp, s.records.fp, s.records.fn) == (0, 1, 1)
    # gold: kind, city, country FN; pred: kind, date, country FP (country equal but records unmatched)
    assert (s.slots.tp, s.slots.fp, s.slots.fn) == (0, 3, 3)
    assert s.fields["country"] == Counts(0, 1, 1)


def test_extra_predicted_record_is_fp() -> None:
    gold = [
        {"investors": ["A-Corp"], "investor_countries": ["CN"], "sector": "energy", "status": "announced"}
    ]
    pred = gold + [
        {"investors": ["Zeta", "Eta"], "investor_countries": [], "sector": "tourism", "status": None}
    ]
    s = score_document(doc(projects=gold), doc(projects=pred)).types["projects"]
    assert (s.records.tp, s.records.fp, s.records.fn) == (1, 1, 0)
    assert (s.slots.tp, s.slots.fp, s.slots.fn) == (4, 3, 0)


# ---------------------------------------------------------------------------------------- corpus


GOLD_EN = doc("en-1", "en", events=[{"name": "Expo", "kind": "exhibition", "city": "Kazan", "country": "RU"}])
GOLD_RU = doc("ru-1", "ru", trade=[{"reporter": "RU", "partner": "CN", "flow": "turnover", "period": "2022"}])


def test_missing_document_counts_as_empty_and_unknown_is_ignored() -> None:
    pred_en = doc(
        "en-1", "en", events=[{"name": "Expo", "kind": "exhibition", "city": "Kazan", "country": "RU"}]
    )
    report = score_corpus([GOLD_EN, GOLD_RU], [pred_en, doc("zzz", trade=[{"reporter": "RU"}])])
    assert report.missing_predictions == ["ru-1"]
    assert report.ignored_predictions == ["zzz"]
    assert any("zzz" in w for w in report.warnings)
    assert report.documents == 2
    ov = report.scores.overall
    assert (ov.tp, ov.fp, ov.fn) == (3, 0, 4)
    assert report.scores.types["trade"].records == Counts(0, 0, 1)
    m = report.metrics()
    assert m["overall_slot_p"] == 1.0
    assert m["overall_slot_r"] == pytest.approx(3 / 7)
    assert m["overall_slot_f1"] == pytest.approx(6 / 10)


def test_per_language_split_and_language_filter() -> None:
    pred_ru = doc(
        "ru-1", "ru", trade=[{"reporter": "RU", "partner": "CN", "flow": "exports", "period": "2022"}]
    )
    report = score_corpus([GOLD_EN, GOLD_RU], [pred_ru])
    m = report.metrics()
    assert set(report.by_language) == {"en", "ru"}
    assert m["en_overall_slot_f1"] == 0.0
    assert m["ru_overall_slot_f1"] == pytest.approx(6 / 8)  # 3 TP, 1 FP, 1 FN
    assert m["ru_trade_record_f1"] == 1.0
    only_ru = score_corpus([GOLD_EN, GOLD_RU], [pred_ru], lang="ru")
    assert only_ru.documents == 1 and only_ru.missing_predictions == []
    assert set(only_ru.by_language) == {"ru"}
    assert only_ru.metrics()["overall_slot_f1"] == pytest.approx(6 / 8)
    assert only_ru.warnings == []  # a known doc of another language is not "unknown"


def test_figures_with_zero_denominators() -> None:
    assert (Counts().precision, Counts().recall, Counts().f1) == (1.0, 1.0, 1.0)
    assert (Counts(fn=2).precision, Counts(fn=2).f1) == (0.0, 0.0)
    assert (Counts(fp=1).recall, Counts(fp=1).f1) == (0.0, 0.0)
    assert Counts(tp=1, fp=1, fn=2).f1 == pytest.approx(0.4)


def test_evidence_check() -> None:
    text = "Kaluga signs. The plant costs 1 billion rubles."
    gold = doc("d1", text=text, projects=[{"sector": "energy"}])
    good = {"doc_id": "d1", "start": 0, "end": 6, "quote": "Kaluga"}
    cases = [
        good,
        {"doc_id": "d1", "start": 0, "end": 6, "quote": "Kalug"},
        {"doc_id": "d2", "start": 0, "end": 6, "quote": "Kaluga"},
        {"start": 40, "end": 99, "quote": "x"},
        {"start": "0", "end": 6, "quote": "Kaluga"},
        {"start": 3, "end": 3, "quote": ""},
        "Kaluga",
    ]
    pred = doc("d1", projects=[{"sector": "energy", "provenance": {f"f{i}": c for i, c in enumerate(cases)}}])
    report = score_corpus([gold], [pred])
    assert [b.field for b in report.bad_evidence] == ["f1", "f2", "f3", "f4", "f5", "f6"]
    assert report.to_dict()["bad_evidence"]["count"] == 6
    ok = score_corpus([gold], [doc("d1", projects=[{"provenance": {"sector": good}}])])
    assert ok.bad_evidence == []


def test_report_json_is_serialisable_and_complete() -> None:
    data = score_corpus([GOLD_EN, GOLD_RU], [GOLD_EN]).to_dict()
    json.dumps(data)
    assert {"documents", "overall", "types", "languages", "bad_evidence", "metrics", "warnings"} <= set(data)
    assert set(data["types"]["projects"]["fields"]) == {
        "investors",
        "investor_countries",
        "host_country",
        "host_region",
        "sector",
        "kind",
        "status",
        "amount",
        "jobs",
    }
    assert data["types"]["events"]["slots"]["f1"] == 1.0


# ------------------------------------------------------------------------------------------- gate


def test_floors_checks() -> None:
    report = score_corpus([GOLD_EN, GOLD_RU], [GOLD_EN])  # en perfect, ru empty
    checks = check_floors(report, {"en_overall_slot_f1": 1.0, "ru_overall_slot_f1": 0.1})
    assert [(c.name, c.passed) for c in checks] == [
        ("en_overall_slot_f1", True),
        ("ru_overall_slot_f1", False),
        ("bad_evidence", True),
    ]
    assert not gate_passed(checks)
    missing = check_floors(report, {"no_such_metric": 0.0})
    assert missing[0].value is None and not missing[0].passed
    assert parse_floors({"_comment": "x", "overall_slot_f1": 0}) == {"overall_slot_f1": 0.0}
    bad: Any
    for bad in ([], {"overall_slot_f1": "0.5"}, {"overall_slot_f1": 1.5}, {"overall_slot_f1": True}):
        with pytest.raises(FloorsError):
            parse_floors(bad)


def test_repository_floors_file_is_valid() -> None:
    floors = parse_floors(json.loads((Path(__file__).parents[1] / "eval" / "floors.json").read_text()))
    assert {
        "overall_slot_f1",
        "projects_slot_f1",
        "trade_slot_f1",
        "events_slot_f1",
        "en_overall_slot_f1",
        "ru_overall_slot_f1",
    } <= set(floors)


# --------------------------------------------------------------------------------- gold vs itself


@pytest.mark.skipif(not DEV.exists(), reason=f"dev gold file {DEV} not present on this machine")
def test_dev_gold_scored_against_itself_is_perfect() -> None:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    report = score_corpus(rows, rows)
    for rtype, ts in report.scores.types.items():
        assert ts.slots.f1 == 1.0, rtype
        assert ts.records.f1 == 1.0, rtype
        assert ts.slots.fp == ts.slots.fn == 0
    assert report.scores.overall.tp > 0
    for lang in report.by_language:
        assert report.metrics()[f"{lang}_overall_slot_f1"] == 1.0
    assert report.bad_evidence == [] and report.warnings == [] and report.missing_predictions == []
