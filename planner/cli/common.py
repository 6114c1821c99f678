"""What every command shares: exit codes, the `--data` option and loading the plan it names."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ..files import DEFAULT_DATA_DIR, load_plan
from ..model import Plan

__all__ = ["EXIT_BAD_INPUT", "EXIT_FINDINGS", "EXIT_OK", "Command", "data_parent", "parse_day", "plan_of"]

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2

# A command gets the parsed arguments and the output and error streams, and returns its exit code.
Command = Callable[[argparse.Namespace, TextIO, TextIO], int]


def data_parent() -> argparse.ArgumentParser:
    """Return a parent parser with `--data DIR`, for every command that reads a plan folder."""
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument(
        "--data", type=Path, default=DEFAULT_DATA_DIR, help="mappe med planens CSV-filer (standard: data/)"
    )
    return data


def plan_of(args: argparse.Namespace) -> Plan:
    """Load the plan in `--data`, or raise PlanError naming file, row and field."""
    return load_plan(args.data)


def parse_day(text: str) -> dt.date:
    """Return the date in `2026-04-15` or `15.04.2026`, or raise a Danish argparse error."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"'{text}' er ikke en dato; skriv fx 2026-04-15")
