import datetime as dt
import inspect
import io
import itertools
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from planner import Plan, load_plan
from planner.excel import ACTIVITY_SHEET_COLUMNS, STATUS_SHEET_COLUMNS, export_filename, export_workbook
from planner.palette import HOLIDAY_SHADE, wave_colour
from planner.schema import BUDGET_STEPS

ROOT = Path(__file__).resolve().parent.parent


def _book(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def workbook(sample_plan: Plan):  # type: ignore[no-untyped-def]
    # As of before the rollout: the grid as planned, only the few activities marked done carry a mark.
    return _book(export_workbook(sample_plan, revision=12, as_of=dt.date(2025, 12, 1)))


def _label_row(ws: Any, label: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)


def _weeks(ws: Any) -> dict[dt.date, int]:
    """Map each Monday of the week grid to its column."""
    row = _label_row(ws, "Mandag")
    return {ws.cell(row, c).value.date(): c for c in range(2, ws.max_column + 1) if ws.cell(row, c).value}


def _activities(ws: Any) -> dict[tuple[str, str, str], int]:
    """Map (department, unit, activity label) to its row, reading the headings as a reader does."""
    rows: dict[tuple[str, str, str], int] = {}
    department = unit = ""
    for r in range(_label_row(ws, "Aktivitet") + 1, ws.max_row + 1):
        cell = ws.cell(r, 1)
        if cell.style == "mfr_group":
            department = unit = cell.value
        elif cell.style == "mfr_unit":
            unit = cell.value
        elif cell.style == "mfr_wrap":
            rows[department, unit, cell.value] = r
    return rows


def _filled(ws: Any, row: int) -> list[dt.date]:
    weeks = _weeks(ws)
    return [m for m, c in weeks.items() if ws.cell(row, c).style.startswith("mfr_wave_")]


def test_the_workbook_has_the_four_sheets(workbook) -> None:  # type: ignore[no-untyped-def]
    visible = [name for name in workbook.sheetnames if workbook[name].sheet_state == "visible"]
    assert visible == ["Ugeplan", "Aktiviteter", "Milepæle", "Problemer"]
    assert workbook["Omfang"].sheet_state == "hidden"  # what the import reads back (excel_scope)


def test_the_week_plan_prints_at_full_size_with_titles_repeated_on_every_page(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    head = _label_row(ws, "Aktivitet")
    assert ws.freeze_panes == f"B{head + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    assert not ws.sheet_properties.pageSetUpPr.fitToPage  # never shrunk to one page: 2-3 pt text
    assert ws.page_setup.scale == 100
    assert ws.print_title_rows == f"$2:${head}"
    assert ws.print_title_cols == "$A:$A"
    assert ws.oddHeader.left.text.startswith("Udrulning af Mit Forventede Regnskab")
    assert ws.oddFooter.left.text == "Revision 12"
    assert ws.oddFooter.right.text == "Side &P af &N"


def test_the_week_grid_breaks_pages_between_months_and_before_each_department(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    weeks = _weeks(ws)
    columns = {c: m for m, c in weeks.items()}
    ends = [b.id for b in ws.col_breaks.brk]
    for end in ends:
        # The break falls after a month's last week: the next column starts a new month.
        assert columns[end].month != columns[end + 1].month
    pages = [1, *ends, max(columns)]
    assert all(b - a <= 23 for a, b in itertools.pairwise(pages))  # weeks that fit A4 at 100 %
    groups = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).style == "mfr_group"]
    assert len(groups) == 8  # Fælles and seven departments
    assert sorted(b.id for b in ws.row_breaks.brk) == [r - 1 for r in groups[1:]]


def test_week_columns_are_consecutive_iso_weeks_with_mondays(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    weeks = _weeks(ws)
    mondays = list(weeks)
    assert all(m.weekday() == 0 for m in mondays)
    assert all((b - a).days == 7 for a, b in itertools.pairwise(mondays))
    row = _label_row(ws, "Uge")
    assert [ws.cell(row, c).value for c in weeks.values()] == [m.isocalendar()[1] for m in mondays]
    months = [ws.cell(row - 1, c).value for c in weeks.values() if ws.cell(row - 1, c).value]
    assert months[:3] == ["december 2025", "januar 2026", "februar"]


def test_every_week_of_an_activity_is_filled_in_its_waves_colour(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    rows = _activities(ws)
    follow_up = rows["Børn & Familie", "Børn & Familie", "Økonomiopfølgning i MFR"]
    assert _filled(ws, follow_up) == [dt.date(2026, 3, 16), dt.date(2026, 3, 23)]  # uge 12 and 13
    invitation = rows["Børn & Familie", "Børn & Familie", "Indkaldelse af ledere til workshop"]
    assert _filled(ws, invitation) == [dt.date(2026, 1, 26), dt.date(2026, 2, 2)]  # uge 5 and 6
    workshop = rows["Børn & Familie", "Børn & Familie", "Workshop for ledere og administrative (2 timer)"]
    col = _weeks(ws)[dt.date(2026, 3, 9)]
    assert ws.cell(workshop, col).fill.fgColor.rgb.endswith(wave_colour(1))
    assert not ws.cell(workshop, col + 1).style.startswith("mfr_wave_")


def test_no_label_sits_in_a_bar_so_none_spills_over_the_next_weeks(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    for r in _activities(ws).values():
        for c in range(2, ws.max_column + 1):
            cell = ws.cell(r, c)
            if cell.style.endswith(("_done", "_overdue")):
                # A done or overdue week shows its one-character mark, centred in its own cell.
                assert cell.value in ("✓", "!") and cell.alignment.horizontal == "center"
            elif cell.style.startswith("mfr_wave_"):
                # The wave's number, never shown (';;;'): it only keeps the holiday shading off the bar.
                assert isinstance(cell.value, int) and cell.number_format == ";;;"


def test_units_are_headings_within_their_department(workbook) -> None:  # type: ignore[no-untyped-def]
    rows = _activities(workbook["Ugeplan"])
    units = {(d, u) for d, u, _ in rows}
    assert ("Ældre, Sundhed & Social", "Ældre, Sundhed & Social (ekskl. enheder med vagtplaner)") in units
    assert ("Kultur, Fritid & Ejendomme", "Ejendomme") in units
    assert ("Fælles", "Fælles", "Præsentation af MFR for Chefforum (1 time)") in rows


def test_holiday_weeks_are_grey_down_the_whole_column(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    col = _weeks(ws)[dt.date(2026, 10, 12)]  # uge 42, efterårsferie
    letter = ws.cell(1, col).column_letter
    head = _label_row(ws, "Aktivitet")
    for r in range(_label_row(ws, "Uge"), head):
        cell = ws.cell(r, col)
        if cell.coordinate not in ws.merged_cells:
            assert cell.fill.fgColor.rgb.endswith(HOLIDAY_SHADE), (r, cell.style)
    # Below the headings every empty cell of the week is painted by one rule, down to the last row.
    last = max(_activities(ws).values())
    rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    rule = rules[f"{letter}{head + 1}:{letter}{last}"][0]
    assert rule.formula == [f"ISBLANK({letter}{head + 1})"]
    assert rule.dxf.fill.bgColor.rgb.endswith(HOLIDAY_SHADE)
    plain = ws.cell(1, _weeks(ws)[dt.date(2026, 10, 19)]).column_letter
    assert not any(r.startswith(f"{plain}{head + 1}:") for r in rules)


def test_holidays_milestones_and_the_data_cutoff_are_written_above_the_grid(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    weeks = _weeks(ws)
    head = _label_row(ws, "Aktivitet")

    def notes(label: str) -> dict[int, str]:
        first = _label_row(ws, label)
        lanes = range(first, next(r for r in range(first + 1, head + 1) if ws.cell(r, 1).value))
        return {c: ws.cell(r, c).value for r in lanes for c in weeks.values() if ws.cell(r, c).value}

    assert notes("Ferie/helligdag")[weeks[dt.date(2026, 10, 12)]] == "efterårsferie"
    assert "◆ KB" in notes("Milepæle")[weeks[dt.date(2026, 10, 5)]]  # 2. behandling, uge 41
    cutoffs = notes("Skæringsdato for data")
    assert cutoffs[weeks[dt.date(2026, 2, 23)]] == "Data pr. 28.02.2026 (bølge 1)"  # uge 9
    assert cutoffs[weeks[dt.date(2026, 4, 27)]] == "Data pr. 30.04.2026 (bølge 2)"
    assert cutoffs[weeks[dt.date(2026, 9, 28)]] == "Data pr. 30.09.2026 (bølge 3)"


def test_merged_labels_never_cross_a_printed_page(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    breaks = [b.id for b in ws.col_breaks.brk]
    for merged in ws.merged_cells.ranges:
        assert not any(merged.min_col <= b < merged.max_col for b in breaks), merged.coord


def test_activities_sheet_is_a_table_with_keys_last_and_not_printed(workbook, sample_schedule) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Aktiviteter"]
    assert list(ws.tables) == ["Aktiviteter"]
    table = ws.tables["Aktiviteter"]
    columns = len(ACTIVITY_SHEET_COLUMNS) + len(STATUS_SHEET_COLUMNS)
    assert table.ref == f"A1:{get_column_letter(columns)}{len(sample_schedule) + 1}"
    headings = [c.value for c in ws[1]]
    # Every heading the import reads, in order, with the status columns (read by no one) beside the weeks.
    assert [h for h in headings if h not in ("Status", "Forskydning (uger)")] == [
        h for h, _, _ in ACTIVITY_SHEET_COLUMNS
    ]
    assert headings[-3:] == ["Nøgle", "Enheds-id", "Aktivitets-id"]
    # Printed: everything up to Slet; the three keys are not.
    assert ws.print_area == f"'Aktiviteter'!$A$1:${get_column_letter(columns - 3)}${len(sample_schedule) + 1}"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    start = headings.index("Startdato") + 1
    week = headings.index("Startuge") + 1
    assert isinstance(ws.cell(2, start).value, dt.datetime)
    assert ws.cell(2, start).number_format == "dd.mm.yyyy"
    assert ws.cell(2, week).data_type == "s"
    assert ws.cell(2, week).value == "2026-W04"
    source = ws.cell(2, headings.index("Kilde") + 1)
    assert source.value.startswith("Chefforum 17-12-2025")
    assert source.alignment.wrap_text
    assert ws.row_dimensions[2].height > 15  # a wrapped source gets the lines it needs


def test_milestones_and_problems_sheets(workbook, sample_plan: Plan) -> None:  # type: ignore[no-untyped-def]
    ms = workbook["Milepæle"]
    assert ms.max_row == len(sample_plan.milestones) + 1
    assert isinstance(ms.cell(2, 1).value, dt.datetime)
    problems = workbook["Problemer"]
    assert [c.value for c in problems[1]] == ["Alvor", "Uge", "Enhed", "Aktivitet", "Problem", "Forslag", "Kode"]
    rows = list(problems.iter_rows(min_row=2, values_only=True))
    assert any("efterårsferie" in str(r[4]) and r[1] == "uge 42 2026" for r in rows)


def test_a_plan_reaching_week_53_gets_a_week_53_column(plan_dir: Path) -> None:
    waves = pd.read_csv(plan_dir / "waves.csv", dtype=str, keep_default_na=False)
    waves.loc[waves["wave"] == "3", "follow_up_month"] = "2027-01"
    waves.to_csv(plan_dir / "waves.csv", index=False)
    ws = _book(export_workbook(load_plan(plan_dir)))["Ugeplan"]
    weeks = _weeks(ws)
    row = _label_row(ws, "Uge")
    numbers = [ws.cell(row, c).value for c in weeks.values()]
    i = numbers.index(53)
    assert numbers[i - 1 : i + 2] == [52, 53, 1]
    assert list(weeks)[i] == dt.date(2026, 12, 28)
    assert ws.cell(row - 1, list(weeks.values())[i + 1]).value == "januar 2027"


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


def test_a_department_workbook_holds_only_its_own_activities_and_waves(sample_plan: Plan) -> None:
    book = _book(export_workbook(sample_plan, department="born-og-familie"))
    units = {r[2] for r in book["Aktiviteter"].iter_rows(min_row=2, values_only=True)}
    assert units == {"Børn & Familie"}
    ws = book["Ugeplan"]
    assert ws.cell(1, 1).value.startswith("Ugeplan for Børn & Familie")
    assert min(_weeks(ws)) == dt.date(2026, 1, 26)  # its own first week, not the plan's
    assert {d for d, _, _ in _activities(ws)} == {"Børn & Familie"}
    cutoff_row = _label_row(ws, "Skæringsdato for data")
    texts = [ws.cell(cutoff_row, c).value for c in range(2, ws.max_column + 1) if ws.cell(cutoff_row, c).value]
    assert texts == ["Data pr. 28.02.2026 (bølge 1)"]


def test_an_empty_plan_exports_a_workbook_that_says_so(sample_plan: Plan) -> None:
    empty = sample_plan.with_tables(
        assignments=sample_plan.assignments.iloc[0:0],
        tasks=sample_plan.tasks.iloc[0:0],
        dependencies=sample_plan.dependencies.iloc[0:0],
    )
    ws = _book(export_workbook(empty))["Ugeplan"]
    assert any(ws.cell(r, 1).value == "Planen har ingen aktiviteter endnu." for r in range(1, ws.max_row + 1))


def test_file_names_are_safe_ascii_and_carry_the_revision(sample_plan: Plan) -> None:
    assert export_filename(sample_plan, department="Børn & Familie") == "ugeplan-born-og-familie-2026.xlsx"
    assert (
        export_filename(sample_plan, department="born-familie", revision=12)
        == "ugeplan-born-og-familie-2026-rev12.xlsx"
    )
    assert export_filename(sample_plan, revision=3) == "ugeplan-alle-afdelinger-2026-rev3.xlsx"


def test_the_export_takes_its_options_by_keyword_so_more_can_be_added() -> None:
    params = list(inspect.signature(export_workbook).parameters.values())
    assert params[0].name == "plan"
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params[1:])
    assert {"department", "analysis", "revision"} <= {p.name for p in params}


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


@pytest.fixture(scope="module")
def status_book(sample_plan: Plan):  # type: ignore[no-untyped-def]
    """Børn & Familie's week plan as of 15.04.2026, its workshop postponed from uge 11 to uge 13."""
    override = pd.DataFrame(
        [{"unit_id": "born-familie", "activity_id": "workshop", "start_week": "2026-W13", "source": "udskudt"}]
    )
    plan = sample_plan.with_tables(overrides=pd.concat([sample_plan.overrides, override], ignore_index=True))
    data = export_workbook(plan, department="born-familie", as_of=dt.date(2026, 4, 15))
    return plan, data, _book(data)


def test_the_activities_sheet_shows_status_and_slip(status_book) -> None:  # type: ignore[no-untyped-def]
    _, _, book = status_book
    ws = book["Aktiviteter"]
    headings = [c.value for c in ws[1]]
    assert headings[headings.index("Slutdato") + 1 : headings.index("Slutdato") + 3] == ["Status", "Forskydning (uger)"]
    rows = {ws.cell(r, headings.index("Aktivitets-id") + 1).value: r for r in range(2, ws.max_row + 1)}
    status, slip = headings.index("Status") + 1, headings.index("Forskydning (uger)") + 1
    assert ws.cell(rows["workshop"], status).value == "forsinket (planlagt)"
    assert ws.cell(rows["workshop"], slip).value == 2 and ws.cell(rows["workshop"], slip).number_format == "+0;-0;0"
    assert ws.cell(rows["orientering"], status).value == "gennemført"
    assert ws.cell(rows["orientering"], slip).value == 0


def test_the_week_plan_marks_done_and_overdue_with_a_symbol_and_a_border(status_book) -> None:  # type: ignore[no-untyped-def]
    _, _, book = status_book
    ws = book["Ugeplan"]
    rows, weeks = _activities(ws), _weeks(ws)
    done = ws.cell(
        rows["Børn & Familie", "Børn & Familie", "Orienteringsmøde for ledere (½ time)"], weeks[dt.date(2026, 2, 23)]
    )
    assert done.value == "✓" and done.border.top.style == "thin"
    late = ws.cell(
        rows["Børn & Familie", "Børn & Familie", "Workshop for ledere og administrative (2 timer)"],
        weeks[dt.date(2026, 3, 23)],
    )
    assert late.value == "!" and late.fill.fill_type == "lightUp" and late.border.left.style == "medium"
    # The approved week it left is empty now.
    assert ws.cell(late.row, weeks[dt.date(2026, 3, 9)]).value is None
    legend = [ws.cell(r, 1).value for r in range(_label_row(ws, "Forklaring"), ws.max_row + 1)]
    assert "Gennemført (pr. 15.04.2026)" in legend and "Forsinket (pr. 15.04.2026)" in legend
    sample = ws.cell(_label_row(ws, "Forsinket (pr. 15.04.2026)"), 2)
    assert sample.value == "!" and sample.style == late.style


def test_the_import_ignores_the_status_columns(status_book) -> None:  # type: ignore[no-untyped-def]
    from planner.excel_import import preview_import

    plan, _, book = status_book
    ws = book["Aktiviteter"]
    headings = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, headings.index("Status") + 1).value = "gennemført"
        ws.cell(r, headings.index("Forskydning (uger)") + 1).value = 9
    out = io.BytesIO()
    book.save(out)
    assert preview_import(plan, out.getvalue()).changes.empty
