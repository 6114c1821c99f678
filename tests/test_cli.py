import csv
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
from conftest import EditCsv

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


def test_schedule_csv_has_the_promised_columns_and_iso_formats() -> None:
    result = _run("schedule", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[:10] == [
        "wave",
        "department",
        "unit",
        "activity",
        "kind",
        "start_week",
        "end_week",
        "start_date",
        "end_date",
        "source",
    ]
    workshop = next(r for r in rows if r["unit"] == "Børn & Familie" and r["kind"] == "workshop")
    assert (workshop["start_week"], workshop["start_date"], workshop["end_date"]) == (
        "2026-W11",
        "2026-03-09",
        "2026-03-15",
    )


def test_schedule_csv_ends_with_each_waves_data_cutoff() -> None:
    result = _run("schedule", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # New columns only at the end: scripts reading the first ten keep working.
    assert list(rows[0])[10:] == ["activity_key", "data_cutoff"]
    assert {r["wave"]: r["data_cutoff"] for r in rows if r["wave"]} == {
        "1": "2026-02-28",
        "2": "2026-04-30",
        "3": "2026-09-30",
    }
    assert {r["data_cutoff"] for r in rows if not r["wave"]} == {""}


def test_schedule_table_is_readable_text() -> None:
    result = _run("schedule")
    assert result.returncode == 0
    assert "Workshop for ledere og administrative" in result.stdout
    assert "2026-W42" in result.stdout


def test_check_on_the_sample_plan_warns_about_week_42_and_exits_0() -> None:
    result = _run("check")
    assert result.returncode == 0
    assert "uge 42" in result.stdout
    assert "forslag: Flyt til uge 41 (05.10.2026); flyt også Indkaldelse af ledere til workshop" in result.stdout
    assert result.stdout.strip().endswith("0 fejl, 6 advarsler")


def test_check_exits_1_when_a_finding_is_an_error(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv(
        "tasks",
        lambda f: f.assign(end_week=f["end_week"].where(f["task_id"] != "kontoplan-ass-vagtplaner", "2026-W36")),
    )
    result = _run("check", "--data", str(plan_dir))
    assert result.returncode == 1
    assert "FEJL [dependency]" in result.stdout


def test_bad_input_exits_2_with_a_message_and_no_traceback(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("overrides", lambda f: f.assign(start_week="2027-W53"))
    for command in ("check", "schedule"):
        result = _run(command, "--data", str(plan_dir))
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert "overrides.csv, række 2, felt 'start_week'" in result.stderr
        assert result.stdout == ""


def test_a_missing_folder_exits_2(tmp_path: Path) -> None:
    result = _run("schedule", "--data", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "mappen findes ikke" in result.stderr


def test_schedule_csv_keeps_danish_letters(tmp_path: Path) -> None:
    result = _run("schedule", "--format", "csv")
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert "Ældre, Sundhed & Social" in set(frame["department"].dropna())
