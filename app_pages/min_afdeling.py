"""Min afdeling: one department's activities week by week, its problems, and its week plan to download."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

from app_pages.calendar_download import calendar_download
from app_pages.common import (
    CHART_TEMPLATE,
    XLSX,
    analysis_of,
    chart_config,
    current_analysis,
    current_revision,
    md_list,
    md_text,
    narrow_screen,
    plan_store,
    progress_of,
    public_url,
    show_findings,
    today,
    workbook_builder,
)
from planner import wave_calendar
from planner.excel import export_filename
from planner.gantt import build_gantt
from planner.isoweeks import parse_week, week_label
from planner.texts import count_text
from planner.timeaxis import plan_span
from planner.views import department_lookup, filter_findings, filter_schedule, outlook, slug, week_sentences


# The figure is built once per revision, day and department and shared by its chefs: sending the chart
# sooner lets the browser start on its scripts sooner. It is only read.
@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False)
def _chart(url: str, revision: int, as_of: dt.date, department: str, compact: bool) -> go.Figure:
    analysis = analysis_of(revision)
    plan = analysis.plan
    name = str(plan.departments.set_index("department_id").at[department, "name"])
    mine = filter_schedule(analysis.schedule, departments=[department])
    rollout = progress_of(revision, as_of)
    first, last = plan_span(mine)
    if (rollout["overdue"] & rollout["activity_key"].isin(mine["activity_key"])).any():
        # While something is overdue the chart reaches today, so the head sees how late.
        last = max(last, as_of + dt.timedelta(days=7 - as_of.weekday()))
    return build_gantt(
        mine,
        template=CHART_TEMPLATE,
        poor_weeks=analysis.poor_weeks,
        findings=analysis.findings,
        cutoffs=wave_calendar(plan),
        rows="activity",
        today=as_of,
        x_range=(first, last),
        title=f"Udrulning af MFR – {name}",
        compact=compact,
        progress=rollout,
    )


analysis = current_analysis()
revision = current_revision()
plan, sched = analysis.plan, analysis.schedule
departments = dict(zip(plan.departments["department_id"], plan.departments["name"], strict=True))

st.title("Min afdeling")
if not departments:
    st.info("Planen har ingen afdelinger endnu. De lægges ind under Rediger plan.")
    st.stop()

# A link with ?afdeling=born-og-familie (or the id or the name) opens that department. A link naming
# no department says so, and leaves the address alone, rather than show another department.
asked = st.query_params.get("afdeling")
linked = department_lookup(plan, asked)
if asked and st.session_state.get("ma_linked") != asked:
    st.session_state.ma_department = linked
    st.session_state.ma_linked = asked
st.session_state.setdefault("ma_department", None if asked else next(iter(departments)))

current = st.session_state.ma_department
if current not in departments:  # none chosen yet, or removed in a newer revision of the plan
    st.session_state.ma_department = current = None
# The chosen department names the button that opens the chooser: a folded field costs the browser
# nothing until it is opened, so the chart draws sooner (bench/bench_pages.py).
with (
    st.popover(md_text(departments[current]), icon=":material/domain:", help="Skift afdeling")
    if current
    else st.container()
):
    chosen = st.selectbox(
        "Afdeling",
        list(departments),
        format_func=departments.get,
        key="ma_department",
        placeholder="Vælg din afdeling",
    )
if chosen is None:
    if asked and linked is None:
        st.error(f"Afdelingen '{md_text(asked)}' findes ikke i planen. Vælg din afdeling ovenfor eller her:")
    for dep_name in departments.values():
        st.page_link("app_pages/min_afdeling.py", label=md_text(dep_name), query_params={"afdeling": slug(dep_name)})
    st.stop()

name = departments[chosen]
# Keep the address bar a shareable link to the chosen department; remember it as handled.
st.session_state.ma_linked = slug(name)
st.query_params["afdeling"] = slug(name)
link = public_url(f"/min-afdeling?afdeling={slug(name)}")
# A plain link, not a code block: it copies as well and needs none of the code block's scripts.
st.markdown(f"Link til afdelingens side, til at sende i en mail: [{link}]({link})")

mine = filter_schedule(sched, departments=[chosen])
if mine.empty:
    st.info(f"{name} har ingen aktiviteter i planen endnu.")
    st.stop()

rollout = progress_of(revision, today())
late = rollout[rollout["overdue"] & rollout["activity_key"].isin(mine["activity_key"])]
status = outlook(mine, today(), unfinished=len(late))
if status and status.startswith("Udrulningen er afsluttet"):
    st.success(status)
elif status:
    st.info(status)
if len(late):
    st.warning(
        f"{count_text(len(late), 'aktivitet', 'aktiviteter')} skulle være afsluttet, men er ikke meldt gennemført:\n"
        + md_list(
            [
                f"{r['unit'] + ': ' if r['unit'] else ''}{r['activity']} (slut {week_label(parse_week(r['end_week']))})"
                for r in late.to_dict("records")
            ]
        )
    )
columns = st.columns(2)
for column, (heading, sentences) in zip(columns, week_sentences(mine, today()).items(), strict=True):
    with column:
        st.subheader(heading)
        st.markdown(md_list(sentences) if sentences else "Intet planlagt.")

fig = _chart(plan_store().url, revision, today(), chosen, narrow_screen())
st.plotly_chart(fig, theme=None, config=chart_config(f"mfr-tidsplan-{slug(name)}"), key="ma_chart")

st.subheader("Problemer i afdelingens plan")
problems = filter_findings(analysis.findings, plan, mine, departments=[chosen])
show_findings(problems, key="ma_findings", none_text=f"Ingen problemer fundet i planen for {name}.")

st.download_button(
    "Hent ugeplanen (Excel)",
    data=workbook_builder(revision, chosen),
    file_name=export_filename(plan, department=chosen, revision=revision),
    mime=XLSX,
    key="ma_download",
    type="primary",
    on_click="ignore",
)
calendar_download(chosen, key="ma_calendar")
