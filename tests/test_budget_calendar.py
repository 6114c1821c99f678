"""Ny budgetkalender: a year's budget milestones built from the council's meetings keep the budget rules."""

from __future__ import annotations

import pandas as pd
import pytest

from planner import Plan, check, has_errors, schedule
from planner.budget_calendar import BudgetCalendarError, budget_calendar
from planner.budget_rules import STEPS, budget_findings
from planner.schema import TABLES


def _meetings(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"date": pd.to_datetime([d for d, _ in rows]), "body": [b for _, b in rows], "source": "test"})


def test_the_generated_budget_2028_calendar_passes_the_rules(sample_plan: Plan) -> None:
    b28 = budget_calendar(sample_plan.council_meetings, 2028)
    assert budget_findings(b28, sample_plan.council_meetings).empty
    # Beside Budget 2027 in the whole plan: the full check finds no error either.
    plan = sample_plan.with_tables(milestones=pd.concat([sample_plan.milestones, b28], ignore_index=True))
    findings = check(plan, schedule(plan))
    assert not has_errors(findings), findings["message"].tolist()
    assert not findings["code"].str.startswith("budget").any()


def test_the_calendar_holds_every_required_step_of_its_year_on_a_meeting_of_its_body(sample_plan: Plan) -> None:
    b28 = budget_calendar(sample_plan.council_meetings, 2028)
    steps = b28[b28["budget_step"] != ""]
    assert set(zip(steps["budget_year"], steps["budget_step"], strict=True)) == {
        (2028, "ou_proposal"),
        (2028, "first_reading"),
        (2028, "second_reading"),
        (2026, "accounts_to_audit"),
        (2026, "audit_report"),
        (2026, "accounts_approved"),
    }
    assert b28.columns.tolist() == TABLES["milestones"].column_names
    assert b28["milestone_id"].is_unique
    meetings = set(zip(sample_plan.council_meetings["date"], sample_plan.council_meetings["body"], strict=True))
    for row in steps.itertuples():
        if STEPS[row.budget_step].body in ("KB", "ØU"):
            assert (row.date, row.body) in meetings, row.title
    assert (b28["date"].dt.year == 2027).all()
    # Dates are proposals until the council confirms them.
    assert b28["source"].str.contains("eksempel").all()


def test_the_calendar_for_2027_lands_on_the_sample_plans_budget_2027_dates(sample_plan: Plan) -> None:
    b27 = budget_calendar(sample_plan.council_meetings, 2027)
    ms = sample_plan.milestones
    have = ms[ms["budget_step"] != ""].set_index(["budget_year", "budget_step"])["date"]
    made = b27[b27["budget_step"] != ""].set_index(["budget_year", "budget_step"])["date"]
    assert made.sort_index().to_dict() == have.sort_index().to_dict()


def test_the_latest_lawful_adoption_is_chosen_and_readings_stay_three_weeks_apart() -> None:
    meetings = _meetings(
        ("2027-04-27", "KB"),
        ("2027-08-24", "KB"),
        ("2027-08-31", "ØU"),
        ("2027-09-07", "KB"),
        ("2027-09-28", "KB"),
        ("2027-10-12", "KB"),
        ("2027-10-19", "KB"),  # after 15 October: never the adoption
    )
    cal = budget_calendar(meetings, 2028).set_index("budget_step")["date"]
    assert cal["second_reading"] == pd.Timestamp("2027-10-12")
    assert cal["first_reading"] == pd.Timestamp("2027-09-07")  # 28.09 is only 14 days before
    assert cal["ou_proposal"] == pd.Timestamp("2027-08-31")


def test_meetings_that_cannot_keep_the_rules_are_refused_with_the_reason() -> None:
    meetings = _meetings(("2027-09-28", "KB"), ("2027-10-12", "KB"), ("2027-09-21", "ØU"))
    with pytest.raises(BudgetCalendarError) as caught:
        budget_calendar(meetings, 2028)
    text = str(caught.value)
    assert "to KB-behandlinger med mindst tre ugers mellemrum senest 15.10.2027" in text
    assert "KB afgiver årsregnskab 2026 til revisionen' senest 30.04.2027" in text
    assert text.startswith("council_meetings.csv: ")


def test_no_meetings_at_all_is_refused() -> None:
    with pytest.raises(BudgetCalendarError, match="tilføj KB- og ØU-møder for 2030"):
        budget_calendar(_meetings(), 2031)
