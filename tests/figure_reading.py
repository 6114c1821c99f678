"""Read a Gantt figure (or its JSON spec) the way a person sees it: row names, bars and hover texts."""

from __future__ import annotations

import base64
import re
from typing import Any

import numpy as np
import pandas as pd

_TAG = re.compile(r"</?(b|i)>")


def _get(obj: Any, key: str) -> Any:
    value = obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)
    if isinstance(value, dict) and "bdata" in value:
        # Plotly's JSON sends numeric arrays as base64 typed arrays.
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return array.reshape(value["shape"]) if "shape" in value else array
    return value


def plain(text: str) -> str:
    """Return Plotly pseudo-HTML as a reader sees it: line breaks as newlines, no bold or italic tags."""
    return _TAG.sub("", text.replace("<br>", "\n"))


def row_names(yaxis: Any) -> dict[str, str]:
    """Map the short row codes of the y axis to `Group › Row`; a bold heading row is `Group › Group`."""
    names: dict[str, str] = {}
    group = ""
    for code, text in zip(_get(yaxis, "tickvals"), _get(yaxis, "ticktext"), strict=True):
        label = plain(text).replace("\n", " ")
        if text.startswith("<b>"):
            group = label
        names[code] = f"{group} › {label}"
    return names


def hover_text(trace: Any, i: int) -> str:
    """Return the hover text of point `i` of `trace`: its template filled from its customdata."""
    template = _get(trace, "hovertemplate") or ""
    row = _get(trace, "customdata")[i]
    text = re.sub(r"%\{customdata\[(\d+)\]\}", lambda m: str(row[int(m[1])]), template)
    return plain(text.replace("<extra></extra>", ""))


def bars(fig: Any, *, trace_name: str | None = None) -> pd.DataFrame:
    """Return one row per bar: trace, row name, start, end (exclusive) and hover text."""
    layout = _get(fig, "layout")
    names = row_names(_get(layout, "yaxis"))
    rows = []
    for trace in _get(fig, "data"):
        if _get(trace, "type") != "bar" or (trace_name and _get(trace, "name") != trace_name):
            continue
        has_hover = _get(trace, "customdata") is not None
        for i, y in enumerate(_get(trace, "y")):
            if y is None:
                continue  # a legend entry: it explains a mark and draws nothing
            base = pd.Timestamp(_get(trace, "base")[i])
            rows.append(
                {
                    "trace": _get(trace, "name"),
                    "y": names[y],
                    "base": base,
                    "end": base + pd.Timedelta(milliseconds=int(_get(trace, "x")[i])),
                    "hover": hover_text(trace, i) if has_hover else "",
                }
            )
    frame = pd.DataFrame(rows, columns=["trace", "y", "base", "end", "hover"])
    frame["activity"] = frame["hover"].str.split("\n").str[0]
    return frame
