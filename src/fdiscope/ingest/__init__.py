"""Ingest: turn HTML pages, RSS/Atom feeds, JSONL dumps, raw bytes and URLs into documents.

The readers yield ``Document | IngestError`` and never stop on bad input::

    from fdiscope.ingest import read_path, read_url, make_client, NearDuplicateIndex

    for item in read_path("corpus/"):
        if isinstance(item, IngestError):
            print("skipped", item)          # e.g. "corpus/dump.jsonl:7: invalid JSON (...)"
        else:
            store(item)

Heavy libraries (trafilatura, feedparser, lingua, httpx, charset-normalizer) are imported
inside the functions that need them, so importing this package is cheap.
"""

from .dedupe import NearDuplicateIndex, jaccard_estimate, minhash, shingles
from .documents import build_document, compose_text, iso_date, normalise_text, plain_text_document
from .encoding import Decoded, decode, russian_score
from .errors import (
    BinaryInput,
    BrokenFeed,
    EmptyInput,
    FetchError,
    IngestError,
    MalformedRecord,
    TooLarge,
    Undecodable,
    UnsupportedFormat,
)
from .feeds import FeedItem, feed_documents, parse_feed
from .fetch import USER_AGENT, Fetched, fetch, make_client
from .html import extract_html, extract_page, html_to_text
from .jsonl import read_jsonl_bytes, read_jsonl_file, record_document
from .lang import detect_language
from .readers import DEFAULT_MAX_BYTES, read_bytes, read_path, read_paths, read_url, sniff_format

__all__ = [
    # errors
    "IngestError",
    "EmptyInput",
    "BinaryInput",
    "UnsupportedFormat",
    "TooLarge",
    "Undecodable",
    "MalformedRecord",
    "BrokenFeed",
    "FetchError",
    # readers
    "DEFAULT_MAX_BYTES",
    "read_bytes",
    "read_path",
    "read_paths",
    "read_url",
    "sniff_format",
    # formats
    "Decoded",
    "decode",
    "russian_score",
    "extract_html",
    "extract_page",
    "html_to_text",
    "FeedItem",
    "parse_feed",
    "feed_documents",
    "record_document",
    "read_jsonl_bytes",
    "read_jsonl_file",
    # documents
    "build_document",
    "plain_text_document",
    "compose_text",
    "iso_date",
    "normalise_text",
    "detect_language",
    # fetching
    "USER_AGENT",
    "Fetched",
    "fetch",
    "make_client",
    # near-duplicates
    "NearDuplicateIndex",
    "minhash",
    "jaccard_estimate",
    "shingles",
]
