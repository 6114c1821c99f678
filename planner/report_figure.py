"""The report's Gantt on paper: for the plan or one department, readable in print and in greyscale, over pages."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .calendar import plan_years, poor_weeks
from .gantt import PROBLEM_LEGEND, Grouping, RowMode, build_gantt
from .isoweeks import danish_date
from .model import Plan
from .status_summary import ChefforumStatus
from .timeaxis import plan_span

__all__ = [
    "FONT_PX",
    "PRINT_SCALE",
    "PX_PER_CM",
    "Page",
    "PictureError",
    "draw_pages",
    "find_browser",
    "print_pages",
    "report_figure",
]

CHART_TEMPLATE = "plotly_white"
# A picture is laid out at 96 px per cm-on-paper/2.54, so one layout px prints as 0.75 pt: 12 px text is 9 pt.
PX_PER_CM = 96 / 2.54
FONT_PX = 12
PRINT_SCALE = 2.5  # drawn at 2.5 x the layout: 240 dpi on paper
FRAME_COLOUR = "#000000"  # black survives greyscale printing; the screen's red turns the grey of the bars
FRAME_WIDTH = 4
FRAME_LEGEND = "Sort ramme: fund eller forsinket (se tabellerne)"
STATUS_COLOUR = "#8B0000"
# White hatching over the wave's colour: waves of the same grey in a greyscale print stay apart.
WAVE_PATTERNS = ("", "/", "x", "\\", "+", "-", "|")
NO_WAVE_PATTERN = "."
_NEXT = dt.timedelta(weeks=4)  # as "De næste 4 uger": a department's chart reaches that far past the date
_TOP_PX = 70  # month labels and the status label
_ROW_PX = 22
_ROW_PX_WRAPPED = 34
_ONE_LINE_CHARS = 50  # row labels up to this long are put on one line: the page is wide, rows stay low
_PICTURE_ROWS = 40
_INSTALL = (
    "Gantt-diagrammet kunne ikke tegnes, fordi der ikke er en Chromium-browser på maskinen. "
    "Installér den (Debian/Ubuntu: 'apt-get install chromium'), eller sæt BROWSER_PATH til en Chrome eller Chromium."
)


class PictureError(RuntimeError):
    """The Gantt could not be drawn as a picture; the message says what to install or fix, in Danish."""


@dataclass(frozen=True)
class Page:
    """One picture of the Gantt, laid out at the size it is printed: `width_cm` x `height_cm`."""

    figure: go.Figure
    width_cm: float
    height_cm: float


def find_browser() -> Path | None:
    """Return the Chromium the picture is drawn with: `BROWSER_PATH`, Debian's, or one on PATH; never a download."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return Path(configured)
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def _picture_rows(sched: pd.DataFrame, findings: pd.DataFrame, group: str) -> pd.DataFrame:
    """Return the rows the picture needs: a large plan as one row per group, identical bars drawn once.

    The picture shows no hover text, so 2,000 units' identical bars in one collapsed row look the same
    drawn once; the browser then draws hundreds of bars instead of tens of thousands.
    """
    rows = sched["unit"].where(sched["unit"] != "", sched["activity"])
    if rows.nunique() <= _PICTURE_ROWS:
        return sched
    groups = sched[group].where(sched[group] != "", "–").astype("string")
    units = sched["unit_id"].where(sched["unit_id"] != "")
    counts = units.groupby(groups).nunique()
    collapsed = ("alle " + groups.map(counts).astype("string") + " enheder").where(sched["unit"] != "", sched["unit"])
    flagged = sched["activity_key"].isin(set(findings["activity_key"]))
    # Bars with a finding first, so the one kept of identical bars keeps its outline.
    reduced = sched.assign(unit=collapsed, _flag=flagged).sort_values("_flag", ascending=False, kind="stable")
    reduced = reduced.drop_duplicates([group, "unit", "activity_id", "start_date", "end_date", "kind", "wave"])
    return reduced.drop(columns="_flag").sort_index()


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def x_range(plan: Plan, status: ChefforumStatus) -> tuple[dt.date, dt.date]:
    """Return the weeks the report's chart shows: always including the status date.

    The whole plan: all of it and its milestones. A department: its activities up to four weeks past
    the status date (the report's "next four weeks"), with the plan's milestones in that period.
    """
    sched, as_of = status.schedule, status.as_of
    if status.department is None:
        first, last = plan_span(sched, plan.milestones) if len(sched) else (_monday(as_of), _monday(as_of))
    else:
        first, last = plan_span(sched) if len(sched) else (_monday(as_of), _monday(as_of))
        last = max(last, _monday(as_of + _NEXT) + dt.timedelta(weeks=1))
    # A week on either side of the date, so its line and label are never on the edge.
    return min(first, _monday(as_of) - dt.timedelta(weeks=1)), max(last, _monday(as_of) + dt.timedelta(weeks=2))


def report_figure(plan: Plan, status: ChefforumStatus) -> go.Figure:
    """Return the report's Gantt, ready for paper: department reports one row per activity."""
    sched = status.schedule
    first, last = x_range(plan, status)
    # A plan with many departments is drawn one row per wave, so the picture stays readable on a page.
    group_by: Grouping = "wave" if sched["department"].nunique() > 12 else "department"
    rows: RowMode = "activity" if status.department else "unit"
    column = "wave_name" if group_by == "wave" else "department"
    fig = build_gantt(
        _picture_rows(sched, status.findings, column) if rows == "unit" else sched,
        template=CHART_TEMPLATE,
        milestones=plan.milestones,
        poor_weeks=poor_weeks(plan.school_holidays, plan_years(first, last)),
        findings=status.findings,
        group_by=group_by,
        rows=rows,
        today=status.as_of,
        x_range=(first, last),
        max_rows=None,
    )
    return for_print(fig, as_of=status.as_of, first=first, last=last)


def for_print(fig: go.Figure, *, as_of: dt.date, first: dt.date, last: dt.date) -> go.Figure:
    """Return `fig` made for paper: one text size, dark outlines, hatched waves, the status line named by its date."""
    # traceorder "normal": the milestones' legend group would otherwise stand as a column of its own.
    fig.update_layout(font={"size": FONT_PX}, legend={"font": {"size": FONT_PX}, "traceorder": "normal"})
    for trace in fig.data:
        group = str(trace.legendgroup or "")
        if trace.name == PROBLEM_LEGEND:
            trace.update(name=FRAME_LEGEND, marker={"line": {"color": FRAME_COLOUR, "width": FRAME_WIDTH}})
        elif trace.type == "bar" and group.startswith("wave-"):
            number = int(group.removeprefix("wave-"))
            shape = WAVE_PATTERNS[(number - 1) % len(WAVE_PATTERNS)] if number else NO_WAVE_PATTERN
            if shape:
                trace.update(
                    marker={"pattern": {"shape": shape, "fillmode": "overlay", "fgcolor": "#FFFFFF", "size": 7}}
                )
    day = as_of.isoformat()
    for shape in fig.layout.shapes:
        if shape.type == "line" and shape.x0 == day and shape.yref == "paper":
            shape.update(line={"color": STATUS_COLOUR, "width": 2.5, "dash": "dash"})
    # On the right of the chart the label goes left of the line, so it is not cut at the edge.
    right = (as_of - first).days > 0.6 * max((last - first).days, 1)
    for note in fig.layout.annotations:
        if note.x == day:
            note.update(
                text=f"status pr. {danish_date(as_of)}",
                font={"color": STATUS_COLOUR, "size": FONT_PX},
                xanchor="right" if right else "left",
                xshift=-3 if right else 3,
                bgcolor="rgba(255,255,255,0.8)",
            )
    labels = [_one_line(str(t)) for t in fig.layout.yaxis.ticktext or ()]
    fig.update_layout(yaxis={"ticktext": labels})
    return fig


def _one_line(label: str) -> str:
    plain = label.replace("<br>", " ")
    return plain if len(plain) <= _ONE_LINE_CHARS else label


def _legend_lines(fig: go.Figure, width_px: int) -> int:
    """Return about how many lines the horizontal legend takes at `FONT_PX` across `width_px`."""
    names = [str(t.name) for t in fig.data if t.name and t.showlegend is not False]
    line, lines = 90.0, 1  # the "Forklaring:" title
    for name in names:
        entry = 50 + 0.56 * FONT_PX * len(name)
        if line + entry > width_px - 20:
            lines, line = lines + 1, 0.0
        line += entry
    return lines


def _breaks(labels: list[str], per_page: int) -> list[tuple[int, int]]:
    """Return (start, stop) ranges of at most `per_page` rows, balanced, cut before a group heading near the cut."""
    n = len(labels)
    pages = max(1, math.ceil(n / per_page))
    target = math.ceil(n / pages)
    out: list[tuple[int, int]] = []
    start = 0
    while start < n:
        stop = min(n, start + target)
        if stop < n:
            headings = [
                i
                for i in range(start + target // 2 + 1, min(n, start + per_page) + 1)
                if i < n and labels[i].startswith("<b>")
            ]
            if headings:
                stop = min(headings, key=lambda i: abs(i - (start + target)))
            if labels[stop - 1].startswith("<b>") and stop - 1 > start:
                stop -= 1  # a heading never ends a page
        out.append((start, stop))
        start = stop
    return out


def print_pages(fig: go.Figure, *, width_cm: float, height_cm: float) -> list[Page]:
    """Return the figure cut into pictures of at most `width_cm` x `height_cm`, every one with its axes and legend.

    The width is fixed, so `FONT_PX` always prints at the same size; rows that do not fit go on a
    further picture, never shrunk.
    """
    width = round(width_cm * PX_PER_CM)
    labels = [str(t) for t in fig.layout.yaxis.ticktext or ()]
    row = _ROW_PX_WRAPPED if any("<br>" in t for t in labels) else _ROW_PX
    bottom = 45 + 22 * _legend_lines(fig, width)
    per_page = max(3, int((height_cm * PX_PER_CM - _TOP_PX - bottom) // row))
    codes = list(fig.layout.yaxis.categoryarray or ())
    pages = []
    for start, stop in _breaks(labels, per_page) if codes else [(0, 0)]:
        height = _TOP_PX + bottom + row * max(stop - start, 1)
        page = go.Figure(fig)
        page.update_layout(
            width=width,
            height=height,
            margin={"t": _TOP_PX, "b": bottom},
            yaxis={"autorange": False, "range": [stop - 0.5, start - 0.5]} if codes else {},
        )
        pages.append(Page(page, width_cm, height / PX_PER_CM))
    return pages


def draw_pages(pages: list[Page], *, browser: Path | None) -> list[bytes]:
    """Return each page as PNG bytes drawn by Plotly's kaleido in one `browser` session, or raise PictureError."""
    if browser is None or not browser.is_file():
        raise PictureError(_INSTALL)
    try:
        import kaleido
    except ImportError:
        raise PictureError(
            "Gantt-diagrammet kunne ikke tegnes: installér kaleido (pip install -r requirements.txt)."
        ) from None
    # The browser pipe logs messages it skips with a traceback; the report says what went wrong instead.
    for name in ("choreographer", "kaleido", "logistro"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    async def draw() -> list[bytes]:
        # mathjax=False: the page kaleido loads would otherwise fetch MathJax from the internet.
        async with kaleido.Kaleido(n=1, path=str(browser), mathjax=False) as k:
            out = []
            for page in pages:
                opts: Any = {
                    "format": "png",
                    "width": int(page.figure.layout.width),
                    "height": int(page.figure.layout.height),
                    "scale": PRINT_SCALE,
                }
                out.append(bytes(await k.calc_fig(page.figure, opts=opts)))
            return out

    try:
        # A thread of its own: the caller (a Streamlit page) may already run an event loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, draw()).result()
    except Exception as exc:  # kaleido and the browser fail in many ways; the report goes on without the picture
        raise PictureError(f"Gantt-diagrammet kunne ikke tegnes i {browser}: {type(exc).__name__}: {exc}") from None
