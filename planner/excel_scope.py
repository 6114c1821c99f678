"""What an exported workbook covers, written into it and read back: the import changes nothing else.

A hidden sheet (`Omfang`) states which units (and whether the shared, unit-less activities) the
workbook covers, and lists every exported activity with its weeks as they were when exported. On
import, a row equal to that snapshot is not an edit, so a file exported before someone else's save
does not undo it. A workbook without the sheet (exported by an older version) covers exactly the
units whose rows it holds, never the whole plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .model import Plan

__all__ = ["SCOPE_SHEET", "SNAPSHOT_COLUMNS", "Scope", "read_scope", "scope_of_rows", "write_scope"]

SCOPE_SHEET = "Omfang"
_FORMAT = 1
_NOTE = "Planlæggeren læser denne skjulte fane ved import: den siger, hvad projektmappen dækker. Ret den ikke."
# The exported activities: identity, wave and weeks as exported, and the names the Ugeplan rows show.
SNAPSHOT_COLUMNS = ("unit_id", "activity_id", "wave", "start_week", "end_week", "unit", "activity")


@dataclass(frozen=True, eq=False)
class Scope:
    """The units a workbook covers, whether it covers the shared activities, and its export snapshot."""

    units: frozenset[str]
    shared: bool
    department: str | None = None
    stated: bool = True
    snapshot: pd.DataFrame | None = None

    def covers(self, unit_id: str) -> bool:
        """Return True when a row of `unit_id` ('' for a shared activity) may change the plan."""
        return self.shared if not unit_id else unit_id in self.units

    def describe(self, plan: Plan) -> str:
        """Return a Danish sentence saying what the workbook covers."""
        names = dict(zip(plan.units["unit_id"], plan.units["name"], strict=True))
        deps = dict(zip(plan.departments["department_id"], plan.departments["name"], strict=True))
        if self.department:
            what = f"afdelingen {deps.get(self.department, self.department)}"
        elif self.shared and set(names) <= self.units:
            what = "hele planen"
        else:
            listed = sorted(names.get(u, u) for u in self.units)
            what = ", ".join(listed[:5]) + (f" og {len(listed) - 5} enheder mere" if len(listed) > 5 else "")
            what = what or "ingen enheder"
        if not self.stated:
            return (
                f"Projektmappen er hentet med en ældre version og siger ikke selv, hvad den dækker; "
                f"den behandles som kun at dække de enheder, den har rækker for: {what}."
            )
        return f"Projektmappen dækker {what}; resten af planen ændres ikke."


def write_scope(wb: Any, plan: Plan, sched: pd.DataFrame, *, department: str | None) -> None:
    """Add the hidden `Omfang` sheet to a (write-only) workbook: the coverage and the export snapshot."""
    ws = wb.create_sheet(SCOPE_SHEET)
    ws.sheet_state = "hidden"
    ws.append([_NOTE])
    ws.append(["format", _FORMAT])
    ws.append(["omfang", "afdeling" if department else "alle", department or ""])
    ws.append(["fælles", "nej" if department else "ja"])
    units = plan.units
    if department:
        units = units[units["department_id"] == department]
    for unit in units["unit_id"]:
        ws.append(["enhed", str(unit)])
    ws.append(["kolonner", *SNAPSHOT_COLUMNS])
    # One cell per activity, its values joined by tabs: a third of the cells of one per value, which
    # matters in a 20,000-activity export, and text either way.
    values = [sched[c].astype("string").fillna("").str.replace("\t", " ").tolist() for c in SNAPSHOT_COLUMNS]
    for row in zip(*values, strict=True):
        ws.append(["aktivitet", _text(ws, "\t".join(row))])


def _text(ws: Any, value: str) -> Any:
    """Return `value` for a cell as text: characters Excel forbids dropped, a leading '=' kept as text."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value  # a plain str is stored as text; only '=' would make openpyxl write a formula
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def read_scope(rows: Iterable[tuple[Any, ...]]) -> Scope | None:
    """Return the scope stated by the rows of an `Omfang` sheet, or None when they state none."""
    units: set[str] = set()
    shared = False
    department: str | None = None
    columns: list[str] = []
    snapshot: list[list[str]] = []
    found = False
    for raw in rows:
        values = [_str(v) for v in raw]
        if not values or not values[0]:
            continue
        kind, rest = values[0].lower(), values[1:]
        if kind == "omfang":
            found = True
            department = rest[1] if len(rest) > 1 and rest[0] == "afdeling" and rest[1] else None
        elif kind == "fælles":
            shared = bool(rest) and rest[0].lower() == "ja"
        elif kind == "enhed" and rest and rest[0]:
            units.add(rest[0])
        elif kind == "kolonner":
            columns = [c for c in rest if c]
        elif kind == "aktivitet" and columns and rest:
            values = str(raw[1]).split("\t") if raw[1] is not None else []
            snapshot.append((values + [""] * len(columns))[: len(columns)])
    if not found:
        return None
    frame = pd.DataFrame(snapshot, columns=columns) if columns else None
    return Scope(frozenset(units), shared, department, True, frame)


def scope_of_rows(unit_ids: Iterable[str]) -> Scope:
    """Return the scope of a workbook that states none: exactly the units its rows name.

    Shared activities are covered only when the sheet has at least one of them, so a department's
    old export can never remove or change the plan's shared activities.
    """
    ids = list(unit_ids)
    return Scope(frozenset(u for u in ids if u), any(not u for u in ids), None, False, None)
