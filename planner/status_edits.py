"""Edits that record what happened: a status, a note, a postponement, a new baseline; each returns a new plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .checks import ERROR, check
from .errors import PlanError, Problem
from .followers import followers
from .isoweeks import WeekError, iso_label, parse_week
from .model import Plan
from .new_findings import new_findings
from .scheduler import schedule
from .schema import STATUSES

__all__ = ["Postponement", "baseline_table", "postpone", "preview_postpone", "set_baseline", "set_status"]


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


def _moved(plan: Plan, row: dict[str, object], target: str, source: str) -> Plan:
    """Return `plan` with the activity of schedule `row` starting in `target`, its length kept."""
    start = parse_week(str(row["start_week"]))
    if row["activity_key"] == row["activity_id"]:  # a one-off task: its key is its id
        tasks = plan.tasks.astype(object).copy()
        here = tasks["task_id"] == row["activity_key"]
        tasks.loc[here, "start_week"] = target
        tasks.loc[here, "end_week"] = iso_label(parse_week(str(row["end_week"])) + (parse_week(target) - start))
        return plan.with_tables(tasks=tasks)
    overrides = plan.overrides.astype(object).copy()
    here = (overrides["unit_id"] == row["unit_id"]) & (overrides["activity_id"] == row["activity_id"])
    if here.any():  # its own day and time, if any, stay
        overrides.loc[here, ["start_week", "source"]] = [target, source]
    else:
        extra = {"unit_id": row["unit_id"], "activity_id": row["activity_id"], "start_week": target}
        overrides = pd.concat([overrides, pd.DataFrame([extra | {"source": source}])], ignore_index=True)
    return plan.with_tables(overrides=overrides)


def _target(sched: pd.DataFrame, key: str, week: str) -> tuple[dict[str, object], str]:
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
    return row, iso_label(target)


def postpone(
    plan: Plan,
    sched: pd.DataFrame,
    key: str,
    week: str,
    *,
    source: str,
    note: str | None = None,
    with_followers: bool = False,
) -> Plan:
    """Return `plan` with activity `key` starting in `week` (later than now) and marked `udskudt`.

    A template activity gets an override for its unit; a one-off task moves with its length kept.
    With `with_followers`, what depends on it moves too (see `followers`). The baseline is left as
    it was, so the moves show as slip.
    """
    row, target = _target(sched, key, week)
    moved = _moved(plan, row, target, source)
    if with_followers:
        because = f"{source}; flyttet med {row['activity']}" + (f" ({row['unit']})" if row["unit"] else "")
        for follower in followers(plan, sched, key, target).to_dict("records"):
            moved = _moved(moved, _row(sched, str(follower["activity_key"])), str(follower["new_start_week"]), because)
    return set_status(moved, schedule(moved), key, "udskudt", source=source, note=note)


@dataclass(frozen=True, eq=False)
class Postponement:
    """A postponement before it is saved: the plan it makes, what moves with it, and what the checks add."""

    plan: Plan
    followers: pd.DataFrame  # `FOLLOWER_COLUMNS`: moved with it (empty when they are left)
    left: pd.DataFrame  # `FOLLOWER_COLUMNS`: what would have to move but is left where it is
    added: pd.DataFrame  # findings (`FINDING_COLUMNS`) the plan did not have before

    @property
    def errors(self) -> pd.DataFrame:
        """Return the new findings that are errors."""
        return self.added[self.added["severity"] == ERROR]


def preview_postpone(
    plan: Plan,
    sched: pd.DataFrame,
    key: str,
    week: str,
    *,
    source: str,
    note: str | None = None,
    with_followers: bool = True,
    as_of: dt.date | None = None,
    findings: pd.DataFrame | None = None,
) -> Postponement:
    """Return what postponing `key` to `week` does: the plan's own problems it adds, as of `as_of`.

    `findings` may pass the plan's findings if already made the same way
    (`check(plan, sched, as_of=as_of, progress=False)`); status findings are left out on both sides,
    so a warning the plan already had is never reported as new. Nothing is saved: the page shows
    this, and saves `plan` only when it is accepted.
    """
    _, target = _target(sched, key, week)
    behind = followers(plan, sched, key, target)
    after = postpone(plan, sched, key, target, source=source, note=note, with_followers=with_followers)
    before = check(plan, sched, as_of=as_of, progress=False) if findings is None else findings
    added = new_findings(before, check(after, schedule(after), as_of=as_of, progress=False))
    empty = behind.iloc[0:0]
    return Postponement(after, behind if with_followers else empty, empty if with_followers else behind, added)


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
