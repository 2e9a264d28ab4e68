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

__all__ = ["LocalTurns", "Turns", "TurnsAborted"]


class TurnsAborted(RuntimeError):
    """The run was stopped while this partition waited for its turn."""


class Turns(Protocol):
    """Ordered write turns shared by the workers of a run."""

    def wait(self, seq: int) -> None: ...

    def done(self, seq: int) -> None: ...


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
