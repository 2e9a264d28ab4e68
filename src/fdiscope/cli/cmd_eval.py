"""``fdiscope eval GOLD.jsonl PRED.jsonl [--json] [--floors FILE] [--lang en|ru]``.

Scores predictions against gold with :func:`fdiscope.evaluation.score_corpus` and prints a table
(or the report as JSON).  With ``--floors`` it also runs the quality gate.  Exit codes: 0 done (and
the gate passed), 1 the gate failed (a floor not reached or a bad evidence quote), 2 unreadable
input (malformed JSONL line, bad floors file).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from ..evaluation.gate import Check, FloorsError, check_floors, gate_passed, load_floors
from ..evaluation.scoring import RECORD_TYPES, Counts, Report, score_corpus
from . import main

__all__ = ["eval_cmd", "read_jsonl", "format_report", "format_checks", "InputError"]

_SHOWN_BAD_EVIDENCE = 10


class InputError(ValueError):
    """A JSONL file that cannot be read as one JSON object per line."""


def read_jsonl(path: str) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL file (blank lines skipped); :class:`InputError` on a bad line."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{n}: invalid JSON ({exc.msg} at column {exc.colno})") from exc
        if not isinstance(obj, dict) or "doc_id" not in obj:
            raise InputError(f"{path}:{n}: expected a JSON object with a 'doc_id'")
        yield obj


def _row(label: str, c: Counts, width: int = 22) -> str:
    return (
        f"{label:<{width}} P {c.precision:6.3f}  R {c.recall:6.3f}  F1 {c.f1:6.3f}"
        f"   TP {c.tp:5d}  FP {c.fp:5d}  FN {c.fn:5d}"
    )


def format_report(report: Report) -> str:
    """The human-readable table of a report."""
    s = report.scores
    lines = [
        f"documents: {report.documents}   missing predictions: {len(report.missing_predictions)}"
        f"   ignored predictions: {len(report.ignored_predictions)}",
        "",
        "records / slots per type",
    ]
    for t in RECORD_TYPES:
        ts = s.types[t]
        lines.append(_row(f"  {t} records", ts.records))
        lines.append(_row(f"  {t} slots", ts.slots))
    lines.append(_row("overall slots", s.overall))
    lines += ["", "per language (slots)"]
    for lang, ls in report.by_language.items():
        lines.append(_row(f"  {lang} overall", ls.overall))
        for t in RECORD_TYPES:
            lines.append(_row(f"    {lang} {t}", ls.types[t].slots))
    lines += ["", "per field (slots)"]
    for t in RECORD_TYPES:
        for name, c in s.types[t].fields.items():
            lines.append(_row(f"  {t}.{name}", c, width=30))
    lines += ["", f"bad evidence quotes: {len(report.bad_evidence)}"]
    for b in report.bad_evidence[:_SHOWN_BAD_EVIDENCE]:
        lines.append(f"  {b.doc_id} {b.record_type}[{b.record_index}].{b.field}: {b.reason}")
    if len(report.bad_evidence) > _SHOWN_BAD_EVIDENCE:
        lines.append(f"  ... and {len(report.bad_evidence) - _SHOWN_BAD_EVIDENCE} more")
    return "\n".join(lines)


def format_checks(checks: list[Check]) -> str:
    """One PASS/FAIL line per gate check and a verdict."""
    lines = ["", "quality gate"]
    for c in checks:
        verdict = "PASS" if c.passed else "FAIL"
        if c.name == "bad_evidence":
            lines.append(f"  {verdict}  bad_evidence = {int(c.value or 0)} (must be 0)")
        elif c.value is None:
            lines.append(f"  {verdict}  {c.name}: {c.note} (floor {c.floor:.3f})")
        else:
            lines.append(f"  {verdict}  {c.name} = {c.value:.3f} (floor {c.floor:.3f})")
    lines.append("gate: PASSED" if gate_passed(checks) else "gate: FAILED")
    return "\n".join(lines)


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("pred", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--floors",
    type=click.Path(exists=True, dir_okay=False),
    help="Floors file (e.g. eval/floors.json): fail (exit 1) when a figure is below its floor.",
)
@click.option("--lang", type=click.Choice(["en", "ru"]), help="Score only gold documents of this language.")
def eval_cmd(gold: str, pred: str, as_json: bool, floors: str | None, lang: str | None) -> None:
    """Score PRED (JSONL predictions) against GOLD (JSONL annotations) by the guidelines."""
    try:
        floor_map = load_floors(floors) if floors else None
        report = score_corpus(list(read_jsonl(gold)), list(read_jsonl(pred)), lang=lang)
    except (InputError, FloorsError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    checks = check_floors(report, floor_map) if floor_map is not None else None

    if as_json:
        data = report.to_dict()
        if checks is not None:
            data["gate"] = {"passed": gate_passed(checks), "checks": [c.to_dict() for c in checks]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))
        if checks is not None:
            click.echo(format_checks(checks))
    if checks is not None and not gate_passed(checks):
        sys.exit(1)
