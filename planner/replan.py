"""Re-planning: a whole plan that clears the conflicts with the fewest moves, solved by OR-Tools CP-SAT.

The variables are the start weeks of the activities that may move, within the allowed weeks the
constraint model gives them (`constraints.py`, the same model the checks advise from). Hard: the
links (dependencies with their lags, invitations ahead of their meeting) and the consultants'
weekly capacity. Soft, heaviest first: no meeting or workshop in a poor week; few activities moved
and few weeks moved; a wave's units kept on the same weeks. When nothing satisfies the hard
constraints, CP-SAT's assumptions name a small set of them that conflict, in Danish.
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from .constraints import INVITATION, ConstraintModel, apply_moves, build_model, label, say
from .model import Plan
from .scheduler import schedule
from .texts import hours_text

__all__ = ["MOVE_COLUMNS", "NoProposalError", "Proposal", "replan"]

MOVE_COLUMNS = ("unit", "activity", "from_week", "to_week", "reason")
SOURCE = "flyttet af Foreslå løsning"

# Weights of the soft goals, heaviest first: a meeting out of a holiday week is worth several moves;
# a moved activity costs more than moving one activity a few weeks further; splitting a wave's units
# costs less than a week; the last term prefers the earlier of two equally good weeks, as the advice does.
W_POOR, W_MOVED, W_WEEK, W_SPLIT, W_LATER = 1000, 100, 10, 5, 1
_HOURS = 100  # capacity in hundredths of an hour: CP-SAT works in integers
_BLOCKS = 16  # alike units of a wave are first planned in this many blocks
_SLACK = 4  # weeks beyond the allowed ones that the explanation may reach, to name a window as a cause


class NoProposalError(Exception):
    """No plan could be proposed: `reasons` say why in Danish; `infeasible` when none exists at all."""

    def __init__(self, reasons: list[str], *, infeasible: bool) -> None:
        self.reasons = reasons
        self.infeasible = infeasible
        super().__init__("\n".join(reasons))


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


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self) -> None:
        super().__init__()
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = float(self.wall_time)


def _solver(time_limit: float, workers: int, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(seed)
    return solver


class _Encoding:
    """The start week of every activity as CP-SAT variables: a week variable and one literal per allowed week.

    `idle` activities (nothing links to them, no consultant hours, no reason to move) stay put: moving
    them could only cost, so they need no variables at all.
    """

    def __init__(
        self,
        cp: cp_model.CpModel,
        m: ConstraintModel,
        *,
        widen: int = 0,
        idle: np.ndarray | None = None,
        weight: np.ndarray | None = None,
    ) -> None:
        self.m = m
        # weight[i]: how many alike units activity i stands for (0: another stands for it).
        self.weight = np.ones(len(m), dtype="int64") if weight is None else weight
        self.start: list[cp_model.IntVar | int] = []
        self.x: list[dict[int, cp_model.IntVar]] = []
        self.flat: list[cp_model.IntVar] = []  # every literal, for reading the solution at once
        self.flat_owner: list[int] = []
        self.flat_week: list[int] = []
        self.used: list[tuple[dict[int, cp_model.IntVar], list[int]]] = []  # the objective's week-in-use groups
        for i in range(len(m)):
            lo, hi = int(m.lo[i]) - widen, int(m.hi[i]) + widen
            if lo == hi or (idle is not None and idle[i]) or self.weight[i] == 0:
                self.start.append(int(m.weeks[i]) if idle is not None and idle[i] else lo)
                self.x.append({})
                continue
            here = int(m.weeks[i])
            lits = {w: cp.new_bool_var("") for w in range(lo, hi + 1)}
            cp.add_exactly_one(lits.values())
            start = cp.new_int_var(lo, hi, f"s{i}")
            cp.add(start == cp_model.LinearExpr.weighted_sum(list(lits.values()), list(lits)))
            cp.add_hint(start, here if lo <= here <= hi else lo)
            for w, lit in lits.items():
                cp.add_hint(lit, w == (here if lo <= here <= hi else lo))
            self.start.append(start)
            self.x.append(lits)
            self.flat.extend(lits.values())
            self.flat_owner.extend([i] * len(lits))
            self.flat_week.extend(lits)

    def weeks(self, solver: cp_model.CpSolver) -> np.ndarray:
        """Return the solved start week of every activity."""
        weeks = np.array([s if isinstance(s, int) else 0 for s in self.start], dtype="int64")
        if self.flat:
            chosen = solver.boolean_values(pd.Index(self.flat)).to_numpy(dtype=bool)
            weeks[np.array(self.flat_owner)[chosen]] = np.array(self.flat_week)[chosen]
        return weeks

    def links(
        self, cp: cp_model.CpModel, enforce: Sequence[cp_model.IntVar] | None = None, *, within_unit: bool = False
    ) -> None:
        m = self.m
        for li in range(len(m.link_gap)):
            b, a = int(m.link_before[li]), int(m.link_after[li])
            if within_unit and (not m.unit_ids[a] or m.unit_ids[a] != m.unit_ids[b]):
                continue
            sb, sa = self.start[b], self.start[a]
            if self.weight[a] == 0 or self.weight[b] == 0:
                continue  # the alike unit standing for this one has the same link
            if isinstance(sb, int) and isinstance(sa, int) and enforce is None:
                continue  # both fixed: nothing to decide (a broken pair makes the model infeasible below)
            gap = int(m.link_gap[li])
            if enforce is None and self.x[a] and self.x[b]:
                # The time-indexed form: by any week t, `a` may have started only if `b` started by
                # t - gap. Same plans as `sa - sb >= gap`, but its LP relaxation is far tighter, which
                # is what lets CP-SAT prove a proposal optimal on thousands of units.
                before = sorted(self.x[b].items())
                for t in sorted(self.x[a]):
                    started = [lit for w, lit in before if w <= t - gap]
                    upto = [lit for w, lit in self.x[a].items() if w <= t]
                    cp.add(sum(upto) <= sum(started))
                continue
            c = cp.add(sa - sb >= gap)
            if enforce is not None:
                c.only_enforce_if(enforce[li])

    def capacity(self, cp: cp_model.CpModel, enforce: dict[int, cp_model.IntVar] | None = None) -> None:
        m = self.m
        limit = round(m.capacity * _HOURS)
        lits: dict[int, list[cp_model.IntVar]] = {}
        coeffs: dict[int, list[int]] = {}
        fixed: dict[int, int] = {}
        for i in np.flatnonzero(m.consultant & (m.hours > 0) & (self.weight > 0)).tolist():
            hours = round(float(m.hours[i]) * _HOURS) * int(self.weight[i])
            start = self.start[i]
            if isinstance(start, int):
                w = start
                fixed[w] = fixed.get(w, 0) + hours
                continue
            for w, lit in self.x[i].items():
                lits.setdefault(w, []).append(lit)
                coeffs.setdefault(w, []).append(hours)
        for w in sorted(set(lits) | set(fixed)):
            expr = cp_model.LinearExpr.weighted_sum(lits.get(w, []), coeffs.get(w, []))
            c = cp.add(expr <= limit - fixed.get(w, 0))
            if enforce is not None:
                c.only_enforce_if(enforce.setdefault(w, cp.new_bool_var(f"cap{w}")))


def replan(
    plan: Plan,
    *,
    fixed: Collection[str] = (),
    time_limit: float = 10.0,
    workers: int = 1,
    seed: int = 0,
) -> Proposal:
    """Return the proposal with the fewest moves that clears the plan's conflicts.

    `fixed` names activity keys that must stay where they are (e.g. activities done or under way),
    besides deadlines and pinned rows. One worker and a fixed seed make the answer repeatable.
    Raises NoProposalError when the hard constraints cannot all hold, or no plan is found in time.
    """
    sched = schedule(plan)
    m = build_model(plan, sched, fixed=fixed)
    started = time.perf_counter()
    if evident := _evident_overload(m):
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
            small_enc = _Encoding(small, m, idle=idle, weight=weight)
            small_enc.links(small)
            small_enc.capacity(small)
            small.minimize(_objective(small, m, small_enc))
            quick = _solver(max(1.0, time_limit / 2), workers, seed)
            before = time.perf_counter() - started
            found = _FirstSolution()
            if quick.solve(small, found) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                first_found = before + (found.first if found.first is not None else float(quick.wall_time))
                best = (small_enc.weeks(quick)[stand], round(quick.objective_value))
                break
        lower = _lower_bound(m, alike, idle, max(1.0, time_limit / 4), seed)
        if best is not None and first_found is not None and lower >= best[1]:
            # No plan costs less than each unit planned alone, without capacity: this one is optimal.
            return _proposal(plan, m, best[0], "optimal", best[1], lower, started, first_found)
    cp = cp_model.CpModel()
    enc = _Encoding(cp, m, idle=idle)
    enc.links(cp)
    enc.capacity(cp)
    cp.minimize(_objective(cp, m, enc))
    if best is not None:
        _hint(cp, enc, best[0])
    solver = _solver(max(1.0, time_limit - (time.perf_counter() - started)), workers, seed)
    first = _FirstSolution()
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


def _evident_overload(m: ConstraintModel) -> list[str]:
    """Return the meetings of a wave too many for the consultants in any of their allowed weeks, by counting.

    Many units make the assumptions slow to find, but this conflict needs no search: the hours of one
    activity in all a wave's units exceed the capacity times the weeks they may use.
    """
    busy = m.consultant & (m.hours > 0)
    if (m.hours[busy] > m.capacity + 1e-9).any():
        return []  # one meeting alone is too big: the assumptions say which, quickly
    groups: dict[tuple[int, str], list[int]] = {}
    for i in np.flatnonzero(busy & ~m.task).tolist():
        groups.setdefault((int(m.waves[i]), str(m.activity_ids[i])), []).append(i)
    out = []
    for (wave, _), members in sorted(groups.items()):
        first, last = int(m.lo[members].min()), int(m.hi[members].max())
        weeks = last - first + 1
        total = float(m.hours[members].sum())
        if len(members) > 1 and total > m.capacity * weeks + 1e-9:
            title = str(m.titles[members[0]])
            span = f"uge {label(first)[-2:].lstrip('0')}" + (f"–{label(last)[-2:].lstrip('0')}" if weeks > 1 else "")
            out.append(
                f"kapaciteten på {hours_text(m.capacity) or _number(m.capacity) + ' timer'} om ugen kan ikke rumme "
                f"{title} i bølge {wave}: {len(members)} enheder à {hours_text(float(m.hours[members[0]]))} "
                f"er {_number(total)} timer i {span}, hvor der højst er {_number(m.capacity * weeks)} timer"
            )
    return out


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


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
    enc = _Encoding(cp, m, idle=idle, weight=weight)
    enc.links(cp, within_unit=True)
    cp.minimize(_objective(cp, m, enc, together=False))
    solver = _solver(limit, 1, seed)
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


def _hint(cp: cp_model.CpModel, enc: _Encoding, weeks: np.ndarray) -> None:
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
    cp: cp_model.CpModel, m: ConstraintModel, enc: _Encoding, *, together: bool = True
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


def explain(m: ConstraintModel, *, time_limit: float = 10.0) -> list[str]:
    """Return, in Danish, a small set of hard constraints that cannot all hold (CP-SAT assumptions)."""
    cp = cp_model.CpModel()
    enc = _Encoding(cp, m, widen=_SLACK)
    groups: dict[tuple[str, ...], cp_model.IntVar] = {}
    about: dict[int, tuple[str, int, str]] = {}  # literal -> (kind, activity or week, sentence)

    def literal(key: tuple[str, ...], kind: str, who: int, text: str) -> cp_model.IntVar:
        if key not in groups:
            groups[key] = cp.new_bool_var("|".join(key))
            about[groups[key].index] = (kind, who, text)
        return groups[key]

    for i in range(len(m)):
        wave = f" i bølge {m.waves[i]}" if m.waves[i] >= 0 else ""
        key: tuple[str, ...]
        if m.fixed[i]:
            lit = literal(("fixed", str(m.keys[i])), "fixed", i, f"{m.name(i)} ligger fast i {say(int(m.weeks[i]))}")
        else:
            key = ("range", str(m.activity_ids[i]), str(m.waves[i]), str(m.range_texts[i]))
            lit = literal(key, "range", i, f"{m.titles[i]}{wave} skal ligge i {m.range_texts[i]}")
        cp.add_linear_constraint(enc.start[i], int(m.lo[i]), int(m.hi[i])).only_enforce_if(lit)
    link_lits = []
    for li in range(len(m.link_gap)):
        b, a = int(m.link_before[li]), int(m.link_after[li])
        wave = f" i bølge {m.waves[a]}" if m.waves[a] >= 0 else ""
        gap = int(m.link_gap[li])
        if m.link_kind[li] == INVITATION:
            text = f"{m.titles[b]} skal sendes mindst {gap} uger før {m.titles[a]}{wave}"
        else:
            lag = int(m.link_lag[li])
            text = f"{m.titles[b]} skal være færdig før {m.titles[a]}{wave}" + (f" og {lag} uger før" if lag else "")
        key = ("link", str(m.link_kind[li]), str(m.activity_ids[b]), str(m.activity_ids[a]), str(m.waves[a]))
        link_lits.append(literal(key, "link", a, text))
    enc.links(cp, link_lits)
    capacity: dict[int, cp_model.IntVar] = {}
    enc.capacity(cp, capacity)
    for w, lit in capacity.items():
        about[lit.index] = ("capacity", w, "")
    core = _core(cp, [*groups.values(), *capacity.values()], time_limit)
    if core is None:
        return ["Planens faste krav kan ikke opfyldes samtidig, men løseren nåede ikke at finde hvilke."]
    return _sentences(m, [about[i] for i in core])


def _core(cp: cp_model.CpModel, assumptions: list[cp_model.IntVar], time_limit: float) -> list[int] | None:
    """Return the indices of a small set of assumptions that cannot all hold, made minimal by deletion."""

    def conflicting(subset: list[cp_model.IntVar]) -> list[cp_model.IntVar] | None:
        cp.clear_assumptions()
        cp.add_assumptions(subset)
        # Assumptions need one worker and no objective (CP-SAT's rule for explaining infeasibility).
        solver = _solver(time_limit, 1, 0)
        if solver.solve(cp) != cp_model.INFEASIBLE:
            return None
        found = set(solver.sufficient_assumptions_for_infeasibility())
        return [a for a in subset if a.index in found] or subset

    core = conflicting(assumptions)
    if core is None:
        return None
    position, tries = 0, 0
    while position < len(core) and tries < 40:  # deletion: drop what the conflict does not need
        tries += 1
        smaller = conflicting(core[:position] + core[position + 1 :])
        if smaller is None:
            position += 1
        else:
            core = smaller
    return [a.index for a in core]


def _sentences(m: ConstraintModel, core: list[tuple[str, int, str]]) -> list[str]:
    capacity = hours_text(m.capacity) or f"{m.capacity:g} timer"
    weeks = sorted(who for kind, who, _ in core if kind == "capacity")
    out: list[str] = []
    for kind, who, text in core:
        if kind == "capacity":
            continue
        if weeks and kind == "range" and m.consultant[who] and m.hours[who] > m.capacity + 1e-9:
            wave = f" i bølge {m.waves[who]}" if m.waves[who] >= 0 else ""
            title = str(m.titles[who])
            out.append(f"kapaciteten på {capacity} om ugen kan ikke rumme {title} på {hours_text(m.hours[who])}{wave}")
        elif text not in out:
            out.append(text)
    if weeks and not any(t.startswith("kapaciteten") for t in out):
        span = say(weeks[0]) if len(weeks) == 1 else f"{say(weeks[0])} til {say(weeks[-1])}"
        out.insert(0, f"økonomikonsulenternes kapacitet på {capacity} om ugen i {span}")
    return out
