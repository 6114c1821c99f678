"""Overblik: the whole plan as an ISO-week Gantt with filters and one period, its problems below."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages.calendar_download import calendar_download
from app_pages.common import (
    CHART_TEMPLATE,
    XLSX,
    chart_config,
    current_analysis,
    current_revision,
    narrow_screen,
    progress_of,
    show_findings,
    today,
    workbook_builder,
)
from planner import wave_calendar
from planner.excel import export_filename
from planner.gantt import GROUPINGS, build_gantt
from planner.isoweeks import danish_date
from planner.schema import ACTIVITY_KINDS
from planner.status_marks import late_or_moved
from planner.texts import count_text, date_span_text
from planner.timeaxis import plan_span
from planner.views import ZOOM_PRESETS, filter_findings, filter_schedule, period_of, zoom_range

analysis = current_analysis()
revision = current_revision()
plan, sched = analysis.plan, analysis.schedule
span = plan_span(sched, plan.milestones)
compact = narrow_screen()

st.title("Overblik")
st.caption(plan.settings.title)

for key in ("ov_departments", "ov_units", "ov_waves", "ov_kinds"):
    st.session_state.setdefault(key, [])
st.session_state.setdefault("ov_zoom", "plan")
st.session_state.setdefault("ov_group", "department")
st.session_state.setdefault("ov_all_rows", False)
st.session_state.setdefault("ov_hide_past", True)
st.session_state.setdefault("ov_late", False)
# The period field is the one source of truth for what the chart shows. A preset fills it in (here,
# before the field is drawn, so the whole plan stays whole after a save); typing a date clears it.
if st.session_state.ov_zoom:
    st.session_state.ov_dates = zoom_range(st.session_state.ov_zoom, today(), span)


def _typed_dates() -> None:
    st.session_state.ov_zoom = None


departments = dict(zip(plan.departments["department_id"], plan.departments["name"], strict=True))
units = dict(zip(plan.units["unit_id"], plan.units["name"], strict=True))
waves = dict(zip(plan.waves["wave"], plan.waves["name"], strict=True))

# On a phone the filters fold away, so the chart is on the first screen.
with st.expander("Filtre og periode") if compact else st.container():
    with st.container(horizontal=True):
        st.multiselect(
            "Afdeling", list(departments), format_func=departments.get, key="ov_departments", placeholder="Alle"
        )
        st.multiselect("Enhed", list(units), format_func=units.get, key="ov_units", placeholder="Alle")
        st.multiselect("Bølge", list(waves), format_func=waves.get, key="ov_waves", placeholder="Alle")
        st.multiselect(
            "Aktivitetstype", list(ACTIVITY_KINDS), format_func=ACTIVITY_KINDS.get, key="ov_kinds", placeholder="Alle"
        )
    with st.container(horizontal=True, vertical_alignment="bottom"):
        # Wide enough for both dates ("01.12.2025 – 13.12.2026"): a row of widgets shares the width.
        st.date_input("Periode", key="ov_dates", format="DD.MM.YYYY", on_change=_typed_dates, width=240)
        st.pills("Vis periode", list(ZOOM_PRESETS), format_func=ZOOM_PRESETS.get, key="ov_zoom")
        st.selectbox("Gruppér efter", list(GROUPINGS), format_func=GROUPINGS.get, key="ov_group")
        st.checkbox("Vis alle enheder", key="ov_all_rows", help="Store planer vises med én række pr. gruppe.")
        st.checkbox(
            "Kun forsinkede eller flyttede",
            key="ov_late",
            help="Forsinket: skulle være afsluttet før denne uge og er ikke markeret gennemført eller aflyst. "
            "Flyttet: ligger i andre uger end i den godkendte plan (basisplanen).",
        )

period = period_of(st.session_state.ov_dates, zoom_range("plan", today(), span))
filters = {
    "departments": st.session_state.ov_departments,
    "units": st.session_state.ov_units,
    "waves": st.session_state.ov_waves,
}
now = today()
status = progress_of(revision, now)
late = late_or_moved(status)
in_view = filter_schedule(sched, **filters, kinds=st.session_state.ov_kinds, between=period)
shown = filter_schedule(in_view, keys=late) if st.session_state.ov_late else in_view
period_text = date_span_text(*period)

if sched.empty:
    st.info("Planen har ingen aktiviteter endnu. Læg enheder i bølgerne under Rediger plan.")
elif shown.empty and not in_view.empty:
    st.success(
        f"Ingen forsinkede eller flyttede aktiviteter i perioden {period_text} med de valgte filtre "
        f"(status pr. {danish_date(now)})."
    )
elif shown.empty:
    st.info(
        f"Ingen aktiviteter i perioden {period_text} med de valgte filtre. Vælg en anden periode eller 'Hele planen'."
    )
else:
    fig = build_gantt(
        shown,
        template=CHART_TEMPLATE,
        milestones=plan.milestones,
        poor_weeks=analysis.poor_weeks,
        findings=analysis.findings,
        cutoffs=wave_calendar(plan),
        group_by=st.session_state.ov_group,
        today=now,
        x_range=(period[0], period[1] + dt.timedelta(days=1)),  # the chart's end is exclusive
        max_rows=None if st.session_state.ov_all_rows else 300,
        compact=compact,
        progress=status,
    )
    st.plotly_chart(fig, theme=None, config=chart_config("mfr-tidsplan-overblik"), key="ov_chart")
    marked = status[status["activity_key"].isin(shown["activity_key"])]
    moved = int(((marked["slip_weeks"].fillna(0) != 0) | (marked["start_slip_weeks"].fillna(0) != 0)).sum())
    st.caption(
        f"{len(shown)} af {count_text(len(sched), 'aktivitet', 'aktiviteter')} vist i perioden {period_text}. "
        f"Status pr. {danish_date(now)}: {count_text(int(marked['overdue'].sum()), 'forsinket', 'forsinkede')}, "
        f"{moved} flyttet i forhold til den godkendte plan. "
        "Tynde bjælker er indkaldelser, forberedelse og frister; "
        + ("tryk på en bjælke for detaljer." if compact else "hold musen over en bjælke for detaljer.")
    )

st.subheader("Problemer")
found = filter_findings(analysis.findings, plan, shown, **filters, between=period)
coming = filter_findings(analysis.findings, plan, shown, **filters, between=period, hide_before=today())
listed = coming if st.session_state.ov_hide_past else found
errors = int((listed["severity"] == "error").sum())
past = len(found) - len(coming)
st.toggle(
    "Skjul problemer i uger, der er gået",
    key="ov_hide_past",
    help=f"{count_text(past, 'problem', 'problemer')} ligger i uger før denne uge.",
)
st.caption(
    f"{count_text(errors, 'fejl', 'fejl')} og {count_text(len(listed) - errors, 'advarsel', 'advarsler')} "
    "i det viste udsnit: problemerne følger filtrene og perioden ovenfor."
)
show_findings(listed, key="ov_findings", none_text="Ingen problemer i det viste udsnit af planen.")

st.download_button(
    "Hent hele planen (Excel)",
    data=workbook_builder(revision, None),
    file_name=export_filename(plan, revision=revision),
    mime=XLSX,
    key="ov_download",
    on_click="ignore",
)
calendar_download(None, key="ov_calendar")
