"""`python -m planner schedule|check|export`: the plan as rows, its findings, and its week plan as Excel."""

from __future__ import annotations

import argparse
import errno
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from ..checks import SEVERITY_LABELS, check, has_errors
from ..model import Plan
from ..scheduler import schedule
from .common import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, parse_day, plan_of

__all__ = ["CLI_SCHEDULE_COLUMNS", "register"]

# The columns scripts rely on, in this order; new columns may only be added at the end.
CLI_SCHEDULE_COLUMNS = (
    "wave",
    "department",
    "unit",
    "activity",
    "kind",
    "start_week",
    "end_week",
    "start_date",
    "end_date",
    "source",
    # The stable key of an activity, as used by status.csv and baseline.csv.
    "activity_key",
    "data_cutoff",
)


# Why a file cannot be written, in Danish (the system's own text follows the machine's locale).
_OS_ERRORS = {
    errno.ENOENT: "mappen findes ikke",
    errno.EACCES: "ingen adgang",
    errno.EISDIR: "navnet er en mappe",
    errno.ENOSPC: "disken er fuld",
    errno.EROFS: "disken er skrivebeskyttet",
}


def _schedule_frame(plan: Plan) -> pd.DataFrame:
    rows = schedule(plan)[list(CLI_SCHEDULE_COLUMNS)].copy()
    for column in ("start_date", "end_date", "data_cutoff"):
        rows[column] = rows[column].dt.strftime("%Y-%m-%d").astype("string").fillna("")
    rows["wave"] = rows["wave"].astype("string").fillna("")
    return rows


def _cmd_schedule(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    rows = _schedule_frame(plan_of(args))
    if args.format == "csv":
        rows.to_csv(out, index=False, lineterminator="\n")  # a new plan: the header alone, as scripts expect
    elif rows.empty:
        out.write("Planen har ingen aktiviteter endnu.\n")
    else:
        out.write(rows.to_string(index=False) + "\n")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    plan = plan_of(args)
    # As of a day, as the app's pages check: suggestions never name a week already past.
    findings = check(plan, schedule(plan), as_of=args.as_of, progress=False)
    if findings.empty:
        out.write("Ingen problemer fundet.\n")
        return EXIT_OK
    for f in findings.to_dict("records"):
        who = f"{f['unit']}: " if f["unit"] else ""
        out.write(f"{SEVERITY_LABELS[str(f['severity'])].upper()} [{f['code']}] {who}{f['message']}\n")
        if f["suggestion"]:
            out.write(f"    forslag: {f['suggestion']}\n")
    errors = int((findings["severity"] == "error").sum())
    out.write(f"{errors} fejl, {len(findings) - errors} advarsler\n")
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK


def _cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..excel import export_workbook  # openpyxl is only needed for this command

    data = export_workbook(plan_of(args), department=args.department)
    try:
        Path(args.out).write_bytes(data)
    except OSError as exc:
        err.write(f"Kan ikke skrive {args.out}: {_OS_ERRORS.get(exc.errno or 0, 'filen kan ikke skrives')}\n")
        return EXIT_BAD_INPUT
    out.write(f"Skrev {args.out} ({len(data):,} bytes)\n".replace(",", "."))
    return EXIT_OK


def register(commands: Any, data: argparse.ArgumentParser) -> None:
    """Add `schedule`, `check` and `export`."""
    p = commands.add_parser("schedule", parents=[data], help="udskriv hele tidsplanen, én aktivitet pr. række")
    p.add_argument("--format", choices=("csv", "table"), default="table")
    p.set_defaults(run=_cmd_schedule)

    p = commands.add_parser("check", parents=[data], help="tjek planen; slutter med kode 1 ved fejl")
    p.add_argument("--as-of", type=parse_day, default=None, help="forslag flytter intet før denne dato, fx 2026-04-15")
    p.set_defaults(run=_cmd_check)

    p = commands.add_parser("export", parents=[data], help="gem ugeplanen som Excel-projektmappe")
    p.add_argument("--out", required=True, type=Path, help="filnavn, fx ugeplan.xlsx")
    p.add_argument("--department", default=None, help="kun denne afdeling (navn eller id)")
    p.set_defaults(run=_cmd_export)
