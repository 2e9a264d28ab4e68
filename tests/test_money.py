"""Tests for :mod:`fdiscope.normalise.money`: amounts, currencies, approximation and spans."""

from __future__ import annotations

import pytest

from fdiscope.model import Money
from fdiscope.normalise.money import currency_of, find_money

B = 1_000_000_000
M = 1_000_000


def _only(text: str, lang: str) -> tuple[str, Money]:
    """The single money mention of a text, as (span text, value); checks the span."""
    found = find_money(text, lang)
    assert len(found) == 1, [(m.text, m.value) for m in found]
    m = found[0]
    assert text[m.start : m.end] == m.text
    assert m.label == "MONEY"
    return m.text, m.value


EN_CASES = [
    ("The projected investment totals 1 billion rubles.", "1 billion rubles", 1 * B, "RUB", False),
    ("Turnover reached USD 875 million last year.", "USD 875 million", 875 * M, "USD", False),
    ("The deal is worth US$1.96 billion.", "US$1.96 billion", 1.96 * B, "USD", False),
    ("They will spend $200 mln on it.", "$200 mln", 200 * M, "USD", False),
    ("a $1.3 billion plant", "$1.3 billion", 1.3 * B, "USD", False),
    ("a $1.37bn loan", "$1.37bn", 1.37 * B, "USD", False),
    ("a $100mn fund", "$100mn", 100 * M, "USD", False),
    ("it raised $30mn.", "$30mn", 30 * M, "USD", False),
    ("it raised $30m in May", "$30m", 30 * M, "USD", False),
    ("Sales hit €7.3 bn in total.", "€7.3 bn", 7.3 * B, "EUR", False),
    ("The bid of €2.32 billion won.", "€2.32 billion", 2.32 * B, "EUR", False),
    ("a HUF 750-billion programme", "HUF 750-billion", 750 * B, "HUF", False),
    ("a grant of 48 892 000 rubles", "48 892 000 rubles", 48_892_000, "RUB", False),
    ("a grant of 48\u00a0892\u00a0000 rubles", "48\u00a0892\u00a0000 rubles", 48_892_000, "RUB", False),
    ("invests 5.5 billion reais there", "5.5 billion reais", 5.5 * B, "BRL", False),
    # a hyphenated amount before a noun ("a 300-million-yuan plant")
    ("a 300-million-yuan dairy plant", "300-million-yuan", 300 * M, "CNY", False),
    ("the 5-billion-ruble project", "5-billion-ruble", 5 * B, "RUB", False),
    ("it cost almost a billion dollars", "a billion dollars", 1 * B, "USD", True),
    ("sold for 990 million U.S. dollars", "990 million U.S. dollars", 990 * M, "USD", False),
    ("about 600 million dollars", "600 million dollars", 600 * M, "USD", True),
    ("reached 13.503 billion yuan", "13.503 billion yuan", 13.503 * B, "CNY", False),
    ("some fifty million dollars", "fifty million dollars", 50 * M, "USD", True),
    ("worth RUB 5.7 billion", "RUB 5.7 billion", 5.7 * B, "RUB", False),
    ("only 3.5 million rubles", "3.5 million rubles", 3.5 * M, "RUB", False),
    ("spent 617.5 million rubles", "617.5 million rubles", 617.5 * M, "RUB", False),
    ("more than 291 million rubles", "291 million rubles", 291 * M, "RUB", True),
    ("a 50-60 million dollars budget", "50-60 million dollars", 50 * M, "USD", False),
    ("nearly £40 million", "£40 million", 40 * M, "GBP", True),
    ("a 2 billion euro plant", "2 billion euro", 2 * B, "EUR", False),
    ("with 300 million roubles", "300 million roubles", 300 * M, "RUB", False),
    ("it paid 1,500 million tenge", "1,500 million tenge", 1500 * M, "KZT", False),
    ("up to 20 million Swiss francs", "20 million Swiss francs", 20 * M, "CHF", True),
    ("worth half a billion dollars", "half a billion dollars", 0.5 * B, "USD", False),
    ("for 5 million EUR in cash", "5 million EUR", 5 * M, "EUR", False),
    ("a RMB 3 billion deal", "RMB 3 billion", 3 * B, "CNY", False),
    ("a 2.5 billion Hong Kong dollars bond", "2.5 billion Hong Kong dollars", 2.5 * B, "HKD", False),
    ("Investments of one billion dollars", "one billion dollars", 1 * B, "USD", False),
    ("Sales of 12,000 dollars", "12,000 dollars", 12_000, "USD", False),
    ("a USD1.5bn bond", "USD1.5bn", 1.5 * B, "USD", False),
    ("between $5 and $10 million", "$5 and $10 million", 5 * M, "USD", False),
    ("from 5 to 10 million euros", "5 to 10 million euros", 5 * M, "EUR", False),
    ("a 10 million dollar project", "10 million dollar", 10 * M, "USD", False),
    ("Rs 500 crore", "Rs 500 crore", 5 * B, "INR", False),
    ("at least $2 bln", "$2 bln", 2 * B, "USD", True),
    ("a $2-3 billion project", "$2-3 billion", 2 * B, "USD", False),
    ("1 000 000 dollars", "1 000 000 dollars", 1 * M, "USD", False),
    ("10.000 euros", "10.000 euros", 10_000, "EUR", False),
]


@pytest.mark.parametrize(("text", "span", "value", "currency", "approx"), EN_CASES)
def test_english_money(text: str, span: str, value: float, currency: str, approx: bool) -> None:
    got_span, money = _only(text, "en")
    assert got_span == span
    assert money.value == pytest.approx(value)
    assert money.currency == currency
    assert money.approx is approx


RU_CASES = [
    ("Инвестиции составят 1,5 млрд рублей.", "1,5 млрд рублей", 1.5 * B, "RUB", False),
    ("Грант 48 892 000 руб. выделен", "48 892 000 руб.", 48_892_000, "RUB", False),
    ("Компания вложит $80 млн в завод", "$80 млн", 80 * M, "USD", False),
    ("проект стоимостью 300 млн евро", "300 млн евро", 300 * M, "EUR", False),
    ("субсидия 5,3млн. рублей", "5,3млн. рублей", 5.3 * M, "RUB", False),
    ("контракт на 1.844.036.360,12 руб.", "1.844.036.360,12 руб.", 1_844_036_360.12, "RUB", False),
    ("объем вложений свыше 10 млрд.", "10 млрд", 10 * B, None, True),
    ("потребуется около 70 млрд рублей", "70 млрд рублей", 70 * B, "RUB", True),
    ("бюджет 3,7 трлн рублей", "3,7 трлн рублей", 3.7e12, "RUB", False),
    ("порядка 10 миллиардов рублей", "10 миллиардов рублей", 10 * B, "RUB", True),
    ("вложит два миллиарда рублей", "два миллиарда рублей", 2 * B, "RUB", False),
    ("Стоимость — 25 млрд рублей", "25 млрд рублей", 25 * B, "RUB", False),
    ("товарооборот 5,1 млрд долл США", "5,1 млрд долл США", 5.1 * B, "USD", False),
    ("экспорт 1,21 млрд долл. США", "1,21 млрд долл. США", 1.21 * B, "USD", False),
    ("импорт 18,99 млрд долларов", "18,99 млрд долларов", 18.99 * B, "USD", False),
    ("кредит 40 млрд тенге", "40 млрд тенге", 40 * B, "KZT", False),
    ("проект за 900 млрд сумов", "900 млрд сумов", 900 * B, "UZS", False),
    ("вложит 2 млрд юаней", "2 млрд юаней", 2 * B, "CNY", False),
    ("на 60 млн белорусских рублей", "60 млн белорусских рублей", 60 * M, "BYN", False),
    ("за 3 млрд динаров", "3 млрд динаров", 3 * B, "RSD", False),
    ("на 12 млрд форинтов", "12 млрд форинтов", 12 * B, "HUF", False),
    ("почти 7 млрд реалов", "7 млрд реалов", 7 * B, "BRL", True),
    ("около четырех миллионов евро", "четырех миллионов евро", 4 * M, "EUR", True),
    ("Объем составит 10 млрд. Компания", "10 млрд", 10 * B, None, False),
    ("инвестиции — 2,5 млрд, а также", "2,5 млрд", 2.5 * B, None, False),
    ("на сумму USD 15 млн", "USD 15 млн", 15 * M, "USD", False),
    ("стоимость 100 млн ₽", "100 млн ₽", 100 * M, "RUB", False),
    ("зарплата 500 тыс. рублей", "500 тыс. рублей", 500_000, "RUB", False),
    ("до 5 млрд руб. в год", "5 млрд руб.", 5 * B, "RUB", True),
    ("от 5 до 10 млрд рублей", "5 до 10 млрд рублей", 5 * B, "RUB", False),
    ("сто миллионов долларов", "сто миллионов долларов", 100 * M, "USD", False),
    ("в размере 500 млн, что", "500 млн", 500 * M, None, False),
    ("в 2013 г. — 5 млрд долл.", "5 млрд долл.", 5 * B, "USD", False),
]


@pytest.mark.parametrize(("text", "span", "value", "currency", "approx"), RU_CASES)
def test_russian_money(text: str, span: str, value: float, currency: str | None, approx: bool) -> None:
    got_span, money = _only(text, "ru")
    assert got_span == span
    assert money.value == pytest.approx(value)
    assert money.currency == currency
    assert money.approx is approx


def test_two_amounts_with_conversion() -> None:
    text = "The budget is RUR 17.75 bln ($266 mio) this year."
    found = find_money(text, "en")
    assert [(m.text, m.value) for m in found] == [
        ("RUR 17.75 bln", Money(17.75e9, "RUB", False)),
        ("$266 mio", Money(266e6, "USD", False)),
    ]
    for m in found:
        assert text[m.start : m.end] == m.text


def test_several_amounts_in_order_with_spans() -> None:
    text = "Первая очередь — 12 млрд рублей, вторая — около $150 млн, всего 300 млн евро."
    found = find_money(text, "ru")
    assert [m.value.currency for m in found] == ["RUB", "USD", "EUR"]
    assert [m.value.approx for m in found] == [False, True, False]
    assert all(text[m.start : m.end] == m.text for m in found)
    assert [m.start for m in found] == sorted(m.start for m in found)


NEGATIVE = [
    ("en", "In 2014 the plant opened."),
    ("en", "In 2014 rubles lost value."),
    ("en", "Trade grew 32% to a record."),
    ("en", "It makes 60,000 cars a year."),
    ("en", "They will produce 500 million tablets."),
    ("en", "The site covers 130 hectares."),
    ("en", "The road is 4,195 kilometer long."),
    ("en", "Call +7 (495) 123-45-67 for details."),
    ("en", "It was signed on 16.09.2013 in Moscow."),
    ("en", "One of the plants employs 300 people."),
    ("en", "Version 2.0 was shipped in 2019."),
    ("en", "The 2 billion people of the region."),
    ("en", "They bought 20 Boeing 737 jets."),
    # a scale word with no figure states no amount
    ("en", "The investment will run to several billion euros."),
    ("en", "They spent billions of dollars on it."),
    ("ru", "Соглашение подписано 16.09.2013 в Москве."),
    ("ru", "В 2014 году завод открылся."),
    ("ru", "Добыча составит 10 млрд кубометров газа."),
    ("ru", "Город посетили 1,5 млн туристов."),
    ("ru", "Рост составил 27,4 проц."),
    ("ru", "Мощность — 3 тыс. тонн в год."),
    ("ru", "Телефон: 8 800 555 35 35."),
    ("ru", "Площадь 130 гектаров, 60 000 автомобилей."),
    ("ru", "Ввод 2 млн кв. м жилья."),
    ("ru", "Население 20 млн человек."),
]


@pytest.mark.parametrize(("lang", "text"), NEGATIVE)
def test_not_money(lang: str, text: str) -> None:
    assert find_money(text, lang) == []


@pytest.mark.parametrize(
    "bad", ["", "   ", "$", "$$$ bn", "млрд рублей", "1.2.3.4 rubles", "\x00\ufffd", "€-"]
)
def test_odd_input_never_raises(bad: str) -> None:
    for lang in ("en", "ru", "de", ""):
        assert isinstance(find_money(bad, lang), list)


def test_non_string_input() -> None:
    assert find_money(None, "en") == []  # type: ignore[arg-type]


def test_unknown_language_falls_back_to_english() -> None:
    _, money = _only("a $1.3 billion plant", "zz")
    assert money == Money(1.3e9, "USD", False)


def test_mixed_scripts_use_the_lexicon_of_the_given_language() -> None:
    text = "Investment of 2 billion rubles (2 млрд рублей) and $5 млн was agreed."
    assert [m.text for m in find_money(text, "en")] == ["2 billion rubles", "$5"]
    assert [m.text for m in find_money(text, "ru")] == ["2 млрд рублей", "$5 млн"]


@pytest.mark.parametrize(
    ("written", "lang", "code"),
    [
        ("US$", "en", "USD"),
        ("€", "en", "EUR"),
        ("roubles", "en", "RUB"),
        ("RUR", "en", "RUB"),
        ("долл. США", "ru", "USD"),
        ("белорусских рублей", "ru", "BYN"),
        ("юаней", "ru", "CNY"),
        ("widgets", "en", None),
    ],
)
def test_currency_of(written: str, lang: str, code: str | None) -> None:
    assert currency_of(written, lang) == code
