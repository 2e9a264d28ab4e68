"""Slot-filling scorer for schema v1.1, as in the Scoring section of the annotation guidelines.

Everything here is a pure function of already-parsed JSON objects: no file or terminal I/O.
:func:`score_corpus` takes the gold documents and the predicted documents and returns a
:class:`Report`; :meth:`Report.to_dict` is its JSON form and :meth:`Report.metrics` the flat
``{"overall_slot_f1": ..., "en_projects_slot_f1": ...}`` map the quality gate checks.

How the guideline is read where it leaves room (each decision is tested in ``tests/test_scoring.py``):

Empty values
    ``None``, a blank string, an empty list and an empty dict are empty.  An amount is empty when it is
    not a dict or its ``"value"`` is ``None``.  A list field given as a bare string counts as a
    one-item list; blank list items are dropped.

Record matching (per document, per record type)
    All gold x predicted pairs get a similarity; the best pair is taken repeatedly and both records
    are removed; a pair needs similarity > 0.  Ties go to the lower gold index, then the lower
    predicted index, so results are deterministic.  A field adds to the similarity only when it is
    filled on *both* sides and equal (two empty fields are not evidence of a match).
    Projects: 1 if some gold investor equals some predicted investor, +1 each for equal
    ``host_region``, ``sector``, ``amount``, ``jobs``, + the Jaccard overlap (0..1) of the lowercased
    word sets of ``evidence + description + location``.  Trade: +1 each for equal ``reporter``,
    ``partner``, ``flow``, ``period``, ``value``.  Events: Jaccard overlap of the ``name`` word sets,
    +1 each for equal ``kind``, ``date``, ``city``.  Words are ``\\w+`` runs after case-folding.

Slots
    Matched pair, per scored field: both empty -> nothing; gold empty & predicted filled -> FP; gold
    filled & predicted empty -> FN; both filled -> TP if equal else FP + FN.  Unmatched predicted
    records: every filled scored field is FP; unmatched gold: every filled one is FN.  List fields
    (``investors``, ``investor_countries``) count one slot per item: items are paired one-to-one by
    equality with a *maximum* bipartite matching (so containment between several names cannot
    steal a better pairing); paired items are TP, left-over predicted items FP, left-over gold FN.
    Duplicate items are separate items.

Equality
    Names (``investors``, event ``city``): case-fold, ``ё`` -> ``е``, drop quotes of every kind,
    turn all other non-letter/digit characters into spaces, drop legal-form words
    (:data:`LEGAL_FORMS`).  Two names are equal when their normalised word sequences are equal, or
    one (non-empty) is contained in the other - checked as a substring with spaces removed, which
    also covers word-sequence containment and "IG BR" vs "IGBR".  If a name consists only of
    legal-form words (normalises to nothing) it is equal only to a name with the same case-folded
    text.  Amounts: same currency (case-insensitive; both missing counts as the same) and
    ``|pred - gold| <= 1% * |gold|``.  ``change_pct``/``share_pct``: within 2% of gold,
    relative.  Trade ``value``: within 1% of gold, relative.  ``jobs``: exact (numerically, 80 ==
    80.0).  All other fields are codes: case-insensitive comparison of the stripped string forms.

Figures
    P = TP/(TP+FP), R = TP/(TP+FN), F1 = harmonic mean.  A zero denominator gives 0.0, except that
    with no TP, FP and FN at all (nothing to find and nothing found) P, R and F1 are 1.0.  Overall slot
    figures are micro-averaged over all slots of all types.  Per-language figures use the gold
    document's ``"language"`` (``"unknown"`` when missing).

Documents
    A gold document without a prediction counts as an empty prediction.  Predictions whose
    ``doc_id`` is not in the gold are ignored with a warning (in ``Report.warnings``); with a
    language filter, predictions for gold documents of other languages are ignored silently.  A
    repeated ``doc_id`` keeps its first occurrence and adds a warning.

Evidence check
    Every ``provenance`` entry of every predicted record of a gold document must be a mapping with
    integer ``start < end`` inside the gold text and ``quote == text[start:end]``; when it carries a
    ``doc_id`` that must be the document's own.  Anything else is a :class:`BadEvidence`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "RECORD_TYPES",
    "SCORED_FIELDS",
    "LIST_FIELDS",
    "LEGAL_FORMS",
    "Counts",
    "BadEvidence",
    "TypeScores",
    "Scores",
    "Report",
    "is_empty",
    "normalise_name",
    "names_equal",
    "codes_equal",
    "amounts_equal",
    "relative_close",
    "field_equal",
    "word_set",
    "jaccard",
    "similarity",
    "match_records",
    "match_items",
    "score_pair",
    "score_document",
    "check_evidence",
    "score_corpus",
]

RECORD_TYPES: tuple[str, ...] = ("projects", "trade", "events")

SCORED_FIELDS: dict[str, tuple[str, ...]] = {
    "projects": (
        "investors",
        "investor_countries",
        "host_country",
        "host_region",
        "sector",
        "kind",
        "status",
        "amount",
        "jobs",
    ),
    "trade": ("reporter", "partner", "flow", "period", "value", "currency", "change_pct", "share_pct"),
    "events": ("kind", "date", "city", "country"),
}

LIST_FIELDS: frozenset[str] = frozenset({"investors", "investor_countries"})

#: Legal-form and group words dropped from organisation names (already case-folded).
LEGAL_FORMS: frozenset[str] = frozenset(
    {
        # English / international
        "llc", "llp", "lp", "jsc", "pjsc", "ojsc", "cjsc", "ltd", "limited", "inc", "incorporated",
        "corp", "corporation", "co", "company", "group", "plc", "gmbh", "ag", "sa", "nv", "bv",
        "srl", "spa", "sas", "sarl", "zrt", "nyrt", "kft", "pte", "pty", "kg", "oao", "zao", "ooo",
        "pao", "ao",
        # Russian / CIS
        "ооо", "ао", "пао", "зао", "оао", "ип", "нао", "тоо", "гуп", "фгуп", "муп", "ано",
        "групп", "группа",
    }
)  # fmt: skip

_QUOTES = "\"'«»“”„‘’‹›‚`´"
_QUOTE_TABLE = str.maketrans("", "", _QUOTES)
_WORD = re.compile(r"\w+")

_PCT_TOLERANCE = 0.02
_MONEY_TOLERANCE = 0.01


# ----------------------------------------------------------------------------------------- values


def is_empty(value: Any, field_name: str = "") -> bool:
    """True for a value that counts as "not filled" (see the module docstring)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not _items(value)
    if isinstance(value, dict):
        return not value or (field_name == "amount" and value.get("value") is None)
    if field_name == "amount":
        return True  # an amount that is not a mapping carries no comparable value
    return False


def _items(value: Any) -> list[Any]:
    """The non-empty items of a list field (a bare string is a one-item list)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        value = [value]
    return [v for v in value if not is_empty(v)]


def normalise_name(name: str) -> list[str]:
    """The words of a name after case-folding and dropping quotes, punctuation and legal forms.

    >>> normalise_name('ООО «Рога и Копыта»')
    ['рога', 'и', 'копыта']
    >>> normalise_name('Fuyao Glass Industry Group Co., Ltd.')
    ['fuyao', 'glass', 'industry']
    """
    text = str(name).casefold().replace("ё", "е").translate(_QUOTE_TABLE)
    chars = [c if unicodedata.category(c)[0] in "LN" else " " for c in text]
    return [w for w in "".join(chars).split() if w not in LEGAL_FORMS]


def names_equal(a: Any, b: Any) -> bool:
    """Names are equal after normalisation, or one non-empty name is contained in the other.

    >>> names_equal("IG BR", "IGBR"), names_equal("PJSC Gazprom", '"Газпром"')
    (True, False)
    """
    if is_empty(a) or is_empty(b):
        return False
    wa, wb = normalise_name(a), normalise_name(b)
    if not wa or not wb:
        return not wa and not wb and str(a).strip().casefold() == str(b).strip().casefold()
    ca, cb = "".join(wa), "".join(wb)
    return ca in cb or cb in ca


def codes_equal(a: Any, b: Any) -> bool:
    """Case-insensitive equality of the stripped string forms."""
    return str(a).strip().casefold() == str(b).strip().casefold()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(" ", "").replace(",", "."))
        except ValueError:
            return None
    return None


def relative_close(gold: Any, pred: Any, tolerance: float) -> bool:
    """``|pred - gold| <= tolerance * |gold|`` (so a gold 0 needs an exact 0)."""
    g, p = _number(gold), _number(pred)
    if g is None or p is None:
        return False
    return abs(p - g) <= tolerance * abs(g) + 1e-12 * max(1.0, abs(g))


def amounts_equal(gold: Any, pred: Any) -> bool:
    """Same currency (case-insensitive) and value within 1% of the gold value."""
    if not isinstance(gold, Mapping) or not isinstance(pred, Mapping):
        return False
    gc, pc = gold.get("currency"), pred.get("currency")
    if is_empty(gc) != is_empty(pc) or (not is_empty(gc) and not codes_equal(gc, pc)):
        return False
    return relative_close(gold.get("value"), pred.get("value"), _MONEY_TOLERANCE)


def _jobs_equal(gold: Any, pred: Any) -> bool:
    g, p = _number(gold), _number(pred)
    return g is not None and p is not None and g == p


_EQUALITY: dict[str, Callable[[Any, Any], bool]] = {
    "investors": names_equal,
    "city": names_equal,
    "amount": amounts_equal,
    "jobs": _jobs_equal,
    "value": lambda g, p: relative_close(g, p, _MONEY_TOLERANCE),
    "change_pct": lambda g, p: relative_close(g, p, _PCT_TOLERANCE),
    "share_pct": lambda g, p: relative_close(g, p, _PCT_TOLERANCE),
}


def field_equal(field_name: str, gold: Any, pred: Any) -> bool:
    """Equality of two filled values of one field (for list fields: of two items)."""
    return _EQUALITY.get(field_name, codes_equal)(gold, pred)


def _filled_equal(field_name: str, gold: Any, pred: Any) -> bool:
    if is_empty(gold, field_name) or is_empty(pred, field_name):
        return False
    return field_equal(field_name, gold, pred)


def word_set(*texts: Any) -> set[str]:
    """Lowercased ``\\w+`` words of the non-empty texts."""
    words: set[str] = set()
    for t in texts:
        if isinstance(t, str):
            words.update(_WORD.findall(t.casefold()))
    return words


def jaccard(a: set[str], b: set[str]) -> float:
    """|a & b| / |a | b|, 0.0 when both are empty."""
    union = a | b
    return len(a & b) / len(union) if union else 0.0


# ------------------------------------------------------------------------------------- matching


def similarity(record_type: str, gold: Mapping[str, Any], pred: Mapping[str, Any]) -> float:
    """How alike a gold and a predicted record are (0 means: never match them)."""
    score = 0.0
    if record_type == "projects":
        gi, pi = _items(gold.get("investors")), _items(pred.get("investors"))
        if any(names_equal(g, p) for g in gi for p in pi):
            score += 1.0
        for name in ("host_region", "sector", "amount", "jobs"):
            score += _filled_equal(name, gold.get(name), pred.get(name))
        keys = ("evidence", "description", "location")
        score += jaccard(word_set(*(gold.get(k) for k in keys)), word_set(*(pred.get(k) for k in keys)))
    elif record_type == "trade":
        for name in ("reporter", "partner", "flow", "period", "value"):
            score += _filled_equal(name, gold.get(name), pred.get(name))
    elif record_type == "events":
        score += jaccard(word_set(gold.get("name")), word_set(pred.get("name")))
        for name in ("kind", "date", "city"):
            score += _filled_equal(name, gold.get(name), pred.get(name))
    else:
        raise ValueError(f"unknown record type {record_type!r}")
    return score


def match_records(
    record_type: str, gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]]
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching: the best remaining pair first; pairs need similarity > 0.

    Returns ``(gold_index, pred_index)`` pairs in the order they were taken.
    """
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            s = similarity(record_type, g, p)
            if s > 0:
                candidates.append((-s, i, j))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def match_items(field_name: str, gold: Sequence[Any], pred: Sequence[Any]) -> int:
    """Size of a maximum one-to-one matching of list items by equality (Kuhn's algorithm)."""
    owner: dict[int, int] = {}  # pred index -> gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j, p in enumerate(pred):
            if j in seen or not field_equal(field_name, gold[i], p):
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(gold)))


# --------------------------------------------------------------------------------------- counts


@dataclass(slots=True)
class Counts:
    """True positives, false positives and false negatives, with the figures they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.tp + self.fn == 0:
            return 1.0 if self.fp == 0 else 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        if self.tp + self.fp + self.fn == 0:
            return 1.0
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 6),
            "recall": round(self.recall, 6),
            "f1": round(self.f1, 6),
        }


def _sum(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for c in counts:
        total.add(c)
    return total


@dataclass(slots=True)
class TypeScores:
    """Record-level counts and per-field slot counts of one record type."""

    records: Counts = field(default_factory=Counts)
    fields: dict[str, Counts] = field(default_factory=dict)

    @property
    def slots(self) -> Counts:
        return _sum(self.fields.values())

    def add(self, other: TypeScores) -> None:
        self.records.add(other.records)
        for name, c in other.fields.items():
            self.fields.setdefault(name, Counts()).add(c)

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records.to_dict(),
            "slots": self.slots.to_dict(),
            "fields": {name: c.to_dict() for name, c in self.fields.items()},
        }


def _empty_type_scores(record_type: str) -> TypeScores:
    return TypeScores(fields={name: Counts() for name in SCORED_FIELDS[record_type]})


@dataclass(slots=True)
class Scores:
    """Counts for all record types (of one document, one language or the whole corpus)."""

    types: dict[str, TypeScores] = field(
        default_factory=lambda: {t: _empty_type_scores(t) for t in RECORD_TYPES}
    )

    @property
    def overall(self) -> Counts:
        """Micro-averaged slot counts over all record types."""
        return _sum(t.slots for t in self.types.values())

    def add(self, other: Scores) -> None:
        for name, t in other.types.items():
            self.types.setdefault(name, TypeScores()).add(t)

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": {"slots": self.overall.to_dict()},
            "types": {name: t.to_dict() for name, t in self.types.items()},
        }


@dataclass(frozen=True, slots=True)
class BadEvidence:
    """A provenance entry whose quote is not ``text[start:end]`` of the document."""

    doc_id: str
    record_type: str
    record_index: int
    field: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "record_type": self.record_type,
            "record_index": self.record_index,
            "field": self.field,
            "reason": self.reason,
        }


@dataclass(slots=True)
class Report:
    """The result of :func:`score_corpus`."""

    scores: Scores
    by_language: dict[str, Scores]
    bad_evidence: list[BadEvidence]
    documents: int
    missing_predictions: list[str]
    ignored_predictions: list[str]
    warnings: list[str]

    def metrics(self) -> dict[str, float]:
        """Flat figures the gate can set floors on.

        Keys: ``overall_slot_{p,r,f1}``, ``{type}_slot_{p,r,f1}``, ``{type}_record_{p,r,f1}`` and the
        same prefixed by a language (``en_overall_slot_f1``, ``ru_trade_record_f1``, ...).
        """
        out: dict[str, float] = {}
        for prefix, scores in [("", self.scores)] + [(f"{lang}_", s) for lang, s in self.by_language.items()]:
            out.update(_figures(f"{prefix}overall_slot", scores.overall))
            for name, t in scores.types.items():
                out.update(_figures(f"{prefix}{name}_slot", t.slots))
                out.update(_figures(f"{prefix}{name}_record", t.records))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "missing_predictions": list(self.missing_predictions),
            "ignored_predictions": list(self.ignored_predictions),
            **self.scores.to_dict(),
            "languages": {lang: s.to_dict() for lang, s in self.by_language.items()},
            "bad_evidence": {
                "count": len(self.bad_evidence),
                "items": [b.to_dict() for b in self.bad_evidence],
            },
            "metrics": {k: round(v, 6) for k, v in self.metrics().items()},
            "warnings": list(self.warnings),
        }


def _figures(prefix: str, c: Counts) -> dict[str, float]:
    return {f"{prefix}_p": c.precision, f"{prefix}_r": c.recall, f"{prefix}_f1": c.f1}


# -------------------------------------------------------------------------------------- scoring


def _slot_counts(field_name: str, gold: Any, pred: Any) -> Counts:
    """TP/FP/FN for one field of a matched pair (either side may be ``None`` for unmatched)."""
    if field_name in LIST_FIELDS:
        gi, pi = _items(gold), _items(pred)
        tp = match_items(field_name, gi, pi)
        return Counts(tp, len(pi) - tp, len(gi) - tp)
    g_empty, p_empty = is_empty(gold, field_name), is_empty(pred, field_name)
    if g_empty and p_empty:
        return Counts()
    if g_empty:
        return Counts(fp=1)
    if p_empty:
        return Counts(fn=1)
    return Counts(tp=1) if field_equal(field_name, gold, pred) else Counts(fp=1, fn=1)


def score_pair(
    record_type: str, gold: Mapping[str, Any] | None, pred: Mapping[str, Any] | None
) -> dict[str, Counts]:
    """Slot counts per scored field for a matched pair, or an unmatched record (other side None)."""
    g, p = gold or {}, pred or {}
    return {name: _slot_counts(name, g.get(name), p.get(name)) for name in SCORED_FIELDS[record_type]}


def _records(doc: Mapping[str, Any] | None, record_type: str) -> list[Mapping[str, Any]]:
    if not doc:
        return []
    recs = doc.get(record_type) or []
    return [r for r in recs if isinstance(r, Mapping)] if isinstance(recs, list) else []


def score_document(gold: Mapping[str, Any], pred: Mapping[str, Any] | None) -> Scores:
    """Counts for one document; ``pred=None`` is an empty prediction."""
    scores = Scores()
    for record_type in RECORD_TYPES:
        g_recs, p_recs = _records(gold, record_type), _records(pred, record_type)
        pairs = match_records(record_type, g_recs, p_recs)
        ts = scores.types[record_type]
        ts.records.add(Counts(len(pairs), len(p_recs) - len(pairs), len(g_recs) - len(pairs)))
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        units: list[tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]] = [
            (g_recs[i], p_recs[j]) for i, j in pairs
        ]
        units += [(g, None) for i, g in enumerate(g_recs) if i not in matched_g]
        units += [(None, p) for j, p in enumerate(p_recs) if j not in matched_p]
        for g, p in units:
            for name, c in score_pair(record_type, g, p).items():
                ts.fields[name].add(c)
    return scores


def check_evidence(doc_id: str, text: str, pred: Mapping[str, Any]) -> list[BadEvidence]:
    """Every provenance entry of every predicted record must quote ``text[start:end]`` exactly."""
    bad: list[BadEvidence] = []
    for record_type in RECORD_TYPES:
        for index, rec in enumerate(_records(pred, record_type)):
            prov = rec.get("provenance")
            if prov is None:
                continue
            if not isinstance(prov, Mapping):
                bad.append(BadEvidence(doc_id, record_type, index, "*", "provenance is not a mapping"))
                continue
            for name, ev in prov.items():
                reason = _evidence_problem(doc_id, text, ev)
                if reason:
                    bad.append(BadEvidence(doc_id, record_type, index, str(name), reason))
    return bad


def _evidence_problem(doc_id: str, text: str, ev: Any) -> str | None:
    if not isinstance(ev, Mapping):
        return "entry is not a mapping"
    start, end, quote = ev.get("start"), ev.get("end"), ev.get("quote")
    if ev.get("doc_id") not in (None, doc_id):
        return f"doc_id {ev.get('doc_id')!r} is not {doc_id!r}"
    if not isinstance(start, int) or not isinstance(end, int):
        return "start/end are not integers"
    if isinstance(start, bool) or isinstance(end, bool):
        return "start/end are not integers"
    if not 0 <= start < end <= len(text):
        return f"span {start}:{end} is outside the text ({len(text)} chars)"
    if not isinstance(quote, str) or text[start:end] != quote:
        return f"quote {quote!r} is not text[{start}:{end}] = {text[start:end]!r}"
    return None


def score_corpus(
    gold: Iterable[Mapping[str, Any]],
    predictions: Iterable[Mapping[str, Any]],
    lang: str | None = None,
) -> Report:
    """Score predicted documents against gold documents (optionally only gold of one language)."""
    warnings: list[str] = []
    all_gold: dict[str, Mapping[str, Any]] = {}
    for doc in gold:
        doc_id = str(doc.get("doc_id"))
        if doc_id in all_gold:
            warnings.append(f"gold doc_id {doc_id!r} repeated; the first one is used")
            continue
        all_gold[doc_id] = doc

    def language(doc: Mapping[str, Any]) -> str:
        return str(doc.get("language") or "unknown").lower()

    selected = {k: d for k, d in all_gold.items() if lang is None or language(d) == lang.lower()}
    preds: dict[str, Mapping[str, Any]] = {}
    ignored: list[str] = []
    for doc in predictions:
        doc_id = str(doc.get("doc_id"))
        if doc_id not in all_gold:
            ignored.append(doc_id)
            warnings.append(f"prediction for unknown doc_id {doc_id!r} ignored")
            continue
        if doc_id in preds:
            warnings.append(f"prediction doc_id {doc_id!r} repeated; the first one is used")
            continue
        preds[doc_id] = doc

    total = Scores()
    by_language: dict[str, Scores] = {}
    bad: list[BadEvidence] = []
    missing: list[str] = []
    for doc_id, g in selected.items():
        p = preds.get(doc_id)
        if p is None:
            missing.append(doc_id)
        doc_scores = score_document(g, p)
        total.add(doc_scores)
        by_language.setdefault(language(g), Scores()).add(doc_scores)
        if p is not None:
            bad.extend(check_evidence(doc_id, str(g.get("text") or ""), p))
    return Report(
        scores=total,
        by_language=dict(sorted(by_language.items())),
        bad_evidence=bad,
        documents=len(selected),
        missing_predictions=missing,
        ignored_predictions=ignored,
        warnings=warnings,
    )
