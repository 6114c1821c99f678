"""What each row of an uploaded week plan asks for, read three ways against what was exported.

A row counts as an edit only where it differs from the workbook's export snapshot (or, for a
workbook without one, from the plan as it is now). Cells that cannot be taken become problems
naming the cell; changed cells of columns the import does not read become notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from .errors import Problem
from .excel import ACTIVITY_SHEET, ACTIVITY_SHEET_COLUMNS
from .excel_scope import Scope
from .excel_upload import GridBar, Upload
from .import_weeks import Cells, Span, resolve_weeks
from .model import Plan
from .scheduler import schedule
from .schema import ACTIVITY_KINDS

__all__ = ["Requests", "read_rows"]

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
class Requests:
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


_HOURS = re.compile(r"^(.*) \([^()]*\)$")  # "Workshop (2 timer)": the Ugeplan adds the hours to the label


def _grid_names(bar: GridBar) -> list[tuple[str, str]]:
    """Return the (unit, activity) names an Ugeplan row may stand for, the likeliest first."""
    labels = [bar.activity]
    if m := _HOURS.match(bar.activity):
        labels.append(m.group(1))
    # Shared tasks stand under "Fælles" and have no unit; a unit named as its department has no heading.
    units = [bar.unit, *([""] if bar.unit == "Fælles" else []), bar.outer]
    return [(unit, label) for unit in units for label in labels]


def _match_grid(
    grid: list[GridBar], exported: dict[tuple[str, str], dict[str, str]], work: Requests
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
        keys = next((found for name in _grid_names(bar) if (found := by_names.get(name, []))), [])
        if len(keys) == 1:
            by_key[keys[0]] = bar
        else:
            work.notes.append(
                Problem("Ugeplan", bar.row, None, "rækken genkendes ikke og læses ikke; ret ugerne i Aktiviteter")
            )
    return by_key


def read_rows(plan: Plan, upload: Upload, scope: Scope, work: Requests) -> None:
    """Read every Aktiviteter row (and its Ugeplan bar) into `work`: edits, removals, problems, notes."""
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
    r: dict[str, Any], row: int, base: dict[str, Any] | None, columns: tuple[str, ...], why: str, work: Requests
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
    work: Requests,
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
    work: Requests,
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


def _new_row(r: dict[str, Any], row: int, unit: str, work: Requests) -> None:
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
