"""The budget rules year by year, on the real sample plan: each rule broken on its own, with its paragraph."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import EditCsv

from planner import Plan, check, has_errors, load_plan, schedule
from planner.budget_calendar import budget_calendar
from planner.budget_rules import STEPS, budget_findings


def _budget(plan: Plan) -> pd.DataFrame:
    return budget_findings(plan.milestones, plan.council_meetings)


def _set_date(step: str, day: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda f: f.assign(date=f["date"].where(f["budget_step"] != step, day))


def _drop(step: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda f: f[f["budget_step"] != step]


def test_the_sample_plan_keeps_every_budget_rule(sample_plan: Plan) -> None:
    assert _budget(sample_plan).empty
    # Both processes in the sample are judged: Budget 2027 and the accounts for 2025.
    assert set(sample_plan.milestones["budget_year"].dropna()) == {2025, 2027}


BROKEN = [
    # (change, code, what the message must say, the paragraph it must cite)
    (
        _drop("first_reading"),
        "budget_missing",
        "Budget 2027 er med i planen, men 1. behandling mangler",
        "§ 38, stk. 1",
    ),
    (_drop("second_reading"), "budget_missing", "men 2. behandling mangler", "§ 38, stk. 1"),
    (_drop("ou_proposal"), "budget_missing", "men ØU's budgetforslag mangler", "§ 37, stk. 1"),
    (_drop("accounts_approved"), "budget_missing", "Årsregnskab 2025 er med i planen", "§ 45, stk. 2"),
    (_set_date("second_reading", "2026-09-28"), "budget_order", "kun 20 dage mellem 1. behandling", "§ 38, stk. 1"),
    (_set_date("second_reading", "2026-10-16"), "budget_deadline", "efter fristen 15.10.2026", "§ 38, stk. 1"),
    (_set_date("second_reading", "2027-01-12"), "budget_deadline", "12.01.2027 ligger efter fristen 15.10", "§ 38"),
    # ØU's proposal a day late, the readings moved after it and still three weeks apart by 15 October.
    (
        lambda f: _set_date("second_reading", "2026-10-13")(
            _set_date("first_reading", "2026-09-22")(_set_date("ou_proposal", "2026-09-16")(f))
        ),
        "budget_deadline",
        "ØU's budgetforslag den 16.09.2026 ligger efter fristen 15.09.2026",
        "§ 37, stk. 1",
    ),
    (_set_date("accounts_to_audit", "2026-05-15"), "budget_deadline", "efter fristen 30.04.2026", "§ 8, stk. 1"),
    (_set_date("audit_report", "2026-06-15"), "budget_deadline", "efter fristen 14.06.2026", "§ 8, stk. 3"),
    (_set_date("accounts_approved", "2026-09-01"), "budget_deadline", "efter fristen 31.08.2026", "§ 8, stk. 4-5"),
    (_set_date("accounts_approved", "2026-06-09"), "budget_order", "ligger før revisionsberetning", "§ 45, stk. 2"),
    (_set_date("first_reading", "2025-09-09"), "budget_too_early", "ligger før 2026", "§ 38, stk. 1"),
]


@pytest.mark.parametrize(("change", "code", "says", "paragraph"), BROKEN, ids=[b[2] for b in BROKEN])
def test_each_budget_rule_broken_on_its_own_is_one_error_citing_its_paragraph(
    edit_csv: EditCsv,
    plan_dir: Path,
    change: Callable[[pd.DataFrame], pd.DataFrame],
    code: str,
    says: str,
    paragraph: str,
) -> None:
    edit_csv("milestones", change)
    plan = load_plan(plan_dir)
    found = _budget(plan)
    if code == "budget_too_early":  # a reading a year early is also before ØU's proposal
        found = found[found["code"] == code]
    assert len(found) == 1, found["message"].tolist()
    row = found.iloc[0]
    assert (row["severity"], row["code"]) == ("error", code)
    assert says in row["message"]
    assert paragraph in row["message"]
    # The whole check reports it too, as an error.
    findings = check(plan, schedule(plan))
    assert row["message"] in set(findings["message"])
    assert has_errors(findings)


@pytest.mark.parametrize(
    ("step", "day"),
    [
        ("second_reading", "2026-10-15"),  # adopted on the last lawful day
        ("second_reading", "2026-09-29"),  # exactly three weeks after 1. behandling on 08.09.2026
        ("accounts_to_audit", "2026-04-30"),
        ("audit_report", "2026-06-14"),
        ("ou_proposal", "2026-09-08"),  # the same day as 1. behandling
    ],
)
def test_the_last_lawful_day_passes(edit_csv: EditCsv, plan_dir: Path, step: str, day: str) -> None:
    edit_csv("milestones", _set_date(step, day))
    assert _budget(load_plan(plan_dir)).empty


def test_following_a_deadline_suggestion_clears_the_finding(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("milestones", _set_date("second_reading", "2026-10-20"))
    row = _budget(load_plan(plan_dir)).iloc[0]
    # It names a real KB meeting from council_meetings.csv that keeps the deadline.
    assert row["suggestion"] == "Læg '2. behandling' senest 15.10.2026, fx på KB-mødet 06.10.2026"
    meeting = re.search(r"KB-mødet (\d\d)\.(\d\d)\.(\d{4})", row["suggestion"])
    assert meeting
    edit_csv("milestones", _set_date("second_reading", f"{meeting[3]}-{meeting[2]}-{meeting[1]}"))
    assert _budget(load_plan(plan_dir)).empty


def test_a_missing_reading_is_suggested_on_a_meeting_that_fits_between_the_others(
    edit_csv: EditCsv, plan_dir: Path
) -> None:
    edit_csv("milestones", _drop("first_reading"))
    row = _budget(load_plan(plan_dir)).iloc[0]
    # After ØU's proposal (01.09.2026) and three weeks before 2. behandling (06.10.2026).
    assert row["suggestion"].endswith("fx på KB-mødet 08.09.2026")


def test_a_budget_2028_set_beside_budget_2027_is_judged_by_its_own_year(sample_plan: Plan) -> None:
    b28 = budget_calendar(sample_plan.council_meetings, 2028)
    both = pd.concat([sample_plan.milestones, b28], ignore_index=True)
    # The old check compared day and month only and flagged 2028's readings against 2026's.
    assert budget_findings(both, sample_plan.council_meetings).empty

    # Breaking 2028 is reported for 2028 only, with 2028's deadline.
    late = both.copy()
    late.loc[late["milestone_id"] == "b28-2-behandling", "date"] = pd.Timestamp("2027-10-19")
    found = budget_findings(late, sample_plan.council_meetings)
    assert found["message"].tolist() == [
        "Budget 2028: 2. behandling den 19.10.2027 ligger efter fristen 15.10.2027 "
        f"(jf. {STEPS['second_reading'].basis})"
    ]


def test_a_budget_2028_reading_without_the_rest_of_2028_is_missing_its_steps(sample_plan: Plan) -> None:
    extra = pd.DataFrame(
        [
            {
                "milestone_id": "b28-1",
                "date": pd.Timestamp("2027-09-07"),
                "title": "1. behandling af Budget 2028",
                "body": "KB",
                "kind": "political",
                "budget_step": "first_reading",
                "budget_year": 2028,
                "source": "test",
            }
        ]
    )
    plan = sample_plan.with_tables(milestones=pd.concat([sample_plan.milestones, extra], ignore_index=True))
    found = _budget(plan)
    assert set(found["code"]) == {"budget_missing"}
    assert {m.split(",")[1].strip() for m in found["message"]} == {
        "men ØU's budgetforslag mangler (jf. styrelseslovens § 37",
        "men 2. behandling mangler (jf. styrelseslovens § 38",
    }
    assert found["message"].str.startswith("Budget 2028 er med i planen").all()


def test_a_step_without_budget_year_is_judged_by_the_year_its_date_implies(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv(
        "milestones", lambda f: f.assign(budget_year=f["budget_year"].where(f["budget_step"] != "first_reading", ""))
    )
    found = _budget(load_plan(plan_dir))
    assert found[["severity", "code"]].values.tolist() == [["warning", "budget_year_inferred"]]
    assert "regnes til Budget 2027" in found.iloc[0]["message"]
    assert found.iloc[0]["suggestion"] == "Udfyld budgetår med 2027"


def test_two_second_readings_in_one_year_are_an_error(edit_csv: EditCsv, plan_dir: Path) -> None:
    def twice(f: pd.DataFrame) -> pd.DataFrame:
        extra = f[f["budget_step"] == "second_reading"].assign(milestone_id="b27-2-igen", date="2026-10-13")
        return pd.concat([f, extra])

    edit_csv("milestones", twice)
    found = _budget(load_plan(plan_dir))
    assert found["code"].tolist() == ["budget_duplicate"]
    assert "06.10.2026" in found.iloc[0]["message"] and "13.10.2026" in found.iloc[0]["message"]


def test_milestones_of_no_budget_year_are_not_judged(sample_plan: Plan) -> None:
    others = sample_plan.milestones[sample_plan.milestones["budget_year"].isna()]
    assert len(others) > 0
    assert budget_findings(others).empty
