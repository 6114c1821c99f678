import dataclasses

import pandas as pd

from planner import Plan, schedule
from planner.diff import diff_plans, diff_schedules
from planner.diff_tables import MAX_ROWS_PER_TABLE
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


def test_changes_outside_the_schedule_are_named_row_by_row(sample_plan: Plan) -> None:
    status = sample_plan.status.copy()
    key = str(status.at[1, "activity_key"])
    before_status = str(status.at[1, "status"])
    status.at[1, "status"] = "aflyst" if before_status != "aflyst" else "gennemført"
    overrides = sample_plan.overrides.copy()
    overrides.at[overrides.index[0], "pinned"] = "ja"
    new = sample_plan.with_tables(status=status, overrides=overrides, dependencies=sample_plan.dependencies.iloc[1:])
    new = dataclasses.replace(new, settings=dataclasses.replace(sample_plan.settings, move_weeks=4))

    changes = diff_plans(sample_plan, new)

    by_area = {area: rows for area, rows in changes.groupby("area")}
    assert set(by_area) == {"status", "afvigelser pr. enhed", "afhængigheder", "indstilling"}
    row = by_area["status"].iloc[0]
    sched = schedule(sample_plan).set_index("activity_key")
    assert row["what"] == f"Status: {sched.at[key, 'unit']}: {sched.at[key, 'activity']}"
    assert (row["before"], row["after"]) == (f"status: {before_status}", f"status: {status.at[1, 'status']}")
    assert by_area["afvigelser pr. enhed"].iloc[0]["after"] == "låst: ja"
    removed = sample_plan.dependencies.iloc[0]
    assert by_area["afhængigheder"].iloc[0]["change"] == "fjernet"
    assert f"først: {removed['predecessor']}" in by_area["afhængigheder"].iloc[0]["before"]
    setting = by_area["indstilling"].iloc[0]
    assert (setting["before"], setting["after"]) == (str(sample_plan.settings.move_weeks), "4")


def test_a_new_baseline_is_summed_up_after_the_first_rows(sample_plan: Plan) -> None:
    moved = move_unit(sample_plan, "ejendomme", 2)
    sched = schedule(moved)
    baseline = sched[["activity_key", "start_week", "end_week"]].assign(source="ny basisplan")

    changes = diff_plans(moved, moved.with_tables(baseline=baseline))

    rows = changes[changes["area"] == "basisplan"]
    # Every row changes: the new source alone differs on the rows both baselines have.
    total = len(set(baseline["activity_key"]) | set(sample_plan.baseline["activity_key"]))
    assert total > MAX_ROWS_PER_TABLE
    assert len(rows) == MAX_ROWS_PER_TABLE
    rest = total - (MAX_ROWS_PER_TABLE - 1)
    assert rows.iloc[-1]["what"] == f"Basisplan: {rest} rækker mere"


def test_a_source_edited_alone_is_a_change_but_a_moved_activitys_new_source_is_not(sample_plan: Plan) -> None:
    overrides = sample_plan.overrides.copy()
    overrides["source"] = overrides["source"].astype(object)
    overrides.at[overrides.index[0], "source"] = "rettet kilde"
    changes = diff_plans(sample_plan, sample_plan.with_tables(overrides=overrides))
    assert changes["area"].tolist() == ["afvigelser pr. enhed"]
    assert changes.iloc[0]["after"] == "kilde: rettet kilde"

    moved = move_unit(sample_plan, "ejendomme", 2)
    new = pd.DataFrame([{"unit_id": "ejendomme", "activity_id": "workshop", "start_week": "2026-W21", "source": "ny"}])
    changes = diff_plans(moved, moved.with_tables(overrides=pd.concat([moved.overrides, new], ignore_index=True)))
    assert changes["area"].tolist() == ["aktivitet"]
