"""Organisation names by rule, English and Russian (sentences written for these tests)."""

from __future__ import annotations

import pytest

from fdiscope.normalise.orgs import find_orgs, org_key
from fdiscope.segment import split_sentences


def names(text: str, lang: str) -> list[str]:
    return [m.value.name for m in find_orgs(text, lang, split_sentences(text, lang)) if not m.value.public]


@pytest.mark.parametrize(
    ("text", "lang", "present"),
    [
        ("Yapp Rus Automotive System will supply fuel tanks.", "en", "Yapp Rus Automotive System"),
        ("The Chinese company IG BR signed the deal.", "en", "IG BR"),
        ("Petra-Haihua is involved in the reconstruction of the runway.", "en", "Petra-Haihua"),
        ("Local partner Bruschatka LLC will make paving stones.", "en", "Bruschatka LLC"),
        ('The complex of JSC "Ammoni" opened in 2016.', "en", "Ammoni"),
        ("Компания ООО «Рубин» построит склад.", "ru", "Рубин"),
        ("Китайская компания «Хуалин Пакеджинг» подписала соглашение.", "ru", "Хуалин Пакеджинг"),
        ("АО «Калужский завод» расширит производство.", "ru", "Калужский завод"),
        # a name may end in an org word that is no name on its own ("Trading", "Investment")
        ("The firm Wenling Jinsheng Trading will set up a cluster.", "en", "Wenling Jinsheng Trading"),
        # a home qualifier is not part of the name
        ("Harbin-based Pinewood Transport Group agreed to build a centre.", "en", "Pinewood Transport Group"),
        ("Hong Kong-based Pacific Ocean Fisheries has acquired a stake.", "en", "Pacific Ocean Fisheries"),
        ("Zijin Mining Group will develop the deposit.", "en", "Zijin Mining Group"),
        # a company noun that opens a name with "of" stays in it
        ("Bank of China will provide a loan of 8 billion yuan.", "en", "Bank of China"),
        # "and" between two trade words is inside a name
        ("The Nizhny Tagil Iron and Steel Works said so.", "en", "Nizhny Tagil Iron and Steel Works"),
        # a sentence's first word joined by "and" to a name that acts is a name too
        ("Rosvent and Tianfeng Energy will build a wind farm.", "en", "Rosvent"),
        # a sentence's first word followed by a company apposition
        ("Tulaprofil, a domestic producer of steel profiles, will build a mill.", "en", "Tulaprofil"),
        # ... or one speaking of itself as a company does
        ("Acron said on Tuesday it had signed an agreement.", "en", "Acron"),
        # a name ending as companies do, joined to a ministry by "and", is a party of its own
        (
            "The Ministry of Energy and China Qinmore Overseas Investment signed the deal.",
            "en",
            "China Qinmore Overseas Investment",
        ),
        # a lower-case noun before a name is no person title ("its partner")
        ("Its partner Tianfeng will invest. Tianfeng will build a wind farm.", "en", "Tianfeng"),
    ],
)
def test_names_found(text: str, lang: str, present: str) -> None:
    assert present in names(text, lang)


@pytest.mark.parametrize(
    ("text", "lang", "absent"),
    [
        # an industrial park or a zone is a site, not a company
        (
            "The plant will be built in the China-Belarus Industrial Park Great Stone.",
            "en",
            "China-Belarus Industrial Park Great Stone",
        ),
        ("Завод построят в Индустриальном парке Ворсино.", "ru", "Индустриальном парке Ворсино"),
        # units are not names
        ("Китайская компания построит электростанцию мощностью 100 МВт.", "ru", "МВт"),
        # product acronyms are not names
        ("A Chinese maker of LED lighting invested $12 million.", "en", "LED"),
        # titles and ministries are not companies, nor the people after them
        (
            "The delegation was led by Deputy Minister of Economic Development Dmitry Volvach.",
            "en",
            "Development Dmitry Volvach",
        ),
        ("Minister of Industry and Commerce Lin Ji attended.", "en", "Commerce Lin Ji"),
        ("Governor Boris Dubrovskiy met the investors.", "en", "Boris Dubrovskiy"),
        # an event name is not a company
        ("The IX Russia-China Economic Forum opened in Sochi.", "en", "IX Russia-China"),
        # qualifiers alone are not a name
        ("Goods go through the Chinese-owned Greek port.", "en", "Chinese-owned Greek"),
        ("Делегацию возглавил губернатор Владислав Шапша.", "ru", "Владислав Шапша"),
        # a place of extraction named like a company
        ("They discussed the development of the Kyuchus gold deposit.", "en", "Kyuchus"),
        ("Work began at the Udokan copper field last year.", "en", "Udokan"),
        # ... but not a first word joined to something that does not act
        ("Construction and Logistics remain the main costs.", "en", "Construction"),
        ("Moreover and Beyond that, nothing.", "en", "Moreover"),
        # a rubric before a colon, and a first word the text also writes in lower case
        ("ANALYSIS: Rosvent will build a wind farm.", "en", "ANALYSIS"),
        ("Rosvent began construction of the farm. Construction will cost $90 million.", "en", "Construction"),
        ("Construction is due to begin in the autumn.", "en", "Construction"),
        # the short name of an event in brackets
        ("The deal was signed at the Tyumen Oil and Gas Forum (TNF) on Tuesday.", "en", "TNF"),
        # a surname alone names the person the text introduced with a title or a given name ...
        ("President Vladimir Carrow came. Carrow and Tianfeng Energy will build a plant.", "en", "Carrow"),
        ("Premier Dong Weiran came. Later Weiran and Rosvent agreed to build a mill.", "en", "Weiran"),
        # ... or a public figure named by the surname alone (lexicon)
        ("Putin and Rosvent will build a wind farm.", "en", "Putin"),
    ],
)
def test_non_names_rejected(text: str, lang: str, absent: str) -> None:
    assert absent not in names(text, lang)


def test_spans_are_exact() -> None:
    text = 'Hengda Fluid Machinery and PJSC "Kazanorgsintez" signed contracts.'
    for m in find_orgs(text, "en", split_sentences(text, "en")):
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("IG BR", "IGBR"),
        ('JSC "Ammoni"', "Ammoni"),
        ("Bruschatka LLC", "Bruschatka"),
        ("ООО «Рубин»", "Рубин"),
    ],
)
def test_org_key_folds_forms(a: str, b: str) -> None:
    assert org_key(a) == org_key(b)


def test_sentence_tokens_match_the_token_regex() -> None:
    """The split of a sentence gives the tokens, and the offsets, that a search for them gives."""
    from fdiscope.normalise.orgs import _TOKEN, _Tokens

    text = "Says «Рубин» Ltd. — the U.S.-based Yapp Rus's unit_2 & Co, Zrt. plc’s x"
    for s, e in ((0, len(text)), (5, 40), (-3, 20), (30, 12)):
        toks = _Tokens(text, s, e)
        found = list(_TOKEN.finditer(text, max(s, 0), max(e, 0)))
        assert toks.words == [m.group() for m in found]
        for i in range(len(found)):
            for j in range(i, len(found)):
                assert toks.span(i, j) == (found[i].start(), found[j].end())


def test_token_split_equals_the_token_regex_on_random_texts() -> None:
    """The faster split pattern (a lookbehind instead of a backtracking group) cuts every text
    into the same gaps and tokens as the plain token regex."""
    import random
    import re

    from fdiscope.normalise.orgs import _TOKEN, _TOKEN_SPLIT

    plain = re.compile(f"({_TOKEN.pattern})")
    rng = random.Random(7)
    alphabet = "aZ9_&.'’+-  ,é\u0301Ж_..\n«"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert _TOKEN_SPLIT.split(text) == plain.split(text), text


def test_ascii_token_split_equals_the_unicode_one_on_ascii_texts() -> None:
    """An ASCII sentence is cut by the ASCII pattern exactly as by the Unicode one."""
    import random

    from fdiscope.normalise.orgs import _TOKEN_SPLIT, _TOKEN_SPLIT_ASCII

    rng = random.Random(5)
    alphabet = "aZ9_&.'+-  ,;:\n\t\"()$%/" + "".join(map(chr, range(32, 127)))
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert _TOKEN_SPLIT_ASCII.split(text) == _TOKEN_SPLIT.split(text), text


def test_joined_lowering_equals_lowering_each_word() -> None:
    """_Tokens lowers its words joined by newlines in one call: the same as each word alone,
    final sigma ("ΣΑΣ" -> "σας"), dotted capital I and apostrophes included."""
    import random

    from fdiscope.normalise.orgs import _Tokens

    rng = random.Random(11)
    alphabet = "aZ9Σσ'’.İÄЖ-&+ ,\n" + "ΑΣΟ" * 3
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 18)))
        toks = _Tokens(text, 0, len(text))
        assert toks.lows == [w.lower() for w in toks.words], text


def test_site_gate_never_hides_a_site_match() -> None:
    """_make_chunk tries ``site_after`` only when the first word after the name opens like a
    mineral or a site word (``site_first``): wherever the gate says no, the pattern finds nothing."""
    import random

    from fdiscope.normalise.orgs import _BLANKS, _lexicon

    lex = _lexicon("en")
    assert lex.site_after is not None and lex.site_first
    rng = random.Random(13)
    words = ["gold", "GOLD", "Copper", "deposit", "Field", "mine", "mining site", "ſilver", "oil", "x"]
    blanks = [" ", "\t", "  ", "\n", " \u00a0", ""]
    for _ in range(20000):
        tail = "".join(rng.choice(blanks) + rng.choice(words) for _ in range(rng.randint(0, 3)))
        text = "Udokan" + tail + rng.choice(["", ".", ",", " and"])
        end = 6
        after = text[end : end + 40].split(None, 1)
        gate = text[end : end + 1] in _BLANKS and (
            not after or after[0][0] in lex.site_first or not after[0][0].isascii()
        )
        if not gate:
            assert lex.site_after.match(text, end) is None, text
