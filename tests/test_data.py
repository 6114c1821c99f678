"""The sample plan in data/ against the minutes: every fact traceable, every invented value marked."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from planner import Plan
from planner.schema import TABLES

MINUTES = "Chefforum 17-12-2025"
SOURCED = [name for name, spec in TABLES.items() if "source" in spec.column_names]


def _traceable(source: str) -> bool:
    """A minutes reference, the law with its paragraph, typical practice, or marked as an example."""
    return (
        source.startswith(MINUTES)
        or (source.startswith("lov") and "§" in source)
        or source.startswith("typisk")
        or "eksempel" in source
    )


@pytest.mark.parametrize("table", SOURCED)
def test_every_sample_row_says_where_it_comes_from(sample_plan: Plan, table: str) -> None:
    frame: pd.DataFrame = getattr(sample_plan, table)
    assert len(frame) > 0
    bad = frame.loc[~frame["source"].map(_traceable)]
    assert bad.empty, bad.to_dict("records")


def test_the_rule_accepts_only_what_it_should() -> None:
    assert not _traceable("lov")  # the law, but which paragraph?
    assert not _traceable("Referatet")
    assert _traceable("lov: styrelseslovens § 38, stk. 1")


def test_hours_of_one_off_meetings_are_marked_as_examples(sample_plan: Plan) -> None:
    # The minutes give hours only in the week plan (½ time, 2 timer); one-off meetings' hours are invented.
    timed = sample_plan.tasks[sample_plan.tasks["hours"].notna()]
    assert set(timed["task_id"]) >= {"praesentation-chefforum", "status-chefforum-1"}
    assert timed["source"].str.contains(r"time.*eksempel").all(), timed["source"].tolist()


@pytest.mark.parametrize("task_id", ["kontoplan-ass-vagtplaner", "beskrivelse-udfordringer", "compliance-workshops"])
def test_invented_leads_and_participants_are_marked(sample_plan: Plan, task_id: str) -> None:
    source = sample_plan.tasks.set_index("task_id").at[task_id, "source"]
    assert re.search(r"deltagere og ansvarlig: eksempel", source), source


def test_chefforum_gets_a_status_after_every_wave(sample_plan: Plan, sample_schedule: pd.DataFrame) -> None:
    status = sample_schedule[sample_schedule["activity"].str.contains("status", case=False)]
    for wave in sample_plan.waves["wave"]:
        mine = status[status["wave"] == wave]
        workshops = sample_schedule[(sample_schedule["wave"] == wave) & (sample_schedule["kind"] == "workshop")]
        assert len(mine) == 1, wave
        assert mine["start_date"].iloc[0] > workshops["end_date"].max()


def test_the_minutes_decisions_are_in_the_plan(sample_plan: Plan) -> None:
    tasks = " | ".join(sample_plan.tasks["title"])
    milestones = " | ".join(sample_plan.milestones["title"])
    assert "tillægsydelser" in tasks  # whether add-on services can help (pkt. 3)
    assert "compliance-workshops for enheder der allerede bruger MFR" in tasks
    assert "Vision og politikker 2027-2030" in tasks  # "i løbet af 2026" (pkt. 5)
    assert "fremtidsscenariet for politikkerne 2027-2030" in milestones
    assert "Præsentation af MFR for Chefforum" in tasks


def test_template_rows_citing_weeks_say_which_month_they_were_decided_for(sample_plan: Plan) -> None:
    cites_weeks = sample_plan.template["source"].str.contains(r"uge \d")
    assert cites_weeks.any()
    march = sample_plan.waves.set_index("wave").at[1, "follow_up_month"]
    assert (sample_plan.template.loc[cites_weeks, "decided_for"] == march).all()


def test_council_meetings_from_the_minutes_are_the_december_meetings(sample_plan: Plan) -> None:
    meetings = sample_plan.council_meetings
    decided = meetings[meetings["source"].str.startswith(MINUTES) & ~meetings["source"].str.contains("eksempel")]
    assert set(zip(decided["date"].dt.strftime("%Y-%m-%d"), decided["body"], strict=True)) == {
        ("2025-12-02", "ØU"),
        ("2025-12-09", "KB"),
    }
