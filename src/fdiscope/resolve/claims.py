"""Claims: the per-document project records, read from the store with what resolution needs.

A claim is never changed by resolution.  Re-extraction adds new records and marks the old
ones superseded (table ``claim_supersessions``); only current claims are resolved.  Each claim
has a *claim key* that stays the same when its document is extracted again with the same
evidence span (``doc_id#start-end``), so corrections and entity ids survive re-extraction.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from ..model import ProjectRecord
from ..store import RecordFilter, Store
from .fx import UsdAmount, to_usd
from .names import NameKey, block_keys, name_key

__all__ = [
    "Claim",
    "DocMeta",
    "load_claims",
    "claim_key",
    "document_meta",
    "superseded_ids",
    "objects_of",
    "phase_of",
    "covers",
    "today_of",
]

log = logging.getLogger(__name__)

_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")


@dataclass(frozen=True, slots=True)
class DocMeta:
    """What resolution needs to know about a claim's document."""

    id: str
    published: str | None
    language: str | None
    source: str | None
    url: str | None
    title: str | None
    #: the document this one is a near-duplicate copy of (set by ingest when it knows), else None
    duplicate_of: str | None = None


def _load_yaml(name: str) -> dict[str, Any]:
    path = resources.files("fdiscope") / "data" / "resolve" / name
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


_OBJECTS: list[tuple[str, re.Pattern[str]]] | None = None
_COVERS: dict[str, set[str]] = {}
_PHASES: list[tuple[int, re.Pattern[str]]] | None = None


def _objects() -> list[tuple[str, re.Pattern[str]]]:
    global _OBJECTS
    if _OBJECTS is None:
        data = _load_yaml("objects.yaml")
        _OBJECTS = [(name, re.compile("|".join(pats), re.I)) for name, pats in data["objects"].items()]
        _COVERS.update({k: set(v) for k, v in (data.get("covers") or {}).items()})
    return _OBJECTS


def covers() -> dict[str, set[str]]:
    """Generic object -> the specific objects it is compatible with."""
    _objects()
    return _COVERS


def _phases() -> list[tuple[int, re.Pattern[str]]]:
    global _PHASES
    if _PHASES is None:
        data = _load_yaml("phases.yaml")
        _PHASES = [(int(n), re.compile("|".join(pats), re.I)) for n, pats in data["phases"].items()]
    return _PHASES


def objects_of(*texts: str | None) -> tuple[str, ...]:
    """Object concepts named in the texts, the earliest-named first (the project's main object).

    Texts are read in order (description before evidence), so the first text naming an object
    decides the main one.

    >>> objects_of("Haier begins work on industrial park for refrigerator makers")
    ('industrial_park', 'refrigerator')
    """
    found: list[tuple[int, int, str]] = []
    for i, text in enumerate(texts):
        if not text:
            continue
        for name, pat in _objects():
            m = pat.search(text)
            if m:
                found.append((i, m.start(), name))
    found.sort()
    out: list[str] = []
    for _, _, name in found:
        if name not in out:
            out.append(name)
    return tuple(out)


def phase_of(*texts: str | None) -> int:
    """The stated phase of a project (1 when none is stated).

    >>> phase_of("the second phase of its auto glass plant"), phase_of("вторая очередь завода")
    (2, 2)
    """
    for text in texts:
        if not text:
            continue
        for number, pat in _phases():
            if pat.search(text):
                return number
    return 1


def claim_key(doc_id: str, record: ProjectRecord, ordinal: int) -> str:
    """A key that names the claim across re-extractions: its document and evidence span."""
    ev = record.evidence
    if ev is not None:
        return f"{doc_id}#{ev.start}-{ev.end}"
    return f"{doc_id}#r{ordinal}"


@dataclass(slots=True)
class Claim:
    """One project record of one document, with derived features for matching."""

    record_type: str
    record_id: int
    doc: DocMeta
    record: ProjectRecord
    key: str
    features: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        """The record reference (``project:12``) that ``fdiscope show`` accepts."""
        return f"{self.record_type}:{self.record_id}"

    @property
    def doc_id(self) -> str:
        return self.doc.id

    @property
    def date(self) -> str | None:
        """The claim's date: the document's published date, else a year stated in its evidence."""
        if self.doc.published:
            return self.doc.published
        quote = self.record.evidence.quote if self.record.evidence else ""
        m = _YEAR.search(quote or "") or _YEAR.search(self.record.description or "")
        return m.group(1) if m else None

    @property
    def year(self) -> float | None:
        """The claim's date as a fractional year, for time windows."""

        def compute() -> float | None:
            d = self.date
            if not d:
                return None
            parts = [int(p) for p in re.findall(r"\d+", d)[:3]]
            month = parts[1] if len(parts) > 1 else 6
            return parts[0] + (month - 1) / 12.0

        return self.cached("year", compute)  # type: ignore[no-any-return]

    def cached(self, name: str, compute: Any) -> Any:
        if name not in self.features:
            self.features[name] = compute()
        return self.features[name]

    @property
    def names(self) -> list[NameKey]:
        return self.cached(  # type: ignore[no-any-return]
            "names", lambda: [k for k in (name_key(n) for n in self.record.investors) if not k.empty]
        )

    @property
    def blocks(self) -> set[str]:
        return self.cached(  # type: ignore[no-any-return]
            "blocks", lambda: set().union(*(block_keys(n) for n in self.record.investors))
        )

    @property
    def objects(self) -> tuple[str, ...]:
        r = self.record
        quote = r.evidence.quote if r.evidence else None

        def compute() -> tuple[str, ...]:
            # The investor's own name says nothing of the project ("Fuyao Glass" builds more
            # than glass lines): it is blanked out before objects are looked for.
            texts = [r.description, quote]
            for name in r.investors:
                if len(name) > 2:
                    pat = re.compile(re.escape(name), re.IGNORECASE)
                    texts = [pat.sub(" ", t) if t else t for t in texts]
            return objects_of(*texts)

        return self.cached("objects", compute)  # type: ignore[no-any-return]

    @property
    def phase(self) -> int:
        r = self.record
        quote = r.evidence.quote if r.evidence else None
        return self.cached("phase", lambda: phase_of(r.description, quote))  # type: ignore[no-any-return]

    @property
    def usd(self) -> UsdAmount | None:
        def compute() -> UsdAmount | None:
            amount = self.record.amount or {}
            return to_usd(amount.get("value"), amount.get("currency"), self.date)

        return self.cached("usd", compute)  # type: ignore[no-any-return]


def document_meta(store: Store) -> dict[str, DocMeta]:
    """Metadata of every stored document (``duplicate_of`` when the store has that column)."""
    cur = store.conn.execute("SELECT * FROM documents WHERE 1 = 0")
    columns = {d[0] for d in cur.description}
    has_dup = "duplicate_of" in columns
    sql = "SELECT id, published, language, source, url, title" + (", duplicate_of" if has_dup else "")
    out: dict[str, DocMeta] = {}
    for row in store.conn.execute(sql + " FROM documents"):
        out[row["id"]] = DocMeta(
            id=row["id"],
            published=row["published"],
            language=row["language"],
            source=row["source"],
            url=row["url"],
            title=row["title"],
            duplicate_of=row["duplicate_of"] if has_dup else None,
        )
    return out


def superseded_ids(store: Store, record_type: str = "project") -> set[int]:
    """Ids of records replaced by a later extraction of their document."""
    rows = store.conn.execute(
        "SELECT record_id FROM claim_supersessions WHERE record_type = ?", (record_type,)
    )
    return {int(r[0]) for r in rows}


def load_claims(store: Store, docs: dict[str, DocMeta] | None = None) -> list[Claim]:
    """Every current (not superseded) project claim in the store, oldest record first."""
    docs = docs if docs is not None else document_meta(store)
    gone = superseded_ids(store)
    ordinal: dict[str, int] = {}
    seen: set[str] = set()
    out: list[Claim] = []
    for item in store.query("project", RecordFilter(limit=0)):
        if item.id in gone:
            continue
        n = ordinal.get(item.doc_id, 0)
        ordinal[item.doc_id] = n + 1
        rec = item.record
        assert isinstance(rec, ProjectRecord)
        meta = docs.get(item.doc_id) or DocMeta(item.doc_id, item.published, None, None, None, None)
        key = claim_key(item.doc_id, rec, n)
        while key in seen:  # two records read from one span: keep keys unique, in record order
            key += "~"
        seen.add(key)
        out.append(Claim("project", item.id, meta, rec, key))
    return out


def today_of(store: Store) -> str:
    """The latest publication date in the store: the default "as of" date (never the clock)."""
    row = store.conn.execute("SELECT max(published) FROM documents").fetchone()
    if row and row[0]:
        return str(row[0])[:10]
    return _dt.date(2000, 1, 1).isoformat()
