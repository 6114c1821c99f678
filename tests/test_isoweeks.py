import datetime as dt

import numpy as np
import pandas as pd
import pytest
from isoweek import Week

from planner.isoweeks import (
    WeekError,
    danish_date,
    danish_long_date,
    danish_month,
    iso_label,
    parse_week,
    week_label,
    week_labels,
    week_mondays,
    week_of,
    week_range,
    weeks_in_year,
)


def test_2026_has_53_weeks_and_its_neighbours_52() -> None:
    assert [weeks_in_year(y) for y in (2025, 2026, 2027)] == [52, 53, 52]


def test_week_53_of_2026_runs_from_28_december_to_3_january() -> None:
    week = parse_week("2026-W53")
    assert week.monday() == dt.date(2026, 12, 28)
    assert week.sunday() == dt.date(2027, 1, 3)
    assert week_of(dt.date(2027, 1, 1)) == week


def test_week_1_of_2026_starts_in_2025() -> None:
    assert parse_week("2026-W01").monday() == dt.date(2025, 12, 29)
    assert week_of(dt.date(2025, 12, 28)) == Week(2025, 52)


def test_stepping_over_both_year_boundaries() -> None:
    assert iso_label(parse_week("2025-W52") + 1) == "2026-W01"
    assert iso_label(parse_week("2026-W52") + 1) == "2026-W53"
    assert iso_label(parse_week("2026-W53") + 1) == "2027-W01"
    labels = [iso_label(w) for w in week_range(parse_week("2026-W52"), parse_week("2027-W02"))]
    assert labels == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]


@pytest.mark.parametrize("text", ["2027-W53", "2026-W54", "2026-W00", "uge 53 2027"])
def test_weeks_that_do_not_exist_are_refused(text: str) -> None:
    # isoweek.Week(2027, 53) would silently become 2028-W01.
    with pytest.raises(WeekError, match="har kun uge 1 til"):
        parse_week(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-W11", "2026-W11"), ("2026W11", "2026-W11"), ("uge 11 2026", "2026-W11"), (" Uge 5 2026 ", "2026-W05")],
)
def test_week_texts_users_write_are_understood(text: str, expected: str) -> None:
    assert iso_label(parse_week(text)) == expected


def test_a_week_without_year_needs_a_default_year() -> None:
    with pytest.raises(WeekError, match="skriv året med"):
        parse_week("uge 11")
    assert iso_label(parse_week("uge 11", default_year=2026)) == "2026-W11"


def test_garbage_is_not_a_week() -> None:
    with pytest.raises(WeekError, match="er ikke en uge"):
        parse_week("marts")


def test_danish_labels_and_dates() -> None:
    assert week_label(Week(2026, 11)) == "uge 11"
    assert week_label(Week(2027, 1), with_year=True) == "uge 1 2027"
    assert danish_long_date(dt.date(2026, 3, 9)) == "9. marts 2026"
    assert danish_date(dt.date(2026, 3, 9)) == "09.03.2026"
    assert danish_month(dt.date(2026, 10, 1)) == "oktober"


def test_vectorised_labels_agree_with_isoweek_for_every_day_of_three_years() -> None:
    days = pd.Series(pd.date_range("2025-01-01", "2027-12-31", freq="D"))
    expected = [iso_label(Week.withdate(d.date())) for d in days]
    assert week_labels(days).tolist() == expected


def test_vectorised_mondays_agree_with_isoweek() -> None:
    labels = pd.Series(["2026-W01", "2026-W11", "2026-W53", "2027-W01"])
    assert [d.date() for d in week_mondays(labels)] == [parse_week(x).monday() for x in labels]


def test_vectorised_labels_agree_with_isoweek_over_the_whole_planning_horizon() -> None:
    days = pd.Series(pd.date_range("1999-12-27", "2101-01-09", freq="3D"))
    expected = [iso_label(Week.withdate(d.date())) for d in days]
    assert week_labels(days).tolist() == expected


def test_labels_keep_four_digit_years_below_1000() -> None:
    # The CLI promises `2026-W11`: a year typo like 0226 must not print as 226-W10.
    days = pd.Series(np.array(["0226-03-09", "0001-01-01"], dtype="datetime64[us]"))
    assert week_labels(days).tolist() == [iso_label(Week.withdate(d)) for d in (dt.date(226, 3, 9), dt.date(1, 1, 1))]
    assert week_labels(days).str.len().tolist() == [8, 8]


def test_vectorised_mondays_work_for_any_year_isoweek_knows() -> None:
    labels = pd.Series(["0001-W01", "0226-W10", "2026-W53", "9999-W52"])
    assert [d.date() for d in week_mondays(labels)] == [parse_week(x).monday() for x in labels]


@pytest.mark.parametrize("label", ["2027-W53", "2026-W54", "2026-W00", "226-W10", "", "uge 11"])
def test_vectorised_mondays_refuse_a_label_that_is_not_a_week_rather_than_roll_over(label: str) -> None:
    with pytest.raises(WeekError):
        week_mondays(pd.Series(["2026-W11", label]))


def test_a_missing_date_has_no_week_label() -> None:
    labels = week_labels(pd.Series(pd.to_datetime(["2026-03-09", None])))
    assert labels.iloc[0] == "2026-W11"
    assert pd.isna(labels.iloc[1])
