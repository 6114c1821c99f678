import pandas as pd

from planner import Plan, schedule
from planner.diff import diff_plans, diff_schedules
from planner.edits import move_unit


def test_an_unchanged_schedule_has_no_differences(sample_schedule: pd.DataFrame) -> None:
    assert diff_schedules(sample_schedule, sample_schedule).empty


def test_moved_added_and_removed_activities_are_named(sample_plan: Plan) -> None:
    old = schedule(sample_plan)
    new_plan = move_unit(sample_plan, "ejendomme", 2).with_tables(
        tasks=sample_plan.tasks[sample_plan.tasks["task_id"] != "beskrivelse-udfordringer"]
    )
    changes = diff_schedules(old, schedule(new_plan))
    workshop = changes[(changes["unit"] == "Ejendomme") & (changes["activity"].str.startswith("Workshop"))].iloc[0]
    assert (workshop["change"], workshop["from_week"], workshop["to_week"]) == ("flyttet", "2026-W42", "2026-W20")
    removed = changes[changes["change"] == "fjernet"]
    gone = sample_plan.tasks.set_index("task_id").at["beskrivelse-udfordringer", "title"]
    assert removed["activity"].tolist() == [gone]


def test_a_new_council_meeting_and_a_changed_budget_year_are_changes(sample_plan: Plan) -> None:
    meetings = pd.concat(
        [
            sample_plan.council_meetings.iloc[1:],
            pd.DataFrame([{"date": pd.Timestamp("2027-10-12"), "body": "KB", "source": "test"}]),
        ]
    )
    ms = sample_plan.milestones.copy()
    ms.loc[ms["milestone_id"] == "b27-hoering", "budget_year"] = 2028
    changes = diff_plans(sample_plan, sample_plan.with_tables(council_meetings=meetings, milestones=ms))
    rows = {(r["area"], r["what"]): r["change"] for r in changes.to_dict("records")}
    assert rows == {
        ("politisk møde", "KB-møde 12.10.2027"): "tilføjet",
        ("politisk møde", "ØU-møde 02.12.2025"): "fjernet",
        ("milepæl", "Høringsfrist for MED-udvalg og brugerbestyrelser"): "ændret",
    }
