import datetime as dt

from planner.timeaxis import month_ticks, plan_span, week_ticks


def test_week_ticks_cross_week_53_into_2027_on_mondays() -> None:
    values, labels = week_ticks(dt.date(2026, 12, 21), dt.date(2027, 1, 11))
    assert values == ["2026-12-21", "2026-12-28", "2027-01-04", "2027-01-11"]
    assert labels == ["uge 52<br>2026", "uge 53", "uge 1<br>2027", "uge 2"]


def test_every_week_tick_is_a_monday_over_a_long_plan() -> None:
    values, labels = week_ticks(dt.date(2025, 12, 1), dt.date(2027, 3, 1))
    assert all(dt.date.fromisoformat(v).weekday() == 0 for v in values)
    assert len(values) <= 16
    assert "uge 1<br>2027" in labels or "uge 53" in labels


def test_month_ticks_are_danish_with_the_year_in_january() -> None:
    _, labels = month_ticks(dt.date(2026, 11, 2), dt.date(2027, 2, 1))
    assert labels == ["november 2026", "december", "januar 2027", "februar"]


def test_month_names_are_short_over_a_long_plan() -> None:
    _, labels = month_ticks(dt.date(2025, 12, 1), dt.date(2026, 11, 2))
    assert labels[:3] == ["dec. 2025", "jan. 2026", "feb."]


def test_the_span_runs_from_a_monday_to_the_monday_after_the_last_day(sample_schedule) -> None:  # type: ignore[no-untyped-def]
    first, last = plan_span(sample_schedule)
    assert first == dt.date(2026, 1, 19) and first.weekday() == 0
    # Every activity ends on a Sunday: the span ends the next day.
    assert last == sample_schedule["end_date"].max().date() + dt.timedelta(days=1) and last.weekday() == 0
