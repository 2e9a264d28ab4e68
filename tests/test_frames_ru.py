"""Russian frames on short articles written for these tests."""

from __future__ import annotations

import pytest

from fdiscope.extract import extract
from fdiscope.model import Document


def run(text: str, published: str | None = "2024-06-03"):
    return extract(Document(text=text, language="ru", published=published))


def test_sez_resident_project() -> None:
    doc = run(
        "Китайская компания ООО «Синьхуа Моторс» подписала соглашение о строительстве завода автокомпонентов "
        "в ОЭЗ «Калуга». Объём инвестиций составит 1,5 млрд рублей, будет создано 300 рабочих мест."
    )
    (p,) = doc.projects
    assert p.investors == ["Синьхуа Моторс"]
    assert p.investor_countries == ["CN"]
    assert (p.host_country, p.host_region) == ("RU", "RU-KLU")
    assert p.amount == {"value": 1_500_000_000, "currency": "RUB"}
    assert p.jobs == 300
    assert p.status == "agreement"
    assert p.sector == "automotive"


def test_construction_under_way_and_suspension() -> None:
    running = run("В Тульской области компания «Дунфан Стил» ведёт строительство сталелитейного завода.")
    assert running.projects[0].status == "construction"
    stopped = run("Компания «Дунфан Стил» приостановила строительство завода в Тульской области.")
    assert stopped.projects[0].status == "cancelled"


def test_half_year_trade_with_growth() -> None:
    doc = run(
        "В первом полугодии 2024 года товарооборот Приморского края с Китаем вырос на 15% и составил 3,2 "
        "млрд долларов."
    )
    (t,) = doc.trade
    assert (t.reporter, t.partner, t.period) == ("RU-PRI", "CN", "2024-H1")
    assert (t.value, t.currency, t.change_pct) == (3_200_000_000, "USD", 15.0)


def test_forum_in_a_declined_city() -> None:
    doc = run("Российско-китайский форум прошёл в Казани 30 мая.")
    (ev,) = doc.events
    assert (ev.kind, ev.city, ev.country, ev.date) == ("forum", "Казань", "RU", "2024-05-30")


def test_dollars_of_the_usa_are_not_a_trade_partner() -> None:
    doc = run("Экспорт Амурской области в Китай в 2023 году составил 900 млн долл США.")
    (t,) = doc.trade
    assert (t.reporter, t.partner, t.flow) == ("RU-AMU", "CN", "exports")


def test_the_site_name_does_not_decide_the_sector() -> None:
    doc = run(
        "В индустриальном парке «Ворсино» в Калужской области открылся завод китайской компании "
        "«Лунцзян Технолоджи» по выпуску электродвигателей."
    )
    (p,) = doc.projects
    assert (p.sector, p.status, p.host_region) == ("machinery", "operational", "RU-KLU")


def test_visited_province_is_the_visit_country() -> None:
    doc = run("Делегация Республики Башкортостан посетила провинцию Цзянсу.")
    (ev,) = doc.events
    assert (ev.kind, ev.country) == ("visit", "CN")


def test_signing_in_the_next_sentence_gives_the_status_ru() -> None:
    doc = run(
        "Экспорт региона вырос в прошлом году. Аграрии собрали рекордный урожай. "
        "Весной отремонтировали дороги. "
        "Китайская компания «Синий Камень» построит завод по производству шин в Липецкой области. "
        "Соглашение было подписано в ходе визита делегации региона в провинцию Шаньдун."
    )
    (p,) = doc.projects
    assert (p.status, p.host_region) == ("agreement", "RU-LIP")


def test_exports_and_imports_growth_in_one_sentence_ru() -> None:
    doc = run(
        "Экспорт Хабаровского края в Китай за январь–март 2024 года снизился на 5% и составил "
        "410 млн долларов, импорт из Китая вырос в 1,5 раза."
    )
    rows = {t.flow: t for t in doc.trade}
    assert (rows["exports"].value, rows["exports"].change_pct) == (410e6, -5.0)
    assert (rows["imports"].reporter, rows["imports"].partner, rows["imports"].change_pct) == (
        "RU-KHA",
        "CN",
        50.0,
    )
    assert rows["imports"].period == rows["exports"].period == "2024-Q1"


def test_parent_named_in_the_genitive_is_not_a_second_investor_ru() -> None:
    doc = run(
        "Компания «Северный Лев Рус», дочернее предприятие китайской NLG, открыла в индустриальном "
        "парке «Ворсино» завод по выпуску погрузчиков. Инвестиции в проект составили 2,5 млрд рублей."
    )
    (p,) = doc.projects
    assert p.investors == ["Северный Лев Рус"]
    assert (p.host_region, p.amount) == ("RU-KLU", {"value": 2.5e9, "currency": "RUB"})


def test_new_resident_of_a_zone_founded_by_a_chinese_corporation_ru() -> None:
    doc = run(
        "Компания ООО «Северный Кедр», учредителем которой является китайская корпорация Longjiang Timber "
        "Group, стала резидентом территории опережающего развития «Большой Камень». Инвестор планирует "
        "вложить в строительство деревообрабатывающего комбината 4,2 млрд рублей и создать 270 рабочих мест."
    )
    (p,) = doc.projects
    assert p.investors == ["Северный Кедр"]
    assert (p.host_region, p.sector, p.jobs) == ("RU-PRI", "food_agriculture", 270)
    assert p.amount == {"value": 4.2e9, "currency": "RUB"}


def test_a_delegation_origin_is_not_where_the_visit_happens_ru() -> None:
    doc = run("Делегация Новосибирской области 17 июня посетила китайскую провинцию Шаньдун.")
    visits = [ev for ev in doc.events if ev.kind == "visit"]
    assert [(ev.city, ev.country) for ev in visits] == [(None, "CN")]


def test_company_named_after_its_home_port_is_an_investor_ru() -> None:
    doc = run(
        "Компания «Амурский Злак» совместно с китайской Heihe Mingda построит завод по глубокой "
        "переработке сои стоимостью 6 млрд рублей. Кроме того, компания Fuyuan Port расширит грузовой "
        "терминал в Благовещенске."
    )
    by_investor = {p.investors[0]: p for p in doc.projects}
    assert sorted(by_investor) == ["Fuyuan Port", "Амурский Злак"]
    assert by_investor["Амурский Злак"].sector == "food_agriculture"
    port = by_investor["Fuyuan Port"]
    assert (port.kind, port.host_region) == ("expansion", "RU-AMU")


def test_intention_agreement_signed_at_a_forum_gives_the_status_ru() -> None:
    doc = run(
        "Экспорт региона вырос в прошлом году. Аграрии собрали рекордный урожай. "
        "Весной отремонтировали дороги. Китайская компания Zijin Mining планирует инвестировать более "
        "1,5 млрд долл. в разработку медного месторождения в Забайкальском крае. "
        "Соглашение о намерениях стороны подписали на полях ВЭФ."
    )
    (p,) = doc.projects
    assert (p.status, p.host_region, p.investors) == ("agreement", "RU-ZAB", ["Zijin Mining"])


def test_plans_discussed_after_a_meeting_with_the_company_ru() -> None:
    doc = run(
        "Губернатор провел рабочую встречу с руководством компании «Северный Мотор Рус». "
        "Стороны обсудили планы по расширению производства на заводе в индустриальном парке «Узловая». "
        "В 2025 году компания планирует вложить в модернизацию предприятия еще 3 млрд рублей."
    )
    (p,) = doc.projects
    assert p.investors == ["Северный Мотор Рус"]
    assert (p.kind, p.host_region, p.amount) == ("expansion", "RU-TUL", {"value": 3e9, "currency": "RUB"})


def test_rise_and_fall_in_one_sentence_share_the_period_of_the_sentence_before_ru() -> None:
    doc = run(
        "Доля Китая во внешнеторговом обороте Приморского края по итогам девяти месяцев составила 62%. "
        "Экспорт Приморья в КНР за этот период вырос на 8%, а импорт сократился на 3%.",
        published="2024-12-05",
    )
    rows = {t.flow: t for t in doc.trade}
    assert (rows["turnover"].share_pct, rows["turnover"].period) == (62.0, "2024-01/2024-09")
    assert (rows["exports"].change_pct, rows["imports"].change_pct) == (8.0, -3.0)
    assert rows["exports"].period == rows["imports"].period == "2024-01/2024-09"
    assert {t.reporter for t in doc.trade} == {"RU-PRI"}


def test_headline_growth_is_the_body_figure_ru() -> None:
    doc = run(
        "Товарооборот Омской области с Китаем вырос на 27%\n\n"
        "Товарооборот Омской области и Китая в 2023 году составил 1,9 млрд долларов, что на 27% больше, "
        "чем годом ранее."
    )
    (t,) = doc.trade
    assert (t.reporter, t.period, t.value, t.change_pct) == ("RU-OMS", "2023", 1.9e9, 27.0)
    assert t.evidence is not None and t.evidence.quote.startswith("Товарооборот Омской области и Китая")


def test_companies_listed_and_a_regional_total_that_is_no_project_amount_ru() -> None:
    doc = run(
        "Сегодня в Калужской области работают 15 компаний с китайским капиталом, в том числе «Хавор» и "
        "«Лингтон», а также производитель насосов «Хэндар». Общий объем китайских инвестиций в экономику "
        "региона превысил 60 млрд рублей."
    )
    assert sorted(p.investors[0] for p in doc.projects) == ["Лингтон", "Хавор", "Хэндар"]
    assert all(p.amount is None and p.status == "operational" for p in doc.projects)


def test_business_mission_is_a_visit_ru() -> None:
    doc = run("С 14 по 18 октября бизнес-миссия Омской области посетит провинции Хэйлунцзян и Цзилинь.")
    visits = [ev for ev in doc.events if ev.kind == "visit"]
    assert [(ev.date, ev.country) for ev in visits] == [("2024-10-14", "CN")]


def test_opening_ceremony_held_makes_the_plant_operational_ru() -> None:
    doc = run(
        "В особой экономической зоне «Алабуга» состоялось открытие завода китайской компании «Синьи Форт» "
        "по производству флоат-стекла. Инвестиции в проект составили 35 млрд рублей."
    )
    (p,) = doc.projects
    assert (p.status, p.sector, p.host_region) == ("operational", "construction_materials", "RU-TA")


def test_signing_a_government_order_is_no_signing_event() -> None:
    doc = run(
        "Правительство расширило границы особой экономической зоны «Липецк». "
        "Соответствующее распоряжение подписал премьер-министр, оно опубликовано "
        "на портале правовой информации."
    )
    assert [e for e in doc.events if e.kind == "signing"] == []


def test_an_invitation_to_visit_is_no_visit() -> None:
    doc = run(
        "Китайская компания «Синьда» построит в Тульской области завод стройматериалов. "
        "Губернатор пригласил китайских партнеров посетить регион осенью."
    )
    assert [e for e in doc.events if e.kind == "visit"] == []


def test_former_venue_is_not_the_forum_city() -> None:
    doc = run("Форум «Сибирь — Китай», ранее проходивший в Новосибирске, в 2025 году пройдет в Красноярске.")
    (forum,) = [e for e in doc.events if e.kind == "forum"]
    assert forum.city == "Красноярск"


def test_the_value_of_one_contract_is_no_trade_figure() -> None:
    doc = run("Омская компания подписала контракт на сумму 5 млн долларов на экспорт зерна в Китай.")
    assert doc.trade == []


def test_the_city_in_a_consul_s_title_is_not_the_venue() -> None:
    doc = run("Губернатор Свердловской области провел встречу с генеральным консулом КНР в Екатеринбурге.")
    (meeting,) = [e for e in doc.events if e.kind == "meeting"]
    assert meeting.city is None


def test_a_ceremony_takes_the_date_and_city_of_the_opening_reported_just_before() -> None:
    doc = run(
        "Новый завод китайской компании «Синьда» открыт в Туле 12 марта 2024 года. "
        "Губернатор принял участие в церемонии открытия предприятия."
    )
    (ceremony,) = [e for e in doc.events if e.kind == "other"]
    assert (ceremony.date, ceremony.city, ceremony.country) == ("2024-03-12", "Тула", "RU")


def test_investing_in_construction_is_a_plan_and_a_later_signing_gives_the_agreement() -> None:
    doc = run(
        "Китайская компания «Шаньдун Синьда» стала резидентом особой экономической зоны «Алабуга». "
        "Компания инвестирует в строительство шинного завода 25 млрд рублей и создаст 1200 рабочих мест. "
        "Запуск первой очереди запланирован на 2027 год.\n\n"
        "Соглашение подписали генеральный директор ОЭЗ и вице-президент компании."
    )
    (p,) = doc.projects
    assert p.status == "agreement"
    plan = run(
        "Китайская компания «Шаньдун Синьда» инвестирует в строительство шинного завода в Татарстане "
        "25 млрд рублей."
    )
    (q,) = plan.projects
    assert q.status != "construction"


def test_the_company_bought_is_no_investor_of_its_own() -> None:
    doc = run(
        "Китайская компания «Цзиньлун Кэпитал» приобрела 25% акций компании «Тайга Голд», "
        "золотодобытчика в Красноярском крае, за 310 млн долларов."
    )
    (p,) = doc.projects
    assert (p.investors, p.kind) == (["Цзиньлун Кэпитал"], "acquisition")


def test_company_noun_opening_a_sentence_is_not_part_of_the_name() -> None:
    doc = run(
        "Компания Sunlong и правительство Новосибирской области подписали соглашение о строительстве "
        "завода по сборке электробусов в индустриальном парке. Объем инвестиций оценивается в 7 млрд рублей."
    )
    (p,) = doc.projects
    assert (p.investors, p.sector, p.host_region) == (["Sunlong"], "automotive", "RU-NVS")


def test_a_visit_over_two_months_starts_on_its_first_day() -> None:
    doc = run("Делегация Иркутской области 29 сентября – 1 октября посетила китайскую провинцию Цзилинь.")
    (visit,) = [e for e in doc.events if e.kind == "visit"]
    assert visit.date == "2024-09-29"


def test_construction_that_will_be_completed_is_under_way() -> None:
    doc = run(
        "Строительство зернового терминала на пограничном переходе Забайкальск завершится в 2026 году. "
        "Инвестором выступает китайская компания «Хэйлунцзян Цзинтай», объем вложений — 3,2 млрд рублей."
    )
    (p,) = doc.projects
    assert p.status == "construction"


def test_a_demonym_before_a_company_name_gives_its_country_to_the_article_s_company() -> None:
    doc = run(
        "Китайская Great Wall увеличит выпуск автомобилей в Тульской области\n\n"
        "Компания «Хавейл Мотор Рус» вложит еще 10 млрд рублей в расширение завода в Тульской области."
    )
    (p,) = doc.projects
    assert p.investor_countries == ["CN"]


def test_a_plant_abbreviation_is_no_company() -> None:
    doc = run(
        "Китайский банк профинансирует строительство ГОКа в Хакасии\n\n"
        "Проект реализует российская компания «Сибирские металлы», на предприятии будет создано "
        "1100 рабочих мест."
    )
    assert [p.investors for p in doc.projects] == [["Сибирские металлы"]]


def test_a_fall_stated_once_covers_the_clause_with_its_verb_left_out() -> None:
    doc = run(
        "Экспорт Китая в Россию за январь-октябрь 2023 года сократился на 10,6%, до 81,4 млрд долларов, "
        "импорт из России — на 7,4%, до 96,9 млрд долларов."
    )
    changes = {t.flow: t.change_pct for t in doc.trade}
    assert changes == {"exports": -10.6, "imports": -7.4}


def test_an_event_is_named_by_its_own_name_not_its_setting_s() -> None:
    doc = run("В рамках выставки пройдет Российско-китайский форум промышленного сотрудничества.")
    (forum,) = doc.events
    assert forum.kind == "forum"
    assert forum.name is not None and forum.name.startswith("Российско-китайский форум")


def test_a_grain_terminal_is_logistics() -> None:
    doc = run(
        "Китайская компания «Далянь Порт» построит зерновой терминал в порту Зарубино за 22 млрд рублей."
    )
    (p,) = doc.projects
    assert p.sector == "logistics"


def test_a_recurring_event_named_without_a_place_gives_its_city() -> None:
    doc = run("Соглашение о строительстве терминала стороны подписали на полях ВЭФ.")
    (signing,) = [e for e in doc.events if e.kind == "signing"]
    assert (signing.city, signing.country) == ("Владивосток", "RU")


def test_the_seller_is_no_investor() -> None:
    doc = run(
        "Китайская компания «Хуанэн» завершила сделку по приобретению шахты в Кемеровской области "
        "у группы «Мечел» за 9,4 млрд рублей."
    )
    assert all("Мечел" not in p.investors for p in doc.projects)


def test_a_plant_in_a_free_port_is_classed_by_what_it_makes() -> None:
    doc = run(
        "Во Владивостоке на территории свободного порта начал работу завод сухих строительных смесей "
        "китайской компании «Хуасин Билд». Объем инвестиций составил 850 млн рублей."
    )
    (p,) = doc.projects
    assert (p.sector, p.host_region, p.status) == ("construction_materials", "RU-PRI", "operational")
    doc = run(
        "Китайская компания «Хуасин Билд» начала работу над проектом завода стройматериалов в Приморье "
        "стоимостью 850 млн рублей."
    )
    assert [p.status for p in doc.projects] != ["operational"]  # work on the project began, not the plant
    doc = run(
        "Во Владивостоке начал работу завод стройматериалов китайской компании «Хуасин Билд» "
        "стоимостью 850 млн рублей."
    )
    (p,) = doc.projects  # "Во" opening the sentence is a preposition, not a company
    assert (p.investors, p.status) == (["Хуасин Билд"], "operational")


def test_an_agreement_said_to_be_signed_is_a_signing() -> None:
    doc = run(
        "Узбекистан и Китай создадут СП по выпуску электромобилей\n\n"
        "Узбекская компания UzAuto Motors и китайская BYD создадут в Джизакской области совместное "
        "предприятие по выпуску электромобилей. Стоимость проекта оценивается в $530 млн, будет создано "
        "около 2 тысяч рабочих мест. Соответствующее соглашение подписано 1 сентября в Ташкенте.",
        published="2025-09-02",
    )
    (signing,) = [e for e in doc.events if e.kind == "signing"]
    assert (signing.date, signing.city, signing.country) == ("2025-09-01", "Ташкент", "UZ")
    (p,) = doc.projects  # "СП" (joint venture) is no company of its own
    assert (p.investors, p.jobs, p.host_region) == (["UzAuto Motors", "BYD"], 2000, "UZ-JI")


def test_tractors_are_vehicles_in_russian_as_in_english() -> None:
    doc = run(
        "В индустриальном парке «Ворсино» открылся завод по сборке тракторов компании «Лово Рус», "
        "дочернего предприятия китайской Weichai Lovol. Инвестиции составили 1,8 млрд рублей."
    )
    assert [p.sector for p in doc.projects] == ["automotive"]
    en = extract(Document(text="Lovol Rus opened a tractor assembly plant in Kaluga Region.", language="en"))
    assert [p.sector for p in en.projects] == ["automotive"]


def test_a_quoted_name_elsewhere_in_the_sentence_is_not_the_events_name() -> None:
    doc = run(
        "На полях выставки состоялись переговоры с руководством компании Ningxia Baofeng Energy о "
        "строительстве газохимического производства в ОЭЗ «Алабуга». Выставка «Иннопром» открылась в "
        "Екатеринбурге 7 июля."
    )
    names = {e.kind: e.name for e in doc.events}
    assert names["meeting"] != "Алабуга" and names["meeting"].startswith("переговоры")
    assert names["exhibition"] == "Иннопром"


def test_a_partner_named_with_sovmestno_s_shares_the_project() -> None:
    doc = run(
        "Китайская компания Норвант построит завод в Пензенской области "
        "совместно с российской компанией «Мерси Трейд»."
    )
    (p,) = doc.projects
    assert p.investors == ["Норвант", "Мерси Трейд"]
    assert p.investor_countries == ["CN", "RU"]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # «производитель» is no «производит»
        ("Китайский производитель бытовой техники «Норвант» расширит завод в Липецкой области.", "announced"),
        ("Китайская компания «Норвант» ввела в эксплуатацию завод в Липецкой области.", "operational"),
        (
            "Губернатор и компания «Норвант» обсудили ход строительства завода в Липецкой области.",
            "construction",
        ),
        ("Строительство завода компании «Норвант» в Липецкой области сейчас ведется.", "construction"),
    ],
)
def test_status_word_forms(text: str, status: str) -> None:
    (p,) = run(text).projects
    assert (p.investors, p.status) == (["Норвант"], status)


def test_a_total_of_agreements_is_no_project_amount_and_a_supply_contract_is_a_contract() -> None:
    doc = run(
        "Китайская компания «Норвант» получит контракт на поставку 40 вагонов метро для Новосибирской "
        "области стоимостью 5,6 млрд рублей. Всего на форуме подписано 9 соглашений на общую сумму "
        "18 млрд рублей."
    )
    (p,) = doc.projects
    assert (p.kind, p.amount) == ("contract", {"value": 5.6e9, "currency": "RUB"})


def test_a_fall_stated_as_lower_than_last_year() -> None:
    doc = run(
        "Товарооборот Амурской области с Китаем в 2023 году составил 1,2 млрд долларов, что на 9% ниже "
        "показателя прошлого года."
    )
    (t,) = doc.trade
    assert (t.reporter, t.partner, t.period, t.change_pct) == ("RU-AMU", "CN", "2023", -9.0)


def test_a_name_in_quotes_after_a_conference_is_no_company() -> None:
    doc = run("Об этом говорили на конференции «Восток и Запад: новые горизонты» в Хабаровске.")
    assert doc.projects == []


def test_an_investor_from_a_city_is_of_its_country_and_the_city_is_no_site() -> None:
    doc = run(
        "Китайская компания «Хуабэй» ввела в эксплуатацию завод в Усть-Илимске. Кроме того, инвестор из "
        "Харбина — группа «Лунцзян Туризм» — планирует построить гостиничный комплекс в Иркутской области."
    )
    hotel = doc.projects[-1]
    assert (hotel.investors, hotel.investor_countries) == (["Лунцзян Туризм"], ["CN"])
    assert (hotel.host_country, hotel.host_region) == ("RU", "RU-IRK")


def test_a_signing_after_the_talks_takes_their_date_and_city() -> None:
    doc = run(
        "Губернатор Олег Сарин провел переговоры с китайской делегацией в Пензе 14 мая. По итогам "
        "переговоров стороны подписали меморандум о строительстве завода."
    )
    assert [(ev.kind, ev.date, ev.city) for ev in doc.events] == [
        ("meeting", "2024-05-14", "Пенза"),
        ("signing", "2024-05-14", "Пенза"),
    ]


def test_the_side_of_a_cross_border_project_gives_its_host() -> None:
    doc = run(
        "Канатную дорогу через Амур между Благовещенском и Хэйхэ построят к 2026 году. С российской "
        "стороны проект реализует компания «Амурский мост», вложения составят 5 млрд рублей."
    )
    (p,) = doc.projects
    assert (p.investors, p.host_country, p.host_region) == (["Амурский мост"], "RU", "RU-AMU")


def test_a_city_inside_a_company_name_is_no_venue() -> None:
    doc = run(
        "Уральский трубный завод и китайская компания «Тайюань Хэви Машинери» подписали на выставке "
        "«Иннопром» контракт на поставку оборудования."
    )
    assert "Тайюань" not in {ev.city for ev in doc.events}


def test_a_build_site_is_no_venue_and_forum_abbreviations_are_events() -> None:
    built = run(
        "Амурская область и китайская компания «Хэйхэ Ниншэн» подписали на форуме соглашение: она "
        "построит в Благовещенске тепличный комплекс."
    )
    assert {ev.city for ev in built.events} == {None}
    (forum,) = run("ВЭФ проходит во Владивостоке 3–6 сентября.").events
    assert (forum.kind, forum.city, forum.date) == ("forum", "Владивосток", "2024-09-03")


def test_jobs_after_a_dash_and_pvc_is_chemicals() -> None:
    (p,) = run(
        "Китайская компания «Шаньдун Хуатай» построит в Стерлитамаке завод по производству "
        "поливинилхлорида стоимостью 25 млрд рублей, новых рабочих мест – 120."
    ).projects
    assert (p.sector, p.jobs, p.host_region) == ("chemicals", 120, "RU-BA")


def test_a_world_total_is_no_figure_of_the_pair_before() -> None:
    doc = run(
        "Товарооборот Новосибирской области с Китаем в январе–июне 2024 года составил 1,12 млрд долларов. "
        "Всего внешнеторговый оборот области за полугодие составил 2,7 млрд долларов."
    )
    assert [(t.partner, t.value) for t in doc.trade] == [("CN", 1.12e9)]


def test_the_agency_named_as_the_source_is_no_investor() -> None:
    doc = run(
        "Китайская компания «Синьхуа Агро» приступила к строительству завода по переработке сои в "
        "Приморском крае. Об этом сообщили в Корпорации развития Дальнего Востока (КРДВ). Объем "
        "инвестиций в проект составит 4,2 млрд рублей."
    )
    assert [(p.investors, p.amount) for p in doc.projects] == [
        (["Синьхуа Агро"], {"value": 4.2e9, "currency": "RUB"})
    ]


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        (
            "Китайская компания «Хуасинь» построит второй корпус завода в Липецкой области.",
            "kind",
            "expansion",
        ),
        (
            "Китайская компания «Хуасинь» приобрела 35% акций липецкого завода «Северсталь-Метиз».",
            "status",
            "operational",
        ),
        ("Китайская компания «Хуасинь» построит в Якутии ГРЭС мощностью 200 МВт.", "sector", "energy"),
        (
            "Компания Huaxin Cement построит цементный завод в Тульской области.",
            "investors",
            ["Huaxin Cement"],
        ),
    ],
)
def test_russian_word_lists(text: str, field: str, value: object) -> None:
    (p,) = run(text).projects
    assert getattr(p, field) == value


def test_a_launch_ceremony_is_an_event_and_a_format_in_quotes_is_no_company() -> None:
    doc = run("Церемония запуска завода прошла в Липецке 14 мая в формате «Восток – Запад».")
    assert [(ev.kind, ev.city, ev.date) for ev in doc.events] == [("other", "Липецк", "2024-05-14")]
    assert doc.projects == []


def test_staff_size_is_jobs_and_a_lending_bank_is_no_investor() -> None:
    staff = run(
        "Китайская компания «Линьи Стил» построит в Липецкой области завод металлоконструкций. Инвестиции "
        "составят 2 млрд рублей, штат предприятия составит 150 человек."
    )
    (p,) = staff.projects
    assert p.jobs == 150
    loan = run(
        "Сбербанк откроет кредитную линию на 5 млрд рублей компании «Алтайский сыр» для строительства "
        "молочного завода в Алтайском крае. Общая стоимость проекта составит 8 млрд рублей."
    )
    assert [(p.investors, p.amount) for p in loan.projects] == [
        (["Алтайский сыр"], {"value": 8e9, "currency": "RUB"})
    ]


def test_units_are_no_company_names() -> None:
    doc = run(
        "Компания «Сибтранс» построит в Новосибирской области сухой порт. Мощность терминала составит "
        "200 тыс. ДФЭ в год, инвестиции – 9 млрд рублей."
    )
    assert [p.investors for p in doc.projects] == [["Сибтранс"]]


def test_shipments_of_a_country_s_goods_are_its_exports_ru() -> None:
    doc = run(
        "Товарооборот Китая и России в апреле 2024 года вырос на 3%. Поставки российских товаров "
        "в Китай выросли на 8% и составили 9,1 млрд долларов."
    )
    rows = [(t.reporter, t.partner, t.flow, t.value) for t in doc.trade if t.value]
    assert rows == [("RU", "CN", "exports", 9.1e9)]


def test_exporter_named_after_iz_with_another_country_earlier_in_the_sentence_ru() -> None:
    doc = run(
        "Компания заключила контракт с китайской фирмой на поставку кранов. Основным направлением "
        "отгрузок остается Китай: по данным таможни, в I квартале 2024 года экспорт угля из "
        "Сахалинской области в КНР вырос на 15%."
    )
    assert [(t.reporter, t.partner, t.flow, t.change_pct) for t in doc.trade] == [
        ("RU-SAK", "CN", "exports", 15.0)
    ]


def test_a_share_stated_with_the_third_partner_belongs_to_it_ru() -> None:
    doc = run(
        "В 2024 году товарооборот Казахстана с Китаем составил 31,5 млрд долларов, доля Китая – 22,1%. "
        "На втором месте Россия: товарооборот с ней составил 27,9 млрд долларов. Доля России – 19,6%. "
        "Замыкает тройку Италия с долей 11,3%."
    )
    assert [(t.reporter, t.partner, t.share_pct) for t in doc.trade] == [
        ("KZ", "CN", 22.1),
        ("KZ", "RU", 19.6),
        ("KZ", "IT", 11.3),
    ]


def test_a_statement_day_yields_to_the_signing_day_given_later() -> None:
    doc = run(
        "Компания «Волжские трубы» подписала контракт с Dalian Steel на поставку оборудования, "
        "сообщила в среду пресс-служба. Контракт был подписан в понедельник.",
        published="2024-06-05",
    )
    assert [(e.kind, e.date) for e in doc.events] == [("signing", "2024-06-03")]


def test_a_signing_keeps_its_venue_not_the_site_of_the_work() -> None:
    doc = run(
        "В Казани региональный стекольный завод «Волжское стекло» и китайский поставщик песка Hubei Sand "
        "подписали соглашение о выпуске тары в Ульяновске."
    )
    assert [(e.kind, e.city) for e in doc.events if e.kind == "signing"] == [("signing", "Казань")]


def test_the_document_signed_on_a_weekday_dates_and_places_the_signing() -> None:
    doc = run(
        "«Волжское стекло» и китайская Hubei Sand подписали соглашение о выпуске тары в Ульяновске. "
        "Документ подписан в среду в Казани в присутствии министра.",
        published="2024-12-05",
    )
    assert [(e.kind, e.date, e.city) for e in doc.events] == [("signing", "2024-12-04", "Казань")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Торжественная церемония пуска прошла в четверг в Актобе.",
        "Торжественный пуск станции состоялся в четверг в Актобе.",
    ],
)
def test_a_start_up_ceremony_is_an_event(sentence: str) -> None:
    doc = run(
        "Китайская Goldwind Energy построила ветровую станцию мощностью 50 МВт. " + sentence,
        published="2025-01-27",
    )
    assert [(e.kind, e.date, e.city) for e in doc.events] == [("other", "2025-01-23", "Актобе")]


def test_a_venue_after_the_signing_word_is_no_site_of_the_work() -> None:
    doc = run("Договор о создании совместного завода партнеры подписали на прошлой неделе в Казани.")
    assert [(e.kind, e.city) for e in doc.events] == [("signing", "Казань")]
