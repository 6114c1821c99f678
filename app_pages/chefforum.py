"""Status til Chefforum: the rollout as of a date, per wave and department, and the Word report for the agenda."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages.common import (
    CHART_TEMPLATE,
    analysis_of,
    chart_config,
    current_revision,
    md_list,
    narrow_screen,
    plan_store,
)
from app_pages.common import today as app_today
from planner import PlanError
from planner.gantt import build_gantt
from planner.isoweeks import danish_date
from planner.report import DOCX_MIME, build_report, report_filename
from planner.status_summary import ChefforumStatus, chefforum_status


@st.cache_resource(max_entries=16, ttl=3600, show_spinner="Beregner status …")
def _status(url: str, revision: int, as_of: dt.date, department: str) -> ChefforumStatus:
    analysis = analysis_of(revision)
    return chefforum_status(analysis.plan, as_of, department=department or None, sched=analysis.schedule)


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _report(url: str, revision: int, as_of: dt.date, department: str) -> tuple[bytes, str | None]:
    report = build_report(analysis_of(revision).plan, as_of=as_of, status=_status(url, revision, as_of, department))
    return report.data, report.picture_problem


revision = current_revision()
plan = analysis_of(revision).plan
url = plan_store().url
departments = dict(zip(plan.departments["department_id"], plan.departments["name"], strict=True))

st.title("Status til Chefforum")
st.session_state.setdefault("cf_as_of", app_today())
st.session_state.setdefault("cf_department", "")
with st.container(horizontal=True):
    st.date_input("Status pr.", key="cf_as_of", format="DD.MM.YYYY")
    st.selectbox(
        "Afdeling", ["", *departments], format_func=lambda d: departments.get(d, "Hele planen"), key="cf_department"
    )
as_of: dt.date = st.session_state.cf_as_of
department: str = st.session_state.cf_department
try:
    status = _status(url, revision, as_of, department)
except PlanError as exc:
    st.error(str(exc))
    st.stop()

st.caption(f"{plan.settings.title} · status pr. {danish_date(as_of)} (uge {status.week}) · revision {revision}")
st.subheader("Resumé")
st.markdown(md_list(status.sentences))

with st.container(horizontal=True):
    st.button("Lav Word-rapport", key="cf_make_report", type="primary")
    if st.session_state.cf_make_report or st.session_state.get("cf_report_for") == (revision, as_of, department):
        with st.spinner("Laver rapporten og tegner Gantt-diagrammet … (op til et halvt minut)"):
            data, problem = _report(url, revision, as_of, department)
        st.session_state.cf_report_for = (revision, as_of, department)
        st.download_button(
            "Hent rapporten (Word)",
            data=data,
            file_name=report_filename(as_of, status.department),
            mime=DOCX_MIME,
            key="cf_download",
        )
        if problem:
            st.warning(problem)

st.plotly_chart(
    build_gantt(
        status.schedule,
        template=CHART_TEMPLATE,
        milestones=None if status.department else plan.milestones,
        poor_weeks=analysis_of(revision).poor_weeks,
        findings=status.findings,
        today=as_of,
        today_label=f"status pr. {danish_date(as_of)}",
        compact=narrow_screen(),
        progress=status.table,
    ),
    theme=None,
    config=chart_config(f"mfr-status-{as_of.isoformat()}"),
    key="cf_chart",
)

for heading, frame in status.tables.items():
    st.subheader(heading)
    if frame.empty:
        st.write("Ingen.")
    else:
        st.dataframe(frame, hide_index=True, key=f"cf_table_{heading}")
    if status.more[heading]:
        st.caption(f"… og {status.more[heading]} rækker mere (se kommandoen `python -m planner status`).")
