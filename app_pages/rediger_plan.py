"""Rediger plan: Økonomi & Stab edit the plan, see the checks and the effect, and save a revision."""

from __future__ import annotations

import streamlit as st

from app_pages import editing_history, editing_import, editing_move, editing_tables
from app_pages.auth import current_editor, login_panel, logout_button
from app_pages.common import md_text, plan_store
from app_pages.editing import EditSession, reset_to, save
from app_pages.replan_panel import replan_panel

st.title("Rediger plan")
editor = current_editor()
if editor is None:
    login_panel()
    st.stop()

store = plan_store()
st.session_state.setdefault("rp_base", store.latest())
session = EditSession(store, editor, int(st.session_state.rp_base), store.latest() or 1)

with st.container(horizontal=True):
    st.caption(f"Logget ind som {md_text(editor)}. Du redigerer revision {session.base}.")
    logout_button()

if saved := st.session_state.pop("rp_saved", None):
    st.success(md_text(saved))
if refused := st.session_state.pop("rp_refused", None):
    st.error(md_text(refused))
if session.stale:
    newer = store.newer(session.base, session.latest)
    who = "; ".join(
        f"revision {r.number} af {r.editor} {r.local_time}" + (f" ({r.comment})" if r.comment else "") for r in newer
    )
    st.warning(
        f"Andre har gemt, siden du begyndte: {md_text(who)}. Dine ændringer flettes med dem, når du gemmer; "
        "rækker, I begge har ændret, vælger du selv for."
    )
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
