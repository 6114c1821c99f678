"""The time axis of the plan: its span, Monday week ticks and Danish month ticks that never overlap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from .isoweeks import danish_month

__all__ = ["month_ticks", "padded_range", "plan_span", "week_ticks"]

_WEEK_STEPS = (1, 2, 3, 4, 6, 8, 13, 26, 52, 10_000)
_MONTH_STEPS = (1, 2, 3, 6, 12, 10_000)


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


def padded_range(first: dt.date, last: dt.date, marks: Iterable[dt.date], days: int = 3) -> tuple[dt.date, dt.date]:
    """Return `first`..`last` widened so that no mark inside it lies within `days` of an edge.

    A diamond on the first day of the range would otherwise be drawn half outside the plot.
    """
    inside = [d for d in marks if first <= d <= last]
    if not inside:
        return first, last
    pad = dt.timedelta(days=days)
    return min(first, min(inside) - pad), max(last, max(inside) + pad)


def week_ticks(first: dt.date, last: dt.date, *, max_ticks: int = 12) -> tuple[list[str], list[str]]:
    """Return Monday tick positions (`2026-03-09`) and labels (`uge 11`) from `first` to `last`.

    Computed here, not by Plotly's `dtick`, which puts weekly ticks on Sundays. At most `max_ticks`
    labels, so they fit side by side; the first label, and the first of a new year, carry the year
    on a second line so the year is always visible.
    """
    monday = first + dt.timedelta(days=-first.weekday() % 7)  # the first Monday on or after `first`
    weeks = (last - monday).days // 7 + 1
    if weeks <= 0:
        return [], []
    step = next(s for s in _WEEK_STEPS if weeks / s <= max_ticks)
    values: list[str] = []
    labels: list[str] = []
    shown_year = None
    for i in range(0, weeks, step):
        day = monday + dt.timedelta(weeks=i)
        if day > last:
            break
        year, week, _ = day.isocalendar()
        labels.append(f"uge {week}" if year == shown_year else f"uge {week}<br>{year}")
        shown_year = year
        values.append(day.isoformat())
    return values, labels


def month_ticks(first: dt.date, last: dt.date, *, max_labels: int = 12) -> tuple[list[str], list[str]]:
    """Return a label position and Danish label for the months in view from `first` to `last`.

    Each label sits in the middle of the part of its month that is in view, so it is centred over
    its weeks; a month with less than two weeks in view gets none (no room). Names are short
    (`mar.`) over more than six months, and at most `max_labels` are written, every second or
    third month when they would not fit side by side. The first label, and the first of a new
    year, carry the year on a second line (`jan.<br>2026`), so a zoomed axis says which year it is.
    """
    parts: list[tuple[dt.date, dt.date, dt.date]] = []  # (first of month, first day in view, last day in view)
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        start, end = max(day, first), min(following - dt.timedelta(days=1), last)
        if (end - start).days >= 13:
            parts.append((day, start, end))
        day = following
    short = (last - first).days > 190
    step = next(s for s in _MONTH_STEPS if len(parts) / s <= max_labels)
    values: list[str] = []
    labels: list[str] = []
    shown_year = None
    for month, start, end in parts[::step]:
        name = danish_month(month, short=short)
        labels.append(name if month.year == shown_year else f"{name}<br>{month.year}")
        shown_year = month.year
        values.append((start + (end - start) / 2).isoformat())
    return values, labels
