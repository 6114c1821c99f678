"""Status: editors mark what happened to last week's and this week's activities, one click and one revision each."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from app_pages.auth import current_editor, login_panel, logout_button
from app_pages.common import analysis_of, md_text, plan_store, today
from planner import PlanError
from planner.isoweeks import danish_date, iso_label, parse_week, week_of
from planner.model import Plan
from planner.progress import DONE, progress
from planner.status_edits import postpone, set_baseline, set_status
from planner.store import EditorRequiredError

MAX_SHOWN = 60  # activity cards per page run; more asks for a department filter
# The word carries the meaning; the colour only helps the eye (no emoji: not every machine has the font).
STATUS_COLOURS = {"planlagt": "gray", "i gang": "blue", "gennemført": "green", "udskudt": "orange", "aflyst": "gray"}

st.title("Status")
editor = current_editor()
if editor is None:
    login_panel()
    st.stop()

store = plan_store()
revision = store.latest() or 1
analysis = analysis_of(revision)
plan, sched = analysis.plan, analysis.schedule
now = today()
this_week = week_of(now)
table = progress(plan, sched, now)

with st.container(horizontal=True):
    st.caption(f"Logget ind som {editor}. Status pr. {danish_date(now)} (uge {this_week.week}), revision {revision}.")
    logout_button()

if saved := st.session_state.pop("status_saved", None):
    st.success(saved)


def apply(change: Callable[[Plan, pd.DataFrame], Plan], comment: str) -> None:
    """Apply one change to the newest plan and save it as a revision; say why when it cannot be saved."""
    latest = store.latest() or 1
    newest = analysis_of(latest)
    try:
        number = store.save(change(newest.plan, newest.schedule), base=latest, editor=editor, comment=comment)
    except (PlanError, EditorRequiredError) as exc:  # includes StaleRevisionError: someone saved meanwhile
        st.error(f"Ikke gemt: {exc}")
        return
    st.session_state.status_saved = f"Gemt som revision {number}: {comment}"
    st.rerun()


source = f"markeret på siden Status af {editor} {danish_date(now)}"
departments = dict(zip(plan.departments["department_id"], plan.departments["name"], strict=True))
st.session_state.setdefault("status_department", "")
st.session_state.setdefault("status_older", True)
with st.container(horizontal=True):
    st.selectbox(
        "Afdeling",
        ["", *departments],
        format_func=lambda d: departments.get(d, "Alle afdelinger"),
        key="status_department",
    )
    st.checkbox("Vis også ældre forsinkede aktiviteter", key="status_older")

monday_last = pd.Timestamp((this_week - 1).monday())
sunday_this = pd.Timestamp(this_week.sunday())
current = table[table["change"] != "removed"]
recent = (current["start_date"] <= sunday_this) & (current["end_date"] >= monday_last)
shown = current[recent | (current["overdue"] & st.session_state.status_older)]
if st.session_state.status_department:
    shown = shown[shown["department_id"] == st.session_state.status_department]

with st.container(horizontal=True):
    st.metric("Aktiviteter i sidste og denne uge", int(recent.sum()))
    st.metric("Forsinkede", int(current["overdue"].sum()))
    st.metric("Gennemført i alt", f"{int((current['status'] == DONE).sum())} af {len(current)}")

if shown.empty:
    st.info("Ingen aktiviteter i sidste eller denne uge, og intet forsinket.")
if len(shown) > MAX_SHOWN:
    st.warning(f"{len(shown)} aktiviteter passer; de første {MAX_SHOWN} vises. Vælg en afdeling for at se resten.")
    shown = shown.head(MAX_SHOWN)

shown = shown.assign(who=shown["unit"].where(shown["unit"] != "", "Fælles"))
for who, rows in shown.groupby("who", sort=False):
    st.subheader(md_text(str(who)))
    for r in rows.to_dict("records"):
        key = str(r["activity_key"])
        start, end = parse_week(str(r["start_week"])), parse_week(str(r["end_week"]))
        weeks = f"uge {start.week}" + (f"–{end.week}" if end != start else "")
        with st.container(border=True, key=f"status_card_{key}"):
            state = str(r["status"])
            flag = " · :red[**forsinket**]" if r["overdue"] else ""
            slip = r["slip_weeks"]
            moved = f" · {int(slip):+d} uger i forhold til basisplanen" if pd.notna(slip) and slip else ""
            st.markdown(
                f"**{md_text(str(r['activity']))}** · {weeks} ({start.monday():%d.%m.%Y}) · "
                f":{STATUS_COLOURS.get(state, 'gray')}[{state}]{flag}{moved}"
            )
            if r["note"]:
                st.caption(f"Note: {md_text(str(r['note']))}")
            what = f"{who}: {r['activity']}"
            with st.container(horizontal=True, vertical_alignment="bottom"):
                if st.button("Gennemført", key=f"status_done_{key}", disabled=state == DONE, type="primary"):
                    apply(lambda p, s, k=key: set_status(p, s, k, DONE, source=source), f"Status: {what} gennemført")
                # An overdue activity is postponed to this week or later, not to a week already past.
                first = max(start + 1, this_week)
                later = [first + n for n in range(12)]
                target = st.selectbox(
                    "Udskudt til uge …",
                    [iso_label(w) for w in later],
                    format_func=lambda w: f"uge {int(w[-2:])} ({parse_week(w).monday():%d.%m.%Y})",
                    key=f"status_week_{key}",
                )
                if st.button("Udskyd", key=f"status_postpone_{key}"):
                    apply(
                        lambda p, s, k=key, w=target: postpone(p, s, k, w, source=source),
                        f"Status: {what} udskudt til uge {int(target[-2:])}",
                    )
            with st.container(horizontal=True, vertical_alignment="bottom"):
                note = st.text_input("Note", value=str(r["note"]), key=f"status_note_{key}", max_chars=500)
                if st.button("Gem note", key=f"status_save_note_{key}"):
                    apply(
                        lambda p, s, k=key, n=note, st_=state: set_status(p, s, k, st_, source=source, note=n),
                        f"Note: {what}",
                    )

with st.expander("Basisplan: det godkendte, som forskydninger måles mod"):
    st.write(
        f"Basisplanen har {len(plan.baseline)} aktiviteter. At gemme en ny basisplan kopierer den nuværende "
        "tidsplan ind i den; derefter måles forskydninger fra den. Skriv hvorfor, fx hvem der godkendte den."
    )
    why = st.text_input("Hvorfor", key="status_baseline_why", placeholder="Godkendt i Chefforum 15.04.2026")
    if st.button("Gem den nuværende tidsplan som ny basisplan", key="status_baseline", disabled=not why.strip()):
        apply(lambda p, s: set_baseline(p, s, source=why.strip()), f"Ny basisplan: {why.strip()}")
