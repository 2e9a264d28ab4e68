"""One alternation of a section's cues labels a piece as one search per label does."""

from __future__ import annotations

import random
import re

import pytest

from fdiscope.frames import projects as P
from fdiscope.frames.cues import Masked, frame_cues, reset_memo

_GAPS = [" ", "  ", " ", "\n", "-", ", ", ". ", "«", "(", "", "'s ", " and "]


def _cue_words(lang: str, section: str) -> list[str]:
    """The letters of the section's patterns (cue words, stems and pieces of them), and a few others."""
    cues = getattr(frame_cues(lang), section)
    words = sorted({w for p in cues.patterns.values() for w in re.findall(r"[^\W\d_]+", p.pattern)})
    return words + ["plant", "Завод", "the", "в", "X", "1", "2024", "İ", "ß", "co-", "-based"]


def _random_piece(rng: random.Random, words: list[str]) -> tuple[str, int, int, list[tuple[int, int]]]:
    parts: list[str] = []
    for _ in range(rng.randint(1, 14)):
        word = rng.choice(words)
        parts.append(word.upper() if rng.random() < 0.1 else word)
        parts.append(rng.choice(_GAPS))
    text = "".join(parts)
    start = rng.randint(0, len(text) // 3)
    end = rng.randint(start, len(text))
    blanks = []
    for _ in range(rng.randint(0, 3)):
        a = rng.randint(start, end)
        blanks.append((a, rng.randint(a, min(end, a + 15))))
    return text, start, end, blanks


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("section", ["sector", "kind", "status"])
def test_first_label_is_the_plain_search(lang: str, section: str) -> None:
    cues = getattr(frame_cues(lang), section)
    names = P._section_names(cues)
    words = _cue_words(lang, section)
    rng = random.Random(f"{lang}{section}")
    hits = 0
    try:
        for _ in range(3000):
            text, start, end, blanks = _random_piece(rng, words)
            reset_memo()
            for bare in (Masked(text, start, end, blanks), None):
                for by_position in (True, False):
                    plain = P._first_label_plain(cues, names, text, start, end, bare, by_position, None)
                    one = P._first_label(cues, names, text, start, end, bare, by_position)
                    if not cues.may_match(names, text, start, end, bare):
                        assert plain is None and one is None, (text, start, end, blanks)
                        continue
                    assert (one is None) == (plain is None), (text, start, end, blanks, by_position)
                    if one is not None and plain is not None:
                        hits += 1
                        assert one[0] == plain[0], (text, start, end, blanks, by_position)
                        assert one[1].span() == plain[1].span(), (text, start, end, blanks, by_position)
    finally:
        reset_memo()
    assert hits > 1000  # the inputs do reach the cues
    assert P._alternation(cues, names) is not None  # (the shortcut is the one compared)
