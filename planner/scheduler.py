"""Expanding the week-plan template for every wave and unit into a concrete, dated schedule."""

from __future__ import annotations

import pandas as pd

from .isoweeks import danish_month, week_labels, week_mondays
from .model import Plan
from .schema import SCHEDULE_COLUMNS

__all__ = ["schedule", "wave_calendar"]

_WEEK = pd.Timedelta(days=7)


def wave_calendar(plan: Plan) -> pd.DataFrame:
    """Return each wave's anchor week, data cut-off and the Monday of the last week starting in its month.

    Columns: wave, name, follow_up_month, anchor_monday, anchor_week, cutoff, last_monday.
    """
    waves = plan.waves[["wave", "name", "follow_up_month"]].copy()
    first = pd.to_datetime(waves["follow_up_month"] + "-01", format="%Y-%m-%d")
    # The anchor is the ISO week holding the 1st of the follow-up month: March 2026 -> uge 9,
    # which puts the minutes' orientation in uge 9-10 and the workshop in uge 11.
    waves["anchor_monday"] = first - pd.to_timedelta(first.dt.day_of_week, unit="D")
    waves["anchor_week"] = week_labels(waves["anchor_monday"])
    # Follow-up in a month is done on data as of the last day of the month before.
    waves["cutoff"] = first - pd.Timedelta(days=1)
    # A wave's activity has slipped past its follow-up month when it starts after the month's last
    # week: the one definition the advice and the progress checks share.
    month_end = first + pd.offsets.MonthEnd(0)
    waves["last_monday"] = month_end - pd.to_timedelta(month_end.dt.day_of_week, unit="D")
    return waves


def _month_text(months: pd.Series) -> pd.Series:
    """Return `marts 2026` for every `2026-03`."""
    names = {m: danish_month(pd.Timestamp(f"{m}-01").date(), with_year=True) for m in months.dropna().unique() if m}
    return months.map(lambda m: names.get(m, "")).astype("string")


def _cite_moved_pattern(rows: pd.DataFrame) -> pd.Series:
    """Return each row's source; a wave that reuses another month's week plan says it moved it.

    The minutes give week numbers for March only: May and October rows must not cite them as if
    decided for their own month.
    """
    decided = rows["decided_for"].astype("string").fillna("")
    moved = (decided != "") & (decided != rows["follow_up_month"])
    if not moved.any():
        return rows["source"]
    text = (
        "Følger ugeplanen besluttet for "
        + _month_text(decided)
        + ", flyttet til bølgens opfølgningsmåned "
        + _month_text(rows["follow_up_month"])
        + " ("
        + _month_text(decided).str.split(" ").str[0]
        + ": "
        + rows["source"]
        + ")"
    )
    return rows["source"].where(~moved, text)


def _template_rows(plan: Plan) -> pd.DataFrame:
    units = plan.units.rename(columns={"name": "unit", "source": "unit_source"})
    departments = plan.departments.rename(columns={"name": "department"})[["department_id", "department"]]
    waves = wave_calendar(plan).rename(columns={"name": "wave_name"})
    template = plan.template.rename(columns={"title": "activity"}).reset_index(names="order")
    # Each wave's copy of the week plan is made once (waves x activities), so the source texts are
    # built for a handful of rows, not for every unit.
    patterns = waves[["wave", "wave_name", "follow_up_month", "anchor_monday", "cutoff"]].merge(template, how="cross")
    patterns["source"] = _cite_moved_pattern(patterns)
    rows = (
        plan.assignments[["unit_id", "wave"]]
        .merge(units[["unit_id", "unit", "department_id"]], on="unit_id")
        .merge(departments, on="department_id")
        .merge(patterns, on="wave")
    )
    anchor = rows["anchor_monday"]
    start = anchor + rows["offset_weeks"].astype("int64") * _WEEK
    overrides = plan.overrides[["unit_id", "activity_id", "start_week", "weekday", "time", "source"]].rename(
        columns={"source": "override_source"}
    )
    if len(overrides):
        moved = rows[["unit_id", "activity_id"]].merge(overrides, how="left", on=["unit_id", "activity_id"])
        has = moved["start_week"].notna().to_numpy()
        if has.any():
            start = start.where(~has, week_mondays(moved["start_week"].where(has, "2026-W01")))
            rows["source"] = rows["source"].where(
                ~has, rows["source"] + "; afvigelse: " + moved["override_source"].astype("string")
            )
            # A unit's own day or time wins; what it leaves empty comes from the template.
            for column in ("weekday", "time"):
                own = moved[column].fillna("").to_numpy() != ""
                rows[column] = rows[column].where(~own, moved[column].to_numpy())
    rows["start_date"] = start
    rows["end_date"] = start + rows["length_weeks"].astype("int64") * _WEEK - pd.Timedelta(days=1)
    has_window = rows["window_from"].notna()
    for side, column in (("window_start_week", "window_from"), ("window_end_week", "window_to")):
        monday = anchor + rows[column].fillna(0).astype("int64") * _WEEK
        rows[side] = week_labels(monday).where(has_window, "")
    rows["activity_key"] = "b" + rows["wave"].astype("string") + "/" + rows["unit_id"] + "/" + rows["activity_id"]
    return rows


def _task_rows(plan: Plan) -> pd.DataFrame:
    tasks = plan.tasks.rename(columns={"task_id": "activity_id", "title": "activity"})
    units = plan.units.rename(columns={"name": "unit"})[["unit_id", "unit", "department_id"]]
    departments = plan.departments.rename(columns={"name": "department"})[["department_id", "department"]]
    waves = wave_calendar(plan).rename(columns={"name": "wave_name"})[["wave", "wave_name", "cutoff"]]
    rows = tasks.merge(units, how="left", on="unit_id").merge(departments, how="left", on="department_id")
    rows = rows.merge(waves, how="left", on="wave")
    rows["start_date"] = week_mondays(rows["start_week"])
    rows["end_date"] = week_mondays(rows["end_week"]) + pd.Timedelta(days=6)
    rows["window_start_week"] = ""
    rows["window_end_week"] = ""
    rows["activity_key"] = rows["activity_id"]
    rows["order"] = -1
    return rows


# The types of a schedule's columns; text for every column not named.
_TYPES = {
    "wave": "Int64",
    "start_date": "datetime64[us]",
    "end_date": "datetime64[us]",
    "data_cutoff": "datetime64[s]",
    "hours": "Float64",
}


def _empty_schedule() -> pd.DataFrame:
    # A new plan has no activities yet: its schedule is empty but typed like any other, so `.dt`,
    # comparisons and exports work on it unchanged.
    return pd.DataFrame({c: pd.Series(dtype=_TYPES.get(c, "string")) for c in SCHEDULE_COLUMNS})


def schedule(plan: Plan) -> pd.DataFrame:
    """Return one row per concrete activity, columns `schema.SCHEDULE_COLUMNS`, sorted by start."""
    parts = [frame for frame in (_template_rows(plan), _task_rows(plan)) if len(frame)]
    if not parts:
        return _empty_schedule()
    rows = pd.concat(parts, ignore_index=True)
    rows["data_cutoff"] = rows["cutoff"].astype("datetime64[s]")
    rows["start_week"] = week_labels(rows["start_date"])
    rows["end_week"] = week_labels(rows["end_date"])
    text_columns = ("unit_id", "unit", "department_id", "department", "wave_name", "participants", "lead")
    for text in (*text_columns, "weekday", "time"):
        rows[text] = rows[text].astype("string").fillna("")
    rows["wave"] = rows["wave"].astype("Int64")
    rows = rows.sort_values(["start_date", "wave", "department", "unit", "order"], kind="stable", ignore_index=True)
    return rows[list(SCHEDULE_COLUMNS)]
