"""The time axis of the plan: its span, Monday week ticks and Danish month ticks."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .isoweeks import danish_month

__all__ = ["month_ticks", "plan_span", "week_ticks"]


def plan_span(schedule: pd.DataFrame, milestones: pd.DataFrame | None = None) -> tuple[dt.date, dt.date]:
    """Return the Monday before the first activity or milestone and the Monday after the last one."""
    starts = [schedule["start_date"].min()] if len(schedule) else []
    ends = [schedule["end_date"].max()] if len(schedule) else []
    if milestones is not None and len(milestones):
        starts.append(milestones["date"].min())
        ends.append(milestones["date"].max())
    if not starts:
        today = dt.date.today()
        return today - dt.timedelta(days=today.weekday()), today + dt.timedelta(days=7 - today.weekday())
    first = pd.Timestamp(min(starts)).date()
    last = pd.Timestamp(max(ends)).date()
    return first - dt.timedelta(days=first.weekday()), last + dt.timedelta(days=7 - last.weekday())


def week_ticks(first: dt.date, last: dt.date, *, max_ticks: int = 16) -> tuple[list[str], list[str]]:
    """Return Monday tick positions (`2026-03-09`) and labels (`uge 11`) from `first` to `last`.

    Computed here, not by Plotly's `dtick`, which puts weekly ticks on Sundays. Week 1 of a year,
    and the first tick, carry the year on a second line so the year change is visible.
    """
    monday = first - dt.timedelta(days=first.weekday())
    weeks = (last - monday).days // 7 + 1
    step = next(s for s in (1, 2, 4, 8, 13, 26, 52, 10_000) if weeks / s <= max_ticks)
    values: list[str] = []
    labels: list[str] = []
    for i in range(0, weeks, step):
        day = monday + dt.timedelta(weeks=i)
        year, week, _ = day.isocalendar()
        if i == 0 or week <= step:
            labels.append(f"uge {week}<br>{year}")
        else:
            labels.append(f"uge {week}")
        values.append(day.isoformat())
    return values, labels


def month_ticks(first: dt.date, last: dt.date) -> tuple[list[str], list[str]]:
    """Return the first day of each month from `first` to `last` and its Danish name (with year in January).

    Over more than six months the names are short (`mar.`), so they fit side by side.
    """
    values: list[str] = []
    labels: list[str] = []
    short = (last - first).days > 190
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        values.append(day.isoformat())
        with_year = day.month == 1 or not labels
        labels.append(danish_month(day, with_year=with_year, short=short))
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return values, labels
