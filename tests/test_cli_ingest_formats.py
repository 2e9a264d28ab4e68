"""``fdiscope ingest`` over a generated corpus: every format, every failure, stdin, URLs, dry runs.

All texts are written here; HTTP inputs come from a server on 127.0.0.1 started by the tests.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fdiscope.cli import main
from fdiscope.ingest import batch
from fdiscope.model import Document, ProjectRecord, make_evidence
from fdiscope.pipeline import Doc
from fdiscope.store import Store

EXTRACTED: list[str] = []


def fake_extract(document: Document) -> Doc:
    """Records the call; one project per document that mentions a plant (or завод), with real spans."""
    EXTRACTED.append(document.id)
    doc = Doc(document=document)
    for word in ("plant", "завод"):
        at = document.text.find(word)
        if at >= 0:
            ev = make_evidence(document.id, document.text, at, at + len(word))
            doc.projects.append(ProjectRecord(sector="machinery", evidence=ev, provenance={"sector": ev}))
            break
    return doc


@pytest.fixture(autouse=True)
def _fake_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    EXTRACTED.clear()
    monkeypatch.setattr(batch, "_default_extractor", lambda: fake_extract)


STORY_EN = (
    "Harbour crane maker opens plant\n\n"
    "A harbour crane maker from Finland said on Tuesday that it has opened an assembly plant on the "
    "outskirts of the port city, after two years of construction and a long search for local suppliers. "
    "The company expects the site to employ about three hundred people once the second shift starts "
    "in the autumn, and it plans to ship most of its cranes to terminals along the northern coast. "
    "Officials of the regional government welcomed the opening and promised faster customs checks for "
    "the parts that still arrive from abroad. The firm did not name the final cost of the project."
)
STORY_EN_COPY = (
    "Finnish crane producer launches factory near port\n\n"
    + STORY_EN.split("\n\n", 1)[1]
    + "\nReporting by our regional desk; editing by the night team."
)
STORY_RU = (
    "Новый завод в области\n\n"
    "Компания из Китая построит в области завод по выпуску насосов. Строительство начнётся весной, "
    "а первые изделия выйдут с конвейера через два года. На предприятии будут работать около двухсот человек."
)
STORY_DE = (
    "Ein Hersteller von Pumpen will im kommenden Jahr ein neues Werk in der Region bauen. "
    "Die Firma rechnet mit zweihundert Arbeitsplätzen und einer Bauzeit von zwei Jahren."
)


def html_page(title: str, body: str, *, meta: str = "", charset: str | None = "utf-8") -> str:
    head = f'<meta charset="{charset}">' if charset else ""
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{title}</title>{meta}</head>"
        f"<body><nav>Home | News | Contacts</nav><article><h1>{title}</h1>{paras}</article>"
        "<footer>All rights reserved.</footer></body></html>"
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "ru").mkdir(parents=True)
    (root / "story.txt").write_text("2024-05-14\n" + STORY_EN, encoding="utf-8")
    meta = (
        '<meta property="article:published_time" content="2024-06-03T09:00:00+03:00">'
        '<meta property="og:site_name" content="Port Herald">'
    )
    body = STORY_EN.split("\n\n", 1)[1].replace("crane maker", "crane builder").replace("Finland", "Norway")
    body = body.replace("three hundred", "four hundred").replace("autumn", "spring")
    (root / "page.html").write_text(
        html_page("Norwegian crane builder opens plant", body, meta=meta), encoding="utf-8"
    )
    ru_body = STORY_RU.split("\n\n", 1)[1]
    ru_cp = html_page("Новый завод в области", ru_body, charset=None)
    (root / "ru" / "cp1251.html").write_bytes(ru_cp.encode("cp1251"))
    ru_koi = html_page("Завод насосов", ru_body.replace("Китая", "Турции"), charset=None)
    (root / "ru" / "koi8.htm").write_bytes(ru_koi.encode("koi8_r"))
    (root / "german.txt").write_text(STORY_DE, encoding="utf-8")
    lines = [
        json.dumps(
            {"doc_id": "a1", "text": "Trade between the two ports grew by a tenth.", "published": "2024-02"}
        ),
        '{"doc_id": "a2", "text": "this line breaks off',
        json.dumps(
            {
                "html": html_page("Grain terminal", "A grain terminal plant will be built."),
                "url": "https://example.org/grain",
                "title": "Grain terminal (from the dump)",
                "published": "2024-03-01",
            }
        ),
    ]
    (root / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "empty.txt").write_bytes(b" \n\t\n")
    (root / "noise.dat").write_bytes(hashlib.sha256(b"seed").digest() * 64 + b"\x00\x01\x02")
    (root / "truncated.txt").write_bytes(b"\xff\xfe" + "Обрыв".encode("utf-16-le") + b"\x41")  # odd length
    (root / "broken.xml").write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title><<<garbage &&& </rss'
    )
    with open(root / "big.txt", "wb") as fh:  # 50 MB, over the 20 MB default limit
        chunk = b"A sentence repeated to make a very large file.\n" * 20_000
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    return root


def _ingest(runner: CliRunner, *args: str, **kw: Any) -> Any:
    return runner.invoke(main, ["ingest", *args], **kw)


def test_every_format_and_failure(runner: CliRunner, corpus: Path, db_path: Path) -> None:
    result = _ingest(runner, str(corpus), "--db", str(db_path))
    assert result.exit_code == 1, result.output
    # page.html retells story.txt and the koi8-r page the cp1251 one: both copies are linked
    assert (
        result.stdout.strip()
        == "ingested 7 (near-duplicates 2, unsupported language 1), duplicates 0, failed 6"
    )
    skips = sorted(result.stderr.strip().splitlines())
    assert len(skips) == 6
    expected = {
        "big.txt": "file of 52,",  # the size is in the message
        "broken.xml": "not a readable RSS/Atom feed",
        "dump.jsonl:2": "invalid JSON",
        "empty.txt": "empty input",
        "noise.dat": "binary input",
        "truncated.txt": "not utf-16-le",
    }
    for name, fragment in expected.items():
        line = [s for s in skips if s.startswith(f"skip {corpus / name}: ")]
        assert len(line) == 1 and fragment in line[0], (name, skips)
    with Store(db_path) as s:
        errors = {Path(e.source).name: e.reason for e in s.errors()}
        assert set(errors) == set(expected)
        assert "over the limit of 20,000,000" in errors["big.txt"]
        docs = {Path(d.source or "").name.split("#")[0]: d for d in s.iter_documents()}
        assert set(docs) == {
            "story.txt", "page.html", "cp1251.html", "koi8.htm", "german.txt", "dump.jsonl:1", "dump.jsonl:3"
        }  # fmt: skip
        story = docs["story.txt"]
        assert (story.title, story.published, story.language) == (
            "Harbour crane maker opens plant",
            "2024-05-14",
            "en",
        )
        assert story.raw_sha256 == hashlib.sha256((corpus / "story.txt").read_bytes()).hexdigest()
        page = docs["page.html"]
        assert page.title == "Norwegian crane builder opens plant"
        assert (page.published, page.sitename, page.language) == ("2024-06-03", "Port Herald", "en")
        assert "Home | News" not in page.text and "All rights reserved" not in page.text
        assert page.raw_sha256 == hashlib.sha256((corpus / "page.html").read_bytes()).hexdigest()
        cp, koi = docs["cp1251.html"], docs["koi8.htm"]
        assert "Компания из Китая построит в области завод" in cp.text and cp.language == "ru"
        assert "Компания из Турции построит" in koi.text and koi.title == "Завод насосов"
        # folders are read in sorted order, files before sub-folders: page.html comes first
        assert story.duplicate_of == page.id and koi.duplicate_of == cp.id
        assert sorted(n for n, d in docs.items() if d.duplicate_of) == ["koi8.htm", "story.txt"]
        de = docs["german.txt"]
        assert (de.language, de.extraction) == ("de", "unsupported-language")
        assert de.id not in EXTRACTED and s.records_of(de.id) == {"project": [], "trade": [], "event": []}
        assert all(d.extraction == "extracted" for n, d in docs.items() if n != "german.txt")
        grain = docs["dump.jsonl:3"]
        assert (grain.title, grain.url, grain.published) == (
            "Grain terminal (from the dump)",
            "https://example.org/grain",
            "2024-03-01",
        )
        assert docs["dump.jsonl:1"].published == "2024-02"
        # every document mentioning a plant got its record, the others none
        with_plant = {n for n, d in docs.items() if "plant" in d.text or "завод" in d.text}
        assert with_plant == {"story.txt", "page.html", "cp1251.html", "koi8.htm", "dump.jsonl:3"}
        assert s.count("projects") == 5


def test_rerun_skips_stored_inputs_before_parsing(
    runner: CliRunner, corpus: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (corpus / "big.txt").unlink()
    first = _ingest(runner, str(corpus), "--db", str(db_path))
    assert (
        first.stdout.strip()
        == "ingested 7 (near-duplicates 2, unsupported language 1), duplicates 0, failed 5"
    )

    def no_html(*args: Any, **kw: Any) -> Document:
        raise AssertionError("an already stored page was parsed again")

    monkeypatch.setattr("fdiscope.ingest.readers.extract_html", no_html)
    monkeypatch.setattr("fdiscope.ingest.jsonl.extract_html", no_html)
    EXTRACTED.clear()
    again = _ingest(runner, str(corpus), "--db", str(db_path))
    assert again.stdout.strip() == "ingested 0, duplicates 7, failed 5"
    assert EXTRACTED == []
    with Store(db_path) as s:
        assert s.count("documents") == 7 and s.count("ingest_errors") == 10


def test_near_duplicates_are_stored_and_linked_across_runs(
    runner: CliRunner, tmp_path: Path, db_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "original.txt").write_text(STORY_EN, encoding="utf-8")
    (tmp_path / "b" / "wire-copy.html").write_text(
        html_page("Finnish crane producer launches factory near port", STORY_EN_COPY.split("\n\n", 1)[1]),
        encoding="utf-8",
    )
    (tmp_path / "b" / "other.txt").write_text(STORY_RU, encoding="utf-8")
    first = _ingest(runner, str(tmp_path / "a"), "--db", str(db_path))
    assert first.stdout.strip() == "ingested 1, duplicates 0, failed 0"
    second = _ingest(runner, str(tmp_path / "b"), "--db", str(db_path))
    assert second.exit_code == 0, second.output
    assert second.stdout.strip() == "ingested 2 (near-duplicates 1), duplicates 0, failed 0"
    with Store(db_path) as s:
        by_name = {Path(d.source or "").name: d for d in s.iter_documents()}
        original, copy, other = by_name["original.txt"], by_name["wire-copy.html"], by_name["other.txt"]
        assert copy.id != original.id
        assert copy.duplicate_of == original.id == s.duplicate_of(copy.id)
        assert s.duplicate_of(original.id) is None and other.duplicate_of is None
        assert s.copies_of(original.id) == [copy.id]
        assert copy.extraction == "extracted" and len(s.records_of(copy.id)["project"]) == 1


def test_stdin_text_and_jsonl(runner: CliRunner, db_path: Path) -> None:
    text = _ingest(runner, "-", "--db", str(db_path), input=STORY_RU.encode("koi8_r"))
    assert text.exit_code == 0 and text.stdout.strip() == "ingested 1, duplicates 0, failed 0"
    lines = (
        json.dumps({"text": STORY_DE, "title": "Werk", "url": "https://example.de/werk"})
        + "\n{not json\n"
        + json.dumps({"doc_id": "x", "text": "Port trade grew this year.", "language": "en"})
        + "\n"
    )
    dump = _ingest(runner, "-", "--db", str(db_path), input=lines.encode())
    assert dump.exit_code == 1
    assert dump.stdout.strip() == "ingested 2 (unsupported language 1), duplicates 0, failed 1"
    assert dump.stderr.startswith("skip <stdin>:2: invalid JSON")
    with Store(db_path) as s:
        docs = {d.source: d for d in s.iter_documents()}
        assert set(docs) == {"<stdin>", "<stdin>:1", "<stdin>:3#x"}
        assert docs["<stdin>"].text.startswith("Новый завод в области") and docs["<stdin>"].language == "ru"
        assert (docs["<stdin>:1"].title, docs["<stdin>:1"].language) == ("Werk", "de")
        assert [(e.source, e.reason.split(" (")[0]) for e in s.errors()] == [("<stdin>:2", "invalid JSON")]


def test_dry_run_lists_and_writes_nothing(runner: CliRunner, corpus: Path, db_path: Path) -> None:
    result = _ingest(runner, str(corpus / "ru"), str(corpus / "dump.jsonl"), str(corpus / "big.txt"),
                     str(corpus / "missing.txt"), "--dry-run", "--db", str(db_path))  # fmt: skip
    assert result.exit_code == 1
    rows = [line.split("\t") for line in result.stdout.strip().splitlines()[:-1]]

    def row(path: Path, fmt: str, langs: str) -> list[str]:
        return [str(path), fmt, f"{path.stat().st_size:,} B", langs]

    assert rows == [
        row(corpus / "ru" / "cp1251.html", "html", "ru 1"),
        row(corpus / "ru" / "koi8.htm", "html", "ru 1"),
        row(corpus / "dump.jsonl", "jsonl", "en 2"),
        row(corpus / "big.txt", "text", "no documents"),
    ]
    summary = result.stdout.strip().splitlines()[-1]
    assert summary == "dry run: 4 inputs, 4 documents (en 2, ru 2), failed 3; nothing written"
    assert sorted(line.split(":")[0] for line in result.stderr.splitlines()) == sorted(
        [f"skip {corpus / 'missing.txt'}", f"skip {corpus / 'dump.jsonl'}", f"skip {corpus / 'big.txt'}"]
    )
    assert not db_path.exists() and EXTRACTED == []


def test_no_sources_is_a_usage_error(runner: CliRunner, db_path: Path) -> None:
    result = _ingest(runner, "--db", str(db_path))
    assert result.exit_code == 2 and "give at least one file" in result.stderr


# -- URLs, URL lists and feeds from a local server -----------------------------------------------

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour news</title><link>{base}/</link>
<item><title>Cranes &amp; docks: plant opens &#8212; officials</title><link>/news/1</link>
<pubDate>Tue, 14 May 2024 08:00:00 +0300</pubDate>
<description>&lt;p&gt;A crane maker &lt;b&gt;opened&lt;/b&gt; a plant near the port.&lt;/p&gt;
</description></item>
<item><title>Grain exports rise</title><link>news/2.html</link>
<pubDate>Wed, 15 May 2024 10:00:00 GMT</pubDate>
<description>Grain exports through the port rose by a fifth in April.</description></item>
</channel></rss>"""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    pages: dict[str, tuple[bytes, str]] = {}

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        body, ctype = self.pages.get(self.path, (b"not found", "text/plain"))
        self.send_response(200 if self.path in self.pages else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    _Handler.pages = {
        "/feed.xml": (FEED.format(base=base).encode(), "application/rss+xml"),
        "/news/1": (
            html_page("Crane plant opens", STORY_EN.split("\n\n", 1)[1], charset=None).encode("cp1251"),
            "text/html; charset=windows-1251",
        ),
        "/news/2.html": (
            html_page("Grain exports rise", "Grain exports rose by a fifth.").encode(),
            "text/html",
        ),
        "/ru": (html_page("Завод", STORY_RU.split("\n\n", 1)[1], charset=None).encode("koi8_r"), "text/html"),
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def test_feed_items_with_entities_and_relative_links(runner: CliRunner, server: str, db_path: Path) -> None:
    result = _ingest(runner, f"{server}/feed.xml", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ingested 2, duplicates 0, failed 0"
    with Store(db_path) as s:
        docs = sorted(s.iter_documents(), key=lambda d: d.source or "")
        assert [d.source for d in docs] == [f"{server}/feed.xml#1", f"{server}/feed.xml#2"]
        assert [d.url for d in docs] == [f"{server}/news/1", f"{server}/news/2.html"]
        assert docs[0].title == "Cranes & docks: plant opens — officials"
        assert "A crane maker opened a plant near the port." in docs[0].text and "<b>" not in docs[0].text
        assert [d.published for d in docs] == ["2024-05-14", "2024-05-15"]


def test_feed_follow_and_url_list(runner: CliRunner, server: str, tmp_path: Path, db_path: Path) -> None:
    followed = _ingest(runner, f"{server}/feed.xml", "--follow", "--db", str(db_path))
    assert followed.exit_code == 0, followed.output
    with Store(db_path) as s:
        pages = {d.url: d for d in s.iter_documents()}
        assert set(pages) == {f"{server}/news/1", f"{server}/news/2.html"}
        crane = pages[f"{server}/news/1"]
        assert crane.title == "Crane plant opens" and "assembly plant on the outskirts" in crane.text
        assert crane.published == "2024-05-14"  # the page has no date: the item's is kept
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# pages to read\n{server}/ru\n\nftp://nowhere/x\n{server}/gone\n{server}/news/1\n")
    listed = _ingest(runner, "--urls", str(urls), "--db", str(db_path))
    assert listed.exit_code == 1
    assert listed.stdout.strip() == "ingested 1, duplicates 1, failed 2"
    assert listed.stderr.splitlines() == [
        f"skip {urls}:4: not an http(s) URL: 'ftp://nowhere/x'",
        f"skip {server}/gone: HTTP 404 Not Found",
    ]
    with Store(db_path) as s:
        ru = next(d for d in s.iter_documents() if d.url == f"{server}/ru")
        assert ru.language == "ru" and "Компания из Китая построит" in ru.text
