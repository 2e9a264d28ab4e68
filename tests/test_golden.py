"""Golden outputs of the example articles (examples/*.txt, written for this project).

A golden file holds the full schema-v1.1 prediction for one example; regenerate them with
``python scripts/update_golden.py`` and review the diff.  Besides the snapshot, the key facts of
each example are asserted by hand below, so a wrong snapshot cannot pass unnoticed.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from pathlib import Path

import pytest

from fdiscope.extract import extract, to_prediction
from fdiscope.model import Document, Evidence, ProjectRecord, drop_unbacked, unbacked_fields

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))


def _load_script():
    spec = importlib.util.spec_from_file_location("update_golden", ROOT / "scripts" / "update_golden.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


golden = _load_script()


def _predict(name: str) -> dict:
    return golden.golden_of(ROOT / "examples" / name)


def test_every_example_has_a_golden_file() -> None:
    names = {p.stem for p in EXAMPLES}
    assert len(names) >= 10
    assert names == {p.stem for p in (ROOT / "tests" / "golden").glob("*.json")}
    assert sum(1 for n in names if n.endswith("-ru")) >= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_matches_golden(path: Path) -> None:
    expected = json.loads((ROOT / "tests" / "golden" / f"{path.stem}.json").read_text(encoding="utf-8"))
    assert json.loads(golden.render(golden.golden_of(path))) == expected


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_value_lacks_evidence(path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="fdiscope")
    doc = extract(Document(text=path.read_text(encoding="utf-8"), language=golden.language_of(path)))
    assert not [r for r in caplog.records if "without evidence" in r.getMessage()]
    for rec in doc.projects + doc.trade + doc.events:
        assert unbacked_fields(rec) == []


def test_unbacked_values_are_dropped() -> None:
    rec = ProjectRecord(investors=["A", "B"], sector="energy", jobs=5)
    rec.provenance["investors[0]"] = Evidence("d", 0, 1, "A")
    rec.provenance["jobs"] = Evidence("d", 2, 3, "5")
    assert unbacked_fields(rec) == ["investors[1]", "sector"]
    assert drop_unbacked(rec) == ["investors[1]", "sector"]
    assert rec.sector is None and rec.jobs == 5


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_value_quotes_its_text_exactly(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = extract(Document(text=text, language=golden.language_of(path)))
    records = doc.projects + doc.trade + doc.events
    assert records, "every example reports something"
    for rec in records:
        assert text[rec.evidence.start : rec.evidence.end] == rec.evidence.quote
        for field, ev in rec.provenance.items():
            assert text[ev.start : ev.end] == ev.quote, field


def test_kaluga_plant_facts() -> None:
    (p,) = _predict("01-kaluga-sez-plant.txt")["projects"]
    assert p["investors"] == ["Hengda Fluid Machinery"]
    assert p["investor_countries"] == ["CN"]
    assert (p["host_country"], p["host_region"]) == ("RU", "RU-KLU")
    assert p["amount"] == {"value": 2_400_000_000, "currency": "RUB"}
    assert p["jobs"] == 180
    assert p["status"] == "agreement"


def test_primorye_trade_rows() -> None:
    rows = {(t["period"], t["value"], t["change_pct"]) for t in _predict("02-primorye-trade.txt")["trade"]}
    assert ("2023", 4_100_000_000, 18.0) in rows
    assert any(period == "2024-H1" and value == 2_200_000_000 for period, value, _ in rows)


def test_kazan_forum_is_named_dated_and_placed() -> None:
    (ev,) = _predict("03-kazan-forum.txt")["events"]
    assert ev["kind"] == "forum"
    assert ev["name"] == "Russia-China Industrial Cooperation Forum"
    assert (ev["date"], ev["city"], ev["country"]) == ("2024-05-16", "Kazan", "RU")


def test_tula_plant_is_operational() -> None:
    (p,) = _predict("04-tula-car-plant.txt")["projects"]
    assert (p["investors"], p["sector"], p["status"]) == (["Qingshan Motors"], "automotive", "operational")
    assert p["amount"] == {"value": 15_000_000_000, "currency": "RUB"} and p["jobs"] == 1200


def test_russian_packaging_plant() -> None:
    (p,) = _predict("05-novosibirsk-ru.txt")["projects"]
    assert p["investors"] == ["Хуалин Пакеджинг"]
    assert (p["investor_countries"], p["host_region"]) == (["CN"], "RU-NVS")
    assert p["amount"] == {"value": 3_200_000_000, "currency": "RUB"} and p["jobs"] == 250
    assert p["status"] == "agreement"


def test_contractor_from_name_suffix() -> None:
    projects = _predict("06-amur-grain-terminal.txt")["projects"]
    beifang = next(p for p in projects if p["investors"] == ["Beifang Engineering of China"])
    assert beifang["investor_countries"] == ["CN"]
    assert beifang["kind"] == "contract"
    assert beifang["amount"] == {"value": 45_000_000, "currency": "USD"}
    assert beifang["host_region"] == "RU-AMU"


def test_russian_trade_rows() -> None:
    rows = _predict("07-novosibirsk-trade-ru.txt")["trade"]
    total = next(t for t in rows if t["value"] == 1_900_000_000)
    assert (total["reporter"], total["partner"], total["period"], total["currency"]) == (
        "RU-NVS",
        "CN",
        "2023",
        "USD",
    )
    assert any(t["flow"] == "exports" and t["value"] == 640_000_000 for t in rows)


def test_sez_resident_in_russian() -> None:
    (p,) = _predict("08-alabuga-resident-ru.txt")["projects"]
    assert p["investors"] == ["Шаньдун Тайрс"] and p["investor_countries"] == ["CN"]
    assert p["host_region"] == "RU-TA" and "Алабуга" in p["location"]
    assert p["amount"] == {"value": 12_500_000_000, "currency": "RUB"} and p["jobs"] == 640


def test_russian_half_year_trade_and_forum() -> None:
    pred = _predict("09-amur-trade-forum-ru.txt")
    (t,) = pred["trade"]
    assert (t["reporter"], t["partner"], t["period"]) == ("RU-AMU", "CN", "2025-H1")
    assert (t["value"], t["change_pct"], t["share_pct"]) == (1_200_000_000, 14.0, 85.0)
    (ev,) = pred["events"]
    assert (ev["kind"], ev["date"], ev["city"], ev["country"]) == (
        "forum",
        "2025-07-03",
        "Благовещенск",
        "RU",
    )


def test_suspended_project_is_cancelled() -> None:
    (p,) = _predict("10-suspended-plant.txt")["projects"]
    assert p["status"] == "cancelled" and p["host_region"] == "RU-LIP"
    assert p["amount"] == {"value": 6_000_000_000, "currency": "RUB"} and p["jobs"] == 400


def test_golden_check_mode_reports_no_change() -> None:
    assert golden.main(["--check"]) == 0


_ = to_prediction
