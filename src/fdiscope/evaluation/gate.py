"""The quality gate: floors on evaluation figures, loaded from ``eval/floors.json``.

A floors file is a JSON object mapping a metric name of :meth:`Report.metrics
<fdiscope.evaluation.scoring.Report.metrics>` (``overall_slot_f1``, ``projects_slot_f1``,
``en_overall_slot_f1``, ``ru_trade_record_f1``, ...) to the lowest acceptable value in [0, 1].
Keys starting with ``_`` are comments and ignored.  A floor whose metric does not exist in the
report (a typo, or a language absent from the gold) fails, so a check can never pass by accident.
Besides the floors, the gate always checks that no evidence quote is bad.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .scoring import Report

__all__ = ["FloorsError", "Check", "load_floors", "parse_floors", "check_floors", "gate_passed"]


class FloorsError(ValueError):
    """The floors file cannot be read or is not a mapping of metric names to numbers in [0, 1]."""


@dataclass(frozen=True, slots=True)
class Check:
    """One gate check: ``value`` against ``floor`` (``value is None``: the metric is missing)."""

    name: str
    value: float | None
    floor: float
    passed: bool
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "floor": self.floor, "passed": self.passed}


def parse_floors(data: Any) -> dict[str, float]:
    """Validate parsed JSON floors: ``{metric: number in [0, 1]}``; ``_``-keys dropped."""
    if not isinstance(data, Mapping):
        raise FloorsError("floors must be a JSON object mapping metric names to numbers")
    floors: dict[str, float] = {}
    for key, value in data.items():
        if str(key).startswith("_"):
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise FloorsError(f"floor {key!r} must be a number, got {value!r}")
        if not 0.0 <= value <= 1.0:
            raise FloorsError(f"floor {key!r} must be between 0 and 1, got {value!r}")
        floors[str(key)] = float(value)
    return floors


def load_floors(path: str | Path) -> dict[str, float]:
    """Read and validate a floors file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise FloorsError(f"cannot read floors file {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise FloorsError(f"floors file {path} is not valid JSON: {exc}") from exc
    return parse_floors(data)


def check_floors(report: Report, floors: Mapping[str, float]) -> list[Check]:
    """One :class:`Check` per floor, then the evidence check (no bad quotes allowed)."""
    metrics = report.metrics()
    checks: list[Check] = []
    for name, floor in floors.items():
        value = metrics.get(name)
        if value is None:
            checks.append(Check(name, None, floor, False, "no such metric in this evaluation"))
        else:
            # Figures are compared as printed (6 decimals) so a floor copied from a report passes.
            checks.append(Check(name, value, floor, round(value, 6) >= floor))
    n_bad = len(report.bad_evidence)
    checks.append(Check("bad_evidence", float(n_bad), 0.0, n_bad == 0, "bad quotes must be 0"))
    return checks


def gate_passed(checks: list[Check]) -> bool:
    """True when every check passed."""
    return all(c.passed for c in checks)
