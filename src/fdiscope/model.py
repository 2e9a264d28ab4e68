"""Data model: documents, mentions, evidence and the three record types of schema v1.1.

Every value that leaves the extractor carries :class:`Evidence` — the document id, the
character span in ``Document.text`` and the exact quote.  ``text[start:end] == quote`` is
checked when evidence is made (:func:`make_evidence`), so a record can never point at the
wrong characters.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from operator import attrgetter
from typing import Any

__all__ = [
    "SECTORS",
    "KINDS",
    "STATUSES",
    "TRADE_FLOWS",
    "EVENT_KINDS",
    "STATUS_ORDER",
    "Document",
    "Evidence",
    "EvidenceError",
    "Mention",
    "Money",
    "DateValue",
    "Place",
    "ProjectRecord",
    "TradeRecord",
    "EventRecord",
    "make_evidence",
    "content_id",
]

SECTORS: tuple[str, ...] = (
    "energy",
    "mining_metals",
    "chemicals",
    "automotive",
    "machinery",
    "electronics_it",
    "construction_materials",
    "pharma_health",
    "food_agriculture",
    "transport_infrastructure",
    "logistics",
    "real_estate",
    "tourism",
    "finance",
    "consumer_goods",
    "other",
)
KINDS: tuple[str, ...] = ("greenfield", "expansion", "acquisition", "joint_venture", "contract", "other")
STATUSES: tuple[str, ...] = ("announced", "agreement", "construction", "operational", "cancelled")
#: How far a project has come; "cancelled" is terminal and ranks highest so it is never hidden.
STATUS_ORDER: dict[str, int] = {s: i for i, s in enumerate(STATUSES)}
TRADE_FLOWS: tuple[str, ...] = ("turnover", "exports", "imports")
EVENT_KINDS: tuple[str, ...] = ("forum", "meeting", "visit", "signing", "exhibition", "other")


class EvidenceError(ValueError):
    """Raised when a span does not reproduce its quote: a bug in the extractor, never in the input."""


def content_id(text: str) -> str:
    """Stable document id from the text's content.

    >>> content_id("abc")
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Document:
    """One article: the unit that is ingested, extracted and stored."""

    text: str
    id: str = ""
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date, possibly partial: "2015-06-02", "2015-06", "2015"
    language: str | None = None
    source: str | None = None
    sitename: str | None = None  # the publishing site's name, as the page declares it
    raw_sha256: str | None = None  # sha256 of the raw bytes read (file, HTTP body, JSON line, feed)
    #: id of the first stored document telling the same story (a near-duplicate: the same wire
    #: story on another site), or None for an original.  Count independent sources by it.
    duplicate_of: str | None = None
    #: "extracted", or "unsupported-language" when stored without extraction; None before ingest
    extraction: str | None = None

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a value came from: ``Document.text[start:end] == quote``."""

    doc_id: str
    start: int
    end: int
    quote: str

    def __init__(self, doc_id: str, start: int, end: int, quote: str) -> None:
        # one per value of every record: the slots' own setters, as in Mention.__init__
        _SET_EV_DOC_ID(self, doc_id)
        _SET_EV_START(self, start)
        _SET_EV_END(self, end)
        _SET_EV_QUOTE(self, quote)

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "start": self.start, "end": self.end, "quote": self.quote}


_SET_EV_DOC_ID, _SET_EV_START, _SET_EV_END, _SET_EV_QUOTE = (
    Evidence.__dict__[name].__set__ for name in ("doc_id", "start", "end", "quote")
)


def make_evidence(doc_id: str, text: str, start: int, end: int) -> Evidence:
    """Build evidence for ``text[start:end]``, refusing empty or out-of-range spans."""
    if not (0 <= start < end <= len(text)):
        raise EvidenceError(f"span {start}:{end} is outside the document ({len(text)} chars)")
    return Evidence(doc_id, start, end, text[start:end])


@dataclass(frozen=True, slots=True)
class Money:
    value: float
    currency: str | None
    approx: bool = False


@dataclass(frozen=True, slots=True)
class DateValue:
    """A resolved date or period.

    ``iso`` is "YYYY-MM-DD", "YYYY-MM", "YYYY", "YYYY-H1", "YYYY-Q3" or "YYYY-MM/YYYY-MM".
    ``relative`` is True when it was resolved against the publication date.
    """

    iso: str
    precision: str  # day | month | year | half | quarter | range
    relative: bool = False


@dataclass(frozen=True, slots=True)
class Place:
    """A named place resolved to codes.

    ``kind`` is one of country | region | city | site | macro (a macro-region such as the Far East,
    which maps to no single ISO 3166-2 code).
    """

    name: str
    kind: str
    country: str | None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A typed span found in the document text; ``value`` holds its normalised meaning."""

    start: int
    end: int
    label: str  # MONEY | PERCENT | NUMBER | JOBS | DATE | PERIOD | PLACE | DEMONYM | ORG
    value: Any
    text: str = ""

    def __init__(self, start: int, end: int, label: str, value: Any, text: str = "") -> None:
        # Mentions are made by the hundred per document: the slots' own setters cost about a third
        # less than the generated frozen __init__ (one object.__setattr__ call per field)
        _SET_START(self, start)
        _SET_END(self, end)
        _SET_LABEL(self, label)
        _SET_VALUE(self, value)
        _SET_TEXT(self, text)

    def overlaps(self, other: Mention) -> bool:
        return self.start < other.end and other.start < self.end


# the slot descriptors of the final (slotted) class; frozen instances are still read-only from outside
_SET_START, _SET_END, _SET_LABEL, _SET_VALUE, _SET_TEXT = (
    Mention.__dict__[name].__set__ for name in ("start", "end", "label", "value", "text")
)


def _record_dict(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        val = getattr(obj, name)
        out[name] = list(val) if isinstance(val, list) else val
    out["evidence"] = obj.evidence.quote if obj.evidence else None
    out["provenance"] = {k: ev.to_dict() for k, ev in obj.provenance.items()}
    return out


#: record field -> the provenance key that must back it when it is filled
_BACKING: dict[str, str] = {"currency": "value", "amount": "amount"}
#: free-text fields: the record's own evidence sentence backs them
_FREE_TEXT = frozenset({"location", "description", "name"})


def unbacked_fields(rec: ProjectRecord | TradeRecord | EventRecord) -> list[str]:
    """Filled fields with no provenance span (list items are checked one by one: "investors[1]")."""
    missing: list[str] = []
    provenance = rec.provenance
    # (asked of every record: the field values in one C call, each item key formatted once)
    values = (_FIELD_VALUES.get(type(rec)) or attrgetter(*rec.FIELDS))(rec)
    for name, value in zip(rec.FIELDS, values, strict=True):
        if value is None or name in _FREE_TEXT:
            continue
        if isinstance(value, list):
            if value:
                keys = [f"{name}[{i}]" for i in range(len(value))]
                missing += [key for key in keys if key not in provenance]
        elif _BACKING.get(name, name) not in provenance:
            missing.append(name)
    return missing


def drop_unbacked(rec: ProjectRecord | TradeRecord | EventRecord) -> list[str]:
    """Empty every filled field that no span backs; return their names (a value needs its evidence)."""
    missing = unbacked_fields(rec)
    for key in missing:
        name = key.split("[", 1)[0]
        setattr(rec, name, [] if isinstance(getattr(rec, name), list) else None)
    return missing


@dataclass(slots=True)
class ProjectRecord:
    investors: list[str] = field(default_factory=list)
    investor_countries: list[str] = field(default_factory=list)
    host_country: str | None = None
    host_region: str | None = None
    location: str | None = None
    sector: str | None = None
    kind: str | None = None
    description: str | None = None
    amount: dict[str, Any] | None = None  # {"value": float, "currency": str}
    jobs: int | None = None
    status: str | None = None
    evidence: Evidence | None = None
    #: field name (or "investors[0]") -> the span the value was read from
    provenance: dict[str, Evidence] = field(default_factory=dict)

    FIELDS = (
        "investors",
        "investor_countries",
        "host_country",
        "host_region",
        "location",
        "sector",
        "kind",
        "description",
        "amount",
        "jobs",
        "status",
    )

    def to_dict(self) -> dict[str, Any]:
        return _record_dict(self, self.FIELDS)


@dataclass(slots=True)
class TradeRecord:
    reporter: str | None = None
    partner: str | None = None
    flow: str | None = None
    period: str | None = None
    value: float | None = None
    currency: str | None = None
    change_pct: float | None = None
    share_pct: float | None = None
    evidence: Evidence | None = None
    provenance: dict[str, Evidence] = field(default_factory=dict)

    FIELDS = ("reporter", "partner", "flow", "period", "value", "currency", "change_pct", "share_pct")

    def to_dict(self) -> dict[str, Any]:
        return _record_dict(self, self.FIELDS)


@dataclass(slots=True)
class EventRecord:
    name: str | None = None
    kind: str | None = None
    date: str | None = None
    city: str | None = None
    country: str | None = None
    evidence: Evidence | None = None
    provenance: dict[str, Evidence] = field(default_factory=dict)

    FIELDS = ("name", "kind", "date", "city", "country")

    def to_dict(self) -> dict[str, Any]:
        return _record_dict(self, self.FIELDS)


#: each record type's field values in one call (the getter is built once, not per record)
_FIELD_VALUES: dict[type, attrgetter[Any]] = {
    cls: attrgetter(*cls.FIELDS) for cls in (ProjectRecord, TradeRecord, EventRecord)
}
