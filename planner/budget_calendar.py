"""Ny budgetkalender: next year's budget milestones, placed on the council's meetings by the budget rules."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .budget_rules import ORDER, STEPS, meeting_dates
from .errors import PlanError, Problem
from .isoweeks import danish_date
from .schema import TABLES

__all__ = ["BudgetCalendarError", "budget_calendar"]

_FROM_MEETINGS = "dato: eksempel (bygget af budgetkalenderen på møderne i council_meetings.csv)"


class BudgetCalendarError(PlanError):
    """The council's meeting dates do not allow a lawful budget calendar for the year asked for."""


def _latest(days: list[dt.date], first: dt.date, last: dt.date) -> dt.date | None:
    fits = [d for d in days if first <= d <= last]
    return fits[-1] if fits else None


def _budget_dates(kb: list[dt.date], ou: list[dt.date], budget_year: int) -> dict[str, dt.date] | None:
    """Return ØU's proposal and the two readings: the latest adoption that leaves room for the rest."""
    jan1 = dt.date(budget_year - 1, 1, 1)
    gap = next(r.days for r in ORDER if r.after == "second_reading")
    ou_deadline = STEPS["ou_proposal"].deadline_of(budget_year)
    for second in reversed([d for d in kb if jan1 <= d <= STEPS["second_reading"].deadline_of(budget_year)]):
        for first in reversed([d for d in kb if jan1 <= d <= second - dt.timedelta(days=gap)]):
            proposal = _latest(ou, jan1, min(first, ou_deadline))
            if proposal is not None:
                return {"ou_proposal": proposal, "first_reading": first, "second_reading": second}
    return None


def _accounts_dates(kb: list[dt.date], accounts_year: int) -> dict[str, dt.date | None]:
    """Return the accounts' steps: KB's meetings for its own acts, the deadline for the auditors' report."""
    jan1 = dt.date(accounts_year + 1, 1, 1)
    report = STEPS["audit_report"].deadline_of(accounts_year)
    return {
        "accounts_to_audit": _latest(kb, jan1, STEPS["accounts_to_audit"].deadline_of(accounts_year)),
        "audit_report": report,
        "accounts_approved": _latest(kb, report, STEPS["accounts_approved"].deadline_of(accounts_year)),
    }


def _row(code: str, day: dt.date, year: int) -> dict[str, object]:
    step = STEPS[code]
    prefix = "b" if step.part == "budget" else "r"
    # The auditors' report has no meeting to sit on: it is placed on its deadline.
    when = "dato: eksempel (fristen)" if code == "audit_report" else _FROM_MEETINGS
    return {
        "milestone_id": f"{prefix}{year % 100:02d}-{step.slug}",
        "date": pd.Timestamp(day),
        "title": step.title.format(year=year),
        "body": step.body,
        "kind": step.kind,
        "budget_step": code,
        "budget_year": year,
        "source": f"lov: {step.basis}; {when}",
    }


def budget_calendar(council_meetings: pd.DataFrame, budget_year: int) -> pd.DataFrame:
    """Return the milestones (the milestones table's columns) of the year Budget `budget_year` is made.

    That year holds Budget `budget_year` (ØU's proposal, the MED hearing, the two readings) and the
    accounts of the year before it (to the auditors, their report, approval). Each step of KB or ØU
    takes the latest meeting of that body that keeps its deadline and the order rules; every date is
    marked `eksempel` until confirmed. Raises BudgetCalendarError when the meetings cannot do it.
    """
    year, accounts_year = budget_year - 1, budget_year - 2
    kb, ou = meeting_dates(council_meetings, "KB"), meeting_dates(council_meetings, "ØU")
    budget = _budget_dates(kb, ou, budget_year)
    accounts = _accounts_dates(kb, accounts_year)
    problems = []
    if budget is None:
        problems.append(
            f"Møderne i {year} giver ikke ØU's budgetforslag senest "
            f"{danish_date(STEPS['ou_proposal'].deadline_of(budget_year))} og to KB-behandlinger med mindst tre "
            f"ugers mellemrum senest {danish_date(STEPS['second_reading'].deadline_of(budget_year))}; "
            f"tilføj KB- og ØU-møder for {year}"
        )
    for code, day in accounts.items():
        if day is None:
            step = STEPS[code]
            problems.append(
                f"Der er intet KB-møde i {year} til '{step.title.format(year=accounts_year)}' "
                f"senest {danish_date(step.deadline_of(accounts_year))} ({step.basis})"
            )
    if budget is None or problems:
        raise BudgetCalendarError([Problem(TABLES["council_meetings"].file, None, None, p) for p in problems])
    rows = [_row(code, day, accounts_year) for code, day in accounts.items() if day is not None]
    rows += [_row(code, day, budget_year) for code, day in budget.items()]
    first, second = budget["first_reading"], budget["second_reading"]
    rows.append(
        {
            "milestone_id": f"b{budget_year % 100:02d}-hoering",
            "date": pd.Timestamp(first + dt.timedelta(days=(second - first).days // 2)),
            "title": f"Høringsfrist for MED-udvalg og brugerbestyrelser (Budget {budget_year})",
            "body": "MED",
            "kind": "administrative",
            "budget_step": "",
            "budget_year": budget_year,
            "source": "typisk mellem 1. og 2. behandling; dato: eksempel (midt imellem)",
        }
    )
    frame = pd.DataFrame(rows, columns=TABLES["milestones"].column_names)
    frame["date"] = frame["date"].astype("datetime64[s]")
    frame["budget_year"] = frame["budget_year"].astype("Int64")
    return frame.sort_values("date", kind="stable", ignore_index=True)
