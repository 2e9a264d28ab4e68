"""Tests of the place gazetteer and finder (fdiscope.normalise.places)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pycountry
import pytest

from fdiscope.model import Mention, Place
from fdiscope.normalise.places import country_of, find_places, lookup, region_name

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "fdiscope" / "data" / "gazetteer"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _places(text: str, lang: str) -> list[Mention]:
    mentions = find_places(text, lang)
    for m in mentions:
        assert text[m.start : m.end] == m.text, m
    for a, b in zip(mentions, mentions[1:], strict=False):
        assert a.end <= b.start, (a, b)
    return mentions


def _one(text: str, lang: str, surface: str) -> Mention:
    found = [m for m in _places(text, lang) if m.text == surface]
    assert found, f"{surface!r} not found in {text!r}: {_places(text, lang)}"
    return found[0]


# (text, lang, surface, kind, country, region)
PLACE_CASES = [
    ("Chinese investors consider a plant in Sakhalin.", "en", "Sakhalin", "region", "RU", "RU-SAK"),
    ("Порт в Поморье расширят.", "ru", "Поморье", "region", "RU", "RU-ARK"),
    (
        "The plant will be built in the Kaluga Region by 2016.",
        "en",
        "Kaluga Region",
        "region",
        "RU",
        "RU-KLU",
    ),
    ("Investors toured Kaluga oblast last week.", "en", "Kaluga oblast", "region", "RU", "RU-KLU"),
    ("A new line opened in Kaluga on Friday.", "en", "Kaluga", "city", "RU", "RU-KLU"),
    ("Officials from Kaluzhskaya oblast' attended.", "en", "Kaluzhskaya oblast", "region", "RU", "RU-KLU"),
    ("The Republic of Tatarstan signed the deal.", "en", "Republic of Tatarstan", "region", "RU", "RU-TA"),
    ("Tatarstan's president spoke.", "en", "Tatarstan", "region", "RU", "RU-TA"),
    ("Exports from Primorsky Krai grew.", "en", "Primorsky Krai", "region", "RU", "RU-PRI"),
    ("Trade with Primorye doubled.", "en", "Primorye", "region", "RU", "RU-PRI"),
    ("The Leningrad Region hosts the site.", "en", "Leningrad Region", "region", "RU", "RU-LEN"),
    ("A terminal in Lenoblast is planned.", "en", "Lenoblast", "region", "RU", "RU-LEN"),
    ("Steel makers of the South Ural expand.", "en", "South Ural", "region", "RU", "RU-CHE"),
    ("Farms near Moscow Oblast were sold.", "en", "Moscow Oblast", "region", "RU", "RU-MOS"),
    ("Warehouses in Podmoskovye are full.", "en", "Podmoskovye", "region", "RU", "RU-MOS"),
    ("A Moscow-based ministry commented.", "en", "Moscow", "city", "RU", "RU-MOW"),
    ("The forum took place in St. Petersburg in June.", "en", "St. Petersburg", "city", "RU", "RU-SPE"),
    ("Saint Petersburg welcomed the delegation.", "en", "Saint Petersburg", "city", "RU", "RU-SPE"),
    ("Coal from Transbaikalia goes east.", "en", "Transbaikalia", "region", "RU", "RU-ZAB"),
    ("The Amur Oblast governor visited Heihe.", "en", "Amur Oblast", "region", "RU", "RU-AMU"),
    (
        "Soy from the Jewish Autonomous Oblast sells well.",
        "en",
        "Jewish Autonomous Oblast",
        "region",
        "RU",
        "RU-YEV",
    ),
    ("Chechnya builds a cement plant.", "en", "Chechnya", "region", "RU", "RU-CE"),
    ("A bus factory opens in Naberezhnye Chelny.", "en", "Naberezhnye Chelny", "city", "RU", "RU-TA"),
    ("Vorsino lies in the north of the region.", "en", "Vorsino", "city", "RU", "RU-KLU"),
    ("Fertiliser plant in Uzlovaya.", "en", "Uzlovaya", "city", "RU", "RU-TUL"),
    ("Pumps are made in Mendeleevsk.", "en", "Mendeleevsk", "city", "RU", "RU-TA"),
    ("Residents of Lukhovitsy will get jobs.", "en", "Lukhovitsy", "city", "RU", "RU-MOS"),
    ("The airport of Mineralnye Vody was rebuilt.", "en", "Mineralnye Vody", "city", "RU", "RU-STA"),
    ("Trucks cross at Blagoveshchensk.", "en", "Blagoveshchensk", "city", "RU", "RU-AMU"),
    ("The investor is based in Harbin.", "en", "Harbin", "city", "CN", "CN-HL"),
    ("Выставка прошла в городе Иньчуань.", "ru", "Иньчуань", "city", "CN", "CN-NX"),
    ("Делегация побывала в Синине и Лхасе.", "ru", "Синине", "city", "CN", "CN-QH"),
    ("Suifenhe is a border town.", "en", "Suifenhe", "city", "CN", "CN-HL"),
    ("Heilongjiang Province leads in trade.", "en", "Heilongjiang Province", "region", "CN", "CN-HL"),
    (
        "A delegation from the Xinjiang Uyghur Autonomous Region came.",
        "en",
        "Xinjiang Uyghur Autonomous Region",
        "region",
        "CN",
        "CN-XJ",
    ),
    ("Shandong companies signed.", "en", "Shandong", "region", "CN", "CN-SD"),
    ("The port of Aktau handles grain.", "en", "Aktau", "city", "KZ", "KZ-47"),
    ("Farmers of the Kostanai Region grow wheat.", "en", "Kostanai Region", "region", "KZ", "KZ-39"),
    ("The Ferghana Region hosts textile mills.", "en", "Ferghana Region", "region", "UZ", "UZ-FA"),
    ("A plant in Furkat district.", "en", "Furkat", "city", "UZ", "UZ-FA"),
    ("A car plant in Zhodino.", "en", "Zhodino", "city", "BY", "BY-MI"),
    ("Tyres from Zrenjanin.", "en", "Zrenjanin", "city", "RS", "RS-02"),
    ("Astana hosted the summit.", "en", "Astana", "city", "KZ", "KZ-71"),
    ("The Kaluga SEZ grows.", "en", "Kaluga SEZ", "site", "RU", "RU-KLU"),
    ("The Borovskoye site of the zone.", "en", "Borovskoye site", "site", "RU", "RU-KLU"),
    ("The Vorsino Industrial Park is full.", "en", "Vorsino Industrial Park", "site", "RU", "RU-KLU"),
    ("The Alabuga SEZ is in Tatarstan.", "en", "Alabuga SEZ", "site", "RU", "RU-TA"),
    ("The Lipetsk SEZ attracted a resident.", "en", "Lipetsk SEZ", "site", "RU", "RU-LIP"),
    ("Moglino SEZ near Pskov.", "en", "Moglino SEZ", "site", "RU", "RU-PSK"),
    ("Titanium Valley has a new resident.", "en", "Titanium Valley", "site", "RU", "RU-SVE"),
    ("Togliatti SEZ is in Samara Oblast.", "en", "Togliatti SEZ", "site", "RU", "RU-SAM"),
    ("A resident of the Khabarovsk TOR.", "en", "Khabarovsk TOR", "site", "RU", "RU-KHA"),
    ("TASED Naberezhnye Chelny registered it.", "en", "TASED Naberezhnye Chelny", "site", "RU", "RU-TA"),
    ("The M10 industrial park opened.", "en", "M10 industrial park", "site", "RU", "RU-LEN"),
    ("Innopolis is near Kazan.", "en", "Innopolis", "city", "RU", "RU-TA"),
    ("Investment in the Russian Far East grows.", "en", "Russian Far East", "macro", "RU", None),
    ("Siberia needs roads.", "en", "Siberia", "macro", "RU", None),
    ("China is the largest partner.", "en", "China", "country", "CN", None),
    ("The PRC and the U.S. agreed.", "en", "PRC", "country", "CN", None),
    ("The PRC and the U.S. agreed.", "en", "U.S.", "country", "US", None),
    ("People's Republic of China officials.", "en", "People's Republic of China", "country", "CN", None),
    ("The Russian Federation said.", "en", "Russian Federation", "country", "RU", None),
    ("South Korea invests.", "en", "South Korea", "country", "KR", None),
    ("Republic of Belarus exports.", "en", "Republic of Belarus", "country", "BY", None),
    ("Hungary and Serbia signed.", "en", "Serbia", "country", "RS", None),
    ("Brazil, Germany and the USA.", "en", "USA", "country", "US", None),
    # Russian: all cases
    ("Завод построят в Калужской области.", "ru", "Калужской области", "region", "RU", "RU-KLU"),
    ("Калужская область привлекла инвестора.", "ru", "Калужская область", "region", "RU", "RU-KLU"),
    ("Губернатор представил Калужскую область.", "ru", "Калужскую область", "region", "RU", "RU-KLU"),
    ("Китай сотрудничает с Калужской областью.", "ru", "Калужской областью", "region", "RU", "RU-KLU"),
    ("Делегация из Калуги прибыла.", "ru", "Калуги", "city", "RU", "RU-KLU"),
    ("Форум прошёл в Калуге.", "ru", "Калуге", "city", "RU", "RU-KLU"),
    ("Инвестор приехал в Калугу.", "ru", "Калугу", "city", "RU", "RU-KLU"),
    ("Соглашение с Калугой подписано.", "ru", "Калугой", "city", "RU", "RU-KLU"),
    ("Экспорт Республики Татарстан вырос.", "ru", "Республики Татарстан", "region", "RU", "RU-TA"),
    ("Компания из Татарстана.", "ru", "Татарстана", "region", "RU", "RU-TA"),
    ("Завод в Татарстане.", "ru", "Татарстане", "region", "RU", "RU-TA"),
    ("Порт Приморского края.", "ru", "Приморского края", "region", "RU", "RU-PRI"),
    ("Инвесторы Приморья довольны.", "ru", "Приморья", "region", "RU", "RU-PRI"),
    ("Уголь из Забайкалья.", "ru", "Забайкалья", "region", "RU", "RU-ZAB"),
    ("Забайкальский край и Китай.", "ru", "Забайкальский край", "region", "RU", "RU-ZAB"),
    ("Склады в Подмосковье.", "ru", "Подмосковье", "region", "RU", "RU-MOS"),
    ("Производство в Ленобласти.", "ru", "Ленобласти", "region", "RU", "RU-LEN"),
    ("Проект Ленинградской области.", "ru", "Ленинградской области", "region", "RU", "RU-LEN"),
    ("Соя из Приамурья.", "ru", "Приамурья", "region", "RU", "RU-AMU"),
    ("Работы на Дальнем Востоке идут.", "ru", "Дальнем Востоке", "macro", "RU", None),
    ("Резидент ОЭЗ «Алабуга» запустил линию.", "ru", "ОЭЗ «Алабуга»", "site", "RU", "RU-TA"),
    (
        "В индустриальном парке «Ворсино» открыт завод.",
        "ru",
        "индустриальном парке «Ворсино»",
        "site",
        "RU",
        "RU-KLU",
    ),
    ("Резидент ТОР «Амурская» получил льготы.", "ru", "ТОР «Амурская»", "site", "RU", "RU-AMU"),
    ("Площадка ОЭЗ «Калуга» расширяется.", "ru", "ОЭЗ «Калуга»", "site", "RU", "RU-KLU"),
    ("Парк «Ступино Квадрат» заполнен.", "ru", "Ступино Квадрат", "site", "RU", "RU-MOS"),
    ("Оборудование поставят из КНР.", "ru", "КНР", "country", "CN", None),
    ("Товарооборот России и Китая вырос.", "ru", "России", "country", "RU", None),
    ("Товарооборот России и Китая вырос.", "ru", "Китая", "country", "CN", None),
    ("Инвестиции в Китае и Китаю.", "ru", "Китае", "country", "CN", None),
    ("Сотрудничество с Китаем.", "ru", "Китаем", "country", "CN", None),
    ("Экспорт в РФ.", "ru", "РФ", "country", "RU", None),
    ("Поставки из Беларуси и Белоруссии.", "ru", "Беларуси", "country", "BY", None),
    ("Компания из Казахстана.", "ru", "Казахстана", "country", "KZ", None),
    ("Завод в Казахстане.", "ru", "Казахстане", "country", "KZ", None),
    ("Делегация Южной Кореи.", "ru", "Южной Кореи", "country", "KR", None),
    ("Рейс из Пекина в Москву.", "ru", "Пекина", "city", "CN", "CN-BJ"),
    ("Рейс из Пекина в Москву.", "ru", "Москву", "city", "RU", "RU-MOW"),
    ("Выставка в Шанхае.", "ru", "Шанхае", "city", "CN", "CN-SH"),
    ("Форум в Харбине.", "ru", "Харбине", "city", "CN", "CN-HL"),
    ("Форум в Сочи.", "ru", "Сочи", "city", "RU", "RU-KDA"),
    ("Завод в Набережных Челнах.", "ru", "Набережных Челнах", "city", "RU", "RU-TA"),
    ("Склад в Луховицах.", "ru", "Луховицах", "city", "RU", "RU-MOS"),
    ("Офис в Балашихе.", "ru", "Балашихе", "city", "RU", "RU-MOS"),
    ("Завод в Нижнем Новгороде.", "ru", "Нижнем Новгороде", "city", "RU", "RU-NIZ"),
    ("Делегация провинции Хэйлунцзян.", "ru", "провинции Хэйлунцзян", "region", "CN", "CN-HL"),
    ("Инвестиции в Сибирь.", "ru", "Сибирь", "macro", "RU", None),
    ("Предприятия Поволжья.", "ru", "Поволжья", "macro", "RU", None),
    ("Завод в Калужской обл. открыт.", "ru", "Калужской обл.", "region", "RU", "RU-KLU"),
    ("Экспорт Калужского региона.", "ru", "Калужского региона", "region", "RU", "RU-KLU"),
    # national capitals and major cities abroad
    ("The contract was signed in Warsaw.", "en", "Warsaw", "city", "PL", "PL-14"),
    ("A plant near Cairo.", "en", "Cairo", "city", "EG", "EG-C"),
    ("Talks in Baku on Tuesday.", "en", "Baku", "city", "AZ", "AZ-BA"),
    ("The forum in Kuala Lumpur.", "en", "Kuala Lumpur", "city", "MY", "MY-14"),
    ("A terminal in Lodz.", "en", "Lodz", "city", "PL", "PL-10"),
    ("Переговоры прошли в Варшаве.", "ru", "Варшаве", "city", "PL", "PL-14"),
    ("Делегация прибыла в Афины.", "ru", "Афины", "city", "GR", "GR-I"),
    ("Форум в Баку.", "ru", "Баку", "city", "AZ", "AZ-BA"),
    ("Встреча в Кишиневе.", "ru", "Кишиневе", "city", "MD", "MD-CU"),
    ("A tile plant in Sofia.", "en", "Sofia", "city", "BG", "BG-22"),
    # English names of other countries' provinces, cities and zones
    ("A nickel smelter in North Maluku.", "en", "North Maluku", "region", "ID", "ID-MU"),
    ("A copper plant in Darkhan.", "en", "Darkhan", "city", "MN", "MN-037"),
    ("A fibreglass plant in the TEDA Suez Zone.", "en", "TEDA Suez Zone", "site", "EG", "EG-SUZ"),
    # mixed scripts
    ("Компания Haier построит завод в Kaluga Region.", "ru", "Kaluga Region", "region", "RU", "RU-KLU"),
    ("The Калуга plant.", "en", "Калуга", "city", "RU", "RU-KLU"),
]


@pytest.mark.parametrize(("text", "lang", "surface", "kind", "country", "region"), PLACE_CASES)
def test_place_cases(text: str, lang: str, surface: str, kind: str, country: str, region: str | None) -> None:
    m = _one(text, lang, surface)
    assert m.label == "PLACE"
    assert isinstance(m.value, Place)
    assert (m.value.kind, m.value.country, m.value.region) == (kind, country, region)


DEMONYM_CASES = [
    ("A Chinese company will invest.", "en", "Chinese", "CN"),
    ("Russian officials said.", "en", "Russian", "RU"),
    ("Russians and Chinese alike.", "en", "Russians", "RU"),
    ("A South Korean bank.", "en", "South Korean", "KR"),
    ("A Korean bank.", "en", "Korean", "KR"),
    ("Belarusian tractors.", "en", "Belarusian", "BY"),
    ("Kazakh grain.", "en", "Kazakh", "KZ"),
    ("Uzbek cotton.", "en", "Uzbek", "UZ"),
    ("Serbian tyres.", "en", "Serbian", "RS"),
    ("Hungarian buses.", "en", "Hungarian", "HU"),
    ("French cheese.", "en", "French", "FR"),
    ("German machinery.", "en", "German", "DE"),
    ("Japanese cars.", "en", "Japanese", "JP"),
    ("Emirati funds.", "en", "Emirati", "AE"),
    ("Это китайская компания.", "ru", "китайская", "CN"),
    ("Партнёр — китайской компании.", "ru", "китайской", "CN"),
    ("Китайские инвесторы пришли.", "ru", "Китайские", "CN"),
    ("С китайскими партнёрами.", "ru", "китайскими", "CN"),
    ("О китайском проекте.", "ru", "китайском", "CN"),
    ("Китайскую продукцию.", "ru", "Китайскую", "CN"),
    ("Российский рынок.", "ru", "Российский", "RU"),
    ("Российских компаний.", "ru", "Российских", "RU"),
    ("Французская компания.", "ru", "Французская", "FR"),
    ("Южнокорейская корпорация.", "ru", "Южнокорейская", "KR"),
    ("Белорусского производителя.", "ru", "Белорусского", "BY"),
    ("Sino-foreign ventures.", "en", "Sino", "CN"),
]


@pytest.mark.parametrize(("text", "lang", "surface", "code"), DEMONYM_CASES)
def test_demonyms(text: str, lang: str, surface: str, code: str) -> None:
    m = _one(text, lang, surface)
    assert (m.label, m.value) == ("DEMONYM", code)


@pytest.mark.parametrize(
    ("text", "lang", "surface", "pair"),
    [
        ("Sino-Russian trade rose.", "en", "Sino-Russian", ("CN", "RU")),
        ("The Russian-Chinese forum opened.", "en", "Russian-Chinese", ("RU", "CN")),
        ("Chinese-Russian ties deepen.", "en", "Chinese-Russian", ("CN", "RU")),
        ("В рамках российско-китайского форума.", "ru", "российско-китайского", ("RU", "CN")),
        ("Российско-китайская комиссия.", "ru", "Российско-китайская", ("RU", "CN")),
        ("Русско-китайский словарь.", "ru", "Русско-китайский", ("RU", "CN")),
        ("Китайско-белорусский парк.", "ru", "Китайско-белорусский", ("CN", "BY")),
    ],
)
def test_demonym_pairs(text: str, lang: str, surface: str, pair: tuple[str, str]) -> None:
    m = _one(text, lang, surface)
    assert (m.label, m.value) == ("DEMONYM_PAIR", pair)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("We had dinner in Chinatown.", "en"),
        ("Kazanorgsintez raised output.", "en"),
        ("A set of fine china plates.", "en"),
        ("the mir station and a pine bor near an orel", "en"),
        ("Roast turkey for dinner.", "en"),
        ("Let us go.", "en"),
        ("The deal is worth US$ 5 million.", "en"),
        ("Vladimir Putin met the delegation.", "en"),
        ("Владимир Путин провёл встречу.", "ru"),
        ("мир, бор и орёл", "ru"),
        ("Sino is not a word on its own.", "en"),
        ("китайско без дефиса", "ru"),
        ("Chad Smith and Michael Jordan spoke.", "en"),
        ("Sofia Petrova and Milan Novak spoke.", "en"),
    ],
)
def test_negative(text: str, lang: str) -> None:
    assert _places(text, lang) == []


def test_longest_match_and_ambiguity() -> None:
    kinds = {m.text: m.value.kind for m in _places("Kaluga Region and Kaluga, Tula Oblast and Tula.", "en")}
    assert kinds == {"Kaluga Region": "region", "Kaluga": "city", "Tula Oblast": "region", "Tula": "city"}
    ms = _places("Kaluga SEZ and the Lipetsk special economic zone", "en")
    assert [m.text for m in ms] == ["Kaluga SEZ", "Lipetsk special economic zone"]
    assert all(m.value.kind == "site" for m in ms)


def test_amur_river_is_not_a_region() -> None:
    ms = _places("Barges on the Amur river near Amur Oblast.", "en")
    assert [(m.text, m.value.kind, m.value.region) for m in ms] == [
        ("Amur river", "macro", None),
        ("Amur Oblast", "region", "RU-AMU"),
    ]


def test_lookup() -> None:
    assert lookup("Kaluga Region", "en") == Place("Kaluga Oblast", "region", "RU", "RU-KLU")
    assert lookup("в Калужской области", "ru") == Place("Kaluga Oblast", "region", "RU", "RU-KLU")
    site = lookup("Borovskoye site, Kaluga SEZ", "en")
    assert site is not None and (site.kind, site.region) == ("site", "RU-KLU")
    city = lookup("Kaluga, Russia", "en")
    assert city is not None and (city.kind, city.region) == ("city", "RU-KLU")
    assert lookup("Chinese", "en") is None
    assert lookup("Nowhere Land", "en") is None
    assert lookup("", "en") is None


def test_region_name_and_country_of() -> None:
    assert region_name("RU-KLU") == "Kaluga Oblast"
    assert region_name("ru-ta") == "Republic of Tatarstan"
    assert region_name("CN-HL") == "Heilongjiang"
    assert region_name("CN") == "China"
    assert region_name("XX-YY") is None
    assert country_of("RU-KLU") == "RU"
    assert country_of("KZ-71") == "KZ"
    assert country_of("CN") == "CN"
    assert country_of("ZZ") is None


def test_every_russian_subject_has_english_and_russian_names() -> None:
    codes = {s.code for s in pycountry.subdivisions if s.country_code == "RU"}
    assert len(codes) >= 83
    en: set[str] = set()
    ru: set[str] = set()
    for line in (DATA / "gen_names.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        surface, lang, kind, _cc, region = line.split("\t")[:5]
        if kind == "region" and region.startswith("RU-"):
            (en if lang == "en" else ru).add(region)
            if lang == "ru":
                assert any("а" <= c.lower() <= "я" for c in surface), surface
    assert codes - en == set()
    assert codes - ru == set()
    for code in sorted(codes):
        assert region_name(code), code


def test_sizes() -> None:
    rows = (DATA / "gen_names.tsv").read_text(encoding="utf-8").splitlines()[1:]
    cities = {(r.split("\t")[5], r.split("\t")[4]) for r in rows if r.split("\t")[2] == "city"}
    ru_cities = {c for c in cities if c[1].startswith("RU-")}
    assert len(ru_cities) >= 150
    sites = {r.split("\t")[5] for r in rows if r.split("\t")[2] == "site"}
    assert len(sites) >= 60


def test_generated_tables_are_current() -> None:
    generated = _builder().build()
    for name, content in generated.items():
        on_disk = (DATA / name).read_text(encoding="utf-8")
        assert on_disk == content, f"{name} is stale: run python scripts/build_gazetteer.py"


@pytest.mark.parametrize(
    ("spec", "forms"),
    [
        (
            "Калужская область",
            ["Калужская область", "Калужской области", "Калужскую область", "Калужской областью"],
        ),
        (
            "Приморский край",
            [
                "Приморский край",
                "Приморского края",
                "Приморскому краю",
                "Приморским краем",
                "Приморском крае",
            ],
        ),
        ("Россия", ["Россия", "России", "Россию", "Россией"]),
        ("Китай", ["Китай", "Китая", "Китаю", "Китаем", "Китае"]),
        ("Казахстан", ["Казахстан", "Казахстана", "Казахстану", "Казахстаном", "Казахстане"]),
        ("Беларусь", ["Беларусь", "Беларуси", "Беларусью"]),
        ("Калуга", ["Калуга", "Калуги", "Калуге", "Калугу", "Калугой"]),
        ("Москва", ["Москва", "Москвы", "Москве", "Москву", "Москвой"]),
        ("Приморье", ["Приморье", "Приморья", "Приморью", "Приморьем"]),
        (
            "Республика Татарстан",
            [
                "Республика Татарстан",
                "Республики Татарстан",
                "Республике Татарстан",
                "Республику Татарстан",
                "Республикой Татарстан",
            ],
        ),
        (
            "Дальний Восток",
            ["Дальний Восток", "Дальнего Востока", "Дальнему Востоку", "Дальним Востоком", "Дальнем Востоке"],
        ),
        (
            "индустриальный парк «Ворсино»",
            [
                "индустриальный парк «Ворсино»",
                "индустриального парка «Ворсино»",
                "индустриальном парке «Ворсино»",
            ],
        ),
        ("Сочи=i", ["Сочи"]),
    ],
)
def test_declension(spec: str, forms: list[str]) -> None:
    generated = _builder().decline_phrase(spec)
    for form in forms:
        assert form in generated


def test_adjective_forms() -> None:
    forms = _builder().all_adjective_forms("китайский")
    for form in (
        "китайский",
        "китайская",
        "китайское",
        "китайские",
        "китайского",
        "китайской",
        "китайскому",
        "китайскую",
        "китайским",
        "китайских",
        "китайскими",
        "китайском",
    ):
        assert form in forms


@pytest.mark.parametrize(
    ("name", "lemma"),
    [
        ("Changchun", "Чанчунь"),  # written with a gender hint in the table ("Чанчунь=m")
        ("Vladimir", "Владимир"),  # marked as also a personal name ("~Владимир")
        ("Athens", "Афины"),  # written with explicit case forms
        ("Chisinau", "Кишинёв"),
        ("Sochi", "Сочи"),  # indeclinable ("Сочи=i")
        ("Shanghai", "Шанхай"),
    ],
)
def test_city_lemma_is_the_bare_dictionary_form(name: str, lemma: str) -> None:
    from fdiscope.normalise.places import city_lemma

    assert city_lemma(Place(name=name, kind="city", country=None, region=None), "ru") == lemma


def test_keys_fold_like_normalise_token() -> None:
    """The one-pass folding of a text's tokens gives what normalise_token gives token by token."""
    from fdiscope.normalise.places import _keys, normalise_token

    for tokens in (
        ["Kaluga", "Region", "US", "PRC"],
        ["Ёлка", "КНР", "российско", "китайского"],
        ["Aqtöbe", "Straße", "Kaluga"],
        ["ǅemal", "İzmir", "ΣΟΦΙΑ"],
        [],
    ):
        assert _keys(tokens) == [normalise_token(t) for t in tokens]


def test_spans_through_gaps_and_offsets() -> None:
    """Multi-token names across allowed gaps, offsets after non-ASCII text and underscores."""
    text = "«Тест» — snake_case then Kaluga Region, and Sino-Russian ties; Hong Kong-based firms"
    found = {m.text: m for m in find_places(text)}
    for quote, mention in found.items():
        assert text[mention.start : mention.end] == quote
    assert "Kaluga Region" in found
    assert found["Sino-Russian"].label == "DEMONYM_PAIR"
    assert "Hong Kong" in found
