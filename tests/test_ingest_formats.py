"""HTML pages, RSS/Atom feeds and JSON lines to documents (texts invented for these tests)."""

from __future__ import annotations

import json

import pytest

from fdiscope.ingest import (
    BrokenFeed,
    EmptyInput,
    IngestError,
    MalformedRecord,
    TooLarge,
    extract_html,
    feed_documents,
    html_to_text,
    iso_date,
    parse_feed,
    read_bytes,
    read_jsonl_bytes,
    sniff_format,
)
from fdiscope.model import Document, content_id

ARTICLE_HTML = """<!DOCTYPE html>
<html><head><title>Tyre maker expands in Kazan | Invented Daily</title>
<meta property="og:site_name" content="Invented Daily">
<meta property="article:published_time" content="2022-09-14T08:30:00+03:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<article>
<h1>Tyre maker expands in Kazan</h1>
<p>A Finnish tyre manufacturer said on Wednesday that it would add a second production line at its
plant outside Kazan, investing about 45 million euros over the next two years.</p>
<p>The expansion will raise annual capacity by four million tyres and create 180 jobs, the company
said in a statement. Most of the additional output is meant for customers in Central Asia.</p>
<p>Regional officials said the investor would receive tax relief under a special investment contract
signed earlier this year.</p>
</article>
<footer>© Invented Daily. Page updated 2023-01-02.</footer>
</body></html>"""


def test_html_article() -> None:
    doc = extract_html(ARTICLE_HTML, url="https://daily.example.org/business/tyres", source="tyres.html")
    assert doc.title == "Tyre maker expands in Kazan"
    assert doc.published == "2022-09-14"  # the page's own date, not the footer's update
    assert doc.url == "https://daily.example.org/business/tyres"
    assert doc.source == "tyres.html"
    assert doc.language == "en"
    assert doc.text.startswith("Tyre maker expands in Kazan")
    assert "45 million euros" in doc.text and "Central Asia" in doc.text
    assert "Business" not in doc.text.split("\n")  # navigation left out
    assert doc.id == content_id(doc.text)


def test_html_fallback_for_tiny_page() -> None:
    html = (
        "<html><head><title>Brief</title><script>var x = 1;</script></head>"
        "<body><p>Port opens.</p></body></html>"
    )
    doc = extract_html(html)
    assert doc.title == "Brief"
    assert "Port opens." in doc.text and "var x" not in doc.text


def test_html_without_text_is_empty() -> None:
    with pytest.raises(EmptyInput):
        extract_html("<html><head><title></title></head><body><script>x()</script></body></html>")


def test_html_to_text_entities() -> None:
    assert html_to_text("<p>M&amp;A deal &mdash; &laquo;big&raquo;</p><p>Next&#160;one</p>") == (
        "M&A deal — «big»\nNext one"
    )


RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Invented Wire &amp; Co</title><link>https://wire.example.net/</link>
<item>
  <title>Smelter &amp; port deal signed</title>
  <link>/news/smelter-port</link>
  <pubDate>Tue, 07 Mar 2023 22:15:00 +0300</pubDate>
  <description>&lt;p&gt;An aluminium smelter &lt;b&gt;and&lt;/b&gt; a port operator signed a
  &amp;laquo;strategic&amp;raquo; agreement worth $300 million&amp;nbsp;on Tuesday.&lt;/p&gt;</description>
</item>
<item>
  <title>Rail link to be extended</title>
  <link>news/rail-link</link>
  <pubDate>Wed, 08 Mar 2023 09:00:00 GMT</pubDate>
  <description>The rail link will be extended by 40 km.</description>
</item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Придуманная лента</title><link href="https://lenta.example.ru/"/>
<updated>2024-02-02T10:00:00Z</updated><id>urn:x</id>
<entry>
  <title>Завод по выпуску стекла начнёт работу</title>
  <link href="https://lenta.example.ru/2024/02/steklo"/>
  <id>urn:x:1</id>
  <published>2024-02-01T23:50:00+03:00</published>
  <updated>2024-02-02T10:00:00Z</updated>
  <content type="html">&lt;p&gt;Стекольный завод в Калужской области
  выйдет на проектную мощность весной.&lt;/p&gt;</content>
</entry>
</feed>""".encode()


def test_rss_items_entities_and_relative_links() -> None:
    docs = list(feed_documents(RSS, url="https://wire.example.net/feeds/all.rss"))
    assert all(isinstance(d, Document) for d in docs)
    first, second = docs
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.title == "Smelter & port deal signed"
    assert first.url == "https://wire.example.net/news/smelter-port"
    assert second.url == "https://wire.example.net/feeds/news/rail-link"  # relative to the feed URL
    assert first.published == "2023-03-07"  # the item's own calendar date, not shifted to UTC
    assert "«strategic» agreement worth $300 million on Tuesday." in first.text
    assert "<p>" not in first.text and "&" not in first.text.replace("Smelter & port", "")
    assert first.text.startswith("Smelter & port deal signed\n\n")
    assert first.source == "https://wire.example.net/feeds/all.rss#1"
    assert first.language == "en"


def test_rss_without_url_uses_channel_link() -> None:
    items = parse_feed(RSS)
    assert items[0].link == "https://wire.example.net/news/smelter-port"


def test_atom_feed() -> None:
    (doc,) = feed_documents(ATOM, source="lenta.atom")
    assert isinstance(doc, Document)
    assert doc.title == "Завод по выпуску стекла начнёт работу"
    assert doc.url == "https://lenta.example.ru/2024/02/steklo"
    assert doc.published == "2024-02-01"
    assert doc.language == "ru"
    assert "проектную мощность" in doc.text
    assert doc.source == "lenta.atom#1"


def test_recoverable_feed_still_yields_items() -> None:
    bozo = RSS.replace(b"</channel></rss>", b"<item><title>Unclosed")  # truncated download
    docs = [d for d in feed_documents(bozo, source="cut.rss") if isinstance(d, Document)]
    assert [d.title for d in docs][:2] == ["Smelter & port deal signed", "Rail link to be extended"]


@pytest.mark.parametrize(
    "data",
    [b"<rss><channel><<<>>>", b'<?xml version="1.0"?><sitemap><loc>x</loc></sitemap>', b"<feed><entry"],
)
def test_broken_feed(data: bytes) -> None:
    (err,) = feed_documents(data, source="broken.xml")
    assert isinstance(err, BrokenFeed)
    assert err.source == "broken.xml"
    assert "feed" in err.reason


def test_feed_without_items_is_empty() -> None:
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    (err,) = feed_documents(data, source="quiet.rss")
    assert isinstance(err, EmptyInput)


def _jsonl(*records: object) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records).encode()


def test_jsonl_broken_line_in_the_middle() -> None:
    data = _jsonl(
        {
            "doc_id": "d-1",
            "text": "Холдинг вложит 2 млрд рублей в логистический центр под Самарой.",
            "published": "2021-11-30",
            "language": "ru",
            "url": "https://example.ru/a",
            "title": None,
        },
        '{"doc_id": "d-2", "text": "unterminated',
        "",
        {"doc_id": "d-3", "text": "A chemicals group will build a plant in Tatarstan.", "published": None},
    )
    items = list(read_jsonl_bytes(data, source="dump.jsonl"))
    assert len(items) == 3
    first, err, third = items
    assert isinstance(first, Document) and isinstance(third, Document)
    assert first.language == "ru" and first.published == "2021-11-30" and first.url == "https://example.ru/a"
    assert first.source == "dump.jsonl:1#d-1"
    assert isinstance(err, MalformedRecord) and err.line == 2 and "invalid JSON" in err.reason
    assert str(err).startswith("dump.jsonl:2: ")
    assert third.language == "en" and third.source == "dump.jsonl:4#d-3"


def test_jsonl_generic_html_line() -> None:
    data = _jsonl(
        {
            "html": ARTICLE_HTML,
            "url": "https://daily.example.org/business/tyres",
            "published": "2022-09-15",
        }
    )
    (doc,) = read_jsonl_bytes(data, source="pages.jsonl")
    assert isinstance(doc, Document)
    assert doc.title == "Tyre maker expands in Kazan"
    assert "second production line" in doc.text
    assert doc.published == "2022-09-15"  # the record's metadata wins


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("[1, 2]", "expected a JSON object"),
        ('{"title": "no text"}', 'no "text" or "html"'),
        ('{"text": 42}', '"text" is empty or not a string'),
        ('{"text": "ok text", "url": 5}', '"url" must be a string'),
    ],
)
def test_jsonl_bad_records(line: str, reason: str) -> None:
    (err,) = read_jsonl_bytes(line.encode(), source="bad.jsonl")
    assert isinstance(err, MalformedRecord) and reason in err.reason and err.line == 1


def test_jsonl_line_over_limit() -> None:
    data = _jsonl({"text": "short one"}, {"text": "x" * 500}, {"text": "another short"})
    items = list(read_jsonl_bytes(data, source="d.jsonl", max_bytes=100))
    assert [type(i).__name__ for i in items] == ["Document", "TooLarge", "Document"]
    assert isinstance(items[1], TooLarge) and items[1].line == 2


def test_sniffing() -> None:
    assert sniff_format(RSS) == "feed"
    assert sniff_format(ATOM) == "feed"
    assert sniff_format(ARTICLE_HTML.encode()) == "html"
    assert sniff_format(b'{"text": "a"}\n{"text": "b"}') == "jsonl"
    assert sniff_format(b'[{"text": "a"}]') == "json"
    assert sniff_format(b"Plain words.", content_type="text/html") == "html"
    assert sniff_format(b"Plain words.", name="x.txt") == "text"
    assert sniff_format("<p>Привет</p>".encode("utf-16"), name="x") == "html"


def test_read_bytes_plain_text_date_and_title() -> None:
    data = b"12.05.2020\nNew terminal opens\n\nA grain terminal opened at the port."
    (doc,) = read_bytes(data, name="note.txt")
    assert isinstance(doc, Document)
    assert (doc.published, doc.title, doc.language) == ("2020-05-12", "New terminal opens", "en")


def test_read_bytes_json_array() -> None:
    data = json.dumps([{"text": "First story about a mine."}, {"nope": 1}]).encode()
    items = list(read_bytes(data, name="batch.json"))
    assert isinstance(items[0], Document) and isinstance(items[1], IngestError)
    assert items[1].source == "batch.json#2"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-04-05T10:00:00Z", "2023-04-05"),
        ("2023-04", "2023-04"),
        ("2023", "2023"),
        ("05.04.2023", "2023-04-05"),
        ("Wed, 05 Apr 2023 10:00:00 +0000", "2023-04-05"),
        ("2023-13-01", None),
        ("tomorrow", None),
        (None, None),
    ],
)
def test_iso_date(value: str | None, expected: str | None) -> None:
    assert iso_date(value) == expected
