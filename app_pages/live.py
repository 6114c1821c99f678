"""A banner when someone saves a new revision: every page sees it within seconds, without a reload.

A fragment re-runs on a timer and reads only the newest revision number (one small query); only
when it has grown does it read who saved and why. Works across app servers sharing one database.
"""

from __future__ import annotations

import datetime as dt
import os

import streamlit as st

from app_pages.common import md_text, plan_store


def _interval() -> dt.timedelta:
    # Within 30 s for everyone; PLANNER_LIVE_SECONDS may shorten it (tests) or lengthen it.
    return dt.timedelta(seconds=float(os.environ.get("PLANNER_LIVE_SECONDS") or 10))


def watch() -> None:
    """Remember the revision this run shows, and show a banner when a newer one is saved."""
    # A full run of the app shows the newest revision: that is what the reader has seen.
    st.session_state.live_seen = plan_store().latest()
    _banner()


@st.fragment(run_every=_interval())
def _banner() -> None:
    store = plan_store()
    latest = store.latest()
    seen = st.session_state.get("live_seen")
    if latest is None or seen is None or latest <= seen:
        return
    newer = store.newer(seen, latest)
    lines = [
        f"revision {r.number} gemt af {r.editor} {r.local_time}" + (f": {r.comment}" if r.comment else "")
        for r in newer
    ]
    with st.container(key="live_banner"):
        st.info(md_text("Planen er ændret – " + "; ".join(lines) + "."), icon=":material/notifications:")
        if st.button("Vis den nye plan", key="live_show"):
            st.rerun(scope="app")
