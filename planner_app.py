"""Streamlit entry point: shows the sample plan's schedule until the Gantt pages land."""

import streamlit as st

from planner import load_plan, schedule

st.set_page_config(page_title="MFR-planlægger", layout="wide")
st.title("Udrulning af MFR og Budget 2027")
st.dataframe(schedule(load_plan()), hide_index=True)
