"""The restricted surname scan gives the full scan's answer for the stems it is asked about."""

from __future__ import annotations

import random

from test_context import _PIECES, _Doc, _random_text

from fdiscope.frames import context


def test_surnames_for_some_stems_are_the_full_answer_restricted() -> None:
    rng = random.Random(5)
    stems = sorted({context._stem(p) for p in _PIECES} | {"shaps", "ivan", "петро", "ёлки", "iva", "σσσσ"})
    pieces_extra = ["Σσσσσ", "ẞaaa", "Ivanov", "Ivana", "ИВАН", "Ёлкина", "KIvan", "Ⅷiva"]
    for lang in ("en", "ru"):
        names = context.first_names(lang)
        pieces = [n.title() for n in sorted(names)[:40]]
        for _ in range(3000):
            text = _random_text(rng)
            if rng.random() < 0.3:
                text += " " + " ".join(rng.sample(pieces_extra, 3))
            if rng.random() < 0.5:
                text = text.replace("Ivan", rng.choice(pieces))
            doc = _Doc(text, lang)
            full = context._surnames(doc)  # type: ignore[arg-type]
            asked = set(rng.sample(stems, rng.randint(0, 6)))
            asked |= set(rng.sample(sorted(full), min(2, len(full))))
            assert context._surnames(doc, asked) == full & asked, text  # type: ignore[arg-type]


def test_companies_from_needs_from_or_iz_in_lower_case() -> None:
    """The gate before ``_COMPANIES_FROM``: every match holds "from" or "из" once lower-cased."""
    rng = random.Random(9)
    words = [
        "companies",
        "Investors",
        "FIRMS",
        "компании",
        "инвесторы",
        "of",
        "from",
        "FROM",
        "From",
        "из",
        "ИЗ",
        "Из",
        "the",
        "The",
        "five",
        "new",
        "ſ",
        "İ",
        "K",
        "x",
    ]
    for _ in range(4000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 6))) + rng.choice(["", " ", "  "])
        if context._COMPANIES_FROM.search(text):
            low = text.lower()
            assert "from" in low or "из" in low, text
