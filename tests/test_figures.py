"""Trade figures across documents: rounding agrees, copies count once, disagreements are shown.

The articles are written for these tests: three reports of one year's Kaluga-China trade (two
agreeing up to rounding, one with another value), a wire copy of the first, and another year.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fdiscope.cli import main
from fdiscope.ingest import plain_text_document
from fdiscope.resolve.figures import agree, resolve_figures
from fdiscope.service import add_correction, ingest_documents
from fdiscope.store import Store
from fdiscope.store.browse import BrowseQuery, trade_figures, trade_series

MINISTRY = (
    "Trade between the Kaluga Region and China reached $1.23 billion in 2023, the regional "
    "economy ministry said on Tuesday. Exports of machinery and timber grew fastest, while imports "
    "of car parts for the local assembly plants stayed flat over the year."
)
ARTICLES = [
    (MINISTRY, "2024-02-20"),
    (MINISTRY + " The ministry expects more growth.", "2024-02-21"),  # a copy with a line added
    (
        "Kaluga Region's trade turnover with China amounted to $1.2 billion in 2023, Governor "
        "Vladislav Shapsha told reporters at a meeting with business leaders.",
        "2024-03-05",
    ),
    (
        "According to the customs office, trade between the Kaluga Region and China totalled "
        "$1.5 billion in 2023.",
        "2024-03-10",
    ),
    ("Trade between the Kaluga Region and China reached $0.9 billion in 2022.", "2023-02-01"),
]


def _row(i: int, doc: str, value: float | None, **kw: Any) -> dict[str, Any]:
    row = {
        "id": i, "doc_id": doc, "published": "2024-01-01", "duplicate_of": None, "reporter": "RU-KLU",
        "partner": "CN", "flow": "turnover", "period": "2023", "value": value, "currency": "USD",
        "change_pct": None, "share_pct": None,
    }  # fmt: skip
    row.update(kw)
    return row


def test_agreement_is_rounding_not_closeness() -> None:
    assert agree(1.2e9, 1.23e9) and agree(1.23e9, 1.2e9) and agree(48_892_000, 48_900_000)
    assert not agree(1.2e9, 1.3e9) and not agree(1e9, 1.4e9) and not agree(1.23e9, 1.25e9)
    assert agree(12, 12.4) and not agree(12.0, 12.6) and agree(0.0, 0.0) and not agree(0.0, 0.1)


def test_the_value_most_sources_state_wins_and_the_rest_is_listed() -> None:
    rows = [
        _row(1, "a", 1.23e9),
        _row(2, "a2", 1.23e9, duplicate_of="a"),  # a copy: the same source
        _row(3, "b", 1.5e9),
        _row(4, "c", 1.2e9, published="2024-02-01"),
        _row(5, "d", None, change_pct=12.5),
        _row(6, "e", 2.0e9, period=None),  # no period: no figure
        _row(7, "f", 9.0e8, period="2022"),
    ]
    figs = resolve_figures(rows)
    assert [(f.period, len(f.claims)) for f in figs] == [("2023", 5), ("2022", 1)]
    fig = figs[0].to_dict()
    assert (fig["value"], fig["currency"], fig["change_pct"]) == (1.23e9, "USD", 12.5)
    assert fig["backed_by"]["value"] == ["trade:1", "trade:2", "trade:4"]
    assert fig["conflicts"] == [
        {"field": "value", "value": {"value": 1.5e9, "currency": "USD"}, "claims": ["trade:3"]}
    ]
    assert (fig["documents"], fig["sources"]) == (5, 4)
    assert not figs[1].conflicts


def test_a_tie_goes_to_the_latest_report_and_currencies_never_agree() -> None:
    tie = resolve_figures(
        [_row(1, "a", 1.2e9, published="2024-01-05"), _row(2, "b", 1.5e9, published="2024-03-01")]
    )
    assert tie[0].values["value"] == (1.5e9, "USD") and tie[0].conflicts["value"][0]["claims"] == ["trade:1"]
    rub = resolve_figures([_row(1, "a", 1.2e9), _row(2, "b", 1.2e9, currency="RUB"), _row(3, "c", 1.2e9)])
    assert rub[0].values["value"] == (1.2e9, "USD") and rub[0].conflicts["value"][0]["value"] == (
        1.2e9,
        "RUB",
    )


@pytest.fixture
def kaluga(tmp_path: Path) -> Path:
    db = tmp_path / "k.db"
    docs = [
        plain_text_document(t, published=p, language="en", source=f"a{i}.txt")
        for i, (t, p) in enumerate(ARTICLES)
    ]
    with Store(db) as store:
        report = ingest_documents(store, docs)
        assert report.ingested == len(ARTICLES)
    return db


def test_figures_from_written_articles(kaluga: Path) -> None:
    with Store(kaluga) as store:
        copy = [d for d in store.iter_documents() if d.duplicate_of]
        assert len(copy) == 1  # the wire copy was linked at ingest
        figs = trade_figures(store, BrowseQuery(record_type="trade", region="RU-KLU"))
        series = trade_series(store, BrowseQuery(record_type="trade"))
    by_period = {f.period: f for f in figs}
    assert set(by_period) == {"2022", "2023"}
    y2023 = by_period["2023"].to_dict()
    assert (y2023["reporter"], y2023["partner"], y2023["flow"]) == ("RU-KLU", "CN", "turnover")
    # $1.23 bn (ministry + its copy) and $1.2 bn (the governor) agree: 2 sources against 1
    assert (y2023["value"], y2023["currency"], y2023["sources"], y2023["documents"]) == (1.23e9, "USD", 3, 4)
    assert [c["value"] for c in y2023["conflicts"]] == [{"value": 1.5e9, "currency": "USD"}]
    (s,) = series
    assert [(p["period"], p["value"], p["claims"], p["conflict"]) for p in s["points"]] == [
        ("2022", 900_000_000, 1, False),
        ("2023", 1_230_000_000, 4, True),
    ]


def test_a_correction_of_a_record_changes_its_claim_in_the_figure(kaluga: Path) -> None:
    with Store(kaluga) as store:
        (fig,) = [f for f in trade_figures(store, BrowseQuery(record_type="trade")) if f.period == "2023"]
        (wrong,) = fig.conflicts["value"][0]["claims"]  # the $1.5 bn record
        # a reader finds the extractor misread that article: it states $1.2 bn
        add_correction(store, wrong, "value", 1.2e9, note="the article says 1.2 bn", author="test")
        (fixed,) = [f for f in trade_figures(store, BrowseQuery(record_type="trade")) if f.period == "2023"]
        # now every source agrees (the corrected record is still its source's claim)
        assert fixed.conflicts == {} and wrong in fixed.backed_by["value"]
        assert fixed.to_dict()["corrected"] == {wrong: ["value"]} and fixed.values["value"] == (1.23e9, "USD")
        # a record whose period a person corrects moves to that period's figure
        add_correction(store, wrong, "period", "2022")
        by_period = {f.period: f for f in trade_figures(store, BrowseQuery(record_type="trade"))}
        assert wrong in [c.record for c in by_period["2022"].claims]
        assert wrong not in [c.record for c in by_period["2023"].claims]
        assert by_period["2022"].to_dict()["corrected"] == {wrong: ["period", "value"]}


def test_correcting_a_record_from_the_command_line(kaluga: Path) -> None:
    runner = CliRunner()
    disputed = runner.invoke(main, ["trade", "--disputed", "--json", "--db", str(kaluga)])
    ((_, wrong),) = [(c["field"], r) for c in json.loads(disputed.output)["conflicts"] for r in c["claims"]]
    out = runner.invoke(main, ["correct", wrong, "value", "1.23e9", "--note", "misread", "--db", str(kaluga)])
    assert out.exit_code == 0 and f"{wrong} value = 1230000000.0" in out.output, out.output
    after = runner.invoke(main, ["trade", "--disputed", "--json", "--db", str(kaluga)])
    assert after.exit_code == 0 and after.output.strip() == ""  # no figure is disputed any more
    bad = runner.invoke(main, ["correct", wrong, "value", "lots", "--db", str(kaluga)])
    assert bad.exit_code != 0 and "value: write a number" in bad.output
    missing = runner.invoke(main, ["correct", "trade:99999", "value", "1", "--db", str(kaluga)])
    assert missing.exit_code != 0 and "no trade record with id 99999" in missing.output


def test_figures_in_the_cli_and_the_api(kaluga: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["trade", "--figures", "--db", str(kaluga)])
    assert out.exit_code == 0, out.output
    (y2023,) = [line for line in out.output.splitlines() if " 2023 " in line]
    assert "1230000000 USD" in y2023 and "value 1500000000 USD (trade:" in y2023
    assert sum(" 2022 " in line for line in out.output.splitlines()) == 1
    disputed = runner.invoke(main, ["trade", "--disputed", "--json", "--db", str(kaluga)])
    rows = [json.loads(line) for line in disputed.output.splitlines()]
    assert [(r["period"], r["value"]) for r in rows] == [("2023", 1.23e9)]

    import warnings

    from fdiscope.web import create_app

    with warnings.catch_warnings():  # starlette prefers httpx2 over httpx; the client works the same
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    with Store(kaluga) as store, TestClient(create_app(store)) as client:
        every = client.get("/api/trade/figures").json()
        assert every["total"] == 2 and {i["period"] for i in every["items"]} == {"2022", "2023"}
        only = client.get("/api/trade/figures", params={"conflicts": "true", "region": "RU-KLU"}).json()
        assert [i["period"] for i in only["items"]] == ["2023"]
        assert only["items"][0]["conflicts"][0]["value"] == {"value": 1.5e9, "currency": "USD"}
        page = client.get("/trade")
        assert (
            page.status_code == 200
            and 'id="disputed"' in page.text
            and "1 with sources that disagree" in page.text
        )


def test_figures_and_events_across_documents_export(kaluga: Path, tmp_path: Path) -> None:
    import csv

    import pyarrow.parquet as pq

    runner = CliRunner()
    out = tmp_path / "figures.csv"
    done = runner.invoke(main, ["export", "--type", "figures", "-o", str(out), "--db", str(kaluga)])
    assert done.exit_code == 0, done.output
    with out.open(encoding="utf-8", newline="") as fp:
        rows = {r["period"]: r for r in csv.DictReader(fp)}
    assert set(rows) == {"2022", "2023"}
    assert (rows["2023"]["value"], rows["2023"]["sources"], rows["2023"]["documents"]) == (
        "1230000000.0",
        "3",
        "4",
    )
    assert rows["2023"]["disagreeing"].startswith("value 1500000000.0 USD (trade:")
    pq_path = tmp_path / "figures.parquet"
    assert (
        runner.invoke(
            main, ["export", "--type", "figures", "-o", str(pq_path), "--db", str(kaluga)]
        ).exit_code
        == 0
    )
    table = pq.read_table(pq_path)
    assert table.schema.field("sources").type == "int64" and sorted(table.column("period").to_pylist()) == [
        "2022",
        "2023",
    ]
    events = runner.invoke(
        main, ["export", "--type", "resolved_events", "--format", "json", "--db", str(kaluga)]
    )
    # the governor spoke "at a meeting with business leaders" (no date or city: an event of its own)
    assert events.exit_code == 0
    assert [(e["kind"], e["name"], e["documents"]) for e in json.loads(events.output)] == [
        ("meeting", "a meeting with business leaders", 1)
    ]
    geo = runner.invoke(main, ["export", "--type", "figures", "--format", "geojson", "--db", str(kaluga)])
    assert geo.exit_code != 0 and "GeoJSON" in geo.output
