"""The Ugeplan sheet: a week grid per department, readable on screen and on A4 paper.

Every week of an activity is filled in its wave's colour; holiday weeks are grey down the whole
column; holidays, milestones and each wave's data cut-off are written above the grid in lanes of
merged cells, so no label leaves its cells. Printed at 100 %, the grid runs over as many pages as
it needs, whole months to a page, with the activity column and the week headings repeated on every
page, and a page break before each department; units are headings within their department.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from .excel_style import Writer, page_setup, row_height, wave_style
from .isoweeks import danish_month
from .palette import HOLIDAY_SHADE
from .texts import hours_text

__all__ = ["LABEL_COLUMNS", "write_week_sheet"]

LABEL_COLUMNS: tuple[tuple[str, int], ...] = (("Aktivitet", 34),)
_WEEK_WIDTH = 4.4
# Week columns that fit on A4 landscape at 100 % beside the repeated activity column.
_WEEKS_PER_PAGE = 23
_CHARS_PER_WEEK = 6  # characters of 8 pt text one week column holds, with room to spare
_SYMBOLS = {"done": "✓", "overdue": "!"}


@dataclass(frozen=True)
class _Note:
    start: int  # week column index
    span: int
    text: str
    style: str


def _mondays(first: dt.date, last: dt.date) -> list[dt.date]:
    monday = first - dt.timedelta(days=first.weekday())
    return [monday + dt.timedelta(weeks=i) for i in range(max(1, (last - monday).days // 7))]


def _pages(mondays: list[dt.date], notes: list[_Note]) -> list[int]:
    """Return the week columns where each printed page ends (exclusive), the last one included.

    A page holds whole months, as many as fit, so no month name is cut; among the month starts
    that fit, the last one no note runs across is taken, so holidays and cut-offs stay whole.
    """
    starts = [first for first, _ in _month_runs(mondays)][1:]
    inside = {c for n in notes for c in range(n.start + 1, n.start + n.span)}
    ends: list[int] = []
    start = 0
    while len(mondays) - start > _WEEKS_PER_PAGE:
        fits = [m for m in starts if start < m <= start + _WEEKS_PER_PAGE]
        if not fits:  # a month longer than a page: break inside it
            fits = [start + _WEEKS_PER_PAGE]
        clear = [m for m in fits if m not in inside]
        start = (clear or fits)[-1]
        ends.append(start)
    return [*ends, len(mondays)]


def _lanes(notes: Iterable[_Note], page_ends: list[int]) -> list[list[_Note]]:
    """Return the notes packed into as few rows as possible without two sharing a week column.

    A note never runs past the end of its printed page (a merged cell cut by a page break loses
    its text): one that would, ends with the page and starts as many weeks earlier as it needs.
    """
    lanes: list[list[_Note]] = []
    ends: list[int] = []
    placed_notes = []
    for note in notes:
        k = next(i for i, e in enumerate(page_ends) if e > note.start)
        page_start, page_end = (page_ends[k - 1] if k else 0), page_ends[k]
        start = max(page_start, min(note.start, page_end - note.span))
        placed_notes.append(_Note(start, min(note.span, page_end - start), note.text, note.style))
    for note in sorted(placed_notes, key=lambda n: n.start):
        for i, end in enumerate(ends):
            if end <= note.start:
                lanes[i].append(note)
                ends[i] = note.start + note.span
                break
        else:
            lanes.append([note])
            ends.append(note.start + note.span)
    return lanes


def _needed(text: str) -> int:
    return math.ceil(len(text) / _CHARS_PER_WEEK)


class _Sheet:
    """Writes the Ugeplan row by row; knows which week columns are holidays."""

    def __init__(self, ws: Any, out: Writer, mondays: list[dt.date], holidays: set[int]) -> None:
        self.ws, self.out, self.mondays, self.holidays = ws, out, mondays, holidays
        self.n_labels = len(LABEL_COLUMNS)

    def week_cells(self, filled: dict[int, tuple[str, int | str]] | None = None, *, head: bool = False) -> list[Any]:
        """Return the week cells of a row: `filled` columns (style, value) as bars.

        A heading row paints its holiday weeks grey itself; the body's empty cells are painted
        by conditional formatting, which costs nothing per cell on a plan of 20,000 rows.
        """
        cells: list[Any] = [None] * len(self.mondays)
        if head:
            for i in self.holidays:
                cells[i] = self.out.cell(None, "mfr_empty_holiday")
        for i, (style, value) in (filled or {}).items():
            cells[i] = self.out.cell(value, style)
        return cells

    def append(self, labels: list[Any], weeks: list[Any], *, height: float | None = None) -> int:
        self.out.row([*labels, *weeks], height=height)
        return int(self.out.rows)

    def lane_rows(self, label: str, lanes: list[list[_Note]]) -> None:
        for k, lane in enumerate(lanes or [[]]):
            weeks = self.week_cells(head=True)
            for note in lane:
                # Grey where the note covers only holiday weeks, so the column stays grey all the way down.
                grey = set(range(note.start, note.start + note.span)) <= self.holidays
                weeks[note.start] = self.out.cell(note.text, f"{note.style}_holiday" if grey else note.style)
                for j in range(note.start + 1, note.start + note.span):
                    weeks[j] = None
            row = self.append([self.out.cell(label if k == 0 else None, "mfr_row_label")], weeks, height=13)
            for note in lane:
                if note.span > 1:
                    first = get_column_letter(self.n_labels + 1 + note.start)
                    last = get_column_letter(self.n_labels + note.start + note.span)
                    self.ws.merged_cells.add(f"{first}{row}:{last}{row}")


def _holiday_notes(poor: dict[dt.date, str], mondays: list[dt.date]) -> list[_Note]:
    notes: list[_Note] = []
    i = 0
    while i < len(mondays):
        text = _shown_reason(poor.get(mondays[i]))
        if not text:
            i += 1
            continue
        run = 1
        while i + run < len(mondays) and _shown_reason(poor.get(mondays[i + run])) == text:
            run += 1
        notes.append(_Note(i, max(run, _needed(text)), text, "mfr_note"))
        i += run
    return notes


def _shown_reason(reason: str | None) -> str | None:
    # The school holiday names the week (juleferie, not juleferie, juleaftensdag, juledag); the
    # public holidays in it are named in the Gantt's hover text and the Problemer sheet.
    return reason.split(", ")[0] if reason else None


def _milestone_notes(milestones: pd.DataFrame, index: dict[dt.date, int]) -> list[_Note]:
    notes = []
    for day, body, kind in zip(milestones["date"], milestones["body"], milestones["kind"], strict=True):
        monday = day.date() - dt.timedelta(days=day.weekday())
        if monday in index:
            text = f"◆ {body}"
            notes.append(_Note(index[monday], _needed(text), text, f"mfr_milestone_{kind}"))
    return notes


def _cutoff_notes(cutoffs: pd.DataFrame, index: dict[dt.date, int]) -> list[_Note]:
    notes = []
    for wave, cutoff in zip(cutoffs["wave"], cutoffs["cutoff"], strict=True):
        day = pd.Timestamp(cutoff).date()
        monday = day - dt.timedelta(days=day.weekday())
        if monday in index:
            text = f"Data pr. {day:%d.%m.%Y} (bølge {wave})"
            notes.append(_Note(index[monday], _needed(text), text, "mfr_cutoff"))
    return notes


def _month_runs(mondays: list[dt.date]) -> list[tuple[int, int]]:
    """Return (first week column, number of week columns) of every month in the grid."""
    starts = [i for i, m in enumerate(mondays) if i == 0 or m.month != mondays[i - 1].month]
    return [(i, (starts[k + 1] if k + 1 < len(starts) else len(mondays)) - i) for k, i in enumerate(starts)]


def _month_cells(out: Writer, mondays: list[dt.date]) -> list[Any]:
    """Return the month row: each name as long as its weeks have room for, the year where it changes."""
    cells: list[Any] = [None] * len(mondays)
    shown_year = None
    for first, n_cols in _month_runs(mondays):
        day = mondays[first]
        room = n_cols * _CHARS_PER_WEEK
        with_year = day.year != shown_year and room >= 9  # 'jan. 2026' needs two columns
        name = danish_month(day, with_year=with_year, short=room < 14)
        if len(name) > room:
            continue  # a month with one week in view: the next month names the year
        cells[first] = out.cell(name, "mfr_month")
        if with_year:
            shown_year = day.year
    return cells


def _ordered(sched: pd.DataFrame) -> pd.DataFrame:
    """Return the rows grouped by department, then unit, each in the order it first starts."""
    frame = sched.assign(_dep=sched["department"].where(sched["department"] != "", "Fælles"))
    frame["_dt"] = frame.groupby("_dep")["start_date"].transform("min")
    frame["_ut"] = frame.groupby(["_dep", "unit"])["start_date"].transform("min")
    return frame.sort_values(["_dt", "_dep", "_ut", "unit", "start_date"], kind="stable")


def write_week_sheet(
    ws: Any,
    out: Writer,
    sched: pd.DataFrame,
    *,
    span: tuple[dt.date, dt.date],
    poor_weeks: pd.DataFrame,
    milestones: pd.DataFrame,
    cutoffs: pd.DataFrame,
    title: str,
    footer: str,
    marks: pd.DataFrame | None = None,
    as_of: dt.date | None = None,
) -> None:
    """Write the Ugeplan of `sched` over the weeks of `span` into the write-only sheet `ws`.

    `marks` (`status_marks.marks` of `sched`, as of `as_of`) marks done and overdue activities.
    """
    mondays = _mondays(*span)
    index = {m: i for i, m in enumerate(mondays)}
    poor = {
        dt.date.fromisocalendar(int(w[:4]), int(w[6:]), 1): str(r)
        for w, r in zip(poor_weeks["week"], poor_weeks["reason"], strict=True)
    }
    holidays = {index[m] for m in poor if m in index}
    sheet = _Sheet(ws, out, mondays, holidays)
    n_labels = len(LABEL_COLUMNS)
    for i, (_, width) in enumerate(LABEL_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for i in range(len(mondays)):
        ws.column_dimensions[get_column_letter(n_labels + 1 + i)].width = _WEEK_WIDTH

    notes = {
        "Ferie/helligdag": _holiday_notes(poor, mondays),
        "Milepæle": _milestone_notes(milestones, index),
        "Skæringsdato for data": _cutoff_notes(cutoffs, index),
    }
    pages = _pages(mondays, [n for group in notes.values() for n in group])
    for end in pages[:-1]:
        ws.col_breaks.append(Break(id=n_labels + end))
    lanes = [(label, _lanes(group, pages)) for label, group in notes.items()]
    # Title, months, weeks, Mondays, the lanes, the headings: fixed before the first row goes out,
    # because a write-only sheet writes its frozen panes first.
    head = 5 + sum(max(1, len(lane)) for _, lane in lanes)
    ws.freeze_panes = f"{get_column_letter(n_labels + 1)}{head + 1}"
    ws.print_title_rows = f"2:{head}"
    ws.print_title_cols = f"A:{get_column_letter(n_labels)}"
    ws.print_options.gridLines = True
    page_setup(ws, title, footer=footer)

    sheet.append([out.cell(title, "mfr_title")], [], height=22)
    month_row = sheet.append([None], _month_cells(out, mondays), height=14)
    for first_col, n_cols in _month_runs(mondays):
        if n_cols > 1:
            first = get_column_letter(n_labels + 1 + first_col)
            last = get_column_letter(n_labels + first_col + n_cols)
            ws.merged_cells.add(f"{first}{month_row}:{last}{month_row}")
    weeks = [
        out.cell(m.isocalendar()[1], "mfr_week_holiday" if i in holidays else "mfr_week") for i, m in enumerate(mondays)
    ]
    sheet.append([out.cell("Uge", "mfr_row_label")], weeks)
    days = [out.cell(m, "mfr_monday_holiday" if i in holidays else "mfr_monday") for i, m in enumerate(mondays)]
    sheet.append([out.cell("Mandag", "mfr_row_label")], days)
    for label, lane in lanes:
        sheet.lane_rows(label, lane)
    sheet.append([out.cell(h, "mfr_header") for h, _ in LABEL_COLUMNS], [out.cell(None, "mfr_header") for _ in mondays])

    if sched.empty:
        sheet.append([out.cell("Planen har ingen aktiviteter endnu.", "mfr_text")], [])
        return
    first_body = out.rows + 1
    ordered = _ordered(sched)
    origin = pd.Timestamp(mondays[0])
    start_col = ((ordered["start_date"] - origin).dt.days // 7).tolist()
    end_col = ((ordered["end_date"] - origin).dt.days // 7).tolist()
    hours = ordered["hours"].map(lambda h: hours_text(None if pd.isna(h) else float(h))).tolist()
    mark_of = marks["mark"].reindex(ordered.index).fillna("").tolist() if marks is not None else [""] * len(ordered)
    widths = [w for _, w in LABEL_COLUMNS]
    department = unit = None
    rows = zip(ordered.to_dict("records"), start_col, end_col, hours, mark_of, strict=True)
    for r, first_col, last_col, h, mark in rows:
        if r["_dep"] != department:
            if department is not None:
                ws.row_breaks.append(Break(id=out.rows))
            department, unit = r["_dep"], None
            sheet.append([out.cell(department, "mfr_group")], [], height=18)
        if r["unit"] != unit:
            unit = r["unit"]
            # A unit named as its department needs no heading of its own.
            if unit and unit != department:
                heading = out.cell(unit, "mfr_unit")
                sheet.append([heading], [], height=row_height([unit], widths))
        wave = 0 if pd.isna(r["wave"]) else int(r["wave"])
        # A done or overdue week shows its symbol; a plain one holds its wave's number, hidden by ';;;'.
        bar = (wave_style(wave or None, mark=mark), _SYMBOLS.get(mark, wave))
        filled = {c: bar for c in range(max(0, first_col), min(len(mondays) - 1, last_col) + 1)}
        label = r["activity"] + (f" ({h})" if h else "")
        sheet.append([out.cell(label, "mfr_wrap")], sheet.week_cells(filled), height=row_height([label], widths))

    last_body = out.rows
    for i in sorted(holidays):
        letter = get_column_letter(n_labels + 1 + i)
        ws.conditional_formatting.add(
            f"{letter}{first_body}:{letter}{last_body}",
            FormulaRule(formula=[f"ISBLANK({letter}{first_body})"], fill=PatternFill("solid", bgColor=HOLIDAY_SHADE)),
        )

    sheet.append([], [])
    sheet.append([out.cell("Forklaring", "mfr_title")], [], height=20)
    waves = sched.dropna(subset=["wave"]).drop_duplicates("wave").sort_values("wave")
    for wave, name in zip(waves["wave"], waves["wave_name"], strict=True):
        sheet.append([out.cell(f"{name}: aktivitetens uger", wave_style(int(wave), label=True))], [])
    if sched["wave"].isna().any():
        sheet.append([out.cell("Uden bølge: aktivitetens uger", wave_style(None, label=True))], [])
    sheet.append([out.cell("Gråt felt: skoleferie eller helligdag", "mfr_note_holiday")], [])
    sheet.append([out.cell("◆ Forum: milepæl (se arket Milepæle)", "mfr_milestone_political")], [])
    sheet.append([out.cell("Data pr.: bølgens skæringsdato for data", "mfr_cutoff")], [])
    if marks is not None:
        # The text beside a sample week in the grid's own look: the mark explains itself where it is used.
        when = f" (pr. {as_of:%d.%m.%Y})" if as_of else ""
        for text, mark in ((f"Gennemført{when}", "done"), (f"Forsinket{when}", "overdue")):
            sample: dict[int, tuple[str, int | str]] = {0: (wave_style(1, mark=mark), _SYMBOLS[mark])}
            sheet.append([out.cell(text, "mfr_text")], sheet.week_cells(sample))
