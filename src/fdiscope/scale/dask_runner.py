"""Extraction on a Dask cluster: ``--dask tcp://host:8786``, or ``--dask local`` for a LocalCluster.

On a LocalCluster the workers write their partitions to the store themselves, in turns
(:class:`~fdiscope.scale.turns.DaskTurns`); on a cluster reached by address only extraction runs
there and the driver writes (its database may not be reachable from other machines; see
:mod:`fdiscope.scale.runner`).  Workers need fdiscope installed in the same version.
"""

from __future__ import annotations

import gc
import logging
import uuid
import warnings
from collections.abc import Callable
from typing import Any

from ..model import Document
from ..pipeline import Doc
from .runner import PendingResult, PendingWrite, ScaleError, warm_worker
from .turns import DaskTurns
from .workers import WriteTask, extract_and_write, extract_partition

__all__ = ["DaskBackend", "LOCAL"]

log = logging.getLogger(__name__)

#: The address that starts a LocalCluster on this machine instead of connecting.
LOCAL = "local"


class DaskBackend:
    """Partitions go to a ``dask.distributed`` cluster.

    Args:
        address: a scheduler address, or ``"local"`` to start a LocalCluster of ``workers``
            single-threaded worker processes (closed again by :meth:`close`).
        workers: LocalCluster size (default 2); ignored when connecting to a scheduler.
        extractor: a module-level function document -> carrier (default: the standard pipeline).
        timeout: seconds to wait for the scheduler.

    Raises:
        ScaleError: dask.distributed is not installed, or the scheduler cannot be reached.
    """

    def __init__(
        self,
        address: str,
        workers: int | None = None,
        extractor: Callable[[Document], Doc] | None = None,
        timeout: float = 30,
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ScaleError(
                "--dask needs dask.distributed; install it with: pip install 'fdiscope[scale]'"
            ) from exc
        self.extractor = extractor
        self._cluster: Any = None
        try:
            if address == LOCAL:
                # One thread per worker: extraction is pure Python, threads would share one GIL.
                self._cluster = LocalCluster(
                    n_workers=workers or 2,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    host="127.0.0.1",
                )
                self.client = Client(self._cluster, timeout=timeout)
            else:
                self.client = Client(address, timeout=timeout)
        except OSError as exc:
            self._close_cluster()
            raise ScaleError(
                f"cannot reach the Dask scheduler at {address!r}: {exc}; "
                "check the address (tcp://HOST:8786) or use --dask local"
            ) from exc
        #: workers on this machine can open the driver's database file
        self.can_write = address == LOCAL
        self.turns = DaskTurns(f"fdiscope-write-{uuid.uuid4().hex}", self.client)
        self.client.run(warm_worker)
        info = self.client.scheduler_info()["workers"]
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.values()))
        log.info("dask: %d worker threads at %s", self.workers, self.client.scheduler.address)

    def submit(self, documents: list[Document]) -> PendingResult:
        future: PendingResult = self.client.submit(extract_partition, documents, self.extractor, pure=False)
        return future

    def submit_write(self, task: WriteTask) -> PendingWrite:
        self.turns.given = max(self.turns.given, task.seq + 1)
        future: PendingWrite = self.client.submit(
            extract_and_write, task, self.turns, self.extractor, pure=False
        )
        return future

    def _close_cluster(self) -> None:
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def close(self) -> None:
        self.turns.abort()  # a task still waiting for a turn gives up
        self.client.close()
        self._close_cluster()
        # distributed leaves its HTTP listener socket to the garbage collector; collect it here,
        # quietly, rather than have a ResourceWarning surface later in unrelated code.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()

    def __enter__(self) -> DaskBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
