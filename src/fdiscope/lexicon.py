"""Per-language lexicons shipped as YAML under ``fdiscope/data/<lang>/<name>.yaml``."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["load_lexicon", "LexiconError"]


class LexiconError(LookupError):
    """A lexicon file is missing or malformed: reinstall the package or fix the YAML file named."""


@lru_cache(maxsize=128)
def load_lexicon(lang: str, name: str) -> dict[str, Any]:
    """Load ``data/<lang>/<name>.yaml``; a language without that file falls back to English."""
    root = resources.files("fdiscope") / "data"
    for candidate in (lang, "en"):
        path = root / candidate / f"{name}.yaml"
        if path.is_file():
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise LexiconError(f"lexicon {candidate}/{name}.yaml is not valid YAML: {exc}") from exc
            if not isinstance(data, dict):
                raise LexiconError(f"lexicon {candidate}/{name}.yaml must hold a mapping at the top")
            return data
    raise LexiconError(f"no lexicon named {name!r} for {lang!r} or 'en' in {root}")
