"""Cue lookups: the word-start shortcut gives exactly what a full regular-expression scan gives."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from fdiscope.frames.cues import Cues, FrameCues, Masked, frame_cues, reset_memo
from fdiscope.segment import split_sentences

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# sentences written for this test: cue words at the very start and end, inside hyphenated
# words, after digits, in upper case, and a letter whose lower case is longer ("İ")
WRITTEN = {
    "en": [
        "Plant construction began in May; the company will invest $200 mln in the factory.",
        "THE JOINT VENTURE WILL BUILD A LOGISTICS PARK NEAR THE PORT.",
        "A co-operation agreement was signed, and 1,200 jobs are planned at the plant",
        "İstanbul-based investors visited the forum on 12 March and signed a deal.",
        "Trade turnover grew by 12% year-on-year to $1.5 billion in January–September.",
        "",
    ],
    "ru": [
        "Строительство завода начнётся в 2025 году, инвестиции составят 1 млрд рублей.",
        "КОМПАНИЯ ПОДПИСАЛА СОГЛАШЕНИЕ О СОЗДАНИИ СОВМЕСТНОГО ПРЕДПРИЯТИЯ.",
        "Товарооборот за январь–сентябрь вырос на 12%, сообщили в министерстве.",
    ],
}


def _every_cue(cues: FrameCues) -> Iterator[tuple[Cues, str, re.Pattern[str]]]:
    """Each cue of every lexicon section with its section and compiled pattern."""
    for section in (cues.project, cues.status, cues.kind, cues.sector, cues.trade, cues.event):
        for name in section.names():
            pat = section.get(name)
            assert pat is not None
            yield section, name, pat


def _texts(lang: str) -> list[str]:
    out = list(WRITTEN[lang])
    for path in sorted(EXAMPLES.glob("*.txt")):
        is_ru = path.stem.endswith("-ru")
        if is_ru != (lang == "ru"):
            continue
        text = path.read_text("utf-8")
        out += [text[s:e] for s, e in split_sentences(text, lang)]
    return out


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_search_equals_full_scan(lang: str) -> None:
    cues = frame_cues(lang)
    checked = 0
    for section, name, pat in _every_cue(cues):
        for text in _texts(lang):
            reset_memo()
            got = section.search(name, text)
            want = pat.search(text)
            assert (got and (got.start(), got.end())) == (want and (want.start(), want.end())), (
                name,
                text,
            )
            checked += want is not None
    assert checked > 50  # the texts do contain cues: the comparison is not vacuous


def test_filters_cover_most_cues() -> None:
    """Most cues have a word-prefix filter (else every lookup is a full scan)."""
    for lang in ("en", "ru"):
        cues = frame_cues(lang)
        names = [(s, n) for s in (cues.project, cues.status, cues.sector, cues.event) for n in s.names()]
        with_filter = [n for s, n in names if n in s.filters]
        assert len(with_filter) >= 0.8 * len(names), lang


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_pieces_of_a_text_equal_full_scans_of_the_pieces(lang: str) -> None:
    """A piece given by offsets (cut anywhere, even inside a word) or with names blanked out gets
    the answer a full scan of that piece gives: the one word index of the whole text is sound."""
    rng = random.Random(7)
    cues = frame_cues(lang)
    text = "\n".join(_texts(lang))
    text += " co-operation plants-plant x-plant PLANT_1 --plant 12-plant " + text[:200].upper()
    checked = 0
    reset_memo()
    for _ in range(60):
        a = rng.randrange(len(text))
        b = min(len(text), a + rng.choice([4, 15, 40, 120, 400]))
        spans = []
        for _k in range(rng.choice([0, 1, 3])):
            x = rng.randrange(a, b + 1)
            spans.append((x, min(b, x + rng.randrange(1, 12))))
        chars = list(text[a:b])
        for x, y in spans:
            chars[x - a : y - a] = " " * (y - x)
        masked_text = "".join(chars)
        masked = Masked(text, a, b, spans)
        assert masked.text == masked_text
        for section, name, pat in _every_cue(cues):
            for got, want in (
                (section.search_in(name, text, a, b), pat.search(text[a:b])),
                (section.search_masked(name, masked), pat.search(masked_text)),
            ):
                assert (got and got.span()) == (want and want.span()), (name, a, b, spans)
                checked += want is not None
            found = [m.span() for m in section.finditer_in(name, text, a, b)]
            assert found == [m.span() for m in pat.finditer(text[a:b])]
    assert checked > 50


def test_head_uses_equal_the_case_insensitive_regex() -> None:
    """Whole-word uses of a name's first word equal those of the per-document regex they replace,
    also beside letters a case-insensitive regex matches to ASCII ones ("K", "ſ", "İ", "ı")."""
    from fdiscope.frames.context import _head_uses

    rng = random.Random(3)
    words = [
        "Tianma",
        "tianma",
        "TIANMA",
        "Haval",
        "haval-x",
        "Kask",
        "\u212aask",
        "Ha\u017fal",
        "Росатом",
        "Tianmas",
        "x_Haval",
        "Haval1",
        "İstan",
        "Istan",
        "ıstan",
    ]
    for heads in (["Tianma", "Haval", "Kask"], ["Istan", "Haval"], ["Росатом", "Haval"]):
        for _ in range(200):
            text = "".join(
                rng.choice(words) + rng.choice([" ", "-", "'s ", ", ", "\n", "_"]) for _ in range(8)
            )
            want = re.compile(
                r"(?<![\w-])(?:"
                + "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
                + r")(?![\w-])",
                re.IGNORECASE,
            )
            assert [m.span() for m in _head_uses(text, heads)] == [m.span() for m in want.finditer(text)]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_number_cues_in_a_text_whose_numbers_come_out_of_order(lang: str) -> None:
    """Cues that start with a number ("12 companies") are found however the text's numbers
    first occur ("2019 ... 12 ... 2019"): the index lists their words in text order."""
    cues = frame_cues(lang)
    words = {"en": "companies projects plants", "ru": "компаний проектов заводов"}[lang].split()
    rng = random.Random(11)
    checked = 0
    for _ in range(40):
        numbers = [str(rng.choice([2019, 2024, 12, 7, 300, 45])) for _ in range(8)]
        text = " ".join(f"{n} {rng.choice(words)} x" for n in numbers)
        reset_memo()
        for section, name, pat in _every_cue(cues):
            for _k in range(5):
                a = rng.randrange(len(text))
                b = rng.randrange(a, len(text) + 1)
                got = section.search_in(name, text, a, b)
                want = pat.search(text[a:b])
                assert (got and got.span()) == (want and want.span()), (name, text, a, b)
                checked += want is not None
    assert checked > 20


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_ends_equals_the_anchored_scan(lang: str) -> None:
    """``ends`` (which skips a text holding none of the cue's heads) answers what the cue
    anchored at the text's end, searched position by position, answers."""
    rng = random.Random(5)
    cues = frame_cues(lang)
    text = "\n".join(_texts(lang))
    pieces = []
    for _ in range(150):
        b = rng.randrange(len(text) + 1)
        pieces.append(text[max(0, b - rng.choice([10, 30, 60])) : b] + rng.choice(["", " ", "\u00a0 "]))
    checked = 0
    for section, name, pat in _every_cue(cues):
        anchored = re.compile(rf"(?:{pat.pattern})[\s\u00a0]*\Z", pat.flags)
        for piece in pieces:
            want = anchored.search(piece) is not None
            assert section.ends(name, piece) == want, (name, piece)
            checked += want
        # the cue's own words at the very end
        for piece in [p.group() for p in pat.finditer(text)][:5]:
            assert section.ends(name, "x " + piece) == (anchored.search("x " + piece) is not None)
    assert checked > 10


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_may_match_says_no_only_when_every_cue_finds_nothing(lang: str) -> None:
    """``may_match`` (one look-up for many cues) answers False only for pieces (cut anywhere,
    names blanked) in which each of the cues finds nothing, and it does say False."""
    rng = random.Random(9)
    cues = frame_cues(lang)
    # without "İ" (its lower case is longer: such a text gets no word index, and no quick "no")
    text = "\n".join(_texts(lang)).replace("İ", "I")
    text += " co-operation plants-plant x-plant PLANT_1 --plant 12-plant 2019 7 " + text[:200].upper()
    reset_memo()
    said_no = 0
    for _ in range(150):
        a = rng.randrange(len(text))
        b = min(len(text), a + rng.choice([4, 15, 40, 120]))
        spans = []
        for _k in range(rng.choice([0, 1, 3])):
            x = rng.randrange(a, b + 1)
            spans.append((x, min(b, x + rng.randrange(1, 12))))
        masked = Masked(text, a, b, spans)
        for section in (cues.project, cues.status, cues.kind, cues.sector, cues.trade, cues.event):
            names = section.names()
            group = tuple(rng.sample(names, min(len(names), rng.choice([1, 3, 6]))))
            if not section.may_match(group, text, a, b):
                said_no += 1
                assert all(section.search_in(n, text, a, b) is None for n in group), (group, a, b)
            if not section.may_match(group, text, a, b, masked):
                assert all(section.search_masked(n, masked) is None for n in group), (group, a, b, spans)
    assert said_no > 50


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_number_cues_after_digits_of_other_scripts(lang: str) -> None:
    """The words an index lists for a cue starting with a number include those starting with a
    digit that is not ASCII ("٣", "²", "３"): found among the heads sorted after ASCII."""
    cues = frame_cues(lang)
    words = {"en": "companies projects plants", "ru": "компаний проектов заводов"}[lang].split()
    rng = random.Random(3)
    for _ in range(30):
        numbers = [rng.choice(["٣", "²", "３", "12", "7", "Ω", "_5"]) for _ in range(6)]
        text = " ".join(f"{n} {rng.choice(words)} x" for n in numbers)
        reset_memo()
        for section, name, pat in _every_cue(cues):
            got = section.search_in(name, text, 0, len(text))
            want = pat.search(text)
            assert (got and got.span()) == (want and want.span()), (name, text)
