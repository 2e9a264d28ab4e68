"""Streaming partitions of an input stream, and skipping what the store already holds.

Nothing here materialises the corpus: a partition is a short list cut from an iterator, and
the next one is cut only when the caller asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from ..ingest.errors import IngestError
from ..model import Document

__all__ = ["Item", "partitions", "DEFAULT_PARTITION_SIZE"]

#: What an ingest stream yields: documents, and errors met while reading them.
Item = Document | IngestError

#: Documents per partition: large enough that scheduling costs vanish next to extraction
#: (~6 ms a document), small enough that few documents are in flight at once.
DEFAULT_PARTITION_SIZE = 64

T = TypeVar("T")


def partitions(items: Iterable[T], size: int = DEFAULT_PARTITION_SIZE) -> Iterator[list[T]]:
    """Cut ``items`` into consecutive lists of at most ``size``, lazily.

    >>> [p for p in partitions(range(5), 2)]
    [[0, 1], [2, 3], [4]]

    Raises:
        ValueError: ``size`` is not positive.
    """
    if size < 1:
        raise ValueError(f"partition size must be at least 1, got {size}")
    it = iter(items)
    while part := list(islice(it, size)):
        yield part
