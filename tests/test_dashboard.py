"""The dashboard in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium).

The app runs under uvicorn on a free loopback port over a database built by ingesting the
articles of ``test_api.ARTICLES`` through the real pipeline.  Screenshots go to
``out/screenshots/`` (kept by CI as artifacts).  Chromium is installed by
``.ci/setup-browser.sh``; these tests never skip: a missing browser is a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from test_api import ARTICLES, build_db  # noqa: I001  (tests/ is on sys.path under pytest)

from fdiscope.store import Store
from fdiscope.web import create_app

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "out" / "screenshots"
CHROMIUM = os.environ.get("FDISCOPE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "dash-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = build_db(tmp_path_factory.mktemp("dash") / "dash.db")
    store = Store(db)
    port = _free_port()
    config = uvicorn.Config(create_app(store, token=TOKEN), host="127.0.0.1", port=port, log_level="warning",
                            lifespan="off")  # fmt: skip
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", db
    srv.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing; run .ci/setup-browser.sh (installs Debian's chromium)"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: tuple[str, Path]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=server[0])
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    yield pg
    context.close()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_overview(page: Any, server: tuple[str, Path]) -> None:
    with Store(server[1]) as s:
        n = s.count("projects")
    page.goto("/")
    assert page.title() == "Overview · fdiscope"
    assert page.locator("#count-projects").inner_text() == str(n)
    assert page.locator("#latest tbody tr").count() == min(n, 10)
    assert page.locator("svg.map a.region").count() == 83
    assert page.locator("svg.bars").count() >= 2
    shot(page, "overview")


def test_filter_table_and_open_project_and_click_value(page: Any) -> None:
    page.goto("/projects")
    all_rows = page.locator("#projects tbody tr").count()
    assert all_rows >= 4
    page.select_option("#f-region", "RU-TUL")
    page.click("#apply")
    page.wait_for_url("**/projects?*region=RU-TUL*")
    rows = page.locator("#projects tbody tr")
    assert 1 <= rows.count() < all_rows
    for i in range(rows.count()):
        assert "RU-TUL" in rows.nth(i).inner_text()
    shot(page, "projects-filtered")

    page.goto("/projects?q=Hengda&region=RU-KLU")
    page.locator("#projects tbody tr a").first.click()
    page.wait_for_url("**/projects/*")
    assert page.locator("h1").inner_text().startswith("Project ")
    assert "Hengda Fluid Machinery" in page.locator("h1").inner_text()
    assert page.locator(".piece.hl-span").count() == 0

    page.click('a.value[data-field="amount"]')
    span = page.locator(".piece.hl-span")
    assert span.count() >= 1
    assert "2.4 billion rubles" in " ".join(span.all_inner_texts())
    sentence = " ".join(page.locator(".piece.hl-sent").all_inner_texts())
    assert "The company will invest" in sentence and "180 jobs" in sentence
    assert "Construction is due" not in sentence  # only the value's own sentence
    assert page.locator('a.value[data-field="amount"]').get_attribute("class") == "value active"
    assert (
        page.locator(".piece.hl-span").first.evaluate("e => getComputedStyle(e).backgroundColor")
        != "rgba(0, 0, 0, 0)"
    )
    shot(page, "project-amount-highlighted")

    page.click('a.value[data-field="jobs"]')
    assert "180 jobs" in " ".join(page.locator(".piece.hl-span").all_inner_texts())
    assert page.locator("#timeline li").count() >= 1
    assert page.locator("#sources li").count() == 1
    # a status step of the timeline leads to its sentence too
    page.click('#timeline a.value[data-field="step-0"]')
    assert "signed" in " ".join(page.locator(".piece.hl-span").all_inner_texts())
    assert "Kaluga special economic zone" in "".join(page.locator(".piece.hl-sent").all_inner_texts())
    # the amount is shown in USD as well, with the rate used
    amount = page.locator("#field-amount").inner_text()
    assert "RUB" in amount and "USD" in amount


def test_map(page: Any) -> None:
    page.goto("/map")
    regions = page.locator("#map svg.map a.region")
    assert regions.count() == 83
    klu = page.locator('#map a.region[data-code="RU-KLU"] rect')
    empty = page.locator('#map a.region[data-code="RU-CHU"] rect')
    assert float(page.locator('#map a.region[data-code="RU-KLU"]').get_attribute("data-value")) >= 1
    assert klu.get_attribute("fill") != empty.get_attribute("fill")
    box = page.locator("#map svg.map").bounding_box()
    assert box and box["width"] > 500 and box["height"] > 300  # actually laid out, not collapsed
    shot(page, "map")
    page.goto("/map?metric=amount")
    # Kaluga: 2.4 bn RUB (2024-03) + 3 bn RUB (2024-05), in USD at their months' rates
    usd = float(page.locator('#map a.region[data-code="RU-KLU"]').get_attribute("data-value"))
    assert 5.0e7 < usd < 7.0e7
    assert "USD" in page.locator("#region-table").inner_text()
    page.locator('#map a.region[data-code="RU-KLU"]').click()
    page.wait_for_url("**/projects?region=RU-KLU")


def test_trade_and_events(page: Any) -> None:
    page.goto("/trade")
    assert page.locator("#trade-charts svg.chart").count() >= 1
    assert page.locator("#trade-charts svg.chart circle").count() >= 2
    shot(page, "trade")
    page.goto("/events")
    assert page.locator("#events tbody tr").count() >= 1
    shot(page, "events")


def test_hostile_article_does_not_execute(page: Any, server: tuple[str, Path]) -> None:
    from fdiscope.ingest import plain_text_document

    doc_id = plain_text_document(ARTICLES["hostile"]).id
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in (f"/documents/{doc_id}", "/", "/projects", "/search?q=Huaxin"):
        page.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert page.locator("main script, main img, main svg[onload]").count() == 0, path
    text = page.goto(f"/documents/{doc_id}") and page.locator("#doctext").inner_text()
    assert "<script>window.__xss = 4</script>" in text  # shown as text
    with Store(server[1]) as s:
        pids = [
            int(r[0])
            for r in s.conn.execute("SELECT entity_id FROM entity_claims WHERE doc_id = ?", (doc_id,))
        ]
    assert pids
    for pid in pids:
        page.goto(f"/projects/{pid}")
        for a in page.locator("a.value").all():
            a.click()
        assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("#doctext a").count() == 0  # the article's javascript: link is text, not a link
    shot(page, "hostile")
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert not errors, errors


def test_correction_form(page: Any, server: tuple[str, Path]) -> None:
    page.goto("/projects?region=RU-TUL")
    page.locator("#projects tbody tr a").first.click()
    page.wait_for_url("**/projects/*")
    page.select_option('#correct select[name="field"]', "jobs")
    page.fill('#correct input[name="value"]', "1300")
    page.fill('#correct input[name="token"]', "wrong")
    page.click('#correct button[type="submit"]')
    assert "bearer token" in page.locator("#message").inner_text()
    page.select_option('#correct select[name="field"]', "jobs")
    page.fill('#correct input[name="value"]', "1300")
    page.fill('#correct input[name="token"]', TOKEN)
    page.click('#correct button[type="submit"]')
    page.wait_for_url("**#field-jobs")
    row = page.locator("#field-jobs")
    assert "1300" in row.inner_text() and "corrected" in row.inner_text()
    assert page.locator("#corrections li").count() == 1
    shot(page, "corrected")
    # stored as a human claim through fdiscope.resolve: it survives a new resolution run
    from fdiscope.resolve import resolve_store

    with Store(server[1]) as s:
        resolve_store(s)
    page.reload()
    assert "1300" in page.locator("#field-jobs").inner_text()
    page.goto("/projects?region=RU-TUL")
    assert "1300" in page.locator("#projects tbody tr").first.inner_text()


def _project_ids(page: Any) -> list[int]:
    hrefs = page.eval_on_selector_all(
        '#projects tbody tr a[href^="/projects/"]', "els => els.map(e => e.getAttribute('href'))"
    )
    return list(dict.fromkeys(int(h.rsplit("/", 1)[1]) for h in hrefs))


def test_merge_split_and_undo_from_the_project_page(page: Any) -> None:
    page.goto("/projects")
    a, b = _project_ids(page)[:2]
    page.goto(f"/projects/{a}")
    claims_a = page.locator("#sources a[href^='/records/projects/']").count()
    page.fill('#merge input[name="other"]', str(b))
    page.fill('#merge input[name="token"]', "wrong")
    page.click('#merge button[type="submit"]')
    assert "bearer token" in page.locator("#message").inner_text()
    page.fill('#merge input[name="other"]', str(a))
    page.fill('#merge input[name="token"]', TOKEN)
    page.click('#merge button[type="submit"]')
    assert "itself" in page.locator("#message").inner_text()
    page.fill('#merge input[name="other"]', str(b))
    page.fill('#merge input[name="token"]', TOKEN)
    page.click('#merge button[type="submit"]')
    page.wait_for_url(f"**/projects/{a}#corrections")
    merged = page.locator("#sources a[href^='/records/projects/']").count()
    assert merged > claims_a and "merge" in page.locator("#corrections li").last.inner_text()
    page.goto(f"/projects/{b}")  # b now redirects to the project it was merged into
    assert f"Project {a}" in page.locator("#project-title").inner_text()
    assert str(b) in page.locator("#redirected").inner_text()
    shot(page, "merged")

    # split the last claim out again: it lands in a project of its own
    page.goto(f"/projects/{a}")
    boxes = page.locator('#split input[name="claims"]')
    assert boxes.count() == merged
    moved = boxes.last.get_attribute("value")
    boxes.last.check()
    page.fill('#split input[name="token"]', TOKEN)
    with page.expect_navigation():
        page.click('#split button[type="submit"]')
    # the page of the project now holding the moved claim, alone (ids follow the resolver's anchors)
    assert moved in page.locator("#sources").inner_text()
    assert page.locator("#sources a[href^='/records/projects/']").count() == 1
    assert "split" in page.locator("#corrections li").last.inner_text()

    # undo both, newest first: a and b are as they were
    page.goto(f"/projects/{a}")
    for _ in range(2):
        form = page.locator("#corrections form.undo").last
        form.locator('input[name="token"]').fill(TOKEN)
        with page.expect_navigation():
            form.locator('button[type="submit"]').click()
        assert page.url.endswith(f"/projects/{a}#corrections")
    assert page.locator("#corrections form.undo").count() == 0
    assert page.locator("#corrections li", has_text="undone").count() == 2
    assert page.locator("#sources a[href^='/records/projects/']").count() == claims_a
    page.goto(f"/projects/{b}")
    assert f"Project {b}" in page.locator("#project-title").inner_text()
    assert page.locator("#redirected").count() == 0
