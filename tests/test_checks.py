from pathlib import Path

import pandas as pd
import pytest
from conftest import EditCsv

from planner import Plan, Settings, check, has_errors, load_plan, schedule


def _findings(plan: Plan) -> pd.DataFrame:
    return check(plan, schedule(plan))


def test_the_sample_plan_has_warnings_but_no_errors(sample_plan: Plan) -> None:
    findings = _findings(sample_plan)
    assert not has_errors(findings)
    assert len(findings) > 0


def test_the_october_workshop_in_the_autumn_holiday_is_flagged_with_a_better_week(sample_plan: Plan) -> None:
    findings = _findings(sample_plan)
    october = findings[(findings["code"] == "poor_week") & (findings["week"] == "2026-W42")]
    assert set(october["unit"]) == {"Miljø & Teknik", "Ejendomme", "Ældre, Sundhed & Social (enheder med vagtplaner)"}
    assert (october["severity"] == "warning").all()
    assert october["message"].str.contains("uge 42 (12.10.2026)", regex=False).all()
    assert october["message"].str.contains("efterårsferie").all()
    assert (october["suggestion"] == "Flyt til uge 43 (19.10.2026)").all()


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
    assert row["suggestion"] == "Flyt til uge 8 (16.02.2026)"


def test_kontoplan_not_finished_before_the_rollout_is_an_error(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv(
        "tasks",
        lambda f: f.assign(end_week=f["end_week"].where(f["task_id"] != "kontoplan-ass-vagtplaner", "2026-W36")),
    )
    findings = _findings(load_plan(plan_dir))
    dep = findings[findings["code"] == "dependency"]
    assert len(dep) == 1  # only the unit whose kontoplan is late, not every unit of wave 3
    assert dep.iloc[0]["unit"] == "Ældre, Sundhed & Social (enheder med vagtplaner)"
    assert "Kontoplan tilpasses" in dep.iloc[0]["message"]
    assert dep.iloc[0]["suggestion"] == "Flyt Indkaldelse til orienteringsmøde til uge 37 (07.09.2026)"
    assert has_errors(findings)


def test_the_chefforum_presentation_must_come_before_week_5(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv(
        "tasks",
        lambda f: f.assign(
            start_week=f["start_week"].where(f["task_id"] != "praesentation-chefforum", "2026-W05"),
            end_week=f["end_week"].where(f["task_id"] != "praesentation-chefforum", "2026-W05"),
        ),
    )
    findings = _findings(load_plan(plan_dir))
    dep = findings[findings["code"] == "dependency"]
    assert set(dep["activity"]) == {"Indkaldelse til orienteringsmøde"}
    assert set(dep["week"]) == {"2026-W05"}
    assert dep["message"].str.contains("Præsentation af MFR for Chefforum").all()


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
    assert "Workshop" in dep.iloc[0]["message"]


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
    assert _findings(sample_plan).query("code == 'consultant_overload'").empty


def test_an_override_outside_the_window_is_a_warning(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("overrides", lambda f: f.assign(start_week="2026-W12"))
    row = _findings(load_plan(plan_dir)).query("code == 'outside_window'").iloc[0]
    assert row["unit"] == "Dagtilbud & Skoler"
    assert "uden for vinduet uge 9" in row["message"]


@pytest.mark.parametrize("column", ["severity", "unit", "week", "message", "suggestion"])
def test_findings_are_text_without_missing_values(sample_plan: Plan, column: str) -> None:
    assert _findings(sample_plan)[column].notna().all()
