import datetime as dt

from planner.timeaxis import month_ticks, padded_range, plan_span, week_ticks


def test_week_ticks_cross_week_53_into_2027_on_mondays() -> None:
    values, labels = week_ticks(dt.date(2026, 12, 21), dt.date(2027, 1, 11))
    assert values == ["2026-12-21", "2026-12-28", "2027-01-04", "2027-01-11"]
    assert labels == ["uge 52<br>2026", "uge 53", "uge 1<br>2027", "uge 2"]


def test_every_week_tick_is_a_monday_inside_the_range_and_never_too_many() -> None:
    values, labels = week_ticks(dt.date(2025, 11, 28), dt.date(2027, 3, 1))
    days = [dt.date.fromisoformat(v) for v in values]
    assert all(d.weekday() == 0 for d in days)
    assert days[0] >= dt.date(2025, 11, 28)
    assert len(values) <= 12
    assert sum("<br>" in label for label in labels) == 3  # 2025, 2026 and 2027 each named once
    assert len(week_ticks(dt.date(2025, 11, 28), dt.date(2027, 3, 1), max_ticks=4)[0]) <= 4


def test_month_labels_are_danish_with_the_year_where_it_changes() -> None:
    values, labels = month_ticks(dt.date(2026, 11, 2), dt.date(2027, 2, 1))
    assert labels == ["november<br>2026", "december", "januar<br>2027"]
    assert values == ["2026-11-16", "2026-12-16", "2027-01-16"]  # the middle of each month


def test_the_first_month_in_view_names_the_year_and_sits_over_its_weeks_in_view() -> None:
    values, labels = month_ticks(dt.date(2026, 3, 9), dt.date(2026, 5, 3))
    assert labels == ["marts<br>2026", "april"]  # three days of May: no room for a label
    assert values == ["2026-03-20", "2026-04-15"]


def test_month_names_are_short_over_a_long_plan_and_thinned_to_fit() -> None:
    _, labels = month_ticks(dt.date(2025, 12, 1), dt.date(2026, 11, 1))
    assert labels[:3] == ["dec.<br>2025", "jan.<br>2026", "feb."]
    assert len(labels) == 11
    values, labels = month_ticks(dt.date(2025, 12, 1), dt.date(2026, 11, 1), max_labels=6)
    assert len(labels) <= 6 and len(values) == len(labels)
    assert labels[:2] == ["dec.<br>2025", "feb.<br>2026"]  # the year comes back where it changes


def test_the_range_widens_so_a_mark_near_the_edge_is_not_cut() -> None:
    first, last = dt.date(2025, 12, 1), dt.date(2026, 11, 2)
    assert padded_range(first, last, [dt.date(2025, 12, 2)]) == (dt.date(2025, 11, 29), last)
    assert padded_range(first, last, [dt.date(2026, 6, 1)]) == (first, last)


def test_the_span_runs_from_a_monday_to_the_monday_after_the_last_day(sample_schedule) -> None:  # type: ignore[no-untyped-def]
    first, last = plan_span(sample_schedule)
    assert first == dt.date(2026, 1, 19) and first.weekday() == 0
    # Every activity ends on a Sunday: the span ends the next day.
    assert last == sample_schedule["end_date"].max().date() + dt.timedelta(days=1) and last.weekday() == 0
