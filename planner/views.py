"""What the pages show, computed without Streamlit: the analysed plan, filters, zoom ranges, sentences."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from .calendar import plan_years, poor_weeks
from .checks import check
from .isoweeks import week_labels
from .model import Plan
from .scheduler import schedule
from .texts import count_text, hours_text
from .timeaxis import plan_span

__all__ = [
    "ZOOM_PRESETS",
    "Analysis",
    "analyse",
    "collisions",
    "department_lookup",
    "filter_findings",
    "filter_schedule",
    "outlook",
    "period_of",
    "slug",
    "wave_summary",
    "week_sentences",
    "zoom_range",
]

Zoom = Literal["plan", "quarter", "next8"]
ZOOM_PRESETS: dict[str, str] = {"plan": "Hele planen", "quarter": "Dette kvartal", "next8": "Næste 8 uger"}


@dataclass(frozen=True, eq=False)
class Analysis:
    """A plan with everything derived from it: schedule, findings and the poor weeks of its years."""

    plan: Plan
    schedule: pd.DataFrame
    findings: pd.DataFrame
    poor_weeks: pd.DataFrame


def analyse(plan: Plan, *, as_of: dt.date | None = None) -> Analysis:
    """Schedule and check `plan` once, for every page to share.

    With `as_of`, suggestions never name a week already past. The findings are the plan's own
    problems; what is overdue is the rollout's status (`progress.progress`), shown on its own.
    """
    sched = schedule(plan)
    first, last = plan_span(sched, plan.milestones)
    findings = check(plan, sched, as_of=as_of, progress=False)
    return Analysis(plan, sched, findings, poor_weeks(plan.school_holidays, plan_years(first, last)))


def slug(text: str) -> str:
    """Return a safe ASCII slug: `Børn & Familie` -> `born-og-familie`."""
    text = text.lower().replace("&", " og ").replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "plan"


def department_lookup(plan: Plan, text: str | None) -> str | None:
    """Return the department id that `text` names by id, name or slug (any case), else None."""
    if not text:
        return None
    wanted = text.strip().lower()
    for dep_id, name in zip(plan.departments["department_id"], plan.departments["name"], strict=True):
        if wanted in (str(dep_id).lower(), str(name).lower(), slug(str(name))):
            return str(dep_id)
    return None


def filter_schedule(
    sched: pd.DataFrame,
    *,
    departments: Collection[str] = (),
    units: Collection[str] = (),
    waves: Collection[int] = (),
    kinds: Collection[str] = (),
    between: tuple[dt.date, dt.date] | None = None,
    keys: Collection[str] | None = None,
) -> pd.DataFrame:
    """Return the rows matching every non-empty filter; `between` keeps activities overlapping the dates.

    `keys`, when given, keeps only those activities (by `activity_key`), e.g. the late or moved ones.
    """
    keep = pd.Series(True, index=sched.index)
    if keys is not None:
        keep &= sched["activity_key"].isin(list(keys))
    if departments:
        keep &= sched["department_id"].isin(list(departments))
    if units:
        keep &= sched["unit_id"].isin(list(units))
    if waves:
        keep &= sched["wave"].isin(list(waves)).fillna(False).astype(bool)
    if kinds:
        keep &= sched["kind"].isin(list(kinds))
    if between is not None:
        first, last = (pd.Timestamp(d) for d in between)
        keep &= (sched["end_date"] >= first) & (sched["start_date"] <= last)
    return sched[keep]


def filter_findings(
    findings: pd.DataFrame,
    plan: Plan,
    visible: pd.DataFrame,
    *,
    departments: Collection[str] = (),
    units: Collection[str] = (),
    waves: Collection[int] = (),
    between: tuple[dt.date, dt.date] | None = None,
    hide_before: dt.date | None = None,
) -> pd.DataFrame:
    """Return the findings that belong to what the chart shows.

    A finding about an activity follows its activity (`visible` is the filtered schedule); one about
    a unit follows the department, unit and wave filters; one about a week (the consultants' load)
    follows the period. With `hide_before`, findings about weeks that ended before that day go.
    """
    about_activity = findings["activity_key"] != ""
    about_unit = ~about_activity & (findings["unit_id"] != "")
    keep = ~about_activity | findings["activity_key"].isin(visible["activity_key"])
    chosen = plan.units["unit_id"]
    if departments:
        chosen = chosen[plan.units["department_id"].isin(list(departments))]
    if units:
        chosen = chosen[chosen.isin(list(units))]
    if waves:
        chosen = chosen[chosen.isin(plan.assignments.loc[plan.assignments["wave"].isin(list(waves)), "unit_id"])]
    if departments or units or waves:
        keep &= ~about_unit | findings["unit_id"].isin(chosen)
    monday = pd.to_datetime(findings["week"].where(findings["week"] != "") + "-1", format="%G-W%V-%u")
    if between is not None:
        first, last = (pd.Timestamp(d) for d in between)
        in_period = (monday + pd.Timedelta(days=6) >= first) & (monday <= last)
        keep &= about_activity | monday.isna() | in_period
    if hide_before is not None:
        this_monday = pd.Timestamp(hide_before - dt.timedelta(days=hide_before.weekday()))
        keep &= monday.isna() | (monday >= this_monday)
    return findings[keep.to_numpy()]


def period_of(value: object, span: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """Return the period a date field holds: both dates, from one date to the end of `span`, or `span`.

    While a user picks a range the field holds one date; the chart then runs from it to the end.
    """
    dates = [d for d in value if isinstance(d, dt.date)] if isinstance(value, tuple | list) else []
    if len(dates) >= 2:
        return min(dates[:2]), max(dates[:2])
    if len(dates) == 1:
        return dates[0], max(dates[0], span[1])
    return span


def zoom_range(preset: Zoom, today: dt.date, span: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """Return a preset's period, first and last day, in whole ISO weeks (Monday to Sunday).

    `span` is the plan's span as `plan_span` gives it, from a Monday to the Monday after its end:
    the whole plan, this quarter, or this week and the seven after it.
    """
    monday = today - dt.timedelta(days=today.weekday())
    if preset == "next8":
        return monday, monday + dt.timedelta(weeks=8, days=-1)
    if preset == "quarter":
        q_first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        q_next = dt.date(q_first.year + (q_first.month + 3 > 12), (q_first.month + 2) % 12 + 1, 1)
        q_last = q_next - dt.timedelta(days=1)
        return q_first - dt.timedelta(days=q_first.weekday()), q_last + dt.timedelta(days=6 - q_last.weekday())
    return span[0], span[1] - dt.timedelta(days=1)


def week_sentences(sched: pd.DataFrame, today: dt.date) -> dict[str, list[str]]:
    """Return plain Danish sentences about what happens this week and next week, keyed by heading."""
    monday = pd.Timestamp(today - dt.timedelta(days=today.weekday()))
    out: dict[str, list[str]] = {}
    for heading, start in (("Denne uge", monday), ("Næste uge", monday + pd.Timedelta(weeks=1))):
        end = start + pd.Timedelta(days=6)
        rows = sched[(sched["start_date"] <= end) & (sched["end_date"] >= start)]
        week = start.isocalendar()[1]
        sentences = []
        for r in rows.to_dict("records"):
            who = f"{r['unit']}: " if r["unit"] else ""
            hours = hours_text(r["hours"])
            extra = f" ({hours})" if hours else ""
            until = "" if r["end_date"] <= end else f", fortsætter til {r['end_date']:%d.%m.%Y}"
            sentences.append(f"{who}{r['activity']}{extra}{until}.")
        out[f"{heading} (uge {week})"] = sentences
    return out


def outlook(sched: pd.DataFrame, today: dt.date, *, unfinished: int = 0) -> str | None:
    """Return a sentence for a plan with nothing this week or next: the next activity, or that it is over.

    None when something happens this week or next, or when there is nothing at all. A plan whose
    weeks are over is only called done when no activity is `unfinished` (overdue, not marked done).
    """
    if sched.empty:
        return None
    monday = pd.Timestamp(today - dt.timedelta(days=today.weekday()))
    after_next = monday + pd.Timedelta(weeks=2)
    if ((sched["end_date"] >= monday) & (sched["start_date"] < after_next)).any():
        return None
    last = sched.sort_values("end_date", kind="stable").iloc[-1]
    if last["end_date"] < pd.Timestamp(today):
        ended = f"{last['end_date']:%d.%m.%Y}"
        if unfinished:
            open_text = count_text(unfinished, "aktivitet er", "aktiviteter er")
            return (
                f"Planens sidste aktivitet, {last['activity']}, skulle være afsluttet {ended}; "
                f"{open_text} endnu ikke meldt gennemført."
            )
        return f"Udrulningen er afsluttet: den sidste aktivitet, {last['activity']}, sluttede {ended}."
    coming = sched[sched["start_date"] >= after_next]
    start = coming["start_date"].min()
    names = sorted(set(coming.loc[coming["start_date"] == start, "activity"]))
    week = start.isocalendar()[1]
    return f"Næste aktivitet: {', '.join(names)} i uge {week} (fra {start:%d.%m.%Y})."


def wave_summary(sched: pd.DataFrame) -> pd.DataFrame:
    """Return one schedule row per wave, from its first to its last activity, for a background view."""
    waves = sched[sched["wave"].notna() & (sched["unit_id"] != "")]
    if waves.empty:
        return sched.iloc[0:0]
    summary = waves.groupby("wave", as_index=False).agg(
        wave_name=("wave_name", "first"),
        start_date=("start_date", "min"),
        end_date=("end_date", "max"),
        start_week=("start_week", "min"),
        end_week=("end_week", "max"),
        units=("unit", lambda u: ", ".join(sorted(set(u)))),
    )
    out = pd.DataFrame({c: pd.Series([""] * len(summary), dtype="string") for c in sched.columns})
    for column in ("wave", "wave_name", "start_date", "end_date", "start_week", "end_week"):
        out[column] = summary[column].to_numpy()
    out["wave"] = out["wave"].astype("Int64")
    out["hours"] = pd.array([pd.NA] * len(summary), dtype="Float64")
    out["unit"] = "Udrulning af MFR"
    out["activity"] = "Udrulning: " + summary["wave_name"].astype("string")
    out["activity_key"] = "bølge-" + summary["wave"].astype("string")
    out["kind"] = "follow-up"
    out["participants"] = summary["units"].to_numpy()
    out["source"] = "Chefforum 17-12-2025, pkt. 3"
    return out


def collisions(analysis: Analysis) -> list[str]:
    """Return sentences about meetings and workshops in the same ISO week as a milestone."""
    sched = analysis.schedule
    meetings = sched[sched["kind"].isin(["meeting", "workshop"]) & sched["wave"].notna()]
    ms = analysis.plan.milestones
    ms_weeks = pd.DataFrame({"week": week_labels(ms["date"]), "milestone": ms["title"], "date": ms["date"]})
    hits = meetings.merge(ms_weeks, left_on="start_week", right_on="week")
    if hits.empty:
        return []
    grouped = hits.groupby(["start_week", "wave_name", "activity", "milestone", "date"], as_index=False).size()
    # One bracket at most per sentence: wave names and milestone titles bring their own.
    return [
        f"Uge {int(r['start_week'][-2:])}: {r['activity']} for {count_text(int(r['size']), 'enhed', 'enheder')} "
        f"i {r['wave_name']}, samme uge som {r['milestone']} den {r['date']:%d.%m.%Y}."
        for r in grouped.to_dict("records")
    ]
