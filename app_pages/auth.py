"""Who may edit: OIDC sign-in (st.login) when `[auth]` is configured, else each editor's own account."""

from __future__ import annotations

import os
import secrets
from typing import Any

import streamlit as st

from app_pages.common import md_text
from planner.auth import Account, AccountsError, Throttle, is_editor_email, parse_accounts, sign_in


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


def _accounts() -> dict[str, Account]:
    """Return the editor accounts: `[planner.accounts]` in secrets, else the lines in PLANNER_EDITOR_ACCOUNTS."""
    table = _secrets_section("planner").get("accounts")
    return parse_accounts(dict(table) if table else os.environ.get("PLANNER_EDITOR_ACCOUNTS"))


@st.cache_resource
def _throttle() -> Throttle:
    # One per server process, shared by every session: failures count per account across browsers.
    return Throttle()


def current_editor() -> str | None:
    """Return the signed-in editor's name (password accounts) or e-mail (OIDC), or None for a viewer."""
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
            st.warning(md_text(f"{st.user.get('email')} er ikke på listen over redaktører."))
            st.button("Log ud", on_click=st.logout, key="auth_logout")
        else:
            st.button("Log ind med organisationskonto", on_click=st.login, key="auth_login")
        return
    try:
        accounts = _accounts()
    except AccountsError as exc:
        st.error(md_text(f"Redigering er ikke sat rigtigt op: {exc}"))
        return
    if not accounts:
        st.warning(
            "Redigering er ikke sat op: opret redaktørkonti med `python -m planner add-editor EMAIL` "
            "(se README, afsnittet 'Redaktører')."
        )
        return
    session = st.session_state.setdefault("auth_session", secrets.token_hex(8))
    with st.form("auth_form"):
        email = st.text_input("E-mail", key="auth_email_input", autocomplete="username")
        password = st.text_input("Adgangskode", type="password", key="auth_password", autocomplete="current-password")
        if st.form_submit_button("Log ind"):
            result = sign_in(accounts, email, password, session=session, throttle=_throttle())
            if result.account is not None:
                st.session_state.auth_editor = result.account.name
                st.session_state.auth_email = result.account.email
                st.rerun()
            st.error(result.message)


def logout_button() -> None:
    """Offer to sign out."""
    if oidc_configured():
        st.button("Log ud", on_click=st.logout, key="auth_logout")
    elif st.button("Log ud", key="auth_logout"):
        st.session_state.pop("auth_editor", None)
        st.session_state.pop("auth_email", None)
        st.rerun()
