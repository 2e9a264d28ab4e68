"""Persistent storage: an SQLite database of documents, records and their evidence.

>>> from fdiscope.store import Store
>>> with Store(":memory:") as store:
...     store.count("documents")
0
"""

from __future__ import annotations

from .migrations import MIGRATIONS, MigrationError, apply_migrations
from .queries import RECORD_TYPES, QueryError, RecordFilter, fts_query
from .sqlite import (
    DEFAULT_DB,
    IngestError,
    Record,
    RecordNotFound,
    Store,
    StoredRecord,
    StoreError,
    default_db_path,
)

__all__ = [
    "DEFAULT_DB",
    "MIGRATIONS",
    "RECORD_TYPES",
    "IngestError",
    "MigrationError",
    "QueryError",
    "Record",
    "RecordFilter",
    "RecordNotFound",
    "Store",
    "StoreError",
    "StoredRecord",
    "apply_migrations",
    "default_db_path",
    "fts_query",
]
