"""`python -m planner import|add-editor`: an edited week plan back into the plan, and editor accounts."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any, TextIO

from ..auth import account_line
from ..checks import SEVERITY_LABELS
from ..diff import DIFF_COLUMNS
from ..errors import PlanError, Problem
from ..excel_import import preview_import
from ..files import save_plan
from .common import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, plan_of

__all__ = ["register"]


def _cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanError(Problem(str(path), None, None, f"filen kan ikke læses ({exc.strerror})")) from None
    plan = plan_of(args)
    preview = preview_import(plan, data)
    # The csv form is for scripts: the changes alone on stdout, everything else on stderr.
    talk = err if args.format == "csv" else out
    talk.write(f"{preview.summary}\n{preview.scope}\n")
    changes = preview.changes[list(DIFF_COLUMNS)]
    if args.format == "csv":
        changes.to_csv(out, index=False, lineterminator="\n")
    elif len(changes):
        out.write(changes.to_string(index=False) + "\n")
    for note in preview.notes:
        talk.write(f"BEMÆRK {note}\n")
    for f in preview.findings.to_dict("records"):
        who = f"{f['unit']}: " if f["unit"] else ""
        talk.write(f"{SEVERITY_LABELS[str(f['severity'])].upper()} [{f['code']}] {who}{f['message']}\n")
    if not preview.accepted:
        talk.write("Importen giver fejl i planen og kan ikke anvendes.\n")
        return EXIT_FINDINGS
    if args.apply:
        save_plan(preview.plan, args.data)
        talk.write(f"Planen i {args.data} er opdateret.\n")
    return EXIT_OK


def _cmd_add_editor(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if sys.stdin.isatty():
        password = getpass.getpass("Adgangskode: ")
        if getpass.getpass("Gentag adgangskoden: ") != password:
            err.write("De to adgangskoder er ikke ens\n")
            return EXIT_BAD_INPUT
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        line = account_line(args.email, password, name=args.name)
    except ValueError as exc:
        err.write(f"{exc}\n")
        return EXIT_BAD_INPUT
    err.write("Tilføj linjen under [planner.accounts] i .streamlit/secrets.toml (eller i PLANNER_EDITOR_ACCOUNTS):\n")
    out.write(line + "\n")
    return EXIT_OK


def register(commands: Any, data: argparse.ArgumentParser) -> None:
    """Add `import` and `add-editor`."""
    p = commands.add_parser(
        "import",
        parents=[data],
        help="vis hvad en rettet ugeplan (.xlsx) ændrer; exit 1 ved fejl i planen, 2 hvis filen afvises",
    )
    p.add_argument("file", type=Path, metavar="FIL.xlsx")
    p.add_argument("--format", choices=("table", "csv"), default="table")
    p.add_argument("--apply", action="store_true", help="skriv den nye plan i --data, når den kan bruges")
    p.set_defaults(run=_cmd_import)

    p = commands.add_parser(
        "add-editor", help="lav en redaktørkonto: udskriver linjen til secrets (læser adgangskoden fra stdin)"
    )
    p.add_argument("email", metavar="EMAIL")
    p.add_argument("--name", default=None, help="navnet, historikken viser (standard: e-mailen)")
    p.set_defaults(run=_cmd_add_editor)
