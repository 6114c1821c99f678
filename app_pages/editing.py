"""What the Rediger plan tabs share: the revision being edited, saving (with merge) and conflict choices."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from app_pages.common import analysis_of, md_list, md_text
from planner import PlanError
from planner.editor_view import conflict_table
from planner.merge import Choice, Key, RowConflict, merge_plans
from planner.model import Plan
from planner.new_findings import new_findings
from planner.schema import TABLES
from planner.store import EditorRequiredError, StaleRevisionError, Store

__all__ = ["EditSession", "merged_preview", "new_findings", "newer_notice", "reset_to", "save", "unsaved_work"]

CHOICES: dict[str, Choice] = {"Behold mine": "mine", "Tag deres": "theirs"}
_EPHEMERAL = ("rp_input_", "rp_edit_", "rp_choice_", "rp_comment", "rp_move_", "rp_import_", "rp_upload")


@dataclass(frozen=True, eq=False)
class EditSession:
    """One editor's work: who, the revision they started from, and the newest revision now."""

    store: Store
    editor: str
    base: int
    latest: int

    @property
    def base_plan(self) -> Plan:
        return analysis_of(self.base).plan

    @property
    def stale(self) -> bool:
        """True when someone saved after the base: a save will be merged with their revisions."""
        return self.latest != self.base


def unsaved_work(base_plan: Plan) -> bool:
    """Return True when the editor has work that is tied to their base revision.

    That is: edited, added or deleted rows in a table editor, an uploaded workbook, a chosen move of
    a unit to another wave, or a proposal from "Foreslå løsning". Without any, the editor can simply
    follow the newest revision.
    """
    state = st.session_state
    for key, value in state.items():
        edits = value if str(key).startswith("rp_edit_") and isinstance(value, dict) else {}
        if any(edits.get(part) for part in ("edited_rows", "added_rows", "deleted_rows")):
            return True
    if state.get("rp_upload") is not None:
        return True
    unit, wave = state.get("rp_move_unit"), state.get("rp_move_wave")
    if unit is not None and wave is not None:
        waves = base_plan.assignments.loc[base_plan.assignments["unit_id"] == unit, "wave"]
        if int(wave) not in {int(w) for w in waves}:
            return True
    return state.get("rpl_result") is not None and state.get("rpl_for") == id(base_plan)


def newer_notice(session: EditSession) -> str:
    """Return who saved which revisions after the editor's base, naming the editor's own as theirs."""
    newer = session.store.newer(session.base, session.latest)
    parts = [
        f"revision {r.number} af {'dig' if r.editor == session.editor else r.editor} {r.local_time}"
        + (f" ({r.comment})" if r.comment else "")
        for r in newer
    ]
    return (
        f"Der er gemt nyere revisioner, siden du begyndte: {'; '.join(parts)}. Dine ændringer flettes med dem, "
        "når du gemmer; rækker, der er ændret begge steder, vælger du selv for."
    )


def reset_to(revision: int) -> None:
    """Start over from `revision`: the editors get fresh input, unsaved edits and choices are dropped."""
    for key in [k for k in st.session_state if str(k).startswith(_EPHEMERAL)]:
        del st.session_state[key]
    st.session_state.rp_base = revision


def save(
    session: EditSession, plan: Plan, comment: str, resolutions: dict[tuple[str, Key], Choice] | None = None
) -> None:
    """Save `plan` (merged with newer revisions) and start the editors from the new revision."""
    try:
        saved = session.store.commit(
            plan, base=session.base, editor=session.editor, comment=comment, resolutions=resolutions
        )
    except StaleRevisionError as exc:
        # Someone saved while this page was open: say so, and let the page show the rows to choose for.
        st.session_state.rp_refused = str(exc)
        st.rerun()
    except EditorRequiredError as exc:
        st.error(md_text(str(exc)))
        return
    reset_to(saved.number)
    st.session_state.rp_saved = saved.message
    st.rerun()


def _row_in_form(conflict: RowConflict, edited: dict[str, pd.DataFrame]) -> str:
    frame = edited.get(conflict.table)
    if frame is None or conflict.table not in TABLES:
        return ""
    spec = TABLES[conflict.table]
    width = 1 if conflict.rekeyed else len(spec.key)
    hit = pd.Series(True, index=frame.index)
    for column, value in zip(spec.key[:width], conflict.key[:width], strict=True):
        hit &= frame[column].astype("string").fillna("") == value
    positions = [int(i) + 1 for i, h in enumerate(hit.to_numpy()) if h]
    return f"række {positions[0]}" if positions else ""


def merged_preview(
    session: EditSession, mine: Plan, prefix: str, edited: dict[str, pd.DataFrame] | None = None
) -> tuple[Plan | None, dict[tuple[str, Key], Choice], list[RowConflict]]:
    """Return the plan a save would store, the choices made, and the rows that conflict.

    On a current base that is `mine` itself. On a stale base it is `mine` merged with the newest
    revision; rows both changed are listed with a "behold mine / tag deres" choice each, and the
    plan is None until every row has a choice or when the changes cannot be merged.
    """
    if not session.stale:
        return mine, {}, []
    theirs = analysis_of(session.latest).plan
    try:
        _, everything = merge_plans(session.base_plan, mine, theirs)
    except PlanError as exc:
        st.error(f"Dine ændringer kan ikke flettes med revision {session.latest}:")
        st.markdown(md_list([str(p) for p in exc.problems]))
        return None, {}, []
    conflicts = everything.conflicts
    chosen: dict[tuple[str, Key], Choice] = {}
    if conflicts:
        newer = session.store.newer(session.base, session.latest)
        who = session.store.who_changed(session.base, newer, conflicts)
        by = [f"{r.editor}, revision {r.number} ({r.local_time})" if (r := who.get(c.ident)) else "" for c in conflicts]
        table = conflict_table(conflicts, theirs, by)
        if edited is not None:
            table.insert(1, "I din formular", [_row_in_form(c, edited) for c in conflicts])
        st.error(
            f"{len(conflicts)} {'række' if len(conflicts) == 1 else 'rækker'} er ændret både af dig og i en nyere "
            "revision. Vælg for hver, hvad der skal gælde; intet gemmes, før du har valgt."
        )
        st.dataframe(table, hide_index=True, key=f"{prefix}_conflicts")
        for i, conflict in enumerate(conflicts):
            label = md_text(f"{table.iloc[i]['Række']}: {table.iloc[i]['Felt']}")  # names are user text
            picked = st.radio(
                label,
                list(CHOICES),
                index=None,
                horizontal=True,
                key=f"rp_choice_{prefix}_{conflict.table}_{'|'.join(conflict.key)}",
            )
            if picked is not None:
                chosen[conflict.ident] = CHOICES[picked]
        if len(chosen) < len(conflicts):
            return None, chosen, conflicts
    try:
        merged, _ = merge_plans(session.base_plan, mine, theirs, resolutions=chosen)
    except PlanError as exc:
        st.error("Med de valg kan planen ikke gemmes:")
        st.markdown(md_list([str(p) for p in exc.problems]))
        return None, chosen, conflicts
    return merged, chosen, conflicts
