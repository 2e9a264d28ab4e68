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
