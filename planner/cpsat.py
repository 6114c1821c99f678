"""The plan's constraint model in CP-SAT's terms: week variables, links and capacity, for re-planning."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from .constraints import ConstraintModel

__all__ = ["Encoding", "FirstSolution", "NoProposalError", "new_solver"]

HOURS = 100  # capacity in hundredths of an hour: CP-SAT works in integers


class NoProposalError(Exception):
    """No plan could be proposed: `reasons` say why in Danish; `infeasible` when none exists at all."""

    def __init__(self, reasons: list[str], *, infeasible: bool) -> None:
        self.reasons = reasons
        self.infeasible = infeasible
        super().__init__("\n".join(reasons))


class FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self) -> None:
        super().__init__()
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = float(self.wall_time)


def new_solver(time_limit: float, workers: int, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(seed)
    return solver


class Encoding:
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
        limit = round(m.capacity * HOURS)
        lits: dict[int, list[cp_model.IntVar]] = {}
        coeffs: dict[int, list[int]] = {}
        fixed: dict[int, int] = {}
        for i in np.flatnonzero(m.consultant & (m.hours > 0) & (self.weight > 0)).tolist():
            hours = round(float(m.hours[i]) * HOURS) * int(self.weight[i])
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
