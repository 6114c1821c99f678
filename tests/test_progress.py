"""Status, baseline, slip and overdue on the real sample plan, and the checks they add."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import EditCsv

from planner import Plan, PlanError, check, load_plan, schedule
from planner.progress import progress, progress_findings
from planner.status_edits import set_status

MARCH_11 = dt.date(2026, 3, 11)  # uge 11: wave 1's workshops


def _row(table: pd.DataFrame, key: str) -> dict[str, object]:
    return dict(table.set_index("activity_key").loc[key])


def test_the_sample_baseline_is_the_decided_plan_so_nothing_has_slipped(sample_plan: Plan) -> None:
    table = progress(sample_plan, schedule(sample_plan), MARCH_11)
    assert len(sample_plan.baseline) == len(table) == len(schedule(sample_plan))
    assert set(table["change"]) == {""}
    assert (table["slip_weeks"] == 0).all() and (table["start_slip_weeks"] == 0).all()
    assert set(sample_plan.status["source"]) == {"eksempel"}


def test_an_override_slips_a_workshop_and_a_status_row_marks_it_done(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv(
        "overrides",
        lambda f: pd.concat(
            [f, pd.DataFrame([{"unit_id": "born-familie", "activity_id": "workshop", "start_week": "2026-W13"}])]
        ).fillna("eksempel"),
    )
    edit_csv(
        "status",
        lambda f: pd.concat(
            [f, pd.DataFrame([{"activity_key": "b1/okonomi-stab/workshop", "status": "gennemført", "source": "test"}])]
        ).fillna(""),
    )
    plan = load_plan(plan_dir)
    table = progress(plan, schedule(plan), dt.date(2026, 3, 25))  # uge 13

    moved = _row(table, "b1/born-familie/workshop")
    assert (moved["start_week"], moved["baseline_start_week"]) == ("2026-W13", "2026-W11")
    assert (moved["start_slip_weeks"], moved["slip_weeks"], moved["overdue"]) == (2, 2, False)

    done = _row(table, "b1/okonomi-stab/workshop")
    assert (done["status"], done["slip_weeks"], done["overdue"]) == ("gennemført", 0, False)

    # Dagtilbud & Skoler's workshop in uge 11 has no status: two weeks later it is overdue.
    late = _row(table, "b1/dagtilbud-skoler/workshop")
    assert (late["status"], late["overdue"]) == ("planlagt", True)
    # The example status rows: a done orientation is not overdue, an invitation still "i gang" is.
    assert not _row(table, "b1/born-familie/orientering")["overdue"]
    assert _row(table, "b1/dagtilbud-skoler/indkald-workshop")["overdue"]


def test_an_activity_ending_in_the_as_of_week_is_not_yet_overdue(sample_plan: Plan) -> None:
    table = progress(sample_plan, schedule(sample_plan), MARCH_11)
    assert not _row(table, "b1/born-familie/workshop")["overdue"]  # uge 11, as of uge 11
    assert _row(table, "b1/dagtilbud-skoler/orientering")["overdue"]  # uge 10, no status


def test_a_cancelled_activity_is_never_overdue(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    plan = set_status(sample_plan, sched, "b1/dagtilbud-skoler/orientering", "aflyst", source="test")
    assert not _row(progress(plan, sched, MARCH_11), "b1/dagtilbud-skoler/orientering")["overdue"]


def test_activities_added_after_the_baseline_are_new_and_dropped_ones_removed(sample_plan: Plan) -> None:
    tasks = pd.concat(
        [
            sample_plan.tasks,
            pd.DataFrame(
                [
                    {
                        "task_id": "ekstra-workshop",
                        "title": "Ekstra workshop",
                        "kind": "workshop",
                        "start_week": "2026-W20",
                        "end_week": "2026-W20",
                        "source": "eksempel",
                    }
                ]
            ),
        ]
    )
    tasks = tasks[tasks["task_id"] != "beskrivelse-udfordringer"]
    plan = sample_plan.with_tables(tasks=tasks)
    table = progress(plan, schedule(plan), MARCH_11)
    new = _row(table, "ekstra-workshop")
    assert (new["change"], new["baseline_start_week"]) == ("new", "")
    assert pd.isna(new["slip_weeks"]) and not new["overdue"]
    gone = _row(table, "beskrivelse-udfordringer")
    assert gone["change"] == "removed"
    assert gone["activity"] == "beskrivelse-udfordringer"  # its title went with the task; the key stays
    assert (gone["start_week"], gone["baseline_start_week"], gone["overdue"]) == ("", "2026-W06", False)


def test_a_unit_moved_to_another_wave_shows_as_slip_not_as_removed_and_new(sample_plan: Plan) -> None:
    from planner.edits import move_unit

    plan = move_unit(sample_plan, "kultur-fritid", 3)
    table = progress(plan, schedule(plan), MARCH_11)
    workshop = _row(table, "b3/kultur-fritid/workshop")
    assert workshop["change"] == "moved_wave"
    assert (workshop["baseline_start_week"], workshop["start_week"]) == ("2026-W20", "2026-W42")
    assert workshop["slip_weeks"] == 22
    assert "b2/kultur-fritid/workshop" not in set(table["activity_key"])


def test_a_slip_past_the_follow_up_month_is_one_finding_for_the_wave(sample_plan: Plan) -> None:
    overrides = pd.concat(
        [
            sample_plan.overrides,
            pd.DataFrame(
                [{"unit_id": "born-familie", "activity_id": "opfolgning", "start_week": "2026-W15", "source": "test"}]
            ),
        ]
    )
    plan = sample_plan.with_tables(overrides=overrides)
    found = check(plan, schedule(plan))  # no date needed: the slip is against the baseline
    wave = found[found["code"] == "wave_past_follow_up_month"]
    assert len(wave) == 1
    message = wave["message"].iloc[0]
    assert message.startswith("Bølge 1 (marts 2026): 1 aktivitet hos Børn & Familie er skredet")
    assert "marts 2026" in message and "uge 16 (13.04.2026)" in message
    assert set(wave["severity"]) == {"warning"}


def test_a_follow_up_begun_before_its_workshop_is_done_is_flagged(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    plan = set_status(sample_plan, sched, "b1/okonomi-stab/workshop", "gennemført", source="test")
    found = progress_findings(plan, sched, dt.date(2026, 3, 17))  # uge 12: follow-ups begin
    hit = found[found["code"] == "follow_up_before_workshop"]
    assert set(hit["unit"]) == {"Børn & Familie", "Dagtilbud & Skoler"}  # Økonomi & Stab held theirs
    assert "Workshop for ledere og administrative er ikke gennemført (status: planlagt)" in hit["message"].iloc[0]
    # A week earlier no follow-up has begun: nothing to say.
    assert "follow_up_before_workshop" not in set(progress_findings(plan, sched, MARCH_11)["code"])


def test_check_without_a_date_stays_as_it_was_and_with_one_adds_overdue(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    plain = check(sample_plan, sched)
    dated = check(sample_plan, sched, as_of=MARCH_11)
    assert "overdue" not in set(plain["code"])
    overdue = dated[dated["code"] == "overdue"]
    assert set(overdue["activity_key"]) == {
        "b1/dagtilbud-skoler/indkald-workshop",
        "b1/dagtilbud-skoler/orientering",
        "compliance-workshops",  # uge 6-10, no status row
    }
    assert set(overdue["severity"]) == {"warning"}  # overdue never blocks saving the plan


def test_a_status_row_for_a_missing_activity_is_kept_and_shown(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv(
        "status",
        lambda f: pd.concat(
            [f, pd.DataFrame([{"activity_key": "b2/born-familie/workshop", "status": "gennemført", "source": "x"}])]
        ).fillna(""),
    )
    plan = load_plan(plan_dir)  # loads: a warning, not an error
    assert "b2/born-familie/workshop" in set(plan.status["activity_key"])
    found = check(plan, schedule(plan))
    orphan = found[found["code"] == "status_unknown_activity"]
    assert orphan["severity"].tolist() == ["warning"]
    assert orphan["unit"].tolist() == ["Børn & Familie"]
    assert "'b2/born-familie/workshop', som ikke findes i planen" in orphan["message"].iloc[0]


@pytest.mark.parametrize(
    ("table", "column", "value", "row", "field", "says"),
    [
        ("status", "status", "færdig", 3, "status", "ukendt værdi 'færdig'"),
        ("status", "activity_key", "b1//workshop", 2, "activity_key", "er ikke en aktivitetsnøgle"),
        ("baseline", "end_week", "2027-W53", 4, "end_week", "2027 har kun uge 1 til 52"),
        ("baseline", "end_week", "2026-W01", 2, "end_week", "ligger før startugen 2026-W04"),
    ],
)
def test_bad_status_and_baseline_rows_name_file_row_and_field(
    edit_csv: EditCsv, plan_dir: Path, table: str, column: str, value: str, row: int, field: str, says: str
) -> None:
    path = edit_csv(table, lambda f: f.assign(**{column: f[column].where(f.index != row - 2, value)}))
    with pytest.raises(PlanError) as caught:
        load_plan(plan_dir)
    problems = [p for p in caught.value.problems if p.table == str(path)]
    assert [(p.row, p.field) for p in problems] == [(row, field)]
    assert says in problems[0].message


def test_a_duplicate_status_row_is_refused(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("status", lambda f: pd.concat([f, f.head(1)]))
    with pytest.raises(PlanError, match="findes allerede"):
        load_plan(plan_dir)


def test_a_plan_without_status_and_baseline_files_loads_with_empty_tables(tmp_path: Path) -> None:
    from planner import DEFAULT_DATA_DIR

    folder = tmp_path / "old"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    (folder / "status.csv").unlink()
    (folder / "baseline.csv").unlink()
    plan = load_plan(folder)
    assert plan.status.empty and plan.baseline.empty
    table = progress(plan, schedule(plan), MARCH_11)
    assert set(table["change"]) == {"new"} and set(table["status"]) == {"planlagt"}
    assert "wave_past_follow_up_month" not in set(check(plan, schedule(plan))["code"])
