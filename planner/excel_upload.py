"""Reading an uploaded week plan safely: the Aktiviteter rows, the Ugeplan bars and the stated scope.

Only what Excel or LibreOffice saved is read: formulas are never evaluated, links never followed,
and sheets and columns are found by name and heading, never by position, so a file re-saved by
another program, or an export with a changed layout, reads the same.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl import load_workbook

from .errors import PlanError, Problem
from .excel import ACTIVITY_SHEET, ACTIVITY_SHEET_COLUMNS, WEEK_SHEET
from .excel_legend import FLAG
from .excel_scope import SCOPE_SHEET, Scope, read_scope
from .isoweeks import iso_label, week_of

__all__ = [
    "DELETE_HEADING",
    "MAX_UPLOAD_BYTES",
    "GridBar",
    "Upload",
    "read_activity_sheet",
    "read_upload",
]

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a zip bomb unpacks to far more than any real week plan
_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted .xlsx and old .xls files
DELETE_HEADING = "Slet"  # a mark in this column removes the row's activity; absence never does
_HEADINGS = {heading: column for heading, column, _ in ACTIVITY_SHEET_COLUMNS} | {DELETE_HEADING: "delete"}
_REQUIRED = ("Enheds-id", "Aktivitets-id", "Bølge", "Aktivitet", "Type", "Startuge", "Slutuge")
_GRID_SCAN_ROWS = 60  # the header block (title, weeks, Mondays, note lanes, headings) lies within these rows


@dataclass(frozen=True)
class GridBar:
    """One activity row of the Ugeplan sheet: its sheet row, names, and the weeks its bar covers."""

    row: int
    unit: str  # the heading above the row: its unit, or its department when the unit is named alike
    activity: str  # the label as shown, hours included: "Workshop for ledere og administrative (2 timer)"
    first_week: str | None
    first_cell: str | None
    outer: str = ""  # the heading before that one: the department, when a unit heading came between


@dataclass(frozen=True, eq=False)
class Upload:
    """What a workbook holds: the Aktiviteter rows (text, with `row`), its Ugeplan bars and its scope."""

    rows: pd.DataFrame
    grid: list[GridBar]
    scope: Scope | None
    grid_note: str | None = None


def _refuse(message: str) -> PlanError:
    return PlanError(Problem("", None, None, message))


def _open(data: bytes) -> Any:
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse(f"Filen er for stor ({len(data) / 1024 / 1024:.1f} MB); grænsen er 10 MB".replace(".", ",", 1))
    if data[:8] == _OLE_SIGNATURE:
        raise _refuse(
            "Filen er beskyttet med adgangskode eller er en gammel .xls-fil; gem den som .xlsx uden adgangskode"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse("Filen er ikke en Excel-projektmappe (.xlsx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _refuse("Filen er beskadiget og kan ikke læses som .xlsx") from None
    if "[Content_Types].xml" not in names:
        raise _refuse("Filen er ikke en Excel-projektmappe (.xlsx)")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _refuse("Projektmappen indeholder makroer; gem den som almindelig .xlsx uden makroer")
    if unpacked > _MAX_UNPACKED_BYTES:
        raise _refuse("Projektmappen er for stor udpakket til at være en ugeplan")
    try:
        # data_only: the values Excel saved, never formulas; keep_links=False: external links are not kept.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False, keep_vba=False)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors, defusedxml refusals)
        raise _refuse(f"Filen er beskadiget og kan ikke læses som .xlsx ({type(exc).__name__})") from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _activity_rows(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    if not rows:
        raise PlanError(Problem(ACTIVITY_SHEET, 1, None, "arket er tomt"))
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    missing = [h for h in _REQUIRED if h not in header]
    if missing:
        raise PlanError([Problem(ACTIVITY_SHEET, 1, h, "kolonnen mangler") for h in missing])
    known = [_HEADINGS[h] for h in header if h in _HEADINGS]
    records = []
    for number, values in enumerate(rows[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        # A row shorter than the header (trailing empty cells are not stored) has empty text there.
        record: dict[str, Any] = {"row": number} | dict.fromkeys(known, "")
        for heading, value in zip(header, values, strict=False):
            if heading in _HEADINGS:
                record[_HEADINGS[heading]] = _text(value)
        records.append(record)
    return pd.DataFrame(records, columns=["row", *known])


def _filled(cell: Any) -> bool:
    if cell.value is not None and str(cell.value).strip() != "":
        return True
    fill = getattr(cell, "fill", None)
    return bool(fill is not None and fill.fill_type == "solid")


def _grid(ws: Any) -> tuple[list[GridBar], str | None]:
    """Return the Ugeplan's activity rows and where each bar starts, found by the sheet's own labels.

    The sheet (see `excel_weeks`) has a "Mandag" row of week Mondays, an "Aktivitet" heading row,
    then per department and unit a heading row and one row per activity, its label in the first
    column ('⚠ ' before it marks a finding) and its bar in the week columns, to the sheet's end;
    empty rows (a user may insert one) are skipped.
    """
    from openpyxl.utils import get_column_letter

    head = list(ws.iter_rows(min_row=1, max_row=_GRID_SCAN_ROWS))
    mondays_at = next((i for i, row in enumerate(head) if row and _text(row[0].value) == "Mandag"), None)
    header_at = next(
        (i for i, row in enumerate(head) if row and _text(row[0].value) == "Aktivitet" and i > (mondays_at or 0)),
        None,
    )
    if mondays_at is None or header_at is None:
        return [], "arket Ugeplan har ikke de kendte rækker (Mandag, Aktivitet) og læses ikke"
    weeks = {
        i: iso_label(week_of(c.value.date()))
        for i, c in enumerate(head[mondays_at])
        if i > 0 and isinstance(c.value, dt.datetime)
    }
    if not weeks:
        return [], "arket Ugeplan har ingen række med ugernes mandage og læses ikke"
    bars: list[GridBar] = []
    group = outer = ""
    for number, row in enumerate(ws.iter_rows(min_row=header_at + 2), start=header_at + 2):
        cells = list(row)
        label = _text(cells[0].value) if cells else ""
        start = next((i for i in sorted(weeks) if i < len(cells) and _filled(cells[i])), None)
        if not label and start is None:
            continue
        if start is None:
            # A department's or unit's heading (every activity has a bar within the sheet's weeks).
            group, outer = label, group
            continue
        bars.append(
            GridBar(
                number,
                group,
                label.removeprefix(f"{FLAG} "),  # the mark of an activity with a finding is not its name
                weeks[start] if start is not None else None,
                f"{get_column_letter(start + 1)}{number}" if start is not None else None,
                outer,
            )
        )
    return bars, None


def read_upload(data: bytes) -> Upload:
    """Return what an uploaded workbook holds, or raise PlanError in Danish when it cannot be used.

    Refuses files over 10 MB, password-protected or old .xls files, files that are not .xlsx,
    workbooks with macros and archives that would unpack to more than 100 MB.
    """
    wb = _open(data)
    try:
        if ACTIVITY_SHEET not in wb.sheetnames:
            raise PlanError(Problem(ACTIVITY_SHEET, None, None, "arket mangler i projektmappen"))
        rows = _activity_rows(list(wb[ACTIVITY_SHEET].iter_rows(values_only=True)))
        scope = read_scope(wb[SCOPE_SHEET].iter_rows(values_only=True)) if SCOPE_SHEET in wb.sheetnames else None
        grid: list[GridBar] = []
        note = None
        if scope is not None and WEEK_SHEET in wb.sheetnames:
            grid, note = _grid(wb[WEEK_SHEET])
    finally:
        wb.close()
    return Upload(rows, grid, scope, note)


def read_activity_sheet(data: bytes) -> pd.DataFrame:
    """Return the rows of the Aktiviteter sheet as text with a `row` column, or raise PlanError in Danish."""
    return read_upload(data).rows
