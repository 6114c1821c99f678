"""Expanding the week-plan template for every wave and unit into a concrete, dated schedule."""

from __future__ import annotations

import pandas as pd

from .isoweeks import week_labels, week_mondays
from .model import Plan
from .schema import SCHEDULE_COLUMNS

__all__ = ["schedule", "wave_calendar"]

_WEEK = pd.Timedelta(days=7)


def wave_calendar(plan: Plan) -> pd.DataFrame:
    """Return each wave's anchor week and data cut-off: wave, name, anchor_monday, anchor_week, cutoff."""
    waves = plan.waves[["wave", "name", "follow_up_month"]].copy()
    first = pd.to_datetime(waves["follow_up_month"] + "-01", format="%Y-%m-%d")
    # The anchor is the ISO week holding the 1st of the follow-up month: March 2026 -> uge 9,
    # which puts the minutes' orientation in uge 9-10 and the workshop in uge 11.
    waves["anchor_monday"] = first - pd.to_timedelta(first.dt.day_of_week, unit="D")
    waves["anchor_week"] = week_labels(waves["anchor_monday"])
    # Follow-up in a month is done on data as of the last day of the month before.
    waves["cutoff"] = first - pd.Timedelta(days=1)
    return waves


def _template_rows(plan: Plan) -> pd.DataFrame:
    units = plan.units.rename(columns={"name": "unit", "source": "unit_source"})
    departments = plan.departments.rename(columns={"name": "department"})[["department_id", "department"]]
    waves = wave_calendar(plan).rename(columns={"name": "wave_name"})
    rows = (
        plan.assignments[["unit_id", "wave"]]
        .merge(units[["unit_id", "unit", "department_id"]], on="unit_id")
        .merge(departments, on="department_id")
        .merge(waves[["wave", "wave_name", "anchor_monday"]], on="wave")
    )
    template = plan.template.rename(columns={"title": "activity"}).reset_index(names="order")
    rows = rows.merge(template, how="cross")
    anchor = rows["anchor_monday"]
    start = anchor + rows["offset_weeks"].astype("int64") * _WEEK
    overrides = plan.overrides[["unit_id", "activity_id", "start_week", "source"]].rename(
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
    waves = plan.waves.rename(columns={"name": "wave_name"})[["wave", "wave_name"]]
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
_TYPES = {"wave": "Int64", "start_date": "datetime64[us]", "end_date": "datetime64[us]", "hours": "Float64"}


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
    rows["start_week"] = week_labels(rows["start_date"])
    rows["end_week"] = week_labels(rows["end_date"])
    for text in ("unit_id", "unit", "department_id", "department", "wave_name", "participants", "lead"):
        rows[text] = rows[text].astype("string").fillna("")
    rows["wave"] = rows["wave"].astype("Int64")
    rows = rows.sort_values(["start_date", "wave", "department", "unit", "order"], kind="stable", ignore_index=True)
    return rows[list(SCHEDULE_COLUMNS)]
