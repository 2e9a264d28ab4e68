"""Ingest: turn HTML pages, RSS/Atom feeds, JSONL dumps, raw bytes and URLs into documents.

The readers yield ``Document | IngestError`` and never stop on bad input (plus
``AlreadyStored`` markers when given a ``seen`` callback, see :mod:`.readers`)::

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
from .documents import (
    AlreadyStored,
    build_document,
    compose_text,
    iso_date,
    normalise_text,
    plain_text_document,
    raw_hash,
)
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
from .inputs import STDIN, Input, InputInfo, expand_inputs, is_url, read_inputs, read_url_list
from .jsonl import read_jsonl_bytes, read_jsonl_file, record_document
from .lang import SUPPORTED_LANGUAGES, UNDETERMINED, detect_language
from .readers import (
    DEFAULT_MAX_BYTES,
    Item,
    Seen,
    files_under,
    read_bytes,
    read_fetched,
    read_file,
    read_path,
    read_paths,
    read_url,
    sniff_format,
)

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
    "read_fetched",
    "read_file",
    "files_under",
    "sniff_format",
    "Item",
    "Seen",
    "AlreadyStored",
    # inputs of a batch
    "STDIN",
    "Input",
    "InputInfo",
    "expand_inputs",
    "is_url",
    "read_inputs",
    "read_url_list",
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
    "raw_hash",
    "detect_language",
    "SUPPORTED_LANGUAGES",
    "UNDETERMINED",
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
