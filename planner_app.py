"""Streamlit entry point: the router. Pages live in app_pages/ and are named by the user's task."""

import streamlit as st

from app_pages import live

st.set_page_config(page_title="MFR-planlægger", layout="wide")

pages = [
    st.Page("app_pages/overblik.py", title="Overblik", url_path="overblik", default=True),
    st.Page("app_pages/min_afdeling.py", title="Min afdeling", url_path="min-afdeling"),
    st.Page("app_pages/budget.py", title="Budget 2027", url_path="budget-2027"),
    st.Page("app_pages/rediger_plan.py", title="Rediger plan", url_path="rediger-plan"),
    st.Page("app_pages/status.py", title="Status", url_path="status"),
    st.Page("app_pages/chefforum.py", title="Status til Chefforum", url_path="status-til-chefforum"),
]
page = st.navigation(pages)
live.watch()  # a banner on every page when someone saves a new revision
page.run()
