"""Events across documents: one forum reported in two languages on several days is one event;
a meeting the same day in the same city, or a forum elsewhere, is not.  Articles written here."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fdiscope.cli import main
from fdiscope.ingest import plain_text_document
from fdiscope.resolve.gatherings import gather_events
from fdiscope.service import add_correction, ingest_documents
from fdiscope.store import Store
from fdiscope.store.browse import BrowseQuery, gathered_events

ARTICLES = [
    (
        "2024-06-05",
        "en",
        "The St. Petersburg International Economic Forum opened in St. Petersburg on Wednesday. More "
        "than 130 countries sent delegations to the forum, which runs until June 8.",
    ),
    (
        "2024-06-06",
        "ru",
        "В Санкт-Петербурге 6 июня продолжил работу Петербургский международный экономический форум. "
        "На полях форума Калужская область подписала соглашение с китайской компанией.",
    ),
    (
        "2024-06-07",
        "en",
        "On the sidelines of the St. Petersburg International Economic Forum on June 6, the Kaluga "
        "Region signed an agreement with a Chinese machinery maker.",
    ),
    ("2024-09-04", "en", "The Eastern Economic Forum opened in Vladivostok on September 3."),
]


def _row(
    i: int, kind: str, date: str | None, city: str | None, name: str | None = None, **kw: Any
) -> dict[str, Any]:
    row = {
        "id": i, "doc_id": f"d{i}", "published": date, "duplicate_of": None, "language": "en",
        "name": name, "kind": kind, "date": date, "city": city, "country": "RU",
    }  # fmt: skip
    row.update(kw)
    return row


def _groups(rows: list[dict[str, Any]]) -> list[list[str]]:
    return [[c.record for c in e.claims] for e in gather_events(rows)]


def test_a_forum_on_its_days_in_two_languages_is_one_event() -> None:
    rows = [
        _row(1, "forum", "2024-06-05", "St. Petersburg", "SPIEF"),
        _row(2, "forum", "2024-06-07", "Санкт-Петербурге", "ПМЭФ", language="ru"),
        _row(3, "forum", "2024-06", "Saint Petersburg", "St. Petersburg International Economic Forum"),
        _row(4, "forum", "2024-06-20", "St. Petersburg", "SPIEF"),  # two weeks later: another event
        _row(5, "forum", "2024-06-05", "Kazan", "SPIEF"),  # another city
        _row(6, "meeting", "2024-06-05", "St. Petersburg", "talks with the governor"),  # another kind
    ]
    assert _groups(rows)[0] == ["event:1", "event:2"]
    # the month fits, but "St. Petersburg International Economic Forum" shares no word with
    # "SPIEF" in the same script: not taken on trust
    assert ["event:3"] in _groups(rows) and ["event:4"] in _groups(rows)
    assert ["event:5"] in _groups(rows) and ["event:6"] in _groups(rows)


def test_meetings_need_the_same_day_and_names_that_share_words() -> None:
    rows = [
        _row(1, "meeting", "2024-05-16", "Moscow", "talks between Putin and Xi Jinping"),
        _row(2, "meeting", "2024-05-16", "Moscow", "the Russian-Chinese talks with Xi Jinping"),
        _row(3, "meeting", "2024-05-16", "Moscow", "meeting of the intergovernmental commission on energy"),
        _row(4, "meeting", "2024-05-17", "Moscow", "talks between Putin and Xi Jinping"),
        _row(5, "meeting", "2024-05-16", None, "talks between Putin and Xi Jinping"),  # no city: alone
        _row(6, "meeting", None, "Moscow", "talks between Putin and Xi Jinping"),  # no date: alone
    ]
    assert _groups(rows) == [["event:1", "event:2"], ["event:3"], ["event:4"], ["event:5"], ["event:6"]]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ev.db"
    with Store(path) as store:
        docs = [plain_text_document(t, published=p, language=lang) for p, lang, t in ARTICLES]
        assert ingest_documents(store, docs).ingested == len(ARTICLES)
    return path


def test_events_across_written_articles(db: Path) -> None:
    with Store(db) as store:
        events = [e.to_dict() for e in gathered_events(store, BrowseQuery(record_type="event"))]
        later = gathered_events(store, BrowseQuery(record_type="event"), published_from="2024-06-06")
    (spief,) = [e for e in events if e["kind"] == "forum" and e["documents"] > 1]
    assert (spief["date"], spief["city"], spief["documents"]) == ("2024-06-05", "Saint Petersburg", 3)
    assert "Петербургский международный экономический форум" in spief["names"]
    assert {e["city"] for e in events if e["kind"] == "forum"} == {"Saint Petersburg", "Vladivostok"}
    # both articles report the region's signing at the forum (each takes the forum's day and
    # city): one signing, reported in two languages
    (signing,) = [e for e in events if e["kind"] == "signing"]
    assert (signing["date"], signing["city"], signing["documents"]) == ("2024-06-06", "Saint Petersburg", 2)
    assert max(len(e.claims) for e in later if e.claims[0].kind == "forum") == 2


def test_a_corrected_record_joins_or_leaves_its_event(db: Path) -> None:
    with Store(db) as store:
        events = gathered_events(store, BrowseQuery(record_type="event"))
        forums = [e for e in events if e.claims[0].kind == "forum"]
        (spief,) = [e for e in forums if len(e.claims) > 1]
        moved = spief.claims[-1].record
        # a reader finds one report's city misread: it was the Vladivostok forum's report
        add_correction(store, moved, "city", "Vladivostok")
        add_correction(store, moved, "date", "2024-09-05")
        add_correction(store, moved, "name", "Eastern Economic Forum")
        after = [e.to_dict() for e in gathered_events(store, BrowseQuery(record_type="event"))]
    (spb,) = [e for e in after if e["kind"] == "forum" and e["city"] == "Saint Petersburg"]
    assert moved not in spb["claims"] and spb["documents"] == len(spief.claims) - 1
    (vvo,) = [e for e in after if e["kind"] == "forum" and moved in e["claims"]]
    assert vvo["city"] == "Vladivostok" and vvo["corrected"] == {moved: ["city", "date", "name"]}


def test_events_across_documents_in_the_cli_the_api_and_the_dashboard(db: Path) -> None:
    out = CliRunner().invoke(main, ["events", "--resolved", "--json", "--kind", "forum", "--db", str(db)])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert [(r["date"], r["documents"]) for r in rows] == [("2024-09-03", 1), ("2024-06-05", 3)]
    table = CliRunner().invoke(main, ["events", "--resolved", "--db", str(db)])
    assert "Saint Petersburg" in table.output and "event:1 event:2" in table.output

    from fdiscope.web import create_app

    with warnings.catch_warnings():  # starlette prefers httpx2 over httpx; the client works the same
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    with Store(db) as store, TestClient(create_app(store)) as client:
        several = client.get("/api/events/resolved", params={"min_documents": 2}).json()
        assert several["total"] == 2 and {i["city"] for i in several["items"]} == {"Saint Petersburg"}
        assert sorted(i["kind"] for i in several["items"]) == ["forum", "signing"]
        forums = client.get("/api/events/resolved", params={"kind": "forum"}).json()
        assert [i["date"] for i in forums["items"]] == ["2024-09-03", "2024-06-05"]
        page = client.get("/events")
        assert page.status_code == 200 and 'id="gathered"' in page.text
        assert "2 reported by more than one document" in page.text
