"""The app plus calendar subscriptions in one process: `streamlit run planner_server.py`.

Streamlit's `st.App` serves `planner_app.py` exactly as `streamlit run planner_app.py` does, with one
extra read-only route, `/kalender/<token>.ics` (see app_pages/calendar_feed.py). Without
PLANNER_CALENDAR_SECRET and PLANNER_PUBLIC_URL the route answers 404 and the pages offer no links.
"""

import streamlit as st

from app_pages.calendar_feed import calendar_routes

app = st.App("planner_app.py", routes=calendar_routes())
