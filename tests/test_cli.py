import csv
import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import EditCsv
from openpyxl import load_workbook

from planner.cli.plan import CLI_SCHEDULE_COLUMNS
from planner.excel import ACTIVITY_SHEET_COLUMNS
from planner.schema import TABLES

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


def test_check_as_of_a_day_suggests_no_week_already_past() -> None:
    before = _run("check")
    assert "til uge 13 (23.03.2026)" in before.stdout  # the sample's advice reaches back before 15.04.2026
    result = _run("check", "--as-of", "2026-04-15")
    assert (result.returncode, result.stderr) == (0, "")
    suggested = [line for line in result.stdout.splitlines() if line.strip().startswith("forslag:")]
    assert suggested
    assert all(
        dt.datetime.strptime(d, "%d.%m.%Y").date() >= dt.date(2026, 4, 13)
        for line in suggested
        for d in re.findall(r"\d\d\.\d\d\.\d{4}", line)
    )


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


def _header_only(plan_dir: Path, names: tuple[str, ...]) -> None:
    for name in names:
        path = plan_dir / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")


EVERY_TABLE = tuple(TABLES)


NEW_PLAN = ("assignments", "tasks", "dependencies", "status", "baseline")


@pytest.mark.parametrize("empty", [NEW_PLAN, EVERY_TABLE], ids=["new", "blank"])
def test_an_empty_plan_goes_through_every_command(plan_dir: Path, tmp_path: Path, empty: tuple[str, ...]) -> None:
    # What every new plan looks like: no unit in a wave yet and no one-off task.
    _header_only(plan_dir, empty)
    data = ("--data", str(plan_dir))

    result = _run("schedule", "--format", "csv", *data)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == ",".join(CLI_SCHEDULE_COLUMNS) + "\n"

    result = _run("schedule", *data)
    assert (result.returncode, result.stdout, result.stderr) == (0, "Planen har ingen aktiviteter endnu.\n", "")

    result = _run("check", *data)
    assert (result.returncode, result.stderr) == (0, "")
    if empty == EVERY_TABLE:
        assert result.stdout == "Ingen problemer fundet.\n"
    else:  # the units are there, none of them in a wave yet
        assert result.stdout.strip().endswith("0 fejl, 9 advarsler")
        assert "[unit_in_no_wave]" in result.stdout

    out = tmp_path / "ugeplan.xlsx"
    result = _run("export", "--out", str(out), *data)
    assert (result.returncode, result.stderr) == (0, "")
    book = load_workbook(out, read_only=True)
    assert "Aktiviteter" in book.sheetnames
    rows = list(book["Aktiviteter"].iter_rows(values_only=True))
    assert {heading for heading, _, _ in ACTIVITY_SHEET_COLUMNS} <= set(rows[0])  # what the import reads back
    assert all(value is None for row in rows[1:] for value in row)  # no activity rows


def test_the_largest_refused_file_exits_2_with_one_line_and_no_traceback(plan_dir: Path, tmp_path: Path) -> None:
    path = plan_dir / "tasks.csv"
    line = "t{0},Opgave {0},meeting,,,2026-W10,2026-W11,1,Økonomikonsulent,Økonomi & Stab,,,eksempel\n"
    with path.open("a", encoding="utf-8") as out:
        while out.tell() < 40 * 1024 * 1024:
            out.writelines(line.format(i) for i in range(10_000))
    megabytes = f"{path.stat().st_size / 1024 / 1024:.1f}".replace(".", ",")
    for command in (
        ("schedule", "--format", "csv"),
        ("schedule",),
        ("check",),
        ("export", "--out", str(tmp_path / "x.xlsx")),
    ):
        result = _run(*command, "--data", str(plan_dir))
        assert result.returncode == 2, command
        assert result.stdout == ""
        assert result.stderr == f"Planen kan ikke bruges:\n{path}: filen er {megabytes} MB; grænsen er 10,0 MB\n"
    assert not (tmp_path / "x.xlsx").exists()


def test_a_year_typo_is_refused_by_schedule_and_check_alike(edit_csv: EditCsv, plan_dir: Path) -> None:
    # 0226-W10 used to print as 226-W10 from schedule and crash check.
    edit_csv("overrides", lambda f: f.assign(start_week="0226-W10"))
    for command in ("schedule", "check"):
        result = _run(command, "--data", str(plan_dir))
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert "felt 'start_week': ugyldig uge: '0226-W10' ligger uden for planens år 2000 til 2100" in result.stderr


def test_export_to_a_folder_that_does_not_exist_exits_2_in_danish(tmp_path: Path) -> None:
    target = tmp_path / "mangler" / "ugeplan.xlsx"
    result = _run("export", "--out", str(target))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"Kan ikke skrive {target}: mappen findes ikke\n"
