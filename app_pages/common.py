"""What every page shares: the cached analysed plan, the chart template and chart settings."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pandas as pd
import streamlit as st

from planner import DEFAULT_DATA_DIR, load_plan
from planner.checks import SEVERITY_LABELS
from planner.views import Analysis, analyse

CHART_TEMPLATE = "plotly_white"  # passed to every figure; no global Plotly default is touched


def data_dir() -> Path:
    """Return the plan folder: `PLANNER_DATA_DIR` or the built-in sample plan."""
    return Path(os.environ.get("PLANNER_DATA_DIR") or DEFAULT_DATA_DIR)


def _fingerprint(folder: Path) -> str:
    # A changed file gives a new key, so the cache never serves a stale plan.
    stats = sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*") if p.is_file())
    return f"{folder}:{stats}"


@st.cache_resource(max_entries=4, ttl=3600, show_spinner="Beregner tidsplan og tjek …")
def _analysis(key: str, folder: str) -> Analysis:
    return analyse(load_plan(folder))


def current_analysis() -> Analysis:
    """Return the analysed current plan, computed once per version of the plan."""
    folder = data_dir()
    return _analysis(_fingerprint(folder), str(folder))


def today() -> dt.date:
    """Return today's date; `PLANNER_TODAY` (YYYY-MM-DD) pins it for demonstrations and tests."""
    pinned = os.environ.get("PLANNER_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def chart_config(filename: str) -> dict[str, object]:
    """Return the Plotly toolbar settings: a named PNG download for slides, no Plotly logo."""
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


def findings_table(findings: pd.DataFrame) -> pd.DataFrame:
    """Return the findings with Danish column names, for `st.dataframe`."""
    return pd.DataFrame(
        {
            "Alvor": findings["severity"].map(SEVERITY_LABELS),
            "Uge": findings["week"].str.replace(r"^(\d{4})-W0?(\d+)$", r"uge \2 \1", regex=True),
            "Enhed": findings["unit"],
            "Problem": findings["message"],
            "Forslag": findings["suggestion"],
        }
    )


def md_text(text: str) -> str:
    """Return `text` with Markdown syntax escaped: names from users are shown, never interpreted."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", text)


def md_list(lines: list[str]) -> str:
    """Return a Markdown bullet list of plain-text lines."""
    return "\n".join(f"- {md_text(line)}" for line in lines)
