"""Rediger plan: Økonomi & Stab edit the plan, see the checks and the effect, and save a revision."""

from __future__ import annotations

import streamlit as st

from app_pages import editing_history, editing_import, editing_move, editing_tables
from app_pages.auth import current_editor, login_panel, logout_button
from app_pages.common import md_text, plan_store
from app_pages.editing import EditSession, newer_notice, reset_to, save, unsaved_work
from app_pages.replan_panel import replan_panel

st.title("Rediger plan")
editor = current_editor()
if editor is None:
    login_panel()
    st.stop()

store = plan_store()
st.session_state.setdefault("rp_base", store.latest())
session = EditSession(store, editor, int(st.session_state.rp_base), store.latest() or 1)
if session.stale and not unsaved_work(session.base_plan):
    # Nothing typed or chosen here depends on the old revision (e.g. the save was the editor's own, on
    # the Status page): simply edit the newest. Only work in progress is merged on save.
    reset_to(session.latest)
    session = EditSession(store, editor, session.latest, session.latest)

with st.container(horizontal=True):
    st.caption(f"Logget ind som {md_text(editor)}. Du redigerer revision {session.base}.")
    logout_button()

if saved := st.session_state.pop("rp_saved", None):
    st.success(md_text(saved))
if refused := st.session_state.pop("rp_refused", None):
    st.error(md_text(refused))
if session.stale:
    st.warning(md_text(newer_notice(session)))
    if st.button(f"Start forfra fra revision {session.latest} (mine ændringer kasseres)", key="rp_reload"):
        reset_to(session.latest)
        st.rerun()

# A keyed tab bar keeps its tab when the page reruns (after a save, or when the stale notice
# appears above it), and only the open tab's content is computed.
TABS = {
    "Tabeller": editing_tables.render,
    "Flyt enhed": editing_move.render,
    "Importér fra Excel": editing_import.render,
    "Historik": editing_history.render,
    "Foreslå løsning": lambda s: replan_panel(s.base_plan, lambda plan, comment: save(s, plan, comment)),
}
for tab, render in zip(st.tabs(list(TABS), key="rp_tab", on_change="rerun"), TABS.values(), strict=True):
    if tab.open:
        with tab:
            render(session)
