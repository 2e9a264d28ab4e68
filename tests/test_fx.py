"""USD conversion at the rate of the claim's date, from the shipped rate table."""

from __future__ import annotations

import pytest

from fdiscope.resolve.fx import rate_for, rates_table, to_usd

REQUIRED = ("RUB", "CNY", "EUR", "USD", "KZT", "UZS", "BYN", "RSD", "HUF", "BRL")


@pytest.mark.parametrize(
    ("value", "currency", "date", "usd", "period"),
    [
        # RUB after March 2022 (where bundled ECB data stops): monthly averages 2022-2024
        (15_000_000_000, "RUB", "2023-04-19", 185_414_091.47, "2023-04"),
        (16_000_000_000, "RUB", "2024-06-11", 182_857_142.86, "2024-06"),
        (1_000_000_000, "RUB", "2022-03-15", 9_671_179.88, "2022-03"),
        (1_000_000_000, "RUB", "2023", 11_730_205.28, "2023"),  # a year only: annual average
        (1_000_000_000, "RUB", "2024", 10_802_635.84, "2024"),
        (3_000_000_000, "RUB", "2014-03-18", 78_084_331.08, "2014"),
        (200_000_000, "USD", "2011-06-15", 200_000_000.0, "2011"),
        (1_000_000, "CNY", "2019-05-01", 144_759.70, "2019"),
        (1_000_000, "EUR", "2021-01-10", 1_182_732.11, "2021"),
        (1_000_000, "KZT", "2023-07-01", 2_191.49, "2023"),
        (1_000_000, "UZS", "2024-02-01", 79.03, "2024"),
        (1_000_000, "BYN", "2020-02-01", 410_004.10, "2020"),
        (10_000_000_000, "BYR", "2013-05-01", 1_126_126.13, "2013"),  # old roubles: 1/10,000 BYN
        (1_000_000, "RSD", "2018-09-01", 9_982.03, "2018"),
        (1_000_000, "HUF", "2022-09-01", 2_683.84, "2022"),
        (1_000_000, "BRL", "2016-01-01", 286_450.87, "2016"),
    ],
)
def test_to_usd(value: float, currency: str, date: str, usd: float, period: str) -> None:
    got = to_usd(value, currency, date)
    assert got is not None
    assert got.usd == pytest.approx(usd, abs=0.01)
    assert got.rate_period == period
    assert got.value == value and got.currency == currency and got.date == date


def test_original_value_rate_and_date_are_kept() -> None:
    got = to_usd(16_000_000_000, "rub", "2024-06-11")
    assert got is not None
    assert got.to_dict() == {
        "usd": 182857142.86,
        "value": 16_000_000_000.0,
        "currency": "RUB",
        "rate_per_usd": 87.5,
        "rate_period": "2024-06",
        "date": "2024-06-11",
    }


@pytest.mark.parametrize(
    ("value", "currency", "date"),
    [
        (1.0, "RUB", "1999-01-01"),
        (1.0, "XXX", "2020"),
        (None, "RUB", "2020"),
        (1.0, None, "2020"),
        (1.0, "RUB", None),
    ],
)
def test_no_rate_no_conversion(value: float | None, currency: str | None, date: str | None) -> None:
    assert to_usd(value, currency, date) is None


def test_table_covers_every_required_currency_2005_2026() -> None:
    table = rates_table()
    for cur in REQUIRED:
        for year in range(2005, 2027):
            rate = table.get((cur, str(year)))
            assert rate is not None and rate.per_usd > 0, (cur, year)


def test_rouble_monthly_rates_follow_2022() -> None:
    march, june = rate_for("RUB", "2022-03-10"), rate_for("RUB", "2022-06-10")
    assert march is not None and june is not None
    assert march.per_usd > 100 > 60 > june.per_usd  # the spike and the fall of 2022


def test_table_header_names_its_sources() -> None:
    from importlib import resources

    text = (resources.files("fdiscope") / "data" / "fx" / "usd_rates.tsv").read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    for series in ("Bank of Russia", "ECB", "IMF", "National Bank of Kazakhstan", "without network access"):
        assert series in header
