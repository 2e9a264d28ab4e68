"""The first-letter grouping of case-sensitive month/weekday names matches what the flat
longest-first alternation matched (same span at every position of tricky texts)."""

from __future__ import annotations

import random
import re

from fdiscope.lexicon import load_lexicon
from fdiscope.normalise import dates as D


def _forms(lang: str) -> list[str]:
    data = load_lexicon(lang, "dates")
    out: list[str] = []
    for section in ("months", "weekdays"):
        for v in (data.get(section) or {}).values():
            out += [str(f) for f in v.get("names") or []]
            out += [str(f) + r"\.?" for f in v.get("abbr") or []]
    return out


def test_grouped_names_match_the_flat_alternation() -> None:
    rng = random.Random(6)
    for lang in ("en", "ru"):
        frags = _forms(lang)
        forms = [v for f in frags for v in (f[:1].upper() + f[1:], f.upper())]
        flat = re.compile("(?-i:" + D._alt(forms) + ")", re.I)
        grouped = re.compile("(?-i:" + D._alt_by_first(forms) + ")", re.I)
        words = [f.replace("\\.?", rng.choice(["", "."])) for f in forms] + [f.lower() for f in frags]
        for _ in range(400):
            text = " ".join(rng.choice(words)[: rng.randint(1, 12)] for _ in range(6))
            for i in range(len(text)):
                a, b = flat.match(text, i), grouped.match(text, i)
                assert (a and a.span()) == (b and b.span()), (lang, text, i)


def test_grouping_falls_back_when_a_form_does_not_start_with_a_plain_letter() -> None:
    assert D._alt_by_first(["(?:Jan)", "May"]) == D._alt(["(?:Jan)", "May"])
    assert D._alt_by_first(["J?an", "May"]) == D._alt(["J?an", "May"])
    assert D._alt_by_first(["Jan", "June", "Mayday"]) == "(?:Mayday|J(?:une|an))"
