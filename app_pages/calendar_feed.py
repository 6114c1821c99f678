"""Calendar subscriptions: `/kalender/<token>.ics` serves a department's newest calendar, read-only.

Mounted beside the app by `planner_server.py` (Streamlit's `st.App` with one extra Starlette route),
so it runs in the app's process and shares its store and caches. Only GET and HEAD; an unknown token,
or no secret configured, is a plain 404 that says nothing about which calendars exist.
"""

from __future__ import annotations

import hashlib

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from planner.calendar_export import calendar_filename
from planner.calendar_feed import WHOLE_PLAN, FeedSecretError, scope_of_token

FEED_PREFIX = "/kalender/"
_mounted = False


def feed_mounted() -> bool:
    """Return True when this process serves subscriptions (started through `planner_server.py`)."""
    return _mounted


def _not_found() -> Response:
    return PlainTextResponse("Kalenderen findes ikke.", status_code=404, headers={"Cache-Control": "no-store"})


def serve_calendar(request: Request) -> Response:
    """Answer one poll of a subscribed calendar with the newest revision's .ics file."""
    # Imported here: the launcher imports this module before Streamlit's runtime (and its caches) exists.
    from app_pages.calendar_download import calendar_bytes, feed_secret, plan_of, public_url
    from app_pages.common import current_revision, plan_store

    secret = feed_secret()
    if not secret:
        return _not_found()
    revision = current_revision()
    plan = plan_of(revision)
    scopes = [WHOLE_PLAN, *plan.departments["department_id"].astype(str)]
    try:
        scope = scope_of_token(secret, str(request.path_params["token"]), scopes)
    except FeedSecretError:
        return _not_found()
    if scope is None:
        return _not_found()
    department = scope or None
    data = calendar_bytes(plan_store().url, revision, department, public_url())
    etag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
    headers = {
        "ETag": etag,
        # Each department's file is its own; a shared cache must not keep it, and a poll may be 15 min old.
        "Cache-Control": "private, max-age=900",
        "Content-Disposition": f'inline; filename="{calendar_filename(plan, department=department)}"',
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Robots-Tag": "noindex",
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type="text/calendar; charset=utf-8", headers=headers)


def calendar_routes() -> list[Route]:
    """Return the subscription route for `st.App(routes=...)`, and mark subscriptions as served."""
    global _mounted
    _mounted = True
    return [Route(FEED_PREFIX + "{token}.ics", serve_calendar, methods=["GET", "HEAD"])]
