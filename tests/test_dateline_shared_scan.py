"""``find_published`` with one trigger scan of the head finds what one scan per line found."""

from __future__ import annotations

import random

import pytest

from fdiscope.model import DateValue, Mention
from fdiscope.normalise import dates


def _per_line(text: str, lang: str) -> Mention | None:
    """The former ``find_published``: :func:`dates.find_dates` on each head line on its own."""
    lex = dates._lexicon(lang)
    seen = pos = 0
    for line in text.splitlines(keepends=True):
        ls, pos = pos, pos + len(line)
        if ls > dates._HEAD_CHARS:
            break
        body = line.rstrip("\r\n")
        if not body.strip():
            continue
        seen += 1
        if seen > dates._HEAD_LINES:
            break
        for m in dates.find_dates(body[: dates._HEAD_CHARS + 100], lang, None):
            v = m.value
            if v.precision != "day" or v.relative:
                continue
            before, after = body[: m.start], body[m.end :]
            lead_ok = not before.strip() or bool(lex.label.fullmatch(before))
            tail_ok = bool(dates._TRIVIAL.fullmatch(after)) or bool(dates._SEPARATOR.match(after))
            if (lead_ok and (tail_ok or dates._NUMERIC_STAMP.match(m.text))) or (
                dates._byline(before) and tail_ok
            ):
                return Mention(ls + m.start, ls + m.end, "DATE", DateValue(v.iso[:10], "day", False), m.text)
    return None


_PIECES = {
    "en": [
        "2015-07-18",
        "12:16",
        "October 11, 2014",
        "11 Oct 2014",
        "a",
        "week",
        "ago",
        "Published:",
        "Xinhua,",
        "By Li Wei |",
        "Sept.",
        "2014",
        "the",
        "first",
        "half",
        "of",
        "May",
        "3",
        "Tuesday",
        "-",
        "|",
        "—",
        "16.09.2013",
        "Q1",
        "today",
        "x" * 390,
        "Mar",
    ],
    "ru": [
        "2025-09-04",
        "28.10.2024",
        "28 октября",
        "2024",
        "г.",
        "Опубликовано:",
        "ТАСС,",
        "в",
        "году",
        "мая",
        "вчера",
        "-",
        "|",
        "11:16",
        "первого",
        "квартала",
        "я" * 390,
        "Мая",
    ],
}
_SEPS = [" ", "  ", "\n", "\r\n", "\n\n", ", ", "\u2028", "\x0c", "\n ", "\t"]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_shared_scan_finds_the_same_dateline(lang: str) -> None:
    rng = random.Random(7)
    for _ in range(3000):
        n = rng.randint(1, 14)
        text = "".join(rng.choice(_PIECES[lang]) + rng.choice(_SEPS) for _ in range(n))
        if rng.random() < 0.3:
            text = text.rstrip()
        assert dates.find_published(text, lang) == _per_line(text, lang), repr(text)
