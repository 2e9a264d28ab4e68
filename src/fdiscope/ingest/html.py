"""HTML pages to documents: trafilatura for the main text and metadata, lxml as the fallback.

trafilatura (imported lazily) finds the article body, title, site name and the page's own
publication date (``original_date``: the date the page declares, not the last-modified one).
When it returns nothing — short pages fall under its minimum size — a plain lxml pass keeps the
text of the body without scripts, navigation, headers and footers.
"""

from __future__ import annotations

import html as htmllib
import logging
import re
import warnings
from dataclasses import dataclass
from typing import Any

from ..model import Document
from .documents import build_document, compose_text, iso_date
from .errors import EmptyInput

__all__ = ["PageInfo", "extract_html", "extract_page", "html_to_text"]

log = logging.getLogger(__name__)

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table blockquote section article pre dd dt hr".split()
)
_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe")
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "DC.date.issued",
)
_MANY_NEWLINES = re.compile(r"\n{3,}")
_INLINE_SPACE = re.compile(r"[ \t\f\v\u00a0]+")


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What was read from one HTML page before it becomes a document."""

    text: str
    title: str | None
    published: str | None
    sitename: str | None
    url: str | None
    extractor: str  # "trafilatura" or "fallback"


def _clean_lines(text: str) -> str:
    lines = [_INLINE_SPACE.sub(" ", ln).strip() for ln in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def _parse(markup: str) -> Any:
    import lxml.html

    markup = _XML_DECL.sub("", markup, count=1)
    try:
        return lxml.html.document_fromstring(markup)
    except Exception:  # lxml raises ParserError/ValueError on markup it cannot read at all
        return None


def _tree_text(root: Any) -> str:
    for el in root.iter(*_DROP_TAGS):
        el.drop_tree() if el.getparent() is not None else None
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
            if el.tag.lower() in ("p", "div", "li", "br") or el.tag.lower().startswith("h"):
                el.text = "\n" + (el.text or "")
    return _clean_lines(root.text_content())


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment: tags removed, entities decoded, paragraphs kept.

    >>> html_to_text("<p>Caf&eacute; &amp; bar</p><p>Second&nbsp;line</p>")
    'Café & bar\\nSecond line'
    >>> html_to_text("AT&amp;T plans")
    'AT&T plans'
    """
    if "<" not in fragment:
        return _clean_lines(htmllib.unescape(fragment))
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # unparseable fragment: strip tags by pattern
        return _clean_lines(htmllib.unescape(re.sub(r"<[^>]*>", " ", fragment)))
    text = _tree_text(root)
    return re.sub(r"\n+", "\n", text)


def _fallback(markup: str, url: str | None) -> PageInfo:
    root = _parse(markup)
    if root is None:
        return PageInfo("", None, None, None, url, "fallback")
    title = None
    titles = root.xpath("//title/text()") or root.xpath("//h1//text()")
    if titles:
        title = " ".join(t.strip() for t in titles if t.strip()) or None
    published = None
    for meta in root.xpath("//meta[@content]"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        if key in _DATE_META and (published := iso_date(meta.get("content"))):
            break
    if published is None:
        for stamp in root.xpath("//time/@datetime"):
            if published := iso_date(stamp):
                break
    sitename = next(iter(root.xpath("//meta[@property='og:site_name']/@content")), None)
    bodies = root.xpath("//body")
    text = _tree_text(bodies[0] if bodies else root)
    return PageInfo(text, title, published, sitename, url, "fallback")


def extract_page(markup: str, *, url: str | None = None) -> PageInfo:
    """Main text and metadata of an HTML page (trafilatura, else the lxml fallback).

    Args:
        markup: the decoded HTML.
        url: where the page was found; helps trafilatura and is kept as the page URL.
    """
    import trafilatura  # lazy: heavy import

    markup = _XML_DECL.sub("", markup, count=1)
    result: Any = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            result = trafilatura.bare_extraction(
                markup,
                url=url,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                date_extraction_params={"original_date": True, "extensive_search": False},
            )
    except Exception as exc:  # trafilatura's cascade can fail on odd markup; the fallback copes
        log.warning("trafilatura failed on %s: %s", url or "page", exc)
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not text:
        return _fallback(markup, url)
    return PageInfo(
        text=_clean_lines(text),
        title=getattr(result, "title", None) or None,
        published=iso_date(getattr(result, "date", None)),
        sitename=getattr(result, "sitename", None) or None,
        url=getattr(result, "url", None) or url,
        extractor="trafilatura",
    )


def extract_html(
    markup: str,
    *,
    url: str | None = None,
    source: str | None = None,
    title: str | None = None,
    published: str | None = None,
    language: str | None = None,
) -> Document:
    """One document from an HTML page; the title becomes the first paragraph of the text.

    Args:
        markup: decoded HTML.
        url: the page URL, if known.
        source: where it was read from (path or URL); defaults to ``url``.
        title, published: used when the page itself has none (e.g. from a feed item).
        language: the language when known; detected otherwise.

    Raises:
        EmptyInput: no text could be extracted.
    """
    page = extract_page(markup, url=url)
    if not page.text:
        raise EmptyInput("no text found in the HTML page")
    page_title = page.title or title
    return build_document(
        compose_text(page_title, page.text),
        title=page_title,
        url=url or page.url,
        published=page.published or published,
        language=language,
        source=source or url,
        sitename=page.sitename,
    )
