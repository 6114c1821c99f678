import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from conftest import EditCsv

from planner import Plan, load_plan, schedule, wave_calendar

WAVE_1_UNITS = ["Børn & Familie", "Økonomi & Stab", "Dagtilbud & Skoler"]


def _unit_plan(sched: pd.DataFrame, unit: str) -> pd.DataFrame:
    return sched[sched["unit"] == unit].set_index("activity_id")


@pytest.mark.parametrize("unit", WAVE_1_UNITS)
def test_wave_1_reproduces_the_minutes_for_each_unit(sample_schedule: pd.DataFrame, unit: str) -> None:
    rows = _unit_plan(sample_schedule, unit)
    assert set(rows["wave"]) == {1}
    # Uge 5: invitation to the orientation meeting.
    assert rows.loc["indkald-orientering", ["start_week", "end_week"]].tolist() == ["2026-W05", "2026-W05"]
    # Uge 5-6: invitation to the workshop, sent by the finance consultant.
    assert rows.loc["indkald-workshop", ["start_week", "end_week"]].tolist() == ["2026-W05", "2026-W06"]
    assert rows.loc["indkald-workshop", "lead"] == "Økonomikonsulent"
    # Uge 9 or 10: orientation meeting, half an hour.
    orientation = rows.loc["orientering"]
    assert orientation["start_week"] in ("2026-W09", "2026-W10")
    assert (orientation["window_start_week"], orientation["window_end_week"]) == ("2026-W09", "2026-W10")
    assert orientation["hours"] == 0.5
    # Uge 11: workshop, 2 hours, Monday 9 March to Sunday 15 March.
    workshop = rows.loc["workshop"]
    assert (workshop["start_week"], workshop["hours"]) == ("2026-W11", 2)
    assert (workshop["start_date"].date(), workshop["end_date"].date()) == (dt.date(2026, 3, 9), dt.date(2026, 3, 15))
    # After the workshop, the follow-up in MFR in March.
    follow_up = rows.loc["opfolgning"]
    assert follow_up["start_date"] > workshop["end_date"]
    assert follow_up["start_date"].month == 3


def test_the_override_moves_one_units_orientation_to_week_10(sample_schedule: pd.DataFrame) -> None:
    assert _unit_plan(sample_schedule, "Dagtilbud & Skoler").loc["orientering", "start_week"] == "2026-W10"
    assert _unit_plan(sample_schedule, "Børn & Familie").loc["orientering", "start_week"] == "2026-W09"
    assert "afvigelse" in _unit_plan(sample_schedule, "Dagtilbud & Skoler").loc["orientering", "source"]


def test_wave_1_follows_up_on_data_as_of_28_february(sample_plan: Plan) -> None:
    waves = wave_calendar(sample_plan).set_index("wave")
    assert [d.date() for d in waves["cutoff"]] == [dt.date(2026, 2, 28), dt.date(2026, 4, 30), dt.date(2026, 9, 30)]
    assert waves["anchor_week"].tolist() == ["2026-W09", "2026-W18", "2026-W40"]


def test_waves_2_and_3_follow_the_pattern_of_their_own_month(sample_schedule: pd.DataFrame) -> None:
    for unit, invite, orient, workshop in [
        ("Kultur & Fritid", "2026-W14", "2026-W18", "2026-W20"),
        ("Ejendomme", "2026-W36", "2026-W40", "2026-W42"),
    ]:
        rows = _unit_plan(sample_schedule, unit)
        assert rows.loc["indkald-orientering", "start_week"] == invite
        assert rows.loc["orientering", "start_week"] == orient
        assert rows.loc["workshop", "start_week"] == workshop


def test_every_unit_of_every_wave_gets_every_template_activity(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    template_rows = sched[sched["activity_id"].isin(sample_plan.template["activity_id"])]
    assert len(template_rows) == len(sample_plan.assignments) * len(sample_plan.template)
    assert sched["activity_key"].is_unique


def test_units_split_across_waves_belong_to_one_department(sample_schedule: pd.DataFrame) -> None:
    ass = sample_schedule[sample_schedule["department"] == "Ældre, Sundhed & Social"]
    assert set(ass["wave"].dropna()) == {2, 3}
    assert ass["unit"].nunique() == 2


def _with_wave_month(plan_dir: Path, month: str) -> pd.DataFrame:
    waves = pd.read_csv(plan_dir / "waves.csv", dtype=str, keep_default_na=False)
    waves.loc[waves["wave"] == "3", "follow_up_month"] = month
    waves.to_csv(plan_dir / "waves.csv", index=False)
    return schedule(load_plan(plan_dir))


def test_a_wave_in_january_2027_runs_through_week_53(plan_dir: Path) -> None:
    rows = _unit_plan(_with_wave_month(plan_dir, "2027-01"), "Ejendomme")
    # 1 January 2027 is in 2026-W53, so that is the anchor week.
    assert rows.loc["orientering", "start_week"] == "2026-W53"
    assert rows.loc["orientering", "window_end_week"] == "2027-W01"
    assert rows.loc["indkald-orientering", "start_week"] == "2026-W49"
    assert rows.loc["workshop", ["start_week", "end_week"]].tolist() == ["2027-W02", "2027-W02"]
    assert rows.loc["workshop", "start_date"].date() == dt.date(2027, 1, 11)


def test_a_wave_in_january_2026_starts_in_2025(plan_dir: Path) -> None:
    rows = _unit_plan(_with_wave_month(plan_dir, "2026-01"), "Ejendomme")
    assert rows.loc["orientering", "start_week"] == "2026-W01"
    assert rows.loc["orientering", "start_date"].date() == dt.date(2025, 12, 29)
    assert rows.loc["indkald-orientering", "start_week"] == "2025-W49"
    assert rows.loc["indkald-workshop", "end_week"] == "2025-W50"


def test_every_row_of_a_wave_shows_its_data_cutoff(sample_plan: Plan, sample_schedule: pd.DataFrame) -> None:
    cutoffs = wave_calendar(sample_plan).set_index("wave")["cutoff"]
    waved = sample_schedule[sample_schedule["wave"].notna()]
    assert (waved["data_cutoff"].to_numpy() == waved["wave"].map(cutoffs).to_numpy()).all()
    by_wave = waved.groupby("wave")["data_cutoff"].unique()
    assert {w: [d.date() for d in days] for w, days in by_wave.items()} == {
        1: [dt.date(2026, 2, 28)],  # "økonomiopfølgning i marts på baggrund af data fra 28/2"
        2: [dt.date(2026, 4, 30)],
        3: [dt.date(2026, 9, 30)],
    }
    # One-off tasks outside any wave have no cut-off.
    assert sample_schedule.loc[sample_schedule["wave"].isna(), "data_cutoff"].isna().all()


def test_waves_2_and_3_say_they_follow_marchs_week_plan_moved_to_their_month(
    sample_plan: Plan, sample_schedule: pd.DataFrame
) -> None:
    template = sample_plan.template.set_index("activity_id")["source"]
    rows = sample_schedule[sample_schedule["activity_id"].isin(template.index)]
    for wave, month in [(2, "maj 2026"), (3, "oktober 2026")]:
        mine = rows[rows["wave"] == wave]
        assert len(mine) == 15
        expected = (
            f"Følger ugeplanen besluttet for marts 2026, flyttet til bølgens opfølgningsmåned {month} (marts: "
            + mine["activity_id"].map(template)
            + ")"
        )
        assert (mine["source"] == expected).all()
    # Wave 1 cites the minutes' own weeks; an override adds its own reason.
    wave_1 = rows[rows["wave"] == 1]
    plain = ~wave_1["source"].str.contains("afvigelse")
    assert (wave_1.loc[plain, "source"] == wave_1.loc[plain, "activity_id"].map(template)).all()
    assert not plain.all()
    # An invented value stays marked in every wave.
    follow_up = rows[rows["activity_id"] == "opfolgning"]
    assert follow_up["source"].str.contains("varighed 2 uger: eksempel").all()


def test_a_template_row_not_decided_for_a_month_keeps_its_source(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("template", lambda f: f.assign(decided_for=f["decided_for"].where(f["activity_id"] != "workshop", "")))
    sched = schedule(load_plan(plan_dir))
    workshops = sched[sched["activity_id"] == "workshop"]
    assert (workshops["source"] == "Chefforum 17-12-2025, pkt. 3 (uge 11, 2 timer)").all()


def test_a_new_plan_without_activities_has_an_empty_schedule_typed_like_any_other(
    plan_dir: Path, sample_schedule: pd.DataFrame
) -> None:
    # A new plan: the organisation and template are there, no unit is in a wave yet, no one-off task.
    for name in ("assignments", "tasks", "dependencies"):
        path = plan_dir / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    empty = schedule(load_plan(plan_dir))
    assert empty.empty
    assert empty.dtypes.to_dict() == sample_schedule.dtypes.to_dict()
    assert empty["start_date"].dt.strftime("%Y-%m-%d").tolist() == []
