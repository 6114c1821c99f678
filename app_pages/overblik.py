"""Overblik: the whole plan as an ISO-week Gantt with filters and one period, its problems below."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
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
    md_text,
    narrow_screen,
    plan_store,
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
from planner.texts import choice_text, count_text, date_span_text
from planner.timeaxis import plan_span
from planner.views import ZOOM_PRESETS, Analysis, filter_findings, filter_schedule, period_of, zoom_range

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


def _preset(zoom: str) -> None:
    st.session_state.ov_zoom = zoom


def _filters() -> None:
    """Draw the filter and period fields (their values live in the session state under ov_*)."""
    st.multiselect("Afdeling", list(departments), format_func=departments.get, key="ov_departments", placeholder="Alle")
    st.multiselect("Enhed", list(units), format_func=units.get, key="ov_units", placeholder="Alle")
    st.multiselect("Bølge", list(waves), format_func=waves.get, key="ov_waves", placeholder="Alle")
    st.multiselect(
        "Aktivitetstype", list(ACTIVITY_KINDS), format_func=ACTIVITY_KINDS.get, key="ov_kinds", placeholder="Alle"
    )
    st.date_input("Periode", key="ov_dates", format="DD.MM.YYYY", on_change=_typed_dates)
    st.selectbox("Gruppér efter", list(GROUPINGS), format_func=GROUPINGS.get, key="ov_group")
    st.checkbox("Vis alle enheder", key="ov_all_rows", help="Store planer vises med én række pr. gruppe.")
    st.checkbox(
        "Kun forsinkede eller flyttede",
        key="ov_late",
        help="Forsinket: skulle være afsluttet før denne uge og er ikke markeret gennemført eller aflyst. "
        "Flyttet: ligger i andre uger end i den godkendte plan (basisplanen).",
    )


def _summary(view: View, group: str) -> str:
    """Return one Markdown line saying what the chart shows, since the fields sit folded in a popover."""
    narrowed = [
        ([units[u] for u in view.units], "enhed", "enheder"),
        ([waves[w] for w in view.waves], "bølge", "bølger"),
        ([ACTIVITY_KINDS[k] for k in view.kinds], "type", "typer"),
    ]
    parts = [
        choice_text([departments[d] for d in view.departments], singular="afdeling", plural="afdelinger"),
        *(choice_text(names, singular=one, plural=many) for names, one, many in narrowed if names),
        *(["kun forsinkede eller flyttede"] if view.late_only else []),
        date_span_text(*view.period),
        f"grupperet efter {GROUPINGS[group].lower()}",
    ]
    return "Viser " + " · ".join(md_text(p) for p in parts) + "."


@dataclass(frozen=True)
class View:
    """What the filters and the period select: the rows the chart, caption and problem list follow."""

    departments: tuple[str, ...]
    units: tuple[str, ...]
    waves: tuple[int, ...]
    kinds: tuple[str, ...]
    period: tuple[dt.date, dt.date]
    late_only: bool


def _rows(analysis: Analysis, status: pd.DataFrame, view: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the activities in the filters and period, and of those the ones shown (late or moved only)."""
    filters = {"departments": view.departments, "units": view.units, "waves": view.waves}
    in_view = filter_schedule(analysis.schedule, **filters, kinds=view.kinds, between=view.period)
    return in_view, filter_schedule(in_view, keys=late_or_moved(status)) if view.late_only else in_view


# The figure of a view is built once per revision and day and shared: most chefs open the same view,
# and sending the chart sooner lets the browser start on its scripts sooner. It is only read.
@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False)
def _chart(url: str, revision: int, as_of: dt.date, view: View, group: str, all_rows: bool, compact: bool) -> go.Figure:
    analysis = analysis_of(revision)
    status = progress_of(revision, as_of)
    return build_gantt(
        _rows(analysis, status, view)[1],
        template=CHART_TEMPLATE,
        milestones=analysis.plan.milestones,
        poor_weeks=analysis.poor_weeks,
        findings=analysis.findings,
        cutoffs=wave_calendar(analysis.plan),
        group_by=group,
        today=as_of,
        x_range=(view.period[0], view.period[1] + dt.timedelta(days=1)),  # the chart's end is exclusive
        max_rows=None if all_rows else 300,
        compact=compact,
        progress=status,
    )


departments = dict(zip(plan.departments["department_id"], plan.departments["name"], strict=True))
units = dict(zip(plan.units["unit_id"], plan.units["name"], strict=True))
waves = dict(zip(plan.waves["wave"], plan.waves["name"], strict=True))

period = period_of(st.session_state.ov_dates, zoom_range("plan", today(), span))
filters = {
    "departments": tuple(st.session_state.ov_departments),
    "units": tuple(st.session_state.ov_units),
    "waves": tuple(st.session_state.ov_waves),
}
view = View(**filters, kinds=tuple(st.session_state.ov_kinds), period=period, late_only=st.session_state.ov_late)
now = today()
status = progress_of(revision, now)
in_view, shown = _rows(analysis, status, view)
period_text = date_span_text(*period)

# The fields fold into a popover: a folded field costs the browser nothing until it is opened, so the
# chart draws sooner (bench/bench_pages.py), and the chart starts higher on the screen. The presets and
# a line saying what is shown stay in view.
with st.container(horizontal=True, vertical_alignment="center"):
    chosen = len(view.departments) + len(view.units) + len(view.waves) + len(view.kinds) + view.late_only
    with st.popover(f"Filtre og periode ({chosen} valgt)" if chosen else "Filtre og periode", icon=":material/tune:"):
        _filters()
    for preset, label in ZOOM_PRESETS.items():
        active = st.session_state.ov_zoom == preset
        st.button(
            label, key=f"ov_zoom_{preset}", type="primary" if active else "secondary", on_click=_preset, args=(preset,)
        )
st.caption(_summary(view, st.session_state.ov_group))

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
    fig = _chart(
        plan_store().url, revision, now, view, st.session_state.ov_group, st.session_state.ov_all_rows, compact
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
