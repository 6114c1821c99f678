"""`python -m planner calendar`: the plan's meetings, workshops and milestones as an .ics file for Outlook."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, TextIO

from ..calendar_export import CalendarError, export_calendar, plan_identity
from ..model import Plan
from ..scheduler import schedule
from ..views import department_lookup, slug
from .common import EXIT_BAD_INPUT, EXIT_OK, plan_of

__all__ = ["register"]


def _unit_lookup(plan: Plan, text: str) -> str | None:
    wanted = text.strip().lower()
    for unit_id, name in zip(plan.units["unit_id"], plan.units["name"], strict=True):
        if wanted in (str(unit_id).lower(), str(name).lower(), slug(str(name))):
            return str(unit_id)
    return None


def _cmd_calendar(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    plan = plan_of(args)
    department = unit = None
    if args.department is not None:
        department = department_lookup(plan, args.department)
        if department is None:
            names = "; ".join(plan.departments["name"])
            err.write(f"Afdelingen '{args.department}' findes ikke i planen; kendte afdelinger: {names}\n")
            return EXIT_BAD_INPUT
    if args.unit is not None:
        unit = _unit_lookup(plan, args.unit)
        if unit is None:
            err.write(f"Enheden '{args.unit}' findes ikke i planen; se units.csv for navnene\n")
            return EXIT_BAD_INPUT
    try:
        data = export_calendar(
            plan,
            schedule(plan),
            department=department,
            unit=unit,
            plan_id=plan_identity(plan.settings.title, os.environ.get("PLANNER_CALENDAR_ID")),
            public_url=os.environ.get("PLANNER_PUBLIC_URL"),
        )
    except CalendarError as exc:
        err.write(f"{exc}\n")
        return EXIT_BAD_INPUT
    Path(args.out).write_bytes(data)
    events = data.count(b"BEGIN:VEVENT\r\n")
    size = f"{len(data):,}".replace(",", ".")
    out.write(f"Skrev {args.out} ({events} begivenheder, {size} bytes)\n")
    return EXIT_OK


def register(commands: Any, data: argparse.ArgumentParser) -> None:
    """Add `calendar`."""
    p = commands.add_parser(
        "calendar", parents=[data], help="gem møder, workshops, frister og milepæle som kalenderfil (.ics)"
    )
    p.add_argument("--out", required=True, type=Path, help="filnavn, fx mfr.ics")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--department", default=None, help="kun denne afdeling (navn eller id)")
    which.add_argument("--unit", default=None, help="kun denne enhed (navn eller id)")
    p.set_defaults(run=_cmd_calendar)
