"""Editor accounts and sign-in throttling, without Streamlit: real hashes, a hand-moved clock."""

from __future__ import annotations

import logging

import pytest

from planner.auth import (
    AccountsError,
    Throttle,
    account_line,
    hash_password,
    is_editor_email,
    parse_accounts,
    sign_in,
    verify_password,
)


def test_a_password_verifies_against_its_hash_and_nothing_else() -> None:
    stored = hash_password("Forår&Sommer 2026", iterations=1_000)
    assert "Forår" not in stored
    assert verify_password("Forår&Sommer 2026", stored)
    assert not verify_password("forår&sommer 2026", stored)
    assert not verify_password("", stored)


def test_the_same_password_hashes_differently_each_time() -> None:
    assert hash_password("x", iterations=1_000) != hash_password("x", iterations=1_000)


def test_a_malformed_hash_never_verifies() -> None:
    for stored in ("", "plain-text-password", "md5$1$aa$bb", "pbkdf2_sha256$notanumber$aa$bb"):
        assert not verify_password("plain-text-password", stored)


def test_editors_are_recognised_by_email_ignoring_case() -> None:
    assert is_editor_email("Marie@Albertslund.dk", "marie@albertslund.dk, tine@albertslund.dk")
    assert is_editor_email("tine@albertslund.dk", ["marie@albertslund.dk", "tine@albertslund.dk"])
    assert not is_editor_email("rene@albertslund.dk", "marie@albertslund.dk")
    assert not is_editor_email(None, "marie@albertslund.dk")
    assert not is_editor_email("marie@albertslund.dk", None)


ACCOUNTS_TEXT = "\n".join(
    [
        account_line("marie@albertslund.dk", "forår-2026-kode", name="Marie Aasøe", iterations=1_000),
        account_line("tine@albertslund.dk", "sommer-2026-kode", iterations=1_000),
    ]
)


class Clock:
    """A clock the test moves by hand: the throttle's only boundary."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_accounts_are_read_from_the_lines_add_editor_prints_and_from_a_secrets_table() -> None:
    accounts = parse_accounts(ACCOUNTS_TEXT)
    assert accounts["marie@albertslund.dk"].name == "Marie Aasøe"
    assert accounts["tine@albertslund.dk"].name == "tine@albertslund.dk"
    table = {"Marie@Albertslund.dk": {"name": "Marie", "password_hash": accounts["marie@albertslund.dk"].password_hash}}
    assert parse_accounts(table)["marie@albertslund.dk"].name == "Marie"


def test_an_account_without_a_valid_hash_is_named() -> None:
    with pytest.raises(AccountsError, match=r"'rene@albertslund\.dk' har ingen gyldig password_hash"):
        parse_accounts({"rene@albertslund.dk": {"name": "René", "password_hash": "hemmelig"}})


def test_each_editor_signs_in_with_their_own_password() -> None:
    accounts = parse_accounts(ACCOUNTS_TEXT)
    throttle = Throttle()
    ok = sign_in(accounts, " Marie@Albertslund.dk ", "forår-2026-kode", session="s1", throttle=throttle)
    assert ok.account is not None and ok.account.name == "Marie Aasøe"
    assert (
        sign_in(accounts, "marie@albertslund.dk", "sommer-2026-kode", session="s1", throttle=throttle).account is None
    )
    unknown = sign_in(accounts, "rene@albertslund.dk", "forår-2026-kode", session="s1", throttle=throttle)
    assert unknown.account is None and unknown.message == "Forkert e-mail eller adgangskode."


def test_five_failures_on_an_account_make_it_wait_also_from_another_session(caplog: pytest.LogCaptureFixture) -> None:
    accounts, clock = parse_accounts(ACCOUNTS_TEXT), Clock()
    throttle = Throttle(clock=clock)
    caplog.set_level(logging.INFO, logger="planner.auth")
    for attempt in range(5):
        result = sign_in(accounts, "marie@albertslund.dk", "gæt", session=f"browser-{attempt}", throttle=throttle)
    assert result.wait == 30 and result.message == "For mange forkerte forsøg. Prøv igen om 30 sekunder."
    # Even the right password waits, from a fresh session: the account is what is being guessed.
    blocked = sign_in(accounts, "marie@albertslund.dk", "forår-2026-kode", session="ny", throttle=throttle)
    assert blocked.account is None and blocked.wait == 30
    assert sum("Mislykket login for marie@albertslund.dk" in r.getMessage() for r in caplog.records) == 5
    assert any("Login afvist uden forsøg" in r.getMessage() for r in caplog.records)

    clock.now += 30
    again = sign_in(accounts, "marie@albertslund.dk", "gæt", session="ny", throttle=throttle)
    assert again.wait == 60  # the wait doubles
    clock.now += 60
    assert sign_in(accounts, "marie@albertslund.dk", "forår-2026-kode", session="ny", throttle=throttle).account
    assert throttle.wait("konto:marie@albertslund.dk") == 0  # success forgets the failures


def test_one_session_guessing_many_accounts_is_made_to_wait() -> None:
    accounts, clock = parse_accounts(ACCOUNTS_TEXT), Clock()
    throttle = Throttle(clock=clock)
    for n in range(5):
        sign_in(accounts, f"person{n}@albertslund.dk", "gæt", session="angriber", throttle=throttle)
    result = sign_in(accounts, "tine@albertslund.dk", "sommer-2026-kode", session="angriber", throttle=throttle)
    assert result.account is None and result.wait == 30
    assert sign_in(accounts, "tine@albertslund.dk", "sommer-2026-kode", session="andet", throttle=throttle).account


def test_the_wait_never_grows_beyond_15_minutes() -> None:
    clock = Clock()
    throttle = Throttle(clock=clock)
    for _ in range(30):
        throttle.failed("konto:x")
    assert throttle.wait("konto:x") == 15 * 60
