"""The Excel week plan: a fresh, print-ready workbook as bytes, styled from the Gantt's palette."""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from .errors import PlanError
from .excel_legend import flagged_keys
from .excel_scope import write_scope
from .excel_style import Writer, line_chars, named_styles, page_setup, row_height
from .excel_weeks import write_week_sheet
from .findings import SEVERITY_LABELS
from .model import Plan
from .progress import progress
from .scheduler import wave_calendar
from .schema import ACTIVITY_KINDS, BUDGET_STEPS, MILESTONE_KINDS
from .status_marks import marks as status_marks
from .timeaxis import plan_span
from .views import Analysis, analyse, department_lookup, filter_schedule, slug

__all__ = [
    "ACTIVITY_SHEET",
    "ACTIVITY_SHEET_COLUMNS",
    "STATUS_SHEET_COLUMNS",
    "WEEK_SHEET",
    "export_filename",
    "export_workbook",
]

WEEK_SHEET = "Ugeplan"
ACTIVITY_SHEET = "Aktiviteter"
MILESTONE_SHEET = "Milepæle"
FINDING_SHEET = "Problemer"

# The Aktiviteter sheet is also what the import reads back (by heading): one declaration for both.
# What people read comes first and is printed; the technical keys come last and are not printed.
ACTIVITY_SHEET_COLUMNS: tuple[tuple[str, str, float], ...] = (
    # heading, schedule column, width: the printed ones fit A4 landscape at about 80 % (8 pt text)
    # The printed widths add up to about 186: more and the table, scaled to one page wide, prints
    # under 8 pt. The long texts (Kilde, Aktivitet) get the room, so rows need fewer lines.
    ("Bølge", "wave", 6),
    ("Afdeling", "department", 11),
    ("Enhed", "unit", 13),
    ("Aktivitet", "activity", 20),
    ("Type", "kind", 12.5),  # "forberedelse" whole
    ("Startuge", "start_week", 9),
    ("Slutuge", "end_week", 9),
    ("Startdato", "start_date", 10.5),
    ("Slutdato", "end_date", 10.5),
    ("Timer", "hours", 6),
    ("Deltagere", "participants", 16),  # "Økonomikonsulent" unbroken
    ("Ansvarlig", "lead", 16),  # "Økonomikonsulent" whole
    ("Kilde", "source", 25),
    ("Slet", "delete", 5),  # not in the schedule: left empty; a mark here removes the activity on import
    ("Nøgle", "activity_key", 30),
    ("Enheds-id", "unit_id", 20),
    ("Aktivitets-id", "activity_id", 22),
)
# Status and slip are shown beside the weeks, for reading only: the import does not know these
# headings, so they are ignored there (status is marked on the Status page, where each is a revision).
STATUS_SHEET_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("Status", "status", 10),
    ("Forskydning (uger)", "slip_weeks", 7.5),
)
_SHEET_COLUMNS = (*ACTIVITY_SHEET_COLUMNS[:9], *STATUS_SHEET_COLUMNS, *ACTIVITY_SHEET_COLUMNS[9:])
_TECHNICAL = ("activity_key", "unit_id", "activity_id")
_WRAPPED = ("department", "unit", "activity", "status", "participants", "lead", "source")


def _table_sheet(
    wb: Workbook,
    out_styles: list[Any],
    name: str,
    title: str,
    footer: str,
    headings: Sequence[tuple[str, float, str | None]],  # heading, width, named style (None: plain)
    rows: Iterable[Sequence[Any]],
    *,
    printed: int | None = None,
    empty: str | None = None,
) -> None:
    """Write a table sheet: headings in row 1 (what the import reads), a style per column.

    Only the first `printed` columns are printed, scaled to one page wide: the rest are keys, hidden
    from view (the import still reads them). With no rows, `empty` says so in the first row.
    """
    ws = wb.create_sheet(name)
    out = Writer(ws, out_styles)
    for i, (_, width, _) in enumerate(headings, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        if printed is not None and i > printed:
            ws.column_dimensions[get_column_letter(i)].hidden = True
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    page_setup(ws, title, footer=footer, fit_width=True)
    # A heading that wraps ("Forskydning (uger)") gets the lines it needs, in bold.
    titles = [h for h, _, _ in headings]
    out.row(titles, "mfr_header", height=row_height(titles, [w * 0.9 for _, w, _ in headings]))
    styles = [style for _, _, style in headings]
    # Only wrapped columns make a row taller; the keys beyond the printed columns never do.
    wrapped = [
        w if style == "mfr_wrap" and i < (printed or len(headings)) else 0 for i, (_, w, style) in enumerate(headings)
    ]
    # A text that fits its column is written plain, in the same default font: a style on every cell
    # of 20,000 rows costs seconds, and only the long texts need wrapping.
    fits = [line_chars(w) if style == "mfr_wrap" else 0 for _, w, style in headings]
    count = 0
    for values in rows:
        height = row_height([v if isinstance(v, str) else None for v in values], wrapped)
        cells = [
            out.cell(v, None if cap and not (isinstance(v, str) and len(v) > cap) else style)
            for v, style, cap in zip(values, styles, fits, strict=True)
        ]
        out.row(cells, height=height)
        count += 1
    if count == 0:
        # An Excel table needs one row under its header; a printed page of headings alone says nothing.
        out.row([empty, *[None] * (len(headings) - 1)])
        count = 1
    ref = f"A1:{get_column_letter(len(headings))}{count + 1}"
    ws.print_area = f"A1:{get_column_letter(printed or len(headings))}{count + 1}"
    table = Table(displayName=slug(name).replace("-", "_").capitalize(), ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    # Write-only sheets cannot read the header back, so the table's columns are named here.
    table._initialise_columns()
    for column, (heading, _, _) in zip(table.tableColumns, headings, strict=True):
        column.name = heading
    with warnings.catch_warnings():
        # openpyxl warns that write-only tables need their columns added by hand: done above.
        warnings.filterwarnings("ignore", message="In write-only mode you must add table columns manually")
        ws.add_table(table)


def _wrap(column: str) -> str | None:
    return "mfr_wrap" if column in _WRAPPED else None


def _week_text(week: str) -> str:
    return f"uge {int(week[6:])} {week[:4]}" if len(week) == 8 else week


def export_workbook(
    plan: Plan,
    *,
    department: str | None = None,
    analysis: Analysis | None = None,
    revision: int | None = None,
    as_of: dt.date | None = None,
) -> bytes:
    """Return the week plan as .xlsx bytes: the whole plan, or one department named by id or name.

    `revision` (the stored plan's number) is printed in every page's footer. Each activity's status
    and slip are shown as of `as_of` (default today): columns in Aktiviteter, marks in Ugeplan.
    """
    analysis = analysis or analyse(plan)
    sched = analysis.schedule
    as_of = as_of or dt.date.today()
    status = progress(plan, sched, as_of)
    title = plan.settings.title
    dep_id = None
    if department is not None:
        dep_id = department_lookup(plan, department)
        if dep_id is None:
            raise PlanError(f"Afdelingen '{department!s}' findes ikke i planen")
        sched = filter_schedule(sched, departments=[dep_id])
        name = str(plan.departments.set_index("department_id").loc[dep_id, "name"])
        title = f"Ugeplan for {name} – {title}"
    footer = f"Revision {revision}" if revision is not None else ""
    wb = Workbook(write_only=True)
    styles = named_styles()
    for style in styles:
        wb.add_named_style(style)

    # The whole plan's sheet also spans its milestones; a department's sheet spans its own activities.
    ms = plan.milestones.sort_values("date", kind="stable")
    span = plan_span(sched, ms if department is None or sched.empty else None)
    cutoffs = wave_calendar(plan)
    if department is not None:
        cutoffs = cutoffs[cutoffs["wave"].isin(sched["wave"].dropna())]
    marks = status_marks(sched, status)
    findings = analysis.findings
    if department is not None:
        findings = findings[findings["unit_id"].isin(sched["unit_id"]) | (findings["unit_id"] == "")]
    ws = wb.create_sheet(WEEK_SHEET)
    write_week_sheet(
        ws,
        Writer(ws, styles),
        sched,
        span=span,
        poor_weeks=analysis.poor_weeks,
        milestones=ms,
        cutoffs=cutoffs,
        title=title,
        footer=footer,
        marks=marks,
        as_of=as_of,
        flagged=flagged_keys(findings),
    )

    kinds = sched["kind"].map(lambda k: ACTIVITY_KINDS.get(k, k))
    shown = sched.assign(
        status=marks["status"].where(~marks["overdue"], "forsinket (" + marks["status"] + ")"),
        slip_weeks=marks["slip_weeks"],
    )
    activity_rows = (
        [kinds.iat[i] if col == "kind" else values.get(col) for _, col, _ in _SHEET_COLUMNS]
        for i, values in enumerate(shown.to_dict("records"))
    )
    columns = [
        (h, w, "mfr_date" if c.endswith("_date") else "mfr_slip" if c == "slip_weeks" else _wrap(c))
        for h, c, w in _SHEET_COLUMNS
    ]
    printed = sum(c not in _TECHNICAL for _, c, _ in _SHEET_COLUMNS)
    _table_sheet(wb, styles, ACTIVITY_SHEET, title, footer, columns, activity_rows, printed=printed)
    _table_sheet(
        wb,
        styles,
        MILESTONE_SHEET,
        title,
        footer,
        [
            ("Dato", 11, "mfr_date"),
            ("Milepæl", 40, "mfr_wrap"),
            ("Forum", 14, "mfr_wrap"),
            ("Type", 13, None),
            ("Budgettrin", 21, None),  # "regnskab til revision" whole
            ("Kilde", 32, "mfr_wrap"),
        ],
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
    )
    _table_sheet(
        wb,
        styles,
        FINDING_SHEET,
        title,
        footer,
        [
            ("Alvor", 9, None),
            ("Uge", 11, None),
            ("Enhed", 20, "mfr_wrap"),
            ("Aktivitet", 24, "mfr_wrap"),
            ("Problem", 42, "mfr_wrap"),
            ("Forslag", 28, "mfr_wrap"),
            ("Kode", 18, None),
        ],
        (
            [
                SEVERITY_LABELS[r["severity"]],
                _week_text(r["week"]),
                r["unit"],
                r["activity"],
                r["message"],
                r["suggestion"],
                r["code"],
            ]
            for r in findings.to_dict("records")
        ),
        printed=6,
        empty="Ingen problemer fundet.",
    )
    write_scope(wb, plan, sched, department=dep_id if department is not None else None)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_filename(plan: Plan, *, department: str | None = None, revision: int | None = None) -> str:
    """Return a safe ASCII file name such as `ugeplan-born-og-familie-2026-rev12.xlsx`."""
    sched_year = min(plan.waves["follow_up_month"]).split("-")[0] if len(plan.waves) else str(dt.date.today().year)
    suffix = f"-rev{revision}" if revision is not None else ""
    if department is None:
        return f"ugeplan-alle-afdelinger-{sched_year}{suffix}.xlsx"
    dep_id = department_lookup(plan, department)
    name = plan.departments.set_index("department_id").loc[dep_id, "name"] if dep_id else department
    return f"ugeplan-{slug(str(name))}-{sched_year}{suffix}.xlsx"
