"""Frame rules on short articles written for these tests (one behaviour each)."""

from __future__ import annotations

import pytest

from fdiscope.extract import extract
from fdiscope.model import Document


def run(text: str, lang: str = "en", published: str | None = "2024-06-03"):
    return extract(Document(text=text, language=lang, published=published))


def test_figures_in_following_sentences_join_the_project() -> None:
    doc = run(
        "The Chinese company Redwood Valves will build a valve factory in Tula Region. "
        "The projected investment totals 3 billion rubles. The factory will create about 200 jobs."
    )
    (p,) = doc.projects
    assert p.investors == ["Redwood Valves"]
    assert p.amount == {"value": 3_000_000_000, "currency": "RUB"}
    assert p.jobs == 200


def test_counted_list_gives_one_project_per_company() -> None:
    doc = run(
        "Two Chinese companies operate in the Lipetsk special economic zone – tyre maker Greenstone Tyres "
        "and Sunway Glass, a producer of automotive glass."
    )
    names = sorted(name for p in doc.projects for name in p.investors)
    assert names == ["Greenstone Tyres", "Sunway Glass"]
    assert all(p.status == "operational" and p.host_region == "RU-LIP" for p in doc.projects)


def test_general_interest_is_not_a_project() -> None:
    doc = run(
        "Russia is interested in attracting Chinese investors into infrastructure projects and oil refining."
    )
    assert doc.projects == []


def test_people_and_ministries_are_not_investors() -> None:
    doc = run(
        "Deputy Minister of Economic Development Ivan Sokolov said the Chinese company Northbay Cement "
        "will build a cement plant in Kaluga Region for 5 billion rubles."
    )
    (p,) = doc.projects
    assert p.investors == ["Northbay Cement"]
    assert p.sector == "construction_materials"


def test_general_contractor_joins_the_project_just_named() -> None:
    doc = run(
        'In March the fertiliser complex of JSC "Volga Nitrogen" opened in Tatarstan. '
        "Harbin Chemical Engineering Company acted as the general contractor."
    )
    (p,) = doc.projects
    assert "Harbin Chemical Engineering Company" in p.investors
    assert p.host_region == "RU-TA"


def test_repeated_event_mentions_are_one_event_with_the_best_details() -> None:
    doc = run(
        "Amur to host Russia-China trade fair in July\n"
        "The fifth Russia-China Amur Trade Fair will take place in Blagoveshchensk on 15 July 2024. "
        "Organisers expect 300 companies at the fair."
    )
    fairs = [e for e in doc.events if e.kind == "exhibition"]
    assert len(fairs) == 1
    assert fairs[0].date == "2024-07-15"
    assert fairs[0].city == "Blagoveshchensk"


def test_wire_dateline_city_is_not_the_event_city() -> None:
    doc = run(
        "BEIJING, 2 March – The delegations signed five agreements during the visit of the governor to China."
    )
    assert all(e.city is None for e in doc.events)


def test_bracketed_restatement_is_not_a_second_trade_figure() -> None:
    doc = run(
        "Trade between Primorsky Krai and China reached 13.5 billion yuan (US$1.96 billion) in the first "
        "half of 2022, "
        "up 72.8% year on year."
    )
    (t,) = doc.trade
    assert (t.reporter, t.partner, t.period) == ("RU-PRI", "CN", "2022-H1")
    assert (t.value, t.currency, t.change_pct) == (13_500_000_000, "CNY", 72.8)


def test_share_stated_on_its_own_is_its_own_figure() -> None:
    doc = run(
        "In 2023 trade between Amur Region and China grew by 12% to USD 2.1 billion. "
        "Trade with China in 2023 accounted for 80% of the region's foreign trade turnover."
    )
    shares = [t for t in doc.trade if t.share_pct is not None]
    assert len(shares) == 1 and shares[0].value is None and shares[0].share_pct == 80.0
    assert any(t.value == 2_100_000_000 and t.change_pct == 12.0 for t in doc.trade)


def test_russian_city_is_named_in_its_dictionary_form() -> None:
    doc = run("Делегация области провела переговоры в Шанхае 3 июня.", lang="ru")
    (ev,) = doc.events
    assert ev.city == "Шанхай"
    assert doc.text[ev.provenance["city"].start : ev.provenance["city"].end] == "Шанхае"


def test_agreement_still_to_be_signed_is_announced() -> None:
    doc = run(
        "The governor said the date for signing an investment agreement with Redstone Cement to build a "
        "cement plant "
        "in Chelyabinsk Region has been fixed."
    )
    (p,) = doc.projects
    assert p.status == "announced"


def test_trade_direction_from_to_and_from() -> None:
    doc = run(
        "Trade between Russia and China rose 5% to $40 billion in 2023. "
        "Chinese exports to Russia grew 7% to $22 billion, while imports from Russia reached $18 billion."
    )
    rows = {t.flow: t for t in doc.trade}
    assert (rows["turnover"].reporter, rows["turnover"].partner) == ("RU", "CN")
    assert (rows["exports"].reporter, rows["exports"].partner, rows["exports"].value) == ("CN", "RU", 22e9)
    assert (rows["imports"].reporter, rows["imports"].partner, rows["imports"].value) == ("CN", "RU", 18e9)
    assert all(t.period == "2023" for t in doc.trade)


def test_forum_city_is_not_the_project_site() -> None:
    doc = run(
        "At the St. Petersburg International Economic Forum the Sakhalin Region government and China's "
        "Poly Real Estate signed an agreement to build a residential complex in Yuzhno-Sakhalinsk."
    )
    (p,) = doc.projects
    assert (p.host_region, p.location) == ("RU-SAK", "Yuzhno-Sakhalinsk")


def test_a_deadline_is_not_the_event_date() -> None:
    doc = run("Russia and China signed a joint statement on economic cooperation until 2030 on Tuesday.")
    (ev,) = [e for e in doc.events if e.kind == "signing"]
    assert ev.date == "2024-05-28"  # the Tuesday before the article (published Monday 2024-06-03)


def test_forum_venue_is_not_the_project_location() -> None:
    doc = run(
        "The Chinese company Orchid Motors will assemble cars at a plant in Nizhny Novgorod Region, "
        "the governor said at the Regional Investment Forum in Sochi."
    )
    (p,) = doc.projects
    assert p.host_region == "RU-NIZ"
    assert p.location == "Nizhny Novgorod Region"


def test_home_city_qualifier_is_not_part_of_the_name_nor_the_site() -> None:
    doc = run(
        "Harbin-based Pinewood Transport Group agreed to build "
        "a 2 billion yuan logistics centre in Khabarovsk."
    )
    (p,) = doc.projects
    assert p.investors == ["Pinewood Transport Group"]
    assert p.investor_countries == ["CN"]
    assert p.host_region == "RU-KHA"


def test_named_bridge_is_not_an_owner() -> None:
    doc = run(
        "Pinewood Transport Group will build a logistics centre "
        "near the Bolshoy Ussuriysky bridge in Khabarovsk."
    )
    assert [p.investors for p in doc.projects] == [["Pinewood Transport Group"]]


def test_signing_reported_in_the_next_sentence_gives_the_status() -> None:
    doc = run(
        "Regional exports grew last year. Farmers harvested a record crop. Roads were repaired in spring. "
        "The Chinese company Bluecrest Tyres will build a tyre plant in Lipetsk Region. "
        "The agreement was signed during the governor's visit to Shandong province last week."
    )
    (p,) = doc.projects
    assert (p.status, p.host_region) == ("agreement", "RU-LIP")


def test_agreement_still_to_come_in_the_next_sentence_is_not_a_signing() -> None:
    doc = run(
        "The Chinese company Bluecrest Tyres will build a tyre plant in Lipetsk Region. "
        "The two regions are to enter into a framework agreement next April."
    )
    (p,) = doc.projects
    assert p.status == "announced"


def test_named_mine_has_no_owner_and_headline_qualifier_is_no_name() -> None:
    doc = run(
        "Construction of Chinese-funded paper mill in Karelia suspended\n\n"
        "Northbay Gold, which operates the Tardan mine in Tuva, will invest $200 million in a new deposit."
    )
    names = [name for p in doc.projects for name in p.investors]
    assert "Tardan" not in names
    assert not any(name.startswith("Construction") for name in names)


def test_exports_from_a_region_to_a_country() -> None:
    doc = run("Exports from the Tomsk region to China fell by 8% in 2023 to $410 million.")
    (t,) = doc.trade
    assert (t.reporter, t.partner, t.flow, t.value, t.change_pct) == ("RU-TOM", "CN", "exports", 410e6, -8.0)


def test_imports_into_a_region_from_a_country() -> None:
    doc = run("Imports into the Amur region from China rose 12% in 2023 to $1.1 billion.")
    (t,) = doc.trade
    assert (t.reporter, t.partner, t.flow, t.value, t.change_pct) == ("RU-AMU", "CN", "imports", 1.1e9, 12.0)


def test_share_of_a_region_trade_and_growth_in_one_sentence() -> None:
    doc = run(
        "China accounted for 52% of Primorye's foreign trade in 2023, while bilateral turnover "
        "reached $9.8 billion, up 11% from a year earlier."
    )
    (t,) = doc.trade
    assert (t.reporter, t.partner, t.period) == ("RU-PRI", "CN", "2023")
    assert (t.value, t.change_pct, t.share_pct) == (9.8e9, 11.0, 52.0)


def test_wire_dateline_city_is_not_the_project_site() -> None:
    doc = run(
        "VLADIVOSTOK, June 3 (Interfax) - The Chinese company Bluecrest Foods will build a seafood "
        "processing plant in Nakhodka for 4 billion rubles."
    )
    (p,) = doc.projects
    assert (p.host_region, p.location, p.sector) == ("RU-PRI", "Nakhodka", "food_agriculture")


def test_project_discussed_right_after_the_company_is_named() -> None:
    doc = run(
        "The governor held talks with a delegation of the Chinese company Longmoor Solar in Tomsk on Monday. "
        "The sides discussed a project to build a solar panel plant worth 15 billion rubles."
    )
    (p,) = doc.projects
    assert p.investors == ["Longmoor Solar"]
    assert (p.amount, p.host_region, p.sector) == (
        {"value": 15e9, "currency": "RUB"},
        "RU-TOM",
        "energy",
    )


def test_exports_and_imports_growth_in_one_sentence() -> None:
    doc = run(
        "Exports from the Amur region to China fell 5% to $410 million in 2023, while imports grew 1.5 times."
    )
    rows = {t.flow: t for t in doc.trade}
    assert (rows["exports"].reporter, rows["exports"].value, rows["exports"].change_pct) == (
        "RU-AMU",
        410e6,
        -5.0,
    )
    assert (rows["imports"].change_pct, rows["imports"].value) == (50.0, None)


def test_headline_and_body_name_one_forum_despite_the_edition_number() -> None:
    doc = run(
        "Northern Trade Forum to host Chinese delegation\n\n"
        "The 9th Northern Trade Forum will be held in Murmansk on September 3-6, organisers said."
    )
    (ev,) = doc.events
    assert (ev.kind, ev.city, ev.date) == ("forum", "Murmansk", "2024-09-03")


def test_partners_named_again_keep_their_joint_venture() -> None:
    doc = run(
        "Chinese-Russian JV to make electric buses in Tula\n\n"
        "Russia's Volgabus and China's Jade Coach have set up a joint venture to manufacture electric buses "
        "at the Uzlovaya industrial park in the Tula region. Volgabus will own 51% of the new company, "
        "Jade Coach the remaining 49%. The partners will invest 7.8 billion rubles in the first phase. "
        "The project was presented at a meeting of the investment commission in Beijing on March 28."
    )
    (p,) = doc.projects
    assert p.investors == ["Volgabus", "Jade Coach"]
    assert (p.kind, p.host_region) == ("joint_venture", "RU-TUL")
    assert p.amount == {"value": 7.8e9, "currency": "RUB"}


def test_acronym_in_brackets_is_the_same_investor_and_a_won_tender_is_an_agreement() -> None:
    doc = run(
        "Redwood Rail Construction Corporation (RRCC) has won a tender to reconstruct the second runway "
        "of Tolmachevo airport in Novosibirsk. The contract is worth 9 billion rubles."
    )
    (p,) = doc.projects
    assert p.investors == ["Redwood Rail Construction Corporation"]
    assert (p.status, p.kind, p.host_region) == ("agreement", "contract", "RU-NVS")


def test_halted_foreign_funded_plant_is_a_project_of_its_own() -> None:
    doc = run(
        "Chinese tyre maker Ringdale put into operation the second phase of its plant in Ulyanovsk, "
        "which cost $300 million. Work on a Chinese-funded cement plant in Buryatia, announced in 2019, "
        "has been frozen, the local government said."
    )
    by_region = {p.host_region: p for p in doc.projects}
    assert (by_region["RU-ULY"].status, by_region["RU-ULY"].sector) == ("operational", "chemicals")
    halted = by_region["RU-BU"]
    assert (halted.status, halted.investor_countries, halted.investors) == ("cancelled", ["CN"], [])


def test_car_tyres_are_chemicals() -> None:
    doc = run("The Chinese company Ringdale will build a car tyres plant in Lipetsk Region for $300 million.")
    (p,) = doc.projects
    assert p.sector == "chemicals"


def test_a_delegation_origin_is_not_where_the_visit_happens() -> None:
    doc = run(
        "A delegation of the Novosibirsk region led by the governor paid a working visit to the "
        "Chinese province of Shandong on June 17-19."
    )
    visits = [ev for ev in doc.events if ev.kind == "visit"]
    assert [(ev.city, ev.country, ev.date) for ev in visits] == [(None, "CN", "2024-06-17")]


def test_a_plant_of_a_company_is_its_project_and_residents_from_china_are_chinese() -> None:
    doc = run(
        "The board of the Alabuga special economic zone approved five new residents from China on Monday. "
        "The largest project is a 15 billion ruble plant of Hisell for the production of televisions. "
        "Midora will invest 8 billion rubles in a compressor factory that will employ 700 people."
    )
    by_investor = {p.investors[0]: p for p in doc.projects}
    assert sorted(by_investor) == ["Hisell", "Midora"]
    assert by_investor["Hisell"].amount == {"value": 15e9, "currency": "RUB"}
    assert by_investor["Hisell"].sector == "electronics_it"
    assert all(p.investor_countries == ["CN"] and p.host_region == "RU-TA" for p in doc.projects)


def test_the_filing_city_does_not_vote_for_the_project_region() -> None:
    doc = run(
        "ULAANBAATAR, June 3 (Xinhua) -- Mongolia and China signed an agreement to build a railway to the "
        "border. The railway will be built by China Railway 20th Bureau Group for 7.5 billion yuan."
    )
    (p,) = doc.projects
    assert (p.host_country, p.host_region) == ("MN", None)


def test_growth_stated_after_the_percentage() -> None:
    doc = run(
        "From January to June 2024, trade turnover between Kazakhstan and China amounted to $20.6 billion, "
        "4.3% more than a year earlier."
    )
    (t,) = doc.trade
    assert (t.reporter, t.partner, t.period, t.value, t.change_pct) == ("KZ", "CN", "2024-H1", 20.6e9, 4.3)


def test_amount_restated_in_brackets_and_a_quoted_source() -> None:
    doc = run(
        "The Chinese company Redwood Motors has begun production of crossovers in Kaliningrad. "
        "According to Baltic Assembly, 20 billion rubles (about 220 million U.S. dollars) will be "
        "invested in the project by 2026."
    )
    (p,) = doc.projects
    assert p.investors == ["Redwood Motors"]
    assert (p.status, p.amount) == ("operational", {"value": 20e9, "currency": "RUB"})


def test_customers_named_after_supply_are_not_investors() -> None:
    doc = run(
        "Chinese battery maker Longcell has started construction of a plant in Debrecen. The facility, "
        "worth EUR 7.3 billion, will supply carmakers including BMW and Mercedes-Benz "
        "and employ 9,000 people."
    )
    (p,) = doc.projects
    assert p.investors == ["Longcell"]
    assert (p.status, p.jobs, p.host_country) == ("construction", 9000, "HU")


def test_the_company_owning_the_host_plant_joins_the_project() -> None:
    doc = run(
        "In addition, Redwood Rail will localize the production of metro cars at the Baltmash plant "
        "in the Leningrad region."
    )
    (p,) = doc.projects
    assert p.investors == ["Redwood Rail", "Baltmash"]
    assert p.host_region == "RU-LEN"


def test_completed_acquisition_and_a_signing_the_text_denies() -> None:
    doc = run(
        "A Chinese company, Dalian Sea Harvest, has acquired a 49% stake in the Kamchatka fish processor "
        "Okean Catch for 3.2 billion rubles. The deal was completed on February 12.\n\n"
        "Separately, Chinese investors are considering building a seafood processing plant in Sakhalin, "
        "but no agreements have been signed yet."
    )
    by_region = {p.host_region: p for p in doc.projects}
    bought = by_region["RU-KAM"]
    assert (bought.kind, bought.status, bought.amount) == (
        "acquisition",
        "operational",
        {"value": 3.2e9, "currency": "RUB"},
    )
    assert by_region["RU-SAK"].status == "announced"
    assert not [ev for ev in doc.events if ev.kind == "signing"]


def test_companies_listed_after_including_are_investors_but_a_trade_figure_is_not_theirs() -> None:
    doc = run(
        "Today, 12 companies with Chinese capital operate in the Tula region, including Harwell, which has "
        "invested 37 billion rubles in its plant in the Uzlovaya industrial park, and Kingsford, a producer "
        "of glass containers. In 2023, the region's trade turnover with China amounted to $420 million."
    )
    by_investor = {p.investors[0]: p for p in doc.projects}
    assert sorted(by_investor) == ["Harwell", "Kingsford"]
    assert by_investor["Harwell"].amount == {"value": 37e9, "currency": "RUB"}
    assert by_investor["Kingsford"].amount is None
    assert by_investor["Kingsford"].sector == "consumer_goods"
    assert all(p.status == "operational" and p.host_region == "RU-TUL" for p in doc.projects)


def test_examples_in_a_general_statement_are_no_projects() -> None:
    doc = run(
        "Renowned companies, both national, like Kraftline, and global, move their facilities to the "
        "Kaluga region."
    )
    assert doc.projects == []


def test_imports_of_foreign_goods_name_both_parties() -> None:
    doc = run("Russian imports of Chinese cars fell by 20% in October compared with September.")
    (t,) = doc.trade
    assert (t.reporter, t.partner, t.flow, t.change_pct) == ("RU", "CN", "imports", -20.0)


def test_an_agreement_reached_in_the_next_sentence_gives_the_status() -> None:
    doc = run(
        "Exports grew last year. Farmers harvested a record crop. Roads were repaired in spring. "
        "Chinese company Ganjiang Copper will invest $250 million in a plant to produce copper cathodes "
        "in the Navoi region. The agreement was reached during the president's visit to Beijing last week."
    )
    (p,) = doc.projects
    assert (p.status, p.host_country, p.amount) == ("agreement", "UZ", {"value": 250e6, "currency": "USD"})


def test_two_companies_with_their_own_amounts_in_one_sentence() -> None:
    doc = run(
        "Two Chinese companies will build greenhouse complexes in Bashkortostan with total investments of "
        "12 billion rubles. Sino Agri Tech will build a 40-hectare complex near Ufa for 7 billion rubles, "
        "while Harbin Green Valley will invest 5 billion rubles in a complex in the Sterlitamak district."
    )
    amounts = {p.investors[0]: p.amount["value"] for p in doc.projects if p.amount}
    assert amounts == {"Sino Agri Tech": 7e9, "Harbin Green Valley": 5e9}
    assert all(p.investor_countries == ["CN"] and p.host_region == "RU-BA" for p in doc.projects)


def test_trains_supplied_are_machinery() -> None:
    doc = run(
        "China's Redwood Rolling will supply 20 metro trains to the Moscow Metro under a contract worth "
        "14 billion rubles."
    )
    (p,) = doc.projects
    assert (p.sector, p.kind, p.host_region) == ("machinery", "contract", "RU-MOW")


def test_an_investor_withdrawing_cancels_the_project() -> None:
    doc = run(
        "Chinese company Redwood Paper has withdrawn from a project to build a pulp and paper mill in the "
        "Vologda region worth 100 billion rubles. The agreement on the project was signed in 2021."
    )
    (p,) = doc.projects
    assert (p.status, p.host_region, p.sector) == ("cancelled", "RU-VLG", "consumer_goods")


def test_venues_and_generic_event_words_are_no_events() -> None:
    doc = run(
        "The Chinese company Lotus Ceramics will build a tile factory with an exhibition centre in "
        "Vladimir Region. The company takes part in business and exhibition events across Russia."
    )
    assert [e for e in doc.events if e.kind == "exhibition"] == []


def test_a_chance_or_an_invitation_to_visit_is_no_visit() -> None:
    doc = run(
        "Journalists were given the opportunity to visit the new glass plant in Kaluga Region. "
        "The governor invited the Chinese partners to visit Kaluga next spring."
    )
    assert [e for e in doc.events if e.kind == "visit"] == []


def test_signing_a_legal_act_is_no_signing_event() -> None:
    doc = run(
        "The president signed a decree on the creation of a new special economic zone in Amur Region. "
        "The law on the Far Eastern ports was signed on Friday."
    )
    assert [e for e in doc.events if e.kind == "signing"] == []
    agreement = run("The governor and Lotus Ceramics signed an agreement on the tile factory on Friday.")
    assert [e.kind for e in agreement.events] == ["signing"]


def test_former_venue_is_not_the_event_city_and_the_article_does_not_split_the_event() -> None:
    doc = run(
        "The Far East Investment Forum, earlier held in Khabarovsk, will take place in 2025 in "
        "Vladivostok, the organisers said. The decision to move the Far East Investment Forum follows "
        "the schedule of national business events."
    )
    forums = [e for e in doc.events if e.kind == "forum"]
    assert len(forums) == 1
    assert (forums[0].city, forums[0].date) == ("Vladivostok", "2025")


def test_a_plant_that_opened_or_whose_first_product_left_the_line_is_operational() -> None:
    opened = run(
        "In March the glass complex of the Chinese company Sunway Glass opened in Kaluga Region. "
        "It cost 4 billion rubles."
    )
    (p,) = opened.projects
    assert p.status == "operational"
    line = run(
        "The first crossover came off the assembly line of the Orchid Motors plant, built by the Chinese "
        "carmaker for 12 billion rubles in Tatarstan."
    )
    (q,) = line.projects
    assert q.status == "operational"
    future = run(
        "The Chinese company Sunway Glass says its glass complex will be opened in Kaluga Region in 2026 "
        "for 4 billion rubles."
    )
    (r,) = future.projects
    assert r.status == "announced"


def test_companies_of_two_countries_named_together_give_both_countries() -> None:
    doc = run(
        "Kazakh and Chinese business leaders plan to build a grain terminal in Kostanay Region "
        "for $40 million."
    )
    (p,) = doc.projects
    assert sorted(p.investor_countries) == ["CN", "KZ"]
    assert (p.host_country, p.amount) == ("KZ", {"value": 40_000_000, "currency": "USD"})


def test_a_joint_consortium_does_not_make_its_members_companies_of_one_partner() -> None:
    doc = run(
        "The Polish transport minister said a contract for the upgrade of the rail line between Warsaw and "
        "Lodz will be signed by May 20.\n"
        "Polish Prime Minister meeting with Chinese President in Beijing last Thursday.\n"
        "It was announced last week that the tender had been won by a Polish-Chinese consortium. One of the "
        "members of the consortium includes Vistula Track Group, a newly formed company that specialises in "
        "railway construction.\n"
        "Upgrading the 130 km line is set to cost PLN 9 billion, which makes it Poland's largest "
        "rail project."
    )
    (p,) = doc.projects
    assert (p.investors, p.host_country) == (["Vistula Track Group"], "PL")
    assert p.investor_countries != ["CN"]  # not China's alone: the consortium is Polish-Chinese


def test_the_product_named_after_another_brand_still_gives_the_sector() -> None:
    doc = run(
        "Haval to build engine plant in Tula Region.\n"
        "In June, Great Rock opened a plant to manufacture three Haval crossover models in the Uzlovaya "
        "special economic zone in Tula Region."
    )
    rock = next(p for p in doc.projects if p.investors == ["Great Rock"])
    assert rock.sector == "automotive"


def test_a_trade_word_in_the_investor_name_is_the_last_resort_for_the_sector() -> None:
    doc = run(
        "An investment project worth 40 million rubles is being implemented by Kama Confectioner LLC in "
        "Tatarstan; it is planned to create 15 new jobs."
    )
    (p,) = doc.projects
    assert p.sector == "food_agriculture"
    fund = run("The Volga Investment Fund will finance a 2 billion ruble project in Samara Region.")
    assert all(p.sector != "finance" for p in fund.projects)


def test_the_next_company_s_product_is_not_the_sector_of_the_one_before() -> None:
    doc = run(
        "Twelve companies with Chinese capital operate in Tula Region, including Redwood Motors, which has "
        "invested 37 billion rubles in its plant, and Kingsway, a producer of glass containers."
    )
    redwood = next(p for p in doc.projects if p.investors == ["Redwood Motors"])
    assert redwood.sector != "consumer_goods"


def test_the_value_of_one_deal_is_no_trade_figure() -> None:
    doc = run(
        "Poultry producer Golden Hen signed a $5 million contract with a Chinese distributor to start "
        "meat exports to China. Agreements worth $40 million on grain exports were also signed."
    )
    assert doc.trade == []
    trade = run("Exports from Omsk Region to China reached $40 million in 2023.")
    (t,) = trade.trade
    assert (t.flow, t.value, t.period) == ("exports", 40_000_000, "2023")


def test_a_date_in_a_statement_made_at_the_event_is_not_its_date() -> None:
    doc = run(
        "The plant is expected to start production in 2026, the director of Lotus Ceramics said at the "
        "ground-breaking ceremony in Vladimir."
    )
    (ceremony,) = [e for e in doc.events if e.kind == "other"]
    assert ceremony.date != "2026"


def test_the_city_in_a_diplomat_s_title_is_not_the_venue() -> None:
    doc = run(
        "The governor of Sverdlovsk Region held a meeting with the Consul General of China in Yekaterinburg."
    )
    (meeting,) = [e for e in doc.events if e.kind == "meeting"]
    assert meeting.city is None


def test_a_ceremony_takes_the_date_and_city_of_the_opening_reported_just_before() -> None:
    doc = run(
        "A new glass plant of Sunway Glass was opened in Kaluga on 12 March 2024. "
        "The governor took part in the opening ceremony."
    )
    (ceremony,) = [e for e in doc.events if e.kind == "other"]
    assert (ceremony.date, ceremony.city, ceremony.country) == ("2024-03-12", "Kaluga", "RU")


def test_a_company_named_by_its_first_word_later_is_the_same_company() -> None:
    doc = run(
        "Chinese automaker Tianma Motors will start assembling crossovers in Kaluga next year. "
        "Serial production is expected to begin in the second quarter of 2026.\n\n"
        "Kaluga Governor Vladislav Shapsha and Tianma's chairman Zhou Lin signed an investment agreement "
        "on the sidelines of the Russian Investment Forum in Sochi."
    )
    (p,) = doc.projects
    assert (p.investors, p.status) == (["Tianma Motors"], "agreement")
    (signing,) = [e for e in doc.events if e.kind == "signing"]
    assert signing.city == "Sochi"  # "Kaluga Governor" is a title, not where it was signed


def test_a_meeting_on_the_sidelines_of_a_forum_is_a_meeting() -> None:
    doc = run(
        "Deputy Prime Minister Ivan Sokolov met Chinese Vice Premier Liu Qing on the sidelines of the "
        "Eastern Economic Forum on Friday."
    )
    assert [e.kind for e in doc.events] == ["meeting"]
    assert doc.events[0].date == "2024-05-31"


def test_the_site_of_an_agreed_project_is_not_where_it_was_signed() -> None:
    doc = run(
        "Jiangsu Longway Logistics and the government of Tatarstan signed an agreement to build a "
        "logistics hub in the Zelenodolsk district, near Kazan."
    )
    (signing,) = [e for e in doc.events if e.kind == "signing"]
    assert signing.city is None
    (p,) = doc.projects
    assert p.investor_countries == ["CN"]  # a name that opens with a Chinese province
    assert p.host_region == "RU-TA"


def test_one_forum_written_with_and_without_a_dot() -> None:
    doc = run(
        "St Petersburg forum: Chinese companies sign deals\n"
        "Chinese companies signed 32 agreements at the St. Petersburg International Economic Forum."
    )
    assert len([e for e in doc.events if e.kind == "forum"]) == 1


def test_the_cost_a_plant_was_built_for_is_its_amount() -> None:
    doc = run(
        "Chinese dairy producer Sunrise Dairy has opened a milk plant in the Novosibirsk Region. "
        "The plant, built for 3.2 billion rubles, employs 240 people. "
        "Investment in a possible second phase is estimated at 5 billion rubles."
    )
    p = doc.projects[0]
    assert p.amount == {"value": 3_200_000_000, "currency": "RUB"}


def test_the_company_bought_is_no_investor_of_its_own() -> None:
    doc = run(
        "China's Golden Dragon Capital has acquired a 25% stake in Taiga Gold, a gold producer in the "
        "Krasnoyarsk Territory, for $310 million, the companies said on Thursday."
    )
    (p,) = doc.projects
    assert (p.investors, p.kind) == (["Golden Dragon Capital"], "acquisition")
    assert (p.amount, p.host_region) == ({"value": 310_000_000, "currency": "USD"}, "RU-KYA")


def test_a_possessive_ends_a_public_body_phrase() -> None:
    doc = run(
        "Kyrgyzstan's Cabinet and China's Xinjiang Tianshan Cement signed an investment agreement on the "
        "construction of a cement plant in the Chui Region worth $300 million."
    )
    (p,) = doc.projects
    assert p.investors == ["Xinjiang Tianshan Cement"]
    assert (p.host_country, p.host_region, p.status) == ("KG", "KG-C", "agreement")


def test_a_stage_stated_before_the_investor_is_named_is_the_project_s() -> None:
    doc = run(
        "A Belarusian-Chinese tyre plant has been put into operation near Minsk. The plant was built by "
        "Shandong Yinbao Tyre together with Belshina for $220 million and will produce 1.2 million tyres "
        "a year."
    )
    (p,) = doc.projects
    assert p.status == "operational"
    terminal = run(
        "Construction of a grain terminal at the Zabaikalsk border crossing will be completed in 2026. "
        "The investor is the Chinese company Heilongjiang Jingtai, which invests 3.2 billion rubles."
    )
    (q,) = terminal.projects
    assert q.status == "construction"


def test_a_plant_that_started_operation_before_its_investors_are_named() -> None:
    doc = run(
        "A 60 MW solar power plant built with Chinese investment has started operation in the Orenburg "
        "Region. The 5.5 billion ruble project was financed by China Sunergy and a Russian partner."
    )
    (p,) = doc.projects
    assert (p.status, p.sector, p.host_region) == ("operational", "energy", "RU-ORE")


def test_a_share_that_rose_to_a_level_is_the_share_and_goods_shares_are_no_trade_rows() -> None:
    doc = run(
        "Agricultural exports from the Novosibirsk Region to China doubled in 2023 and reached $128 million. "
        "Rapeseed oil, wheat and soybeans accounted for 80% of the shipments. "
        "China's share in the region's agricultural exports rose to 45%."
    )
    rows = {(t.flow, t.value, t.change_pct, t.share_pct) for t in doc.trade}
    assert rows == {("exports", None, None, 45.0), ("exports", 128_000_000, 100.0, None)}


def test_a_vague_date_restated_precisely_takes_the_precise_one() -> None:
    doc = run("The Russian-Chinese Investment Forum will be held in Harbin next week, on June 12-13.")
    (forum,) = doc.events
    assert forum.date == "2024-06-12"


def test_a_rise_stated_once_covers_the_clause_with_its_verb_left_out() -> None:
    doc = run(
        "In 2023 China's exports to Russia grew by 46.9% to $111 billion, mostly cars and machinery, and "
        "imports from Russia – by 12.7% to $129 billion."
    )
    changes = {t.flow: t.change_pct for t in doc.trade}
    assert changes == {"exports": 46.9, "imports": 12.7}


def test_a_cost_stated_before_the_builder_is_named_is_the_project_s() -> None:
    doc = run(
        "The Chinese side will finance the construction of a road bridge across the Ussuri River, "
        "Primorye's government said. The total cost is estimated at 4.7 billion rubles; the works are "
        "scheduled to start in 2026. The bridge will be built by China Railway Bridge Engineering."
    )
    (p,) = doc.projects
    assert p.investors == ["China Railway Bridge Engineering"]
    assert p.amount == {"value": 4_700_000_000, "currency": "RUB"}


def test_a_grain_terminal_is_logistics() -> None:
    doc = run(
        "Primorye signed an agreement with Dalian Port Group on the construction of a grain terminal in "
        "the port of Zarubino worth 22 bln rubles."
    )
    (p,) = doc.projects
    assert p.sector == "logistics"


def test_a_word_after_the_event_word_does_not_make_a_new_event() -> None:
    doc = run(
        "The governor of Chelyabinsk Region returned from his business trip to China on Friday. "
        "'I hope that this visit gave another push to the cement project,' he said. "
        "The next visit of the delegation is planned for October."
    )
    visits = [e for e in doc.events if e.kind == "visit"]
    assert len(visits) == 2  # the trip (mentioned twice) and the next visit


def test_a_recurring_event_named_without_a_place_gives_its_city() -> None:
    doc = run("Primorye and Chinese companies signed 12 agreements at the Eastern Economic Forum on Monday.")
    assert {(e.kind, e.city, e.country) for e in doc.events} == {
        ("forum", "Vladivostok", "RU"),
        ("signing", "Vladivostok", "RU"),
    }


def test_a_well_known_company_keeps_its_home_when_the_text_names_none() -> None:
    doc = run(
        "Chinese carmakers are looking for assembly partners in Russia. "
        "Avtotor will assemble the cars of the Chinese brand at its plant in Kaliningrad for 2 billion "
        "rubles."
    )
    avtotor = next(p for p in doc.projects if "Avtotor" in p.investors)
    assert avtotor.investor_countries[:1] == ["RU"]
    assert avtotor.provenance["investor_countries[0]"].quote == "Avtotor"  # the name it is known by


def test_a_company_name_holding_a_surname_and_a_buyer_in_talks() -> None:
    doc = run(
        "A Chinese investor, Shandong Sun Paper, is in talks to buy the idle Omutninsk paper mill in Kirov "
        "Region and restart production, the governor said. The deal could be worth about 1.8 billion rubles."
    )
    (p,) = doc.projects
    assert p.investors == ["Shandong Sun Paper"]  # "Sun" is also a surname: the name ends as companies do
    assert p.investor_countries == ["CN"]  # not the mill's region after ", is in talks to buy"
    assert (p.kind, p.status, p.host_region) == ("acquisition", "announced", "RU-KIR")
    assert p.amount == {"value": 1_800_000_000, "currency": "RUB"}


def test_the_seller_and_the_asset_bought_are_no_investors() -> None:
    doc = run(
        "Chinese firm completes purchase of Siberian coal mine\n"
        "China's Huaneng Coal has completed the acquisition of the Sibirginskaya coal mine in the Kemerovo "
        "Region from Russian mining group Mechel for 9.4 billion rubles, the companies said on Tuesday."
    )
    (p,) = doc.projects
    assert p.investors == ["Huaneng Coal"]
    assert (p.kind, p.status, p.host_region) == ("acquisition", "operational", "RU-KEM")
    assert p.amount == {"value": 9_400_000_000, "currency": "RUB"}


def test_a_full_stop_inside_a_place_does_not_end_an_unnamed_event() -> None:
    doc = run("The talks in St. Petersburg on June 4 focused on logistics and a new rail terminal.")
    (ev,) = doc.events
    assert (ev.kind, ev.name, ev.city) == ("meeting", "The talks in St. Petersburg", "St. Petersburg")
    assert ev.date == "2024-06-04"
    doc = run("Kazakh and Chinese companies signed 18 agreements worth a total of $4.5 billion on Wednesday.")
    assert [e.name for e in doc.events if e.kind == "signing"][0].startswith(
        "signed 18 agreements worth a total of $4.5"
    )


def test_an_event_held_at_an_event_reported_before_takes_its_date_and_city() -> None:
    doc = run(
        "The Russian-Chinese Expo opened in Harbin on May 17. On the sidelines of the expo, the Amur "
        "Region signed an agreement with a Chinese logistics company."
    )
    signing = next(e for e in doc.events if e.kind == "signing")
    assert (signing.date, signing.city, signing.country) == ("2024-05-17", "Harbin", "CN")
    assert signing.provenance["city"].quote == "Harbin"
    doc = run(
        "В Казани 16 мая открылась выставка «Россия — Исламский мир». На полях выставки Татарстан "
        "подписал соглашение с китайской компанией о строительстве завода.",
        lang="ru",
    )
    signing = next(e for e in doc.events if e.kind == "signing")
    assert (signing.date, signing.city) == ("2024-05-16", "Казань")
    # a passing mention of the exhibition in between is not where the forum takes its city from
    doc = run(
        "Промышленная выставка «Техноэкспо» пройдет в Новосибирске 9–12 сентября. Страной-партнером "
        "выставки в этом году стал Китай. В рамках выставки пройдет российско-китайский форум.",
        lang="ru",
    )
    forum = next(e for e in doc.events if e.kind == "forum")
    assert (forum.date, forum.city) == ("2024-09-09", "Новосибирск")
    # without a setting named, a later signing keeps what its own sentence says
    doc = run(
        "The Russian-Chinese Expo opened in Harbin on May 17. "
        "Two days later the Amur Region signed an agreement."
    )
    assert next(e for e in doc.events if e.kind == "signing").city is None


def test_a_headline_and_a_body_naming_one_expo_two_ways_are_one_event() -> None:
    doc = run(
        "Harbin hosts Russian-Chinese Expo\n\n"
        "HARBIN, May 20 (Xinhua) -- The 9th China-Russia Expo opened in Harbin, capital of "
        "Heilongjiang Province, on Saturday, attracting over 1,500 companies from both countries.",
        published="2025-05-20",
    )
    (expo,) = [e for e in doc.events if e.kind == "exhibition"]
    # the fuller name, and the day the expo opened, not the day the story was filed
    assert (expo.name, expo.date, expo.city) == ("9th China-Russia Expo", "2025-05-17", "Harbin")
    doc = run("MOSCOW, June 3 (Interfax) -- Russia and China signed an agreement on grain supplies.")
    assert [e.date for e in doc.events if e.kind == "signing"] == ["2024-06-03"]  # the only date


def test_a_company_named_in_apposition_to_what_it_makes_is_the_investor() -> None:
    doc = run(
        "A Chinese manufacturer of lithium-ion batteries, Gotion High-Tech, is considering building a "
        "plant in the Nizhny Novgorod Region, governor Gleb Nikitin said. The investment could reach "
        "12 billion rubles."
    )
    (p,) = doc.projects
    assert (p.investors, p.investor_countries, p.host_region) == (["Gotion High-Tech"], ["CN"], "RU-NIZ")
    assert p.amount == {"value": 12_000_000_000, "currency": "RUB"}


def test_a_joint_venture_named_in_apposition_is_the_investor_with_its_partner_country() -> None:
    doc = run(
        "MINSK, Nov 18 (BelTA) - A Belarusian-Chinese joint venture, Horizont-Midea, has opened a household "
        "appliances plant at the Great Stone industrial park near Minsk. The $65 million facility will "
        "employ 450 people.",
        published="2025-11-18",
    )
    (p,) = doc.projects
    assert (p.investors, p.investor_countries, p.host_country) == (["Horizont-Midea"], ["CN"], "BY")
    assert (p.amount, p.jobs, p.status) == ({"value": 65_000_000, "currency": "USD"}, 450, "operational")


def test_the_owner_of_what_a_contractor_works_on_is_no_second_project() -> None:
    doc = run(
        "China's Baowu Engineering will modernise the rolling shop of the Nizhny Tagil Iron and Steel "
        "Works in the Sverdlovsk Region under a contract worth 14 billion rubles. Work is already under way."
    )
    (p,) = doc.projects
    assert (p.investors, p.investor_countries, p.host_region) == (["Baowu Engineering"], ["CN"], "RU-SVE")
    assert p.amount == {"value": 14_000_000_000, "currency": "RUB"}
    doc = run("The region said Rosatom Energy and Gazprom Neft will build a plant in the Tula Region.")
    assert doc.projects[0].investors == ["Rosatom Energy", "Gazprom Neft"]  # two companies, not one name


def test_trade_between_the_two_countries_named_before() -> None:
    doc = run(
        "ASTANA, Sept 25. Kazakh and Chinese companies signed 18 agreements worth $4.5 billion. "
        "Trade between the two countries reached $43.8 billion last year, up 6%.",
        published="2025-09-25",
    )
    (t,) = doc.trade
    assert (t.reporter, t.partner, t.period, t.value, t.change_pct) == ("KZ", "CN", "2024", 43.8e9, 6.0)
    doc = run(
        "Президенты России и Китая провели переговоры в Пекине. Товарооборот между двумя странами "
        "в прошлом году составил 245 млрд долларов.",
        lang="ru",
        published="2025-09-25",
    )
    assert [(t.reporter, t.partner) for t in doc.trade] == [("RU", "CN")]


def test_end_cues_answer_as_their_patterns() -> None:
    """The last-word check in front of an end-anchored cue never changes its answer."""
    import random

    from fdiscope.frames import projects as p

    words = (
        "according to the by its their new a an Including such as like among them в том числе "
        "включая такие как такими как среди них по данным словам информации supplies customers "
        "clients компании firms residents investors BMW and и x-including to\n the"
    ).split(" ")
    rng = random.Random(7)
    for _ in range(4000):
        gaps = [" ", "  ", "\n", "", " \u00a0", ", "]
        text = "".join(rng.choice(words) + rng.choice(gaps) for _ in range(8))
        text = text[rng.randrange(len(text) + 1) :] if rng.random() < 0.3 else text
        for cue in (p._SOURCE_END, p._CUSTOMER_END, p._LISTED_END, p._DETERMINER_ENDS):
            assert cue.search(text) == (cue.pattern.search(text) is not None), (cue.pattern.pattern, text)


def test_named_events_hold_a_needed_word() -> None:
    """Every match of the event-name pattern holds one of the words the scan is skipped without."""
    import random

    from fdiscope.frames import events as ev

    words = (
        "the International Forum Fair Expo Week Show of and Russian-Chinese Российско-Китайском "
        'инвестиционном форуме Выставка выставки ярмарке Саммит «Иннопром» "Made" “Fair” met visit'
    ).split(" ")
    rng = random.Random(11)
    for _ in range(3000):
        text = " ".join(rng.choice(words) for _ in range(6))
        for m in ev._NAMED.finditer(text):
            assert any(w in m.group() for w in ev._NAMED_NEEDS), (text, m.group())


def test_both_companies_joined_by_and_invest() -> None:
    doc = run(
        "Rosvent and Tianfeng Energy will build a wind farm in Kalmykia for 12 billion rubles. "
        "Northgate and Southbay Holdings have not commented."
    )
    (p,) = doc.projects
    assert p.investors == ["Rosvent", "Tianfeng Energy"]
    assert p.amount == {"value": 12_000_000_000, "currency": "RUB"}


def test_agreed_with_a_government_is_an_agreement_and_a_completed_phase_operates() -> None:
    doc = run(
        "Chinese carmaker Norvant has agreed with the government of the Penza Region to build an "
        "assembly plant for 6 billion rubles. Separately, Qinmore Appliances has completed the second "
        "phase of its refrigerator factory in the Lipetsk Region, which cost 2 billion rubles."
    )
    by_investor = {p.investors[0]: p for p in doc.projects}
    assert (by_investor["Norvant"].status, by_investor["Norvant"].host_region) == ("agreement", "RU-PNZ")
    assert (by_investor["Qinmore Appliances"].status, by_investor["Qinmore Appliances"].kind) == (
        "operational",
        "expansion",
    )


def test_a_meeting_with_a_regional_head_or_a_company_chief_is_a_meeting() -> None:
    doc = run(
        "Norvant chief executive Li Wen met Penza Region head Oleg Sarin in Penza on May 14 to discuss "
        "a second plant. Later he met the company's CEO in Moscow."
    )
    meetings = [(ev.kind, ev.city, ev.date) for ev in doc.events]
    assert ("meeting", "Penza", "2024-05-14") in meetings


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Chinese company Norvant has frozen construction of its plant in the Penza Region.", "cancelled"),
        ("Chinese company Norvant scrapped plans to build a plant in the Penza Region.", "cancelled"),
        (
            "Chinese company Norvant terminated its contract to build a plant in the Penza Region.",
            "cancelled",
        ),
        ("Chinese company Norvant opened a logistics hub in the Penza Region.", "operational"),
        (
            "Chinese company Norvant's power plant in the Penza Region began generating electricity.",
            "operational",
        ),
        ("The plant of Chinese company Norvant in the Penza Region is 70% complete.", "construction"),
        # what looks like a stop word inside a product name is no stop
        ("Chinese company Norvant will build a frozen food plant in the Penza Region.", "announced"),
        ("Chinese company Norvant will build a scrap metal plant in the Penza Region.", "announced"),
    ],
)
def test_status_cues_in_the_active_voice(sentence: str, status: str) -> None:
    (p,) = run(sentence).projects
    assert (p.investors, p.status) == (["Norvant"], status)


def test_a_lower_case_partner_is_no_person_title_and_pipeline_valves_are_machinery() -> None:
    doc = run(
        "Chinese valve maker Norvant will build a pipeline valves plant in the Penza Region together "
        "with its Russian partner Mercy Trade, the SEZ press office said."
    )
    (p,) = doc.projects
    assert p.investors == ["Norvant", "Mercy Trade"]
    assert p.sector == "machinery"


def test_the_lead_signing_does_not_reach_projects_after_the_story_turns() -> None:
    lead = (
        "Chinese company Norvant and the Penza Region signed an agreement on Monday to build a tractor "
        "plant. The plant will cost 5 billion rubles. "
    )
    turned = run(
        lead + "Separately, Chinese carmaker Qinmore plans to build a parts factory in the Tula Region."
    )
    same = run(lead + "Chinese carmaker Qinmore will also build a parts factory in the Penza Region.")
    assert [(p.investors[0], p.status) for p in turned.projects] == [
        ("Norvant", "agreement"),
        ("Qinmore", "announced"),
    ]
    assert [(p.investors[0], p.status) for p in same.projects] == [
        ("Norvant", "agreement"),
        ("Qinmore", "agreement"),
    ]


def test_what_a_region_has_attracted_is_no_project_amount() -> None:
    doc = run(
        "Chinese company Norvant will build a truck plant in the Penza Region. Since 2015, the region "
        "has attracted over 1.2 trillion rubles of investments, Governor Oleg Sarin said."
    )
    (p,) = doc.projects
    assert (p.investors, p.amount) == (["Norvant"], None)


def test_the_country_of_one_named_company_does_not_pass_to_another() -> None:
    named = run(
        "Belarusian company Minsktrak will open a truck service centre in the Penza Region. "
        "IT company Selectel will build a data centre in the Tula Region."
    )
    assert [(p.investors, p.investor_countries) for p in named.projects] == [
        (["Minsktrak"], ["BY"]),
        (["Selectel"], []),
    ]
    # "Chinese companies" with no name: the story's companies, so an unqualified investor is Chinese
    story = run("Chinese companies are active in the Penza Region. Norvant will build a tractor plant there.")
    assert [(p.investors, p.investor_countries) for p in story.projects] == [(["Norvant"], ["CN"])]


@pytest.mark.parametrize(
    "sentence",
    [
        "Chinese company Norvant has signed a contract worth 30 billion rubles to build a section of the "
        "M-12 highway in the Tatarstan Republic.",
        "Chinese company Norvant will handle the supply of 20 electric locomotives in the Khabarovsk "
        "Territory.",
    ],
)
def test_a_contract_to_build_or_a_supply_of_goods_is_a_contract(sentence: str) -> None:
    (p,) = run(sentence).projects
    assert (p.investors, p.kind) == (["Norvant"], "contract")


def test_a_company_bought_with_a_description_before_its_name_is_no_investor() -> None:
    doc = run(
        "Chinese group Fosun has completed the acquisition of a 51% stake in Rostov-based agricultural "
        "holding Yug Agro for 9.5 billion rubles."
    )
    (p,) = doc.projects
    assert (p.investors, p.kind, p.status) == (["Fosun"], "acquisition", "operational")
    assert p.amount == {"value": 9.5e9, "currency": "RUB"}


def test_a_ceremony_takes_the_opening_told_two_sentences_before() -> None:
    doc = run(
        "Chinese company Norvant opened its tractor plant in Penza on May 17. The plant will employ 500 "
        "people. Governor Oleg Sarin took part in the opening ceremony."
    )
    assert [(ev.kind, ev.date, ev.city) for ev in doc.events] == [("other", "2024-05-17", "Penza")]


@pytest.mark.parametrize(
    "sentence",
    [
        "According to the intergovernmental commission, Chinese investment in Russia grew last year.",
        "Oleg Sarin, co-chairman of the Russian-Chinese intergovernmental commission, said the figure "
        "could double.",
    ],
)
def test_a_standing_body_named_as_a_source_or_in_a_title_is_no_meeting(sentence: str) -> None:
    assert run(sentence).events == []
    # ... while the body meeting is one
    (ev,) = run("The commission met in Harbin on June 2 and approved 12 projects.").events
    assert (ev.kind, ev.city, ev.date) == ("meeting", "Harbin", "2024-06-02")


def test_a_pipeline_named_with_a_number_and_a_commodity_is_no_investor() -> None:
    doc = run(
        "Rosvent will supply gas to China via the Power of Taiga 2 gas pipeline, which will cost $5 billion."
    )
    assert [p.investors for p in doc.projects] == [["Rosvent"]]


def test_a_domestic_or_local_company_is_of_the_host_country() -> None:
    before = run("Domestic IT company Selectel will build a data centre in the Tula Region.")
    after = run("Tulaprofil, a local producer of steel profiles, will build a rolling mill near Tula.")
    assert [(p.investors, p.investor_countries) for p in before.projects + after.projects] == [
        (["Selectel"], ["RU"]),
        (["Tulaprofil"], ["RU"]),
    ]


def test_a_signing_after_the_talks_takes_their_date_and_city() -> None:
    doc = run(
        "Governor Oleg Sarin held talks with a Chinese delegation in Penza on May 14. After the talks, "
        "the sides signed a memorandum on a new plant."
    )
    assert [(ev.kind, ev.date, ev.city) for ev in doc.events] == [
        ("meeting", "2024-05-14", "Penza"),
        ("signing", "2024-05-14", "Penza"),
    ]


def test_a_cable_car_is_transport_infrastructure_not_a_car() -> None:
    (p,) = run("Chinese company Norvant will build a cable car in Sochi.").projects
    assert p.sector == "transport_infrastructure"


def test_several_billion_is_no_amount() -> None:
    doc = run(
        "Chinese company Norvant will build a plant in the Kaluga Region. The investment will run to "
        "several billion euros."
    )
    (p,) = doc.projects
    assert p.amount is None


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        (
            "Chinese company Norvant is already building a battery factory in the Penza Region.",
            "construction",
        ),
        (
            "The Penza steel mill, which Chinese company Norvant bought in 2016, employs 900 people.",
            "operational",
        ),
    ],
)
def test_building_under_way_and_a_purchase_made(sentence: str, status: str) -> None:
    (p,) = run(sentence).projects
    assert (p.investors, p.status) == (["Norvant"], status)


def test_the_client_of_a_contractor_is_no_investor() -> None:
    doc = run(
        "Chinese company Norvant will build a cement plant in the Penza Region for local producer "
        "Surskoye Cement under a $180 million engineering, procurement and construction contract."
    )
    assert [(p.investors, p.kind) for p in doc.projects] == [(["Norvant"], "contract")]


@pytest.mark.parametrize(
    ("sentence", "sector"),
    [
        (
            "Chinese company Norvant will build a gas chemical plant for ammonia and urea near Svobodny.",
            "chemicals",
        ),
        (
            "Chinese company Norvant will build a polymer packaging plant in the Penza Region.",
            "consumer_goods",
        ),
        ("Chinese company Norvant will build a coal terminal in the Primorye Territory.", "logistics"),
        (
            "Chinese company Norvant will build a liquefied natural gas plant in the Murmansk Region.",
            "energy",
        ),
    ],
)
def test_sector_of_the_head_noun(sentence: str, sector: str) -> None:
    (p,) = run(sentence).projects
    assert p.sector == sector


def test_a_name_opened_by_a_place_is_cited_by_the_rest() -> None:
    doc = run(
        "Jiangsu Qinmore Heavy Machinery will build a crane plant in the Penza Region. Qinmore intends to "
        "invest 6 billion rubles and create 400 jobs."
    )
    (p,) = doc.projects
    assert (p.investors, p.amount, p.jobs) == (
        ["Jiangsu Qinmore Heavy Machinery"],
        {"value": 6e9, "currency": "RUB"},
        400,
    )


def test_a_signing_on_a_weekday_before_a_future_clause_is_past() -> None:
    doc = run("Norvant signed a deal in Penza on Monday to build a plant that will make 50,000 cars a year.")
    assert [(ev.kind, ev.date) for ev in doc.events] == [("signing", "2024-06-03")]


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        (
            "The solar plant of Chinese company Norvant in the Orenburg Region was connected to the grid.",
            "operational",
        ),
        (
            "The plant of Chinese company Norvant in the Penza Region went into operation in May.",
            "operational",
        ),
        ("A plant of Chinese company Norvant is being built in the Penza Region.", "construction"),
        ("Chinese company Norvant and Rosvent registered a joint venture in the Penza Region.", "agreement"),
    ],
)
def test_more_stage_wordings(sentence: str, status: str) -> None:
    (p,) = run(sentence).projects
    assert p.status == status


def test_a_zone_wide_total_is_no_project_amount() -> None:
    doc = run(
        "Chinese company Norvant will build a plant in the Alabuga special economic zone for 5 billion "
        "rubles. The zone's 80 residents have invested a combined 280 billion rubles."
    )
    (p,) = doc.projects
    assert p.amount == {"value": 5e9, "currency": "RUB"}


def test_trade_that_slipped_is_a_fall() -> None:
    (t,) = run("Trade between Russia and China slipped 1.9% to $240 billion in 2023.").trade
    assert (t.reporter, t.partner, t.change_pct, t.value) == ("RU", "CN", -1.9, 240e9)


def test_a_lending_bank_is_no_investor_and_its_loan_no_amount() -> None:
    doc = run(
        "Sberbank has opened a 6.5 billion ruble credit line to greenhouse operator Berdsk Greens to "
        "finance a greenhouse complex in the Novosibirsk Region. The total cost of the project is "
        "estimated at 9 billion rubles."
    )
    assert [(p.investors, p.amount) for p in doc.projects] == [
        (["Berdsk Greens"], {"value": 9e9, "currency": "RUB"})
    ]


@pytest.mark.parametrize(
    ("sentence", "jobs"),
    [
        ("Chinese company Norvant opened a pipe plant in Orsk that has a staff of 240.", 240),
        (
            "Chinese company Norvant will build a mine in the Chita Region; its workforce will number 850.",
            850,
        ),
        (
            "Chinese company Norvant will build a solar plant in Bukhara that will have 120 permanent staff.",
            120,
        ),
    ],
)
def test_head_counts_are_jobs(sentence: str, jobs: int) -> None:
    (p,) = run(sentence).projects
    assert p.jobs == jobs


@pytest.mark.parametrize(
    ("sentence", "field", "value"),
    [
        (
            "Rosvent has completed the expansion of its container terminal in the Penza Region.",
            "status",
            "operational",
        ),
        (
            "The government approved a draft investment agreement with Chinese company Norvant, which "
            "plans to build a PVC plant in the Penza Region.",
            "status",
            "announced",
        ),
        (
            "Rosvent will build a second kiln line at its cement plant in the Penza Region.",
            "kind",
            "expansion",
        ),
        ("Chinese lift maker Norvant will open a factory in the Penza Region.", "sector", "machinery"),
    ],
)
def test_round_four_wordings(sentence: str, field: str, value: str) -> None:
    (p,) = run(sentence).projects
    assert getattr(p, field) == value


def test_talks_at_the_final_stage_are_no_meeting() -> None:
    doc = run(
        "Chinese company Norvant intends to build a tile factory in the Penza Region; talks are at the "
        "final stage."
    )
    assert doc.events == []


def test_a_past_month_range_with_no_year_has_ended() -> None:
    doc = run(
        "In the Penza Region, China accounted for 35% of foreign trade in January–November.",
        published="2024-02-08",
    )
    assert [(t.reporter, t.partner, t.period, t.share_pct) for t in doc.trade] == [
        ("RU-PNZ", "CN", "2023-01/2023-11", 35.0)
    ]


def test_shipments_of_a_country_s_goods_are_its_exports() -> None:
    doc = run(
        "Trade between China and Russia rose 3% in April 2024. Shipments of Russian goods to China "
        "increased by 8% to $9.1 billion."
    )
    rows = [(t.reporter, t.partner, t.flow, t.value) for t in doc.trade if t.value]
    assert rows == [("RU", "CN", "exports", 9.1e9)]


def test_exporter_named_after_from_with_another_country_earlier_in_the_sentence() -> None:
    doc = run(
        "Most of the cargo still goes to China: in the first quarter of 2024 exports of coal from "
        "the Sakhalin region to China rose by 15%."
    )
    assert [(t.reporter, t.partner, t.flow, t.change_pct) for t in doc.trade] == [
        ("RU-SAK", "CN", "exports", 15.0)
    ]


def test_a_share_of_the_country_ranked_behind_belongs_to_it() -> None:
    doc = run(
        "Trade between Kazakhstan and China amounted to $31.5 billion in 2023. China's share of "
        "Kazakhstan's foreign trade rose to 22.4%, putting it ahead of Russia, whose share was 19.8%."
    )
    assert [(t.reporter, t.partner, t.share_pct) for t in doc.trade] == [
        ("KZ", "CN", 22.4),
        ("KZ", "RU", 19.8),
    ]


def test_the_region_s_foreign_trade_is_reported_by_the_story_s_region() -> None:
    doc = run(
        "The Orenburg region borders Kazakhstan. A Chinese firm will build a plant there. Trade with "
        "China remains small: $410 million in 2023, or 12% of the region's foreign trade, behind "
        "Kazakhstan and Turkey."
    )
    assert [(t.reporter, t.partner, t.value) for t in doc.trade] == [("RU-ORE", "CN", 410e6)]


def test_a_statement_day_yields_to_the_signing_day_given_later() -> None:
    doc = run(
        "Volga Pipes has signed a supply contract with Dalian Steel for a new mill, "
        "the company said on Tuesday. "
        "The signing took place last Friday.",
        published="2024-06-05",
    )
    assert [(e.kind, e.date) for e in doc.events] == [("signing", "2024-05-31")]


@pytest.mark.parametrize(
    "sentence",
    [
        "In Kazan, the regional glassworks Volga Glass and the Chinese sand supplier Hubei Sand "
        "signed a deal to produce jars in Ulyanovsk.",
        "In Kazan, the Siberian manufacturer Tomsk Cable Works and its longtime partner "
        "signed a contract to supply cable to Vladivostok.",
    ],
)
def test_a_signing_keeps_its_venue_not_the_site_of_the_work(sentence: str) -> None:
    doc = run(sentence)
    assert [(e.kind, e.city) for e in doc.events if e.kind == "signing"] == [("signing", "Kazan")]


def test_took_place_in_a_city_names_the_venue_of_a_signing() -> None:
    doc = run("The signing of the loan accord took place in Shanghai last Thursday.", published="2024-06-05")
    assert [(e.kind, e.date, e.city) for e in doc.events] == [("signing", "2024-05-30", "Shanghai")]


def test_the_dated_mention_places_a_signing_first_reported_by_a_statement() -> None:
    doc = run(
        "Volga Pipes, which runs a pipe mill in Tatarstan, has signed a supply contract with Dalian Steel, "
        "the company said on Tuesday. The signing took place in Shanghai last Friday.",
        published="2024-06-05",
    )
    assert [(e.kind, e.date, e.city, e.country) for e in doc.events] == [
        ("signing", "2024-05-31", "Shanghai", "CN")
    ]
