"""Reading an edited week plan back: the Aktiviteter sheet becomes a new plan, previewed before use."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl import load_workbook

from .checks import check, has_errors
from .diff import diff_schedules
from .errors import PlanError, Problem
from .excel import ACTIVITY_SHEET, ACTIVITY_SHEET_COLUMNS
from .isoweeks import WeekError, iso_label, parse_week
from .model import Plan
from .scheduler import schedule
from .schema import ACTIVITY_KINDS
from .views import slug

__all__ = ["MAX_UPLOAD_BYTES", "ImportPreview", "preview_import", "read_activity_sheet"]

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a zip bomb unpacks to far more than any real week plan
_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted .xlsx and old .xls files
_HEADINGS = {heading: column for heading, column, _ in ACTIVITY_SHEET_COLUMNS}
_REQUIRED = ("Enheds-id", "Aktivitets-id", "Bølge", "Aktivitet", "Type", "Startuge", "Slutuge")
_KIND_CODES = {label: code for code, label in ACTIVITY_KINDS.items()} | {code: code for code in ACTIVITY_KINDS}


@dataclass(frozen=True, eq=False)
class ImportPreview:
    """The plan an upload would give, what changes, and what the plan checks say about it."""

    plan: Plan
    changes: pd.DataFrame
    findings: pd.DataFrame

    @property
    def accepted(self) -> bool:
        """True when the new plan has no finding of severity error."""
        return not has_errors(self.findings)


def _refuse(message: str) -> PlanError:
    return PlanError(Problem("", None, None, message))


def read_activity_sheet(data: bytes) -> pd.DataFrame:
    """Return the rows of the Aktiviteter sheet as text with a `row` column, or raise PlanError in Danish.

    Refuses files over 10 MB, password-protected or old .xls files, files that are not .xlsx,
    workbooks with macros and archives that would unpack to more than 100 MB. Formulas are never
    evaluated and external links never followed: only the values Excel saved are read.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse(f"Filen er for stor ({len(data) / 1024 / 1024:.1f} MB); grænsen er 10 MB".replace(".", ",", 1))
    if data[:8] == _OLE_SIGNATURE:
        raise _refuse(
            "Filen er beskyttet med adgangskode eller er en gammel .xls-fil; gem den som .xlsx uden adgangskode"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse("Filen er ikke en Excel-projektmappe (.xlsx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _refuse("Filen er beskadiget og kan ikke læses som .xlsx") from None
    if "[Content_Types].xml" not in names:
        raise _refuse("Filen er ikke en Excel-projektmappe (.xlsx)")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _refuse("Projektmappen indeholder makroer; gem den som almindelig .xlsx uden makroer")
    if unpacked > _MAX_UNPACKED_BYTES:
        raise _refuse("Projektmappen er for stor udpakket til at være en ugeplan")
    try:
        # data_only: the values Excel saved, never formulas; keep_links=False: external links are not kept.
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False, keep_vba=False)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors, defusedxml refusals)
        raise _refuse(f"Filen er beskadiget og kan ikke læses som .xlsx ({type(exc).__name__})") from None
    try:
        if ACTIVITY_SHEET not in wb.sheetnames:
            raise PlanError(Problem(ACTIVITY_SHEET, None, None, "arket mangler i projektmappen"))
        rows = list(wb[ACTIVITY_SHEET].iter_rows(values_only=True))
    finally:
        wb.close()
    if not rows:
        raise PlanError(Problem(ACTIVITY_SHEET, 1, None, "arket er tomt"))
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    missing = [h for h in _REQUIRED if h not in header]
    if missing:
        raise PlanError([Problem(ACTIVITY_SHEET, 1, h, "kolonnen mangler") for h in missing])
    records = []
    for number, values in enumerate(rows[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        record: dict[str, Any] = {"row": number}
        for heading, value in zip(header, values, strict=False):
            if heading in _HEADINGS:
                record[_HEADINGS[heading]] = _text(value)
        records.append(record)
    columns = ["row", *[_HEADINGS[h] for h in header if h in _HEADINGS]]
    return pd.DataFrame(records, columns=columns)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _week(value: str, row: int, heading: str, problems: list[Problem]) -> str:
    try:
        return iso_label(parse_week(value))
    except WeekError as exc:
        problems.append(Problem(ACTIVITY_SHEET, row, heading, f"ugyldig uge: {exc}"))
        return ""


def _new_task_id(title: str, taken: set[str]) -> str:
    base = slug(title)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def plan_from_rows(plan: Plan, rows: pd.DataFrame) -> Plan:
    """Return the plan that the sheet rows describe, or raise PlanError naming sheet row and column."""
    problems: list[Problem] = []
    template = plan.template.set_index("activity_id")
    tasks = plan.tasks.set_index("task_id")
    units = set(plan.units["unit_id"])
    waves = set(plan.waves["wave"].astype(int))
    stamp = f"Excel-import {dt.date.today():%d.%m.%Y}"

    template_rows: list[dict[str, Any]] = []
    task_rows: dict[str, dict[str, Any]] = {}
    new_tasks: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for r in rows.to_dict("records"):
        row = int(r["row"])
        unit, activity = r.get("unit_id", ""), r.get("activity_id", "")
        if unit and unit not in units:
            problems.append(Problem(ACTIVITY_SHEET, row, "Enheds-id", f"ukendt enhed '{unit}'"))
            continue
        start = _week(r.get("start_week", ""), row, "Startuge", problems)
        end = _week(r.get("end_week", ""), row, "Slutuge", problems)
        if start and end and end < start:
            problems.append(Problem(ACTIVITY_SHEET, row, "Slutuge", f"slutugen {end} ligger før startugen {start}"))
            continue
        if not (start and end):
            continue
        if (unit, activity) in seen and activity:
            problems.append(
                Problem(ACTIVITY_SHEET, row, "Aktivitets-id", f"står to gange (også i række {seen[unit, activity]})")
            )
            continue
        seen[unit, activity] = row
        if activity in template.index:
            if not unit:
                problems.append(Problem(ACTIVITY_SHEET, row, "Enheds-id", "mangler en værdi"))
                continue
            wave_text = r.get("wave", "")
            if not wave_text.isdigit() or int(wave_text) not in waves:
                problems.append(Problem(ACTIVITY_SHEET, row, "Bølge", f"ukendt bølge '{wave_text}'"))
                continue
            length = int(template.loc[activity, "length_weeks"])
            if parse_week(end) - parse_week(start) != length - 1:
                should_end = iso_label(parse_week(start) + (length - 1))
                problems.append(
                    Problem(
                        ACTIVITY_SHEET,
                        row,
                        "Slutuge",
                        f"aktiviteten varer altid {length} uge(r); med startuge {start} "
                        f"skal slutugen være {should_end}",
                    )
                )
                continue
            template_rows.append(
                {"row": row, "unit_id": unit, "activity_id": activity, "wave": int(wave_text), "start_week": start}
            )
        elif activity in tasks.index:
            task_rows[activity] = {
                "row": row,
                "unit_id": unit,
                "title": r.get("activity", ""),
                "start_week": start,
                "end_week": end,
            }
        elif not activity:
            kind = _KIND_CODES.get(r.get("kind", "").lower())
            title = r.get("activity", "")
            if not title or kind is None:
                field = "Aktivitet" if not title else "Type"
                problems.append(Problem(ACTIVITY_SHEET, row, field, "en ny aktivitet skal have titel og type"))
                continue
            new_tasks.append(
                {"row": row, "unit_id": unit, "title": title, "kind": kind, "start_week": start, "end_week": end}
            )
        else:
            problems.append(Problem(ACTIVITY_SHEET, row, "Aktivitets-id", f"ukendt aktivitet '{activity}'"))

    sheet = pd.DataFrame(template_rows, columns=["row", "unit_id", "activity_id", "wave", "start_week"])
    unit_waves = sheet.groupby("unit_id")["wave"].agg(lambda w: sorted(set(w)))
    for unit, found in unit_waves.items():
        if len(found) > 1:
            row = int(sheet.loc[sheet["unit_id"] == unit, "row"].iloc[0])
            problems.append(Problem(ACTIVITY_SHEET, row, "Bølge", f"enheden '{unit}' står i flere bølger: {found}"))
        missing = set(template.index) - set(sheet.loc[sheet["unit_id"] == unit, "activity_id"])
        if missing:
            row = int(sheet.loc[sheet["unit_id"] == unit, "row"].iloc[0])
            problems.append(
                Problem(
                    ACTIVITY_SHEET,
                    row,
                    "Aktivitets-id",
                    f"enheden '{unit}' mangler {', '.join(sorted(missing))}; en enkelt aktivitet kan ikke slettes "
                    "– slet alle enhedens rækker for at tage den ud af bølgen",
                )
            )
    if problems:
        raise PlanError(problems)

    old_assign = plan.assignments.set_index(["unit_id", "wave"])["source"]
    # Units keep the order they had, so an unchanged upload gives back the very same tables.
    position = {u: i for i, u in enumerate(plan.assignments["unit_id"])}
    unit_waves = unit_waves.sort_index(key=lambda idx: idx.map(lambda u: position.get(u, len(position))))
    assignments = pd.DataFrame(
        [{"unit_id": u, "wave": w[0], "source": old_assign.get((u, w[0]), stamp)} for u, w in unit_waves.items()],
        columns=["unit_id", "wave", "source"],
    )
    # Weeks the template gives with the new assignments; a different week in the sheet is an override.
    base = schedule(plan.with_tables(assignments=assignments, overrides=plan.overrides.iloc[0:0]))
    expected = base.set_index(["unit_id", "activity_id"])["start_week"]
    old_override = plan.overrides.set_index(["unit_id", "activity_id", "start_week"])["source"]
    overrides = [
        {
            "unit_id": t["unit_id"],
            "activity_id": t["activity_id"],
            "start_week": t["start_week"],
            "source": old_override.get((t["unit_id"], t["activity_id"], t["start_week"]), stamp),
        }
        for t in template_rows
        if expected.get((t["unit_id"], t["activity_id"])) != t["start_week"]
    ]
    kept = plan.tasks[plan.tasks["task_id"].isin(list(task_rows))].copy()
    for column in ("unit_id", "start_week", "end_week"):
        kept[column] = kept["task_id"].map(lambda t, c=column: task_rows[t][c])
    kept["title"] = kept["task_id"].map(lambda t: task_rows[t]["title"] or tasks.loc[t, "title"])
    taken = set(plan.tasks["task_id"]) | set(plan.template["activity_id"])
    added = pd.DataFrame(
        [
            {
                "task_id": _new_task_id(t["title"], taken),
                "title": t["title"],
                "kind": t["kind"],
                "unit_id": t["unit_id"],
                "start_week": t["start_week"],
                "end_week": t["end_week"],
                "source": stamp,
            }
            for t in new_tasks
        ]
    )
    new_tasks_table = pd.concat([kept, added], ignore_index=True) if len(added) else kept
    removed = set(plan.tasks["task_id"]) - set(task_rows)
    deps = plan.dependencies
    deps = deps[~deps["predecessor"].isin(removed) & ~deps["successor"].isin(removed)]
    return plan.with_tables(
        assignments=assignments,
        overrides=pd.DataFrame(overrides, columns=["unit_id", "activity_id", "start_week", "source"]),
        tasks=new_tasks_table,
        dependencies=deps,
    )


def preview_import(plan: Plan, data: bytes) -> ImportPreview:
    """Read an uploaded workbook and return the plan it gives, its changes and findings; nothing is applied."""
    new = plan_from_rows(plan, read_activity_sheet(data))
    new_schedule = schedule(new)
    return ImportPreview(new, diff_schedules(schedule(plan), new_schedule), check(new, new_schedule))
