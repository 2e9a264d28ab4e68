"""Language identification and near-duplicate detection (texts invented for these tests)."""

from __future__ import annotations

import pytest

from fdiscope.ingest import NearDuplicateIndex, detect_language, jaccard_estimate, minhash


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The carmaker will start assembling electric vans at the new site next year.", "en"),
        ("Exports of timber to the region rose by 12 percent in the first quarter.", "en"),
        ("Siemens and Rosatom signed a memorandum in Moscow.", "en"),
        ("Автопроизводитель начнёт сборку электрических фургонов на новой площадке.", "ru"),
        ("Товарооборот с регионом вырос на 12% в первом квартале.", "ru"),
        ("Hyundai Motor Manufacturing Rus начнёт выпуск новой модели осенью.", "ru"),
        ("Der Autohersteller wird im nächsten Jahr mit der Montage von Elektrotransportern beginnen.", "de"),
        ("该汽车制造商明年将开始在新工厂组装电动货车。", "zh"),
        ("Виробник автомобілів почне збирати електричні фургони на новому майданчику.", "uk"),
        ("12 345 678", "und"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_other_languages_are_never_en_or_ru() -> None:
    for text in (
        "L'usine produira des pièces détachées pour l'industrie aéronautique européenne.",
        "La empresa construirá una nueva fábrica de componentes cerca de la frontera.",
    ):
        assert detect_language(text) not in ("en", "ru")


BODY = (
    "A Swedish maker of industrial bearings agreed with the regional government on Monday to build a "
    "factory in the special economic zone near Lipetsk. The company intends to invest roughly 70 million "
    "euros in two stages and to hire 320 workers once both lines run. Construction is due to begin in "
    "the autumn, and the first bearings should leave the plant at the end of next year. The regional "
    "minister of industry said the investor had chosen the site because of its rail access and the "
    "supply of trained engineers from the local technical university."
)
BODY_RU = (
    "Шведский производитель промышленных подшипников договорился с властями региона о строительстве "
    "завода в особой экономической зоне под Липецком. Компания намерена вложить около 70 млн евро в два "
    "этапа и нанять 320 работников после запуска обеих линий. Строительство начнётся осенью, а первые "
    "подшипники завод выпустит в конце следующего года."
)
OTHER = (
    "A container terminal operator from the Gulf opened a dry port outside Novosibirsk on Friday. The "
    "facility cost around 25 million dollars and can handle 90,000 containers a year arriving by rail. "
    "Officials expect it to shorten delivery times for goods travelling between China and Europe and to "
    "employ about 150 people when it reaches full capacity."
)


def test_same_story_other_headline_and_footer_is_linked() -> None:
    idx = NearDuplicateIndex()
    orig = "Swedish bearing maker picks Lipetsk\n\n" + BODY + "\n\nSubscribe to our newsletter."
    assert idx.add("orig", orig) is None
    assert idx.add("other", OTHER) is None
    reprint = "Bearings plant coming to Lipetsk zone\n\n" + BODY + "\n\n(c) 2024 Invented Wire. All rights."
    assert idx.add("reprint", reprint) == "orig"
    assert idx.add("ru1", "Подшипники из Швеции\n" + BODY_RU) is None
    ru2 = "Завод подшипников построят под Липецком\n" + BODY_RU + "\nЧитайте нас в соцсетях."
    assert idx.add("ru2", ru2) == "ru1"
    assert len(idx) == 5


def test_different_stories_are_not_linked() -> None:
    assert jaccard_estimate(minhash(BODY), minhash(OTHER)) < 0.1
    idx = NearDuplicateIndex()
    idx.add("a", BODY)
    assert idx.query(OTHER) is None
    assert idx.query(BODY_RU) is None  # a translation is not a near-duplicate


def test_chain_points_at_first_and_readd_is_noop() -> None:
    idx = NearDuplicateIndex()
    idx.add("a", BODY)
    assert idx.add("b", BODY + " Shares rose 2%.") == "a"
    assert idx.add("c", BODY + " Shares rose 2%. Analysts agreed.") == "a"
    assert idx.add("a", OTHER) is None and len(idx) == 3


def test_signature_restores_index() -> None:
    first = NearDuplicateIndex()
    sig = first.signature(BODY)
    second = NearDuplicateIndex()
    second.add_signature("stored", sig)
    assert second.add("new", "Headline\n\n" + BODY) == "stored"


def test_lookup_is_sublinear() -> None:
    idx = NearDuplicateIndex()
    for i in range(2000):
        idx.add(f"d{i}", f"story {i} " + " ".join(f"w{i}x{j}" for j in range(40)))
    sig = idx.signature(BODY)
    # candidates come from band tables; none of the unrelated stories shares a band
    assert sum(len(t.get(b, ())) for b, t in zip(idx._bands(sig), idx._tables, strict=True)) == 0
