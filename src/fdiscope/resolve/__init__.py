"""Resolution: one project across many articles and both languages.

Each record extracted from a document is a *claim*; resolution groups claims about the same
project into an *entity* with a canonical view (every value linked to its claims), a dated
status history, source counts and amounts in USD.  Human corrections (merge, split, correct)
are stored with an audit log, can be undone, and survive re-extraction and re-resolution.

>>> from fdiscope.store import Store
>>> from fdiscope.resolve import resolve_store, list_entities
>>> with Store(":memory:") as store:
...     resolve_store(store).entities, list_entities(store)
(0, [])
"""

from __future__ import annotations

from .claims import Claim, load_claims
from .corrections import Correction, CorrectionError, correction_log, list_corrections
from .entities import (
    EntityNotFound,
    EntitySummary,
    EntityView,
    correct_entity,
    get_entity,
    list_entities,
    merge_entities,
    related_entities,
    split_entity,
    undo_correction,
)
from .fx import UsdAmount, rate_for, to_usd
from .names import name_key, name_similarity
from .reextract import reextract_documents
from .resolver import ResolveReport, resolve_store
from .scoring import Settings

__all__ = [
    "Claim",
    "Correction",
    "CorrectionError",
    "EntityNotFound",
    "EntitySummary",
    "EntityView",
    "ResolveReport",
    "Settings",
    "UsdAmount",
    "correct_entity",
    "correction_log",
    "get_entity",
    "list_corrections",
    "list_entities",
    "load_claims",
    "merge_entities",
    "name_key",
    "name_similarity",
    "rate_for",
    "reextract_documents",
    "related_entities",
    "resolve_store",
    "split_entity",
    "to_usd",
    "undo_correction",
]
