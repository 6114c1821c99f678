"""Budget 2027: the political and administrative milestones with the rollout waves behind them."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

from app_pages.common import (
    CHART_TEMPLATE,
    analysis_of,
    chart_config,
    current_analysis,
    current_revision,
    md_list,
    md_text,
    narrow_screen,
    plan_store,
    today,
)
from planner import wave_calendar
from planner.gantt import build_gantt
from planner.schema import BUDGET_STEPS, MILESTONE_KINDS
from planner.views import collisions, wave_summary


# The figure is built once per revision and day and shared: sending the chart sooner lets the browser
# start on its scripts sooner. It is only read.
@st.cache_resource(max_entries=8, ttl=3600, show_spinner=False)
def _chart(url: str, revision: int, as_of: dt.date, compact: bool) -> go.Figure:
    analysis = analysis_of(revision)
    return build_gantt(
        wave_summary(analysis.schedule),
        template=CHART_TEMPLATE,
        milestones=analysis.plan.milestones,
        poor_weeks=analysis.poor_weeks,
        cutoffs=wave_calendar(analysis.plan),
        group_by="wave",
        today=as_of,
        compact=compact,
    )


analysis = current_analysis()
plan = analysis.plan

st.title("Budget 2027")
st.caption("Milepæle for budgetprocessen med MFR-bølgerne bagved, så sammenfald kan ses.")

waves = wave_summary(analysis.schedule)
if waves.empty and plan.milestones.empty:
    st.info("Planen har hverken milepæle eller bølger med enheder endnu. De lægges ind under Rediger plan.")
    st.stop()
if waves.empty:
    st.info("Ingen enheder er lagt i bølgerne endnu, så diagrammet viser kun milepælene.")

fig = _chart(plan_store().url, current_revision(), today(), narrow_screen())
st.plotly_chart(fig, theme=None, config=chart_config("budget-2027-tidslinje"), key="bu_chart")

st.subheader("Sammenfald")
clashes = collisions(analysis)
if clashes:
    st.markdown(md_list(clashes))
else:
    st.write("Ingen møder eller workshops i bølgerne ligger i samme uge som en milepæl.")

st.subheader("Milepæle")
ms = plan.milestones.sort_values("date")
if ms.empty:
    st.write("Planen har ingen milepæle endnu.")
else:
    # A Markdown table wraps long titles and sources, and needs none of the data grid's scripts.
    rows = [
        [
            f"{r['date']:%d.%m.%Y}",
            r["title"],
            r["body"],
            MILESTONE_KINDS.get(r["kind"], r["kind"]),
            BUDGET_STEPS.get(r["budget_step"], ""),
            r["source"],
        ]
        for r in ms.to_dict("records")
    ]
    header = "| Dato | Milepæl | Forum | Type | Budgettrin | Kilde |\n| --- | --- | --- | --- | --- | --- |"
    st.markdown("\n".join([header, *("| " + " | ".join(md_text(str(c)) for c in row) + " |" for row in rows)]))
