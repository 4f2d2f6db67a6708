"""和暦: the one era table (jlis_ledger.core.wareki), its boundaries, 元年 and the 年度 rule."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jlis_ledger.core import wareki


@pytest.mark.parametrize("era, year, month, day, expected", [
    ("R", 1, 5, 1, datetime.date(2019, 5, 1)),        # 令和元年5月1日, the first day of 令和
    ("令和", 5, 3, 31, datetime.date(2023, 3, 31)),
    ("H", 31, 4, 30, datetime.date(2019, 4, 30)),      # the last day of 平成
    ("H", 1, 1, 8, datetime.date(1989, 1, 8)),         # the first day of 平成
    ("S", 64, 1, 7, datetime.date(1989, 1, 7)),        # the last day of 昭和
    ("S", 1, 12, 25, datetime.date(1926, 12, 25)),
    ("T", 15, 12, 24, datetime.date(1926, 12, 24)),
    ("T", 1, 7, 30, datetime.date(1912, 7, 30)),
    ("M", 45, 7, 29, datetime.date(1912, 7, 29)),
    ("m", 6, 1, 1, datetime.date(1873, 1, 1)),
])
def test_era_dates(era, year, month, day, expected):
    assert wareki.to_date(era, year, month, day) == expected


@pytest.mark.parametrize("era, year, month, day, message", [
    ("H", 31, 5, 1, "平成 ran from 1989-01-08 to 2019-04-30; 2019-05-01 is 令和元年5月1日"),
    ("R", 1, 4, 30, "令和 began on 2019-05-01; 2019-04-30 is 平成31年4月30日"),
    ("S", 64, 1, 8, "昭和 ran from 1926-12-25 to 1989-01-07; 1989-01-08 is 平成元年1月8日"),
    ("H", 1, 1, 7, "1989-01-07 is 昭和64年1月7日"),
    ("H", 32, 1, 1, "2020-01-01 is 令和2年1月1日"),
    ("T", 1, 7, 29, "1912-07-29 is 明治45年7月29日"),
    ("M", 5, 12, 31, "before Japan adopted the Gregorian calendar"),
    ("R", 0, 5, 1, "era years start at 1 (元年), not 0"),
    ("R", 5, 2, 29, "no such day (令和5年2月29日)"),
    ("X", 5, 1, 1, "unknown era 'X'"),
])
def test_dates_outside_their_era_are_errors(era, year, month, day, message):
    with pytest.raises(ValueError) as exc:
        wareki.to_date(era, year, month, day)
    assert message in str(exc.value)


@pytest.mark.parametrize("year, fiscal, short", [
    (2019, "令和元年度", "R元"),   # begins under 平成 (2019-04-01) but is named 令和元年度
    (2020, "令和2年度", "R2"),
    (2022, "令和4年度", "R4"),
    (2018, "平成30年度", "H30"),
    (1989, "平成元年度", "H元"),
    (1988, "昭和63年度", "S63"),   # 平成 began on 1989-01-08, within FY1988: still 昭和63年度, never 平成0年度
    (2014, "平成26年度", "H26"),
])
def test_fiscal_year_names(year, fiscal, short):
    assert wareki.fiscal_year_name(year) == fiscal
    assert wareki.short_year_name(year) == short


def test_japanese_dates_and_the_first_year():
    assert wareki.japanese_date(datetime.date(2023, 3, 31)) == "令和5年3月31日"
    assert wareki.japanese_date(datetime.date(2019, 5, 1)) == "令和元年5月1日"
    assert wareki.year_name(1926) == "昭和元年"  # 昭和 began on 1926-12-25: the year ends under 昭和
    with pytest.raises(ValueError, match="before 1873-01-01"):
        wareki.japanese_date(datetime.date(1872, 12, 31))


@given(st.dates(datetime.date(1873, 1, 1), datetime.date(2200, 12, 31)))
def test_every_day_has_exactly_one_era_and_round_trips(day):
    eras = [e for e in wareki.ERAS if day in e]
    assert len(eras) == 1
    era = eras[0]
    assert wareki.era_on(day) == era
    assert wareki.to_date(era.letter, era.year_of(day.year), day.month, day.day) == day


def test_the_library_uses_the_one_table():
    from jlis_ledger.books import FiscalYear
    from jlis_ledger.trend import era

    assert FiscalYear(2019, datetime.date(2019, 4, 1), datetime.date(2020, 3, 31)).japanese == "令和元年度"
    assert FiscalYear(1988, datetime.date(1988, 4, 1), datetime.date(1989, 3, 31)).japanese == "昭和63年度"
    assert era(2019) == "R元" and era(2014) == "H26"
