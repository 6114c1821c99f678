"""build_plan: every bound declared in the schema, as the editor, the store and the files meet it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from planner import Plan, PlanError, Settings, build_plan, check, schedule
from planner.files import table_to_text
from planner.model import MAX_PROBLEMS_PER_TABLE
from planner.schema import HORIZON_YEARS, MAX_SCHEDULE_ROWS, TABLES, WEEK_SPAN, Column


def _raw(plan: Plan) -> dict[str, pd.DataFrame]:
    """The sample plan's tables as text, the way the editor hands them over."""
    return {name: table_to_text(frame) for name, frame in plan.tables().items()}


def _refusal(raw: dict[str, pd.DataFrame], **kwargs: object) -> str:
    with pytest.raises(PlanError) as info:
        build_plan(raw, **kwargs)  # type: ignore[arg-type]
    return str(info.value)


def _with(plan: Plan, table: str, column: str, value: str, row: int = 0) -> dict[str, pd.DataFrame]:
    raw = _raw(plan)
    raw[table].loc[row, column] = value
    return raw


# The examples, one test each.


def test_an_infinite_wave_number_is_refused_by_row_and_field(sample_plan: Plan) -> None:
    message = _refusal(_with(sample_plan, "waves", "wave", "inf"))
    assert message == "waves.csv, række 2, felt 'wave': 'inf' er ikke et helt tal; skriv et helt tal fra 0 til 99"


@pytest.mark.parametrize(("table", "column"), [("template", "offset_weeks"), ("dependencies", "lag_weeks")])
def test_an_offset_or_lag_of_1e308_is_refused_with_its_range(sample_plan: Plan, table: str, column: str) -> None:
    message = _refusal(_with(sample_plan, table, column, "1e308"))
    low = -WEEK_SPAN if column == "offset_weeks" else 0
    assert message == f"{table}.csv, række 2, felt '{column}': '1e308' er for stort; tilladt er {low} til {WEEK_SPAN}"


def test_a_follow_up_month_in_year_1_is_refused(sample_plan: Plan) -> None:
    message = _refusal(_with(sample_plan, "waves", "follow_up_month", "0001-01"))
    assert message == "waves.csv, række 2, felt 'follow_up_month': '0001-01' ligger uden for planens år 2000 til 2100"


@pytest.mark.parametrize("week", ["0001-W01", "0226-W10"])
def test_an_override_week_outside_the_horizon_is_refused(sample_plan: Plan, week: str) -> None:
    message = _refusal(_with(sample_plan, "overrides", "start_week", week))
    assert message == (
        f"overrides.csv, række 2, felt 'start_week': ugyldig uge: '{week}' ligger uden for planens år 2000 til 2100"
    )


def test_a_year_typo_in_a_wave_month_is_refused(sample_plan: Plan) -> None:
    message = _refusal(_with(sample_plan, "waves", "follow_up_month", "0226-05"))
    assert "'0226-05' ligger uden for planens år 2000 til 2100" in message


def test_a_negative_lag_is_refused(sample_plan: Plan) -> None:
    message = _refusal(_with(sample_plan, "dependencies", "lag_weeks", "-1"))
    assert message == "dependencies.csv, række 2, felt 'lag_weeks': '-1' er for lille; tilladt er 0 til 104"


@pytest.mark.parametrize("table", ["waves", "assignments"])
def test_a_huge_number_is_reported_as_typed_not_as_an_int64_wraparound(sample_plan: Plan, table: str) -> None:
    message = _refusal(_with(sample_plan, table, "wave", "99999999999999999999"))
    assert f"{table}.csv, række 2, felt 'wave': '99999999999999999999' er for stort; tilladt er 0 til 99" in message
    assert "9223372036854775" not in message


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -1, 1e308, 99999999999999999999])
def test_a_capacity_that_is_not_a_sane_number_is_refused(value: float) -> None:
    # The editor and the store build settings directly: NaN would turn the overload check off.
    with pytest.raises(PlanError) as info:
        Settings(consultant_capacity_hours=value)
    assert (
        str(info.value) == f"indstillinger, felt 'consultant_capacity_hours': '{value}' skal være et tal fra 0 til 1000"
    )


def test_duplicate_rows_are_reported_briefly_with_the_first_row_named(sample_plan: Plan) -> None:
    # 20,000 copies of one department (1.2 MB as a file): the report used to be quadratic (12 s).
    raw = _raw(sample_plan)
    raw["departments"] = pd.concat([raw["departments"].iloc[[0]]] * 20_000, ignore_index=True)
    with pytest.raises(PlanError) as info:
        build_plan(raw)
    problems = info.value.problems
    assert len(problems) == MAX_PROBLEMS_PER_TABLE + 1
    assert (
        str(problems[0]) == "departments.csv, række 3, felt 'department_id': 'born-familie' findes allerede (række 2)"
    )
    assert str(problems[-1]) == f"departments.csv: og {19_999 - MAX_PROBLEMS_PER_TABLE} problemer mere"


# The bounds, as declared in the schema.


@pytest.mark.parametrize(
    ("table", "column", "value", "expected"),
    [
        ("template", "length_weeks", "0", "'0' er for lille; tilladt er 1 til 104"),
        ("template", "length_weeks", "105", "'105' er for stort; tilladt er 1 til 104"),
        ("template", "offset_weeks", "-105", "'-105' er for lille; tilladt er -104 til 104"),
        ("template", "hours", "-0,5", "'-0,5' er for lille; tilladt er 0 til 100"),
        ("template", "hours", "100,5", "'100,5' er for stort; tilladt er 0 til 100"),
        ("template", "hours", "nan", "'nan' er ikke et tal; skriv et tal fra 0 til 100"),
        ("template", "window_from", "-1e308", "'-1e308' er for lille; tilladt er -104 til 104"),
        ("template", "length_weeks", "1,5", "'1,5' er ikke et helt tal; skriv et helt tal fra 1 til 104"),
        ("tasks", "start_week", "2101-W01", "ugyldig uge: '2101-W01' ligger uden for planens år 2000 til 2100"),
        ("tasks", "not_before", "0001-01-01", "'0001-01-01' ligger uden for planens år 2000 til 2100"),
        ("tasks", "not_after", "31.12.1999", "'31.12.1999' ligger uden for planens år 2000 til 2100"),
        ("milestones", "date", "2026-02-30", "'2026-02-30' er ikke en dato; skriv fx 2026-03-09 eller 09.03.2026"),
        ("school_holidays", "week", "9999-W52", "ugyldig uge: '9999-W52' ligger uden for planens år 2000 til 2100"),
        ("units", "name", "x" * 5001, "teksten er 5001 tegn; højst 5000"),
    ],
)
def test_a_value_outside_its_columns_bounds_is_refused_naming_the_range(
    sample_plan: Plan, table: str, column: str, value: str, expected: str
) -> None:
    assert _refusal(_with(sample_plan, table, column, value)).endswith(f"felt '{column}': {expected}")


def test_the_edges_of_every_bound_are_allowed(sample_plan: Plan) -> None:
    raw = _raw(sample_plan)
    raw["template"].loc[0, ["offset_weeks", "length_weeks", "hours"]] = ["-104", "104", "100"]
    raw["template"].loc[1, ["offset_weeks", "length_weeks", "hours"]] = ["104", "1", "0"]
    raw["dependencies"].loc[0, "lag_weeks"] = "104"
    raw["milestones"].loc[0, "date"] = "2000-01-01"
    raw["school_holidays"].loc[0, "week"] = "2100-W52"
    plan = build_plan(raw)
    assert plan.template["offset_weeks"].iloc[:2].tolist() == [-104, 104]
    findings = check(plan, schedule(plan))  # the far ends still schedule and check
    assert len(findings)


def test_every_numeric_column_declares_its_bounds_and_every_time_column_the_horizon() -> None:
    for spec in TABLES.values():
        for col in spec.columns:
            if col.type in ("int", "float"):
                assert col.bounds is not None, f"{spec.name}.{col.name}"
            if col.type in ("week", "date", "month"):
                assert col.limits == HORIZON_YEARS, f"{spec.name}.{col.name}"


def test_a_new_column_takes_bounds_in_one_line_and_old_constructors_still_work() -> None:
    assert Column("budget_year", "int", required=False, bounds=(2000, 2100)).limits == (2000, 2100)
    assert Column("note").limits is None
    assert Column("start", "week").limits == HORIZON_YEARS
    bounded = Column("x", "float")
    assert bounded.limits is not None and not math.isinf(bounded.limits[1])


def test_a_task_longer_than_two_years_is_refused(sample_plan: Plan) -> None:
    # 2026-W04 to 2028-W05: 50 weeks of 2026 (it has 53), 52 of 2027 and 5 of 2028.
    message = _refusal(_with(sample_plan, "tasks", "end_week", "2028-W05"))
    assert message == "tasks.csv, række 2, felt 'end_week': aktiviteten varer 107 uger; højst 104"


def test_a_window_that_ends_before_it_begins_is_refused(sample_plan: Plan) -> None:
    raw = _raw(sample_plan)
    row = int(raw["template"].index[raw["template"]["activity_id"] == "orientering"][0])
    raw["template"].loc[row, ["window_from", "window_to"]] = ["1", "0"]
    assert _refusal(raw) == f"template.csv, række {row + 2}, felt 'window_to': vinduet slutter (0) før det begynder (1)"


# Columns and rows as users leave them.


def test_an_unknown_column_is_named_with_the_expected_ones(sample_plan: Plan) -> None:
    raw = _raw(sample_plan)
    raw["school_holidays"] = raw["school_holidays"].rename(columns={"week": "uge"})
    message = _refusal(raw)
    assert "school_holidays.csv: kolonnen 'uge' kendes ikke; forventet: week, name, source" in message
    assert "school_holidays.csv, felt 'week': kolonnen mangler" in message


def test_columns_are_recognised_by_name_in_any_order_and_case(sample_plan: Plan) -> None:
    raw = _raw(sample_plan)
    raw["school_holidays"] = raw["school_holidays"][["source", "name", "week"]].rename(columns={"week": " Week"})
    plan = build_plan(raw)
    pd.testing.assert_frame_equal(plan.school_holidays, sample_plan.school_holidays)


def test_a_column_given_twice_is_refused(sample_plan: Plan) -> None:
    raw = _raw(sample_plan)
    frame = raw["departments"]
    raw["departments"] = pd.concat([frame, frame[["name"]]], axis=1)
    assert _refusal(raw) == "departments.csv: kolonnen 'name' står 2 gange"


def test_blank_rows_are_skipped_and_later_rows_keep_their_numbers(sample_plan: Plan) -> None:
    raw = _raw(sample_plan)
    units = raw["units"]
    blank = pd.DataFrame([dict.fromkeys(units.columns, "")])
    raw["units"] = pd.concat([units.iloc[:2], blank, units.iloc[2:]], ignore_index=True)
    assert len(build_plan(raw).units) == len(sample_plan.units)
    raw["units"].loc[3, "department_id"] = "skole"
    assert _refusal(raw) == "units.csv, række 5, felt 'department_id': ukendt afdeling 'skole'"


def test_a_table_over_its_row_limit_is_refused_without_a_row_by_row_report(sample_plan: Plan) -> None:
    raw = _raw(sample_plan)
    deps = raw["dependencies"]
    limit = TABLES["dependencies"].max_rows
    raw["dependencies"] = pd.concat([deps.iloc[[0]]] * (limit + 1), ignore_index=True)
    assert _refusal(raw) == f"dependencies.csv: tabellen har {limit + 1} rækker; grænsen er {limit}"


def test_a_plan_whose_schedule_would_be_too_large_is_refused(sample_plan: Plan) -> None:
    raw = _raw(sample_plan)
    units = 40_000
    ids = [f"e{i}" for i in range(units)]
    raw["units"] = pd.DataFrame({"unit_id": ids, "name": ids, "department_id": "born-familie", "source": "t"})
    raw["assignments"] = pd.DataFrame({"unit_id": ids, "wave": "1", "source": "t"})
    raw["template"] = pd.concat([raw["template"]] * 4, ignore_index=True)
    raw["template"]["activity_id"] = [f"a{i}" for i in range(len(raw["template"]))]
    raw["overrides"] = raw["overrides"].iloc[0:0]
    raw["dependencies"] = raw["dependencies"].iloc[0:0]
    activities = units * len(raw["template"]) + len(raw["tasks"])
    assert activities > MAX_SCHEDULE_ROWS
    assert f"planen giver {activities:,} aktiviteter".replace(",", ".") in _refusal(raw)


def test_a_long_dependency_chain_is_checked_without_recursion(sample_plan: Plan) -> None:
    raw = _raw(sample_plan)
    n = TABLES["dependencies"].max_rows
    ids = [f"t{i}" for i in range(n + 1)]
    tasks = pd.DataFrame(
        {
            "task_id": ids,
            "title": ids,
            "kind": "deadline",
            "start_week": "2026-W10",
            "end_week": "2026-W10",
            "source": "t",
        }
    )
    raw["tasks"] = tasks
    raw["dependencies"] = pd.DataFrame(
        {"dependency_id": ids[:-1], "predecessor": ids[:-1], "successor": ids[1:], "lag_weeks": "0", "source": "t"}
    )
    assert len(build_plan(raw).dependencies) == n
    raw["dependencies"].loc[n - 1, "successor"] = "t0"  # close the chain into a ring
    assert "afhængighederne danner en ring: t0 → t1 → t2" in _refusal(raw)


def test_the_editor_names_fields_by_heading_and_rows_from_1(sample_plan: Plan) -> None:
    raw = _with(sample_plan, "template", "hours", "200")
    names = {name: spec.label for name, spec in TABLES.items()}
    message = _refusal(raw, names=names, first_row=1, labels=True)
    assert message == "Ugeplan-skabelon, række 1, felt 'timer': '200' er for stort; tilladt er 0 til 100"


def test_typed_tables_from_the_app_validate_the_same_as_text(sample_plan: Plan) -> None:
    again = build_plan(sample_plan.tables(), settings=sample_plan.settings)
    for name, frame in sample_plan.tables().items():
        pd.testing.assert_frame_equal(again.tables()[name], frame, obj=name)


def test_trusted_tables_are_taken_as_they_are_but_still_checked_across_tables(sample_plan: Plan) -> None:
    text = {name: table_to_text(frame) for name, frame in sample_plan.tables().items()}
    trusted = {name: frame for name, frame in sample_plan.tables().items() if name != "units"}
    rebuilt = build_plan(text, settings=sample_plan.settings, trusted=trusted)
    assert rebuilt.assignments is sample_plan.assignments  # not parsed again
    # A unit the other side removed, still named by a trusted table: refused, naming the row.
    fewer = text | {"units": text["units"][text["units"]["unit_id"] != "ejendomme"]}
    with pytest.raises(PlanError, match="ejendomme"):
        build_plan(fewer, settings=sample_plan.settings, trusted=trusted)
