"""The figure and date speed-ups find exactly what the plain forms they replace find."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from fdiscope.normalise import dates, numbers
from fdiscope.normalise.numbers import NOT_LETTER, EndMatcher, S, _form_regex, alternation, fold

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _flat_alternation(forms: list[str], boundary: bool = True) -> str:
    """The alternation as it was written before the grouping by first character."""
    uniq = sorted({fold(str(f)) for f in forms if str(f).strip()}, key=lambda f: (-len(f), f))
    alts = [_form_regex(f) + (NOT_LETTER if boundary and f[-1].isalnum() else "") for f in uniq]
    return "(?:" + "|".join(alts) + ")"


def _flat_end(forms: list[str], fold_case: bool = True) -> re.Pattern[str]:
    """The reversed regex of :class:`EndMatcher` before the grouping."""
    alts = []
    for f in sorted({fold(str(f)) if fold_case else str(f).strip() for f in forms} - {""}, key=len)[::-1]:
        rev = "".join(f"{S}+" if ch == " " else re.escape(ch) for ch in f[::-1])
        if f[0].isalnum():
            rev += NOT_LETTER
        alts.append(rev)
    return re.compile(rf"{S}*(?:{'|'.join(alts) or '(?!)'})")


def _lexicon_forms() -> list[list[str]]:
    """Every list of forms in the number and money data (strings only)."""
    out: list[list[str]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            keys = [str(k) for k in node]
            if keys and all(not isinstance(v, (dict, list)) for v in node.values()):
                out.append(keys)
            for v in node.values():
                walk(v)
        elif isinstance(node, list) and node and all(isinstance(x, str) for x in node):
            out.append([str(x) for x in node])

    for lang in numbers.LANGS:
        walk(numbers.load_data(lang, "numbers"))
        walk(numbers.load_data(lang, "money"))
    return out


def _texts() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    return [numbers.lower_text(t) for t in texts]


def test_grouped_alternation_matches_like_the_flat_one() -> None:
    rng = random.Random(5)
    groups = _lexicon_forms()
    groups += [["bn", "billion", "b", "bb b", "b.", "x y", "%", "a", "an", "and a"]]
    texts = _texts()
    for forms in groups:
        pool = [fold(f) for f in forms if f.strip()]
        # texts made of the forms themselves, glued and cut, so that near misses abound
        made = ["".join(rng.choice(pool) + rng.choice(["", " ", "  ", "-", ".", "x"]) for _ in range(12))]
        for boundary in (True, False):
            grouped = re.compile(alternation(forms, boundary=boundary))
            flat = re.compile(_flat_alternation(forms, boundary))
            for text in made + texts[:3]:
                for i in range(len(text) + 1):
                    a, b = grouped.match(text, i), flat.match(text, i)
                    assert (a and a.span()) == (b and b.span()), (forms, text[i : i + 30])


def test_grouped_end_matcher_matches_like_the_flat_one() -> None:
    rng = random.Random(7)
    for forms in [*_lexicon_forms(), ["more than", "about", "US $", "a", "$", "US$"]]:
        for fold_case in (True, False):
            matcher = EndMatcher(forms, fold_case=fold_case)
            flat = _flat_end(forms, fold_case)
            pool = [f.strip() for f in forms if f.strip()] or ["x"]
            text = "".join(rng.choice(pool) + rng.choice(["", " ", "  5", "-", "x"]) for _ in range(15))
            for pos in range(len(text) + 1):
                m = flat.match(text[max(0, pos - 40) : pos][::-1])
                want = pos - m.end() if m else None
                assert matcher.start_before(text, pos) == want, (forms, text[:pos][-40:])


def test_job_gates_hold_in_every_match() -> None:
    """A job match always contains one of the gate keys the finder tests before scanning."""
    for lang in numbers.LANGS:
        _lex, pat = numbers._patterns(lang)
        for text in _texts():
            for rx, names in (
                (pat.jobs_num_first, ("nouns",)),
                (pat.jobs_employ, ("verbs", "people")),
                (pat.jobs_noun_first, ("nouns", "units")),
                (pat.percent, ("percent",)),
            ):
                for m in rx.finditer(text):
                    for name in names:
                        assert numbers._has(m.group(0), pat.keys[name]), (lang, name, m.group(0))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_shared_date_starts_give_the_same_dates(lang: str) -> None:
    rng = random.Random(9)
    heads = ["", "Published: ", "Xinhua, ", "By Li Wei | "]
    dates_ = ["2015-07-18 12:16", "October 11, 2014", "11 October 2014", "28 октября 2024", "12.03.2019"]
    texts = [p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    for _ in range(60):
        lines = [
            rng.choice(heads) + rng.choice(dates_) + rng.choice(["", " — ", " x", "\n"]) for _ in range(3)
        ]
        texts.append("\n".join(lines) + "\nSome text 12 in March 2014.\n" + "word " * rng.randint(0, 90))
    for text in texts:
        starts = dates.trigger_starts(text, lang)
        assert dates.find_published(text, lang, starts) == dates.find_published(text, lang)
        assert dates.find_dates(text, lang, None, starts) == dates.find_dates(text, lang, None)
