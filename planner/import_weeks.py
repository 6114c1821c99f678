"""Which weeks an imported row asks for: from Startuge/Slutuge, Startdato/Slutdato or a moved Ugeplan bar.

Each source is compared with the weeks the row had when exported; a source the user did not
change says nothing. Changing only the start moves the whole activity (its length is kept);
changing only the end of a one-off task changes its length. When two changed sources disagree,
or an edit cannot be taken, the problem names the cell and says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import Problem
from .excel import ACTIVITY_SHEET
from .isoweeks import Week, WeekError, iso_label, parse_week, week_label, week_of

__all__ = ["Cells", "Span", "resolve_weeks"]


@dataclass(frozen=True)
class Span:
    """A start and end week, both `2026-W11` labels."""

    start: str
    end: str


@dataclass(frozen=True)
class Cells:
    """The week cells of one Aktiviteter row as text, and where its Ugeplan bar starts (if read)."""

    row: int
    start_week: str
    end_week: str
    start_date: str | None = None
    end_date: str | None = None
    bar_week: str | None = None
    bar_cell: str | None = None


def _wk(week: Week) -> str:
    return week_label(week, with_year=True)


def _say(label: str) -> str:
    return _wk(parse_week(label))


def _date_week(text: str) -> Week:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return week_of(dt.datetime.strptime(text.strip(), fmt).date())
        except ValueError:
            continue
    raise ValueError(text)


def _span(
    start: Week,
    end: Week,
    exported: Span,
    fixed_length: int | None,
    fields: tuple[str, str],
    row: int,
    problems: list[Problem],
    notes: list[Problem],
) -> Span | None:
    """Return the span a changed pair of cells asks for, or None with a problem saying why it cannot."""
    old_start, old_end = parse_week(exported.start), parse_week(exported.end)
    length = fixed_length or (old_end - old_start + 1)
    start_changed, end_changed = start != old_start, end != old_end
    if start_changed and not end_changed:
        moved_end = start + (length - 1)
        if end != moved_end:
            notes.append(
                Problem(
                    ACTIVITY_SHEET,
                    row,
                    fields[0],
                    f"kun {fields[0]} er ændret: hele aktiviteten flyttes, så den slutter i {_wk(moved_end)}",
                )
            )
        return Span(iso_label(start), iso_label(moved_end))
    if end < start:
        problems.append(
            Problem(
                ACTIVITY_SHEET,
                row,
                fields[1],
                f"{fields[1]} ({_wk(end)}) ligger før {fields[0]} ({_wk(start)})",
            )
        )
        return None
    if fixed_length and end - start + 1 != fixed_length:
        what = (
            "ret Startuge for at flytte den"
            if not start_changed
            else (f"med start i {_wk(start)} skal den slutte i {_wk(start + (fixed_length - 1))}")
        )
        problems.append(
            Problem(ACTIVITY_SHEET, row, fields[1], f"aktiviteten varer altid {fixed_length} uge(r); {what}")
        )
        return None
    return Span(iso_label(start), iso_label(end))


def resolve_weeks(
    cells: Cells, exported: Span, *, fixed_length: int | None, problems: list[Problem], notes: list[Problem]
) -> Span | None:
    """Return the weeks the row asks for, or None when it asks for no change (or cannot be read).

    `fixed_length` is the template's length in weeks for a template activity, None for a one-off
    task. Problems and notes are appended, naming the row and the cell.
    """
    row = cells.row
    proposals: list[tuple[str, Span]] = []
    bad = len(problems)
    try:
        start = parse_week(cells.start_week)
    except WeekError as exc:
        problems.append(Problem(ACTIVITY_SHEET, row, "Startuge", f"ugyldig uge: {exc}"))
    try:
        end = parse_week(cells.end_week)
    except WeekError as exc:
        problems.append(Problem(ACTIVITY_SHEET, row, "Slutuge", f"ugyldig uge: {exc}"))
    if len(problems) == bad and (iso_label(start), iso_label(end)) != (exported.start, exported.end):
        span = _span(start, end, exported, fixed_length, ("Startuge", "Slutuge"), row, problems, notes)
        if span:
            proposals.append(("Startuge/Slutuge", span))
    if cells.start_date and cells.end_date:
        dates: list[Week] = []
        for text, field in ((cells.start_date, "Startdato"), (cells.end_date, "Slutdato")):
            try:
                dates.append(_date_week(text))
            except ValueError:
                problems.append(Problem(ACTIVITY_SHEET, row, field, f"'{text}' er ikke en dato; skriv fx 09.03.2026"))
        if len(dates) == 2 and (iso_label(dates[0]), iso_label(dates[1])) != (exported.start, exported.end):
            span = _span(dates[0], dates[1], exported, fixed_length, ("Startdato", "Slutdato"), row, problems, notes)
            if span:
                proposals.append(("Startdato/Slutdato", span))
    if cells.bar_week and cells.bar_week != exported.start:
        first = parse_week(cells.bar_week)
        length = fixed_length or (parse_week(exported.end) - parse_week(exported.start) + 1)
        proposals.append(
            (f"bjælken i Ugeplan (celle {cells.bar_cell})", Span(iso_label(first), iso_label(first + (length - 1))))
        )
    if len(problems) > bad or not proposals:
        return None
    (first_source, chosen), *others = proposals
    for source, span in others:
        if span != chosen:
            problems.append(
                Problem(
                    ACTIVITY_SHEET,
                    row,
                    source.split("/")[0] if "/" in source else "Startuge",
                    f"{first_source} siger {_say(chosen.start)}–{_say(chosen.end)}, men {source} siger "
                    f"{_say(span.start)}–{_say(span.end)}; ret den ene, så de passer sammen",
                )
            )
            return None
    return chosen
