"""Scale-out ingest: extraction on a local process pool or a Dask cluster, written in input order.

>>> from fdiscope.scale import ingest_scaled
>>> from fdiscope.store import Store
>>> from fdiscope.synth import synth_documents
>>> with Store(":memory:") as store:  # doctest: +SKIP
...     ingest_scaled(store, synth_documents(1000), workers=2).summary()
'ingested 1000, duplicates 0, failed 0'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from ..ingest.batch import IngestReport, ItemOutcome
from ..model import Document
from ..pipeline import Doc
from ..store import Store
from .partition import DEFAULT_PARTITION_SIZE, Item, partitions
from .runner import Backend, ProcessBackend, ScaleError, default_workers, ingest_parallel
from .workers import Extracted, extract_partition

__all__ = [
    "Backend",
    "DEFAULT_PARTITION_SIZE",
    "Extracted",
    "Item",
    "ProcessBackend",
    "ScaleError",
    "default_workers",
    "extract_partition",
    "ingest_parallel",
    "ingest_scaled",
    "ingest_scaled_sources",
    "make_backend",
    "partitions",
]


def make_backend(
    workers: int | None = None,
    dask: str | None = None,
    extractor: Callable[[Document], Doc] | None = None,
) -> Backend:
    """A Dask backend when ``dask`` is given (``"local"`` starts a LocalCluster of ``workers``),
    else a local process pool of ``workers`` (default: one per available CPU)."""
    if dask:
        from .dask_runner import DaskBackend

        return DaskBackend(dask, workers=workers, extractor=extractor)
    return ProcessBackend(workers or default_workers(), extractor=extractor)


def ingest_scaled(
    store: Store,
    items: Iterable[Any],
    *,
    workers: int | None = None,
    dask: str | None = None,
    partition_size: int | None = None,
    extractor: Callable[[Document], Doc] | None = None,
    on_item: Callable[[ItemOutcome], None] | None = None,
) -> IngestReport:
    """Start the workers, ingest ``items`` through them (see :func:`ingest_parallel`), stop them."""
    backend = make_backend(workers, dask, extractor)
    try:
        return ingest_parallel(store, items, backend, partition_size=partition_size, on_item=on_item)
    finally:
        backend.close()


def ingest_scaled_sources(
    store: Store,
    sources: Iterable[str],
    *,
    workers: int | None = None,
    dask: str | None = None,
    url_lists: Iterable[str | os.PathLike[str]] = (),
    follow: bool = False,
    max_bytes: int | None = None,
    on_item: Callable[[ItemOutcome], None] | None = None,
) -> IngestReport:
    """What ``fdiscope ingest --workers N`` / ``--dask ADDRESS`` runs: the same readers as the
    single-process ingest (inputs whose raw bytes are stored are skipped), extraction on workers."""
    from ..ingest.fetch import DEFAULT_MAX_BYTES
    from ..ingest.inputs import expand_inputs, read_inputs

    inputs = expand_inputs(list(sources), url_lists=url_lists)
    items = read_inputs(inputs, follow=follow, max_bytes=max_bytes or DEFAULT_MAX_BYTES, seen=store.has_raw)
    return ingest_scaled(store, items, workers=workers, dask=dask, on_item=on_item)
