"""Equivalence tests for the speed paths of the organisation finder (round 5)."""

from __future__ import annotations

import random

import pytest

from fdiscope.normalise import orgs


def _full_chunks(text: str, lang: str) -> list[tuple[int, int, str, float, bool]]:
    """_chunk_names over the whole text as one sentence, every token cut (no head path)."""
    lex = orgs._lexicon(lang)
    saved = orgs._head_parts
    orgs._head_parts = lambda sentence: None  # type: ignore[assignment]
    try:
        out = orgs._chunk_names(text, 0, len(text), lex)
    finally:
        orgs._head_parts = saved  # type: ignore[assignment]
    return [(m.start, m.end, m.value.name, m.value.score, m.value.public) for m in out]


def _chunks(text: str, lang: str) -> list[tuple[int, int, str, float, bool]]:
    out = orgs._chunk_names(text, 0, len(text), orgs._lexicon(lang))
    return [(m.start, m.end, m.value.name, m.value.score, m.value.public) for m in out]


_WORDS = (
    "Gazprom IBM McDonald said says invests plc the of and in 5G 2nd 3M x co Ltd LLC company gold "
    "deposit Minister Russia's U.S. e.on china -based Harbin-based a it will build 4k 10th 1990s 7 b2b"
).split()
_GAPS = [" ", " ", " ", ", ", " - ", "  ", "-", "\u00a0", ". ", "'", '"', "(", ")", ""]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_head_path_gives_the_chunks_of_the_full_split(lang: str) -> None:
    """A sentence cut after its first two tokens (no capital after its first character) yields
    the chunks the full split yields."""
    rng = random.Random(23)
    heads = 0
    tails = ["5g", "4k", "2nd", "7", "b2b", "said", "plc", "of", "x"]
    for _ in range(8000):
        k = rng.randint(0, 7)
        if rng.random() < 0.4:  # a capitalised word, then lower-case words and words of digits
            text = rng.choice(_WORDS) + "".join(
                rng.choice(" " * 6 + ",-") + rng.choice(tails) for _ in range(k)
            )
        else:
            text = rng.choice(["", "", " ", '"']) + "".join(
                rng.choice(_WORDS) + rng.choice(_GAPS) for _ in range(k)
            )
        if rng.random() < 0.5:  # mostly lower case after the first word: the head path's case
            text = text[:1] + text[1:].lower()
        if text.isascii() and orgs._head_parts(text) is not None:
            heads += 1
        assert _chunks(text, lang) == _full_chunks(text, lang), text
    assert heads > 1000


@pytest.mark.parametrize(
    "text", ["Gazprom 5g 4k unit", "Acme 2nd 3rd plant", "Acme 5g", "IBM said", "Gazprom's unit said"]
)
def test_head_path_table(text: str) -> None:
    assert _chunks(text, "en") == _full_chunks(text, "en")


def test_head_parts_keep_the_first_tokens() -> None:
    for text in ["Gazprom said it would", "Gazprom", "", "Gazprom 5G unit", "IBM, the firm", " x y z"]:
        head = orgs._head_parts(text)
        full = orgs._TOKEN_SPLIT_ASCII.split(text)
        if head is None:
            continue
        assert head[:4] == full[:4]
        assert "".join(head) == text


def test_span_cursor_in_any_order() -> None:
    """_Tokens.span keeps an offset cursor: asked in any order, it gives the offsets of the regex."""
    rng = random.Random(3)
    text = "Says «Рубин» Ltd. — the U.S.-based Yapp Rus's unit_2 & Co, Zrt. plc’s x and Gazprom Neft"
    found = list(orgs._TOKEN.finditer(text))
    toks = orgs._Tokens(text, 0, len(text))
    for _ in range(2000):
        i = rng.randrange(len(found))
        j = rng.randrange(i, len(found))
        assert toks.span(i, j) == (found[i].start(), found[j].end())
