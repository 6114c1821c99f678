"""Secret subscription links: one unguessable token per department (and one for the whole plan).

A token is an HMAC of the department id under a server secret, so no token is stored anywhere and
rotating the secret withdraws every link at once. Outlook on the web and Exchange fetch a
subscribed calendar from Microsoft's servers, so the address must be reachable from the internet:
the token is what keeps the plan from strangers there.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable

__all__ = ["MIN_SECRET_LENGTH", "WHOLE_PLAN", "FeedSecretError", "feed_token", "scope_of_token"]

MIN_SECRET_LENGTH = 32
WHOLE_PLAN = ""  # the scope of the whole plan's calendar; a department's scope is its id
_TOKEN_BYTES = 20  # 160 bits: far beyond guessing, and short enough for a link


class FeedSecretError(ValueError):
    """The subscription secret is too short to make unguessable links."""


def _check(secret: str) -> bytes:
    if len(secret) < MIN_SECRET_LENGTH:
        raise FeedSecretError(
            f"PLANNER_CALENDAR_SECRET skal være mindst {MIN_SECRET_LENGTH} tegn; "
            "lav en med: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return secret.encode("utf-8")


def feed_token(secret: str, scope: str) -> str:
    """Return the link token of `scope` (a department id, or WHOLE_PLAN): 27 URL-safe characters."""
    mac = hmac.new(_check(secret), b"mfr-kalender\x00" + scope.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:_TOKEN_BYTES]).decode("ascii").rstrip("=")


def scope_of_token(secret: str, token: str, scopes: Iterable[str]) -> str | None:
    """Return the scope whose token is `token`, or None; compares in constant time, every scope."""
    found = None
    for scope in scopes:
        if hmac.compare_digest(feed_token(secret, scope).encode("ascii"), token.encode("utf-8", "replace")):
            found = scope
    return found
