"""Exports (fdiscope.export, ``fdiscope export``, ``/api/export``) over the project's own examples.

The database is built by ingesting ``examples/`` through the real pipeline; the Kaluga example
(01-kaluga-sez-plant.txt) states 2.4 billion rubles, 180 jobs, Kaluga Region (RU-KLU).
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from fdiscope import export as ex
from fdiscope import resolve, service
from fdiscope.cli import main
from fdiscope.ingest import plain_text_document
from fdiscope.store import QueryError, Store
from fdiscope.web import api, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note about httpx versions
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GAZETTEER = ROOT / "src" / "fdiscope" / "data" / "gazetteer"
KALUGA = (36.3, 54.5)  # lon, lat of Kaluga


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples ingested (not resolved: the resolved export resolves on first use)."""
    path = tmp_path_factory.mktemp("export") / "examples.db"
    with Store(path) as store:
        report = service.ingest_paths(store, [EXAMPLES])
        assert report.failed == 0 and report.ingested == len(list(EXAMPLES.glob("*.txt")))
    return path


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with Store(db) as s:
        yield s


def _csv(store: Store, record_type: str = "project", **filters: Any) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    ex.export(store, out, record_type, "csv", filters)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _kaluga(rows: list[dict[str, Any]]) -> dict[str, Any]:
    [row] = [r for r in rows if r["host_region"] == "RU-KLU"]
    return row


def _near(point: list[float], lon_lat: tuple[float, float], tol: float = 1.0) -> bool:
    return abs(point[0] - lon_lat[0]) <= tol and abs(point[1] - lon_lat[1]) <= tol


# -- CSV -----------------------------------------------------------------------------------------


def test_csv_header_and_kaluga_row(store: Store) -> None:
    out = io.StringIO(newline="")
    n = ex.export(store, out, "project", "csv")
    text = out.getvalue()
    assert text.splitlines()[0].split(",") == list(ex.ROW_FIELDS["project"])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert n == len(rows) == store.count("projects")
    row = _kaluga(rows)
    assert row["amount_value"] == "2400000000" and row["amount_currency"] == "RUB"
    assert row["jobs"] == "180" and row["host_country"] == "RU"
    assert row["investors"] == "Hengda Fluid Machinery" and row["investor_countries"] == "CN"
    assert row["published"] == "2024-03-14" and row["id"].startswith("project:")
    assert "Kaluga Region" in row["evidence"]


def test_filters_sort_and_limit(store: Store) -> None:
    amur = _csv(store, region="RU-AMU")
    assert len(amur) == 2 and {r["host_region"] for r in amur} == {"RU-AMU"}
    assert [r["host_region"] for r in _csv(store, q="Kaluga")] == ["RU-KLU"]
    trade = _csv(store, "trade", region="RU-PRI")
    assert [(r["period"], r["value"]) for r in trade] == [("2023", "4100000000"), ("2024-H1", "2200000000")]
    out = io.StringIO(newline="")
    assert ex.export(store, out, "project", "csv", sort="-amount", limit=2) == 2
    top = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [float(r["amount_value"]) for r in top] == [15_000_000_000, 12_500_000_000]


def test_csv_quotes_formula_cells() -> None:
    rows = [{"a": "=1+1", "b": "+7", "c": "-cmd", "d": "@SUM(A1)", "e": -3.5, "f": "plain", "g": True}]
    out = io.StringIO(newline="")
    assert ex.write_csv(rows, out, list("abcdefg")) == 1
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row == {"a": "'=1+1", "b": "'+7", "c": "'-cmd", "d": "'@SUM(A1)", "e": "-3.5", "f": "plain",
                   "g": "true"}  # fmt: skip


def test_csv_quotes_formulas_from_a_document(tmp_path: Path) -> None:
    text = (
        '2024-01-01\n=HYPERLINK("http://x") plant\n\n'
        "Chinese company Foo Machinery of China will invest 1 billion rubles in a plant in Kaluga Region."
    )
    with Store(tmp_path / "f.db") as store:
        assert service.ingest_documents(store, [plain_text_document(text, source="test")]).ingested == 1
        rows = _csv(store)
    assert rows and all(not v.startswith("=") for r in rows for v in r.values())
    assert rows[0]["title"].startswith("'=HYPERLINK")


# -- JSON, Parquet -------------------------------------------------------------------------------


def test_json_round_trip(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    n = ex.export(store, path, "project")  # format from the suffix
    data = json.loads(path.read_text(encoding="utf-8"))
    assert n == len(data) == store.count("projects")
    assert data == [item.to_dict() for item in store.query("project")]
    kaluga = next(d for d in data if d["host_region"] == "RU-KLU")
    assert kaluga["amount"] == {"value": 2_400_000_000, "currency": "RUB"}
    assert kaluga["provenance"]["amount"]["quote"] == "2.4 billion rubles"
    assert not list(tmp_path.glob("*.part"))
    empty = io.StringIO()
    assert ex.export(store, empty, "event", "json", {"q": "nowordlikethis"}) == 0
    assert json.loads(empty.getvalue()) == []


def test_parquet_typed_columns(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    assert ex.export(store, path, "project") == store.count("projects")
    table = pq.read_table(path)
    schema = table.schema
    assert schema.field("amount_value").type == pa.float64()
    assert schema.field("jobs").type == pa.int64()
    assert schema.field("id").type == pa.string()
    row = _kaluga(table.to_pylist())
    assert row["amount_value"] == 2.4e9 and row["jobs"] == 180 and row["amount_currency"] == "RUB"
    trade = pq.read_table(io.BytesIO(_bytes(store, "trade")))
    assert trade.schema.field("value").type == pa.float64() and trade.num_rows == store.count("trade")
    assert 4.1e9 in trade.column("value").to_pylist()


def _bytes(store: Store, record_type: str, **filters: Any) -> bytes:
    buf = io.BytesIO()
    ex.export(store, buf, record_type, "parquet", filters)
    return buf.getvalue()


def test_parquet_in_batches_and_empty(store: Store) -> None:
    rows = list(ex.iter_rows(store, ex.browse_query("event")))
    buf = io.BytesIO()
    assert ex.write_parquet(rows, buf, "event", batch_rows=3) == len(rows) > 3
    assert pq.read_table(io.BytesIO(buf.getvalue())).to_pylist() == rows
    empty = pq.read_table(io.BytesIO(_bytes(store, "project", region="RU-CHU")))
    assert empty.num_rows == 0 and empty.schema.names == list(ex.ROW_FIELDS["project"])


# -- GeoJSON and points --------------------------------------------------------------------------


def test_geojson_points_at_the_host_region(store: Store) -> None:
    out = io.StringIO()
    n = ex.export(store, out, "project", "geojson")
    fc = json.loads(out.getvalue())
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == n == store.count("projects")
    [kaluga] = [f for f in fc["features"] if f["properties"]["host_region"] == "RU-KLU"]
    assert kaluga["geometry"]["type"] == "Point"
    assert _near(kaluga["geometry"]["coordinates"], KALUGA, 0.2)  # [lon, lat] (RFC 7946)
    assert kaluga["properties"]["point_of"] == "RU-KLU" and kaluga["id"] == kaluga["properties"]["id"]
    assert all(f["geometry"] is not None for f in fc["features"])  # every example has a known region


def test_feature_falls_back_to_the_country_then_null() -> None:
    beijing = ex.feature({"id": 1, "host_region": None, "host_country": "CN"})
    assert beijing["properties"]["point_of"] == "CN"
    assert _near(beijing["geometry"]["coordinates"], (116.4, 39.9))
    unknown_region = ex.feature({"id": 2, "host_region": "XX-ZZ", "host_country": "RU"})
    assert _near(unknown_region["geometry"]["coordinates"], (37.6, 55.75))
    nothing = ex.feature({"id": 3, "host_region": None, "host_country": None})
    assert nothing["geometry"] is None and nothing["properties"]["point_of"] is None


def _codes(name: str, pattern: str = "") -> set[str]:
    lines = (GAZETTEER / name).read_text(encoding="utf-8").splitlines()
    return {ln.split("\t")[0] for ln in lines if ln and not ln.startswith("#") and ln.startswith(pattern)}


def test_every_russian_region_has_a_point() -> None:
    regions = _codes("gen_codes.tsv", "RU-")
    assert len(regions) == 83
    points = ex.region_points()
    assert regions <= set(points), sorted(regions - set(points))
    for code in regions:
        lon, lat = points[code]
        assert 41 <= lat <= 72 and (19 <= lon <= 180), code  # within Russia
    for code, lon_lat in {"RU-KLU": KALUGA, "RU-MOW": (37.6, 55.75), "RU-PRI": (131.9, 43.1),
                          "RU-SPE": (30.3, 59.9), "RU-NVS": (82.9, 55.0), "RU-KGD": (20.5, 54.7),
                          "RU-TA": (49.1, 55.8), "RU-CHU": (177.5, 64.7)}.items():  # fmt: skip
        assert _near(list(points[code]), lon_lat), code


def test_points_for_countries_and_known_codes_only() -> None:
    points = ex.region_points()
    countries = _codes("hand_countries.tsv") - {"code"}
    assert countries <= set(points), sorted(countries - set(points))
    assert set(points) <= _codes("gen_codes.tsv")  # no typo codes
    assert _near(list(points["US"]), (-77.0, 38.9)) and _near(list(points["AU"]), (149.1, -35.3))


# -- resolved projects ---------------------------------------------------------------------------


def test_resolved_one_row_per_project_with_usd(tmp_path: Path, db: Path) -> None:
    copy = tmp_path / "r.db"
    copy.write_bytes(db.read_bytes())
    with Store(copy) as store:
        assert ex.needs_resolution(store)
        out = io.StringIO(newline="")
        n = ex.export(store, out, "resolved", "csv")  # resolves first
        assert not ex.needs_resolution(store)
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        current = store.conn.execute(
            "SELECT count(*) FROM entities WHERE retired_at IS NULL AND kind = 'project'"
        ).fetchone()[0]
        assert n == len(rows) == current >= 1
        assert len({r["id"] for r in rows}) == len(rows)
        row = _kaluga(rows)
        view = resolve.get_entity(store, int(row["id"]))
        amount = view.value("amount")
        assert row["amount_value"] == "2400000000" and row["amount_currency"] == "RUB"
        assert float(row["amount_usd"]) == pytest.approx(amount["usd"]["usd"])
        assert 1e7 < float(row["amount_usd"]) < 1e8  # 2.4 billion rubles in dollars
        assert row["claims"] == row["documents"] == row["sources"] == "1" and row["stale"] == "false"
        assert row["first_seen"] == "2024-03-14" and row["status"] == "agreement"
        table = pq.read_table(io.BytesIO(_bytes(store, "resolved")))
        assert table.schema.field("id").type == pa.int64()
        assert table.schema.field("amount_usd").type == pa.float64()
        assert table.schema.field("stale").type == pa.bool_()
        assert table.num_rows == n
        gj = io.StringIO()
        ex.export(store, gj, "resolved", "geojson", {"status": "cancelled"})
        [feat] = json.loads(gj.getvalue())["features"]
        assert feat["properties"]["host_region"] == "RU-LIP" and feat["geometry"]["type"] == "Point"
        js = io.StringIO()
        ex.export(store, js, "resolved", "json", {"region": "RU-KLU"})
        [obj] = json.loads(js.getvalue())
        assert obj["amount"]["usd"] == pytest.approx(amount["usd"]["usd"]) and obj["sources"] == 1


# -- library errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"record_type": "people"}, "type='people' is not known"),
        ({"fmt": "xlsx"}, "format='xlsx' is not known"),
        ({"record_type": "trade", "fmt": "geojson"}, "GeoJSON export is for projects"),
        ({"filters": {"flow": "exports"}}, "flow is not a filter of project records"),
        ({"filters": {"amount_min": "lots"}}, "amount_min='lots' is not a number"),
        ({"filters": {"region": "Kaluga"}}, "region='KALUGA' is not an ISO 3166-2 code"),
        ({"sort": "colour"}, "sort='colour' is not known"),
    ],
)
def test_library_errors(store: Store, kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(QueryError) as err:
        ex.export(store, io.StringIO(), **kwargs)
    assert fragment in str(err.value)


def test_filters_agree_with_the_api() -> None:
    fns = {"project": api.project_filters, "trade": api.trade_filters, "event": api.event_filters,
           "resolved": api.project_filters}  # fmt: skip
    for record_type, fn in fns.items():
        assert ex.FILTERS[record_type] == tuple(inspect.signature(fn).parameters), record_type


# -- the command ---------------------------------------------------------------------------------


def _run(runner: CliRunner, db: Path, *args: str) -> Any:
    return runner.invoke(main, ["export", "--db", str(db), *args])


def test_cli_csv_to_stdout(runner: CliRunner, db: Path) -> None:
    r = _run(runner, db, "--region", "RU-KLU")
    assert r.exit_code == 0, r.output
    [row] = list(csv.DictReader(io.StringIO(r.stdout)))
    assert row["amount_value"] == "2400000000" and row["host_region"] == "RU-KLU"
    assert r.stderr == ""
    dash = _run(runner, db, "--region", "RU-KLU", "-o", "-")
    assert dash.exit_code == 0 and dash.stdout == r.stdout


def test_cli_files_by_suffix(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    gj = tmp_path / "k.geojson"
    r = _run(runner, db, "--region", "RU-KLU", "-o", str(gj))
    assert r.exit_code == 0 and "wrote 1 project records" in r.stderr
    [feat] = json.loads(gj.read_text(encoding="utf-8"))["features"]
    assert _near(feat["geometry"]["coordinates"], KALUGA, 0.2)
    pq_path = tmp_path / "t.parquet"
    r = _run(runner, db, "--type", "trade", "--flow", "exports", "-o", str(pq_path))
    assert r.exit_code == 0, r.output
    assert pq.read_table(pq_path).column("value").to_pylist() == [640_000_000.0]
    js = tmp_path / "e.out"
    r = _run(runner, db, "--type", "event", "--kind", "forum", "--format", "json", "-o", str(js))
    assert r.exit_code == 0 and {e["kind"] for e in json.loads(js.read_text(encoding="utf-8"))} == {"forum"}
    r = _run(runner, db, "--since", "2025", "--until", "2025-12", "--sort", "-amount", "--limit", "1")
    assert [row["investors"] for row in csv.DictReader(io.StringIO(r.stdout))] == ["Шаньдун Тайрс"]


def test_cli_resolved(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "r.db"
    copy.write_bytes(db.read_bytes())
    r = _run(runner, copy, "--type", "resolved", "--region", "RU-KLU", "--format", "json")
    assert r.exit_code == 0, r.output
    assert "resolving projects first" in r.stderr
    [obj] = json.loads(r.stdout)
    assert obj["amount"]["currency"] == "RUB" and 1e7 < obj["amount_usd"] < 1e8
    again = runner.invoke(main, ["export", "--db", f"sqlite:///{copy}", "--type", "resolved"])
    assert again.exit_code == 0 and "resolving" not in again.stderr
    assert len(list(csv.DictReader(io.StringIO(again.stdout)))) >= 6


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["--format", "parquet"], 2, "Parquet is binary and is not written to stdout"),
        (["-o", "out.txt"], 2, "cannot tell the format from the file name 'out.txt'"),
        (["--type", "people"], 2, "Invalid value for '--type'"),
        (["--format", "xlsx"], 2, "Invalid value for '--format'"),
        (["--sector", "nope"], 2, "--sector='nope' is not known"),
        (["--since", "2024-13"], 2, "--since='2024-13' is not a date"),
        (["--type", "trade", "--sector", "energy"], 2, "--sector does not apply to --type trade"),
        (["--type", "event", "--format", "geojson"], 2, "GeoJSON export is for projects"),
        (["--sort", "colour"], 2, "--sort='colour' is not known"),
        (["--amount-min", "x"], 2, "Invalid value for '--amount-min'"),
    ],
)
def test_cli_usage_errors(runner: CliRunner, db: Path, args: list[str], code: int, fragment: str) -> None:
    r = _run(runner, db, *args)
    assert r.exit_code == code and fragment in r.stderr, r.output
    assert r.stdout == ""


def test_cli_errors_exit_1(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    missing = runner.invoke(main, ["export", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "no database at" in missing.stderr
    assert not (tmp_path / "none.db").exists()
    unwritable = _run(runner, db, "-o", str(tmp_path / "no" / "dir" / "x.csv"))
    assert unwritable.exit_code == 1 and "cannot write" in unwritable.stderr
    assert not list(tmp_path.rglob("*.part"))


# -- the HTTP API ---------------------------------------------------------------------------------


def test_api_exports_resolved_projects(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "a.db"
    copy.write_bytes(db.read_bytes())
    with Store(copy) as store, TestClient(create_app(store)) as c:
        total = c.get("/api/projects").json()["total"]
        r = c.get("/api/export", params={"type": "resolved"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert 'filename="fdiscope-resolved.csv"' in r.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert len(rows) == total and float(_kaluga(rows)["amount_usd"]) > 1e7
        js = c.get("/api/export", params={"type": "resolved", "format": "json", "region": "RU-KLU"}).json()
        assert js == c.get("/api/projects", params={"region": "RU-KLU", "sort": "id"}).json()["items"]
        gj = c.get("/api/export", params={"type": "resolved", "format": "geojson", "region": "RU-KLU"})
        assert gj.headers["content-type"].startswith("application/geo+json")
        [feat] = gj.json()["features"]
        assert _near(feat["geometry"]["coordinates"], KALUGA, 0.2)
        bad = c.get("/api/export", params={"type": "resolved", "flow": "exports"})
        assert bad.status_code == 422 and "flow is not a filter of resolved records" in bad.json()["detail"]
