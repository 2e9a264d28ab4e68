"""fdiscope: cross-border investment and trade news turned into a verified database."""

from .extract import extract, extract_many, to_prediction
from .model import Document, EventRecord, Evidence, ProjectRecord, TradeRecord
from .store import Store

__all__ = [
    "Document",
    "Evidence",
    "EventRecord",
    "ProjectRecord",
    "Store",
    "TradeRecord",
    "extract",
    "extract_many",
    "to_prediction",
    "__version__",
]
__version__ = "0.1.0"
