"""Dates, periods and datelines (fdiscope.normalise.dates): exact ISO values, spans, determinism."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fdiscope.model import Mention
from fdiscope.normalise.dates import find_dates, find_published

D = dt.date


def _only(text: str, lang: str, base: dt.date | None) -> Mention:
    found = find_dates(text, lang, base)
    for m in found:
        assert text[m.start : m.end] == m.text
    assert len(found) == 1, [(m.text, m.value) for m in found]
    return found[0]


# (lang, sentence, base, surface, label, iso, precision, relative)
CASES = [
    # --- English: absolute points
    (
        "en",
        "The plant was opened on October 3, 2016 by the governor.",
        None,
        "October 3, 2016",
        "DATE",
        "2016-10-03",
        "day",
        False,
    ),
    (
        "en",
        "The memorandum was signed on 9 April 2019 in Moscow.",
        None,
        "9 April 2019",
        "DATE",
        "2019-04-09",
        "day",
        False,
    ),
    (
        "en",
        "Talks resumed on 21 November 2018 after a pause.",
        None,
        "21 November 2018",
        "DATE",
        "2018-11-21",
        "day",
        False,
    ),
    (
        "en",
        "The line will be launched in August 2021, officials said.",
        None,
        "August 2021",
        "DATE",
        "2021-08",
        "month",
        False,
    ),
    ("en", "The road opened in June of 2012.", None, "June of 2012", "DATE", "2012-06", "month", False),
    (
        "en",
        "Production began in June (2020) at the site.",
        None,
        "June (2020)",
        "DATE",
        "2020-06",
        "month",
        False,
    ),
    ("en", "Construction will be completed by the end of 2026.", None, "2026", "DATE", "2026", "year", False),
    ("en", "In 2011 the company entered the market.", None, "2011", "DATE", "2011", "year", False),
    ("en", "The target for 2030 is ambitious.", None, "2030", "DATE", "2030", "year", False),
    (
        "en",
        "Friday, March 12, 2021 - The council met.",
        None,
        "Friday, March 12, 2021",
        "DATE",
        "2021-03-12",
        "day",
        False,
    ),
    (
        "en",
        "The deal closed Feb. 3, 2020 in Shanghai.",
        None,
        "Feb. 3, 2020",
        "DATE",
        "2020-02-03",
        "day",
        False,
    ),
    (
        "en",
        "Report of 5 February 2019, Tuesday",
        None,
        "5 February 2019, Tuesday",
        "DATE",
        "2019-02-05",
        "day",
        False,
    ),
    (
        "en",
        "It was agreed on the 4th of July 2017.",
        None,
        "4th of July 2017",
        "DATE",
        "2017-07-04",
        "day",
        False,
    ),
    ("en", "Posted 2019-03-07 and read widely.", None, "2019-03-07", "DATE", "2019-03-07", "day", False),
    ("en", "List updated 03.11.2015 by the office.", None, "03.11.2015", "DATE", "2015-11-03", "day", False),
    ("en", "Sales in spring 2022 were weak.", None, "spring 2022", "DATE", "2022", "year", False),
    # --- English: relative points
    (
        "en",
        "On May 20, the delegation visited the park.",
        D(2019, 5, 25),
        "May 20",
        "DATE",
        "2019-05-20",
        "day",
        True,
    ),
    (
        "en",
        "The forum will open on October 11 in Sochi.",
        D(2014, 10, 5),
        "October 11",
        "DATE",
        "2014-10-11",
        "day",
        True,
    ),
    (
        "en",
        "The visit is planned for Jan. 15.",
        D(2020, 12, 20),
        "Jan. 15",
        "DATE",
        "2021-01-15",
        "day",
        True,
    ),
    ("en", "In April the factory stopped work.", D(2023, 6, 16), "April", "DATE", "2023-04", "month", True),
    ("en", "The line should start in November.", D(2023, 6, 2), "November", "DATE", "2023-11", "month", True),
    (
        "en",
        "Shipments resumed in early February.",
        D(2024, 7, 1),
        "February",
        "DATE",
        "2024-02",
        "month",
        True,
    ),
    ("en", "Prices rose in mid-March.", D(2024, 4, 1), "March", "DATE", "2024-03", "month", True),
    (
        "en",
        "Output fell in March this year.",
        D(2021, 9, 9),
        "March this year",
        "DATE",
        "2021-03",
        "month",
        True,
    ),
    ("en", "The park opens next April.", D(2022, 4, 20), "next April", "DATE", "2023-04", "month", True),
    ("en", "It opened last March.", D(2022, 3, 20), "last March", "DATE", "2021-03", "month", True),
    ("en", "The minister arrived today.", D(2020, 2, 29), "today", "DATE", "2020-02-29", "day", True),
    (
        "en",
        "The contract was signed yesterday.",
        D(2021, 3, 1),
        "yesterday",
        "DATE",
        "2021-02-28",
        "day",
        True,
    ),
    ("en", "Talks continue tomorrow.", D(2021, 12, 31), "tomorrow", "DATE", "2022-01-01", "day", True),
    (
        "en",
        "The firm reported losses last week.",
        D(2022, 3, 3),
        "last week",
        "DATE",
        "2022-02",
        "month",
        True,
    ),
    ("en", "More talks are due next week.", D(2022, 3, 28), "next week", "DATE", "2022-04", "month", True),
    ("en", "Exports doubled last year.", D(2018, 1, 10), "last year", "DATE", "2017", "year", True),
    ("en", "Imports grew this year.", D(2018, 1, 10), "this year", "DATE", "2018", "year", True),
    ("en", "A second plant follows next year.", D(2018, 1, 10), "next year", "DATE", "2019", "year", True),
    (
        "en",
        "Revenue doubled in the current year.",
        D(2019, 5, 1),
        "the current year",
        "DATE",
        "2019",
        "year",
        True,
    ),
    ("en", "Output rose last month.", D(2020, 1, 15), "last month", "DATE", "2019-12", "month", True),
    # weekdays: 2024-05-16 is a Thursday
    (
        "en",
        "The agreement was signed on Tuesday.",
        D(2024, 5, 16),
        "Tuesday",
        "DATE",
        "2024-05-14",
        "day",
        True,
    ),
    ("en", "The governor spoke on Thursday.", D(2024, 5, 16), "Thursday", "DATE", "2024-05-16", "day", True),
    # a bare weekday in a sentence about the future is the next one (2024-05-16 is a Thursday)
    (
        "en",
        "The delegation will visit Kazan on Friday.",
        D(2024, 5, 16),
        "Friday",
        "DATE",
        "2024-05-17",
        "day",
        True,
    ),
    (
        "en",
        "The delegation visited Kazan on Friday.",
        D(2024, 5, 16),
        "Friday",
        "DATE",
        "2024-05-10",
        "day",
        True,
    ),
    (
        "ru",
        "В пятницу делегация посетит Казань.",
        D(2024, 5, 16),
        "пятницу",
        "DATE",
        "2024-05-17",
        "day",
        True,
    ),
    (
        "en",
        "The plant opened last Thursday.",
        D(2024, 5, 16),
        "last Thursday",
        "DATE",
        "2024-05-09",
        "day",
        True,
    ),
    ("en", "The board meets next Monday.", D(2024, 5, 16), "next Monday", "DATE", "2024-05-20", "day", True),
    ("en", "The board met on Friday.", D(2024, 5, 16), "Friday", "DATE", "2024-05-10", "day", True),
    # --- English: periods
    (
        "en",
        "Turnover rose in the first half of 2014.",
        None,
        "first half of 2014",
        "PERIOD",
        "2014-H1",
        "half",
        False,
    ),
    ("en", "H1 2022 results were strong.", None, "H1 2022", "PERIOD", "2022-H1", "half", False),
    ("en", "Sales in 2H 2019 fell.", None, "2H 2019", "PERIOD", "2019-H2", "half", False),
    (
        "en",
        "Exports in the second half of last year fell.",
        D(2016, 3, 1),
        "second half of last year",
        "PERIOD",
        "2015-H2",
        "half",
        True,
    ),
    (
        "en",
        "Trade in the first quarter of 2023 grew 12%.",
        None,
        "first quarter of 2023",
        "PERIOD",
        "2023-Q1",
        "quarter",
        False,
    ),
    ("en", "Q3 2021 saw a record.", None, "Q3 2021", "PERIOD", "2021-Q3", "quarter", False),
    (
        "en",
        "In the fourth quarter, sales rose.",
        D(2020, 2, 1),
        "fourth quarter",
        "PERIOD",
        "2019-Q4",
        "quarter",
        True,
    ),
    (
        "en",
        "Trade in January–September 2018 grew.",
        None,
        "January–September 2018",
        "PERIOD",
        "2018-01/2018-09",
        "range",
        False,
    ),
    (
        "en",
        "Trade in January-September 2018 grew.",
        None,
        "January-September 2018",
        "PERIOD",
        "2018-01/2018-09",
        "range",
        False,
    ),
    ("en", "Between April and June 2017 volumes fell.", None, "June 2017", "DATE", "2017-06", "month", False),
    (
        "en",
        "From April to June 2017 volumes fell.",
        None,
        "April to June 2017",
        "PERIOD",
        "2017-Q2",
        "quarter",
        False,
    ),
    (
        "en",
        "In January-June 2015 exports fell.",
        None,
        "January-June 2015",
        "PERIOD",
        "2015-H1",
        "half",
        False,
    ),
    (
        "en",
        "In January-December 2015 exports fell.",
        None,
        "January-December 2015",
        "PERIOD",
        "2015",
        "year",
        False,
    ),
    (
        "en",
        "In January-March trade grew.",
        D(2019, 4, 20),
        "January-March",
        "PERIOD",
        "2019-Q1",
        "quarter",
        True,
    ),
    (
        "en",
        "From December 2018 to February 2019 sales fell.",
        None,
        "December 2018 to February 2019",
        "PERIOD",
        "2018-12/2019-02",
        "range",
        False,
    ),
    (
        "en",
        "In the first three months of this year trade grew.",
        D(2017, 5, 5),
        "first three months of this year",
        "PERIOD",
        "2017-Q1",
        "quarter",
        True,
    ),
    (
        "en",
        "In the first nine months of 2018 trade grew.",
        None,
        "first nine months of 2018",
        "PERIOD",
        "2018-01/2018-09",
        "range",
        False,
    ),
    (
        "en",
        "In the first 6 months of 2018 trade grew.",
        None,
        "first 6 months of 2018",
        "PERIOD",
        "2018-H1",
        "half",
        False,
    ),
    # --- Russian: points
    (
        "ru",
        "Губернатор посетил завод 28 октября.",
        D(2024, 11, 2),
        "28 октября",
        "DATE",
        "2024-10-28",
        "day",
        True,
    ),
    (
        "ru",
        "Соглашение подписано 14 февраля 2019 года.",
        None,
        "14 февраля 2019 года",
        "DATE",
        "2019-02-14",
        "day",
        False,
    ),
    (
        "ru",
        "Завод заработал 3 мая 2018 г. в Калуге.",
        None,
        "3 мая 2018 г.",
        "DATE",
        "2018-05-03",
        "day",
        False,
    ),
    (
        "ru",
        "Строительство начнётся в марте 2024 года.",
        None,
        "марте 2024 года",
        "DATE",
        "2024-03",
        "month",
        False,
    ),
    ("ru", "Строительство начнётся в апреле.", D(2024, 2, 1), "апреле", "DATE", "2024-04", "month", True),
    # «накануне» alone is the day before; a day of the month with no month is the nearest such day
    (
        "ru",
        "Соглашение подписали накануне в Казани.",
        D(2024, 2, 1),
        "накануне",
        "DATE",
        "2024-01-31",
        "day",
        True,
    ),
    ("ru", "Делегация прибыла 28-го числа.", D(2024, 2, 1), "28-го числа", "DATE", "2024-01-28", "day", True),
    (
        "en",
        "The trade mission arrived in Dalian on the 28th.",
        D(2024, 2, 1),
        "28th",
        "DATE",
        "2024-01-28",
        "day",
        True,
    ),
    (
        "en",
        "On the 3rd, the partners inked a supply deal.",
        D(2024, 2, 10),
        "3rd",
        "DATE",
        "2024-02-03",
        "day",
        True,
    ),
    (
        "en",
        "The charter was initialled earlier in the month.",
        D(2024, 2, 10),
        "earlier in the month",
        "DATE",
        "2024-02",
        "month",
        True,
    ),
    (
        "en",
        "Envoys met at the start of the month.",
        D(2024, 2, 10),
        "the start of the month",
        "DATE",
        "2024-02",
        "month",
        True,
    ),
    (
        "ru",
        "Меморандум парафировали в конце месяца.",
        D(2024, 2, 10),
        "в конце месяца",
        "DATE",
        "2024-02",
        "month",
        True,
    ),
    ("ru", "Работы завершат до конца мая.", D(2024, 2, 1), "мая", "DATE", "2024-05", "month", True),
    (
        "ru",
        "Запуск намечен на июль этого года.",
        D(2022, 1, 12),
        "июль этого года",
        "DATE",
        "2022-07",
        "month",
        True,
    ),
    (
        "ru",
        "Делегация прибыла 5 декабря прошлого года.",
        D(2022, 1, 12),
        "5 декабря прошлого года",
        "DATE",
        "2021-12-05",
        "day",
        True,
    ),
    ("ru", "Весной 2025 года откроется второй цех.", None, "Весной 2025 года", "DATE", "2025", "year", False),
    (
        "ru",
        "Летом прошлого года завод остановился.",
        D(2020, 3, 3),
        "Летом прошлого года",
        "DATE",
        "2019",
        "year",
        True,
    ),
    ("ru", "В 2022 году объём вырос.", None, "2022 году", "DATE", "2022", "year", False),
    ("ru", "К 2030 г. мощность удвоится.", None, "2030 г.", "DATE", "2030", "year", False),
    (
        "ru",
        "Контракт подписан на прошлой неделе.",
        D(2023, 7, 3),
        "прошлой неделе",
        "DATE",
        "2023-06",
        "month",
        True,
    ),
    ("ru", "В прошлом году экспорт вырос.", D(2023, 7, 3), "прошлом году", "DATE", "2022", "year", True),
    ("ru", "В этом году экспорт вырос.", D(2023, 7, 3), "этом году", "DATE", "2023", "year", True),
    ("ru", "В текущем году экспорт вырос.", D(2023, 7, 3), "текущем году", "DATE", "2023", "year", True),
    (
        "ru",
        "Итоги нынешнего года будут лучше.",
        D(2023, 7, 3),
        "нынешнего года",
        "DATE",
        "2023",
        "year",
        True,
    ),
    ("ru", "Вчера губернатор открыл цех.", D(2023, 7, 1), "Вчера", "DATE", "2023-06-30", "day", True),
    # 2024-11-02 is a Saturday
    ("ru", "Форум открылся в субботу.", D(2024, 11, 2), "субботу", "DATE", "2024-11-02", "day", True),
    ("ru", "Делегация прилетела во вторник.", D(2024, 11, 2), "вторник", "DATE", "2024-10-29", "day", True),
    (
        "ru",
        "Встреча прошла в прошлую пятницу.",
        D(2024, 11, 4),
        "прошлую пятницу",
        "DATE",
        "2024-11-01",
        "day",
        True,
    ),
    (
        "ru",
        "Новость от 2025-09-04T17:33:00+03:00 о заводе.",
        None,
        "2025-09-04T17:33:00+03:00",
        "DATE",
        "2025-09-04",
        "day",
        False,
    ),
    (
        "ru",
        "Опубликовано 28.10.2024 - 11:16 редакцией.",
        None,
        "28.10.2024 - 11:16",
        "DATE",
        "2024-10-28",
        "day",
        False,
    ),
    ("ru", "Обновлено 4 сен в ленте.", D(2025, 9, 10), "4 сен", "DATE", "2025-09-04", "day", True),
    ("ru", "Обновлено 1 ноя в ленте.", D(2025, 12, 10), "1 ноя", "DATE", "2025-11-01", "day", True),
    (
        "ru",
        "Пятница, 27 октября 2023 года.",
        None,
        "Пятница, 27 октября 2023 года",
        "DATE",
        "2023-10-27",
        "day",
        False,
    ),
    # --- Russian: periods
    (
        "ru",
        "Товарооборот в первом полугодии 2014 года вырос.",
        None,
        "первом полугодии 2014 года",
        "PERIOD",
        "2014-H1",
        "half",
        False,
    ),
    (
        "ru",
        "За II полугодие 2020 г. выпуск упал.",
        None,
        "II полугодие 2020 г.",
        "PERIOD",
        "2020-H2",
        "half",
        False,
    ),
    (
        "ru",
        "Экспорт в январе–мае 2018 года вырос.",
        None,
        "январе–мае 2018 года",
        "PERIOD",
        "2018-01/2018-05",
        "range",
        False,
    ),
    (
        "ru",
        "Экспорт в январе-мае 2018 года вырос.",
        None,
        "январе-мае 2018 года",
        "PERIOD",
        "2018-01/2018-05",
        "range",
        False,
    ),
    (
        "ru",
        "Экспорт в январе-марте вырос вдвое.",
        D(2021, 6, 1),
        "январе-марте",
        "PERIOD",
        "2021-Q1",
        "quarter",
        True,
    ),
    (
        "ru",
        "Импорт в январе-июне текущего года упал.",
        D(2021, 8, 1),
        "январе-июне текущего года",
        "PERIOD",
        "2021-H1",
        "half",
        True,
    ),
    (
        "ru",
        "Данные за первый квартал 2023 года готовы.",
        None,
        "первый квартал 2023 года",
        "PERIOD",
        "2023-Q1",
        "quarter",
        False,
    ),
    (
        "ru",
        "В III квартале прошлого года объём снизился.",
        D(2020, 2, 2),
        "III квартале прошлого года",
        "PERIOD",
        "2019-Q3",
        "quarter",
        True,
    ),
    (
        "ru",
        "За 9 месяцев 2018 года оборот вырос.",
        None,
        "9 месяцев 2018 года",
        "PERIOD",
        "2018-01/2018-09",
        "range",
        False,
    ),
    (
        "ru",
        "За первые три месяца этого года оборот вырос.",
        D(2018, 5, 5),
        "первые три месяца этого года",
        "PERIOD",
        "2018-Q1",
        "quarter",
        True,
    ),
    (
        "ru",
        "С января по сентябрь 2018 г. оборот вырос.",
        None,
        "января по сентябрь 2018 г.",
        "PERIOD",
        "2018-01/2018-09",
        "range",
        False,
    ),
]


@pytest.mark.parametrize("lang,text,base,surface,label,iso,precision,relative", CASES)
def test_find_dates_table(
    lang: str,
    text: str,
    base: dt.date | None,
    surface: str,
    label: str,
    iso: str,
    precision: str,
    relative: bool,
) -> None:
    m = _only(text, lang, base)
    assert (m.text, m.label, m.value.iso, m.value.precision, m.value.relative) == (
        surface,
        label,
        iso,
        precision,
        relative,
    )


RELATIVE_ONLY = [
    ("en", "On October 11, the ministry held a meeting."),
    ("en", "In March sales fell."),
    ("en", "The plant opened last Thursday."),
    ("en", "Output rose last year and this year."),
    ("en", "Trade in January-March grew."),
    ("en", "In the first three months of this year trade grew."),
    ("en", "The delegation arrived yesterday, not today."),
    ("en", "Exports grew in the fourth quarter."),
    ("ru", "Форум прошёл 28 октября в Сочи."),
    ("ru", "В марте завод остановили."),
    ("ru", "На прошлой неделе в субботу прошла встреча."),
    ("ru", "В прошлом году и в текущем году."),
    ("ru", "В январе-марте экспорт вырос."),
    ("ru", "Обновлено 4 сен в ленте."),
]


@pytest.mark.parametrize("lang,text", RELATIVE_ONLY)
def test_relative_needs_base(lang: str, text: str) -> None:
    assert find_dates(text, lang, None) == []
    assert find_dates(text, lang, D(2020, 6, 15)), "resolvable with a base"


@pytest.mark.parametrize("lang,text", RELATIVE_ONLY)
def test_resolution_depends_only_on_base(lang: str, text: str) -> None:
    a = find_dates(text, lang, D(2015, 3, 10))
    b = find_dates(text, lang, D(2015, 3, 10))
    c = find_dates(text, lang, D(2009, 9, 20))
    assert a == b
    assert [m.value for m in a] != [m.value for m in c]
    assert all(m.value.relative for m in a)


NOT_DATES = [
    ("en", "The company will invest 500 million dollars."),
    ("en", "The plant will make 60,000 cars a year."),
    ("en", "Trade grew by 32% to a record."),
    ("en", "The railway is 4,195 kilometer long."),
    ("en", "The trip takes 12 hours by train."),
    ("en", "The plant assembles the H9, F7 and H6 models."),
    ("en", "Turnover reached 13.62 million tons."),
    ("en", "Prices may rise and march on."),
    ("en", "Theresa May met the delegation."),
    ("en", "The site covers 2000 hectares and employs 1990 workers."),
    ("en", "The new Audi Q5 and Q7 are assembled here."),
    ("en", "Invested $2019 and USD 2,000."),
    ("ru", "Компания вложит 500 млн рублей."),
    ("ru", "Завод выпустит 2000 тонн продукции и создаст 1500 рабочих мест."),
    ("ru", "Объём составил 13,62 млн долларов, рост 32%."),
    ("ru", "Проект рассчитан на 12 месяцев."),
    ("ru", "Марта Иванова возглавила отдел."),
    ("ru", "Выбросы в окружающую среду снизились."),
    ("ru", "Модели H9, F7 собирают в Липецке."),
    ("en", "Growth in the 2020s will be slower."),
    ("en", "The fair was held on the 5th Avenue pier."),
]


@pytest.mark.parametrize("lang,text", NOT_DATES)
def test_numbers_that_are_not_dates(lang: str, text: str) -> None:
    assert find_dates(text, lang, D(2020, 6, 15)) == []


@pytest.mark.parametrize(
    "text",
    [
        "The forum ran on 31 February 2019 apparently.",
        "Дата 31.02.2020 неверна.",
        "On February 30 nothing happened.",
        "Q5 2020 and H3 2019 do not exist.",
    ],
)
def test_invalid_dates_are_skipped(text: str) -> None:
    lang = "ru" if "Дата" in text else "en"
    assert not [m for m in find_dates(text, lang, D(2020, 6, 1)) if m.value.precision == "day"]
    assert not [m for m in find_dates(text, lang, D(2020, 6, 1)) if m.label == "PERIOD"]


def test_several_mentions_do_not_overlap() -> None:
    text = (
        "On 17 November 2017 the sides met in Kaluga. Trade in January-September 2018 rose, "
        "and in the first half of 2019 it rose again; talks resume next week."
    )
    found = find_dates(text, "en", D(2019, 8, 1))
    assert [(m.text, m.value.iso) for m in found] == [
        ("17 November 2017", "2017-11-17"),
        ("January-September 2018", "2018-01/2018-09"),
        ("first half of 2019", "2019-H1"),
        ("next week", "2019-08"),
    ]
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start


def test_odd_input_never_raises() -> None:
    assert find_dates("", "en", None) == []
    assert find_dates(None, "en", None) == []  # type: ignore[arg-type]
    assert (
        find_dates("On 3 May 2011 it opened.", "xx", None)[0].value.iso == "2011-05-03"
    )  # falls back to English
    assert find_dates("On 3 May 2011 it opened.", None, None)[0].value.iso == "2011-05-03"  # type: ignore[arg-type]
    assert find_dates("Сегодня", "ru", "2020-01-01") == []  # type: ignore[arg-type]
    assert find_dates("today", "en", dt.datetime(2020, 1, 2, 15, 0))[0].value.iso == "2020-01-02"
    assert find_dates("today and yesterday", "en", D(1, 1, 1))[0].value.iso == "0001-01-01"
    for junk in ("\x00\uffff" * 50, "9" * 500, "May " * 300, "в " * 300, "2020-" * 100):
        find_dates(junk, "en", D(2020, 1, 1))
        find_dates(junk, "ru", D(2020, 1, 1))
        find_published(junk, "en")


# --- datelines


PUBLISHED = [
    ("en", "2015-07-18 12:16\nLifan opens a plant in Lipetsk region\nThe company said...", "2015-07-18"),
    ("en", "2015-07-18 12:16Xinhua Editor: Zhang Wei\nText of the story.", "2015-07-18"),
    ("ru", "28.10.2024 - 11:16\nГубернатор встретился с инвесторами.", "2024-10-28"),
    ("en", "Kaluga region news\ndate 2024-07-03\nThe region signed a deal.", "2024-07-03"),
    ("en", "New plant in Tula\nDecember 01, 2015\nThe company started production.", "2015-12-01"),
    ("ru", "2025-09-04T17:33:00+03:00\nВ Калуге открыли завод.", "2025-09-04"),
    ("en", "Forum opens in Sochi\n27 October 2022, Thursday\nThe forum opened.", "2022-10-27"),
    ("en", "Chinese firm to build bridge\nXinhua, November 29, 2019\nThe firm will build it.", "2019-11-29"),
    ("en", "Published: 5 March 2021 | Updated 6 March 2021\nText.", "2021-03-05"),
    ("ru", "Опубликовано: 12 марта 2021 года\nТекст новости.", "2021-03-12"),
    ("en", "16.09.2013\nIndia exports of drug formulations rise", "2013-09-16"),
    (
        "en",
        "Plant opens in Serbia\n\n3 Comment(s) Share Print Tanjug, March 2, 2021\nMore text.",
        "2021-03-02",
    ),
]


@pytest.mark.parametrize("lang,text,iso", PUBLISHED)
def test_find_published(lang: str, text: str, iso: str) -> None:
    m = find_published(text, lang)
    assert m is not None
    assert (m.label, m.value.iso, m.value.precision, m.value.relative) == ("DATE", iso, "day", False)
    assert text[m.start : m.end] == m.text


NOT_PUBLISHED = [
    ("en", "On October 11, the Ministry of Economic Development held a meeting.\nMore text."),
    ("en", "On October 11, 2014, the Ministry of Economic Development held a meeting."),
    ("en", "October 11, 2014, the ministry said it would build a road."),
    ("en", "India exports of drug formulations 16.09.2013\nChina imports of ore 15.09.2013"),
    ("en", "The plant opened in March 2015.\nIt employs 500 people."),
    ("ru", "28 октября губернатор встретился с инвесторами.\nТекст."),
    ("en", "Headline\n" + "Filler line of text.\n" * 30 + "2015-07-18 12:16"),
    ("en", ""),
]


@pytest.mark.parametrize("lang,text", NOT_PUBLISHED)
def test_not_a_dateline(lang: str, text: str) -> None:
    assert find_published(text, lang) is None


# --- speed


TENSE = [
    # no future cue: a year-less month leans to the past
    ("en", "The company began building the plant in April.", D(2019, 11, 29), "2019-04"),
    ("en", "The plant opened in October.", D(2023, 5, 10), "2022-10"),
    # a future cue leans to the future
    ("en", "The plant will open in October.", D(2023, 5, 10), "2023-10"),
    ("en", "The forum is scheduled for November 20.", D(2021, 6, 1), "2021-11-20"),
    # a date just ahead is taken even without a cue
    ("en", "On October 11, the forum opened in Sochi.", D(2014, 10, 5), "2014-10-11"),
    ("ru", "Совместная работа началась ещё в мае.", D(2024, 10, 28), "2024-05"),
    ("ru", "Завод откроется в апреле.", D(2024, 11, 2), "2025-04"),
    ("ru", "Форум пройдёт 20 мая.", D(2021, 1, 10), "2021-05-20"),
]


@pytest.mark.parametrize("lang,text,base,iso", TENSE)
def test_tense_decides_the_side_of_base(lang: str, text: str, base: dt.date, iso: str) -> None:
    assert _only(text, lang, base).value.iso == iso


@pytest.mark.parametrize(
    ("text", "lang", "iso"),
    [
        ("С 15 по 17 мая губернатор был в Китае.", "ru", "2024-05-15"),
        ("Выставка пройдет 3-6 сентября 2024 года.", "ru", "2024-09-03"),
        ("The visit took place from 15 to 17 May.", "en", "2024-05-15"),
        ("The forum will be held on 3-6 September 2024.", "en", "2024-09-03"),
    ],
)
def test_day_ranges_give_their_first_day(text: str, lang: str, iso: str) -> None:
    (m,) = find_dates(text, lang, dt.date(2024, 5, 20))
    assert (m.value.iso, m.value.precision) == (iso, "day")


def _random_text(rnd: Any, pieces: list[str], seps: list[str], most: int) -> str:
    """1 to ``most`` random pieces, each followed by a random separator."""
    return "".join(rnd.choice(pieces) + rnd.choice(seps) for _ in range(rnd.randint(1, most)))


def test_trigger_scan_finds_the_positions_of_the_lookbehind_trigger() -> None:
    """The class-first scan gives exactly the positions of the zero-width trigger."""
    import random

    from fdiscope.normalise import dates as dates_mod

    rnd = random.Random(3)
    pieces = (
        "in|In|IN|March|MARCH|march|Q1|q2|H1|2014|19|7|31st|first|FIRST|last week|ſeptember|\u212a|"
        "вчера|В|марте|Январь|1-м|квартале|IV|ı|é|x|(|-|—|,|.| |  |\n|\u00a0"
    ).split("|")
    for lang in ("en", "ru"):
        lex = dates_mod._lexicon(lang)
        for _ in range(3000):
            text = _random_text(rnd, pieces, ["", " ", "-", "\n"], 15)
            want = [m.start() for m in lex.trigger.finditer(text)]
            assert list(dates_mod._trigger_positions(lex, text)) == want, text


def test_per_first_character_unions_match_as_the_full_union() -> None:
    """At every position, the union kept for the first character matches exactly as the full one."""
    import random

    from fdiscope.normalise import dates as dates_mod

    rnd = random.Random(5)
    pieces = (
        "in|In|IN|March|MARCH|march|Sept.|Q1|q2|H1|2h|1H 2014|2014|2014-05-06|06.05.2014|19|7|31st|first|"
        "FIRST|last week|this year|the day after tomorrow|Tuesday|next Friday|spring|one|three months|"
        "ſeptember|ſpring|\u212aey|ı|İn|вчера|В|марте|Январь|1-м|квартале|IV|Ⅳ|é|x|(|-|—|,|.| |\n|\u00a0"
    ).split("|")
    for lang in ("en", "ru"):
        lex = dates_mod._lexicon(lang)
        for _ in range(1500):
            text = _random_text(rnd, pieces, ["", " ", "-", "\n", " of "], 12)
            for start in range(len(text)):
                full = lex.digit_regex if text[start].isdigit() else lex.word_regex
                part = lex.by_first.get(text[start], full)
                a, b = full.match(text, start), part.match(text, start)
                assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup)), (lang, text, start)
