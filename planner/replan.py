"""Re-planning: a whole plan that clears the conflicts with the fewest moves, solved by OR-Tools CP-SAT.

The variables are the start weeks of the activities that may move, within the allowed weeks the
constraint model gives them (`constraints.py`, the same model the checks advise from). Hard: the
links (dependencies with their lags, invitations ahead of their meeting) and the consultants'
weekly capacity. Soft, heaviest first: no meeting or workshop in a poor week; few activities moved
and few weeks moved; a wave's units kept on the same weeks. When nothing satisfies the hard
constraints, CP-SAT's assumptions name a small set of them that conflict, in Danish.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from .constraints import INVITATION, ConstraintModel, apply_moves, build_model, label, say
from .cpsat import Encoding, FirstSolution, NoProposalError, new_solver
from .model import Plan
from .replan_explain import evident_overload, explain
from .scheduler import schedule

__all__ = ["MOVE_COLUMNS", "NoProposalError", "Proposal", "replan"]

MOVE_COLUMNS = ("unit", "activity", "from_week", "to_week", "reason")
SOURCE = "flyttet af Foreslå løsning"

# Weights of the soft goals, heaviest first: a meeting out of a holiday week is worth several moves;
# a moved activity costs more than moving one activity a few weeks further; splitting a wave's units
# costs less than a week; the last term prefers the earlier of two equally good weeks, as the advice does.
W_POOR, W_MOVED, W_WEEK, W_SPLIT, W_LATER = 1000, 100, 10, 5, 1
_BLOCKS = 16  # alike units of a wave are first planned in this many blocks


@dataclass(frozen=True, eq=False)
class Proposal:
    """A re-planned plan: the moves (`MOVE_COLUMNS` plus activity_key) and the plan with them made."""

    moves: pd.DataFrame
    plan: Plan
    status: str  # "optimal" or "feasible" (stopped by the time limit)
    objective: int
    bound: int
    seconds: float
    first_solution_seconds: float

    @property
    def gap(self) -> float:
        """Return how far the objective may be from the best possible, as a fraction of the objective."""
        return 0.0 if self.objective == 0 else (self.objective - self.bound) / self.objective


def replan(
    plan: Plan,
    *,
    fixed: Collection[str] = (),
    as_of: dt.date | None = None,
    time_limit: float = 10.0,
    workers: int = 1,
    seed: int = 0,
) -> Proposal:
    """Return the proposal with the fewest moves that clears the plan's conflicts.

    `fixed` names activity keys that must stay where they are (e.g. activities done or under way),
    besides deadlines and pinned rows; with `as_of`, what started before that day's week stays and
    nothing moves into the past. One worker and a fixed seed make the answer repeatable.
    Raises NoProposalError when the hard constraints cannot all hold, or no plan is found in time.
    """
    sched = schedule(plan)
    m = build_model(plan, sched, fixed=fixed, as_of=as_of)
    started = time.perf_counter()
    if evident := evident_overload(m):
        raise NoProposalError(evident, infeasible=True)
    idle = _idle(m)
    alike = _alike_units(m)
    first_found: float | None = None
    best: tuple[np.ndarray, int] | None = None
    lower = 0
    if any(len(units) > 1 for units in alike):
        # First the plan where alike units of a wave move alike (or in a few blocks, when the
        # consultants' capacity splits them): a model the size of one unit per wave, solved in moments.
        for blocks in (1, _BLOCKS):
            weight, stand = _weights(m, alike, blocks)
            small = cp_model.CpModel()
            small_enc = Encoding(small, m, idle=idle, weight=weight)
            small_enc.links(small)
            small_enc.capacity(small)
            small.minimize(_objective(small, m, small_enc))
            quick = new_solver(max(1.0, time_limit / 2), workers, seed)
            before = time.perf_counter() - started
            found = FirstSolution()
            if quick.solve(small, found) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                first_found = before + (found.first if found.first is not None else float(quick.wall_time))
                best = (small_enc.weeks(quick)[stand], round(quick.objective_value))
                break
        lower = _lower_bound(m, alike, idle, max(1.0, time_limit / 4), seed)
        if best is not None and first_found is not None and lower >= best[1]:
            # No plan costs less than each unit planned alone, without capacity: this one is optimal.
            return _proposal(plan, m, best[0], "optimal", best[1], lower, started, first_found)
    cp = cp_model.CpModel()
    enc = Encoding(cp, m, idle=idle)
    enc.links(cp)
    enc.capacity(cp)
    cp.minimize(_objective(cp, m, enc))
    if best is not None:
        _hint(cp, enc, best[0])
    solver = new_solver(max(1.0, time_limit - (time.perf_counter() - started)), workers, seed)
    first = FirstSolution()
    status = solver.solve(cp, first)
    if status == cp_model.INFEASIBLE:
        raise NoProposalError(explain(m), infeasible=True)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        lower = max(lower, math.floor(solver.best_objective_bound))
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and (best is None or solver.objective_value <= best[1]):
        weeks, objective = enc.weeks(solver), round(solver.objective_value)
    elif best is not None:  # the whole model ran out of time or did worse: the alike-units plan stands
        weeks, objective = best
    else:
        raise NoProposalError(
            [f"Der blev ikke fundet en plan på {time_limit:g} sekunder; giv løseren mere tid."], infeasible=False
        )
    if first_found is None:
        first_found = first.first if first.first is not None else float(solver.wall_time)
    optimal = status == cp_model.OPTIMAL or lower >= objective
    return _proposal(plan, m, weeks, "optimal" if optimal else "feasible", objective, lower, started, first_found)


def _proposal(
    plan: Plan,
    m: ConstraintModel,
    weeks: np.ndarray,
    status: str,
    objective: int,
    bound: int,
    started: float,
    first_found: float,
) -> Proposal:
    moved = np.flatnonzero(weeks != m.weeks)
    new_plan = apply_moves(plan, {str(m.keys[i]): label(int(weeks[i])) for i in moved}, source=SOURCE)
    return Proposal(
        moves=_moves_frame(m, weeks, moved),
        plan=new_plan,
        status=status,
        objective=objective,
        bound=min(bound, objective),
        seconds=time.perf_counter() - started,
        first_solution_seconds=first_found,
    )


def _lower_bound(m: ConstraintModel, alike: list[list[list[int]]], idle: np.ndarray, limit: float, seed: int) -> int:
    """Return a bound no plan can beat: every unit planned alone, without capacity or the others' links.

    Alike units then have the same best plan, so one per wave is solved, counted as many times.
    """
    weight, _ = _weights(m, alike, 1)
    cp = cp_model.CpModel()
    enc = Encoding(cp, m, idle=idle, weight=weight)
    enc.links(cp, within_unit=True)
    cp.minimize(_objective(cp, m, enc, together=False))
    solver = new_solver(limit, 1, seed)
    if solver.solve(cp) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0
    return math.floor(solver.best_objective_bound)


def _alike_units(m: ConstraintModel) -> list[list[list[int]]]:
    """Return groups of alike units (same wave, weeks, limits), each unit as its rows in one order.

    A unit with a task of its own (a kontoplan) is alike to none.
    """
    own_tasks = {str(u) for u in m.unit_ids[m.task] if u}
    rows: dict[str, list[int]] = {}
    for i in np.flatnonzero(~m.task & (m.unit_ids != "")).tolist():
        rows.setdefault(str(m.unit_ids[i]), []).append(i)
    classes: dict[tuple[object, ...], list[list[int]]] = {}
    for unit, members in rows.items():
        if unit in own_tasks:
            continue
        members.sort(key=lambda i: (int(m.waves[i]), str(m.activity_ids[i])))
        profile = tuple(
            (int(m.waves[i]), str(m.activity_ids[i]), int(m.weeks[i]), int(m.lo[i]), int(m.hi[i]), bool(m.fixed[i]))
            for i in members
        )
        classes.setdefault(profile, []).append(members)
    return list(classes.values())


def _weights(m: ConstraintModel, alike: list[list[list[int]]], blocks: int) -> tuple[np.ndarray, np.ndarray]:
    """Return per activity how many alike units it stands for (0: another stands for it), and its stand-in.

    Alike units are cut into `blocks` blocks; the first unit of a block stands for the block.
    """
    weight = np.ones(len(m), dtype="int64")
    stand = np.arange(len(m))
    for units in alike:
        size = -(-len(units) // blocks)
        for first in range(0, len(units), size):
            block = units[first : first + size]
            for other in block:
                weight[other] = 0
                stand[other] = block[0]
            weight[block[0]] = len(block)
    return weight, stand


def _hint(cp: cp_model.CpModel, enc: Encoding, weeks: np.ndarray) -> None:
    """Replace the model's hint by the plan `weeks` (every literal, and the groups' weeks in use)."""
    cp.clear_hints()  # type: ignore[no-untyped-call]
    for i, lits in enumerate(enc.x):
        start = enc.start[i]
        if isinstance(start, int):
            continue
        cp.add_hint(start, int(weeks[i]))
        for w, lit in lits.items():
            cp.add_hint(lit, w == int(weeks[i]))
    for used, members in enc.used:
        for w, lit in used.items():
            cp.add_hint(lit, any(int(weeks[i]) == w for i in members))


def _idle(m: ConstraintModel) -> np.ndarray:
    """Return which activities never need to move: no links, no consultant hours, nothing wrong where they are."""
    linked = np.zeros(len(m), dtype=bool)
    linked[m.link_before] = True
    linked[m.link_after] = True
    poor = m.meeting & np.isin(m.weeks, list(m.poor))
    outside = (m.weeks < m.lo) | (m.weeks > m.hi)
    busy = m.consultant & (m.hours > 0)
    result: np.ndarray = ~(linked | poor | outside | busy)
    return result


def _objective(
    cp: cp_model.CpModel, m: ConstraintModel, enc: Encoding, *, together: bool = True
) -> cp_model.LinearExprT:
    lits: list[cp_model.IntVar] = []
    costs: list[int] = []
    for i in range(len(m)):
        here = int(m.weeks[i])
        for w, lit in enc.x[i].items():
            cost = W_WEEK * abs(w - here) + W_LATER * max(0, w - here) + (W_MOVED if w != here else 0)
            if m.meeting[i] and w in m.poor:
                cost += W_POOR
            if cost:
                lits.append(lit)
                costs.append(cost * int(enc.weight[i]))
    # A wave's units that share a week now: each further week the group ends up using costs.
    groups: dict[tuple[int, str, int], list[int]] = {}
    for i in np.flatnonzero(~m.task & (m.waves >= 0) & together).tolist():
        if enc.x[i]:
            groups.setdefault((int(m.waves[i]), str(m.activity_ids[i]), int(m.weeks[i])), []).append(i)
    offset = 0
    for (_, _, here), members in groups.items():
        if len(members) < 2:
            continue
        offset += W_SPLIT  # the one week a group always uses is free
        used: dict[int, cp_model.IntVar] = {}
        for i in members:
            for w, lit in enc.x[i].items():
                if w not in used:
                    used[w] = cp.new_bool_var("")
                    cp.add_hint(used[w], w == here)
                cp.add_implication(lit, used[w])
        lits.extend(used.values())
        costs.extend([W_SPLIT] * len(used))
        enc.used.append((used, members))
    return cp_model.LinearExpr.weighted_sum(lits, costs) - offset


def _moves_frame(m: ConstraintModel, weeks: np.ndarray, moved: np.ndarray) -> pd.DataFrame:
    load: dict[int, float] = m.load(weeks)
    rows = []
    for i in moved.tolist():
        rows.append(
            {
                "activity_key": str(m.keys[i]),
                "unit": str(m.units[i]),
                "activity": str(m.titles[i]),
                "from_week": label(int(m.weeks[i])),
                "to_week": label(int(weeks[i])),
                "reason": _reason(m, i, weeks, load),
            }
        )
    frame = pd.DataFrame(rows, columns=["activity_key", *MOVE_COLUMNS])
    return frame.sort_values(["from_week", "unit", "activity"], kind="stable", ignore_index=True).astype("string")


def _reason(m: ConstraintModel, i: int, weeks: np.ndarray, load: dict[int, float]) -> str:
    """Return why activity `i` left its week: what would be wrong there, with the others where they went."""
    here = int(m.weeks[i])
    found = m.conflicts(i, here, weeks, load)
    kinds = {c.kind for c in found}
    if "poor" in kinds:
        return f"{say(here)} har {m.poor[here]}"
    if "range" in kinds:
        return f"{say(here)} ligger uden for {m.range_texts[i]}"
    for c in found:
        if c.kind == "link":
            other = m.name(c.other) if m.unit_ids[c.other] != m.unit_ids[i] else str(m.titles[c.other])
            where = say(int(weeks[c.other]))
            if m.link_kind[c.link] == INVITATION:
                if int(m.link_before[c.link]) == i:
                    return f"skal sendes mindst {int(m.link_gap[c.link])} uger før {other}, nu i {where}"
                return f"skal ligge mindst {int(m.link_gap[c.link])} uger efter {other}, nu i {where}"
            if int(m.link_before[c.link]) == i:
                return f"skal være færdig før {other}, nu i {where}"
            return f"skal ligge efter {other}, nu i {where}"
    if "capacity" in kinds:
        return f"økonomikonsulenternes kapacitet i {say(here)}"
    return "holder bølgens enheder i samme uge"
