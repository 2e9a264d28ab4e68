"""Tests for :mod:`fdiscope.normalise.numbers`: numbers, percentages, multiples and job counts."""

from __future__ import annotations

import pytest

from fdiscope.model import Mention
from fdiscope.normalise.numbers import (
    find_jobs,
    find_multiples,
    find_percents,
    lower_text,
    parse_number,
)


def _check_spans(text: str, found: list[Mention]) -> None:
    """Every mention reproduces its text and the list is in text order without overlaps."""
    for m in found:
        assert text[m.start : m.end] == m.text
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start


# --------------------------------------------------------------------------- parse_number

PARSE_CASES = [
    ("1,000", "en", 1000),
    ("1.000", "en", 1000),
    ("60.000", "en", 60000),
    ("60.000", "ru", 60000),
    ("48 892 000", "ru", 48_892_000),
    ("48\u00a0892\u00a0000", "ru", 48_892_000),
    ("48\u202f892\u2009000", "en", 48_892_000),
    ("1,5", "ru", 1.5),
    ("27,4", "ru", 27.4),
    ("1.844.036.360,12", "ru", 1_844_036_360.12),
    ("1,234,567.5", "en", 1_234_567.5),
    ("17.75", "en", 17.75),
    ("13.503", "en", 13.503),
    ("0.75", "ru", 0.75),
    ("2,500", "en", 2500),
    ("one", "en", 1),
    ("two", "en", 2),
    ("eleven", "en", 11),
    ("Twenty-five", "en", 25),
    ("three hundred", "en", 300),
    ("one hundred and twenty thousand", "en", 120_000),
    ("fifty million", "en", 50_000_000),
    ("a billion", "en", 1e9),
    ("almost a billion", "en", 1e9),
    ("half a billion", "en", 5e8),
    ("1.5 billion", "en", 1.5e9),
    ("13.503 billion", "en", 13.503e9),
    ("два", "ru", 2),
    ("четырех тысяч", "ru", 4000),
    ("четырёх тысяч", "ru", 4000),
    ("тысяча", "ru", 1000),
    ("двести пятьдесят", "ru", 250),
    ("полтора миллиона", "ru", 1.5e6),
    ("5,3 млн", "ru", 5.3e6),
    ("около 70 млрд", "ru", 70e9),
]


@pytest.mark.parametrize(("s", "lang", "value"), PARSE_CASES)
def test_parse_number(s: str, lang: str, value: float) -> None:
    assert parse_number(s, lang) == pytest.approx(value)


@pytest.mark.parametrize(
    "s",
    ["", "   ", "abc", "16.09.2013", "1.2.3", "one apple", "a", "and", "$", "--", "1,2,3,4.5.6", "\x00"],
)
def test_parse_number_rejects(s: str) -> None:
    assert parse_number(s, "en") is None
    assert parse_number(s, "ru") is None


def test_parse_number_odd_types_and_languages() -> None:
    assert parse_number(None, "en") is None  # type: ignore[arg-type]
    assert parse_number("12", "xx") == 12
    assert parse_number("two", "") == 2


def test_lower_text_keeps_offsets() -> None:
    for s in ("Около ЧЕТЫРЁХ", "İstanbul 5 bn", "ǅ", "ẞ"):
        assert len(lower_text(s)) == len(s)


# --------------------------------------------------------------------------- percents

PERCENT_CASES = [
    ("en", "Trade grew 32% last year.", "32%", 32.0),
    ("en", "It rose almost 32 % in May.", "32 %", 32.0),
    ("en", "a share of 72.8%", "72.8%", 72.8),
    ("en", "up 10 percent", "10 percent", 10.0),
    ("en", "some 85 per cent of output", "85 per cent", 85.0),
    ("en", "a 13% stake", "13%", 13.0),
    ("en", "a 5-7% rise", "5-7%", 5.0),
    ("en", "by ten percent", "ten percent", 10.0),
    ("ru", "вырос на 27,4 проц по сравнению", "27,4 проц", 27.4),
    ("ru", "снизился на 9,6 проц.", "9,6 проц.", 9.6),
    ("ru", "доля 13%", "13%", 13.0),
    ("ru", "на 47 процентов больше", "47 процентов", 47.0),
    ("ru", "около 3,5 процента", "3,5 процента", 3.5),
]


@pytest.mark.parametrize(("lang", "text", "span", "value"), PERCENT_CASES)
def test_find_percents(lang: str, text: str, span: str, value: float) -> None:
    found = find_percents(text, lang)
    _check_spans(text, found)
    assert [(m.text, m.value, m.label) for m in found] == [(span, value, "PERCENT")]


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "It is 5 percentage points lower."), ("en", "No figures here."), ("ru", "В 2014 году.")],
)
def test_no_percents(lang: str, text: str) -> None:
    assert find_percents(text, lang) == []


# --------------------------------------------------------------------------- multiples

MULTIPLE_CASES = [
    ("en", "Exports doubled in 2014.", "doubled", 100.0),
    ("en", "Sales tripled.", "tripled", 200.0),
    ("en", "Output rose tenfold.", "tenfold", 900.0),
    ("en", "a ten-fold increase", "ten-fold", 900.0),
    ("en", "a 2.5-fold increase", "2.5-fold", 150.0),
    ("en", "Imports grew by 6.7 times.", "by 6.7 times", 570.0),
    ("en", "It is 3 times more than before.", "3 times", 200.0),
    ("en", "They plan to double capacity.", "double", 100.0),
    ("en", "Trade was halved.", "halved", -50.0),
    ("en", "Prices fell threefold.", "threefold", -66.6667),
    ("ru", "Товарооборот вырос в два раза.", "в два раза", 100.0),
    ("ru", "вырос более чем в два раза", "в два раза", 100.0),
    ("ru", "увеличился в 10 раз", "в 10 раз", 900.0),
    ("ru", "в 2,5 раза больше", "в 2,5 раза", 150.0),
    ("ru", "в полтора раза", "в полтора раза", 50.0),
    ("ru", "Объем вырос вдвое.", "вдвое", 100.0),
    ("ru", "Выпуск увеличится втрое.", "втрое", 200.0),
    ("ru", "Импорт сократился вдвое.", "вдвое", -50.0),
    ("ru", "Цена в 2 раза меньше.", "в 2 раза", -50.0),
    ("ru", "Экспорт удвоился.", "удвоился", 100.0),
    # a change by a share of the old size, direction from the sentence
    ("ru", "Товарооборот увеличился на треть.", "на треть", 33.3333),
    ("ru", "Импорт сократился на четверть.", "на четверть", -25.0),
    ("en", "Exports grew by a third in 2024.", "by a third", 33.3333),
    ("en", "Imports fell by half.", "by half", -50.0),
]


@pytest.mark.parametrize(("lang", "text", "span", "value"), MULTIPLE_CASES)
def test_find_multiples(lang: str, text: str, span: str, value: float) -> None:
    found = find_multiples(text, lang)
    _check_spans(text, found)
    assert len(found) == 1, found
    assert found[0].text == span
    assert found[0].label == "MULTIPLE"
    assert found[0].value == pytest.approx(value, abs=1e-3)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "He visited the plant 3 times."),
        ("en", "A third of the plant is ready; the rest is split by half with the partner."),
        ("en", "It uses double glazing and a double-digit share."),
        ("ru", "Он был там несколько раз."),
        ("ru", "Он приезжал 3 раза."),
    ],
)
def test_no_multiples(lang: str, text: str) -> None:
    assert find_multiples(text, lang) == []


# --------------------------------------------------------------------------- jobs

JOB_CASES = [
    ("en", "The plant will create 80 new jobs.", "80 new jobs", 80),
    ("en", "It will bring about 80 new jobs.", "80 new jobs", 80),
    ("en", "The firm will create over 300 jobs.", "300 jobs", 300),
    ("en", "Some 5,000 jobs will be created.", "5,000 jobs", 5000),
    ("en", "The factory will employ 600 people.", "600 people", 600),
    ("en", "It will employ 75 employees.", "75 employees", 75),
    ("en", "It will employ up to 1,200 local workers.", "1,200 local workers", 1200),
    (
        "en",
        "New jobs planned to be created from 90 to 180 units.",
        "jobs planned to be created from 90 to 180 units",
        180,
    ),
    ("en", "It brings 310 additional jobs.", "310 additional jobs", 310),
    ("en", "It adds 11 additional new jobs.", "11 additional new jobs", 11),
    ("en", "a total of 28 jobs", "28 jobs", 28),
    ("en", "some 2,500 direct and indirect jobs", "2,500 direct and indirect jobs", 2500),
    ("en", "creating 150-200 jobs", "150-200 jobs", 200),
    ("en", "creating two hundred jobs", "two hundred jobs", 200),
    ("ru", "Будет создано 300 рабочих мест.", "300 рабочих мест", 300),
    ("ru", "появится около 500 рабочих мест", "500 рабочих мест", 500),
    ("ru", "около четырех тысяч рабочих мест", "четырех тысяч рабочих мест", 4000),
    ("ru", "планирует создать 150 новых рабочих мест", "150 новых рабочих мест", 150),
    ("ru", "Предприятие трудоустроят 200 человек.", "200 человек", 200),
    ("ru", "на заводе будут работать более 1 000 сотрудников", "1 000 сотрудников", 1000),
    ("ru", "на предприятии работают 450 человек", "450 человек", 450),
    ("ru", "сейчас на заводе трудятся 1200 сотрудников", "1200 сотрудников", 1200),
    # a figure with its scale word (not the bare scale word taken as one thousand)
    ("ru", "будет создано около 2 тысяч рабочих мест", "2 тысяч рабочих мест", 2000),
    ("ru", "создадут 1,5 тыс. рабочих мест", "1,5 тыс. рабочих мест", 1500),
    ("ru", "на заводе работают более 3,5 тыс. человек", "3,5 тыс. человек", 3500),
    ("en", "will create 2 thousand jobs", "2 thousand jobs", 2000),
    ("en", "will employ 1.5 thousand people", "1.5 thousand people", 1500),
    (
        "ru",
        "рабочих мест будет создано от 90 до 180 единиц",
        "рабочих мест будет создано от 90 до 180 единиц",
        180,
    ),
]


@pytest.mark.parametrize(("lang", "text", "span", "value"), JOB_CASES)
def test_find_jobs(lang: str, text: str, span: str, value: int) -> None:
    found = find_jobs(text, lang)
    _check_spans(text, found)
    assert [(m.text, m.value, m.label) for m in found] == [(span, value, "JOBS")]
    assert isinstance(found[0].value, int)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "In 2015 jobs were cut."),
        ("en", "The town has 300 people."),
        ("en", "It sold 600 cars."),
        ("ru", "В 2015 рабочих мест стало меньше."),
        ("ru", "В городе живут 300 человек."),
    ],
)
def test_no_jobs(lang: str, text: str) -> None:
    assert find_jobs(text, lang) == []


# --------------------------------------------------------------------------- robustness and speed

FINDERS = (find_percents, find_multiples, find_jobs)


@pytest.mark.parametrize("finder", FINDERS)
@pytest.mark.parametrize("bad", ["", " ", "%", "раз", "jobs", "\x00\ufffd", "1" * 500, "в  раза", "by times"])
def test_odd_input_never_raises(finder: object, bad: str) -> None:
    for lang in ("en", "ru", "fr", ""):
        assert isinstance(finder(bad, lang), list)  # type: ignore[operator]


@pytest.mark.parametrize("finder", FINDERS)
def test_non_string_input(finder: object) -> None:
    assert finder(None, "en") == []  # type: ignore[operator]


def test_mixed_text_spans() -> None:
    text = (
        "Exports doubled to USD 875 million, up 32%, and the plant will create 800 new jobs. "
        "Товарооборот вырос в 2 раза, на 27,4 проц., создано 300 рабочих мест."
    )
    for lang in ("en", "ru"):
        for finder in FINDERS:
            _check_spans(text, finder(text, lang))
    assert [m.value for m in find_jobs(text, "en")] == [800]
    assert [m.value for m in find_jobs(text, "ru")] == [300]


# --------------------------------------------------------------------------- candidate offsets

from fdiscope.normalise import money as _money_mod  # noqa: E402
from fdiscope.normalise import numbers as _num  # noqa: E402

_PIECES = {  # pieces of made-up text, "|"-separated
    "en": (
        "one|an|a|billion|half|tenfold|ten-fold|by|times|3|2014|1,5|٣|٤٥|𝟚|$|us$|usd|%|percent|per cent"
        "|jobs|new jobs|employ|people|doubled|to|double|by a third|grew|fell|(|-|—|.|\n|\u00a0|’|é|x|mln"
        "|eleven|hundred|and|thousand|fold|workplaces"
    ).split("|"),
    "ru": (
        "один|два|млрд|тыс.|в|раза|раз|3|1,5|٣|рублей|%|процентов|рабочих мест|трудоустроят|человек"
        "|вдвое|на треть|выросла|(|-|.|\n|\u00a0|ё|x|сто|полтора"
    ).split("|"),
}


def _random_texts(lang: str, n: int) -> list[str]:
    import random

    rnd = random.Random(7)
    pieces = _PIECES[lang]
    seps = ["", " ", "  ", "\u00a0", "\n", "-"]
    return [
        "".join(rnd.choice(pieces) + rnd.choice(seps) for _ in range(rnd.randint(1, 12))) for _ in range(n)
    ]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_candidate_offsets_find_what_finditer_finds(lang: str) -> None:
    """Trying a pattern only at the candidate offsets gives exactly the matches of finditer."""
    lex, pat = _num._patterns(lang)
    ml = _money_mod._money_lex(lang)
    for text in _random_texts(lang, 3000):
        ft = _num.prepare(text, lang)
        low = ft.low
        starts = ft.number_starts
        checks = [(ml.numbers, starts), (pat.percent, starts), (pat.jobs_num_first, starts)]
        if pat.fold_ is not None:
            checks.append((pat.fold_, starts))
        if pat.times is not None:
            checks.append((pat.times, _num._times_starts(low, starts, pat.times_prefixes)))
        for name, rx in (
            ("factor", pat.factor),
            ("modal", pat.modal),
            ("contextual", pat.contextual),
            ("fraction", pat.fraction),
        ):
            if rx is not None:
                checks.append((rx, _num._occurrences(low, pat.firsts[name])))
        checks.append((pat.jobs_employ, _num._occurrences(low, pat.firsts["verbs"])))
        checks.append((pat.jobs_noun_first, _num._occurrences(low, pat.firsts["nouns"])))
        for rx, cand in checks:
            want = [m.span() for m in rx.finditer(low)]
            got = [m.span() for m in _num.matches_at(rx, low, cand)]
            assert got == want, (text, rx.pattern[:80])


def test_digit_run_class_holds_every_decimal_digit() -> None:
    """The digit scan's class skips U+003A..U+065F: no decimal digit lies there."""
    assert not any(chr(c).isdecimal() for c in range(0x3A, 0x660))
    assert [m.start() for m in _num._DIGIT_RUN.finditer("a1 22 ’٣٤ x𝟚")] == [1, 3, 7, 11]


def test_shared_view_is_used_only_for_its_text() -> None:
    ft = _num.prepare("It grew 5% to $3 billion.", "en")
    assert _num.view("It grew 5% to $3 billion.", "en", ft) is ft
    assert _num.view("other text", "en", ft) is not ft
    assert _num.view("It grew 5% to $3 billion.", "ru", ft) is not ft
    assert [m.text for m in find_percents("It grew 5% to $3 billion.", "en", ft)] == ["5%"]
