"""Editor accounts for tests: the accounts setting of a test server, and signing in as editors do."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from planner.auth import account_line

MARIE = ("marie@albertslund.dk", "forår-2026-kode")


def accounts_setting() -> str:
    """Return `PLANNER_EDITOR_ACCOUNTS` with Marie Aasøe's account (few hash rounds: tests stay fast)."""
    return account_line(*MARIE, name="Marie Aasøe", iterations=1_000)


def sign_in(at: AppTest, email: str = MARIE[0], password: str = MARIE[1]) -> AppTest:
    """Sign in through the page's own form."""
    at.text_input(key="auth_email_input").input(email)
    at.text_input(key="auth_password").input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at
