import dataclasses
import datetime as dt
import inspect
import io
import itertools
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from planner import Plan, check, load_plan, schedule
from planner.excel import ACTIVITY_SHEET_COLUMNS, STATUS_SHEET_COLUMNS, export_filename, export_workbook
from planner.palette import HOLIDAY_SHADE, wave_colour
from planner.schema import BUDGET_STEPS
from planner.views import analyse

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
        elif cell.style in ("mfr_wrap", "mfr_flagged"):
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
    # The title is printed in the page header, whole on every page; its cell (row 1, cut at the
    # repeated first column on later pages) is for the screen only.
    assert ws.oddHeader.left.text == "Udrulning af Mit Forventede Regnskab og Budget 2027"
    assert ws.oddHeader.left.font == "Calibri,Bold"
    assert ws.print_area.split("!")[1].startswith("$A$2:")
    assert ws.oddFooter.left.text == "Revision 12"
    assert ws.oddFooter.right.text == "Side &P af &N"


def _bands(ws: Any) -> list[list[int]]:
    """Return the week columns of each printed page, from the sheet's column breaks."""
    columns = sorted(_weeks(ws).values())
    ends = [b.id for b in ws.col_breaks.brk]
    return [[c for c in columns if lo < c <= hi] for lo, hi in itertools.pairwise([1, *ends, max(columns)])]


def test_the_week_grid_fills_its_pages_and_breaks_before_each_department(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    bands = _bands(ws)
    weeks = sum(len(b) for b in bands)
    # As few pages across as 27 weeks a page allow (A4 at 100 %), none of them mostly blank:
    # the plan's 54 weeks print on two pages, not on a page of December-January and two more.
    assert len(bands) == math.ceil(weeks / 27) == 2
    assert all(18 <= len(b) <= 27 for b in bands), [len(b) for b in bands]
    groups = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).style == "mfr_group"]
    assert len(groups) == 8  # Fælles and seven departments
    assert sorted(b.id for b in ws.row_breaks.brk) == [r - 1 for r in groups[1:]]


def test_a_departments_pages_are_filled_evenly(sample_plan: Plan) -> None:
    ws = _book(export_workbook(sample_plan, department="Ældre, Sundhed & Social"))["Ugeplan"]
    bands = _bands(ws)
    # 31 weeks: two pages of about half each, not 23 weeks and a page of 8.
    assert len(bands) == 2 and min(len(b) for b in bands) >= 12, [len(b) for b in bands]


def test_every_printed_page_names_the_year_of_its_first_month_and_of_a_new_year(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    month_row = _label_row(ws, "Uge") - 1
    mondays = {c: m for m, c in _weeks(ws).items()}
    for band in _bands(ws):
        names = [(c, ws.cell(month_row, c).value) for c in band if ws.cell(month_row, c).value]
        assert names and names[0][1].endswith(str(mondays[names[0][0]].year)), names
        for (_, before), (c, name) in itertools.pairwise(names):
            if mondays[c].month == 1:
                assert name.endswith(str(mondays[c].year)), (before, name)
    assert [ws.cell(month_row, band[0]).value for band in _bands(ws)][1].endswith("2026")


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


def test_every_bar_week_shows_its_wave_number_so_waves_differ_in_grey_print(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    shown = set()
    for r in _activities(ws).values():
        for c in range(2, ws.max_column + 1):
            cell = ws.cell(r, c)
            if cell.style.endswith(("_done", "_overdue")):
                # A done or overdue week shows its one-character mark, centred in its own cell.
                assert cell.value in ("✓", "!") and cell.alignment.horizontal == "center"
            elif cell.style.startswith("mfr_wave_"):
                # The wave's number ('–' for none), printed, centred: one character never spills over.
                assert cell.value in (1, 2, 3, "–"), (cell.coordinate, cell.value)
                assert cell.number_format == "General" and cell.alignment.horizontal == "center"
                assert cell.style == f"mfr_wave_{0 if cell.value == '–' else cell.value}"
                shown.add(cell.value)
    assert shown == {1, 2, 3, "–"}
    # Dark text on the light orange of wave 2, white on the dark blue of wave 1: both readable.
    styles = {s.name: s for s in workbook._named_styles}
    assert styles["mfr_wave_2"].font.color.rgb.endswith("000000")
    assert styles["mfr_wave_1"].font.color.rgb.endswith("FFFFFF")


def _legend(ws: Any) -> dict[int, list[str]]:
    """Return the legend's texts per printed page (band of week columns), read off the header rows."""
    first = _label_row(ws, "Forklaring")
    rows = range(first, _label_row(ws, "Aktivitet"))
    return {
        band[0]: [str(ws.cell(r, c).value) for r in rows for c in band if ws.cell(r, c).value is not None]
        for band in _bands(ws)
    }


def test_the_legend_repeats_on_every_page_and_explains_every_mark(workbook) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    head = _label_row(ws, "Aktivitet")
    # In the print titles: it repeats at the top of every page, never split or left under the last department.
    assert _label_row(ws, "Forklaring") < head and ws.print_title_rows == f"$2:${head}"
    assert not any(ws.cell(r, 1).value == "Forklaring" for r in range(head, ws.max_row + 1))
    legends = _legend(ws)
    assert len(legends) == 2
    for texts in legends.values():
        assert texts == next(iter(legends.values()))  # each page its own whole copy
        for text in (
            "Bølge 1 (marts 2026)",
            "Bølge 2 (maj 2026)",
            "Bølge 3 (oktober 2026)",
            "uden bølge",
            "ferie/helligdag",
            "◆ politisk milepæl",  # orange, as '◆ KB' of the budget talks
            "◆ administrativ milepæl",  # blue
            "◆ lovkrav milepæl",  # black, as '◆ KB' of the budget's legal deadlines
            "Data pr.: skæringsdato for data",
            "⚠ problem, se arket Problemer",
        ):
            assert text in texts, (text, texts)
    # Each sample looks exactly like what it explains.
    first = _label_row(ws, "Forklaring")
    cells = [ws.cell(r, c) for r in range(first, head) for c in range(2, ws.max_column + 1)]
    by_text = {c.value: c for c in cells if isinstance(c.value, str)}
    assert by_text["◆ politisk milepæl"].font.color.rgb.endswith("D55E00")
    assert by_text["◆ lovkrav milepæl"].font.color.rgb.endswith("000000")
    samples = {c.style for c in cells if c.style.startswith("mfr_wave_")}
    assert {"mfr_wave_1", "mfr_wave_2", "mfr_wave_3", "mfr_wave_0"} <= samples


def test_activities_with_a_finding_are_marked_in_the_grid(workbook, sample_plan: Plan) -> None:  # type: ignore[no-untyped-def]
    ws = workbook["Ugeplan"]
    rows = _activities(ws)
    flagged = [k for k in rows if k[2].startswith("⚠ ")]
    # As many as the checks flag (the holiday-week workshops), as on the Problemer sheet; no other row.
    sched = schedule(sample_plan)
    expected = check(sample_plan, sched)["activity_key"].replace("", pd.NA).dropna().nunique()
    assert expected and len(flagged) == expected and all("Workshop" in k[2] for k in flagged)
    assert ("Miljø & Teknik", "Miljø & Teknik", "⚠ Workshop for ledere og administrative (2 timer)") in rows
    assert all(ws.cell(rows[k], 1).font.color.rgb.endswith("D62728") for k in flagged)
    assert not any(k[2].startswith("⚠") for k in rows if k[0] == "Børn & Familie")


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
    # Printed: everything up to Slet; the three keys are not, and are hidden on screen too.
    assert ws.print_area == f"'Aktiviteter'!$A$1:${get_column_letter(columns - 3)}${len(sample_schedule) + 1}"
    for i in range(1, columns + 1):
        assert ws.column_dimensions[get_column_letter(i)].hidden == (i > columns - 3), headings[i - 1]
    # Every kind fits its column ("forberedelse" ran into the week beside it).
    kind = get_column_letter(headings.index("Type") + 1)
    assert ws.column_dimensions[kind].width >= max(len(str(c.value)) for c in ws[kind]) + 0.5
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


def test_an_empty_problems_sheet_says_there_are_none(sample_plan: Plan) -> None:
    analysis = analyse(sample_plan)
    quiet = dataclasses.replace(analysis, findings=analysis.findings.iloc[0:0])
    problems = _book(export_workbook(sample_plan, analysis=quiet))["Problemer"]
    assert problems.cell(1, 1).value == "Alvor"
    assert problems.cell(2, 1).value == "Ingen problemer fundet."
    assert problems.max_row == 2


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
                    if cell.value[0] in "=+-@":
                        # The Text format: Excel keeps it text even when someone edits the cell.
                        assert cell.number_format == "@", (ws.title, cell.coordinate, cell.value)
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
    (legend,) = _legend(ws).values()
    assert "gennemført pr. 15.04.2026" in legend and "forsinket pr. 15.04.2026" in legend
    first, head = _label_row(ws, "Forklaring"), _label_row(ws, "Aktivitet")
    cells = [ws.cell(r, c) for r in range(first, head) for c in range(2, ws.max_column + 1)]
    sample = next(c for c in cells if c.value == "!")
    assert sample.style == late.style
    assert ws.cell(sample.row, sample.column + 1).value == "forsinket pr. 15.04.2026"


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
