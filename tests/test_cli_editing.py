"""`python -m planner import` and `add-editor` as scripts use them: real files, real processes, exit codes."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from workbooks import edit, find_row, libreoffice_resave

from planner import Plan, load_plan
from planner.auth import parse_accounts, verify_password
from planner.excel import export_workbook

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
        check=False,
        input=stdin,
    )


def _orientering_in_week_10(ws: Any, c: dict[str, int]) -> None:
    r = find_row(ws, c, "born-familie", "orientering")
    ws.cell(r, c["Startuge"]).value = "2026-W10"
    ws.cell(r, c["Slutuge"]).value = "2026-W10"


@pytest.fixture(scope="module")
def resaved(sample_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Børn & Familie's export with one edit, opened and saved again by LibreOffice."""
    tmp = tmp_path_factory.mktemp("lo")
    data = edit(export_workbook(sample_plan, department="born-familie"), _orientering_in_week_10)
    path = tmp / "ugeplan-born-og-familie-2026.xlsx"
    path.write_bytes(libreoffice_resave(data, tmp))
    return path


def test_import_csv_lists_exactly_the_one_change_of_a_libreoffice_resave(resaved: Path) -> None:
    result = _run("import", str(resaved), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows == [
        {
            "change": "flyttet",
            "unit": "Børn & Familie",
            "activity": "Orienteringsmøde for ledere",
            "from_week": "2026-W09",
            "to_week": "2026-W10",
        }
    ]
    assert result.stderr.startswith("1 aktivitet flyttes, 0 aktiviteter tilføjes, 0 aktiviteter fjernes\n")
    assert "dækker afdelingen Børn & Familie" in result.stderr


def test_import_table_starts_with_the_summary(resaved: Path) -> None:
    result = _run("import", str(resaved))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "1 aktivitet flyttes, 0 aktiviteter tilføjes, 0 aktiviteter fjernes"
    assert any("Orienteringsmøde for ledere" in line and "2026-W10" in line for line in lines)


def test_import_apply_writes_the_new_plan_into_the_folder(resaved: Path, plan_dir: Path) -> None:
    result = _run("import", str(resaved), "--data", str(plan_dir), "--apply")
    assert result.returncode == 0, result.stderr
    overrides = load_plan(plan_dir).overrides.set_index(["unit_id", "activity_id"])["start_week"]
    assert overrides["born-familie", "orientering"] == "2026-W10"
    assert len(overrides) == 2


def test_import_exits_1_when_the_result_has_errors_and_applies_nothing(
    sample_plan: Plan, plan_dir: Path, tmp_path: Path
) -> None:
    def late(ws: Any, c: dict[str, int]) -> None:
        ws.cell(find_row(ws, c, "ass-vagtplaner", "kontoplan-ass-vagtplaner"), c["Slutuge"]).value = "2026-W38"

    path = tmp_path / "ugeplan.xlsx"
    path.write_bytes(edit(export_workbook(sample_plan), late))
    before = (plan_dir / "tasks.csv").read_bytes()
    result = _run("import", str(path), "--data", str(plan_dir), "--apply")
    assert result.returncode == 1
    assert "FEJL [dependency]" in result.stdout
    assert (plan_dir / "tasks.csv").read_bytes() == before


def test_import_exits_2_for_a_refused_file_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "ugeplan.xlsx"
    path.write_text("enhed;uge\nBørn;11\n", encoding="utf-8")
    result = _run("import", str(path))
    assert result.returncode == 2
    assert "Filen er ikke en Excel-projektmappe (.xlsx)" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    missing = _run("import", str(tmp_path / "findes-ikke.xlsx"))
    assert missing.returncode == 2 and "filen kan ikke læses" in missing.stderr


def test_add_editor_prints_a_secrets_line_that_signs_in() -> None:
    result = _run("add-editor", "Marie@Albertslund.dk", "--name", 'Marie "Aasøe"', stdin="forår-2026-kode\n")
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert "forår-2026-kode" not in line
    account = parse_accounts(line)["marie@albertslund.dk"]
    assert account.name == 'Marie "Aasøe"'
    assert verify_password("forår-2026-kode", account.password_hash)
    assert "[planner.accounts]" in result.stderr


def test_add_editor_refuses_a_short_password() -> None:
    result = _run("add-editor", "marie@albertslund.dk", stdin="kort\n")
    assert result.returncode == 2
    assert "mindst 10 tegn" in result.stderr and result.stdout == ""
