"""The command line: `python -m planner <command>`; its columns and exit codes are stable.

Each command lives in a module of this package with a `register(commands, data)` function that
adds its subparser; `main` parses, runs the command and turns a PlanError into exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from ..errors import PlanError
from . import account, budget, calendar, editing, plan, progress
from . import replan as replan_cli
from .common import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, Command, data_parent

__all__ = ["EXIT_BAD_INPUT", "EXIT_FINDINGS", "EXIT_OK", "main"]

# One line per command module; the order is the order of `--help`.
_MODULES = (plan, progress, replan_cli, editing, calendar, budget, account)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m planner", description="Planlæg udrulningen af MFR og Budget 2027.")
    commands = parser.add_subparsers(dest="command", required=True)
    data = data_parent()
    for module in _MODULES:
        module.register(commands, data)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line and return its exit code: 0 fine, 1 findings with errors, 2 bad input."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    run: Command = args.run
    try:
        return run(args, out, err)
    except PlanError as exc:
        err.write(f"Planen kan ikke bruges:\n{exc}\n")
        return EXIT_BAD_INPUT
