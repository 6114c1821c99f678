from pathlib import Path

import pandas as pd
import pytest
from conftest import EditCsv

from planner import PlanError, load_plan, save_plan, schedule
from planner.files import MAX_FILE_BYTES


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


# Files as users and spreadsheets leave them (issue 10).


def test_a_plan_file_over_the_size_limit_is_refused_before_it_is_read(plan_dir: Path) -> None:
    path = plan_dir / "tasks.csv"
    header = path.read_text(encoding="utf-8").split("\n", 1)[0]
    line = "t{0},Opgave {0},meeting,,,2026-W10,2026-W11,1,Økonomikonsulent,Økonomi & Stab,,,eksempel\n"
    with path.open("w", encoding="utf-8") as out:
        out.write(header + "\n")
        while out.tell() < 40 * 1024 * 1024:
            out.writelines(line.format(i) for i in range(10_000))
    size = path.stat().st_size / 1024 / 1024
    megabytes = f"{size:.1f}".replace(".", ",")
    assert str(_error(plan_dir)) == f"{path}: filen er {megabytes} MB; grænsen er 10,0 MB"
    assert MAX_FILE_BYTES == 10 * 1024 * 1024


def test_a_row_with_too_many_fields_names_its_line(plan_dir: Path) -> None:
    path = plan_dir / "units.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] += ",ekstra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert str(_error(plan_dir)) == (
        f"{path}: linje 4 har 5 felter, men overskriften har 4; tjek skilletegn og anførselstegn, "
        "og gem filen som 'CSV UTF-8'"
    )


def test_a_first_row_one_field_too_long_is_refused_not_read_as_an_index(plan_dir: Path) -> None:
    path = plan_dir / "departments.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], *(line + ",x" for line in lines[1:])]) + "\n", encoding="utf-8")
    assert str(_error(plan_dir)).startswith(f"{path}: linje 2 har 4 felter, men overskriften har 3;")


def test_a_quote_that_is_never_closed_names_the_line_it_opens(plan_dir: Path) -> None:
    path = plan_dir / "waves.csv"
    path.write_text(path.read_text(encoding="utf-8") + '4,"Bølge 4,2027-03,eksempel\n', encoding="utf-8")
    assert str(_error(plan_dir)) == f"{path}: anførselstegnet i linje 5 lukkes aldrig; gem filen som 'CSV UTF-8'"


def test_an_empty_file_says_which_header_it_needs(plan_dir: Path) -> None:
    path = plan_dir / "school_holidays.csv"
    path.write_bytes(b"")
    assert str(_error(plan_dir)) == (
        f"{path}: filen er tom; første linje skal være kolonnernes navne: week, name, source"
    )


def test_a_header_only_file_is_an_empty_table(plan_dir: Path) -> None:
    path = plan_dir / "school_holidays.csv"
    path.write_text("week,name,source\n", encoding="utf-8")
    plan = load_plan(plan_dir)
    assert plan.school_holidays.empty
    assert list(plan.school_holidays.columns) == ["week", "name", "source"]


@pytest.mark.parametrize(
    ("sep", "newline", "encoding"), [(";", "\r\n", "utf-8-sig"), ("\t", "\n", "utf-8"), (",", "\r\n", "utf-8")]
)
def test_separators_line_ends_and_bom_do_not_change_the_plan(
    sample_plan,
    plan_dir: Path,
    sep: str,
    newline: str,
    encoding: str,  # type: ignore[no-untyped-def]
) -> None:
    for name in ("units", "template", "tasks"):
        path = plan_dir / f"{name}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame.to_csv(path, sep=sep, index=False, encoding=encoding, lineterminator=newline)
    plan = load_plan(plan_dir)
    for name in ("units", "template", "tasks"):
        pd.testing.assert_frame_equal(plan.tables()[name], sample_plan.tables()[name], obj=name)


def test_columns_in_another_order_and_case_load_the_same(sample_plan, plan_dir: Path) -> None:  # type: ignore[no-untyped-def]
    path = plan_dir / "school_holidays.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[["source", "week", "name"]].rename(columns={"week": "Week"}).to_csv(path, index=False)
    pd.testing.assert_frame_equal(load_plan(plan_dir).school_holidays, sample_plan.school_holidays)


def test_an_unknown_column_is_named_with_the_ones_expected(plan_dir: Path) -> None:
    path = plan_dir / "school_holidays.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("week,name,source", "uge,name,source", 1), encoding="utf-8")
    problems = [str(p) for p in _error(plan_dir).problems]
    assert problems == [
        f"{path}: kolonnen 'uge' kendes ikke; forventet: week, name, source",
        f"{path}, felt 'week': kolonnen mangler",
    ]


def test_swapped_columns_name_the_field_and_the_value_that_is_wrong(plan_dir: Path) -> None:
    path = plan_dir / "school_holidays.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[["name", "week", "source"]].set_axis(["week", "name", "source"], axis=1).to_csv(path, index=False)
    first = str(_error(plan_dir).problems[0])
    assert first == (
        f"{path}, række 2, felt 'week': ugyldig uge: 'juleferie' er ikke en uge; "
        "skriv fx '2026-W11' eller 'uge 11 2026'"
    )


def test_a_blank_line_is_skipped_and_later_rows_keep_their_line_numbers(plan_dir: Path) -> None:
    path = plan_dir / "units.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "")
    lines[4] = lines[4].replace(",dagtilbud-skoler,", ",skole,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert str(_error(plan_dir)) == f"{path}, række 5, felt 'department_id': ukendt afdeling 'skole'"


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1001", "99999999999999999999", '"otte"', "true"])
def test_a_capacity_in_plan_toml_that_is_not_a_sane_number_is_refused_as_typed(plan_dir: Path, value: str) -> None:
    (plan_dir / "plan.toml").write_text(f"consultant_capacity_hours = {value}\n", encoding="utf-8")
    typed = {'"otte"': "otte", "true": "True"}.get(value, value)
    assert str(_error(plan_dir)) == (
        f"{plan_dir / 'plan.toml'}, felt 'consultant_capacity_hours': '{typed}' skal være et tal fra 0 til 1000"
    )


def test_a_typo_in_plan_toml_is_named(plan_dir: Path) -> None:
    (plan_dir / "plan.toml").write_text("consultant_capacity = 8\n", encoding="utf-8")
    assert str(_error(plan_dir)) == (
        f"{plan_dir / 'plan.toml'}: ukendt indstilling 'consultant_capacity'; "
        "kendte: title, consultant_capacity_hours, move_weeks"
    )


def test_plan_toml_that_is_not_toml_names_line_and_column_in_danish(plan_dir: Path) -> None:
    (plan_dir / "plan.toml").write_text('title = "MFR"\nconsultant_capacity_hours = = 8\n', encoding="utf-8")
    assert str(_error(plan_dir)) == (
        f"{plan_dir / 'plan.toml'}: linje 2, tegn 29 kan ikke læses som TOML; skriv fx: consultant_capacity_hours = 8"
    )


def test_a_capacity_written_as_text_still_loads(plan_dir: Path) -> None:
    (plan_dir / "plan.toml").write_text('consultant_capacity_hours = "7,5"\n', encoding="utf-8")
    assert load_plan(plan_dir).settings.consultant_capacity_hours == 7.5
