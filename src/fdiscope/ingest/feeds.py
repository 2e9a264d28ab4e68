"""RSS and Atom feeds to documents: one document per item.

feedparser (imported lazily) reads RSS 0.9x/1.0/2.0 and Atom, from bytes so that it applies
the XML encoding rules itself.  A feed that feedparser flags as ill-formed ("bozo") still gives
its items when it recovered any; only a feed with no version and no items is :class:`BrokenFeed`.
Item links are resolved against the feed URL (or the feed's own link), HTML in summaries and
content is reduced to text with entities decoded, and dates keep the item's own calendar date.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from ..model import Document
from .documents import build_document, compose_text, iso_date
from .errors import BrokenFeed, EmptyInput, IngestError
from .html import html_to_text

__all__ = ["FeedItem", "parse_feed", "feed_documents", "item_document"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item of a feed, text already stripped of HTML."""

    title: str | None
    link: str | None
    published: str | None
    text: str
    index: int  # 1-based position in the feed


def _entry_text(entry: Any) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    raw = max(contents, key=len) if contents else entry.get("summary", "") or entry.get("description", "")
    return html_to_text(raw) if raw else ""


def _entry_date(entry: Any) -> str | None:
    # the string keeps the publisher's own calendar date; the parsed struct is shifted to UTC
    for key in ("published", "updated", "created"):
        if value := iso_date(entry.get(key)):
            return value
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        if value := iso_date(entry.get(key)):
            return value
    return None


def parse_feed(data: bytes, *, url: str | None = None, content_type: str | None = None) -> list[FeedItem]:
    """Items of an RSS/Atom feed.

    Args:
        data: the raw feed bytes.
        url: the feed's URL; relative item links are resolved against it.
        content_type: the HTTP Content-Type header, if any (its charset is honoured).

    Raises:
        BrokenFeed: not a feed, or so ill-formed that no item could be read.
        EmptyInput: a well-formed feed without items.
    """
    import feedparser  # lazy: keeps `import fdiscope` fast

    # without a content type feedparser flags every feed as bozo; XML's own rules apply then
    headers = {"content-type": content_type or "application/xml"}
    if url:
        headers["content-location"] = url
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True)
    entries = parsed.get("entries", [])
    if not entries:
        if parsed.get("bozo"):
            exc = parsed.get("bozo_exception")
            raise BrokenFeed(f"not a readable RSS/Atom feed ({type(exc).__name__}: {exc})")
        if not parsed.get("version"):
            raise BrokenFeed("not an RSS/Atom feed (no <rss>, <feed> or <rdf:RDF> root)")
        raise EmptyInput("the feed has no items")
    if parsed.get("bozo"):
        log.warning("feed %s is ill-formed but readable: %s", url or "", parsed.get("bozo_exception"))
    base = url or parsed.get("feed", {}).get("link") or None
    items: list[FeedItem] = []
    for i, entry in enumerate(entries, start=1):
        link = entry.get("link") or None
        if link and base:
            link = urljoin(base, link)
        title = html_to_text(entry.get("title", "")) or None
        items.append(FeedItem(title, link, _entry_date(entry), _entry_text(entry), i))
    return items


def item_document(item: FeedItem, *, source: str | None = None, language: str | None = None) -> Document:
    """A document from a feed item's title and summary/content.

    Raises:
        EmptyInput: the item has neither title nor text.
    """
    text = compose_text(item.title, item.text)
    if not text:
        raise EmptyInput(f"feed item {item.index} has no title and no text")
    return build_document(
        text,
        title=item.title,
        url=item.link,
        published=item.published,
        language=language,
        source=f"{source}#{item.index}" if source else item.link,
    )


def feed_documents(
    data: bytes, *, url: str | None = None, source: str | None = None, content_type: str | None = None
) -> Iterator[Document | IngestError]:
    """One document (or error) per item of a feed; a broken feed yields one error.

    Sources of items are ``"{source}#{n}"`` with the item's 1-based position.
    """
    source = source or url
    try:
        items = parse_feed(data, url=url, content_type=content_type)
    except IngestError as exc:
        yield exc.at(source)
        return
    for item in items:
        try:
            yield item_document(item, source=source)
        except IngestError as exc:
            yield exc.at(f"{source}#{item.index}" if source else None)
