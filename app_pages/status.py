"""Status: editors mark what happened to last week's and this week's activities, one click and one revision each."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.auth import current_editor, login_panel, logout_button
from app_pages.common import analysis_of, md_list, md_text, plan_store, today
from planner import PlanError
from planner.isoweeks import danish_date, iso_label, parse_week, week_of
from planner.model import Plan
from planner.progress import DONE, progress
from planner.status_edits import Postponement, preview_postpone, set_baseline, set_status
from planner.store import EditorRequiredError
from planner.texts import count_text

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
    st.success(md_text(saved))
    # Seen also when the card saved is far down the page; short, so it is never cut off.
    st.toast(saved.split(":")[0], icon=":material/check_circle:")


def apply(change: Callable[[Plan, pd.DataFrame], Plan], comment: str) -> None:
    """Apply one change to the newest plan and save it as a revision; say why when it cannot be saved."""
    latest = store.latest() or 1
    newest = analysis_of(latest)
    try:
        changed = change(newest.plan, newest.schedule)
    except PlanError as exc:
        st.error(f"Ikke gemt: {md_text(str(exc))}")
        return
    store_plan(changed, latest, comment)


def store_plan(changed: Plan, base: int, comment: str) -> None:
    """Save `changed` as a revision after `base` and show it; say why when it cannot be saved."""
    try:
        number = store.save(changed, base=base, editor=editor, comment=comment)
    except (PlanError, EditorRequiredError) as exc:  # includes StaleRevisionError: someone saved meanwhile
        st.error(f"Ikke gemt: {md_text(str(exc))}")
        return
    st.session_state.pop("status_pending", None)
    st.session_state.status_saved = f"Gemt som revision {number}: {comment}"
    st.rerun()


def weeks_of(first: str, last: str) -> str:
    """Return `uge 12` or `uge 12–13` for two ISO week labels (`uge 52 2026–uge 1 2027` across a year)."""
    a, b = parse_week(first), parse_week(last)
    if a == b:
        return f"uge {a.week}"
    return f"uge {a.week}–{b.week}" if a.year == b.year else f"uge {a.week} {a.year}–uge {b.week} {b.year}"


def slip_text(weeks: int) -> str:
    """Return `1 uge tidligere end basisplanen` or `2 uger senere end basisplanen`."""
    return f"{count_text(abs(weeks), 'uge', 'uger')} {'tidligere' if weeks < 0 else 'senere'} end basisplanen"


def typed_note(key: str) -> str | None:
    """Return the note typed in a card's Note field (saved with any button of the card), None before it is shown."""
    value = st.session_state.get(f"status_note_{key}")
    return None if value is None else str(value)


def follower_text(row: Mapping[Hashable, Any], *, before: bool) -> str:
    """Return `Økonomiopfølgning i MFR (Dagtilbud & Skoler): uge 12–13 → uge 17–18`, or only the new weeks."""
    name = f"{row['activity']} ({row['unit'] or 'fælles'})"
    after = weeks_of(row["new_start_week"], row["new_end_week"])
    return f"{name}: {weeks_of(row['start_week'], row['end_week'])} → {after}" if before else f"{name} til {after}"


def left_text(row: Mapping[Hashable, Any]) -> str:
    """Return `Økonomiopfølgning i MFR (Dagtilbud & Skoler) i uge 12–13 (ville være flyttet til uge 17–18)`."""
    name = f"{row['activity']} ({row['unit'] or 'fælles'})"
    was, would = weeks_of(row["start_week"], row["end_week"]), weeks_of(row["new_start_week"], row["new_end_week"])
    return f"{name} i {was} (ville være flyttet til {would})"


def postpone_comment(what: str, week: str, moved: pd.DataFrame) -> str:
    """Return the revision comment of a postponement: what, to when, and what moved with it."""
    comment = f"Status: {what} udskudt til uge {parse_week(week).week}"
    if len(moved):
        comment += ". Flyttet med: " + "; ".join(follower_text(r, before=False) for r in moved.to_dict("records"))
    return comment


def confirm_postponement(key: str, what: str, week: str) -> None:
    """Show what postponing `key` to `week` moves and breaks, and save it only when accepted."""
    keep_shape = st.session_state.get(f"status_follow_{key}", True)
    try:
        effect: Postponement = preview_postpone(
            plan,
            sched,
            key,
            week,
            source=source,
            note=typed_note(key),
            with_followers=keep_shape,
            as_of=now,
            findings=analysis.findings,
        )
    except PlanError as exc:
        st.error(f"Kan ikke udskydes: {md_text(str(exc))}")
        return
    with st.container(border=True, key=f"status_confirm_{key}"):
        st.markdown(f"**Udskyd til uge {parse_week(week).week}?**")
        behind = effect.followers if keep_shape else effect.left
        if len(behind):
            st.checkbox(
                f"Flyt også de efterfølgende aktiviteter ({len(behind)})",
                value=True,
                key=f"status_follow_{key}",
                help="Det, der ifølge planens afhængigheder skal ligge efter aktiviteten, flyttes med; "
                "enhedens egne aktiviteter beholder deres afstand til den.",
            )
            moves = [follower_text(r, before=True) if keep_shape else left_text(r) for r in behind.to_dict("records")]
            st.markdown(("Flyttes med:" if keep_shape else "Bliver liggende:") + "\n\n" + md_list(moves))
        errors, warnings = effect.errors, effect.added[effect.added["severity"] != "error"]
        accepted = True
        if len(errors):
            st.error(
                f"Udskydelsen giver {count_text(len(errors), 'ny fejl', 'nye fejl')} i tjekket af planen. "
                "Så længe planen har fejl, kan ændringer fra Excel ikke importeres:\n\n"
                + md_list(errors["message"].astype(str).tolist())
            )
            accepted = st.checkbox("Gem alligevel, med fejlene", key=f"status_accept_{key}")
        if len(warnings):
            st.warning("Bemærk:\n\n" + md_list(warnings["message"].astype(str).tolist()))
        with st.container(horizontal=True):
            if st.button("Gem udskydelsen", type="primary", disabled=not accepted, key=f"status_confirm_save_{key}"):
                # Exactly what was shown is saved, after this revision; a newer save is merged or refused.
                store_plan(effect.plan, revision, postpone_comment(what, week, effect.followers))
            if st.button("Fortryd", key=f"status_confirm_cancel_{key}"):
                st.session_state.pop("status_pending", None)
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
            moved = f" · {slip_text(int(slip))}" if pd.notna(slip) and slip else ""
            st.markdown(
                f"**{md_text(str(r['activity']))}** · {weeks} ({start.monday():%d.%m.%Y}) · "
                f":{STATUS_COLOURS.get(state, 'gray')}[{state}]{flag}{moved}"
            )
            if r["note"]:
                st.caption(f"Note: {md_text(str(r['note']))}")
            what = f"{who}: {r['activity']}"
            with st.container(horizontal=True, vertical_alignment="bottom"):
                if st.button("Gennemført", key=f"status_done_{key}", disabled=state == DONE, type="primary"):
                    typed = typed_note(key)
                    apply(
                        lambda p, s, k=key, n=typed: set_status(p, s, k, DONE, source=source, note=n),
                        f"Status: {what} gennemført",
                    )
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
                    try:
                        effect = preview_postpone(
                            plan,
                            sched,
                            key,
                            target,
                            source=source,
                            note=typed_note(key),
                            as_of=now,
                            findings=analysis.findings,
                        )
                    except PlanError as exc:
                        st.error(f"Kan ikke udskydes: {md_text(str(exc))}")
                    else:
                        if effect.followers.empty and effect.added.empty:  # nothing else changes: one click
                            store_plan(effect.plan, revision, postpone_comment(what, target, effect.followers))
                        st.session_state.status_pending = key  # else: show what it does first
            if st.session_state.get("status_pending") == key:
                confirm_postponement(key, what, target)
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
