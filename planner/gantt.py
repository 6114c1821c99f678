"""Pure figure builders: the ISO-week Gantt of a schedule, with milestones, holidays and findings."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .palette import FINDING_RED, HOLIDAY_SHADE, MILESTONE_COLOURS, wave_colour
from .schema import ACTIVITY_KINDS, MILESTONE_KINDS
from .texts import hours_text
from .timeaxis import month_ticks, plan_span, week_ticks

__all__ = ["GROUPINGS", "MILESTONE_GROUP", "build_gantt"]

Grouping = Literal["department", "wave", "kind"]
GROUPINGS: dict[str, str] = {"department": "afdeling", "wave": "bølge", "kind": "aktivitetstype"}
MILESTONE_GROUP = "Milepæle"
_DAY_MS = 86_400_000
_THIN_KINDS = ("invitation", "preparation", "deadline")  # drawn thin, on top of meetings in the same row
_HOVER = (
    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}"
    "<br>%{customdata[3]}<br><i>Kilde: %{customdata[4]}</i><extra></extra>"
)
_FINDING_HOVER = (
    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<br><b>⚠ %{customdata[3]}</b><extra></extra>"
)


Trace: TypeAlias = Any  # a go.Bar or a go.Scatter; plotly ships no type hints


def _trace(kind: str, **props: object) -> Trace:
    return go.Bar(**props) if kind == "bar" else go.Scatter(**props)


def _escape(text: str) -> str:
    # Only tags matter to Plotly's pseudo-HTML; '&' stays as typed (Danish names are full of it).
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _distinct(frame: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Return the distinct rows of `columns` and, for every row of `frame`, the index of its distinct row."""
    codes = frame.groupby(columns, sort=False, dropna=False).ngroup().to_numpy()
    return frame[columns].drop_duplicates().reset_index(drop=True), codes


def _esc(values: pd.Series) -> pd.Series:
    # Plotly renders a subset of HTML in hover and tick text: user text must stay text.
    codes, uniques = pd.factorize(values.astype("string").fillna(""))
    escaped = np.array([_escape(str(u)) for u in uniques] or [""], dtype=object)
    return pd.Series(escaped[codes], index=values.index, dtype="string")


def _rows(schedule: pd.DataFrame, group_by: Grouping) -> tuple[pd.Series, pd.Series]:
    row = schedule["unit"].where(schedule["unit"] != "", schedule["activity"])
    if group_by == "wave":
        group = schedule["wave_name"].where(schedule["wave_name"] != "", "Uden bølge")
    elif group_by == "kind":
        group = schedule["kind"].map(lambda k: str(ACTIVITY_KINDS.get(str(k), str(k))).capitalize())
    else:
        group = schedule["department"].where(schedule["department"] != "", "Fælles")
    return group.astype("string"), row.astype("string")


def _short(label: str, limit: int = 38) -> str:
    # Long task titles would squeeze the chart; the hover text keeps the full title.
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _bars(schedule: pd.DataFrame, y: pd.Series, flagged: pd.Series) -> list[Trace]:
    start = schedule["start_date"]
    # Plotly bar ends are exclusive: a bar ending on Sunday must reach the next Monday 00:00.
    length_ms = ((schedule["end_date"] - start).dt.days + 1).to_numpy(dtype="int64") * _DAY_MS
    # Texts are made once per distinct value and then spread: a plan repeats the same weeks,
    # durations and names thousands of times.
    spans, span_codes = _distinct(schedule, ["start_date", "end_date", "start_week", "end_week"])
    first_week = "uge " + spans["start_week"].str[-2:].str.lstrip("0")
    spans["weeks"] = first_week.where(
        spans["start_week"] == spans["end_week"], first_week + "–" + spans["end_week"].str[-2:].str.lstrip("0")
    )
    same_year = spans["start_date"].dt.year == spans["end_date"].dt.year
    first_day = spans["start_date"].dt.strftime("%d.%m.").where(same_year, spans["start_date"].dt.strftime("%d.%m.%Y"))
    # ASCII '-' here: JSON spells every '–' as six bytes, and this column repeats on every bar.
    spans["dates"] = first_day + "-" + spans["end_date"].dt.strftime("%d.%m.%Y")
    spans["base"] = spans["start_date"].dt.strftime("%Y-%m-%d")
    people, people_codes = _distinct(schedule, ["hours", "participants"])
    duration = people["hours"].map(lambda h: hours_text(None if pd.isna(h) else float(h))).astype("string")
    participants = _esc(people["participants"])
    people["who"] = (duration + ", " + participants).where(
        (duration != "") & (participants != ""), duration + participants
    )
    warning = flagged.where(flagged == "", "<br><b>⚠ " + flagged + "</b>")
    columns = [
        _esc(schedule["activity"]).to_numpy(dtype=object),
        _esc(schedule["unit"].where(schedule["unit"] != "", schedule["department"])).to_numpy(dtype=object),
        spans["weeks"].to_numpy(dtype=object)[span_codes],
        spans["dates"].to_numpy(dtype=object)[span_codes],
        people["who"].to_numpy(dtype=object)[people_codes],
        _esc(schedule["source"]).to_numpy(dtype=object),
        warning.to_numpy(dtype=object),
    ]
    # An object array filled column by column: stacking fixed-width unicode arrays would pad every
    # cell to the longest text and cost hundreds of megabytes at 60,000 bars.
    custom = np.empty((len(schedule), len(columns)), dtype=object)
    for i, column in enumerate(columns):
        custom[:, i] = column
    base = spans["base"].to_numpy(dtype=object)[span_codes]
    rows = y.to_numpy(dtype=object)
    thin = schedule["kind"].isin(_THIN_KINDS).to_numpy()
    traces = []
    wave = schedule["wave"].fillna(0).astype("int64").to_numpy()
    names = schedule["wave_name"].where(schedule["wave_name"] != "", "Uden bølge")
    # One trace per colour and bar height, never per bar: the figure stays small at 60,000 bars.
    # Thin bars (invitations, preparation) come after the full ones, so they are drawn on top.
    for is_thin in (False, True):
        for number in sorted(set(wave)):
            sel = np.flatnonzero((wave == number) & (thin == is_thin))
            if not len(sel):
                continue
            traces.append(
                _trace(
                    "bar",
                    name=str(names.iloc[sel[0]]),
                    orientation="h",
                    base=base[sel],
                    x=length_ms[sel],
                    y=rows[sel],
                    width=0.35 if is_thin else 0.75,
                    customdata=custom[sel],
                    hovertemplate=_HOVER,
                    # A white edge keeps back-to-back weeks of one colour apart.
                    marker={"color": "#" + wave_colour(int(number) or None), "line": {"color": "#FFFFFF", "width": 1}},
                    legendgroup=f"wave-{number}",
                    showlegend=not is_thin or not (wave[~thin] == number).any(),
                )
            )
    # Findings: one transparent trace on top, outlined in red; the bar beneath says what is wrong.
    hit = np.flatnonzero((flagged != "").to_numpy())
    traces.append(
        _trace(
            "bar",
            name="Problem (se listen)",
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


def _milestone_traces(milestones: pd.DataFrame, y_of: dict[str, str]) -> list[Trace]:
    traces = []
    for kind, label in MILESTONE_KINDS.items():
        rows = milestones[milestones["kind"] == kind]
        if rows.empty:
            continue
        custom = np.column_stack(
            [_esc(rows["title"]), rows["date"].dt.strftime("%d.%m.%Y"), _esc(rows["body"]), _esc(rows["source"])]
        )
        traces.append(
            _trace(
                "scatter",
                name=f"Milepæl: {label}",
                mode="markers",
                x=rows["date"].dt.strftime("%Y-%m-%d").to_numpy(),
                y=rows["body"].astype("string").map(y_of).to_numpy(dtype=str),
                marker={"symbol": "diamond", "size": 13, "color": "#" + MILESTONE_COLOURS[kind]},
                customdata=custom,
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}"
                    "<br><i>Kilde: %{customdata[3]}</i><extra></extra>"
                ),
                legendgroup="milestones",
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
    group_by: Grouping = "department",
    today: dt.date | None = None,
    x_range: tuple[dt.date, dt.date] | None = None,
    title: str | None = None,
    max_rows: int | None = 300,
) -> go.Figure:
    """Return the ISO-week Gantt of `schedule`: a row per unit, bars coloured by wave, one trace per colour.

    `milestones` become diamonds on rows of their own, `poor_weeks` (week, reason) are shaded,
    activities named in `findings` get a red outline, and `today` draws a line. Above `max_rows`
    units the rows collapse to one per group, so a browser can still draw a very large plan.
    """
    milestones = milestones if milestones is not None else pd.DataFrame(columns=["date", "title", "body", "kind"])
    group, row = _rows(schedule, group_by)
    if max_rows is not None and row.nunique() > max_rows:
        # Too many rows for a browser to draw quickly: one row per group (the app can expand them).
        counts = row.groupby(group).nunique()
        row = "alle " + group.map(counts).astype("string") + " enheder"
    keys = group + " › " + row
    frame = pd.DataFrame({"g": group, "k": keys, "r": row, "t": schedule["start_date"]})
    # Groups and rows appear in the order they first start: the chart reads as a timeline.
    firsts = frame.groupby(["g", "k", "r"], sort=False)["t"].min().reset_index()
    firsts["gt"] = firsts.groupby("g")["t"].transform("min")
    firsts = firsts.sort_values(["gt", "g", "t", "k"], kind="stable")
    labels: list[str] = []  # tick text, escaped: row labels are user text
    codes: dict[str, str] = {}  # short y values keep the figure small; tick text carries the names
    headers: list[str] = []
    current = None
    for g, k, r in zip(firsts["g"], firsts["k"], firsts["r"], strict=True):
        if g != current:
            current = g
            headers.append(f"r{len(labels)}")
            labels.append(f"<b>{_escape(str(g))}</b>")
        codes[str(k)] = f"r{len(labels)}"
        labels.append(_escape(_short(str(r))))
    y_of: dict[str, str] = {}
    bodies = milestones["body"].drop_duplicates()
    if len(bodies):
        headers.append(f"r{len(labels)}")
        labels.append(f"<b>{MILESTONE_GROUP}</b>")
        for body in bodies:
            y_of[str(body)] = f"r{len(labels)}"
            labels.append(_escape(str(body)))
    y_order = [f"r{i}" for i in range(len(labels))]
    ticktext = labels

    flagged = pd.Series("", index=schedule.index, dtype="string")
    if findings is not None and len(findings):
        by_key = findings[findings["activity_key"] != ""].groupby("activity_key")["message"].first()
        flagged = _esc(schedule["activity_key"].map(by_key).fillna(""))

    first, last = x_range or plan_span(schedule, milestones)
    traces = [*_bars(schedule, keys.map(codes), flagged), *_milestone_traces(milestones, y_of)]
    # Group headers: an invisible point per header row keeps those rows on the axis, on the month axis.
    traces.append(
        _trace(
            "scatter",
            x=[first.isoformat()] * len(headers),
            y=headers,
            xaxis="x2",
            mode="markers",
            marker={"opacity": 0},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    shapes: list[dict[str, object]] = []
    if poor_weeks is not None and len(poor_weeks):
        mondays = pd.to_datetime(poor_weeks["week"] + "-1", format="%G-W%V-%u")
        traces.append(
            _trace(
                "scatter",
                name="Ferie- eller helligdagsuge",
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": 12, "color": "#" + HOLIDAY_SHADE},
                hoverinfo="skip",
            )
        )
        for monday in mondays:
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": monday.strftime("%Y-%m-%d"),
                    "x1": (monday + pd.Timedelta(days=7)).strftime("%Y-%m-%d"),
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": "#" + HOLIDAY_SHADE,
                    "opacity": 0.6,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
    annotations: list[dict[str, object]] = []
    if today is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": today.isoformat(),
                "x1": today.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": "#" + FINDING_RED, "width": 2, "dash": "dot"},
            }
        )
        annotations.append(
            {
                "x": today.isoformat(),
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "top",
                "xanchor": "left",
                "xshift": 3,
                "text": "i dag",
                "showarrow": False,
                "font": {"color": "#" + FINDING_RED},
            }
        )
    tickvals, ticklabels = week_ticks(first, last)
    monthvals, monthlabels = month_ticks(first, last)
    x_axis: dict[str, object] = {
        "type": "date",
        "range": [first.isoformat(), last.isoformat()],
        "tickmode": "array",
        "tickvals": tickvals,
        "ticktext": ticklabels,
        "showgrid": True,
        "gridcolor": "#DDDDDD",
    }
    height = max(320, 28 * len(y_order) + 160)
    fig = go.Figure(
        layout={
            "template": template,
            "title": {"text": _escape(title)} if title else None,
            "barmode": "overlay",
            "height": height,
            "margin": {"l": 10, "r": 10, "t": 120 if title else 80, "b": 110},
            "xaxis": x_axis,
            "xaxis2": {
                "type": "date",
                "overlaying": "x",
                "side": "top",
                "matches": "x",
                "tickmode": "array",
                "tickvals": monthvals,
                "ticktext": monthlabels,
                "ticklabelmode": "period",
                "tickangle": 0,
                "showgrid": False,
            },
            "yaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": y_order,
                "tickmode": "array",
                "tickvals": y_order,
                "ticktext": ticktext,
                "autorange": "reversed",
                "automargin": True,
            },
            "shapes": shapes,
            "annotations": annotations,
            "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
            "hoverlabel": {"align": "left"},
            "separators": ",.",
        },
    )
    # Traces built as objects and added, as plotly.express does: Figure(data=...) would deep-copy
    # every hover text once more.
    fig.add_traces(traces)
    return fig
