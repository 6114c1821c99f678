"""Who may edit: OIDC sign-in (st.login) when `[auth]` is configured, else an editor password."""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from planner.auth import is_editor_email, verify_password


def _secrets_section(name: str) -> dict[str, Any]:
    try:
        return dict(st.secrets.get(name, {}))
    except Exception:  # no secrets.toml at all: Streamlit raises rather than return empty
        return {}


def oidc_configured() -> bool:
    """Return True when `.streamlit/secrets.toml` has an `[auth]` section."""
    return bool(_secrets_section("auth"))


def _setting(key: str, env: str) -> str | None:
    value = _secrets_section("planner").get(key) or os.environ.get(env)
    return str(value) if value else None


def current_editor() -> str | None:
    """Return the signed-in editor's e-mail or name, or None for a viewer."""
    if oidc_configured():
        # st.user.is_logged_in raises without [auth]; .get() is safe either way.
        if st.user.get("is_logged_in"):
            email = st.user.get("email")
            if is_editor_email(str(email) if email else None, _setting("editors", "PLANNER_EDITORS")):
                return str(email)
        return None
    editor = st.session_state.get("auth_editor")
    return str(editor) if editor else None


def login_panel() -> None:
    """Show how to sign in as an editor; viewers see no editing controls."""
    st.info("Du kan se planen uden at logge ind. For at redigere skal du være redaktør.")
    if oidc_configured():
        if st.user.get("is_logged_in"):
            st.warning(f"{st.user.get('email')} er ikke på listen over redaktører.")
            st.button("Log ud", on_click=st.logout, key="auth_logout")
        else:
            st.button("Log ind med organisationskonto", on_click=st.login, key="auth_login")
        return
    stored = _setting("editor_password_hash", "PLANNER_EDITOR_PASSWORD_HASH")
    if not stored:
        st.warning("Redigering er ikke sat op: angiv en redaktør-adgangskode (se README, afsnittet 'Redaktører').")
        return
    with st.form("auth_form"):
        name = st.text_input("Dit navn eller din e-mail", key="auth_name")
        password = st.text_input("Redaktør-adgangskode", type="password", key="auth_password")
        if st.form_submit_button("Log ind"):
            if name.strip() and verify_password(password, stored):
                st.session_state.auth_editor = name.strip()
                st.rerun()
            else:
                st.error("Forkert navn eller adgangskode.")


def logout_button() -> None:
    """Offer to sign out."""
    if oidc_configured():
        st.button("Log ud", on_click=st.logout, key="auth_logout")
    elif st.button("Log ud", key="auth_logout"):
        st.session_state.pop("auth_editor", None)
        st.rerun()
