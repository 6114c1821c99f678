"""Editor rights without Streamlit: editor accounts with their own password hashes, and sign-in throttling.

Each editor has an account (e-mail, the name the history shows, a PBKDF2 hash); accounts live in
secrets as `[planner.accounts]` lines that `python -m planner add-editor EMAIL` prints. Failed
sign-ins are counted per account and per browser session: after 5 failures each further try waits,
twice as long each time, and every failure is logged.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Account",
    "AccountsError",
    "SignIn",
    "Throttle",
    "account_line",
    "hash_password",
    "is_editor_email",
    "parse_accounts",
    "sign_in",
    "verify_password",
]

log = logging.getLogger("planner.auth")

_ALGORITHM = "pbkdf2_sha256"
_ITERATIONS = 600_000  # OWASP's 2023 figure for PBKDF2-HMAC-SHA256
_MIN_PASSWORD = 10


class AccountsError(ValueError):
    """The list of editor accounts in secrets cannot be read; says which entry and why."""


@dataclass(frozen=True)
class Account:
    """One editor: the e-mail they sign in with, the name the history shows, and their password hash."""

    email: str
    name: str
    password_hash: str


def hash_password(password: str, *, salt: str | None = None, iterations: int = _ITERATIONS) -> str:
    """Return `pbkdf2_sha256$iterations$salt$hash` for `password`: what goes in secrets, never the password."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), iterations)
    return f"{_ALGORITHM}${iterations}${salt}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Return True when `password` matches the `stored` hash; False for a wrong password or a bad hash."""
    try:
        algorithm, iterations, salt, expected = stored.strip().split("$")
        rounds = int(iterations)
    except ValueError:
        return False
    if algorithm != _ALGORITHM or not password:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), rounds)
    return hmac.compare_digest(digest.hex(), expected)


def is_editor_email(email: str | None, editors: str | list[str] | None) -> bool:
    """Return True when `email` is in `editors` (a list or a comma-separated text), ignoring case."""
    if not email or not editors:
        return False
    listed = editors.split(",") if isinstance(editors, str) else editors
    return email.strip().lower() in {e.strip().lower() for e in listed if e.strip()}


def account_line(email: str, password: str, *, name: str | None = None, iterations: int = _ITERATIONS) -> str:
    """Return the secrets line for a new editor account; raise ValueError for a bad e-mail or password."""
    email = email.strip()
    if "@" not in email or any(c.isspace() or c in "\"'\\" for c in email):
        raise ValueError(f"'{email}' er ikke en e-mailadresse")
    if len(password) < _MIN_PASSWORD:
        raise ValueError(f"Adgangskoden skal være mindst {_MIN_PASSWORD} tegn")
    shown = (name or "").strip() or email
    # JSON strings are valid TOML basic strings: quotes and backslashes in the name are escaped.
    return (
        f"{json.dumps(email.lower())} = {{ name = {json.dumps(shown, ensure_ascii=False)}, "
        f"password_hash = {json.dumps(hash_password(password, iterations=iterations))} }}"
    )


def parse_accounts(value: Mapping[str, Any] | str | None) -> dict[str, Account]:
    """Return the accounts by lower-case e-mail from secrets' `[planner.accounts]` or the same lines as text."""
    if not value:
        return {}
    if isinstance(value, str):
        try:
            value = tomllib.loads(value)
        except tomllib.TOMLDecodeError as exc:
            raise AccountsError(f"Redaktørkontiene kan ikke læses: {exc}") from None
    accounts: dict[str, Account] = {}
    for email, entry in value.items():
        if isinstance(entry, str):
            entry = {"password_hash": entry}
        if not isinstance(entry, Mapping) or not str(entry.get("password_hash", "")).startswith(_ALGORITHM + "$"):
            raise AccountsError(f"Redaktørkontoen '{email}' har ingen gyldig password_hash; lav den med add-editor")
        key = str(email).strip().lower()
        accounts[key] = Account(key, str(entry.get("name") or key), str(entry["password_hash"]))
    return accounts


@functools.cache
def _dummy_hash(iterations: int) -> str:
    return hash_password("ingen konto", salt="0" * 32, iterations=iterations)


def _dummy_for(accounts: Mapping[str, Account]) -> str:
    """Return a hash to verify when the e-mail is unknown: a wrong e-mail takes as long as a wrong password."""
    first = next(iter(accounts.values()), None)
    try:
        rounds = int(first.password_hash.split("$")[1]) if first else _ITERATIONS
    except (IndexError, ValueError):
        rounds = _ITERATIONS
    return _dummy_hash(rounds)


class Throttle:
    """Failed tries per key (an account or a session): after `free` failures, a wait that doubles each time."""

    def __init__(
        self,
        *,
        free: int = 5,
        first_wait: float = 30.0,
        longest_wait: float = 15 * 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free = free
        self.first_wait = first_wait
        self.longest_wait = longest_wait
        self.clock = clock
        self._failures: dict[str, int] = {}
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()  # Streamlit runs each session in its own thread

    def wait(self, key: str) -> float:
        """Return the seconds left before `key` may try again (0 when it may try now)."""
        with self._lock:
            return max(0.0, self._until.get(key, 0.0) - self.clock())

    def failures(self, key: str) -> int:
        """Return how many tries in a row have failed for `key`."""
        with self._lock:
            return self._failures.get(key, 0)

    def failed(self, key: str) -> None:
        """Count a failed try; from the `free`-th on, make `key` wait (30 s, 60 s, 120 s, ...)."""
        with self._lock:
            n = self._failures.get(key, 0) + 1
            self._failures[key] = n
            if n >= self.free:
                wait = min(self.first_wait * 2 ** (n - self.free), self.longest_wait)
                self._until[key] = self.clock() + wait

    def succeeded(self, key: str) -> None:
        """Forget the failures of `key`."""
        with self._lock:
            self._failures.pop(key, None)
            self._until.pop(key, None)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the account, or how long to wait before the next try."""

    account: Account | None
    wait: float = 0.0

    @property
    def message(self) -> str:
        """Return what the sign-in form says on failure, in Danish."""
        if self.account is not None:
            return ""
        if self.wait > 0:
            return f"For mange forkerte forsøg. Prøv igen om {max(1, round(self.wait))} sekunder."
        return "Forkert e-mail eller adgangskode."


def sign_in(accounts: Mapping[str, Account], email: str, password: str, *, session: str, throttle: Throttle) -> SignIn:
    """Check an editor's e-mail and password, throttled per account and per session; log every failure."""
    who = email.strip().lower()
    keys = (f"konto:{who}", f"session:{session}")
    wait = max(throttle.wait(k) for k in keys)
    if wait > 0:
        log.warning("Login afvist uden forsøg for %s (session %s): vent %.0f s", who, session[:8], wait)
        return SignIn(None, wait)
    account = accounts.get(who)
    ok = verify_password(password, account.password_hash if account else _dummy_for(accounts)) and account is not None
    if ok:
        for key in keys:
            throttle.succeeded(key)
        log.info("Login: %s (session %s)", who, session[:8])
        return SignIn(account)
    for key in keys:
        throttle.failed(key)
    log.warning(
        "Mislykket login for %s (session %s), %d. forsøg i træk",
        who,
        session[:8],
        max(throttle.failures(k) for k in keys),
    )
    return SignIn(None, max(throttle.wait(k) for k in keys))
