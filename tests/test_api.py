"""HTTP API through an in-process client: every endpoint, filter, limit and error.

The database is built by ingesting articles written for these tests through the real
pipeline (:func:`fdiscope.service.ingest_documents`); expected values are read back from the
store, so the tests check the API against the data rather than against one extractor version.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fdiscope import service
from fdiscope.ingest import plain_text_document
from fdiscope.store import Store
from fdiscope.web import WebSettings, create_app

with warnings.catch_warnings():
    # starlette warns that it prefers httpx2 over httpx; the client works the same.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TOKEN = "test-token-123"

#: Articles written for these tests (fiction, not copied from anywhere).
ARTICLES: dict[str, str] = {
    "kaluga": """2024-03-14
Chinese pump maker to build plant in Kaluga Region

Hengda Fluid Machinery, a pump manufacturer from China, signed an agreement with the government of Kaluga Region on Wednesday to build a plant at the Lyudinovo site of the Kaluga special economic zone. The company will invest 2.4 billion rubles in the project and create 180 jobs. Construction is due to start in the autumn.
""",
    "tula": """2023-11-02
Chinese carmaker plans assembly plant in Tula

Qingshan Motors of China plans to build a car assembly plant in Tula Region. The company will invest 15 billion rubles and create 1,200 jobs, the regional government said on Thursday.
""",
    "amur": """2022-06-20
Chinese contractor to supply grain terminal equipment in Amur Region

Beifang Engineering of China will supply equipment for a grain terminal in Amur Region under a contract worth $45 million, the regional ministry said.
""",
    "primorye": """2024-08-01
Primorye's trade with China keeps growing

Trade turnover between Primorsky Krai and China reached $4.1 billion in 2023, up 18% from a year earlier. In the first half of 2024 turnover grew 9% to $2.2 billion, and China accounted for 61% of the region's foreign trade.
""",
    "forum": """2024-04-10
Kazan to host Russia-China industrial forum

Kazan will host the Russia-China industrial forum in May, the government of Tatarstan said. More than 300 companies from both countries are expected to attend.
""",
    "novosibirsk": """2024-02-20
Китайская компания построит завод упаковки в Новосибирской области

Китайская компания «Хуалин Пакеджинг» подписала соглашение с правительством Новосибирской области о строительстве завода упаковки. Объём инвестиций составит 3,2 млрд рублей, будет создано 250 рабочих мест. Строительство уже началось.
""",
    "hostile": """2024-05-05
Plant <script>window.__xss = 1</script> opens in Kaluga Region <img src=x onerror="window.__xss=2">

Huaxin <img src=x onerror="window.__xss=3"> Glass of China signed an agreement with Kaluga Region to build a glass plant <script>window.__xss = 4</script> worth 3 billion rubles. The plant will create 300 jobs. "><svg onload="window.__xss=5"> <a href="javascript:window.__xss=6">link</a>
""",
}


def build_db(path: Path) -> Path:
    """Ingest :data:`ARTICLES` into a new database at ``path`` through the real pipeline."""
    with Store(path) as store:
        docs = [plain_text_document(text, source=f"test:{name}") for name, text in ARTICLES.items()]
        report = service.ingest_documents(store, docs)
        assert report.failed == 0, report.failures
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("api") / "api.db")


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with Store(db) as store, TestClient(create_app(store)) as c:
        yield c


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    """A client with writes enabled over a fresh copy of the test database."""
    path = build_db(tmp_path / "w.db")
    with Store(path) as store, TestClient(create_app(store, token=TOKEN)) as c:
        yield c, store


def _store(db: Path) -> Store:
    return Store(db)


def _doc_id(name: str) -> str:
    return plain_text_document(ARTICLES[name]).id


# -- projects ------------------------------------------------------------------------------------


def _n_projects(db: Path) -> int:
    with _store(db) as s:
        return int(s.conn.execute("SELECT count(*) FROM entities WHERE retired_at IS NULL").fetchone()[0])


def test_projects_lists_all_with_paging(client: TestClient, db: Path) -> None:
    n = _n_projects(db)
    assert n >= 4
    r = client.get("/api/projects", params={"page_size": 2})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == n
    assert body["pages"] == (n + 1) // 2
    assert len(body["items"]) == 2
    ids = [it["id"] for it in body["items"]]
    assert ids == sorted(ids, reverse=True)  # default sort: newest id first
    page2 = client.get("/api/projects", params={"page_size": 2, "page": 2}).json()
    assert not set(ids) & {it["id"] for it in page2["items"]}
    beyond = client.get("/api/projects", params={"page": 999}).json()
    assert beyond["items"] == [] and beyond["total"] == n


def test_projects_item_shape(client: TestClient) -> None:
    item = client.get("/api/projects", params={"region": "RU-TUL"}).json()["items"][0]
    for key in ("id", "name", "investors", "investor_countries", "host_region", "sector", "amount", "amount_usd",
                "status", "sources", "documents", "first_seen", "last_seen"):  # fmt: skip
        assert key in item
    assert item["host_region"] == "RU-TUL"
    assert item["name"] == "Qingshan Motors of China" or "Qingshan" in " ".join(item["investors"])
    assert item["first_seen"] == item["last_seen"] == "2023-11-02"
    assert item["sources"] == 1 and item["documents"] == 1
    # 15 billion roubles at the 2023-11 rate, in USD
    assert item["amount"]["value"] == 15_000_000_000 and item["amount"]["currency"] == "RUB"
    assert 1.4e8 < item["amount_usd"] < 1.9e8


def test_amounts_in_usd_at_the_claim_date(client: TestClient) -> None:
    from fdiscope.resolve import to_usd

    items = client.get("/api/projects", params={"page_size": 500}).json()["items"]
    kaluga = next(it for it in items if "Hengda" in (it["name"] or ""))
    expected = to_usd(2_400_000_000, "RUB", "2024-03-14")
    assert expected is not None and kaluga["amount_usd"] == pytest.approx(expected.usd)
    amur = next(it for it in items if it["host_region"] == "RU-AMU")
    assert amur["amount_usd"] == pytest.approx(45_000_000)  # stated in dollars
    assert amur["stale"] is True  # no news for two years before the newest document


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"region": "RU-KLU"}, lambda it: it["host_region"] == "RU-KLU"),
        ({"region": "ru-klu,RU-TUL"}, lambda it: it["host_region"] in ("RU-KLU", "RU-TUL")),
        ({"country": "RU"}, lambda it: it["host_country"] == "RU"),
        ({"investor_country": "CN"}, lambda it: "CN" in it["investor_countries"]),
        ({"sector": "automotive"}, lambda it: it["sector"] == "automotive"),
        ({"kind": "contract"}, lambda it: it["kind"] == "contract"),
        ({"status": "agreement"}, lambda it: it["status"] == "agreement"),
        ({"amount_min": 1e8}, lambda it: (it["amount_usd"] or 0) >= 1e8),
        ({"amount_max": 3e7}, lambda it: (it["amount_usd"] or 1e99) <= 3e7),
        ({"currency": "usd"}, lambda it: (it["amount"] or {}).get("currency") == "USD"),
        ({"date_from": "2024"}, lambda it: (it["last_seen"] or "0") >= "2024"),
        ({"date_to": "2023-12"}, lambda it: (it["first_seen"] or "9") <= "2023-12-31"),
        ({"date_from": "2023-11-02", "date_to": "2023-11-02"}, lambda it: it["first_seen"] == "2023-11-02"),
        ({"q": "Qingshan"}, lambda it: "Qingshan" in json.dumps(it)),
    ],
)
def test_project_filters(client: TestClient, db: Path, params: dict[str, Any], check: Any) -> None:
    body = client.get("/api/projects", params={**params, "page_size": 500}).json()
    assert body["total"] >= 1, params
    assert body["total"] == len(body["items"])
    assert all(check(it) for it in body["items"]), params
    # the filter really narrows (or the data has nothing else)
    everything = client.get("/api/projects", params={"page_size": 500}).json()["items"]
    expected = [it["id"] for it in everything if check(it)] if "q" not in params else None
    if expected is not None:
        assert sorted(it["id"] for it in body["items"]) == sorted(expected), params


def test_filters_combine(client: TestClient) -> None:
    both = client.get("/api/projects", params={"region": "RU-KLU", "currency": "RUB"}).json()
    assert both["total"] >= 1
    assert all(it["host_region"] == "RU-KLU" and it["amount"]["currency"] == "RUB" for it in both["items"])
    none = client.get("/api/projects", params={"region": "RU-KLU", "sector": "tourism"}).json()
    assert none["total"] == 0 and none["items"] == []


@pytest.mark.parametrize(
    "sort",
    ["amount", "-amount", "jobs", "-jobs", "last_seen", "-first_seen", "id", "region", "-sources", "name"],
)
def test_project_sort(client: TestClient, sort: str) -> None:
    items = client.get("/api/projects", params={"sort": sort, "page_size": 500}).json()["items"]
    assert len(items) >= 4
    key = sort.lstrip("-")

    def val(it: dict[str, Any]) -> Any:
        return {
            "amount": it["amount_usd"],
            "jobs": it["jobs"],
            "last_seen": it["last_seen"],
            "first_seen": it["first_seen"],
            "id": it["id"],
            "region": it["host_region"],
            "sources": it["sources"],
            "name": it["name"],
        }[key]

    present = [val(it) for it in items if val(it) is not None]
    assert present == sorted(present, reverse=sort.startswith("-"))
    # missing values come last
    flags = [val(it) is None for it in items]
    assert flags == sorted(flags)


def test_per_document_records_stay_reachable(client: TestClient, db: Path) -> None:
    with _store(db) as s:
        n = s.count("projects")
    body = client.get("/api/records/projects", params={"page_size": 500}).json()
    assert body["total"] == n and all(it["id"].startswith("project:") for it in body["items"])
    rec = client.get("/api/records/projects", params={"region": "RU-TUL"}).json()["items"][0]
    rid = int(rec["id"].split(":")[1])
    d = client.get(f"/api/records/projects/{rid}").json()
    assert d["id"] == f"project:{rid}" and d["doc_id"] == _doc_id("tula")
    assert d["project"] == client.get("/api/projects", params={"region": "RU-TUL"}).json()["items"][0]["id"]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"sector": "bogus"}, "sector='bogus' is not known"),
        ({"status": "done"}, "status="),
        ({"kind": "merger"}, "kind="),
        ({"region": "Kaluga"}, "region='KALUGA' is not an ISO 3166-2 code"),
        ({"country": "RUS"}, "country='RUS' is not an ISO 3166-1"),
        ({"investor_country": "China"}, "investor_country"),
        ({"date_from": "14.03.2024"}, "date_from='14.03.2024' is not a date"),
        ({"date_from": "2024", "date_to": "2023"}, "after date_to"),
        ({"amount_min": "lots"}, "amount_min"),
        ({"amount_min": 10, "amount_max": 5}, "greater than amount_max"),
        ({"currency": "rubles"}, "ISO 4217"),
        ({"sort": "colour"}, "sort='colour' is not known"),
        ({"page": 0}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 501}, "larger than the limit 500"),
        ({"q": "--"}, "no word to search for"),
    ],
)
def test_project_bad_parameters_are_422(client: TestClient, params: dict[str, Any], fragment: str) -> None:
    r = client.get("/api/projects", params=params)
    assert r.status_code == 422, (params, r.text)
    assert fragment in r.json()["detail"], r.json()


def test_page_size_limit_is_configurable(db: Path) -> None:
    with Store(db) as store, TestClient(create_app(store, settings=WebSettings(max_page_size=2))) as c:
        assert c.get("/api/projects", params={"page_size": 2}).status_code == 200
        r = c.get("/api/projects", params={"page_size": 3})
        assert r.status_code == 422 and "limit 2" in r.json()["detail"]


def test_project_detail_links_every_value_to_its_sentence(client: TestClient, db: Path) -> None:
    item = client.get("/api/projects", params={"region": "RU-KLU", "q": "Hengda"}).json()["items"][0]
    pid = item["id"]
    r = client.get(f"/api/projects/{pid}")
    assert r.status_code == 200
    d = r.json()
    assert d["id"] == pid and d["name"] == "Hengda Fluid Machinery"
    assert d["canonical"]["host_region"] == "RU-KLU"
    text = ARTICLES["kaluga"].strip()
    spans = [ev for f in d["fields"].values() for c in f["claims"] for ev in c["evidence"]]
    assert spans
    for ev in spans:
        assert ev["doc_id"] == _doc_id("kaluga")
        assert text[ev["start"] : ev["end"]] == ev["quote"]
        s = ev["sentence"]
        assert s["start"] <= ev["start"] and ev["end"] <= s["end"]
        assert text[s["start"] : s["end"]] == s["text"]
    amount = d["fields"]["amount"]
    assert amount["value"]["value"] == 2400000000 and amount["value"]["currency"] == "RUB"
    assert amount["value"]["usd"]["usd"] == pytest.approx(d["amount_usd"]) and d["amount_usd"] > 2e7
    claim = amount["claims"][0]
    assert claim["ref"].startswith("project:") and claim["human"] is False
    assert "2.4 billion rubles" in claim["evidence"][0]["sentence"]["text"]
    assert claim["evidence"][0]["quote"] == "2.4 billion rubles"
    steps = d["history"]["transitions"]
    assert steps and steps[0]["status"] == "agreement" and steps[0]["date"] == "2024-03-14"
    assert "signed an agreement" in steps[0]["sentence"]["text"]
    assert d["sources"]["documents"] == 1 and d["sources"]["independent"] == 1
    assert d["sources"]["list"][0]["doc_id"] == _doc_id("kaluga")
    assert d["conflicts"] == [] and d["corrections"] == []
    assert [c["id"] for c in d["claims"]] == [claim["ref"]]


def test_project_detail_errors(client: TestClient) -> None:
    r = client.get("/api/projects/999999")
    assert r.status_code == 404 and "no project 999999" in r.json()["detail"]
    r = client.get("/api/projects/abc")
    assert r.status_code == 422 and "project_id" in r.json()["detail"]
    assert client.get("/api/records/projects/999999").status_code == 404


# -- trade, events ---------------------------------------------------------------------------------


def test_trade_list_filters_and_sort(client: TestClient) -> None:
    body = client.get("/api/trade", params={"region": "RU-PRI", "partner": "CN", "sort": "period"}).json()
    assert body["total"] >= 2
    assert all(it["reporter"] == "RU-PRI" and it["partner"] == "CN" for it in body["items"])
    periods = [it["period"] for it in body["items"] if it["period"]]
    assert periods == sorted(periods)
    assert "2023" in periods
    flows = client.get("/api/trade", params={"flow": "turnover"}).json()["items"]
    assert flows and all(it["flow"] == "turnover" for it in flows)
    ranged = client.get("/api/trade", params={"period_from": "2024", "period_to": "2024"}).json()["items"]
    assert ranged and all(it["period"].startswith("2024") for it in ranged)
    by_country = client.get("/api/trade", params={"country": "RU"}).json()
    assert by_country["total"] >= 2  # RU-PRI counts as Russia
    assert client.get("/api/trade", params={"flow": "smuggling"}).status_code == 422
    assert client.get("/api/trade", params={"period_from": "last year"}).status_code == 422
    assert (
        client.get("/api/trade", params={"sector": "energy"}).status_code == 200
    )  # unknown params are ignored
    one = by_country["items"][0]
    detail = client.get(f"/api/trade/{one['id'].split(':')[1]}").json()
    assert detail["type"] == "trade" and detail["fields"]["reporter"]["value"] == one["reporter"]


def test_events_list_filters(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["total"] >= 1
    forums = client.get("/api/events", params={"kind": "forum"}).json()["items"]
    assert forums and all(it["kind"] == "forum" for it in forums)
    dated = client.get("/api/events", params={"date_from": "2024-05", "date_to": "2024-05"}).json()["items"]
    assert all(it["date"].startswith("2024-05") for it in dated)
    assert client.get("/api/events", params={"kind": "party"}).status_code == 422
    assert client.get("/api/events", params={"sort": "-date"}).status_code == 200
    ev = body["items"][0]
    assert client.get(f"/api/events/{ev['id'].split(':')[1]}").json()["id"] == ev["id"]
    assert client.get("/api/events/999999").status_code == 404


# -- documents, search, stats ------------------------------------------------------------------------


def test_document_with_spans(client: TestClient) -> None:
    doc_id = _doc_id("kaluga")
    d = client.get(f"/api/documents/{doc_id}").json()
    text = d["document"]["text"]
    assert d["document"]["published"] == "2024-03-14"
    assert d["spans"] and d["records"]["project"]
    for s in d["spans"]:
        assert text[s["start"] : s["end"]] == s["quote"]
        assert s["record"].split(":")[0] in ("project", "trade", "event")
    assert client.get("/api/documents/nope").status_code == 404


def test_search(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "turnover Primorsky"}).json()
    assert r["count"] == 1 and r["hits"][0]["doc_id"] == _doc_id("primorye")
    assert "Primorsky" in r["hits"][0]["snippet"]
    assert r["hits"][0]["records"]
    ru = client.get("/api/search", params={"q": "упаковки"}).json()
    assert ru["count"] == 1
    assert client.get("/api/search", params={"q": "zzzqqq"}).json()["count"] == 0
    assert client.get("/api/search", params={"q": 'OR "'}).json()["count"] == 0  # operators are words
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", params={"q": "?!"}).status_code == 422
    assert client.get("/api/search", params={"q": "plant", "limit": 1000}).status_code == 422


def test_stats(client: TestClient, db: Path) -> None:
    st = client.get("/api/stats").json()
    n = _n_projects(db)
    items = client.get("/api/projects", params={"page_size": 500}).json()["items"]
    klu = [it for it in items if it["host_region"] == "RU-KLU"]
    assert st["projects"] == n
    regions = {g["key"]: g for g in st["by_region"]}
    assert regions["RU-KLU"]["count"] == len(klu)
    assert regions["RU-KLU"]["amount_usd"] == pytest.approx(sum(it["amount_usd"] or 0 for it in klu))
    assert sum(g["count"] for g in st["by_region"]) == n
    assert sum(g["count"] for g in st["by_sector"]) == n
    assert any(g["key"] == "CN" for g in st["by_investor_country"])
    years = [g["key"] for g in st["by_year"]]
    assert years == sorted(years, key=lambda y: y or "") and "2024" in years
    assert st["amount_usd"] == pytest.approx(sum(it["amount_usd"] or 0 for it in items))
    assert any(g["key"] == "Hengda Fluid Machinery" for g in st["top_investors"])
    series = [s for s in st["trade_series"] if s["reporter"] == "RU-PRI" and s["flow"] == "turnover"]
    assert series and [p["period"] for p in series[0]["points"]] == sorted(
        p["period"] for p in series[0]["points"]
    )
    narrowed = client.get("/api/stats", params={"region": "RU-KLU"}).json()
    assert narrowed["projects"] == len(klu)
    assert narrowed["amount_usd"] == pytest.approx(regions["RU-KLU"]["amount_usd"])
    # the kept totals (no filter, one region) and totals computed on the fly agree
    live = client.get("/api/stats", params={"region": "RU-KLU", "country": "RU"}).json()
    for key in ("projects", "amount_usd", "by_sector", "by_status", "by_year", "by_investor_country"):
        assert live[key] == narrowed[key], key
    assert client.get("/api/stats", params={"sector": "nope"}).status_code == 422


def test_stats_cache_sees_new_data(writer: tuple[TestClient, Store]) -> None:
    c, _ = writer
    before = c.get("/api/stats").json()["projects"]
    r = c.post("/api/documents", json={"text": ARTICLES["kaluga"].replace("Hengda", "Tianhe").replace("180", "90")},
               headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert r.status_code == 201 and r.json()["status"] == "ingested"
    assert c.get("/api/stats").json()["projects"] > before


def test_facets_and_region_grid(client: TestClient) -> None:
    f = client.get("/api/facets").json()
    assert any(v["value"] == "RU-KLU" for v in f["host_region"])
    g = client.get("/api/geo/regions")
    assert g.headers["content-type"].startswith("application/geo+json")
    data = g.json()
    assert len(data["features"]) == 83
    assert "not longitude/latitude" in data["fdiscope:coordinates"]


# -- export ---------------------------------------------------------------------------------------


def test_export_csv_honours_filters(client: TestClient) -> None:
    r = client.get("/api/export", params={"format": "csv", "region": "RU-KLU"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    api = client.get("/api/projects", params={"region": "RU-KLU", "page_size": 500}).json()
    assert len(rows) == api["total"] >= 1
    assert {row["host_region"] for row in rows} == {"RU-KLU"}
    assert "attachment" in r.headers["content-disposition"]


def test_export_csv_neutralises_formulas(writer: tuple[TestClient, Store]) -> None:
    c, store = writer
    pid = c.get("/api/projects").json()["items"][0]["id"]
    c.post("/api/corrections", json={"record": pid, "field": "location", "value": "x"},
           headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    body = '2024-01-01\n=HYPERLINK("x") plant\n\n=1+1 Chinese company Foo of China will invest 1 billion rubles in Kaluga Region.'
    c.post("/api/documents", json={"text": body}, headers={"Authorization": f"Bearer {TOKEN}"})
    text = c.get("/api/export", params={"format": "csv"}).text
    for row in csv.DictReader(io.StringIO(text)):
        for v in row.values():
            assert not (v or "").startswith("="), row


def test_export_json_parquet_geojson(client: TestClient) -> None:
    import pyarrow.parquet as pq

    total = client.get("/api/projects", params={"investor_country": "CN"}).json()["total"]
    js = client.get("/api/export", params={"format": "json", "investor_country": "CN"}).json()
    assert len(js) == total and all("CN" in it["investor_countries"] for it in js)
    pq_bytes = client.get("/api/export", params={"format": "parquet", "investor_country": "CN"}).content
    table = pq.read_table(io.BytesIO(pq_bytes))
    assert table.num_rows == total
    assert table.schema.field("amount_value").type.__str__() == "double"
    assert "CN" in table.column("investor_countries").to_pylist()[0]
    gj = client.get("/api/export", params={"format": "geojson", "investor_country": "CN"})
    assert gj.headers["content-type"].startswith("application/geo+json")
    fc = gj.json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == total
    assert all(f["properties"]["id"].startswith("project:") for f in fc["features"])
    # Points at the host region's administrative centre (approximate; see fdiscope.export).
    points = {f["properties"]["host_region"]: f["geometry"] for f in fc["features"]}
    assert points["RU-KLU"]["type"] == "Point"
    assert [round(c) for c in points["RU-KLU"]["coordinates"]] == [36, 55]  # [lon, lat]
    trade = client.get("/api/export", params={"format": "csv", "type": "trade", "flow": "turnover"})
    assert trade.status_code == 200 and "reporter" in trade.text.splitlines()[0]
    events = client.get("/api/export", params={"format": "json", "type": "event"})
    assert events.status_code == 200 and isinstance(events.json(), list)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"format": "xlsx"}, "format='xlsx' is not known"),
        ({"type": "people"}, "type='people'"),
        ({"format": "geojson", "type": "trade"}, "GeoJSON export is for projects"),
        ({"flow": "exports"}, "flow is not a filter of project records"),
        ({"sector": "nope"}, "sector='nope'"),
        ({"amount_min": "x"}, "amount_min='x' is not a number"),
    ],
)
def test_export_errors(client: TestClient, params: dict[str, str], fragment: str) -> None:
    r = client.get("/api/export", params=params)
    assert r.status_code == 422 and fragment in r.json()["detail"], r.text


def test_export_row_limit(db: Path) -> None:
    with Store(db) as store, TestClient(create_app(store, settings=WebSettings(max_export_rows=2))) as c:
        assert len(c.get("/api/export", params={"format": "json"}).json()) == 2


# -- writes ------------------------------------------------------------------------------------


def test_writes_are_off_without_a_token(client: TestClient) -> None:
    r = client.post("/api/documents", json={"text": "2024-01-01\nx\n\nSome text."})
    assert r.status_code == 403 and "--token" in r.json()["detail"]
    r = client.post("/api/corrections", json={"record": "project:1", "field": "jobs", "value": 1})
    assert r.status_code == 403


def test_writes_need_the_right_token(writer: tuple[TestClient, Store]) -> None:
    c, _ = writer
    doc = {"text": "2024-01-01\nTitle\n\nSome text about nothing."}
    assert c.post("/api/documents", json=doc).status_code == 401
    r = c.post("/api/documents", json=doc, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert c.post("/api/documents", json=doc, headers={"Authorization": TOKEN}).status_code == 401


def test_token_from_environment(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FDISCOPE_TOKEN", "env-token")
    with Store(db) as store, TestClient(create_app(store)) as c:
        r = c.post("/api/corrections", json={"record": "project:1", "field": "nope"},
                   headers={"Authorization": "Bearer env-token"})  # fmt: skip
        assert r.status_code == 422  # authorised; the field is what is wrong


def test_ingest_document(writer: tuple[TestClient, Store]) -> None:
    c, store = writer
    n = store.count("documents")
    text = ARTICLES["tula"].replace("Qingshan", "Jiangbei").replace("Tula", "Lipetsk")
    r = c.post("/api/documents", json={"text": text, "url": "https://example.org/a"},
               headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "ingested" and store.count("documents") == n + 1
    assert body["records"]["project"]
    assert body["doc_id"] == plain_text_document(text).id  # the id `fdiscope ingest` gives the text
    stored = c.get(f"/api/documents/{body['doc_id']}").json()["document"]
    assert stored["url"] == "https://example.org/a" and stored["published"] == "2023-11-02"
    assert stored["title"] == "Chinese carmaker plans assembly plant in Lipetsk" and stored["language"] == "en"
    again = c.post("/api/documents", json={"text": text}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.json()["status"] == "duplicate"


def test_ingest_document_metadata_given_wins(writer: tuple[TestClient, Store]) -> None:
    c, _ = writer
    text = ARTICLES["amur"].replace("Beifang", "Nanfang")
    meta = {"title": "Grain  terminal", "published": "2022-06", "language": "ru", "source": "wire"}
    r = c.post("/api/documents", json={"text": text, **meta}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    assert r.json()["doc_id"] == plain_text_document(text).id  # metadata does not change the id
    stored = c.get(f"/api/documents/{r.json()['doc_id']}").json()["document"]
    assert (stored["title"], stored["published"], stored["language"]) == ("Grain terminal", "2022-06", "ru")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": " \n "},
        {"text": "x", "published": "yesterday"},
        {"text": "x", "language": "english"},
    ],
)
def test_ingest_bad_body_is_422(writer: tuple[TestClient, Store], body: dict[str, Any]) -> None:
    c, _ = writer
    r = c.post("/api/documents", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422 and r.json()["detail"]


def test_request_size_limit(db: Path) -> None:
    with (
        Store(db) as store,
        TestClient(create_app(store, token=TOKEN, settings=WebSettings(max_body_bytes=200))) as c,
    ):
        r = c.post("/api/documents", json={"text": "x" * 500}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 413 and "larger than 200 bytes" in r.json()["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
            yield b'{"text": "'
            yield b"y" * 400
            yield b'"}'

        r = c.post("/api/documents", content=chunks(), headers={"Authorization": f"Bearer {TOKEN}",
                                                                "Content-Type": "application/json"})  # fmt: skip
        assert r.status_code == 413


def test_corrections(writer: tuple[TestClient, Store]) -> None:
    c, store = writer
    item = c.get("/api/projects", params={"region": "RU-TUL"}).json()["items"][0]
    pid = item["id"]
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = c.post("/api/corrections", json={"project": pid, "field": "jobs", "value": 1300, "note": "press release"},
               headers=auth)  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["correction"]["field"] == "jobs" and r.json()["correction"]["action"] == "correct"
    d = c.get(f"/api/projects/{pid}").json()
    jobs = d["fields"]["jobs"]
    assert jobs["value"] == 1300 and jobs["machine_value"] == item["jobs"] == 1200
    assert jobs["claims"][0]["human"] is True and jobs["claims"][0]["note"] == "press release"
    assert d["canonical"]["jobs"] == 1300
    assert c.get("/api/projects", params={"region": "RU-TUL"}).json()["items"][0]["jobs"] == 1300
    # a correction through a record of the project, with an amount in another currency
    rec = f"project:{d['claims'][0]['id'].split(':')[1]}"
    r = c.post("/api/corrections", json={"record": rec, "field": "amount", "value": {"value": 2e8, "currency": "USD"}},
               headers=auth)  # fmt: skip
    assert r.status_code == 201, r.text
    assert c.get("/api/projects", params={"region": "RU-TUL"}).json()["items"][0][
        "amount_usd"
    ] == pytest.approx(2e8)
    r = c.post("/api/corrections", json={"project": pid, "field": "status", "value": "construction 2024-01"},
               headers=auth)  # fmt: skip
    assert r.json()["project"]["canonical"]["status"] == "construction"
    log = c.get("/api/corrections", params={"project": pid}).json()
    assert log["count"] == 3 and all(item["log"] for item in log["items"])
    bad = c.post("/api/corrections", json={"project": pid, "field": "colour", "value": 1}, headers=auth)
    assert bad.status_code == 422 and "cannot correct 'colour'" in bad.json()["detail"]
    bad = c.post(
        "/api/corrections", json={"project": pid, "field": "sector", "value": "bananas"}, headers=auth
    )
    assert bad.status_code == 422 and "sector must be one of" in bad.json()["detail"]
    assert (
        c.post(
            "/api/corrections", json={"project": 99999, "field": "jobs", "value": 1}, headers=auth
        ).status_code
        == 404
    )
    assert (
        c.post("/api/corrections", json={"record": "garbage", "field": "jobs"}, headers=auth).status_code
        == 422
    )
    both = c.post("/api/corrections", json={"record": rec, "project": pid, "field": "jobs"}, headers=auth)
    assert both.status_code == 422


def test_correction_survives_reresolution_and_reextraction(writer: tuple[TestClient, Store]) -> None:
    from fdiscope.resolve import reextract_documents, resolve_store

    c, store = writer
    pid = c.get("/api/projects", params={"region": "RU-NVS"}).json()["items"][0]["id"]
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert c.post("/api/corrections", json={"project": pid, "field": "jobs", "value": "275"},
                  headers=auth).status_code == 201  # fmt: skip
    resolve_store(store)
    reextract_documents(store, [_doc_id("novosibirsk")])
    resolve_store(store)
    item = c.get("/api/projects", params={"region": "RU-NVS"}).json()["items"][0]
    assert item["id"] == pid and item["jobs"] == 275
    assert c.get(f"/api/projects/{pid}").json()["fields"]["jobs"]["corrected_by"] >= 1
    # superseded records are hidden from the per-document listing
    recs = c.get("/api/records/projects", params={"region": "RU-NVS"}).json()
    assert recs["total"] == 1


def test_merge_split_and_undo(writer: tuple[TestClient, Store]) -> None:
    c, _ = writer
    auth = {"Authorization": f"Bearer {TOKEN}"}
    klu = c.get("/api/projects", params={"region": "RU-KLU", "sort": "id"}).json()["items"]
    assert len(klu) == 2
    a, b = klu[0]["id"], klu[1]["id"]
    n = c.get("/api/projects").json()["total"]
    assert c.post("/api/projects/merge", json={"a": a, "b": b}).status_code in (401, 403)
    r = c.post("/api/projects/merge", json={"a": a, "b": b, "note": "same plant"}, headers=auth)
    assert r.status_code == 201, r.text
    merged = r.json()["project"]
    assert merged["id"] == a and merged["sources"]["documents"] == 2 and len(merged["claims"]) == 2
    assert c.get("/api/projects").json()["total"] == n - 1
    assert c.get(f"/api/projects/{b}").json()["redirected_from"] == b
    assert c.get("/api/stats", params={"region": "RU-KLU"}).json()["projects"] == 1
    merge_id = r.json()["correction"]["id"]
    # split the second claim back out
    moved = merged["claims"][1]["id"]
    r = c.post(f"/api/projects/{a}/split", json={"claims": [moved]}, headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["new_projects"] and a not in r.json()["new_projects"]
    assert c.get("/api/projects").json()["total"] == n
    bad = c.post(f"/api/projects/{a}/split", json={"claims": ["project:99999"]}, headers=auth)
    assert bad.status_code == 422 and "not part of project" in bad.json()["detail"]
    # undo the merge: it is kept in the log as undone
    r = c.post(f"/api/corrections/{merge_id}/undo", headers=auth)
    assert r.status_code == 200 and r.json()["correction"]["undone_at"]
    assert c.post(f"/api/corrections/{merge_id}/undo", headers=auth).status_code == 422
    assert c.get("/api/projects").json()["total"] == n
    same = c.post("/api/projects/merge", json={"a": a, "b": a}, headers=auth)
    assert same.status_code == 422


def test_ingest_resolves_the_new_document_into_a_project(writer: tuple[TestClient, Store]) -> None:
    c, _ = writer
    auth = {"Authorization": f"Bearer {TOKEN}"}
    n = c.get("/api/projects").json()["total"]
    text = (
        ARTICLES["kaluga"]
        .replace("2024-03-14", "2024-09-20")
        .replace(
            "signed an agreement with the government of Kaluga Region on Wednesday to build",
            "started construction of",
        )
    )
    r = c.post("/api/documents", json={"text": text}, headers=auth)
    assert r.status_code == 201 and r.json()["projects"]
    assert c.get("/api/projects").json()["total"] in (n, n + 1)
    pid = r.json()["projects"][0]
    assert pid in [it["id"] for it in c.get("/api/projects", params={"page_size": 500}).json()["items"]]
    d = c.get(f"/api/projects/{pid}").json()
    assert _doc_id("kaluga") in [s["doc_id"] for s in d["sources"]["list"]] or d["sources"]["documents"] == 1


# -- the app ------------------------------------------------------------------------------------


def test_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/projects", "/api/projects/{project_id}", "/api/trade", "/api/events",
                 "/api/documents/{doc_id}", "/api/search", "/api/stats", "/api/export", "/api/documents",
                 "/api/corrections"):  # fmt: skip
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/projects"]["get"]["parameters"]}
    assert {"country", "investor_country", "region", "sector", "kind", "status", "amount_min", "amount_max",
            "date_from", "date_to", "q", "sort", "page", "page_size"} <= params  # fmt: skip
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_security_headers(client: TestClient) -> None:
    r = client.get("/api/projects")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_create_app_from_a_path(db: Path) -> None:
    with TestClient(create_app(f"sqlite:///{db}")) as c:
        assert c.get("/api/projects").json()["total"] >= 1


def test_hostile_article_is_data_not_markup(client: TestClient) -> None:
    doc_id = _doc_id("hostile")
    d = client.get(f"/api/documents/{doc_id}").json()
    assert "<script>" in d["document"]["text"]  # stored as written
    for path in (f"/documents/{doc_id}", "/projects", "/", "/search?q=Huaxin"):
        html = client.get(path).text
        assert "<script>window.__xss" not in html, path
        assert 'onerror="window' not in html, path
        assert "<svg onload" not in html, path
    assert "&lt;script&gt;window.__xss" in client.get(f"/documents/{doc_id}").text


def test_region_grid_is_current() -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, str(root / "scripts" / "build_region_grid.py"), "--check"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def test_serve_command(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from fdiscope.cli import main

    r = CliRunner().invoke(main, ["serve", "--help"])
    assert r.exit_code == 0 and "--token" in r.output and "--port" in r.output
    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "missing.db")])
    assert r.exit_code != 0 and "no database at" in r.output
