"""Ingest throughput: ``fdiscope ingest`` work (read, dedupe, extract, store) on HTML pages and JSONL.

Inputs are generated in a temporary folder at run time from the benchmark texts (the dev set,
read by run.py, or its template fallback): each text wrapped in an HTML page with navigation and
footer, or written as one JSON line.  Every copy of a cycled text gets its own final line so it
is a new document (no exact duplicate is skipped; copies are linked as near-duplicates, which
costs the same work).  Each timed repeat ingests into a fresh SQLite file.
"""

from __future__ import annotations

import html
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from run import Context, Result, Text, Timing, Unavailable, count_words, cycle_to, interleave, register

#: Documents per benchmark at most (full extraction runs; keep `make bench` within minutes).
MAX_DOCS = 400


def _texts(ctx: Context) -> list[Text]:
    if not ctx.texts:
        raise Unavailable("no texts")
    return cycle_to(ctx.texts, min(ctx.docs, MAX_DOCS))


def _page(t: Text, i: int) -> str:
    title, _, body = t.text.partition("\n")
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
    date = f'<meta property="article:published_time" content="{t.published}">' if t.published else ""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>{date}</head>"
        "<body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><article>"
        f"<h1>{html.escape(title)}</h1>{paras}<p>Copy {i}.</p></article>"
        "<footer>Contacts, terms, cookies.</footer></body></html>"
    )


def _ingest_runner(source: Path, work: Path) -> tuple[Callable[[], object], Callable[[], object]]:
    """(full ingest into a fresh database, reading only) for one input path."""
    from fdiscope.ingest import batch, expand_inputs, read_inputs
    from fdiscope.store import Store

    counter = [0]

    def full() -> object:
        counter[0] += 1
        with Store(work / f"run{counter[0]}.db") as store:
            report = batch.ingest_sources(store, [str(source)])
        if report.failed:
            raise RuntimeError(f"ingest failed on {report.failed} items: {report.failures[:3]}")
        return report.ingested

    def read_only() -> object:
        return sum(1 for _ in read_inputs(expand_inputs([str(source)])))

    return full, read_only


def _bench(ctx: Context, name: str, write: Callable[[list[Text], Path], Path], what: str) -> Result:
    texts = _texts(ctx)
    with tempfile.TemporaryDirectory(prefix=f"fdiscope-{name}-") as tmp:
        work = Path(tmp)
        source = write(texts, work)
        full, read_only = _ingest_runner(source, work)
        from fdiscope.extract import extract
        from fdiscope.model import Document

        for lang in ("en", "ru"):  # warm-up: pipelines and lexicons are built once, untimed
            extract(Document("Warm-up text about a plant.", language=lang))
        main = Timing("fdiscope-ingest", len(texts), count_words(texts))
        reading = Timing("read-only", len(texts), count_words(texts))
        interleave(ctx.repeats, [(main, full), (reading, read_only)])
    notes = [
        f"{len(texts)} {what} from {ctx.texts_source} (capped at {MAX_DOCS}), one input each repeat"
        " into a fresh SQLite file: read + near-duplicate index + extraction + store",
        f"reading alone (format sniffing, decoding, {what.split()[0]} parsing, language): "
        f"{reading.docs_per_s:.1f} docs/s",
    ]
    return Result(name, main, ref=None, notes=notes)


def _write_html(texts: list[Text], work: Path) -> Path:
    folder = work / "pages"
    folder.mkdir()
    for i, t in enumerate(texts):
        (folder / f"{i:05d}.html").write_text(_page(t, i), encoding="utf-8")
    return folder


def _write_jsonl(texts: list[Text], work: Path) -> Path:
    path = work / "dump.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i, t in enumerate(texts):
            rec = {
                "doc_id": f"{t.doc_id}#{i}",
                "text": f"{t.text}\nCopy {i}.",
                "published": t.published,
                "language": t.language,
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


@register("ingest_html")
def bench_ingest_html(ctx: Context) -> Result:
    """Ingest throughput of HTML pages in a folder (trafilatura, extraction, SQLite)."""
    return _bench(ctx, "ingest_html", _write_html, "HTML pages")


@register("ingest_jsonl")
def bench_ingest_jsonl(ctx: Context) -> Result:
    """Ingest throughput of JSONL documents (one dump file, extraction, SQLite)."""
    return _bench(ctx, "ingest_jsonl", _write_jsonl, "JSONL documents")
