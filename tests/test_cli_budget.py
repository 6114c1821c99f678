"""`python -m planner budget-calendar`: the calendar as text, as CSV for milestones.csv, and added to a plan."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from planner import load_plan
from planner.schema import TABLES

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


def test_the_csv_has_the_milestones_columns_and_marks_every_date_as_an_example() -> None:
    result = _run("budget-calendar", "--year", "2028", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == TABLES["milestones"].column_names
    adoption = next(r for r in rows if r["budget_step"] == "second_reading")
    assert (adoption["date"], adoption["budget_year"], adoption["body"]) == ("2027-10-05", "2028", "KB")
    assert all("eksempel" in r["source"] for r in rows)


def test_the_table_shows_danish_dates_and_says_they_are_examples() -> None:
    result = _run("budget-calendar", "--year", "2028")
    assert result.returncode == 0, result.stderr
    assert "05.10.2027" in result.stdout
    assert "2. behandling og vedtagelse af Budget 2028 i KB" in result.stdout
    assert "Alle datoer er eksempler" in result.stdout
    assert result.stderr == ""


def test_add_puts_the_calendar_in_the_plan_and_the_plan_still_checks_clean(plan_dir: Path) -> None:
    before = len(load_plan(plan_dir).milestones)
    result = _run("budget-calendar", "--year", "2028", "--add", "--data", str(plan_dir))
    assert result.returncode == 0, result.stderr
    assert "Tilføjede 7 milepæle for Budget 2028" in result.stdout
    plan = load_plan(plan_dir)
    assert len(plan.milestones) == before + 7
    assert set(plan.milestones["budget_year"].dropna()) == {2025, 2026, 2027, 2028}
    checked = _run("check", "--data", str(plan_dir))
    assert checked.returncode == 0, checked.stdout
    assert "budget" not in checked.stdout


def test_adding_a_year_the_plan_already_has_changes_nothing_and_exits_2(plan_dir: Path) -> None:
    path = plan_dir / "milestones.csv"
    before = path.read_bytes()
    result = _run("budget-calendar", "--year", "2027", "--add", "--data", str(plan_dir))
    assert result.returncode == 2
    assert "Intet er ændret" in result.stderr
    assert "1. behandling for budgetår 2027 findes allerede (b27-1-behandling)" in result.stderr
    assert path.read_bytes() == before


def test_a_year_without_meetings_exits_2_with_the_reason_and_no_traceback(plan_dir: Path) -> None:
    (plan_dir / "council_meetings.csv").unlink()  # the table is optional: the plan still loads
    result = _run("budget-calendar", "--year", "2028", "--data", str(plan_dir))
    assert result.returncode == 2
    assert "Budgetkalenderen for Budget 2028 kan ikke laves" in result.stderr
    assert "tilføj KB- og ØU-møder for 2027" in result.stderr
    assert "Traceback" not in result.stderr
