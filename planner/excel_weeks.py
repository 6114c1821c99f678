"""The Ugeplan sheet: a week grid per department, readable on screen and on A4 paper.

Every week of an activity is filled in its wave's colour and shows the wave's number; holiday weeks
are grey down the whole column; holidays, milestones and each wave's data cut-off are written above
the grid in lanes of merged cells, so no label leaves its cells, and a legend below them explains
every colour and mark. Printed at 100 %, the grid runs over as many pages as it needs, each as full
as the weeks allow, with the activity column and the whole header block (months with their year,
weeks, notes, legend) repeated on every page, and a page break before each department; units are
headings within their department.
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

from .excel_legend import FLAG, LegendItem, legend_items, legend_rows
from .excel_style import Writer, page_setup, row_height, wave_style
from .isoweeks import danish_month
from .palette import HOLIDAY_SHADE
from .texts import hours_text

__all__ = ["LABEL_COLUMNS", "write_week_sheet"]

LABEL_COLUMNS: tuple[tuple[str, int], ...] = (("Aktivitet", 33),)
_WEEK_WIDTH = 3.8  # a Monday's 'dd.mm' in 8 pt fits; 27 weeks and the label column fit A4 in LibreOffice and Excel
# Week columns that fit on A4 landscape at 100 % beside the repeated activity column: 27 lets a
# year's rollout (about 53 weeks) print on two pages across instead of three.
_WEEKS_PER_PAGE = 27
_MIN_FILL = 2 / 3  # a page is filled at least this far when the weeks allow it
_CHARS_PER_WEEK = 5  # characters of 8 pt text one week column holds, with room to spare
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

    As few pages as the weeks need, filled about evenly: a band of a month and a half beside full
    ones wastes a page per department, and a narrow one needs a tall legend. Within a few weeks of
    the even end, a month start and an end no note runs across are preferred, and a month is never
    left with a single week on a page where another end will do.
    """
    total, per = len(mondays), _WEEKS_PER_PAGE
    if total <= per:
        return [total]
    month_starts = {first for first, _ in _month_runs(mondays)}
    inside = {c for n in notes for c in range(n.start + 1, n.start + n.span)}

    def cost(end: int, even: int) -> tuple[bool, int]:
        lone = end not in month_starts and (end - 1 in month_starts or end + 1 in month_starts)
        # A month start or a note kept whole is worth a few weeks of evenness (a note cut by the
        # page is moved onto it, see `_lanes`), a lone week of a month is not worth having.
        return (lone, abs(end - even) + 3 * (end not in month_starts) + 2 * (end in inside))

    ends: list[int] = []
    start = 0
    for after in range(math.ceil(total / per) - 1, 0, -1):  # pages still to come after this one
        even = start + math.ceil((total - start) / (after + 1))
        slack = math.floor(per * (1 - _MIN_FILL) / 2)  # how far from even a month start may pull
        low = max(total - after * per, even - slack)
        high = min(start + per, total - 1, even + slack)
        start = min(range(low, high + 1), key=lambda end: cost(end, even))
        ends.append(start)
    return [*ends, total]


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
    # One character more: a '◆' or a capital is wider than the average the count assumes.
    return math.ceil((len(text) + 1) / _CHARS_PER_WEEK)


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

    def legend_rows(self, rows: list[list[tuple[int, int, LegendItem]]]) -> None:
        """Write the legend: per item its sample cell, then its words merged over the columns they need."""
        for k, row in enumerate(rows):
            weeks = self.week_cells(head=True)
            merges = []
            for col, width, item in row:
                if item.sample is not None:
                    style, value = item.sample
                    weeks[col] = self.out.cell(value, style)
                    col, width = col + 1, width - 1
                if width <= 0:
                    continue
                weeks[col] = self.out.cell(item.text, item.style)
                for j in range(col + 1, col + width):
                    weeks[j] = None
                if width > 1:
                    merges.append((col, width))
            label = self.out.cell("Forklaring" if k == 0 else None, "mfr_row_label")
            number = self.append([label], weeks, height=13)
            for col, width in merges:
                first = get_column_letter(self.n_labels + 1 + col)
                last = get_column_letter(self.n_labels + col + width)
                self.ws.merged_cells.add(f"{first}{number}:{last}{number}")

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


def _monday(day: pd.Timestamp) -> dt.date:
    return day.date() - dt.timedelta(days=day.weekday())


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
        monday = _monday(day)
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


def _month_pieces(mondays: list[dt.date], pages: list[int]) -> list[tuple[int, int]]:
    """Return (first week column, columns) of every month on every printed page: a month a page break cuts is two."""
    pieces = []
    start = 0
    for end in pages:
        for first, n_cols in _month_runs(mondays):
            lo, hi = max(first, start), min(first + n_cols, end)
            if lo < hi:
                pieces.append((lo, hi - lo))
        start = end
    return pieces


def _month_cells(out: Writer, mondays: list[dt.date], pages: list[int]) -> list[Any]:
    """Return the month row: each name as long as its weeks have room for, with its year where a page
    starts and where the year changes, so every printed page says which year it shows."""
    cells: list[Any] = [None] * len(mondays)
    starts = {0, *pages}
    shown_year = None
    for first, n_cols in _month_pieces(mondays, pages):
        if first in starts:
            shown_year = None
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
    flagged: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Write the Ugeplan of `sched` over the weeks of `span` into the write-only sheet `ws`.

    `marks` (`status_marks.marks` of `sched`, as of `as_of`) marks done and overdue activities;
    the activities whose `activity_key` is in `flagged` have a finding and are marked '⚠'.
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
    waves = sched.dropna(subset=["wave"]).drop_duplicates("wave").sort_values("wave")
    shown_kinds = [k for day, k in zip(milestones["date"], milestones["kind"], strict=True) if _monday(day) in index]
    items = legend_items(
        waves=[(int(w), str(n)) for w, n in zip(waves["wave"], waves["wave_name"], strict=True)],
        no_wave=bool(sched["wave"].isna().any()),
        holidays=bool(holidays),
        milestone_kinds=shown_kinds,
        cutoffs=bool(notes["Skæringsdato for data"]),
        flagged=bool(set(sched["activity_key"]) & set(flagged)),
        as_of=as_of if marks is not None else None,
        bar_style={
            **{f"wave {int(w)}": wave_style(int(w)) for w in waves["wave"]},
            "none": wave_style(None),
            "holiday": "mfr_empty_holiday",
            "done": wave_style(1, mark="done"),
            "overdue": wave_style(1, mark="overdue"),
        },
        symbols=_SYMBOLS,
    )
    legend = legend_rows(items, pages, _CHARS_PER_WEEK)
    # Title, months, weeks, Mondays, the lanes, the legend, the headings: fixed before the first row
    # goes out, because a write-only sheet writes its frozen panes first.
    head = 5 + sum(max(1, len(lane)) for _, lane in lanes) + len(legend)
    ws.freeze_panes = f"{get_column_letter(n_labels + 1)}{head + 1}"
    ws.print_title_rows = f"2:{head}"
    ws.print_title_cols = f"A:{get_column_letter(n_labels)}"
    ws.print_options.gridLines = True
    page_setup(ws, title, footer=footer)

    sheet.append([out.cell(title, "mfr_title")], [], height=22)
    month_row = sheet.append([None], _month_cells(out, mondays, pages), height=14)
    for first_col, n_cols in _month_pieces(mondays, pages):
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
    sheet.legend_rows(legend)
    sheet.append([out.cell(h, "mfr_header") for h, _ in LABEL_COLUMNS], [out.cell(None, "mfr_header") for _ in mondays])

    # Row 1 (the title, for the screen) is not printed: the page header carries the title whole.
    print_area = f"A2:{get_column_letter(n_labels + len(mondays))}"
    if sched.empty:
        sheet.append([out.cell("Planen har ingen aktiviteter endnu.", "mfr_text")], [])
        ws.print_area = f"{print_area}{out.rows}"
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
        # A done or overdue week shows its symbol; a plain one its wave's number ('–' for none), so
        # waves differ in grey print too; a value also keeps the holiday shading off the bar.
        bar = (wave_style(wave or None, mark=mark), _SYMBOLS.get(mark, wave or "–"))
        filled = {c: bar for c in range(max(0, first_col), min(len(mondays) - 1, last_col) + 1)}
        label = r["activity"] + (f" ({h})" if h else "")
        style = "mfr_wrap"
        if r["activity_key"] in flagged:
            label, style = f"{FLAG} {label}", "mfr_flagged"
        sheet.append([out.cell(label, style)], sheet.week_cells(filled), height=row_height([label], widths))

    last_body = out.rows
    for i in sorted(holidays):
        letter = get_column_letter(n_labels + 1 + i)
        ws.conditional_formatting.add(
            f"{letter}{first_body}:{letter}{last_body}",
            FormulaRule(formula=[f"ISBLANK({letter}{first_body})"], fill=PatternFill("solid", bgColor=HOLIDAY_SHADE)),
        )

    ws.print_area = f"{print_area}{out.rows}"
