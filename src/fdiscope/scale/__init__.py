"""Scale-out ingest: extraction on a local process pool or a Dask cluster, writes by the driver.

>>> from fdiscope.scale import ingest_scaled
>>> from fdiscope.store import Store
>>> from fdiscope.synth import synth_documents
>>> with Store(":memory:") as store:  # doctest: +SKIP
...     ingest_scaled(store, synth_documents(1000), workers=2).summary()
'ingested 1000, duplicates 0, failed 0'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..model import Document
from ..pipeline import Doc
from ..service import IngestReport, ItemOutcome
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
    items: Iterable[Item],
    *,
    workers: int | None = None,
    dask: str | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    extractor: Callable[[Document], Doc] | None = None,
    on_item: Callable[[ItemOutcome], None] | None = None,
) -> IngestReport:
    """Start the workers, ingest ``items`` through them (see :func:`ingest_parallel`), stop them."""
    backend = make_backend(workers, dask, extractor)
    try:
        return ingest_parallel(store, items, backend, partition_size=partition_size, on_item=on_item)
    finally:
        backend.close()
