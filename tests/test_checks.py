from pathlib import Path

import pandas as pd
import pytest
from conftest import EditCsv

from planner import Plan, Settings, check, has_errors, load_plan, schedule
from planner.checks import advice
from planner.constraints import apply_moves


def _findings(plan: Plan) -> pd.DataFrame:
    return check(plan, schedule(plan))


def test_the_sample_plan_has_warnings_but_no_errors(sample_plan: Plan) -> None:
    findings = _findings(sample_plan)
    assert not has_errors(findings)
    assert len(findings) > 0


def _add_rows(edit_csv: EditCsv, name: str, *rows: dict[str, str]) -> None:
    edit_csv(name, lambda f: pd.concat([f, pd.DataFrame(list(rows))]).fillna(""))


def _set_task_weeks(edit_csv: EditCsv, task: str, start: str, end: str) -> None:
    edit_csv(
        "tasks",
        lambda f: f.assign(
            start_week=f["start_week"].where(f["task_id"] != task, start),
            end_week=f["end_week"].where(f["task_id"] != task, end),
        ),
    )


def _problems(findings: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(zip(findings["code"], findings["activity_key"], findings["week"], strict=True))


def _follow_every_suggestion(plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame, Plan]:
    """Apply every move the findings suggest (as overrides and task weeks); return before, after, new plan."""
    sched = schedule(plan)
    moves = advice(plan, sched)
    # One activity gets one week, however many findings name it: the advice must agree with itself.
    assert (moves.groupby("activity_key")["week"].nunique() == 1).all(), moves
    followed = apply_moves(plan, dict(zip(moves["activity_key"], moves["week"], strict=True)))
    return check(plan, sched), _findings(followed), followed


def test_the_wave_2_workshops_are_not_sent_into_their_follow_up_week(sample_plan: Plan) -> None:
    # Regression: "Flyt til uge 21" put the workshop in the week its follow-up starts.
    findings = _findings(sample_plan)
    may = findings[(findings["code"] == "poor_week") & (findings["week"] == "2026-W20")]
    assert len(may) == 3 and may["message"].str.contains("Kristi himmelfartsdag").all()
    follow_up = schedule(sample_plan).query("wave == 2 and activity_id == 'opfolgning'")["start_week"]
    assert set(follow_up) == {"2026-W21"}
    # Uge 19 is free, but the invitations then go out five weeks ahead instead of the template's six.
    assert set(may["suggestion"]) == {
        "Flyt til uge 19 (04.05.2026); flyt også Indkaldelse af ledere til workshop til uge 13 (23.03.2026)"
    }


def test_the_october_workshop_in_the_autumn_holiday_is_flagged_with_a_better_week(sample_plan: Plan) -> None:
    findings = _findings(sample_plan)
    october = findings[(findings["code"] == "poor_week") & (findings["week"] == "2026-W42")]
    assert set(october["unit"]) == {"Miljø & Teknik", "Ejendomme", "Ældre, Sundhed & Social (enheder med vagtplaner)"}
    assert (october["severity"] == "warning").all()
    assert october["message"].str.contains("uge 42 (12.10.2026)", regex=False).all()
    assert october["message"].str.contains("efterårsferie").all()
    # Regression: not uge 43, where the follow-up starts.
    assert set(october["suggestion"]) == {
        "Flyt til uge 41 (05.10.2026); flyt også Indkaldelse af ledere til workshop til uge 35 (24.08.2026)"
    }


def test_a_pinned_invitation_makes_the_follow_up_move_with_the_workshop(edit_csv: EditCsv, plan_dir: Path) -> None:
    _add_rows(
        edit_csv,
        "overrides",
        {
            "unit_id": "ejendomme",
            "activity_id": "indkald-workshop",
            "start_week": "2026-W36",
            "source": "test",
            "pinned": "ja",
        },
    )
    findings = _findings(load_plan(plan_dir))
    row = findings[(findings["code"] == "poor_week") & (findings["unit"] == "Ejendomme")].iloc[0]
    assert (
        row["suggestion"] == "Flyt til uge 43 (19.10.2026); flyt også Økonomiopfølgning i MFR til uge 44 (26.10.2026)"
    )


def test_the_status_meeting_in_easter_week_is_advised_into_april_not_march(edit_csv: EditCsv, plan_dir: Path) -> None:
    # Regression: uge 13 is March (the period is April) and uge 15 holds 2. påskedag.
    _set_task_weeks(edit_csv, "status-chefforum-1", "2026-W14", "2026-W14")
    findings = _findings(load_plan(plan_dir))
    row = findings[(findings["code"] == "poor_week") & (findings["activity_key"] == "status-chefforum-1")].iloc[0]
    assert "påskeferie" in row["message"]
    assert row["suggestion"] == "Flyt til uge 16 (13.04.2026)"


def test_an_orientation_override_in_easter_week_is_advised_back_into_its_window(
    edit_csv: EditCsv, plan_dir: Path
) -> None:
    # Regression: "Ingen god uge i vinduet uge 9-10" (both are good), and a dependency advice of uge 15
    # for the workshop, a week with 2. påskedag.
    _add_rows(
        edit_csv,
        "overrides",
        {"unit_id": "born-familie", "activity_id": "orientering", "start_week": "2026-W14", "source": "test"},
    )
    findings = _findings(load_plan(plan_dir)).query("unit == 'Børn & Familie'").set_index("code")
    assert findings.loc["poor_week", "suggestion"] == "Flyt til uge 10 (02.03.2026)"
    assert findings.loc["outside_window", "suggestion"] == "Flyt til uge 10 (02.03.2026)"
    dependency = findings.loc["dependency"]
    assert dependency["activity"] == "Workshop for ledere og administrative"
    assert dependency["suggestion"] == "Flyt Orienteringsmøde for ledere til uge 10 (02.03.2026)"


def test_a_dependency_message_gives_the_sunday_the_predecessor_ends(edit_csv: EditCsv, plan_dir: Path) -> None:
    _set_task_weeks(edit_csv, "kontoplan-ass-vagtplaner", "2026-W30", "2026-W36")
    dep = _findings(load_plan(plan_dir)).query("code == 'dependency'").iloc[0]
    assert "Kontoplan tilpasses (slutter uge 36 (06.09.2026))" in dep["message"]
    assert "(starter uge 36 (31.08.2026))" in dep["message"]


@pytest.mark.parametrize(
    "change",
    [
        "sample",
        "status_in_easter",
        "orientation_in_easter",
        "presentation_late",
        "kontoplan_late",
        "workshop_after_status",
        "tight_capacity",
    ],
)
def test_following_every_suggestion_creates_no_new_problem(
    change: str, sample_plan: Plan, edit_csv: EditCsv, plan_dir: Path
) -> None:
    if change == "status_in_easter":
        _set_task_weeks(edit_csv, "status-chefforum-1", "2026-W14", "2026-W14")
    elif change == "orientation_in_easter":
        _add_rows(
            edit_csv,
            "overrides",
            {"unit_id": "born-familie", "activity_id": "orientering", "start_week": "2026-W14", "source": "test"},
        )
    elif change == "presentation_late":
        _set_task_weeks(edit_csv, "praesentation-chefforum", "2026-W05", "2026-W05")
    elif change == "kontoplan_late":
        _set_task_weeks(edit_csv, "kontoplan-ass-vagtplaner", "2026-W30", "2026-W36")
    elif change == "workshop_after_status":
        _add_rows(
            edit_csv,
            "overrides",
            {"unit_id": "okonomi-stab", "activity_id": "workshop", "start_week": "2026-W17", "source": "test"},
        )
    plan = load_plan(plan_dir)
    if change == "tight_capacity":
        plan = plan.with_settings(Settings(consultant_capacity_hours=4))
    before, after, _ = _follow_every_suggestion(plan)
    assert len(before) > 0
    assert not _problems(after) - _problems(before), after
    advised = before[before["suggestion"].str.startswith("Flyt")]
    assert len(advised) > 0
    # Every finding that got a move is gone once the moves are made.
    assert not _problems(advised) & _problems(after)


def test_a_poor_orientation_gets_a_suggestion_inside_its_window(edit_csv: EditCsv, plan_dir: Path) -> None:
    # Orientation in uge 7, the winter holiday, with a window widened to uge 7-10.
    edit_csv(
        "overrides",
        lambda f: pd.concat(
            [
                f,
                pd.DataFrame(
                    [
                        {
                            "unit_id": "born-familie",
                            "activity_id": "orientering",
                            "start_week": "2026-W07",
                            "source": "test",
                        }
                    ]
                ),
            ]
        ).fillna(""),
    )
    edit_csv(
        "template", lambda f: f.assign(window_from=f["window_from"].where(f["activity_id"] != "orientering", "-2"))
    )
    findings = _findings(load_plan(plan_dir))
    row = findings[(findings["code"] == "poor_week") & (findings["unit"] == "Børn & Familie")].iloc[0]
    assert row["week"] == "2026-W07"
    # Not uge 8: the invitation in uge 5 must go out four weeks ahead, as the template has it.
    assert row["suggestion"] == "Flyt til uge 9 (23.02.2026)"


def test_kontoplan_not_finished_before_the_rollout_is_an_error(edit_csv: EditCsv, plan_dir: Path) -> None:
    _set_task_weeks(edit_csv, "kontoplan-ass-vagtplaner", "2026-W30", "2026-W36")
    findings = _findings(load_plan(plan_dir))
    dep = findings[findings["code"] == "dependency"]
    assert len(dep) == 1  # only the unit whose kontoplan is late, not every unit of wave 3
    assert dep.iloc[0]["unit"] == "Ældre, Sundhed & Social (enheder med vagtplaner)"
    assert "Kontoplan tilpasses" in dep.iloc[0]["message"]
    # A later invitation would leave less than the template's four weeks before the orientation.
    assert dep.iloc[0]["suggestion"] == "Flyt Kontoplan tilpasses til uge 29 (13.07.2026)"
    assert has_errors(findings)


def test_the_chefforum_presentation_must_come_before_week_5(edit_csv: EditCsv, plan_dir: Path) -> None:
    _set_task_weeks(edit_csv, "praesentation-chefforum", "2026-W05", "2026-W05")
    findings = _findings(load_plan(plan_dir))
    dep = findings[findings["code"] == "dependency"]
    assert set(dep["activity"]) == {"Indkaldelse til orienteringsmøde"}
    assert set(dep["week"]) == {"2026-W05"}
    assert dep["message"].str.contains("Præsentation af MFR for Chefforum").all()
    # A later invitation would leave less than four weeks before the orientation in uge 9; once the
    # presentation is advised a week earlier, that advice also serves Dagtilbud & Skoler (uge 10).
    assert set(dep["suggestion"]) == {"Flyt Præsentation af MFR for Chefforum til uge 4 (19.01.2026)"}


def test_the_status_to_chefforum_must_be_in_april(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv(
        "tasks",
        lambda f: f.assign(
            start_week=f["start_week"].where(f["task_id"] != "status-chefforum-1", "2026-W20"),
            end_week=f["end_week"].where(f["task_id"] != "status-chefforum-1", "2026-W20"),
        ),
    )
    findings = _findings(load_plan(plan_dir))
    row = findings[findings["code"] == "date_window"].iloc[0]
    assert row["severity"] == "error"
    assert "01.04.2026–30.04.2026" in row["message"]


def test_the_status_must_come_after_wave_1s_workshop(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv(
        "overrides",
        lambda f: pd.concat(
            [
                f,
                pd.DataFrame(
                    [{"unit_id": "okonomi-stab", "activity_id": "workshop", "start_week": "2026-W17", "source": "test"}]
                ),
            ]
        ).fillna(""),
    )
    findings = _findings(load_plan(plan_dir))
    dep = findings[(findings["code"] == "dependency") & (findings["activity"].str.contains("status"))]
    assert len(dep) == 1
    # The shared status task has no unit: the message says whose workshop is late.
    assert dep.iloc[0]["message"].startswith("Workshop for ledere og administrative (Økonomi & Stab) (slutter uge 17")


def test_an_invitation_sent_later_than_the_template_has_it_is_a_warning(edit_csv: EditCsv, plan_dir: Path) -> None:
    _add_rows(
        edit_csv,
        "overrides",
        {"unit_id": "born-familie", "activity_id": "indkald-workshop", "start_week": "2026-W07", "source": "test"},
    )
    row = _findings(load_plan(plan_dir)).query("code == 'invitation_late'").iloc[0]
    assert row["severity"] == "warning" and row["unit"] == "Børn & Familie"
    assert "ligger kun 4 uger før Workshop for ledere og administrative" in row["message"]
    assert row["message"].endswith("skabelonen har 6 uger imellem")
    assert row["suggestion"] == "Flyt Indkaldelse af ledere til workshop til uge 5 (26.01.2026)"


def test_an_invitation_after_its_meeting_says_after_not_minus_weeks(edit_csv: EditCsv, plan_dir: Path) -> None:
    _add_rows(
        edit_csv,
        "overrides",
        {"unit_id": "born-familie", "activity_id": "indkald-workshop", "start_week": "2026-W12", "source": "test"},
    )
    row = _findings(load_plan(plan_dir)).query("code == 'invitation_late'").iloc[0]
    assert "ligger 1 uge efter Workshop for ledere og administrative i uge 11" in row["message"]
    assert "-" not in row["message"].split(" i uge")[1].split("Workshop")[0]


def test_a_unit_in_two_waves_is_an_error_and_in_none_a_warning(edit_csv: EditCsv, plan_dir: Path) -> None:
    def change(f: pd.DataFrame) -> pd.DataFrame:
        f = f[f["unit_id"] != "ejendomme"]
        extra = pd.DataFrame([{"unit_id": "kultur-fritid", "wave": "3", "source": "test"}])
        return pd.concat([f, extra])

    edit_csv("assignments", change)
    findings = _findings(load_plan(plan_dir)).set_index("code")
    assert findings.loc["unit_in_two_waves", "severity"] == "error"
    assert findings.loc["unit_in_two_waves", "unit"] == "Kultur & Fritid"
    assert findings.loc["unit_in_no_wave", "severity"] == "warning"
    assert findings.loc["unit_in_no_wave", "unit"] == "Ejendomme"


def test_consultant_load_above_capacity_is_flagged(sample_plan: Plan) -> None:
    tight = sample_plan.with_settings(Settings(consultant_capacity_hours=4))
    over = _findings(tight).query("code == 'consultant_overload'")
    # Three 2-hour workshops in uge 11 = 6 hours.
    assert "2026-W11" in set(over["week"])
    assert over.set_index("week").loc["2026-W11", "message"].startswith("Økonomikonsulenterne har 6 timers")
    # One workshop out of the week is enough; it goes where the consultants have room.
    assert (
        over.set_index("week")
        .loc["2026-W11", "suggestion"]
        .startswith("Flyt Workshop for ledere og administrative for ")
    )
    assert _findings(sample_plan).query("code == 'consultant_overload'").empty


def test_an_override_outside_the_window_is_a_warning(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("overrides", lambda f: f.assign(start_week="2026-W12"))
    row = _findings(load_plan(plan_dir)).query("code == 'outside_window'").iloc[0]
    assert row["unit"] == "Dagtilbud & Skoler"
    assert "uden for vinduet uge 9" in row["message"]


@pytest.mark.parametrize("column", ["severity", "unit", "week", "message", "suggestion"])
def test_findings_are_text_without_missing_values(sample_plan: Plan, column: str) -> None:
    assert _findings(sample_plan)[column].notna().all()
