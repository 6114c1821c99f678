"""Pure figure builders: the ISO-week Gantt of a schedule, with milestones, holidays, cut-offs and findings."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .gantt_hover import bar_hover, escape, finding_texts
from .gantt_marks import CUTOFF_LEGEND, cutoff_trace, holiday_shapes, legend_item, milestone_traces, today_marks
from .gantt_status import BASELINE_LEGEND, DONE_SYMBOL, MARK_LEGENDS, bar_look, baseline_trace, mark_legend
from .palette import FINDING_RED, GRID_GREY, HOLIDAY_SHADE, wave_colour
from .schema import ACTIVITY_KINDS
from .status_marks import DONE
from .status_marks import marks as status_marks
from .texts import short_lines
from .timeaxis import month_ticks, padded_range, plan_span, week_ticks

__all__ = [
    "BASELINE_LEGEND",
    "CUTOFF_LEGEND",
    "GROUPINGS",
    "HOLIDAY_LEGEND",
    "MARK_LEGENDS",
    "MILESTONE_GROUP",
    "PROBLEM_LEGEND",
    "build_gantt",
]

Grouping = Literal["department", "wave", "kind"]
RowMode = Literal["unit", "activity"]
GROUPINGS: dict[str, str] = {"department": "Afdeling", "wave": "Bølge", "kind": "Aktivitetstype"}
MILESTONE_GROUP = "Milepæle"
PROBLEM_LEGEND = "Rød ramme: problem (se listen)"
HOLIDAY_LEGEND = "Gråt felt: ferie- eller helligdagsuge"
_DAY_MS = 86_400_000
_THIN_KINDS = ("invitation", "preparation", "deadline")  # drawn thin, on top of meetings in the same row

Trace: TypeAlias = Any  # a go.Bar or a go.Scatter; plotly ships no type hints


@dataclass(frozen=True)
class _Fit:
    """How the chart is fitted to its screen: label widths, row heights, tick counts, font size."""

    label_chars: int
    row_px: int  # a row with one-line labels
    row_px_wrapped: int  # a row whose label takes two lines
    week_labels: int
    month_labels: int
    font: int
    legend_per_line: int


# Desk: a plot area of at least ~560 px. Phone: ~220 px beside short row labels (390 px screen).
_DESK = _Fit(label_chars=26, row_px=26, row_px_wrapped=36, week_labels=13, month_labels=12, font=12, legend_per_line=4)
_PHONE = _Fit(label_chars=17, row_px=24, row_px_wrapped=38, week_labels=4, month_labels=6, font=11, legend_per_line=2)


def _trace(kind: str, **props: object) -> Trace:
    # Built unvalidated, as the tests check the figure: Plotly's validation of every property was
    # a third of the time to build a small plan's chart, on every page view.
    return go.Bar(**props, _validate=False) if kind == "bar" else go.Scatter(**props, _validate=False)


@functools.lru_cache(maxsize=8)
def _named_template(name: str) -> dict[str, Any]:
    return dict(pio.templates[name].to_plotly_json())


def _template(template: go.layout.Template | str | dict[str, Any]) -> dict[str, Any]:
    """Return the template as plain data: an unvalidated figure passes it to the browser as it is."""
    if isinstance(template, str):
        return _named_template(template)
    if isinstance(template, dict):
        return template
    return dict(template.to_plotly_json())


def _rows(schedule: pd.DataFrame, group_by: Grouping, rows: RowMode) -> tuple[pd.Series, pd.Series]:
    """Return the group heading and the row label of every schedule row."""
    unit = schedule["unit"].where(schedule["unit"] != "", schedule["department"])
    unit = unit.where(unit != "", "Fælles")
    if rows == "activity":
        return unit.astype("string"), schedule["activity"].astype("string")
    row = schedule["unit"].where(schedule["unit"] != "", schedule["activity"])
    if group_by == "wave":
        group = schedule["wave_name"].where(schedule["wave_name"] != "", "Uden bølge")
    elif group_by == "kind":
        group = schedule["kind"].map(lambda k: str(ACTIVITY_KINDS.get(str(k), str(k))).capitalize())
    else:
        group = schedule["department"].where(schedule["department"] != "", "Fælles")
    return group.astype("string"), row.astype("string")


def _label(row: str, group: str, chars: int, *, keep_end: bool = False) -> tuple[str, int]:
    """Return a row's tick text (escaped, at most two lines) and its number of lines.

    Under the heading `Ældre, Sundhed & Social` the unit `Ældre, Sundhed & Social (ekskl. …)` is
    labelled `ekskl. …`: the heading already says the rest, and the plot keeps its width.
    """
    if group and row.startswith(group) and len(row) > len(group) + 2:
        row = row[len(group) :].strip(" ,:-–()") or row
    lines = short_lines(row, chars, keep_end=keep_end)
    return "<br>".join(escape(p) for p in lines), len(lines)


@dataclass
class _Axis:
    codes: dict[str, str]  # row key -> y code
    ticktext: list[str]
    order: list[str]
    headers: list[str]  # codes of heading rows that hold no bars
    lines: int  # the most lines any label takes

    def add(self, text: str, lines: int, *, header: bool = False) -> str:
        code = f"r{len(self.order)}"
        self.order.append(code)
        self.ticktext.append(text)
        if header:
            self.headers.append(code)
        self.lines = max(self.lines, lines)
        return code


def _y_axis(group: pd.Series, row: pd.Series, starts: pd.Series, fit: _Fit) -> tuple[_Axis, pd.Series]:
    keys = group + " › " + row
    frame = pd.DataFrame({"g": group, "k": keys, "r": row, "t": starts})
    # Groups and rows appear in the order they first start: the chart reads as a timeline.
    firsts = frame.groupby(["g", "k", "r"], sort=False)["t"].min().reset_index()
    firsts["gt"] = firsts.groupby("g")["t"].transform("min")
    firsts = firsts.sort_values(["gt", "g", "t", "k"], kind="stable")
    axis = _Axis({}, [], [], [], 1)
    for g, part in firsts.groupby("g", sort=False):
        text, n_lines = _label(str(g), "", fit.label_chars)
        heading = f"<b>{text}</b>"
        if len(part) == 1 and str(part["r"].iloc[0]) == str(g):
            # A group of one row named as the group (Børn & Familie › Børn & Familie): one row, not two.
            axis.codes[str(part["k"].iloc[0])] = axis.add(heading, n_lines)
            continue
        axis.add(heading, n_lines, header=True)
        labels = [_label(str(r), str(g), fit.label_chars) for r in part["r"]]
        # Rows cut to the same words ("Status på udrulningen til…" twice) show their ends instead.
        alike = Counter(text for text, _ in labels)
        for k, r, (text, n) in zip(part["k"], part["r"], labels, strict=True):
            label = _label(str(r), str(g), fit.label_chars, keep_end=True) if alike[text] > 1 else (text, n)
            axis.codes[str(k)] = axis.add(*label)
    return axis, keys.map(axis.codes)


def _bars(schedule: pd.DataFrame, y: pd.Series, findings: pd.Series, marks: pd.DataFrame | None) -> list[Trace]:
    start = schedule["start_date"]
    # Plotly bar ends are exclusive: a bar ending on Sunday must reach the next Monday 00:00.
    length_ms = ((schedule["end_date"] - start).dt.days + 1).to_numpy(dtype="int64") * _DAY_MS
    base = start.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    custom, hover = bar_hover(schedule, findings, marks)
    rows = y.to_numpy(dtype=object)
    thin = schedule["kind"].isin(_THIN_KINDS).to_numpy()
    wave = schedule["wave"].fillna(0).astype("int64").to_numpy()
    names = schedule["wave_name"].where(schedule["wave_name"] != "", "Uden bølge")
    mark = marks["mark"].to_numpy(dtype=object) if marks is not None else None
    traces = []
    if marks is not None:
        # The approved weeks first, so the bars of the same row are drawn over their outline.
        outline = baseline_trace(y, marks, thin, schedule["activity"])
        if outline is not None:
            traces.append(outline)
    # One trace per colour and bar height, never per bar: the figure stays small at 60,000 bars.
    # Thin bars (invitations, preparation) come after the full ones, so they are drawn on top.
    for is_thin in (False, True):
        # Waves in order, the one-off tasks (no wave, 0) last: the legend reads Bølge 1, 2, 3, Uden bølge.
        for number in sorted(set(wave), key=lambda w: (w == 0, w)):
            sel = np.flatnonzero((wave == number) & (thin == is_thin))
            if not len(sel):
                continue
            colour = wave_colour(int(number) or None)
            # One trace per mark within the wave (Plotly colours a pattern only per trace), plain bars
            # first: the legend shows a wave's first trace, in the wave's own colour.
            marks_here = [""] if mark is None else sorted(set(mark[sel]), key=lambda m: (m != "", m))
            for i, this in enumerate(marks_here):
                part = sel if mark is None else sel[mark[sel] == this]
                look: dict[str, Any] = {"marker": {"color": "#" + colour, "line": {"color": "#FFFFFF", "width": 1}}}
                if mark is not None:
                    look = {
                        "marker": bar_look(colour, this),
                        "text": np.full(len(part), DONE_SYMBOL if this == DONE else "", dtype=object),
                        "textposition": "inside",
                        "insidetextanchor": "middle",
                        "textfont": {"color": "#000000"},
                    }
                traces.append(
                    _trace(
                        "bar",
                        name=escape(str(names.iloc[part[0]])),
                        orientation="h",
                        base=base[part],
                        x=length_ms[part],
                        y=rows[part],
                        width=0.35 if is_thin else 0.75,
                        customdata=custom[part],
                        hovertemplate=hover,
                        **look,
                        legendgroup=f"wave-{number}",
                        showlegend=i == 0 and (not is_thin or not (wave[~thin] == number).any()),
                    )
                )
    # Findings: a transparent bar on top, outlined in red; the bar beneath says what is wrong.
    hit = np.flatnonzero((findings != "").to_numpy())
    if len(hit):
        traces.append(
            _trace(
                "bar",
                name=PROBLEM_LEGEND,
                orientation="h",
                base=base[hit],
                x=length_ms[hit],
                y=rows[hit],
                width=0.75,
                hoverinfo="skip",
                marker={"color": "rgba(0,0,0,0)", "line": {"color": "#" + FINDING_RED, "width": 3}},
            )
        )
    return traces


def build_gantt(
    schedule: pd.DataFrame,
    *,
    template: go.layout.Template | str,
    milestones: pd.DataFrame | None = None,
    poor_weeks: pd.DataFrame | None = None,
    findings: pd.DataFrame | None = None,
    cutoffs: pd.DataFrame | None = None,
    group_by: Grouping = "department",
    rows: RowMode = "unit",
    today: dt.date | None = None,
    today_label: str = "i dag",
    x_range: tuple[dt.date, dt.date] | None = None,
    title: str | None = None,
    max_rows: int | None = 300,
    compact: bool = False,
    progress: pd.DataFrame | None = None,
) -> go.Figure:
    """Return the ISO-week Gantt of `schedule`: bars coloured by wave, one trace per colour.

    A row per unit (or, with `rows="activity"`, per activity under its unit). `milestones` become
    diamonds on rows of their own, `poor_weeks` (week, reason) are shaded, activities named in
    `findings` get a red outline and their problem in the hover text, `cutoffs` (wave, name, cutoff)
    mark each wave's data cut-off, and `today` draws a line labelled `today_label`. Above `max_rows`
    units the rows collapse to one per group, so a browser can still draw a very large plan.
    `compact` fits a phone's screen.
    With `progress` (`progress.progress` as of a day) bars show their status by fill and pattern,
    moved activities get their baseline weeks as a thin outline, and the hover text says both.
    """
    fit = _PHONE if compact else _DESK
    milestones = milestones if milestones is not None else pd.DataFrame(columns=["date", "title", "body", "kind"])
    first, last = x_range or plan_span(schedule, milestones)
    # Only the milestones in view get a row: a zoomed chart has no empty milestone rows.
    milestones = milestones[(milestones["date"] >= pd.Timestamp(first)) & (milestones["date"] <= pd.Timestamp(last))]
    # Room for a diamond at an edge: about 10 px of the plot's width, on a desk or on a phone.
    room = max(3, round((last - first).days * (0.04 if compact else 0.015)))
    first, last = padded_range(first, last, (d.date() for d in milestones["date"]), days=room)

    group, row = _rows(schedule, group_by, rows)
    if max_rows is not None and row.nunique() > max_rows:
        # Too many rows for a browser to draw quickly: one row per group (the app can expand them).
        counts = row.groupby(group).nunique()
        row = "alle " + group.map(counts).astype("string") + " enheder"
    axis, y = _y_axis(group, row, schedule["start_date"], fit)
    y_of: dict[str, str] = {}
    bodies = milestones["body"].drop_duplicates()
    if len(bodies):
        axis.add(f"<b>{MILESTONE_GROUP}</b>", 1, header=True)
        for body in bodies:
            y_of[str(body)] = axis.add(*_label(str(body), "", fit.label_chars))

    found = finding_texts(schedule, findings)
    marks = status_marks(schedule, progress) if progress is not None and len(schedule) else None
    # An empty plan (a new one, before its waves are filled in) still shows its milestones.
    traces = [*(_bars(schedule, y, found, marks) if len(schedule) else []), *milestone_traces(milestones, y_of)]
    if marks is not None:
        traces += mark_legend(set(marks["mark"]))
    if cutoffs is not None and len(schedule):
        cutoff = cutoff_trace(schedule, y, cutoffs, first, last)
        if cutoff is not None:
            traces.append(cutoff)
    # Heading rows: an invisible point each keeps those rows on the axis, on the month axis.
    traces.append(
        _trace(
            "scatter",
            x=[first.isoformat()] * len(axis.headers),
            y=axis.headers,
            xaxis="x2",
            mode="markers",
            marker={"opacity": 0},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    shapes: list[dict[str, object]] = []
    annotations: list[dict[str, object]] = []
    if poor_weeks is not None and len(poor_weeks):
        shapes += holiday_shapes(poor_weeks, first, last)
        traces.append(legend_item(HOLIDAY_LEGEND, {"symbol": "square", "size": 12, "color": "#" + HOLIDAY_SHADE}))
    if today is not None and first <= today <= last:
        line, label = today_marks(today, today_label)
        shapes.append(line)
        annotations.append(label)

    tickvals, ticklabels = week_ticks(first, last, max_ticks=fit.week_labels)
    monthvals, monthlabels = month_ticks(first, last, max_labels=fit.month_labels)
    row_px = fit.row_px_wrapped if axis.lines > 1 else fit.row_px
    legend_lines = -(-sum(bool(t.showlegend is not False) for t in traces) // fit.legend_per_line)
    bottom = 60 + 22 * legend_lines
    top = (100 if title else 60) + (0 if compact else 10)
    # Unvalidated, the traces go in as they are: neither checked nor copied again.
    return go.Figure(
        data=traces,
        _validate=False,
        layout={
            "template": _template(template),
            "title": {"text": escape(title), "font": {"size": fit.font + 4}} if title else None,
            "font": {"size": fit.font},
            "barmode": "overlay",
            "height": max(300, row_px * len(axis.order) + top + bottom),
            "margin": {"l": 4 if compact else 10, "r": 8 if compact else 16, "t": top, "b": bottom},
            # The Periode field is the one way to zoom: a dragged zoom would disagree with it and
            # with the count of activities shown, and on a phone it would catch the finger scrolling.
            "dragmode": False,
            "xaxis": {
                "type": "date",
                "range": [first.isoformat(), last.isoformat()],
                "fixedrange": True,
                "tickmode": "array",
                "tickvals": tickvals,
                "ticktext": ticklabels,
                "showgrid": True,
                "gridcolor": "#" + GRID_GREY,
            },
            "xaxis2": {
                "type": "date",
                "overlaying": "x",
                "side": "top",
                "matches": "x",
                "fixedrange": True,
                "tickmode": "array",
                "tickvals": monthvals,
                "ticktext": monthlabels,
                "ticks": "",  # a label in the middle of its month marks no date
                "showgrid": False,
            },
            "yaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": axis.order,
                "tickmode": "array",
                "tickvals": axis.order,
                "ticktext": axis.ticktext,
                "autorange": "reversed",
                "automargin": True,
                "fixedrange": True,
            },
            "shapes": shapes,
            "annotations": annotations,
            "legend": {
                "orientation": "h",
                "yref": "container",
                "yanchor": "bottom",
                "y": 0,
                "x": 0,
                "title": {"text": "Forklaring:"},
            },
            # A ✓ too small to read is left out: the light fill still says done.
            "uniformtext": {"minsize": fit.font - 2, "mode": "hide"} if marks is not None else None,
            "hovermode": "closest",
            "hoverlabel": {"align": "left"},
            "separators": ",.",
        },
    )
