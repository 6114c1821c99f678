"""Editor rights without Streamlit: password hashes and the list of editors' e-mail addresses."""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["hash_password", "is_editor_email", "verify_password"]

_ALGORITHM = "pbkdf2_sha256"
_ITERATIONS = 600_000  # OWASP's 2023 figure for PBKDF2-HMAC-SHA256


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
