"""Plan checks: what is wrong with a schedule, in Danish, with a suggested fix where there is one."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .budget_rules import budget_findings
from .calendar import plan_years, poor_weeks
from .isoweeks import iso_label, parse_week, week_labels, week_mondays
from .model import Plan
from .schema import FINDING_COLUMNS

__all__ = ["ERROR", "WARNING", "check", "has_errors", "say_week"]

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "fejl", WARNING: "advarsel"}

_MEETING_KINDS = ("meeting", "workshop")
_CONSULTANT = "økonomikonsulent"
_SEARCH = (1, -1, 2, -2, 3, -3)  # later first: an earlier workshop may land before its orientation


def say_week(labels: pd.Series) -> pd.Series:
    """Return `uge 11 (09.03.2026)` for every `2026-W11` label: the Monday keeps the year clear."""
    mondays = week_mondays(labels)
    text: pd.Series = "uge " + labels.str[-2:].str.lstrip("0") + " (" + mondays.dt.strftime("%d.%m.%Y") + ")"
    return text


def _frame(**columns: object) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    for column in FINDING_COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame[list(FINDING_COLUMNS)]


def _about(rows: pd.DataFrame, *, severity: str, code: str, message: object, suggestion: object) -> pd.DataFrame:
    """Return findings about schedule rows: unit, activity and start week come from the rows."""
    return _frame(
        severity=severity,
        code=code,
        unit_id=rows["unit_id"],
        unit=rows["unit"],
        activity_key=rows["activity_key"],
        activity=rows["activity"],
        week=rows["start_week"],
        message=message,
        suggestion=suggestion,
    )


def _suggest(start: str, lo: str, hi: str, poor: set[str]) -> str:
    week = parse_week(start)
    lo_w, hi_w = (parse_week(lo), parse_week(hi)) if lo else (week - 3, week + 3)
    for step in _SEARCH:
        candidate = week + step
        if lo_w <= candidate <= hi_w and iso_label(candidate) not in poor:
            monday = candidate.monday()
            return f"Flyt til uge {candidate.week} ({monday:%d.%m.%Y})"
    if lo:
        return f"Ingen god uge i vinduet uge {lo_w.week}-{hi_w.week}; overvej at flytte bølgen"
    return "Ingen god uge inden for tre uger; overvej at flytte bølgen"


def _poor_weeks(plan: Plan, sched: pd.DataFrame, poor: pd.DataFrame) -> pd.DataFrame:
    meetings = sched[sched["kind"].isin(_MEETING_KINDS)]
    hit = meetings.merge(poor, left_on="start_week", right_on="week")
    if hit.empty:
        return _frame()
    poor_set = set(poor["week"])
    combos = hit[["start_week", "window_start_week", "window_end_week"]].drop_duplicates()
    combos["suggestion"] = [
        _suggest(s, lo, hi, poor_set)
        for s, lo, hi in combos.itertuples(index=False, name=None)  # a handful of distinct weeks
    ]
    hit = hit.merge(combos, on=["start_week", "window_start_week", "window_end_week"])
    message = hit["activity"] + " i " + say_week(hit["start_week"]) + " ligger i en uge med " + hit["reason"]
    return _about(hit, severity=WARNING, code="poor_week", message=message, suggestion=hit["suggestion"])


def _outside_window(sched: pd.DataFrame) -> pd.DataFrame:
    has = sched["window_start_week"] != ""
    rows = sched[
        has & ((sched["start_week"] < sched["window_start_week"]) | (sched["start_week"] > sched["window_end_week"]))
    ]
    if rows.empty:
        return _frame()
    message = (
        rows["activity"]
        + " ligger i "
        + say_week(rows["start_week"])
        + ", uden for vinduet "
        + say_week(rows["window_start_week"])
        + " til "
        + say_week(rows["window_end_week"])
    )
    return _about(
        rows, severity=WARNING, code="outside_window", message=message, suggestion="Flyt til en uge i vinduet"
    )


def _dependencies(plan: Plan, sched: pd.DataFrame) -> pd.DataFrame:
    columns = ["activity_key", "activity_id", "activity", "unit_id", "unit", "wave", "start_date", "end_date"]
    found = []
    for dep in plan.dependencies.to_dict("records"):  # one merge per dependency, not per row
        pred = sched.loc[sched["activity_id"] == dep["predecessor"], columns]
        succ = sched.loc[sched["activity_id"] == dep["successor"], columns]
        lag_weeks = int(dep["lag_weeks"])
        if pred.empty or succ.empty:
            continue
        if (pred["unit_id"] != "").all() and (succ["unit_id"] != "").all():
            pairs = pred.merge(succ, on="unit_id", suffixes=("_p", "_s"))
            pairs["unit_s"] = pairs["unit_p"]
            pairs["unit_id_s"] = pairs["unit_id"]
        elif pred["wave"].notna().all() and succ["wave"].notna().all():
            pairs = pred.merge(succ, on="wave", suffixes=("_p", "_s"))
        else:
            pairs = pred.merge(succ, how="cross", suffixes=("_p", "_s"))
        earliest = pairs["end_date_p"] + pd.Timedelta(days=1) + pd.Timedelta(weeks=lag_weeks)
        late = pairs[pairs["start_date_s"] < earliest]
        if late.empty:
            continue
        lag = f" og {lag_weeks} uger efter" if lag_weeks else ""
        message = (
            late["activity_p"]
            + " (slutter "
            + say_week(week_labels(late["end_date_p"]))
            + ") skal være færdig før "
            + late["activity_s"]
            + " (starter "
            + say_week(week_labels(late["start_date_s"]))
            + ")"
            + lag
        )
        suggestion = "Flyt " + late["activity_s"] + " til " + say_week(week_labels(earliest[late.index]))
        found.append(
            _frame(
                severity=ERROR,
                code="dependency",
                unit_id=late["unit_id_s"],
                unit=late["unit_s"],
                activity_key=late["activity_key_s"],
                activity=late["activity_s"],
                week=week_labels(late["start_date_s"]),
                message=message,
                suggestion=suggestion,
            )
        )
    return pd.concat(found, ignore_index=True) if found else _frame()


def _date_windows(plan: Plan, sched: pd.DataFrame) -> pd.DataFrame:
    tasks = plan.tasks[["task_id", "not_before", "not_after"]].rename(columns={"task_id": "activity_id"})
    rows = sched.merge(tasks, on="activity_id")
    early = rows["not_before"].notna() & (rows["end_date"] < rows["not_before"])
    late = rows["not_after"].notna() & (rows["start_date"] > rows["not_after"])
    rows = rows[early | late]
    if rows.empty:
        return _frame()
    period = (
        rows["not_before"].dt.strftime("%d.%m.%Y").fillna("…")
        + "–"
        + rows["not_after"].dt.strftime("%d.%m.%Y").fillna("…")
    )
    message = rows["activity"] + " skal ligge i perioden " + period + ", men ligger i " + say_week(rows["start_week"])
    return _about(
        rows, severity=ERROR, code="date_window", message=message, suggestion="Flyt til en uge i perioden " + period
    )


def _wave_membership(plan: Plan) -> pd.DataFrame:
    counts = plan.assignments.groupby("unit_id")["wave"].agg(lambda w: ", ".join(str(v) for v in sorted(w)))
    n = plan.assignments.groupby("unit_id").size()
    units = plan.units.set_index("unit_id")["name"]
    twice = n[n > 1].index
    none = units.index.difference(n.index)
    parts = []
    if len(twice):
        parts.append(
            _frame(
                severity=ERROR,
                code="unit_in_two_waves",
                unit_id=list(twice),
                unit=list(units.reindex(twice)),
                message=["Enheden er med i flere bølger: " + counts[u] for u in twice],
                suggestion="Behold enheden i én bølge",
            )
        )
    if len(none):
        parts.append(
            _frame(
                severity=WARNING,
                code="unit_in_no_wave",
                unit_id=list(none),
                unit=list(units.reindex(none)),
                message="Enheden er ikke med i nogen bølge",
                suggestion="Tilføj enheden til en bølge",
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else _frame()


def _consultant_load(plan: Plan, sched: pd.DataFrame) -> pd.DataFrame:
    who = (sched["participants"] + " " + sched["lead"]).str.lower()
    led = sched[sched["kind"].isin(_MEETING_KINDS) & who.str.contains(_CONSULTANT, regex=False)]
    load = led.groupby("start_week")["hours"].sum()
    capacity = plan.settings.consultant_capacity_hours
    over = load[load > capacity]
    if over.empty:
        return _frame()
    weeks = pd.Series(over.index, dtype="string")
    hours = pd.Series(over.to_numpy(dtype=float)).map(lambda h: f"{h:g}".replace(".", ","))
    return _frame(
        severity=WARNING,
        code="consultant_overload",
        week=weeks,
        message="Økonomikonsulenterne har "
        + hours
        + " timers møder og workshops i "
        + say_week(weeks)
        + f"; kapaciteten er {capacity:g} timer".replace(".", ","),
        suggestion="Spred møderne over flere uger eller flyt en enhed til en anden bølge",
    )


def check(plan: Plan, sched: pd.DataFrame, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """Return the findings on `plan` and its schedule, columns `schema.FINDING_COLUMNS`, errors first.

    With `as_of`, the rollout's progress is checked as of that day too (overdue, follow-up before workshop).
    """
    from .progress import progress_findings  # progress builds on this module's helpers

    if len(sched):
        years = plan_years(sched["start_date"].min().date(), sched["end_date"].max().date())
    else:
        years = [pd.Timestamp.today().year]
    poor = poor_weeks(plan.school_holidays, years)
    parts = [
        _wave_membership(plan),
        _dependencies(plan, sched),
        _date_windows(plan, sched),
        budget_findings(plan.milestones, plan.council_meetings),
        _poor_weeks(plan, sched, poor),
        _outside_window(sched),
        _consultant_load(plan, sched),
        progress_findings(plan, sched, as_of),
    ]
    found = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else _frame()
    for column in FINDING_COLUMNS:
        found[column] = found[column].astype("string").fillna("")
    order = found["severity"].map({ERROR: 0, WARNING: 1})
    return found.assign(_o=order).sort_values(["_o", "week"], kind="stable").drop(columns="_o").reset_index(drop=True)


def has_errors(findings: pd.DataFrame) -> bool:
    """Return True when any finding has severity error."""
    return bool((findings["severity"] == ERROR).any())
