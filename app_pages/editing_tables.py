"""Rediger plan → Tabeller: the plan's tables in Danish, the effect of the edits, and saving them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import CHART_TEMPLATE, findings_table, md_list, today
from app_pages.editing import EditSession, merged_preview, save
from planner import PlanError, build_plan
from planner.checks import has_errors
from planner.diff import diff_plans
from planner.editor_view import EditorColumn, danish_weeks, display_table, editor_columns, raw_from_display
from planner.gantt import build_gantt
from planner.schema import TABLES
from planner.texts import count_text
from planner.views import analyse

EDITABLE = ("waves", "assignments", "template", "overrides", "tasks", "dependencies", "milestones", "council_meetings")
DIFF_LABELS = {"area": "Område", "what": "Hvad", "change": "Ændring", "before": "Før", "after": "Efter"}


def diff_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Return plan changes with Danish headings and weeks as `uge 16 2026`."""
    out = changes.copy()
    for column in ("before", "after"):
        out[column] = danish_weeks(out[column])
    return out.rename(columns=DIFF_LABELS)


def column_config(columns: list[EditorColumn]) -> dict[str, object]:
    """Return Streamlit column settings: drop-downs store codes and show names, dates as 02.12.2025."""
    config: dict[str, object] = {}
    for col in columns:
        if col.kind == "select":
            labels = dict(col.options)
            config[col.name] = st.column_config.SelectboxColumn(
                col.heading, options=list(labels), format_func=lambda v, labels=labels: labels.get(v, v), help=col.help
            )
        elif col.kind == "date":
            config[col.name] = st.column_config.DateColumn(col.heading, format="DD.MM.YYYY", help=col.help)
        else:
            config[col.name] = st.column_config.TextColumn(col.heading, help=col.help)
    return config


def render(session: EditSession) -> None:
    """Show the table editors, what the edits do, and the save button."""
    base_plan = session.base_plan
    edited: dict[str, pd.DataFrame] = {}
    marks = {}
    raw = base_plan.tables()
    for name in EDITABLE:
        spec = TABLES[name]
        # The editor's input stays the same object across reruns; its edits live under its key.
        st.session_state.setdefault(f"rp_input_{name}", display_table(base_plan, name))
        marks[name] = st.container()  # filled below when a row of this table conflicts with a newer save
        rows = count_text(len(getattr(base_plan, name)), "række", "rækker")
        with st.expander(f"{spec.label} ({rows})", expanded=name == "assignments"):
            edited[name] = st.data_editor(
                st.session_state[f"rp_input_{name}"],
                key=f"rp_edit_{name}",
                num_rows="dynamic",
                hide_index=True,
                column_config=column_config(editor_columns(base_plan, name)),
                width="stretch",
            )
    try:
        new_plan = build_plan(
            raw | {name: raw_from_display(base_plan, name, frame) for name, frame in edited.items()},
            settings=base_plan.settings,
            names={n: TABLES[n].label for n in TABLES},
            first_row=1,
            labels=True,
        )
    except PlanError as exc:
        st.error("Planen kan ikke gemmes, før disse fejl er rettet:")
        st.markdown(md_list([str(p) for p in exc.problems]))
        return
    changes = diff_plans(base_plan, new_plan)
    if changes.empty:
        st.info("Ingen ændringer endnu.")
        return
    st.subheader("Virkning af ændringerne")
    st.dataframe(diff_table(changes), hide_index=True, key="rp_changes")
    to_save, chosen, conflicts = merged_preview(session, new_plan, "tables", edited)
    for name in EDITABLE:
        mine = [c for c in conflicts if c.table == name]
        if mine:
            marks[name].warning(
                f"⚠ {TABLES[name].label}: {count_text(len(mine), 'række', 'rækker')} er også ændret "
                "i en nyere revision – vælg 'behold mine' eller 'tag deres' under tabellerne."
            )
    if to_save is None:  # the comment field stays, so nothing typed is lost while choosing
        st.text_input("Kommentar til revisionen", key="rp_comment")
        st.button("Gem ændringerne", type="primary", disabled=True, key="rp_save")
        return
    analysis = analyse(to_save)
    blocked = has_errors(analysis.findings)
    if session.stale:
        st.info(
            f"Når du gemmer, flettes dine ændringer med revision {session.latest}; "
            "tjek og forhåndsvisning herunder viser resultatet."
        )
    if len(analysis.findings):
        (st.error if blocked else st.warning)(
            "Tjek af planen: " + ("fejl skal rettes før der kan gemmes." if blocked else "advarsler.")
        )
        st.dataframe(findings_table(analysis.findings), hide_index=True, key="rp_findings")
    st.plotly_chart(
        build_gantt(
            analysis.schedule,
            template=CHART_TEMPLATE,
            findings=analysis.findings,
            poor_weeks=analysis.poor_weeks,
            today=today(),
        ),
        theme=None,
        key="rp_preview",
    )
    comment = st.text_input("Kommentar til revisionen", key="rp_comment")
    if st.button("Gem ændringerne", type="primary", disabled=blocked, key="rp_save"):
        save(session, new_plan, comment, chosen or None)
