"""The Excel week plan: a fresh, print-ready workbook as bytes, styled from the Gantt's palette."""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from .checks import SEVERITY_LABELS
from .errors import PlanError
from .excel_scope import write_scope
from .isoweeks import danish_month
from .model import Plan
from .palette import HOLIDAY_SHADE, MILESTONE_COLOURS, WAVE_COLOURS, wave_colour
from .schema import ACTIVITY_KINDS, BUDGET_STEPS, MILESTONE_KINDS
from .texts import hours_text
from .timeaxis import plan_span
from .views import Analysis, analyse, department_lookup, filter_schedule, slug

__all__ = ["ACTIVITY_SHEET", "ACTIVITY_SHEET_COLUMNS", "WEEK_SHEET", "export_filename", "export_workbook"]

WEEK_SHEET = "Ugeplan"
ACTIVITY_SHEET = "Aktiviteter"
MILESTONE_SHEET = "Milepæle"
FINDING_SHEET = "Problemer"

# The Aktiviteter sheet is also what the import reads back: one declaration for both.
ACTIVITY_SHEET_COLUMNS: tuple[tuple[str, str, int], ...] = (
    # heading, schedule column, width
    ("Nøgle", "activity_key", 30),
    ("Enheds-id", "unit_id", 20),
    ("Aktivitets-id", "activity_id", 22),
    ("Bølge", "wave", 7),
    ("Afdeling", "department", 24),
    ("Enhed", "unit", 30),
    ("Aktivitet", "activity", 36),
    ("Type", "kind", 13),
    ("Startuge", "start_week", 10),
    ("Slutuge", "end_week", 10),
    ("Startdato", "start_date", 11),
    ("Slutdato", "end_date", 11),
    ("Timer", "hours", 7),
    ("Deltagere", "participants", 36),
    ("Ansvarlig", "lead", 18),
    ("Kilde", "source", 50),
    ("Slet", "delete", 6),  # not in the schedule: left empty; a mark here removes the activity on import
)
_LABEL_COLUMNS = (("Afdeling", 22), ("Enhed", 30), ("Bølge", 6), ("Aktivitet", 34), ("Type", 12))
_HEADER_ROWS = 6  # title, months, weeks, Mondays, holidays, milestones
_TEXT_START = ("=", "+", "-", "@")


def _named_styles() -> list[NamedStyle]:
    """Return the workbook's named styles; declared once, registered in every fresh workbook."""
    thin = Side(style="thin", color="BFBFBF")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    styles = [
        NamedStyle("mfr_title", font=Font(bold=True, size=14)),
        NamedStyle(
            "mfr_header",
            font=bold,
            fill=PatternFill("solid", fgColor="DDEBF7"),
            border=grid,
            alignment=Alignment(vertical="center", wrap_text=True),
        ),
        NamedStyle("mfr_month", font=Font(bold=True, color="404040")),
        NamedStyle("mfr_week", font=bold, alignment=Alignment(horizontal="center"), border=grid),
        NamedStyle(
            "mfr_monday",
            number_format="dd.mm",
            font=Font(size=8, color="595959"),
            alignment=Alignment(horizontal="center"),
            border=grid,
        ),
        NamedStyle(
            "mfr_holiday",
            fill=PatternFill("solid", fgColor=HOLIDAY_SHADE),
            font=Font(size=8, italic=True),
            alignment=Alignment(horizontal="center", wrap_text=True, vertical="top"),
        ),
        NamedStyle(
            "mfr_milestone",
            font=Font(size=8, bold=True, color=MILESTONE_COLOURS["political"]),
            alignment=Alignment(wrap_text=True, vertical="top"),
        ),
        NamedStyle("mfr_label", font=bold, alignment=Alignment(vertical="top")),
        NamedStyle("mfr_date", number_format="dd.mm.yyyy"),
    ]
    for number, colour in enumerate((wave_colour(None), *WAVE_COLOURS)):
        styles.append(
            NamedStyle(
                f"mfr_wave_{number}",
                fill=PatternFill("solid", fgColor=colour),
                font=Font(color="FFFFFF", bold=True, size=9),
                border=Border(left=Side(style="thin", color="FFFFFF")),
            )
        )
    return styles


class _Writer:
    """Turns values into write-only cells: text stays text, dates become Excel dates."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def value(self, value: Any) -> Any:
        """Return `value` ready for a cell: a plain value where that is safe, else a text cell."""
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith(_TEXT_START):
                # openpyxl stores '=…' as a live formula: user text is data, so store it as a string.
                cell = WriteOnlyCell(self.ws, value=value)
                cell.data_type = "s"
                return cell
            return value
        if isinstance(value, pd.Timestamp):
            return value.date()
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return None
        return value

    def cell(self, value: Any, style: str | None = None) -> Any:
        """Return a styled cell for `value` (a plain value when there is no style)."""
        value = self.value(value)
        if style is None or value is None:
            return value
        cell = value if isinstance(value, Cell) else WriteOnlyCell(self.ws, value=value)
        cell.style = style
        return cell

    def row(self, values: Iterable[Any], style: str | None = None) -> None:
        self.ws.append([v if isinstance(v, Cell) else self.cell(v, style) for v in values])


def _week_columns(first: dt.date, last: dt.date) -> list[dt.date]:
    monday = first - dt.timedelta(days=first.weekday())
    return [monday + dt.timedelta(weeks=i) for i in range((last - monday).days // 7)]


def _page_setup(ws: Any, title: str, *, rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if rows:
        ws.print_title_rows = rows
    # '&' starts a code in Excel headers: a literal ampersand is written '&&'.
    ws.oddHeader.left.text = title.replace("&", "&&")
    ws.oddHeader.right.text = "Udskrevet &D"
    ws.oddFooter.right.text = "Side &P af &N"


def _week_sheet(wb: Workbook, analysis: Analysis, sched: pd.DataFrame, title: str, *, whole: bool) -> None:
    ws = wb.create_sheet(WEEK_SHEET)
    out = _Writer(ws)
    # The whole plan's sheet also spans its milestones; a department's sheet spans its own activities.
    first, last = plan_span(sched, analysis.plan.milestones if whole or sched.empty else None)
    mondays = _week_columns(first, last)
    index = {m: i for i, m in enumerate(mondays)}
    n_labels = len(_LABEL_COLUMNS)
    for i, (_, width) in enumerate(_LABEL_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for i in range(len(mondays)):
        ws.column_dimensions[get_column_letter(n_labels + 1 + i)].width = 7.5
    ws.freeze_panes = f"{get_column_letter(n_labels + 1)}{_HEADER_ROWS + 1}"
    _page_setup(ws, title, rows=f"1:{_HEADER_ROWS}")

    blank = [None] * n_labels
    out.row([out.cell(title, "mfr_title")])
    months = [
        danish_month(m, with_year=(i == 0 or m.month == 1)) if i == 0 or m.month != mondays[i - 1].month else None
        for i, m in enumerate(mondays)
    ]
    out.row([*blank, *[out.cell(m, "mfr_month") if m else None for m in months]])
    weeks = [f"uge {m.isocalendar()[1]}" for m in mondays]
    out.row([*[out.cell(h, "mfr_header") for h, _ in _LABEL_COLUMNS], *[out.cell(w, "mfr_week") for w in weeks]])
    out.row([*blank, *[out.cell(m, "mfr_monday") for m in mondays]])

    poor = dict(zip(analysis.poor_weeks["week"], analysis.poor_weeks["reason"], strict=True))
    holiday_cells: list[Any] = [out.cell("Ferie/helligdag", "mfr_label"), *blank[1:]]
    holiday_columns = []
    for i, m in enumerate(mondays):
        year, week, _ = m.isocalendar()
        reason = poor.get(f"{year}-W{week:02d}")
        holiday_cells.append(out.cell(reason, "mfr_holiday") if reason else None)
        if reason:
            holiday_columns.append(n_labels + 1 + i)
    out.row(holiday_cells)

    ms = analysis.plan.milestones
    ms_week: dict[int, list[str]] = {}
    for day, text in zip(ms["date"], ms["body"] + ": " + ms["title"], strict=True):
        monday = day.date() - dt.timedelta(days=day.weekday())
        if monday in index:
            ms_week.setdefault(index[monday], []).append(str(text))
    out.row(
        [
            out.cell("Milepæle", "mfr_label"),
            *blank[1:],
            *[out.cell("; ".join(ms_week[i]), "mfr_milestone") if i in ms_week else None for i in range(len(mondays))],
        ]
    )

    start_col = ((sched["start_date"] - pd.Timestamp(mondays[0])).dt.days // 7).tolist()
    n_weeks = ((sched["end_date"] - sched["start_date"]).dt.days // 7 + 1).tolist()
    hours = sched["hours"].map(lambda h: hours_text(None if pd.isna(h) else float(h)))
    for r, first_col, length, h in zip(sched.to_dict("records"), start_col, n_weeks, hours, strict=True):
        wave = 0 if pd.isna(r["wave"]) else int(r["wave"])
        style = f"mfr_wave_{(wave - 1) % len(WAVE_COLOURS) + 1 if wave else 0}"
        cells: list[Any] = [None] * len(mondays)
        label = r["activity"] + (f" ({h})" if h else "")
        for k in range(int(length)):
            col = int(first_col) + k
            if 0 <= col < len(mondays):
                cells[col] = out.cell(label if k == 0 else None, style)
        out.row(
            [
                r["department"] or "Fælles",
                r["unit"],
                wave or None,
                r["activity"],
                ACTIVITY_KINDS.get(r["kind"], r["kind"]),
                *cells,
            ]
        )
    # Holiday weeks shaded where the cell is empty: conditional formatting, not a fill on every cell.
    last_row = _HEADER_ROWS + max(len(sched), 1)
    for col in holiday_columns:
        letter = get_column_letter(col)
        ws.conditional_formatting.add(
            f"{letter}{_HEADER_ROWS + 1}:{letter}{last_row}",
            FormulaRule(
                formula=[f"ISBLANK({letter}{_HEADER_ROWS + 1})"], fill=PatternFill("solid", bgColor=HOLIDAY_SHADE)
            ),
        )


def _table_sheet(
    wb: Workbook,
    name: str,
    title: str,
    headings: Sequence[tuple[str, int]],
    rows: Iterable[Sequence[Any]],
    date_columns: Sequence[int] = (),
) -> None:
    ws = wb.create_sheet(name)
    out = _Writer(ws)
    for i, (_, width) in enumerate(headings, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    _page_setup(ws, title, rows="1:1")
    out.row([h for h, _ in headings], "mfr_header")
    count = 0
    for values in rows:
        out.row([out.cell(v, "mfr_date" if i in date_columns else None) for i, v in enumerate(values)])
        count += 1
    if count == 0:
        out.row([None] * len(headings))  # an Excel table needs one row under its header
        count = 1
    ref = f"A1:{get_column_letter(len(headings))}{count + 1}"
    table = Table(displayName=slug(name).replace("-", "_").capitalize(), ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    # Write-only sheets cannot read the header back, so the table's columns are named here.
    table._initialise_columns()
    for column, (heading, _) in zip(table.tableColumns, headings, strict=True):
        column.name = heading
    with warnings.catch_warnings():
        # openpyxl warns that write-only tables need their columns added by hand: done above.
        warnings.filterwarnings("ignore", message="In write-only mode you must add table columns manually")
        ws.add_table(table)


def export_workbook(plan: Plan, *, department: str | None = None, analysis: Analysis | None = None) -> bytes:
    """Return the week plan as .xlsx bytes: the whole plan, or one department named by id or name."""
    analysis = analysis or analyse(plan)
    sched = analysis.schedule
    title = plan.settings.title
    if department is not None:
        dep_id = department_lookup(plan, department)
        if dep_id is None:
            raise PlanError(f"Afdelingen '{department!s}' findes ikke i planen")
        sched = filter_schedule(sched, departments=[dep_id])
        name = str(plan.departments.set_index("department_id").loc[dep_id, "name"])
        title = f"Ugeplan for {name} – {title}"
    wb = Workbook(write_only=True)
    for style in _named_styles():
        wb.add_named_style(style)
    _week_sheet(wb, analysis, sched, title, whole=department is None)

    kinds = sched["kind"].map(lambda k: ACTIVITY_KINDS.get(k, k))
    activity_rows = (
        [kinds.iat[i] if col == "kind" else values.get(col) for _, col, _ in ACTIVITY_SHEET_COLUMNS]
        for i, values in enumerate(sched.to_dict("records"))
    )
    date_cols = [i for i, (_, col, _) in enumerate(ACTIVITY_SHEET_COLUMNS) if col.endswith("_date")]
    _table_sheet(wb, ACTIVITY_SHEET, title, [(h, w) for h, _, w in ACTIVITY_SHEET_COLUMNS], activity_rows, date_cols)
    ms = plan.milestones.sort_values("date", kind="stable")
    _table_sheet(
        wb,
        MILESTONE_SHEET,
        title,
        [("Dato", 11), ("Milepæl", 60), ("Forum", 14), ("Type", 14), ("Budgettrin", 22), ("Kilde", 50)],
        (
            [
                r["date"],
                r["title"],
                r["body"],
                MILESTONE_KINDS.get(r["kind"], r["kind"]),
                BUDGET_STEPS.get(r["budget_step"], ""),
                r["source"],
            ]
            for r in ms.to_dict("records")
        ),
        date_columns=[0],
    )
    findings = analysis.findings
    if department is not None:
        findings = findings[findings["unit_id"].isin(sched["unit_id"]) | (findings["unit_id"] == "")]
    _table_sheet(
        wb,
        FINDING_SHEET,
        title,
        [("Alvor", 10), ("Kode", 18), ("Enhed", 30), ("Aktivitet", 34), ("Uge", 10), ("Problem", 70), ("Forslag", 40)],
        (
            [
                SEVERITY_LABELS[r["severity"]],
                r["code"],
                r["unit"],
                r["activity"],
                r["week"],
                r["message"],
                r["suggestion"],
            ]
            for r in findings.to_dict("records")
        ),
    )
    write_scope(wb, plan, sched, department=dep_id if department is not None else None)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_filename(plan: Plan, *, department: str | None = None) -> str:
    """Return a safe ASCII file name such as `ugeplan-born-og-familie-2026.xlsx`."""
    sched_year = min(plan.waves["follow_up_month"]).split("-")[0] if len(plan.waves) else str(dt.date.today().year)
    if department is None:
        return f"ugeplan-alle-afdelinger-{sched_year}.xlsx"
    dep_id = department_lookup(plan, department)
    name = plan.departments.set_index("department_id").loc[dep_id, "name"] if dep_id else department
    return f"ugeplan-{slug(str(name))}-{sched_year}.xlsx"
