"""'Hent kalender (.ics)': a department's or the whole plan's calendar, and how to get it into Outlook.

The file is built only when the button is clicked, and once per revision and calendar. SEQUENCE needs
the revisions' events: a process-wide tracker remembers the newest revision's versions and
fingerprints and folds in only the revisions saved since, so each revision is read once. After a
restart it starts HISTORY_HORIZON revisions back rather than at revision 1 (reading a revision costs
about as much as loading the plan): an event unchanged for longer gets that revision as its SEQUENCE,
which still only ever grows.
"""

from __future__ import annotations

import os
import threading

import pandas as pd
import streamlit as st

from app_pages.common import current_analysis, current_revision, plan_store
from planner.calendar_export import (
    calendar_events,
    calendar_filename,
    calendar_name,
    plan_identity,
    select_events,
    status_of,
    write_calendar,
)
from planner.calendar_feed import WHOLE_PLAN, FeedSecretError, feed_token
from planner.calendar_versions import Version, advance_versions
from planner.model import Plan
from planner.scheduler import schedule

HISTORY_HORIZON = 25


def public_url() -> str | None:
    """Return the app's public address (`PLANNER_PUBLIC_URL`), for links in events and subscriptions."""
    value = os.environ.get("PLANNER_PUBLIC_URL", "").strip().rstrip("/")
    return value or None


# No spinners in this module: the file is built outside the page (in the download's own thread, or
# for a subscription poll), where Streamlit has no page to show one on.
@st.cache_resource(max_entries=8, ttl=3600, show_spinner=False)
def _plan(url: str, revision: int) -> Plan:
    return plan_store().load(revision)[1]


def plan_of(revision: int) -> Plan:
    """Return the plan of a revision, loaded once (no spinner: safe outside a page run)."""
    return _plan(plan_store().url, revision)


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _events(url: str, revision: int, public: str | None) -> pd.DataFrame:
    plan = _plan(url, revision)
    return calendar_events(schedule(plan), plan.milestones, status=status_of(plan), public_url=public)


class _Versions:
    """The newest revision's event versions and fingerprints, advanced one saved revision at a time."""

    def __init__(self, url: str, public: str | None) -> None:
        self.url, self.public = url, public
        self.lock = threading.Lock()
        self.revision = 0
        self.fingerprints: dict[str, str] = {}
        self.versions: dict[str, Version] = {}

    def at(self, revision: int) -> dict[str, Version]:
        with self.lock:
            if revision < self.revision:  # an older revision: fold from the start, remember nothing
                return self._fold(0, {}, {}, revision)[2]
            self.revision, self.fingerprints, self.versions = self._fold(
                self.revision, self.fingerprints, self.versions, revision
            )
            return self.versions

    def _fold(
        self, done: int, fingerprints: dict[str, str], versions: dict[str, Version], upto: int
    ) -> tuple[int, dict[str, str], dict[str, Version]]:
        if not done or upto - done > HISTORY_HORIZON:  # cold, or far behind: start a horizon back
            done, fingerprints, versions = 0, {}, {}
        first = done + 1 if done else max(1, upto - HISTORY_HORIZON + 1)
        saved = {r.number: r.saved_at for r in plan_store().history() if first <= r.number <= upto}
        for number in sorted(saved):
            events = _events(self.url, number, self.public)
            now = dict(zip(events["key"], events["fingerprint"], strict=True))
            versions = advance_versions(versions, fingerprints, now, Version(number, saved[number]))
            fingerprints, done = now, number
        return done, fingerprints, versions


@st.cache_resource(max_entries=4, show_spinner=False)
def _versions(url: str, public: str | None) -> _Versions:
    return _Versions(url, public)


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def _plan_id(url: str) -> str:
    # The title the plan was first saved with: renaming the plan later keeps every event's UID.
    return plan_identity(plan_store().load(1)[1].settings.title, os.environ.get("PLANNER_CALENDAR_ID"))


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def calendar_bytes(url: str, revision: int, department: str | None, public: str | None) -> bytes:
    """Return the .ics file of a revision, for the whole plan or one department (id), built once."""
    plan = _plan(url, revision)
    events = select_events(_events(url, revision, public), plan, department=department)
    return write_calendar(
        events,
        plan_id=_plan_id(url),
        name=calendar_name(plan, department=department),
        description=plan.settings.title,
        versions=_versions(url, public).at(revision),
    )


def feed_secret() -> str | None:
    """Return the subscription secret (`PLANNER_CALENDAR_SECRET` or `[planner] calendar_secret`), if set."""
    try:
        value = st.secrets.get("planner", {}).get("calendar_secret")
    except Exception:  # no secrets.toml at all: Streamlit raises rather than return empty
        value = None
    value = value or os.environ.get("PLANNER_CALENDAR_SECRET")
    return str(value) if value else None


def subscription_link(department: str | None) -> str | None:
    """Return the department's (or whole plan's) subscription address, when subscriptions are served."""
    from app_pages.calendar_feed import FEED_PREFIX, feed_mounted

    secret, base = feed_secret(), public_url()
    if not (secret and base and feed_mounted()):
        return None
    try:
        return f"{base}{FEED_PREFIX}{feed_token(secret, department or WHOLE_PLAN)}.ics"
    except FeedSecretError:
        return None


_HOWTO_FILE = """
**Importér filen** – et øjebliksbillede af planen:

1. Klik på **Hent kalender (.ics)** og gem filen.
2. *Outlook på nettet:* **Kalender → Tilføj kalender → Upload fra fil**, vælg filen og en kalender.
   *Outlook på computeren:* dobbeltklik på filen og vælg **Åbn som ny** (en kalender for sig) eller
   **Importér** (ind i din egen kalender).
3. Når planen ændres, så hent og importér igen. Hver aktivitet har et fast id, så de fleste
   kalenderprogrammer flytter den i stedet for at lave en kopi. Får du dobbelte aftaler i Outlook,
   så slet den importerede kalender og importér igen.

Møder og workshops med fast dag og tidspunkt står med klokkeslæt; resten står som heldagsaftaler over
ugen, vist som *ledig*, så de ikke blokerer din kalender.
"""

_HOWTO_SUBSCRIBE = """
**Abonnér** – kalenderen opdaterer sig selv, når planen ændres:

*Outlook på nettet:* **Kalender → Tilføj kalender → Abonner fra internettet**, indsæt linket herunder
og giv kalenderen et navn. *Outlook på computeren:* **Tilføj kalender → Fra internettet**.
Outlook henter ændringer nogle gange i døgnet.

Linket er hemmeligt og gælder kun denne kalender: del det ikke uden for kommunen.
"""


def calendar_download(department: str | None, *, key: str) -> None:
    """Render 'Hent kalender (.ics)' for a department id (None: the whole plan) with a how-to for Outlook."""
    url, revision, public = plan_store().url, current_revision(), public_url()
    plan = current_analysis().plan
    st.download_button(
        "Hent kalender (.ics)",
        # A callable: the file is built when clicked, not on every run of the page.
        data=lambda: calendar_bytes(url, revision, department, public),
        file_name=calendar_filename(plan, department=department),
        mime="text/calendar",
        key=key,
        on_click="ignore",
        icon=":material/calendar_month:",
        help="Møder, workshops, frister og milepæle til Outlook",
    )
    with st.expander("Sådan får du kalenderen i Outlook"):
        st.markdown(_HOWTO_FILE)
        link = subscription_link(department)
        if link:
            st.markdown(_HOWTO_SUBSCRIBE)
            st.code(link, language=None, wrap_lines=True)
