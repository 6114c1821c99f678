"""The Gantt's progress marks: status by fill and pattern, the baseline as a thin outline, their legend.

A mark never rests on colour alone: done bars are light and carry a ✓ where it fits, bars in
progress are striped, overdue bars cross-hatched, cancelled bars light and struck through.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .gantt_hover import baseline_hover
from .palette import BASELINE_LINE, NO_WAVE_COLOUR, OVERDUE_RED, tint
from .status_marks import ACTIVE, CANCELLED, DONE, OVERDUE

__all__ = ["BASELINE_LEGEND", "DONE_SYMBOL", "MARK_LEGENDS", "bar_look", "baseline_trace", "mark_legend"]

BASELINE_LEGEND = "Tynd ramme: godkendt plan"  # drawn only where an activity has moved
MARK_LEGENDS: dict[str, str] = {
    DONE: "Lys med ✓: gennemført",
    ACTIVE: "Skrå streger: i gang",
    OVERDUE: "Rødt kryds: forsinket",
    CANCELLED: "Lys, vandrette streger: aflyst",
}
DONE_SYMBOL = "✓"
_DAY_MS = 86_400_000
# shape, pattern colour, pattern density: Plotly draws the pattern over the bar's own colour.
_PATTERNS: dict[str, tuple[str, str, float]] = {
    ACTIVE: ("/", "#FFFFFF", 0.35),
    OVERDUE: ("x", "#" + OVERDUE_RED, 0.45),
    CANCELLED: ("-", "#" + BASELINE_LINE, 0.3),
}

Trace: TypeAlias = Any  # a go.Bar; plotly ships no type hints


def bar_look(colour: str, mark: str) -> dict[str, Any]:
    """Return the marker of bars of one wave colour that carry one `mark` ("" for none).

    `colour` is the wave's hex colour (no '#'); done and cancelled bars are drawn in its light tint.
    One mark per trace: Plotly colours a pattern only when the colours are single values and the
    pattern replaces the fill (an overlay pattern, or per-bar colours, come out light grey).
    """
    fill = "#" + (tint(colour) if mark in (DONE, CANCELLED) else colour)
    marker: dict[str, Any] = {"color": fill, "line": {"color": "#FFFFFF", "width": 1}}
    if mark in _PATTERNS:
        shape, fg, solidity = _PATTERNS[mark]
        marker["pattern"] = {
            "shape": shape,
            "fgcolor": fg,
            "bgcolor": fill,
            "solidity": solidity,
            "fillmode": "replace",
        }
    return marker


def baseline_trace(y: pd.Series, marks: pd.DataFrame, thin: np.ndarray, activity: pd.Series) -> Trace | None:
    """Return a thin outline over the baseline weeks of every moved activity, on the activity's row."""
    moved = np.flatnonzero(marks["moved"].to_numpy(dtype=bool) & marks["baseline_start"].notna().to_numpy())
    if not len(moved):
        return None
    sel = marks.iloc[moved]
    first, last = sel["baseline_start"], sel["baseline_end"]
    length_ms = ((last - first).dt.days + 1).to_numpy(dtype="int64") * _DAY_MS
    custom, hover = baseline_hover(activity.iloc[moved], first, last, sel["slip_text"])
    return go.Bar(
        name=BASELINE_LEGEND,
        orientation="h",
        base=first.dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
        x=length_ms,
        y=y.to_numpy(dtype=object)[moved],
        # A little taller than the bar: the frame shows above and below the bar it is drawn behind.
        width=np.where(thin[moved], 0.5, 0.95),
        customdata=custom,
        hovertemplate=hover,
        marker={"color": "rgba(0,0,0,0)", "line": {"color": "#" + BASELINE_LINE, "width": 1.5}},
        legendgroup="baseline",
        legendrank=1001,  # after the waves: the legend reads waves first, then what the marks mean
        _validate=False,
    )


def mark_legend(present: set[str]) -> list[Trace]:
    """Return a legend entry, drawn as the mark itself, for each mark in `present`."""
    grey = NO_WAVE_COLOUR
    entries = []
    for mark, name in MARK_LEGENDS.items():
        if mark not in present:
            continue
        marker = bar_look(grey, mark) | {"line": {"color": "#" + BASELINE_LINE, "width": 1}}
        entries.append(
            go.Bar(
                name=name,
                x=[None],
                y=[None],
                orientation="h",
                marker=marker,
                hoverinfo="skip",
                legendrank=1002,
                _validate=False,
            )
        )
    return entries
