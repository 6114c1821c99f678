import datetime as dt
import io
import itertools
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from planner import Plan, load_plan
from planner.excel import ACTIVITY_SHEET_COLUMNS, export_filename, export_workbook
from planner.palette import wave_colour
from planner.schema import BUDGET_STEPS

ROOT = Path(__file__).resolve().parent.parent


def _book(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def workbook(sample_plan: Plan):  # type: ignore[no-untyped-def]
    return _book(export_workbook(sample_plan))


def test_the_workbook_has_the_four_sheets(workbook) -> None:  # type: ignore[no-untyped-def]
    visible = [name for name in workbook.sheetnames if workbook[name].sheet_state == "visible"]
    assert visible == ["Ugeplan", "Aktiviteter", "Milepæle", "Problemer"]
    assert workbook["Omfang"].sheet_state == "hidden"  # what the import reads back (excel_scope)


def test_the_week_plan_freezes_headers_and_labels_and_prints_landscape(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    assert ws.freeze_panes == "F7"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$6"
    assert "Udskrevet &D" in ws.oddHeader.right.text
    assert ws.oddHeader.left.text.startswith("Udrulning af Mit Forventede Regnskab")


def _week_columns(ws) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {ws.cell(3, c).value: c for c in range(6, ws.max_column + 1)}


def test_week_columns_are_consecutive_iso_weeks_with_mondays(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    mondays = [ws.cell(4, c).value for c in range(6, ws.max_column + 1)]
    assert all(m.weekday() == 0 for m in mondays)
    assert all((b - a).days == 7 for a, b in itertools.pairwise(mondays))
    assert [ws.cell(3, c).value for c in range(6, ws.max_column + 1)] == [f"uge {m.isocalendar()[1]}" for m in mondays]
    months = [ws.cell(2, c).value for c in range(6, ws.max_column + 1) if ws.cell(2, c).value]
    assert months[:3] == ["december 2025", "januar 2026", "februar"]


def test_active_weeks_are_filled_in_the_waves_colour(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    col = _week_columns(ws)["uge 11"]
    row = next(
        r
        for r in range(7, ws.max_row + 1)
        if ws.cell(r, 2).value == "Børn & Familie" and ws.cell(r, 4).value == "Workshop for ledere og administrative"
    )
    cell = ws.cell(row, col)
    assert cell.value == "Workshop for ledere og administrative (2 timer)"
    assert cell.fill.fgColor.rgb.endswith(wave_colour(1))
    assert ws.cell(row, col + 1).value is None
    assert not ws.cell(row, col + 1).fill.fgColor.rgb.endswith(wave_colour(1))


def test_holiday_and_milestone_weeks_are_marked(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    cols = _week_columns(ws)
    assert ws.cell(5, cols["uge 42"]).value == "efterårsferie"
    assert "KB: 2. behandling" in ws.cell(6, cols["uge 41"]).value
    shaded = {str(rng.sqref) for rng in ws.conditional_formatting}
    letter = ws.cell(1, cols["uge 42"]).column_letter
    assert any(s.startswith(f"{letter}7:") for s in shaded)


def test_activities_sheet_is_a_table_with_real_dates_and_text_weeks(workbook, sample_schedule) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Aktiviteter"]
    assert list(ws.tables) == ["Aktiviteter"]
    table = ws.tables["Aktiviteter"]
    assert table.tableStyleInfo.showRowStripes
    assert table.ref == f"A1:{get_column_letter(len(ACTIVITY_SHEET_COLUMNS))}{len(sample_schedule) + 1}"
    headings = [c.value for c in ws[1]]
    assert headings == [h for h, _, _ in ACTIVITY_SHEET_COLUMNS]
    start = headings.index("Startdato") + 1
    week = headings.index("Startuge") + 1
    assert isinstance(ws.cell(2, start).value, dt.datetime)
    assert ws.cell(2, start).number_format == "dd.mm.yyyy"
    assert ws.cell(2, week).data_type == "s"
    assert ws.cell(2, week).value == "2026-W04"
    assert ws.cell(2, headings.index("Kilde") + 1).value.startswith("Chefforum 17-12-2025")


def test_milestones_and_problems_sheets(workbook, sample_plan: Plan) -> None:  # type: ignore[no-untyped-def]
    ms = workbook["Milepæle"]
    assert ms.max_row == len(sample_plan.milestones) + 1
    assert isinstance(ms.cell(2, 1).value, dt.datetime)
    problems = [r for r in workbook["Problemer"].iter_rows(min_row=2, values_only=True)]
    assert any("efterårsferie" in str(r[5]) for r in problems)


def test_a_plan_reaching_week_53_gets_a_week_53_column(plan_dir: Path) -> None:
    waves = pd.read_csv(plan_dir / "waves.csv", dtype=str, keep_default_na=False)
    waves.loc[waves["wave"] == "3", "follow_up_month"] = "2027-01"
    waves.to_csv(plan_dir / "waves.csv", index=False)
    ws = _book(export_workbook(load_plan(plan_dir)))["Ugeplan"]
    headings = [ws.cell(3, c).value for c in range(6, ws.max_column + 1)]
    i = headings.index("uge 53")
    assert headings[i - 1 : i + 2] == ["uge 52", "uge 53", "uge 1"]
    assert ws.cell(4, 6 + i).value == dt.datetime(2026, 12, 28)
    assert ws.cell(2, 6 + i + 1).value == "januar 2027"


def test_no_cell_holds_a_formula_even_for_hostile_names(sample_plan: Plan) -> None:
    units = sample_plan.units.copy()
    units.loc[0, "name"] = '=HYPERLINK("http://x","y")'
    units.loc[1, "name"] = "+1+2"
    units.loc[2, "name"] = "@SUM(A1)"
    tasks = sample_plan.tasks.copy()
    tasks.loc[0, "title"] = "-2+3"
    plan = sample_plan.with_tables(units=units, tasks=tasks)
    book = _book(export_workbook(plan))
    found = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    found.append(cell.value)
    assert '=HYPERLINK("http://x","y")' in found
    assert "+1+2" in found and "@SUM(A1)" in found and "-2+3" in found


def test_danish_letters_ampersands_and_long_texts_survive(sample_plan: Plan) -> None:
    tasks = sample_plan.tasks.copy()
    long = "Æble, øl & ål – " * 200
    tasks.loc[1, "title"] = long
    book = _book(export_workbook(sample_plan.with_tables(tasks=tasks)))
    values = {c.value for row in book["Aktiviteter"].iter_rows() for c in row}
    assert long.strip() in values or long in values
    assert "Ældre, Sundhed & Social (enheder med vagtplaner)" in values


def test_a_department_workbook_holds_only_its_own_activities(sample_plan: Plan) -> None:
    book = _book(export_workbook(sample_plan, department="born-og-familie"))
    units = {r[5] for r in book["Aktiviteter"].iter_rows(min_row=2, values_only=True)}
    assert units == {"Børn & Familie"}
    assert book["Ugeplan"].cell(1, 1).value.startswith("Ugeplan for Børn & Familie")


def test_file_names_are_safe_ascii(sample_plan: Plan) -> None:
    assert export_filename(sample_plan, department="Børn & Familie") == "ugeplan-born-og-familie-2026.xlsx"
    assert export_filename(sample_plan) == "ugeplan-alle-afdelinger-2026.xlsx"


def test_the_command_line_writes_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    result = subprocess.run(
        [sys.executable, "-m", "planner", "export", "--out", str(out), "--department", "Miljø & Teknik"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert _book(out.read_bytes())["Ugeplan"].cell(1, 1).value.startswith("Ugeplan for Miljø & Teknik")
    bad = subprocess.run(
        [sys.executable, "-m", "planner", "export", "--out", str(out), "--department", "Ingen"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert "Afdelingen 'Ingen' findes ikke" in bad.stderr


def test_every_budget_step_label_fits_its_column(workbook) -> None:  # type: ignore[no-untyped-def]
    ms = workbook["Milepæle"]
    headings = [c.value for c in ms[1]]
    column = headings.index("Budgettrin") + 1
    labels = [ms.cell(r, column).value or "" for r in range(2, ms.max_row + 1)]
    assert "regnskab til revision" in labels  # the longest label is in the sample plan
    width = ms.column_dimensions[chr(ord("A") + column - 1)].width
    assert width >= max(len(label) for label in BUDGET_STEPS.values())
