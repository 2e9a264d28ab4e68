"""A synthetic news corpus in English and Russian, for benchmarks and scale tests.

Articles are assembled from templates written for this module (investment announcements,
trade figures, forums) with varied investors, countries, Russian regions, sectors, amounts,
jobs and dates, followed by a background paragraph of ``FILLER_WORDS`` words drawn at random
from a neutral vocabulary (no names, numbers or trade words, so extraction finds nothing in it).
Without it two articles of the same template share most of their word 3-shingles, which no
real news corpus does: every pair would be a near-duplicate candidate and the lookup cost would
grow with the corpus.  Document ``i`` of a seed is always the same text, whatever ``n`` is, so a
corpus can be generated lazily, in parts, or again on another machine: nothing is kept in
memory between documents.

>>> a = list(synth_documents(3, seed=7))
>>> [d.language for d in a] == [d.language for d in synth_documents(3, seed=7)]
True
>>> len({d.id for d in synth_documents(200)})
200

Run ``python -m fdiscope.synth N [--seed S] [--ru-share 0.3]`` to print N documents as JSON lines.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from .model import Document

__all__ = ["FILLER_WORDS", "synth_document", "synth_documents", "synth_jsonl_lines"]

#: Words of the background paragraph of each article (news-sized texts, distinct shingles).
FILLER_WORDS = 150

_FILLER_EN = (
    "weather morning evening river bridge street garden window teacher student library museum "
    "painting music concert theatre winter summer autumn spring holiday family children school "
    "football match stadium coach player season park forest lake mountain valley village road "
    "traffic bus tram station platform ticket queue coffee bread market square fountain statue "
    "history archive letter photograph camera journalist reader column opinion debate question "
    "answer story memory friend neighbour visitor guest kitchen recipe dinner lunch breakfast "
    "rain snow wind cloud sunshine walk run swim climb paint sing dance read write listen watch "
    "quiet busy bright dark warm cold early late old new small large green blue yellow red"
).split()
_FILLER_RU = (
    "погода утро вечер река мост улица сад окно учитель студент библиотека музей картина музыка "
    "концерт театр зима лето осень весна праздник семья дети школа футбол матч стадион тренер "
    "игрок сезон парк лес озеро гора долина деревня дорога автобус трамвай вокзал билет очередь "
    "кофе хлеб рынок площадь фонтан памятник история архив письмо фотография камера журналист "
    "читатель колонка мнение вопрос ответ рассказ память друг сосед гость кухня рецепт ужин обед "
    "завтрак дождь снег ветер облако солнце прогулка тихий шумный яркий тёмный тёплый холодный "
    "ранний поздний старый новый маленький большой зелёный синий жёлтый красный"
).split()


def _filler(rng: random.Random, lang: str) -> str:
    """Sentences of 8–14 random lower-case words from a neutral vocabulary."""
    vocab = _FILLER_RU if lang == "ru" else _FILLER_EN
    n = len(vocab)
    words = [
        vocab[b % n] for b in rng.getrandbits(16 * FILLER_WORDS).to_bytes(2 * FILLER_WORDS, "little")[::2]
    ]
    out: list[str] = []
    i = 0
    while i < len(words):
        k = 8 + int(rng.random() * 7)
        out.append(" ".join(words[i : i + k]).capitalize() + ".")
        i += k
    return " ".join(out)


@dataclass(frozen=True, slots=True)
class _Investor:
    en: str
    ru: str
    country_en: str  # demonym / "of X" form used in templates
    country_of_en: str
    country_ru: str  # "из X" (genitive)


_INVESTORS: tuple[_Investor, ...] = (
    _Investor("Hengda Fluid Machinery", "Хэнда Флюид Машинери", "Chinese", "China", "Китая"),
    _Investor("Qingshan Motors", "Циншань Моторс", "Chinese", "China", "Китая"),
    _Investor("Huaxin Cement", "Хуасинь Цемент", "Chinese", "China", "Китая"),
    _Investor("Longsheng Chemical", "Луншэн Кемикал", "Chinese", "China", "Китая"),
    _Investor("Weichai Power", "Вэйчай Пауэр", "Chinese", "China", "Китая"),
    _Investor("Anatolia Glass Industries", "Анатолия Гласс Индастриз", "Turkish", "Turkey", "Турции"),
    _Investor("Ege Textile Group", "Эге Текстиль Групп", "Turkish", "Turkey", "Турции"),
    _Investor("Tata Agro Products", "Тата Агро Продактс", "Indian", "India", "Индии"),
    _Investor("Sun Pharma Industries", "Сан Фарма Индастриз", "Indian", "India", "Индии"),
    _Investor("Gulf Petrochemical Company", "Галф Петрокемикал", "Emirati", "the UAE", "ОАЭ"),
    _Investor("Hyundai Steel", "Хёндэ Стил", "South Korean", "South Korea", "Южной Кореи"),
    _Investor("Belaz Trucks", "БелАЗ", "Belarusian", "Belarus", "Белоруссии"),
    _Investor("Tashkent Textile Company", "Ташкент Текстиль", "Uzbek", "Uzbekistan", "Узбекистана"),
    _Investor(
        "Caspian Logistics Holding", "Каспиан Лоджистикс Холдинг", "Kazakh", "Kazakhstan", "Казахстана"
    ),
    _Investor("Saigon Foods Corporation", "Сайгон Фудс", "Vietnamese", "Vietnam", "Вьетнама"),
    _Investor("Teheran Auto Industries", "Тегеран Авто Индастриз", "Iranian", "Iran", "Ирана"),
)

# (English name, Russian prepositional "в X", Russian genitive, city EN, city RU prepositional)
_REGIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Kaluga Region", "Калужской области", "Калужской области", "Kaluga", "Калуге"),
    ("Tula Region", "Тульской области", "Тульской области", "Tula", "Туле"),
    ("Novosibirsk Region", "Новосибирской области", "Новосибирской области", "Novosibirsk", "Новосибирске"),
    ("Primorsky Krai", "Приморском крае", "Приморского края", "Vladivostok", "Владивостоке"),
    ("Tatarstan", "Татарстане", "Татарстана", "Kazan", "Казани"),
    ("Amur Region", "Амурской области", "Амурской области", "Blagoveshchensk", "Благовещенске"),
    (
        "Leningrad Region",
        "Ленинградской области",
        "Ленинградской области",
        "Saint Petersburg",
        "Санкт-Петербурге",
    ),
    (
        "Nizhny Novgorod Region",
        "Нижегородской области",
        "Нижегородской области",
        "Nizhny Novgorod",
        "Нижнем Новгороде",
    ),
    ("Sverdlovsk Region", "Свердловской области", "Свердловской области", "Yekaterinburg", "Екатеринбурге"),
    ("Lipetsk Region", "Липецкой области", "Липецкой области", "Lipetsk", "Липецке"),
    ("Khabarovsk Krai", "Хабаровском крае", "Хабаровского края", "Khabarovsk", "Хабаровске"),
    ("Samara Region", "Самарской области", "Самарской области", "Samara", "Самаре"),
)

# Trade partners: English name, Russian genitive ("России и X"), Russian adjective stem.
_PARTNERS: tuple[tuple[str, str, str], ...] = (
    ("China", "Китая", "китайск"),
    ("India", "Индии", "индийск"),
    ("Turkey", "Турции", "турецк"),
    ("Kazakhstan", "Казахстана", "казахстанск"),
    ("Belarus", "Белоруссии", "белорусск"),
    ("Vietnam", "Вьетнама", "вьетнамск"),
    ("Iran", "Ирана", "иранск"),
    ("Uzbekistan", "Узбекистана", "узбекистанск"),
)

# (English product, Russian "завод по производству X")
_PRODUCTS: tuple[tuple[str, str], ...] = (
    ("pump", "насосов"),
    ("glass", "стекла"),
    ("cement", "цемента"),
    ("car assembly", "автомобилей"),
    ("packaging", "упаковки"),
    ("fertiliser", "удобрений"),
    ("pharmaceutical", "лекарств"),
    ("textile", "тканей"),
    ("dairy", "молочной продукции"),
    ("tyre", "шин"),
)

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS_RU = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

_EVENTS_EN = ("Russia-{p} Investment Forum", "International Industrial Exhibition", "Eastern Economic Forum")
_EVENTS_RU = (
    "российско-{p}ом инвестиционном форуме",
    "Международной промышленной выставке",
    "Восточном экономическом форуме",
)


def _amount_en(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        return f"{rng.randint(2, 95) / 10:g} billion rubles"
    if kind < 0.8:
        return f"USD {rng.randint(12, 480)} million"
    return f"{rng.randint(15, 300)} million euros"


def _amount_ru(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        return f"{str(rng.randint(2, 95) / 10).replace('.', ',').removesuffix(',0')} млрд рублей"
    if kind < 0.8:
        return f"{rng.randint(12, 480)} млн долларов"
    return f"{rng.randint(15, 300)} млн евро"


def _en(rng: random.Random, i: int) -> tuple[str, str]:
    inv = rng.choice(_INVESTORS)
    region, _, _, city, _ = rng.choice(_REGIONS)
    product, _ = rng.choice(_PRODUCTS)
    partner, _, _ = rng.choice(_PARTNERS)
    year = rng.randint(2019, 2025)
    month = rng.randrange(12)
    day = rng.randint(1, 28)
    jobs = rng.choice((80, 120, 150, 240, 300, 450, 600, 1200))
    pct = rng.randint(3, 45)
    event = rng.choice(_EVENTS_EN).format(p=partner)
    kind = rng.randrange(3)
    if kind == 0:
        title = f"{inv.country_en} investor to build {product} plant in {region}"
        body = [
            f"{inv.en}, a manufacturer from {inv.country_of_en}, will invest {_amount_en(rng)} "
            f"in a new {product} plant in {region}.",
            f"The company will create {jobs} jobs, and production is due to start in {year + 2}.",
            f"The agreement was signed on {day} {_MONTHS_EN[month]} {year} at the {event} in {city}.",
        ]
    elif kind == 1:
        title = f"{region} trade with {partner} up {pct}%"
        body = [
            f"Trade turnover between {region} and {partner} reached {_amount_en(rng)} in {year}, "
            f"up {pct}% on the previous year, the regional customs office said.",
            f"Exports of {product} products made up most of the shipments to {partner}.",
        ]
    else:
        title = f"{city} hosts the {event}"
        body = [
            f"The {event} opened in {city} on {day} {_MONTHS_EN[month]} {year}.",
            f"{inv.en} of {inv.country_of_en} signed an agreement to build a {product} plant in {region} "
            f"worth {_amount_en(rng)}.",
            f"About {jobs} delegates attended the sessions.",
        ]
    body.append(f"Release {i} of the regional press service.")
    published = f"{year}-{month + 1:02d}-{day:02d}"
    return f"{published}\n{title}\n\n" + " ".join(body), "en"


def _ru(rng: random.Random, i: int) -> tuple[str, str]:
    inv = rng.choice(_INVESTORS)
    _, region, region_gen, _, city = rng.choice(_REGIONS)
    _, product = rng.choice(_PRODUCTS)
    _, partner, adj = rng.choice(_PARTNERS)
    year = rng.randint(2019, 2025)
    month = rng.randrange(12)
    day = rng.randint(1, 28)
    jobs = rng.choice((80, 120, 150, 240, 300, 450, 600, 1200))
    pct = rng.randint(3, 45)
    event = rng.choice(_EVENTS_RU).format(p=adj)
    kind = rng.randrange(3)
    if kind == 0:
        title = f"Компания из {inv.country_ru} построит завод в {region}"
        body = [
            f"Компания «{inv.ru}» из {inv.country_ru} вложит {_amount_ru(rng)} "
            f"в строительство завода по производству {product} в {region}.",
            f"На предприятии будет создано {jobs} рабочих мест, запуск запланирован на {year + 2} год.",
            f"Соглашение подписано {day} {_MONTHS_RU[month]} {year} года на {event} в {city}.",
        ]
    elif kind == 1:
        title = f"Товарооборот {region_gen} и {partner} вырос на {pct}%"
        body = [
            f"Товарооборот {region_gen} и {partner} в {year} году "
            f"составил {_amount_ru(rng)}, что на {pct}% больше, чем годом ранее.",
            f"Основную часть экспорта составили поставки {product}.",
        ]
    else:
        title = f"В {city} открылся форум"
        body = [
            f"{day} {_MONTHS_RU[month]} {year} года в {city} начал работу форум.",
            f"Компания «{inv.ru}» подписала соглашение о строительстве завода в {region} "
            f"стоимостью {_amount_ru(rng)}.",
            f"В работе форума приняли участие около {jobs} делегатов.",
        ]
    body.append(f"Сообщение пресс-службы № {i}.")
    published = f"{year}-{month + 1:02d}-{day:02d}"
    return f"{published}\n{title}\n\n" + " ".join(body), "ru"


def synth_document(i: int, seed: int = 0, ru_share: float = 0.3) -> Document:
    """Document number ``i`` of the corpus ``seed`` (the same text every time)."""
    rng = random.Random(seed * 1_000_003 + i)
    text, lang = (_ru if rng.random() < ru_share else _en)(rng, i)
    if FILLER_WORDS:
        text += "\n\n" + _filler(random.Random(seed * 1_000_003 + i + 0x5EED), lang)
    lines = text.split("\n")
    return Document(
        text=text,
        title=lines[1],
        published=lines[0],
        language=lang,
        source=f"synth:{seed}:{i}",
    )


def synth_documents(n: int, seed: int = 0, ru_share: float = 0.3, start: int = 0) -> Iterator[Document]:
    """Documents ``start`` … ``start + n - 1`` of the corpus ``seed``, generated lazily."""
    for i in range(start, start + n):
        yield synth_document(i, seed, ru_share)


def synth_jsonl_lines(n: int, seed: int = 0, ru_share: float = 0.3) -> Iterator[str]:
    """The corpus as JSON lines readable by ``fdiscope ingest``."""
    for d in synth_documents(n, seed, ru_share):
        yield json.dumps(
            {
                "doc_id": d.source,
                "text": d.text,
                "title": d.title,
                "published": d.published,
                "language": d.language,
            },
            ensure_ascii=False,
        )


def _main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m fdiscope.synth", description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="number of documents")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ru-share", type=float, default=0.3)
    args = ap.parse_args(argv)
    for line in synth_jsonl_lines(args.n, args.seed, args.ru_share):
        sys.stdout.write(line + "\n")


if __name__ == "__main__":
    _main()
