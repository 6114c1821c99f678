"""Reading an edited week plan back as a change to the plan, previewed before anything is saved.

The import is three-way: a row counts as an edit only where it differs from what was exported
(the workbook's hidden snapshot, see `excel_scope`), and only units the workbook covers can change.
A row left out of the file changes nothing; an activity is removed only when its row is marked in
the `Slet` column. Edits that cannot be taken are refused naming the cell and why; edits to columns
the import does not read are reported as notes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from .checks import check, has_errors
from .diff import diff_schedules
from .errors import PlanError, Problem
from .excel import ACTIVITY_SHEET, ACTIVITY_SHEET_COLUMNS
from .excel_scope import Scope, scope_of_rows
from .excel_upload import DELETE_HEADING, MAX_UPLOAD_BYTES, GridBar, Upload, read_activity_sheet, read_upload
from .import_weeks import Cells, Span, resolve_weeks
from .model import Plan
from .scheduler import schedule
from .schema import ACTIVITY_KINDS, TABLES
from .views import slug

__all__ = [
    "MAX_UPLOAD_BYTES",
    "ImportPreview",
    "plan_from_upload",
    "preview_import",
    "read_activity_sheet",
    "summary_line",
]

_KIND_CODES = {label: code for code, label in ACTIVITY_KINDS.items()} | {code: code for code in ACTIVITY_KINDS}
_HEADING = {column: heading for heading, column, _ in ACTIVITY_SHEET_COLUMNS}
_NO = {"", "nej", "0", "false", "falsk", "n"}
# Columns the import never reads back: names and the key are shown for reading, not for editing.
_NOT_READ = ("activity_key", "department", "unit", "source")
# Columns of a template activity that hold for every unit: a change for one unit cannot be taken.
_TEMPLATE_WIDE = ("activity", "kind", "hours", "participants", "lead")
_TASK_FIELDS = ("activity", "kind", "hours", "participants", "lead")
# A row with no exported weeks (a new row, a unit new in a wave): every week it names is asked for.
_NOTHING = Span("1900-W01", "1900-W01")


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


def _norm(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    try:  # 2 and 2.0, 0,5 and 0.5 are the same number
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else str(number)


def _marked(value: str) -> bool:
    return value.strip().lower() not in _NO


@dataclass
class _Work:
    """What the rows ask for, gathered before the new plan is built."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    starts: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # (unit, activity) -> row, week
    waves: dict[str, dict[int, int]] = field(default_factory=dict)  # unit -> row -> wave asked for
    unchanged_wave: dict[str, list[int]] = field(default_factory=dict)  # unit -> rows keeping the wave
    delete_rows: dict[str, list[int]] = field(default_factory=dict)  # unit -> rows marked Slet
    keep_rows: dict[str, list[int]] = field(default_factory=dict)  # unit -> template rows not marked
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)  # task id -> changed fields
    deleted_tasks: set[str] = field(default_factory=set)
    new_tasks: list[dict[str, Any]] = field(default_factory=list)


def _exported(plan: Plan, scope: Scope) -> dict[tuple[str, str], dict[str, str]]:
    """Return each activity's values as exported: the workbook's snapshot, else the plan as it is now."""
    if scope.snapshot is not None:
        frame = scope.snapshot
    else:
        frame = schedule(plan)[["unit_id", "activity_id", "wave", "start_week", "end_week", "unit", "activity"]]
        frame = frame.astype("string").fillna("")
    records = cast(list[dict[str, str]], frame.to_dict("records"))
    return {(str(r["unit_id"]), str(r["activity_id"])): r for r in records}


def _match_grid(
    grid: list[GridBar], exported: dict[tuple[str, str], dict[str, str]], work: _Work
) -> dict[Any, GridBar]:
    """Return each exported activity's Ugeplan bar: by row order, or by names where rows were moved."""
    entries = list(exported)
    by_key: dict[Any, GridBar] = {}
    if len(grid) == len(entries) and all(
        (b.unit, b.activity) == (exported[k]["unit"], exported[k]["activity"])
        for b, k in zip(grid, entries, strict=True)
    ):
        return dict(zip(entries, grid, strict=True))
    by_names: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for k in entries:
        by_names.setdefault((exported[k]["unit"], exported[k]["activity"]), []).append(k)
    for bar in grid:
        keys = by_names.get((bar.unit, bar.activity), [])
        if len(keys) == 1:
            by_key[keys[0]] = bar
        else:
            work.notes.append(
                Problem("Ugeplan", bar.row, None, "rækken genkendes ikke og læses ikke; ret ugerne i Aktiviteter")
            )
    return by_key


def _read_rows(plan: Plan, upload: Upload, scope: Scope, work: _Work) -> None:
    exported = _exported(plan, scope)
    bars = _match_grid(upload.grid, exported, work) if upload.grid else {}
    base = schedule(plan).set_index(["unit_id", "activity_id"], drop=False)
    base_rows = dict(zip(base.index, cast(list[dict[str, Any]], base.to_dict("records")), strict=True))
    lengths = {str(a): int(n) for a, n in zip(plan.template["activity_id"], plan.template["length_weeks"], strict=True)}
    tasks = plan.tasks.set_index("task_id")
    units = set(plan.units["unit_id"])
    waves = set(plan.waves["wave"].astype(int))
    task_units = dict(zip(plan.tasks["task_id"], plan.tasks["unit_id"], strict=True))
    seen: dict[tuple[str, str], int] = {}
    for r in cast(list[dict[str, Any]], upload.rows.to_dict("records")):
        row = int(r["row"])
        unit, activity = str(r.get("unit_id", "")), str(r.get("activity_id", ""))
        deleted = _marked(str(r.get("delete", "")))
        if unit and unit not in units:
            work.problems.append(Problem(ACTIVITY_SHEET, row, "Enheds-id", f"ukendt enhed '{unit}'"))
            continue
        if not scope.covers(unit):
            where = f"enheden '{unit}'" if unit else "fælles aktiviteter (uden enhed)"
            work.problems.append(
                Problem(
                    ACTIVITY_SHEET,
                    row,
                    "Enheds-id",
                    f"projektmappen dækker ikke {where}; ret den i en ugeplan, der dækker den",
                )
            )
            continue
        if activity and (unit, activity) in seen:
            work.problems.append(
                Problem(ACTIVITY_SHEET, row, "Aktivitets-id", f"står to gange (også i række {seen[unit, activity]})")
            )
            continue
        seen[unit, activity] = row
        if activity in lengths:
            _template_row(r, row, unit, activity, deleted, exported, bars, base_rows, lengths, waves, work)
        elif activity in tasks.index:
            owner = str(task_units[activity])
            if not scope.covers(owner):
                work.problems.append(
                    Problem(
                        ACTIVITY_SHEET,
                        row,
                        "Aktivitets-id",
                        "aktiviteten hører til en enhed, projektmappen ikke dækker",
                    )
                )
                continue
            _task_row(r, row, unit, activity, deleted, exported, bars, base_rows, waves, work)
        elif not activity:
            if not deleted:
                _new_row(r, row, unit, work)
        else:
            work.problems.append(Problem(ACTIVITY_SHEET, row, "Aktivitets-id", f"ukendt aktivitet '{activity}'"))


def _cells(r: dict[str, Any], row: int, bar: GridBar | None) -> Cells:
    return Cells(
        row,
        str(r.get("start_week", "")),
        str(r.get("end_week", "")),
        str(r.get("start_date", "")) or None,
        str(r.get("end_date", "")) or None,
        bar.first_week if bar else None,
        bar.first_cell if bar else None,
    )


def _note_unread(
    r: dict[str, Any], row: int, base: dict[str, Any] | None, columns: tuple[str, ...], why: str, work: _Work
) -> None:
    if base is None:
        return
    for column in columns:
        if column not in r:
            continue
        before = ACTIVITY_KINDS.get(str(base[column]), base[column]) if column == "kind" else base[column]
        if _norm(r[column]) != _norm(before):
            work.notes.append(Problem(ACTIVITY_SHEET, row, _HEADING[column], f"ændringen bruges ikke: {why}"))


def _template_row(
    r: dict[str, Any],
    row: int,
    unit: str,
    activity: str,
    deleted: bool,
    exported: dict[tuple[str, str], dict[str, str]],
    bars: dict[Any, GridBar],
    base_rows: dict[Any, dict[str, Any]],
    lengths: dict[str, int],
    waves: set[int],
    work: _Work,
) -> None:
    if not unit:
        work.problems.append(Problem(ACTIVITY_SHEET, row, "Enheds-id", "mangler en værdi"))
        return
    if deleted:
        work.delete_rows.setdefault(unit, []).append(row)
        return
    work.keep_rows.setdefault(unit, []).append(row)
    before = exported.get((unit, activity))
    wave_text = str(r.get("wave", ""))
    if not wave_text.isdigit() or int(wave_text) not in waves:
        work.problems.append(Problem(ACTIVITY_SHEET, row, "Bølge", f"ukendt bølge '{wave_text}'"))
        return
    if before is None or _norm(before["wave"]) != wave_text:
        work.waves.setdefault(unit, {})[row] = int(wave_text)
    else:
        work.unchanged_wave.setdefault(unit, []).append(row)
    length = lengths[activity]
    span = resolve_weeks(
        _cells(r, row, bars.get((unit, activity))),
        Span(before["start_week"], before["end_week"]) if before is not None else _NOTHING,
        fixed_length=length,
        problems=work.problems,
        notes=work.notes,
    )
    if span is not None:
        work.starts[unit, activity] = (row, span.start)
    _note_unread(
        r,
        row,
        base_rows.get((unit, activity)),
        _TEMPLATE_WIDE,
        "kolonnen gælder skabelonen for alle enheder; ret den under Rediger plan → Tabeller",
        work,
    )
    _note_unread(r, row, base_rows.get((unit, activity)), _NOT_READ, "kolonnen læses ikke ved import", work)


def _task_row(
    r: dict[str, Any],
    row: int,
    unit: str,
    task: str,
    deleted: bool,
    exported: dict[tuple[str, str], dict[str, str]],
    bars: dict[Any, GridBar],
    base_rows: dict[Any, dict[str, Any]],
    waves: set[int],
    work: _Work,
) -> None:
    if deleted:
        work.deleted_tasks.add(task)
        return
    before = next((v for (u, a), v in exported.items() if a == task), None)
    base = next((v for (u, a), v in base_rows.items() if a == task), None)
    if before is None or base is None:
        return
    changed: dict[str, Any] = {"row": row}
    span = resolve_weeks(
        _cells(r, row, bars.get((before["unit_id"], task))),
        Span(before["start_week"], before["end_week"]),
        fixed_length=None,
        problems=work.problems,
        notes=work.notes,
    )
    if span is not None:
        changed["start_week"], changed["end_week"] = span.start, span.end
    if unit != before["unit_id"]:
        changed["unit_id"] = unit
    wave_text = str(r.get("wave", ""))
    if _norm(wave_text) != _norm(before["wave"]):
        if wave_text and (not wave_text.isdigit() or int(wave_text) not in waves):
            work.problems.append(Problem(ACTIVITY_SHEET, row, "Bølge", f"ukendt bølge '{wave_text}'"))
        else:
            changed["wave"] = int(wave_text) if wave_text else None
    for column in _TASK_FIELDS:
        if column not in r:
            continue
        old = ACTIVITY_KINDS.get(str(base[column]), base[column]) if column == "kind" else base[column]
        if _norm(r[column]) == _norm(old):
            continue
        value: Any = r[column]
        if column == "kind":
            value = _KIND_CODES.get(str(value).lower())
            if value is None:
                work.problems.append(
                    Problem(
                        ACTIVITY_SHEET,
                        row,
                        "Type",
                        f"ukendt type '{r[column]}'; brug {', '.join(ACTIVITY_KINDS.values())}",
                    )
                )
                continue
        elif column == "activity" and not str(value).strip():
            work.problems.append(Problem(ACTIVITY_SHEET, row, "Aktivitet", "mangler en værdi"))
            continue
        changed["title" if column == "activity" else column] = value
    _note_unread(r, row, base, _NOT_READ, "kolonnen læses ikke ved import", work)
    if len(changed) > 1:
        work.tasks[task] = changed


def _new_row(r: dict[str, Any], row: int, unit: str, work: _Work) -> None:
    kind = _KIND_CODES.get(str(r.get("kind", "")).lower())
    title = str(r.get("activity", ""))
    if not title or kind is None:
        field_name = "Aktivitet" if not title else "Type"
        work.problems.append(Problem(ACTIVITY_SHEET, row, field_name, "en ny aktivitet skal have titel og type"))
        return
    before = len(work.problems)
    cells = _cells(r, row, None)
    span = resolve_weeks(
        Cells(row, cells.start_week, cells.end_week), _NOTHING, fixed_length=None, problems=work.problems, notes=[]
    )
    if span is None or len(work.problems) > before:
        return
    work.new_tasks.append(
        {"row": row, "unit_id": unit, "title": title, "kind": kind, "start_week": span.start, "end_week": span.end}
    )


def _new_task_id(title: str, taken: set[str]) -> str:
    base = slug(title)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _unit_waves(plan: Plan, work: _Work) -> tuple[dict[str, int], set[str]]:
    """Return units moved to another wave and units taken out of their wave, or add problems."""
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
            moved[unit] = next(iter(asked.values()))
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
    work = _Work()
    if upload.grid_note:
        work.notes.append(Problem("Ugeplan", None, None, upload.grid_note))
    _read_rows(plan, upload, scope, work)
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
        if expected_start.get((unit, activity)) == start:
            overrides.pop((unit, activity), None)
        elif old is None or old["start_week"] != start:
            overrides[unit, activity] = {"unit_id": unit, "activity_id": activity, "start_week": start, "source": stamp}
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
