"""Edits Økonomi & Stab make to a plan, as pure functions returning a new validated plan."""

from __future__ import annotations

import pandas as pd

from .errors import PlanError
from .model import Plan

__all__ = ["move_unit"]


def move_unit(plan: Plan, unit_id: str, wave: int, *, source: str = "flyttet i planlæggeren") -> Plan:
    """Return `plan` with `unit_id` in `wave` only; its overrides are dropped, as they were for the old wave."""
    if unit_id not in set(plan.units["unit_id"]):
        raise PlanError(f"Enheden '{unit_id}' findes ikke")
    if wave not in set(plan.waves["wave"].astype(int)):
        raise PlanError(f"Bølge {wave} findes ikke")
    others = plan.assignments[plan.assignments["unit_id"] != unit_id]
    row = pd.DataFrame([{"unit_id": unit_id, "wave": wave, "source": source}])
    # Keep the unit's place in the table, so the diff and the file stay readable.
    position = plan.assignments.index[plan.assignments["unit_id"] == unit_id]
    if len(position):
        before = others.loc[others.index < position[0]]
        after = others.loc[others.index > position[0]]
        assignments = pd.concat([before, row, after], ignore_index=True)
    else:
        assignments = pd.concat([others, row], ignore_index=True)
    overrides = plan.overrides[plan.overrides["unit_id"] != unit_id]
    return plan.with_tables(assignments=assignments, overrides=overrides)
