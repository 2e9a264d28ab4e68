"""``fdiscope extract DOCS.jsonl -o PRED.jsonl``: run the extractor over a JSONL file of documents.

Each input line is a JSON object with ``doc_id`` and ``text`` (strings) and optionally
``published``, ``language``, ``url``, ``title`` (strings or null); other keys are ignored.  Each
good line gives one output line, :func:`fdiscope.extract.to_prediction` of the document, under
the input's ``doc_id``.  A malformed line (bad JSON, not an object, missing/ill-typed keys, a
repeated ``doc_id``) or a document the extractor fails on gets one ``error:`` line on stderr and
no output line - a prediction is never invented - the rest goes on, and the exit code is 1.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

import click

from ..extract import extract, to_prediction
from ..model import Document
from . import main

__all__ = ["extract_cmd", "parse_document_line", "MalformedLine", "PROGRESS_THRESHOLD"]

#: More documents than this get a progress bar (when stderr is a terminal).
PROGRESS_THRESHOLD = 50

_OPTIONAL = ("published", "language", "url", "title")


class MalformedLine(ValueError):
    """An input line that is not a usable document."""


def parse_document_line(line: str) -> Document:
    """The :class:`~fdiscope.model.Document` of one JSONL line, or :class:`MalformedLine`."""
    try:
        obj: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedLine(f"invalid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(obj, dict):
        raise MalformedLine(f"expected a JSON object, got {type(obj).__name__}")
    doc_id = obj.get("doc_id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise MalformedLine("missing or empty 'doc_id' (must be a non-empty string)")
    text = obj.get("text")
    if not isinstance(text, str):
        raise MalformedLine(f"doc {doc_id!r}: missing 'text' (must be a string)")
    extra: dict[str, str | None] = {}
    for key in _OPTIONAL:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise MalformedLine(f"doc {doc_id!r}: {key!r} must be a string or null")
        extra[key] = value
    return Document(
        id=doc_id,
        text=text,
        published=extra["published"],
        language=extra["language"],
        url=extra["url"],
        title=extra["title"],
    )


def _prediction_line(document: Document, doc_id: str) -> str:
    """The output line of one document: its schema-v1.1 prediction under ``doc_id``."""
    prediction = to_prediction(extract(document))
    prediction["doc_id"] = doc_id
    return json.dumps(prediction, ensure_ascii=False) + "\n"


def _looks_like_jsonl(path: Path) -> bool:
    """A ``.jsonl`` file, or one whose first non-blank character opens a JSON object."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return True
    with open(path, "rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] == b"{"


def _extract_file(docs: str, output: str) -> None:
    """Documents of one text, HTML or feed file (one per article), each under its source as doc_id."""
    from ..ingest.errors import IngestError
    from ..ingest.readers import read_file

    errors = done = 0
    out = _open_output(output)
    try:
        for item in read_file(docs):
            if isinstance(item, IngestError):
                errors += 1
                click.echo(f"error: {item.source or docs}: {item.reason}; skipped", err=True)
                continue
            if not isinstance(item, Document):
                continue  # input boundaries and the like
            doc_id = item.source or docs
            try:
                line = _prediction_line(item, doc_id)
            except Exception as exc:  # one bad document must not stop the batch
                errors += 1
                click.echo(f"error: {doc_id}: extraction failed: {type(exc).__name__}: {exc}", err=True)
                continue
            out.write(line)
            done += 1
    finally:
        if out is not sys.stdout:
            out.close()
    click.echo(f"extracted {done} documents from {docs}", err=True)
    if errors or not done:
        if not done and not errors:
            click.echo(f"error: {docs}: no document found", err=True)
        sys.exit(1)


def _open_output(path: str) -> TextIO:
    if path == "-":
        return sys.stdout
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller


@main.command("extract")
@click.argument("docs", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Where to write the predictions (JSONL, one line per document; '-' for stdout).",
)
def extract_cmd(docs: str, output: str) -> None:
    """Extract projects, trade figures and events from the documents in DOCS.

    DOCS is a JSONL file of documents (doc_id, text, published, language, url, title), or a
    single text, HTML or RSS/Atom file read the way `fdiscope ingest` reads it.
    """
    from tqdm import tqdm

    if docs != "-" and not _looks_like_jsonl(Path(docs)):
        _extract_file(docs, output)  # a text, HTML or feed file: read it the way `ingest` does
        return
    if docs == "-":
        lines = sys.stdin.read().splitlines()
    else:
        lines = Path(docs).read_text(encoding="utf-8-sig").splitlines()
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]

    errors = 0
    done = 0
    seen: set[str] = set()
    started = time.perf_counter()
    show_bar = len(numbered) > PROGRESS_THRESHOLD and sys.stderr.isatty()
    out = _open_output(output)

    def report(message: str) -> None:
        if show_bar:
            tqdm.write(message, file=sys.stderr)  # keeps the bar intact
        else:
            click.echo(message, err=True)

    try:
        with tqdm(total=len(numbered), file=sys.stderr, disable=not show_bar, unit="doc") as bar:
            for n, line in numbered:
                bar.update(1)
                try:
                    document = parse_document_line(line)
                    if document.id in seen:
                        raise MalformedLine(f"doc {document.id!r}: doc_id repeated")
                except MalformedLine as exc:
                    errors += 1
                    report(f"error: {docs}:{n}: {exc}; line skipped")
                    continue
                seen.add(document.id)
                try:
                    line = _prediction_line(document, document.id)
                except Exception as exc:  # one bad document must not stop the batch
                    errors += 1
                    report(
                        f"error: {docs}:{n}: extraction failed for {document.id!r}: "
                        f"{type(exc).__name__}: {exc}; no prediction written"
                    )
                    continue
                out.write(line)
                done += 1
    finally:
        if out is not sys.stdout:
            out.close()
    elapsed = time.perf_counter() - started
    rate = done / elapsed if elapsed > 0 else 0.0
    click.echo(f"extracted {done} documents in {elapsed:.2f} s ({rate:.1f} docs/s)", err=True)
    if errors:
        click.echo(f"error: {errors} line(s) could not be extracted", err=True)
        sys.exit(1)
