"""Editing exported workbooks the way users do: cells in Excel (openpyxl), bars moved, LibreOffice re-saves."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable
from copy import copy
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

SOFFICE = shutil.which("soffice")


def edit(data: bytes, change: Callable[[Any, dict[str, int]], None], sheet: str = "Aktiviteter") -> bytes:
    """Edit one sheet of a workbook as a planner would in Excel, and save it again."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    header = 1 if sheet == "Aktiviteter" else next(r for r in range(1, 60) if ws.cell(r, 1).value == "Aktivitet")
    columns = {c.value: c.column for c in ws[header] if c.value is not None}
    change(ws, columns)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def find_row(ws: Any, columns: dict[str, int], unit: str, activity: str) -> int:
    """Return the Aktiviteter row of one unit's activity (by id columns)."""
    for r in range(2, ws.max_row + 1):
        if (ws.cell(r, columns["Enheds-id"]).value or "") == unit and ws.cell(
            r, columns["Aktivitets-id"]
        ).value == activity:
            return r
    raise LookupError((unit, activity))


def move_bar(data: bytes, unit: str, activity: str, weeks: int) -> bytes:
    """Cut the bar of `unit`'s `activity` in the Ugeplan grid and paste it `weeks` columns later."""

    def change(ws: Any, columns: dict[str, int]) -> None:
        header = columns["Aktivitet"] and next(r for r in range(1, 60) if ws.cell(r, 1).value == "Aktivitet")
        heading, row = "", None
        for r in range(header + 1, ws.max_row + 1):
            label = str(ws.cell(r, 1).value or "").removeprefix("⚠ ")  # the mark of a finding
            if label == unit:
                heading = unit
            elif heading == unit and (label == activity or label.startswith(activity + " (")):
                row = r
                break
        assert row is not None, (unit, activity)
        cells = [c for c in range(2, ws.max_column + 1) if ws.cell(row, c).value is not None]
        for c in sorted(cells, reverse=weeks > 0):
            source, target = ws.cell(row, c), ws.cell(row, c + weeks)
            target.value, target._style = source.value, copy(source._style)
            source.value = None
            source.style = "Normal"

    return edit(data, change, sheet="Ugeplan")


def libreoffice_resave(data: bytes, tmp_path: Path) -> bytes:
    """Open the workbook in LibreOffice and save it again as .xlsx, as a user with LibreOffice would."""
    if SOFFICE is None:
        # CI sets PLANNER_REQUIRE_OFFICE so a missing LibreOffice fails there instead of skipping.
        if os.environ.get("PLANNER_REQUIRE_OFFICE"):
            raise RuntimeError("soffice mangler: apt-get install libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    src = tmp_path / "lo-in" / "ugeplan.xlsx"
    out = tmp_path / "lo-out"
    src.parent.mkdir(exist_ok=True)
    out.mkdir(exist_ok=True)
    src.write_bytes(data)
    # Its own profile: several LibreOffice processes (other tests, other users) must not share one.
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (out / "ugeplan.xlsx").read_bytes()
