"""`python -m planner status|report|baseline`: the rollout as it happens, the Chefforum report, a new baseline."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from ..errors import PlanError, Problem
from ..files import table_to_text
from ..isoweeks import danish_date
from ..progress import as_of_week, progress
from ..scheduler import schedule
from ..schema import TABLES
from ..status_edits import baseline_table
from .common import EXIT_FINDINGS, EXIT_OK, parse_day, plan_of

__all__ = ["CLI_STATUS_COLUMNS", "register"]

# The columns scripts rely on, in this order; new columns may only be added at the end.
CLI_STATUS_COLUMNS = (
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
    "start_slip_weeks",
    "change",
    "note",
)


def _status_frame(table: pd.DataFrame) -> pd.DataFrame:
    rows = table[list(CLI_STATUS_COLUMNS)].copy()
    rows["wave"] = rows["wave"].astype("string").fillna("")
    for column in ("slip_weeks", "start_slip_weeks"):
        rows[column] = rows[column].astype("string").fillna("")
    rows["overdue"] = rows["overdue"].map({True: "true", False: "false"})
    return rows


def _cmd_status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    plan = plan_of(args)
    as_of: dt.date = args.as_of or dt.date.today()
    table = progress(plan, schedule(plan), as_of)
    rows = _status_frame(table)
    overdue = int(table["overdue"].sum())
    if args.format == "csv":
        rows.to_csv(out, index=False, lineterminator="\n")
    else:
        out.write(rows.to_string(index=False) + "\n")
        week = int(as_of_week(as_of)[-2:])
        out.write(f"{overdue} forsinkede aktiviteter pr. {danish_date(as_of)} (uge {week})\n")
    return EXIT_FINDINGS if overdue else EXIT_OK


def _cmd_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..report import build_report  # python-docx and kaleido are only needed here

    plan = plan_of(args)
    result = build_report(plan, as_of=args.as_of, department=args.department)
    _write_atomically(Path(args.out), result.data)
    out.write(f"Skrev {args.out} ({len(result.data):,} bytes)\n".replace(",", "."))
    if result.picture_problem:
        err.write(f"Bemærk: {result.picture_problem}\n")
    return EXIT_OK


def _cmd_baseline(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    plan = plan_of(args)
    source = args.source or f"basisplan sat {danish_date(dt.date.today())}"
    table = baseline_table(schedule(plan), source=source)
    folder = Path(args.data)
    path = folder / TABLES["baseline"].file
    _write_atomically(path, table_to_text(table).to_csv(index=False, lineterminator="\n").encode("utf-8"))
    out.write(f"Skrev basisplanen med {len(table)} aktiviteter til {path}\n")
    return EXIT_OK


def _write_atomically(path: Path, data: bytes) -> None:
    # A reader never sees half a file, and a failed write leaves the old one in place.
    if not path.parent.is_dir():
        raise PlanError(Problem(str(path.parent), None, None, "mappen findes ikke"))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def register(commands: Any, data: argparse.ArgumentParser) -> None:
    """Add `status`, `report` and `baseline`."""
    p = commands.add_parser(
        "status", parents=[data], help="status, forskydning og forsinkelse pr. aktivitet; kode 1 ved forsinkelser"
    )
    p.add_argument("--as-of", type=parse_day, default=None, help="pr. denne dato, fx 2026-04-15 (standard: i dag)")
    p.add_argument("--format", choices=("table", "csv"), default="table")
    p.set_defaults(run=_cmd_status)

    p = commands.add_parser("report", parents=[data], help="statusrapport til Chefforum som Word-dokument")
    p.add_argument("--as-of", type=parse_day, required=True, help="rapportens dato, fx 2026-04-15")
    p.add_argument("--out", required=True, type=Path, help="filnavn, fx status.docx")
    p.add_argument("--department", default=None, help="kun denne afdeling (navn eller id)")
    p.set_defaults(run=_cmd_report)

    p = commands.add_parser("baseline", parents=[data], help="gem den nuværende tidsplan som basisplan")
    p.add_argument("--source", default=None, help="hvorfor, fx 'godkendt i Chefforum 15.04.2026'")
    p.set_defaults(run=_cmd_baseline)
