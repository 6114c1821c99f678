import datetime as dt

from planner import Plan
from planner.calendar import poor_weeks, public_holidays


def test_holiday_names_are_danish_whatever_the_locale() -> None:
    names = set(public_holidays([2026])["name"])
    assert {"Skærtorsdag", "Langfredag", "Kristi himmelfartsdag", "Anden pinsedag", "Grundlovsdag"} <= names


def test_store_bededag_is_gone_and_1_may_is_a_working_day() -> None:
    days = public_holidays([2026])
    assert "Store bededag" not in set(days["name"])
    assert dt.datetime(2026, 5, 1) not in set(days["date"])


def test_weekend_holidays_do_not_make_a_week_poor() -> None:
    days = public_holidays([2026])
    assert "Påskedag" not in set(days["name"])  # a Sunday
    assert (days["date"].dt.day_of_week < 5).all()


def test_poor_weeks_of_2026_include_school_and_public_holidays(sample_plan: Plan) -> None:
    poor = poor_weeks(sample_plan.school_holidays, [2026, 2027]).set_index("week")["reason"]
    assert poor["2026-W42"] == "efterårsferie"
    assert "Kristi himmelfartsdag" in poor["2026-W20"]
    assert "vinterferie" in poor["2026-W07"]
    assert "nytårsdag" in poor["2026-W53"]  # 1 January 2027 lies in week 53 of 2026
    assert "2026-W11" not in poor.index


def test_poor_week_reasons_write_holidays_in_lower_case_as_danish_does(sample_plan: Plan) -> None:
    poor = poor_weeks(sample_plan.school_holidays, [2026]).set_index("week")["reason"]
    assert poor["2026-W14"] == "påskeferie, skærtorsdag, langfredag"
    assert poor["2026-W15"] == "anden påskedag"
    assert poor["2026-W20"] == "Kristi himmelfartsdag"  # a proper name keeps its capital
