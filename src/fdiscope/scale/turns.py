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
    """Turns for a local process pool: a counter in shared memory under a condition variable.

    Created by the driver before the pool and handed to each worker process when it starts
    (multiprocessing shares these objects at process start only).  Also usable by threads.

    Args:
        ctx: the multiprocessing context of the pool (default: "spawn").
        poll: seconds between checks of the abort flag while waiting.
    """

    def __init__(self, ctx: BaseContext | None = None, poll: float = 1.0) -> None:
        ctx = ctx or multiprocessing.get_context("spawn")
        self._cond = ctx.Condition()
        self._next: Any = ctx.RawValue("q", 0)
        self._aborted: Any = ctx.RawValue("b", 0)
        self._poll = poll

    @property
    def next(self) -> int:
        """The turn that is due: every partition before it has been written."""
        with self._cond:
            return int(self._next.value)

    def wait(self, seq: int) -> None:
        """Block until partition ``seq`` may write.

        Raises:
            TurnsAborted: :meth:`abort` was called.
        """
        with self._cond:
            while self._next.value < seq and not self._aborted.value:
                self._cond.wait(self._poll)
            if self._aborted.value:
                raise TurnsAborted("the ingest run was stopped")

    def done(self, seq: int) -> None:
        """Partition ``seq`` is written (or will not be): the next one may write."""
        with self._cond:
            if self._next.value <= seq:
                self._next.value = seq + 1
                self._cond.notify_all()

    def abort(self) -> None:
        """Wake every waiting worker with :class:`TurnsAborted`; no turn is given after this."""
        with self._cond:
            self._aborted.value = 1
            self._cond.notify_all()

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
