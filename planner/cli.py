"""The command line: `python -m planner schedule|check|export`; its columns and exit codes are stable."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import pandas as pd

from .auth import hash_password
from .checks import SEVERITY_LABELS, check, has_errors
from .errors import PlanError
from .files import DEFAULT_DATA_DIR, load_plan
from .model import Plan
from .scheduler import schedule

__all__ = ["CLI_SCHEDULE_COLUMNS", "main"]

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
)

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def _schedule_frame(plan: Plan) -> pd.DataFrame:
    rows = schedule(plan)[list(CLI_SCHEDULE_COLUMNS)].copy()
    for column in ("start_date", "end_date"):
        rows[column] = rows[column].dt.strftime("%Y-%m-%d")
    rows["wave"] = rows["wave"].astype("string").fillna("")
    return rows


def _cmd_schedule(plan: Plan, args: argparse.Namespace, out: TextIO) -> int:
    rows = _schedule_frame(plan)
    if args.format == "csv":
        rows.to_csv(out, index=False, lineterminator="\n")
    else:
        out.write(rows.to_string(index=False) + "\n")
    return EXIT_OK


def _cmd_check(plan: Plan, args: argparse.Namespace, out: TextIO) -> int:
    findings = check(plan, schedule(plan))
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


def _cmd_export(plan: Plan, args: argparse.Namespace, out: TextIO) -> int:
    from .excel import export_workbook  # openpyxl is only needed for this command

    data = export_workbook(plan, department=args.department)
    Path(args.out).write_bytes(data)
    out.write(f"Skrev {args.out} ({len(data):,} bytes)\n".replace(",", "."))
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m planner", description="Planlæg udrulningen af MFR og Budget 2027.")
    sub = parser.add_subparsers(dest="command", required=True)
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument(
        "--data", type=Path, default=DEFAULT_DATA_DIR, help="mappe med planens CSV-filer (standard: data/)"
    )

    p = sub.add_parser("schedule", parents=[data], help="udskriv hele tidsplanen, én aktivitet pr. række")
    p.add_argument("--format", choices=("csv", "table"), default="table")
    p.set_defaults(run=_cmd_schedule)

    p = sub.add_parser("check", parents=[data], help="tjek planen; slutter med kode 1 ved fejl")
    p.set_defaults(run=_cmd_check)

    p = sub.add_parser("hash-password", help="lav en adgangskode-hash til redaktører (læser koden fra stdin)")
    p.set_defaults(run=None)

    p = sub.add_parser("export", parents=[data], help="gem ugeplanen som Excel-projektmappe")
    p.add_argument("--out", required=True, type=Path, help="filnavn, fx ugeplan.xlsx")
    p.add_argument("--department", default=None, help="kun denne afdeling (navn eller id)")
    p.set_defaults(run=_cmd_export)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line and return its exit code: 0 fine, 1 findings with errors, 2 bad input."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    if args.command == "hash-password":
        password = getpass.getpass("Adgangskode: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
        if not password:
            err.write("Adgangskoden må ikke være tom\n")
            return EXIT_BAD_INPUT
        out.write(hash_password(password) + "\n")
        return EXIT_OK
    run: Callable[[Plan, argparse.Namespace, TextIO], int] = args.run
    try:
        plan = load_plan(args.data)
        return run(plan, args, out)
    except PlanError as exc:
        err.write(f"Planen kan ikke bruges:\n{exc}\n")
        return EXIT_BAD_INPUT
