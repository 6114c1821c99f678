"""Edits that record what happened: a status, a note, a postponement, a new baseline; each returns a new plan."""

from __future__ import annotations

import pandas as pd

from .errors import PlanError, Problem
from .isoweeks import WeekError, iso_label, parse_week
from .model import Plan
from .scheduler import schedule
from .schema import STATUSES

__all__ = ["baseline_table", "postpone", "set_baseline", "set_status"]


def _row(sched: pd.DataFrame, key: str) -> dict[str, object]:
    hit = sched[sched["activity_key"] == key]
    if hit.empty:
        raise PlanError(Problem("", None, "activity_key", f"Aktiviteten '{key}' findes ikke i planen"))
    return dict(hit.iloc[0])


def set_status(plan: Plan, sched: pd.DataFrame, key: str, status: str, *, source: str, note: str | None = None) -> Plan:
    """Return `plan` with activity `key` marked `status`; `note=None` keeps the note it had."""
    if status not in STATUSES:
        raise PlanError(Problem("", None, "status", f"ukendt status '{status}'; tilladt er: {', '.join(STATUSES)}"))
    _row(sched, key)
    table = plan.status
    here = table["activity_key"] == key
    kept = str(table.loc[here, "note"].iloc[0]) if here.any() else ""
    row = {"activity_key": key, "status": status, "note": kept if note is None else note.strip(), "source": source}
    if here.any():
        # Replace in place, so the file and the revision diff stay readable.
        updated = table.astype(object).copy()
        updated.loc[here, list(row)] = list(row.values())
    else:
        updated = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    return plan.with_tables(status=updated)


def postpone(plan: Plan, sched: pd.DataFrame, key: str, week: str, *, source: str, note: str | None = None) -> Plan:
    """Return `plan` with activity `key` starting in `week` (later than now) and marked `udskudt`.

    A template activity gets an override for its unit; a one-off task moves with its length kept.
    The baseline is left as it was, so the move shows as slip.
    """
    row = _row(sched, key)
    try:
        target = parse_week(week)
    except WeekError as exc:
        raise PlanError(Problem("", None, "start_week", str(exc))) from None
    start = parse_week(str(row["start_week"]))
    if target <= start:
        raise PlanError(
            Problem(
                "",
                None,
                "start_week",
                f"uge {target.week} {target.year} ligger ikke efter aktivitetens startuge "
                f"(uge {start.week} {start.year}); vælg en senere uge",
            )
        )
    label = iso_label(target)
    if row["activity_key"] == row["activity_id"]:  # a one-off task: its key is its id
        tasks = plan.tasks.astype(object).copy()
        here = tasks["task_id"] == key
        shift = target - start
        tasks.loc[here, "start_week"] = label
        tasks.loc[here, "end_week"] = iso_label(parse_week(str(row["end_week"])) + shift)
        moved = plan.with_tables(tasks=tasks)
    else:
        overrides = plan.overrides.astype(object).copy()
        here = (overrides["unit_id"] == row["unit_id"]) & (overrides["activity_id"] == row["activity_id"])
        if here.any():
            overrides.loc[here, ["start_week", "source"]] = [label, source]
        else:
            extra = {"unit_id": row["unit_id"], "activity_id": row["activity_id"], "start_week": label}
            overrides = pd.concat([overrides, pd.DataFrame([extra | {"source": source}])], ignore_index=True)
        moved = plan.with_tables(overrides=overrides)
    return set_status(moved, schedule(moved), key, "udskudt", source=source, note=note)


def baseline_table(sched: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Return the schedule's weeks as a baseline table; rows whose weeks are examples say so in `source`."""
    example = sched["source"].astype("string").str.contains("eksempel", regex=False).fillna(False)
    sources = pd.Series(source, index=sched.index, dtype="string").where(~example, source + "; uger: eksempel")
    return pd.DataFrame(
        {
            "activity_key": sched["activity_key"].astype("string"),
            "start_week": sched["start_week"].astype("string"),
            "end_week": sched["end_week"].astype("string"),
            "source": sources,
        }
    ).reset_index(drop=True)


def set_baseline(plan: Plan, sched: pd.DataFrame, *, source: str) -> Plan:
    """Return `plan` with the current schedule as its baseline (slip is measured from here on)."""
    return plan.with_tables(baseline=baseline_table(sched, source=source))
