"""`python -m planner replan`: propose a whole plan that clears the conflicts, with the fewest moves."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from ..files import save_plan
from ..replan import MOVE_COLUMNS, NoProposalError, replan
from .common import EXIT_FINDINGS, EXIT_OK, plan_of

__all__ = ["register"]


def _cmd_replan(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    plan = plan_of(args)
    try:
        proposal = replan(plan, time_limit=args.time_limit)
    except NoProposalError as exc:
        heading = "Ingen plan opfylder alle faste krav:" if exc.infeasible else "Ingen plan fundet:"
        err.write(heading + "\n" + "".join(f"  - {r}\n" for r in exc.reasons))
        return EXIT_FINDINGS
    moves = proposal.moves[list(MOVE_COLUMNS)]
    if args.format == "csv":
        moves.to_csv(out, index=False, lineterminator="\n")
    elif moves.empty:
        out.write("Intet at flytte: planen har ingen konflikter, løseren kan rette.\n")
    else:
        out.write(moves.to_string(index=False) + "\n")
    status = "optimal" if proposal.status == "optimal" else f"stoppet af tidsgrænsen, afstand {proposal.gap:.1%}"
    # The summary goes to stderr with --format csv, so the CSV on stdout stays clean for scripts.
    summary = out if args.format == "table" else err
    summary.write(
        f"{len(moves)} aktiviteter flyttet; mål {proposal.objective}, nedre grænse {proposal.bound} ({status}), "
        f"{proposal.seconds:.1f} s\n"
    )
    if args.out is not None:
        save_plan(proposal.plan, args.out)
        summary.write(f"Skrev den nye plan (flytninger som afvigelser pr. enhed) til {args.out}\n")
    return EXIT_OK


def register(commands: Any, data: argparse.ArgumentParser) -> None:
    """Add `replan`."""
    p = commands.add_parser(
        "replan",
        parents=[data],
        help="foreslå en plan uden konflikter med færrest flytninger; slutter med kode 1, hvis ingen findes",
    )
    p.add_argument("--out", type=Path, default=None, help="mappe, den nye plan skrives til (som afvigelser)")
    p.add_argument("--format", choices=("table", "csv"), default="table")
    p.add_argument("--time-limit", type=float, default=10.0, help="sekunder løseren må bruge (standard 10)")
    p.set_defaults(run=_cmd_replan)
