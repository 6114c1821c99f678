"""Overblik: the whole plan as an ISO-week Gantt with filters, zoom presets and the findings beside it."""

from __future__ import annotations

import streamlit as st

from app_pages.calendar_download import calendar_download
from app_pages.common import (
    CHART_TEMPLATE,
    chart_config,
    current_analysis,
    current_revision,
    findings_table,
    plan_store,
    today,
    workbook_bytes,
)
from planner.excel import export_filename
from planner.gantt import GROUPINGS, build_gantt
from planner.schema import ACTIVITY_KINDS
from planner.timeaxis import plan_span
from planner.views import ZOOM_PRESETS, filter_schedule, zoom_range

analysis = current_analysis()
plan, sched = analysis.plan, analysis.schedule
span = plan_span(sched, plan.milestones)

st.title("Overblik")
st.caption(plan.settings.title)

st.session_state.setdefault("ov_departments", [])
st.session_state.setdefault("ov_units", [])
st.session_state.setdefault("ov_waves", [])
st.session_state.setdefault("ov_kinds", [])
st.session_state.setdefault("ov_dates", span)
st.session_state.setdefault("ov_zoom", "plan")
st.session_state.setdefault("ov_group", "department")
st.session_state.setdefault("ov_all_rows", False)

departments = dict(zip(plan.departments["department_id"], plan.departments["name"], strict=True))
units = dict(zip(plan.units["unit_id"], plan.units["name"], strict=True))
waves = dict(zip(plan.waves["wave"], plan.waves["name"], strict=True))

with st.container(horizontal=True):
    st.multiselect(
        "Afdeling", list(departments), format_func=departments.get, key="ov_departments", placeholder="Alle afdelinger"
    )
    st.multiselect("Enhed", list(units), format_func=units.get, key="ov_units", placeholder="Alle enheder")
    st.multiselect("Bølge", list(waves), format_func=waves.get, key="ov_waves", placeholder="Alle bølger")
    st.multiselect(
        "Aktivitetstype", list(ACTIVITY_KINDS), format_func=ACTIVITY_KINDS.get, key="ov_kinds", placeholder="Alle typer"
    )
with st.container(horizontal=True):
    dates = st.date_input("Periode", key="ov_dates", format="DD.MM.YYYY")
    st.radio("Zoom", list(ZOOM_PRESETS), format_func=ZOOM_PRESETS.get, key="ov_zoom", horizontal=True)
    st.selectbox("Gruppér efter", list(GROUPINGS), format_func=GROUPINGS.get, key="ov_group")
    st.checkbox("Vis alle enheder", key="ov_all_rows", help="Store planer vises med én række pr. gruppe.")

between = tuple(dates) if isinstance(dates, tuple | list) and len(dates) == 2 else None
shown = filter_schedule(
    sched,
    departments=st.session_state.ov_departments,
    units=st.session_state.ov_units,
    waves=st.session_state.ov_waves,
    kinds=st.session_state.ov_kinds,
    between=between,  # type: ignore[arg-type]
)

chart, side = st.columns([4, 1.4])
with chart:
    if shown.empty:
        st.info("Ingen aktiviteter passer til filtrene.")
    fig = build_gantt(
        shown,
        template=CHART_TEMPLATE,
        milestones=plan.milestones,
        poor_weeks=analysis.poor_weeks,
        findings=analysis.findings,
        group_by=st.session_state.ov_group,
        today=today(),
        x_range=zoom_range(st.session_state.ov_zoom, today(), span),
        max_rows=None if st.session_state.ov_all_rows else 300,
    )
    st.plotly_chart(fig, theme=None, config=chart_config("mfr-tidsplan-overblik"), key="ov_chart")
    st.caption(f"{len(shown)} af {len(sched)} aktiviteter vist. Grå uger: skoleferie eller helligdag.")
with side:
    findings = analysis.findings
    errors = int((findings["severity"] == "error").sum())
    st.subheader("Problemer")
    st.metric("Fejl", errors)
    st.metric("Advarsler", len(findings) - errors)
    if findings.empty:
        st.success("Ingen problemer fundet.")
    else:
        st.dataframe(findings_table(findings), hide_index=True, key="ov_findings")
    st.download_button(
        "Hent hele planen (Excel)",
        data=workbook_bytes(plan_store().url, current_revision(), None),
        file_name=export_filename(plan),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="ov_download",
    )
    calendar_download(None, key="ov_calendar")
