"""Min afdeling: one department's Gantt, this week and next week in sentences, and its week plan to download."""

from __future__ import annotations

import streamlit as st

from app_pages.calendar_download import calendar_download
from app_pages.common import (
    CHART_TEMPLATE,
    chart_config,
    current_analysis,
    current_revision,
    md_list,
    plan_store,
    today,
    workbook_bytes,
)
from planner.excel import export_filename
from planner.gantt import build_gantt
from planner.timeaxis import plan_span
from planner.views import department_lookup, filter_schedule, slug, week_sentences

analysis = current_analysis()
plan, sched = analysis.plan, analysis.schedule
departments = dict(zip(plan.departments["department_id"], plan.departments["name"], strict=True))

# A link with ?afdeling=born-og-familie (or the id or the name) opens that department.
linked = department_lookup(plan, st.query_params.get("afdeling"))
st.session_state.setdefault("ma_department", linked or next(iter(departments)))
if linked and st.session_state.get("ma_linked") != linked:
    st.session_state.ma_department = linked
    st.session_state.ma_linked = linked

st.title("Min afdeling")
chosen = st.selectbox("Afdeling", list(departments), format_func=departments.get, key="ma_department")
name = departments[chosen]
# Keep the address bar a shareable link to the chosen department; remember it as handled.
st.session_state.ma_linked = chosen
st.query_params["afdeling"] = slug(name)
st.caption(f"Link til siden: ?afdeling={slug(name)}")

mine = filter_schedule(sched, departments=[chosen])
if mine.empty:
    st.info(f"{name} har ingen aktiviteter i planen.")

now, later = st.columns(2)
for column, (heading, sentences) in zip((now, later), week_sentences(mine, today()).items(), strict=True):
    with column:
        st.subheader(heading)
        if sentences:
            st.markdown(md_list(sentences))
        else:
            st.write("Intet planlagt.")

fig = build_gantt(
    mine,
    template=CHART_TEMPLATE,
    poor_weeks=analysis.poor_weeks,
    findings=analysis.findings,
    today=today(),
    x_range=plan_span(mine) if len(mine) else None,
    title=f"Udrulning af MFR – {name}",
)
st.plotly_chart(fig, theme=None, config=chart_config(f"mfr-tidsplan-{slug(name)}"), key="ma_chart")

st.download_button(
    "Hent ugeplanen (Excel)",
    data=workbook_bytes(plan_store().url, current_revision(), chosen),
    file_name=export_filename(plan, department=chosen),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="ma_download",
    type="primary",
)
calendar_download(chosen, key="ma_calendar")
