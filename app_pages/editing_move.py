"""Rediger plan → Flyt enhed: move a unit to another wave, see what it does, then save."""

from __future__ import annotations

import streamlit as st

from app_pages.common import CHART_TEMPLATE, analysis_of, findings_table, md_text, today
from app_pages.editing import EditSession, merged_preview, new_findings, save
from app_pages.editing_tables import diff_table
from planner import PlanError
from planner.checks import has_errors
from planner.diff import diff_plans
from planner.edits import move_unit
from planner.gantt import build_gantt
from planner.timeaxis import plan_span
from planner.views import analyse, filter_schedule


def render(session: EditSession) -> None:
    """Show the move form with its preview (changes, new findings, the unit's Gantt) and the save button."""
    base_plan = session.base_plan
    names = dict(zip(base_plan.units["unit_id"], base_plan.units["name"], strict=True))
    current = base_plan.assignments.groupby("unit_id")["wave"].agg(lambda w: ", ".join(str(x) for x in w))
    wave_names = dict(zip(base_plan.waves["wave"], base_plan.waves["name"], strict=True))
    left, right = st.columns(2)
    unit = left.selectbox(
        "Enhed", list(names), format_func=lambda u: f"{names[u]} (bølge {current.get(u, '–')})", key="rp_move_unit"
    )
    wave = right.selectbox("Til bølge", list(wave_names), format_func=wave_names.get, key="rp_move_wave")
    if str(wave) in str(current.get(unit, "")).split(", "):
        st.info(md_text(f"{names[unit]} er allerede i {wave_names[wave]}."))
        return
    try:
        moved = move_unit(base_plan, unit, int(wave))
    except PlanError as exc:
        st.error(md_text(str(exc)))
        return
    st.subheader(md_text(f"Hvis {names[unit]} flyttes til {wave_names[wave]}"))
    st.dataframe(diff_table(diff_plans(base_plan, moved)), hide_index=True, key="rp_move_changes")
    to_save, chosen, _ = merged_preview(session, moved, "move")
    placeholder = f"{names[unit]} flyttet til bølge {wave}"
    if to_save is None:  # the comment field stays, so nothing typed is lost while choosing
        st.text_input("Kommentar", key="rp_move_comment", placeholder=placeholder)
        st.button("Gem flytningen", type="primary", disabled=True, key="rp_move_save")
        return
    analysis = analyse(to_save)
    # New compared with the plan as it is now (the newest revision), which the save is merged into.
    added = new_findings(analysis_of(session.latest).findings, analysis.findings)
    blocked = has_errors(analysis.findings)
    if len(added):
        (st.error if has_errors(added) else st.warning)(
            f"Flytningen giver {len(added)} {'nyt fund' if len(added) == 1 else 'nye fund'} i tjekket af planen"
            + (" – fejl skal rettes, før den kan gemmes:" if blocked else ":")
        )
        st.dataframe(findings_table(added), hide_index=True, key="rp_move_findings")
    else:
        st.success("Flytningen giver ingen nye fund i tjekket af planen.")
    mine = filter_schedule(analysis.schedule, units=[unit])
    st.plotly_chart(
        build_gantt(
            mine,
            template=CHART_TEMPLATE,
            findings=analysis.findings,
            poor_weeks=analysis.poor_weeks,
            today=today(),
            x_range=plan_span(mine) if len(mine) else None,
            title=f"{names[unit]} i {wave_names[wave]}",
        ),
        theme=None,
        key="rp_move_preview",
    )
    comment = st.text_input("Kommentar", key="rp_move_comment", placeholder=placeholder)
    if st.button("Gem flytningen", type="primary", disabled=blocked, key="rp_move_save"):
        save(session, moved, comment or placeholder, chosen or None)
