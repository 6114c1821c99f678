"""Foreslå løsning: the re-planner's proposal as a diff and a Gantt preview, saved only when accepted."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from app_pages.common import CHART_TEMPLATE, findings_table, md_list, today
from planner.checks import has_errors
from planner.constraints import apply_moves
from planner.gantt import build_gantt
from planner.model import Plan
from planner.replan import SOURCE, NoProposalError, Proposal, replan
from planner.views import analyse

TIME_LIMIT = 10.0  # seconds: the sample plan takes well under one, 2,000 units a few
_COLUMNS = {
    "take": "Tag med",
    "unit": "Enhed",
    "activity": "Aktivitet",
    "from_week": "Fra uge",
    "to_week": "Til uge",
    "reason": "Hvorfor",
}


def _week(label: str) -> str:
    return f"uge {int(label[-2:])} {label[:4]}"


def _run(base_plan: Plan) -> None:
    with st.spinner("Finder den plan, der løser konflikterne med færrest flytninger …"):
        try:
            st.session_state.rpl_result = replan(base_plan, as_of=today(), time_limit=TIME_LIMIT)
        except NoProposalError as exc:
            st.session_state.rpl_result = exc
    st.session_state.rpl_for = id(base_plan)
    st.session_state.pop("rpl_pick", None)


def replan_panel(base_plan: Plan, save: Callable[[Plan, str], None]) -> None:
    """Show "Foreslå løsning" for `base_plan`; `save(plan, comment)` stores an accepted proposal as a revision."""
    st.caption(
        "Løseren flytter så få aktiviteter som muligt, så ingen møder ligger i ferie- og helligdagsuger, "
        "afhængigheder og indkaldelser holder, og økonomikonsulenternes kapacitet ikke overskrides. "
        "Intet gemmes, før du godkender forslaget."
    )
    if st.button("Foreslå løsning", type="primary", key="rpl_run"):
        _run(base_plan)
    result = st.session_state.get("rpl_result")
    if result is None or st.session_state.get("rpl_for") != id(base_plan):
        return
    if isinstance(result, NoProposalError):
        st.error("Ingen plan opfylder alle faste krav:" if result.infeasible else "Ingen plan fundet:")
        st.markdown(md_list(result.reasons))
        return
    _show(base_plan, result, save)


def _show(base_plan: Plan, proposal: Proposal, save: Callable[[Plan, str], None]) -> None:
    moves = proposal.moves
    if moves.empty:
        st.info("Planen har ingen konflikter, som flytninger kan løse.")
        return
    proof = "bedst mulige" if proposal.status == "optimal" else f"højst {proposal.gap:.0%} fra det bedst mulige"
    st.success(f"Forslaget flytter {len(moves)} aktiviteter ({proof}).")
    table = pd.DataFrame(
        {
            "take": True,
            "unit": moves["unit"].where(moves["unit"] != "", "(fælles)"),
            "activity": moves["activity"],
            "from_week": moves["from_week"].map(_week),
            "to_week": moves["to_week"].map(_week),
            "reason": moves["reason"],
        }
    ).rename(columns=_COLUMNS)
    picked = st.data_editor(
        table,
        key="rpl_pick",
        hide_index=True,
        disabled=[c for c in table.columns if c != _COLUMNS["take"]],
        column_config={
            _COLUMNS["take"]: st.column_config.CheckboxColumn(
                help="Fjern fluebenet for at springe over", width="small"
            ),
            _COLUMNS["unit"]: st.column_config.TextColumn(width="medium"),
            _COLUMNS["activity"]: st.column_config.TextColumn(width="medium"),
            _COLUMNS["from_week"]: st.column_config.TextColumn(width="small"),
            _COLUMNS["to_week"]: st.column_config.TextColumn(width="small"),
            _COLUMNS["reason"]: st.column_config.TextColumn(width="large"),
        },
        width="stretch",
    )
    chosen = moves[picked[_COLUMNS["take"]].to_numpy(dtype=bool)]
    plan = apply_moves(base_plan, dict(zip(chosen["activity_key"], chosen["to_week"], strict=True)), source=SOURCE)
    analysis = analyse(plan)
    blocked = has_errors(analysis.findings)
    if len(chosen) < len(moves) and len(analysis.findings):
        (st.error if blocked else st.warning)(
            "Uden alle flytninger har planen disse fund" + (" og kan ikke gemmes:" if blocked else ":")
        )
        st.dataframe(findings_table(analysis.findings), hide_index=True, key="rpl_findings")
    marks = pd.DataFrame(
        {
            "activity_key": chosen["activity_key"],
            "message": "Flyttet fra " + chosen["from_week"].map(_week) + " til " + chosen["to_week"].map(_week),
            "suggestion": "",
        }
    )
    shown = analysis.schedule[
        analysis.schedule["unit"].isin(set(chosen["unit"]) - {""})
        | analysis.schedule["activity_key"].isin(set(chosen["activity_key"]))
    ]
    flagged = pd.concat([marks, analysis.findings[["activity_key", "message", "suggestion"]]], ignore_index=True)
    st.plotly_chart(
        build_gantt(
            shown,
            template=CHART_TEMPLATE,
            findings=flagged,
            poor_weeks=analysis.poor_weeks,
            today=today(),
        ),
        theme=None,
        key="rpl_preview",
    )
    st.caption("Forhåndsvisning af de berørte enheder; flyttede aktiviteter har rød kant (hold musen over).")
    comment = st.text_input(
        "Kommentar til revisionen", value=f"Foreslået løsning: {len(chosen)} flytninger", key="rpl_comment"
    )
    if st.button("Gem forslaget som ny revision", disabled=blocked or chosen.empty, key="rpl_save"):
        st.session_state.pop("rpl_result", None)
        save(plan, comment)
