"""Write turns: workers write their own partitions, one after the other, in input order.

When the workers can reach the store themselves (a database file on this machine, or a
PostgreSQL server), each one writes the partition it extracted instead of sending the records
back to the driver: the writing then happens on the cores that extract, not on one extra
process that every worker waits for.  Writes still happen one at a time and in input order (so
near-duplicate links and record ids are those of a single-process run): partition ``seq`` is
written when the one before it is, which is what a turn is.

A turn is numbered by the partition's position in the run; :meth:`LocalTurns.wait` blocks until
every earlier partition has been written (or skipped), :meth:`LocalTurns.done` passes the turn on.
"""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing.context import BaseContext
from typing import Any, Protocol

__all__ = ["DaskTurns", "LocalTurns", "Turns", "TurnsAborted"]


class TurnsAborted(RuntimeError):
    """The run was stopped while this partition waited for its turn."""


class Turns(Protocol):
    """Ordered write turns shared by the workers of a run."""

    def wait(self, seq: int) -> None: ...

    def done(self, seq: int) -> None: ...


class DriverTurns(Turns, Protocol):
    """The driver's side of the turns."""

    @property
    def next(self) -> int: ...

    def abort(self) -> None: ...


class LocalTurns:
    """Turns for a local process pool: a counter in shared memory, polled.

    Created by the driver before the pool and handed to each worker process when it starts
    (multiprocessing shares these objects at process start only).  Also usable by threads.

    No condition variable: a process killed while waiting on one (the pool ends every worker
    when one dies) leaves it waiting for an acknowledgement that never comes, and the next
    ``notify`` blocks for good.  The counter only grows and is written by the turn's holder (or
    by the driver for a holder that was lost), so a waiter only needs to read it; it checks
    every few milliseconds, next to partitions that take seconds to extract.

    Args:
        ctx: the multiprocessing context of the pool (default: "spawn").
        poll: the longest pause between two checks, in seconds.
    """

    def __init__(self, ctx: BaseContext | None = None, poll: float = 0.02) -> None:
        ctx = ctx or multiprocessing.get_context("spawn")
        self._lock = ctx.Lock()  # only around the update, never while waiting
        self._next: Any = ctx.RawValue("q", 0)
        self._aborted: Any = ctx.RawValue("b", 0)
        self._poll = poll

    @property
    def next(self) -> int:
        """The turn that is due: every partition before it has been written."""
        return int(self._next.value)

    def wait(self, seq: int) -> None:
        """Block until partition ``seq`` may write.

        Raises:
            TurnsAborted: :meth:`abort` was called.
        """
        pause = 0.001
        while self._next.value < seq and not self._aborted.value:
            time.sleep(pause)
            pause = min(self._poll, pause * 2)
        if self._aborted.value:
            raise TurnsAborted("the ingest run was stopped")

    def done(self, seq: int) -> None:
        """Partition ``seq`` is written (or will not be): the next one may write."""
        # a lock left held by a process killed inside this critical section must not stop the run
        locked = self._lock.acquire(timeout=5)
        try:
            if self._next.value <= seq:
                self._next.value = seq + 1
        finally:
            if locked:
                self._lock.release()

    def abort(self) -> None:
        """Make every waiting worker raise :class:`TurnsAborted`; no turn is given after this."""
        self._aborted.value = 1

    @property
    def aborted(self) -> bool:
        return bool(self._aborted.value)


class DaskTurns:
    """Turns for a Dask cluster: one ``distributed.Event`` per turn, set when it is due.

    It travels with each task (only its names are pickled).  A task waiting for its turn
    leaves its worker's thread pool (``distributed.secede``), so the worker can run the
    partition whose turn comes first even if the scheduler started them out of order.  Events
    are never cleared during a run: a task the scheduler runs again (its worker was lost after
    the write) finds its turn still set and goes on; they go with the scheduler.

    Args:
        run: a name unique to the backend (the events' prefix).
        client: the driver's client (for :meth:`start` and :meth:`abort`; not pickled).
        poll: seconds between checks of the abort event while waiting.
    """

    def __init__(self, run: str, client: Any = None, poll: float = 1.0) -> None:
        self.run = run
        self.client = client
        self.poll = poll
        self.given = 0  # on the driver: turns handed out so far (see next)
        if client is not None:
            self._event(0).set()

    def __reduce__(self) -> tuple[Any, ...]:
        return (DaskTurns, (self.run, None, self.poll))

    def _event(self, name: str | int) -> Any:
        from distributed import Event

        return Event(f"{self.run}-{name}", client=self.client)

    @property
    def next(self) -> int:
        """On the driver: the first turn of its next run (every earlier one was handed out)."""
        return self.given

    def wait(self, seq: int) -> None:
        from distributed import secede

        secede()
        event, abort = self._event(seq), self._event("abort")
        while not event.wait(self.poll):
            if abort.is_set():
                raise TurnsAborted("the ingest run was stopped")

    def done(self, seq: int) -> None:
        self._event(seq + 1).set()

    def abort(self) -> None:
        self._event("abort").set()

    @property
    def aborted(self) -> bool:
        return bool(self._event("abort").is_set())
