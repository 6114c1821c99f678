"""The three-way merge on the real sample plan: generic over every table, rows by key, conflicts per row."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from planner import Plan, PlanError
from planner.edits import move_unit
from planner.merge import describe, merge_plans, merge_tables, text_tables
from planner.schema import TABLES


def _with_source(plan: Plan, table: str, position: int, text: str) -> Plan:
    frame = getattr(plan, table).copy()
    frame.loc[frame.index[position], "source"] = text
    return plan.with_tables(**{table: frame})


@pytest.mark.parametrize("table", [name for name in TABLES if name != "overrides"])
def test_each_table_merges_changes_to_different_rows(sample_plan: Plan, table: str) -> None:
    mine = _with_source(sample_plan, table, 0, "min rettelse")
    theirs = _with_source(sample_plan, table, 1, "deres rettelse")
    merged, result = merge_plans(sample_plan, mine, theirs)
    assert merged is not None and not result.conflicts
    sources = getattr(merged, table)["source"].tolist()
    assert sources[0] == "min rettelse" and sources[1] == "deres rettelse"
    assert len(sources) == len(getattr(sample_plan, table))


@pytest.mark.parametrize("table", list(TABLES))
def test_each_table_reports_a_row_both_sides_changed(sample_plan: Plan, table: str) -> None:
    mine = _with_source(sample_plan, table, 0, "min rettelse")
    theirs = _with_source(sample_plan, table, 0, "deres rettelse")
    merged, result = merge_plans(sample_plan, mine, theirs)
    assert merged is None
    [conflict] = result.conflicts
    assert conflict.table == table
    assert conflict.mine is not None and conflict.mine["source"] == "min rettelse"
    assert conflict.theirs is not None and conflict.theirs["source"] == "deres rettelse"
    assert conflict.changed_columns() == ["source"]


def test_the_same_change_on_both_sides_is_no_conflict(sample_plan: Plan) -> None:
    both = move_unit(sample_plan, "kultur-fritid", 3)
    merged, result = merge_plans(sample_plan, both, move_unit(sample_plan, "kultur-fritid", 3))
    assert merged is not None and not result.conflicts


def test_units_moved_by_two_editors_both_move_and_keep_their_places(sample_plan: Plan) -> None:
    mine = move_unit(sample_plan, "kultur-fritid", 3)
    theirs = move_unit(sample_plan, "ejendomme", 2)
    merged, _ = merge_plans(sample_plan, mine, theirs)
    assert merged is not None
    assert merged.assignments["unit_id"].tolist() == sample_plan.assignments["unit_id"].tolist()
    waves = merged.assignments.set_index("unit_id")["wave"]
    assert (waves["kultur-fritid"], waves["ejendomme"]) == (3, 2)


def test_one_unit_moved_to_two_waves_is_one_conflict_on_that_unit(sample_plan: Plan) -> None:
    mine = move_unit(sample_plan, "kultur-fritid", 3)
    theirs = move_unit(sample_plan, "kultur-fritid", 1)
    merged, result = merge_plans(sample_plan, mine, theirs)
    assert merged is None
    [conflict] = result.conflicts
    assert describe(conflict, text_tables(theirs)) == "Enheder i bølger: Kultur & Fritid"
    assert (conflict.mine or {})["wave"] == "3" and (conflict.theirs or {})["wave"] == "1"

    for choice, wave in (("mine", 3), ("theirs", 1)):
        merged, result = merge_plans(sample_plan, mine, theirs, resolutions={conflict.ident: choice})
        assert merged is not None and not result.conflicts
        assert merged.assignments.set_index("unit_id").loc["kultur-fritid", "wave"] == wave
        assert (merged.assignments["unit_id"] == "kultur-fritid").sum() == 1


def test_a_row_removed_on_one_side_and_changed_on_the_other_is_a_conflict(sample_plan: Plan) -> None:
    tasks = sample_plan.tasks
    mine = sample_plan.with_tables(
        tasks=tasks[tasks["task_id"] != "beskrivelse-udfordringer"],
    )
    theirs = _with_source(sample_plan, "tasks", int((tasks["task_id"] == "beskrivelse-udfordringer").argmax()), "x")
    merged, result = merge_plans(sample_plan, mine, theirs)
    assert merged is None
    [conflict] = result.conflicts
    assert conflict.mine is None and conflict.theirs is not None
    assert describe(conflict, text_tables(theirs)).startswith("Enkeltaktiviteter: Beskrivelse af timelønnede")


def test_a_merge_that_breaks_a_reference_is_refused_naming_it(sample_plan: Plan) -> None:
    # They remove a task; I add a dependency on it: each plan is valid, together they are not.
    deps = sample_plan.dependencies
    extra = pd.DataFrame(
        [
            {
                "dependency_id": "ny",
                "predecessor": "beskrivelse-udfordringer",
                "successor": "status-chefforum-1",
                "lag_weeks": 0,
                "source": "test",
            }
        ]
    )
    mine = sample_plan.with_tables(dependencies=pd.concat([deps, extra], ignore_index=True))
    tasks = sample_plan.tasks
    theirs = sample_plan.with_tables(tasks=tasks[tasks["task_id"] != "beskrivelse-udfordringer"])
    with pytest.raises(PlanError, match="ukendt aktivitet 'beskrivelse-udfordringer'"):
        merge_plans(sample_plan, mine, theirs)


def test_a_table_or_column_missing_from_an_older_revision_merges_as_empty(sample_plan: Plan) -> None:
    base = text_tables(sample_plan)
    old = {name: frame for name, frame in base.items() if name != "school_holidays"}
    old["tasks"] = base["tasks"].drop(columns=["lead"])
    mine = text_tables(sample_plan)
    result = merge_tables(old, mine, old)
    assert not result.conflicts
    assert result.tables["tasks"]["lead"].tolist() == mine["tasks"]["lead"].tolist()
    assert len(result.tables["school_holidays"]) == len(mine["school_holidays"])


def test_settings_merge_like_a_row(sample_plan: Plan) -> None:
    mine = sample_plan.with_settings(replace(sample_plan.settings, title="Min titel"))
    theirs = sample_plan.with_settings(replace(sample_plan.settings, consultant_capacity_hours=12.0))
    merged, _ = merge_plans(sample_plan, mine, theirs)
    assert merged is not None
    assert (merged.settings.title, merged.settings.consultant_capacity_hours) == ("Min titel", 12.0)
    _, result = merge_plans(sample_plan, mine, sample_plan.with_settings(replace(sample_plan.settings, title="Deres")))
    assert [c.key for c in result.conflicts] == [("title",)]
