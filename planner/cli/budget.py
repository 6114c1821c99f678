"""`python -m planner budget-calendar`: a year's budget milestones, built from the council's meetings."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

import pandas as pd

from ..budget_calendar import BudgetCalendarError, budget_calendar
from ..files import table_to_text
from ..isoweeks import week_labels
from ..schema import BUDGET_STEPS, TABLES
from .common import EXIT_BAD_INPUT, EXIT_OK, plan_of

__all__ = ["register"]


def _already_planned(milestones: pd.DataFrame, calendar: pd.DataFrame) -> list[str]:
    """Return a sentence for each generated step or id the plan already has."""
    steps = calendar[calendar["budget_step"] != ""]
    have = milestones.merge(steps[["budget_year", "budget_step"]], on=["budget_year", "budget_step"])
    clashes = [
        f"{BUDGET_STEPS[s]} for budgetår {y} findes allerede ({i})"
        for i, s, y in zip(have["milestone_id"], have["budget_step"], have["budget_year"], strict=True)
    ]
    ids = set(milestones["milestone_id"]) & set(calendar["milestone_id"]) - set(have["milestone_id"])
    return clashes + [f"milepælen '{i}' findes allerede" for i in sorted(ids)]


def _table(calendar: pd.DataFrame) -> str:
    shown = pd.DataFrame(
        {
            "dato": calendar["date"].dt.strftime("%d.%m.%Y"),
            "uge": week_labels(calendar["date"]).str[-2:].str.lstrip("0"),
            "forum": calendar["body"],
            "budgettrin": calendar["budget_step"].map(lambda s: BUDGET_STEPS.get(s, "")),
            "budgetår": calendar["budget_year"].astype("string"),
            "milepæl": calendar["title"],
        }
    )
    return shown.to_string(index=False)


def _cmd_budget_calendar(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    plan = plan_of(args)
    try:
        calendar = budget_calendar(plan.council_meetings, args.year)
    except BudgetCalendarError as exc:
        err.write(f"Budgetkalenderen for Budget {args.year} kan ikke laves:\n{exc}\n")
        return EXIT_BAD_INPUT
    clashes = _already_planned(plan.milestones, calendar)
    if args.add:
        if clashes:
            err.write("Intet er ændret, fordi planen allerede har:\n" + "\n".join(f"- {c}" for c in clashes) + "\n")
            return EXIT_BAD_INPUT
        # Validate the whole plan with the new rows before anything is written.
        combined = plan.with_tables(milestones=pd.concat([plan.milestones, calendar], ignore_index=True))
        path = args.data / TABLES["milestones"].file
        table_to_text(combined.milestones).to_csv(path, index=False, encoding="utf-8")
        out.write(f"Tilføjede {len(calendar)} milepæle for Budget {args.year} til {path}\n")
        return EXIT_OK
    for clash in clashes:
        err.write(f"Bemærk: {clash}\n")
    if args.format == "csv":
        table_to_text(calendar).to_csv(out, index=False, lineterminator="\n")
    else:
        out.write(_table(calendar) + "\n")
        out.write("Alle datoer er eksempler, indtil de er bekræftet; tilføj dem til planen med --add.\n")
    return EXIT_OK


def register(commands: Any, data: argparse.ArgumentParser) -> None:
    """Add `budget-calendar`."""
    p = commands.add_parser(
        "budget-calendar",
        parents=[data],
        help="lav budgetkalenderen for et budgetår ud fra KB- og ØU-møderne i council_meetings.csv",
    )
    p.add_argument("--year", type=int, required=True, help="budgetåret, fx 2028 (kalenderen ligger i året før)")
    p.add_argument("--format", choices=("csv", "table"), default="table")
    p.add_argument("--add", action="store_true", help="tilføj milepælene til planens milestones.csv")
    p.set_defaults(run=_cmd_budget_calendar)
