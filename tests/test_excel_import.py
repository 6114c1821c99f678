import io
import os
import zipfile
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook, load_workbook

from planner import Plan, PlanError
from planner.excel import export_workbook
from planner.excel_import import preview_import


@pytest.fixture(scope="module")
def exported(sample_plan: Plan) -> bytes:
    return export_workbook(sample_plan)


def _edit(data: bytes, change: Callable[[Any, dict[str, int]], None]) -> bytes:
    """Edit the Aktiviteter sheet as a planner would in Excel, and save it again."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Aktiviteter"]
    columns = {c.value: c.column for c in ws[1]}
    change(ws, columns)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(ws: Any, columns: dict[str, int], unit: str, activity: str) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, columns["Enheds-id"]).value == unit and ws.cell(r, columns["Aktivitets-id"]).value == activity:
            return r
    raise LookupError((unit, activity))


def _error(plan: Plan, data: bytes) -> str:
    with pytest.raises(PlanError) as info:
        preview_import(plan, data)
    return str(info.value)


def test_export_then_import_gives_the_same_plan(sample_plan: Plan, exported: bytes) -> None:
    preview = preview_import(sample_plan, exported)
    assert preview.changes.empty
    assert preview.accepted
    for name, frame in sample_plan.tables().items():
        pd.testing.assert_frame_equal(preview.plan.tables()[name].reset_index(drop=True), frame.reset_index(drop=True))


def test_moving_a_workshop_shows_in_the_preview_and_becomes_an_override(sample_plan: Plan, exported: bytes) -> None:
    def move(ws: Any, c: dict[str, int]) -> None:
        r = _row(ws, c, "miljo-teknik", "workshop")
        ws.cell(r, c["Startuge"]).value = "2026-W43"
        ws.cell(r, c["Slutuge"]).value = "uge 43 2026"
        r = _row(ws, c, "miljo-teknik", "opfolgning")
        ws.cell(r, c["Startuge"]).value = "2026-W44"
        ws.cell(r, c["Slutuge"]).value = "2026-W45"

    preview = preview_import(sample_plan, _edit(exported, move))
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
    def move(ws: Any, c: dict[str, int]) -> None:
        r = _row(ws, c, "miljo-teknik", "workshop")
        ws.cell(r, c["Startuge"]).value = "2026-W43"
        ws.cell(r, c["Slutuge"]).value = "2026-W43"

    preview = preview_import(sample_plan, _edit(exported, move))
    assert not preview.accepted
    assert (preview.findings["code"] == "dependency").any()


def test_moving_a_unit_to_another_wave(sample_plan: Plan, exported: bytes) -> None:
    def move(ws: Any, c: dict[str, int]) -> None:
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, c["Enheds-id"]).value == "kultur-fritid":
                ws.cell(r, c["Bølge"]).value = 3
                start = ws.cell(r, c["Startuge"]).value
                end = ws.cell(r, c["Slutuge"]).value
                shift = {
                    "2026-W14": "2026-W36",
                    "2026-W15": "2026-W37",
                    "2026-W18": "2026-W40",
                    "2026-W20": "2026-W42",
                    "2026-W21": "2026-W43",
                    "2026-W22": "2026-W44",
                }
                ws.cell(r, c["Startuge"]).value = shift[start]
                ws.cell(r, c["Slutuge"]).value = shift[end]

    preview = preview_import(sample_plan, _edit(exported, move))
    assignments = preview.plan.assignments.set_index("unit_id")["wave"]
    assert assignments["kultur-fritid"] == 3
    assert preview.plan.overrides["unit_id"].tolist() == ["dagtilbud-skoler"]
    moved = preview.changes[preview.changes["unit"] == "Kultur & Fritid"]
    assert len(moved) == 5 and set(moved["change"]) == {"flyttet"}


def test_a_new_row_becomes_a_new_activity_and_a_deleted_task_is_removed(sample_plan: Plan, exported: bytes) -> None:
    def change(ws: Any, c: dict[str, int]) -> None:
        r = ws.max_row + 1
        ws.cell(r, c["Aktivitet"]).value = "Ekstra workshop for Ejendomme"
        ws.cell(r, c["Type"]).value = "workshop"
        ws.cell(r, c["Enheds-id"]).value = "ejendomme"
        ws.cell(r, c["Startuge"]).value = "2026-W45"
        ws.cell(r, c["Slutuge"]).value = "2026-W45"
        gone = next(
            x for x in range(2, ws.max_row + 1) if ws.cell(x, c["Aktivitets-id"]).value == "beskrivelse-udfordringer"
        )
        ws.delete_rows(gone)

    preview = preview_import(sample_plan, _edit(exported, change))
    changes = preview.changes.set_index("activity")["change"]
    assert changes["Ekstra workshop for Ejendomme"] == "tilføjet"
    assert changes[sample_plan.tasks.set_index("task_id").at["beskrivelse-udfordringer", "title"]] == "fjernet"
    assert "ekstra-workshop-for-ejendomme" in set(preview.plan.tasks["task_id"])


def test_an_import_that_breaks_a_dependency_is_refused_with_the_findings(sample_plan: Plan, exported: bytes) -> None:
    def late(ws: Any, c: dict[str, int]) -> None:
        r = next(
            x for x in range(2, ws.max_row + 1) if ws.cell(x, c["Aktivitets-id"]).value == "kontoplan-ass-vagtplaner"
        )
        ws.cell(r, c["Slutuge"]).value = "2026-W38"

    preview = preview_import(sample_plan, _edit(exported, late))
    assert not preview.accepted
    assert "Kontoplan tilpasses" in " ".join(preview.findings["message"])


def test_removing_one_activity_of_a_unit_is_refused(sample_plan: Plan, exported: bytes) -> None:
    def drop(ws: Any, c: dict[str, int]) -> None:
        ws.delete_rows(_row(ws, c, "ejendomme", "workshop"))

    assert "enheden 'ejendomme' mangler workshop" in _error(sample_plan, _edit(exported, drop))


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
            "Aktiviteter, række {row}, felt 'Slutuge': slutugen 2026-W01 ligger før startugen 2026-W42",
        ),
    ],
)
def test_bad_cells_are_named_by_row_and_column(
    sample_plan: Plan, exported: bytes, column: str, value: str, message: str
) -> None:
    rows: list[int] = []

    def bad(ws: Any, c: dict[str, int]) -> None:
        r = _row(ws, c, "miljo-teknik", "workshop")
        rows.append(r)
        ws.cell(r, c[column]).value = value

    text = _error(sample_plan, _edit(exported, bad))
    assert message.format(row=rows[0]) in text


def test_a_missing_column_is_named(sample_plan: Plan, exported: bytes) -> None:
    def drop(ws: Any, c: dict[str, int]) -> None:
        ws.delete_cols(c["Startuge"])

    assert _error(sample_plan, _edit(exported, drop)) == "Aktiviteter, række 1, felt 'Startuge': kolonnen mangler"


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
        r = _row(ws, c, "miljo-teknik", "workshop")
        ws.cell(r, c["Startuge"]).value = '=HYPERLINK("http://x","2026-W43")'

    # openpyxl saves no computed value for a formula, so the cell reads as empty: a clear error.
    assert "felt 'Startuge': ugyldig uge" in _error(sample_plan, _edit(exported, formula))
