"""Evaluation: the slot-filling scorer of the annotation guidelines and the quality gate."""

from __future__ import annotations

from .gate import Check, FloorsError, check_floors, gate_passed, load_floors, parse_floors
from .scoring import (
    RECORD_TYPES,
    SCORED_FIELDS,
    BadEvidence,
    Counts,
    Report,
    Scores,
    TypeScores,
    names_equal,
    normalise_name,
    score_corpus,
    score_document,
)

__all__ = [
    "RECORD_TYPES",
    "SCORED_FIELDS",
    "BadEvidence",
    "Check",
    "Counts",
    "FloorsError",
    "Report",
    "Scores",
    "TypeScores",
    "check_floors",
    "gate_passed",
    "load_floors",
    "names_equal",
    "normalise_name",
    "parse_floors",
    "score_corpus",
    "score_document",
]
