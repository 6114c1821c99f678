"""What every page shares: the cached analysed plan, the chart template, chart settings and downloads."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from planner import DEFAULT_DATA_DIR, load_plan
from planner.excel import export_workbook
from planner.findings import SEVERITY_LABELS
from planner.progress import progress
from planner.store import Store, default_database_url
from planner.views import Analysis, analyse

CHART_TEMPLATE = "plotly_white"  # passed to every figure; no global Plotly default is touched
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def data_dir() -> Path:
    """Return the folder the database is first filled from: `PLANNER_DATA_DIR` or the sample plan."""
    return Path(os.environ.get("PLANNER_DATA_DIR") or DEFAULT_DATA_DIR)


@st.cache_resource(max_entries=4)
def _store(url: str, seed_folder: str) -> Store:
    store = Store(url)
    store.ensure_seeded(load_plan(seed_folder))
    return store


def plan_store() -> Store:
    """Return the app's store (created and filled from data/ on first start)."""
    return _store(default_database_url(), str(data_dir()))


@st.cache_resource(max_entries=8, ttl=3600, show_spinner="Beregner tidsplan og tjek …")
def _analysis(url: str, revision: int, as_of: dt.date) -> Analysis:
    return analyse(plan_store().load(revision)[1], as_of=as_of)


def analysis_of(revision: int) -> Analysis:
    """Return the analysed plan of one revision as of today, computed once per revision and day."""
    return _analysis(plan_store().url, revision, today())


def current_revision() -> int:
    """Return the newest revision: every page shows a saved change on its next run."""
    return plan_store().latest() or 1


def current_analysis() -> Analysis:
    """Return the analysed newest plan."""
    return analysis_of(current_revision())


@st.cache_data(max_entries=32, ttl=3600, show_spinner="Bygger regnearket …")
def workbook_bytes(url: str, revision: int, department: str | None, as_of: dt.date | None = None) -> bytes:
    """Return the Excel week plan of a revision (whole plan or one department) with status as of a day, built once."""
    analysis = analysis_of(revision)
    return export_workbook(analysis.plan, department=department, analysis=analysis, revision=revision, as_of=as_of)


def workbook_builder(revision: int, department: str | None) -> Callable[[], bytes]:
    """Return what a download button calls when clicked: the workbook is built then, not on every view."""
    url = plan_store().url
    as_of = today()
    return lambda: workbook_bytes(url, revision, department, as_of)


@st.cache_resource(max_entries=8, ttl=3600, show_spinner=False)
def _progress(url: str, revision: int, as_of: dt.date) -> pd.DataFrame:
    analysis = analysis_of(revision)
    return progress(analysis.plan, analysis.schedule, as_of)


def progress_of(revision: int, as_of: dt.date) -> pd.DataFrame:
    """Return the status, slip and overdue of every activity of a revision as of a day (shared: do not change it)."""
    return _progress(plan_store().url, revision, as_of)


def today() -> dt.date:
    """Return today's date; `PLANNER_TODAY` (YYYY-MM-DD) pins it for demonstrations and tests."""
    pinned = os.environ.get("PLANNER_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def narrow_screen() -> bool:
    """Return True on a phone: its browser says 'Mobi' in its user agent, as every phone browser does.

    The server never learns the window's width; the phone's own word is what decides the chart's fit.
    """
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # no browser behind the session (AppTest, bare mode)
        return False
    return "Mobi" in agent


def public_url(path: str) -> str:
    """Return the full address of `path` (`/min-afdeling?afdeling=…`) to paste into a mail.

    `PLANNER_PUBLIC_URL` gives the address users reach the app at (behind a proxy the browser's
    own address may be an internal one); without it, the address the browser used.
    """
    base = os.environ.get("PLANNER_PUBLIC_URL", "").strip()
    if not base:
        try:
            url = urlsplit(st.context.url or "")
        except Exception:  # no browser behind the session
            url = urlsplit("")
        if url.scheme and url.netloc:
            root = str(st.get_option("server.baseUrlPath") or "").strip("/")
            base = f"{url.scheme}://{url.netloc}" + (f"/{root}" if root else "")
    return base.rstrip("/") + path


def chart_config(filename: str) -> dict[str, object]:
    """Return the Plotly toolbar settings: a named PNG download for slides, no zoom tools, no logo.

    The chart's period is set by the page's fields, so the zoom and pan buttons are left out.
    """
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": [
            "lasso2d",
            "select2d",
            "zoom2d",
            "pan2d",
            "zoomIn2d",
            "zoomOut2d",
            "autoScale2d",
            "resetScale2d",
        ],
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


def finding_lines(findings: pd.DataFrame) -> list[str]:
    """Return one Markdown line per finding: severity, week and unit in bold, problem, suggestion.

    Text from the plan is escaped: it is shown, never read as Markdown.
    """
    lines = []
    for r in findings.to_dict("records"):
        week = re.sub(r"^(\d{4})-W0?(\d+)$", r"uge \2 \1", str(r["week"]))
        where = " · ".join(md_text(p) for p in (week, str(r["unit"])) if p)
        head = f"**{SEVERITY_LABELS[r['severity']].capitalize()}" + (f" · {where}**" if where else "**")
        tail = f" *Forslag: {md_text(str(r['suggestion']))}*" if r["suggestion"] else ""
        lines.append(f"- {head}: {md_text(str(r['message']))}.{tail}")
    return lines


def show_findings(findings: pd.DataFrame, *, key: str, none_text: str, list_up_to: int = 30) -> None:
    """Show the findings: a list that wraps its text, a sortable table when there are many, or `none_text`.

    A list needs none of the table's scripts, so the page (and its chart) draws sooner.
    """
    if findings.empty:
        st.success(none_text)
    elif len(findings) <= list_up_to:
        st.markdown("\n".join(finding_lines(findings)))
    else:
        # The problem gets the room: it names the activity and week itself.
        widths = {"Alvor": "small", "Uge": "small", "Enhed": "medium", "Problem": "large", "Forslag": "medium"}
        config = {name: st.column_config.TextColumn(name, width=width) for name, width in widths.items()}
        st.dataframe(findings_table(findings), hide_index=True, key=key, width="stretch", column_config=config)


def md_text(text: str) -> str:
    """Return `text` with Markdown syntax escaped: names from users are shown, never interpreted."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", text)


def md_list(lines: list[str]) -> str:
    """Return a Markdown bullet list of plain-text lines."""
    return "\n".join(f"- {md_text(line)}" for line in lines)
