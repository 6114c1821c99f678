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

BASELINE_LEGEND = "Tynd ramme: godkendt plan (hvor aktiviteten er flyttet)"
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


def bar_look(colour: str, mark: np.ndarray) -> tuple[dict[str, Any], np.ndarray]:
    """Return the marker of one wave's bars with each bar's mark, and the text drawn inside each bar.

    `colour` is the wave's hex colour (no '#'); done and cancelled bars are drawn in its light tint.
    """
    light = (mark == DONE) | (mark == CANCELLED)
    colours = np.where(light, "#" + tint(colour), "#" + colour).astype(object)
    shapes = np.array([_PATTERNS.get(m, ("", "#FFFFFF", 0.3))[0] for m in mark], dtype=object)
    fg = np.array([_PATTERNS.get(m, ("", "#FFFFFF", 0.3))[1] for m in mark], dtype=object)
    solidity = np.array([_PATTERNS.get(m, ("", "#FFFFFF", 0.3))[2] for m in mark], dtype=float)
    marker = {
        "color": colours,
        # A white edge keeps back-to-back weeks of one colour apart.
        "line": {"color": "#FFFFFF", "width": 1},
        "pattern": {"shape": shapes, "fgcolor": fg, "solidity": solidity, "fillmode": "overlay"},
    }
    return marker, np.where(mark == DONE, DONE_SYMBOL, "").astype(object)


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
        marker, _ = bar_look(grey, np.array([mark], dtype=object))
        # The legend draws one swatch: single values, not the per-bar arrays.
        marker = {
            "color": marker["color"][0],
            "line": {"color": "#" + BASELINE_LINE, "width": 1},
            "pattern": {k: (v[0] if isinstance(v, np.ndarray) else v) for k, v in marker["pattern"].items()},
        }
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
