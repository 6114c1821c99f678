"""Rediger plan: Økonomi & Stab edit the plan, see the checks and the effect, and save a revision."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.auth import current_editor, login_panel, logout_button
from app_pages.common import CHART_TEMPLATE, analysis_of, findings_table, md_list, plan_store, today
from app_pages.replan_panel import replan_panel
from planner import PlanError, build_plan
from planner.checks import has_errors
from planner.diff import diff_plans
from planner.edits import move_unit
from planner.excel_import import MAX_UPLOAD_BYTES, preview_import
from planner.files import table_to_text
from planner.gantt import build_gantt
from planner.model import Plan
from planner.schema import ACTIVITY_KINDS, BUDGET_STEPS, COUNCIL_BODIES, MILESTONE_KINDS, TABLES
from planner.store import EditorRequiredError, StaleRevisionError
from planner.views import analyse

EDITABLE = ("waves", "assignments", "template", "overrides", "tasks", "dependencies", "milestones", "council_meetings")
DIFF_LABELS = {"area": "Område", "what": "Hvad", "change": "Ændring", "before": "Før", "after": "Efter"}

st.title("Rediger plan")
editor = current_editor()
if editor is None:
    login_panel()
    st.stop()

store = plan_store()
st.session_state.setdefault("rp_base", store.latest())
base: int = st.session_state.rp_base
base_plan = analysis_of(base).plan
latest = store.latest()

with st.container(horizontal=True):
    st.caption(f"Logget ind som {editor}. Du redigerer revision {base}.")
    logout_button()


def reset_to(revision: int) -> None:
    """Start over from `revision`: the editors get fresh input, unsaved edits are dropped."""
    for key in [k for k in st.session_state if str(k).startswith(("rp_input_", "rp_edit_"))]:
        del st.session_state[key]
    st.session_state.rp_base = revision


if latest is not None and latest != base:
    st.warning(
        f"Der er gemt en nyere revision ({latest}), siden du begyndte; at gemme vil blive afvist. "
        "Se ændringerne under Historik, og start forfra fra den nyeste revision, når du er klar."
    )
    if st.button(f"Start forfra fra revision {latest} (mine ændringer kasseres)", key="rp_reload"):
        reset_to(latest)
        st.rerun()


def save(plan: Plan, comment: str) -> None:
    """Save `plan` on top of the base revision and start the editors from the new one."""
    try:
        number = store.save(plan, base=base, editor=editor, comment=comment)
    except (StaleRevisionError, EditorRequiredError) as exc:
        st.error(str(exc))
        return
    reset_to(number)
    st.session_state.rp_saved = f"Gemt som revision {number}."
    st.rerun()


if saved := st.session_state.pop("rp_saved", None):
    st.success(saved)

tab_tables, tab_move, tab_import, tab_history, tab_replan = st.tabs(
    ["Tabeller", "Flyt enhed", "Importér fra Excel", "Historik", "Foreslå løsning"]
)
with tab_tables:
    units = base_plan.units["unit_id"].tolist()
    waves = [str(w) for w in base_plan.waves["wave"]]
    activities = base_plan.template["activity_id"].tolist()
    options = {
        "unit_id": units,
        "wave": waves,
        "activity_id": activities,
        "kind": list(ACTIVITY_KINDS),
        "budget_step": ["", *BUDGET_STEPS],
    }
    edited: dict[str, pd.DataFrame] = {}
    for name in EDITABLE:
        spec = TABLES[name]
        # The editor's input stays the same object across reruns; its edits live under its key.
        st.session_state.setdefault(f"rp_input_{name}", table_to_text(getattr(base_plan, name)))
        # Danish headings over the stable column codes; drop-downs where the value comes from a list.
        config: dict[str, object] = {}
        for col in spec.columns:
            fixed = {("milestones", "kind"): list(MILESTONE_KINDS), ("council_meetings", "body"): list(COUNCIL_BODIES)}
            choices = fixed.get((name, col.name), options.get(col.name))
            heading = col.label.capitalize()
            help_text = f"Kolonnen '{col.name}' i {spec.file}" + ("" if col.required else " (kan være tom)")
            if choices:
                config[col.name] = st.column_config.SelectboxColumn(heading, options=choices, help=help_text)
            else:
                config[col.name] = st.column_config.TextColumn(heading, help=help_text)
        with st.expander(f"{spec.label} ({len(getattr(base_plan, name))} rækker)", expanded=name == "assignments"):
            edited[name] = st.data_editor(
                st.session_state[f"rp_input_{name}"],
                key=f"rp_edit_{name}",
                num_rows="dynamic",
                hide_index=True,
                column_config=config,
                width="stretch",
            )
    raw = base_plan.tables() | edited
    try:
        new_plan = build_plan(
            raw, settings=base_plan.settings, names={n: TABLES[n].label for n in TABLES}, first_row=1, labels=True
        )
    except PlanError as exc:
        st.error("Planen kan ikke gemmes, før disse fejl er rettet:")
        st.markdown(md_list([str(p) for p in exc.problems]))
        new_plan = None
    if new_plan is not None:
        changes = diff_plans(base_plan, new_plan)
        if changes.empty:
            st.info("Ingen ændringer endnu.")
        else:
            analysis = analyse(new_plan)
            blocked = has_errors(analysis.findings)
            st.subheader("Virkning af ændringerne")
            st.dataframe(changes.rename(columns=DIFF_LABELS), hide_index=True, key="rp_changes")
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
                save(new_plan, comment)

with tab_move:
    names = dict(zip(base_plan.units["unit_id"], base_plan.units["name"], strict=True))
    current = base_plan.assignments.groupby("unit_id")["wave"].agg(lambda w: ", ".join(str(x) for x in w))
    unit = st.selectbox(
        "Enhed", list(names), format_func=lambda u: f"{names[u]} (bølge {current.get(u, '–')})", key="rp_move_unit"
    )
    wave = st.selectbox(
        "Til bølge",
        base_plan.waves["wave"].tolist(),
        format_func=dict(zip(base_plan.waves["wave"], base_plan.waves["name"], strict=True)).get,
        key="rp_move_wave",
    )
    move_comment = st.text_input("Kommentar", key="rp_move_comment")
    if st.button("Flyt og gem", key="rp_move_save"):
        try:
            moved = move_unit(base_plan, unit, int(wave))
        except PlanError as exc:
            st.error(str(exc))
        else:
            findings = analyse(moved).findings
            if has_errors(findings):
                st.error("Flytningen giver fejl i planen og er ikke gemt:")
                st.dataframe(findings_table(findings), hide_index=True, key="rp_move_findings")
            else:
                save(moved, move_comment or f"{names[unit]} flyttet til bølge {wave}")

with tab_import:
    upload = st.file_uploader(
        "Upload en ugeplan (.xlsx), eksporteret herfra og rettet i arket Aktiviteter",
        type=["xlsx"],
        key="rp_upload",
        max_upload_size=MAX_UPLOAD_BYTES // 1024 // 1024,
    )
    if upload is not None:
        try:
            with st.spinner("Læser projektmappen og tjekker planen …"):
                preview = preview_import(base_plan, upload.getvalue())
        except PlanError as exc:
            st.error("Projektmappen kan ikke bruges; intet er ændret:")
            st.markdown(md_list([str(p) for p in exc.problems]))
        else:
            if preview.changes.empty:
                st.info("Projektmappen indeholder ingen ændringer.")
            else:
                st.dataframe(
                    preview.changes.rename(
                        columns={
                            "change": "Ændring",
                            "unit": "Enhed",
                            "activity": "Aktivitet",
                            "from_week": "Fra uge",
                            "to_week": "Til uge",
                        }
                    ),
                    hide_index=True,
                    key="rp_import_changes",
                )
                if len(preview.findings):
                    st.dataframe(findings_table(preview.findings), hide_index=True, key="rp_import_findings")
                if preview.accepted:
                    if st.button("Anvend og gem", type="primary", key="rp_import_save"):
                        save(preview.plan, f"Importeret fra {upload.name}")
                else:
                    st.error("Den importerede plan har fejl (se ovenfor) og kan ikke gemmes.")

with tab_history:
    history = store.history()
    st.dataframe(
        pd.DataFrame(
            {
                "Revision": [r.number for r in history],
                "Gemt": [r.local_time for r in history],
                "Af": [r.editor for r in history],
                "Kommentar": [r.comment for r in history],
            }
        ),
        hide_index=True,
        key="rp_history",
    )
    numbers = [r.number for r in history]
    if len(numbers) > 1:
        left, right = st.columns(2)
        old = left.selectbox("Fra revision", numbers, index=1, key="rp_diff_old")
        new = right.selectbox("Til revision", numbers, index=0, key="rp_diff_new")
        st.dataframe(store.diff(old, new).rename(columns=DIFF_LABELS), hide_index=True, key="rp_diff")
        restore = st.selectbox("Gendan revision", numbers[1:], key="rp_restore_number")
        if st.button("Gendan som ny revision", key="rp_restore"):
            try:
                number = store.restore(restore, base=latest, editor=editor)
            except (StaleRevisionError, EditorRequiredError) as exc:
                st.error(str(exc))
            else:
                reset_to(number)
                st.session_state.rp_saved = f"Revision {restore} er gendannet som revision {number}."
                st.rerun()

with tab_replan:
    replan_panel(base_plan, save)
