"""Document-context shortcuts give exactly what the plain regular expressions they replace give."""

from __future__ import annotations

import random
import re

from fdiscope.frames import context

#: the pairs the surname scan used to take from a lookbehind tried at every letter
_PAIRS = re.compile(r"(?<![^\W\d_])([^\W\d_][\w'’-]*+)(?=\s+([A-ZА-ЯЁ][\w'’-]+))")

_PIECES = [
    "Vladislav",
    "Shapsha",
    "ivan",
    "Ivan",
    "IVAN",
    "Петров",
    "Владислав",
    "шапша",
    "A",
    "B.",
    "5",
    "2015",
    "_",
    "-",
    "'",
    "’",
    "x5y",
    "²",
    "½",
    "Ⅷ",
    "é",
    "İ",
    "ß",
    "O'Neil",
    "Petrov-Vodkin",
    "Ёлкин",
    "a_b",
    "5Ivan",
    "-Ivan",
    "__",
    "(",
    ")",
    ",",
    ".",
    "«",
    "»",
    "Aleksandrovichevskiyabcdefghijklmnopqrstuvw",
]
_GAPS = [" ", "  ", "\n", "\t", "\u00a0", "", "-", ", ", "'", "_", " \n "]


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice(_PIECES) + rng.choice(_GAPS) for _ in range(rng.randint(0, 12)))


class _Doc:
    def __init__(self, text: str, lang: str) -> None:
        self.text, self.lang = text, lang


def test_surnames_equal_the_lookbehind_regex() -> None:
    rng = random.Random(7)
    for lang in ("en", "ru"):
        names = context.first_names(lang)
        pieces = [n.title() for n in sorted(names)[:40]]
        for _ in range(4000):
            text = _random_text(rng)
            if rng.random() < 0.5:
                text = text.replace("Ivan", rng.choice(pieces))
            want = {context._stem(a) for w, a in _PAIRS.findall(text) if w.casefold() in names}
            assert context._surnames(_Doc(text, lang)) == want, text  # type: ignore[arg-type]


def test_words_before_capitals_equal_the_lookbehind_regex() -> None:
    """Every pair, not only those of known given names (the name check comes after)."""
    rng = random.Random(11)
    for _ in range(5000):
        text = _random_text(rng)
        got = []
        for m in context._CAPITALISED.finditer(text):
            end = m.start() - 1
            while end > 0 and text[end - 1].isspace():
                end -= 1
            word = context._word_before(text, end)
            if word:
                got.append((word, m.group()))
        assert got == _PAIRS.findall(text), text


def test_head_spans_equal_the_case_insensitive_regex() -> None:
    """Whole-word uses of a name's first word: ``str.find`` in the lower-cased text gives the
    spans of the per-document regex, also beside "K", "ſ", "İ", "ı", hyphens and underscores."""
    rng = random.Random(5)
    words = [
        "Tianma", "tianma", "TIANMA", "Haval", "haval-x", "Kask", "\u212aask", "Ha\u017fal", "Росатом",
        "Tianmas", "x_Haval", "Haval1", "İstan", "Istan", "ıstan", "TianmaTianma", "é", "Havalé",
    ]  # fmt: skip
    gaps = [" ", "-", "'s ", ", ", "\n", "_", "", "’"]
    for heads in (["Tianma", "Haval", "Kask"], ["Istan", "Haval"], ["Росатом", "Haval"], ["Tianma"]):
        want = re.compile(
            r"(?<![\w-])(?:"
            + "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
            + r")(?![\w-])",
            re.IGNORECASE,
        )
        for _ in range(1000):
            text = "".join(rng.choice(words) + rng.choice(gaps) for _ in range(rng.randint(0, 10)))
            assert context._head_spans(text, heads) == [m.span() for m in want.finditer(text)], text


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
