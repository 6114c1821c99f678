from pathlib import Path

import pandas as pd
import pytest
from conftest import EditCsv

from planner import PlanError, load_plan, save_plan, schedule


def _error(plan_dir: Path) -> PlanError:
    with pytest.raises(PlanError) as info:
        load_plan(plan_dir)
    return info.value


def _set(frame: pd.DataFrame, row: int, column: str, value: str) -> pd.DataFrame:
    frame.loc[row, column] = value
    return frame


def test_the_sample_plan_loads_with_its_nine_units_in_three_waves(sample_plan) -> None:  # type: ignore[no-untyped-def]
    assert len(sample_plan.units) == 9
    assert sorted(sample_plan.waves["wave"]) == [1, 2, 3]
    assert (sample_plan.units["source"] != "").all()


def test_every_row_of_the_sample_data_names_its_source(sample_plan) -> None:  # type: ignore[no-untyped-def]
    for name, frame in sample_plan.tables().items():
        assert (frame["source"].str.len() > 0).all(), name


def test_a_missing_column_names_the_file_and_the_column(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("units", lambda f: f.drop(columns="department_id"))
    err = _error(plan_dir)
    assert str(err) == f"{plan_dir / 'units.csv'}, felt 'department_id': kolonnen mangler"


def test_an_optional_column_left_out_of_a_file_loads_as_empty(edit_csv: EditCsv, plan_dir: Path) -> None:
    # Plans written before a column existed (files, older stored revisions) must still load.
    edit_csv("template", lambda f: f.drop(columns=["lead", "participants"]))
    plan = load_plan(plan_dir)
    assert (plan.template["lead"] == "").all()
    assert (plan.template["participants"] == "").all()
    assert len(schedule(plan)) == len(schedule(load_plan()))


def test_an_unknown_unit_names_file_row_and_field(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("assignments", lambda f: _set(f, 3, "unit_id", "aeldre"))
    assert str(_error(plan_dir)) == f"{plan_dir / 'assignments.csv'}, række 5, felt 'unit_id': ukendt enhed 'aeldre'"


def test_an_unknown_department_is_refused(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("units", lambda f: _set(f, 0, "department_id", "skole"))
    assert "units.csv, række 2, felt 'department_id': ukendt afdeling 'skole'" in str(_error(plan_dir))


@pytest.mark.parametrize(
    ("week", "reason"), [("2027-W53", "2027 har kun uge 1 til 52"), ("2026-W54", "2026 har kun uge 1 til 53")]
)
def test_a_week_that_does_not_exist_is_refused(edit_csv: EditCsv, plan_dir: Path, week: str, reason: str) -> None:
    edit_csv("overrides", lambda f: _set(f, 0, "start_week", week))
    message = str(_error(plan_dir))
    assert "overrides.csv, række 2, felt 'start_week': ugyldig uge" in message
    assert reason in message


def test_an_end_before_its_start_is_refused(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("tasks", lambda f: _set(f, 1, "end_week", "2026-W20"))
    assert "tasks.csv, række 3, felt 'end_week': slutugen 2026-W20 ligger før startugen 2026-W30" in str(
        _error(plan_dir)
    )


def test_a_duplicate_id_names_both_rows(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("units", lambda f: _set(f, 4, "unit_id", "born-familie"))
    assert "units.csv, række 6, felt 'unit_id': 'born-familie' findes allerede (række 2)" in str(_error(plan_dir))


def test_a_dependency_cycle_is_refused(edit_csv: EditCsv, plan_dir: Path) -> None:
    cycle = pd.DataFrame(
        [
            {
                "dependency_id": "ring",
                "predecessor": "opfolgning",
                "successor": "orientering",
                "lag_weeks": "0",
                "source": "t",
            }
        ]
    )
    edit_csv("dependencies", lambda f: pd.concat([f, cycle]))
    message = str(_error(plan_dir))
    assert "dependencies.csv" in message
    assert "afhængighederne danner en ring: orientering → workshop → opfolgning → orientering" in message


def test_a_file_that_is_not_utf8_is_refused_with_its_line(plan_dir: Path) -> None:
    path = plan_dir / "units.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    message = str(_error(plan_dir))
    assert message.startswith(f"{path}, række 2:")
    assert "UTF-8" in message


def test_text_in_a_number_field_is_refused(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("template", lambda f: _set(f, 2, "hours", "en halv"))
    assert "template.csv, række 4, felt 'hours': 'en halv' er ikke et tal" in str(_error(plan_dir))


def test_every_problem_is_reported_at_once(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("overrides", lambda f: _set(f, 0, "start_week", "2027-W53"))
    edit_csv("waves", lambda f: _set(f, 0, "follow_up_month", "marts"))
    assert len(_error(plan_dir).problems) == 2


def test_a_missing_file_is_named(plan_dir: Path) -> None:
    (plan_dir / "milestones.csv").unlink()
    assert str(_error(plan_dir)) == f"{plan_dir / 'milestones.csv'}: filen mangler"


def test_a_danish_excel_csv_with_semicolons_and_bom_loads(plan_dir: Path) -> None:
    path = plan_dir / "departments.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    plan = load_plan(plan_dir)
    assert "Ældre, Sundhed & Social" in set(plan.departments["name"])


def test_danish_dates_and_weeks_are_accepted(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("milestones", lambda f: _set(f, 0, "date", "02.12.2025"))
    edit_csv("overrides", lambda f: _set(f, 0, "start_week", "uge 10 2026"))
    plan = load_plan(plan_dir)
    assert plan.milestones["date"].iloc[0] == pd.Timestamp("2025-12-02")
    assert plan.overrides["start_week"].iloc[0] == "2026-W10"


def test_save_and_load_round_trips_the_plan(sample_plan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    save_plan(sample_plan, tmp_path / "copy")
    again = load_plan(tmp_path / "copy")
    for name, frame in sample_plan.tables().items():
        pd.testing.assert_frame_equal(again.tables()[name], frame, check_dtype=True, obj=name)
    assert again.settings == sample_plan.settings
    pd.testing.assert_frame_equal(schedule(again), schedule(sample_plan))
