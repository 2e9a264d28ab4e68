"""The date trigger scan on the lower-cased text finds the positions the case-insensitive scan finds."""

from __future__ import annotations

import random
import re

import pytest

from fdiscope.normalise import dates

_PLAIN_RANGES = [
    (0x00, 0xB4),
    (0xB6, 0xFF),
    (0x400, 0x4FF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2116, 0x2116),
]


def _plain_chars() -> list[str]:
    return [chr(c) for lo, hi in _PLAIN_RANGES for c in range(lo, hi + 1)]


def test_plain_ranges_are_those_of_the_pattern() -> None:
    plain = "".join(_plain_chars())
    assert dates._NOT_PLAIN.search(plain) is None
    for c in ("\u00b5", "\u0130", "\u0131", "\u017f", "\u212a", "\u1c80", "\u03bc", "\u2070", "\u20d0"):
        assert dates._NOT_PLAIN.search(c) is not None, hex(ord(c))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_lower_casing_agrees_with_the_case_insensitive_regex(lang: str) -> None:
    """For every plain character and every letter of the trigger: ``str.lower`` keeps one
    character, keeps word and digit characters as they are, and gives the letter exactly
    when a case-insensitive regex matches the character to it."""
    lex = dates._lexicon(lang)
    assert lex.edges_lower is not None
    letters = {ch for ch in lex.edges_lower.pattern if ch.isalpha() and ch.islower()}
    assert len(letters) > 15
    word, digit = re.compile(r"\w"), re.compile(r"\d")
    for c in _plain_chars():
        low = c.lower()
        assert len(low) == 1 and dates._NOT_PLAIN.search(low) is None, hex(ord(c))
        assert bool(word.match(c)) == bool(word.match(low)), hex(ord(c))
        assert bool(digit.match(c)) == bool(digit.match(low)), hex(ord(c))
        for x in letters:
            assert bool(re.fullmatch(re.escape(x), c, re.I)) == (low == x), (hex(ord(c)), x)


_PIECES = {
    "en": [
        "January", "JAN.", "jan", "Monday", "MON", "last", "week", "LAST WEEK", "Last  Week", "first",
        "Half", "Q3", "12", "2015", "1st", "3RD", "Spring", "yesterday", "Yesterday", "the", "a", "year",
        "ago", "A\nyear ago", "in", "İstanbul", "ıd", "ſept", "\u212aay", "µ", "Ё", "«", "—", "’", "é",
        "x", "_", "5", "001", "mid-", "early",
    ],
    "ru": [
        "января", "ЯНВАРЯ", "Январь", "в", "прошлом", "году", "ПРОШЛОМ ГОДУ", "первом", "полугодии",
        "2015", "12", "вчера", "Вчера", "понедельник", "\u1c80торник", "ё", "Ё", "«", "»", "—", "№",
        "İ", "x", "_", "5",
    ],
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_trigger_positions_equal_the_case_insensitive_scan(lang: str) -> None:
    lex = dates._lexicon(lang)
    rng = random.Random(13)
    seps = ["", " ", "  ", "\n", "-", ", ", ". ", "(", "\u00a0", "/"]
    plain = 0
    for _ in range(3000):
        text = "".join(rng.choice(_PIECES[lang]) + rng.choice(seps) for _ in range(rng.randint(1, 14)))
        want = ([0] if lex.trigger.match(text) else []) + [e.end() for e in lex.edges.finditer(text)]
        assert list(dates._trigger_positions(lex, text)) == want, text
        plain += dates._NOT_PLAIN.search(text) is None
    assert plain > 300
