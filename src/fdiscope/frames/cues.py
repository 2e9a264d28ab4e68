"""Cue lexicons of the frames, compiled once per language from ``data/<lang>/frames.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..lexicon import load_lexicon

__all__ = ["Cues", "FrameCues", "frame_cues"]

_FLAGS = re.IGNORECASE | re.UNICODE


def _compile(patterns: list[Any], lang: str) -> re.Pattern[str] | None:
    pats = [str(p) for p in patterns or [] if str(p)]
    if not pats:
        return None
    # Russian cues are stems: match from a word start, let the ending run on.
    if lang == "ru":
        body = "|".join(f"(?:{p})" for p in pats)
        return re.compile(rf"(?<![\w-])(?:{body})", _FLAGS)
    body = "|".join(f"(?:{p})" for p in pats)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", _FLAGS)


@dataclass(frozen=True)
class Cues:
    """Named compiled patterns of one lexicon section, in file order."""

    patterns: dict[str, re.Pattern[str]]
    stems: bool = False  # cues are word starts (Russian), not whole words
    _memo: dict[tuple[str, str], re.Match[str] | None] = field(default_factory=dict, compare=False, repr=False)

    def get(self, name: str) -> re.Pattern[str] | None:
        return self.patterns.get(name)

    def search(self, name: str, text: str) -> re.Match[str] | None:
        """The first match of cue ``name`` in ``text`` (memoised: frames ask about one sentence often)."""
        key = (name, text)
        memo = self._memo
        if key in memo:
            return memo[key]
        pat = self.patterns.get(name)
        found = pat.search(text) if pat is not None else None
        if len(memo) > 20000:
            memo.clear()
        memo[key] = found
        return found

    def is_word(self, name: str, word: str) -> bool:
        """``word`` is itself one of the cues (a Russian stem may run on into the ending)."""
        pat = self.patterns.get(name)
        m = pat.match(word) if pat is not None else None
        return m is not None and (m.end() == len(word) or self.stems)

    def names(self) -> list[str]:
        return list(self.patterns)


@dataclass(frozen=True)
class FrameCues:
    project: Cues
    status: Cues
    kind: Cues
    sector: Cues
    trade: Cues
    event: Cues


@lru_cache(maxsize=8)
def frame_cues(lang: str) -> FrameCues:
    data = load_lexicon(lang, "frames")

    def section(key: str) -> Cues:
        raw = data.get(key) or {}
        compiled = {name: _compile(pats, lang) for name, pats in raw.items()}
        return Cues({k: v for k, v in compiled.items() if v is not None}, stems=lang == "ru")

    return FrameCues(
        project=section("project"),
        status=section("status"),
        kind=section("kind"),
        sector=section("sector"),
        trade=section("trade"),
        event=section("event"),
    )
