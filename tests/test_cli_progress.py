"""`python -m planner status|report|baseline` run as users run them, with their columns and exit codes."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
from conftest import EditCsv

from planner import load_plan, schedule

ROOT = Path(__file__).resolve().parent.parent
PROMISED = [
    "activity_key",
    "wave",
    "department",
    "unit",
    "activity",
    "status",
    "start_week",
    "end_week",
    "baseline_start_week",
    "baseline_end_week",
    "slip_weeks",
    "overdue",
]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=ROOT, timeout=180, check=False
    )


def _rows(text: str) -> dict[str, dict[str, str]]:
    return {r["activity_key"]: r for r in csv.DictReader(io.StringIO(text))}


def test_status_csv_has_the_promised_columns_and_exits_1_when_something_is_overdue() -> None:
    result = _run("status", "--as-of", "2026-03-11", "--format", "csv")
    assert result.returncode == 1, result.stderr
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header[: len(PROMISED)] == PROMISED
    rows = _rows(result.stdout)
    late = rows["b1/dagtilbud-skoler/orientering"]
    assert (late["status"], late["end_week"], late["baseline_end_week"], late["slip_weeks"], late["overdue"]) == (
        "planlagt",
        "2026-W10",
        "2026-W10",
        "0",
        "true",
    )
    assert rows["b1/born-familie/orientering"]["status"] == "gennemført"
    assert rows["b1/born-familie/orientering"]["overdue"] == "false"


def test_status_exits_0_before_anything_is_due_and_the_table_says_so() -> None:
    result = _run("status", "--as-of", "15.01.2026")
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("0 forsinkede aktiviteter pr. 15.01.2026 (uge 3)")


def test_a_bad_date_exits_2_in_danish() -> None:
    result = _run("status", "--as-of", "2026-13-01")
    assert result.returncode == 2
    assert "'2026-13-01' er ikke en dato" in result.stderr


def test_a_bad_status_file_exits_2_naming_file_row_and_field(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv("status", lambda f: f.assign(status=f["status"].where(f.index != 0, "færdig")))
    result = _run("status", "--data", str(plan_dir))
    assert result.returncode == 2
    assert "status.csv, række 2, felt 'status': ukendt værdi 'færdig'" in result.stderr
    assert "Traceback" not in result.stderr


def test_baseline_writes_the_schedule_so_a_later_move_shows_as_slip(edit_csv: EditCsv, plan_dir: Path) -> None:
    (plan_dir / "baseline.csv").unlink()
    result = _run("baseline", "--data", str(plan_dir), "--source", "godkendt i Chefforum 15.04.2026")
    assert result.returncode == 0, result.stderr
    assert f"Skrev basisplanen med {len(schedule(load_plan(plan_dir)))} aktiviteter" in result.stdout
    baseline = pd.read_csv(plan_dir / "baseline.csv", dtype=str, keep_default_na=False)
    assert list(baseline.columns) == ["activity_key", "start_week", "end_week", "source"]
    assert not list(plan_dir.glob(".*.tmp"))

    edit_csv("overrides", lambda f: f.assign(start_week="2026-W12"))  # Dagtilbud & Skoler's orientation
    rows = _rows(_run("status", "--as-of", "2026-01-15", "--format", "csv", "--data", str(plan_dir)).stdout)
    moved = rows["b1/dagtilbud-skoler/orientering"]
    assert (moved["baseline_start_week"], moved["start_week"], moved["slip_weeks"]) == ("2026-W10", "2026-W12", "2")


def test_report_writes_a_docx_and_an_unknown_department_exits_2(tmp_path: Path) -> None:
    out = tmp_path / "status.docx"
    result = _run("report", "--as-of", "2026-04-15", "--out", str(out), "--department", "Dagtilbud & Skoler")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Skrev {out} (") and out.read_bytes()[:2] == b"PK"

    result = _run("report", "--as-of", "2026-04-15", "--out", str(tmp_path / "x.docx"), "--department", "Teknik")
    assert result.returncode == 2
    assert "afdelingen 'Teknik' findes ikke" in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_schedule_csv_ends_with_the_activity_key() -> None:
    result = _run("schedule", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[10] == "activity_key"  # the first new column, after the stable ten
    keys = {r["activity_key"] for r in rows}
    assert {"b1/born-familie/workshop", "praesentation-chefforum"} <= keys
    assert len(keys) == len(rows)
