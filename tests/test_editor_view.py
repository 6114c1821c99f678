"""The Danish editor's view of the real sample plan: names and Danish words shown, codes kept."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from planner import Plan, build_plan
from planner.editor_view import (
    EMPTY,
    conflict_table,
    danish_week,
    display_table,
    editor_columns,
    raw_from_display,
)
from planner.edits import move_unit
from planner.merge import merge_plans
from planner.schema import TABLES


def test_every_table_shown_in_the_editor_reads_back_as_the_same_plan(sample_plan: Plan) -> None:
    raw = {name: raw_from_display(sample_plan, name, display_table(sample_plan, name)) for name in TABLES}
    again = build_plan(raw, settings=sample_plan.settings)
    for name, frame in sample_plan.tables().items():
        pd.testing.assert_frame_equal(again.tables()[name], frame, obj=name)


def test_weeks_dates_and_numbers_are_shown_the_danish_way(sample_plan: Plan) -> None:
    tasks = display_table(sample_plan, "tasks").set_index("task_id")
    status = tasks.loc["status-chefforum-1"]
    assert (status["start_week"], status["hours"], status["not_before"]) == (
        "uge 16 2026",
        "0,5",
        dt.date(2026, 4, 1),
    )
    assert tasks.loc["praesentation-chefforum", "unit_id"] == EMPTY  # shown as an empty cell
    assert danish_week("2026-W53") == "uge 53 2026" and danish_week("") == ""


@pytest.mark.parametrize(
    ("table", "column", "code", "label"),
    [
        ("assignments", "unit_id", "ass-uden-vagtplaner", "Ældre, Sundhed & Social (ekskl. enheder med vagtplaner)"),
        ("template", "kind", "preparation", "forberedelse"),
        ("milestones", "kind", "legal", "lovkrav"),
        ("milestones", "budget_step", "first_reading", "1. behandling"),
        ("overrides", "activity_id", "workshop", "Workshop for ledere og administrative"),
        ("dependencies", "predecessor", "kontoplan-ass-vagtplaner", "Kontoplan tilpasses"),
        ("tasks", "unit_id", EMPTY, ""),
    ],
)
def test_drop_downs_store_codes_and_show_names(
    sample_plan: Plan, table: str, column: str, code: str, label: str
) -> None:
    col = next(c for c in editor_columns(sample_plan, table) if c.name == column)
    assert col.kind == "select"
    assert dict(col.options)[code] == label


def test_a_conflict_is_told_by_name_with_both_values(sample_plan: Plan) -> None:
    mine, theirs = move_unit(sample_plan, "kultur-fritid", 3), move_unit(sample_plan, "kultur-fritid", 1)
    _, result = merge_plans(sample_plan, mine, theirs)
    table = conflict_table(result.conflicts, theirs, ["Tine Holm, revision 2"])
    assert table.to_dict("records") == [
        {
            "Række": "Enheder i bølger: Kultur & Fritid",
            "Felt": "bølge",  # only what differs: both wrote the same source
            "Din værdi": "Bølge 3 (oktober 2026)",
            "Deres værdi": "Bølge 1 (marts 2026)",
            "Ændret af": "Tine Holm, revision 2",
        }
    ]
