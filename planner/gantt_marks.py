"""The Gantt's marks beside the bars: milestones, each wave's data cut-off, holiday shading, today."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .gantt_hover import cutoff_hover, milestone_hover
from .palette import CUTOFF_COLOUR, FINDING_RED, HOLIDAY_SHADE, MILESTONE_COLOURS
from .schema import MILESTONE_KINDS

__all__ = ["CUTOFF_LEGEND", "cutoff_trace", "holiday_shapes", "legend_item", "milestone_traces", "today_marks"]

CUTOFF_LEGEND = "Skæringsdato for data"

Trace: TypeAlias = Any  # a go.Bar or a go.Scatter; plotly ships no type hints


def _scatter(**props: object) -> Trace:
    return go.Scatter(**props, _validate=False)  # as the bars: the tests check the figure


def milestone_traces(milestones: pd.DataFrame, y_of: dict[str, str]) -> list[Trace]:
    """Return one diamond trace per kind of milestone, on the rows `y_of` gives each forum."""
    traces = []
    for kind, label in MILESTONE_KINDS.items():
        rows = milestones[milestones["kind"] == kind]
        if rows.empty:
            continue
        custom, hover = milestone_hover(rows)
        traces.append(
            _scatter(
                name=f"Milepæl: {label}",
                mode="markers",
                x=rows["date"].dt.strftime("%Y-%m-%d").to_numpy(),
                y=rows["body"].astype("string").map(y_of).to_numpy(dtype=str),
                marker={"symbol": "diamond", "size": 13, "color": "#" + MILESTONE_COLOURS[kind]},
                cliponaxis=False,  # a diamond on the first or last day is drawn whole
                customdata=custom,
                hovertemplate=hover,
                legendgroup="milestones",
            )
        )
    return traces


def cutoff_trace(
    schedule: pd.DataFrame, y: pd.Series, cutoffs: pd.DataFrame, first: dt.date, last: dt.date
) -> Trace | None:
    """Return a marker at each wave's data cut-off on the rows holding that wave's follow-up."""
    follow = schedule["kind"].eq("follow-up") & schedule["wave"].notna()
    xs: list[str] = []
    ys: list[str] = []
    customs = []
    hover = ""
    for wave, name, cutoff in zip(cutoffs["wave"], cutoffs["name"], cutoffs["cutoff"], strict=True):
        day = pd.Timestamp(cutoff)
        if not first <= day.date() <= last:
            continue
        rows = y[follow & schedule["wave"].eq(wave).fillna(False)].drop_duplicates().tolist()
        if not rows:
            continue
        custom, hover = cutoff_hover(str(name), day, len(rows))
        xs += [day.strftime("%Y-%m-%d")] * len(rows)
        ys += rows
        customs.append(custom)
    if not xs:
        return None
    return _scatter(
        name=CUTOFF_LEGEND,
        mode="markers",
        x=xs,
        y=ys,
        # An open symbol is drawn in the marker's colour: the line colour alone leaves it the default hue.
        marker={
            "symbol": "line-ns-open",
            "size": 18,
            "color": "#" + CUTOFF_COLOUR,
            "line": {"color": "#" + CUTOFF_COLOUR, "width": 3},
        },
        customdata=np.vstack(customs),
        hovertemplate=hover,
    )


def holiday_shapes(poor_weeks: pd.DataFrame, first: dt.date, last: dt.date) -> list[dict[str, object]]:
    """Return a grey band for each poor week (holiday) in view, behind the bars."""
    mondays = pd.to_datetime(poor_weeks["week"] + "-1", format="%G-W%V-%u")
    shown = mondays[(mondays + pd.Timedelta(days=7) > pd.Timestamp(first)) & (mondays < pd.Timestamp(last))]
    return [
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
        for monday in shown
    ]


def today_marks(today: dt.date, text: str = "i dag") -> tuple[dict[str, object], dict[str, object]]:
    """Return the dotted line at `today` and its label (`i dag`, or e.g. `status pr. 15.04.2026`)."""
    line = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": today.isoformat(),
        "x1": today.isoformat(),
        "y0": 0,
        "y1": 1,
        "line": {"color": "#" + FINDING_RED, "width": 2, "dash": "dot"},
    }
    label = {
        "x": today.isoformat(),
        "xref": "x",
        "y": 1,
        "yref": "paper",
        "yanchor": "top",
        "xanchor": "left",
        "xshift": 3,
        "text": text,
        "showarrow": False,
        "font": {"color": "#" + FINDING_RED},
    }
    return line, label


def legend_item(name: str, marker: dict[str, object]) -> Trace:
    """Return a legend entry with nothing to draw: it explains shading drawn as shapes."""
    return _scatter(name=name, x=[None], y=[None], mode="markers", marker=marker, hoverinfo="skip")
