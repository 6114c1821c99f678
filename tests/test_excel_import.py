import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook
from workbooks import edit, find_row, libreoffice_resave, move_bar

from planner import Plan, PlanError
from planner.excel import export_workbook
from planner.excel_import import preview_import


@pytest.fixture(scope="module")
def exported(sample_plan: Plan) -> bytes:
    return export_workbook(sample_plan)


@pytest.fixture(scope="module")
def department(sample_plan: Plan) -> bytes:
    """Børn & Familie's own week plan, as its head downloads it from Min afdeling."""
    return export_workbook(sample_plan, department="born-familie")


def _error(plan: Plan, data: bytes) -> str:
    with pytest.raises(PlanError) as info:
        preview_import(plan, data)
    return str(info.value)


def _set(unit: str, activity: str, **cells: object) -> Any:
    def change(ws: Any, c: dict[str, int]) -> None:
        r = find_row(ws, c, unit, activity)
        for heading, value in cells.items():
            ws.cell(r, c[heading]).value = value

    return change


def _only_change(preview: Any) -> dict[str, str]:
    assert len(preview.changes) == 1, preview.changes.to_string()
    return dict(preview.changes.iloc[0])


ORIENTERING_BF = {
    "change": "flyttet",
    "unit": "Børn & Familie",
    "activity": "Orienteringsmøde for ledere",
    "from_week": "2026-W09",
    "to_week": "2026-W10",
}


def test_export_then_import_gives_the_same_plan(sample_plan: Plan, exported: bytes, department: bytes) -> None:
    for data in (exported, department):
        preview = preview_import(sample_plan, data)
        assert preview.changes.empty and preview.notes == []
        assert preview.summary == "0 aktiviteter flyttes, 0 aktiviteter tilføjes, 0 aktiviteter fjernes"
        for name, frame in sample_plan.tables().items():
            pd.testing.assert_frame_equal(
                preview.plan.tables()[name].reset_index(drop=True), frame.reset_index(drop=True), obj=name
            )


def test_a_department_export_with_one_edit_changes_exactly_that_activity(sample_plan: Plan, department: bytes) -> None:
    data = edit(department, _set("born-familie", "orientering", Startuge="2026-W10", Slutuge="2026-W10"))
    preview = preview_import(sample_plan, data)
    assert _only_change(preview) == ORIENTERING_BF
    assert preview.summary == "1 aktivitet flyttes, 0 aktiviteter tilføjes, 0 aktiviteter fjernes"
    assert preview.scope == "Projektmappen dækker afdelingen Børn & Familie; resten af planen ændres ikke."
    assert preview.accepted
    for name in ("units", "assignments", "tasks", "template", "dependencies", "milestones"):
        pd.testing.assert_frame_equal(getattr(preview.plan, name), getattr(sample_plan, name), obj=name)


def test_a_department_export_cannot_change_another_departments_unit(sample_plan: Plan, department: bytes) -> None:
    def steal(ws: Any, c: dict[str, int]) -> None:
        r = ws.max_row + 1
        for heading, value in {
            "Enheds-id": "ejendomme",
            "Aktivitet": "Ekstra møde",
            "Type": "møde",
            "Startuge": "2026-W45",
            "Slutuge": "2026-W45",
        }.items():
            ws.cell(r, c[heading]).value = value

    text = _error(sample_plan, edit(department, steal))
    assert "felt 'Enheds-id': projektmappen dækker ikke enheden 'ejendomme'" in text


def test_rows_left_out_of_the_file_are_never_removed(sample_plan: Plan, exported: bytes) -> None:
    def cut(ws: Any, c: dict[str, int]) -> None:
        for r in range(ws.max_row, 1, -1):
            if ws.cell(r, c["Enheds-id"]).value in ("ejendomme", None) or ws.cell(r, c["Aktivitets-id"]).value == (
                "workshop"
            ):
                ws.delete_rows(r)

    preview = preview_import(sample_plan, edit(exported, cut))
    assert preview.changes.empty
    assert preview.removals == 0


def test_a_slet_mark_removes_a_task_and_a_whole_unit_from_its_wave(sample_plan: Plan, exported: bytes) -> None:
    def mark(ws: Any, c: dict[str, int]) -> None:
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, c["Enheds-id"]).value == "ejendomme" or (
                ws.cell(r, c["Aktivitets-id"]).value == "beskrivelse-udfordringer"
            ):
                ws.cell(r, c["Slet"]).value = "x"

    preview = preview_import(sample_plan, edit(exported, mark))
    removed = preview.changes[preview.changes["change"] == "fjernet"]
    assert preview.removals == 6
    assert set(removed["unit"]) == {"Ejendomme", ""}
    assert "beskrivelse-udfordringer" not in set(preview.plan.tasks["task_id"])
    assert "ejendomme" not in set(preview.plan.assignments["unit_id"])
    assert preview.summary.endswith("6 aktiviteter fjernes")


def test_a_slet_mark_on_one_template_activity_is_refused_naming_the_cell(sample_plan: Plan, exported: bytes) -> None:
    rows: list[int] = []

    def mark(ws: Any, c: dict[str, int]) -> None:
        rows.append(find_row(ws, c, "ejendomme", "workshop"))
        ws.cell(rows[0], c["Slet"]).value = "x"

    text = _error(sample_plan, edit(exported, mark))
    assert f"Aktiviteter, række {rows[0]}, felt 'Slet': en enkelt aktivitet fra ugeplanens skabelon" in text


def test_changing_only_startuge_moves_the_whole_activity(sample_plan: Plan, department: bytes) -> None:
    preview = preview_import(sample_plan, edit(department, _set("born-familie", "opfolgning", Startuge="2026-W13")))
    assert _only_change(preview)["to_week"] == "2026-W13"
    moved = preview.plan.overrides.set_index(["unit_id", "activity_id"])["start_week"]
    assert moved["born-familie", "opfolgning"] == "2026-W13"
    [note] = preview.notes
    assert note.field == "Startuge" and "hele aktiviteten flyttes, så den slutter i uge 14 2026" in note.message


def test_changing_only_startuge_of_a_task_keeps_its_length(sample_plan: Plan, exported: bytes) -> None:
    preview = preview_import(sample_plan, edit(exported, _set("", "beskrivelse-udfordringer", Startuge="2026-W08")))
    task = preview.plan.tasks.set_index("task_id").loc["beskrivelse-udfordringer"]
    assert (task["start_week"], task["end_week"]) == ("2026-W08", "2026-W14")


def test_changing_the_dates_is_honoured(sample_plan: Plan, department: bytes) -> None:
    data = edit(department, _set("born-familie", "orientering", Startdato="02.03.2026", Slutdato="08.03.2026"))
    assert _only_change(preview_import(sample_plan, data)) == ORIENTERING_BF


def test_weeks_and_dates_that_disagree_are_refused_naming_both(sample_plan: Plan, department: bytes) -> None:
    data = edit(
        department,
        _set("born-familie", "orientering", Startuge="2026-W10", Slutuge="2026-W10", Startdato="09.03.2026"),
    )
    text = _error(sample_plan, data)
    assert "Startuge/Slutuge siger uge 10 2026–uge 10 2026, men Startdato/Slutdato siger uge 11 2026" in text


def test_moving_a_bar_in_the_week_grid_moves_the_activity(sample_plan: Plan, department: bytes) -> None:
    data = move_bar(department, "Børn & Familie", "Orienteringsmøde for ledere", 1)
    assert _only_change(preview_import(sample_plan, data)) == ORIENTERING_BF


def test_a_bar_and_its_row_that_disagree_are_refused_naming_the_cell(sample_plan: Plan, department: bytes) -> None:
    data = move_bar(department, "Børn & Familie", "Orienteringsmøde for ledere", 2)
    data = edit(data, _set("born-familie", "orientering", Startuge="2026-W10", Slutuge="2026-W10"))
    text = _error(sample_plan, data)
    assert "men bjælken i Ugeplan (celle" in text and "siger uge 11 2026" in text


def test_an_unchanged_row_does_not_undo_a_save_made_after_the_export(sample_plan: Plan, department: bytes) -> None:
    # The head downloads the week plan; then Økonomi & Stab moves the workshop; then the head's file comes back.
    overrides = pd.concat(
        [
            sample_plan.overrides,
            pd.DataFrame(
                [{"unit_id": "born-familie", "activity_id": "workshop", "start_week": "2026-W12", "source": "x"}]
            ),
        ],
        ignore_index=True,
    )
    newer = sample_plan.with_tables(overrides=overrides)
    data = edit(department, _set("born-familie", "orientering", Startuge="2026-W10", Slutuge="2026-W10"))
    preview = preview_import(newer, data)
    assert _only_change(preview) == ORIENTERING_BF
    kept = preview.plan.overrides.set_index(["unit_id", "activity_id"])["start_week"]
    assert kept["born-familie", "workshop"] == "2026-W12"


def test_an_older_workbook_covers_only_the_units_it_has_rows_for(sample_plan: Plan, department: bytes) -> None:
    def old(ws: Any, c: dict[str, int]) -> None:
        ws.parent.remove(ws.parent["Omfang"])  # what an export from before this version looks like
        _set("born-familie", "orientering", Startuge="2026-W10", Slutuge="2026-W10")(ws, c)

    preview = preview_import(sample_plan, edit(department, old))
    assert _only_change(preview) == ORIENTERING_BF
    assert "ældre version" in preview.scope and "Børn & Familie" in preview.scope


def test_edits_to_columns_of_the_shared_template_are_explained_not_taken(sample_plan: Plan, department: bytes) -> None:
    rows: list[int] = []

    def change(ws: Any, c: dict[str, int]) -> None:
        rows.append(find_row(ws, c, "born-familie", "workshop"))
        ws.cell(rows[0], c["Deltagere"]).value = "Kun ledere"

    preview = preview_import(sample_plan, edit(department, change))
    assert preview.changes.empty
    [note] = preview.notes
    assert str(note).startswith(f"Aktiviteter, række {rows[0]}, felt 'Deltagere': ændringen bruges ikke")


def test_a_task_title_and_hours_are_taken(sample_plan: Plan, exported: bytes) -> None:
    data = edit(exported, _set("", "praesentation-chefforum", Aktivitet="MFR vist for Chefforum", Timer=1.5))
    task = preview_import(sample_plan, data).plan.tasks.set_index("task_id").loc["praesentation-chefforum"]
    assert (task["title"], task["hours"]) == ("MFR vist for Chefforum", 1.5)


def test_a_libreoffice_resave_imports_as_exactly_its_one_change(
    sample_plan: Plan, department: bytes, tmp_path: Path
) -> None:
    data = edit(department, _set("born-familie", "orientering", Startuge="2026-W10", Slutuge="2026-W10"))
    resaved = libreoffice_resave(data, tmp_path)
    assert resaved != data
    preview = preview_import(sample_plan, resaved)
    assert _only_change(preview) == ORIENTERING_BF
    assert preview.notes == [] and preview.accepted
    assert preview_import(sample_plan, libreoffice_resave(department, tmp_path)).changes.empty


def test_moving_a_workshop_shows_in_the_preview_and_becomes_an_override(sample_plan: Plan, exported: bytes) -> None:
    def move(ws: Any, c: dict[str, int]) -> None:
        r = find_row(ws, c, "miljo-teknik", "workshop")
        ws.cell(r, c["Startuge"]).value = "2026-W43"
        ws.cell(r, c["Slutuge"]).value = "uge 43 2026"
        r = find_row(ws, c, "miljo-teknik", "opfolgning")
        ws.cell(r, c["Startuge"]).value = "2026-W44"
        ws.cell(r, c["Slutuge"]).value = "2026-W45"

    preview = preview_import(sample_plan, edit(exported, move))
    changes = preview.changes.set_index("activity")
    assert set(changes["unit"]) == {"Miljø & Teknik"}
    assert changes.loc["Workshop for ledere og administrative", ["change", "from_week", "to_week"]].tolist() == [
        "flyttet",
        "2026-W42",
        "2026-W43",
    ]
    assert changes.loc["Økonomiopfølgning i MFR", ["from_week", "to_week"]].tolist() == ["2026-W43", "2026-W44"]
    overrides = preview.plan.overrides.set_index(["unit_id", "activity_id"])["start_week"]
    assert overrides["miljo-teknik", "workshop"] == "2026-W43"
    assert overrides["miljo-teknik", "opfolgning"] == "2026-W44"
    assert preview.accepted, preview.findings.to_string()
    assert sample_plan.overrides["unit_id"].tolist() == ["dagtilbud-skoler"]  # the old plan is untouched


def test_moving_only_the_workshop_onto_its_follow_up_is_refused(sample_plan: Plan, exported: bytes) -> None:
    data = edit(exported, _set("miljo-teknik", "workshop", Startuge="2026-W43", Slutuge="2026-W43"))
    preview = preview_import(sample_plan, data)
    assert not preview.accepted
    assert (preview.findings["code"] == "dependency").any()


def test_moving_a_unit_to_another_wave(sample_plan: Plan, exported: bytes) -> None:
    def move(ws: Any, c: dict[str, int]) -> None:
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, c["Enheds-id"]).value == "kultur-fritid":
                ws.cell(r, c["Bølge"]).value = 3

    preview = preview_import(sample_plan, edit(exported, move))
    assert preview.plan.assignments.set_index("unit_id")["wave"]["kultur-fritid"] == 3
    assert preview.plan.overrides["unit_id"].tolist() == ["dagtilbud-skoler"]
    moved = preview.changes[preview.changes["unit"] == "Kultur & Fritid"]
    assert len(moved) == 5 and set(moved["change"]) == {"flyttet"}


def test_changing_the_wave_of_one_row_only_is_refused(sample_plan: Plan, exported: bytes) -> None:
    text = _error(sample_plan, edit(exported, _set("kultur-fritid", "workshop", Bølge=3)))
    assert "felt 'Bølge': bølgen er ændret her, men ikke i række" in text


def test_a_new_row_becomes_a_new_activity(sample_plan: Plan, exported: bytes) -> None:
    def change(ws: Any, c: dict[str, int]) -> None:
        r = ws.max_row + 1
        ws.cell(r, c["Aktivitet"]).value = "Ekstra workshop for Ejendomme"
        ws.cell(r, c["Type"]).value = "workshop"
        ws.cell(r, c["Enheds-id"]).value = "ejendomme"
        ws.cell(r, c["Startuge"]).value = "2026-W45"
        ws.cell(r, c["Slutuge"]).value = "2026-W45"

    preview = preview_import(sample_plan, edit(exported, change))
    assert _only_change(preview)["change"] == "tilføjet"
    assert "ekstra-workshop-for-ejendomme" in set(preview.plan.tasks["task_id"])


def test_an_import_that_breaks_a_dependency_is_refused_with_the_findings(sample_plan: Plan, exported: bytes) -> None:
    preview = preview_import(
        sample_plan, edit(exported, _set("ass-vagtplaner", "kontoplan-ass-vagtplaner", Slutuge="2026-W38"))
    )
    assert not preview.accepted
    assert "Kontoplan tilpasses" in " ".join(preview.findings["message"])


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Enheds-id", "ukendt-enhed", "Aktiviteter, række {row}, felt 'Enheds-id': ukendt enhed 'ukendt-enhed'"),
        (
            "Startuge",
            "2027-W53",
            "Aktiviteter, række {row}, felt 'Startuge': ugyldig uge: '2027-W53': 2027 har kun uge 1 til 52",
        ),
        (
            "Slutuge",
            "2026-W01",
            "Aktiviteter, række {row}, felt 'Slutuge': Slutuge (uge 1 2026) ligger før Startuge (uge 42 2026)",
        ),
    ],
)
def test_bad_cells_are_named_by_row_and_column(
    sample_plan: Plan, exported: bytes, column: str, value: str, message: str
) -> None:
    rows: list[int] = []

    def bad(ws: Any, c: dict[str, int]) -> None:
        r = find_row(ws, c, "miljo-teknik", "workshop")
        rows.append(r)
        ws.cell(r, c[column]).value = value

    text = _error(sample_plan, edit(exported, bad))
    assert message.format(row=rows[0]) in text


def test_a_missing_column_is_named(sample_plan: Plan, exported: bytes) -> None:
    def drop(ws: Any, c: dict[str, int]) -> None:
        ws.delete_cols(c["Startuge"])

    assert _error(sample_plan, edit(exported, drop)) == "Aktiviteter, række 1, felt 'Startuge': kolonnen mangler"


def test_a_missing_sheet_is_named(sample_plan: Plan) -> None:
    wb = Workbook()
    wb.active.title = "Noget andet"
    out = io.BytesIO()
    wb.save(out)
    assert _error(sample_plan, out.getvalue()) == "Aktiviteter: arket mangler i projektmappen"


def test_a_file_that_is_not_xlsx_is_refused(sample_plan: Plan) -> None:
    assert _error(sample_plan, "enhed;uge\nBørn;11\n".encode()) == "Filen er ikke en Excel-projektmappe (.xlsx)"


def test_a_corrupt_workbook_is_refused(sample_plan: Plan, exported: bytes) -> None:
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(exported)) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet2.xml") else data)
    assert _error(sample_plan, broken.getvalue()).startswith("Filen er beskadiget og kan ikke læses som .xlsx")


def test_a_password_protected_workbook_is_refused(sample_plan: Plan, exported: bytes) -> None:
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(exported)).encrypt("hemmelig", encrypted)
    assert "beskyttet med adgangskode" in _error(sample_plan, encrypted.getvalue())


def test_a_file_over_10_mb_is_refused(sample_plan: Plan) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Aktiviteter")
    for _ in range(1000):
        ws.append([os.urandom(12_000).hex()])  # incompressible text: the file itself is over 10 MB
    out = io.BytesIO()
    wb.save(out)
    assert len(out.getvalue()) > 10 * 1024 * 1024
    assert "Filen er for stor" in _error(sample_plan, out.getvalue())


def test_a_workbook_with_macros_is_refused(sample_plan: Plan, exported: bytes) -> None:
    with_macro = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(exported)) as src, zipfile.ZipFile(with_macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Module1"')
    assert "indeholder makroer" in _error(sample_plan, with_macro.getvalue())


def test_an_xml_bomb_is_refused_without_expanding(sample_plan: Plan, exported: bytes) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    evil = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(exported)) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, bomb if item.filename.endswith("sheet2.xml") else src.read(item))
    assert _error(sample_plan, evil.getvalue()).startswith("Filen er beskadiget og kan ikke læses som .xlsx")


def test_formulas_are_read_as_saved_values_never_run(sample_plan: Plan, exported: bytes) -> None:
    def formula(ws: Any, c: dict[str, int]) -> None:
        r = find_row(ws, c, "miljo-teknik", "workshop")
        ws.cell(r, c["Startuge"]).value = '=HYPERLINK("http://x","2026-W43")'

    # openpyxl saves no computed value for a formula, so the cell reads as empty: a clear error.
    assert "felt 'Startuge': ugyldig uge" in _error(sample_plan, edit(exported, formula))


def test_a_moved_override_keeps_its_lock_weekday_and_time(sample_plan: Plan) -> None:
    overrides = sample_plan.overrides.copy()
    at = overrides.index[overrides["unit_id"] == "dagtilbud-skoler"][0]
    for column, value in {"pinned": "ja", "weekday": "tirsdag", "time": "09:00"}.items():
        overrides[column] = overrides[column].astype(object)
        overrides.at[at, column] = value
    plan = sample_plan.with_tables(overrides=overrides)
    activity = str(overrides.at[at, "activity_id"])
    workbook = export_workbook(plan)

    for week in ("2026-W11", "2026-W09"):  # a new week, then the template's own week
        preview = preview_import(plan, edit(workbook, _set("dagtilbud-skoler", activity, Startuge=week)))
        row = preview.plan.overrides.set_index(["unit_id", "activity_id"]).loc[("dagtilbud-skoler", activity)]
        assert (row["start_week"], row["pinned"], row["weekday"], row["time"]) == (
            week,
            "ja",
            "tirsdag",
            "09:00",
        )


def test_a_bar_moved_below_an_inserted_empty_row_is_still_read(sample_plan: Plan, department: bytes) -> None:
    def insert_row(ws: Any, c: dict[str, int]) -> None:
        header = next(r for r in range(1, 60) if ws.cell(r, 1).value == "Aktivitet")
        ws.insert_rows(header + 2)  # between the unit's heading and its first activity

    data = move_bar(edit(department, insert_row, sheet="Ugeplan"), "Børn & Familie", "Orienteringsmøde for ledere", 1)
    assert _only_change(preview_import(sample_plan, data)) == ORIENTERING_BF
