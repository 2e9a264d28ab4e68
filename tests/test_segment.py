"""Tests for :mod:`fdiscope.segment`: sentence spans."""

from __future__ import annotations

import random
import re

from fdiscope import segment
from fdiscope.segment import split_sentences

# The boundary pattern as first written: a lookbehind alternative tried at every position.
_PLAIN_BOUNDARY = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s+|$)|(?<=[a-zа-яё]{3}[.!?])(?=[A-ZА-ЯЁ][a-zа-яё])")


def _texts(n: int) -> list[str]:
    rnd = random.Random(11)
    pieces = (
        "abc|Abc|xyz|plant|It|Он|завод|мир|U.S|e.g|Mr|A|1|5|.|..|!|?|…"
        "|\"|'|»|”|’|)|]|(|«|“| |  |\n|\n\n|\n- |\t"
    ).split("|")
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 30))) for _ in range(n)]


def test_boundary_candidates_are_those_of_the_plain_pattern() -> None:
    """The class-first pattern finds the same (stop, end) pairs as the lookbehind pattern."""
    for text in _texts(5000):
        for ls, le in segment._iter_lines(text):
            want = [(m.start(), m.end()) for m in _PLAIN_BOUNDARY.finditer(text, ls, le)]
            got = [
                (m.end() if m.group("glued") is not None else m.start(), m.end())
                for m in segment._BOUNDARY.finditer(text, ls, le)
            ]
            assert got == want, text


def test_split_sentences_examples() -> None:
    t = "Lifan opened a plant.It cost $300 mln. Mr. Li said so! Next one.\nNext line"
    assert [t[s:e] for s, e in split_sentences(t)] == [
        "Lifan opened a plant.",
        "It cost $300 mln. Mr. Li said so!",  # "mln." is an abbreviation
        "Next one.",
        "Next line",
    ]


def test_word_before_equals_the_character_walk() -> None:
    """The windowed split of the word before a stop gives what walking back character by
    character gives, also for words longer than the window and odd white space."""
    import random

    from fdiscope.segment import _word_before

    def walk(text: str, start: int, end: int) -> str:
        i = end
        while i > start and not text[i - 1].isspace():
            i -= 1
        return text[i:end]

    rng = random.Random(11)
    for alphabet in ("ab .\n\u00a0\t'x", "abcdefghijklmnopqrstuvwxyz.-" * 3 + " \u2009"):
        for _ in range(20000):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90)))
            start = rng.randint(0, len(text))
            end = rng.randint(start, len(text))
            assert _word_before(text, start, end) == walk(text, start, end), (text, start, end)
