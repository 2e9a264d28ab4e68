"""Fetching through a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from fdiscope.ingest import (
    USER_AGENT,
    FetchError,
    IngestError,
    TooLarge,
    fetch,
    make_client,
    read_url,
)
from fdiscope.model import Document

PAGE_RU = (
    "<html><head><title>Новый терминал</title></head><body><article><h1>Новый терминал</h1>"
    "<p>Оператор из Финляндии построит в порту зерновой терминал мощностью три миллиона тонн в год. "
    "Инвестиции оцениваются в шесть миллиардов рублей.</p></article></body></html>"
)
STORY = (
    "<html><head><title>Cement plant goes ahead</title>"
    '<meta property="article:published_time" content="2024-06-03"></head><body>'
    "<article><h1>Cement plant goes ahead</h1><p>An Egyptian cement producer confirmed plans for a plant "
    "near Saratov worth 120 million dollars, with 260 jobs once it runs at full capacity.</p></article>"
    "</body></html>"
)
FEED = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local</title>
<link>http://local/</link>
<item><title>Cement plant (feed title)</title><link>/story/1</link>
<pubDate>Sun, 02 Jun 2024 10:00:00 GMT</pubDate>
<description>Short summary of the cement plant.</description></item>
<item><title>Missing story</title><link>/missing</link>
<pubDate>Mon, 03 Jun 2024 10:00:00 GMT</pubDate>
<description>Summary kept when the page is gone.</description></item>
</channel></rss>"""

SEEN_AGENTS: list[str] = []


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def _send(self, body: bytes, ctype: str, status: int = 200, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        if self.path == "/page":
            self._send(PAGE_RU.encode("cp1251"), "text/html; charset=windows-1251")
        elif self.path == "/feed.xml":
            self._send(FEED, "application/rss+xml")
        elif self.path == "/story/1":
            self._send(STORY.encode(), "text/html")
        elif self.path == "/big":  # no Content-Length: the limit must stop the stream
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif self.path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(b"late", "text/plain")
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/story/1")
            self.end_headers()
        else:
            self._send(b"not here", "text/plain", status=404)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client(timeout=0.5) as c:
        yield c


def test_page_with_http_charset(base: str, client: httpx.Client) -> None:
    (doc,) = read_url(f"{base}/page", client)
    assert isinstance(doc, Document)
    assert doc.title == "Новый терминал"
    assert "шесть миллиардов рублей" in doc.text
    assert doc.url == f"{base}/page" and doc.source == f"{base}/page"
    assert doc.language == "ru"
    assert SEEN_AGENTS[-1] == USER_AGENT


def test_feed_without_follow_uses_summaries(base: str, client: httpx.Client) -> None:
    docs = list(read_url(f"{base}/feed.xml", client))
    assert [d.url for d in docs if isinstance(d, Document)] == [f"{base}/story/1", f"{base}/missing"]
    assert isinstance(docs[0], Document) and "Short summary" in docs[0].text


def test_feed_follow_fetches_linked_pages(base: str, client: httpx.Client) -> None:
    items = list(read_url(f"{base}/feed.xml", client, follow=True))
    story, err, fallback = items
    assert isinstance(story, Document)
    assert story.title == "Cement plant goes ahead"  # the page's own title
    assert story.published == "2024-06-03"  # the page's own date wins over the feed's
    assert "120 million dollars" in story.text and story.url == f"{base}/story/1"
    assert isinstance(err, FetchError) and err.status == 404 and err.source == f"{base}/missing"
    assert isinstance(fallback, Document) and fallback.text.endswith("Summary kept when the page is gone.")
    assert fallback.published == "2024-06-03"


def test_too_large_streamed(base: str, client: httpx.Client) -> None:
    with pytest.raises(TooLarge, match="download stopped"):
        fetch(f"{base}/big", client, max_bytes=1_000_000)
    (err,) = read_url(f"{base}/big", client, max_bytes=1_000_000)
    assert isinstance(err, TooLarge)


def test_too_large_declared(base: str, client: httpx.Client) -> None:
    with pytest.raises(TooLarge, match="52,428,800 bytes"):
        fetch(f"{base}/big-declared", client)


def test_timeout(base: str, client: httpx.Client) -> None:
    (err,) = read_url(f"{base}/slow", client)
    assert isinstance(err, FetchError) and "timed out" in err.reason and err.status is None


def test_404(base: str, client: httpx.Client) -> None:
    with pytest.raises(FetchError) as info:
        fetch(f"{base}/nothing", client)
    assert info.value.status == 404 and "404" in str(info.value)


def test_redirects_followed_and_limited(base: str, client: httpx.Client) -> None:
    assert fetch(f"{base}/moved", client).url == f"{base}/story/1"
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(f"{base}/loop", client)


def test_only_http_urls() -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch("file:///etc/passwd")


def test_mock_transport_injected() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["user-agent"] == USER_AGENT
        return httpx.Response(
            200,
            text='{"text": "Mocked story about a mill."}',
            headers={"content-type": "application/x-ndjson"},
        )

    with make_client(transport=httpx.MockTransport(handler)) as c:
        items = list(read_url("https://mock.invalid/dump", c))
    assert (
        len(items) == 1 and isinstance(items[0], Document) and items[0].text == "Mocked story about a mill."
    )
    assert not isinstance(items[0], IngestError)
