"""The Excel exports' named styles, cell writer and print setup: declared once, used by every sheet."""

from __future__ import annotations

import datetime as dt
import functools
import math
import textwrap
from collections.abc import Iterable, Sequence
from copy import copy
from typing import Any

import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

from .palette import (
    CUTOFF_COLOUR,
    FINDING_RED,
    GROUP_FILL,
    HOLIDAY_SHADE,
    MILESTONE_COLOURS,
    OVERDUE_RED,
    WAVE_COLOURS,
    tint,
    wave_colour,
)

__all__ = ["TEXT_FORMAT", "Writer", "line_chars", "named_styles", "page_setup", "row_height", "wave_style"]

_TEXT_START = ("=", "+", "-", "@")
# Excel's "Text" number format: a cell in it keeps '=…' as text even after a user edits it and
# presses Enter; without it Excel turns the edited text into a formula.
TEXT_FORMAT = "@"
_FONT = "Calibri"  # Excel's default; LibreOffice prints it with the metric-compatible Carlito


def _holiday(style: NamedStyle) -> NamedStyle:
    """Return `style` on the grey of a holiday week, named `<name>_holiday`."""
    shaded = NamedStyle(
        f"{style.name}_holiday",
        font=copy(style.font),
        border=copy(style.border),
        alignment=copy(style.alignment),
        number_format=style.number_format,
        fill=PatternFill("solid", fgColor=HOLIDAY_SHADE),
    )
    return shaded


def named_styles() -> list[NamedStyle]:
    """Return the workbook's named styles; declared once, registered in every fresh workbook."""
    thin = Side(style="thin", color="BFBFBF")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    small = Font(name=_FONT, size=8, color="404040")
    week = NamedStyle(
        "mfr_week", font=Font(name=_FONT, bold=True, size=9), alignment=Alignment(horizontal="center"), border=grid
    )
    monday = NamedStyle(
        "mfr_monday", number_format="dd.mm", font=small, alignment=Alignment(horizontal="center"), border=grid
    )
    empty = NamedStyle("mfr_empty", border=Border(left=thin, right=thin))
    note = NamedStyle(
        "mfr_note",
        font=Font(name=_FONT, size=8, italic=True, color="404040"),
        alignment=Alignment(horizontal="center", vertical="center"),
    )
    cutoff = NamedStyle(
        "mfr_cutoff",
        font=Font(name=_FONT, size=8, bold=True, color=CUTOFF_COLOUR),
        alignment=Alignment(horizontal="left", vertical="center"),
        border=Border(left=Side(style="medium", color=CUTOFF_COLOUR)),
    )
    styles = [
        NamedStyle("mfr_title", font=Font(name=_FONT, bold=True, size=14)),
        NamedStyle(
            "mfr_header",
            font=Font(name=_FONT, bold=True, size=11),  # as the body: a table scaled to fit keeps 8 pt
            fill=PatternFill("solid", fgColor=GROUP_FILL),
            border=grid,
            alignment=Alignment(vertical="center", wrap_text=True),
        ),
        NamedStyle(
            "mfr_month",
            font=Font(name=_FONT, bold=True, size=9, color="404040"),
            alignment=Alignment(horizontal="center"),
            border=Border(left=thin),
        ),
        week,
        monday,
        empty,
        _holiday(week),
        _holiday(monday),
        _holiday(empty),
        NamedStyle(
            "mfr_row_label",
            font=Font(name=_FONT, size=9, italic=True, color="404040"),
            alignment=Alignment(horizontal="right", vertical="center"),
        ),
        note,
        _holiday(note),
        cutoff,
        _holiday(cutoff),
        NamedStyle(
            "mfr_group",
            font=Font(name=_FONT, bold=True, size=11),
            fill=PatternFill("solid", fgColor=GROUP_FILL),
            alignment=Alignment(vertical="center"),
            number_format=TEXT_FORMAT,
        ),
        NamedStyle(
            "mfr_unit",
            font=Font(name=_FONT, bold=True, size=10),
            alignment=Alignment(vertical="center", wrap_text=True),
            number_format=TEXT_FORMAT,
        ),
        # Body text in Excel's default font, so the cells written without a style (most) match.
        NamedStyle("mfr_text", font=Font(name=_FONT, size=11), number_format=TEXT_FORMAT),
        NamedStyle(
            "mfr_wrap", font=Font(name=_FONT, size=11), alignment=Alignment(wrap_text=True), number_format=TEXT_FORMAT
        ),
        # An activity with a finding: '⚠' before its label, in the findings' red (the Gantt frames its bar red).
        NamedStyle(
            "mfr_flagged",
            font=Font(name=_FONT, size=11, color=FINDING_RED),
            alignment=Alignment(wrap_text=True),
            number_format=TEXT_FORMAT,
        ),
        # The legend's words beside their samples: dark on white, never white on a colour.
        NamedStyle(
            "mfr_legend",
            font=Font(name=_FONT, size=8, color="000000"),
            alignment=Alignment(horizontal="left", vertical="center"),
        ),
        NamedStyle(
            "mfr_legend_flag",
            font=Font(name=_FONT, size=8, bold=True, color=FINDING_RED),
            alignment=Alignment(horizontal="left", vertical="center"),
        ),
        NamedStyle("mfr_date", font=Font(name=_FONT, size=11), number_format="dd.mm.yyyy"),
        # A slip in weeks with its sign: +2 later, -1 earlier, 0 as approved.
        NamedStyle(
            "mfr_slip",
            font=Font(name=_FONT, size=11),
            number_format="+0;-0;0",
            alignment=Alignment(horizontal="center"),
        ),
    ]
    for kind, colour in MILESTONE_COLOURS.items():
        milestone = NamedStyle(
            f"mfr_milestone_{kind}",
            font=Font(name=_FONT, size=8, bold=True, color=colour),
            alignment=Alignment(horizontal="left", vertical="center"),
        )
        styles += [milestone, _holiday(milestone)]
    for number, colour in enumerate((wave_colour(None), *WAVE_COLOURS)):
        # A bar cell shows its wave's number (one character, centred, never spilling over): printed
        # in grey, blue, green and grey bars look alike, the number tells them apart. Black on the
        # light hues (orange, yellow), white on the dark ones.
        ink = "000000" if _light(colour) else "FFFFFF"
        styles.append(
            NamedStyle(
                f"mfr_wave_{number}",
                number_format="General",
                font=Font(name=_FONT, bold=True, size=9, color=ink),
                fill=PatternFill("solid", fgColor=colour),
                border=Border(top=Side(style="thin", color="FFFFFF"), bottom=Side(style="thin", color="FFFFFF")),
                alignment=Alignment(horizontal="center", vertical="center"),
            )
        )
        styles += _mark_styles(number, colour)
    return styles


def _light(colour: str) -> bool:
    """Return whether black text reads better than white on `colour` (hex, no '#'), by its luma."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * red + 0.587 * green + 0.114 * blue > 140


def _mark_styles(number: int, colour: str) -> list[NamedStyle]:
    """Return the styles of a done and an overdue bar in one wave's colour: a symbol, and a border or hatching.

    Not colour alone: a done week reads '✓' on a light fill framed in the wave's colour, an overdue
    week reads '!' on a light fill hatched in red (LibreOffice prints the hatching as a reddish tint)
    and boxed in a thick red line, on screen and in black-and-white print.
    """
    centre = Alignment(horizontal="center", vertical="center")
    frame = Side(style="thin", color=colour)
    red = Side(style="medium", color=OVERDUE_RED)
    return [
        NamedStyle(
            f"mfr_wave_{number}_done",
            font=Font(name=_FONT, bold=True, size=9, color="000000"),
            fill=PatternFill("solid", fgColor=tint(colour)),
            border=Border(top=frame, bottom=frame),
            alignment=centre,
        ),
        NamedStyle(
            f"mfr_wave_{number}_overdue",
            font=Font(name=_FONT, bold=True, size=10, color="000000"),
            fill=PatternFill("lightUp", fgColor=OVERDUE_RED, bgColor=tint(colour)),
            border=Border(left=red, right=red, top=red, bottom=red),
            alignment=centre,
        ),
    ]


def line_chars(width: float, font: float = 11) -> int:
    """Return the characters of Calibri at `font` pt one line of a column `width` wide holds, with room to spare."""
    return max(4, math.floor((width * 7 + 5) / (font * 0.62)))


@functools.lru_cache(maxsize=4096)
def _lines(text: str, per_line: int) -> int:
    # Cached: a plan repeats the same sources and participants on thousands of rows.
    return sum(len(textwrap.wrap(part, per_line)) or 1 for part in text.split("\n"))


def row_height(texts: Sequence[object], widths: Sequence[float], *, font: float = 11) -> float | None:
    """Return the height (pt) a row needs to show its wrapped `texts` in columns of `widths`, or None.

    Set by hand: LibreOffice and Excel keep the default height of a row written without one, and
    a wrapped text would then be cut or overlap the next row when printed.
    """
    lines = 1
    for text, width in zip(texts, widths, strict=True):
        if text is None or width <= 0:
            continue
        per_line = line_chars(width, font)
        text = str(text)
        if len(text) > per_line or "\n" in text:
            lines = max(lines, _lines(text, per_line))
    return None if lines == 1 else round(lines * font * 1.3 + 3, 1)


def wave_style(wave: int | None, *, mark: str = "") -> str:
    """Return the named style of a bar in the colour of wave `wave`.

    `mark` (`done` or `overdue`, see `status_marks`) gives the bar style of that status.
    """
    number = (int(wave) - 1) % len(WAVE_COLOURS) + 1 if wave else 0
    return f"mfr_wave_{number}_{mark}" if mark in ("done", "overdue") else f"mfr_wave_{number}"


class Writer:
    """Turns values into write-only cells: text stays text, dates become Excel dates."""

    def __init__(self, ws: Any, styles: Iterable[NamedStyle]) -> None:
        self.ws = ws
        self.rows = 0  # rows appended so far
        self._styles: dict[str, Any] = {}
        for style in styles:
            # The style array is made once per style and copied: setting `cell.style` by name
            # searches the workbook's styles for every cell.
            probe = WriteOnlyCell(ws)
            probe.style = style.name
            self._styles[style.name] = probe._style

    def value(self, value: Any) -> Any:
        """Return `value` ready for a cell: a plain value where that is safe, else a text cell."""
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith(_TEXT_START):
                # openpyxl stores '=…' as a live formula: user text is data, so store it as a string,
                # in the Text format so that Excel keeps it text when someone edits the cell.
                cell = WriteOnlyCell(self.ws, value=value)
                cell.data_type = "s"
                cell.number_format = TEXT_FORMAT
                return cell
            return value
        if isinstance(value, pd.Timestamp):
            return value.date()
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return None
        return value

    def cell(self, value: Any, style: str | None = None) -> Any:
        """Return a cell for `value` in `style`; an empty styled cell when `value` is None."""
        value = self.value(value)
        if style is None:
            return value
        if isinstance(value, Cell):
            # A text cell (see `value`) keeps its Text format under the named style.
            text = value.number_format
            value._style = copy(self._styles[style])
            value.number_format = text
            return value
        cell = WriteOnlyCell(self.ws, value=value)
        cell._style = copy(self._styles[style])
        return cell

    def row(self, values: Iterable[Any], style: str | None = None, *, height: float | None = None) -> None:
        """Append a row (`height` in pt, else the default); cells given as cells keep their style."""
        self.rows += 1
        if height is not None:
            # Write-only sheets write a row's height as the row goes out: set it first.
            self.ws.row_dimensions[self.rows].height = height
        self.ws.append([v if isinstance(v, Cell) else self.cell(v, style) for v in values])


def page_setup(ws: Any, title: str, *, footer: str = "", fit_width: bool = False) -> None:
    """Set A4 landscape with narrow margins, the title and date in the header, page numbers below.

    `fit_width` scales a table to one page wide; otherwise it prints at 100 % over as many pages
    as it needs, across first, so a department's weeks follow each other.
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.pageOrder = "overThenDown"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = 100
    # '&' starts a code in Excel headers: a literal ampersand is written '&&'.
    ws.oddHeader.left.text = title.replace("&", "&&")
    # The title lives here, not only in a cell: a long title in a cell is cut at the repeated first
    # column on every page but the first, while the header prints it whole on every page.
    ws.oddHeader.left.font = f"{_FONT},Bold"
    # The export's own date in Danish form: '&D' would print the printing machine's date format.
    ws.oddHeader.right.text = f"Hentet {dt.date.today():%d.%m.%Y}"
    ws.oddFooter.left.text = footer.replace("&", "&&")
    ws.oddFooter.right.text = "Side &P af &N"
    for part in (ws.oddHeader.left, ws.oddHeader.right, ws.oddFooter.left, ws.oddFooter.right):
        part.size = 11  # scaled with a table that is fitted to the page: at least 8 pt on paper
