"""Why no plan exists, in Danish: evident capacity overloads by counting, else CP-SAT's assumptions."""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from .constraints import INVITATION, ConstraintModel, label, say
from .cpsat import Encoding, new_solver
from .texts import hours_text

__all__ = ["evident_overload", "explain"]

SLACK = 4  # weeks beyond the allowed ones the explanation may reach, so a window can be named as a cause


def evident_overload(m: ConstraintModel) -> list[str]:
    """Return the meetings too big for the consultants in any of their allowed weeks, by counting.

    These conflicts need no search (and many units make the assumptions slow to find): one meeting
    alone longer than a week's capacity, or one activity in all a wave's units more hours than the
    capacity times the weeks they may use.
    """
    busy = m.consultant & (m.hours > 0)
    capacity = hours_text(m.capacity) or _number(m.capacity) + " timer"
    too_big = np.flatnonzero(busy & (m.hours > m.capacity + 1e-9)).tolist()
    if too_big:
        earliest: dict[str, int] = {}  # one sentence per meeting: its earliest wave is reason enough
        for i in sorted(too_big, key=lambda i: (int(m.waves[i]) < 0, int(m.waves[i]), int(m.weeks[i]))):
            earliest.setdefault(str(m.titles[i]), i)
        return [
            f"kapaciteten på {capacity} om ugen kan ikke rumme {m.titles[i]} på {hours_text(float(m.hours[i]))}"
            + (f" i bølge {m.waves[i]}" if m.waves[i] >= 0 else "")
            for i in earliest.values()
        ]
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
                f"kapaciteten på {capacity} om ugen kan ikke rumme "
                f"{title} i bølge {wave}: {len(members)} enheder à {hours_text(float(m.hours[members[0]]))} "
                f"er {_number(total)} timer i {span}, hvor der højst er {_number(m.capacity * weeks)} timer"
            )
    return out


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def explain(m: ConstraintModel, *, time_limit: float = 10.0) -> list[str]:
    """Return, in Danish, a small set of hard constraints that cannot all hold (CP-SAT assumptions)."""
    cp = cp_model.CpModel()
    enc = Encoding(cp, m, widen=SLACK)
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
        solver = new_solver(time_limit, 1, 0)
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
