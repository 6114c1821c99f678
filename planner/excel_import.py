"""Reading an edited week plan back as a change to the plan, previewed before anything is saved.

The import is three-way: a row counts as an edit only where it differs from what was exported
(the workbook's hidden snapshot, see `excel_scope`), and only units the workbook covers can change.
A row left out of the file changes nothing; an activity is removed only when its row is marked in
the `Slet` column. Edits that cannot be taken are refused naming the cell and why; edits to columns
the import does not read are reported as notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .checks import check, has_errors
from .diff import diff_schedules
from .errors import PlanError, Problem
from .excel import ACTIVITY_SHEET
from .excel_scope import Scope, scope_of_rows
from .excel_upload import DELETE_HEADING, MAX_UPLOAD_BYTES, Upload, read_activity_sheet, read_upload
from .import_rows import Requests, read_rows
from .model import Plan
from .scheduler import schedule
from .schema import TABLES
from .views import slug

__all__ = [
    "MAX_UPLOAD_BYTES",
    "ImportPreview",
    "plan_from_upload",
    "preview_import",
    "read_activity_sheet",
    "summary_line",
]

# The override columns an upload cannot change: what the workbook does not show.
_OVERRIDE_EXTRAS = ("weekday", "time", "pinned")


def _filled(value: object) -> bool:
    return isinstance(value, str) and value != ""


@dataclass(frozen=True, eq=False)
class ImportPreview:
    """The plan an upload would give, what changes, what the checks say, and notes on edits not taken."""

    plan: Plan
    changes: pd.DataFrame
    findings: pd.DataFrame
    notes: list[Problem] = field(default_factory=list)
    scope: str = ""

    @property
    def accepted(self) -> bool:
        """True when the new plan has no finding of severity error."""
        return not has_errors(self.findings)

    @property
    def removals(self) -> int:
        """Return how many activities the import removes (each needs an explicit Slet mark)."""
        return int((self.changes["change"] == "fjernet").sum())

    @property
    def summary(self) -> str:
        """Return the one-line summary that heads the preview: `1 aktivitet flyttes, 0 fjernes`."""
        return summary_line(self.changes)


def summary_line(changes: pd.DataFrame) -> str:
    """Return `1 aktivitet flyttes, 0 tilføjes, 0 fjernes` for a table of schedule changes."""
    counts = changes["change"].value_counts()

    def n(word: str, verb: str) -> str:
        k = int(counts.get(word, 0))
        return f"{k} {'aktivitet' if k == 1 else 'aktiviteter'} {verb}"

    return f"{n('flyttet', 'flyttes')}, {n('tilføjet', 'tilføjes')}, {n('fjernet', 'fjernes')}"


def _new_task_id(title: str, taken: set[str]) -> str:
    base = slug(title)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _unit_waves(plan: Plan, work: Requests) -> tuple[dict[str, int], set[str]]:
    """Return units moved to another wave and units taken out of their wave, or add problems."""
    current = {str(u): int(w) for u, w in zip(plan.assignments["unit_id"], plan.assignments["wave"], strict=True)}
    moved: dict[str, int] = {}
    for unit, asked in work.waves.items():
        rows = sorted(asked)
        if len(set(asked.values())) > 1:
            work.problems.append(
                Problem(
                    ACTIVITY_SHEET,
                    rows[0],
                    "Bølge",
                    f"enheden '{unit}' står i flere bølger: {sorted(set(asked.values()))}",
                )
            )
        elif work.unchanged_wave.get(unit):
            others = ", ".join(str(x) for x in work.unchanged_wave[unit])
            work.problems.append(
                Problem(
                    ACTIVITY_SHEET,
                    rows[0],
                    "Bølge",
                    f"bølgen er ændret her, men ikke i række {others}; "
                    "en enhed er i én bølge – ret alle enhedens rækker",
                )
            )
        else:
            wave = next(iter(asked.values()))
            if current.get(unit) != wave:  # a row naming the wave the unit is already in moves nothing
                moved[unit] = wave
    removed: set[str] = set()
    for unit, rows in work.delete_rows.items():
        if work.keep_rows.get(unit):
            work.problems.append(
                Problem(
                    ACTIVITY_SHEET,
                    rows[0],
                    DELETE_HEADING,
                    "en enkelt aktivitet fra ugeplanens skabelon kan ikke slettes for én enhed; markér alle "
                    f"enhedens rækker med Slet for at tage enheden ud af bølgen (ikke markeret: række "
                    f"{', '.join(str(x) for x in work.keep_rows[unit])})",
                )
            )
        else:
            removed.add(unit)
    assigned = set(plan.assignments["unit_id"])
    for unit in list(moved):
        if unit not in assigned:
            missing = set(plan.template["activity_id"]) - {a for (u, a) in work.starts if u == unit}
            if missing:
                work.problems.append(
                    Problem(
                        ACTIVITY_SHEET,
                        min(work.waves[unit]),
                        "Aktivitets-id",
                        f"enheden '{unit}' er ny i en bølge og mangler {', '.join(sorted(missing))}",
                    )
                )
    return moved, removed


def plan_from_upload(plan: Plan, upload: Upload) -> tuple[Plan, list[Problem], Scope]:
    """Return the plan the workbook asks for, notes on edits not taken, and what the workbook covers.

    Raises PlanError naming sheet, row and column when an edit cannot be taken.
    """
    rows = upload.rows
    ids = [str(u) for u, a in zip(rows.get("unit_id", []), rows.get("activity_id", []), strict=True) if a]
    scope = upload.scope or scope_of_rows(ids)
    work = Requests()
    if upload.grid_note:
        work.notes.append(Problem("Ugeplan", None, None, upload.grid_note))
    read_rows(plan, upload, scope, work)
    moved, removed = _unit_waves(plan, work)
    if work.problems:
        raise PlanError(work.problems)

    stamp = f"Excel-import {dt.date.today():%d.%m.%Y}"
    assignments = plan.assignments[~plan.assignments["unit_id"].isin(removed)].copy()
    for unit, wave in moved.items():
        if unit in set(assignments["unit_id"]):
            here = assignments["unit_id"] == unit
            assignments.loc[here, "wave"] = wave
            assignments.loc[here, "source"] = stamp
        else:
            assignments = pd.concat(
                [assignments, pd.DataFrame([{"unit_id": unit, "wave": wave, "source": stamp}])], ignore_index=True
            )
    # Weeks the template gives with the new waves; an edited week that differs becomes an override.
    expected = schedule(plan.with_tables(assignments=assignments, overrides=plan.overrides.iloc[0:0]))
    expected_start = dict(
        zip(zip(expected["unit_id"], expected["activity_id"], strict=True), expected["start_week"], strict=True)
    )
    overrides = {
        (r["unit_id"], r["activity_id"]): r
        for r in plan.overrides.to_dict("records")
        if r["unit_id"] not in removed and r["unit_id"] not in moved
    }
    for (unit, activity), (_, start) in work.starts.items():
        if unit in removed:
            continue
        old = overrides.get((unit, activity))
        # An override also carries the lock, weekday and time the workbook does not show: a new week
        # keeps them, and only an override with nothing else to say goes when the week is the template's.
        extra = {c: old[c] for c in _OVERRIDE_EXTRAS if old is not None and _filled(old.get(c))}
        if expected_start.get((unit, activity)) == start and not extra:
            overrides.pop((unit, activity), None)
        elif old is None or old["start_week"] != start:
            row: dict[Hashable, Any] = {"unit_id": unit, "activity_id": activity, "start_week": start, "source": stamp}
            row.update(extra)
            overrides[unit, activity] = row
    columns = TABLES["overrides"].column_names
    new_overrides = pd.DataFrame([{c: o.get(c, "") for c in columns} for o in overrides.values()], columns=columns)

    tasks = plan.tasks[~plan.tasks["task_id"].isin(work.deleted_tasks)].copy()
    for task, changed in work.tasks.items():
        at = tasks.index[tasks["task_id"] == task]
        for column, value in changed.items():
            if column != "row":
                tasks[column] = tasks[column].astype(object)
                tasks.loc[at, column] = value
    taken = set(plan.tasks["task_id"]) | set(plan.template["activity_id"])
    added = pd.DataFrame(
        [
            {
                "task_id": _new_task_id(t["title"], taken),
                "title": t["title"],
                "kind": t["kind"],
                "unit_id": t["unit_id"],
                "start_week": t["start_week"],
                "end_week": t["end_week"],
                "source": stamp,
            }
            for t in work.new_tasks
        ]
    )
    if len(added):
        tasks = pd.concat([tasks, added], ignore_index=True)
    deps = plan.dependencies
    deps = deps[~deps["predecessor"].isin(work.deleted_tasks) & ~deps["successor"].isin(work.deleted_tasks)]
    new = plan.with_tables(assignments=assignments, overrides=new_overrides, tasks=tasks, dependencies=deps)
    return new, work.notes, scope


def preview_import(plan: Plan, data: bytes) -> ImportPreview:
    """Read an uploaded workbook and return the plan it gives, its changes and findings; nothing is applied."""
    new, notes, scope = plan_from_upload(plan, read_upload(data))
    new_schedule = schedule(new)
    return ImportPreview(
        new, diff_schedules(schedule(plan), new_schedule), check(new, new_schedule), notes, scope.describe(plan)
    )
