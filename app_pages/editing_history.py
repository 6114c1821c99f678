"""Rediger plan → Historik: every revision with who, when and why; compare two; restore one, after a look."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import md_text
from app_pages.editing import EditSession, reset_to
from app_pages.editing_tables import diff_table
from planner.store import EditorRequiredError, Revision, StaleRevisionError


def _label(revision: Revision) -> str:
    return f"Revision {revision.number} – {revision.local_time}, {revision.editor}"


def _merged_note(revision: Revision) -> str:
    if not revision.merged or revision.based_on is None:
        return ""
    first, last = revision.based_on + 1, revision.number - 1
    return f"flettet med revision {first}" + (f"–{last}" if last > first else "")


def render(session: EditSession) -> None:
    """Show the revisions, a comparison of two, and restoring an older one with confirmation."""
    store = session.store
    history = store.history()
    st.dataframe(
        pd.DataFrame(
            {
                "Revision": [r.number for r in history],
                "Gemt": [r.local_time for r in history],
                "Af": [r.editor for r in history],
                "Kommentar": [r.comment for r in history],
                "Flettet": [_merged_note(r) for r in history],
            }
        ),
        hide_index=True,
        key="rp_history",
    )
    if len(history) < 2:
        st.caption("Der er kun én revision endnu.")
        return
    by_number = {r.number: r for r in history}
    numbers = list(by_number)
    newest = numbers[0]
    st.subheader("Sammenlign")
    left, right = st.columns(2)
    # Keyed by the newest revision: after any save the choices start from the newest two again.
    old = left.selectbox(
        "Fra revision", numbers, index=1, format_func=lambda n: _label(by_number[n]), key=f"rp_diff_old_{newest}"
    )
    new = right.selectbox(
        "Til revision", numbers, index=0, format_func=lambda n: _label(by_number[n]), key=f"rp_diff_new_{newest}"
    )
    if old == new:
        st.info(f"Ingen forskel: du sammenligner revision {old} med sig selv.")
    else:
        changes = store.diff(old, new)
        if changes.empty:
            st.info(f"Ingen forskel på planen mellem revision {old} og {new}.")
        else:
            st.dataframe(diff_table(changes), hide_index=True, key="rp_diff")

    st.subheader("Gendan")
    target = st.selectbox(
        "Gendan revision",
        numbers[1:],
        format_func=lambda n: _label(by_number[n]),
        key=f"rp_restore_number_{newest}",
    )
    undo = store.diff(newest, target)
    if undo.empty:
        st.info(f"Revision {target} er den samme plan som den nyeste; der er intet at gendanne.")
        return
    st.caption(f"Det her ændres, hvis revision {target} gendannes som en ny revision (historikken bevares):")
    st.dataframe(diff_table(undo), hide_index=True, key="rp_restore_changes")
    sure = st.checkbox(f"Ja, gendan revision {target}", key=f"rp_restore_confirm_{newest}_{target}")
    if st.button("Gendan som ny revision", disabled=not sure, key="rp_restore"):
        try:
            number = store.restore(target, base=newest, editor=session.editor)
        except (StaleRevisionError, EditorRequiredError) as exc:
            st.error(md_text(str(exc)))
            return
        reset_to(number)
        st.session_state.rp_saved = f"Revision {target} er gendannet som revision {number}."
        st.rerun()
